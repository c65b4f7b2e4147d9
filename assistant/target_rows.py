"""The target rows the answer layer reads: all in memory for a small corpus, served from the catalogue for a large one.

Lookup needs, for every row, only a few short fields to choose rows (its wording, document, region,
year, scope, kind and position); the full row (value, quote, headers …) is needed only for the few
rows an answer cites. :class:`TargetRows` keeps the short fields of every row (a :class:`RowKey`,
with repeated strings shared) and gives full rows by position: from a list in memory
(:class:`MemoryRows`) or from the catalogue by id with a bounded cache (:class:`CatalogueRows`), so a
catalogue of 700,000 rows costs the process its keys, not 700,000 objects.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple, overload

from assistant.catalogue import Catalogue
from ingestion.schema import Target

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
    )


class TargetRows(Sequence[Target]):
    """Every target row of a catalogue snapshot, by position (ordered by document, start, id)."""

    keys: list[RowKey]
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
    """Rows fetched from the catalogue by id when an answer needs them; the last ``cache_size`` are kept."""

    def __init__(self, catalogue: Catalogue, cache_size: int = 20_000) -> None:
        self._catalogue = catalogue
        self._cache: OrderedDict[str, Target] = OrderedDict()
        self._cache_size = cache_size
        shared: dict[str, str] = {}
        self.wordings = set()

        def same(text: str) -> str:
            # One string object per distinct region, year, wording …: thousands of plans repeat them.
            return shared.setdefault(text, text)

        self.keys = []
        for fields in catalogue.target_keys():
            target_id, doc_id, region, year, scope, kind, table_title, start, indicator, header = fields
            self.wordings.add(f"{indicator} {header}")
            self.keys.append(
                RowKey(
                    target_id,
                    same(doc_id),
                    same(region),
                    same(year),
                    same(scope),
                    same(kind),
                    same(table_title),
                    start,
                    same(wording(scope, indicator, header)),
                )
            )

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


def load_rows(catalogue: Catalogue, in_memory_up_to: int) -> TargetRows:
    """The snapshot's rows: in memory up to ``in_memory_up_to`` rows, served from the catalogue beyond."""
    if catalogue.count_targets() <= in_memory_up_to:
        return MemoryRows(catalogue.all_targets())
    return CatalogueRows(catalogue)

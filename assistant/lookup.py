"""Target lookup: which stored target rows answer a question, scored on the plan's own wording.

Indicator wording is compared by character bigrams weighted by how rare they are among all row
wordings (IDF): ``一般`` tells rows apart, ``卫生`` does not. A question's bigrams that no row has
weigh as much as the rarest ones, so an indicator no plan sets scores low and the answer abstains.
"""

from __future__ import annotations

import functools
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.understanding import Query, bigrams
from ingestion.schema import Target
from ingestion.text.normalize import nfkc
from ingestion.text.rules import alternation, rules

# Minimum IDF-weighted share of the question's indicator a row must cover.
MIN_COVERAGE = 0.5
# Rows within this score of the best are kept as equally good answers.
TIE_MARGIN = 0.06
MAX_ROWS = 24
CONTEXT_WEIGHT = 0.15
COMPARE_MIN_COVERAGE = 0.35
# Question bigrams made with a function character (要提, 有机, 的机) that no row has say little.
FUNCTION_WEIGHT = 0.25


@dataclass(frozen=True)
class _Words:
    """Question words lookup reads (ingestion/text/rules): generic words, function characters, conditions."""

    generic: frozenset[str]
    function_chars: frozenset[str]
    more: re.Pattern[str]
    less: re.Pattern[str]


@functools.cache
def _words() -> _Words:
    r = rules()
    return _Words(
        generic=frozenset(r.generic_words),
        function_chars=frozenset(r.function_chars),
        more=re.compile(rf"(?:{alternation(r.more_than)})\s*(\d+(?:\.\d+)?)"),
        less=re.compile(rf"(?:{alternation(r.less_than)})\s*(\d+(?:\.\d+)?)"),
    )
_YEAR_WORDS = re.compile(r"20\d{2}\s*年?|/")  # years and level separators of a column header

_MAX = re.compile(r"最多|最高|最大|最长")
_MIN = re.compile(r"最少|最低(?!要)|最小|最短")
_NONE = re.compile(r"没有|未安排|不承担|无任务|为零|是0|为0")


def row_words(row: Target) -> str:
    """The wording a row answers to: scope, indicator and its column header without years."""
    # Separated, so no bigram spans two fields (村卫生室|新增… must not make 室新).
    header = _YEAR_WORDS.sub(" ", row.column_header)
    return f"{row.scope} {row.indicator.replace('/', ' ')} {header}"


@dataclass(frozen=True)
class Scored:
    """A target row with how well it matches the question's indicator."""

    row: Target
    score: float
    coverage: float


class RowIndex:
    """Bigram sets and IDF weights of every row wording, built once per catalogue snapshot.

    Rows that share a wording (the same indicator in every year, county and copy of a plan) share
    one bigram set and are scored once; an inverted index from bigram to wordings lets a question
    score only the wordings that can reach the minimum coverage, not every row of the corpus.
    """

    def __init__(self, rows: Sequence[Target]) -> None:
        self.rows = list(rows)
        ids: dict[str, int] = {}
        self._wording_grams: list[set[str]] = []
        self._wording_rows: list[list[int]] = []
        self._doc_rows: dict[str, list[int]] = defaultdict(list)
        for i, r in enumerate(self.rows):
            words = row_words(r)
            k = ids.get(words)
            if k is None:
                k = ids[words] = len(self._wording_grams)
                self._wording_grams.append(bigrams(words))
                self._wording_rows.append([])
            self._wording_rows[k].append(i)
            self._doc_rows[r.doc_id].append(i)
        df: dict[str, int] = defaultdict(int)
        self._postings: dict[str, list[int]] = defaultdict(list)
        for k, g in enumerate(self._wording_grams):
            for b in g:
                df[b] += 1
                self._postings[b].append(k)
        n = max(len(self._wording_grams), 1)
        self.idf = {b: math.log(1 + n / c) for b, c in df.items()}
        self.unknown_idf = math.log(1 + n)
        self._wording_weight = [sum(self.weight(b) for b in g) for g in self._wording_grams]

    @property
    def grams(self) -> list[set[str]]:
        """The bigram set of each row's wording, in row order."""
        by_row: list[set[str]] = [set()] * len(self.rows)
        for k, members in enumerate(self._wording_rows):
            for i in members:
                by_row[i] = self._wording_grams[k]
        return by_row

    def positions(self, doc_ids: set[str]) -> list[int]:
        """Positions of the rows of these documents, ascending."""
        return sorted(i for d in doc_ids for i in self._doc_rows.get(d, ()))

    def _candidates(self, qb: set[str], total: float, min_coverage: float) -> list[int]:
        """Wordings that may cover ``min_coverage`` of the question's bigrams (a superset of those that do).

        Bigrams are taken rarest first until the ones left out weigh too little to reach the minimum
        on their own: a wording sharing none of the taken ones cannot qualify.
        """
        order = sorted(qb, key=lambda b: (len(self._postings.get(b, ())), -self.weight(b), b))
        found: set[int] = set()
        taken = 0.0
        for b in order:
            if total - taken < min_coverage * total * (1 - 1e-9):
                break
            found.update(self._postings.get(b, ()))
            taken += self.weight(b)
        return sorted(found)

    def weight(self, gram: str) -> float:
        """IDF of a bigram; bigrams no row has weigh like the rarest, unless a function character is in them."""
        w = self.idf.get(gram, self.unknown_idf)
        return w * FUNCTION_WEIGHT if any(ch in _words().function_chars for ch in gram) and gram not in self.idf else w

    def score(
        self, query: Query, rows: Sequence[int] | None = None, min_coverage: float = MIN_COVERAGE
    ) -> list[Scored]:
        """Rows whose wording covers the question's indicator, best first."""
        generic = _words().generic
        qb = {b for b in bigrams(query.indicator) if b not in generic}
        if not qb:
            return []
        total = sum(self.weight(b) for b in qb)
        cb = bigrams(query.context) - qb if query.context else set()
        ctotal = sum(self.weight(b) for b in cb)
        allowed = set(rows) if rows is not None else None
        found: list[tuple[int, Scored]] = []
        for k in self._candidates(qb, total, min_coverage):
            rb = self._wording_grams[k]
            shared = qb & rb
            if not shared:
                continue
            coverage = sum(self.weight(b) for b in shared) / total
            if coverage < min_coverage:
                continue
            precision = sum(self.weight(b) for b in shared) / max(self._wording_weight[k], 1e-9)
            base = 0.75 * coverage + 0.25 * precision
            if ctotal:
                base += CONTEXT_WEIGHT * sum(self.weight(b) for b in cb & rb) / ctotal
            for i in self._wording_rows[k]:
                if allowed is not None and i not in allowed:
                    continue
                score = base
                if query.scope and query.scope == self.rows[i].scope:
                    score += 0.03
                found.append((i, Scored(self.rows[i], round(score, 4), coverage)))
        # Ties keep the order of ``rows`` (row order by default), as a scan over them would.
        if rows is None:
            found.sort(key=lambda t: t[0])
        else:
            rank = {i: n for n, i in enumerate(rows)}
            found.sort(key=lambda t: rank[t[0]])
        out = [s for _, s in found]
        out.sort(key=lambda s: (-s.score, s.row.doc_id, s.row.start))
        return out


@dataclass
class Lookup:
    """The rows chosen for a question, and what exists when nothing fits."""

    rows: list[Target]
    indicator_found: bool
    years_available: list[str]
    regions_available: list[str]
    missing_regions: list[str] | None = None


def _year_matches(row_year: str, wanted: str) -> bool:
    # Exact: a period row (2023-2025) answers only a question about that period, not one of its years.
    return bool(row_year) and row_year == wanted


def _region_matches(row_region: str, wanted: str) -> bool:
    return bool(row_region) and (row_region == wanted or nfkc(wanted) in nfkc(row_region))


def lookup(query: Query, index: RowIndex, doc_regions: dict[str, str], allowed_docs: set[str] | None = None) -> Lookup:
    """Choose the target rows that answer ``query``.

    ``doc_regions`` maps doc_id to the region its plan covers ("" when the plan never names it); rows
    for that region (narrative rows and 合计 rows) are the plan-level answer when the question names
    no sub-region.
    """
    positions = None
    if allowed_docs is not None:
        positions = index.positions(allowed_docs)
    comparing = query.intent == "compare" and not (query.years and len(query.years) > 1)
    # Plans word one target differently (重点人群签约率 / 重点人群签约服务覆盖率): in a comparison each
    # region's best wording may cover less of the question, as long as the best overall covers enough.
    scored = index.score(query, positions, COMPARE_MIN_COVERAGE if comparing else MIN_COVERAGE)
    if scored and scored[0].coverage < MIN_COVERAGE:
        scored = []
    if not scored:
        return Lookup([], False, [], [])
    years_available = sorted({s.row.year for s in scored if s.row.year})
    regions_available = sorted({s.row.region for s in scored if s.row.region})

    def plan_level(s: Scored) -> bool:
        return s.row.region == doc_regions.get(s.row.doc_id, s.row.region)

    candidates = scored
    if query.regions and query.all_subregions:
        # 某市哪些地区…: the sub-regions of the plans that cover the named region.
        plans = {d for d, reg in doc_regions.items() if reg and any(_region_matches(reg, r) for r in query.regions)}
        inside = [s for s in candidates if s.row.doc_id in plans and not plan_level(s)]
        candidates = inside or [
            s for s in candidates if any(_region_matches(s.row.region, r) for r in query.regions)
        ]
    elif query.regions:
        candidates = [s for s in candidates if any(_region_matches(s.row.region, r) for r in query.regions)]
    elif query.intent == "compare" and not query.all_subregions:
        candidates = [s for s in candidates if plan_level(s)] or candidates
    elif query.all_subregions or query.intent == "list":
        sub = [s for s in candidates if not plan_level(s)]
        candidates = sub or candidates
    else:
        top = [s for s in candidates if plan_level(s)]
        candidates = top or candidates
    if query.years:
        candidates = [s for s in candidates if any(_year_matches(s.row.year, y) for y in query.years)]
    elif query.wants_total:
        candidates = [s for s in candidates if "-" in s.row.year] or candidates
    if not candidates:
        return Lookup([], True, years_available, regions_available)

    if comparing:
        # Each region (or plan) is compared on its own best wording: plans word the same target differently.
        by_region: dict[str, list[Scored]] = defaultdict(list)
        for s in candidates:
            by_region[s.row.region].append(s)
        kept: list[Scored] = []
        for members in by_region.values():
            region_best = members[0].score
            kept.extend(m for m in members if m.score >= region_best - TIE_MARGIN)
        kept.sort(key=lambda s: -s.score)
    else:
        best = candidates[0].score
        kept = [s for s in candidates if s.score >= best - TIE_MARGIN]
    # One wording per document and region: the best-scoring one wins, with all its years.
    groups: dict[tuple[str, str], list[Scored]] = defaultdict(list)
    for s in kept:
        groups[(s.row.doc_id, s.row.region)].append(s)
    chosen: list[Target] = []
    for members in groups.values():
        wording = row_words(members[0].row)
        chosen.extend(_dedupe([m.row for m in members if row_words(m.row) == wording]))
    if query.intent == "list" or query.all_subregions:
        chosen, missing = _apply_condition(query, chosen, index.rows, doc_regions)
        if missing is not None:
            return Lookup([], True, years_available, regions_available, missing_regions=missing)
    chosen.sort(key=lambda r: (r.doc_id, _region_key(r, doc_regions), _year_key(r.year), r.start))
    return Lookup(chosen[:MAX_ROWS], True, years_available, regions_available)


def _apply_condition(
    query: Query, rows: list[Target], all_rows: Sequence[Target], doc_regions: dict[str, str]
) -> tuple[list[Target], list[str] | None]:
    """Filter list answers by the question's condition: 超过10个, 最多, 没有 ...; rows, or regions lacking one."""
    q = nfkc(query.text)
    if _NONE.search(q) and rows:
        # Regions that appear in the same table but have no value in this column (and year).
        table, header = rows[0].table_title, row_words(rows[0])
        doc = rows[0].doc_id
        in_table = {
            r.region
            for r in all_rows
            if r.doc_id == doc and r.table_title == table and r.region and r.region != doc_regions.get(doc)
        }
        have = {r.region for r in rows if row_words(r) == header}
        return [], sorted(in_table - have)
    more, less = _words().more.search(q), _words().less.search(q)
    if more:
        rows = [r for r in rows if r.value > float(more.group(1))]
    if less:
        rows = [r for r in rows if r.value < float(less.group(1))]
    if rows and _MAX.search(q):
        top = max(r.value for r in rows)
        rows = [r for r in rows if r.value == top]
    elif rows and _MIN.search(q):
        low = min(r.value for r in rows)
        rows = [r for r in rows if r.value == low]
    return rows, None


def _dedupe(rows: list[Target]) -> list[Target]:
    seen: set[tuple[str, str, str, float, float | None]] = set()
    out: list[Target] = []
    for r in rows:
        key = (r.region, r.year, r.scope, r.value, r.value_max)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def _region_key(row: Target, doc_regions: dict[str, str]) -> tuple[int, str]:
    return (0 if row.region == doc_regions.get(row.doc_id, "") else 1, row.region)


def _year_key(year: str) -> tuple[int, str]:
    m = re.search(r"20\d{2}", year)
    return (int(m.group(0)) if m else 0, year)

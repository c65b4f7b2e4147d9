"""Target lookup: which stored target rows answer a question, scored on the plan's own wording.

Indicator wording is compared by character bigrams weighted by how rare they are among all row
wordings (IDF): ``一般`` tells rows apart, ``卫生`` does not. A question's bigrams that no row has
weigh as much as the rarest ones, so an indicator no plan sets scores low and the answer abstains.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.understanding import Query, bigrams, nfkc
from ingestion.schema import Target

# Minimum IDF-weighted share of the question's indicator a row must cover.
MIN_COVERAGE = 0.5
# Rows within this score of the best are kept as equally good answers.
TIE_MARGIN = 0.06
MAX_ROWS = 24
CONTEXT_WEIGHT = 0.15
COMPARE_MIN_COVERAGE = 0.35
# Question bigrams made with a function character (要提, 有机, 的机) that no row has say little.
FUNCTION_WEIGHT = 0.25
_FUNCTION_CHARS = set("要有是的了对在和与及把将被给让能会该")

# Words of a question that say nothing about which indicator is meant.
_GENERIC = {"全市", "全县", "全区", "指标", "目标", "数量", "情况", "工作", "年底", "多少", "达到", "要求", "最低", "最高"}
_YEAR_WORDS = re.compile(r"20\d{2}\s*年?|/")  # years and level separators of a column header

_MORE = re.compile(r"(?:超过|大于|多于|高于|不少于|不低于|达到|至少)\s*(\d+(?:\.\d+)?)")
_LESS = re.compile(r"(?:少于|低于|不足|小于|不超过|不到)\s*(\d+(?:\.\d+)?)")
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
    """Bigram sets and IDF weights of every row wording, built once per catalogue snapshot."""

    def __init__(self, rows: Sequence[Target]) -> None:
        self.rows = list(rows)
        self.grams = [bigrams(row_words(r)) for r in self.rows]
        df: dict[str, int] = defaultdict(int)
        wordings: dict[str, set[str]] = {}
        for r, g in zip(self.rows, self.grams, strict=True):
            wordings[row_words(r)] = g
        for g in wordings.values():
            for b in g:
                df[b] += 1
        n = max(len(wordings), 1)
        self.idf = {b: math.log(1 + n / c) for b, c in df.items()}
        self.unknown_idf = math.log(1 + n)

    def weight(self, gram: str) -> float:
        """IDF of a bigram; bigrams no row has weigh like the rarest, unless a function character is in them."""
        w = self.idf.get(gram, self.unknown_idf)
        return w * FUNCTION_WEIGHT if any(ch in _FUNCTION_CHARS for ch in gram) and gram not in self.idf else w

    def score(
        self, query: Query, rows: Sequence[int] | None = None, min_coverage: float = MIN_COVERAGE
    ) -> list[Scored]:
        """Rows whose wording covers the question's indicator, best first."""
        qb = {b for b in bigrams(query.indicator) if b not in _GENERIC}
        if not qb:
            return []
        total = sum(self.weight(b) for b in qb)
        cb = bigrams(query.context) - qb if query.context else set()
        ctotal = sum(self.weight(b) for b in cb)
        out: list[Scored] = []
        for i in rows if rows is not None else range(len(self.rows)):
            rb = self.grams[i]
            shared = qb & rb
            if not shared:
                continue
            coverage = sum(self.weight(b) for b in shared) / total
            if coverage < min_coverage:
                continue
            precision = sum(self.weight(b) for b in shared) / max(sum(self.weight(b) for b in rb), 1e-9)
            score = 0.75 * coverage + 0.25 * precision
            if ctotal:
                score += CONTEXT_WEIGHT * sum(self.weight(b) for b in cb & rb) / ctotal
            if query.scope and query.scope == self.rows[i].scope:
                score += 0.03
            out.append(Scored(self.rows[i], round(score, 4), coverage))
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
        positions = [i for i, r in enumerate(index.rows) if r.doc_id in allowed_docs]
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
        # 南通哪些地区…: the sub-regions of the plans that cover the named region.
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
        kept = []
        for members in by_region.values():
            top = members[0].score
            kept.extend(m for m in members if m.score >= top - TIE_MARGIN)
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
    more, less = _MORE.search(q), _LESS.search(q)
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

"""Target lookup: which stored target rows answer a question, scored on the plan's own wording."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.understanding import Query, bigrams, nfkc
from ingestion.schema import Target

# Minimum share of the question's indicator bigrams a row must cover, and minimum shared bigrams.
MIN_QUERY_COVERAGE = 0.5
MIN_SHARED = 2
# Rows within this score of the best are kept as equally good answers.
TIE_MARGIN = 0.08
MAX_ROWS = 16

# Words of the question that say nothing about which indicator is meant.
_GENERIC = {"全市", "全县", "全区", "指标", "目标", "数量", "情况", "工作", "年底", "多少", "达到", "要求"}


@dataclass(frozen=True)
class Scored:
    """A target row with how well it matches the question's indicator."""

    row: Target
    score: float
    shared: int


def _row_words(row: Target) -> str:
    header = row.column_header.split("/")[0] if row.column_header else ""
    return f"{row.scope}{row.indicator}{header}"


def _year_matches(row_year: str, wanted: str) -> bool:
    # Exact: a period row (2023-2025) answers only a question about that period, not one of its years.
    return bool(row_year) and row_year == wanted


def _region_matches(row_region: str, wanted: str) -> bool:
    return bool(row_region) and (row_region == wanted or nfkc(wanted) in nfkc(row_region))


def score_rows(query: Query, rows: Iterable[Target]) -> list[Scored]:
    """Rows whose indicator wording covers the question's, best first (before region/year filters)."""
    q_words = query.indicator + (query.scope if query.scope not in query.indicator else "")
    qb = {b for b in bigrams(q_words) if b not in _GENERIC}
    if not qb:
        return []
    out: list[Scored] = []
    for row in rows:
        rb = bigrams(_row_words(row))
        shared = len(qb & rb)
        if shared < MIN_SHARED and not (len(qb) == 1 and shared == 1):
            continue
        coverage = shared / len(qb)
        if coverage < MIN_QUERY_COVERAGE:
            continue
        precision = shared / max(len(rb), 1)
        scope_bonus = 0.05 if query.scope and query.scope == row.scope else 0.0
        out.append(Scored(row, round(0.65 * coverage + 0.35 * precision + scope_bonus, 4), shared))
    out.sort(key=lambda s: (-s.score, s.row.doc_id, s.row.start))
    return out


@dataclass
class Lookup:
    """The rows chosen for a question, and why others were not."""

    rows: list[Target]
    indicator_found: bool
    years_available: list[str]
    regions_available: list[str]


def lookup(query: Query, rows: Sequence[Target], doc_regions: dict[str, str]) -> Lookup:
    """Choose the target rows that answer ``query``.

    ``doc_regions`` maps doc_id to the region its plan covers ("" when the plan never names it); rows
    for that region (narrative rows and 合计 rows) are the plan-level answer when the question names
    no sub-region.
    """
    scored = score_rows(query, rows)
    if not scored:
        return Lookup([], False, [], [])
    years_available = sorted({s.row.year for s in scored if s.row.year})
    regions_available = sorted({s.row.region for s in scored if s.row.region})

    candidates = scored
    if query.regions:
        candidates = [s for s in candidates if any(_region_matches(s.row.region, r) for r in query.regions)]
    elif not query.all_subregions:
        plan_level = [s for s in candidates if s.row.region == doc_regions.get(s.row.doc_id, s.row.region)]
        candidates = plan_level or candidates
    if query.years:
        candidates = [s for s in candidates if any(_year_matches(s.row.year, y) for y in query.years)]
    if not candidates:
        return Lookup([], True, years_available, regions_available)

    best = candidates[0].score
    kept = [s for s in candidates if s.score >= best - TIE_MARGIN]
    # One indicator per document and region: the best-scoring wording wins, with all its years.
    groups: dict[tuple[str, str], list[Scored]] = defaultdict(list)
    for s in kept:
        groups[(s.row.doc_id, s.row.region)].append(s)
    chosen: list[Target] = []
    for members in groups.values():
        top = members[0]
        wording = (top.row.indicator, top.row.scope, top.row.column_header.split("/")[0])
        same = [
            m.row
            for m in members
            if (m.row.indicator, m.row.scope, m.row.column_header.split("/")[0]) == wording
        ]
        chosen.extend(_dedupe(same))
    chosen.sort(key=lambda r: (r.doc_id, _region_key(r, doc_regions), _year_key(r.year), r.start))
    return Lookup(chosen[:MAX_ROWS], True, years_available, regions_available)


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

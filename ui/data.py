"""Tables and chart data for the UI, built from the service's typed objects (no Gradio here).

Kept apart from ``ui.app`` so the shaping of targets and documents can be tested without a browser.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ingestion.schema import DocumentRecord, Target
from ingestion.text.rules import rules
from ui import labels as L

_YEAR = re.compile(r"^(19|20)\d{2}$")
# A unit in brackets closing a table header, e.g. 新增社区医院数（家）: dropped in example questions.
_UNIT_SUFFIX = re.compile(r"[（(][^（）()]{1,4}[）)]$")
# Indicators short enough to read well inside an example question.
_MAX_EXAMPLE_INDICATOR = 16

TARGET_COLUMNS = [
    L.COL_REGION,
    L.COL_SCOPE,
    L.COL_INDICATOR,
    L.COL_VALUE_TEXT,
    L.COL_VALUE,
    L.COL_UNIT,
    L.COL_YEAR,
    L.COL_DOC,
    L.COL_SECTION,
    L.COL_QUOTE,
    L.COL_ORIGIN,
]
DOC_COLUMNS = [
    L.COL_TITLE,
    L.COL_META_MISSING,
    L.COL_ISSUER,
    L.COL_DOC_NUMBER,
    L.COL_DATE,
    L.COL_REGION,
    L.COL_PERIOD,
    L.COL_DRAFT,
    L.COL_CHUNKS,
    L.COL_TARGETS,
    L.COL_TABLES,
    L.COL_TABLES_FAILED,
    L.COL_WARNINGS,
    L.COL_SOURCE,
    L.COL_INGESTED,
    L.COL_DOC_ID,
]


@functools.cache
def _total_or_subtotal() -> re.Pattern[str]:
    """A row label of a total or subtotal row (ingestion/text/rules/scope.toml)."""
    r = rules()
    return re.compile(rf"^\s*(?:{r.total_label_pattern([*r.total_labels, *r.subtotal_labels])})")


def doc_label(d: DocumentRecord) -> str:
    """How a document is named in drop-downs: its title, else its file name."""
    return d.meta.title or d.source or d.doc_id


def target_row(t: Target, titles: dict[str, str]) -> list[str | float]:
    """One target as a table row, in ``TARGET_COLUMNS`` order."""
    return [
        t.region,
        t.scope,
        t.indicator,
        t.value_text,
        t.value,
        t.unit,
        t.year,
        titles.get(t.doc_id, t.title or t.source or t.doc_id),
        t.table_title or t.section,
        t.quote,
        L.ORIGIN_OVERRIDE if t.origin == "override" else L.ORIGIN_EXTRACTED,
    ]


def targets_frame(targets: Sequence[Target], titles: dict[str, str]) -> pd.DataFrame:
    """The target table as shown and exported."""
    return pd.DataFrame([target_row(t, titles) for t in targets], columns=TARGET_COLUMNS)


def write_targets_csv(targets: Sequence[Target], titles: dict[str, str], path: Path) -> Path:
    """Write the targets as CSV (UTF-8 with BOM so spreadsheet programs read the Chinese) and return ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = targets_frame(targets, titles)
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def documents_frame(docs: Sequence[DocumentRecord]) -> pd.DataFrame:
    """The document library as a table, in ``DOC_COLUMNS`` order."""
    rows = [
        [
            d.meta.title,
            "、".join(missing_meta(d)),
            d.meta.issuer,
            d.meta.doc_number,
            d.meta.date,
            d.meta.region,
            d.meta.period,
            L.DRAFT_YES if d.meta.is_draft else L.DRAFT_NO,
            d.n_chunks,
            d.n_targets,
            d.n_tables,
            "；".join(d.tables_failed),
            "；".join(d.warnings),
            d.source,
            d.ingested_at,
            d.doc_id,
        ]
        for d in docs
    ]
    return pd.DataFrame(rows, columns=DOC_COLUMNS)


def missing_meta(d: DocumentRecord) -> list[str]:
    """The metadata fields (issuer, date, region) a document lacks, named as officials read them."""
    return [label for field, label in L.META_MISSING_FIELDS.items() if not getattr(d.meta, field)]


def missing_meta_lines(docs: Sequence[DocumentRecord]) -> list[str]:
    """One line per document with missing metadata (empty when none lacks any)."""
    return [
        L.META_MISSING_LINE.format(title=doc_label(d), fields="、".join(missing_meta(d)))
        for d in docs
        if missing_meta(d)
    ]


def region_labels(docs: Sequence[DocumentRecord], targets: Sequence[Target]) -> list[tuple[str, str]]:
    """Region choices labelled with the plan they come from: ``（label, value）`` pairs.

    A document's own region stands alone; a region named only inside a plan (a county of a city's
    plan, a 开发区) is labelled with that plan's region (or title), so similar names from different
    plans can be told apart.
    """
    own = {d.meta.region for d in docs if d.meta.region}
    plan_of = {d.doc_id: d.meta.region or doc_label(d) for d in docs}
    parents: dict[str, list[str]] = {}
    for t in targets:
        if t.region and t.region not in own:
            parent = plan_of.get(t.doc_id, "")
            names = parents.setdefault(t.region, [])
            if parent and parent not in names and parent != t.region:
                names.append(parent)
    out: list[tuple[str, str]] = []
    for region in region_choices(docs, targets):
        names = parents.get(region, [])
        label = L.REGION_IN_PLAN.format(region=region, plan="、".join(names[:2])) if names else region
        out.append((label, region))
    return out


def region_choices(docs: Sequence[DocumentRecord], targets: Sequence[Target]) -> list[str]:
    """Every region a document or a target row names, documents' own regions first."""
    doc_regions = sorted({d.meta.region for d in docs if d.meta.region})
    others = sorted({t.region for t in targets if t.region} - set(doc_regions))
    return doc_regions + others


def year_choices(targets: Sequence[Target]) -> list[str]:
    """Distinct years of the targets, calendar years first in order, then the rest (每年, ranges)."""
    years = {t.year for t in targets if t.year}
    plain = sorted(y for y in years if _YEAR.match(y))
    return plain + sorted(years - set(plain))


def indicator_choices(targets: Sequence[Target], limit: int = 200) -> list[str]:
    """Indicators worth charting: those with the most rows first (they compare across years or regions)."""
    counts = Counter(t.indicator for t in targets if t.indicator)
    return [name for name, _ in counts.most_common(limit)]


def _series(t: Target) -> str:
    return t.region or t.scope or L.WHOLE_REGION


def _without_totals(targets: Sequence[Target]) -> list[Target]:
    """Drop total rows when the same indicator has at least two other series to compare."""
    total = _total_or_subtotal()
    parts = [t for t in targets if not total.match(t.row_label)]
    return parts if len({_series(t) for t in parts}) >= 2 else list(targets)


def chart_by_year(targets: Sequence[Target], indicator: str) -> pd.DataFrame:
    """Values of one indicator per calendar year, one series per region (first row wins per point)."""
    seen: set[tuple[str, str]] = set()
    rows: list[tuple[str, float, str]] = []
    for t in _without_totals([t for t in targets if t.indicator == indicator]):
        if not _YEAR.match(t.year):
            continue
        key = (t.year, _series(t))
        if key in seen:
            continue
        seen.add(key)
        rows.append((t.year, t.value, _series(t)))
    rows.sort(key=lambda r: (r[0], r[2]))
    return pd.DataFrame(rows, columns=[L.COL_YEAR, L.COL_VALUE, L.COL_SERIES])


def chart_years(targets: Sequence[Target], indicator: str) -> list[str]:
    """The calendar years one indicator has values for, in order (the by-region chart's year picker)."""
    return sorted({t.year for t in targets if t.indicator == indicator and _YEAR.match(t.year)})


def _same_cell(shown: object, ours: object) -> bool:
    """Whether a cell the table sent back is the cell we built (numbers compared as numbers)."""
    if isinstance(ours, float) or isinstance(shown, (int, float)):
        try:
            return float(str(shown)) == float(str(ours))
        except ValueError:
            return False
    return str(shown).strip() == str(ours).strip()


def match_row(targets: Sequence[Target], shown: Sequence[object], titles: dict[str, str]) -> Target | None:
    """The target whose table row is ``shown`` (the row clicked): the one with the most equal cells.

    Matching on every cell (year and region included) means two rows quoting the same sentence
    (2023 and 2025 of one target) open their own details; ties go to the first row.
    """
    best: Target | None = None
    best_score = 0
    for t in targets:
        cells = target_row(t, titles)
        score = sum(_same_cell(a, b) for a, b in zip(shown, cells, strict=False))
        if score > best_score:
            best, best_score = t, score
            if score == len(cells):
                break
    return best


def chart_by_region(targets: Sequence[Target], indicator: str, year: str | None) -> tuple[pd.DataFrame, str]:
    """Values of one indicator across regions for one year (the given one, else the best covered)."""
    rows = _without_totals([t for t in targets if t.indicator == indicator])
    if not year:
        by_year = Counter(t.year for t in rows if t.year)
        # Prefer the year that covers most regions; ties go to the later year.
        year = max(by_year, key=lambda y: (len({_series(t) for t in rows if t.year == y}), y)) if by_year else ""
    seen: set[str] = set()
    out: list[tuple[str, float]] = []
    for t in rows:
        if year and t.year != year:
            continue
        s = _series(t)
        if s in seen:
            continue
        seen.add(s)
        out.append((s, t.value))
    return pd.DataFrame(out, columns=[L.COL_REGION, L.COL_VALUE]), year or ""


def example_questions(targets: Sequence[Target], k: int = 4) -> list[str]:
    """Questions the stored targets can answer, for officials to click; generic ones when the store is empty.

    Picks the most frequent short indicators that have a calendar year, so the examples follow
    whatever plans are ingested rather than any particular one.
    """
    counts: Counter[str] = Counter()
    year_of: dict[str, Counter[str]] = {}
    regions_of: dict[str, set[str]] = {}
    for t in targets:
        if not t.indicator or len(t.indicator) > _MAX_EXAMPLE_INDICATOR or not _YEAR.match(t.year):
            continue
        counts[t.indicator] += 1
        year_of.setdefault(t.indicator, Counter())[t.year] += 1
        if t.region:
            regions_of.setdefault(t.indicator, set()).add(t.region)
    multi = [name for name, _ in counts.most_common() if len(regions_of.get(name, ())) >= 3]
    singles = k - 1 if multi and k > 1 else k
    out: list[str] = []
    for name, _ in counts.most_common(singles):
        year = max(year_of[name].items(), key=lambda kv: (kv[1], kv[0]))[0]
        out.append(L.EXAMPLE_TARGET.format(year=year, indicator=_UNIT_SUFFIX.sub("", name)))
    if multi and len(out) < k:
        out.append(L.EXAMPLE_REGIONS.format(indicator=_UNIT_SUFFIX.sub("", multi[0])))
    for q in L.EXAMPLE_FALLBACK:
        if len(out) >= k:
            break
        if q not in out:
            out.append(q)
    return out[:k]

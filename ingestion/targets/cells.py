"""Targets in tables: every filled cell of a goal column of a table whose totals add up."""

from __future__ import annotations

import logging
import re

from ingestion.schema import ParsedDocument, Section, Table, Target
from ingestion.targets.common import is_past, issue_year, scope_of, section_path_at, target_id
from ingestion.text.numbers import Quantity, normalize_unit, parse_quantities
from ingestion.text.rules import alternation, rules

logger = logging.getLogger(__name__)

_TABLE_GOAL = re.compile(
    r"计划|目标|任务|新增|新建|改扩建|扩建|改造|建成|达到|达|培养|培训|招录|累计|完成|配备|编制|建设"
)
_TABLE_STATUS = re.compile(r"^(?:现有|现状|常住|户籍|人口|基数|面积现状)")
_YEAR_IN = re.compile(r"((?:19|20)\d{2})\s*年")
_PERIOD_IN = re.compile(r"((?:19|20)\d{2})\s*[—–\-~至]\s*((?:19|20)\d{2})")
_UNIT_IN_HEADER = re.compile(r"[（(]([^（）()]{1,6})[）)]")
_CELL_HEAD = re.compile(r"^\s*[-+]?\d+(?:\.\d+)?(?:\s*[%‰])?(?:\s*[-—–~至]\s*\d+(?:\.\d+)?(?:\s*[%‰])?)?")


def _header_unit(header: str) -> str:
    units = [u for u in _UNIT_IN_HEADER.findall(header) if len(u) <= 3]
    if units:
        u = units[-1].replace("㎡", "平米")
        return normalize_unit(u)
    if re.search(r"[%％]\s*$", header) or re.search(r"[%％]", header):
        return "%"
    if "‰" in header:
        return "‰"
    return ""


def _column_year(col: str, table: Table, label: str) -> tuple[str, bool]:
    """Year of a cell from its column header, row label or table title; and whether it is a goal column."""
    parts = col.split("/")
    ys = _YEAR_IN.findall(parts[-1]) if parts else []
    if ys:
        return ys[0], True
    if parts[-1] in {"小计", "合计", "总计"}:
        group = "/".join(parts[:-1])
        years = sorted(
            {y for c in table.columns if c.startswith(group + "/") for y in _YEAR_IN.findall(c.split("/")[-1])}
        )
        if years:
            return f"{years[0]}-{years[-1]}", True
    period = _PERIOD_IN.search(table.title)
    ly = _YEAR_IN.findall(label)
    if ly:
        return ly[0], True
    return (f"{period.group(1)}-{period.group(2)}" if period else ""), False


def table_targets(doc: ParsedDocument, table: Table, sections: list[Section]) -> list[Target]:
    """The target rows of one table: every filled cell of a goal column (none if totals fail)."""
    if table.kind == "indicators":
        return indicator_targets(doc, table, sections)
    if table.totals_ok is False:
        logger.warning("table %r failed its totals check; its cells are not emitted as targets", table.title)
        return []
    any_year_col = any(_YEAR_IN.search(c.split("/")[-1]) for c in table.columns)
    out: list[Target] = []
    for row in table.rows:
        region = doc.meta.region if row.is_total else row.label
        if not row.is_total and _YEAR_IN.search(row.label):
            region = doc.meta.region
        for col, cell in zip(table.columns, row.cells, strict=False):
            if cell is None or not cell.strip() or cell.strip() in {"-", "—", "/", "－"}:
                continue
            year, dated = _column_year(col, table, row.label)
            head = col.split("/")[0]
            is_goal = dated or bool(_TABLE_GOAL.search(col)) or not any_year_col
            # A status-quo column (现有…数, 常住人口数): its cells are baselines of no year, never targets.
            status = bool(_TABLE_STATUS.match(head))
            if not is_goal and not status:
                continue
            if status:
                year = ""
            indicator = "/".join(p for p in col.split("/") if not _YEAR_IN.fullmatch(p) and p not in {"小计", "合计"})
            unit = _header_unit(col)
            for q in _cell_quantities(cell, unit):
                start, end = _locate(doc.text, row, q.text)
                if start < 0:
                    continue
                t = Target(
                    doc_id=doc.doc_id,
                    title=doc.meta.title,
                    source=doc.source,
                    region=region,
                    scope=scope_of(col) or scope_of(table.title),
                    indicator=indicator,
                    value=q.value,
                    value_max=q.value_max,
                    unit=q.unit or unit,
                    value_text=q.text,
                    comparator=q.comparator,  # type: ignore[arg-type]
                    year=year,
                    kind="baseline" if status else "table",
                    quote=doc.text[start:end],
                    start=start,
                    end=end,
                    section=section_path_at(sections, start) or " > ".join(table.section_path),
                    table_title=table.title,
                    row_label=row.label,
                    column_header=col,
                    page=doc.page_at(start),
                )
                t.target_id = target_id(doc.doc_id, "t", start, f"{col}|{q.text}", indicator, q.value)
                out.append(t)
    return out


def _cell_quantities(cell: str, unit: str) -> list[Quantity]:
    """Quantities of a table cell: a leading number or range, then any bounded extra (``最高不超18``)."""
    out: list[Quantity] = []
    m = _CELL_HEAD.match(cell)
    if m and m.group(0).strip():
        head = m.group(0).strip()
        qs = parse_quantities(head) or []
        for q in qs:
            out.append(Quantity(q.value, q.value_max, q.unit or unit, q.comparator, q.text, q.start, q.end))
        rest = cell[m.end() :]
        for q in parse_quantities(rest):
            out.append(Quantity(q.value, q.value_max, q.unit or unit, q.comparator, q.text, q.start, q.end))
    return out


def _locate(text: str, row: object, value_text: str) -> tuple[int, int]:
    """Offsets of a table row in the text (the row's own offsets when they hold, else a search)."""
    start = getattr(row, "start", -1)
    end = getattr(row, "end", -1)
    quote = getattr(row, "quote", "")
    if 0 <= start < end <= len(text) and text[start:end] == quote:
        return (start, end) if value_text in quote else (-1, -1)
    if quote:
        k = text.find(quote)
        if k >= 0 and value_text in quote:
            return k, k + len(quote)
    return -1, -1


# --------------------------------------------------------------------------------- indicator tables

_BRACKET_YEAR = re.compile(r"[（(]\s*((?:19|20)\d{2})\s*年?\s*[）)]")
_PER_UNIT = re.compile(r"^1?\s*(/\s*\d*\s*[万千百])$")


def _unit_of(text: str) -> str:
    """The unit a header or an indicator label names in brackets: ``(‰)``, ``(1/10万)``, ``（亿人）``."""
    for u in reversed(_UNIT_IN_HEADER.findall(text)):
        per = _PER_UNIT.match(u.strip())
        if per:
            return normalize_unit(per.group(1))
        if len(u.strip()) <= 3:
            return normalize_unit(u.replace("㎡", "平米"))
    return ""


def _change_words(before: str) -> str:
    """The words before a cell's number when they state a change (``每年提升``, ``较2022年下降``), else ''.

    Such a cell's number is a change of the indicator, not its level, so the words go with the indicator
    (tables.toml ``change_verbs``); ``提高到80%`` names a level and gives ''.
    """
    words = re.sub(r"\s+", "", before)
    if words and re.search(r"[\u3400-\u9fff]", words) and words.endswith(tuple(rules().change_verbs)):
        return words
    return ""


def _note_years(notes: str) -> tuple[dict[str, str], str]:
    """Marks explained under the table (``#为2020年目标值`` -> {"#": "2020"}) and the base year it names."""
    marks: dict[str, str] = {}
    pattern = alternation(sorted(rules().note_marks, key=len, reverse=True))
    for m in re.finditer(rf"({pattern})+\s*(?:为|是|表示)\s*((?:19|20)\d{{2}})\s*年", notes):
        marks[m.group(1)] = m.group(2)
    base = re.search(r"基(?:期|线)(?:水平|值|年)?(?:均)?(?:为|是)\s*((?:19|20)\d{2})\s*年", notes)
    return marks, (base.group(1) if base else "")


def indicator_targets(doc: ParsedDocument, table: Table, sections: list[Section]) -> list[Target]:
    """Rows of a main-indicator table: one per indicator and year column, the base level as ``baseline``.

    A year column (``2020年``, ``2030年目标值``) earlier than the plan's issue year, and a base-level column
    (基期水平), give baselines; later year columns give table targets. A cell's own year in brackets
    (``89.6(2014年)``) or a note mark (``90#`` with ``#为2020年目标值``) sets its year; a base level without a
    year takes the base year a note names, else ''. A cell that states a change (``每年提升2%左右``,
    ``较2022年 下降3%``) keeps its change words with the indicator (``白鹭指数（每年提升）``). The 属性 column
    is kept on every row of its indicator; the unit comes from the column header, else the indicator's
    brackets, else a unit column.
    """
    r = rules()
    issued = issue_year(doc)
    marks, base_year = _note_years(table.notes)
    attr_col = next((i for i, c in enumerate(table.columns) if c in r.attribute_headers), None)
    unit_col = next((i for i, c in enumerate(table.columns) if c in r.unit_headers), None)
    out: list[Target] = []
    for row in table.rows:
        attribute = ""
        if attr_col is not None and row.cells[attr_col]:
            attribute = next((v for v in r.attribute_values if v in (row.cells[attr_col] or "")), "")
        row_unit = _unit_of(row.label) or normalize_unit((row.cells[unit_col] or "") if unit_col is not None else "")
        for ci, (col, cell) in enumerate(zip(table.columns, row.cells, strict=False)):
            if cell is None or ci in (attr_col, unit_col):
                continue
            col_year = _YEAR_IN.search(col)
            is_base = col in r.baseline_headers
            if not is_base and col_year is None:
                continue
            year = col_year.group(1) if col_year else base_year
            own = _BRACKET_YEAR.search(cell)
            if own:
                year = own.group(1)
            value_cell = _BRACKET_YEAR.sub("", cell)
            for mark, mark_year in marks.items():
                if mark in value_cell:
                    year = mark_year
            kind = "baseline" if is_base or is_past(year, issued) else "table"
            unit = _unit_of(col) or row_unit
            for q in parse_quantities(value_cell)[:1]:
                start, end = row.start, row.end
                if not (0 <= start < end <= len(doc.text)) or q.text not in doc.text[start:end]:
                    continue
                change = _change_words(value_cell[: q.start])
                t = Target(
                    doc_id=doc.doc_id,
                    title=doc.meta.title,
                    source=doc.source,
                    region=doc.meta.region,
                    indicator=f"{row.label}（{change}）" if change else row.label,
                    value=q.value,
                    value_max=q.value_max,
                    unit=q.unit or unit,
                    value_text=q.text,
                    comparator=q.comparator,  # type: ignore[arg-type]
                    year=year,
                    kind=kind,  # type: ignore[arg-type]
                    attribute=attribute,
                    quote=doc.text[start:end],
                    start=start,
                    end=end,
                    section=section_path_at(sections, start) or " > ".join(table.section_path),
                    table_title=table.title,
                    row_label=row.label,
                    column_header=col,
                    page=doc.page_at(start),
                )
                t.target_id = target_id(doc.doc_id, "i", start, f"{col}|{q.text}", row.label, q.value)
                out.append(t)
    return out

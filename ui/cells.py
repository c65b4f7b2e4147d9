"""Citations of table rows shown as cells under their column headers, with the whole row one click away.

A table row's quote is a bare run of numbers (``某县 21 24 23 25``): the reader cannot tell which
number is which year or indicator. The target rows extracted from that table row know it (region,
column header, value), so a citation resting on a table cell names the cell
(``某县 · 培养全科医生数（人） 2025年：25``) and opens to every stored cell of the same row.
"""

from __future__ import annotations

from assistant.schema import Answer, Citation
from assistant.service import Assistant
from ingestion.schema import Target
from ingestion.text.errors import PolicyAssistantError
from ui import labels as L
from ui.render import neutralize

# Cells shown when a row is opened (a wide table's row is still short enough to read).
MAX_ROW_CELLS = 60


def is_table_cell(t: Target | None) -> bool:
    """Whether a target row was read from a cell of a table (it has a column header)."""
    return t is not None and t.kind in ("table", "baseline") and bool(t.column_header)


def cell_label(t: Target) -> str:
    """``row · column header：value`` of one table cell (the column path's parts joined by a space)."""
    row = t.row_label.strip() or t.region or L.WHOLE_REGION
    header = " ".join(p.strip() for p in t.column_header.split("/") if p.strip()) or t.indicator
    return L.CELL_LABEL.format(row=row, header=header, value=_value(t))


def same_row(t: Target, candidates: list[Target]) -> list[Target]:
    """Every cell of ``t``'s table row among ``candidates`` (same document, table and row), in column order."""
    cells = [
        c
        for c in candidates
        if c.doc_id == t.doc_id
        and is_table_cell(c)
        and c.table_title == t.table_title
        and c.row_label == t.row_label
        and c.quote == t.quote
    ]
    seen: set[str] = set()
    out: list[Target] = []
    for c in sorted(cells, key=lambda c: (c.start, c.end)):
        key = f"{c.column_header}|{c.value_text}"
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out[:MAX_ROW_CELLS] if out else [t]


def table_rows(assistant: Assistant, answer: Answer) -> dict[int, list[Target]]:
    """For each citation of a table cell in ``answer``: the cell first, then its whole row."""
    by_id = {t.target_id: t for t in answer.targets if t.target_id}
    per_doc: dict[str, list[Target]] = {}
    out: dict[int, list[Target]] = {}
    for c in answer.citations:
        t = by_id.get(c.target_id or "")
        if t is None or not is_table_cell(t):
            continue
        if t.doc_id not in per_doc:
            try:
                per_doc[t.doc_id] = assistant.targets(doc_id=t.doc_id)
            except PolicyAssistantError:
                per_doc[t.doc_id] = []
        out[c.n] = [t, *(x for x in same_row(t, per_doc[t.doc_id]) if x.target_id != t.target_id)]
    return out


def render_cells(c: Citation, row: list[Target]) -> str:
    """The cited cell with its header, and a ``<details>`` holding the whole row (header：value per line)."""
    if not row:
        return ""
    cell, *rest = row
    out = [f'<div class="pa-cell">{neutralize(cell_label(cell))}</div>']
    if rest:
        lines = "".join(
            f'<tr><th scope="row">{neutralize(_header(x))}</th><td>{neutralize(_value(x))}</td></tr>'
            for x in sorted([cell, *rest], key=lambda x: (x.start, x.column_header))
        )
        title = L.ROW_OPEN.format(row=cell.row_label.strip() or cell.region, n=len(rest) + 1)
        out.append(
            f'<details class="pa-row" data-n="{c.n}"><summary>{neutralize(title)}</summary>'
            f'<div class="pa-table-wrap"><table class="pa-table pa-row-table"><tbody>{lines}</tbody></table></div>'
            "</details>"
        )
    return "".join(out)


def _header(t: Target) -> str:
    return " ".join(p.strip() for p in t.column_header.split("/") if p.strip()) or t.indicator


def _value(t: Target) -> str:
    return t.value_text or f"{t.value:g}"

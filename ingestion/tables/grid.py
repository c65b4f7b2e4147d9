"""Tables with real cells (DOCX/PDF grids), and the step every parser ends with: rows -> ``Table``."""

from __future__ import annotations

import logging

from ingestion.schema import Table, TableRow
from ingestion.tables.common import FoundTable, RowCells, is_value_row, squash_cell, total_label
from ingestion.tables.headers import flatten_headers
from ingestion.tables.totals import check_totals

logger = logging.getLogger(__name__)


def build_table(found: FoundTable, source: str) -> Table:
    """Turn header rows and body rows into a Table with flattened headers and a totals check."""
    rows = found.rows
    widths = [len(r.cells) - 1 for r in rows]
    ncols = max(set(widths), key=widths.count) if widths else 0
    warnings = list(found.warnings)
    if any(w != ncols for w in widths):
        warnings.append(f"各行列数不一致（{sorted(set(widths))}），按{ncols}列处理")
    if found.columns is not None and len(found.columns) == ncols:
        label_header, columns = found.label_header, found.columns
    else:
        label_header, columns, w = flatten_headers(found.header_rows, ncols)
        warnings.extend(w)
    trows = []
    for r in rows:
        cells: list[str | None] = [c.strip() if c and c.strip() else None for c in r.cells[1:]]
        cells = (cells + [None] * ncols)[:ncols]
        label = squash_cell(r.cells[0])
        trows.append(
            TableRow(
                label=label,
                cells=cells,
                quote=r.quote,
                start=r.start,
                end=r.end,
                is_total=bool(total_label().match(label)),
            )
        )
    ok, bad = check_totals(trows, ncols)
    title = found.title
    if ok is False:
        warnings.append(f"表“{title or label_header}”合计核对不通过：" + "；".join(bad))
        logger.warning("table %r does not add up: %s", title, bad)
    return Table(
        title=title,
        label_header=label_header,
        columns=columns,
        rows=trows,
        start=found.start,
        end=found.end,
        header_quote=found.header_quote,
        totals_ok=ok,
        warnings=warnings,
        source="text" if source == "text" else ("pdf" if source == "pdf" else "docx"),
    )


def table_from_grid(rows: list[list[str | None]], title: str = "", source: str = "docx") -> Table:
    """Parse a table that arrived with real cells (DOCX/PDF): header rows, flattened columns, totals check.

    Offsets are left at -1; the pipeline sets them by finding each row's tab-joined line in the text.
    Each row's quote is its cells joined by tabs (empty cells as empty strings), as the readers render it.
    """
    grid = [[("" if c is None else str(c)) for c in r] for r in rows if r and any(c for c in r)]
    n_head = 0
    while n_head < len(grid) and not is_value_row(grid[n_head]):
        n_head += 1
    body = [RowCells(cells=r, quote="\t".join(r), start=-1, end=-1) for r in grid[n_head:]]
    found = FoundTable(header_rows=grid[:n_head], rows=body, start=-1, end=-1, header_quote="", title=title)
    if n_head == len(grid):
        found.warnings.append("未找到数据行")
    return build_table(found, source)



"""Indicator tables written one row per line with tab-joined cells, under a header row of column names.

```
序号	指标名称	单位	2023年	2025年	2027年	牵头单位
1	白鹭指数	%	61.2	≥65	≥70	市卫健局
```

This is the form the cleaner gives a table a web page renders one cell per line with a delimiter after
each cell (``cleaning.delimited_rows``), and the form of a DOCX/PDF indicator table rendered in text.
The first row is the header; it names an indicator column (``tables.toml`` ``indicator_headers``) and
at least one year or base-level column. The row label is the cell under the indicator header; the
columns are the other headers except the grouping ones (序号, 领域), so a unit column (单位), a lead-unit
column (牵头单位) and an attribute column (属性) stay with their cells. The result is a
:class:`ingestion.schema.Table` of kind ``indicators``, read by the same target extraction as keyed and
stacked records.
"""

from __future__ import annotations

import re

from ingestion.schema import Table, TableRow
from ingestion.tables.common import Line, split_lines
from ingestion.tables.keyed import _notes_below
from ingestion.text.rules import rules

_YEAR_COL = re.compile(r"(?:19|20)\d{2}\s*年")
_MAX_TITLE = 40


def find_indicator_rows(text: str) -> list[Table]:
    """Every tab-row indicator table in ``text`` (see module docstring), in text order."""
    lines = split_lines(text)
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        if "\t" not in lines[i].text:
            i += 1
            continue
        j = i
        while j < len(lines) and "\t" in lines[j].text:
            j += 1
        table = _table(text, lines, i, j)
        if table is not None:
            tables.append(table)
        i = j
    return tables


def _table(text: str, lines: list[Line], first: int, stop: int) -> Table | None:
    r = rules()
    header = [c.strip() for c in lines[first].text.split("\t")]
    label_col = next((c for c, h in enumerate(header) if h in r.indicator_headers), None)
    dated = any(_YEAR_COL.search(h) or h in r.baseline_headers for h in header)
    if label_col is None or not dated or stop - first < 2:
        return None
    kept = [c for c, h in enumerate(header) if c != label_col and h not in r.group_headers]
    rows: list[TableRow] = []
    for line in lines[first + 1 : stop]:
        cells = [c.strip() for c in line.text.split("\t")]
        if len(cells) != len(header) or not cells[label_col]:
            continue  # not a row of this header
        rows.append(
            TableRow(
                label=cells[label_col],
                cells=[cells[c] or None for c in kept],
                quote=line.text,
                start=line.start,
                end=line.end,
            )
        )
    if not rows:
        return None
    start = lines[first].start
    return Table(
        title=_title(lines, first),
        label_header=header[label_col],
        columns=[header[c] for c in kept],
        rows=rows,
        start=start,
        end=rows[-1].end,
        header_quote=lines[first].text,
        kind="indicators",
        notes=_notes_below(text, rows[-1].end),
    )


def _title(lines: list[Line], first: int) -> str:
    """Up to two short lines right above the header (a title wrapped before its bracketed period)."""
    parts: list[str] = []
    k = first - 1
    while k >= 0 and len(parts) < 2:
        s = lines[k].text.strip()
        if not s or "\t" in lines[k].text or len(s) > _MAX_TITLE or re.search(r"[。；，：:]", s):
            break
        if re.fullmatch(r"(?:19|20)\d{2}年\d{1,2}月\d{1,2}日", s):
            break  # the date line of a cover letter above the table
        parts.insert(0, s)
        k -= 1
    return "".join(parts)

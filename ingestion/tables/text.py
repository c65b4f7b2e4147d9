"""Tables flattened into cleaned text: space rows, one cell per line (tabs), or tab-joined rows."""

from __future__ import annotations

import re

from ingestion.cleaning import is_heading, is_space_table_row, split_space_row
from ingestion.schema import Table, TableRow
from ingestion.tables.common import FoundTable, Line, RowCells, is_value_row, split_lines, total_label
from ingestion.tables.grid import build_table
from ingestion.tables.headers import space_header
from ingestion.tables.indicator_rows import find_indicator_rows
from ingestion.tables.keyed import find_keyed_tables
from ingestion.tables.stacked import find_stacked_tables
from ingestion.tables.totals import check_totals, solve_placement


def _title_before(lines: list[Line], idx: int) -> str:
    """A table's title: up to two short lines right above its header (an ``附件：`` prefix dropped)."""
    parts: list[str] = []
    j = idx - 1
    while j >= 0 and len(parts) < 2:
        s = lines[j].text.strip()
        j -= 1
        if not s:
            continue
        if "\t" in lines[j + 1].text or is_space_table_row(lines[j + 1].text) or len(s) > 60:
            break
        if re.search(r"[。；]$", s):
            break
        m = re.match(r"^附\s*件\s*[0-9一二三四五六七八九十]*\s*[：:]?\s*(?:\d+\s*[．.、])?\s*(.*)$", s)
        if m:
            if m.group(1):
                parts.insert(0, m.group(1))
            break
        if parts and re.search(r"[）)表值]$", s):
            break
        if is_heading(s) and not parts:
            break
        parts.insert(0, s)
    return "".join(parts)


def _tab_cell_tables(text: str, lines: list[Line]) -> list[FoundTable]:
    """Tables written one cell per line (each starting with a tab), rows separated by blank lines."""
    found: list[FoundTable] = []
    i = 0
    n = len(lines)

    def is_cell_line(t: str) -> bool:
        return t.lstrip(" ").startswith("\t") and t.count("\t") == 1

    while i < n:
        if not is_cell_line(lines[i].text):
            i += 1
            continue
        first = i
        blocks: list[list[Line]] = []
        cur: list[Line] = []
        while i < n:
            t = lines[i].text
            if is_cell_line(t):
                cur.append(lines[i])
            elif t.strip() and cur:
                cur.append(lines[i])  # a wrapped cell continues
            elif not t.strip():
                if cur:
                    blocks.append(cur)
                    cur = []
                # A table continues only if the next non-blank line is a cell line.
                k = i + 1
                while k < n and not lines[k].text.strip():
                    k += 1
                if k >= n or not is_cell_line(lines[k].text):
                    break
            else:
                break
            i += 1
        if cur:
            blocks.append(cur)
        rows: list[RowCells] = []
        for b in blocks:
            cells: list[str] = []
            for ln in b:
                if is_cell_line(ln.text):
                    cells.append(ln.text.split("\t", 1)[1])
                else:
                    cells[-1] += ln.text.strip()
            quote = text[b[0].start : b[-1].end]
            rows.append(RowCells(cells=cells, quote=quote, start=b[0].start, end=b[-1].end))
        n_head = 0
        while n_head < len(rows) and not is_value_row(rows[n_head].cells):
            n_head += 1
        if n_head < len(rows) and len(rows) >= 1:
            head = rows[:n_head]
            header_quote = text[head[0].start : head[-1].end] if head else ""
            found.append(
                FoundTable(
                    header_rows=[r.cells for r in head],
                    rows=rows[n_head:],
                    start=lines[first].start,
                    end=rows[-1].end,
                    header_quote=header_quote,
                    title=_title_before(lines, first),
                )
            )
        i = max(i, first + 1)
    return found


def _tab_row_tables(text: str, lines: list[Line]) -> list[FoundTable]:
    """Tables written one row per line with cells joined by tabs (DOCX/PDF reader output)."""
    found: list[FoundTable] = []
    i = 0
    n = len(lines)

    def is_row_line(t: str) -> bool:
        return t.count("\t") >= 1 and not (t.lstrip(" ").startswith("\t") and t.count("\t") == 1)

    while i < n:
        if not is_row_line(lines[i].text):
            i += 1
            continue
        first = i
        block: list[Line] = []
        while i < n and is_row_line(lines[i].text):
            block.append(lines[i])
            i += 1
        grid = [ln.text.split("\t") for ln in block]
        n_head = 0
        while n_head < len(grid) and not is_value_row(grid[n_head]):
            n_head += 1
        if n_head >= len(grid) or len(block) < 2:
            continue
        rows = [RowCells(cells=grid[k], quote=block[k].text, start=block[k].start, end=block[k].end)
                for k in range(n_head, len(block))]  # fmt: skip
        found.append(
            FoundTable(
                header_rows=grid[:n_head],
                rows=rows,
                start=lines[first].start,
                end=block[-1].end,
                header_quote=text[block[0].start : block[n_head - 1].end] if n_head else "",
                title=_title_before(lines, first),
            )
        )
    return found


def _space_tables(text: str, lines: list[Line]) -> list[FoundTable]:
    """Tables written one row per line with space-separated cells."""
    found: list[FoundTable] = []
    i = 0
    n = len(lines)
    while i < n:
        if not is_space_table_row(lines[i].text):
            i += 1
            continue
        block: list[Line] = []
        while i < n and (is_space_table_row(lines[i].text, 1 if block else 3) or not lines[i].text.strip()):
            if is_heading(lines[i].text):
                break
            if lines[i].text.strip():
                block.append(lines[i])
                i += 1
                parts = split_space_row(block[-1].text)
                if parts and total_label().match(parts[0]):
                    break  # a table ends with its total row
                continue
            i += 1
        if len(block) < 2:
            continue
        # Header: lines above the first row up to the title (a 附件 line, a sentence or a blank gap).
        first = lines.index(block[0])
        h = first - 1
        header_lines: list[Line] = []
        while h >= 0:
            s = lines[h].text.strip()
            if not s:
                h -= 1
                continue
            if "\t" in lines[h].text or is_space_table_row(lines[h].text) or re.search(r"[。；]$", s):
                break
            if re.match(r"^附\s*件", s) or (re.search(r"(?:表|目标值)(?:（[^）]*）)?$", s) and len(s) > 6):
                break
            header_lines.insert(0, lines[h])
            h -= 1
        title = _title_before(lines, lines.index(header_lines[0])) if header_lines else ""
        parsed = [split_space_row(b.text) for b in block]
        raw_rows: list[list[str]] = []
        for p in parsed:
            assert p is not None
            cells = list(p[1])
            if cells and cells[-1] == "":
                cells = cells[:-1]  # the line's trailing space
            raw_rows.append(cells)
        labels = [p[0] for p in parsed if p is not None]
        lens = [len(r) for r in raw_rows]
        total_idx = next((k for k, lab in enumerate(labels) if total_label().match(lab)), None)
        ncols = lens[total_idx] if total_idx is not None else max(set(lens), key=lens.count)
        warnings: list[str] = []
        rows_cells = [(r + [""] * ncols)[:ncols] if len(r) <= ncols else r for r in raw_rows]
        if total_idx is not None:
            trial = [
                TableRow(label=lab, cells=[c or None for c in r], quote="", is_total=k == total_idx)
                for k, (lab, r) in enumerate(zip(labels, rows_cells, strict=True))
            ]
            ok, _ = check_totals(trial, ncols)
            if not ok or any(len(r) != ncols for r in raw_rows):
                body = [r for k, r in enumerate(raw_rows) if k != total_idx]
                solved = solve_placement(body, raw_rows[total_idx], ncols)
                if solved is not None:
                    it = iter(solved)
                    rows_cells = [raw_rows[k] if k == total_idx else next(it) for k in range(len(raw_rows))]
                    warnings.append("空格位置与合计不符，已按合计重新放置空单元格")
        label_header, columns, hw = space_header(header_lines, ncols)
        warnings.extend(hw)
        rows = []
        for b, lab, cells in zip(block, labels, rows_cells, strict=True):
            quote = b.text.rstrip()
            rows.append(RowCells(cells=[lab, *cells], quote=quote, start=b.start, end=b.start + len(quote)))
        start = header_lines[0].start if header_lines else block[0].start
        header_quote = text[header_lines[0].start : header_lines[-1].end] if header_lines else ""
        found.append(
            FoundTable(
                header_rows=[],
                rows=rows,
                start=start,
                end=rows[-1].end,
                header_quote=header_quote,
                title=title,
                columns=columns,
                label_header=label_header,
                warnings=warnings,
            )
        )
    return found


def find_tables(text: str) -> list[Table]:
    """Find and parse the flattened tables in cleaned text (see module docstring), in text order."""
    lines = split_lines(text)
    found = _space_tables(text, lines) + _tab_cell_tables(text, lines) + _tab_row_tables(text, lines)
    found.sort(key=lambda f: f.start)
    keyed = find_keyed_tables(text)
    keyed += [s for s in find_indicator_rows(text) if not any(s.start < k.end and k.start < s.end for k in keyed)]
    keyed += [s for s in find_stacked_tables(text) if not any(s.start < k.end and k.start < s.end for k in keyed)]
    built = [build_table(f, "text") for f in found]
    built = [t for t in built if not any(t.start < k.end and k.start < t.end for k in keyed)]
    return sorted(built + keyed, key=lambda t: t.start)

"""Find and parse tables: flattened ones in cleaned text, and real grids from DOCX/PDF readers.

Shapes handled by :func:`find_tables`:

- **Space rows**: one row per line, a Chinese label then numeric cells separated by one space, where each
  extra space is an empty cell (``连云区 9 16.14 5 3  1 2 26567``). The header above the rows is a heap of
  wrapped fragments; it is rebuilt as level-1 cells (fragments merged while a bracket is open or while the
  next fragment is only a bracketed unit such as ``（万人）``) and sub-labels (years, 小计, 合计).
  Sub-labels belong to the last level-1 cells that do not run on into the sub-label line (a cell that
  continues there spans both header rows, so it has no sub-columns).
- **Tab cells**: one cell per line starting with a tab, rows separated by blank lines, a line without a tab
  continuing the cell above (a wrapped cell). Header rows are the leading rows whose cells are not values.
- **Tab rows**: one row per line with cells joined by tabs (what the DOCX/PDF readers render).

Header levels are combined into one flattened header per data column, levels joined by "/"
(``培养全科医生数（人）/2023年``). An upper header cell is spread over the row below: an empty cell below
means the upper cell spans down (one column); runs of filled cells below are split into groups, by year
restarts when that gives the right count, else evenly.

The ``合计``/``总计`` row is the check: every column must add up to its total cell (to the total's decimals;
"-" counts as 0). For space rows whose empty cells cannot be placed by their spaces, the placement that
makes every column add up is searched for. A table that does not add up gets ``totals_ok=False`` and a
warning; a table without a total row gets ``totals_ok=None``.
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
from dataclasses import dataclass, field

from ingestion.cleaning import is_heading, is_space_table_row, split_space_row
from ingestion.schema import Table, TableRow
from ingestion.text.normalize import remove_spaces
from ingestion.text.numbers import parse_number
from ingestion.text.rules import rules

logger = logging.getLogger(__name__)

_YEAR = re.compile(r"^((?:19|20)\d{2})\s*年?(?:度)?$")
_SUBLABEL = re.compile(r"^(?:(?:19|20)\d{2}\s*年?(?:度)?|小计|合计|总计)$")
_VALUE = re.compile(r"^\s*(?:[-+]?\d|[-—–－/／]\s*$|$)")
_SEARCH_LIMIT = 200_000


@dataclass
class _Row:
    cells: list[str]  # first cell is the label
    quote: str
    start: int
    end: int


@dataclass
class _Found:
    header_rows: list[list[str]]
    rows: list[_Row]
    start: int
    end: int
    header_quote: str
    title: str
    columns: list[str] | None = None
    label_header: str = ""
    warnings: list[str] = field(default_factory=list)


def _num(cell: str | None) -> float | None:
    if cell is None:
        return 0.0
    s = cell.strip()
    if s in {"", "-", "—", "–", "－", "/", "／"}:
        return 0.0
    return parse_number(s)


def _decimals(s: str) -> int:
    m = re.search(r"\.(\d+)", s)
    return len(m.group(1)) if m else 0


def _squash(s: str) -> str:
    return remove_spaces(s)


@functools.cache
def _total_label() -> re.Pattern[str]:
    """A whole cell that labels the total row (合计, 总 计 ...; ingestion/text/rules/scope.toml)."""
    return re.compile(rf"^\s*(?:{rules().total_label_pattern()})\s*$")


# --- totals ------------------------------------------------------------------------------------------


def check_totals(rows: list[TableRow], ncols: int) -> tuple[bool | None, list[str]]:
    """Check every column against the total row: (ok or None without a total row, failing-column notes)."""
    totals = [r for r in rows if r.is_total]
    if not totals:
        return None, []
    total = totals[-1]
    body = [r for r in rows if not r.is_total]
    bad: list[str] = []
    for c in range(ncols):
        tcell = total.cells[c] if c < len(total.cells) else None
        tval = _num(tcell)
        if tval is None:
            bad.append(f"列{c + 1}: 合计“{tcell}”不是数字")
            continue
        s = 0.0
        for r in body:
            v = _num(r.cells[c]) if c < len(r.cells) else 0.0
            if v is None:
                bad.append(f"列{c + 1}: “{r.label}”的值“{r.cells[c]}”不是数字")
                break
            s += v
        else:
            tol = 0.5 * 10 ** (-_decimals(tcell or "0")) + 1e-9
            if abs(s - tval) > tol:
                bad.append(f"列{c + 1}: 各行之和 {round(s, 6):g} ≠ 合计 {tval:g}")
    return not bad, bad


# --- header spreading --------------------------------------------------------------------------------


def _year_runs(cells: list[str]) -> list[list[int]]:
    """Split a run of sub-labels into groups where the years start again (小计 opens, 合计 closes a group)."""
    groups: list[list[int]] = []
    last_year: int | None = None
    for i, c in enumerate(cells):
        s = _squash(c)
        m = _YEAR.match(s)
        if m:
            y = int(m.group(1))
            if (last_year is None or y <= last_year) and not (groups and last_year is None and groups[-1]):
                groups.append([])
            last_year = y
            groups[-1].append(i)
        elif s in {"小计"}:
            groups.append([i])
            last_year = None
        elif groups:
            groups[-1].append(i)
            if s in {"合计", "总计"}:
                last_year = 10**6  # a group closed: the next year opens a new one
        else:
            groups.append([i])
    return groups


def _spread(upper: list[str], lower: list[str]) -> list[tuple[int, int]] | None:
    """Column ranges (start, end) in ``lower`` that each cell of ``upper`` covers, or None if unclear."""
    n_up = len(upper)
    empties = sum(1 for c in lower if not c.strip())
    runs: list[tuple[int, int]] = []  # maximal runs of filled lower cells
    i = 0
    while i < len(lower):
        if lower[i].strip():
            j = i
            while j + 1 < len(lower) and lower[j + 1].strip():
                j += 1
            runs.append((i, j + 1))
            i = j + 1
        else:
            i += 1
    groups_needed = n_up - empties
    if groups_needed < len(runs) or (runs and groups_needed <= 0):
        return None
    # Split runs into groups: by year restarts if that gives the count, else uniform group size.
    split: dict[int, list[tuple[int, int]]] = {}
    by_year: list[list[tuple[int, int]]] = []
    for a, b in runs:
        g = _year_runs(lower[a:b])
        by_year.append([(a + grp[0], a + grp[-1] + 1) for grp in g])
    if sum(len(g) for g in by_year) == groups_needed:
        for k, (a, _b) in enumerate(runs):
            split[a] = by_year[k]
    else:
        sizes = [b - a for a, b in runs]
        found = False
        for size in range(1, max(sizes, default=1) + 1):
            if all(s % size == 0 for s in sizes) and sum(s // size for s in sizes) == groups_needed:
                for a, b in runs:
                    split[a] = [(x, x + size) for x in range(a, b, size)]
                found = True
                break
        if not found:
            return None
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(lower):
        if lower[i].strip():
            spans.extend(split[i])
            i = split[i][-1][1]
        else:
            spans.append((i, i + 1))
            i += 1
    return spans if len(spans) == n_up else None


def flatten_headers(header_rows: list[list[str]], ncols: int) -> tuple[str, list[str], list[str]]:
    """Combine header rows (each with the label column first) into (label_header, columns, warnings)."""
    warnings: list[str] = []
    rows = [[_squash(c) for c in r] for r in header_rows if r]
    if not rows:
        return "", [f"列{i + 1}" for i in range(ncols)], ["表头缺失"]
    label_header = next((r[0] for r in rows if r and r[0]), "")
    data_rows = [r[1:] for r in rows]
    # Full-width rows (DOCX grids with merged cells repeated): stack texts per column, dropping repeats.
    if all(len(r) == ncols for r in data_rows):
        cols = []
        for c in range(ncols):
            parts: list[str] = []
            for r in data_rows:
                if r[c] and (not parts or parts[-1] != r[c]):
                    parts.append(r[c])
            cols.append("/".join(parts) or f"列{c + 1}")
        return label_header, cols, warnings
    bottom = data_rows[-1]
    if len(bottom) != ncols:
        warnings.append(f"表头末行有{len(bottom)}格，数据有{ncols}列，列名无法对齐")
        return label_header, [f"列{i + 1}" for i in range(ncols)], warnings
    # paths[c] = header texts from the bottom up; units = (start, end) per cell of the current level.
    paths: list[list[str]] = [[bottom[c]] if bottom[c] else [] for c in range(ncols)]
    level_cells = bottom
    level_spans = [(c, c + 1) for c in range(ncols)]
    for upper in reversed(data_rows[:-1]):
        spread = _spread(upper, level_cells)
        if spread is None:
            warnings.append("多级表头无法对齐，已只用末级表头")
            break
        new_spans = []
        for k, (a, b) in enumerate(spread):
            cs, ce = level_spans[a][0], level_spans[b - 1][1]
            new_spans.append((cs, ce))
            if upper[k]:
                for c in range(cs, ce):
                    paths[c].insert(0, upper[k])
        level_cells, level_spans = upper, new_spans
    cols = ["/".join(p) if p else f"列{c + 1}" for c, p in enumerate(paths)]
    return label_header, cols, warnings


# --- grid tables (DOCX/PDF) ----------------------------------------------------------------------------


def _is_value_row(cells: list[str]) -> bool:
    data = [c for c in cells[1:] if c is not None]
    if not data:
        return False
    filled = [c for c in data if c.strip()]
    if not filled:
        return False
    if all(_SUBLABEL.match(_squash(c)) for c in filled):
        return False
    return all(_VALUE.match(c) for c in filled)


def _build(found: _Found, source: str) -> Table:
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
        label = _squash(r.cells[0])
        trows.append(
            TableRow(
                label=label,
                cells=cells,
                quote=r.quote,
                start=r.start,
                end=r.end,
                is_total=bool(_total_label().match(label)),
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
    while n_head < len(grid) and not _is_value_row(grid[n_head]):
        n_head += 1
    body = [_Row(cells=r, quote="\t".join(r), start=-1, end=-1) for r in grid[n_head:]]
    found = _Found(header_rows=grid[:n_head], rows=body, start=-1, end=-1, header_quote="", title=title)
    if n_head == len(grid):
        found.warnings.append("未找到数据行")
    return _build(found, source)


# --- text tables ---------------------------------------------------------------------------------------


@dataclass
class _Line:
    text: str
    start: int
    end: int


def _lines(text: str) -> list[_Line]:
    out = []
    pos = 0
    for raw in text.split("\n"):
        out.append(_Line(raw, pos, pos + len(raw)))
        pos += len(raw) + 1
    return out


def _title_before(lines: list[_Line], idx: int) -> str:
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


def _tab_cell_tables(text: str, lines: list[_Line]) -> list[_Found]:
    """Tables written one cell per line (each starting with a tab), rows separated by blank lines."""
    found: list[_Found] = []
    i = 0
    n = len(lines)

    def is_cell_line(t: str) -> bool:
        return t.lstrip(" ").startswith("\t") and t.count("\t") == 1

    while i < n:
        if not is_cell_line(lines[i].text):
            i += 1
            continue
        first = i
        blocks: list[list[_Line]] = []
        cur: list[_Line] = []
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
        rows: list[_Row] = []
        for b in blocks:
            cells: list[str] = []
            for ln in b:
                if is_cell_line(ln.text):
                    cells.append(ln.text.split("\t", 1)[1])
                else:
                    cells[-1] += ln.text.strip()
            quote = text[b[0].start : b[-1].end]
            rows.append(_Row(cells=cells, quote=quote, start=b[0].start, end=b[-1].end))
        n_head = 0
        while n_head < len(rows) and not _is_value_row(rows[n_head].cells):
            n_head += 1
        if n_head < len(rows) and len(rows) >= 1:
            head = rows[:n_head]
            header_quote = text[head[0].start : head[-1].end] if head else ""
            found.append(
                _Found(
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


def _tab_row_tables(text: str, lines: list[_Line]) -> list[_Found]:
    """Tables written one row per line with cells joined by tabs (DOCX/PDF reader output)."""
    found: list[_Found] = []
    i = 0
    n = len(lines)

    def is_row_line(t: str) -> bool:
        return t.count("\t") >= 1 and not (t.lstrip(" ").startswith("\t") and t.count("\t") == 1)

    while i < n:
        if not is_row_line(lines[i].text):
            i += 1
            continue
        first = i
        block: list[_Line] = []
        while i < n and is_row_line(lines[i].text):
            block.append(lines[i])
            i += 1
        grid = [ln.text.split("\t") for ln in block]
        n_head = 0
        while n_head < len(grid) and not _is_value_row(grid[n_head]):
            n_head += 1
        if n_head >= len(grid) or len(block) < 2:
            continue
        rows = [_Row(cells=grid[k], quote=block[k].text, start=block[k].start, end=block[k].end)
                for k in range(n_head, len(block))]  # fmt: skip
        found.append(
            _Found(
                header_rows=grid[:n_head],
                rows=rows,
                start=lines[first].start,
                end=block[-1].end,
                header_quote=text[block[0].start : block[n_head - 1].end] if n_head else "",
                title=_title_before(lines, first),
            )
        )
    return found


def _header_fragments(header_lines: list[_Line]) -> list[tuple[str, int]]:
    """Space-split header fragments with the index of the line they stand on; ``2023 年`` kept whole."""
    frags: list[tuple[str, int]] = []
    for k, ln in enumerate(header_lines):
        s = re.sub(r"((?:19|20)\d{2}) 年", r"\1年", ln.text.strip())
        for tok in s.split(" "):
            if tok:
                frags.append((tok, k))
    return frags


def _balance(s: str) -> int:
    return s.count("（") + s.count("(") - s.count("）") - s.count(")")


def _space_header(header_lines: list[_Line], ncols: int) -> tuple[str, list[str] | None, list[str]]:
    """Rebuild label header and flattened columns of a space-row table from its wrapped header lines."""
    frags = _header_fragments(header_lines)
    if not frags:
        return "", None, ["表头缺失"]
    first_sub = next((k for k, (t, _) in enumerate(frags) if _SUBLABEL.match(t)), len(frags))
    sub_line = frags[first_sub][1] if first_sub < len(frags) else None
    cells: list[list[object]] = []  # [text, last_line]
    for tok, ln in frags[:first_sub]:
        is_unit = bool(re.fullmatch(r"[（(][^（）()]{1,8}[）)]", tok))
        if cells and (_balance(str(cells[-1][0])) > 0 or is_unit):
            cells[-1][0] = str(cells[-1][0]) + tok
            cells[-1][1] = ln
        elif cells and len(cells) > 1 and not re.search(r"[）)]$", str(cells[-1][0])) and ln != cells[-1][1]:
            # A fragment on a new line continues a cell that has not closed with its unit yet.
            cells[-1][0] = str(cells[-1][0]) + tok
            cells[-1][1] = ln
        else:
            cells.append([tok, ln])
    # Fragments mixed into the sub-label line before/among sub-labels continue the last cell.
    subs: list[str] = []
    for tok, _ln in frags[first_sub:]:
        if _SUBLABEL.match(tok):
            subs.append(tok)
        elif cells and _balance(str(cells[-1][0])) > 0:
            cells[-1][0] = str(cells[-1][0]) + tok
        else:
            subs.append(tok)
    warnings: list[str] = []
    if not cells:
        return "", None, ["表头缺失"]
    label_header = str(cells[0][0])
    level1 = cells[1:]
    if not subs:
        if len(level1) == ncols:
            return label_header, [str(c[0]) for c in level1], warnings
        return label_header, None, [f"表头有{len(level1)}格，数据有{ncols}列"]
    n_plain = ncols - len(subs)
    n_group = len(level1) - n_plain
    if n_group <= 0 or n_plain < 0:
        return label_header, None, ["表头与数据列数对不上"]
    groups = _year_runs(subs)
    if len(groups) != n_group:
        if len(subs) % n_group:
            return label_header, None, ["子表头无法分组"]
        size = len(subs) // n_group
        groups = [list(range(k, k + size)) for k in range(0, len(subs), size)]
    # Cells continued on the sub-label line span both header rows: they have no sub-columns.
    eligible = [k for k, c in enumerate(level1) if c[1] != sub_line]
    if len(eligible) < n_group:
        return label_header, None, ["无法确定哪些表头带子列"]
    with_subs = set(eligible[-n_group:])
    cols: list[str] = []
    g = 0
    for k, c in enumerate(level1):
        if k in with_subs:
            cols.extend(f"{c[0]}/{subs[i]}" for i in groups[g])
            g += 1
        else:
            cols.append(str(c[0]))
    if len(cols) != ncols:
        return label_header, None, ["表头与数据列数对不上"]
    return label_header, cols, warnings


def _place(values: list[str], ncols: int) -> list[list[str]]:
    """All order-keeping placements of a row's filled cells into ncols columns (empty cells as "")."""
    k = len(values)
    out = []
    for pos in itertools.combinations(range(ncols), k):
        row = [""] * ncols
        for p, v in zip(pos, values, strict=True):
            row[p] = v
        out.append(row)
    return out


def _solve_placement(rows: list[list[str]], total: list[str], ncols: int) -> list[list[str]] | None:
    """Place the empty cells of rows so that every column adds up to ``total``; None if no way is found."""
    tvals = [_num(t) or 0.0 for t in total]
    fixed = [r for r in rows if sum(1 for c in r if c) == ncols]
    loose_idx = [i for i, r in enumerate(rows) if sum(1 for c in r if c) != ncols]
    base = [0.0] * ncols
    for r in fixed:
        for c in range(ncols):
            base[c] += _num(r[c]) or 0.0
    options = []
    for i in loose_idx:
        filled = [c for c in rows[i] if c]
        if len(filled) > ncols:
            return None
        cands = _place(filled, ncols)
        row = rows[i]

        def distance(cand: list[str], row: list[str] = row) -> int:
            return sum(1 for a, b in zip(cand, row, strict=False) if a != b)

        cands.sort(key=distance)
        options.append(cands)
    budget = [_SEARCH_LIMIT]
    choice: list[list[str]] = []

    def rec(k: int, sums: list[float]) -> bool:
        budget[0] -= 1
        if budget[0] < 0:
            return False
        if k == len(options):
            return all(abs(sums[c] - tvals[c]) < 1e-6 for c in range(ncols))
        for cand in options[k]:
            new = [sums[c] + (_num(cand[c]) or 0.0) for c in range(ncols)]
            if any(new[c] > tvals[c] + 1e-6 for c in range(ncols)):
                continue
            choice.append(cand)
            if rec(k + 1, new):
                return True
            choice.pop()
        return False

    if not rec(0, base):
        return None
    out = [list(r) for r in rows]
    for i, cand in zip(loose_idx, choice, strict=True):
        out[i] = cand
    return out


def _space_tables(text: str, lines: list[_Line]) -> list[_Found]:
    """Tables written one row per line with space-separated cells."""
    found: list[_Found] = []
    i = 0
    n = len(lines)
    while i < n:
        if not is_space_table_row(lines[i].text):
            i += 1
            continue
        block: list[_Line] = []
        while i < n and (is_space_table_row(lines[i].text, 1 if block else 3) or not lines[i].text.strip()):
            if is_heading(lines[i].text):
                break
            if lines[i].text.strip():
                block.append(lines[i])
                i += 1
                parts = split_space_row(block[-1].text)
                if parts and _total_label().match(parts[0]):
                    break  # a table ends with its total row
                continue
            i += 1
        if len(block) < 2:
            continue
        # Header: lines above the first row up to the title (a 附件 line, a sentence or a blank gap).
        first = lines.index(block[0])
        h = first - 1
        header_lines: list[_Line] = []
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
        total_idx = next((k for k, lab in enumerate(labels) if _total_label().match(lab)), None)
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
                solved = _solve_placement(body, raw_rows[total_idx], ncols)
                if solved is not None:
                    it = iter(solved)
                    rows_cells = [raw_rows[k] if k == total_idx else next(it) for k in range(len(raw_rows))]
                    warnings.append("空格位置与合计不符，已按合计重新放置空单元格")
        label_header, columns, hw = _space_header(header_lines, ncols)
        warnings.extend(hw)
        rows = []
        for b, lab, cells in zip(block, labels, rows_cells, strict=True):
            quote = b.text.rstrip()
            rows.append(_Row(cells=[lab, *cells], quote=quote, start=b.start, end=b.start + len(quote)))
        start = header_lines[0].start if header_lines else block[0].start
        header_quote = text[header_lines[0].start : header_lines[-1].end] if header_lines else ""
        found.append(
            _Found(
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
    lines = _lines(text)
    found = _space_tables(text, lines) + _tab_cell_tables(text, lines) + _tab_row_tables(text, lines)
    found.sort(key=lambda f: f.start)
    return [_build(f, "text") for f in found]

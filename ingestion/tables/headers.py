"""Header rows combined into one flattened header per data column, levels joined by "/".

``培养全科医生数（人）/2023年``: an upper header cell is spread over the row below (an empty cell
below means it spans down; runs of filled cells are split into groups, by year restarts when that
gives the right count, else evenly). Space-row tables rebuild their header from wrapped fragments.
"""

from __future__ import annotations

import re

from ingestion.tables.common import SUBLABEL, YEAR, Line, squash_cell


def year_runs(cells: list[str]) -> list[list[int]]:
    """Split a run of sub-labels into groups where the years start again (小计 opens, 合计 closes a group)."""
    groups: list[list[int]] = []
    last_year: int | None = None
    for i, c in enumerate(cells):
        s = squash_cell(c)
        m = YEAR.match(s)
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


def spread_over(upper: list[str], lower: list[str]) -> list[tuple[int, int]] | None:
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
        g = year_runs(lower[a:b])
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
    rows = [[squash_cell(c) for c in r] for r in header_rows if r]
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
        spread = spread_over(upper, level_cells)
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




def header_fragments(header_lines: list[Line]) -> list[tuple[str, int]]:
    """Space-split header fragments with the index of the line they stand on; ``2023 年`` kept whole."""
    frags: list[tuple[str, int]] = []
    for k, ln in enumerate(header_lines):
        s = re.sub(r"((?:19|20)\d{2}) 年", r"\1年", ln.text.strip())
        for tok in s.split(" "):
            if tok:
                frags.append((tok, k))
    return frags


def bracket_balance(s: str) -> int:
    """Open brackets minus closed ones: a header cell still open continues on the next fragment."""
    return s.count("（") + s.count("(") - s.count("）") - s.count(")")


def space_header(header_lines: list[Line], ncols: int) -> tuple[str, list[str] | None, list[str]]:
    """Rebuild label header and flattened columns of a space-row table from its wrapped header lines."""
    frags = header_fragments(header_lines)
    if not frags:
        return "", None, ["表头缺失"]
    first_sub = next((k for k, (t, _) in enumerate(frags) if SUBLABEL.match(t)), len(frags))
    sub_line = frags[first_sub][1] if first_sub < len(frags) else None
    cells: list[list[object]] = []  # [text, last_line]
    for tok, ln in frags[:first_sub]:
        is_unit = bool(re.fullmatch(r"[（(][^（）()]{1,8}[）)]", tok))
        if cells and (bracket_balance(str(cells[-1][0])) > 0 or is_unit):
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
        if SUBLABEL.match(tok):
            subs.append(tok)
        elif cells and bracket_balance(str(cells[-1][0])) > 0:
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
    groups = year_runs(subs)
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

"""The total row as a check: every column must add up to its 合计 cell; empty cells placed so that they do.

A flattened text row shows an empty cell only as an extra space, which is often lost; when the
spaces cannot place the empty cells, the placement that makes every column add up is searched for
(order-keeping, pruned as soon as a column overshoots its total, within a fixed budget).
"""

from __future__ import annotations

import itertools

from ingestion.schema import TableRow
from ingestion.tables.common import cell_value, decimals

# Placements tried before the search gives up (a table then keeps its spaces and fails its check).
SEARCH_LIMIT = 200_000


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
        tval = cell_value(tcell)
        if tval is None:
            bad.append(f"列{c + 1}: 合计“{tcell}”不是数字")
            continue
        s = 0.0
        for r in body:
            v = cell_value(r.cells[c]) if c < len(r.cells) else 0.0
            if v is None:
                bad.append(f"列{c + 1}: “{r.label}”的值“{r.cells[c]}”不是数字")
                break
            s += v
        else:
            tol = 0.5 * 10 ** (-decimals(tcell or "0")) + 1e-9
            if abs(s - tval) > tol:
                bad.append(f"列{c + 1}: 各行之和 {round(s, 6):g} ≠ 合计 {tval:g}")
    return not bad, bad




def placements(values: list[str], ncols: int) -> list[list[str]]:
    """All order-keeping placements of a row's filled cells into ncols columns (empty cells as "")."""
    k = len(values)
    out = []
    for pos in itertools.combinations(range(ncols), k):
        row = [""] * ncols
        for p, v in zip(pos, values, strict=True):
            row[p] = v
        out.append(row)
    return out


def solve_placement(rows: list[list[str]], total: list[str], ncols: int) -> list[list[str]] | None:
    """Place the empty cells of rows so that every column adds up to ``total``; None if no way is found."""
    tvals = [cell_value(t) or 0.0 for t in total]
    fixed = [r for r in rows if sum(1 for c in r if c) == ncols]
    loose_idx = [i for i, r in enumerate(rows) if sum(1 for c in r if c) != ncols]
    base = [0.0] * ncols
    for r in fixed:
        for c in range(ncols):
            base[c] += cell_value(r[c]) or 0.0
    options = []
    for i in loose_idx:
        filled = [c for c in rows[i] if c]
        if len(filled) > ncols:
            return None
        cands = placements(filled, ncols)
        row = rows[i]

        def distance(cand: list[str], row: list[str] = row) -> int:
            return sum(1 for a, b in zip(cand, row, strict=False) if a != b)

        cands.sort(key=distance)
        options.append(cands)
    budget = [SEARCH_LIMIT]
    choice: list[list[str]] = []

    def rec(k: int, sums: list[float]) -> bool:
        budget[0] -= 1
        if budget[0] < 0:
            return False
        if k == len(options):
            return all(abs(sums[c] - tvals[c]) < 1e-6 for c in range(ncols))
        for cand in options[k]:
            new = [sums[c] + (cell_value(cand[c]) or 0.0) for c in range(ncols)]
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

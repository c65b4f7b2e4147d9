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

from ingestion.tables.grid import table_from_grid
from ingestion.tables.headers import flatten_headers
from ingestion.tables.text import find_tables
from ingestion.tables.totals import check_totals

__all__ = ["check_totals", "find_tables", "flatten_headers", "table_from_grid"]

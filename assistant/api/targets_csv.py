"""Target rows as a CSV file an official opens in Excel: UTF-8 with a BOM, Chinese column headers.

Excel reads a CSV without a byte-order mark in the system's code page (GBK on a Chinese Windows), which
garbles UTF-8 Chinese; the BOM makes it read UTF-8. A text cell starting with ``=``, ``+``, ``-`` or ``@``
would be run as a formula, so such a cell gets a leading apostrophe (the OWASP advice for CSV exports).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable

from ingestion.schema import Target

BOM = "\ufeff"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
CSV_FILE_NAME = "targets.csv"

KIND_LABELS = {"narrative": "正文", "table": "表格", "baseline": "基期/现状"}

# (column header, how the cell is taken from a row), in the order of the file's columns.
COLUMNS: list[tuple[str, Callable[[Target], object]]] = [
    ("指标编号", lambda t: t.target_id),
    ("文件", lambda t: t.title or t.doc_id),
    ("地区", lambda t: t.region),
    ("范围", lambda t: t.scope),
    ("指标", lambda t: t.indicator),
    ("数值", lambda t: _number(t.value)),
    ("上限", lambda t: "" if t.value_max is None else _number(t.value_max)),
    ("单位", lambda t: t.unit),
    ("比较", lambda t: t.comparator),
    ("原文数值", lambda t: t.value_text),
    ("年份", lambda t: t.year),
    ("类型", lambda t: KIND_LABELS.get(t.kind, t.kind)),
    ("属性", lambda t: t.attribute),
    ("表格", lambda t: t.table_title),
    ("行", lambda t: t.row_label),
    ("列", lambda t: t.column_header),
    ("页码", lambda t: "" if t.page is None else t.page),
    ("原文", lambda t: t.quote),
    ("文件编号", lambda t: t.doc_id),
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _number(value: float) -> str:
    """``25`` for 25.0, ``3.5`` for 3.5: how the plan writes it, not ``25.0``."""
    return f"{value:g}" if abs(value) < 1e15 else str(value)


def _cell(value: object) -> object:
    """A cell safe to open in a spreadsheet: text that would start a formula is prefixed with ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def targets_csv(rows: Iterable[Target]) -> str:
    """The CSV text (BOM, header line, one line per row, CRLF line ends as Excel writes them)."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([name for name, _ in COLUMNS])
    for row in rows:
        writer.writerow([_cell(get(row)) for _, get in COLUMNS])
    return out.getvalue()

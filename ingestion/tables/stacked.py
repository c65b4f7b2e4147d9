"""Indicator tables written one cell per line: a web page or a Word table copied as text.

```
序号
指标
基期水平
2022年目标值
2030年目标值
指标性质
1
居民健康素养水平（%）
14.18
≥22
≥30
预期性
```

The header is a run of lines each of which is a header word of ``tables.toml`` (领域, 序号, 指标,
基期水平, 指标性质 …) or a year column (``2022年目标值``), with an indicator header and a year among
them. Each record then starts at a serial-number line; the next line is the indicator (a wrapped
indicator continues on the lines before its first value), then its value cells (a bare number is a
serial only when it is the next one). A record closes at an attribute word (预期性, 约束性, 倡导性), at
the next serial number, or, without an attribute column, once full. Group labels between records
(``（一）``, ``健康知识普及行动``, ``结果性指标``) and notes (``说明：…``) are skipped; a chapter heading
or a prose paragraph ends the table.

Cells are placed from the right: a record with fewer values than value columns lacks its leftmost ones,
the base level (a new indicator has a target but no base level; a target missing while the base level is
given would be a table no plan writes). A record with more values than columns is left out.

The result is a :class:`ingestion.schema.Table` of kind ``indicators``, like keyed records (``keyed.py``),
so the same target extraction reads both.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from ingestion.schema import Table, TableRow
from ingestion.tables.common import Line, split_lines
from ingestion.tables.keyed import _notes_below, _title_above
from ingestion.text.rules import rules

_SERIAL = re.compile(r"^\d{1,3}$")
_YEAR_KEY = re.compile(r"^(?:19|20)\d{2}\s*年(?:目标值|目标|预期值)?$")
_CHAPTER = re.compile(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十\d]+[章节部分])")
_NOTE = re.compile(r"^(?:注|说明|备注|计算方法|指标说明|数据来源)\s*[：:]")
_MAX_CELL = 24  # a value cell is short: ≥22, 14.18, 实现, 持续下降
_MAX_LABEL = 80
_MAX_GROUP = 30


@functools.cache
def _header_words() -> frozenset[str]:
    r = rules()
    return frozenset(
        {*r.indicator_headers, *r.group_headers, *r.baseline_headers, *r.attribute_headers, *r.unit_headers}
    )


def _is_header_cell(s: str) -> bool:
    return s in _header_words() or bool(_YEAR_KEY.match(s))


@dataclass
class _Record:
    serial: Line
    label: list[Line] = field(default_factory=list)
    values: list[Line] = field(default_factory=list)
    attribute: Line | None = None


def find_stacked_tables(text: str) -> list[Table]:
    """Every one-cell-per-line indicator table in ``text`` (see module docstring), in text order."""
    lines = [ln for ln in split_lines(text) if ln.text.strip()]
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and _is_header_cell(lines[j].text.strip()):
            j += 1
        header = [ln.text.strip() for ln in lines[i:j]]
        has_indicator = any(h in rules().indicator_headers for h in header)
        if j - i >= 3 and has_indicator and any(_YEAR_KEY.match(h) for h in header):
            table, end = _parse(text, header, lines, j, lines[i].start)
            if table is not None:
                tables.append(table)
                i = end
                continue
        i = max(j, i + 1)
    return tables


def _parse(text: str, header: list[str], lines: list[Line], k: int, start: int) -> tuple[Table | None, int]:
    """The records after a header ending at line ``k``; the table (or None) and the line after it."""
    r = rules()
    columns = [h for h in header if h not in r.indicator_headers and h not in r.group_headers]
    attr_col = next((c for c, h in enumerate(columns) if h in r.attribute_headers), None)
    value_cols = [c for c, h in enumerate(columns) if h not in r.attribute_headers and h not in r.unit_headers]
    records: list[_Record] = []
    current: _Record | None = None
    while k < len(lines):
        line = lines[k]
        s = line.text.strip()
        if _CHAPTER.match(s):
            break
        if _SERIAL.match(s) and (not records or int(s) == int(records[-1].serial.text.strip()) + 1):
            current = _Record(line)  # the next serial number (another bare number is a value: 90, 100)
            records.append(current)
        elif _NOTE.match(s):
            current = None
        elif current is not None and s in r.attribute_values:
            current.attribute = line
            current = None
        elif current is not None and not current.label:
            if len(s) > _MAX_LABEL:
                break
            current.label.append(line)
        elif current is not None and _is_value(s):
            current.values.append(line)
            if attr_col is None and len(current.values) == len(value_cols):
                current = None  # full: without an attribute column nothing else closes it
        elif current is not None and not current.values and len(s) <= _MAX_LABEL:
            current.label.append(line)  # a wrapped indicator
        elif len(s) <= _MAX_GROUP and not re.search(r"[。；]", s):
            current = None  # a group label between records
        else:
            break
        k += 1
    rows: list[TableRow] = []
    for rec in records:
        if not rec.label or not rec.values or len(rec.values) > len(value_cols):
            continue
        cells: list[str | None] = [None] * len(columns)
        for col, value in zip(value_cols[len(value_cols) - len(rec.values) :], rec.values, strict=True):
            cells[col] = value.text.strip()
        if attr_col is not None and rec.attribute is not None:
            cells[attr_col] = rec.attribute.text.strip()
        last = rec.attribute or rec.values[-1]
        rows.append(
            TableRow(
                label="".join(ln.text.strip() for ln in rec.label),
                cells=cells,
                quote=text[rec.serial.start : last.end],
                start=rec.serial.start,
                end=last.end,
            )
        )
    if len(rows) < 2:
        return None, k
    return (
        Table(
            title=_title_above(text, start),
            label_header=next(h for h in header if h in r.indicator_headers),
            columns=columns,
            rows=rows,
            start=start,
            end=rows[-1].end,
            kind="indicators",
            notes=_notes_below(text, rows[-1].end),
        ),
        k,
    )


def _is_value(s: str) -> bool:
    """A value cell: short, no sentence punctuation or brackets (``≥22``, ``14.18``, ``实现``, ``持续下降``, ``—``).

    A bracketed line (``（张）``) is the wrapped end of an indicator's name, not a cell.
    """
    return len(s) <= _MAX_CELL and not re.search(r"[。；，、：:（）()]", s)

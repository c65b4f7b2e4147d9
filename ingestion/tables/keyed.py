"""Indicator tables flattened into keyed records: ``领域：健康水平 指标：婴儿死亡率(‰) 2015年：8.1 2020年：7.5``.

A published PDF (or a web page) often renders a main-indicator table (主要指标) as one record per indicator
whose cells carry their column header as a key and a colon. Line breaks fall anywhere inside a record, and two
records may share a line. The keys are the header words of ``tables.toml`` (领域, 指标, 基期水平, 属性 …) and
years (``2015年``, ``2022年目标值``); a record starts at each occurrence of the key that starts the first
record, and a run of records is a table when each record has an indicator key and at least one year key.

The result is a :class:`ingestion.schema.Table` of kind ``indicators``: the row label is the indicator, the
columns are the other keys in the order they first appear (the group key, 领域, is dropped), the quote is the
record as it stands in the text, and ``notes`` holds the lines right under the table (``#为2020年目标值``).
"""

from __future__ import annotations

import functools
import re

from ingestion.schema import Table, TableRow
from ingestion.text.rules import alternation, rules

_NOTE_LINES = 3
_NOTE_MAX = 200


@functools.cache
def _key_re() -> re.Pattern[str]:
    """A key and its colon: a header word of tables.toml or a year column (``2020年``, ``2030年目标值``)."""
    r = rules()
    words = sorted(
        {*r.indicator_headers, *r.group_headers, *r.baseline_headers, *r.attribute_headers, *r.unit_headers},
        key=len,
        reverse=True,
    )
    return re.compile(rf"(?P<key>(?<!\d)(?:19|20)\d{{2}}\s*年(?:目标值|目标|预期值)?|{alternation(words)})\s*[：:]")


def _is_indicator_key(key: str) -> bool:
    return key in rules().indicator_headers


def _is_year_key(key: str) -> bool:
    return bool(re.match(r"(?:19|20)\d{2}", key))


def find_keyed_tables(text: str) -> list[Table]:
    """Every run of keyed indicator records in ``text`` (see module docstring), in text order."""
    matches = list(_key_re().finditer(text))
    tables: list[Table] = []
    i = 0
    while i < len(matches):
        # A run: keys no further apart than a line's worth of text and no sentence end between them.
        run = [matches[i]]
        j = i + 1
        while j < len(matches):
            gap = text[run[-1].end() : matches[j].start()]
            if len(gap) > 120 or re.search(r"[。；]", gap):
                break
            run.append(matches[j])
            j += 1
        table = _table_from_run(text, run)
        if table is not None:
            tables.append(table)
        i = j
    return tables


def _table_from_run(text: str, run: list[re.Match[str]]) -> Table | None:
    keys = [re.sub(r"\s+", "", m.group("key")) for m in run]
    if not any(_is_indicator_key(k) for k in keys) or not any(_is_year_key(k) for k in keys):
        return None
    first = keys[0]
    starts = [k for k, key in enumerate(keys) if key == first]
    records: list[list[tuple[str, int, int]]] = []  # (key, value start, value end)
    for n, s in enumerate(starts):
        e = starts[n + 1] if n + 1 < len(starts) else len(run)
        rec = []
        for k in range(s, e):
            v_end = run[k + 1].start() if k + 1 < len(run) else _record_end(text, run[k].end())
            rec.append((keys[k], run[k].end(), v_end))
        records.append(rec)
    records = [r for r in records if any(_is_indicator_key(k) for k, _, _ in r)]
    if len(records) < 2:
        return None
    columns: list[str] = []
    for rec in records:
        for key, _, _ in rec:
            if _is_indicator_key(key) or key in rules().group_headers or key in columns:
                continue
            columns.append(key)
    rows: list[TableRow] = []
    for rec in records:
        label = ""
        cells: list[str | None] = [None] * len(columns)
        for key, vs, ve in rec:
            value = text[vs:ve].strip()
            if _is_indicator_key(key):
                label = re.sub(r"\s+", "", value)
            elif key in columns:
                cells[columns.index(key)] = value or None
        start = _key_start(run, rec[0][1])
        end = _trim_end(text, rec[-1][2])
        rows.append(TableRow(label=label, cells=cells, quote=text[start:end], start=start, end=end))
    table_start, table_end = rows[0].start, rows[-1].end
    return Table(
        title=_title_above(text, table_start),
        label_header=next(k for k in keys if _is_indicator_key(k)),
        columns=columns,
        rows=rows,
        start=table_start,
        end=table_end,
        kind="indicators",
        notes=_notes_below(text, table_end),
    )


def _key_start(run: list[re.Match[str]], value_start: int) -> int:
    """Start of the key whose value starts at ``value_start``."""
    return next(m.start() for m in run if m.end() == value_start)


def _record_end(text: str, pos: int) -> int:
    """End of the last value of a run: the end of its line."""
    nl = text.find("\n", pos)
    return len(text) if nl < 0 else nl


def _trim_end(text: str, end: int) -> int:
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def _title_above(text: str, start: int) -> str:
    """The short line right above the table (``健康中国建设主要指标``), else ''."""
    before = text[:start].rstrip("\n").rsplit("\n", 1)[-1].strip()
    if before and len(before) <= 40 and not re.search(r"[。；，]", before):
        return before
    return ""


def _notes_below(text: str, end: int) -> str:
    """Up to three short lines under the table that read as notes (注, 说明, a mark, 基期…)."""
    out: list[str] = []
    for line in text[end:].lstrip("\n").split("\n")[:_NOTE_LINES]:
        s = line.strip()
        if not s or len(s) > _NOTE_MAX:
            break
        if not re.match(rf"^(?:注|说明|备注|{alternation(rules().note_marks)}|基期|基线)", s):
            break
        out.append(s)
    return "\n".join(out)

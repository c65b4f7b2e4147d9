"""What an indicator table says for one year when no target row does: its base value, or words.

Two questions the target lookup alone cannot answer:

- ``经常参加体育锻炼人数2015年的现状是多少？`` / ``它的基期水平是多少？`` ask for the base value (基期水平,
  现状): the baseline row of the indicator, matched by its own year or by its column's year (a 2015年
  column may hold a 2014 value), never a target row.
- ``2030年城市空气质量优良天数比率的目标是多少？`` where the table's 2030 cell reads ``持续改善``: no
  number, so no target row; the answer quotes the cell and says no number is given.

The base-value words are the ``baseline_words`` of ``assistant/rules/answer_shapes.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from assistant.lookup import RowIndex, Scored
from assistant.messages import year_label
from assistant.parts import clean_indicator, part_words
from assistant.schema import Answer, Citation
from assistant.understanding import Query
from ingestion.schema import Target
from ingestion.text.normalize import nfkc

MSG_WORD_CELL = "{where}{when}{label}：规划写的是“{cell}”，没有给出具体数值[{n}]。"
MIN_WORDING = 2


def _positions(index: RowIndex, allowed: set[str] | None) -> list[int] | None:
    return index.positions(allowed) if allowed is not None else None


def _in_regions(scored: list[Scored], regions: tuple[str, ...]) -> list[Scored]:
    if not regions:
        return scored
    return [s for s in scored if any(nfkc(r) in nfkc(s.key.region) for r in regions)]


def _column_year(row: Target) -> str:
    m = re.search(r"(20\d{2})\s*年", nfkc(row.column_header))
    return m.group(1) if m else ""


def baseline_answer(
    query: Query,
    index: RowIndex,
    allowed: set[str] | None,
    compose: Callable[[Query, list[Target]], Answer],
) -> Answer | None:
    """The base value of the indicator a question (or the turn before it) names; None when none fits."""
    words = part_words()
    q = nfkc(query.text)
    word = next((b for b in words.baseline_words if b in q or b in query.indicator), None)
    if word is None:
        return None
    rest = query.indicator
    # Every base-value word, also without its 的 (那2015年的基数呢 leaves 那基数 once 的 is dropped).
    for b in sorted({*words.baseline_words, *(b.removeprefix("的") for b in words.baseline_words)}, key=len)[::-1]:
        rest = rest.replace(b, "")
    for t in words.target_words:
        rest = rest.replace(t, "")
    rest = clean_indicator(rest.strip(" ，,的和与及、"), words)
    context = query.context
    if len(rest) < MIN_WORDING:
        rest, context = query.context, ""  # 它的基期水平是多少？: the indicator of the turn before
    if len(rest) < MIN_WORDING:
        return None
    sub = replace(query, indicator=rest, context=context, years=(), intent="number")
    scored = [s for s in index.score(sub, _positions(index, allowed)) if s.key.kind == "baseline"]
    scored = _in_regions(scored, query.regions)
    if not scored:
        return None
    best = scored[0]
    wording = index.wording_of(best.pos)
    same = [s.pos for s in scored if s.key.doc_id == best.key.doc_id and index.wording_of(s.pos) == wording]
    rows = index.rows.many(same)
    if query.years and not query.carried_years:
        rows = [r for r in rows if r.year in query.years or _column_year(r) in query.years]
    return compose(query, rows) if rows else None


def tab_row_cells(text: str, start: int) -> list[tuple[str, str]]:
    r"""(header, cell) pairs of the tab-joined table row at ``start``, the header being its block's first line.

    ``序号\t指标名称\t2025年`` over ``7\t白鹭指数\t持续改善`` gives ``[("序号", "7"), ("指标名称", "白鹭指数"),
    ("2025年", "持续改善")]``; a row that is no tab row, or whose width differs from the header's, gives [].
    """
    if not 0 <= start < len(text):
        return []
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", start)
    row = text[lo : hi if hi != -1 else len(text)]
    if "\t" not in row:
        return []
    first = lo
    while first > 0:
        prev = text.rfind("\n", 0, first - 1) + 1
        if "\t" not in text[prev : first - 1]:
            break
        first = prev
    end = text.find("\n", first)
    header = text[first : end if end != -1 else len(text)].split("\t")
    cells = row.split("\t")
    if first == lo or len(header) != len(cells):
        return []
    return [(h.strip(), c.strip()) for h, c in zip(header, cells, strict=True)]


def later_word_cells(row: Target, text: str) -> list[tuple[str, str]]:
    """(year, words) of the year columns after a base value's column whose cells are words, not numbers.

    A target question answered only by a base value (``2041年：0``) of a tab row whose later columns read
    ``建成`` gets those cells too: they are the plan's goal for the indicator, in words.
    """
    base = _column_year(row)
    out: list[tuple[str, str]] = []
    for header, cell in tab_row_cells(text, row.start):
        m = re.match(r"(20\d{2})\s*年", nfkc(header))
        if m and base and m.group(1) > base and _is_words(cell):
            out.append((m.group(1), cell))
    return out


def _is_words(cell: str) -> bool:
    """Words only (持续改善, 省下达 目标值); a number, a dash or an empty mark is not."""
    return bool(cell) and not re.search(r"\d", nfkc(cell)) and bool(re.search(r"[\u4e00-\u9fff]", cell))


def word_cell_answer(
    query: Query,
    index: RowIndex,
    allowed: set[str] | None,
    cite: Callable[[Target, int], Citation],
    text_of: Callable[[str], str] | None = None,
) -> Answer | None:
    """The words a table cell gives for an asked year instead of a number (``2030年：持续改善``), cited.

    The cell is read from the row's quote when it is a keyed record (``2030年：持续改善``), else, for a
    tab-joined row, from the column under the asked year in its table's header line (``text_of`` gives a
    document's text).
    """
    if not query.years:
        return None
    scored = _in_regions(index.score(query, _positions(index, allowed)), query.regions)
    if not scored or any(s.key.year in query.years for s in scored):
        return None
    row = scored[0].row
    lines: list[str] = []
    for year in query.years:
        # A flattened table record: 2015年：76.7 2020年：＞80 2030年：持续改善 (header, colon, cell).
        m = re.search(rf"(?<!\d){year}\s*年[^：:\s]{{0,6}}[：:]\s*(\S+)", row.quote)
        cell = m.group(1) if m else ""
        if not cell and text_of is not None:
            pairs = tab_row_cells(text_of(row.doc_id), row.start)
            cell = next((c for h, c in pairs if re.match(rf"{year}\s*年", nfkc(h))), "")
        if _is_words(cell):
            lines.append(
                MSG_WORD_CELL.format(where=row.region, when=year_label(year), label=row.indicator, cell=cell, n=1)
            )
    if not lines:
        return None
    return Answer(
        question=query.text,
        answer="\n".join(lines),
        status="answered",
        citations=[cite(row, 1)],
        resolved_question=query.resolved,
    )

"""Bound questions answered by the row that states the bound (assistant/bounds.py), on made-up rows."""

from __future__ import annotations

import pytest

from assistant.bounds import asked_bound, with_any_stated_bound, with_stated_bounds
from assistant.lookup import RowIndex
from assistant.target_rows import MemoryRows
from ingestion.schema import Target


def row(tid: str, indicator: str, value: float, comparator: str, value_text: str, year: str = "2030") -> Target:
    return Target(
        target_id=tid,
        doc_id="a",
        region="青禾市",
        indicator=indicator,
        value=value,
        unit="名",
        value_text=value_text,
        comparator=comparator,  # type: ignore[arg-type]
        year=year,
        quote=f"{indicator}{value_text}",
        start=int(tid[1:]) * 10,
    )


BARE = row("t1", "具有康复治疗资质的治疗师数（名）", 3, "=", "3")
STATED = row("t2", "每个村卫生所拥有具有康复治疗资质的治疗师", 3, "≥", "不少于3名")
OTHER_YEAR = row("t3", "每个村卫生所拥有具有康复治疗资质的治疗师", 3, "≥", "不少于3名", year="2028")
OTHER_WORDING = row("t4", "巡诊车辆驾驶员", 3, "≥", "不少于3名")


@pytest.mark.parametrize(
    ("question", "bound"),
    [
        ("青禾市每个村卫生所至少配几名康复治疗师？", "≥"),
        ("青禾市康复治疗师最多配几名？", "≤"),
        ("青禾市康复治疗师配几名？", None),
        ("哪些地方康复治疗师超过3名？", None),  # a condition with its number, not the bound asked
        ("哪些地方至少3名康复治疗师？", None),
    ],
)
def test_the_bound_a_question_asks_for(question: str, bound: str | None) -> None:
    assert asked_bound(question) == bound


def test_a_bare_row_gives_way_to_its_twin_that_states_the_bound() -> None:
    index = RowIndex(MemoryRows([BARE, STATED, OTHER_YEAR, OTHER_WORDING]))
    rows = with_stated_bounds("青禾市每个村卫生所至少配几名康复治疗师？", [BARE], index)
    assert [r.target_id for r in rows] == ["t2"]


def test_no_bound_asked_keeps_the_rows() -> None:
    index = RowIndex(MemoryRows([BARE, STATED]))
    assert with_stated_bounds("青禾市康复治疗师配几名？", [BARE], index) == [BARE]


def test_a_twin_of_another_year_or_wording_is_no_twin() -> None:
    index = RowIndex(MemoryRows([BARE, OTHER_YEAR, OTHER_WORDING]))
    assert with_stated_bounds("青禾市每个村卫生所至少配几名康复治疗师？", [BARE], index) == [BARE]


UPPER = row("t5", "每个村卫生所拥有具有康复治疗资质的治疗师", 3, "≤", "不超过3名")


@pytest.mark.parametrize("stated", [STATED, UPPER])
def test_side_by_side_a_bare_row_gives_way_to_a_twin_stating_either_bound(stated: Target) -> None:
    index = RowIndex(MemoryRows([BARE, stated, OTHER_YEAR, OTHER_WORDING]))
    assert [r.target_id for r in with_any_stated_bound([BARE], index)] == [stated.target_id]


def test_side_by_side_no_twin_keeps_the_bare_row() -> None:
    index = RowIndex(MemoryRows([BARE, OTHER_YEAR, OTHER_WORDING]))
    assert with_any_stated_bound([BARE], index) == [BARE]


def test_a_column_head_with_an_implicit_share_word_and_signs_is_a_twin_of_its_sentence() -> None:
    cell = row("t6", "巡诊站占比%", 30, "=", "30").model_copy(update={"unit": "%"})
    sentence = row("t7", "设立巡诊站的村卫生所", 30, "≥", "30%以上").model_copy(update={"unit": "%"})
    other = row("t8", "五星级药房", 30, "≥", "30%以上").model_copy(update={"unit": "%"})
    index = RowIndex(MemoryRows([cell, other, sentence]))
    assert [r.target_id for r in with_any_stated_bound([cell], index)] == ["t7"]
    assert with_any_stated_bound([cell], RowIndex(MemoryRows([cell, other]))) == [cell]

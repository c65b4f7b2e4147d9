"""A made-up plan whose goals stand only in a table a web page rendered one cell per line (``2026年 |``).

Answers read the table's rows: numbers from its year columns, a base value never given as a goal, goals
written in words (建成, 省下达 目标值) quoted as such, and a goal set as a rule (每年提高3%左右或不低于全省平均水平)
quoted from the row when asked how it is set, a lead-unit cell when asked who leads. The cover letter's
meeting (第九届27次) is no target.
"""

from __future__ import annotations

import shutil

import pytest

from assistant.service import Assistant
from tests.conftest import REPO, make_settings

PLAN = REPO / "tests" / "assistant" / "data" / "delimited_table_plan.txt"
OTHER_REGION_PLAN = REPO / "tests" / "assistant" / "data" / "qinghe_water_plan.txt"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("delimited_table")
    plans = root / "plans"
    plans.mkdir()
    shutil.copy(PLAN, plans / PLAN.name)
    assistant = Assistant(make_settings(root))
    assert [r.status for r in assistant.ingest([plans])] == ["added"]
    return assistant


def test_a_year_column_answers_with_its_comparator_and_unit(assistant: Assistant) -> None:
    a = assistant.ask("白鹭市2026年居民晨跑参与率要达到多少？")
    assert a.status == "answered", a.answer
    assert [(t.year, t.comparator, t.value, t.unit) for t in a.targets] == [("2026", "≥", 44.0, "%")]


def test_no_target_row_from_the_meeting_of_the_cover_letter(assistant: Assistant) -> None:
    rows = assistant.targets()
    assert rows and not [t for t in rows if t.value == 27]
    assert {t.kind for t in rows} == {"table", "baseline"}


def test_a_goal_in_words_is_quoted_beside_the_base_value(assistant: Assistant) -> None:
    a = assistant.ask("白鹭市居民健康生活行动计划里，社区健身驿站要达到什么目标？")
    assert a.status == "answered", a.answer
    assert "基期值，非目标" in a.answer and "“建成”" in a.answer


def test_a_later_year_in_words_is_quoted_with_no_number(assistant: Assistant) -> None:
    a = assistant.ask("白鹭市2028年河道水质达标比例要多少？")
    assert a.status == "answered", a.answer
    assert "省下达 目标值" in a.answer and "没有给出具体数值" in a.answer
    assert "88.1" not in a.answer and "90" not in a.answer


def test_how_a_goal_is_set_quotes_the_table_row(assistant: Assistant) -> None:
    a = assistant.ask("白鹭市居民营养知识知晓率的目标是怎么定的？")
    assert a.status == "answered", a.answer
    assert "每年提高3%左右或不低于全省平均水平" in a.answer
    assert a.citations and "居民营养知识知晓率" in a.citations[0].quote


def test_the_lead_unit_column_answers_which_units_lead_a_row(assistant: Assistant) -> None:
    a = assistant.ask("白鹭市河道水质达标比例是哪几个单位牵头？")
    assert a.status == "answered", a.answer
    assert "牵头单位为：市生态环境局" in a.answer and "市体育局" not in a.answer
    assert "河道水质达标比例" in a.citations[0].quote and "牵头单位：市生态环境局" in a.citations[0].quote


def test_the_signature_above_the_table_answers_who_issued_it_and_when(assistant: Assistant) -> None:
    a = assistant.ask("白鹭市居民健康生活行动计划是谁发的，哪天发的？")
    assert a.status == "answered", a.answer
    assert "白鹭市人民政府办公室" in a.answer and "2026年3月2日" in a.answer
    quotes = " ".join(c.quote for c in a.citations)
    assert "白鹭市人民政府办公室" in quotes and "2026年3月2日" in quotes


@pytest.fixture(scope="module")
def two_plans(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """The table plan beside another city's narrative plan that sets the same indicator for 2028 in numbers."""
    root = tmp_path_factory.mktemp("word_cell_beside_other_region")
    plans = root / "plans"
    plans.mkdir()
    for plan in (PLAN, OTHER_REGION_PLAN):
        shutil.copy(plan, plans / plan.name)
    assistant = Assistant(make_settings(root))
    assert [r.status for r in assistant.ingest([plans])] == ["added", "added"]
    return assistant


@pytest.mark.parametrize("question", ["白鹭市2028年河道水质达标比例要多少？", "白鹭28年河道水质达标比例目标定的多少？"])
def test_a_word_cell_of_the_named_region_beside_another_regions_number(two_plans: Assistant, question: str) -> None:
    """Another city's plan has a 2028 number: the named city's cell in words is still its answer, never 93."""
    a = two_plans.ask(question)
    assert a.status == "answered", a.answer
    assert "省下达 目标值" in a.answer and "没有给出具体数值" in a.answer
    assert "93" not in a.answer and "88.1" not in a.answer
    other = two_plans.ask("青禾市2028年河道水质达标比例要多少？")
    assert other.status == "answered" and "93" in other.answer, other.answer

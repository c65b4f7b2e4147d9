"""Local against national targets: made-up questions split, and both sides answered from a real store."""

from __future__ import annotations

import pytest

from assistant.national import national_rules, split_national
from assistant.schema import Turn
from assistant.service import Assistant
from tests.assistant.named_plans_store import doc_of, named_plans_assistant


@pytest.mark.parametrize(
    ("question", "local", "national"),
    [
        ("甲市每万人口全科医生数的目标和国家比怎么样？", "甲市每万人口全科医生数的目标", ""),
        ("甲市护士配备标准和国家注册护士数目标比一比", "甲市护士配备标准", "注册护士数"),
        ("跟国家纲要的目标比呢？", "", ""),
        ("签约率，甲市定的目标和国家2030年的目标各是多少？", "签约率,甲市定的目标", "2030年"),
        ("甲市签约率的目标和国家的目标分别是多少？", "甲市签约率的目标", ""),
    ],
)
def test_a_national_comparison_is_split_at_the_national_word(question: str, local: str, national: str) -> None:
    sides = split_national(question)
    assert sides is not None
    assert sides[0] == local
    assert national in sides[1]


@pytest.mark.parametrize(
    "question",
    [
        "达到国家推荐标准的机构比例是多少？",
        "甲市全科医生数要达到多少？",
        "国家卫生城市有多少个？",
        # 各是多少 beside a national word inside an indicator, or the nation listed with a region: no such comparison.
        "甲市达国家推荐标准和基本标准的机构比例各是多少？",
        "全国和甲市的签约率各是多少？",
    ],
)
def test_questions_that_compare_nothing_with_the_nation_are_left_alone(question: str) -> None:
    assert split_national(question) is None


def test_a_comparing_word_added_to_the_rules_is_used() -> None:
    rules = national_rules()
    assert split_national("甲市签约率和国家的目标孰高？", rules) is None
    extended = type(rules)(**{**rules.__dict__, "compare_words": ("孰高", *rules.compare_words)})
    assert split_national("甲市签约率和国家的目标孰高？", extended) is not None


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return named_plans_assistant(tmp_path_factory)


def test_local_and_national_rows_side_by_side_each_cited(assistant: Assistant) -> None:
    a = assistant.ask("青禾市每万人口全科医生数的目标和国家比怎么样？")
    assert a.status == "answered", a.answer
    by_region = {(t.region, t.value) for t in a.targets}
    assert {("青禾市", 3.8), ("青禾市", 4.5), ("全国", 6)} <= by_region
    assert {c.doc_id for c in a.citations} == {doc_of(assistant, "青禾市"), doc_of(assistant, "全国")}


def test_the_national_side_on_its_own_indicator(assistant: Assistant) -> None:
    a = assistant.ask("青禾市每万人口全科医生数和国家每千常住人口注册护士数的目标比一比")
    assert {(t.region, t.value) for t in a.targets} >= {("青禾市", 4.5), ("全国", 4.9)}


def test_a_follow_up_compares_the_previous_question_with_the_nation(assistant: Assistant) -> None:
    history = [
        Turn(role="user", content="青禾市2026年每万人口全科医生数要达到多少？"),
        Turn(role="assistant", content="青禾市2026年每万人口全科医生数：4.5名[1]。"),
    ]
    a = assistant.ask("跟国家的目标比呢？", history=history)
    assert {("青禾市", 4.5), ("全国", 6)} <= {(t.region, t.value) for t in a.targets}, a.answer


def test_a_side_without_a_target_is_said(assistant: Assistant) -> None:
    a = assistant.ask("青禾市居民健康素养水平的目标和国家比怎么样？")
    assert a.status == "answered", a.answer
    assert {t.region for t in a.targets} == {"全国"}
    assert "青禾市的规划没有这项指标的目标值" in a.answer


def test_the_askers_own_place_and_stated_value_leave_the_local_side() -> None:
    sides = split_national("我们甲市签约率定到75%以上，国家2030年的目标是多少，比国家高吗？")
    assert sides is not None and sides[0] == "甲市签约率"
    # A number that is part of the indicator's wording stays.
    sides = split_national("甲市5岁以下儿童死亡率的目标和国家比怎么样？")
    assert sides is not None and "5岁以下儿童死亡率" in sides[0]


def test_both_sides_asked_at_once_are_answered_each_with_its_year(assistant: Assistant) -> None:
    a = assistant.ask("每万人口全科医生数，青禾市定的目标和国家2035年的目标各是多少？")
    assert a.status == "answered", a.answer
    by_region = {(t.region, t.value) for t in a.targets}
    assert ("全国", 6) in by_region
    assert any(r == "青禾市" for r, _ in by_region)
    assert {c.doc_id for c in a.citations} == {doc_of(assistant, "青禾市"), doc_of(assistant, "全国")}

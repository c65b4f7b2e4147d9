"""Requirements stated in sentences, end to end on a made-up plan (real ingestion, embeddings and Chroma)."""

from __future__ import annotations

import pytest

from assistant.schema import Turn
from assistant.service import Assistant
from tests.conftest import assistant_of_texts, make_settings

PLAN = """白石市巡诊服务提升方案（2025—2027年）

一、主要目标

到2027年底，全市乡镇卫生院巡诊车辆配备达标的机构占比达到90%以上。全市6岁儿童窝沟封闭率达到60%以上。

二、主要措施

1．落实巡诊奖励。对巡诊车辆配备达到甲级标准的乡镇卫生院，每处最高给予12万元奖励补助；对巡诊车辆配备达到乙级标准的乡镇卫生院，每处最高给予6万元奖励补助，所需资金从市级巡诊专项经费中解决。

2．规范巡诊考核。各乡镇卫生院每半年至少对巡诊医师进行一次考核。

三、组织实施

本方案自印发之日起20日后施行。本方案试行两年，期满后评估修订。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("requirements")
    plans = root / "plans"
    plans.mkdir()
    (plans / "baishi.txt").write_text(PLAN, encoding="utf-8")
    a = Assistant(make_settings(root))
    assert all(r.status == "added" for r in a.ingest([plans]))
    return a


def test_a_money_question_is_answered_by_the_award_sentence_not_the_percentage_row(assistant: Assistant) -> None:
    a = assistant.ask("巡诊车辆配备达到甲级标准的乡镇卫生院每处最多奖多少钱？")
    assert a.status == "answered"
    assert "12万元" in a.answer
    assert "90%" not in a.answer
    assert any("12万元" in c.quote for c in a.citations)


def test_two_parts_get_one_sentence_each(assistant: Assistant) -> None:
    a = assistant.ask("达到甲级标准和达到乙级标准的乡镇卫生院巡诊车辆配备每处最多奖多少？")
    assert a.status == "answered"
    assert "12万元" in a.answer and "6万元" in a.answer
    assert [n for n, c in enumerate(a.citations, start=1) if "万元" in c.quote] == [1, 2]


def test_when_and_how_long_quote_both_sentences(assistant: Assistant) -> None:
    a = assistant.ask("这个巡诊服务提升方案什么时候开始施行，试行多久？")
    assert a.status == "answered"
    assert "20日后施行" in a.answer and "试行两年" in a.answer


def test_a_parent_place_the_library_does_not_know_does_not_block_the_sentence(assistant: Assistant) -> None:
    a = assistant.ask("东陵省白石市巡诊奖励补助的钱从哪里出？")
    assert a.status == "answered"
    assert "市级巡诊专项经费" in a.answer


def test_what_one_can_receive_asks_for_money(assistant: Assistant) -> None:
    a = assistant.ask("巡诊车辆配备达到甲级标准的乡镇卫生院，奖补最多能拿多少？")
    assert a.status == "answered"
    assert "12万元" in a.answer and "90%" not in a.answer


def test_how_much_is_given_keeps_the_previous_questions_kind(assistant: Assistant) -> None:
    history = [
        Turn(role="user", content="巡诊车辆配备达到甲级标准的乡镇卫生院每处最高奖励多少？"),
        Turn(role="assistant", content="每处最高给予12万元奖励补助[1]。"),
    ]
    a = assistant.ask("达到乙级标准的给多少？", history=history)
    assert a.status == "answered"
    assert "6万元" in a.answer and "%" not in a.answer


def test_an_everyday_word_is_asked_again_in_the_plans_word(assistant: Assistant) -> None:
    a = assistant.ask("全市6岁孩子的窝沟封闭率要达到多少？")
    assert a.status == "answered"
    assert "60%" in a.answer
    assert a.question == "全市6岁孩子的窝沟封闭率要达到多少？"


CONDITIONS_PLAN = """青川县乡村医生队伍稳定实施方案（试行）

一、主要措施

1．稳定巡诊队伍。对在乡镇卫生院连续巡诊满5年且年度考核合格的巡诊医师，可优先参加全科医生转岗培训。

2．改善工作条件。逐步改善村卫生室工作条件，提升乡村医生待遇。

二、组织实施

本方案自印发之日起20日后施行。本方案试行两年，期满后评估修订。
"""


@pytest.fixture(scope="module")
def conditions(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("conditions")
    plans = root / "plans"
    plans.mkdir()
    (plans / "qingchuan.txt").write_text(CONDITIONS_PLAN, encoding="utf-8")
    a = Assistant(make_settings(root))
    assert all(r.status == "added" for r in a.ingest([plans]))
    return a


def test_a_condition_question_is_answered_by_the_stating_sentence_before_any_explanation(conditions: Assistant) -> None:
    a = conditions.ask("巡诊医师要具备哪些条件才能优先参加转岗培训？")
    assert a.status == "answered"
    assert a.path == "sentence_first"
    assert [c.quote for c in a.citations] == [
        "对在乡镇卫生院连续巡诊满5年且年度考核合格的巡诊医师，可优先参加全科医生转岗培训。"
    ]


SUBSIDY_PLAN = """白鹭县驻村医生保障办法（试行）

一、待遇保障

第六条  驻村医生按1.2万元/人·年给予驻村补助，经年度考核后发放。

第七条  驻村补助须在村卫生室连续服务满两年且年度考核合格方可享受。

二、附则

本办法自印发之日起施行。
"""


@pytest.fixture(scope="module")
def subsidy(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return assistant_of_texts(tmp_path_factory.mktemp("subsidy"), {"bailu_subsidy.txt": SUBSIDY_PLAN})


@pytest.mark.parametrize("followup", ["要享受这个补助，有啥条件没？", "想拿这笔补助，得满足什么条件？"])
def test_a_condition_follow_up_is_answered_by_the_condition_not_the_carried_amount(
    subsidy: Assistant, followup: str
) -> None:
    history = [Turn(role="user", content="白鹭县驻村医生的驻村补助标准是多少？")]
    amount = subsidy.ask(history[0].content)
    assert amount.status == "answered" and "1.2万元" in amount.answer  # the amount is a row of its own
    history.append(Turn(role="assistant", content=amount.answer))
    a = subsidy.ask(followup, history)
    assert a.status == "answered", a.answer
    assert a.path == "sentence_first"
    assert any("连续服务满两年" in c.quote for c in a.citations), [c.quote for c in a.citations]

"""Spoken asks for a share (拿多少出来给), a list (起码), and a split of money after an amount (这笔资金怎么分摊).

Each word is data (question_wording.toml: spoken_forms, amount_*); the plan text here is made up.
"""

from __future__ import annotations

import pytest

from assistant.question_wording import plain_question, referred_amount, referred_noun
from assistant.schema import Turn
from assistant.service import Assistant
from tests.conftest import assistant_of_texts

PLAN = """青禾市基层驿站提升行动方案

一、主要任务

（一）驿站功能。驿站至少设置康复室、护理室、药房，鼓励驿站设置心理咨询室。
（二）驿站运行。驿站护理服务收入不纳入绩效工资总量，不低于 65%的护理服务收入可用于工作人员考核分配。
（三）驿站奖补。对建成示范驿站的街道，每处最高给予 12万元奖励补助，所需资金由市区两级财政按照 3：7比例承担。
"""


@pytest.fixture(scope="module")
def qinghe(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return assistant_of_texts(tmp_path_factory.mktemp("spoken_asks"), {"qinghe_asks.txt": PLAN})


@pytest.mark.parametrize(
    ("asked", "plain"),
    [
        ("驿站起码要设哪些室？", "驿站至少要设哪些室？"),
        ("护理服务收入能拿多少出来给员工考核分配？", "护理服务收入能多少用于工作人员考核分配？"),
    ],
)
def test_spoken_share_and_list_words_read_as_the_plans_words(asked: str, plain: str) -> None:
    assert plain_question(asked) == plain


def test_a_share_asked_in_spoken_words_finds_the_bound(qinghe: Assistant) -> None:
    answer = qinghe.ask("青禾驿站护理服务收入能拿多少出来给员工考核分配？")
    assert answer.status == "answered", answer.answer
    assert "65%" in answer.answer.replace(" ", ""), answer.answer


def test_a_list_asked_with_qima_quotes_the_list(qinghe: Assistant) -> None:
    answer = qinghe.ask("青禾驿站起码要设哪些室？")
    assert "康复室、护理室、药房" in answer.answer, answer.answer


@pytest.mark.parametrize("question", ["这笔奖补资金市里跟区里怎么分摊？", "这钱市区两级各出几成？"])
def test_money_pointed_back_at_asks_about_the_previous_amount(qinghe: Assistant, question: str) -> None:
    history = [
        Turn(role="user", content="青禾建成示范驿站的街道每处最多奖多少？"),
        Turn(role="assistant", content="每处最高给予12万元奖励补助[1]。"),
    ]
    answer = qinghe.ask(question, history=history)
    assert "3：7比例承担" in answer.answer, answer.answer


def test_a_money_noun_points_back_only_after_an_amount_was_asked() -> None:
    assert referred_amount("这笔奖补资金怎么分摊", "每处最多奖多少") == ("这笔奖补资金", "")
    assert referred_amount("这钱各出几成", "驿站最多奖几万") == ("这钱", "")
    assert referred_amount("这笔奖补资金怎么分摊", "驿站建设有啥要求") is None
    assert referred_amount("驿站要求怎么定", "每处最多奖多少") is None
    # A determiner's noun the previous question holds still names its part of the subject.
    assert referred_noun("这个补贴要满足啥条件", "驻站医生每人每年补贴多少") == ("这个补贴", "补贴")

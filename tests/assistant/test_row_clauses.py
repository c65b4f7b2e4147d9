"""Rows given with the plan's clause beside them (Answerer._compose_rows with messages.worded_clause)."""

from __future__ import annotations

import pytest

from assistant.service import Assistant
from tests.conftest import assistant_of_texts

HERON_PLAN = """苍鹭市基层医疗卫生机构“双提质”工程实施方案

一、主要目标

到2026年，全市基层医疗卫生机构服务能力全面提升。

二、重点任务

1．强化护理培训。加强基层护理人员实训中心建设，到 2026年每个行政县区至少建成运行 2个县（区）级护理实训中心。

2．提升中医药服务。确保乡镇卫生院、村卫生室分别能提供 12 项、6 项以上适宜技术。
"""

EGRET_PLAN = """白鹭市基层卫生服务能力提升三年行动方案

一、主要任务

1．加强护理人员实训中心建设。到2025年底各地至少建成一家县级基层护理人员实训中心。
"""


@pytest.fixture(scope="module")
def birds(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    texts = {"heron_plan.txt": HERON_PLAN, "egret_plan.txt": EGRET_PLAN}
    return assistant_of_texts(tmp_path_factory.mktemp("row_clauses"), texts)


def test_a_value_given_in_turn_is_given_with_its_clause(birds: Assistant) -> None:
    a = birds.ask("苍鹭市村卫生室适宜技术得能提供几项？")
    assert "6项以上" in a.answer, a.answer
    assert "分别能提供12项、6项以上适宜技术" in a.answer.replace(" ", "")


def test_places_compared_apart_keep_a_label_rebuilt_around_the_value(birds: Assistant) -> None:
    a = birds.ask("县级的护理人员实训中心，苍鹭市和白鹭市各要求啥时候建成、建几个？")
    assert "不宜直接比较" in a.answer, a.answer
    assert "至少建成运行2个县（区）级护理实训中心" in a.answer.replace(" ", ""), a.answer

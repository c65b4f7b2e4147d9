"""Structure, several-part and requirement questions end to end, over a made-up plan ingested for real."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.service import Assistant
from tests.conftest import make_settings

PLAN = """青禾市人民政府办公室关于印发青禾市巡诊服务提质行动方案的通知

各县（区）人民政府，市各有关部门：
现将《青禾市巡诊服务提质行动方案》印发给你们，请认真贯彻执行。

青禾市巡诊服务提质行动方案

一、工作目标
到2030年，全市甲类站点覆盖率达到80%，乙类站点覆盖率达到60%以上。
二、主要任务
（一）补齐巡诊设施短板
各县（区）改造一批巡诊站点，巡诊车辆维护费用由镇级财政承担。
（二）充实巡诊人员队伍
本方案所称“三联动”是指县乡村三级人员联动、设备联动、信息联动。
（三）完善巡诊运行机制
派驻医师原则上每月不少于5个工作日到村巡诊。
三、保障措施
（一）强化组织领导
各县（区）要建立工作专班。
（二）落实经费保障
市财政统筹安排资金。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("shapes")
    plans = root / "plans"
    plans.mkdir()
    (plans / "made_up_plan.txt").write_text(PLAN, encoding="utf-8")
    a = Assistant(make_settings(Path(root)))
    assert all(r.status == "added" for r in a.ingest([plans]))
    return a


def test_tasks_of_a_named_plan_are_its_task_headings(assistant: Assistant) -> None:
    a = assistant.ask("巡诊服务提质行动方案主要有哪些任务？")
    assert a.status == "answered"
    for heading in ("补齐巡诊设施短板", "充实巡诊人员队伍", "完善巡诊运行机制"):
        assert heading in a.answer
    assert len(a.citations) == 3
    assert "强化组织领导" not in a.answer


def test_a_term_is_answered_with_its_definition(assistant: Assistant) -> None:
    a = assistant.ask("“三联动”是什么意思？")
    assert a.status == "answered"
    assert "县乡村三级人员联动" in a.citations[0].quote


def test_every_part_gets_its_value(assistant: Assistant) -> None:
    a = assistant.ask("青禾市2030年甲类站点和乙类站点覆盖率分别要达到多少？")
    assert a.status == "answered"
    assert sorted(t.value for t in a.targets) == [60, 80]
    assert "60%以上" in a.answer and "80%" in a.answer


def test_a_requirement_sentence_answers_who(assistant: Assistant) -> None:
    a = assistant.ask("巡诊车辆维护费用由谁承担？")
    assert a.status == "answered"
    assert "镇级财政" in a.answer
    assert "镇级财政承担" in a.citations[0].quote

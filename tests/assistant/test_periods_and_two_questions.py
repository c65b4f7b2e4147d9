"""Two-digit periods, two questions joined by a comma and a plan named with its issuer, on a made-up plan.

``31到33年`` is the plan's period 2031—2033年 (never a number of its own in the answer); a part worded
``轮训`` finds the plan's ``培训`` target; ``A要达多少，B又是多少`` asks two things; ``某某办公室发的那个…方案``
names the plan by its issuing body.
"""

from __future__ import annotations

import re

import pytest

from assistant.service import Assistant
from tests.conftest import assistant_of_texts

PLAN = """青禾市人民政府办公室关于印发青禾市基层驿站“双达标”工程实施方案的通知

青政办发〔2031〕12号

各县（区）人民政府，市各有关部门：

现将《青禾市基层驿站“双达标”工程实施方案》印发给你们，请认真贯彻执行。

青禾市人民政府办公室

2031年3月1日

青禾市基层驿站“双达标”工程实施方案

一、主要目标

（一）驿站队伍。开展驿站骨干人员培训，2031—2033年全市完成驿站骨干人员培训 120人。
开展驿站管理人员轮训，2031—2033年全市完成驿站管理人员培训 80人。

（二）驿站服务。到2033年，全市居民健康档案建档率达90%以上、健康档案使用率达60%以上。
到2033年，全市驿站康复服务覆盖率稳定在70%以上，驿站家庭病床使用率达到55%以上。
"""


@pytest.fixture(scope="module")
def qinghe(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return assistant_of_texts(tmp_path_factory.mktemp("qinghe_periods"), {"qinghe_plan.txt": PLAN})


def test_parts_over_a_two_digit_period_get_the_periods_targets(qinghe: Assistant) -> None:
    answer = qinghe.ask("双达标方案里，驿站骨干人员培训和驿站管理人员轮训，31到33年各要完成多少人？")
    # 轮训 (the plan's clause) finds the target worded 培训 (wordings.toml equivalent_heads).
    assert sorted((t.value, t.year) for t in answer.targets) == [(80, "2031-2033"), (120, "2031-2033")]
    # No digit of the question's years stands in the answer but the years themselves.
    assert not re.search(r"(?<!\d)3[13](?!\d)", answer.answer)


def test_two_questions_joined_by_a_comma_get_a_value_each(qinghe: Assistant) -> None:
    answer = qinghe.ask("青禾市33年，居民健康档案建档率要达多少，健康档案使用率又是多少？")
    assert sorted(t.value for t in answer.targets) == [60, 90]
    answer = qinghe.ask("青禾市到33年驿站康复服务覆盖率要稳定在多少，家庭病床使用率又是多少？")
    assert sorted(t.value for t in answer.targets) == [55, 70]


def test_a_plan_named_with_its_issuer_is_answered_from_it(qinghe: Assistant) -> None:
    answer = qinghe.ask("青禾市人民政府办公室发的那个双达标方案里，2031—2033年全市完成驿站骨干人员培训多少人？")
    assert [(t.value, t.year) for t in answer.targets] == [(120, "2031-2033")]

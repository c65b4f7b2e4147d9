"""Follow-ups naming a new place, a plan by region or nickname, or the same year, over made-up plans.

青禾市 and 青川县 (a county of 白石市) each have a plan setting 每万人口全科医生数; 青禾市's plan also has a
table by county (松岭县, 柳湾区 …). A follow-up naming another place's plan asks about that plan's place, never
about the place carried from the previous turn; ``换成X，同一年呢？`` keeps the indicator and the year.
"""

from __future__ import annotations

import pytest

from assistant.schema import Turn
from assistant.service import Assistant
from tests.conftest import REPO, ingested_assistant

PLANS = (
    REPO / "tests" / "ingestion" / "data" / "synthetic_plan.txt",
    REPO / "tests" / "assistant" / "data" / "county_plan_in_city.txt",
)


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return ingested_assistant(tmp_path_factory.mktemp("followup_places"), PLANS)


def _history(question: str) -> list[Turn]:
    return [Turn(role="user", content=question), Turn(role="assistant", content="…")]


@pytest.mark.parametrize(
    "followup",
    ["那青禾市那个提升方案里，2026年定的是多少？", "那换到青禾市的方案，26年要求的是多少？"],
)
def test_a_followup_naming_another_places_plan_asks_that_plan_not_the_carried_place(
    assistant: Assistant, followup: str
) -> None:
    a = assistant.ask(followup, _history("青川县到2025年每万人口全科医生数要达到多少？"))
    assert a.status == "answered", a.answer
    assert [(t.region, t.year, t.value) for t in a.targets] == [("青禾市", "2026", 4.5)]
    assert "青川" not in a.answer


def test_a_followup_naming_the_same_places_plan_keeps_the_place(assistant: Assistant) -> None:
    # 青禾市's plan lists 松岭县 in its tables: the carried county stays asked.
    a = assistant.ask("那青禾市的方案里，2026年呢？", _history("松岭县2025年培养全科医生多少人？"))
    assert a.status == "answered", a.answer
    assert [(t.region, t.year, t.value) for t in a.targets] == [("松岭县", "2026", 12.0)]


@pytest.mark.parametrize("followup", ["换成柳湾区，同一年呢？", "改成柳湾区，同样的年份呢？"])
def test_a_new_place_and_the_same_year_carries_the_indicator_and_the_year(assistant: Assistant, followup: str) -> None:
    a = assistant.ask(followup, _history("青禾市的方案里松岭县2025年培养全科医生多少人？"))
    assert a.status == "answered", a.answer
    assert [(t.region, t.year, t.value) for t in a.targets] == [("柳湾区", "2025", 9.0)]

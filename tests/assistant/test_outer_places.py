"""A place above plans' regions (a district plan's city, a province a plan implements), over made-up plans.

Two district plans lie in 白石市 (青川县, 莲山区: their ``parent_region``), a third plan implements a
《云岭省…》 document (its ``basis_regions``), and 青禾市 has a plan of its own setting the same indicator: a
question naming 白石 or 云岭 must never get 青禾市's number, nor a district's number as the city's.
"""

from __future__ import annotations

import pytest

from assistant.service import Assistant
from tests.conftest import REPO, ingested_assistant

DATA = REPO / "tests" / "assistant" / "data"
PLANS = (
    REPO / "tests" / "ingestion" / "data" / "synthetic_plan.txt",
    DATA / "county_plan_in_city.txt",
    DATA / "district_plan_in_city.txt",
    DATA / "yunling_basis_plan.txt",
)


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return ingested_assistant(tmp_path_factory.mktemp("outer_places"), PLANS)


def _doc(assistant: Assistant, region: str) -> str:
    return next(d.doc_id for d in assistant.documents() if d.meta.region == region)


def test_the_metadata_names_the_places_above_the_plans(assistant: Assistant) -> None:
    metas = {d.meta.region: d.meta for d in assistant.documents()}
    assert metas["青川县"].parent_region == "白石市"
    assert metas["莲山区"].parent_region == "白石市"
    assert metas[""].basis_regions == ["云岭省"]


def test_the_city_of_two_district_plans_answers_each_with_its_own_region(assistant: Assistant) -> None:
    a = assistant.ask("白石市的方案里，每万人口全科医生数要达到多少？")
    assert a.status == "answered", a.answer
    assert sorted((t.region, t.value) for t in a.targets) == [("莲山区", 3.9), ("青川县", 4.2)]
    assert "青川县" in a.answer and "莲山区" in a.answer  # each number labelled with its row's region
    assert "青禾" not in a.answer
    assert any("青川县的方案（白石市所辖）" in n and "莲山区" in n for n in a.notes), a.notes


def test_a_pointer_after_the_city_names_its_plans_not_a_missing_plan(assistant: Assistant) -> None:
    a = assistant.ask("白石那边的方案里家庭医生签约服务覆盖率要达到多少？")
    assert a.status == "answered", a.answer
    assert [(t.region, t.value) for t in a.targets] == [("青川县", 45)]
    assert {c.doc_id for c in a.citations} == {_doc(assistant, "青川县")}


def test_a_number_asked_of_the_city_itself_is_not_found_and_names_its_plans(assistant: Assistant) -> None:
    a = assistant.ask("白石市2025年每万人口全科医生数要达到多少？")
    assert a.status == "not_found"
    assert not a.targets and not a.citations
    assert "4.2" not in a.answer and "3.9" not in a.answer  # no district's number passed off as the city's
    assert "青川县的方案" in a.answer and "莲山区的方案" in a.answer


def test_an_indicator_none_of_the_plans_within_sets_lists_them(assistant: Assistant) -> None:
    a = assistant.ask("白石市的方案里基层住院床位使用率要达到多少？")
    assert a.status == "not_found"
    assert any("与白石市有关的方案" in n and "青川县" in n and "莲山区" in n for n in a.notes), a.notes


def test_an_explanation_about_the_city_comes_from_its_plans(assistant: Assistant) -> None:
    a = assistant.ask("白石市对家庭医生签约服务有什么要求？")
    assert a.status == "answered", a.answer
    assert {c.doc_id for c in a.citations} == {_doc(assistant, "青川县")}


def test_a_basis_province_with_a_kind_answers_from_its_plan_with_a_note(assistant: Assistant) -> None:
    a = assistant.ask("云岭的方案里每万人口全科医生数要达到多少？")
    assert a.status == "answered", a.answer
    assert [(t.region, t.value) for t in a.targets] == [("", 4.8)]
    assert any("实施云岭省文件的方案" in n for n in a.notes), a.notes


def test_a_number_asked_of_the_basis_province_itself_is_not_found(assistant: Assistant) -> None:
    a = assistant.ask("云岭省2026年每万人口全科医生数要达到多少？")
    assert a.status == "not_found"
    assert not a.targets and "4.8" not in a.answer
    assert "实施云岭省文件的方案" in a.answer


def test_the_district_named_with_its_city_is_answered_without_the_note(assistant: Assistant) -> None:
    a = assistant.ask("白石市莲山区每万人口全科医生数要达到多少？")
    assert a.status == "answered", a.answer
    assert [(t.region, t.value) for t in a.targets] == [("莲山区", 3.9)]
    assert not any("所辖" in n for n in a.notes)
    assert not any("本级" in n for n in a.notes)


def test_the_city_beside_another_region_is_answered_by_its_districts_plans(assistant: Assistant) -> None:
    a = assistant.ask("白石市和青禾市的每万人口全科医生数分别是多少？")
    assert a.status == "answered", a.answer
    # The city's side: each district's number under the district's own name, never as 白石市's.
    assert sorted((t.region, t.value) for t in a.targets if t.region != "青禾市") == [("莲山区", 3.9), ("青川县", 4.2)]
    assert "青禾市" in {t.region for t in a.targets}
    assert "白石市" not in {t.region for t in a.targets}
    assert any("没有白石市本级的目标" in n and "青川县的方案" in n and "不代表白石市" in n for n in a.notes), a.notes


def test_a_document_of_the_city_the_library_lacks_is_still_an_unknown_plan(assistant: Assistant) -> None:
    # 白石市关于…的实施意见 names one document (which no stored plan is), not "the plans in 白石市".
    a = assistant.ask("白石市关于加强社区卫生人才队伍建设的实施意见里，每万人口全科医生数要达到多少？")
    assert a.status == "not_found"
    assert not a.targets


def test_follow_ups_stay_with_the_plans_within_the_place(assistant: Assistant) -> None:
    from assistant.schema import Turn

    first = "白石市的方案里家庭医生签约服务覆盖率要达到多少？"
    history = [Turn(role="user", content=first), Turn(role="assistant", content=assistant.ask(first).answer)]
    second = assistant.ask("那每万人口全科医生数呢？", history)
    assert second.status == "answered", second.answer
    assert {t.region for t in second.targets} <= {"青川县", "莲山区"} and second.targets
    history += [Turn(role="user", content="那每万人口全科医生数呢？"), Turn(role="assistant", content=second.answer)]
    # 青禾市 sets 2026 (4.5名); the plans within 白石市 set 2025 only: not found, never 青禾市's number.
    third = assistant.ask("2026年呢？", history)
    assert third.status == "not_found", third.answer
    assert "4.5" not in third.answer


@pytest.mark.parametrize(
    "question",
    ["白石市青川县每万服务人口全科医师数？", "白石青川县每万服务人口全科医师数是多少？"],
)
def test_a_district_named_with_its_city_answers_from_its_own_plan(assistant: Assistant, question: str) -> None:
    # 青禾市's table has a 每万服务人口全科医师数 row; the district's plan words it 每万人口全科医生数.
    a = assistant.ask(question)
    assert a.status == "answered", a.answer
    assert [(t.region, t.value) for t in a.targets] == [("青川县", 4.2)]
    assert {c.doc_id for c in a.citations} == {_doc(assistant, "青川县")}


def test_a_district_named_with_its_city_beside_another_region_keeps_both_sides(assistant: Assistant) -> None:
    a = assistant.ask("白石市青川县和青禾市的每万人口全科医生数分别是多少？")
    assert a.status == "answered", a.answer
    regions = {t.region for t in a.targets}
    assert "青川县" in regions and "青禾市" in regions
    assert "莲山区" not in regions  # the district is asked, not the whole city

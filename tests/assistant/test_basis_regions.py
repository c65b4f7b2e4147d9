"""A plan named by the province of the document it implements, over made-up plans (real store)."""

from __future__ import annotations

import pytest

from assistant.service import Assistant
from tests.conftest import REPO, ingested_assistant

LOCAL_PLAN = REPO / "tests" / "ingestion" / "data" / "synthetic_plan.txt"
BASED_PLAN = REPO / "tests" / "assistant" / "data" / "province_basis_plan.txt"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return ingested_assistant(tmp_path_factory.mktemp("basis_regions"), (LOCAL_PLAN, BASED_PLAN))


def _based(assistant: Assistant) -> str:
    return next(d.doc_id for d in assistant.documents() if d.meta.basis_regions)


def test_the_province_is_a_basis_region_and_not_the_region(assistant: Assistant) -> None:
    metas = {d.doc_id: d.meta for d in assistant.documents()}
    based = metas[_based(assistant)]
    assert based.basis_regions == ["白石省"] and based.region == ""
    assert "白石省" not in {m.region for m in metas.values()}


def test_a_comparison_naming_the_province_answers_that_side_from_its_plan(assistant: Assistant) -> None:
    a = assistant.ask("每万人口全科医生数，青禾和白石那个市2026年分别要求多少？")
    assert a.status == "answered", a.answer
    assert sorted(t.value for t in a.targets) == [4.5, 5.2], a.answer
    based = [t for t in a.targets if t.doc_id == _based(assistant)]
    assert [t.region for t in based] == [""]  # the province never becomes the row's region


def test_a_province_with_a_kind_restricts_to_its_plan(assistant: Assistant) -> None:
    a = assistant.ask("白石省那个方案里每万人口全科医生数要达到多少？")
    assert a.status == "answered", a.answer
    assert {c.doc_id for c in a.citations} == {_based(assistant)}
    assert [t.value for t in a.targets] == [5.2]


def test_a_question_about_the_province_itself_is_not_answered_with_any_plan_s_number(
    assistant: Assistant,
) -> None:
    # A basis region is no plan's region: asked a number of the province itself, no plan sets one (the
    # implementing plan's is its city's, 青禾市's is another place's). Not found, naming the implementing plan.
    asked = assistant.ask("白石省2026年每万人口全科医生数要达到多少？")
    assert asked.status == "not_found"
    assert not asked.targets and not asked.citations
    assert "5.2" not in asked.answer and "4.5" not in asked.answer
    assert "实施白石省文件的方案" in asked.answer

"""A plan named by the province of the document it implements, over made-up plans (real store)."""

from __future__ import annotations

import shutil

import pytest

from assistant.service import Assistant
from tests.conftest import REPO, make_settings

LOCAL_PLAN = REPO / "tests" / "ingestion" / "data" / "synthetic_plan.txt"
BASED_PLAN = REPO / "tests" / "assistant" / "data" / "province_basis_plan.txt"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("basis_regions")
    plans = root / "plans"
    plans.mkdir()
    for src in (LOCAL_PLAN, BASED_PLAN):
        shutil.copy(src, plans / src.name)
    assistant = Assistant(make_settings(root))
    assert [r.status for r in assistant.ingest([plans])] == ["added", "added"]
    return assistant


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


def test_a_question_about_the_province_itself_is_answered_as_for_a_province_no_plan_names(
    assistant: Assistant,
) -> None:
    # A basis region is no region: asked about the province itself, the answer is the one a province no plan
    # mentions gets (abstention where the place is recognised), never the implementing plan's alone.
    asked = assistant.ask("白石省2026年每万人口全科医生数要达到多少？")
    other = assistant.ask("紫云省2026年每万人口全科医生数要达到多少？")
    assert asked.status == other.status
    assert [t.target_id for t in asked.targets] == [t.target_id for t in other.targets]
    assert {c.doc_id for c in asked.citations} != {_based(assistant)}

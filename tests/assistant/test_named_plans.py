"""Plans named in questions, uncovered years, follow-ups and help replies, over made-up plans (real store)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.schema import Turn
from assistant.service import Assistant
from tests.assistant.named_plans_store import doc_of, named_plans_assistant, title_of


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return named_plans_assistant(tmp_path_factory)


def test_the_store_has_a_national_and_a_local_plan(assistant: Assistant) -> None:
    regions = {d.meta.region for d in assistant.documents()}
    assert regions == {"全国", "青禾市"}


def test_a_nickname_restricts_the_answer_to_its_plan(assistant: Assistant) -> None:
    # Both plans set 每万人口全科医生数; 纲要 names the national one.
    a = assistant.ask("纲要里每万人口全科医生数要达到多少？")
    assert a.status == "answered", a.answer
    assert {c.doc_id for c in a.citations} == {doc_of(assistant, "全国")}
    assert [t.value for t in a.targets] == [6]


def test_a_title_in_angle_brackets_restricts_the_answer(assistant: Assistant) -> None:
    a = assistant.ask("《青禾市基层卫生能力提升方案》里2026年每万人口全科医生数要多少？")
    assert a.status == "answered", a.answer
    assert {c.doc_id for c in a.citations} == {doc_of(assistant, "青禾市")}
    assert [t.value for t in a.targets] == [4.5]


def test_a_plan_not_in_the_library_is_said_and_the_plans_listed(assistant: Assistant) -> None:
    a = assistant.ask("《健康远方2030行动计划》里人均预期寿命目标是多少？")
    assert a.status == "not_found"
    assert "健康远方2030行动计划" in a.answer
    assert title_of(assistant, "全国") in a.answer and title_of(assistant, "青禾市") in a.answer


def test_a_year_the_named_plan_does_not_cover_is_declined_with_its_years(assistant: Assistant) -> None:
    a = assistant.ask("纲要里2025年居民健康素养水平要达到多少？")
    assert a.status == "not_found", a.answer
    assert "2030年" in a.answer and "2035年" in a.answer and title_of(assistant, "全国") in a.answer


def test_a_follow_up_keeps_the_named_plan(assistant: Assistant) -> None:
    history = [
        Turn(role="user", content="纲要里人均预期寿命要达到多少？"),
        Turn(role="assistant", content="2035年人均预期寿命：81.5岁[1]。"),
    ]
    a = assistant.ask("每万人口全科医生数呢？", history=history)
    assert a.status == "answered", a.answer
    assert {c.doc_id for c in a.citations} == {doc_of(assistant, "全国")}


def test_a_greeting_gets_help_with_examples_from_the_plans(assistant: Assistant) -> None:
    a = assistant.ask("你好")
    assert a.status == "help"
    assert title_of(assistant, "青禾市") in a.answer and "可以这样问" in a.answer
    assert not a.citations and not a.suggestions


def test_api_returns_help_and_plan_restricted_answers(assistant: Assistant) -> None:
    with TestClient(create_app(assistant)) as client:
        r = client.post("/v1/ask", json={"question": "你能做什么？"})
        assert r.status_code == 200 and r.json()["status"] == "help"
        r = client.post("/v1/ask", json={"question": "纲要里每万人口全科医生数要达到多少？"})
        body = r.json()
        assert body["status"] == "answered"
        assert {c["doc_id"] for c in body["citations"]} == {doc_of(assistant, "全国")}
        chat = {"model": "policy-assistant", "messages": [{"role": "user", "content": "你好"}]}
        r = client.post("/v1/chat/completions", json=chat)
        assert r.status_code == 200 and r.json()["status"] == "help", r.text
        chat["messages"] = [{"role": "user", "content": "纲要里每万人口全科医生数要达到多少？"}]
        body = client.post("/v1/chat/completions", json=chat).json()
        assert body["status"] == "answered"
        assert {c["doc_id"] for c in body["citations"]} == {doc_of(assistant, "全国")}
        assert "6" in body["choices"][0]["message"]["content"]


def test_a_year_follow_up_takes_over_the_indicator_without_the_plan_name(assistant: Assistant) -> None:
    # "那2030年呢" takes its indicator from the previous question, which named the plan: the name stays out.
    from assistant.understanding import resolve

    answerer = assistant._get_answerer()
    history = [
        Turn(role="user", content="健康远方2035里2035年居民健康素养水平目标是多少？"),
        Turn(role="assistant", content="2035年居民健康素养水平：40%[1]。"),
    ]
    query = resolve("那2030年呢？", answerer._without_plan_names(history), answerer.vocab)
    assert query.indicator == "居民健康素养水平" and query.years == ("2030",)
    a = assistant.ask("那2030年呢？", history=history)
    assert a.status == "answered", a.answer
    assert [(t.year, t.value) for t in a.targets] == [("2030", 32)]


def test_a_plans_issue_date_is_answered_from_its_metadata_and_cited(assistant: Assistant) -> None:
    a = assistant.ask("中共中央国务院那个健康远方规划纲要是哪天发布的？")
    assert a.status == "answered", a.answer
    assert "2024年10月25日" in a.answer
    assert {c.doc_id for c in a.citations} == {doc_of(assistant, "全国")}
    assert "2024年10月25日" in a.citations[0].quote

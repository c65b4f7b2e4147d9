"""``filters.region`` contradicting the question's region: ``/v1/ask`` and chat completions say which was used."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.service import Assistant
from tests.assistant.api.helpers import SMALL_PLAN, write_small_plan
from tests.conftest import make_settings

# Two made-up counties with different values for the same indicator.
ASKED, FILTERED = "青禾县", "白鹭县"
QUESTION = f"{ASKED}到2026年每万人口全科医生数要达到多少？"


@pytest.fixture(scope="module")
def two_county_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """An app over two made-up county plans (4 and 6 general practitioners per 10,000)."""
    root = tmp_path_factory.mktemp("two_counties")
    plans = [
        write_small_plan(root / "plans", "plan_q.txt", SMALL_PLAN.replace("某县", ASKED)),
        write_small_plan(root / "plans", "plan_b.txt", SMALL_PLAN.replace("某县", FILTERED).replace("4名", "6名")),
    ]
    assistant = Assistant(make_settings(root))
    assert [r.status for r in assistant.ingest(plans)] == ["added", "added"]
    with TestClient(create_app(assistant)) as c:
        yield c


def test_ask_answers_the_question_region_and_says_so(two_county_client: TestClient) -> None:
    body = two_county_client.post("/v1/ask", json={"question": QUESTION, "filters": {"region": FILTERED}}).json()
    assert body["status"] == "answered"
    assert "4名" in body["answer"] and "6名" not in body["answer"]
    assert {c["region"] for c in body["citations"]} == {ASKED}
    assert len(body["notes"]) == 1
    note = body["notes"][0]
    assert ASKED in note and FILTERED in note and f"按问题中的地区“{ASKED}”" in note


def test_ask_without_contradiction_has_no_note(two_county_client: TestClient) -> None:
    same = two_county_client.post("/v1/ask", json={"question": QUESTION, "filters": {"region": ASKED}}).json()
    assert same["notes"] == []
    by_filter = two_county_client.post(
        "/v1/ask", json={"question": "到2026年每万人口全科医生数要达到多少？", "filters": {"region": FILTERED}}
    ).json()
    assert by_filter["notes"] == [] and "6名" in by_filter["answer"]


@pytest.mark.parametrize("stream", [False, True])
def test_chat_content_carries_the_note(two_county_client: TestClient, stream: bool) -> None:
    payload = {
        "model": "policy-assistant",
        "messages": [{"role": "user", "content": QUESTION}],
        "filters": {"region": FILTERED},
        "stream": stream,
    }
    reply = two_county_client.post("/v1/chat/completions", json=payload)
    assert reply.status_code == 200
    if stream:
        assert reply.text.rstrip().endswith("data: [DONE]")
    content = _sse_content(reply.text) if stream else reply.json()["choices"][0]["message"]["content"]
    assert f"说明：问题中指明的地区是“{ASKED}”" in content
    assert content.index("说明：") < content.index("来源：")
    assert "4名" in content


def _sse_content(text: str) -> str:
    """The content deltas of a server-sent event stream, joined."""
    out = []
    for line in text.splitlines():
        if line.startswith("data: ") and line != "data: [DONE]":
            for choice in json.loads(line[6:]).get("choices", []):
                out.append(choice.get("delta", {}).get("content") or "")
    return "".join(out)

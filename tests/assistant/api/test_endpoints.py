"""Every endpoint through the app factory, over the shipped plans (read-only), checked against the service."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.schema import Filters, Turn
from assistant.service import Assistant
from tests.conftest import plan_files

pytestmark = pytest.mark.slow

QUESTION = "到2025年每万人口全科医生数要达到多少？"


def _without_latency(answer: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in answer.items() if k != "latency_ms"}


def test_health_reports_loaded_store_without_a_key(client: TestClient, shipped_assistant: Assistant) -> None:
    r = client.get("/v1/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["store_loaded"] is True
    assert body["documents"] == len(plan_files()) == len(shipped_assistant.documents())


def test_root_redirects_to_docs_without_ui(client: TestClient) -> None:
    r = client.get("/", follow_redirects=False)
    assert r.status_code == 307
    assert r.headers["location"] == "/docs"
    assert client.get("/docs").status_code == 200


def test_openapi_documents_every_endpoint_with_examples_and_limits(
    client: TestClient, shipped_assistant: Assistant
) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    for path, method in [
        ("/v1/ask", "post"),
        ("/v1/chat/completions", "post"),
        ("/v1/models", "get"),
        ("/v1/search", "get"),
        ("/v1/targets", "get"),
        ("/v1/documents", "get"),
        ("/v1/documents", "post"),
        ("/v1/documents/{doc_id}", "get"),
        ("/v1/documents/{doc_id}", "delete"),
        ("/v1/jobs/{job_id}", "get"),
        ("/v1/health", "get"),
    ]:
        assert method in paths[path], (path, method)
    components = schema["components"]["schemas"]
    ask = components["AskRequest"]
    assert ask["examples"], "the ask request should carry examples for /docs"
    assert ask["properties"]["question"]["maxLength"] == shipped_assistant.settings.max_question_chars
    # A long history is trimmed to its last turns; only an absurd one (a hard cap far above them) is refused.
    assert ask["properties"]["history"]["maxItems"] > shipped_assistant.settings.max_history_turns
    # Errors are documented in the one envelope, validation errors included.
    assert paths["/v1/ask"]["post"]["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ErrorResponse"
    )
    assert "HTTPValidationError" not in components


def test_ask_returns_the_service_answer_with_quotes_from_the_documents(
    client: TestClient, shipped_assistant: Assistant
) -> None:
    r = client.post("/v1/ask", json={"question": QUESTION})
    assert r.status_code == 200, r.text
    body = r.json()
    direct = shipped_assistant.ask(QUESTION).model_dump(mode="json")
    assert _without_latency(body) == _without_latency(direct)
    assert body["status"] == "answered"
    assert body["citations"]
    for c in body["citations"]:
        assert c["quote"].strip()
        assert c["quote"] in shipped_assistant.document_text(c["doc_id"])


def test_ask_follow_up_uses_history(client: TestClient, shipped_assistant: Assistant) -> None:
    first = client.post("/v1/ask", json={"question": QUESTION}).json()
    history = [{"role": "user", "content": QUESTION}, {"role": "assistant", "content": first["answer"]}]
    r = client.post("/v1/ask", json={"question": "那2023年呢？", "history": history})
    assert r.status_code == 200, r.text
    body = r.json()
    direct = shipped_assistant.ask("那2023年呢？", [Turn.model_validate(t) for t in history]).model_dump(mode="json")
    assert _without_latency(body) == _without_latency(direct)
    assert "2023" in body["resolved_question"]


def test_ask_with_document_filter_cites_only_that_document(client: TestClient, shipped_assistant: Assistant) -> None:
    docs = [d.doc_id for d in shipped_assistant.documents()]
    with_targets = [d.doc_id for d in shipped_assistant.documents() if d.n_targets > 0]
    doc_id = (with_targets or docs)[0]
    r = client.post("/v1/ask", json={"question": QUESTION, "filters": {"doc_ids": [doc_id]}})
    assert r.status_code == 200, r.text
    body = r.json()
    direct = shipped_assistant.ask(QUESTION, None, Filters(doc_ids=[doc_id])).model_dump(mode="json")
    assert _without_latency(body) == _without_latency(direct)
    assert all(c["doc_id"] == doc_id for c in body["citations"])


def test_chat_completion_carries_answer_and_citations(client: TestClient, shipped_assistant: Assistant) -> None:
    r = client.post(
        "/v1/chat/completions",
        json={
            "model": "whatever-the-client-sends",
            "messages": [{"role": "system", "content": "你是助手"}, {"role": "user", "content": QUESTION}],
            "temperature": 0.2,
        },
    )
    assert r.status_code == 200, r.text
    body = r.json()
    direct = shipped_assistant.ask(QUESTION)
    assert body["object"] == "chat.completion"
    assert body["model"] == "whatever-the-client-sends"
    content = body["choices"][0]["message"]["content"]
    assert content.startswith(direct.answer.rstrip())
    assert body["citations"] == [c.model_dump(mode="json") for c in direct.citations]
    for c in direct.citations:
        assert c.quote in content
    assert body["status"] == direct.status
    assert body["choices"][0]["finish_reason"] == "stop"


def _sse_payloads(text: str) -> list[str]:
    return [line.removeprefix("data: ") for line in text.split("\n") if line.startswith("data: ")]


def test_chat_completion_stream_is_sse_with_the_same_content(client: TestClient) -> None:
    payload = {"model": "policy-assistant", "messages": [{"role": "user", "content": QUESTION}]}
    plain = client.post("/v1/chat/completions", json=payload).json()
    r = client.post("/v1/chat/completions", json={**payload, "stream": True})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/event-stream")
    events = _sse_payloads(r.text)
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert len({c["id"] for c in chunks}) == 1
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks)
    assert text == plain["choices"][0]["message"]["content"]
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["citations"] == plain["citations"]


def test_chat_follow_up_takes_history_from_messages(client: TestClient, shipped_assistant: Assistant) -> None:
    first = shipped_assistant.ask(QUESTION)
    messages = [
        {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": first.answer},
        {"role": "user", "content": [{"type": "text", "text": "那2023年呢？"}]},
    ]
    body = client.post("/v1/chat/completions", json={"model": "m", "messages": messages}).json()
    direct = shipped_assistant.ask(
        "那2023年呢？", [Turn(role="user", content=QUESTION), Turn(role="assistant", content=first.answer)]
    )
    assert body["choices"][0]["message"]["content"].startswith(direct.answer.rstrip())
    assert body["citations"] == [c.model_dump(mode="json") for c in direct.citations]


def test_models_lists_the_configured_name(client: TestClient, shipped_assistant: Assistant) -> None:
    body = client.get("/v1/models").json()
    assert body["object"] == "list"
    assert [m["id"] for m in body["data"]] == [shipped_assistant.settings.api_model_name]


def test_search_matches_the_service_and_honours_k_and_filters(client: TestClient, shipped_assistant: Assistant) -> None:
    r = client.get("/v1/search", params={"q": "全科医生", "k": 3})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["query"] == "全科医生"
    assert len(body["results"]) == 3
    direct = shipped_assistant.search("全科医生", k=3)
    assert [h["chunk_id"] for h in body["results"]] == [h.chunk_id for h in direct]
    doc_id = body["results"][0]["doc_id"]
    only = client.get("/v1/search", params={"q": "全科医生", "k": 5, "doc_id": doc_id}).json()["results"]
    assert only and all(h["doc_id"] == doc_id for h in only)
    region = next(d.meta.region for d in shipped_assistant.documents() if d.meta.region)
    hits = client.get("/v1/search", params={"q": "全科医生", "region": region}).json()["results"]
    expected = shipped_assistant.search("全科医生", k=5, filters=Filters(region=region))
    assert [h["chunk_id"] for h in hits] == [h.chunk_id for h in expected]


def test_targets_paginate_over_every_row(client: TestClient, shipped_assistant: Assistant) -> None:
    everything = [t.target_id for t in shipped_assistant.targets()]
    assert everything, "the shipped plans should yield target rows"
    seen: list[str] = []
    offset: int | None = 0
    pages = 0
    while offset is not None:
        page = client.get("/v1/targets", params={"limit": 50, "offset": offset}).json()
        assert page["limit"] == 50 and page["offset"] == offset
        seen += [t["target_id"] for t in page["items"]]
        offset = page["next_offset"]
        pages += 1
    assert seen == everything
    assert pages == -(-len(everything) // 50)


def test_targets_filters_match_the_service(client: TestClient, shipped_assistant: Assistant) -> None:
    some = shipped_assistant.targets()[0]
    params = {"doc_id": some.doc_id, "year": some.year or None, "region": some.region or None}
    params = {k: v for k, v in params.items() if v}
    body = client.get("/v1/targets", params={**params, "limit": 1000}).json()
    expected = shipped_assistant.targets(**params)  # type: ignore[arg-type]
    assert [t["target_id"] for t in body["items"]] == [t.target_id for t in expected]
    assert all(t["doc_id"] == some.doc_id for t in body["items"])
    indicator = client.get("/v1/targets", params={"indicator": "全科医生", "limit": 1000}).json()["items"]
    assert [t["target_id"] for t in indicator] == [t.target_id for t in shipped_assistant.targets(indicator="全科医生")]


def test_documents_list_and_detail(client: TestClient, shipped_assistant: Assistant) -> None:
    body = client.get("/v1/documents").json()
    expected = shipped_assistant.documents()
    assert [d["doc_id"] for d in body["documents"]] == [d.doc_id for d in expected]
    for d in body["documents"]:
        assert d["n_chunks"] > 0
        detail = client.get(f"/v1/documents/{d['doc_id']}")
        assert detail.status_code == 200
        assert detail.json() == shipped_assistant.document(d["doc_id"]).model_dump(mode="json")
        assert set(detail.json()) >= {"meta", "n_chunks", "n_targets", "warnings", "tables_failed"}


def test_a_long_history_is_trimmed_to_its_last_turns_everywhere(
    client: TestClient, shipped_assistant: Assistant
) -> None:
    """One history policy: /v1/ask, chat completions and the service keep the last max_history_turns turns."""
    first = client.post("/v1/ask", json={"question": QUESTION}).json()
    recent = [{"role": "user", "content": QUESTION}, {"role": "assistant", "content": first["answer"]}]
    older = [{"role": "user", "content": "东海县2024年要培养多少全科医生？"}, {"role": "assistant", "content": "……"}]
    limit = shipped_assistant.settings.max_history_turns
    long_history = older * limit + recent  # more turns than the limit; the last ones are the conversation
    assert len(long_history) > limit
    r = client.post("/v1/ask", json={"question": "那2023年呢？", "history": long_history})
    assert r.status_code == 200, r.text
    kept = [Turn.model_validate(t) for t in long_history[-limit:]]
    direct = shipped_assistant.ask("那2023年呢？", kept).model_dump(mode="json")
    assert _without_latency(r.json()) == _without_latency(direct)
    messages = [*long_history, {"role": "user", "content": "那2023年呢？"}]
    chat = client.post("/v1/chat/completions", json={"messages": messages}).json()
    assert chat["citations"] == direct["citations"] and chat["status"] == direct["status"]

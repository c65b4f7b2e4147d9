"""What an attacker or a careless client found (the hardening review), each with the request that showed it."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.main import create_server
from assistant.service import Assistant
from tests.assistant.api.helpers import ADMIN_KEY, SMALL_PLAN, USER_KEY, auth, live_server, settings_like

DOC_ID = "small_plan"
ASK = {"question": "每万人口全科医生数要达到多少？"}


@pytest.fixture(scope="module")
def open_client(small_assistant: Assistant) -> Iterator[TestClient]:
    with TestClient(create_app(small_assistant)) as c:
        yield c


def _chat(text: str = ASK["question"], **extra: Any) -> dict[str, Any]:
    return {"model": "m", "messages": [{"role": "user", "content": text}], **extra}


# ---- long values: 422 with a documented maximum, never SQLite's "LIKE pattern too complex" 500 ------------


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("post", "/v1/ask", {"json": {**ASK, "filters": {"region": "区" * 16_700}}}),
        ("post", "/v1/chat/completions", {"json": _chat(filters={"region": "区" * 16_700})}),
        ("post", "/v1/ask", {"json": {**ASK, "filters": {"year": "2" * 5_000}}}),
        ("post", "/v1/ask", {"json": {**ASK, "filters": {"doc_ids": ["x" * 5_000]}}}),
        ("post", "/v1/ask", {"json": {**ASK, "history": [{"role": "user", "content": "问" * 20_000}]}}),
        ("get", "/v1/targets", {"params": {"region": "a" * 55_000}}),
        ("get", "/v1/targets", {"params": {"indicator": "a" * 55_000}}),
        ("get", "/v1/search", {"params": {"q": "全科医生", "region": "a" * 55_000}}),
        ("get", "/v1/search", {"params": {"q": "a" * 55_000}}),
        ("post", "/v1/chat/completions", {"json": {**_chat("问"), "model": "m" * 5_000}}),
    ],
    ids=["ask-region", "chat-region", "ask-year", "ask-doc-id", "ask-history", "targets-region",
         "targets-indicator", "search-region", "search-q", "chat-model"],
)  # fmt: skip
def test_over_long_values_are_422(open_client: TestClient, method: str, path: str, kwargs: dict[str, Any]) -> None:
    r = open_client.request(method, path, **kwargs)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] in ("validation_error", "invalid_request")


def test_every_string_parameter_has_a_documented_maximum(open_client: TestClient) -> None:
    schema = open_client.get("/openapi.json").json()

    def unbounded(node: Any, where: str) -> list[str]:
        found: list[str] = []
        if isinstance(node, dict):
            if node.get("type") == "string" and "maxLength" not in node and "enum" not in node and "const" not in node:
                found.append(where)
            if node.get("type") == "array" and "maxItems" not in node and where.split(".")[-1] not in ("examples",):
                found.append(where + "[]")
            for k, v in node.items():
                if k not in ("examples", "example", "default"):
                    found += unbounded(v, f"{where}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                found += unbounded(v, f"{where}[{i}]")
        return found

    inputs: list[str] = []
    for path, item in schema["paths"].items():
        for method, op in item.items():
            for p in op.get("parameters", []):
                inputs += unbounded(p.get("schema", {}), f"{method} {path} ?{p['name']}")
    request_models = ("AskRequest", "Filters", "Turn", "ChatCompletionRequest", "ChatMessage", "ContentPart")
    for name in request_models:
        inputs += unbounded(schema["components"]["schemas"][name], name)
    assert inputs == [], inputs


def test_repeated_document_ids_are_bounded_and_deduplicated(open_client: TestClient) -> None:
    flood = open_client.post("/v1/ask", json={**ASK, "filters": {"doc_ids": [DOC_ID] * 38_000}})
    assert flood.status_code == 422
    ok = open_client.post("/v1/ask", json={**ASK, "filters": {"doc_ids": [DOC_ID] * 50}})
    assert ok.status_code == 200 and ok.json()["status"] == "answered"


# ---- authentication first, and key guessing slowed down per address ----------------------------------------


def test_without_a_key_a_malformed_body_is_401_not_422(small_assistant: Assistant) -> None:
    settings = settings_like(small_assistant.settings, api_keys=[USER_KEY], failed_auth_per_minute=100)
    with TestClient(create_app(small_assistant, settings=settings)) as c:
        r = c.post("/v1/ask", content=b'{"question": ', headers={"Content-Type": "application/json"})
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
        r = c.post("/v1/ask", content=b'{"question": ', headers={"Content-Type": "application/json", **auth(USER_KEY)})
        assert r.status_code == 422


def test_wrong_keys_are_rate_limited_per_address(small_assistant: Assistant) -> None:
    settings = settings_like(
        small_assistant.settings, api_keys=[USER_KEY], admin_api_keys=[ADMIN_KEY], failed_auth_per_minute=3
    )
    with TestClient(create_app(small_assistant, settings=settings)) as c:
        assert c.get("/v1/documents", headers=auth(USER_KEY)).status_code == 200
        statuses = [c.get("/v1/documents", headers=auth(f"guess-{i}")).status_code for i in range(5)]
        assert statuses[:3] == [401, 401, 401] and statuses[3:] == [429, 429]
        blocked = c.get("/v1/documents", headers=auth(USER_KEY))  # the address is blocked, whatever it sends
        assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) >= 1
        assert c.get("/v1/health").status_code == 200


def test_failed_ui_logins_are_rate_limited_per_address(small_assistant: Assistant) -> None:
    settings = settings_like(small_assistant.settings, api_keys=[USER_KEY], failed_auth_per_minute=2)
    with TestClient(create_server(settings, assistant=small_assistant)) as c:
        tries = [c.post("/ui/login", data={"username": "x", "password": f"guess-{i}"}).status_code for i in range(3)]
        assert tries[0] >= 400 and tries[1] >= 400 and tries[2] == 429
        assert c.post("/ui/login", data={"username": "x", "password": USER_KEY}).status_code == 429


# ---- strict request shapes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/ask", {**ASK, "filters": {"regoin": "某县"}}),
        ("/v1/chat/completions", _chat(filters={"regoin": "某县"})),
        ("/v1/chat/completions", _chat(stream="yes")),
        ("/v1/chat/completions", _chat(stream=1)),
    ],
    ids=["ask-unknown-filter", "chat-unknown-filter", "stream-yes", "stream-1"],
)
def test_misspelt_or_loosely_typed_fields_are_422(open_client: TestClient, path: str, body: dict[str, Any]) -> None:
    assert open_client.post(path, json=body).status_code == 422


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\u202e", "\u200b"], ids=["NUL", "ESC", "RLO", "ZWSP"])
def test_hidden_control_characters_in_a_question_are_refused(open_client: TestClient, char: str) -> None:
    cases = (("/v1/ask", {"question": f"全科医生{char}数"}), ("/v1/chat/completions", _chat(f"全科{char}医生")))
    for path, body in cases:
        r = open_client.post(path, json=body)
        assert r.status_code == 422, r.text
        assert char not in r.text and "控制字符" in r.json()["error"]["message"], r.text
    assert open_client.get("/v1/search", params={"q": f"全科{char}"}).status_code == 422


def test_a_long_file_name_keeps_its_extension(small_assistant: Assistant) -> None:
    with TestClient(create_app(small_assistant)) as c:
        name = "某县规划" * 75 + ".txt"  # 304 characters
        r = c.post("/v1/documents", files={"file": (name, SMALL_PLAN.encode())})
        assert r.status_code == 202, r.text
        assert r.json()["filename"].endswith(".txt") and len(r.json()["filename"]) <= 200


def test_two_file_parts_are_refused(small_assistant: Assistant) -> None:
    with TestClient(create_app(small_assistant)) as c:
        files = [("file", ("a.txt", SMALL_PLAN.encode())), ("file", ("b.txt", SMALL_PLAN.encode()))]
        r = c.post("/v1/documents", files=files)
        assert r.status_code == 422 and "一次只能上传一个文件" in r.json()["error"]["message"]


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("put", "/v1/documents", "GET, POST"),
        ("put", f"/v1/documents/{DOC_ID}", "GET, DELETE"),
        ("get", "/v1/ask", "POST"),
    ],
)
def test_405_names_every_method_of_the_path(open_client: TestClient, method: str, path: str, allow: str) -> None:
    r = open_client.request(method, path)
    assert r.status_code == 405 and r.headers["allow"] == allow


def test_chat_schema_and_behaviour_agree_on_roles(open_client: TestClient) -> None:
    schema = open_client.get("/openapi.json").json()["components"]["schemas"]["ChatCompletionRequest"]
    assert schema["properties"]["messages"]["contains"]["properties"]["role"]["const"] == "user"
    messages = [{"role": "user", "content": ASK["question"]}, {"role": "tool", "content": "x"}]
    trailing_tool = {"model": "m", "messages": messages}
    r = open_client.post("/v1/chat/completions", json=trailing_tool)
    assert r.status_code == 200 and r.json()["status"] == "answered"
    no_user = {"model": "m", "messages": [{"role": "system", "content": "x"}, {"role": "tool", "content": "y"}]}
    assert open_client.post("/v1/chat/completions", json=no_user).status_code == 422


@pytest.mark.integration
def test_an_unparsable_request_gets_the_json_envelope(small_assistant: Assistant) -> None:
    with live_server(create_app(small_assistant)) as base:
        host, port = base.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=30) as s:
            s.sendall(f"GET /v1/search?q={'a' * 70_000} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            data = b""
            while chunk := s.recv(65536):
                data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400") and b"application/json" in head
    assert b'"code": "bad_http_request"' in body


def test_validation_messages_are_chinese_and_point_to_the_api(open_client: TestClient) -> None:
    r = open_client.get("/v1/targets", params={"limit": 0})
    assert r.status_code == 422
    message = r.json()["error"]["message"]
    assert "应不小于 1" in message and "Input should" not in message and "/docs" in message
    missing = open_client.get(f"/v1/documents/{'x' * 10}")
    assert missing.status_code == 404 and "GET /v1/documents" in missing.json()["error"]["message"]


def test_api_docs_work_offline(open_client: TestClient) -> None:
    import re

    for page in ("/docs", "/redoc"):
        html = open_client.get(page).text
        assets = re.findall(r"""(?:src|href)=["']([^"']+)""", html)
        assert assets and all(a.startswith("/") for a in assets), assets  # nothing from a CDN
        assert all(open_client.get(a).status_code == 200 for a in assets)
        assert "http://" not in html.replace("http://testserver", "") and "https://" not in html

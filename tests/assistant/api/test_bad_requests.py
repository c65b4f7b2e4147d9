"""Bad requests get their documented status in the one error envelope, and nothing stored changes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.service import Assistant
from tests.assistant.api.helpers import settings_like
from tests.conftest import make_settings


@pytest.fixture(scope="module")
def bad_client(small_assistant: Assistant) -> Iterator[TestClient]:
    settings = settings_like(small_assistant.settings, max_upload_mb=0.01, rate_limit_per_minute=10_000)
    with TestClient(create_app(small_assistant, settings=settings)) as c:
        yield c


def snapshot(assistant: Assistant) -> dict[str, Any]:
    """Everything a bad request must leave untouched: documents, rows, chunks, saved uploads."""
    uploads = assistant.settings.data_dir / "uploads"
    return {
        "documents": [d.model_dump() for d in assistant.documents()],
        "targets": [t.target_id for t in assistant.targets()],
        "chunks": sorted(assistant.library.catalogue.chunk_ids()),
        "files": sorted(str(p.relative_to(assistant.settings.data_dir)) for p in uploads.rglob("*"))
        if uploads.exists()
        else [],
        "generation": assistant.library.catalogue.generation(),
    }


def assert_error(r: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"}
    assert body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code
    assert "Traceback" not in r.text and 'File "' not in r.text
    return body


DOC_ID = "small_plan"

BAD_ASKS: list[tuple[str, dict[str, Any] | None, bytes | None, int, str]] = [
    ("empty question", {"question": ""}, None, 422, "validation_error"),
    ("blank question", {"question": " \n\t "}, None, 422, "validation_error"),
    ("oversized question", {"question": "全科医生" * 200}, None, 422, "invalid_request"),
    ("malformed JSON", None, b'{"question": "x",', 422, "validation_error"),
    ("question not a string", {"question": 123}, None, 422, "validation_error"),
    ("history not a list", {"question": "全科医生", "history": "之前的问题"}, None, 422, "validation_error"),
    ("bad history role", {"question": "全科医生", "history": [{"role": "robot", "content": "x"}]}, None, 422, None),
    ("doc_ids not a list", {"question": "全科医生", "filters": {"doc_ids": 5}}, None, 422, "validation_error"),
    ("unknown field", {"question": "全科医生", "stream": True}, None, 422, "validation_error"),
    ("missing question", {"history": []}, None, 422, "validation_error"),
    (
        "unknown document id",
        {"question": "全科医生", "filters": {"doc_ids": [DOC_ID, "no_such_doc"]}},
        None,
        404,
        "not_found",
    ),
]


@pytest.mark.parametrize(("name", "payload", "raw", "status", "code"), BAD_ASKS, ids=[b[0] for b in BAD_ASKS])
def test_bad_ask(
    bad_client: TestClient,
    small_assistant: Assistant,
    name: str,
    payload: dict[str, Any] | None,
    raw: bytes | None,
    status: int,
    code: str | None,
) -> None:
    before = snapshot(small_assistant)
    if raw is not None:
        r = bad_client.post("/v1/ask", content=raw, headers={"Content-Type": "application/json"})
    else:
        r = bad_client.post("/v1/ask", json=payload)
    assert_error(r, status, code)
    assert snapshot(small_assistant) == before


BAD_CHATS: list[tuple[str, dict[str, Any], int]] = [
    ("no messages", {"model": "m", "messages": []}, 422),
    ("last message not from the user", {"model": "m", "messages": [{"role": "assistant", "content": "你好"}]}, 422),
    ("empty user message", {"model": "m", "messages": [{"role": "user", "content": ""}]}, 422),
    ("oversized user message", {"model": "m", "messages": [{"role": "user", "content": "问" * 501}]}, 422),
    ("messages not a list", {"model": "m", "messages": "你好"}, 422),
    ("unknown role", {"model": "m", "messages": [{"role": "wizard", "content": "你好"}]}, 422),
    (
        "unknown document",
        {"model": "m", "messages": [{"role": "user", "content": "全科医生"}], "filters": {"doc_ids": ["nope"]}},
        404,
    ),
]


@pytest.mark.parametrize(("name", "payload", "status"), BAD_CHATS, ids=[b[0] for b in BAD_CHATS])
def test_bad_chat(
    bad_client: TestClient, small_assistant: Assistant, name: str, payload: dict[str, Any], status: int
) -> None:
    before = snapshot(small_assistant)
    for stream in (False, True):
        assert_error(bad_client.post("/v1/chat/completions", json={**payload, "stream": stream}), status)
    assert snapshot(small_assistant) == before


BAD_GETS: list[tuple[str, str, dict[str, Any], int]] = [
    ("search without q", "/v1/search", {}, 422),
    ("search blank q", "/v1/search", {"q": "  "}, 422),
    ("search oversized q", "/v1/search", {"q": "医" * 501}, 422),
    ("search k zero", "/v1/search", {"q": "医生", "k": 0}, 422),
    ("search k not a number", "/v1/search", {"q": "医生", "k": "many"}, 422),
    ("search unknown document", "/v1/search", {"q": "医生", "doc_id": "nope"}, 404),
    ("targets limit zero", "/v1/targets", {"limit": 0}, 422),
    ("targets negative offset", "/v1/targets", {"offset": -1}, 422),
    ("targets unknown document", "/v1/targets", {"doc_id": "nope"}, 404),
    ("unknown document", "/v1/documents/no_such_doc", {}, 404),
    ("unknown job", "/v1/jobs/job_nope", {}, 404),
    ("unknown endpoint", "/v1/nothing-here", {}, 404),
]


@pytest.mark.parametrize(("name", "path", "params", "status"), BAD_GETS, ids=[b[0] for b in BAD_GETS])
def test_bad_get(bad_client: TestClient, name: str, path: str, params: dict[str, Any], status: int) -> None:
    assert_error(bad_client.get(path, params=params), status)


def test_delete_unknown_document_is_404_and_changes_nothing(bad_client: TestClient, small_assistant: Assistant) -> None:
    before = snapshot(small_assistant)
    assert_error(bad_client.delete("/v1/documents/no_such_doc"), 404, "not_found")
    assert_error(bad_client.delete("/v1/documents/..%2F..%2Fetc"), 404)
    assert snapshot(small_assistant) == before


def test_wrong_method_is_405_in_the_envelope(bad_client: TestClient) -> None:
    assert_error(bad_client.put("/v1/documents/x"), 405, "method_not_allowed")


BAD_UPLOADS: list[tuple[str, str, bytes, int, str]] = [
    ("executable", "tool.exe", b"MZ\x90\x00" + bytes(200), 415, "unsupported_file"),
    ("no extension", "plan", "到2025年，全科医生数达到4名。".encode(), 415, "unsupported_file"),
    ("text named pdf", "plan.pdf", "到2025年，全科医生数达到4名。".encode(), 415, "unsupported_file"),
    ("zip named docx", "plan.docx", b"PK\x03\x04" + bytes(100), 415, "unsupported_file"),
    ("pdf named txt", "plan.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", 415, "unsupported_file"),
    ("png named txt", "plan.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), 415, "unsupported_file"),
    ("binary named md", "notes.md", bytes(range(256)) * 4, 422, "text_decoding_error"),
    ("empty file", "empty.txt", b"", 422, "empty_file"),
    ("whitespace only", "blank.md", b"  \n\n ", 422, "empty_file"),
    ("over the size limit", "big.txt", ("全科医生" * 4000).encode(), 413, "file_too_large"),
    ("traversal and not a document", "../../evil.sh", b"#!/bin/sh\nrm -rf /\n", 415, "unsupported_file"),
]


@pytest.mark.parametrize(("name", "filename", "data", "status", "code"), BAD_UPLOADS, ids=[b[0] for b in BAD_UPLOADS])
def test_bad_upload(
    bad_client: TestClient,
    small_assistant: Assistant,
    tmp_path: Path,
    name: str,
    filename: str,
    data: bytes,
    status: int,
    code: str,
) -> None:
    before = snapshot(small_assistant)
    r = bad_client.post("/v1/documents", files={"file": (filename, data, "application/octet-stream")})
    assert_error(r, status, code)
    assert snapshot(small_assistant) == before


def test_upload_without_a_file_is_422(bad_client: TestClient, small_assistant: Assistant) -> None:
    before = snapshot(small_assistant)
    assert_error(bad_client.post("/v1/documents", data={"name": "x.txt"}), 422, "validation_error")
    assert snapshot(small_assistant) == before


def test_chunked_upload_over_the_limit_is_cut_off_with_413(bad_client: TestClient, small_assistant: Assistant) -> None:
    before = snapshot(small_assistant)
    boundary = "x-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n'
        "Content-Type: text/plain\r\n\r\n"
    ).encode()

    def body() -> Iterator[bytes]:
        yield head
        for _ in range(200):  # 200 x 1 KiB: far over 0.01 MB + slack, sent without a Content-Length
            yield ("医" * 341 + "\n").encode()
        yield f"\r\n--{boundary}--\r\n".encode()

    r = bad_client.post(
        "/v1/documents", content=body(), headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    assert_error(r, 413, "file_too_large")
    assert snapshot(small_assistant) == before


def test_oversized_json_body_is_413(bad_client: TestClient, small_assistant: Assistant) -> None:
    before = snapshot(small_assistant)
    history = [{"role": "user", "content": "问" * 100_000}] * 5
    assert_error(bad_client.post("/v1/ask", json={"question": "问", "history": history}), 413)
    assert snapshot(small_assistant) == before


def test_every_operation_that_takes_a_body_documents_413(bad_client: TestClient) -> None:
    # BodySizeLimit answers 413 to any /v1 request with a body over its limit, whatever the route.
    paths = bad_client.get("/openapi.json").json()["paths"]
    bodied = [
        (method.upper(), path)
        for path, operations in paths.items()
        if path.startswith("/v1/")
        for method, operation in operations.items()
        if method in ("post", "put", "patch", "delete")
    ]
    assert bodied
    undocumented = [(m, p) for m, p in bodied if "413" not in paths[p][m.lower()]["responses"]]
    assert undocumented == []


def test_unexpected_errors_are_a_bare_500_without_internals(small_assistant: Assistant) -> None:
    app = create_app(small_assistant)

    @app.get("/v1/test-only-boom")
    def boom() -> None:
        raise RuntimeError("secret detail at /srv/internal/path.py")

    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/v1/test-only-boom")
    body = assert_error(r, 500, "internal_error")
    assert "secret" not in r.text and "RuntimeError" not in r.text and "/srv" not in r.text
    assert body["error"]["message"]


def test_failed_warm_up_leaves_the_server_up_with_a_degraded_health(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, embedding=f"sentence-transformers:{tmp_path / 'no-such-model'}")
    with TestClient(create_app(Assistant(settings))) as c:
        health = c.get("/v1/health")
        assert health.status_code == 200
        body = health.json()
        assert body["status"] == "degraded" and body["store_loaded"] is False
        assert str(tmp_path) not in body["message"]  # details go to the log, not to anonymous callers
        r = c.get("/v1/search", params={"q": "全科医生"})
        assert_error(r, 503, "configuration_error")

"""API keys (401), admin-only upload and delete (403), per-key rate limit (429 + Retry-After), CORS, bind rule."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assistant.access import is_loopback
from assistant.api import create_app
from assistant.api.security import TokenBucketLimiter
from assistant.main import app as cli_app
from assistant.service import Assistant
from tests.assistant.api.helpers import ADMIN_KEY, USER_KEY, auth, settings_like, wait_for_job

DOC_ID = "small_plan"


@pytest.fixture(scope="module")
def keyed(small_assistant: Assistant) -> Iterator[TestClient]:
    # Many wrong keys are sent on purpose here: the per-address failure limit has its own test.
    settings = settings_like(
        small_assistant.settings, api_keys=[USER_KEY], admin_api_keys=[ADMIN_KEY], failed_auth_per_minute=10_000
    )
    with TestClient(create_app(small_assistant, settings=settings)) as c:
        yield c


PROTECTED = [
    ("post", "/v1/ask", {"json": {"question": "全科医生"}}),
    ("post", "/v1/chat/completions", {"json": {"model": "m", "messages": [{"role": "user", "content": "全科医生"}]}}),
    ("get", "/v1/models", {}),
    ("get", "/v1/search", {"params": {"q": "全科医生"}}),
    ("get", "/v1/targets", {}),
    ("get", "/v1/documents", {}),
    ("get", f"/v1/documents/{DOC_ID}", {}),
    ("post", "/v1/documents", {"files": {"file": ("a.txt", "到2026年，全科医生达到4名。".encode())}}),
    ("delete", f"/v1/documents/{DOC_ID}", {}),
    ("get", "/v1/jobs/job_x", {}),
]


@pytest.mark.parametrize(("method", "path", "kwargs"), PROTECTED, ids=[f"{m} {p}" for m, p, _ in PROTECTED])
@pytest.mark.parametrize("header", [None, "Bearer wrong-key", "Basic dXNlcjpwYXNz", "Bearer "])
def test_missing_or_wrong_key_is_401(
    keyed: TestClient, small_assistant: Assistant, method: str, path: str, kwargs: dict, header: str | None
) -> None:
    docs_before = small_assistant.documents()
    headers = {"Authorization": header} if header else {}
    r = keyed.request(method, path, headers=headers, **kwargs)
    assert r.status_code == 401, r.text
    assert r.json()["error"]["code"] == "unauthorized"
    assert r.headers["www-authenticate"] == "Bearer"
    assert small_assistant.documents() == docs_before


def test_health_needs_no_key(keyed: TestClient) -> None:
    assert keyed.get("/v1/health").status_code == 200


def test_user_key_reads_but_may_not_upload_or_delete(keyed: TestClient, small_assistant: Assistant) -> None:
    docs_before = small_assistant.documents()
    assert keyed.get("/v1/documents", headers=auth(USER_KEY)).status_code == 200
    assert keyed.post("/v1/ask", json={"question": "全科医生"}, headers=auth(USER_KEY)).status_code == 200
    r = keyed.delete(f"/v1/documents/{DOC_ID}", headers=auth(USER_KEY))
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    r = keyed.post(
        "/v1/documents", files={"file": ("a.txt", "到2026年，全科医生达到4名。".encode())}, headers=auth(USER_KEY)
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert small_assistant.documents() == docs_before


def test_admin_key_may_upload(keyed: TestClient, small_assistant: Assistant) -> None:
    text = "某区卫生规划\n\n一、目标\n到2026年，每千人口床位数达到6张。\n"
    r = keyed.post("/v1/documents", files={"file": ("admin.txt", text.encode())}, headers=auth(ADMIN_KEY))
    assert r.status_code == 202, r.text
    job = wait_for_job(keyed, r.json()["job_id"], headers=auth(ADMIN_KEY))
    assert job["status"] == "succeeded", job
    doc_id = job["result"]["doc_id"]
    assert keyed.get(f"/v1/documents/{doc_id}", headers=auth(USER_KEY)).status_code == 200
    assert keyed.delete(f"/v1/documents/{doc_id}", headers=auth(ADMIN_KEY)).status_code == 200


def test_burst_over_the_rate_limit_gets_429_with_retry_after(small_assistant: Assistant) -> None:
    settings = settings_like(small_assistant.settings, api_keys=[USER_KEY, "other-key"], rate_limit_per_minute=5)
    with TestClient(create_app(small_assistant, settings=settings)) as c:
        codes = [c.get("/v1/documents", headers=auth(USER_KEY)).status_code for _ in range(5)]
        assert codes == [200] * 5
        r = c.get("/v1/documents", headers=auth(USER_KEY))
        assert r.status_code == 429
        assert r.json()["error"]["code"] == "rate_limited"
        retry_after = int(r.headers["retry-after"])
        assert 1 <= retry_after <= 60
        # Another key has its own budget; health is never limited.
        assert c.get("/v1/documents", headers=auth("other-key")).status_code == 200
        assert all(c.get("/v1/health").status_code == 200 for _ in range(10))
        # A burst of asks over the limit changes nothing stored.
        before = small_assistant.documents()
        assert c.post("/v1/ask", json={"question": "全科医生"}, headers=auth(USER_KEY)).status_code == 429
        assert small_assistant.documents() == before


def test_token_bucket_refills_at_the_configured_rate() -> None:
    now = [1000.0]
    bucket = TokenBucketLimiter(per_minute=60, clock=lambda: now[0])
    assert all(bucket.acquire("k") == 0 for _ in range(60))
    wait = bucket.acquire("k")
    assert wait == pytest.approx(1.0)
    now[0] += 0.5
    assert bucket.acquire("k") == pytest.approx(0.5)
    now[0] += 0.5
    assert bucket.acquire("k") == 0
    assert bucket.acquire("other") == 0


def test_cors_is_off_by_default_and_configurable(small_assistant: Assistant) -> None:
    preflight = {
        "Origin": "http://oa.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    with TestClient(create_app(small_assistant)) as c:
        r = c.get("/v1/health", headers={"Origin": "http://oa.example"})
        assert "access-control-allow-origin" not in r.headers
    settings = settings_like(small_assistant.settings, cors_origins=["http://oa.example"])
    with TestClient(create_app(small_assistant, settings=settings)) as c:
        r = c.options("/v1/ask", headers=preflight)
        assert r.status_code == 200
        assert r.headers["access-control-allow-origin"] == "http://oa.example"
        r = c.get("/v1/health", headers={"Origin": "http://evil.example"})
        assert "access-control-allow-origin" not in r.headers


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("127.0.0.2", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.10", False),
        ("example.org", False),
        ("", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_serve_refuses_public_bind_without_keys(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)  # no .env from the developer's checkout
    monkeypatch.setenv("POLICY_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("POLICY_ASSISTANT_API_KEYS", raising=False)
    monkeypatch.delenv("POLICY_ASSISTANT_ALLOW_PUBLIC_BIND", raising=False)
    result = CliRunner().invoke(cli_app, ["serve", "--host", "0.0.0.0", "--port", "9"])
    assert result.exit_code == 2
    assert "POLICY_ASSISTANT_API_KEYS" in result.output and "--allow-public" in result.output
    assert not (tmp_path / "data").exists()

"""Property-based run over the OpenAPI schema (schemathesis): no 5xx, responses match the schema.

The app runs over a small writable store (random uploads may be ingested, random deletes must hit
nothing), with keys configured so the auth checks run too, and a rate limit high enough to stay out
of the way.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from assistant.api import create_app
from assistant.service import Assistant
from tests.assistant.api.helpers import ADMIN_KEY, settings_like

pytestmark = pytest.mark.slow

MAX_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "30"))


@pytest.fixture(scope="module")
def api_schema(small_assistant: Assistant) -> Any:
    api_settings = settings_like(
        small_assistant.settings, api_keys=["fuzz-user"],
        admin_api_keys=[ADMIN_KEY],
        rate_limit_per_minute=1_000_000,
        failed_auth_per_minute=1_000_000,
    )
    app = create_app(small_assistant, settings=api_settings)
    # The key goes through schemathesis' own auth config (not a headers override), so it knows which
    # requests carry a deliberately broken Authorization header in negative mode.
    # An over-long body is refused with 413 before it is parsed (the JSON body limit), which schemathesis
    # does not count as a rejection by default.
    rejections = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429"]
    config = SchemathesisConfig.from_dict(
        {
            "auth": {"openapi": {"ApiKey": {"bearer": ADMIN_KEY}}},
            "checks": {"negative_data_rejection": {"expected-statuses": rejections}},
        }
    )
    return schemathesis.openapi.from_asgi("/openapi.json", app, config=config)


# schemathesis' own pytest integration (``from_fixture`` + ``parametrize``) breaks on pytest 9 (it reads
# ``request.node._nodeid``), so each operation's strategy is driven by Hypothesis directly.
OPERATIONS = [
    ("POST", "/v1/ask"),
    ("POST", "/v1/chat/completions"),
    ("GET", "/v1/models"),
    ("GET", "/v1/search"),
    ("GET", "/v1/targets"),
    ("GET", "/v1/documents"),
    ("POST", "/v1/documents"),
    ("GET", "/v1/documents/{doc_id}"),
    ("DELETE", "/v1/documents/{doc_id}"),
    ("GET", "/v1/jobs/{job_id}"),
    ("GET", "/v1/health"),
]


def test_schema_lists_exactly_these_operations(api_schema: Any) -> None:
    found = {(op.ok().method.upper(), op.ok().path) for op in api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


# Rules JSON Schema cannot state, so schema-valid requests may rightly be refused (422/415): an upload
# must really be a PDF/DOCX/TXT/MD by content, and a chat's last message must be a user question of
# at most max_question_chars. For these two only, "schema-valid data is accepted" is not checked.
SEMANTIC_RULES = {("POST", "/v1/documents"), ("POST", "/v1/chat/completions")}
NO_PARAMETERS = {("GET", "/v1/health")}
ONLY_AUTH = {("GET", "/v1/models"), ("GET", "/v1/documents")}
# Operations where random schema-valid input should mostly succeed (others need a real id or file).
ACCEPTS_RANDOM_VALID_INPUT = {
    ("POST", "/v1/ask"),
    ("GET", "/v1/search"),
    ("GET", "/v1/targets"),
    ("GET", "/v1/documents"),
    ("GET", "/v1/models"),
    ("GET", "/v1/health"),
}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation_conforms_to_its_schema(api_schema: Any, method: str, path: str, mode: GenerationMode) -> None:
    if mode == GenerationMode.NEGATIVE and (method, path) in NO_PARAMETERS:
        pytest.skip("nothing to make invalid: no parameters, no body, no auth")
    operation = api_schema[path][method]
    excluded = [positive_data_acceptance] if (method, path) in SEMANTIC_RULES else []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case: Any) -> None:
        statuses.append(case.call_and_validate(excluded_checks=excluded).status_code)

    statuses: list[int] = []
    run()
    if mode == GenerationMode.POSITIVE:
        # The key really is sent: valid requests do not bounce off authentication.
        assert 401 not in statuses, statuses
    elif (method, path) in ONLY_AUTH:
        # The only thing negative mode can break here is the Authorization header.
        assert set(statuses) == {401}, statuses
    if mode == GenerationMode.POSITIVE and (method, path) in ACCEPTS_RANDOM_VALID_INPUT:
        assert any(200 <= s < 300 for s in statuses), statuses


@pytest.mark.parametrize("stream", [False, True])
def test_answered_chat_completion_matches_its_schema(api_schema: Any, stream: bool) -> None:
    # Random messages rarely form an answerable question, so the 200 replies (JSON and SSE) get an explicit case.
    operation = api_schema["/v1/chat/completions"]["POST"]
    body = {
        "model": "m",
        "messages": [{"role": "user", "content": "每万人口全科医生数的目标是多少？"}],
        "stream": stream,
    }
    response = operation.Case(body=body).call_and_validate(headers={"Authorization": f"Bearer {ADMIN_KEY}"})
    assert response.status_code == 200
    assert response.headers["content-type"][0].startswith("text/event-stream" if stream else "application/json")

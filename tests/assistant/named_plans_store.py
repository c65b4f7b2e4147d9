"""One store holding a made-up local plan and a made-up national outline, built once per test session."""

from __future__ import annotations

import pytest

from assistant.service import Assistant
from tests.conftest import REPO, ingested_assistant

LOCAL_PLAN = REPO / "tests" / "ingestion" / "data" / "synthetic_plan.txt"
NATIONAL_PLAN = REPO / "tests" / "assistant" / "data" / "national_outline.txt"

_STORE: list[Assistant] = []


def named_plans_assistant(factory: pytest.TempPathFactory) -> Assistant:
    """An Assistant over the made-up 青禾市 plan and the made-up national outline (real model, ingested once)."""
    if not _STORE:
        assistant = ingested_assistant(factory.mktemp("named_plans"), (LOCAL_PLAN, NATIONAL_PLAN))
        assistant.warm_up()
        _STORE.append(assistant)
    return _STORE[0]


def title_of(assistant: Assistant, region: str) -> str:
    """The title of the plan of ``region``."""
    return next(d.meta.title for d in assistant.documents() if d.meta.region == region)


def doc_of(assistant: Assistant, region: str) -> str:
    """The id of the plan of ``region``."""
    return next(d.doc_id for d in assistant.documents() if d.meta.region == region)

"""Fixtures of the API tests: apps over the shared shipped store and a small writable store."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

# Gradio reads this when first imported (the composition root imports it to mount the UI): no analytics calls.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from assistant.api import create_app
from assistant.service import Assistant
from tests.assistant.api.helpers import write_small_plan
from tests.conftest import make_settings


@pytest.fixture(scope="session")
def shipped_app(shipped_assistant: Assistant) -> FastAPI:
    """The app over the shipped plans, no keys, no UI (read-only use only)."""
    return create_app(shipped_assistant)


@pytest.fixture(scope="session")
def client(shipped_app: FastAPI) -> Iterator[TestClient]:
    """A client of the shipped app (lifespan run once)."""
    with TestClient(shipped_app) as c:
        yield c


@pytest.fixture(scope="module")
def small_assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """A writable store holding only the small plan (uploads and deletes go here, never to the shipped one)."""
    root = tmp_path_factory.mktemp("small")
    assistant = Assistant(make_settings(root))
    results = assistant.ingest([write_small_plan(root / "plans")])
    assert [r.status for r in results] == ["added"], results
    assistant.warm_up()
    return assistant

"""The Gradio UI mounted by the app factory at /ui, behind the API keys when keys are configured."""

from __future__ import annotations

import importlib.util

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.service import Assistant
from tests.assistant.api.helpers import USER_KEY, settings_like

pytestmark = pytest.mark.skipif(importlib.util.find_spec("ui.app") is None, reason="ui.app is not there yet")


def test_root_redirects_to_the_mounted_ui(small_assistant: Assistant) -> None:
    with TestClient(create_app(small_assistant, mount_ui=True)) as c:
        r = c.get("/", follow_redirects=False)
        assert r.status_code == 307 and r.headers["location"] == "/ui/"
        page = c.get("/ui/")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert c.get("/ui/config").status_code == 200
        # The API is still there beside it.
        assert c.get("/v1/health").json()["store_loaded"] is True


def test_ui_asks_for_an_api_key_when_keys_are_set(small_assistant: Assistant) -> None:
    settings = settings_like(small_assistant.settings, api_keys=[USER_KEY])
    with TestClient(create_app(small_assistant, settings=settings, mount_ui=True)) as c:
        assert c.get("/ui/config").status_code == 401
        bad = c.post("/ui/login", data={"username": "staff", "password": "wrong"})
        assert bad.status_code >= 400
        assert c.get("/ui/config").status_code == 401
        ok = c.post("/ui/login", data={"username": "staff", "password": USER_KEY})
        assert ok.status_code == 200
        assert c.get("/ui/config").status_code == 200

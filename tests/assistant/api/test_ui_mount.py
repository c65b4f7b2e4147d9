"""The composition root mounts the Gradio UI at /ui beside the API, behind the API keys when keys are set."""

from __future__ import annotations

from fastapi.testclient import TestClient

from assistant.main import create_server
from assistant.service import Assistant
from tests.assistant.api.helpers import USER_KEY, settings_like


def test_root_redirects_to_the_mounted_ui(small_assistant: Assistant) -> None:
    with TestClient(create_server(assistant=small_assistant)) as c:
        r = c.get("/", follow_redirects=False)
        assert r.status_code == 307 and r.headers["location"] == "/ui/"
        page = c.get("/ui/")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert c.get("/ui/config").status_code == 200
        # The API is still there beside it.
        assert c.get("/v1/health").json()["store_loaded"] is True


def test_ui_asks_for_an_api_key_when_keys_are_set(small_assistant: Assistant) -> None:
    settings = settings_like(small_assistant.settings, api_keys=[USER_KEY])
    with TestClient(create_server(settings, assistant=small_assistant)) as c:
        assert c.get("/ui/config").status_code == 401
        bad = c.post("/ui/login", data={"username": "staff", "password": "wrong"})
        assert bad.status_code >= 400
        assert c.get("/ui/config").status_code == 401
        ok = c.post("/ui/login", data={"username": "staff", "password": USER_KEY})
        assert ok.status_code == 200
        assert c.get("/ui/config").status_code == 200

"""Who may change the library from the UI: the API's admin rule, carried by the login name."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr
from fastapi.testclient import TestClient

from assistant.access import UI_ADMIN_USER, ui_login_ok, ui_user_is_admin
from assistant.main import create_server
from assistant.service import Assistant
from assistant.settings import Settings
from tests.conftest import make_settings
from ui import labels as L
from ui.app import admin_controls
from ui.pages.documents import DocumentsPage
from ui.pages.evaluation import EvaluationPage
from ui.uploads import upload_folder

USER_KEY = "ui-user-key"
ADMIN_KEY = "ui-admin-key"
PLAN = """\
某县家庭医生签约服务提升方案

一、工作目标
到2026年，重点人群家庭医生签约率达到75%以上。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("ui-access")
    return Assistant(make_settings(root, api_keys=[USER_KEY], admin_api_keys=[ADMIN_KEY]))


@pytest.mark.parametrize(
    ("api_keys", "admin_keys", "username", "password", "login", "admin"),
    [
        ([USER_KEY], [ADMIN_KEY], "staff", USER_KEY, True, False),
        ([USER_KEY], [ADMIN_KEY], "staff", ADMIN_KEY, True, False),  # an admin key under another name: not admin
        ([USER_KEY], [ADMIN_KEY], UI_ADMIN_USER, USER_KEY, False, True),  # the admin name needs an admin key
        ([USER_KEY], [ADMIN_KEY], UI_ADMIN_USER, ADMIN_KEY, True, True),
        ([USER_KEY], [ADMIN_KEY], "staff", "wrong", False, False),
        ([USER_KEY], [], "staff", USER_KEY, True, True),  # no admin keys: every key administers, as in the API
        ([USER_KEY], [], UI_ADMIN_USER, USER_KEY, True, True),
    ],
)
def test_login_and_admin_rules(
    api_keys: list[str], admin_keys: list[str], username: str, password: str, login: bool, admin: bool
) -> None:
    settings = Settings(api_keys=api_keys, admin_api_keys=admin_keys)
    assert ui_login_ok(settings, username, password) is login
    assert ui_user_is_admin(settings, username) is admin


def test_no_keys_means_everyone_administers() -> None:
    assert ui_user_is_admin(Settings(api_keys=[], admin_api_keys=[]), None)


def test_the_admin_name_with_a_user_key_cannot_log_in(assistant: Assistant) -> None:
    with TestClient(create_server(assistant=assistant)) as c:
        assert c.post("/ui/login", data={"username": UI_ADMIN_USER, "password": USER_KEY}).status_code >= 400
        assert c.get("/ui/config").status_code == 401
        assert c.post("/ui/login", data={"username": UI_ADMIN_USER, "password": ADMIN_KEY}).status_code == 200
        assert c.get("/ui/config").status_code == 200


def test_a_staff_session_cannot_upload_remove_or_run_the_evaluation(assistant: Assistant, tmp_path: Path) -> None:
    c = DocumentsPage(assistant, assistant.settings)
    staff, admin = gr.Request(username="staff"), gr.Request(username=UI_ADMIN_USER)

    def received() -> str:  # a file as Gradio's upload route leaves it
        folder = upload_folder() / f"test-{tmp_path.name}-{len(list(upload_folder().glob('test-*')))}"
        folder.mkdir(parents=True)
        (folder / "签约方案.txt").write_text(PLAN, encoding="utf-8")
        return str(folder / "签约方案.txt")

    *controls, note = admin_controls(assistant.settings, staff)
    # Upload, removal, 运行评测 and its subset box are not shown at all without admin rights.
    assert len(controls) == 4 and all(c["visible"] is False for c in controls)
    assert note["visible"] is True and "管理员" in note["value"]
    *controls, note = admin_controls(assistant.settings, admin)
    assert all(c["visible"] is True for c in controls) and note["visible"] is False

    with pytest.warns(UserWarning, match="管理员"):  # the toast Gradio shows (a warning outside a request)
        _, refused = c.upload([received()], staff, progress=lambda *_a, **_k: None)
    assert "管理员" in refused
    assert assistant.documents() == []
    with pytest.warns(UserWarning, match="管理员"):
        evaluation = EvaluationPage(assistant, assistant.settings)
        assert evaluation.run_eval(True, staff, progress=lambda *_a, **_k: None) == L.ADMIN_ONLY

    _, added = c.upload([received()], admin, progress=lambda *_a, **_k: None)
    assert "签约方案" in added
    (doc,) = assistant.documents()

    _, message = c.delete(doc.doc_id, staff)
    assert "管理员" in message
    assert [d.doc_id for d in assistant.documents()] == [doc.doc_id]
    c.delete(doc.doc_id, admin)
    assert assistant.documents() == []

"""The UI ingests only what the browser uploaded in that session, under the API's upload rules."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr
from fastapi.testclient import TestClient

from assistant.access import UI_ADMIN_USER
from assistant.main import create_server
from assistant.service import Assistant
from tests.conftest import make_settings
from ui.pages.documents import DocumentsPage
from ui.uploads import UploadInbox, UploadRules, upload_folder

USER_KEY = "uploads-user-key"
ADMIN_KEY = "uploads-admin-key"
PLAN = """\
某县家庭医生签约服务提升方案

一、工作目标
到2026年，重点人群家庭医生签约率达到75%以上。
"""


@pytest.fixture
def assistant(tmp_path: Path) -> Assistant:
    return Assistant(make_settings(tmp_path / "store", api_keys=[USER_KEY], admin_api_keys=[ADMIN_KEY]))


def _in_gradio_folder(name: str, text: str = PLAN) -> Path:
    """A file as Gradio's upload route leaves it: its own folder inside the upload folder."""
    folder = upload_folder() / f"test-{uuid.uuid4().hex}"
    folder.mkdir(parents=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _files_named(name: str) -> list[Path]:
    return [p for p in upload_folder().rglob(name) if p.is_file()] if upload_folder().is_dir() else []


def _sse_result(client: TestClient, api_name: str, payload: dict[str, object]) -> str:
    r = client.post(f"/ui/gradio_api/call/{api_name}", json=payload)
    if r.status_code != 200:
        return f"HTTP {r.status_code}"
    stream = client.get(f"/ui/gradio_api/call/{api_name}/{r.json()['event_id']}")
    return stream.text


@pytest.mark.integration
def test_a_client_cannot_name_a_file_already_on_the_server(assistant: Assistant, tmp_path: Path) -> None:
    """The security review's payload: an admin session names a server file in the upload and receive events."""
    secret = tmp_path / "elsewhere" / f"server_secret_{uuid.uuid4().hex[:8]}.txt"
    secret.parent.mkdir()
    secret.write_text(PLAN, encoding="utf-8")
    payload = {"data": [[{"path": str(secret), "meta": {"_type": "gradio.FileData"}}]]}
    with TestClient(create_server(assistant=assistant)) as c:
        assert c.post("/ui/login", data={"username": UI_ADMIN_USER, "password": ADMIN_KEY}).status_code == 200
        for api_name in ("upload", "receive"):
            result = _sse_result(c, api_name, payload)
            assert "已新增" not in result, result
    assert assistant.documents() == []
    assert _files_named(secret.name) == []  # not even copied into Gradio's folder


@pytest.mark.integration
def test_gradio_upload_route_takes_only_plan_files_and_a_bounded_count(assistant: Assistant) -> None:
    settings = assistant.settings.model_copy(update={"max_upload_files": 2})
    with TestClient(create_server(settings, assistant=assistant)) as c:
        assert c.post("/ui/login", data={"username": UI_ADMIN_USER, "password": ADMIN_KEY}).status_code == 200
        exe = f"tool_{uuid.uuid4().hex[:8]}.exe"
        r = c.post("/ui/gradio_api/upload", files=[("files", (exe, b"MZ\x90\x00binary", "application/octet-stream"))])
        assert r.status_code == 415 and r.json()["error"]["code"] == "unsupported_file"
        assert _files_named(exe) == []  # what Gradio had written is gone

        names = [f"plan_{uuid.uuid4().hex[:8]}_{i}.txt" for i in range(3)]
        many = [("files", (n, PLAN.encode(), "text/plain")) for n in names]
        r = c.post("/ui/gradio_api/upload", files=many)
        assert r.status_code == 413 and r.json()["error"]["code"] == "too_many_files"
        assert all(_files_named(n) == [] for n in names)

        ok = c.post("/ui/gradio_api/upload", files=[("files", (names[0], PLAN.encode(), "text/plain"))])
        assert ok.status_code == 200
        (path,) = json.loads(ok.text)
        assert Path(path).resolve().is_relative_to(upload_folder())


def test_inbox_keeps_only_received_plan_files_within_the_rules(tmp_path: Path) -> None:
    inbox = UploadInbox(UploadRules(max_files=2, max_mb=0.001))
    outside = tmp_path / "plan.txt"
    outside.write_text(PLAN, encoding="utf-8")
    good = _in_gradio_folder("规划.txt")
    fake_pdf = _in_gradio_folder("规划.pdf")  # text under a .pdf name
    big = _in_gradio_folder("大文件.txt", PLAN * 200)
    third = _in_gradio_folder("第三个.txt")
    kept, refused = inbox.accept([str(outside), str(good), str(fake_pdf), str(big), str(third)])
    assert kept == [str(good.resolve()), str(third.resolve())] or kept == [str(good.resolve())]
    assert any("plan.txt" in r and "不是本次会话上传" in r for r in refused)
    assert any("规划.pdf" in r for r in refused) and any("大文件.txt" in r for r in refused)
    assert outside.exists()  # a file outside Gradio's folder is refused, never deleted
    assert not fake_pdf.exists() and not big.exists()

    over = [_in_gradio_folder(f"f{i}.txt") for i in range(3)]
    kept, refused = inbox.accept(over)
    assert len(kept) == 2 and len(refused) == 1 and "最多上传 2 个" in refused[0]


def test_upload_ingests_the_session_files_then_deletes_them(assistant: Assistant) -> None:
    c = DocumentsPage(assistant, assistant.settings)
    staff, admin = gr.Request(username="staff"), gr.Request(username=UI_ADMIN_USER)
    no_progress = {"progress": lambda *_a, **_k: None}

    theirs = _in_gradio_folder("签约方案.txt")
    with pytest.warns(UserWarning, match="管理员"):
        assert c.upload([str(theirs)], staff, **no_progress)[0] == []
    assert not theirs.exists() and assistant.documents() == []

    received = _in_gradio_folder("签约方案.txt")
    kept, note = c.receive([str(received)], admin)
    assert kept == [str(received.resolve())] and note == ""
    left, report = c.upload(kept, admin, **no_progress)
    assert left == [] and "签约方案" in report and "已新增" in report
    assert [d.doc_id for d in assistant.documents()] == ["签约方案"]
    assert not received.exists()  # Gradio's copy is cleaned once ingested

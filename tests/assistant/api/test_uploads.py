"""Uploads: checked by content, saved under a server-chosen name, ingested in the background, deletable."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.service import Assistant
from ingestion.filetypes import check_content, display_name
from ingestion.text.errors import PolicyAssistantError, TextDecodingError, UnsupportedFileError
from tests.assistant.api.helpers import settings_like, wait_for_job

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
NEW_PLAN = """\
某市公共卫生能力建设三年行动计划（2025—2027年）

一、总体目标
到2027年，每千人口公共卫生人员数达到0.83人以上，疾病预防控制机构人员编制达到每万人口1.75人。

二、主要任务
（一）提升监测预警能力。每年开展应急演练不少于2次。
"""


@pytest.fixture(scope="module")
def up(small_assistant: Assistant) -> Iterator[TestClient]:
    with TestClient(create_app(small_assistant)) as c:
        yield c


def upload(up: TestClient, name: str, text: str) -> dict[str, object]:
    """Upload ``text`` as a file called ``name`` and wait for its job to finish."""
    r = up.post("/v1/documents", files={"file": (name, text.encode(), "text/plain")})
    return dict(wait_for_job(up, r.json()["job_id"]))


def stored_files(assistant: Assistant) -> list[Path]:
    uploads = assistant.settings.data_dir / "uploads"
    return sorted(p for p in uploads.iterdir() if not p.name.startswith(".")) if uploads.exists() else []


def test_upload_ingest_list_search_and_delete(up: TestClient, small_assistant: Assistant, tmp_path: Path) -> None:
    n_before = len(small_assistant.documents())
    r = up.post("/v1/documents", files={"file": ("公共卫生计划.txt", NEW_PLAN.encode("utf-8"), "text/plain")})
    assert r.status_code == 202, r.text
    job = r.json()
    assert r.headers["location"] == f"/v1/jobs/{job['job_id']}"
    assert job["status"] in ("queued", "running", "succeeded")
    assert job["filename"] == "公共卫生计划.txt"
    done = wait_for_job(up, job["job_id"])
    assert done["status"] == "succeeded", done
    assert done["result"]["status"] == "added"
    doc_id = done["result"]["doc_id"]
    assert done["result"]["n_chunks"] > 0
    # Saved under the server's name, never the client's.
    assert re.fullmatch(r"upload_[0-9a-f]{20}\.txt", done["stored_as"])
    assert [p.name for p in stored_files(small_assistant)].count(done["stored_as"]) == 1
    ids = [d["doc_id"] for d in up.get("/v1/documents").json()["documents"]]
    assert ids.count(doc_id) == 1 and len(ids) == n_before + 1
    detail = up.get(f"/v1/documents/{doc_id}").json()
    assert detail["n_chunks"] == done["result"]["n_chunks"]
    hits = up.get("/v1/search", params={"q": "公共卫生人员", "k": 3}).json()["results"]
    assert hits and hits[0]["doc_id"] == doc_id

    # The same bytes again under its name: unchanged; under another name: a duplicate. No second document.
    same: Any = upload(up, "公共卫生计划.txt", NEW_PLAN)
    assert same["status"] == "succeeded" and same["result"]["status"] == "unchanged"
    again: Any = upload(up, "copy.txt", NEW_PLAN)
    assert again["status"] == "succeeded" and again["result"]["status"] == "duplicate"
    assert done["stored_as"] in [p.name for p in stored_files(small_assistant)]  # the stored document keeps its file
    assert len(up.get("/v1/documents").json()["documents"]) == n_before + 1

    r = up.delete(f"/v1/documents/{doc_id}")
    assert r.status_code == 200
    assert r.json()["deleted"]["doc_id"] == doc_id
    assert up.get(f"/v1/documents/{doc_id}").status_code == 404
    assert len(small_assistant.documents()) == n_before
    assert done["stored_as"] not in [p.name for p in stored_files(small_assistant)]
    assert all(h["doc_id"] != doc_id for h in up.get("/v1/search", params={"q": "公共卫生人员"}).json()["results"])
    assert up.delete(f"/v1/documents/{doc_id}").status_code == 404


def test_upload_named_with_path_traversal_stays_in_the_uploads_folder(
    up: TestClient, small_assistant: Assistant
) -> None:
    data_dir = small_assistant.settings.data_dir
    outside_before = {p for p in data_dir.parent.rglob("*") if "uploads" not in p.parts}
    text = "某县卫生规划\n\n一、目标\n到2026年，村卫生室覆盖率达到100%。\n"
    r = up.post("/v1/documents", files={"file": ("../../x.txt", text.encode())})
    assert r.status_code == 202, r.text
    job = wait_for_job(up, r.json()["job_id"])
    assert job["filename"] == "x.txt"
    assert job["status"] == "succeeded", job
    assert re.fullmatch(r"upload_[0-9a-f]{20}\.txt", job["stored_as"])
    assert (data_dir / "uploads" / job["stored_as"]).is_file()
    new_outside = {p for p in data_dir.parent.rglob("*") if "uploads" not in p.parts} - outside_before
    assert not any(p.name == "x.txt" for p in new_outside)
    assert not any(p.name == "x.txt" for p in data_dir.parent.parent.iterdir())
    assert up.delete(f"/v1/documents/{job['result']['doc_id']}").status_code == 200


def test_queue_limit_gives_503_with_retry_after(small_assistant: Assistant) -> None:
    settings = settings_like(small_assistant.settings, max_pending_jobs=1, max_ingest_jobs=1)
    with TestClient(create_app(small_assistant, settings=settings)) as c:
        first = c.post("/v1/documents", files={"file": ("q1.txt", (NEW_PLAN + "\n（一）").encode())})
        second = c.post("/v1/documents", files={"file": ("q2.txt", (NEW_PLAN + "\n（二）").encode())})
        assert first.status_code == 202
        assert second.status_code == 503, second.text
        assert second.json()["error"]["code"] == "busy"
        assert int(second.headers["retry-after"]) > 0
        job = wait_for_job(c, first.json()["job_id"])
        assert job["status"] == "succeeded"
        assert c.delete(f"/v1/documents/{job['result']['doc_id']}").status_code == 200


def test_a_duplicate_of_a_stored_document_is_not_stored_twice(up: TestClient, small_assistant: Assistant) -> None:
    original = (small_assistant.settings.data_dir.parent / "plans" / "small_plan.txt").read_bytes()
    n_before = len(small_assistant.documents())
    job = wait_for_job(up, up.post("/v1/documents", files={"file": ("again.txt", original)}).json()["job_id"])
    assert job["result"]["status"] == "duplicate"
    assert len(small_assistant.documents()) == n_before
    assert job["stored_as"] not in [p.name for p in stored_files(small_assistant)]


@pytest.mark.parametrize(
    ("name", "suffix"),
    [
        ("plan.docx", ".docx"),
        ("plan.pdf", ".pdf"),
        ("plan.doc", ".doc"),
        ("plan.docx", ".doc"),  # a DOCX named .doc, as government sites serve them: read as DOCX
        ("plan_gb18030.txt", ".txt"),
        ("plan_utf8_bom.txt", ".txt"),
    ],
)
def test_real_documents_pass_the_content_check(name: str, suffix: str) -> None:
    check_content((FIXTURES / name).read_bytes(), suffix)


@pytest.mark.parametrize(
    "head",
    [b"{\\rtf1\\ansi ...", b"<html><body>", b"MIME-Version: 1.0\r\nContent-Type: text/html"],
    ids=["rtf", "html", "mht"],
)
def test_word_web_pages_and_rtf_named_doc_pass_the_content_check(head: bytes) -> None:
    check_content(head + b" \xe5\x88\xb0 2025", ".doc")


@pytest.mark.parametrize(
    ("name", "suffix", "error"),
    [
        ("plan.docx", ".pdf", UnsupportedFileError),
        ("plan.pdf", ".docx", UnsupportedFileError),
        ("plan.pdf", ".txt", UnsupportedFileError),
        ("plan.docx", ".md", UnsupportedFileError),
        ("plan.xlsx", ".docx", UnsupportedFileError),
        ("plan.pdf", ".doc", UnsupportedFileError),
        ("plan.doc", ".txt", UnsupportedFileError),
        ("plan.doc", ".docx", UnsupportedFileError),
        ("bad_encoding.txt", ".txt", TextDecodingError),
    ],
)
def test_mislabelled_files_fail_the_content_check(name: str, suffix: str, error: type[PolicyAssistantError]) -> None:
    with pytest.raises(error):
        check_content((FIXTURES / name).read_bytes(), suffix)


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../x.txt", "x.txt"),
        ("..\\..\\windows\\x.pdf", "x.pdf"),
        ("/etc/passwd", "passwd"),
        ("a\x00b\n.txt", "ab.txt"),
        ("规划.docx", "规划.docx"),
        (None, ""),
        ("..", ".."),
    ],
)
def test_display_name_keeps_only_a_harmless_label(given: str | None, shown: str) -> None:
    assert display_name(given) == shown


def test_a_changed_plan_uploaded_again_under_its_name_replaces_the_stored_one(
    up: TestClient, small_assistant: Assistant
) -> None:
    """One doc-id policy: the id comes from the name the client sent, as with ``ingest`` and the UI."""
    plan = NEW_PLAN.replace("公共卫生能力建设", "卫生应急能力建设")
    first: Any = upload(up, "行动计划.txt", plan)
    assert first["result"]["status"] == "added" and first["result"]["doc_id"] == "行动计划"
    n_docs = len(small_assistant.documents())
    second: Any = upload(up, "行动计划.txt", plan.replace("0.83人以上", "0.9人以上"))
    assert second["result"]["status"] == "updated" and second["result"]["doc_id"] == "行动计划"
    assert len(small_assistant.documents()) == n_docs  # replaced, not added beside it
    assert "0.9人以上" in small_assistant.document_text("行动计划")
    names = [p.name for p in stored_files(small_assistant)]
    assert second["stored_as"] in names and first["stored_as"] not in names  # the old upload is gone
    small_assistant.delete("行动计划")

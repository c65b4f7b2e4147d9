"""Upload jobs outlive the server that took them: ids answer after a restart, unfinished work resumes."""

from __future__ import annotations

import subprocess
import sys

from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.api.jobs import Job, JobManager, save_upload
from assistant.service import Assistant
from tests.assistant.api.helpers import SMALL_PLAN, wait_for_job

PLAN_A = SMALL_PLAN.replace("某县", "甲县").replace("30名", "31名")
PLAN_B = SMALL_PLAN.replace("某县", "乙县").replace("30名", "32名")


def _dead_owner() -> str:
    """The owner name of a JobManager in a process that has exited (a server killed mid-job)."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    from assistant.api import jobs

    return f"{jobs._HOST}:{done.stdout.strip()}:deadbeef"


def _manager(assistant: Assistant, workers: int = 1) -> JobManager:
    uploads = assistant.settings.data_dir / "uploads"
    return JobManager(assistant, uploads, max_workers=workers, max_pending=8)


def test_a_finished_job_is_still_known_after_a_restart(small_assistant: Assistant) -> None:
    with TestClient(create_app(small_assistant)) as c:
        job = wait_for_job(c, c.post("/v1/documents", files={"file": ("a.txt", PLAN_A.encode())}).json()["job_id"])
    assert job["status"] == "succeeded", job
    with TestClient(create_app(small_assistant)) as c:  # a new server on the same store
        again = c.get(f"/v1/jobs/{job['job_id']}")
        assert again.status_code == 200
        assert again.json() == job
        assert c.delete(f"/v1/documents/{job['result']['doc_id']}").status_code == 200


def test_a_job_queued_at_shutdown_is_ingested_by_the_next_server(small_assistant: Assistant) -> None:
    first = _manager(small_assistant)
    running = first.submit(PLAN_A.encode(), "a.txt")
    queued = first.submit(PLAN_B.encode(), "b.txt")
    first.shutdown(wait=True)  # finishes the running job, cancels the queued one
    assert first.get(running.job_id).status == "succeeded"
    left = first.get(queued.job_id)
    assert left.status == "queued"
    assert (small_assistant.settings.data_dir / "uploads" / left.stored_as).is_file()  # the upload is kept

    with TestClient(create_app(small_assistant)) as c:  # the lifespan recovers it
        job = wait_for_job(c, queued.job_id)
        assert job["status"] == "succeeded", job
        assert job["note"]
        assert job["result"]["status"] == "added"
        doc = c.get(f"/v1/documents/{job['result']['doc_id']}").json()
        assert doc["n_targets"] > 0
        for done in (first.get(running.job_id), Job.model_validate(job)):
            assert done.result is not None
            assert c.delete(f"/v1/documents/{done.result.doc_id}").status_code == 200


def test_a_job_of_a_killed_server_resumes_or_fails_clearly(small_assistant: Assistant) -> None:
    uploads = small_assistant.settings.data_dir / "uploads"
    store = small_assistant.job_store()
    dead = _dead_owner()
    path = save_upload(PLAN_A.encode(), "a.txt", uploads)
    resumable = Job(
        job_id="job_killed_while_running",
        status="running",
        filename="a.txt",
        stored_as=path.name,
        size_bytes=path.stat().st_size,
        created_at="2026-01-01T00:00:00+00:00",
        started_at="2026-01-01T00:00:01+00:00",
    )
    lost = resumable.model_copy(update={"job_id": "job_killed_file_gone", "stored_as": "upload_" + "0" * 20 + ".txt"})
    for job in (resumable, lost):
        store.save_job(job.job_id, job.status, dead, job.created_at, job.model_dump_json())
    n_docs = len(small_assistant.documents())

    manager = _manager(small_assistant)
    try:
        assert manager.recover() == [resumable.job_id]
        assert manager.recover() == []  # now its own job: never queued twice
        failed = manager.get(lost.job_id)
        assert failed.status == "failed"
        assert failed.error is not None
        assert failed.error.code == "interrupted"
    finally:
        manager.shutdown(wait=True)
    done = manager.get(resumable.job_id)
    assert done.status == "succeeded", done
    assert done.result is not None
    assert len(small_assistant.documents()) == n_docs + 1
    small_assistant.delete(done.result.doc_id)


def test_jobs_of_a_live_server_are_left_alone(small_assistant: Assistant) -> None:
    store = small_assistant.job_store()
    other = _manager(small_assistant)  # alive in this process
    try:
        job = Job(
            job_id="job_of_a_live_server",
            status="running",
            filename="a.txt",
            stored_as="upload_" + "1" * 20 + ".txt",
            size_bytes=1,
            created_at="2026-01-02T00:00:00+00:00",
        )
        store.save_job(job.job_id, job.status, other.owner, job.created_at, job.model_dump_json())
        manager = _manager(small_assistant)
        try:
            assert job.job_id not in manager.recover()
            assert manager.get(job.job_id).status == "running"
        finally:
            manager.shutdown(wait=True)
    finally:
        other.shutdown(wait=True)
    # Mark it finished so later recoveries on this store do not pick it up.
    store.save_job(
        job.job_id, "failed", other.owner, job.created_at, job.model_copy(update={"status": "failed"}).model_dump_json()
    )

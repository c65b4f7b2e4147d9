"""Uploads and their background ingestion: checked by content, saved under a server-chosen name.

An upload is checked before anything touches the disk (size, type by magic bytes, text encoding;
``ingestion.filetypes``), saved as ``DATA_DIR/uploads/upload_<sha256 prefix><ext>`` (the name the
client sent never reaches the file system; the document id is derived from it, so a changed plan
uploaded again under its name replaces the stored one, as with ``ingest``), and ingested by a small
thread pool so at most ``max_ingest_jobs`` ingestions run at once. Every change of a job's state is
written to the catalogue's database (``assistant.jobstore``), so job ids survive a restart; a job
that a killed server left queued or running is queued again when the next server starts, from its
saved upload (ingestion is idempotent and crash-safe, so nothing is lost or stored twice).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import socket
import tempfile
import threading
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from assistant.access import ErrorBody
from assistant.jobstore import JobStore
from assistant.library import IngestResult
from assistant.service import Assistant
from ingestion.filetypes import SUPPORTED_SUFFIXES, upload_suffix
from ingestion.text.errors import (
    BusyError,
    NotFoundError,
    PolicyAssistantError,
)

log = logging.getLogger(__name__)

MAX_JOBS_KEPT = 1000
MAX_ATTEMPTS = 2
"""A job a dying server left running is started again once; interrupted a second time, it fails."""
POISON_ERROR = ErrorBody(
    code="interrupted_twice",
    message="该文件两次入库都因服务器停止而中断，已放弃（文件可能有问题）：请检查文件后重新上传。",
)
_EXTENSIONS = "|".join(s.lstrip(".") for s in SUPPORTED_SUFFIXES)
UPLOAD_NAME = re.compile(rf"upload_[0-9a-f]{{20}}\.(?:{_EXTENSIONS})")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# ---- saving an upload -----------------------------------------------------------------------------


def save_upload(data: bytes, original_name: str, uploads_dir: Path) -> Path:
    """Write checked bytes to ``uploads_dir`` under a name derived from their hash; return the path.

    The same bytes always get the same name, so uploading a file twice does not pile up copies and
    re-ingests as "unchanged". The write is atomic (temp file, then rename).
    """
    suffix = upload_suffix(original_name)
    digest = hashlib.sha256(data).hexdigest()
    uploads_dir.mkdir(parents=True, exist_ok=True)
    target = uploads_dir / f"upload_{digest[:20]}{suffix}"
    fd, tmp = tempfile.mkstemp(dir=uploads_dir, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    with (uploads_dir / ".uploads.jsonl").open("a", encoding="utf-8") as log_file:
        entry = {"stored_as": target.name, "original_name": original_name, "sha256": digest, "at": _now()}
        log_file.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return target


# ---- jobs -----------------------------------------------------------------------------------------


JobStatus = Literal["queued", "running", "succeeded", "failed"]


class Job(BaseModel):
    """One background ingestion of an uploaded file."""

    job_id: str
    status: JobStatus
    filename: str = Field(
        description="The name the client sent: the document id comes from it; never used as a path."
    )
    stored_as: str = Field(description="The server-chosen file name under DATA_DIR/uploads.")
    size_bytes: int
    created_at: str
    started_at: str | None = None
    finished_at: str | None = None
    result: IngestResult | None = None
    error: ErrorBody | None = None
    note: str = Field(default="", description="For example that the job was queued again after a server restart.")
    attempts: int = Field(
        default=0, description="Times the ingestion started; a job a dying server left running is retried once."
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "job_id": "job_3f2a9c0e1b7d4e5f8a6b",
                    "status": "succeeded",
                    "filename": "某市基层卫生能力提升方案.pdf",
                    "stored_as": "upload_9b1de6c2a4f03e7d5b11.pdf",
                    "size_bytes": 181234,
                    "created_at": "2025-01-01T08:00:00+00:00",
                    "started_at": "2025-01-01T08:00:00+00:00",
                    "finished_at": "2025-01-01T08:00:21+00:00",
                    "result": {
                        "status": "added",
                        "doc_id": "某市基层卫生能力提升方案",
                        "n_chunks": 96,
                        "n_targets": 41,
                        "reason": "",
                        "tables_failed": [],
                        "warnings": [],
                    },
                    "error": None,
                }
            ]
        }
    }


ACTIVE: tuple[JobStatus, ...] = ("queued", "running")
FINISHED: tuple[JobStatus, ...] = ("succeeded", "failed")
_LIVE_OWNERS: set[str] = set()  # owners (JobManagers) alive in this process
_HOST = socket.gethostname()


def _owner_alive(owner: str) -> bool | None:
    """Whether the JobManager named ``owner`` (``host:pid:token``) still runs; None when it can't be told."""
    host, _, rest = owner.partition(":")
    pid_text, _, _token = rest.partition(":")
    if host != _HOST or not pid_text.isdigit():
        return None  # another machine's worker: leave its jobs to it
    pid = int(pid_text)
    if pid == os.getpid():
        return owner in _LIVE_OWNERS
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class JobManager:
    """Runs ingestion of uploads in the background with bounded concurrency and a bounded queue.

    Jobs are kept in memory for speed and written through to ``store`` so ``get`` answers after a
    restart, and so a worker of a multi-process deployment can report a job another one runs.
    """

    def __init__(
        self,
        assistant: Assistant,
        uploads_dir: Path,
        max_workers: int,
        max_pending: int,
        store: JobStore | None = None,
    ) -> None:
        self.assistant = assistant
        self.uploads_dir = uploads_dir
        self.max_pending = max_pending
        self.store = store if store is not None else assistant.job_store()
        self.owner = f"{_HOST}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        _LIVE_OWNERS.add(self.owner)
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="ingest")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    def recover(self) -> list[str]:
        """Queue again the jobs a stopped server left unfinished; return their ids.

        A job whose saved upload is gone is marked failed instead. Jobs of servers still running
        (or on another machine) are left alone.
        """
        requeued: list[str] = []
        for owner, body in self.store.jobs_with_status(ACTIVE):
            if owner == self.owner or _owner_alive(owner) is not False:
                continue
            job = Job.model_validate_json(body)
            path = self.uploads_dir / job.stored_as
            if not UPLOAD_NAME.fullmatch(job.stored_as) or not path.is_file():
                gone = "服务器在入库完成前停止，且上传的文件已不在：请重新上传。"
                error = ErrorBody(code="interrupted", message=gone)
                self._save(job.model_copy(update={"status": "failed", "finished_at": _now(), "error": error}))
                continue
            if job.status == "running" and job.attempts >= MAX_ATTEMPTS:
                # It was being ingested each time a server died: likely the file itself; give up on it.
                self._save(job.model_copy(update={"status": "failed", "finished_at": _now(), "error": POISON_ERROR}))
                path.unlink(missing_ok=True)
                log.warning("job %s: given up after %d interrupted attempts", job.job_id, job.attempts)
                continue
            job = job.model_copy(update={"status": "queued", "started_at": None, "note": "服务器重启后重新排队入库。"})
            with self._lock:
                self._jobs[job.job_id] = job
            self._save(job)
            self._start(job.job_id, path)
            requeued.append(job.job_id)
            log.info("job %s: queued again after a restart (%s)", job.job_id, job.stored_as)
        return requeued

    def pending(self) -> int:
        """Jobs queued or running in this server."""
        with self._lock:
            return sum(1 for j in self._jobs.values() if j.status in ACTIVE)

    def submit(self, data: bytes, original_name: str) -> Job:
        """Save checked bytes and queue their ingestion; raise BusyError when the queue is full."""
        if self.pending() >= self.max_pending:
            msg = f"已有 {self.max_pending} 个文件在排队入库：请稍后再上传。"
            raise BusyError(msg, retry_after=30)
        path = save_upload(data, original_name, self.uploads_dir)
        job = Job(
            job_id="job_" + uuid.uuid4().hex[:20],
            status="queued",
            filename=original_name,
            stored_as=path.name,
            size_bytes=len(data),
            created_at=_now(),
        )
        with self._lock:
            self._jobs[job.job_id] = job
            self._trim()
        self._save(job)
        self.store.trim_jobs(MAX_JOBS_KEPT, FINISHED)
        log.info("job %s: queued %s (%d bytes) as %s", job.job_id, original_name, len(data), path.name)
        self._start(job.job_id, path)
        return job.model_copy()

    def get(self, job_id: str) -> Job:
        """A copy of a job's current state; raise NotFoundError if unknown."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is not None:
            return job.model_copy()
        body = self.store.job(job_id)
        if body is None:
            msg = f"没有编号为 {job_id} 的任务：任务编号由上传接口返回。"
            raise NotFoundError(msg)
        return Job.model_validate_json(body)

    def forget_upload(self, source: str) -> bool:
        """Remove the saved upload a deleted document came from (if it was an upload); return whether one was."""
        if not UPLOAD_NAME.fullmatch(source):
            return False
        path = self.uploads_dir / source
        if path.is_file():
            path.unlink()
            return True
        return False

    def shutdown(self, wait: bool = True) -> None:
        """Stop taking jobs: queued ones stay queued for the next server; a running parse is stopped at once.

        The running job goes back to the queue (its attempt not counted), so the server stops within
        seconds whatever the file is; ``wait`` only waits for the worker threads to notice.
        """
        self._stopping.set()
        self._pool.shutdown(wait=wait, cancel_futures=True)
        _LIVE_OWNERS.discard(self.owner)

    def _start(self, job_id: str, path: Path) -> None:
        future = self._pool.submit(self._run, job_id, path)
        future.add_done_callback(lambda f: self._after(job_id, path, f))

    def _save(self, job: Job) -> None:
        self.store.save_job(job.job_id, job.status, self.owner, job.created_at, job.model_dump_json())

    def _update(self, job_id: str, **changes: object) -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                return
            job = job.model_copy(update=changes)
            self._jobs[job_id] = job
        self._save(job)

    def _trim(self) -> None:
        finished = [j.job_id for j in self._jobs.values() if j.status in FINISHED]
        for job_id in finished[: max(0, len(self._jobs) - MAX_JOBS_KEPT)]:
            del self._jobs[job_id]

    def _run(self, job_id: str, path: Path) -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            name = job.filename if job is not None else path.name
            attempts = (job.attempts if job is not None else 0) + 1
        self._update(job_id, status="running", started_at=_now(), attempts=attempts)
        previous = self._stored_source(name)
        try:
            # The id comes from the name the client sent: a changed plan uploaded again replaces it.
            file_result = self.assistant.ingest_upload(path, name, cancel=self._stopping)
        except PolicyAssistantError as e:
            self._update(job_id, status="failed", finished_at=_now(), error=ErrorBody(code=e.code, message=str(e)))
            return
        result = IngestResult.model_validate(file_result.model_dump(exclude={"path"}))
        if result.reason_code == "ingest_cancelled":
            # Stopped by this server's shutdown, not by the file: queued again, the attempt not counted.
            note = "服务器关闭时中断，下次启动时重新入库。"
            self._update(job_id, status="queued", started_at=None, attempts=attempts - 1, note=note)
            return
        if result.status == "updated" and previous not in (None, path.name):
            self.forget_upload(previous)  # the replaced version's saved upload
        if result.status == "failed":
            error = ErrorBody(code=result.reason_code or "ingest_error", message=result.reason or "入库失败。")
            self._update(job_id, status="failed", finished_at=_now(), result=result, error=error)
        else:
            self._update(job_id, status="succeeded", finished_at=_now(), result=result)
        log.info("job %s: %s %s", job_id, result.status, result.doc_id)

    def _stored_source(self, name: str) -> str | None:
        """The stored file name of the document an upload named ``name`` would replace, if there is one."""
        try:
            return self.assistant.document(self.assistant.doc_id_for(name)).source
        except NotFoundError:
            return None

    def _after(self, job_id: str, path: Path, future: Future[None]) -> None:
        """Record a crash of the worker as a failed job, and drop files that did not become documents."""
        if future.cancelled():
            # Shut down before it started: it stays queued, with its upload, for the next server.
            self._update(job_id, note="服务器已关闭，下次启动时继续入库。")
            return
        if (exc := future.exception()) is not None:
            log.error("job %s crashed", job_id, exc_info=exc)
            error = ErrorBody(code="internal_error", message="入库时发生内部错误，已记录日志；请联系管理员。")
            self._update(job_id, status="failed", finished_at=_now(), error=error)
        with self._lock:
            job = self._jobs.get(job_id)
        if job is not None and job.status == "queued":
            return  # stopped by a shutdown: the upload waits for the next server
        keep = job is not None and job.result is not None and job.result.status in ("added", "updated", "unchanged")
        if not keep and path.exists() and not self._path_in_use(path, job_id):
            path.unlink()

    def _path_in_use(self, path: Path, job_id: str) -> bool:
        """Whether another job or a stored document still relies on the file at ``path``."""
        if any(d.source == path.name for d in self.assistant.documents()):
            return True  # the same bytes uploaded again under another name: a duplicate of a stored one
        with self._lock:
            others = [
                j
                for j in self._jobs.values()
                if j.job_id != job_id
                and j.stored_as == path.name
                and (j.status in ("queued", "running") or (j.result is not None and j.result.status != "failed"))
            ]
        return bool(others)

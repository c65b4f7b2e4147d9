"""Helpers of the API tests (plain functions and constants; fixtures live in conftest.py)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.settings import Settings

USER_KEY = "user-key-for-tests"
ADMIN_KEY = "admin-key-for-tests"

# A tiny plan: enough for a document, a target or two and a cited answer, fast to embed.
SMALL_PLAN = """\
某县基层卫生服务能力提升行动方案（2024—2026年）

一、主要目标
到2026年，每万人口全科医生数达到4名以上，乡镇卫生院医疗服务能力达到基本标准的比例达到90%以上。

二、重点任务
（一）加强人才队伍建设。每年招聘医学毕业生不少于30名。
"""


def auth(key: str) -> dict[str, str]:
    """The Authorization header for ``key``."""
    return {"Authorization": f"Bearer {key}"}


def settings_like(base: Settings, **changes: Any) -> Settings:
    """A copy of ``base`` with API settings changed (the store stays the same)."""
    return base.model_copy(update=changes)


def write_small_plan(folder: Path, name: str = "small_plan.txt", text: str = SMALL_PLAN) -> Path:
    """Write the small plan text file into ``folder`` and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def wait_for_job(c: TestClient, job_id: str, headers: dict[str, str] | None = None, timeout: float = 120) -> Any:
    """Poll ``GET /v1/jobs/{id}`` until the job is finished; return its final JSON."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = c.get(f"/v1/jobs/{job_id}", headers=headers).json()
        if job["status"] in ("succeeded", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s")


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(app: FastAPI) -> Iterator[str]:
    """Run ``app`` with uvicorn on a free loopback port in a thread; yield its base URL."""
    import uvicorn

    from assistant.api.protocol import uvicorn_options

    port = free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
        **uvicorn_options(),  # type: ignore[arg-type]
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)

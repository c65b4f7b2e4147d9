"""Two API workers share one PostgreSQL catalogue and one `chroma run` server, all on loopback.

A plan uploaded through one worker is answered by the other once the catalogue's generation changes;
a plan deleted through the other is gone from the first. Each worker has its own DATA_DIR (lexical
shards, caches, uploads), as the README's "Past one machine" says.
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from tests.assistant.api.helpers import SMALL_PLAN, free_port
from tests.conftest import REPO
from tests.postgres_cluster import PostgresCluster
from tests.processes import chroma_cli, running, wait_until_ok

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PLAN = SMALL_PLAN.replace("某县", "青石县").replace("4名", "6名")
QUESTION = "青石县到2026年每万人口全科医生数要达到多少？"


def _ask(base: str) -> dict[str, object]:
    response = httpx.post(f"{base}/v1/ask", json={"question": QUESTION}, timeout=60)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_a_plan_uploaded_through_one_worker_is_answered_by_the_other(
    tmp_path: Path, postgres_cluster: PostgresCluster
) -> None:
    database_url = postgres_cluster.new_database()
    chroma_port, ports = free_port(), [free_port(), free_port()]
    with ExitStack() as stack:
        chroma_log = tmp_path / "chroma.log"
        chroma_cmd = [chroma_cli(), "run", "--path", str(tmp_path / "chroma"), "--host", "127.0.0.1"]
        chroma_proc = stack.enter_context(running([*chroma_cmd, "--port", str(chroma_port)], chroma_log))
        wait_until_ok(chroma_proc, f"http://127.0.0.1:{chroma_port}/api/v2/heartbeat", chroma_log)

        bases = []
        for i, port in enumerate(ports):
            env = {
                **os.environ,
                "POLICY_ASSISTANT_DATA_DIR": str(tmp_path / f"worker{i}"),
                "POLICY_ASSISTANT_OVERRIDES_DIR": str(tmp_path / "overrides"),
                "POLICY_ASSISTANT_DATABASE_URL": database_url,
                "POLICY_ASSISTANT_VECTOR_STORE": f"http://127.0.0.1:{chroma_port}",
            }
            cmd = [sys.executable, "-m", "assistant.main", "serve", "--no-ui", "--port", str(port)]
            log = tmp_path / f"worker{i}.log"
            proc = stack.enter_context(running(cmd, log, env=env, cwd=REPO))
            bases.append((proc, f"http://127.0.0.1:{port}", log))
        for proc, base, log in bases:
            wait_until_ok(proc, f"{base}/v1/health", log, timeout=240)
        first, second = bases[0][1], bases[1][1]

        before = _ask(second)
        assert before["status"] == "not_found"

        upload = httpx.post(f"{first}/v1/documents", files={"file": ("plan.txt", PLAN.encode())}, timeout=60)
        assert upload.status_code == 202, upload.text
        job_id = upload.json()["job_id"]
        deadline = time.monotonic() + 180
        while (job := httpx.get(f"{first}/v1/jobs/{job_id}", timeout=10).json())["status"] in ("queued", "running"):
            assert time.monotonic() < deadline, job
            time.sleep(0.3)
        assert job["status"] == "succeeded", job
        doc_id = job["result"]["doc_id"]
        # The job is in the shared catalogue: the other worker knows it too.
        assert httpx.get(f"{second}/v1/jobs/{job_id}", timeout=10).json()["status"] == "succeeded"

        after = _ask(second)
        assert after["status"] == "answered", after
        assert "6" in str(after["answer"])
        assert any("6名" in str(c["quote"]) for c in after["citations"])  # type: ignore[attr-defined]

        assert httpx.delete(f"{second}/v1/documents/{doc_id}", timeout=60).status_code == 200
        assert _ask(first)["status"] == "not_found"

"""Helpers for tests that start real servers as child processes (`chroma run`, `policy-assistant serve`)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def chroma_cli() -> str:
    """The `chroma` command of this environment (beside the interpreter, else on PATH)."""
    beside = Path(sys.executable).parent / "chroma"
    found = str(beside) if beside.exists() else shutil.which("chroma")
    if not found:
        pytest.fail("the `chroma` CLI is not installed in this environment (pip install chromadb)")
    return found


@contextmanager
def running(
    cmd: list[str], log: Path, env: dict[str, str] | None = None, cwd: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``cmd`` with its output in ``log``; terminate it (then kill it) on the way out."""
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


def wait_until_ok(proc: subprocess.Popen[bytes], url: str, log: Path, timeout: float = 60) -> None:
    """Poll ``url`` until it answers 200; fail with the log's tail if the process exits or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            pytest.fail(f"{proc.args!r} exited with {proc.returncode}: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"{url} did not answer within {timeout} s: {log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.3)


def run_at_once(
    work: Callable[[int], object], n: int, ready: Callable[[int], object] | None = None
) -> list[BaseException]:
    """Run ``work(i)`` in ``n`` threads released together (after each one's ``ready(i)``); return their errors."""
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def one(i: int) -> None:
        try:
            if ready is not None:
                ready(i)
            barrier.wait()
            work(i)
        except BaseException as e:  # noqa: BLE001 - returned to the test, which asserts on them
            errors.append(e)
            barrier.abort()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors

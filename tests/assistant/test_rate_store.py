"""Rate limits shared by workers: token buckets in the catalogue's database (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.catalogue import Catalogue
from assistant.rate_store import SharedLimiter
from assistant.service import Assistant
from tests.conftest import make_settings
from tests.processes import run_at_once


class _Clock:
    """A wall clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_two_workers_draw_from_one_bucket(database_url: str) -> None:
    clock = _Clock()
    first, second = Catalogue(database_url), Catalogue(database_url)  # two engines, like two workers
    a = SharedLimiter(lambda: first.engine, per_minute=5, clock=clock)
    b = SharedLimiter(lambda: second.engine, per_minute=5, clock=clock)
    waits = [limiter.acquire("key-1") for limiter in (a, b, a, b, a)]
    assert waits == [0.0] * 5
    assert b.acquire("key-1") == pytest.approx(12.0)  # 5 a minute: the next token in 12 s
    assert a.acquire("key-2") == 0.0  # another caller has its own bucket
    clock.now += 12.0
    assert a.acquire("key-1") == 0.0
    assert b.acquire("key-1") > 0


def test_concurrent_requests_never_overdraw(database_url: str) -> None:
    """Four workers hammer one caller's bucket at the same instant: exactly its 20 tokens are granted."""
    Catalogue(database_url).count_documents()
    clock = _Clock()
    granted: list[float] = []
    stores = [Catalogue(database_url) for _ in range(4)]
    limiters = [SharedLimiter(lambda store=store: store.engine, per_minute=20, clock=clock) for store in stores]

    def work(worker: int) -> None:
        granted.extend(limiters[worker].acquire("busy-key") for _ in range(10))

    assert run_at_once(work, 4, ready=lambda worker: stores[worker].count_documents()) == []
    assert len(granted) == 40
    assert granted.count(0.0) == 20


def test_api_workers_on_postgres_share_the_limit(tmp_path: Path, database_url: str) -> None:
    """rate_limit_store=auto: shared on PostgreSQL, per worker on SQLite (the single-machine default)."""
    shared = not database_url.startswith("sqlite")
    apps = []
    for name in ("w1", "w2"):
        settings = make_settings(tmp_path / name, database_url=database_url, rate_limit_per_minute=3)
        assert settings.shared_rate_limits is shared
        apps.append(TestClient(create_app(Assistant(settings))))
    codes = [apps[i % 2].get("/v1/documents").status_code for i in range(5)]
    if shared:
        assert codes == [200, 200, 200, 429, 429]
    else:
        assert codes == [200] * 5  # each worker has its own 3 a minute
    assert apps[0].get("/v1/health").status_code == 200  # public, never limited

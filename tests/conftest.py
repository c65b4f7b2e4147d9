"""Shared fixtures: settings on scratch folders, and one real store of the shipped plans per session."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from assistant.settings import Settings
from tests.postgres_cluster import ClusterUnavailableError, PostgresCluster, start_cluster

if TYPE_CHECKING:
    from assistant.service import Assistant

REPO = Path(__file__).resolve().parents[1]
PLANS = REPO / "data" / "plans"


def plan_files() -> list[Path]:
    """The shipped plan files (text and PDF alike), sorted; maintainers' sidecars excluded."""
    return sorted(p for p in PLANS.iterdir() if p.is_file() and not p.name.endswith(".meta.json"))


def make_settings(root: Path, **overrides: object) -> Settings:
    """Settings whose store lives under ``root`` (never the developer's own DATA_DIR)."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=root / "data",
        overrides_dir=root / "overrides",
        **overrides,  # type: ignore[arg-type]
    )


def ingested_assistant(root: Path, sources: Sequence[Path]) -> Assistant:
    """An Assistant whose store lives under ``root``, holding copies of ``sources`` (real model); each one added."""
    from assistant.service import Assistant

    plans = root / "plans"
    plans.mkdir()
    for src in sources:
        shutil.copy(src, plans / src.name)
    assistant = Assistant(make_settings(root))
    results = assistant.ingest([plans])
    assert [r.status for r in results] == ["added"] * len(sources), results
    return assistant


def assistant_of_texts(root: Path, texts: Mapping[str, str]) -> Assistant:
    """An Assistant whose store lives under ``root``, holding made-up plans (file name -> text); each one added."""
    sources = root / "sources"
    sources.mkdir()
    for name, text in texts.items():
        (sources / name).write_text(text, encoding="utf-8")
    return ingested_assistant(root, [sources / name for name in texts])


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Fresh settings on an empty scratch store."""
    return make_settings(tmp_path)


@pytest.fixture(scope="session")
def shipped_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Settings of a store holding the shipped plans, ingested once per test session (real model)."""
    from assistant.library import Library

    root = tmp_path_factory.mktemp("shipped")
    s = make_settings(root)
    report = Library(s).ingest([PLANS])
    assert report.ok, [f.reason for f in report.failed]
    yield s


@pytest.fixture(scope="session")
def shipped_assistant(shipped_settings: Settings):  # type: ignore[no-untyped-def]
    """An Assistant over the shipped plans, warmed up (shared: do not ingest or delete through it)."""
    from assistant.service import Assistant

    assistant = Assistant(shipped_settings)
    assistant.warm_up()
    return assistant


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """One throwaway PostgreSQL cluster on loopback for the session (skipped when absent, unless required)."""
    try:
        cluster = start_cluster()
    except ClusterUnavailableError as e:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"REQUIRE_POSTGRES=1 but {e}")
        pytest.skip(str(e))
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A catalogue URL on an empty database: a SQLite file, then a fresh database on the session cluster."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'catalogue' / 'store.sqlite'}"
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    return cluster.new_database()

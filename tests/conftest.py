"""Shared fixtures: settings on scratch folders, and one real store of the shipped plans per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.settings import Settings

REPO = Path(__file__).resolve().parents[1]
PLANS = REPO / "data" / "plans"


def make_settings(root: Path, **overrides: object) -> Settings:
    """Settings whose store lives under ``root`` (never the developer's own DATA_DIR)."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=root / "data",
        overrides_dir=root / "overrides",
        **overrides,  # type: ignore[arg-type]
    )


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

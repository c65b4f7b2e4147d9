"""The codebase keeps its own conventions: ruff (docstrings, no print, no blind except) and strict mypy."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO

PACKAGES = ["assistant", "ingestion", "vectorstore", "evals", "ui", "tests", "benchmarks"]


def test_ruff_is_clean() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", *PACKAGES], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout[-4000:]


@pytest.mark.slow
def test_mypy_strict_is_clean() -> None:
    done = subprocess.run([sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:]

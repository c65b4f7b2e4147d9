"""The layer contract in pyproject.toml holds: no import from a lower layer to a higher one, no circle.

Bottom up: text (ingestion.text) < ingestion < vectorstore < assistant core < evals < the shared
access rules < the interfaces (API | CLI | UI, independent of each other) < the composition root;
benchmarks on top, imported by nothing. See the README's Architecture section.
"""

from __future__ import annotations

import os
import tomllib

import pytest
from importlinter.cli import lint_imports

from tests.conftest import REPO


def test_every_layer_contract_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.syspath_prepend(str(REPO))
    assert lint_imports(config_filename=str(REPO / "pyproject.toml"), no_cache=True, no_logo=True) == 0


def test_the_contract_covers_every_package_and_ignores_nothing() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    packages = {p.name for p in REPO.iterdir() if (p / "__init__.py").is_file() and p.name != "tests"}
    assert packages <= set(config["root_packages"])
    assert all("ignore_imports" not in c for c in config["contracts"])
    assert os.sep not in "".join(config["root_packages"])

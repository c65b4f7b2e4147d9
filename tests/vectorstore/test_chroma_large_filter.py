"""DenseIndex.search with an allowed set too large for Chroma's id filter (SQLite's 32,766 variables)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import vectorstore.chroma as chroma
from vectorstore.chroma import DenseIndex, make_chroma_client
from vectorstore.embeddings import CachedEmbeddings

CORPUS: dict[str, str] = json.loads((Path(__file__).parent / "corpus.json").read_text(encoding="utf-8"))


def test_large_allowed_set_gives_the_same_hits_as_the_id_filter(
    tmp_path: Path, cached_e5: CachedEmbeddings, monkeypatch: pytest.MonkeyPatch
) -> None:
    idx = DenseIndex(make_chroma_client("embedded", tmp_path / "chroma"), "policy_chunks", cached_e5)
    idx.add(list(CORPUS), list(CORPUS.values()))
    ids = sorted(CORPUS)
    for allowed in (set(ids[::2]), set(ids[1:4]), {ids[0], "gone:1"}):
        by_filter = idx.search("全科医生", k=3, allowed=allowed)
        monkeypatch.setattr(chroma, "MAX_ID_FILTER", 0)
        by_results = idx.search("全科医生", k=3, allowed=allowed)
        monkeypatch.undo()
        assert by_results == by_filter
        assert by_filter and all(cid in allowed for cid, _ in by_filter)


@pytest.mark.slow
def test_allowed_set_beyond_sqlite_variable_limit(tmp_path: Path, cached_e5: CachedEmbeddings) -> None:
    # 34,000 stored vectors (random, written directly: embedding them would take an hour here).
    idx = DenseIndex(make_chroma_client("embedded", tmp_path / "chroma"), "policy_chunks", cached_e5)
    rng = np.random.default_rng(0)
    n = 34_000
    ids = [f"doc{i // 40}:{i % 40}" for i in range(n)]
    for i in range(0, n, 5000):
        vecs = rng.normal(size=(len(ids[i : i + 5000]), 384)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        idx.collection.upsert(ids=ids[i : i + 5000], embeddings=vecs.tolist())
    allowed = set(ids[:33_000])
    hits = idx.search("全科医生", k=5, allowed=allowed)
    assert len(hits) == 5
    assert all(cid in allowed for cid, _ in hits)

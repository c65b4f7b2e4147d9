"""Chroma on tmp_path: add, search, filters, delete, reopen; the client factory."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from ingestion.text.errors import ConfigurationError
from vectorstore.chroma import DenseIndex, exact_cosine, make_chroma_client
from vectorstore.embeddings import CachedEmbeddings

CORPUS: dict[str, str] = json.loads((Path(__file__).parent / "corpus.json").read_text(encoding="utf-8"))
IDS = list(CORPUS)
TEXTS = list(CORPUS.values())
METAS = [{"doc_id": cid.split(":")[0], "ord": i, "note": None} for i, cid in enumerate(IDS)]


@pytest.fixture
def index(tmp_path: Path, cached_e5: CachedEmbeddings) -> DenseIndex:
    client = make_chroma_client("embedded", tmp_path / "chroma")
    idx = DenseIndex(client, "policy_chunks", cached_e5, batch_size=4)
    idx.add(IDS, TEXTS, METAS)
    return idx


def test_add_reports_progress_and_counts(tmp_path: Path, cached_e5: CachedEmbeddings) -> None:
    client = make_chroma_client("embedded", tmp_path / "chroma")
    idx = DenseIndex(client, "policy_chunks", cached_e5, batch_size=4)
    seen: list[int] = []
    idx.add(IDS, TEXTS, METAS, progress=seen.append)
    assert seen == [4, 2]
    assert idx.count() == len(IDS)
    assert idx.ids() == set(IDS)


def test_search_returns_ids_with_cosine_similarity(index: DenseIndex) -> None:
    hits = index.search("乡村医生岗位补贴每月多少钱？", k=3)
    assert hits[0][0] == "plan-b:1"
    scores = [s for _, s in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 < s <= 1.0 for s in scores)
    assert len(index.search("全科医生", k=100)) == len(IDS)  # k above the collection size


def test_collection_uses_cosine_space(index: DenseIndex) -> None:
    config = index.collection.configuration_json
    assert config["hnsw"]["space"] == "cosine"


def test_where_and_allowed_filters(index: DenseIndex) -> None:
    hits = index.search("全科医生", k=10, where={"doc_id": "plan-b"})
    assert {cid for cid, _ in hits} == {"plan-b:1", "plan-b:2", "plan-b:3"}
    hits = index.search("全科医生", k=10, allowed={"plan-a:3", "plan-b:2"})
    assert {cid for cid, _ in hits} == {"plan-a:3", "plan-b:2"}
    assert index.search("全科医生", k=10, allowed=set()) == []
    # ids Chroma does not hold (e.g. rows SQLite knows but a killed ingest never embedded) are ignored
    assert [c for c, _ in index.search("全科医生", k=10, allowed={"plan-a:2", "gone:1"})] == ["plan-a:2"]
    assert index.search("全科医生", k=10, allowed={"gone:1"}) == []
    stored = index.collection.get(ids=["plan-a:1"], include=["metadatas", "documents"])
    assert stored["metadatas"][0] == {"doc_id": "plan-a", "ord": 0}  # None dropped
    assert stored["documents"][0] == TEXTS[0]


def test_upsert_replaces_and_delete_removes(index: DenseIndex) -> None:
    index.add(["plan-a:1"], ["村卫生室运行保障经费每年1万元"], [{"doc_id": "plan-a"}])
    assert index.count() == len(IDS)
    assert index.search("村卫生室运行保障经费", k=1)[0][0] == "plan-a:1"
    index.delete(["plan-a:1", "plan-b:3", "no-such-id"])
    assert index.ids() == set(IDS) - {"plan-a:1", "plan-b:3"}
    assert all(cid != "plan-a:1" for cid, _ in index.search("运行保障经费", k=10))


def test_reopen_persists(tmp_path: Path, cached_e5: CachedEmbeddings) -> None:
    path = tmp_path / "chroma"
    first = DenseIndex(make_chroma_client("embedded", path), "policy_chunks", cached_e5)
    first.add(IDS, TEXTS, METAS)
    first.delete(["plan-b:2"])
    del first
    again = DenseIndex(make_chroma_client("embedded", path), "policy_chunks", cached_e5)
    assert again.ids() == set(IDS) - {"plan-b:2"}
    assert again.search("基础设施提档升级达标率", k=1)[0][0] == "plan-a:1"


def test_empty_collection_and_bad_input(tmp_path: Path, cached_e5: CachedEmbeddings) -> None:
    idx = DenseIndex(make_chroma_client("embedded", tmp_path / "c"), "empty_chunks", cached_e5)
    assert idx.search("任何问题", k=5) == []
    assert idx.ids() == set()
    with pytest.raises(ValueError, match="same length"):
        idx.add(["a", "b"], ["一"], None)
    with pytest.raises(ValueError, match="Duplicate"):
        idx.add(["a", "a"], ["一", "二"], None)


def test_client_factory_rejects_bad_settings(tmp_path: Path, cached_e5: CachedEmbeddings) -> None:
    with pytest.raises(ConfigurationError, match="embedded"):
        make_chroma_client("postgres://x", tmp_path)
    with pytest.raises(ConfigurationError, match="no host"):
        make_chroma_client("http://:8000", tmp_path)
    client = make_chroma_client("embedded", tmp_path / "c")
    with pytest.raises(ConfigurationError, match="collection"):
        DenseIndex(client, "x", cached_e5)  # Chroma needs 3-512 characters


def test_telemetry_is_off(tmp_path: Path) -> None:
    client = make_chroma_client("embedded", tmp_path / "c")
    assert client.get_settings().anonymized_telemetry is False


def test_embedded_store_and_search_open_no_network_connection(
    tmp_path: Path, cached_e5: CachedEmbeddings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    attempts: list[object] = []
    real_connect = socket.socket.connect

    def guarded_connect(self: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if self.family in (socket.AF_INET, socket.AF_INET6) and host not in ("127.0.0.1", "::1", "localhost"):
            attempts.append(address)
            msg = f"network access attempted: {address!r}"
            raise OSError(msg)
        real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    from vectorstore.hybrid import HybridRetriever
    from vectorstore.lexical import LexicalIndex

    client = make_chroma_client("embedded", tmp_path / "offline")
    dense = DenseIndex(client, "policy_chunks", cached_e5)
    dense.add(IDS, TEXTS, METAS)
    lexical = LexicalIndex()
    lexical.build(IDS, TEXTS)
    hits = HybridRetriever(dense, lexical).search("村卫生室岗位补贴", k=2)
    assert hits[0][0] == "plan-b:1"
    assert attempts == []


def test_every_path_gives_the_exact_cosine_ranking(tmp_path: Path, cached_e5: CachedEmbeddings) -> None:
    """Exhaustive scoring (small population) and approximate search re-scored exactly agree to the bit."""
    client = make_chroma_client("embedded", tmp_path / "chroma")
    exact = DenseIndex(client, "policy_chunks", cached_e5)
    exact.add(IDS, TEXTS, METAS)
    approximate = DenseIndex(client, "policy_chunks", cached_e5, exact_max=0)
    query = "全科医生"
    assert approximate.search(query, k=4) == exact.search(query, k=4)
    allowed = {"plan-a:1", "plan-a:3", "plan-b:2", "gone:1"}
    assert approximate.search(query, k=10, allowed=allowed) == exact.search(query, k=10, allowed=allowed)
    hits = exact.search(query, k=len(IDS))
    vectors = np.asarray(cached_e5.embed_documents(TEXTS), dtype=np.float64)
    q = np.asarray(cached_e5.embed_query(query), dtype=np.float64)
    judge = {cid: float(v @ q / np.linalg.norm(v) / np.linalg.norm(q)) for cid, v in zip(IDS, vectors, strict=True)}
    assert [cid for cid, _ in hits] == sorted(IDS, key=lambda cid: -judge[cid])
    assert [s for _, s in hits] == pytest.approx([judge[cid] for cid, _ in hits], abs=1e-6)


def test_exact_cosine_normalises_only_what_is_not_unit_length() -> None:
    rows = np.array([[1.0, 0.0], [3.0, 4.0], [0.0, 0.0], [0.6, 0.8]], dtype=np.float32)
    scores = exact_cosine([0.0, 2.0], rows)
    assert scores.tolist() == pytest.approx([0.0, 0.8, 0.0, 0.8])
    assert exact_cosine([0.0, 0.0], rows).tolist() == [0.0, 0.0, 0.0, 0.0]
    assert exact_cosine([1.0, 0.0], np.zeros((0, 2))).tolist() == []


def test_kept_vectors_follow_writes(tmp_path: Path, cached_e5: CachedEmbeddings) -> None:
    """The in-memory copy of a small collection is re-read after a write here, a count change, or forget_vectors."""
    client = make_chroma_client("embedded", tmp_path / "chroma")
    reader = DenseIndex(client, "policy_chunks", cached_e5)
    reader.add(IDS, TEXTS, METAS)
    other = DenseIndex(client, "policy_chunks", cached_e5)  # stands for another process writing
    query = "乡村医生岗位补贴每月多少钱？"
    first_text = "青川县乡村医生岗位补贴：每人每月500元。"
    second_text = "白石市推进职业病防治，完善尘肺病患者救治救助。"
    assert "new:1" not in dict(reader.search(query, k=10))
    other.add(["new:1"], [first_text])
    first = dict(reader.search(query, k=10))["new:1"]  # the count changed
    other.add(["new:1"], [second_text])
    assert dict(reader.search(query, k=10))["new:1"] == first  # same count: the kept copy until told
    reader.forget_vectors()
    second = dict(reader.search(query, k=10))["new:1"]
    assert second < first - 0.01
    reader.add(["new:1"], [first_text])
    assert dict(reader.search(query, k=10))["new:1"] == first  # a write through this index


def test_a_vector_chroma_cannot_read_falls_back_to_the_approximate_search(
    index: DenseIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A process killed mid-write can leave a record without its vector; reading every vector then fails
    # inside Chroma ("Error finding id"). Injected here on the real collection: the search still answers.
    from chromadb.errors import InternalError

    exact = index.search("乡村医生岗位补贴每月多少钱？", k=3)
    index.forget_vectors()
    real_get = index.collection.get

    def failing_get(*args: object, **kwargs: object) -> object:
        if "embeddings" in (kwargs.get("include") or []):  # type: ignore[operator]
            raise InternalError("Error executing plan: Internal error: Error finding id")
        return real_get(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(index.collection, "get", failing_get)
    approximate = index.search("乡村医生岗位补贴每月多少钱？", k=3)
    assert [cid for cid, _ in approximate] == [cid for cid, _ in exact]
    assert all(abs(a[1] - e[1]) < 1e-4 for a, e in zip(approximate, exact, strict=True))
    # The id-filtered search reads vectors too, and falls back the same way.
    assert [cid for cid, _ in index.search("乡村医生", k=2, allowed={"plan-b:1"})] == ["plan-b:1"]

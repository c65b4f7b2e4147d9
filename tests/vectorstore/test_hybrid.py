"""Hybrid retrieval: the fusion rules, and a real small corpus through Chroma + BM25."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vectorstore.chroma import DenseIndex, make_chroma_client
from vectorstore.embeddings import CachedEmbeddings
from vectorstore.hybrid import HybridRetriever, rrf_fuse, score_fuse
from vectorstore.lexical import LexicalIndex

CORPUS: dict[str, str] = json.loads((Path(__file__).parent / "corpus.json").read_text(encoding="utf-8"))
IDS = list(CORPUS)
TEXTS = list(CORPUS.values())


class ListSearcher:
    """A fixed ranked list standing in for one side, to test the fusion arithmetic (a fake, named so)."""

    def __init__(self, ranked: list[tuple[str, float]]) -> None:
        self.ranked = ranked
        self.calls: list[tuple[str, int, set[str] | None]] = []

    def search(self, query: str, k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        self.calls.append((query, k, allowed))
        return [r for r in self.ranked if allowed is None or r[0] in allowed][:k]


def test_rrf_keeps_a_passage_found_by_either_side() -> None:
    dense = [("d-only", 0.9), ("both", 0.8)]
    lexical = [("l-only", 12.0), ("both", 11.0)]
    fused = rrf_fuse([dense, lexical], [1.0, 1.0], rrf_k=60)
    ids = [cid for cid, _ in fused]
    assert ids[0] == "both"  # on both lists beats first on one
    assert set(ids) == {"both", "d-only", "l-only"}
    assert fused[0][1] == pytest.approx(1 / 62 + 1 / 62)


def test_rrf_weights_decide_between_sides() -> None:
    dense = [("d1", 0.9)]
    lexical = [("l1", 5.0)]
    assert rrf_fuse([dense, lexical], [0.5, 1.0])[0][0] == "l1"
    assert rrf_fuse([dense, lexical], [1.0, 0.5])[0][0] == "d1"
    assert [c for c, _ in rrf_fuse([dense, lexical], [0.0, 1.0])] == ["l1"]


def test_score_fusion_normalises_each_side() -> None:
    dense = [("a", 0.90), ("b", 0.80), ("c", 0.70)]
    lexical = [("c", 30.0), ("a", 10.0)]
    fused = dict(score_fuse([dense, lexical], [0.5, 0.5]))
    assert fused["a"] == pytest.approx(0.5 * 1.0 + 0.5 * 0.0)
    assert fused["c"] == pytest.approx(0.5 * 0.0 + 0.5 * 1.0)
    assert fused["b"] == pytest.approx(0.5 * 0.5)


def test_retriever_fetches_more_candidates_and_passes_allowed() -> None:
    dense = ListSearcher([(f"d{i}", 1 - i / 100) for i in range(50)])
    lexical = ListSearcher([(f"d{i}", 50.0 - i) for i in range(49, -1, -1)])
    hybrid = HybridRetriever(dense, lexical, 1.0, 1.0, candidates=30)
    out = hybrid.search("问题", k=5, allowed={"d1", "d2", "d48"})
    assert dense.calls == [("问题", 30, {"d1", "d2", "d48"})]
    assert lexical.calls[0][1] == 30
    assert {cid for cid, _ in out} == {"d1", "d2", "d48"}
    hybrid.search("问题", k=20)
    assert dense.calls[-1][1] == 80  # 4 * k when that is larger
    with pytest.raises(ValueError):
        HybridRetriever(dense, lexical, 0.0, 0.0)
    with pytest.raises(ValueError):
        HybridRetriever(dense, lexical, fusion="max")  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def real_hybrid(tmp_path_factory: pytest.TempPathFactory, cached_e5: CachedEmbeddings) -> HybridRetriever:
    client = make_chroma_client("embedded", tmp_path_factory.mktemp("hybrid") / "chroma")
    dense = DenseIndex(client, "policy_chunks", cached_e5)
    dense.add(IDS, TEXTS, [{"doc_id": c.split(":")[0]} for c in IDS])
    lexical = LexicalIndex()
    lexical.build(IDS, TEXTS)
    return HybridRetriever(dense, lexical, dense_weight=0.5, lexical_weight=1.0)


@pytest.mark.parametrize(
    ("query", "want"),
    [
        ("东海县2024年培养全科医生多少人？", "plan-a:3"),
        ("每万人口全科医生数要达到多少？", "plan-a:2"),
        ("乡村医生岗位补贴标准", "plan-b:1"),
        ("医保资金多少天内拨付？", "plan-b:2"),
        ("清廉医院建设", "plan-b:3"),
    ],
)
def test_real_hybrid_finds_the_right_passage(real_hybrid: HybridRetriever, query: str, want: str) -> None:
    hits = real_hybrid.search(query, k=3)
    assert hits[0][0] == want, hits
    assert len(hits) == 3
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)


def test_real_hybrid_allowed_filter(real_hybrid: HybridRetriever) -> None:
    allowed = {"plan-b:1", "plan-b:2", "plan-b:3"}
    hits = real_hybrid.search("全科医生数", k=5, allowed=allowed)
    assert hits
    assert {cid for cid, _ in hits} <= allowed


@pytest.mark.parametrize(("query", "want"), [("整治不正之风", "plan-b:3"), ("村医补助", "plan-b:1")])
def test_dense_side_rescues_a_paraphrase_lexical_misses(real_hybrid: HybridRetriever, query: str, want: str) -> None:
    # The query shares no term with its passage, so BM25 cannot find it; the dense side does and
    # the fusion keeps it on top.
    _dense, lexical = real_hybrid.search_sides(query, 3)
    assert want not in [cid for cid, _ in lexical]
    assert real_hybrid.search(query, k=3)[0][0] == want


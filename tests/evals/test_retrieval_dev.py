"""The retrieval dev set is well formed, and the dev run scores rankings correctly."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from evals.dataset import plan_texts
from evals.retrieval_dev import DEFAULT_DATASET, DEFAULT_PLANS, DevQuery, load_dataset, score, squash
from ingestion.schema import Chunk


def test_every_dev_query_has_exact_evidence_in_its_plan() -> None:
    queries = load_dataset(DEFAULT_DATASET)
    assert len(queries) >= 60
    # every plan file, a published PDF read through the product's reader like the evaluation does
    plans = {name: squash(text) for name, text in plan_texts(DEFAULT_PLANS).items()}
    assert {q.doc for q in queries} == set(plans)  # every plan is asked about
    per_doc = Counter(q.doc for q in queries)
    assert min(per_doc.values()) >= 8, per_doc
    for q in queries:
        evidence = squash(q.evidence)
        assert 8 <= len(evidence) <= 30, q
        assert plans[q.doc].count(evidence) == 1, q  # exact and unambiguous in its plan
        assert all(evidence not in text for name, text in plans.items() if name != q.doc), q
        for part in q.evidence_parts:
            assert squash(part) in plans[q.doc], (q, part)
    assert len({q.query for q in queries}) == len(queries)


def _chunk(cid: str, doc: str, text: str) -> Chunk:
    return Chunk(chunk_id=cid, doc_id=doc, ord=0, text=text)


def test_matching_and_scores() -> None:
    q_text = DevQuery("问", "plan_a.txt", "每万人口全科医生数达4名")
    q_row = DevQuery("问", "plan_a.txt", "东海县212424", ["东海县", "培养全科医生数"])
    chunks = {
        "a1": _chunk("a1", "plan_a", "全市每万人口全科医生数达 4 名，基层医疗卫生机构拥有500名骨干人才。"),
        "a2": _chunk("a2", "plan_a", "任务分解表｜县区：东海县｜培养全科医生数（人）：2023年 25"),
        "b1": _chunk("b1", "plan_b", "全市每万人口全科医生数达4名"),  # right words, wrong document
    }
    assert q_text.matches(chunks["a1"], "plan_a")
    assert not q_text.matches(chunks["b1"], "plan_b")
    assert q_row.matches(chunks["a2"], "plan_a")
    assert not q_row.matches(chunks["a1"], "plan_a")
    s = score([["b1", "a1"], ["a1", "b1"]], [q_text, q_row], chunks)
    assert s.r1 == 0.0
    assert s.r5 == 0.5
    assert s.mrr == 0.25
    assert s.misses == [1]
    assert Path(DEFAULT_DATASET).name == "retrieval_dev.jsonl"

"""Question classes, paraphrases and help items: the two datasets' coverage, the schema and the scoring."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from evals.dataset import ALL_ITEM_TYPES, ITEM_TYPES, dataset_files, load_datasets, load_items, validate_item
from evals.metrics import score_item, summarize
from evals.report import write_report
from evals.runner import RunResult
from evals.slices import HELP_TYPE, NOT_HELP, QUESTION_CLASSES

ROOT = Path(__file__).resolve().parents[2]
DATASETS = ROOT / "evals" / "datasets"
MIN_PER_CLASS = dict.fromkeys(QUESTION_CLASSES, 8) | {"greeting": 5, "followup": 2}
UNSEEN = {"004_04f0a2e05e189bdc.txt", "005_efac0714a2c7e07e.pdf"}


@pytest.fixture(scope="module")
def questions() -> list[dict]:
    return load_items(DATASETS / "questions.jsonl")


@pytest.fixture(scope="module")
def paraphrases() -> list[dict]:
    return load_items(DATASETS / "paraphrases.jsonl")


# --- the two datasets -------------------------------------------------------------------------------


def test_questions_cover_every_class(questions):
    assert len(questions) >= 100
    assert all(it.get("class") in QUESTION_CLASSES for it in questions)
    counts = Counter(it["class"] for it in questions)
    short = {c: (counts[c], n) for c, n in MIN_PER_CLASS.items() if counts[c] < n}
    assert short == {}, f"classes below their minimum (have, want): {short}"
    for it in questions:
        assert re.fullmatch(rf"q-{re.escape(it['class'])}-\d{{2}}", it["id"]), it["id"]
    greetings = [it for it in questions if it["class"] == "greeting"]
    assert all(it["type"] == HELP_TYPE and it["gold"] == {"help": True} for it in greetings)
    on_unseen = [it for it in questions if {e["doc"] for e in it["evidence"]} & UNSEEN]
    assert len(on_unseen) >= 25
    cited = {e["doc"] for it in questions for e in it["evidence"]}
    assert len(cited) == 6, sorted(cited)
    abstain = [it for it in questions if it["gold"].get("abstain")]
    assert all(it.get("notes") for it in abstain), "say in notes what was grepped for an abstention"


def test_paraphrases_rephrase_shipped_items_twice(paraphrases):
    others = {it["id"]: it for it in load_datasets(f for f in dataset_files(DATASETS) if f.name != "paraphrases.jsonl")}
    by_original: dict[str, list[dict]] = {}
    for it in paraphrases:
        assert it.get("paraphrase_of") in others, f"{it['id']}: unknown original {it.get('paraphrase_of')}"
        by_original.setdefault(it["paraphrase_of"], []).append(it)
    assert len(by_original) >= 60
    for oid, ps in by_original.items():
        assert sorted(p["id"] for p in ps) == [f"{oid}-p1", f"{oid}-p2"], oid
        original = others[oid]
        questions = {original["question"], *(p["question"] for p in ps)}
        assert len(questions) == 3, f"{oid}: a paraphrase repeats a question"
        for p in ps:
            for key in ("type", "gold", "evidence", "history"):
                assert p.get(key) == original.get(key), f"{p['id']}: {key} differs from {oid}"
            assert "class" not in p and "smoke" not in p
    types = Counter(others[o]["type"] for o in by_original)
    assert set(types) == set(ITEM_TYPES) and types["unanswerable"] < len(by_original) / 4
    docs = {e["doc"] for o in by_original for e in others[o]["evidence"]}
    assert len(docs) >= 4


# --- schema -------------------------------------------------------------------------------------------


def test_validator_knows_class_paraphrase_and_help():
    help_item = {"id": "h", "question": "你好", "type": "help", "gold": {"help": True}, "evidence": [],
                 "class": "greeting"}  # fmt: skip
    assert "help" in ALL_ITEM_TYPES and "help" not in ITEM_TYPES
    assert validate_item(help_item, {}) == []
    assert any("class" in e for e in validate_item({**help_item, "class": "chitchat"}, {}))
    assert any("help" in e for e in validate_item({**help_item, "type": "lookup"}, {}))
    assert any("help" in e for e in validate_item({**help_item, "gold": {"abstain": True}}, {}))
    cited = {**help_item, "evidence": [{"doc": "x.txt", "quote": "你好你好你好你好"}]}
    assert any("no evidence" in e for e in validate_item(cited, {"x.txt": "你好你好你好你好"}))
    para = {**help_item, "id": "na-01-p1", "paraphrase_of": "na-01"}
    assert validate_item(para, {}) == []
    assert any("paraphrase" in e for e in validate_item({**para, "id": "na-02-p1"}, {}))
    assert any("paraphrase" in e for e in validate_item({**para, "paraphrase_of": ""}, {}))


# --- scoring and summary --------------------------------------------------------------------------------


HELP = {"id": "q-greeting-01", "question": "你好", "type": "help", "gold": {"help": True}, "evidence": [],
        "class": "greeting"}  # fmt: skip
LOOKUP = {
    "id": "p-1",
    "question": "到2025年每万人口全科医生数要达到多少？",
    "type": "lookup",
    "gold": {
        "targets": [
            {
                "value": 4,
                "value_max": None,
                "unit": "名",
                "comparator": "=",
                "year": "2025",
                "region": "连云港市",
                "value_text": "4名",
            }
        ]
    },
    "evidence": [{"doc": "000.txt", "quote": "全市每万人口全科医生数达 4名"}],
}
CIT = [{"n": 1, "quote": "全市每万人口全科医生数达 4名"}]


def answer(text, status="answered", citations=()):
    return {"answer": text, "status": status, "citations": list(citations), "targets": [], "latency_ms": 5.0}


def test_help_item_passes_only_on_a_help_reply():
    ok = score_item(HELP, answer("你好！可以这样问：到2025年每万人口全科医生数要达到多少？", status="help"))
    assert ok.passed and ok.code == "OK" and ok.slices == {"class": "greeting"}
    missed = score_item(HELP, answer("没有找到相关内容。", status="not_found"))
    assert not missed.passed and missed.code == NOT_HELP
    answered = score_item(HELP, answer("你好。", status="answered"))
    assert not answered.passed and answered.code == NOT_HELP


def test_summary_by_class_and_paraphrase_consistency():
    good = answer("连云港到2025年每万人口全科医生数达4名[1]。", citations=CIT)
    bad = answer("没有找到。", status="not_found")
    p1 = {**LOOKUP, "id": "p-1-p1", "paraphrase_of": "p-1"}
    p2 = {**LOOKUP, "id": "p-1-p2", "paraphrase_of": "p-1"}
    q1 = {**LOOKUP, "id": "q-2", "class": "plan_named"}
    results = [
        score_item(LOOKUP, good),
        score_item(p1, good),
        score_item(p2, bad),
        score_item(q1, good),
        score_item(HELP, answer("你好", status="help")),
    ]
    s = summarize(results)
    assert s["by_class"]["plan_named"]["accuracy"] == 1.0 and s["by_class"]["greeting"]["n"] == 1
    assert list(s["by_class"]) == ["plan_named", "greeting"]  # in QUESTION_CLASSES order
    p = s["paraphrase"]
    assert p["n"] == 2 and p["accuracy"] == 0.5
    assert p["originals_in_run"] == 1 and p["originals_passed"] == 1
    assert p["both_pass_when_original_passes"] == 0.0
    alone = summarize(results[1:3])["paraphrase"]  # originals not in the run: consistency unknown
    assert alone["originals_in_run"] == 0 and alone["both_pass_when_original_passes"] is None
    assert summarize(results[:1])["paraphrase"] is None and summarize(results[:1])["by_class"] == {}


def test_report_lists_classes_and_paraphrases(tmp_path):
    items = [LOOKUP, {**LOOKUP, "id": "p-1-p1", "paraphrase_of": "p-1"}, HELP]
    found = answer("连云港到2025年每万人口全科医生数达4名[1]。", citations=CIT)
    answers = [found, found, answer("你好", status="help")]
    results = [score_item(i, a) for i, a in zip(items, answers, strict=True)]
    paths = write_report(tmp_path, RunResult("test", results, answers, summarize(results)))
    md = paths["markdown"].read_text(encoding="utf-8")
    assert "## 按问题类别" in md and "| greeting | 1 | 1.000 |" in md
    assert "| 改写题准确率 |" in md and "| 原题通过时两个改写都通过 | 0.613 | 1.000 |" in md
    summary = json.loads(paths["summary"].read_text(encoding="utf-8"))
    assert summary["by_class"]["greeting"]["passed"] == 1 and summary["paraphrase"]["n"] == 1

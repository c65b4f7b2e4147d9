"""Metric definitions on tricky cases, and every dataset line checked against the plan it quotes."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from evals.dataset import ITEM_TYPES, dataset_files, load_datasets, load_items, plan_texts, smoke_items, validate_item
from evals.matching import (
    citation_scores,
    citation_supports,
    claims,
    contains_quote,
    evidence_in,
    regions_match,
    target_match,
    years_match,
)
from evals.metrics import (
    abstention_accuracy,
    false_abstention_rate,
    percentile,
    recall_at_k,
    reciprocal_rank,
    score_item,
    summarize,
)
from ingestion.schema import Target
from ingestion.text.numbers import parse_quantities

ROOT = Path(__file__).resolve().parents[2]
PLANS_DIR = ROOT / "data" / "plans"
DATASETS = dataset_files(ROOT / "evals" / "datasets")


def gold(value, unit, comparator="=", year="2025", region="某市", value_max=None, value_text=""):
    return {
        "value": value,
        "value_max": value_max,
        "unit": unit,
        "comparator": comparator,
        "year": year,
        "region": region,
        "value_text": value_text or f"{value}{unit}",
    }


def pred_from_text(text, year="2025", region="某市"):
    """A predicted row built by the real quantity parser from the text as a plan writes it."""
    (q,) = parse_quantities(text)
    return {"value": q.value, "value_max": q.value_max, "unit": q.unit, "comparator": q.comparator,
            "year": year, "region": region, "value_text": q.text}  # fmt: skip


# --- target_match ---------------------------------------------------------------------------------


def test_bound_matters_90_percent_or_more_is_not_90_percent():
    m = target_match(pred_from_text("90%"), gold(90, "%", "≥", value_text="90%以上"))
    assert m["value"] and m["unit"]
    assert not m["comparator"] and not m["strict"]
    assert target_match(pred_from_text("90%以上"), gold(90, "%", "≥"))["strict"]


def test_range_of_persons_needs_both_ends():
    g = gold(20, "名", value_max=35, year="")
    assert target_match(pred_from_text("20—35名", year=""), g)["strict"]
    assert target_match(pred_from_text("20-35 名", year=""), g)["strict"]
    m = target_match(pred_from_text("20名", year=""), g)
    assert not m["value"] and m["unit"]


def test_permille_range():
    g = gold(1, "‰", value_max=1.5, year="十四五")
    assert target_match(pred_from_text("1‰—1.5‰", year="“十四五”"), g)["strict"]
    assert target_match(pred_from_text("1‰—1.5‰", year="2021-2025"), g)["strict"]
    m = target_match(pred_from_text("1%—1.5%", year="十四五"), g)
    assert m["value"] and not m["unit"]


def test_magnitudes_fold_wan_yuan_equals_yuan():
    g = gold(24000, "元", year="")
    assert target_match(pred_from_text("2.4万元", year=""), g)["strict"]
    assert target_match(pred_from_text("24000元", year=""), gold(2.4, "万元", year=""))["strict"]
    assert not target_match(pred_from_text("2.4元", year=""), g)["value"]


def test_percentage_points_are_not_percent():
    m = target_match(pred_from_text("20%", year=""), gold(20, "个百分点", year=""))
    assert m["value"] and not m["unit"] and not m["strict"]
    assert target_match(pred_from_text("下降20个百分点", year=""), gold(20, "个百分点", year=""))["strict"]


def test_full_width_digits_and_percent():
    assert target_match(pred_from_text("９０％以上"), gold(90, "%", "≥"))["strict"]
    assert target_match(pred_from_text("３．５名"), gold(3.5, "名"))["strict"]


def test_year_and_region_fields():
    g = gold(25, "人", year="2024", region="东海县")
    assert target_match({**g, "year": "2024年", "region": "东海县"}, g)["strict"]
    m = target_match({**g, "year": "2023"}, g)
    assert not m["year"] and m["value"]
    m = target_match({**g, "region": "灌云县"}, g)
    assert not m["region"] and not m["strict"]
    assert target_match({**g, "region": "东海"}, g)["region"]
    assert years_match("2023—2025年", "2023-2025")
    assert not years_match("2025", "2023-2025")
    assert years_match("2027", "")  # undated norm: not checked
    assert regions_match("海安市", "海安") and regions_match("市开发区", "开发区")
    assert not regions_match("", "南通市") and not regions_match("全市", "南通市")
    assert regions_match("", "")  # a plan that names no city


def test_target_match_accepts_a_target_object():
    t = Target(doc_id="d", indicator="每万人口全科医生数", value=4, unit="名", value_text="4名",
               year="2025", region="某市", quote="全市每万人口全科医生数达4名")  # fmt: skip
    assert target_match(t, gold(4, "名"))["strict"]
    assert not target_match(t, gold(3.5, "名"))["value"]


# --- claims -----------------------------------------------------------------------------------------


def test_claims_ignore_markers_years_numbering_and_document_numbers():
    text = (
        "1. 到2025年底，全市每万人口全科医生数达4名[1]。\n"
        "2. 2023—2025年全市培养全科医生300人[2]（连政办发〔2023〕30号）。\n"
        "| 县区 | 2023 | 2024 |\n"
    )
    got = [(q.value, q.unit) for q in claims(text)]
    assert got == [(4.0, "名"), (300.0, "人")]


def test_claims_keep_bounds_ranges_and_chinese_numerals():
    got = [(q.value, q.value_max, q.unit, q.comparator) for q in claims("至少一家基地，配备20—35名，达90%以上[3]")]
    assert got == [(1.0, None, "家", "≥"), (20.0, 35.0, "名", "="), (90.0, None, "%", "≥")]


# --- citations ----------------------------------------------------------------------------------------


def test_citation_with_number_but_not_unit_does_not_support():
    (claim,) = claims("床位不少于30%")
    assert not citation_supports({"quote": "社区医院建筑面积不低于4000平米、床位不少于30张"}, claim)
    (claim,) = claims("30张")
    assert citation_supports({"quote": "社区医院建筑面积不低于4000平米、床位不少于30张"}, claim)


def test_table_row_cell_supported_through_header_or_linked_row():
    (claim,) = claims("东海县2024年培养全科医生25人")
    row = {"quote": "东海县 21 24 23 23 25 25 25 20 20 20 14 13 13"}
    assert not citation_supports(row, claim)  # bare number, nothing says 人
    assert citation_supports({**row, "section": "附件3 > 培养全科医生数（人）"}, claim)
    linked = {**row, "target_id": "t7"}
    target = {"target_id": "t7", "value": 25, "unit": "人", "comparator": "=", "year": "2024"}
    assert citation_supports(linked, claim, [target])
    assert not citation_supports(linked, claim, [{**target, "unit": "个"}])
    same_row = {"target_id": "t8", "value": 25, "unit": "人", "quote": row["quote"]}
    assert citation_supports({**row, "target_id": "t9"}, claim, [same_row])  # another cell of the same row


def answer(text, citations, status="answered", targets=(), latency=12.0):
    return {"answer": text, "status": status, "citations": list(citations), "targets": list(targets),
            "mode": "extractive", "latency_ms": latency}  # fmt: skip


def test_citation_recall_precision_and_unsupported_numbers():
    cits = [
        {"n": 1, "quote": "全市每万人口全科医生数达 4名"},
        {"n": 2, "quote": "基层医疗卫生机构拥有 500名骨干人才"},
        {"n": 3, "quote": "加强组织领导"},
    ]
    a = answer("每万人口全科医生数达4名[1]；骨干人才500名[1][3]。另需建成社区医院50个。", cits)
    s = citation_scores(a)
    assert s.n_claims == 3
    assert s.n_claims_supported == 1  # 4名 by [1]; 500名 only in [2], which its sentence does not mark
    assert s.recall == pytest.approx(1 / 3)
    assert s.n_citations_judged == 2 and s.n_citations_supporting == 1  # [1] supports, [3] does not
    assert s.unsupported == ["50个"]  # 500名 stands in [2], 50个 in no quote


# --- score_item -----------------------------------------------------------------------------------------


ITEM = {
    "id": "t-1",
    "question": "到2025年每万人口全科医生数要达到多少？",
    "type": "lookup",
    "gold": {"targets": [gold(4, "名", year="2025", region="连云港市", value_text="4名")]},
    "evidence": [{"doc": "000.txt", "quote": "全市每万人口全科医生数达 4名"}],
}
CIT = [{"n": 1, "quote": "全市每万人口全科医生数达 4名", "source": "000.txt"}]


def test_item_passes_on_a_target_row_or_on_a_claim_in_the_text():
    row = {**gold(4, "名", year="2025", region="连云港市"), "quote": "全市每万人口全科医生数达 4名"}
    r = score_item(ITEM, answer("达4名[1]。", CIT, targets=[row]))
    assert r.passed and r.code == "OK" and r.targets[0].source == "row"
    r = score_item(ITEM, answer("连云港到2025年底，全市每万人口全科医生数达4名[1]。", CIT))
    assert r.passed and r.targets[0].source == "claim"
    r = score_item(ITEM, answer("全市每万人口全科医生数达4名[1]。", CIT))  # no year nor city said
    assert not r.passed and r.code == "WRONG_YEAR"
    cited = [{"n": 1, "quote": "到 2025 年底，全市每万人口全科医生数达 4名", "region": "连云港市"}]
    r = score_item(ITEM, answer("全市每万人口全科医生数达4名[1]。", cited))  # said by the supporting citation
    assert r.passed and r.targets[0].source == "claim"
    r = score_item(ITEM, answer("全市每万人口全科医生数达4名[1]。", [{**cited[0], "region": "南通市"}]))
    assert r.code == "WRONG_REGION"


def test_item_failure_codes():
    assert score_item(ITEM, answer("连云港2025年达3.5名[1]。", [{"n": 1, "quote": "达 3.5 名"}])).code == "WRONG_VALUE"
    assert score_item(ITEM, answer("连云港2025年达4%[1]。", [{"n": 1, "quote": "达4%"}])).code == "WRONG_UNIT"
    assert score_item(ITEM, answer("连云港2025年达4名以上[1]。", [{"n": 1, "quote": "4名以上"}])).code == "WRONG_BOUND"
    assert score_item(ITEM, answer("连云港2023年达4名[1]。", CIT)).code == "WRONG_YEAR"
    assert score_item(ITEM, answer("南通市2025年达4名[1]。", CIT)).code == "WRONG_REGION"
    assert score_item(ITEM, answer("连云港2025年达4名。", [])).code == "NO_CITATION"
    r = score_item(ITEM, answer("连云港2025年达4名[1]，另有300名骨干[1]。", CIT))
    assert r.code == "UNSUPPORTED_NUMBER" and r.unsupported == ["300名"]
    assert score_item(ITEM, answer("没有找到。", [], status="not_found")).code == "FALSE_ABSTAIN"


def test_abstention_both_ways():
    item = {"id": "na", "question": "苏州市的目标？", "type": "unanswerable", "gold": {"abstain": True}, "evidence": []}
    ok = score_item(item, answer("现有方案中没有苏州市的相关目标。", [], status="not_found"))
    bad = score_item(item, answer("达4名[1]。", CIT))
    assert ok.passed and ok.code == "OK"
    assert not bad.passed and bad.code == "SHOULD_ABSTAIN"
    s = summarize([ok, bad])
    assert s["abstention_accuracy"] == 0.5 and s["false_answer_rate"] == 0.5
    missed = score_item(ITEM, answer("没有找到。", [], status="not_found"))
    answered = score_item(ITEM, answer("连云港2025年达4名[1]。", CIT))
    assert false_abstention_rate([ok, missed, answered]) == 0.5
    assert abstention_accuracy([missed, answered]) is None  # no unanswerable item


def test_explain_item_needs_every_phrase():
    item = {"id": "e", "question": "怎么推进？", "type": "explain",
            "gold": {"answer_contains": ["按人头付费", "连续计算起付线"]},
            "evidence": [{"doc": "000.txt", "quote": "推行门诊统筹按人头付费"}]}  # fmt: skip
    cits = [{"n": 1, "quote": "推行门诊统筹按人头付费"}]
    r = score_item(item, answer("在基层推行门诊统筹按 人头付费[1]，对转诊患者实行连续计算起付线[1]。", cits))
    assert r.passed
    r = score_item(item, answer("推行门诊统筹按人头付费[1]。", cits))
    assert r.code == "MISSING_PHRASE" and r.phrases_missing == ["连续计算起付线"]


def test_summary_by_type_and_doc_and_latency():
    row = {**gold(4, "名", year="2025", region="连云港市")}
    results = [
        score_item(ITEM, answer("连云港2025年达4名[1]。", CIT, targets=[row], latency=10)),
        score_item(ITEM, answer("连云港2025年达3.5名[1]。", [{"n": 1, "quote": "3.5名"}], latency=30)),
    ]
    s = summarize(results)
    assert s["accuracy"] == 0.5 and s["strict_accuracy"] == 0.5
    assert s["field_accuracy"]["value"] == 0.5 and s["field_accuracy"]["year"] == 1.0
    assert s["latency_p50_ms"] == 20 and s["latency_p95_ms"] == pytest.approx(29)
    assert s["by_type"]["lookup"]["n"] == 2 and s["by_doc"]["000.txt"]["n"] == 2
    assert s["failure_codes"] == {"OK": 1, "WRONG_VALUE": 1}
    assert s["unsupported_numbers"] == 0 and s["citation_recall"] == 1.0


# --- retrieval ---------------------------------------------------------------------------------------------


def test_retrieval_recall_and_mrr_whitespace_insensitive():
    ev = [{"doc": "a.txt", "quote": "全市每万人口全科医生数达 4名"}]
    hits = [{"text": "无关段落", "source": "a.txt"}, {"text": "全市每万人口全科医生数达4 名，基层…", "source": "a.txt"}]
    assert recall_at_k(hits, ev, 1) == 0.0 and recall_at_k(hits, ev, 2) == 1.0
    assert reciprocal_rank(hits, ev) == 0.5
    assert reciprocal_rank([{"text": hits[1]["text"], "source": "b.txt"}], ev) == 0.0  # wrong document


def test_flattened_row_matches_rebuilt_row_chunk_but_not_another_row():
    quote = "东海县 21 24 23 23 25 25 25 20 20 20 14 13 13"
    chunk = ("某任务分解表｜县区：东海县｜现有机构数（个）：21｜招录医学生数（人）：2023年 24；2024年 23；2025年 23｜"
             "培养全科医生数（人）：2023年 25；2024年 25；2025年 25｜培训骨干人员数（人）：2023年 20；2024年 20；"
             "2025年 20｜培训管理人员数（人）：2023年 14；2024年 13；2025年 13")  # fmt: skip
    assert evidence_in(chunk, quote)
    assert not evidence_in(chunk.replace("东海县", "灌云县"), quote)
    assert not evidence_in(chunk.replace("2023年 14", "2023年 12"), quote)


def test_percentile_and_containment_helpers():
    assert percentile([], 50) is None
    assert percentile([5.0], 95) == 5.0
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert contains_quote("到 2025 年底，\n全市 ９０％以上", "2025年底，全市90%以上")
    assert not contains_quote("abc", "")


# --- the datasets --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def plans() -> dict[str, str]:
    return plan_texts(PLANS_DIR)


@pytest.fixture(scope="module")
def items() -> list[dict]:
    return load_datasets(DATASETS)


def test_every_dataset_line_is_valid(items, plans):
    assert DATASETS, "no dataset found in evals/datasets"
    errors = [e for it in items for e in validate_item(it, plans)]
    assert errors == []
    ids = [it["id"] for it in items]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]


def test_validator_catches_bad_lines(plans):
    doc = "000_778e5b2cbe8b919c.txt"
    good = {"id": "x", "question": "？", "type": "lookup",
            "gold": {"targets": [gold(4, "名", region="连云港市", value_text="4名")]},
            "evidence": [{"doc": doc, "quote": "全市每万人口全科医生数达 4名"}]}  # fmt: skip
    assert validate_item(good, plans) == []
    bad_quote = {**good, "evidence": [{"doc": doc, "quote": "全市每万人口全科医生数达 5名"}]}
    assert any("not found" in e for e in validate_item(bad_quote, plans))
    bad_value = {**good, "gold": {"targets": [gold(4, "名", value_text="4名以上")]}}
    assert any("value_text" in e for e in validate_item(bad_value, plans))
    bad_type = {**good, "type": "trivia"}
    assert any("type" in e for e in validate_item(bad_type, plans))
    short = {**good, "evidence": [{"doc": doc, "quote": "医生数达 4名"}]}
    assert any("characters" in e for e in validate_item(short, plans))
    short_row = {**good, "gold": {"targets": [gold(1, "个", year="2024", region="徐圩新区", value_text="1")]},
                 "evidence": [{"doc": doc, "quote": "徐圩新区 2  1 1"}]}  # fmt: skip
    assert validate_item(short_row, plans) == []  # a whole table row may be short
    bad_cmp = {**good, "gold": {"targets": [gold(4, "名", comparator=">=", value_text="4名")]}}
    assert any("comparator" in e for e in validate_item(bad_cmp, plans))


SHIPPED_PLANS = {
    "000_778e5b2cbe8b919c.txt",
    "001_dc435b7e570d8852.txt",
    "002_4299291a12d9de5d.txt",
    "003_3f88d696d1e32b3d.txt",
}
"""The plans shipped.jsonl was written for; later plans have their own dataset files."""
UNSEEN_PLANS = {"004_04f0a2e05e189bdc.txt", "005_efac0714a2c7e07e.pdf"}
"""The plans of unseen_plans.jsonl, written before any code change for them (first contact)."""


def test_shipped_dataset_coverage(items, plans):
    shipped = load_items(ROOT / "evals" / "datasets" / "shipped.jsonl")
    assert len(shipped) >= 170
    by_type = Counter(it["type"] for it in shipped)
    assert set(by_type) == set(ITEM_TYPES)
    assert by_type["unanswerable"] >= 20
    docs = {e["doc"] for it in shipped for e in it["evidence"]}
    assert docs == SHIPPED_PLANS
    smoke = smoke_items(shipped)
    assert 30 <= len(smoke) <= 60
    assert {it["type"] for it in smoke} == set(ITEM_TYPES)
    assert {e["doc"] for it in smoke for e in it["evidence"]} == SHIPPED_PLANS


def test_every_plan_is_covered_by_some_dataset(items, plans):
    """A plan added to data/plans needs items (and smoke items) in some dataset before it ships."""
    assert {e["doc"] for it in items for e in it["evidence"]} == set(plans)
    assert {e["doc"] for it in smoke_items(items) for e in it["evidence"]} == set(plans)


@pytest.fixture(scope="module")
def unseen() -> list[dict]:
    return load_items(ROOT / "evals" / "datasets" / "unseen_plans.jsonl")


def test_unseen_plans_dataset_coverage(unseen, plans):
    assert set(plans) >= UNSEEN_PLANS
    assert len(unseen) >= 90
    assert set(Counter(it["type"] for it in unseen)) == set(ITEM_TYPES)
    for it in unseen:
        assert re.fullmatch(r"p00[45]-(?:lookup|table|compare|followup|explain|unanswerable)-\d{2}", it["id"]), it["id"]
        assert it["id"].split("-")[1] == it["type"], it["id"]
    docs = Counter(e["doc"] for it in unseen for e in it["evidence"])
    assert set(docs) - SHIPPED_PLANS == UNSEEN_PLANS  # cross-plan compare items may cite older plans
    by_plan = Counter(it["id"][:4] for it in unseen)
    assert by_plan["p004"] >= 30 and by_plan["p005"] >= 30
    for plan in ("p004", "p005"):  # each plan: lookups, follow-ups, explanations and abstentions
        types = {it["type"] for it in unseen if it["id"].startswith(plan)}
        assert {"lookup", "followup", "compare", "explain", "unanswerable"} <= types, plan
    questions = [it["question"] for it in unseen]
    assert any(q.startswith("南浔区") for q in questions) and any(q.startswith("湖州市南浔区") for q in questions)
    smoke = smoke_items(unseen)
    assert 8 <= len(smoke) <= 16
    assert {it["type"] for it in smoke} == set(ITEM_TYPES)
    assert {e["doc"] for it in smoke for e in it["evidence"]} - SHIPPED_PLANS == UNSEEN_PLANS
    assert {it["id"][:4] for it in smoke if it["type"] == "unanswerable"} == {"p004", "p005"}


def _gold_key(row, with_kind):
    key = (row["region"], float(row["value"]), row["value_max"] and float(row["value_max"]), row["unit"],
           row["comparator"], row["year"])  # fmt: skip
    return (*key, row.get("kind")) if with_kind else key


def test_unseen_items_agree_with_the_gold_target_rows(unseen):
    """Every target an unseen-plan item asks for is a gold row of evals/gold/targets.jsonl (a baseline
    one when the item says so), and every indicator-table cell of plan 005 is asked by some item."""
    from evals.target_gold import load_gold

    gold = [g for g in load_gold() if g["doc"] in UNSEEN_PLANS]
    keys = {_gold_key(g, False) for g in gold}
    baseline_keys = {_gold_key(g, True) for g in gold if g["kind"] == "baseline"}
    asked = set()
    for it in unseen:
        for t in it["gold"].get("targets", []):
            if t["region"] not in {"南浔区", "全国"}:
                continue  # a cross-plan comparison's older plan
            assert _gold_key(t, False) in keys, (it["id"], t)
            if t.get("kind") == "baseline":
                assert _gold_key(t, True) in baseline_keys, (it["id"], t)
            asked.add(_gold_key(t, False))
    table_cells = {_gold_key(g, False) for g in gold if g["kind"] == "table"}
    assert table_cells <= asked, sorted(table_cells - asked)


def test_gold_values_read_back_from_their_value_text(items):
    """Each gold target's value_text, parsed by the product's quantity parser, gives the gold value.

    Table cells are bare numbers (their unit is in the header), so only value and range are compared
    for those; narrative values must agree on the unit too, unless the unit comes from an enumeration.
    """
    mismatches = []
    for it in items:
        for t in it["gold"].get("targets", []):
            qs = parse_quantities(t["value_text"])
            if not qs:
                continue  # e.g. "一次": a count the parser does not read; checked by hand
            q = qs[-1] if t["comparator"] == "≤" else qs[0]
            same = q.value == t["value"] and q.value_max == t["value_max"]
            if not same or (q.unit and q.unit != t["unit"]):
                mismatches.append((it["id"], t["value_text"], q.value, q.value_max, q.unit))
    assert mismatches == []


def test_plan_texts_reads_plans_and_skips_notes_beside_them(tmp_path):
    # A folder of plans kept for measurement carries a sources.json note and a maintainer's .meta.json.
    (tmp_path / "x01_plan.txt").write_text("白鹭市到2025年每万人口全科医生数达到5名。", encoding="utf-8")
    (tmp_path / "sources.json").write_text('{"plans": []}', encoding="utf-8")
    (tmp_path / "x01_plan.txt.meta.json").write_text("{}", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("隐藏", encoding="utf-8")
    assert plan_texts(tmp_path) == {"x01_plan.txt": "白鹭市到2025年每万人口全科医生数达到5名。"}

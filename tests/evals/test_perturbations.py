"""Perturbation rules on made-up questions, and the perturbation figure on a tiny made-up run."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.service import Assistant
from evals.perturbations import Rule, base_items, default_rules, load_rules, perturb_items, run_perturbations
from evals.report import write_report
from evals.runner import RunResult, evaluate
from tests.conftest import make_settings

RULES = {r.name: r for r in default_rules()}
REGIONS = {"青川县", "白石市", "白石市青川县", "全国", "黄岭区", "黄岭县"}


@pytest.mark.parametrize(
    ("rule", "question", "expected"),
    [
        ("year_end_before", "青川县到2025年全科医生数要达到多少？", "青川县2025年底前全科医生数要达到多少？"),
        ("year_end_before", "到 2026 年底，白石市床位数是多少？", "2026年底前，白石市床位数是多少？"),
        ("year_two_digit", "青川县到2025年全科医生数要达到多少？", "青川县25年底全科医生数要达到多少？"),
        ("year_two_digit_bare", "青川县2024年要培养多少名全科医生？", "青川县24年要培养多少名全科医生？"),
        ("year_two_digit_bare", "那2024年呢？", "那24年呢？"),
        ("year_chinese", "青川县2024年要培养多少名全科医生？", "青川县二〇二四年要培养多少名全科医生？"),
        ("year_chinese", "2023—2025年白石市建多少个站？", "二〇二三—二〇二五年白石市建多少个站？"),
        ("frame_qingwen", "白石市床位数是多少？", "请问白石市床位数是多少？"),
        ("frame_xiang_liaojie", "白石市床位数是多少？", "想了解一下，白石市床位数是多少？"),
        ("frame_laizhe", "白石市床位数是多少？", "白石市床位数是多少来着？"),
        ("frame_ne", "白石市床位数是多少？", "白石市床位数是多少呢？"),
        ("frame_a", "白石市床位数是多少？", "白石市床位数是多少啊？"),
        ("region_short", "青川县2024年要培养多少名全科医生？", "青川2024年要培养多少名全科医生？"),
        ("region_short", "白石市和青川县比呢？", "白石和青川比呢？"),
        ("width_digits_full", "到2025年达到90%以上吗？", "到２０２５年达到９０％以上吗？"),
        ("width_punct_half", "青川县，2024年呢？", "青川县,2024年呢?"),
        ("count_ji", "青川县一共建多少个站？", "青川县一共建几个站？"),
        ("count_ji", "青川县要培养多少名全科医生？", "青川县要培养几名全科医生？"),
        ("drop_question_mark", "青川县呢？", "青川县呢"),
        ("frame_bangwo_cha", "白石市床位数是多少？", "帮我查一下，白石市床位数是多少？"),
        ("spaces_around_numbers", "到2025年青川县达到90%以上吗？", "到 2025 年青川县达到 90 %以上吗？"),
        ("spaces_around_numbers", "青川县每千人口3.5张床位吗？", "青川县每千人口 3.5 张床位吗？"),
        ("full_stop_ending", "青川县呢？", "青川县呢。"),
    ],
)
def test_rule_rewrites_where_it_fits(rule: str, question: str, expected: str) -> None:
    assert RULES[rule].apply(question, REGIONS) == expected


@pytest.mark.parametrize(
    ("rule", "question"),
    [
        ("year_end_before", "青川县2023到2025年一共建多少个站？"),  # a period, not a deadline
        ("year_end_before", "青川县2023年到2025年一共建多少个站？"),
        ("year_end_before", "青川县到2025年底前建多少个站？"),  # already that form
        ("year_two_digit", "青川县2023到2025年一共建多少个站？"),
        ("year_two_digit_bare", "青川县2023—2025年一共建多少个站？"),  # a period
        ("year_two_digit_bare", "青川县2023年到2025年一共建多少个站？"),
        ("year_two_digit_bare", "青川县到2025年建多少个站？"),  # a deadline: year_two_digit
        ("year_chinese", "青川县每年招聘不少于30名吗？"),  # 30 is no year
        ("frame_qingwen", "请问青川县呢？"),
        ("frame_laizhe", "青川县床位数比例是多少%？"),
        ("frame_ne", "青川县呢？"),
        ("frame_a", "青川县有没有吗？"),
        ("count_ji", "青川县基层就诊率是多少？"),  # not a count
        ("count_ji", "青川县覆盖率要到多少%？"),
        ("drop_question_mark", "列出青川县的目标"),
        ("frame_bangwo_cha", "帮我查一下青川县的目标"),
        ("spaces_around_numbers", "青川县的目标是什么？"),
        ("full_stop_ending", "列出青川县的目标"),
        ("region_short", "黄岭区的目标是多少？"),  # 黄岭区 and 黄岭县 share a short name
        ("region_short", "白石市区有多少家？"),  # 市区 continues the place name
        ("region_short", "青川的目标是多少？"),  # already short
    ],
)
def test_rule_does_not_apply_where_it_does_not_fit(rule: str, question: str) -> None:
    assert RULES[rule].apply(question, REGIONS) is None


def test_region_short_needs_the_catalogue_to_know_the_region() -> None:
    assert RULES["region_short"].apply("青川县2024年呢？", {"白石市"}) is None


def test_rules_file_checks_its_rules(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    rule = '[[rule]]\nname = "x"\nkind = "chars"\npattern = "[0-9]"\nfrom = "01"\nto = "〇"\n'
    bad.write_text(rule, encoding="utf-8")
    with pytest.raises(ValueError, match="长度不同"):
        load_rules(bad)
    bad.write_text('[[rule]]\nname = "x"\nkind = "magic"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="kind"):
        load_rules(bad)


PLAN = """\
青禾县基层卫生服务能力提升行动方案（2024—2026年）

一、主要目标
到2026年，每万人口全科医生数达到4名以上，乡镇卫生院医疗服务能力达到基本标准的比例达到90%以上。

二、重点任务
（一）加强人才队伍建设。每年招聘医学毕业生不少于30名。
"""

ITEMS = [
    {
        "id": "t-01",
        "type": "lookup",
        "question": "青禾县到2026年每万人口全科医生数要达到多少？",
        "gold": {
            "targets": [
                {"value": 4, "unit": "名", "comparator": "≥", "year": "2026", "region": "青禾县",
                 "value_text": "4名以上"}
            ]
        },
        "evidence": [{"doc": "qinghe_plan.txt", "quote": "每万人口全科医生数达到4名以上"}],
    },
    {
        "id": "t-02",
        "type": "unanswerable",
        "question": "黑石县到2026年每万人口全科医生数要达到多少？",
        "gold": {"abstain": True},
        "evidence": [],
    },
]

# A rule that changes the meaning (another county): its rewrites must fail, so the figure can be 0.
BAD_RULE = """\
[[rule]]
name = "other_county"
label = "另一个县"
kind = "regex"
pattern = '青禾县'
replace = '黑石县'
"""


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Assistant, RunResult]:
    """Two made-up items run through the product over one made-up plan."""
    root = tmp_path_factory.mktemp("perturb_run")
    plans = root / "plans"
    plans.mkdir()
    (plans / "qinghe_plan.txt").write_text(PLAN, encoding="utf-8")
    assistant = Assistant(make_settings(root))
    assert [r.status for r in assistant.ingest(sorted(plans.iterdir()))] == ["added"]
    run = evaluate(assistant, ITEMS)
    assert [r.passed for r in run.results] == [True, True], [r.code for r in run.results]
    return assistant, run


def test_rewrites_apply_to_passed_answerable_items_only(tiny_run: tuple[Assistant, RunResult]) -> None:
    _, run = tiny_run
    base = base_items(run.items, run.results)
    assert [i["id"] for i in base] == ["t-01"]
    pairs = perturb_items(base, [RULES["frame_qingwen"], RULES["count_ji"]])
    assert [(r.name, i["id"], i["question"]) for r, i in pairs] == [
        ("frame_qingwen", "t-01~frame_qingwen", "请问青禾县到2026年每万人口全科医生数要达到多少？")
    ]
    assert pairs[0][1]["gold"] == ITEMS[0]["gold"]


def test_perturbation_figure_per_rule_and_in_the_report(
    tmp_path: Path, tiny_run: tuple[Assistant, RunResult]
) -> None:
    assistant, run = tiny_run
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD_RULE, encoding="utf-8")
    rules: list[Rule] = [RULES["frame_qingwen"], RULES["count_ji"], *load_rules(bad)]
    block, rewritten = run_perturbations(
        run.items, run.results, {"青禾县"}, lambda items: evaluate(assistant, items, retrieval=False), rules=rules
    )
    by_rule = block["by_rule"]
    assert (by_rule["frame_qingwen"]["n"], by_rule["frame_qingwen"]["accuracy"]) == (1, 1.0)
    assert (by_rule["count_ji"]["n"], by_rule["count_ji"]["accuracy"]) == (0, None)
    assert (by_rule["other_county"]["n"], by_rule["other_county"]["accuracy"]) == (1, 0.0)
    assert by_rule["other_county"]["failed"][0]["id"] == "t-01~other_county"
    assert (block["base_items"], block["n"], block["passed"], block["accuracy"]) == (1, 2, 1, 0.5)
    assert rewritten.results[0].recall_at_k is None  # retrieval skipped for rewrites

    run.summary["perturbation"] = block
    try:
        paths = write_report(tmp_path / "report", run, perturbed=rewritten)
    finally:
        del run.summary["perturbation"]
    md = paths["markdown"].read_text(encoding="utf-8")
    assert "## 措辞扰动（--perturb）" in md
    assert "| frame_qingwen | 请问… | 1 | 1 | 1.000 |" in md
    assert "| other_county | 另一个县 | 1 | 0 | 0.000 |" in md
    assert "t-01~other_county：黑石县到2026年" in md
    lines = paths["perturbations"].read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and '"original": "青禾县到2026年每万人口全科医生数要达到多少？"' in lines[0]

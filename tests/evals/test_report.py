"""The evaluation report on a real small run: header, thresholds, baseline on common items, failures, titles.

Two made-up county plans are ingested into a scratch store and a handful of made-up items run through
the product; one item's gold is deliberately wrong so that it fails, another fails in the baseline too.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.library import PIPELINE_VERSION
from assistant.service import Assistant
from evals.report import write_report
from evals.report_context import collect_context
from evals.runner import RunResult, evaluate
from tests.conftest import make_settings

PLAN = """\
{county}基层卫生服务能力提升行动方案（2024—2026年）

一、主要目标
到2026年，每万人口全科医生数达到{gp}名以上，乡镇卫生院医疗服务能力达到基本标准的比例达到90%以上。

二、重点任务
（一）加强人才队伍建设。每年招聘医学毕业生不少于30名。
"""
Run = tuple[Assistant, RunResult]
TITLE = "青禾县基层卫生服务能力提升行动方案（2024—2026年）"
PLAN_FILE = "qinghe_plan.txt"


def _gold(value: float) -> dict[str, object]:
    return {
        "targets": [
            {
                "value": value,
                "unit": "名",
                "comparator": "≥",
                "year": "2026",
                "region": "青禾县",
                "value_text": f"{value:g}名以上",
                "indicator": "每万人口全科医生数",
            }
        ]
    }


ITEMS = [
    {
        "id": "t-01",
        "type": "lookup",
        "question": "青禾县到2026年每万人口全科医生数要达到多少？",
        "gold": _gold(4),
        "evidence": [{"doc": PLAN_FILE, "quote": "每万人口全科医生数达到4名以上"}],
    },
    {  # the gold is wrong on purpose (the plan says 4): a failure that is new against the baseline
        "id": "t-02",
        "type": "lookup",
        "question": "青禾县2026年每万人口全科医生数的目标是多少？",
        "gold": _gold(5),
        "evidence": [{"doc": PLAN_FILE, "quote": "每万人口全科医生数达到4名以上"}],
    },
    {  # wrong on purpose too, and failing in the baseline: a known failure
        "id": "t-03",
        "type": "lookup",
        "question": "到2026年青禾县每万人口全科医生数达到多少名？",
        "gold": _gold(7),
        "evidence": [{"doc": PLAN_FILE, "quote": "每万人口全科医生数达到4名以上"}],
    },
    {
        "id": "t-04",
        "type": "unanswerable",
        "question": "黑石县到2026年每万人口全科医生数要达到多少？",
        "gold": {"abstain": True},
        "evidence": [],
    },
]


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The made-up items run through the product over the two made-up plans."""
    root = tmp_path_factory.mktemp("report_run")
    plans = root / "plans"
    plans.mkdir()
    (plans / PLAN_FILE).write_text(PLAN.format(county="青禾县", gp=4), encoding="utf-8")
    (plans / "bailu_plan.txt").write_text(PLAN.format(county="白鹭县", gp=6), encoding="utf-8")
    assistant = Assistant(make_settings(root))
    assert [r.status for r in assistant.ingest(sorted(plans.iterdir()))] == ["added", "added"]
    run = evaluate(assistant, ITEMS)
    assert [r.passed for r in run.results] == [True, False, False, True], [r.code for r in run.results]
    return assistant, run


def _baseline(folder: Path, passed: dict[str, bool], summary: dict[str, object]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    lines = [json.dumps({"id": i, "type": "lookup", "passed": p}) for i, p in passed.items()]
    (folder / "items.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "summary.json"


def _report(tmp_path: Path, small_run: Run, baseline: Path | None, **kw: object) -> str:
    assistant, run = small_run
    context = collect_context(assistant, [Path("evals/datasets/made_up.jsonl")])
    paths = write_report(tmp_path / "report", run, baseline_summary=baseline, context=context, **kw)  # type: ignore[arg-type]
    html = paths["html"].read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "<h3>" in html and "<svg" in html
    return paths["markdown"].read_text(encoding="utf-8")


def test_failures_show_question_expected_actual_and_quote(tmp_path: Path, small_run: Run) -> None:
    md = _report(tmp_path, small_run, None)
    section = md.split("### t-02", 1)[1].split("### ", 1)[0]
    assert "问题：青禾县2026年每万人口全科医生数的目标是多少？" in section
    assert "- 回答（已回答）：" in section
    assert re.search(r"\| 数值 \| 5 \| 4 \| 否 \|", section), section
    assert re.search(r"\| 地区 \| 青禾县 \| 青禾县 \| 是 \|", section), section
    assert re.search(r"引用 \[1\]《" + re.escape(TITLE) + r"》：“[^”]*4名以上", section), section
    assert "### t-01" not in md and "### t-04" not in md, "only failures are listed"


def test_failures_marked_new_or_known_and_smaller_run_compared_on_common_items(
    tmp_path: Path, small_run: Run
) -> None:
    # A baseline of 10 items with a higher headline figure than this run's: it must not read as "worse".
    passed = {"t-01": True, "t-02": True, "t-03": False} | {f"t-9{i}": True for i in range(7)}
    summary = {"n": 10, "passed": 9, "accuracy": 0.9, "strict_accuracy": 0.9, "unsupported_numbers": 0}
    md = _report(tmp_path, small_run, _baseline(tmp_path / "base", passed, summary))
    assert "本次题目（4 题）与基线（10 题）不同，只比较共同的 3 题" in md
    assert "| 3 | 2 | 1 | 1 | 1 | 0 |" in md  # common, passed before, passed now, new, known, fixed
    assert re.search(r"^### t-02 · lookup · \w+ · 新失败$", md, re.M), md
    assert re.search(r"^### t-03 · lookup · \w+ · 已知失败$", md, re.M), md
    metrics = md.split("## 主要指标", 1)[1].split("## ", 1)[0]
    assert "| 题目准确率 | 0.500 | 0.9 | 不可比 |" in metrics.replace("0.900", "0.9")
    assert "变好" not in md and "变差" not in md


def test_same_items_compare_metrics(tmp_path: Path, small_run: Run) -> None:
    passed = {"t-01": True, "t-02": True, "t-03": False, "t-04": False}
    md = _report(tmp_path, small_run, _baseline(tmp_path / "base", passed, {"n": 4, "passed": 2, "accuracy": 0.25}))
    assert "不同，只比较" not in md
    assert "| 题目准确率 | 0.500 | 0.250 | 变好 |" in md
    assert "已修复（基线失败、本次通过）：t-04" in md
    assert re.search(r"^### t-02 .* · 新失败$", md, re.M)


def test_thresholds_section_gives_the_fail_under_verdict(tmp_path: Path, small_run: Run) -> None:
    failing = _report(tmp_path, small_run, None, thresholds={"accuracy": 0.99, "unsupported_numbers": 0})
    section = failing.split("## 阈值（--fail-under）", 1)[1].split("## ", 1)[0]
    assert "结论：未达标：1 项未通过" in section
    assert "| 题目准确率 | ≥ 0.99 | 0.500 | 未达标 |" in section
    assert "| 无出处数字（个） | ≤ 0 | 0 | 达标 |" in section
    holding = _report(tmp_path, small_run, None, thresholds={"accuracy": 0.5})
    assert "结论：达标：全部阈值通过。" in holding
    assert "本次未设阈值" in _report(tmp_path, small_run, None)


def test_header_names_the_run(tmp_path: Path, small_run: Run) -> None:
    assistant, _ = small_run
    md = _report(tmp_path, small_run, None)
    header = md.split("\n## ", 1)[0]
    assert re.search(r"- 日期：\d{4}-\d\d-\d\d \d\d:\d\d UTC", header)
    assert re.search(r"- 代码提交：[0-9a-f]{7,}", header), header
    assert "- 评测集：made_up.jsonl" in header
    assert "- 题目数：4，通过 2" in header
    assert f"- 数据目录：{assistant.settings.data_dir}" in header
    assert f"- 解析流水线版本：{PIPELINE_VERSION}" in header
    assert f"- 向量模型：{assistant.settings.embedding}" in header


def test_titles_instead_of_file_names_and_chinese_labels(tmp_path: Path, small_run: Run) -> None:
    md = _report(tmp_path, small_run, None)
    by_doc = md.split("## 按文件", 1)[1].split("## ", 1)[0]
    assert f"| {TITLE} | 3 |" in by_doc
    assert PLAN_FILE not in md
    assert "| （不对应任何文件的题目） | 1 |" in by_doc
    for english in ("Evaluation report", "Item accuracy", "By type", "Failed items", "Failure codes"):
        assert english not in md
    section = md.split("## 首次接触与改写题", 1)[1].split("\n## ", 1)[0]
    assert "| 改写题准确率 |" in section and "本次未评测" in section
    assert "- WRONG_VALUE（数值不符）：2" in md and "- OK（通过）：2" in md


def test_abstained_failure_shows_what_was_expected_and_the_nearest_passage(tmp_path: Path, small_run: Run) -> None:
    assistant, _ = small_run
    item = {
        "id": "t-05",
        "type": "lookup",
        "question": "青禾县到2026年每万人口注册护士数要达到多少？",  # the plan states no such target
        "gold": {"targets": [{**_gold(3)["targets"][0], "indicator": "每万人口注册护士数"}]},  # type: ignore[index]
        "evidence": [{"doc": PLAN_FILE, "quote": "每万人口全科医生数达到4名以上"}],
    }
    run = evaluate(assistant, [item])
    assert run.results[0].code == "FALSE_ABSTAIN", run.answers[0]
    md = _report(tmp_path, (assistant, run), None)
    section = md.split("### t-05 · lookup · FALSE_ABSTAIN", 1)[1]
    assert "- 回答（未找到答案）：" in section
    assert "- 期望：每万人口注册护士数 3名以上（2026，青禾县）" in section
    assert "- 引用：无" in section and "- 最相近的段落《" in section

"""Evaluation reports: summary.json, items.jsonl, report.md and a self-contained report.html, in Chinese like the CLI.

The report reads top down as a maintainer checks a run: what was run (header), whether it holds the
thresholds, how it stands against the baseline on the items both share, the metrics, the kept
first-contact and paraphrase figures, then every failure with its question, expected against actual
per field and the quotes it cited.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from evals.metrics import ItemResult
from evals.report_compare import Comparison, compare, compare_run
from evals.report_context import ReportContext, first_contact
from evals.report_failures import failure_lines
from evals.runner import LOWER_IS_BETTER, RunResult, check_thresholds

HEADLINE = [
    ("accuracy", "题目准确率"),
    ("strict_accuracy", "严格指标准确率"),
    ("citation_recall", "引用召回率"),
    ("citation_precision", "引用精确率"),
    ("unsupported_numbers", "无出处数字（个）"),
    ("abstention_accuracy", "拒答准确率"),
    ("false_answer_rate", "误答率"),
    ("false_abstention_rate", "误拒率"),
    ("recall_at_k", "检索召回率@k"),
    ("mrr", "MRR"),
    ("latency_p50_ms", "延迟 p50（毫秒）"),
    ("latency_p95_ms", "延迟 p95（毫秒）"),
]
LABELS = dict(HEADLINE)
FAILURE_LABELS = {
    "OK": "通过",
    "SHOULD_ABSTAIN": "应拒答却作答",
    "FALSE_ABSTAIN": "有答案却拒答",
    "WRONG_VALUE": "数值不符",
    "WRONG_UNIT": "单位不符",
    "WRONG_BOUND": "比较（以上/以下）不符",
    "WRONG_YEAR": "年份不符",
    "WRONG_REGION": "地区不符",
    "MISSING_PHRASE": "缺少关键词",
    "NO_CITATION": "没有引用",
    "UNSUPPORTED_NUMBER": "数字没有出处",
    "NOT_HELP": "不是使用帮助",
}
BY_TYPE_TITLE = "按题型"


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}" if value <= 1.0 else f"{value:.1f}"
    return str(value)


def _ratio(pair: Sequence[int]) -> str:
    passed, of = pair
    return f"{passed / of:.3f}（{passed}/{of}）" if of else "—"


def _header(run: RunResult, ctx: ReportContext) -> list[str]:
    s = run.summary
    return [
        f"# 评测报告：{run.system}",
        "",
        f"- 日期：{ctx.date or '—'}",
        f"- 代码提交：{ctx.commit}",
        f"- 评测集：{'、'.join(ctx.datasets) or '—'}",
        f"- 题目数：{s['n']}，通过 {s['passed']}（{_fmt(s.get('accuracy'))}）",
        f"- 数据目录：{ctx.data_dir}",
        f"- 解析流水线版本：{ctx.pipeline_version}",
        f"- 向量模型：{ctx.embedder}",
    ]


def _thresholds(summary: Mapping[str, Any], thresholds: Mapping[str, float] | None) -> list[str]:
    lines = ["", "## 阈值（--fail-under）", ""]
    if not thresholds:
        return [*lines, "本次未设阈值（未给出 --fail-under）。"]
    broken = check_thresholds(summary, thresholds)
    verdict = "达标：全部阈值通过。" if not broken else f"未达标：{len(broken)} 项未通过（命令以非零状态退出）。"
    lines += [f"**结论：{verdict}**", "", "| 指标 | 要求 | 本次 | 结论 |", "|---|---|---|---|"]
    for name, bound in thresholds.items():
        fails = check_thresholds(summary, {name: bound})
        need = f"≤ {bound:g}" if name in LOWER_IS_BETTER else f"≥ {bound:g}"
        mark = "未达标" if fails else "达标"
        lines.append(f"| {LABELS.get(name, name)} | {need} | {_fmt(summary.get(name))} | {mark} |")
    return lines


def _baseline(cmp: Comparison | None, results: Sequence[ItemResult]) -> list[str]:
    if cmp is None:
        return []
    lines = ["", "## 与基线对比", ""]
    n_run, n_base, n_common = len(cmp.run_ids), len(cmp.passed_before), len(cmp.common)
    if not cmp.passed_before:
        return [*lines, "基线没有逐题结果（items.jsonl），无法逐题对比。"]
    if not cmp.same_items:
        lines += [
            f"**注意：本次题目（{n_run} 题）与基线（{n_base} 题）不同，只比较共同的 {n_common} 题；"
            "下方汇总指标来自不同的题目集合，不作好坏判断。**",
            "",
        ]
    before, now = cmp.common_passed(results)
    lines += [
        "| 共同题目 | 基线通过 | 本次通过 | 新失败 | 已知失败 | 已修复 |",
        "|---|---|---|---|---|---|",
        f"| {n_common} | {before} | {now} | {len(cmp.new_failures)} | {len(cmp.known_failures)} | {len(cmp.fixed)} |",
    ]
    if cmp.new_failures:
        lines += ["", "新失败（基线通过、本次失败）：" + "、".join(cmp.new_failures)]
    if cmp.fixed:
        lines += ["", "已修复（基线失败、本次通过）：" + "、".join(cmp.fixed)]
    return lines


def _metrics(run: RunResult, reference: RunResult | None, cmp: Comparison | None) -> list[str]:
    s = run.summary
    with_base = cmp is not None
    head = "| 指标 | 本系统 |" + (" 参照管线 |" if reference else "") + (" 基线 | 变化 |" if with_base else "")
    lines = ["", "## 主要指标", "", head, "|" + "---|" * (head.count("|") - 1)]
    verdicts = compare(s, cmp.summary, [k for k, _ in HEADLINE]) if cmp is not None and cmp.same_items else {}
    for key, label in HEADLINE:
        row = f"| {label} | {_fmt(s.get(key))} |"
        if reference:
            row += f" {_fmt(reference.summary.get(key))} |"
        if cmp is not None:
            row += f" {_fmt(cmp.summary.get(key))} | {verdicts.get(key) or '不可比'} |"
        lines.append(row)
    return lines


def _breakdowns(s: Mapping[str, Any], ctx: ReportContext) -> list[str]:
    lines = ["", f"## {BY_TYPE_TITLE}", "", "| 题型 | 题数 | 准确率 | 严格 | 引用召回 | 拒答 |"]
    lines += ["|---|---|---|---|---|---|"]
    for t, m in s["by_type"].items():
        lines.append(
            f"| {t} | {m['n']} | {_fmt(m['accuracy'])} | {_fmt(m['strict_accuracy'])} | "
            f"{_fmt(m['citation_recall'])} | {_fmt(m['abstention_accuracy'])} |"
        )
    lines += ["", "## 按文件", "", "| 文件 | 题数 | 准确率 | 严格 |", "|---|---|---|---|"]
    for d, m in s["by_doc"].items():
        lines.append(f"| {ctx.title(d)} | {m['n']} | {_fmt(m['accuracy'])} | {_fmt(m['strict_accuracy'])} |")
    if s.get("by_class"):
        lines += ["", "## 按问题类别", "", "| 类别 | 题数 | 准确率 |", "|---|---|---|"]
        lines += [f"| {c} | {m['n']} | {_fmt(m['accuracy'])} |" for c, m in s["by_class"].items()]
    return lines


def _first_contact(s: Mapping[str, Any], ctx: ReportContext, kept: Mapping[str, Any]) -> list[str]:
    """The kept first-contact figures beside this run's, and the paraphrase accuracy."""
    lines = ["", "## 首次接触与改写题", ""]
    plans = kept.get("plans") or []
    if plans:
        lines += [
            "首次接触：产品未针对该文件做任何修改时的得分（见 evals/datasets/README.md），永不覆盖。",
            "",
            "| 文件 | 测量日期 | 首次接触准确率 | 首次接触严格准确率 | 首次接触指标召回 | 本次准确率 |",
            "|---|---|---|---|---|---|",
        ]
        for p in plans:
            now = s["by_doc"].get(p["doc"], {})
            lines.append(
                f"| {ctx.title(p['doc'])} | {p.get('measured', '—')} | {_ratio(p['item_accuracy'])} | "
                f"{_ratio(p['strict_accuracy'])} | {_ratio(p['target_recall'])} | "
                f"{_fmt(now.get('accuracy')) if now else '本次未评测'} |"
            )
    q = kept.get("questions") or {}
    para = s.get("paraphrase")
    now = f"{_fmt(para['accuracy'])}（{para['n']} 题）" if para else "本次未评测（paraphrases.jsonl）"
    lines += ["", "| 改写题 | 首次接触 | 本次 |", "|---|---|---|"]
    lines.append(f"| 改写题准确率 | {_fmt(q.get('paraphrase_accuracy'))} | {now} |")
    lines.append(
        f"| 原题通过时两个改写都通过 | {_fmt(q.get('both_pass_when_original_passes'))} | "
        f"{_fmt(para['both_pass_when_original_passes']) if para else '—'} |"
    )
    if para:
        lines.append(f"| 本次含原题 | — | {para['originals_in_run']} / {para['originals']} |")
    return lines


def _perturbation(s: Mapping[str, Any]) -> list[str]:
    """Perturbation accuracy per rule (``eval --perturb``), and the rewrites that failed."""
    p = s.get("perturbation")
    if not p:
        return []
    lines = [
        "",
        "## 措辞扰动（--perturb）",
        "",
        f"把本次通过的 {p['base_items']} 道可答题按 evals/perturbations.toml 的规则改写（不改年份、地区和所问指标），"
        f"再评测：{p['n']} 题，通过 {p['passed']}，扰动准确率 {_fmt(p['accuracy'])}。",
        "",
        "| 规则 | 改写 | 题数 | 通过 | 准确率 |",
        "|---|---|---|---|---|",
    ]
    for name, row in p["by_rule"].items():
        lines.append(f"| {name} | {row['label']} | {row['n']} | {row['passed']} | {_fmt(row['accuracy'])} |")
    failed = [f for row in p["by_rule"].values() for f in row["failed"]]
    if failed:
        lines += ["", f"改写后失败（{len(failed)}）：", ""]
        lines += [f"- {f['id']}：{f['question']}（{FAILURE_LABELS.get(f['code'], f['code'])}）" for f in failed]
    return lines


def _failures(run: RunResult, cmp: Comparison | None, ctx: ReportContext) -> list[str]:
    s = run.summary
    lines = ["", "## 结果代码", ""]
    for code, n in sorted(s["failure_codes"].items(), key=lambda kv: -kv[1]):
        lines.append(f"- {code}（{FAILURE_LABELS[code]}）：{n}" if code in FAILURE_LABELS else f"- {code}：{n}")
    items = {str(i.get("id", "")): i for i in run.items}
    failed = [(r, a) for r, a in zip(run.results, run.answers, strict=True) if not r.passed]
    if not failed:
        return lines
    lines += ["", f"## 失败题目（{len(failed)}）", ""]
    for r, a in failed:
        lines += failure_lines(r, a, cmp.status(r.id) if cmp is not None else "", ctx.title, items.get(r.id))
    return lines


def render_markdown(
    run: RunResult,
    ctx: ReportContext,
    reference: RunResult | None = None,
    cmp: Comparison | None = None,
    thresholds: Mapping[str, float] | None = None,
    kept: Mapping[str, Any] | None = None,
) -> str:
    """The whole report as Markdown."""
    s = run.summary
    lines = _header(run, ctx)
    lines += _thresholds(s, thresholds)
    lines += _baseline(cmp, run.results)
    lines += _metrics(run, reference, cmp)
    lines += _breakdowns(s, ctx)
    lines += _first_contact(s, ctx, kept if kept is not None else first_contact())
    lines += _perturbation(s)
    lines += _failures(run, cmp, ctx)
    return "\n".join(lines) + "\n"


def _bar_chart(by_type: Mapping[str, Mapping[str, Any]]) -> str:
    """Inline SVG bars of accuracy by item type (no script, no external asset)."""
    width, bar_h, gap, label_w = 520, 22, 8, 110
    items = list(by_type.items())
    height = len(items) * (bar_h + gap) + gap
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">']
    for i, (name, m) in enumerate(items):
        y = gap + i * (bar_h + gap)
        acc = float(m.get("accuracy") or 0.0)
        w = int((width - label_w - 60) * acc)
        parts.append(f'<text x="0" y="{y + 16}" font-size="13">{html.escape(name)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="#2b6cb0"/>')
        parts.append(f'<text x="{label_w + w + 6}" y="{y + 16}" font-size="13">{acc:.0%}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _inline(text: str) -> str:
    """Escape a line and turn its **bold** spans into <strong>."""
    parts = html.escape(text).split("**")
    return "".join(f"<strong>{p}</strong>" if i % 2 else p for i, p in enumerate(parts))


def _html(markdown: str, run: RunResult) -> str:
    body: list[str] = []
    table: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if items:
            body.append("<ul>" + "".join(items) + "</ul>")
            items.clear()
        if table:
            rows = [r for r in table if not set(r.replace("|", "").strip()) <= {"-"}]
            cells = [[_inline(c.strip()) for c in r.strip().strip("|").split("|")] for r in rows]
            out = ["<table>", "<tr>" + "".join(f"<th>{c}</th>" for c in cells[0]) + "</tr>"]
            out += ["<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in cells[1:]]
            body.append("\n".join([*out, "</table>"]))
            table.clear()

    for line in markdown.splitlines():
        if line.startswith("|"):
            table.append(line)
            continue
        if line.startswith("- "):
            items.append(f"<li>{_inline(line[2:])}</li>")
            continue
        flush()
        if line.startswith("# "):
            body.append(f"<h1>{_inline(line[2:])}</h1>")
        elif line.startswith("## "):
            body.append(f"<h2>{_inline(line[3:])}</h2>")
            if line[3:] == BY_TYPE_TITLE:
                body.append(_bar_chart(run.summary["by_type"]))
        elif line.startswith("### "):
            body.append(f"<h3>{_inline(line[4:])}</h3>")
        elif line.strip():
            body.append(f"<p>{_inline(line)}</p>")
    flush()
    style = (
        "body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;font-size:14px}"
        "h3{font-size:15px;margin-top:1.6em;border-top:1px solid #ddd;padding-top:.6em}"
    )
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>评测报告</title>'
        f"<style>{style}</style></head><body>" + "\n".join(body) + "</body></html>\n"
    )


def write_report(
    folder: Path,
    run: RunResult,
    reference: RunResult | None = None,
    baseline_summary: Path | None = None,
    thresholds: Mapping[str, float] | None = None,
    context: ReportContext | None = None,
    perturbed: RunResult | None = None,
) -> dict[str, Path]:
    """Write the four report files into ``folder``; return their paths.

    Args:
        folder: Where to write summary.json, items.jsonl, report.md and report.html.
        run: The scored run.
        reference: The reference pipeline's run over the same items, if any.
        baseline_summary: A baseline summary.json (its items.jsonl beside it gives the per-item comparison).
        thresholds: The ``--fail-under`` thresholds, shown with their verdict.
        context: The header (date, commit, datasets, data dir, versions) and document titles.
        perturbed: The run of the reworded items (``eval --perturb``), written to perturbations.jsonl;
            its summary block is ``run.summary["perturbation"]``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    ctx = context or ReportContext()
    cmp = compare_run(run.results, baseline_summary) if baseline_summary else None
    summary = dict(run.summary)
    summary["system"] = run.system
    if reference:
        summary["reference"] = {k: reference.summary.get(k) for k, _ in HEADLINE} | {"system": reference.system}
    if cmp is not None:
        summary["regressions"] = cmp.new_failures
        summary["baseline_same_items"] = cmp.same_items
    if thresholds:
        summary["thresholds_broken"] = check_thresholds(run.summary, thresholds)
    paths = {
        "summary": folder / "summary.json",
        "items": folder / "items.jsonl",
        "markdown": folder / "report.md",
        "html": folder / "report.html",
    }
    paths["summary"].write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    with paths["items"].open("w", encoding="utf-8") as f:
        for r, a in zip(run.results, run.answers, strict=True):
            f.write(json.dumps({**r.to_dict(), "answer": a}, ensure_ascii=False) + "\n")
    if perturbed is not None:
        paths["perturbations"] = folder / "perturbations.jsonl"
        with paths["perturbations"].open("w", encoding="utf-8") as f:
            for item, r, a in zip(perturbed.items, perturbed.results, perturbed.answers, strict=True):
                row = {"question": item.get("question"), "original": item.get("perturbed_from"), **r.to_dict()}
                f.write(json.dumps({**row, "answer": a}, ensure_ascii=False) + "\n")
    md = render_markdown(run, ctx, reference, cmp, thresholds)
    paths["markdown"].write_text(md, encoding="utf-8")
    paths["html"].write_text(_html(md, run), encoding="utf-8")
    return paths

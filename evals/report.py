"""Evaluation reports: summary.json, items.jsonl, report.md and a self-contained report.html."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from evals.metrics import ItemResult
from evals.runner import LOWER_IS_BETTER, RunResult

HEADLINE = [
    ("accuracy", "Item accuracy"),
    ("strict_accuracy", "Strict target accuracy"),
    ("citation_recall", "Citation recall"),
    ("citation_precision", "Citation precision"),
    ("unsupported_numbers", "Unsupported numbers"),
    ("abstention_accuracy", "Abstention accuracy"),
    ("false_answer_rate", "False-answer rate"),
    ("false_abstention_rate", "False-abstention rate"),
    ("recall_at_k", "Retrieval recall@k"),
    ("mrr", "MRR"),
    ("latency_p50_ms", "Latency p50 (ms)"),
    ("latency_p95_ms", "Latency p95 (ms)"),
]


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}" if value <= 1.0 else f"{value:.1f}"
    return str(value)


def compare(summary: Mapping[str, Any], baseline: Mapping[str, Any]) -> list[tuple[str, Any, Any, str]]:
    """Per headline metric: (name, baseline, now, verdict) where verdict is better/worse/same."""
    rows = []
    for key, _label in HEADLINE:
        now, before = summary.get(key), baseline.get(key)
        if now is None or before is None:
            verdict = ""
        elif abs(float(now) - float(before)) < 1e-9:
            verdict = "same"
        else:
            better = float(now) < float(before) if key in LOWER_IS_BETTER else float(now) > float(before)
            verdict = "better" if better else "worse"
        rows.append((key, before, now, verdict))
    return rows


def regressions(results: Sequence[ItemResult], baseline_items: Path | None) -> list[str]:
    """Ids of items that passed in the baseline run and fail now."""
    if baseline_items is None or not baseline_items.is_file():
        return []
    before = {}
    for line in baseline_items.read_text(encoding="utf-8").splitlines():
        if line.strip():
            obj = json.loads(line)
            before[obj["id"]] = bool(obj.get("passed"))
    return [r.id for r in results if before.get(r.id) and not r.passed]


def _markdown(
    run: RunResult,
    reference: RunResult | None,
    baseline: Mapping[str, Any] | None,
    regressed: list[str],
    broken: list[str],
) -> str:
    s = run.summary
    lines = [f"# Evaluation report: {run.system}", "", f"{s['n']} items, {s['passed']} passed.", ""]
    if broken:
        lines += ["**Thresholds broken:** " + "; ".join(broken), ""]
    head = "| metric | product |" + (" reference |" if reference else "") + (" baseline | change |" if baseline else "")
    lines += [head, "|" + "---|" * (head.count("|") - 1)]
    cmp = {k: (b, v) for k, b, _, v in compare(s, baseline)} if baseline else {}
    for key, label in HEADLINE:
        row = f"| {label} | {_fmt(s.get(key))} |"
        if reference:
            row += f" {_fmt(reference.summary.get(key))} |"
        if baseline:
            before, verdict = cmp[key]
            row += f" {_fmt(before)} | {verdict} |"
        lines.append(row)
    lines += ["", "## By type", "", "| type | n | accuracy | strict | citation recall | abstention |"]
    lines += ["|---|---|---|---|---|---|"]
    for t, m in s["by_type"].items():
        lines.append(
            f"| {t} | {m['n']} | {_fmt(m['accuracy'])} | {_fmt(m['strict_accuracy'])} | "
            f"{_fmt(m['citation_recall'])} | {_fmt(m['abstention_accuracy'])} |"
        )
    lines += ["", "## By document", "", "| document | n | accuracy | strict |", "|---|---|---|---|"]
    for d, m in s["by_doc"].items():
        lines.append(f"| {d} | {m['n']} | {_fmt(m['accuracy'])} | {_fmt(m['strict_accuracy'])} |")
    lines += _slice_lines(s)
    lines += ["", "## Failure codes", ""]
    lines += [f"- {code}: {n}" for code, n in sorted(s["failure_codes"].items(), key=lambda kv: -kv[1])]
    if regressed:
        lines += ["", "## Changed from pass to fail", ""] + [f"- {i}" for i in regressed]
    failures = [(r, a) for r, a in zip(run.results, run.answers, strict=True) if not r.passed]
    if failures:
        lines += ["", "## Failed items", "", "| id | type | code | answer |", "|---|---|---|---|"]
        for r, a in failures:
            text = str(a.get("answer", "")).replace("\n", " ").replace("|", "｜")[:120]
            lines.append(f"| {r.id} | {r.type} | {r.code} | {text} |")
    return "\n".join(lines) + "\n"


def _slice_lines(s: Mapping[str, Any]) -> list[str]:
    """Accuracy by question class and on paraphrases (evals/slices.py), when the run has them."""
    lines: list[str] = []
    if s.get("by_class"):
        lines += ["", "## By question class", "", "| class | n | accuracy |", "|---|---|---|"]
        lines += [f"| {c} | {m['n']} | {_fmt(m['accuracy'])} |" for c, m in s["by_class"].items()]
    p = s.get("paraphrase")
    if p:
        lines += ["", "## Paraphrases", "", f"- paraphrase items: {p['n']}, accuracy {_fmt(p['accuracy'])}"]
        lines.append(
            f"- originals in this run: {p['originals_in_run']} of {p['originals']}; both paraphrases pass "
            f"when the original passes: {_fmt(p['both_pass_when_original_passes'])}"
        )
    return lines


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


def _html(markdown: str, run: RunResult) -> str:
    body = []
    table: list[str] = []

    def flush() -> None:
        if table:
            rows = [r for r in table if not set(r.replace("|", "").strip()) <= {"-"}]
            cells = [[html.escape(c.strip()) for c in r.strip().strip("|").split("|")] for r in rows]
            out = ["<table>", "<tr>" + "".join(f"<th>{c}</th>" for c in cells[0]) + "</tr>"]
            out += ["<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in cells[1:]]
            body.append("\n".join([*out, "</table>"]))
            table.clear()

    for line in markdown.splitlines():
        if line.startswith("|"):
            table.append(line)
            continue
        flush()
        if line.startswith("# "):
            body.append(f"<h1>{html.escape(line[2:])}</h1>")
        elif line.startswith("## "):
            body.append(f"<h2>{html.escape(line[3:])}</h2>")
            if line[3:] == "By type":
                body.append(_bar_chart(run.summary["by_type"]))
        elif line.startswith("- "):
            body.append(f"<li>{html.escape(line[2:])}</li>")
        elif line.strip():
            body.append(f"<p>{html.escape(line.replace('**', ''))}</p>")
    flush()
    style = (
        "body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;font-size:14px}"
    )
    return (
        '<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>Evaluation report</title>'
        f"<style>{style}</style></head><body>" + "\n".join(body) + "</body></html>\n"
    )


def write_report(
    folder: Path,
    run: RunResult,
    reference: RunResult | None = None,
    baseline_summary: Path | None = None,
    broken: Sequence[str] = (),
) -> dict[str, Path]:
    """Write the four report files into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    baseline = json.loads(baseline_summary.read_text(encoding="utf-8")) if baseline_summary else None
    regressed = regressions(run.results, baseline_summary.with_name("items.jsonl") if baseline_summary else None)
    summary = dict(run.summary)
    summary["system"] = run.system
    if reference:
        summary["reference"] = {k: reference.summary.get(k) for k, _ in HEADLINE} | {"system": reference.system}
    if regressed:
        summary["regressions"] = regressed
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
    md = _markdown(run, reference, baseline, regressed, list(broken))
    paths["markdown"].write_text(md, encoding="utf-8")
    paths["html"].write_text(_html(md, run), encoding="utf-8")
    return paths

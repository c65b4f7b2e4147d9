"""The failed items of a report, each readable on its own.

Each shows the question, what was expected against what came back field by field, the answer and the
quotes it cited, and whether the failure is new against the baseline.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from evals.matching import FIELDS, get_field, target_match
from evals.metrics import ItemResult, TargetResult

FIELD_LABELS = {"value": "数值", "unit": "单位", "comparator": "比较", "year": "年份", "region": "地区"}
SOURCE_LABELS = {"row": "指标行", "claim": "回答正文", "none": "未找到"}
STATUS_LABELS = {"answered": "已回答", "not_found": "未找到答案", "help": "使用帮助"}
MAX_ANSWER_CHARS = 240
MAX_QUOTE_CHARS = 160
MAX_QUOTES = 3


def _cell(value: Any) -> str:
    """A value fit for a Markdown table cell."""
    if value is None or value == "":
        return "—"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\n", " ").replace("|", "｜")


def _short(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _field(obj: Any, name: str) -> str:
    """One field of a target as a reader would check it (the value with its upper bound)."""
    if name == "value":
        low, high = get_field(obj, "value"), get_field(obj, "value_max")
        return _cell(low) if high in (None, "") else f"{_cell(low)}—{_cell(high)}"
    return _cell(get_field(obj, name, ""))


def _best_row(gold: Mapping[str, Any], rows: Sequence[Any]) -> Any | None:
    """The answered row that matches the gold target best (the judge's choice among rows)."""
    scored = [(target_match(r, gold), r) for r in rows]
    if not scored:
        return None
    return max(scored, key=lambda s: (s[0]["strict"], *[s[0][f] for f in FIELDS]))[1]


def target_table(tr: TargetResult, rows: Sequence[Any]) -> list[str]:
    """Expected against actual, per field, for one gold target."""
    gold = tr.gold
    row = _best_row(gold, rows) if tr.source == "row" else None
    lines = [
        f"指标：{_cell(gold.get('indicator'))}（期望原文 {_cell(gold.get('value_text'))}；"
        f"回答中对应：{SOURCE_LABELS.get(tr.source, tr.source)} {_cell(tr.matched)}）",
        "",
        "| 字段 | 期望 | 实际 | 一致 |",
        "|---|---|---|---|",
    ]
    for name in FIELDS:
        if row is not None:
            actual = _field(row, name)
        elif tr.source == "claim":
            actual = _cell(tr.matched) if name == "value" else "（见回答正文）"
        else:
            actual = "—"
        mark = "是" if tr.fields.get(name) else "否"
        lines.append(f"| {FIELD_LABELS[name]} | {_field(gold, name)} | {actual} | {mark} |")
    return [*lines, ""]


def _expected(gold: Mapping[str, Any]) -> list[str]:
    """What an item expected, for an answer that had nothing to compare field by field (it abstained)."""
    lines = []
    for g in gold.get("targets", []) or []:
        where = "，".join(x for x in (_field(g, "year"), _field(g, "region")) if x != "—")
        lines.append(f"- 期望：{_cell(g.get('indicator'))} {_cell(g.get('value_text') or g.get('value'))}（{where}）")
    phrases = [str(p) for p in gold.get("answer_contains", []) or []]
    if phrases:
        lines.append("- 期望回答中包含：" + "、".join(phrases))
    return lines


def failure_lines(
    result: ItemResult,
    answer: Mapping[str, Any],
    status: str,
    title: Callable[[str], str],
    item: Mapping[str, Any] | None = None,
) -> list[str]:
    """The Markdown of one failed item (``item``, the dataset item, adds what was expected when it abstained)."""
    heading = f"### {result.id} · {result.type} · {result.code}" + (f" · {status}" if status else "")
    lines = [heading, ""]
    lines.append(f"- 问题：{_short(str(answer.get('question', '') or '—'), MAX_ANSWER_CHARS)}")
    if result.docs:
        lines.append("- 文件：" + "、".join(f"《{title(d)}》" for d in result.docs))
    status_label = STATUS_LABELS.get(str(answer.get("status", "")), str(answer.get("status", "")))
    lines.append(f"- 回答（{status_label}）：{_short(str(answer.get('answer', '')), MAX_ANSWER_CHARS)}")
    if result.should_abstain and not result.abstained:
        lines.append("- 期望：拒答（规划中没有答案），实际给出了回答")
    elif result.abstained and item is not None:
        lines += _expected(item.get("gold", {}) or {})
    if result.phrases_missing:
        lines.append("- 回答中缺少的关键词：" + "、".join(result.phrases_missing))
    if result.unsupported:
        lines.append("- 没有出处的数字：" + "、".join(result.unsupported))
    citations = list(answer.get("citations") or [])
    for c in citations[:MAX_QUOTES]:
        where = title(str(c.get("doc_id", ""))) if c.get("doc_id") else str(c.get("title", ""))
        lines.append(f"- 引用 [{c.get('n', '')}]《{where}》：“{_short(str(c.get('quote', '')), MAX_QUOTE_CHARS)}”")
    if not citations:
        lines.append("- 引用：无")
        for h in list(answer.get("suggestions") or [])[:2]:
            where = title(str(h.get("doc_id", ""))) if h.get("doc_id") else str(h.get("title", ""))
            lines.append(f"- 最相近的段落《{where}》：“{_short(str(h.get('text', '')), MAX_QUOTE_CHARS)}”")
    lines.append("")
    rows = list(answer.get("targets") or [])
    for tr in result.targets:
        if not tr.fields.get("strict"):
            lines += target_table(tr, rows)
    return lines

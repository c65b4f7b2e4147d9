"""Run evaluation datasets through the service object (or a reference pipeline) and score them.

Deterministic: the same store, rules and dataset give the same report. No LLM judges anything.
``select_items`` and ``evaluate`` are the one wiring of an evaluation run: the CLI's ``eval`` and the
UI's 评测 page both call them.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from assistant.schema import Turn
from assistant.service import Assistant
from evals.dataset import load_datasets, smoke_items
from evals.metrics import ItemResult, score_item, summarize
from ingestion.text.errors import InvalidRequestError

MSG_NO_ITEMS = "评测集为空：请检查 evals/datasets。"


class Answering(Protocol):
    """What the runner needs: ask (JSON answer) and search (hits with text and source)."""

    name: str

    def answer(self, question: str, history: list[Turn]) -> dict[str, Any]:
        """The JSON answer object for a question."""
        ...

    def hits(self, question: str, k: int) -> list[dict[str, Any]]:
        """Retrieved passages, best first."""
        ...


class ProductSystem:
    """The product itself, through ``Assistant``."""

    name = "policy-assistant"

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def answer(self, question: str, history: list[Turn]) -> dict[str, Any]:
        """Ask the assistant."""
        result: dict[str, Any] = self.assistant.ask(question, history=history).model_dump(mode="json")
        return result

    def hits(self, question: str, k: int) -> list[dict[str, Any]]:
        """Hybrid search."""
        return [h.model_dump(mode="json") for h in self.assistant.search(question, k=k)]


@dataclass
class RunResult:
    """Scored items with the answers they were scored on."""

    system: str
    results: list[ItemResult]
    answers: list[dict[str, Any]]
    summary: dict[str, Any]
    items: list[Mapping[str, Any]] = field(default_factory=list)  # the dataset items, for the report's failures


def run(
    system: Answering,
    items: Sequence[Mapping[str, Any]],
    k: int = 5,
    progress: Callable[[int, int], None] | None = None,
    retrieval: bool = True,
) -> RunResult:
    """Ask every item's question (with its history) and score the answer.

    ``retrieval=False`` skips the search behind recall@k and MRR (they stay None); pass or fail does
    not depend on it.
    """
    results: list[ItemResult] = []
    answers: list[dict[str, Any]] = []
    for i, item in enumerate(items):
        history = [Turn.model_validate(t) for t in item.get("history", []) or []]
        t0 = time.perf_counter()
        answer = system.answer(str(item["question"]), history)
        answer.setdefault("latency_ms", round((time.perf_counter() - t0) * 1000, 1))
        # Follow-ups are searched as the assistant understood them, with the context filled in.
        query = str(item["question"])
        if item.get("history") and answer.get("resolved_question"):
            query = str(answer["resolved_question"])
        hits = system.hits(query, k) if retrieval and item.get("evidence") else None
        results.append(score_item(item, answer, hits=hits, k=k))
        answers.append(answer)
        if progress:
            progress(i + 1, len(items))
    return RunResult(system.name, results, answers, summarize(results), list(items))


def select_items(datasets: Sequence[str | Path] | None = None, smoke: bool = False) -> list[Mapping[str, Any]]:
    """The items to run: every dataset (default: all of ``evals/datasets``), or only their smoke subset.

    Raises:
        InvalidRequestError: No item to run (a bad line of a dataset raises it too, with file:line).
    """
    items: list[Mapping[str, Any]] = list(load_datasets(datasets))
    if smoke:
        items = smoke_items(items)
    if not items:
        raise InvalidRequestError(MSG_NO_ITEMS)
    return items


def evaluate(
    assistant: Assistant,
    items: Sequence[Mapping[str, Any]],
    k: int = 5,
    progress: Callable[[int, int], None] | None = None,
    retrieval: bool = True,
) -> RunResult:
    """Run ``items`` through the product: warm it up, ask every question, score every answer.

    ``retrieval=False`` skips the retrieval metrics (see ``run``).

    Raises:
        InvalidRequestError: The library holds no document yet.
    """
    assistant.require_documents()
    if not assistant.is_warm:
        assistant.warm_up()
    return run(ProductSystem(assistant), items, k=k, progress=progress, retrieval=retrieval)


# ---- thresholds ----------------------------------------------------------------------------------

_SPEC_RE = re.compile(r"^\s*([a-z_@0-9]+)\s*(>=|<=|=)?\s*([0-9.]+)\s*$")
# Metrics where lower is better: a threshold is a ceiling.
LOWER_IS_BETTER = {"unsupported_numbers", "unsupported_number_rate", "false_answer_rate", "false_abstention_rate",
                   "answers_with_unsupported", "latency_p50_ms", "latency_p95_ms"}


def parse_thresholds(spec: str) -> dict[str, float]:
    """``"strict_accuracy=0.95,unsupported_numbers=0"`` -> {name: bound}; a JSON file path works too."""
    path = Path(spec)
    if path.suffix == ".json" and path.is_file():
        data = json.loads(path.read_text(encoding="utf-8"))
        return {str(k): float(v) for k, v in data.items() if not str(k).startswith("_")}
    out: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        m = _SPEC_RE.match(part)
        if not m:
            msg = f"阈值写法有误：{part!r}，应为 指标=数值，例如 strict_accuracy=0.95"
            raise ValueError(msg)
        out[m.group(1)] = float(m.group(3))
    return out


def check_thresholds(summary: Mapping[str, Any], thresholds: Mapping[str, float]) -> list[str]:
    """Which thresholds the summary breaks, as readable lines (empty when all hold).

    A threshold naming a metric the summary does not have (a misspelling), or one this run could
    not compute, is broken too: a gate must never pass because it checked nothing.
    """
    broken: list[str] = []
    for name, bound in thresholds.items():
        if name not in summary:
            broken.append(f"{name}: 没有这个指标（可用：{', '.join(sorted(summary))}）")
            continue
        value = summary[name]
        if value is None:
            broken.append(f"{name}: 本次评测无法计算")
            continue
        if name in LOWER_IS_BETTER:
            if float(value) > bound:
                broken.append(f"{name} = {value:.4g} > {bound:g}")
        elif float(value) < bound:
            broken.append(f"{name} = {value:.4g} < {bound:g}")
    return broken

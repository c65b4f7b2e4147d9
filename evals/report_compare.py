"""A run against the baseline: on the items both share, which failures are new and which are known.

Summary metrics of two runs over different item sets are not comparable (a 42-item smoke run's
accuracy is not "better" than the 271-item baseline's because its number is higher), so metric
verdicts are given only when the sets are the same; otherwise the comparison is the pass/fail of the
items both runs hold, and the report warns that the sets differ.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evals.metrics import ItemResult
from evals.runner import LOWER_IS_BETTER

NEW = "新失败"
KNOWN = "已知失败"
UNSEEN = "基线中没有"
VERDICTS = {"better": "变好", "worse": "变差", "same": "不变"}


@dataclass
class Comparison:
    """The run against the baseline (summary.json and its items.jsonl beside it)."""

    summary: dict[str, Any]
    passed_before: dict[str, bool]
    run_ids: list[str]
    common: list[str] = field(default_factory=list)
    new_failures: list[str] = field(default_factory=list)
    known_failures: list[str] = field(default_factory=list)
    fixed: list[str] = field(default_factory=list)

    @property
    def same_items(self) -> bool:
        """Whether the run and the baseline hold exactly the same items (only then metrics compare)."""
        return bool(self.passed_before) and set(self.run_ids) == set(self.passed_before)

    def status(self, item_id: str) -> str:
        """新失败, 已知失败 or 基线中没有, for a failed item."""
        if item_id not in self.passed_before:
            return UNSEEN
        return NEW if self.passed_before[item_id] else KNOWN

    def common_passed(self, results: Sequence[ItemResult]) -> tuple[int, int]:
        """(passed in the baseline, passed now) over the common items."""
        now = {r.id: r.passed for r in results}
        return sum(self.passed_before[i] for i in self.common), sum(now[i] for i in self.common)


def load_baseline_items(path: Path) -> dict[str, bool]:
    """Item id -> passed, from a baseline items.jsonl (empty when missing)."""
    if not path.is_file():
        return {}
    out: dict[str, bool] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            obj = json.loads(line)
            out[str(obj["id"])] = bool(obj.get("passed"))
    return out


def compare_run(results: Sequence[ItemResult], baseline_summary: Path) -> Comparison:
    """Compare a run's results with the baseline whose summary.json is ``baseline_summary``."""
    summary = json.loads(baseline_summary.read_text(encoding="utf-8"))
    before = load_baseline_items(baseline_summary.with_name("items.jsonl"))
    out = Comparison(summary=summary, passed_before=before, run_ids=[r.id for r in results])
    for r in results:
        if r.id not in before:
            continue
        out.common.append(r.id)
        if not r.passed:
            (out.new_failures if before[r.id] else out.known_failures).append(r.id)
        elif not before[r.id]:
            out.fixed.append(r.id)
    return out


def metric_verdict(key: str, before: Any, now: Any) -> str:
    """变好, 变差 or 不变 for one metric (empty when either side is missing)."""
    if now is None or before is None:
        return ""
    if abs(float(now) - float(before)) < 1e-9:
        return VERDICTS["same"]
    better = float(now) < float(before) if key in LOWER_IS_BETTER else float(now) > float(before)
    return VERDICTS["better" if better else "worse"]


def compare(summary: Mapping[str, Any], baseline: Mapping[str, Any], keys: Sequence[str]) -> dict[str, str]:
    """Per metric key: its verdict against the baseline (only meaningful over the same items)."""
    return {k: metric_verdict(k, baseline.get(k), summary.get(k)) for k in keys}

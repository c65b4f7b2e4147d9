"""Recall and precision of target extraction against the hand-made gold list (``evals/gold/targets.jsonl``).

Run ``python -m evals.target_gold``: parses the four shipped plans with the ingestion pipeline, prints
recall, precision, the missed gold rows and the false extracted rows; exits non-zero below the goals
(recall >= 0.95, precision >= 0.97).

Matching: an extracted row matches a gold row when doc (source file name), value, value_max, unit,
comparator, year, region and kind are equal and the gold ``indicator`` key phrase is contained in the
extracted indicator (both NFKC-normalised, spaces and quotation marks removed). Each extracted row
matches at most one gold row.

- **Recall** = gold rows matched / gold rows.
- **Precision** needs a judged set, so it is computed only where the gold list is exhaustive:
  narrative rows of plans 000, 001 and 003, and cells of the tables listed in ``JUDGED_TABLES`` (附件1
  of plan 000 and both inline target tables of plan 002). Precision = extracted rows in those areas that
  match a gold row / extracted rows in those areas. The gold list also holds samples elsewhere (narrative
  of plan 002, cells of every other table); those count for recall only.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ingestion.schema import Target
from ingestion.text.normalize import squash
from ingestion.text.numbers import normalize_unit

ROOT = Path(__file__).resolve().parents[1]
GOLD_PATH = Path(__file__).with_name("gold") / "targets.jsonl"
PLANS_DIR = ROOT / "data" / "plans"
JUDGED_NARRATIVE = {"000_778e5b2cbe8b919c.txt", "001_dc435b7e570d8852.txt", "003_3f88d696d1e32b3d.txt"}
JUDGED_TABLES = {
    ("000_778e5b2cbe8b919c.txt", "基础设施建设"),
    ("002_4299291a12d9de5d.txt", "建设类目标值"),
    ("002_4299291a12d9de5d.txt", "人员配备目标值"),
}
RECALL_GOAL = 0.95
PRECISION_GOAL = 0.97


@dataclass
class Report:
    """Result of one evaluation run."""

    recall: float
    precision: float
    n_gold: int
    n_judged: int
    misses: list[dict[str, object]] = field(default_factory=list)
    false_rows: list[Target] = field(default_factory=list)


def _norm(s: str) -> str:
    return squash(s, drop="“”\"'‘’")


def load_gold(path: Path = GOLD_PATH) -> list[dict[str, object]]:
    """The gold rows, one dict per JSONL line."""
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def matches(g: dict[str, object], t: Target) -> bool:
    """Whether extracted row ``t`` matches gold row ``g`` (see module docstring)."""
    gmax = g.get("value_max")
    return (
        t.source == g["doc"]
        and abs(t.value - float(g["value"])) < 1e-9  # type: ignore[arg-type]
        and ((t.value_max is None and gmax is None) or (t.value_max is not None and gmax is not None
             and abs(t.value_max - float(gmax)) < 1e-9))  # type: ignore[arg-type]
        and normalize_unit(t.unit) == normalize_unit(str(g["unit"]))
        and t.comparator == g["comparator"]
        and t.year == g["year"]
        and t.region == g["region"]
        and t.kind == g["kind"]
        and _norm(str(g["indicator"])) in _norm(t.indicator)
    )  # fmt: skip


def judged(t: Target) -> bool:
    """Whether an extracted row lies in an area where the gold list is exhaustive."""
    if t.kind == "narrative":
        return t.source in JUDGED_NARRATIVE
    return any(t.source == doc and key in t.table_title for doc, key in JUDGED_TABLES)


def evaluate(targets: list[Target], gold: list[dict[str, object]]) -> Report:
    """Match extracted rows to gold rows one to one and compute recall and precision."""
    used: set[int] = set()
    misses = []
    for g in gold:
        hit = next((i for i, t in enumerate(targets) if i not in used and matches(g, t)), None)
        if hit is None:
            misses.append(g)
        else:
            used.add(hit)
    judged_idx = [i for i, t in enumerate(targets) if judged(t)]
    false_rows = [targets[i] for i in judged_idx if i not in used]
    recall = (len(gold) - len(misses)) / len(gold) if gold else 1.0
    precision = (len(judged_idx) - len(false_rows)) / len(judged_idx) if judged_idx else 1.0
    return Report(recall, precision, len(gold), len(judged_idx), misses, false_rows)


def extract_shipped(plans_dir: Path = PLANS_DIR) -> list[Target]:
    """Target rows of every shipped plan, parsed by the ingestion pipeline."""
    from ingestion.pipeline import parse_file

    out: list[Target] = []
    for path in sorted(plans_dir.glob("*.txt")):
        doc = parse_file(path, max_bytes=50_000_000, sidecar=False)
        out.extend(doc.targets)
    return out


def _fmt_target(t: Target) -> str:
    vmax = f"-{t.value_max:g}" if t.value_max is not None else ""
    return (
        f"{t.source[:3]} {t.kind:9} {t.year or '—':9} {t.comparator}{t.value:g}{vmax}{t.unit} "
        f"[{t.region}] {t.indicator} | {t.value_text}"
    )


def _fmt_gold(g: dict[str, object]) -> str:
    vmax = f"-{g['value_max']:g}" if g.get("value_max") is not None else ""
    return (
        f"{str(g['doc'])[:3]} {g['kind']:9} {g['year'] or '—':9} {g['comparator']}{g['value']:g}{vmax}{g['unit']} "
        f"[{g['region']}] {g['indicator']}"
    )


def main() -> int:
    """Print recall, precision, misses and false rows; non-zero exit below the goals."""
    gold = load_gold()
    report = evaluate(extract_shipped(), gold)
    out = sys.stdout
    out.write(f"gold rows: {report.n_gold}; judged extracted rows: {report.n_judged}\n")
    out.write(f"recall:    {report.recall:.3f} (goal {RECALL_GOAL})\n")
    out.write(f"precision: {report.precision:.3f} (goal {PRECISION_GOAL})\n")
    out.write(f"\nmissed gold rows ({len(report.misses)}):\n")
    for g in report.misses:
        out.write("  " + _fmt_gold(g) + "\n")
    out.write(f"\nfalse extracted rows in judged areas ({len(report.false_rows)}):\n")
    for t in report.false_rows:
        out.write("  " + _fmt_target(t) + "\n")
    return 0 if report.recall >= RECALL_GOAL and report.precision >= PRECISION_GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())

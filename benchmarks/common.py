"""Shared pieces of the benchmarks: tables, percentiles, memory, the machine, scratch stores, child processes."""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.settings import Settings

REPO = Path(__file__).resolve().parents[1]
PLANS = REPO / "data" / "plans"
OVERRIDES = REPO / "data" / "overrides"
DATASET = REPO / "evals" / "datasets" / "shipped.jsonl"
RESULTS = REPO / "benchmarks" / "results"
JSON_MARK = "BENCH-JSON:"

# Question types of the shipped dataset, grouped as the benchmark reports them.
QUESTION_GROUPS: dict[str, tuple[str, ...]] = {
    "numeric": ("lookup", "table"),
    "comparison": ("compare",),
    "explanation": ("explain",),
}


def out(text: str = "") -> None:
    """Print one line of progress or report (benchmarks are scripts; print is their interface)."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


@dataclass
class Table:
    """One Markdown table of figures, with notes under it."""

    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        """The table as GitHub Markdown."""
        lines = [f"### {self.title}", "", "| " + " | ".join(self.columns) + " |"]
        lines.append("|" + "|".join(" --- " for _ in self.columns) + "|")
        for row in self.rows:
            lines.append("| " + " | ".join(fmt(v) for v in row) + " |")
        if self.notes:
            lines.append("")
            lines.extend(f"- {n}" for n in self.notes)
        return "\n".join(lines) + "\n"

    def as_dict(self) -> dict[str, Any]:
        """The table as plain data for the JSON results file."""
        return {"title": self.title, "columns": self.columns, "rows": self.rows, "notes": self.notes}


def fmt(value: Any) -> str:
    """A cell: floats with sensible precision, None as a dash."""
    if value is None:
        return "—"
    if isinstance(value, float):
        if value != value:  # NaN
            return "—"
        if abs(value) >= 100:
            return f"{value:,.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        return f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def ratio(product: float | None, reference: float | None) -> str:
    """``product / reference`` as ``1.23×``, or a dash when either is missing."""
    if not product or not reference:
        return "—"
    return f"{product / reference:.2f}×"


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return float(ordered[rank - 1])


def rss_mb() -> float:
    """Resident memory of this process now, in MiB (from /proc)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """User + system CPU time of this process so far (robust to other load on the machine)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def dir_size_mb(path: Path) -> float:
    """Bytes on disk under ``path``, in MiB."""
    total = 0
    for p in Path(path).rglob("*"):
        if p.is_file():
            total += p.stat().st_size
    return total / (1024 * 1024)


def machine() -> dict[str, Any]:
    """The machine the figures come from: cores, CPU model, memory, load, versions."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        free = subprocess.run(["free", "-h"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        free = ""
    mem_total = ""
    for line in free.splitlines():
        if line.startswith("Mem:"):
            mem_total = line.split()[1]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "mem_total": mem_total,
        "free_h": free,
        "loadavg": " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "",
        "python": platform.python_version(),
        "commit": commit,
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
    }


def settings_for(data_dir: Path, **extra: Any) -> Settings:
    """Settings for a scratch store: extractive mode (no LLM), the shipped overrides, no .env file."""
    values: dict[str, Any] = {
        "data_dir": Path(data_dir),
        "overrides_dir": OVERRIDES,
        "llm_base_url": None,
        "vector_store": "embedded",
    }
    values.update(extra)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def child_env(data_dir: Path | None = None) -> dict[str, str]:
    """Environment for a child process: no inherited POLICY_ASSISTANT_ settings, the given store."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICY_ASSISTANT_")}
    env["GRADIO_ANALYTICS_ENABLED"] = "False"
    env["PYTHONPATH"] = str(REPO)
    if data_dir is not None:
        env["POLICY_ASSISTANT_DATA_DIR"] = str(data_dir)
        env["POLICY_ASSISTANT_OVERRIDES_DIR"] = str(OVERRIDES)
    return env


def emit(result: dict[str, Any]) -> None:
    """A child's result: one marked JSON line its parent picks out of the output."""
    out(JSON_MARK + json.dumps(result, ensure_ascii=False))


def run_child(module: str, args: list[str], timeout: float = 3600) -> tuple[dict[str, Any], float]:
    """Run ``python -m module args`` in a fresh process; return its emitted JSON and the wall time."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=REPO,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    wall = time.perf_counter() - t0
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(JSON_MARK):
            return json.loads(line[len(JSON_MARK) :]), wall
    msg = f"{module} {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    raise RuntimeError(msg)


def cli() -> list[str]:
    """How to run ``policy-assistant`` from this interpreter's environment."""
    script = Path(sys.executable).parent / "policy-assistant"
    return [str(script)] if script.exists() else [sys.executable, "-m", "assistant.main"]


def load_questions() -> dict[str, list[dict[str, Any]]]:
    """The shipped dataset's questions grouped as numeric / comparison / explanation."""
    items = [json.loads(line) for line in DATASET.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {
        group: [i for i in items if i.get("type") in types and not i.get("history")]
        for group, types in QUESTION_GROUPS.items()
    }


def plan_files() -> list[Path]:
    """The shipped plans."""
    return sorted(PLANS.glob("*.txt"))

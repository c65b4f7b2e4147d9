"""What a report says about its run before any score: when, which code, which data, which models.

The header lets a maintainer tell two reports apart (a smoke run from a full one, yesterday's commit
from today's, a scratch data dir from the shared one). ``first_contact`` reads the kept first-contact
figures (``evals/baseline/first_contact.json``, from the table in ``evals/datasets/README.md``).
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.library import PIPELINE_VERSION
from assistant.service import Assistant

FIRST_CONTACT = Path(__file__).resolve().parent / "baseline" / "first_contact.json"
UNKNOWN = "未知"
NO_DOCUMENT = "(none)"  # evals.metrics files items without evidence under this name
NO_DOCUMENT_LABEL = "（不对应任何文件的题目）"


@dataclass(frozen=True)
class ReportContext:
    """The header of a report, and the document titles it shows instead of file names."""

    date: str = ""
    commit: str = UNKNOWN
    datasets: tuple[str, ...] = ()
    data_dir: str = UNKNOWN
    pipeline_version: str = PIPELINE_VERSION
    embedder: str = UNKNOWN
    titles: Mapping[str, str] = field(default_factory=dict)

    def title(self, doc: str) -> str:
        """The title of a document named by its id or file name (``000_ab12.txt``), else the name itself."""
        if doc == NO_DOCUMENT:
            return NO_DOCUMENT_LABEL
        return self.titles.get(doc) or self.titles.get(Path(doc).stem) or doc


def git_commit(folder: Path | None = None) -> str:
    """The short commit of the repository holding ``folder`` (this package by default), or 未知."""
    where = folder or Path(__file__).resolve().parent
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=where, capture_output=True, text=True, timeout=10, check=False
        )
        commit = done.stdout.strip()
        if done.returncode != 0 or not commit:
            return UNKNOWN
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=where,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return UNKNOWN
    return f"{commit}（有未提交的改动）" if dirty.stdout.strip() else commit


def collect_context(assistant: Assistant, datasets: Sequence[str | Path] | None) -> ReportContext:
    """The header of a run of ``datasets`` (None: every dataset) over ``assistant``'s library."""
    names = tuple(Path(d).name for d in datasets) if datasets else ("evals/datasets 下全部",)
    settings = assistant.settings
    return ReportContext(
        date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        commit=git_commit(),
        datasets=names,
        data_dir=str(settings.data_dir),
        pipeline_version=PIPELINE_VERSION,
        embedder=settings.embedding,
        titles={d.doc_id: d.meta.title for d in assistant.documents() if d.meta.title},
    )


def first_contact(path: Path = FIRST_CONTACT) -> dict[str, Any]:
    """The kept first-contact figures (empty when the file is missing)."""
    if not path.is_file():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data

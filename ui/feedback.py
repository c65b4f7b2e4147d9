"""Thumbs up/down on answers, appended as JSON lines under ``DATA_DIR`` for maintainers to review."""

from __future__ import annotations

import json
import logging
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.schema import Citation
from ingestion.text.errors import StorageError

log = logging.getLogger(__name__)

Vote = Literal["up", "down"]
FEEDBACK_FILE = "feedback.jsonl"


class FeedbackEntry(BaseModel):
    """One vote on one answer, with what was asked and what was shown."""

    timestamp: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    vote: Vote
    question: str
    answer: str
    status: str = ""
    resolved_question: str = ""
    citations: list[Citation] = Field(default_factory=list)
    filters: dict[str, Any] = Field(default_factory=dict)


class FeedbackLog:
    """An append-only JSONL file; one line per vote, safe across the server's worker threads."""

    _lock = threading.Lock()

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / FEEDBACK_FILE

    def record(self, entry: FeedbackEntry) -> None:
        """Append ``entry``; raises StorageError when the file cannot be written."""
        line = entry.model_dump_json() + "\n"
        try:
            with self._lock:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("a", encoding="utf-8") as f:
                    f.write(line)
        except OSError as e:
            msg = f"无法写入反馈文件 {self.path}：{e}。请检查数据目录的写权限。"
            raise StorageError(msg) from e
        log.info("feedback %s recorded for %r", entry.vote, entry.question[:40])

    def read(self) -> list[FeedbackEntry]:
        """Every stored vote, oldest first (lines that do not parse are skipped and logged)."""
        if not self.path.is_file():
            return []
        out: list[FeedbackEntry] = []
        for i, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                out.append(FeedbackEntry.model_validate(json.loads(line)))
            except ValueError as e:
                log.warning("skipping bad feedback line %d of %s: %s", i, self.path, e)
        return out

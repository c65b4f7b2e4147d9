"""Thumbs up/down land in DATA_DIR/feedback.jsonl, one JSON object per vote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.schema import Citation
from ingestion.text.errors import PolicyAssistantError
from ui.feedback import FeedbackEntry, FeedbackLog


def test_votes_append_as_json_lines_and_read_back(tmp_path: Path) -> None:
    log = FeedbackLog(tmp_path / "data")
    cite = Citation(n=1, doc_id="d", title="某规划", quote="全市每万人口全科医生数达4名")
    log.record(FeedbackEntry(vote="up", question="到2025年呢？", answer="4名[1]", citations=[cite]))
    log.record(FeedbackEntry(vote="down", question="那2023年呢？", answer="3.5名[1]", filters={"region": "某县"}))
    lines = (tmp_path / "data" / "feedback.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first["vote"] == "up" and first["question"] == "到2025年呢？" and first["answer"] == "4名[1]"
    assert first["citations"][0]["quote"] == "全市每万人口全科医生数达4名"
    assert first["timestamp"][:2] == "20"
    # A damaged line (a crash mid-write) is skipped, the rest still reads.
    with (tmp_path / "data" / "feedback.jsonl").open("a", encoding="utf-8") as f:
        f.write('{"vote": "up", "quest\n')
    entries = log.read()
    assert [e.vote for e in entries] == ["up", "down"]
    assert entries[1].filters == {"region": "某县"}


def test_unwritable_feedback_file_raises_a_domain_error(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    with pytest.raises(PolicyAssistantError, match="写权限"):
        FeedbackLog(blocker).record(FeedbackEntry(vote="up", question="q", answer="a"))

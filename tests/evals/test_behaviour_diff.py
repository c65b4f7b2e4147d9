"""The behaviour diff finds every changed answer and ignores timings."""

from __future__ import annotations

import json
from pathlib import Path

from evals.behaviour_diff import main


def _write(path: Path, items: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    return path


def _item(answer: str, quote: str, latency: float) -> dict[str, object]:
    return {
        "id": "q1",
        "passed": True,
        "latency_ms": latency,
        "answer": {"answer": answer, "status": "answered", "latency_ms": latency,
                   "citations": [{"n": 1, "doc_id": "a", "quote": quote, "target_id": "a:1"}]},
    }  # fmt: skip


def test_timings_are_ignored(tmp_path: Path) -> None:
    before = _write(tmp_path / "b.jsonl", [_item("90%以上[1]", "达90%以上", 1.0)])
    after = _write(tmp_path / "a.jsonl", [_item("90%以上[1]", "达90%以上", 7.5)])
    assert main([str(before), str(after)]) == 0


def test_a_changed_quote_or_a_missing_item_is_reported(tmp_path: Path, capsys: object) -> None:
    before = _write(tmp_path / "b.jsonl", [_item("90%以上[1]", "达90%以上", 1.0), {"id": "q2", "answer": {}}])
    after = _write(tmp_path / "a.jsonl", [_item("90%以上[1]", "达90%", 1.0)])
    assert main([str(before), str(after)]) == 1
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "answer.citations[0].quote" in out and "q2" in out and "only in BEFORE" in out

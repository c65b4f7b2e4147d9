"""The two policies of the service object, which every entry point inherits."""

from __future__ import annotations

from assistant.schema import Turn
from assistant.service import Assistant, recent_turns


def _turns(n: int) -> list[Turn]:
    return [Turn(role="user" if i % 2 == 0 else "assistant", content=str(i)) for i in range(n)]


def test_history_keeps_the_last_turns_and_never_refuses() -> None:
    assert [t.content for t in recent_turns(_turns(25), 20)] == [str(i) for i in range(5, 25)]
    assert recent_turns(_turns(3), 20) == _turns(3)
    assert recent_turns(_turns(3), 0) == []


def test_the_doc_id_comes_from_the_original_file_name() -> None:
    assert Assistant.doc_id_for("某市行动方案（2025年）.pdf") == Assistant.doc_id_for("某市行动方案（2025年）.txt")
    assert Assistant.doc_id_for("Plan A.txt") == "plan_a"
    assert Assistant.doc_id_for("行动计划.txt") == "行动计划"

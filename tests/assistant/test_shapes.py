"""Question shapes answered from a plan's structure, on made-up questions (assistant/shapes.py)."""

from __future__ import annotations

from dataclasses import replace

from assistant.shapes import classify, shape_words


def test_task_question_is_tasks_with_the_task_headings() -> None:
    shape = classify("青禾方案主要有哪些任务？")
    assert shape is not None
    assert shape.kind == "tasks"
    assert "主要任务" in shape.headings
    assert "青禾" in shape.rest


def test_safeguard_question_is_safeguards() -> None:
    shape = classify("某某工程有哪些保障措施？")
    assert shape is not None
    assert shape.kind == "safeguards"
    assert "保障措施" in shape.headings


def test_number_question_is_no_shape() -> None:
    assert classify("到2025年每万人口全科医生数是多少？") is None
    assert classify("主要任务里社区医院要建多少家？") is None


def test_quoted_term_is_the_meaning_term_and_strict() -> None:
    shape = classify("“三联动”指的是什么？")
    assert shape is not None
    assert shape.kind == "meaning"
    assert shape.term == "三联动"
    assert shape.strict


def test_term_after_a_named_plan_loses_the_plan() -> None:
    shape = classify("青禾方案里说的3家分院是哪几家？")
    assert shape is not None
    assert shape.term == "3家分院"
    assert not shape.strict
    assert "青禾方案" in shape.rest


def test_a_word_added_to_the_list_changes_the_shape() -> None:
    assert classify("青禾方案有哪些支撑条件？") is None
    words = shape_words()
    more = replace(words, safeguard_words=(*words.safeguard_words, "支撑条件"))
    shape = classify("青禾方案有哪些支撑条件？", more)
    assert shape is not None
    assert shape.kind == "safeguards"


def test_term_after_a_said_word_loses_whoever_said_it() -> None:
    shape = classify("白石市说的3家卫生院（中心）是哪几家？")
    assert shape is not None
    assert shape.term == "3家卫生院(中心)"
    without = replace(shape_words(), said_cuts=())
    kept = classify("白石市说的3家卫生院（中心）是哪几家？", without)
    assert kept is not None
    assert kept.term == "白石市说的3家卫生院(中心)"

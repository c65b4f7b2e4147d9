"""Question shapes answered from a plan's structure, on made-up questions (assistant/shapes.py)."""

from __future__ import annotations

from dataclasses import replace

from assistant.shapes import classify, counted_term_shape, shape_words


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


def test_which_items_question_is_a_list_with_its_noun() -> None:
    from assistant.shapes import list_shape

    shape = list_shape("白石市规划要遵循哪几条原则？")
    assert shape is not None and (shape.kind, shape.term) == ("list", "原则")
    before = list_shape("白石市规划的近期目标有哪几条？")
    assert before is not None and before.term == "近期目标"
    counted = list_shape("青川工程是哪两个提升？")
    assert counted is not None and (counted.term, counted.count) == ("提升", 2)
    framed = list_shape("青川建设以哪几方面为重点？")
    assert framed is not None and (framed.term, framed.before, framed.after) == ("", "青川建设以", "为重点")
    assert list_shape("青川县有哪些卫生院床位数是多少？") is None


def test_topic_question_names_its_topic() -> None:
    from assistant.shapes import topic_shape

    shape = topic_shape("白石市规划在限盐上有什么要求？")
    assert shape is not None and (shape.kind, shape.term) == ("topic", "限盐")
    assert "白石市规划" in shape.rest
    assert topic_shape("白石市限盐率是多少？") is None
    for tail in ("呢", "啊"):  # a chatty particle after the ask changes nothing
        shape = topic_shape(f"白石市规划在限盐上有什么要求{tail}？")
        assert shape is not None and shape.term == "限盐"


def test_a_topic_ask_added_to_the_list_is_read() -> None:
    from assistant.shapes import topic_shape

    assert topic_shape("白石市规划在限盐上怎么部署") is None
    words = replace(shape_words(), topic_asks=("怎么部署", *shape_words().topic_asks))
    shape = topic_shape("白石市规划在限盐上怎么部署", words)
    assert shape is not None and shape.term == "限盐"


def test_a_place_before_said_is_not_part_of_the_term() -> None:
    shape = classify("白石区说的3家卫生院是哪几家？")
    assert shape is not None and shape.kind == "meaning"
    assert shape.term == "3家卫生院"
    assert "白石区" in shape.rest


def test_a_quoted_term_with_a_counted_which_word_is_a_counted_term() -> None:
    shape = counted_term_shape("青川县方案里的“三联动”是哪三项？")
    assert shape is not None and (shape.term, shape.count) == ("三联动", 3)
    assert "青川县" in shape.rest and "三联动" not in shape.rest
    assert counted_term_shape("“三联动”包括哪些内容？") is None  # no count asked
    assert counted_term_shape("“三联动”覆盖率是多少？") is None

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


def test_first_items_of_a_task_list_ask_which_not_how_many() -> None:
    """前三项是哪几个 asks the first items (哪几个 is no count here); the count is kept, its words left out of rest."""
    for question, n in (("青禾方案主要任务前三项是哪几个行动？", 3), ("青禾方案的保障措施头2条是什么？", 2)):
        shape = classify(question)
        assert shape is not None, question
        assert shape.first == n
        assert "前三项" not in shape.rest and "头2条" not in shape.rest
    assert classify("青禾方案有哪些主要任务？").first == 0  # type: ignore[union-attr]
    # Without a first-items phrase, 哪几个 with a count noun still reads as a number question.
    assert classify("青禾方案主要任务里建了几个驿站？") is None


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


def test_a_counted_quoted_word_is_a_repeated_head_question() -> None:
    from assistant.shapes import repeated_shape

    shape = repeated_shape("青川县方案提的几个“统筹”都是统筹啥？")
    assert shape is not None and (shape.kind, shape.term, shape.count) == ("repeated", "统筹", 0)
    assert "青川县方案" in shape.rest and "统筹" not in shape.rest.split("都是")[0]
    three = repeated_shape("白石规划的三个“坚持”是什么？")
    assert three is not None and (three.term, three.count) == ("坚持", 3)
    asked_after = repeated_shape("白石规划里“坚持”有哪几条？")
    assert asked_after is not None and asked_after.term == "坚持"
    assert repeated_shape("“三联动”覆盖率是多少？") is None
    assert repeated_shape("“青禾健康行动”是什么意思？") is None  # no count, no which word: a meaning question


def test_an_unquoted_repeated_word_needs_an_ask_of_the_list_after_it() -> None:
    from assistant.shapes import repeated_shape

    shape = repeated_shape("白石规划里哪几个坚持分别是什么？")
    assert shape is not None and (shape.term, shape.count) == ("坚持", 0)
    assert repeated_shape("哪几个县区超过10个？") is None
    assert repeated_shape("哪几个县区") is None
    words = replace(shape_words(), repeated_asks=())
    assert repeated_shape("白石规划里哪几个坚持分别是什么？", words) is None


def test_a_frameless_generic_question_asks_the_parts_of_its_subject() -> None:
    from assistant.shapes import list_shape, parts_subject

    shape = list_shape("白石市健康驿站建设包括哪两个方面？")
    assert shape is not None and shape.count == 2
    assert parts_subject(shape) == "白石市健康驿站建设"
    framed = list_shape("健康白石建设以哪几方面为重点？")
    assert framed is not None and parts_subject(framed) == ""  # the frame 以…为重点 answers it
    words = replace(shape_words(), part_verbs=())
    shape = list_shape("青禾签约政策体现在哪些方面？", words)
    assert shape is not None and parts_subject(shape, words) == "青禾签约政策体现在"
    assert parts_subject(shape) == "青禾签约政策"


def test_a_topic_with_a_tail_but_no_lead_follows_the_named_plan() -> None:
    from assistant.shapes import topic_shape

    shape = topic_shape("白石市健康规划纲要里健身步道方面怎么要求？")
    assert shape is not None and shape.term == "健身步道"
    assert "白石市健康规划纲要" in shape.rest
    assert topic_shape("白石市健康规划纲要里健身步道怎么要求？") is None  # neither lead nor tail


def test_an_unquoted_counted_word_with_a_list_ask_is_a_repeated_head_question() -> None:
    from assistant.shapes import repeated_shape

    shape = repeated_shape("青川县方案里几个统筹分别是什么？")
    assert shape is not None and (shape.term, shape.count) == ("统筹", 0)
    three = repeated_shape("青川县方案的三个统筹都是统筹啥？")
    assert three is not None and (three.term, three.count) == ("统筹", 3)
    assert repeated_shape("青川县有几个社区医院？") is None


def test_an_unquoted_counted_word_after_a_saying_verb_needs_no_ask() -> None:
    from assistant.shapes import repeated_shape

    shape = repeated_shape("青川县方案提了哪几个统筹？")
    assert shape is not None and shape.term == "统筹"
    assert repeated_shape("青川县方案哪几个县区？") is None
    words = replace(shape_words(), repeated_said=())
    assert repeated_shape("青川县方案提了哪几个统筹？", words) is None


def test_an_outline_question_is_the_unit_asked_and_the_words_naming_the_section() -> None:
    from assistant.shapes import outline_shape

    shape = outline_shape("青禾村医管理办法分了哪几章？")
    assert shape is not None and (shape.kind, shape.term) == ("outline", "章")
    assert shape.rest.startswith("青禾村医管理办法")
    assert outline_shape("白石纲要第二篇有几部分呢？") is not None
    assert outline_shape("白石纲要有哪些任务？") is None


def test_an_outline_unit_added_to_the_list_changes_the_shape() -> None:
    from assistant.shapes import outline_shape

    assert outline_shape("青禾村医管理办法分了哪几款？") is None
    words = shape_words()
    more = replace(words, outline_units=(*words.outline_units, "款"))
    assert outline_shape("青禾村医管理办法分了哪几款？", more) is not None


def test_a_counted_items_question_is_the_thing_its_count_and_measure() -> None:
    from assistant.shapes import counted_items_shape

    shape = counted_items_shape("青川方案说的5家卫生院（中心）具体是哪几家？")
    assert shape is not None
    assert (shape.term, shape.count, shape.before) == ("卫生院(中心)", 5, "家")
    assert "青川方案" in shape.rest
    two = counted_items_shape("两个试点县分别是哪些？")
    assert two is not None and (two.term, two.count) == ("试点县", 2)
    assert counted_items_shape("5家卫生院要达到多少？") is None


def test_numerals_read_and_written_both_ways() -> None:
    from assistant.shapes import numeral_forms, numeral_value

    assert numeral_value("十二") == 12 and numeral_value("二十") == 20 and numeral_value("7") == 7
    assert numeral_value("两") == 2 and numeral_value("好") == 0
    assert numeral_forms(5) == ("5", "五") and "两" in numeral_forms(2) and "十二" in numeral_forms(12)


def test_a_which_word_asking_about_something_else_is_no_counted_items_question() -> None:
    from assistant.shapes import counted_items_shape

    assert counted_items_shape("十大功能中心建设任务哪些县区没有？") is None
    shape = counted_items_shape("青川方案的3个试点乡镇是哪三个呢？")
    assert shape is not None and (shape.term, shape.count) == ("试点乡镇", 3)


def test_a_comma_before_the_ask_ends_the_counted_thing() -> None:
    from assistant.shapes import counted_items_shape

    shape = counted_items_shape("白鹭方案里说村医培训体系分三个阶段，是哪三个？")
    assert shape is not None and (shape.term, shape.count, shape.before) == ("阶段", 3, "个")
    assert shape.rest.endswith("村医培训体系分")

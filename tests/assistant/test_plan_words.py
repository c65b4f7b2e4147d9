"""Everyday words put in the plans' own (assistant/wordings.py, ``plan_words`` of wordings.toml)."""

from __future__ import annotations

from assistant.wordings import VariantRules, in_plan_words, variant_rules

RULES = VariantRules(equivalent_heads=(), plan_words=(("娃娃", "幼儿"), ("娃", "孩童")))


def test_everyday_words_are_replaced_longest_first() -> None:
    assert in_plan_words("青川县3岁娃娃的体检率是多少？", RULES) == "青川县3岁幼儿的体检率是多少？"
    assert in_plan_words("青川县的娃体检率是多少？", RULES) == "青川县的孩童体检率是多少？"


def test_a_question_without_everyday_words_is_unchanged() -> None:
    assert in_plan_words("青川县幼儿体检率是多少？", RULES) == "青川县幼儿体检率是多少？"


def test_a_question_already_using_the_plan_word_is_unchanged() -> None:
    assert in_plan_words("青川县幼儿和娃娃体检率？", RULES) == "青川县幼儿和娃娃体检率？"


def test_the_shipped_list_reads_孩子_as_儿童() -> None:
    assert in_plan_words("白石市12岁孩子的近视率是多少？", variant_rules()) == "白石市12岁儿童的近视率是多少？"


def test_the_shipped_list_reads_daily_life_words_in_the_plans_words() -> None:
    rules = variant_rules()
    assert in_plan_words("白石市居民每天吃盐的量要降多少？", rules) == "白石市居民每日食盐摄入的量要降多少？"
    assert in_plan_words("白石市8岁小孩蛀牙的比例控制在多少？", rules) == "白石市8岁儿童患龋的比例控制在多少？"
    assert in_plan_words("白石市成人抽烟的比例要降到多少？", rules) == "白石市成人吸烟的比例要降到多少？"

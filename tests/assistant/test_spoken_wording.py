"""Spoken words of a question that name no indicator (千分之几, 来定, 分到, 那笔钱, 那边, 按人按年算给, 往上提, 三岁).

Each list is data (question_wording.toml, ingestion/text/rules/questions.toml); the plan text here is made up.
"""

from __future__ import annotations

import re

import pytest

from assistant.question_wording import drop_asked_quantity, numerals_in_digits, plain_question
from assistant.service import Assistant
from assistant.understanding import Vocabulary, parse_question
from tests.conftest import assistant_of_texts

VOCAB = Vocabulary.build(
    regions=["青川市", "白沙县", "石门区"],
    scopes=["乡镇卫生院"],
    wordings=["培训驿站骨干人员数（人）"],
)


@pytest.mark.parametrize(
    ("asked", "plain"),
    [
        ("白沙县三岁以下儿童系统管理率是多少？", "白沙县3岁以下儿童系统管理率是多少？"),
        ("六十五岁以上老年人健康管理率呢？", "65岁以上老年人健康管理率呢？"),
        ("十二周岁儿童患龋率要控制在多少？", "12周岁儿童患龋率要控制在多少？"),
        ("驿站康复率往上提多少？", "驿站康复率提高多少？"),
        ("驿站护理员补助按人按年算给多少？", "驿站护理员补助按人按年给多少？"),
    ],
)
def test_plain_question_reads_spoken_numbers_and_verbs(asked: str, plain: str) -> None:
    assert plain_question(asked) == plain


@pytest.mark.parametrize("text", ["“十四五”期间驿站数", "三十三万人口", "十四五年", "三年内建成"])
def test_numerals_not_before_an_age_unit_stay(text: str) -> None:
    assert numerals_in_digits(text) == text


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("驿站护士按常住人口千分之几配备", "驿站护士按常住人口 配备"),
        ("达标率要占百分之多少", "达标率要占 "),
        ("驿站护理员补助按人按年给多少", "驿站护理员补助 给 "),
    ],
)
def test_a_per_mille_ask_and_a_per_person_year_are_no_wording(text: str, kept: str) -> None:
    assert drop_asked_quantity(text) == kept


@pytest.mark.parametrize(
    ("question", "indicator"),
    [
        ("白沙县驿站护士按常住人口千分之几来定？", "驿站护士按常住人口"),
        ("驿站骨干人员培训任务，白沙县2031年分到多少人？", "驿站骨干人员培训"),
        ("驿站护理员那笔钱，白沙县那边按人按年给多少？", "驿站护理员给"),
    ],
)
def test_spoken_setting_verbs_and_pointers_leave_the_indicator(question: str, indicator: str) -> None:
    assert parse_question(question, VOCAB).indicator == indicator


PLAN = """青禾市基层驿站提升行动方案

一、主要目标

（一）驿站队伍。驿站护士按照常住人口 1‰—1.5‰配备。驿站护理员岗位按照 1.8 万元/人·年给予补助。
（二）驿站服务。到2033年，驿站康复服务覆盖率提高 12%。3岁以下儿童驿站随访率保持在 88%以上。

附件

驿站骨干人员培训任务分解表

县（市、区） 培训驿站骨干人员数（人）
2031 年 2032 年 2033 年
白沙县 14 17 19
石门区 11 12 13
合计 25 29 32
"""


@pytest.fixture(scope="module")
def qinghe(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return assistant_of_texts(tmp_path_factory.mktemp("spoken_wording"), {"qinghe_spoken.txt": PLAN})


@pytest.mark.parametrize(
    ("question", "value_text"),
    [
        ("驿站护士按常住人口千分之几来配？", "1‰—1.5‰"),
        ("驿站护理员那笔钱，那边按人按年算给多少来着？", "1.8万元/人·年"),
        ("驿站服务这块，到2033年要把驿站康复服务覆盖率往上提多少？", "12%"),
        ("三岁以下儿童驿站随访率要保持在多少？", "88%以上"),
        ("驿站骨干人员培训任务，白沙县32年分到多少人？", "17"),
    ],
)
def test_spoken_questions_find_the_value(qinghe: Assistant, question: str, value_text: str) -> None:
    answer = qinghe.ask(question)
    assert answer.status == "answered", answer.answer
    assert value_text in answer.answer.replace(" ", ""), answer.answer


def test_a_name_pointed_at_as_a_place_is_an_unknown_place() -> None:
    query = parse_question("云梦那边对驿站护理员补助有啥指标？", VOCAB)
    assert query.unknown_places == ("云梦",)
    assert "云梦" not in query.indicator and "那边" not in query.indicator
    # A common noun before 那边 is no place (岗位那边).
    assert parse_question("驿站岗位那边补助给多少？", VOCAB).unknown_places == ()


def test_a_place_no_plan_names_is_not_answered_with_another_row(qinghe: Assistant) -> None:
    answer = qinghe.ask("云梦那边驿站护理员补助按人按年给多少？")
    assert answer.status != "answered" and "1.8" not in answer.answer, answer.answer


def test_each_question_of_a_message_is_answered_when_the_whole_finds_nothing(qinghe: Assistant) -> None:
    answer = qinghe.ask("驿站的考核办法由谁制定？驿站护理员岗位按人按年给多少？")
    assert answer.status == "answered", answer.answer
    assert "1.8万元/人·年" in answer.answer.replace(" ", "")
    # Each answer stands under its own question, and every marker points at a citation of the answer.
    assert "驿站护理员岗位按人按年给多少？" in answer.answer
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert markers and markers <= {c.n for c in answer.citations}


def test_a_time_asked_in_spoken_words_is_no_wording() -> None:
    query = parse_question("白沙县驿站护士啥时候配齐、配几个？", VOCAB)
    assert "时候" not in query.indicator and "啥" not in query.indicator

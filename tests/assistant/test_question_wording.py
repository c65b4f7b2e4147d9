"""Question wording that is not the indicator, on made-up places, tables and indicators."""

from __future__ import annotations

import pytest

from assistant.lookup import RowIndex, lookup
from assistant.question_wording import (
    asked_nouns,
    asks_for_none,
    drop_acknowledgement,
    drop_asked_quantity,
    drop_back_references,
    drop_document_parts,
    drop_earlier_references,
    drop_question_words,
    drop_task_word,
    drop_year_digits,
    plain_question,
    refers_back,
)
from assistant.schema import Turn
from assistant.service import Assistant
from assistant.understanding import Vocabulary, parse_question, resolve
from ingestion.schema import Target
from tests.conftest import make_settings

VOCAB = Vocabulary.build(
    regions=["青川市", "白沙县", "石门区", "北湖新区", "云岭区"],
    scopes=["乡镇卫生院", "社区卫生服务中心"],
    wordings=["培育乡村骨干医师数（人）", "新建健康驿站数（个）"],
)
TABLE = "青川市基层卫生能力任务分解表（2030—2032年）"


def _row(region: str, year: str, value: float, indicator: str = "新建健康驿站数（个）") -> Target:
    return Target(
        target_id=f"t-{region}-{year}-{indicator}",
        doc_id="plan-x",
        region=region,
        indicator=indicator,
        column_header=f"{indicator}/{year}年",
        value=value,
        unit="个",
        value_text=str(int(value)),
        year=year,
        kind="table",
        table_title=TABLE,
        quote=f"{region} …",
    )


def test_a_document_part_phrase_is_not_wording() -> None:
    assert drop_document_parts("能力任务分解表里 新增健康驿站数").strip() == "新增健康驿站数"
    assert drop_document_parts("附件 2中 新增健康驿站数").strip() == "新增健康驿站数"
    assert drop_document_parts("新增健康驿站数") == "新增健康驿站数"
    # a clause that is only a table's name (那张…表，) names where to look; 代表 only ends like one
    assert drop_document_parts("双达标那张能力建设表， 要新建多少健康驿站").strip(" ，") == "要新建多少健康驿站"
    assert drop_document_parts("附件3，新建健康驿站数").strip(" ，") == "新建健康驿站数"
    assert drop_document_parts("每千人拥有人大代表，多少名") == "每千人拥有人大代表，多少名"


def test_the_task_word_after_an_indicator_is_dropped() -> None:
    assert drop_task_word("乡村骨干医师培育任务") == "乡村骨干医师培育"
    assert drop_task_word("任务") == "任务"  # nothing left: kept


def test_which_regions_and_none_words() -> None:
    assert drop_question_words("的是哪几个县区").strip() == ""
    assert drop_question_words("不用建健康驿站").strip() == "建健康驿站"
    assert asks_for_none("哪几个区没安排健康驿站？")
    assert not asks_for_none("哪几个区健康驿站超过3个？")


def test_questions_lose_the_table_the_task_and_the_which_words() -> None:
    q = parse_question("能力任务分解表里云岭区2031年新建健康驿站数是多少？", VOCAB)
    assert (q.regions, q.years, q.indicator) == (("云岭区",), ("2031",), "新建健康驿站数")
    q = parse_question("双达标那张能力建设表，云岭区31年要新建多少健康驿站？", VOCAB)
    assert (q.regions, q.years) == (("云岭区",), ("2031",)) and "表" not in q.indicator
    rows = RowIndex([_row("云岭区", "2031", 6), _row("白沙县", "2031", 4)])
    assert lookup(q, rows, {"plan-x": "青川市"}).rows[0].value == 6
    q = parse_question("2031年白沙县乡村骨干医师培育任务是多少人？", VOCAB)
    assert q.indicator == "乡村骨干医师培育"
    q = parse_question("2030年没有新建健康驿站任务的是哪几个县区？", VOCAB)
    assert (q.intent, q.indicator) == ("list", "新建健康驿站")


def test_a_district_read_as_one_noun_is_an_unknown_place() -> None:
    # The segmenter tags this made-up 2-character name + 区 as one common noun (n), not a place (ns).
    q = parse_question("2031年石闸区要新建几个健康驿站？", VOCAB)
    assert q.unknown_places == ("石闸区",)
    assert q.regions == ()


def test_follow_up_worded_with_huancheng_keeps_the_indicator() -> None:
    history = [Turn(role="user", content="白沙县2031年要新建多少健康驿站？"), Turn(role="assistant", content="…")]
    q = resolve("换成石门区是多少？", history, VOCAB)
    assert q.regions == ("石门区",)
    assert q.years == ("2031",)
    assert "健康驿站" in q.indicator


def test_regions_without_a_value_are_listed_from_the_same_table() -> None:
    rows = [
        _row("白沙县", "2030", 2),
        _row("白沙县", "2031", 1),
        _row("石门区", "2031", 3),
        _row("北湖新区", "2031", 1),
        _row("云岭区", "2032", 1),
        _row("青川市", "2030", 2),
    ]
    q = parse_question("2030年哪些地区不用新建健康驿站？", VOCAB)
    found = lookup(q, RowIndex(rows), {"plan-x": "青川市"})
    assert found.missing_regions == ["云岭区", "北湖新区", "石门区"]


def test_a_share_word_leaves_the_thing_built() -> None:
    # Plans word such targets by the thing built (40%以上村卫生室建成“健康小屋”).
    assert drop_task_word("健康小屋的建设比例") == "健康小屋"
    q = parse_question("石门区健康小屋的建设比例要求是多少？", VOCAB)
    assert q.indicator == "健康小屋"  # no copula left over from 要求是多少


def test_the_share_word_finds_the_row_worded_by_the_thing_built() -> None:
    row = _row("石门区", "2032", 40, indicator="村卫生室建成“健康小屋”").model_copy(update={"unit": "%"})
    other = _row("石门区", "2032", 60, indicator="乡镇卫生院建设比例达标率")
    q = parse_question("石门区健康小屋的建设比例要求是多少？", VOCAB)
    found = lookup(q, RowIndex([row, other]), {"plan-x": "青川市"})
    assert [r.value for r in found.rows] == [40]


def test_a_row_without_the_head_noun_does_not_answer() -> None:
    # 每千人口驿站床位数 asks about 床位; the rows share the lead (每千人口) but not the head.
    rows = [
        _row("石门区", "2032", 3.3, indicator="每千人口驿站护理员数"),
        _row("石门区", "2032", 5.0, indicator="每千人口驿站护理员培训率"),
        _row("白沙县", "2032", 2.0, indicator="村卫生室床位数"),
    ]
    index = RowIndex(rows)
    q = parse_question("石门区2032年每千人口驿站床位数要达到多少？", VOCAB)
    assert index.head_gram(q) == "床位"
    assert lookup(q, index, {"plan-x": "青川市"}).rows == []
    # The same lead with the head the rows have is answered.
    q = parse_question("石门区2032年每千人口驿站护理员数要达到多少？", VOCAB)
    assert [r.value for r in lookup(q, index, {"plan-x": "青川市"}).rows] == [3.3]


# ---- the question's years left in its wording ----------------------------------------------------


def test_digits_of_the_questions_years_left_in_a_wording_are_dropped() -> None:
    # 30 of 30到2032年 read as a year of a period, or as the period's first year: never indicator words.
    assert drop_year_digits("驿站骨干人员培训,30到 各要完成", ["2030-2032"]).split() == [
        "驿站骨干人员培训,",
        "各要完成",
    ]
    assert drop_year_digits("新建驿站,2031 ", ["2030-2032"]).strip() == "新建驿站,"
    # A number of the wording itself is followed by its unit or noun; one that is no asked year stays.
    assert drop_year_digits("30岁以上居民建档率", ["2030"]) == "30岁以上居民建档率"
    assert drop_year_digits("驿站培训,28 各要完成", ["2030-2032"]) == "驿站培训,28 各要完成"
    assert drop_year_digits("驿站培训,30 各要完成", []) == "驿站培训,30 各要完成"


def test_a_two_digit_period_is_one_period_of_the_query() -> None:
    q = parse_question(plain_question("白沙县30到32年培育乡村骨干医师数是多少？"), VOCAB)
    assert q.years == ("2030-2032",) and q.regions == ("白沙县",)
    assert not any(ch.isdigit() for ch in q.indicator)


# ---- officials' own words: plain_question ---------------------------------------------------------

PLAIN_CASES = [
    ("请问青川市到2031年新建健康驿站数是多少？", "青川市到2031年新建健康驿站数是多少？"),
    ("想了解一下，白沙县2031年新建健康驿站数是多少？", "白沙县2031年新建健康驿站数是多少？"),
    ("请问一下：那白沙县呢？", "那白沙县呢？"),
    ("青川市新建健康驿站数是多少来着？", "青川市新建健康驿站数是多少？"),
    ("青川市二〇三一年新建健康驿站数是多少？", "青川市2031年新建健康驿站数是多少？"),
    ("二零三零—二零三二年青川市一共建几个？", "2030—2032年青川市一共建几个？"),
    ("青川市31年底新建健康驿站数是多少？", "青川市2031年底新建健康驿站数是多少？"),
    ("青川市到31年新建健康驿站数是多少？", "青川市到2031年新建健康驿站数是多少？"),
    ("白沙县31年新建健康驿站数是多少？", "白沙县2031年新建健康驿站数是多少？"),
    ("那32年呢？", "那2032年呢？"),
    ("帮我查一下，白沙县2031年新建健康驿站数是多少？", "白沙县2031年新建健康驿站数是多少？"),
    ("帮我查一下，你好", "你好"),  # a greeting stays a greeting
    ("你好，在吗？白沙县2031年新建健康驿站数是多少？", "白沙县2031年新建健康驿站数是多少？"),
    ("在吗 请问青川市新建健康驿站数是多少？", "青川市新建健康驿站数是多少？"),
    ("你好在吗，青川市新建健康驿站数是多少？", "青川市新建健康驿站数是多少？"),  # greetings run together
    ("谢谢！那32年呢？", "那2032年呢？"),
    ("到 2031 年青川市比例达到 90 %以上吗？", "到2031年青川市比例达到90%以上吗？"),
    ("青川市 3 岁以下儿童管理率和 7 岁以下的分别是多少？", "青川市3岁以下儿童管理率和7岁以下的分别是多少？"),
    (" 2031 年青川市 3 岁、 7 岁儿童管理率分别是多少？", "2031年青川市3岁、7岁儿童管理率分别是多少？"),
    ("30年和32年分别是多少？", "2030年和2032年分别是多少？"),
    ("青川市新建健康驿站数30年和32年分别是多少？", "青川市新建健康驿站数2030年和2032年分别是多少？"),
    # Spoken ask words in their plain forms (spoken_forms), which the other lists hold.
    ("青川市和白沙县的驿站目标各是咋定的？", "青川市和白沙县的驿站目标各是怎么定的？"),
    # A period of two-digit years (year_period_joiners), the last year in two or four digits.
    ("青川市30到32年一共建几个驿站？", "青川市2030到2032年一共建几个驿站？"),
    ("白沙县30—32年新建健康驿站数是多少？", "白沙县2030—2032年新建健康驿站数是多少？"),
    ("白沙县30-2032年新建健康驿站数是多少？", "白沙县2030-2032年新建健康驿站数是多少？"),
]


def test_plain_question_reads_officials_own_forms() -> None:
    for asked, plain in PLAIN_CASES:
        assert plain_question(asked) == plain, asked


def test_plain_question_leaves_everything_else_alone() -> None:
    for q in [
        "青川市到2031年新建健康驿站数是多少？",
        "那2031年呢？",  # 呢 asks a follow-up
        "请问",  # nothing but the opening: kept, so a greeting stays a greeting
        "青川市近30年来建了多少个驿站？",  # a span, not a year
        "白沙县30年前有几个驿站？",
        "青川市服务年限延长到15年以上吗？",
        "在白沙县连续工作满15年的医生有什么照顾？",  # spans of years, not years
        "白沙县工作20年以上的医生有什么照顾？",
        "青川市24年内建成吗？",
        "青川市2031、2032年分别建几个？",
        "青川市每年培育乡村骨干医师不少于30名吗？",
        "白沙县卫生院里问一下谁负责？",  # 问一下 only counts at the start
        "在吗？",  # nothing but the greeting: kept, so a greeting stays a greeting
        "你好青川市新建健康驿站数是多少？",  # no mark after the greeting: the words may run on
        "hiv感染者随访率是多少？",  # a greeting's letters at the start of a word
        "白沙县的驿站啥时候建成？",  # 啥时候 stays: the sentence reader asks it as a time
        # Two numbers that count years, not a period: after a span word, before one, or not rising.
        "在白沙县工作15到20年的医生有什么照顾？",
        "白沙县医生服务15到20年以上有什么照顾？",
        "白沙县32到30年建了几个？",
    ]:
        assert plain_question(q) == q, q


PLAN = """\
青禾县基层卫生服务能力提升行动方案（2024—2026年）

一、主要目标
到2025年，乡镇卫生院医疗服务能力达到基本标准的比例达到80%以上，每万人口全科医生数达到3名以上。
到2026年，每万人口全科医生数达到4名以上，乡镇卫生院医疗服务能力达到基本标准的比例达到90%以上。
"""


@pytest.fixture(scope="module")
def made_up_assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("plain_question")
    plans = root / "plans"
    plans.mkdir()
    (plans / "qinghe_plan.txt").write_text(PLAN, encoding="utf-8")
    assistant = Assistant(make_settings(root))
    assert [r.status for r in assistant.ingest(sorted(plans.iterdir()))] == ["added"]
    return assistant


@pytest.mark.parametrize(
    "question",
    [
        "请问青禾县二〇二六年每万人口全科医生数要达到多少来着？",
        "想了解一下，青禾县26年底每万人口全科医生数要达到多少？",
    ],
)
def test_answers_officials_own_forms_and_shows_the_question_as_asked(
    made_up_assistant: Assistant, question: str
) -> None:
    answer = made_up_assistant.ask(question)
    assert answer.status == "answered", answer.answer
    assert "4名以上" in answer.answer and "3名" not in answer.answer  # the year read: 2026 only
    assert answer.question == question


def test_follow_up_after_a_question_in_own_forms(made_up_assistant: Assistant) -> None:
    history = [
        Turn(role="user", content="请问二〇二六年乡镇卫生院医疗服务能力达到基本标准的比例是多少？"),
        Turn(role="assistant", content="2026年乡镇卫生院医疗服务能力达到基本标准的比例：90%以上[1]。"),
    ]
    answer = made_up_assistant.ask("那青禾县呢？", history=history)
    assert answer.status == "answered", answer.answer
    assert "90%以上" in answer.answer and "80%" not in answer.answer  # the year carried from 二〇二六年


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("社区驿站按多少人口设置一处", "社区驿站按 人口设置一处"),  # 多少人口 asks a population, not 多少人
        ("每多少万人口设置一处", "每 人口设置一处"),
        ("要培训多少人员", "要培训 人员"),
        ("多少家庭医生团队", " 家庭医生团队"),
        ("培养多少名医生", "培养 医生"),  # 名医 is no noun here: 多少名 asks a count
        ("新建多少个驿站", "新建 驿站"),
        ("要多少人", "要 "),
        ("多久完成", " 完成"),
    ],
)
def test_a_counting_word_never_cuts_into_the_noun_after_it(text: str, kept: str) -> None:
    assert drop_asked_quantity(text) == kept


def test_asked_nouns_are_what_the_asked_number_counts() -> None:
    assert asked_nouns("社区驿站按多少人口设置一处") == ("人口",)
    assert asked_nouns("每多少万人口设置一处") == ("人口",)
    assert asked_nouns("新建多少个驿站") == ("驿站",)
    assert asked_nouns("要多少人？") == ()
    assert asked_nouns("多少“中医通”人员") == ()


def test_the_population_asked_for_stays_in_the_indicator() -> None:
    q = parse_question("白沙县社区驿站按多少人口设置一处？", VOCAB)
    assert q.indicator == "社区驿站按人口设置一处"


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("白鹭驿站的流动车一年给多少运行经费", "白鹭驿站的流动车 给 运行经费"),  # the period is the rate's unit
        ("驻站护理员一年每人补多少", "驻站护理员 每人补 "),
        ("每年培训多少人次", "每年培训 "),  # no money verb after it: 每年 is the indicator's own word
    ],
)
def test_a_period_before_a_money_ask_is_no_wording(text: str, kept: str) -> None:
    assert drop_asked_quantity(text) == kept


def test_a_topic_pointer_and_a_level_verb_are_no_wording() -> None:
    query = parse_question("康养产业那块，白鹭服务总规模27年要超过多少、29年要到多少？", VOCAB)
    assert "那块" not in query.indicator
    assert "超过" not in query.indicator and "要到" not in query.indicator
    assert query.years == ("2027", "2029")


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("前面说的那个指标定的多少", "那个指标定的多少"),
        ("刚才那个指标呢", "那个指标呢"),
        ("上面问过的这个要多少", "这个要多少"),
        ("之前提到的巡诊车辆数", "巡诊车辆数"),
        ("那前面 那个目标是多少", "那 那个目标是多少"),
    ],
)
def test_a_pointer_to_an_earlier_turn_is_dropped(text: str, kept: str) -> None:
    assert refers_back(text)
    assert drop_earlier_references(text).strip() == kept.strip()


@pytest.mark.parametrize("text", ["2025年之前建成的驿站有多少", "上面的表格里白沙县有几个", "刚才白沙县定的多少"])
def test_an_earlier_word_without_a_pointer_after_it_is_kept(text: str) -> None:
    # No determiner (那个/这个…) nor a verb of saying with 的 follows: 之前 is a time, 上面 a place on the page.
    assert not refers_back(text)
    assert drop_earlier_references(text) == text


@pytest.mark.parametrize(
    ("question", "rest"),
    [
        ("建档率知道了，使用率定的多少？", "使用率定的多少？"),
        ("这个明白了，白沙县的呢？", "白沙县的呢？"),
        ("四级的清楚了。五级的要多少？", "五级的要多少？"),
        ("知道了", "知道了"),  # nothing after it: a closing, left whole
        ("白沙县我不知道了解多少", "白沙县我不知道了解多少"),  # no clause ends in an acknowledgement
    ],
)
def test_an_acknowledging_first_clause_is_dropped(question: str, rest: str) -> None:
    assert drop_acknowledgement(question) == rest


def test_switch_words_are_no_wording_of_a_follow_up() -> None:
    assert drop_back_references("又是") == ""
    assert drop_back_references("驿站护理员又有") == "驿站护理员"


@pytest.mark.parametrize(
    ("question", "indicator"),
    [
        # 跟 between two places and a which-side ask (谁多) with 各几个 after it.
        ("新建健康驿站的任务，2031年白沙县跟石门区谁多？各几个？", "新建健康驿站"),
        ("培育乡村骨干医师，白沙县和石门区哪个更多一些？", "培育乡村骨干医师"),
        # 甲跟乙比，谁定得高: the sides gone, 跟 比 stays and goes.
        ("新建健康驿站数，白沙县跟石门区比，谁定得高？", "新建健康驿站数"),
    ],
)
def test_a_comparisons_own_words_leave_the_wording(question: str, indicator: str) -> None:
    q = parse_question(question, VOCAB)
    assert q.intent == "compare"
    assert q.indicator.rstrip("的") == indicator
    assert {"白沙县", "石门区"} <= set(q.regions)


def test_which_side_asks_and_versus_words_are_data() -> None:
    from assistant.question_wording import asks_which_side, drop_side_asks

    assert asks_which_side("白沙县跟石门区谁定得低？")
    assert not asks_which_side("白沙县新建健康驿站多少个？")
    # 谁 alone (谁负责) asks an agency, not a side.
    assert not asks_which_side("新建健康驿站由谁负责？")
    assert drop_side_asks("驿站数， 跟 比，谁更高？各").strip(" ，,？") == "驿站数"
    # 各 inside a word stays (各地 is a scope word, not a lone 各).
    assert "各地" in drop_side_asks("各地驿站数")

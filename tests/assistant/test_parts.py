"""The splitter of several-part questions, on made-up wording (assistant/parts.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.parts import clean_indicator, part_words, split_indicator, split_parts, with_year_list, year_list
from assistant.understanding import Query


def test_shared_head_goes_to_every_part() -> None:
    parts = split_indicator("甲类站点、乙类门诊、丙类病区达标率")
    assert parts == ["甲类站点达标率", "乙类门诊达标率", "丙类病区达标率"]


def test_parallel_items_share_the_head_after_the_last() -> None:
    assert split_indicator("东片居民和西片居民建档率") == ["东片居民建档率", "西片居民建档率"]


def test_short_items_share_a_long_head() -> None:
    assert split_indicator("一档、二档康复站占比") == ["一档康复站占比", "二档康复站占比"]


def test_lead_before_the_first_item_goes_to_the_others() -> None:
    assert split_indicator("慢病患者随访率、复诊率和转诊率") == ["慢病患者随访率", "慢病患者复诊率", "慢病患者转诊率"]


def test_whole_wordings_stay_whole() -> None:
    assert split_indicator("每千人口护理员数和每万人口营养师数") == ["每千人口护理员数", "每万人口营养师数"]


def test_brackets_are_not_split() -> None:
    assert split_indicator("执业(助理)药师数") == ["执业(助理)药师数"]


def test_one_thing_is_one_item() -> None:
    assert split_indicator("社区康复站覆盖率") == ["社区康复站覆盖率"]


def test_plan_named_before_and_verbs_after_are_dropped() -> None:
    assert clean_indicator("某某方案里健身步道长度要达到") == "健身步道长度"


def test_year_lists_with_one_or_every_nian() -> None:
    assert year_list("某县2031、2032、2033年分别新建几个站点") == ("2031", "2032", "2033")
    assert year_list("2031年、2032年和2033年分别多少") == ("2031", "2032", "2033")
    assert year_list("到2033年站点数") == ()


def test_query_takes_every_year_of_the_list() -> None:
    q = Query(text="某县2031、2032、2033年分别新建几个站点", years=("2033",), indicator="新建站点")
    assert with_year_list(q).years == ("2033", "2031", "2032")


def test_parts_need_a_cue_word() -> None:
    q = Query(text="东片居民和西片居民建档率是多少", indicator="东片居民和西片居民建档率")
    assert split_parts(q) == []
    cued = replace(q, text="东片居民和西片居民建档率分别是多少")
    assert [p.indicator for p in split_parts(cued)] == ["东片居民建档率", "西片居民建档率"]


def test_base_value_and_target_are_two_parts() -> None:
    q = Query(text="果蔬摄入达标率基期水平和2035年目标分别是多少", indicator="果蔬摄入达标率基期水平和目标")
    parts = split_parts(q)
    assert [(p.label, p.indicator, p.baseline) for p in parts] == [
        ("基期水平", "果蔬摄入达标率", True),
        ("果蔬摄入达标率", "果蔬摄入达标率", False),
    ]


def test_the_base_value_alone_is_one_baseline_part() -> None:
    q = Query(text="果蔬摄入达标率的基期水平是多少", indicator="果蔬摄入达标率的基期水平")
    assert [(p.label, p.indicator, p.baseline) for p in split_parts(q)] == [("基期水平", "果蔬摄入达标率", True)]
    assert split_parts(Query(text="果蔬摄入达标率是多少", indicator="果蔬摄入达标率")) == []


def test_a_cue_word_added_to_the_list_splits() -> None:
    q = Query(text="东片居民和西片居民建档率依次是多少", indicator="东片居民和西片居民建档率")
    assert split_parts(q) == []
    words = replace(part_words(), cue_words=(*part_words().cue_words, "依次"))
    assert len(split_parts(q, words)) == 2


def test_a_part_no_row_words_alike_is_asked_in_an_equivalent_wording() -> None:
    from assistant.lookup import RowIndex
    from assistant.parts import answer_parts
    from assistant.schema import Answer
    from assistant.target_rows import MemoryRows
    from ingestion.schema import Target

    def row(tid: str, indicator: str, value: float) -> Target:
        return Target(
            target_id=tid,
            doc_id="a",
            region="青禾市",
            indicator=indicator,
            value=value,
            unit="%",
            value_text=f"{value:g}%以上",
            comparator="≥",
            year="2030",
            quote=f"{indicator}{value:g}%以上",
            start=int(tid[1:]) * 10,
        )

    rows = [row("t1", "村卫生室建设巡诊车的比例", 50), row("t2", "村卫生室建成“流动药房”", 30)]

    def compose(query: Query, found: list[Target]) -> Answer:
        return Answer(question=query.text, answer="", status="answered", targets=found)

    query = Query(
        text="青禾市巡诊车和流动药房的建设比例分别是多少？",
        indicator="巡诊车和流动药房的建设比例",
        regions=("青禾市",),
        intent="compare",
    )
    answer = answer_parts(query, RowIndex(MemoryRows(rows)), {"a": "青禾市"}, None, compose)
    assert answer is not None
    # 流动药房的建设比例 has no row in those words: 建设 -> 建成 (wordings.toml), 的比例 left implicit.
    assert {r.target_id for r in answer.targets} == {"t1", "t2"}


def test_a_question_asking_how_much_twice_is_two_parts() -> None:
    q = Query(text="果蔬摄入达标率现在的基数是多少，到2035年要达到多少", indicator="果蔬摄入达标率现在的基数")
    assert [(p.label, p.baseline) for p in split_parts(q)] == [("现在的基数", True), ("果蔬摄入达标率", False)]
    once = Query(text="果蔬摄入达标率现在的基数是多少", indicator="果蔬摄入达标率现在的基数")
    assert [(p.label, p.indicator, p.baseline) for p in split_parts(once)] == [("现在的基数", "果蔬摄入达标率", True)]


def test_a_base_year_named_as_the_reference_is_not_a_base_value_question() -> None:
    q = Query(text="以2020年为基数，果蔬摄入达标率要提高多少", indicator="果蔬摄入达标率")
    assert split_parts(q) == []
    own = Query(text="果蔬摄入达标率的基数是多少", indicator="果蔬摄入达标率的基数")
    assert [(p.indicator, p.baseline) for p in split_parts(own)] == [("果蔬摄入达标率", True)]


def test_a_message_of_two_questions_has_a_part_for_each_with_its_own_words() -> None:
    from assistant.parts import sub_questions

    q = Query(
        text="青禾市巡诊岗位设多少比例？每年全市驻村医生至少多少？",
        indicator="青禾市巡诊岗位设比例?每驻村医生至少",
    )
    assert [(s.text, s.indicator) for s in sub_questions(q)] == [
        ("青禾市巡诊岗位设多少比例", "青禾市巡诊岗位设比例"),
        ("每年全市驻村医生至少多少", "每驻村医生至少"),
    ]
    assert [(p.indicator, p.question) for p in split_parts(q)] == [
        ("青禾市巡诊岗位设比例", "青禾市巡诊岗位设多少比例"),
        ("每驻村医生", "每年全市驻村医生至少多少"),
    ]
    one = Query(text="青禾市巡诊岗位设多少比例？", indicator="青禾市巡诊岗位设比例")
    assert sub_questions(one) == []


def test_each_question_of_a_message_is_looked_up_with_its_own_kind_of_value() -> None:
    from assistant.lookup import RowIndex
    from assistant.parts import answer_parts
    from assistant.schema import Answer
    from assistant.target_rows import MemoryRows
    from ingestion.schema import Target

    def row(tid: str, indicator: str, value: float, unit: str, year: str = "") -> Target:
        return Target(
            target_id=tid,
            doc_id="a",
            region="",
            indicator=indicator,
            value=value,
            unit=unit,
            value_text=f"不少于{value:g}{unit}",
            comparator="≥",
            year=year,
            quote=f"{indicator}不少于{value:g}{unit}",
            start=int(tid[1:]) * 10,
        )

    rows = [row("t1", "巡诊岗位比例", 8, "%"), row("t2", "驻村医生人数", 60, "人", "每年")]

    def compose(query: Query, found: list[Target]) -> Answer:
        return Answer(question=query.text, answer="", status="answered", targets=found)

    query = Query(
        text="巡诊岗位比例设多少比例？驻村医生人数至少多少？", indicator="巡诊岗位比例设比例?驻村医生人数至少"
    )
    index = RowIndex(MemoryRows(rows))
    answer = answer_parts(query, index, {"a": ""}, None, compose)
    assert answer is not None
    # The second question asks no ratio: its 人 row is not dropped for the first question's 多少比例.
    assert [r.target_id for r in answer.targets] == ["t1", "t2"]
    # A question no row answers leaves the message to the sentences (one quoted per question).
    other = Query(text="巡诊岗位比例设多少比例？药箱更新至少多少？", indicator="巡诊岗位比例设比例?药箱更新至少")
    assert answer_parts(other, index, {"a": ""}, None, compose) is None


def test_the_questions_of_a_message_split_when_the_indicator_lost_its_question_mark() -> None:
    from assistant.parts import sub_questions

    q = Query(text="巡诊岗位比例是多少？每年驻村医生至少多少人？", indicator="巡诊岗位比例每年驻村医生至少")
    assert [(s.text, s.indicator) for s in sub_questions(q)] == [
        ("巡诊岗位比例是多少", "巡诊岗位比例"),
        ("每年驻村医生至少多少人", "每年驻村医生至少"),
    ]
    # An indicator not read from the question in order does not split.
    assert sub_questions(replace(q, indicator="驻村医生巡诊岗位比例")) == []


def test_a_bound_before_the_question_word_is_no_indicator_wording() -> None:
    q = Query(text="巡诊岗位比例是多少？每年驻村医生至少多少人？", indicator="巡诊岗位比例每年驻村医生至少")
    assert [p.indicator for p in split_parts(q)] == ["巡诊岗位比例", "每年驻村医生"]


def test_a_later_question_without_its_own_wording_asks_about_the_first_ones_indicator() -> None:
    from assistant.parts import sub_questions
    from assistant.understanding import Vocabulary, parse_question

    q = parse_question("白石湖水质达标比例，基期是多少？2030年目标又是多少？", Vocabulary())
    # Not two questions: the second names no indicator, so the message is one question of two values.
    assert sub_questions(q) == []
    assert [p.baseline for p in split_parts(q)] == [True, False]
    two = parse_question("白石湖水质达标比例是多少？每年巡湖至少几次？", Vocabulary())
    assert len(sub_questions(two)) == 2


@pytest.mark.parametrize(
    ("text", "indicator", "items"),
    [
        (
            "青禾市要培养多少乡村骨干医师、多少“中医通”人员？",
            "要培养乡村骨干医师中医通”人员",
            ["要培养乡村骨干医师", "要培养中医通”人员"],
        ),
        ("青禾市培养多少乡村骨干医师和多少家庭药师", "培养乡村骨干医师家庭药师", ["培养乡村骨干医师", "培养家庭药师"]),
        (
            "青禾市乡村骨干医师培养多少、家庭药师培养多少？",
            "乡村骨干医师培养家庭药师培养",
            ["乡村骨干医师培养", "家庭药师培养"],
        ),
    ],
)
def test_a_question_asking_how_many_of_each_item_splits_at_the_joiner(
    text: str, indicator: str, items: list[str]
) -> None:
    from assistant.parts import asked_list

    q = Query(text=text, indicator=indicator)
    assert asked_list(q) == items
    assert [p.indicator for p in split_parts(q)] == items


def test_a_topic_clause_before_items_asked_with_ji_goes_to_each_item() -> None:
    from assistant.lookup import RowIndex
    from assistant.parts import answer_parts, asked_list
    from assistant.schema import Answer
    from assistant.target_rows import MemoryRows
    from ingestion.schema import Target

    # 几类 asked once per item (A开几类、B开几类), the topic in a clause of its own before them.
    q = Query(
        text="康复适宜技术，白鹭市要求卫生院开几类、健康小站开几类？",
        indicator="康复适宜技术卫生院开健康小站开",
        regions=("白鹭市",),
    )
    assert asked_list(q) == ["康复适宜技术卫生院开", "康复适宜技术健康小站开"]

    def row(tid: str, indicator: str, value: float, text: str) -> Target:
        return Target(
            target_id=tid, doc_id="a", region="白鹭市", indicator=indicator, value=value, unit="类",
            value_text=text, comparator="≥", year="", quote=f"{indicator}{text}", start=int(tid[1:]) * 10,
        )

    rows = [
        row("t1", "卫生院规范开展康复适宜技术", 5, "5类"),
        row("t2", "健康小站规范开展康复适宜技术", 3, "3类以上"),
        row("t3", "卫生院开展中医诊疗项目", 9, "9类"),
    ]

    def compose(query: Query, found: list[Target]) -> Answer:
        return Answer(question=query.text, answer="", status="answered", targets=found)

    answer = answer_parts(q, RowIndex(MemoryRows(rows)), {"a": "白鹭市"}, None, compose)
    assert answer is not None and [r.target_id for r in answer.targets] == ["t1", "t2"]


def test_an_ask_list_needs_wording_of_its_own_in_each_item() -> None:
    from assistant.parts import asked_list

    # Two years asked with 多少 each: no item wording of its own, the year list handles it.
    assert asked_list(Query(text="2031年多少、2032年多少？", indicator="")) == []
    # One ask only: nothing to split.
    assert asked_list(Query(text="青禾市要培养多少乡村骨干医师？", indicator="要培养乡村骨干医师")) == []


def test_a_back_reference_after_the_parts_is_no_part_and_no_number() -> None:
    # 这两个指标 gathers the parts before it: its 两 must not reach a lookup or an answer line.
    assert split_indicator("白鹭站点覆盖率和云雀病区使用率这两个指标") == ["白鹭站点覆盖率", "云雀病区使用率"]
    assert split_indicator("东片建档率、西片建档率以上两项") == ["东片建档率", "西片建档率"]
    assert split_indicator("甲站达标率这个指标") == ["甲站达标率"]
    # Alone it is left as it is (nothing else to ask).
    assert split_indicator("上述") == ["上述"]

def test_the_first_parts_kind_of_institution_is_the_others_subject() -> None:
    # 床位 names no kind of institution: it is the 康养服务中心's, as the first part says.
    assert split_indicator("白鹭康养服务中心建筑面积和床位") == ["白鹭康养服务中心建筑面积", "白鹭康养服务中心床位"]
    # Parts ending alike name their own subjects of one measure (婴儿 is no kind, 老年人 is).
    assert split_indicator("老年人跌倒率和婴儿跌倒率") == ["老年人跌倒率", "婴儿跌倒率"]
    # A part naming its own kind keeps it.
    assert split_indicator("一般卫生院建筑面积和康养服务中心床位") == ["一般卫生院建筑面积", "康养服务中心床位"]


def test_a_kind_added_to_the_rules_carries_as_subject() -> None:
    words = part_words()
    assert split_indicator("白鹭驿站建筑面积和床位", words) == ["白鹭驿站建筑面积", "床位"]
    extended = replace(words, subject_kinds=("驿站", *words.subject_kinds))
    assert split_indicator("白鹭驿站建筑面积和床位", extended) == ["白鹭驿站建筑面积", "白鹭驿站床位"]


def test_from_kind_keeps_the_kind_and_what_follows() -> None:
    from assistant.parts import from_kind

    assert from_kind("建制社区医院床位") == "社区医院床位"  # the longest kind that starts first
    assert from_kind("社区医院床位") == ""  # nothing before the kind
    assert from_kind("建制社区医院") == ""  # nothing after it
    assert from_kind("驿站床位") == ""  # no kind


@pytest.mark.parametrize(
    ("text", "indicator", "expected"),
    [
        # 各 before a bound or a modal asks each part (cue words), and is no wording (tail words).
        ("白鹭康养服务中心的建筑面积跟床位各至少要多少", "白鹭康养服务中心的建筑面积跟床位各至少要",
         ["白鹭康养服务中心的建筑面积", "白鹭康养服务中心床位"]),
        ("东片居民和西片居民的建档率各要到多少", "东片居民和西片居民的建档率各要到",
         ["东片居民的建档率", "西片居民的建档率"]),
        # 各 before a setting verb (各定了啥指标, 各定到多少) asks each part too.
        ("痛风管理，筛查率和随访率各定到多少", "痛风管理,筛查率和随访率", ["痛风管理,筛查率", "痛风管理,随访率"]),
        # What kind of value is asked (有什么最低标准, 什么 already dropped) is no wording either.
        ("白鹭康养服务中心建筑面积和床位分别有什么最低标准", "白鹭康养服务中心建筑面积和床位有最低标准",
         ["白鹭康养服务中心建筑面积", "白鹭康养服务中心床位"]),
    ],
)
def test_each_asked_with_a_bound_or_a_modal(text: str, indicator: str, expected: list[str]) -> None:
    assert [p.indicator for p in split_parts(Query(text=text, indicator=indicator))] == expected


def test_a_part_whose_carried_subject_finds_an_earlier_parts_row_is_asked_from_its_kind_on() -> None:
    from assistant.lookup import RowIndex
    from assistant.parts import answer_parts
    from assistant.schema import Answer
    from assistant.target_rows import MemoryRows
    from ingestion.schema import Target

    def row(tid: str, indicator: str, value: float, unit: str) -> Target:
        return Target(
            target_id=tid,
            doc_id="a",
            region="白鹭市",
            indicator=indicator,
            scope="社区医院",
            value=value,
            unit=unit,
            value_text=f"不少于{value:g}{unit}",
            comparator="≥",
            year="",
            quote=f"建制社区医院建筑面积不低于8000平米、床位不少于{value:g}{unit}",
            start=int(tid[1:]) * 10,
        )

    # The plan states 床位 under the scope alone: the row's wording is 床位, not 建制社区医院床位.
    rows = [row("t1", "建制社区医院建筑面积", 8000, "平米"), row("t2", "床位", 60, "张")]

    def compose(query: Query, found: list[Target]) -> Answer:
        return Answer(question=query.text, answer="", status="answered", targets=found)

    query = Query(
        text="白鹭市建制社区医院建筑面积和床位分别有什么最低标准？",
        indicator="建制社区医院建筑面积和床位有最低标准",
        regions=("白鹭市",),
        scope="社区医院",
    )
    assert [p.indicator for p in split_parts(query)] == ["建制社区医院建筑面积", "建制社区医院床位"]
    answer = answer_parts(query, RowIndex(MemoryRows(rows)), {"a": "白鹭市"}, None, compose)
    assert answer is not None
    assert [r.target_id for r in answer.targets] == ["t1", "t2"]


def test_a_part_after_a_comma_and_haiyou_stands_on_its_own() -> None:
    # A、B，还有C: C shares no head with A and B (its 资格的比例 is not theirs); A and B split among themselves.
    assert split_indicator("每千人护理员、每万人管理师,还有白鹭驿站人员里持证的比例") == [
        "每千人护理员",
        "每万人管理师",
        "白鹭驿站人员里持证的比例",
    ]


def test_a_clause_joiner_added_to_the_list_splits() -> None:
    words = replace(part_words(), clause_joiners=("再就是",))
    assert split_indicator("甲站护理员、乙站医师,再就是丙站持证比例", words)[-1] == "丙站持证比例"
    assert len(split_indicator("甲站护理员、乙站医师,还有丙站持证比例", replace(words, clause_joiners=()))) != 3


def test_pieces_differing_by_year_alone_are_no_ask_list() -> None:
    from assistant.parts import asked_list

    # 27年要超过多少、29年要到多少: one wording asked for two years; the year list answers it, not two items.
    q = Query(
        text="康养产业,白鹭服务总规模2027年要超过多少、2029年要到多少？",
        indicator="康养产业,白鹭服务总规模要超过要到",
    )
    assert asked_list(q) == []


def test_a_missing_parts_label_never_shows_the_questions_year_digits() -> None:
    from assistant.parts import MSG_PART_UNNAMED, shown_label

    q = Query(text="驿站骨干培训和驿站管理轮训，31到2033年各完成多少人？", years=("2033",))
    assert shown_label("驿站管理轮训,31", q) == "驿站管理轮训"
    assert shown_label("31", q) == MSG_PART_UNNAMED
    # A number of the wording itself (65岁) is the part's own words.
    assert shown_label("65岁以上老人建档率", q) == "65岁以上老人建档率"


def test_a_part_worded_lunxun_finds_the_plans_peixun_target() -> None:
    from assistant.lookup import RowIndex
    from assistant.parts import answer_parts
    from assistant.schema import Answer
    from assistant.target_rows import MemoryRows
    from ingestion.schema import Target

    def row(tid: str, indicator: str, value: float) -> Target:
        return Target(
            target_id=tid,
            doc_id="a",
            region="青禾市",
            indicator=indicator,
            value=value,
            unit="人",
            value_text=f"{value:g}人",
            year="2031-2033",
            quote=f"2031—2033年全市{indicator}{value:g}人",
            start=int(tid[1:]) * 10,
        )

    rows = [row("t1", "完成骨干人员培训", 120), row("t2", "完成管理人员培训", 80)]
    # Rows sharing the parts' words make those words common: the words only the question has weigh most.
    rows += [
        row(f"t{n}", f"{who}人员{what}", 1)
        for n, (who, what) in enumerate(
            [(w, x) for w in ("管理", "骨干", "驻村") for x in ("到岗数", "持证数", "招聘数")], start=3
        )
    ]

    def compose(query: Query, found: list[Target]) -> Answer:
        return Answer(question=query.text, answer="", status="answered", targets=found)

    query = Query(
        text="骨干人员培训和管理人员轮训，2031到2033年各要完成多少人？",
        indicator="骨干人员培训和管理人员轮训各要完成",
        years=("2031-2033",),
    )
    answer = answer_parts(query, RowIndex(MemoryRows(rows)), {"a": "青禾市"}, None, compose)
    assert answer is not None
    # 管理人员轮训 has no row in its words: asked again as 管理人员培训 (wordings.toml equivalent_heads).
    assert {r.target_id for r in answer.targets} == {"t1", "t2"}


def test_two_questions_joined_by_a_comma_are_a_part_each() -> None:
    from assistant.parts import sub_questions
    from assistant.understanding import Vocabulary, parse_question

    vocab = Vocabulary.build(regions=["青禾市"], scopes=[])
    q = parse_question("青禾市2033年，驿站康复覆盖率要达多少，家庭病床使用率又是多少？", vocab)
    # The clause asking nothing (青禾市2033年) is said of both questions and goes with each.
    assert [s.text for s in sub_questions(q)] == [
        "青禾市2033年,驿站康复覆盖率要达多少",
        "青禾市2033年,家庭病床使用率又是多少",
    ]
    assert [p.indicator for p in split_parts(q)] == ["驿站康复覆盖率", "家庭病床使用率"]
    # A topic clause's words go to each question.
    topic = parse_question("驿站这块，康复覆盖率要达多少，家庭病床使用率又是多少？", vocab)
    assert [s.indicator.startswith("驿站") for s in sub_questions(topic)] == [True, True]


@pytest.mark.parametrize(
    "text",
    [
        # The second clause names nothing of its own: one indicator asked for its base value and its target.
        "青禾市驿站康复覆盖率2030年的基数是多少，2033年要达到多少？",
        # One ask only: the commas set the scene.
        "青禾市2033年，驿站康复覆盖率，要达多少？",
    ],
)
def test_clauses_that_do_not_each_ask_on_their_own_are_no_two_questions(text: str) -> None:
    from assistant.parts import sub_questions
    from assistant.understanding import Vocabulary, parse_question

    assert sub_questions(parse_question(text, Vocabulary.build(regions=["青禾市"], scopes=[]))) == []


def test_a_bracketed_note_after_the_last_item_is_its_own() -> None:
    # 驿站（室）: the note names the item, not the shared head (中医药适宜技术…).
    wordings = ["卫生院中医药适宜技术要开展", "驿站(室)中医药适宜技术要开展"]
    assert split_indicator("卫生院和驿站(室)中医药适宜技术要开展") == wordings
    assert split_indicator("卫生院和康养站(甲类驿站)覆盖率") == ["卫生院覆盖率", "康养站(甲类驿站)覆盖率"]

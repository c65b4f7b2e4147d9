"""Local against national targets: made-up questions split, and both sides answered from a real store."""

from __future__ import annotations

import pytest

from assistant.answering import without_item_number
from assistant.messages import MSG_NATIONAL_NONE, MSG_SIDES_QUOTED_NOTE, MSG_SIDES_STATED_NOTE
from assistant.national import (
    asks_wording,
    back_topics,
    has_wording,
    national_rules,
    points_back,
    quoted_phrases,
    split_national,
    staff_count,
    topic_opener,
)
from assistant.schema import Turn
from assistant.service import Assistant
from tests.assistant.named_plans_store import doc_of, named_plans_assistant
from tests.conftest import assistant_of_texts


@pytest.mark.parametrize(
    ("question", "local", "national"),
    [
        ("甲市每万人口全科医生数的目标和国家比怎么样？", "甲市每万人口全科医生数的目标", ""),
        ("甲市护士配备标准和国家注册护士数目标比一比", "甲市护士配备标准", "注册护士数"),
        ("跟国家纲要的目标比呢？", "", ""),
        ("签约率，甲市定的目标和国家2030年的目标各是多少？", "签约率,甲市定的目标", "2030年"),
        ("甲市签约率的目标和国家的目标分别是多少？", "甲市签约率的目标", ""),
    ],
)
def test_a_national_comparison_is_split_at_the_national_word(question: str, local: str, national: str) -> None:
    sides = split_national(question)
    assert sides is not None
    assert sides[0] == local
    assert national in sides[1]


@pytest.mark.parametrize(
    "question",
    [
        "达到国家推荐标准的机构比例是多少？",
        "甲市全科医生数要达到多少？",
        "国家卫生城市有多少个？",
        # 各是多少 beside a national word inside an indicator, or the nation listed with a region: no such comparison.
        "甲市达国家推荐标准和基本标准的机构比例各是多少？",
        "全国和甲市的签约率各是多少？",
    ],
)
def test_questions_that_compare_nothing_with_the_nation_are_left_alone(question: str) -> None:
    assert split_national(question) is None


def test_a_comparing_word_added_to_the_rules_is_used() -> None:
    rules = national_rules()
    assert split_national("甲市签约率和国家的目标孰高？", rules) is None
    extended = type(rules)(**{**rules.__dict__, "compare_words": ("孰高", *rules.compare_words)})
    assert split_national("甲市签约率和国家的目标孰高？", extended) is not None


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return named_plans_assistant(tmp_path_factory)


def test_local_and_national_rows_side_by_side_each_cited(assistant: Assistant) -> None:
    a = assistant.ask("青禾市每万人口全科医生数的目标和国家比怎么样？")
    assert a.status == "answered", a.answer
    by_region = {(t.region, t.value) for t in a.targets}
    assert {("青禾市", 3.8), ("青禾市", 4.5), ("全国", 6)} <= by_region
    assert {c.doc_id for c in a.citations} == {doc_of(assistant, "青禾市"), doc_of(assistant, "全国")}


def test_the_national_side_on_its_own_indicator(assistant: Assistant) -> None:
    a = assistant.ask("青禾市每万人口全科医生数和国家每千常住人口注册护士数的目标比一比")
    assert {(t.region, t.value) for t in a.targets} >= {("青禾市", 4.5), ("全国", 4.9)}


def test_a_follow_up_compares_the_previous_question_with_the_nation(assistant: Assistant) -> None:
    history = [
        Turn(role="user", content="青禾市2026年每万人口全科医生数要达到多少？"),
        Turn(role="assistant", content="青禾市2026年每万人口全科医生数：4.5名[1]。"),
    ]
    a = assistant.ask("跟国家的目标比呢？", history=history)
    assert {("青禾市", 4.5), ("全国", 6)} <= {(t.region, t.value) for t in a.targets}, a.answer


def test_a_side_without_a_target_is_said(assistant: Assistant) -> None:
    a = assistant.ask("青禾市居民健康素养水平的目标和国家比怎么样？")
    assert a.status == "answered", a.answer
    assert {t.region for t in a.targets} == {"全国"}
    assert "青禾市的规划没有这项指标的目标值" in a.answer


def test_the_askers_own_place_and_stated_value_leave_the_local_side() -> None:
    sides = split_national("我们甲市签约率定到75%以上，国家2030年的目标是多少，比国家高吗？")
    assert sides is not None and sides[0] == "甲市签约率"
    # A number that is part of the indicator's wording stays.
    sides = split_national("甲市5岁以下儿童死亡率的目标和国家比怎么样？")
    assert sides is not None and "5岁以下儿童死亡率" in sides[0]


def test_both_sides_asked_at_once_are_answered_each_with_its_year(assistant: Assistant) -> None:
    a = assistant.ask("每万人口全科医生数，青禾市定的目标和国家2035年的目标各是多少？")
    assert a.status == "answered", a.answer
    by_region = {(t.region, t.value) for t in a.targets}
    assert ("全国", 6) in by_region
    assert any(r == "青禾市" for r, _ in by_region)
    assert {c.doc_id for c in a.citations} == {doc_of(assistant, "青禾市"), doc_of(assistant, "全国")}


# ---- a national side asked as a question of its own, and the national plan's sentence when it sets no number ----

BAILU_PLAN = """白鹭市人民政府关于印发白鹭市慢病健康管理提升方案的通知

白鹭市慢病健康管理提升方案（2025—2027年）

一、主要目标

到2027年，全市痛风、骨质疏松患者规范管理率达到60%以上，城乡居民家庭药师签约服务覆盖率达到55%以上。

到2027年，全市每万人口康复治疗师数达到3名，社区健康步道覆盖率达到80%。

二、重点任务

1．加强慢病随访。各县区要建立慢病随访台账，按季度通报。

2．改进驿站护理员评价。学术论文、外语成绩等不得纳入驿站护理员职称评聘指标。

3．强化用药把关。发挥社区药师“双把关人”作用，落实处方点评制度。

4．优化康养布局。按照“半小时康养圈”要求，合理布局社区康养驿站。
"""

NATIONAL_OUTLINE = """“健康远洋2040”规划纲要

（2026年3月1日 中共中央、国务院发布）

序言

健康是发展的基础。为推进健康远洋建设，制定本规划纲要。

第一章 战略目标

到2040年，社区健康步道覆盖率达到90%，人均预期寿命达到82岁。

到2040年，30分钟康养服务圈基本形成，城乡社区30分钟健身圈全覆盖。

第二章 主要任务

一、防治慢性病。基本实现痛风、骨质疏松患者管理干预全覆盖，推动慢病早筛早治。

二、完善服务。推进家庭药师签约服务，完善分级诊疗。

三、强化人才。加强康复人才培养，完善激励机制。

四、创新评价。不将论文、外语等作为驿站护理员职称评审的硬性要求。

五、合理用药。做好社区药师执业信息登记。到2040年，社区药师普遍具备用药安全把关人的能力。
"""


@pytest.fixture(scope="module")
def bailu(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    texts = {"bailu_plan.txt": BAILU_PLAN, "national_outline.txt": NATIONAL_OUTLINE}
    return assistant_of_texts(tmp_path_factory.mktemp("bailu_national"), texts)


@pytest.mark.parametrize(
    ("question", "local", "national"),
    [
        # No comparing word: the nation's side is a question of its own after the local one.
        ("白鹭市健康素养水平定到2025年多少？国家纲要到2030年又是多少？", "白鹭市健康素养水平定到2025年多少", "2030年"),
        ("白鹭市步道覆盖率定到多少？国家层面要求多少？", "白鹭市步道覆盖率定到多少", ""),
        ("白鹭市提的是几分钟健身圈？国家纲要里的健身圈又是几分钟？", "白鹭市提的是几分钟健身圈", "健身圈"),
        # A pointer at the topic (这块) is no indicator wording.
        ("痛风管理这块，白鹭市定的管理率是多少？国家纲要又是怎么提的？", "痛风管理 ,白鹭市定的管理率是多少", ""),
    ],
)
def test_a_national_question_of_its_own_is_split(question: str, local: str, national: str) -> None:
    sides = split_national(question)
    assert sides is not None
    assert sides[0].rstrip("?") == local
    assert national in sides[1] if national else sides[1].strip(" ?") == ""


@pytest.mark.parametrize(
    "question",
    [
        # The national word opens a clause but names an indicator (国家卫生城市), not the nation as a subject.
        "白鹭市步道覆盖率定到多少？国家卫生城市有多少个？",
        # A national word inside the local question, no clause of its own.
        "白鹭市达到国家标准的卫生院有多少？",
    ],
)
def test_a_clause_naming_a_national_indicator_is_no_comparison(question: str) -> None:
    assert split_national(question) is None


def test_a_second_question_opened_by_the_nation_with_its_own_indicator_is_split() -> None:
    # …27年要到多少？全国…40年的目标又是多少？: the nation's own indicator, asked as a second question.
    sides = split_national("白鹭市康复治疗师数27年要到多少？全国人均预期寿命40年的目标又是多少？")
    assert sides is not None
    assert "康复治疗师数" in sides[0] and "人均预期寿命" in sides[1]
    rules = national_rules()
    without = type(rules)(**{**rules.__dict__, "second_question_words": ()})
    assert split_national("白鹭市康复治疗师数要到多少？全国人均预期寿命又是多少？", without) is None
    assert split_national("白鹭市康复治疗师数要到多少？全国人均预期寿命又是多少？", rules) is not None


def test_each_part_of_two_questions_is_answered_on_its_own(bailu: Assistant) -> None:
    a = bailu.ask("白鹭市每万人口康复治疗师数27年要到多少？全国人均预期寿命40年的目标又是多少？")
    assert a.status == "answered", a.answer
    assert {(t.region, t.value) for t in a.targets} == {("白鹭市", 3), ("全国", 82)}
    assert {c.doc_id for c in a.citations} == {doc_of(bailu, "白鹭市"), doc_of(bailu, "全国")}


def test_the_national_side_is_read_on_its_own_topic(bailu: Assistant) -> None:
    # The nation's clause names its own topic (社区药师把关人能力): its sentence is sought on that, the local one on
    # the local clause's words; of the two national sentences on 社区药师 the goal one is quoted.
    a = bailu.ask("白鹭市讲社区药师要当“双把关人”，国家纲要对社区药师把关人能力是怎么说的？")
    assert a.status == "answered", a.answer
    by_doc = {c.doc_id: c for c in a.citations}
    assert "双把关人" in by_doc[doc_of(bailu, "白鹭市")].quote
    assert "普遍具备用药安全把关人的能力" in by_doc[doc_of(bailu, "全国")].quote


def test_a_national_side_filler_added_to_the_rules_is_removed() -> None:
    rules = national_rules()
    question = "白鹭市步道覆盖率定到多少？国家纲要那边怎讲？"
    sides = split_national(question, rules)
    assert sides is not None and "那边怎讲" in sides[1]
    extended = type(rules)(**{**rules.__dict__, "national_side_fillers": ("那边怎讲", *rules.national_side_fillers)})
    sides = split_national(question, extended)
    assert sides is not None and sides[1].strip(" ?") == ""


def test_a_year_the_asker_names_is_not_a_stated_value() -> None:
    sides = split_national("白鹭市步道覆盖率定到2027年多少？和国家比呢")
    assert sides is not None and "2027年" in sides[0]


def test_both_rows_when_the_nation_is_asked_on_its_own(bailu: Assistant) -> None:
    a = bailu.ask("白鹭市社区健康步道覆盖率定到多少？国家层面要求多少？")
    assert a.status == "answered", a.answer
    assert {(t.region, t.value) for t in a.targets} == {("白鹭市", 80), ("全国", 90)}
    assert {c.doc_id for c in a.citations} == {doc_of(bailu, "白鹭市"), doc_of(bailu, "全国")}


def test_the_national_sentence_when_the_nation_sets_no_number(bailu: Assistant) -> None:
    a = bailu.ask("痛风、骨质疏松管理这块，白鹭市慢病方案定的规范管理率是多少？国家纲要又是怎么提的？")
    assert a.status == "answered", a.answer
    assert {(t.region, t.value) for t in a.targets} == {("白鹭市", 60)}
    national = [c for c in a.citations if c.doc_id == doc_of(bailu, "全国")]
    assert len(national) == 1 and "管理干预全覆盖" in national[0].quote
    assert f"“{national[0].quote}”[{national[0].n}]" in a.answer
    assert MSG_NATIONAL_NONE not in a.answer


def test_a_comparing_phrase_gets_the_national_sentence_too(bailu: Assistant) -> None:
    a = bailu.ask("白鹭市城乡居民家庭药师签约服务覆盖率的目标，跟国家纲要对比一下")
    assert {(t.region, t.value) for t in a.targets} == {("白鹭市", 55)}
    assert "推进家庭药师签约服务" in a.answer


def test_nothing_national_fits_is_said_plainly(bailu: Assistant) -> None:
    # 加强康复人才培养 shares one word (康复) of 每万人口康复治疗师数: not enough to speak of it.
    a = bailu.ask("白鹭市每万人口康复治疗师数的目标和全国比怎么样？")
    assert {(t.region, t.value) for t in a.targets} == {("白鹭市", 3)}
    assert MSG_NATIONAL_NONE in a.answer
    assert {c.doc_id for c in a.citations} == {doc_of(bailu, "白鹭市")}


# ---- a requirement compared with the nation: no number on either side, each side's sentence ----


@pytest.mark.parametrize(
    "question",
    [
        "白鹭市对驿站护理员职称评聘里的论文是咋规定的？跟国家纲要的说法对得上吗？",
        "白鹭市驿站护理员职称评聘对论文怎么要求的，和国家的要求一致吗",
    ],
)
def test_whether_a_local_rule_agrees_with_the_nation_is_a_comparison_asking_wording(question: str) -> None:
    sides = split_national(question)
    assert sides is not None
    assert "驿站护理员职称评聘" in sides[0]
    assert not has_wording(sides[1])  # the national side names nothing of its own: the local topic is asked there
    assert asks_wording(question)


def test_a_number_comparison_asks_no_wording() -> None:
    assert not asks_wording("白鹭市社区健康步道覆盖率的目标和国家比怎么样？")


def test_a_requirement_compared_with_the_nation_quotes_both_sentences(bailu: Assistant) -> None:
    a = bailu.ask("白鹭市对驿站护理员职称评聘里的论文是咋规定的？跟国家纲要的说法对得上吗？")
    assert a.status == "answered", a.answer
    assert not a.targets
    by_doc = {c.doc_id: c for c in a.citations}
    assert set(by_doc) == {doc_of(bailu, "白鹭市"), doc_of(bailu, "全国")}
    assert "不得纳入驿站护理员职称评聘指标" in by_doc[doc_of(bailu, "白鹭市")].quote
    assert "硬性要求" in by_doc[doc_of(bailu, "全国")].quote
    for c in a.citations:
        assert f"“{c.quote}”[{c.n}]" in a.answer
    assert MSG_SIDES_STATED_NOTE in a.answer


def test_no_side_by_side_sentences_when_the_nation_says_nothing_of_it(bailu: Assistant) -> None:
    # The national outline has no sentence on 随访台账: no side-by-side answer with another sentence passed off.
    a = bailu.ask("白鹭市对慢病随访台账是怎么要求的？跟国家纲要的说法一致吗？")
    assert MSG_SIDES_STATED_NOTE not in a.answer


# ---- the local plan's quoted wording beside the national row ----


def test_the_phrases_a_question_quotes() -> None:
    assert quoted_phrases("白鹭讲要按“半小时 康养圈”布局") == ("半小时康养圈",)
    assert quoted_phrases("白鹭市康养圈是怎么要求的") == ()


def test_a_quoted_local_phrase_is_quoted_beside_the_national_row(bailu: Assistant) -> None:
    a = bailu.ask("白鹭讲要按“半小时康养圈”布局，国家纲要对康养服务圈是怎么说的？")
    assert a.status == "answered", a.answer
    by_doc = {c.doc_id: c for c in a.citations}
    assert set(by_doc) == {doc_of(bailu, "白鹭市"), doc_of(bailu, "全国")}
    assert "4．" not in a.answer
    assert "“半小时康养圈”要求" in by_doc[doc_of(bailu, "白鹭市")].quote
    national = by_doc[doc_of(bailu, "全国")].quote
    assert "30分钟康养服务圈基本形成" in national
    for c in a.citations:
        assert f"“{c.quote}”[{c.n}]" in a.answer
    # The local plan does say it, and the national side has a row: neither "no target" nor "no number on either side".
    assert MSG_SIDES_QUOTED_NOTE in a.answer
    assert MSG_SIDES_STATED_NOTE not in a.answer
    assert "没有这项指标的目标值" not in a.answer


def test_no_quoted_sides_when_the_local_plan_never_writes_the_phrase(bailu: Assistant) -> None:
    a = bailu.ask("白鹭讲要按“一刻钟康养圈”布局，国家纲要对康养服务圈是怎么说的？")
    assert MSG_SIDES_QUOTED_NOTE not in a.answer


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("7．发挥社区药师“双把关人”作用。", "发挥社区药师“双把关人”作用。"),
        ("（三）建立全周期健康管理模式", "建立全周期健康管理模式"),
        ("2、强化用药把关。", "强化用药把关。"),
        ("3.5万人次以上。", "3.5万人次以上。"),  # a decimal is a value, not an item number
        ("到2040年，社区药师普遍具备能力。", "到2040年，社区药师普遍具备能力。"),
    ],
)
def test_an_item_number_opening_a_quoted_sentence_is_left_out(sentence: str, expected: str) -> None:
    assert without_item_number(sentence) == expected


# ---- a national side pointing back at the local topic, and a national count of the same staff on another base ----

HERON_PLAN = """苍鹭市人民政府关于印发苍鹭市基层卫生能力提升方案的通知

苍鹭市基层卫生能力提升方案（2025—2027年）

一、主要目标

到2027年，全市痛风、骨质疏松联合门诊建成率达到45%以上，村卫生室尘肺病患者管理率达到85%以上。

到2027年，社区卫生服务中心按每万服务人口3-4名康复治疗师配备。

二、重点任务

1．加强随访。各县区要建立随访台账。
"""

HERON_NATIONAL = """“健康远洋2040”规划纲要

（2026年3月1日 中共中央、国务院发布）

第一章 战略目标

到2040年，每千常住人口注册康复治疗师数达到0.8人，人均预期寿命达到82岁。

第二章 主要任务

一、防治慢性病。基本实现痛风、骨质疏松患者管理干预全覆盖，推动慢病早筛早治。

二、防治职业病。规范尘肺病诊疗康复管理，职业病危害持续下降。

三、强化人才。加强护理人才培养，完善激励机制。
"""


@pytest.fixture(scope="module")
def heron(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    texts = {"heron_plan.txt": HERON_PLAN, "heron_national.txt": HERON_NATIONAL}
    return assistant_of_texts(tmp_path_factory.mktemp("heron_national"), texts)


def test_words_pointing_back_and_what_they_point_at() -> None:
    rules = national_rules()
    assert points_back("在这两个病上 咋 的", rules) == "这两个病"
    assert points_back("目标 多少", rules) == ""
    # The topic, then the two items it enumerates (the last one cut at each word, longest first).
    topics = back_topics("痛风、骨质疏松联合门诊建成率", "这两个病", rules)
    assert topics[0] == "痛风、骨质疏松联合门诊建成率"
    assert all(t.startswith("痛风 骨质") for t in topics[1:]) and len(topics) >= 3
    assert len(topics[1]) > len(topics[-1])
    # A count the enumeration does not have: no items.
    assert back_topics("痛风、骨质疏松联合门诊建成率", "这三个病", rules) == ("痛风、骨质疏松联合门诊建成率",)
    assert back_topics("村卫生室尘肺病患者管理率", "这个病", rules) == ("村卫生室尘肺病患者管理率", "尘肺病患者管理率")
    without = type(rules)(**{**rules.__dict__, "back_references": ()})
    assert points_back("在这两个病上 咋 的", without) == ""


def test_a_national_side_pointing_back_quotes_the_national_sentence_on_the_items(heron: Assistant) -> None:
    a = heron.ask("苍鹭市痛风、骨质疏松联合门诊建成率要到多少？国家纲要在这两个病上又是咋要求的？")
    assert a.status == "answered", a.answer
    assert {(t.region, t.value) for t in a.targets} == {("苍鹭市", 45)}
    national = [c for c in a.citations if c.doc_id == doc_of(heron, "全国")]
    assert len(national) == 1 and "管理干预全覆盖" in national[0].quote


def test_a_national_side_pointing_back_past_the_institution(heron: Assistant) -> None:
    a = heron.ask("苍鹭市村卫生室尘肺病患者管理率要到多少？国家纲要在这个病上又是啥要求？")
    assert {(t.region, t.value) for t in a.targets} == {("苍鹭市", 85)}
    national = [c for c in a.citations if c.doc_id == doc_of(heron, "全国")]
    assert len(national) == 1 and "规范尘肺病诊疗康复管理" in national[0].quote


def test_a_staffing_norm_is_sought_as_a_national_count_of_that_staff() -> None:
    rules = national_rules()
    assert staff_count("社区卫生服务中心按每万服务人口康复治疗师配备", rules) == "康复治疗师数"
    assert staff_count("康复治疗师配备社区卫生服务中心按配", rules) == "康复治疗师数"
    assert staff_count("社区健康步道覆盖率", rules) == ""  # no staffing word
    without = type(rules)(**{**rules.__dict__, "staffing_words": ()})
    assert staff_count("社区卫生服务中心按每万服务人口康复治疗师配备", without) == ""


def test_a_national_count_on_another_base_is_given_with_a_note(heron: Assistant) -> None:
    a = heron.ask("苍鹭市社区卫生服务中心康复治疗师按多少配？国家纲要定的目标又是多少？")
    assert a.status == "answered", a.answer
    assert {(t.region, t.value) for t in a.targets} >= {("全国", 0.8)}
    assert any(t.region == "苍鹭市" for t in a.targets)
    assert "统计口径" in a.answer and "每千常住人口注册康复治疗师数" in a.answer


# ---- every item a local side names, a loosely named local row, a topic the question opens with ----

ORIOLE_PLAN = """黄鹂市人民政府办公室关于印发黄鹂市基层卫生提质方案的通知

黄鹂市基层卫生提质方案（试行）

一、主要目标

到2027年，全市家庭药师普通人群、慢病人群签约率分别达 40%、70%以上。

二、主要任务

1．优化康养布局。按照“20 分钟康养共享圈”要求，合理布局社区康养驿站。

2．提升中医药服务。卫生院（中心）和服务站（室）规范开展 5 类和 3 类以上中医药适宜技术。
"""

ORIOLE_NATIONAL = """“健康远洋2040”规划纲要

（2026年3月1日 中共中央、国务院发布）

第一章 战略目标

到2040年，30分钟康养服务圈基本形成，人均预期寿命达到82岁。

第二章 主要任务

一、完善服务。推进家庭药师签约服务，完善分级诊疗。

二、发展中医药。推广适宜技术，所有基层医疗卫生机构都能够提供中医药服务。
"""


@pytest.fixture(scope="module")
def oriole(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    texts = {"oriole_plan.txt": ORIOLE_PLAN, "oriole_national.txt": ORIOLE_NATIONAL}
    return assistant_of_texts(tmp_path_factory.mktemp("oriole_national"), texts)


def test_every_group_a_local_side_names_is_given_with_their_sentence(oriole: Assistant) -> None:
    # No 分别/各: the local side still names two groups, each with its own row, read from one sentence.
    a = oriole.ask("黄鹂市家庭药师普通人群、慢病人群签约率定的多少？国家纲要对家庭药师签约是怎么说的？")
    assert a.status == "answered", a.answer
    assert {(t.region, t.value) for t in a.targets} == {("黄鹂市", 40), ("黄鹂市", 70)}
    assert "40%、70%以上" in a.answer.replace(" ", "")
    national = [c for c in a.citations if c.doc_id == doc_of(oriole, "全国")]
    assert len(national) == 1 and "推进家庭药师签约服务" in national[0].quote


def test_every_institution_a_local_side_names_is_given(oriole: Assistant) -> None:
    # 卫生院和服务站（室）: the bracketed note is the second item's own (parts.split_indicator).
    a = oriole.ask("黄鹂市卫生院和服务站（室）中医药适宜技术要开展几类？国家层面对基层中医药服务是啥要求？")
    assert a.status == "answered", a.answer
    assert {(t.region, t.value) for t in a.targets} == {("黄鹂市", 5), ("黄鹂市", 3)}
    assert any("所有基层医疗卫生机构都能够提供中医药服务" in c.quote for c in a.citations)


def test_one_institution_asked_gets_its_row_alone(oriole: Assistant) -> None:
    a = oriole.ask("黄鹂市服务站（室）中医药适宜技术要开展几类？国家层面对基层中医药服务是啥要求？")
    assert {(t.region, t.value) for t in a.targets} == {("黄鹂市", 3)}


def test_a_local_row_named_loosely_is_found_in_the_unit_asked(oriole: Assistant) -> None:
    # 那个康养圈 for “20 分钟康养共享圈”: its characters in order, two skipped, and the unit asked (几分钟)
    # is the row's.
    a = oriole.ask("黄鹂市那个康养圈是几分钟的？国家纲要里康养服务圈又是几分钟？")
    assert a.status == "answered", a.answer
    assert {(t.region, t.value) for t in a.targets} == {("黄鹂市", 20), ("全国", 30)}
    # Another unit asked: the loosely named row is not taken.
    b = oriole.ask("黄鹂市那个康养圈有几个？国家纲要里康养服务圈又是几分钟？")
    assert ("黄鹂市", 20) not in {(t.region, t.value) for t in b.targets}


def test_a_national_row_named_loosely_is_found_by_its_head(oriole: Assistant) -> None:
    # 养老服务圈 for “30分钟康养服务圈”: 养老 is not in the row's wording, its head 服务圈 is, in the unit asked.
    a = oriole.ask("黄鹂市那个康养圈是几分钟的？国家纲要提的那个养老服务圈是几分钟来着？")
    assert {(t.region, t.value) for t in a.targets} == {("黄鹂市", 20), ("全国", 30)}, a.answer
    # Another unit asked (几个): the national row is not taken.
    b = oriole.ask("黄鹂市那个康养圈是几分钟的？国家纲要提的那个养老服务圈有几个？")
    assert ("全国", 30) not in {(t.region, t.value) for t in b.targets}


def test_the_topic_a_question_opens_with() -> None:
    rules = national_rules()
    assert topic_opener("家庭药师签约这事，黄鹂市慢病人群签约率要到多少？", rules) == "家庭药师签约"
    assert topic_opener("家庭药师签约这件事，黄鹂市…", rules) == "家庭药师签约"
    assert topic_opener("黄鹂市慢病人群签约率要到多少？", rules) == ""
    without = type(rules)(**{**rules.__dict__, "local_side_fillers": ()})
    assert topic_opener("家庭药师签约这事，黄鹂市慢病人群签约率要到多少？", without) == ""


def test_a_national_side_of_the_plan_and_its_level_alone_names_nothing() -> None:
    sides = split_national("电子档案这事，黄鹂市建档率要求多少？全国纲要层面又是咋提的？")
    assert sides is not None
    assert sides[1].strip(" ?") == ""
    assert "这事" not in sides[0]


def test_the_national_sentence_on_the_topic_the_question_opens_with(oriole: Assistant) -> None:
    # The nation says nothing of 慢病人群签约率; its sentence on the opening topic (家庭药师签约) is quoted.
    a = oriole.ask("家庭药师签约这事，黄鹂市慢病人群签约率要到多少？全国纲要层面又是怎么说的？")
    assert a.status == "answered", a.answer
    assert {(t.region, t.value) for t in a.targets} == {("黄鹂市", 70)}
    national = [c for c in a.citations if c.doc_id == doc_of(oriole, "全国")]
    assert len(national) == 1 and "推进家庭药师签约服务" in national[0].quote

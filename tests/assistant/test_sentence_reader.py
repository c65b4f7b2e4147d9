"""The sentence reader on made-up plans (assistant/sentence_reader.py, rules in sentence_reader.toml)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.schema import Citation, SearchHit, Turn
from assistant.sentence_reader import (
    asked,
    best_sentence,
    coverage,
    parse_reader_words,
    reader_words,
    sentence_answer,
    topic_sentence,
)
from assistant.service import Assistant
from ingestion.text.normalize import nfkc
from tests.conftest import assistant_of_texts

MEASURES = (
    "3．推进远程会诊。白鹭县卫健局牵头制定远程会诊工作规范。2026年下半年，白鹭县要启动远程会诊试点，"
    "年底前各镇试点全覆盖。流动体检车：用于填补村卫生室、健康小屋覆盖不足区域，按月公布巡检路线。"
    "对本县未经备案且非急需自行外购耗材人员的报销比例下降15个百分点。康复医院床位不少于30张。"
    "县自然资源分局须保障卫生院改扩建用地。"
)
IDEA = (
    "坚持以人民健康为中心，按照“整合共享、分级协同、医防并重”的发展思路，着力强基层、补短板，"
    "构建优质高效的县域医疗卫生服务体系。"
)


def hit(text: str = MEASURES, region: str = "白鹭县", section: str = "二、主要措施", n: int = 1) -> SearchHit:
    title = "白鹭县基层卫生提升方案"
    return SearchHit(chunk_id=f"c{n}", doc_id="d1", title=title, region=region, section=section, text=text, score=1.0)


def cite(h: SearchHit, n: int, quote: str) -> Citation:
    return Citation(n=n, doc_id=h.doc_id, title=h.title, quote=quote, chunk_id=h.chunk_id)


def test_a_when_question_is_answered_by_the_sentence_with_the_time() -> None:
    found = best_sentence("白鹭的远程会诊试点要求啥时候启动？", [hit()], regions=("白鹭县",))
    assert found is not None
    assert found.sentence.startswith("2026年下半年，白鹭县要启动远程会诊试点")


def test_a_when_question_about_something_the_plan_does_not_time_finds_nothing() -> None:
    assert best_sentence("白鹭的家庭病床啥时候全面铺开？", [hit()], regions=("白鹭县",)) is None


def test_a_sentence_of_another_region_does_not_answer() -> None:
    assert best_sentence("青禾县的远程会诊试点啥时候启动？", [hit()], regions=("青禾县",)) is None


def test_what_a_thing_is_for_is_read_from_the_sentence_it_is_the_subject_of() -> None:
    found = best_sentence("方案里提到的流动体检车是干啥用的？", [hit()])
    assert found is not None
    assert found.sentence.startswith("流动体检车：用于填补")
    # 健康小屋 stands in that sentence too, but after 用于: the sentence does not say what it is for.
    assert best_sentence("健康小屋是干啥用的？", [hit()]) is None


def test_an_amount_asked_in_everyday_words_is_read_from_the_plans_sentence() -> None:
    found = best_sentence("咱县没备案又不是急需，自己外购耗材的，报销比例要降多少？", [hit()])
    assert found is not None
    assert "下降15个百分点" in found.sentence


def test_an_amount_the_sentence_does_not_cover_whole_finds_nothing() -> None:
    # 康复医院床位不少于30张 shares 康复 and 床位 but not the increase asked.
    assert best_sentence("咱县康复医院的床位要增加多少？", [hit()]) is None


def test_a_which_department_question_needs_the_action_asked() -> None:
    found = best_sentence("白鹭卫生院的改扩建用地由哪个部门保障？", [hit()], regions=("白鹭县",))
    assert found is not None
    assert found.sentence == "县自然资源分局须保障卫生院改扩建用地。"


def test_a_guiding_idea_is_read_from_the_sentence_naming_it() -> None:
    found = best_sentence("那个方案是按什么发展思路来推进的？", [hit(IDEA, section="一、总体要求")])
    assert found is not None
    assert "整合共享、分级协同、医防并重" in found.sentence
    assert best_sentence("那个方案的指导思想是什么？", [hit(IDEA, section="一、总体要求")]) is None


def test_a_yes_no_word_beside_another_kinds_ask_leaves_it_that_kind() -> None:
    # 有没有 and 吗 stand in questions of every kind: the yes-or-no kind is tried last.
    what = asked("白鹭县有没有定2030年的床位数？定的多少？")
    assert what is not None and what.kind.name == "amount"
    what = asked("白鹭县会不会对村卫生室门诊搞总额控费？")
    assert what is not None and what.kind.name == "yes_no"


def test_a_question_asking_none_of_the_kinds_is_a_statement_question_no_sentence_may_cover() -> None:
    what = asked("远程会诊的费用怎么结算？")
    assert what is not None and what.kind.name == "statement"
    # 远程会诊 stands in MEASURES, 费用 and 结算 in none of its sentences: half the words are too few.
    assert best_sentence("远程会诊的费用怎么结算？", [hit()]) is None


def test_an_everyday_word_counts_by_the_plans_word() -> None:
    assert coverage({"看病"}, "到县外就医的人员", reader_words().plain) == 1.0
    assert coverage({"看病"}, "到县外购药的人员", reader_words().plain) == 0.0
    # 没经过 is taken whole, before jieba splits it (没/经过), and read as the plan's 未经.
    what = asked("没经过备案的耗材报销比例要降多少？")
    assert what is not None
    assert "没经过" in what.words
    assert "经过" not in what.words
    assert coverage({"没经过"}, "对未经备案的耗材", reader_words().plain) == 1.0


def test_a_verb_joined_to_its_modal_counts_by_the_verb() -> None:
    words = reader_words()
    assert coverage({"要降"}, "报销比例下降15个百分点", words.plain, words.modal_leads) == 1.0
    assert coverage({"要降"}, "报销比例下降15个百分点", words.plain) == 0.0


def test_a_kind_added_to_the_rules_is_asked() -> None:
    data = {
        "kinds": [{"name": "where", "asks": ["在哪儿办"], "cue": "设在", "min_coverage": 0.6}],
        "words": {"fillers": [], "plain": {}},
    }
    words = parse_reader_words(data)
    station = hit("便民服务点设在各村党群服务中心。便民服务点每周开放五天。")
    found = best_sentence("便民服务点在哪儿办？", [station], words=words)
    assert found is not None
    assert found.sentence == "便民服务点设在各村党群服务中心。"
    assert best_sentence("便民服务点在哪儿办？", [station]) is None  # the shipped rules ask no such kind


PAYMENT = (
    "（三）规范医保支付。白鹭县医共体牵头医院不对村卫生室门诊进行医保总额控费。对县域内符合规定的转诊住院患者，"
    "只计算首次起付线。对引进的紧缺康复人才，可按规定设岗位，不受单位岗位结构比例限制。"
    "不将论文、外语作为村医职称评审的硬性要求。放宽编外护士公开招聘条件，但年龄须在40周岁以内。"
    "第八条  驻村医生按每人每年1万元给予补助，经考核后发放；"
    "乡村医生岗位补贴按每人每年3000元发放，两项补助均须在岗满一年方可享受。"
)


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        # Yes or no (会不会, 受不受): the sentence stating it, for or against.
        (
            "白鹭县医共体牵头医院会不会对村卫生室门诊搞医保总额控费？",
            "白鹭县医共体牵头医院不对村卫生室门诊进行医保总额控费。",
        ),
        (
            "白鹭县引进的紧缺康复人才设岗位受不受比例限制？",
            "对引进的紧缺康复人才，可按规定设岗位，不受单位岗位结构比例限制。",
        ),
        # 还是…吗, in everyday words (评职称: 职称评审, 硬杠杠: 硬性要求).
        ("白鹭县的村医评职称，论文、外语还是硬杠杠吗？", "不将论文、外语作为村医职称评审的硬性要求。"),
        # How it is counted (咋算; 病人: 患者).
        ("白鹭县转诊住院的病人起付线咋算？", "对县域内符合规定的转诊住院患者，只计算首次起付线。"),
        # Whether there is a ceiling: the sentence setting one (40周岁以内).
        ("白鹭县放宽招聘条件的编外护士，年龄有没有上限？", "放宽编外护士公开招聘条件，但年龄须在40周岁以内。"),
    ],
)
def test_yes_no_rule_and_ceiling_questions_are_read_from_the_stating_sentence(question: str, quoted: str) -> None:
    found = best_sentence(question, [hit(PAYMENT)], regions=("白鹭县",))
    assert found is not None
    assert found.sentence == quoted


@pytest.mark.parametrize(
    "question",
    [
        # 医院, 医保, 总额, 控费 stand in the sentence, 民营 does not: it speaks of other hospitals.
        "白鹭县会不会对民营医院搞医保总额控费？",
        # A word or two shared (卫生室) is no answer.
        "白鹭县会不会对村卫生室搞绩效考核？",
        # 起付线 and 病人 (患者) are held, 门诊 is not: the sentence counts it for inpatients.
        "白鹭县门诊病人起付线咋算？",
        "白鹭县引进的全科医生设岗位受不受比例限制？",
        # The cue alone (40周岁以内) does not answer a question about others.
        "白鹭县返聘的退休医生年龄有没有上限？",
    ],
)
def test_a_yes_no_or_rule_question_the_sentence_covers_only_in_part_finds_nothing(question: str) -> None:
    assert best_sentence(question, [hit(PAYMENT)], regions=("白鹭县",)) is None


def test_a_clause_takes_its_subject_from_before_the_semicolon() -> None:
    # 驻村医生 stands in the first clause, the rule asked (在岗满一年) in the second: both are quoted.
    found = best_sentence("白鹭县驻村医生补助是不是要在岗满一年才能享受？", [hit(PAYMENT)], regions=("白鹭县",))
    assert found is not None
    assert found.sentence.startswith("第八条  驻村医生按每人每年1万元给予补助，经考核后发放；")
    assert found.sentence.endswith("两项补助均须在岗满一年方可享受。")
    # The second clause names its own subject: it is quoted alone.
    found = best_sentence("白鹭县乡村医生岗位补贴是不是要在岗满一年才能享受？", [hit(PAYMENT)], regions=("白鹭县",))
    assert found is not None
    assert found.sentence.startswith("乡村医生岗位补贴")
    # A subject neither clause names is not read into them.
    assert best_sentence("白鹭县护士补助是不是要在岗满一年？", [hit(PAYMENT)], regions=("白鹭县",)) is None


STATIONS = (
    "建立健全镇街、村社健康驿站工作机制，全面推进驿站服务，3家卫生院达到推荐标准。"
    "到2027年，各卫生院建成康复门诊，镇街、村社健康驿站建设全覆盖。"
)


def test_a_degree_is_read_from_the_clause_holding_both_the_thing_and_the_degree() -> None:
    found = best_sentence("镇街、村社的健康驿站要建到啥程度？", [hit(STATIONS)], regions=("白鹭县",))
    assert found is not None
    # The first sentence names the stations in one clause and a degree (达到推荐标准) of another thing in the next.
    assert found.sentence.startswith("到2027年")
    assert best_sentence("健康驿站的护理员要配到啥程度？", [hit(STATIONS)]) is None


def test_the_same_clause_option_counts_words_only_in_the_clauses_with_the_cue() -> None:
    data = {
        "kinds": [{"name": "degree", "asks": ["啥程度"], "cue": "全覆盖|达到", "min_coverage": 0.6}],
        "words": {"fillers": [], "plain": {}},
    }
    loose = parse_reader_words(data)
    strict = parse_reader_words({**data, "kinds": [{**data["kinds"][0], "same_clause": True}]})
    first = hit("建立健全健康驿站工作机制，3家卫生院达到推荐标准。")
    assert best_sentence("健康驿站要建到啥程度？", [first], words=loose) is not None
    assert best_sentence("健康驿站要建到啥程度？", [first], words=strict) is None


def test_the_answer_quotes_and_cites_the_sentence() -> None:
    answer = sentence_answer("白鹭的远程会诊试点啥时候启动？", [hit()], cite, regions=("白鹭县",))
    assert answer is not None
    assert answer.status == "answered"
    quote = answer.citations[0].quote
    assert quote.startswith("2026年下半年")
    assert quote in answer.answer
    assert answer.answer.startswith("《白鹭县基层卫生提升方案》原文：")


PLAN = """白鹭县基层卫生提升方案

一、总体要求

坚持以人民健康为中心，按照“整合共享、分级协同、医防并重”的发展思路，着力强基层、补短板，构建优质高效的县域医疗卫生服务体系。

二、主要措施

（一）推进远程会诊。县卫健局牵头制定远程会诊工作规范。2026年下半年，白鹭县要启动远程会诊试点，年底前各镇试点全覆盖。

（二）配置流动服务。流动体检车：用于填补村卫生室、健康小屋覆盖不足区域，按月公布巡检路线。

（三）规范医保支付。县医共体牵头医院不对村卫生室门诊进行医保总额控费。对县域内符合规定的转诊住院患者，只计算首次起付线。

（三）健全健康驿站。建立健全镇街、村社健康驿站工作机制，全面推进驿站服务。到2027年，各卫生院建成康复门诊，镇街、村社健康驿站建设全覆盖。

（四）完善人才激励。到2027年，全县50%以上基层医务人员完成一轮能力提升培训。鼓励对医共体内各卫生院负责人实行年薪制。对遴选确认的基层骨干人才可实行协议工资制。

"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return assistant_of_texts(tmp_path_factory.mktemp("reader"), {"bailu.txt": PLAN})


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("白鹭的远程会诊试点啥时候启动？", "2026年下半年"),
        ("白鹭县方案里提到的流动体检车是干啥用的？", "用于填补村卫生室"),
        ("白鹭县那个方案是按什么发展思路来推进的？", "整合共享、分级协同、医防并重"),
        ("白鹭县医共体牵头医院会不会对村卫生室门诊搞医保总额控费？", "不对村卫生室门诊进行医保总额控费"),
        ("白鹭县转诊住院的病人起付线咋算？", "只计算首次起付线"),
        # Spoken 搞 with the kind of thing asked after 啥 (制度, 特殊办法): the sentence names the thing itself.
        ("白鹭县医共体里各卫生院负责人的薪酬鼓励搞啥制度？", "实行年薪制"),
        ("白鹭县遴选出来的基层骨干人才，工资上能搞啥特殊办法？", "协议工资制"),
    ],
)
def test_the_reader_answers_before_not_found(assistant: Assistant, question: str, quoted: str) -> None:
    answer = assistant.ask(question)
    assert answer.status == "answered", answer.answer
    assert answer.path == "read_sentence"
    assert any(quoted in c.quote for c in answer.citations)
    assert all(c.quote in answer.answer for c in answer.citations)


def test_an_unanswerable_topic_question_still_finds_nothing(assistant: Assistant) -> None:
    answer = assistant.ask("白鹭县的家庭病床啥时候全面铺开？")
    assert answer.status == "not_found"


OUTLINE = (
    "实施慢病综合防控战略。基本实现痛风、骨质疏松患者管理干预全覆盖，推动慢病早筛早治。"
    "推进家庭药师签约服务，完善分级诊疗。加强康复人才培养，完善激励机制。"
)


def test_a_topic_is_read_from_the_sentence_naming_it_without_its_common_words() -> None:
    # 规范管理率 (common words) stands in no sentence; 痛风 and 骨质疏松 name the topic.
    found = topic_sentence("痛风、骨质疏松管理这块定的规范管理率", [hit(OUTLINE, region="全国")])
    assert found is not None
    assert found.sentence.startswith("基本实现痛风、骨质疏松患者管理干预全覆盖")
    found = topic_sentence("城乡居民家庭药师签约服务覆盖率", [hit(OUTLINE, region="全国")])
    assert found is not None and found.sentence.startswith("推进家庭药师签约服务")


def test_a_sentence_holding_too_few_of_the_topics_words_is_not_read() -> None:
    # 加强康复人才培养 holds 康复 of 每万人口康复治疗师数, not 每万, 人口 or 治疗师.
    assert topic_sentence("每万人口康复治疗师数", [hit(OUTLINE, region="全国")]) is None


def test_a_common_word_added_to_the_rules_need_not_be_held() -> None:
    words = reader_words()
    assert topic_sentence("康复治疗师", [hit(OUTLINE)], words=words) is None
    common = words.common_words | {"治疗师"}
    assert topic_sentence("康复治疗师", [hit(OUTLINE)], words=replace(words, common_words=common)) is not None


@pytest.mark.parametrize(
    "question",
    ["白鹭县的家庭病床啥时候全面铺开？", "白鹭县会不会对民营医院搞医保总额控费？", "白鹭县门诊病人起付线咋算？"],
)
def test_an_unanswerable_question_still_finds_nothing(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.status == "not_found", answer.answer


def test_a_follow_up_naming_a_new_subject_is_read_in_the_previous_place_and_year(assistant: Assistant) -> None:
    history = [
        Turn(role="user", content="白鹭县到2027年，各卫生院要建成什么门诊？"),
        Turn(role="assistant", content="到2027年，各卫生院建成康复门诊[1]。"),
    ]
    answer = assistant.ask("镇街、村社的健康驿站呢，要建到啥程度？", history)
    assert answer.status == "answered", answer.answer
    assert answer.path == "read_sentence"
    assert any("健康驿站建设全覆盖" in c.quote for c in answer.citations)
    # 镇街 is a level of every place, not a place the library lacks.
    assert "没有关于镇街" not in answer.answer


GOALS = (
    "备注：到2028年云雀街道社区卫生服务中心计划2030年创建。"
    "到2028年，全县4家卫生院标准化率达到100%，云雀中心基本完成筹建工作，甲镇、乙镇分别达到中心卫生院和"
    "社区医院创建标准。"
    "到2030年，白鹭县康复器具质量标准全面与省内接轨。"
)


@pytest.mark.parametrize(
    ("question", "years", "quoted"),
    [
        ("白鹭那个云雀中心，到2028年要弄到啥程度？", ("2028",), "云雀中心基本完成筹建工作"),
        ("康复器具的质量标准到2030年要达到啥水平？", ("2030",), "质量标准全面与省内接轨"),
    ],
)
def test_a_goal_for_a_year_is_read_from_the_sentence_opening_with_the_year(
    question: str, years: tuple[str, ...], quoted: str
) -> None:
    found = best_sentence(question, [hit(GOALS)], regions=("白鹭县",), years=years)
    assert found is not None and quoted in found.sentence
    # The sentence holding the question's phrase whole (云雀中心) wins over one holding its words apart.
    assert not found.sentence.startswith("备注")


def test_a_goal_question_about_a_thing_no_sentence_names_finds_nothing() -> None:
    assert best_sentence("无人机配送到2030年要达到啥水平？", [hit(GOALS)], years=("2030",)) is None
    # Without a year the goal kind is not asked; the degree kind needs a degree word in the clause.
    assert best_sentence("康复器具的质量标准要达到啥水平？", [hit(GOALS)]) is None


def test_what_each_named_thing_is_to_reach_is_read_from_the_fenbie_sentence() -> None:
    found = best_sentence("甲镇、乙镇这两家，到2028年分别要达到啥创建标准？", [hit(GOALS)], years=("2028",))
    assert found is not None and "甲镇、乙镇分别达到中心卫生院和社区医院创建标准" in found.sentence
    assert best_sentence("丙镇、丁镇这两家分别要达到啥创建标准？", [hit(GOALS)]) is None


def test_a_year_only_carried_from_the_conversation_asks_no_year_goal() -> None:
    # The question names no year (a follow-up carries 2028): the degree kind is asked, which needs a degree word.
    assert best_sentence("云雀中心呢，要弄到啥程度？", [hit(GOALS)], regions=("白鹭县",), years=("2028",)) is None


FRAMES = (
    "4．深化村医绩效改革。白鹭县村卫生室绩效分配改革，在确保公益性的前提下，以“服务积分制”和“片区包干制”为导向，"
    "逐步拉开收入差距。以镇为单位，以同质化为目标，推进巡诊排班。"
    "5．强化村医待遇保障。按照“基本托底、绩效激励”的原则，继续加大村卫生室运行补助力度。"
)


@pytest.mark.parametrize(
    ("question", "start"),
    [
        ("白鹭的村卫生室绩效分配改革，是以啥为导向？", "白鹭县村卫生室绩效分配改革"),
        ("白鹭县对村卫生室的运行补助按啥原则来？", "按照“基本托底、绩效激励”的原则"),
        ("巡诊排班以什么为目标？", "以镇为单位，以同质化为目标"),
    ],
)
def test_a_frame_question_is_answered_by_the_sentence_filling_the_same_frame(question: str, start: str) -> None:
    found = best_sentence(question, [hit(FRAMES)], regions=("白鹭县",) if "白鹭" in question else ())
    assert found is not None
    assert nfkc(found.sentence).startswith(nfkc(start))


def test_a_frame_with_another_tail_or_subject_finds_nothing() -> None:
    # 以…为核心 is not the plan's 以…为导向; 药品采购 is no subject of the frame's sentence.
    assert best_sentence("村卫生室绩效分配改革以啥为核心？", [hit(FRAMES)]) is None
    assert best_sentence("药品集中采购按啥原则来？", [hit(FRAMES)]) is None


def test_a_frame_added_to_the_rules_is_asked() -> None:
    data = {
        "frames": {"slots": ["啥"], "min_coverage": 0.6, "frame": [{"leads": ["围绕"], "tails": ["展开"]}]},
        "kinds": [],
        "words": {"fillers": [], "plain": {}},
    }
    text = hit("村医培训围绕“常见病诊治”展开，每年不少于两期。")
    found = best_sentence("村医培训围绕啥展开？", [text], words=parse_reader_words(data))
    assert found is not None
    assert "常见病诊治" in found.sentence
    what = asked("村医培训围绕啥展开？")  # the shipped rules hold no such frame: a statement question
    assert what is not None and what.kind.name == "statement"


SECTION_GOALS = (
    "坚持以人民健康为中心，全面落实基层卫生各项政策。到2027年，基本建成县乡一体、医防协同、平急结合的"
    "县域整合型医疗卫生服务体系，居民享有便捷的健康服务。"
)


def test_what_kind_of_thing_is_read_from_the_named_sections_describing_sentence() -> None:
    question = "白鹭县那个方案的工作目标里，要建成个啥样的服务体系？"
    what = asked(question, ("白鹭县",))
    assert what is not None
    assert what.kind.name == "kind_of"
    found = best_sentence(question, [hit(SECTION_GOALS, section="一、工作目标")], regions=("白鹭县",))
    assert found is not None
    assert "县乡一体、医防协同、平急结合的县域整合型医疗卫生服务体系" in found.sentence
    # The same sentence under another section does not answer a question naming 工作目标.
    assert best_sentence(question, [hit(SECTION_GOALS, section="三、保障措施")], regions=("白鹭县",)) is None


def test_what_kind_of_a_guiding_idea_stays_the_idea_kind() -> None:
    what = asked("按什么样的发展思路推进？")
    assert what is not None
    assert what.kind.name == "idea"


ROUNDS = (
    "（四）巡回诊疗。白鹭县每个巡诊点负责周边三个行政村的定期巡诊，药品和耗材由县域医共体统一配送到巡诊点。"
    "巡诊车辆由县卫健局统一调度。"
)


def test_any_other_question_is_answered_by_the_sentence_holding_its_words() -> None:
    # 咋 names no kind of answer (a time, an agency, an amount …): the sentence holding the words answers.
    found = best_sentence("巡诊点的药品和耗材咋配送？", [hit(ROUNDS)])
    assert found is not None
    assert "药品和耗材由县域医共体统一配送" in found.sentence
    assert asked("巡诊点的药品和耗材咋配送？").kind.name == "statement"


def test_a_statement_question_with_words_no_sentence_holds_finds_nothing() -> None:
    # 巡诊 and 药品 stand in the plan, but not 远程 and 处方: no sentence covers the question.
    assert best_sentence("巡诊的远程处方药品咋审核？", [hit(ROUNDS)]) is None


def test_a_statement_question_needs_three_words_of_its_own() -> None:
    # Two content words are too few to tell one sentence from another: the reader does not answer.
    assert asked("巡诊点咋配送？") is None


ARCHIVES = (
    "做好驿站护理员入职前与离职后个人口腔健康档案跨省接续共享。"
    "到2040年，实现省市县三级健康信息平台互通，人人拥有规范化的口腔健康档案。"
    "基本建成口腔健康档案质控体系。"
)


def test_a_topic_is_read_from_the_sentence_stating_a_goal_on_it() -> None:
    # Both sentences hold 口腔健康档案 whole; the one setting a goal (到2040年, 人人) is quoted, not the earlier
    # mention in passing.
    found = topic_sentence("口腔健康档案", [hit(ARCHIVES, region="全国")])
    assert found is not None and found.sentence.startswith("到2040年")
    words = reader_words()
    found = topic_sentence("口腔健康档案", [hit(ARCHIVES, region="全国")], words=replace(words, goal_cue=None))
    assert found is not None and found.sentence.startswith("做好驿站护理员")


def test_the_asking_clauses_own_words_choose_among_goal_sentences() -> None:
    # 质控 is the asking clause's own word: of the goal sentences on 口腔健康档案, the one holding it.
    found = topic_sentence("口腔健康档案", [hit(ARCHIVES, region="全国")], asked="在口腔健康档案质控上 咋 的")
    assert found is not None and found.sentence.startswith("基本建成口腔健康档案质控体系")


CONTROL = "全省所有流行乡镇基本控制痛风等重点代谢病流行。加强痛风等重点代谢病流行监测。"


def test_a_degree_of_control_answers_a_degree_question_with_a_pointer() -> None:
    # 痛风这些代谢病: the pointer (这些) and the verb of the degree (搞到) are no words of the sentence, which lists
    # the kind with 等; 基本控制 is the degree reached.
    found = best_sentence("痛风这些代谢病，纲要要求流行乡镇搞到啥程度？", [hit(CONTROL, region="全国")])
    assert found is not None and found.sentence.startswith("全省所有流行乡镇基本控制")
    # A sentence naming the thing with no degree reached does not answer.
    assert best_sentence("痛风这些代谢病，流行乡镇搞到啥程度？", [hit(CONTROL[CONTROL.index("加强") :])]) is None


HIRING = (
    "第六条  对急需紧缺康复人才可不设开考比例。编外护士公开招聘允许放宽学历条件，但须具有执业资格。"
    "第七条  驻村医生按每人每年1万元给予补助，须在岗满一年方可享受；“镇聘村用”人员暂不享受本政策。"
)


@pytest.mark.parametrize(
    ("question", "ask", "quoted"),
    [
        # A-not-A of one character (设不设) and of two (允许不允许): ask_forms of the yes_no kind.
        ("白鹭县招急需紧缺的康复人才，还设不设开考比例？", "设不设", "对急需紧缺康复人才可不设开考比例。"),
        ("白鹭县的编外护士招聘，允许不允许放宽学历条件？", "允许不允许", "编外护士公开招聘允许放宽学历条件"),
    ],
)
def test_an_a_not_a_question_is_a_yes_no_ask(question: str, ask: str, quoted: str) -> None:
    what = asked(question, regions=("白鹭县",))
    assert what is not None and what.kind.name == "yes_no" and what.ask == ask
    found = best_sentence(question, [hit(HIRING)], regions=("白鹭县",))
    assert found is not None
    assert quoted in found.sentence


def test_an_a_not_a_question_the_sentence_does_not_cover_finds_nothing() -> None:
    assert best_sentence("白鹭县招全科医生，还给不给安家补贴？", [hit(HIRING)], regions=("白鹭县",)) is None


def test_the_a_not_a_form_is_data_of_the_yes_no_kind() -> None:
    words = reader_words()
    kinds = tuple(replace(k, ask_forms=None) if k.name == "yes_no" else k for k in words.kinds)
    assert asked("白鹭县招急需紧缺的康复人才，还设不设开考比例？", words=replace(words, kinds=kinds)) is None


def test_whether_someone_is_covered_is_read_from_the_exclusion_or_condition() -> None:
    from assistant.sentence_reader import covered_answer, covered_asked

    found = covered_answer("“镇聘村用”的人员也能拿这个补助吗？", [hit(HIRING)], cite)
    assert found is not None
    assert "“镇聘村用”人员暂不享受本政策" in found.citations[0].quote
    # A yes-or-no ask that asks no coverage (也能拿, 能享受) is not this question.
    assert covered_asked("“镇聘村用”的人员补助是1万元吗？") is None
    # Someone no sentence names: nothing found.
    assert covered_answer("返聘的退休护士也能拿这个补助吗？", [hit(HIRING)], cite) is None


REWARD_PLAN = (
    "白鹭县基层人才激励办法\n\n一、奖励政策\n\n"
    "第十条  基层在岗人员一次性奖励政策须在基层医疗卫生机构累计服务满25年仍在岗的人员在其退休时一次性发放"
    "3万元奖励；“镇聘村用”人员暂不享受本政策。\n\n"
    "第十一条  驻村医生按每人每年1万元给予补助，经考核后发放。\n"
)


@pytest.fixture(scope="module")
def reward_assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return assistant_of_texts(tmp_path_factory.mktemp("reward"), {"bailu_reward.txt": REWARD_PLAN})


def test_a_follow_up_asking_whether_someone_is_covered_quotes_the_exclusion(reward_assistant: Assistant) -> None:
    history = [
        Turn(role="user", content="白鹭县在基层干满25年的，退休时一次性奖励多少钱？"),
        Turn(role="assistant", content="累计服务满25年仍在岗的人员在其退休时一次性发放3万元奖励[1]。"),
    ]
    answer = reward_assistant.ask("“镇聘村用”的人员也能拿这个奖励吗？", history)
    assert answer.status == "answered", answer.answer
    assert answer.path == "covered_followup"
    assert any("暂不享受本政策" in c.quote for c in answer.citations)
    # Someone the plan does not name: not this path (the carried subject answers as before, or nothing).
    other = reward_assistant.ask("返聘的退休护士也能拿这个奖励吗？", history)
    assert other.path != "covered_followup"


def test_a_who_question_read_under_a_units_heading_quotes_the_heading() -> None:
    # 支持…工作 names other institutions (卫生院, 服务中心), not the unit in charge: the item's heading does.
    item = "（五）白鹭县编制部门。核定卫生院编制总量。支持卫生院（服务中心）选派医技人员到村卫生室工作。"
    h = hit(item, section="四、职责分工 > （五）白鹭县编制部门")
    answer = sentence_answer("白鹭县支持卫生院选派医技人员到村卫生室工作，是哪个部门？", [h], cite, ["白鹭县"])
    assert answer is not None
    assert [c.quote for c in answer.citations] == [
        "（五）白鹭县编制部门。",
        "支持卫生院（服务中心）选派医技人员到村卫生室工作。",
    ]


SALARY = hit("鼓励对医共体内各卫生院负责人实行年薪制。对遴选确认的骨干人才可实行协议工资制。")


def test_the_kind_of_thing_asked_after_the_ask_word_need_not_stand_in_the_sentence() -> None:
    question = "医共体里各卫生院负责人的薪酬鼓励搞啥制度？"
    found = best_sentence(question, [SALARY])
    assert found is not None
    assert found.sentence == "鼓励对医共体内各卫生院负责人实行年薪制。"
    # Without the ask noun listed, 制度 is a word the sentence must hold, and it holds too few of the question's.
    assert best_sentence(question, [SALARY], words=replace(reader_words(), ask_nouns=())) is None


def test_the_spoken_verb_gao_counts_by_the_plans_verbs() -> None:
    words = asked("遴选出来的骨干人才，工资上能搞啥特殊办法？")
    assert words is not None
    assert "能搞" in words.words and "办法" not in words.words and "特殊" not in words.words
    assert coverage(words.words, "对遴选确认的骨干人才可实行协议工资制。", reader_words().plain) == 1.0


def test_a_question_asking_a_kind_of_thing_asks_no_number() -> None:
    from assistant.sentence_reader import asks_named_thing

    assert asks_named_thing("负责人的薪酬鼓励搞啥制度？")
    assert asks_named_thing("工资上能搞什么特殊办法？")
    assert not asks_named_thing("到2025年培训人数要达到多少？")
    assert not asks_named_thing("补助标准是啥？")


def test_a_compound_word_counts_in_part_when_its_words_stand_apart() -> None:
    plain = reader_words().plain
    # In order within one clause (a modifier between): nearly whole, less than the compound standing whole.
    ordered = coverage({"人才培养"}, "深入实施基层人才“双轨制”培养规划。", plain)
    assert 0.5 < ordered < 1.0
    assert coverage({"人才培养"}, "深入实施人才培养规划。", plain) == 1.0
    # In two clauses, or the other way round: only in part.
    assert coverage({"人才培养"}, "培养规划深入实施，基层人才“双轨制”落实。", plain) == 0.5
    assert coverage({"人才培养"}, "引进基层人才，完善培养规划。", plain) == 0.5
    assert coverage({"人才培养"}, "深入实施基层人才引进计划。", plain) == 0.0


def test_a_compound_word_with_a_modifier_between_its_words_finds_the_years_goal() -> None:
    plain = reader_words().plain
    words = {"乡村卫生", "厕所"}
    goal = "力争到2031年，全市乡村居民基本都能用上无害化卫生厕所。"
    assert coverage(words, goal, plain) >= 0.8
    assert coverage(words, "加快卫生厕所建设，推进乡村振兴。", plain) < 0.8
    intro = hit("白鹭县基层卫生提升实施方案为推进基层医疗卫生事业发展，制订本方案。", n=1)
    rule = hit("深入实施基层医疗卫生人才“双轨制”培养规划，加大全科医学人员招聘力度。", n=2)
    found = best_sentence("白鹭县的基层医疗卫生人才培养，搞的是啥制度？", [intro, rule], regions=("白鹭县",))
    assert found is not None
    assert "双轨制" in found.sentence


SOURCES = (
    "对满编的村卫生室引进紧缺康复人才，可使用县级人才周转编制予以保障。"
    "合理确定巡诊服务费，巡诊服务费用由医保基金、公共卫生经费和个人付费等分担。"
    "巡诊车每月巡检两次。"
)


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("满编的村卫生室要引进紧缺康复人才，编制从哪出？", "县级人才周转编制予以保障"),
        ("白鹭县巡诊服务费从哪里来？", "由医保基金、公共卫生经费和个人付费等分担"),
    ],
)
def test_where_money_or_posts_come_from_is_read_from_the_sentence_naming_the_source(question: str, quoted: str) -> None:
    answer = sentence_answer(question, [hit(SOURCES)], cite, ["白鹭县"])
    assert answer is not None
    assert quoted in answer.citations[0].quote


def test_a_source_question_about_something_no_sentence_funds_finds_nothing() -> None:
    # 巡诊车 stands in a sentence naming no source: no answer.
    assert sentence_answer("白鹭县巡诊车的油钱从哪出？", [hit(SOURCES)], cite, ["白鹭县"]) is None


TITLES_PLAN = (
    "白鹭县基层人才激励办法\n\n一、职称晋升\n\n"
    "第九条  在基层医疗卫生机构工作的药师、技师，可提前一年参加相应专业的中级卫生专业技术资格考试；"
    "合署办公人员不享受，紧密型医共体相关人员参照原单位执行。\n\n"
    "第十条  驻村医生按每人每年1万元给予补助，经考核后发放。\n"
)


@pytest.fixture(scope="module")
def titles_assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return assistant_of_texts(tmp_path_factory.mktemp("titles"), {"bailu_titles.txt": TITLES_PLAN})


def test_whether_a_group_is_covered_is_read_when_no_statement_covers_the_question(titles_assistant: Assistant) -> None:
    # Not a follow-up, and no sentence covers the question whole (可以 …考中级职称 against 可提前…参加…考试): the
    # exclusion after the semicolon answers, 那批人 counted as the plan's 人员.
    question = "白鹭县基层药师技师可以提前一年考中级职称，合署办公的那批人能不能享受？"
    assert sentence_answer(question, [hit(TITLES_PLAN)], cite, ["白鹭县"]) is None
    answer = titles_assistant.ask(question)
    assert answer.status == "answered", answer.answer
    assert answer.path == "read_sentence"
    assert any("合署办公人员不享受" in c.quote for c in answer.citations)
    # Someone the plan does not name: no sentence says so.
    other = titles_assistant.ask("白鹭县基层药师技师可以提前一年考中级职称，返聘护士那批人能不能享受？")
    assert other.path != "read_sentence"

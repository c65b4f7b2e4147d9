"""Requirements stated in a plan sentence, not a target row, on made-up text (assistant/requirements.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.requirements import (
    asked_action,
    asked_plans,
    asks_plan_goal,
    asks_sentence_first,
    best_requirement,
    marked_quote,
    other_requirements,
    plan_goal_answer,
    plan_goal_sentences,
    plan_name_words,
    plan_passages,
    requirement_answer,
    requirement_words,
    sentences,
    sentences_with_leads,
    states_requirement,
    subject_words,
    with_previous_question,
    with_whole_requirement,
    word_weight,
)
from assistant.schema import Answer, Citation, SearchHit, Turn
from assistant.understanding import Query
from ingestion.schema import Chunk, Target

PASSAGE = (
    "健全巡诊制度。巡诊车辆维护费用由镇级财政承担。"
    "派驻医师原则上每月不少于5个工作日到村巡诊。护理员每半年至少参加一次轮训。"
)


def hit(text: str = PASSAGE, region: str = "青禾县") -> SearchHit:
    return SearchHit(chunk_id="c1", doc_id="d1", title="青禾县巡诊方案", region=region, text=text, score=1.0)


def cite(h: SearchHit, n: int, quote: str) -> Citation:
    return Citation(n=n, doc_id=h.doc_id, title=h.title, quote=quote, chunk_id=h.chunk_id)


def test_who_needs_an_agent_in_the_sentence() -> None:
    assert states_requirement("维护费用谁出？", "巡诊车辆维护费用由镇级财政承担。")
    assert not states_requirement("维护费用谁出？", "巡诊车辆维护费用逐年增加。")


def test_how_often_needs_a_number_or_a_counted_word() -> None:
    assert states_requirement("多久轮训一次？", "护理员每半年至少参加一次轮训。")
    assert not states_requirement("多久轮训一次？", "护理员定期参加轮训。")


def test_a_target_question_is_not_a_requirement_question() -> None:
    assert not states_requirement("巡诊覆盖率要达到多少？", "巡诊覆盖率达到90%。")


def test_the_sentence_that_states_it_is_quoted_and_cited() -> None:
    q = Query(text="巡诊车辆维护费用由谁承担？", indicator="巡诊车辆维护费用由谁承担")
    answer = requirement_answer(q, [hit()], cite)
    assert answer is not None
    assert answer.status == "answered"
    assert answer.citations[0].quote == "巡诊车辆维护费用由镇级财政承担。"
    assert "镇级财政" in answer.answer


def test_days_question_gets_the_sentence_with_the_days() -> None:
    q = Query(text="派驻医师每月至少到村巡诊几天？", indicator="派驻医师每月至少到村巡诊")
    found = best_requirement(q, [hit()])
    assert found is not None
    assert "5个工作日" in found[1]


def test_unrelated_question_gets_nothing() -> None:
    q = Query(text="药品配送由哪个部门负责？", indicator="药品配送由部门负责")
    assert best_requirement(q, [hit()]) is None


def test_another_region_is_not_answered() -> None:
    q = Query(text="白石市巡诊车辆维护费用由谁承担？", regions=("白石市",), indicator="巡诊车辆维护费用由谁承担")
    assert best_requirement(q, [hit()]) is None


def test_a_money_question_needs_an_amount_in_yuan() -> None:
    text = "巡诊达标的卫生院奖励比例为40%。对巡诊达标的卫生院，每处最高给予8万元奖励补助。"
    q = Query(text="巡诊达标的卫生院每处最多奖多少钱？", indicator="巡诊达标的卫生院每处奖")
    found = best_requirement(q, [hit(text)])
    assert found is not None
    assert "8万元" in found[1]
    assert not states_requirement(q.text, "巡诊达标的卫生院奖励比例为40%。")


def test_two_kinds_asked_quote_two_sentences_in_the_plan_order() -> None:
    text = "本细则自印发之日起15日后施行。本细则试行两年，期满后评估。巡诊车辆由镇统一采购。"
    q = Query(text="青禾县这个细则什么时候施行，试行多久？", indicator="细则施行,试行")
    answer = requirement_answer(q, [hit(text)], cite)
    assert answer is not None
    assert [c.quote for c in answer.citations] == ["本细则自印发之日起15日后施行。", "本细则试行两年，期满后评估。"]
    assert "[1]" in answer.answer and "[2]" in answer.answer


def test_two_parts_quote_one_sentence_each() -> None:
    text = (
        "对巡诊达到甲级标准的卫生院，每处最高给予12万元奖励补助；"
        "对巡诊达到乙级标准的卫生院，每处最高给予6万元奖励补助。"
    )
    q = Query(
        text="巡诊达甲级标准和达乙级标准的卫生院每处最多奖多少？",
        indicator="巡诊达甲级标准和达乙级标准的卫生院每处最多奖",
    )
    answer = requirement_answer(q, [hit(text)], cite)
    assert answer is not None
    quotes = [c.quote for c in answer.citations]
    assert len(quotes) == 2
    assert "12万元" in quotes[0] and "甲级" in quotes[0]
    assert "6万元" in quotes[1] and "乙级" in quotes[1]


def test_an_abbreviated_word_counts_half() -> None:
    assert word_weight("专技", "专业技术人员") == 0.5
    assert word_weight("专技", "专技人员") == 1.0
    assert word_weight("专技", "专门培训技术") == 0.0


def test_a_bound_in_the_question_is_not_a_subject_word() -> None:
    q = Query(text="青禾县卫生院药师编制占比的底线是多少？", indicator="卫生院药师编制占比的底线")
    text = "卫生院药师编制不得低于编制总额的10%。每5年调整一次卫生院药师编制总量。"
    found = best_requirement(q, [hit(text)])
    assert found is not None
    assert "10%" in found[1]


def test_a_sentence_wrapped_over_lines_is_read_whole() -> None:
    text = (
        "第九条  由“镇聘村用”招聘的巡诊人员落编在镇卫生院，\n\n待人员到岗后统一调配，绩效奖励按照实际工作岗位执行。\n\n"
        "第三章  人员培养\n\n第十条  加强培训。"
    )
    assert sentences(text) == [
        "第九条  由“镇聘村用”招聘的巡诊人员落编在镇卫生院，待人员到岗后统一调配，绩效奖励按照实际工作岗位执行。",
        "第三章  人员培养",
        "第十条  加强培训。",
    ]


def test_how_it_is_counted_is_answered_by_the_sentence_stating_the_rule() -> None:
    text = "镇聘村用人员由镇卫生院统一招聘。镇聘村用人员的编制落在镇卫生院，待遇按照实际工作岗位执行。"
    q = Query(text="白石镇镇聘村用人员的编制和待遇怎么算？", indicator="镇聘村用人员的编制和待遇怎么算")
    found = best_requirement(q, [hit(text)])
    assert found is not None
    assert "按照实际工作岗位执行" in found[1]


def test_a_sentence_sharing_only_weak_words_does_not_answer() -> None:
    text = "对达到甲级标准的卫生院，每处最高给予8万元建设补助。"
    q = Query(text="药房建设补助多少钱？", indicator="药房建设补助")
    assert best_requirement(q, [hit(text)]) is None
    without_weak = replace(requirement_words(), weak_words=frozenset())
    assert best_requirement(q, [hit(text)], without_weak) is not None


def test_a_kind_question_after_another_is_searched_with_both() -> None:
    history = [Turn(role="user", content="达到甲级标准的卫生院最高奖励多少？"), Turn(role="assistant", content="…")]
    q = Query(text="乙级标准的最多奖多少？", indicator="乙级标准奖")
    searched = with_previous_question(q, history)
    assert searched is not None
    assert searched.text == "达到甲级标准的卫生院最高奖励多少？ 乙级标准的最多奖多少？"
    assert searched.indicator == q.indicator  # the sentence must still cover this question's words
    assert with_previous_question(Query(text="乙级标准的覆盖率是多少？"), history) is None  # no kind asked
    assert with_previous_question(q, []) is None


def test_a_split_between_parties_answers_a_ratio_question() -> None:
    text = "对达标的卫生院每处给予5万元奖补，所需资金由白石市和青川县两级财政按照 3：7比例承担。奖补资金逐年拨付。"
    q = Query(
        text="卫生院奖补资金白石市和青川县两级财政按啥比例分担？",
        indicator="卫生院奖补资金白石市和青川县两级财政分担",
    )
    found = best_requirement(q, [hit(text, region="")])
    assert found is not None
    assert "3：7" in found[1]


def test_each_question_of_a_message_gets_its_own_sentence() -> None:
    text = (
        "强化白石市对口支援，每年全市驻村医生不少于80人；"
        "在青川县医院编制中设定6%—9%的巡诊岗位，服务期不低于3年，确保每个村卫生室至少有1名医师。"
    )
    q = Query(
        text="青川县医院编制里巡诊岗位设多少比例？每年全市驻村医生至少多少？",
        indicator="青川县医院编制里巡诊岗位设比例?每驻村医生至少",
    )
    answer = requirement_answer(q, [hit(text, region="")], cite)
    assert answer is not None
    quotes = [c.quote for c in answer.citations]
    assert len(quotes) == 2
    assert "6%—9%" in quotes[0]
    assert "不少于80人" in quotes[1]


def row_of(quote: str, indicator: str, value_text: str) -> Target:
    return Target(
        target_id="t1",
        doc_id="d1",
        region="青禾县",
        indicator=indicator,
        value=1,
        unit="名",
        value_text=value_text,
        comparator="≥",
        quote=quote,
    )


POSTING = (
    "在白石市医联体内，每个社区中心至少有2名主治医师驻点服务，原则上每周不少于3个工作日；"
    "在青川县医共体内，县医院对每个卫生院至少派驻1名骨干担任业务副院长，派驻周期不少于半年，"
    "派驻期间考核合格。"
)


def test_the_clauses_after_a_rows_own_that_go_on_about_it_are_further_requirements() -> None:
    row = row_of(POSTING, "县医院对每个卫生院至少派驻骨干担任业务副院长", "1名")
    assert other_requirements(row) == ["派驻周期不少于半年"]
    # A clause about another subject is no requirement of this row.
    area = row_of(
        "社区医院建筑面积不低于4000平米，乡镇卫生院建筑面积不低于3000平米。", "社区医院建筑面积", "不低于4000平米"
    )
    assert other_requirements(area) == []


def test_a_question_asking_what_is_required_gets_every_requirement_of_the_rows_clause_group() -> None:
    row = row_of(POSTING, "县医院对每个卫生院至少派驻骨干担任业务副院长", "1名")
    answer = Answer(
        question="",
        answer="县医院对每个卫生院至少派驻骨干担任业务副院长：**1名**[1]。",
        status="answered",
        citations=[Citation(n=1, doc_id="d1", title="青禾县方案", quote=POSTING)],
        targets=[row],
    )
    whole = with_whole_requirement("县医院派人当业务副院长有啥要求？", answer)
    assert "派驻周期不少于半年[1]" in whole.answer
    assert "每周不少于3个工作日" not in whole.answer  # another clause group
    # A question for one value is answered by the value alone.
    assert with_whole_requirement("县医院至少派驻几名骨干？", answer).answer == answer.answer


def test_a_question_for_a_number_of_people_takes_the_sentence_stating_people() -> None:
    text = "白石市全市下沉人员服务期不低于2年。青川县每年下沉人员不少于80人。"
    q = Query(text="每年全市下沉人员至少几名？", indicator="每年全市下沉人员至少")
    found = best_requirement(q, [hit(text, region="")])
    assert found is not None
    assert "不少于80人" in found[1]
    # A duration asked is answered by the duration.
    q = Query(text="全市下沉人员服务期至少几年？", indicator="全市下沉人员服务期至少")
    found = best_requirement(q, [hit(text, region="")])
    assert found is not None
    assert "不低于2年" in found[1]


def test_what_is_required_is_answered_by_a_sentence_setting_an_amount() -> None:
    assert states_requirement("派驻医师到村巡诊有啥要求？", "派驻医师原则上每月不少于5个工作日到村巡诊。")
    assert not states_requirement("派驻医师到村巡诊有啥要求？", "派驻医师要做好到村巡诊工作。")
    q = Query(text="派驻医师到村巡诊有什么要求？", indicator="派驻医师到村巡诊")
    found = best_requirement(q, [hit()])
    assert found is not None
    assert "5个工作日" in found[1]


def test_a_which_grade_question_needs_a_grade_in_the_sentence() -> None:
    assert states_requirement("年度考核拿到什么等级的村卫生室有补助？", "对年度考核获评 B 级及以上的村卫生室给予补助。")
    assert not states_requirement("评上几级的可以挂牌？", "评审通过的可以挂牌。")
    assert states_requirement("评上几级的可以挂牌？", "评为三级的可以挂牌。")
    assert not states_requirement("年度考核拿到什么等级的村卫生室有补助？", "对年度考核合格的村卫生室给予补助。")


def test_the_sentence_stating_the_grade_is_quoted() -> None:
    passage = "强化村卫生室考核。青川县对年度考核获评 B 级及以上村卫生室，给予一次性补助。考核结果向社会公开。"
    q = Query(text="年度考核拿到什么等级的村卫生室有补助？", indicator="年度考核拿到等级的村卫生室有补助")
    answer = requirement_answer(q, [hit(passage, "青川县")], cite)
    assert answer is not None
    assert "B 级及以上" in answer.citations[0].quote


def test_who_interprets_needs_a_sentence_naming_who_interprets() -> None:
    q = "青川县巡诊细则归哪个部门解释？"
    assert states_requirement(q, "本细则由青川县卫生健康局负责解释。")
    assert states_requirement(q, "本细则解释权归青川县卫生健康局。")
    # The action may stand before the who word too.
    assert states_requirement("青川县巡诊细则的解释权归谁？", "本细则由青川县卫生健康局负责解释。")
    assert not states_requirement("青川县巡诊细则的解释权归谁？", "本细则由青川县卫生健康局负责组织实施。")
    # An agent doing something else does not say who interprets.
    assert not states_requirement(q, "本细则由青川县卫生健康局负责组织实施。")


def test_who_sets_it_needs_a_sentence_where_someone_sets_or_agrees_it() -> None:
    for q in ("巡诊补助标准由谁定？", "巡诊补助标准谁来定？", "巡诊补助标准谁制定？"):
        assert states_requirement(q, "以上补助标准由县卫健局和县财政局会商确定。"), q
        assert not states_requirement(q, "巡诊补助由县财政承担。"), q
    # Who leads needs the lead agency; who is in charge takes one who leads or bears it too.
    assert states_requirement("巡诊规则由哪个部门牵头？", "县卫健局牵头制定巡诊规则。")
    assert not states_requirement("巡诊规则由哪个部门牵头？", "县卫健局负责巡诊车辆维护。")
    assert states_requirement("巡诊车辆维护谁负责？", "巡诊车辆维护由镇卫生院承担。")
    # A question naming no action still takes any agent.
    assert states_requirement("巡诊补助谁承担？", "巡诊补助由县财政承担。")


def test_a_sentence_naming_its_own_annex_is_read_with_the_annex_heading() -> None:
    text = "第二十条  本细则自印发之日起施行。本细则由青川县卫生健康局负责解释。"
    annex = SearchHit(
        chunk_id="c9",
        doc_id="d9",
        title="青川县巡诊工作高质量发展方案",
        region="青川县",
        section="附件 青川县乡村医生队伍建设细则 > 第五章 附则 > 第二十条 本细则自印发之日起施行",
        text=text,
        score=1.0,
    )
    q = Query(
        text="青川县乡村医生队伍建设细则归哪个部门解释？",
        regions=("青川县",),
        indicator="乡村医生队伍建设细则归部门解释",
    )
    answer = requirement_answer(q, [annex], cite)
    assert answer is not None
    assert [c.quote for c in answer.citations] == ["本细则由青川县卫生健康局负责解释。"]
    # The same sentence in a passage whose headings name no such 细则 is about the plan's title only.
    plain = annex.model_copy(update={"section": "五、组织实施"})
    assert requirement_answer(q, [plain], cite) is None


def test_two_clauses_asking_the_same_kind_get_one_sentence_each() -> None:
    text = "加强督导考核。本政策自印发之日起30日后施行。本政策试行三年，期满后评估。"
    h = hit(text).model_copy(update={"title": "青禾县巡诊工作提质方案（试行）"})
    q = Query(
        text="青禾县巡诊工作提质方案印发后多久开始施行，试行几年？",
        regions=("青禾县",),
        indicator="巡诊工作提质方案印发后开始施行,试行",
    )
    answer = requirement_answer(q, [h], cite)
    assert answer is not None
    assert [c.quote for c in answer.citations] == ["本政策自印发之日起30日后施行。", "本政策试行三年，期满后评估。"]


def test_a_condition_question_is_answered_by_the_sentence_stating_the_conditions() -> None:
    text = (
        "第九条  乡村医生待遇逐步提高，评聘中级职称时优先考虑。"
        "第十条  对在村卫生室连续工作满10年且近三年年度考核合格的乡村医生，评聘中级职称时，可将学历放宽至中专。"
    )
    q = Query(text="评中级职称放宽学历要满足什么条件？", indicator="评中级职称放宽学历要满足条件")
    answer = requirement_answer(q, [hit(text)], cite)
    assert answer is not None
    assert "连续工作满10年" in answer.citations[0].quote


def test_a_leaning_question_is_answered_in_the_plan_the_conversation_is_about() -> None:
    sentence = "对连续工作满10年的乡村医生，评聘中级职称时，可将学历放宽至中专。"
    ours = SearchHit(
        chunk_id="a", doc_id="d1", title="白石市乡村医生队伍细则", region="白石市", text=sentence, score=0.5
    )
    other = SearchHit(
        chunk_id="b", doc_id="d2", title="青川县乡村医生队伍细则", region="青川县", text=sentence, score=0.9
    )
    q = Query(
        text="那评中级职称放宽学历还有啥条件？",
        indicator="那评中级职称放宽学历还有条件",
        previous="白石市乡村医生干满几年可以定向评价？",
    )
    answer = requirement_answer(q, [other, ours], cite)
    assert answer is not None
    assert answer.citations[0].doc_id == "d1"
    # Without a leaning word, the search's order stands; so it does for an elliptical follow-up, whose
    # passages the answerer already sought in the conversation's plan.
    for kept in (replace(q, text="评中级职称放宽学历还有啥条件？"), replace(q, followup=True)):
        answer = requirement_answer(kept, [other, ours], cite)
        assert answer is not None and answer.citations[0].doc_id == "d2"


def test_a_condition_asked_with_which_or_in_what_case_asks_the_sentence_first() -> None:
    for text in (
        "申请青禾补助要具备哪些条件？",
        "什么情况下可以领取白石市岗位补贴？",
        "青川县乡医评职称需要满足什么条件？",
    ):
        assert asks_sentence_first(Query(text=text)), text
    # 放宽哪些条件 asks which are eased, not who qualifies; a target asks a number.
    for text in ("青川县公开招聘可以放宽哪些条件？", "青川县巡诊覆盖率要达到多少？"):
        assert not asks_sentence_first(Query(text=text)), text


def test_a_condition_questions_own_fillers_are_not_its_subject() -> None:
    q = Query(text="申请青禾补助要满足什么条件才能享受？", indicator="申请青禾补助要满足条件才能享受")
    words = subject_words(q)
    assert not {w for w in words if "条件" in w or "满足" in w or "才能" in w}
    assert any("补助" in w for w in words)
    # Asking no condition, the same words stay.
    assert any("条件" in w for w in subject_words(Query(text="放宽招聘条件有啥要求？", indicator="放宽招聘条件")))


def test_a_condition_stated_in_the_body_and_in_an_annex_quotes_both() -> None:
    body = SearchHit(
        chunk_id="a", doc_id="d1", title="白石市乡医方案", region="白石市", score=0.9,
        text="对长期在村服务、表现优秀的乡村医生，评聘中级职称时，可适当放宽学历要求。",
    )  # fmt: skip
    annex = SearchHit(
        chunk_id="b", doc_id="d1", title="白石市乡医方案", region="白石市", score=0.5,
        text="第十条  对在村卫生室连续工作满10年且近三年考核合格的乡村医生，评聘中级职称时，可将学历放宽至中专。",
    )  # fmt: skip
    q = Query(text="评中级职称要满足什么条件？", indicator="评中级职称要满足条件")
    answer = requirement_answer(q, [body, annex], cite)
    assert answer is not None
    assert [c.chunk_id for c in answer.citations] == ["a", "b"]
    # A question asking no condition keeps one sentence.
    q = Query(text="评中级职称学历可以放宽到什么程度？", indicator="评中级职称学历可以放宽到程度")
    answer = requirement_answer(q, [body, annex], cite)
    assert answer is None or len(answer.citations) == 1


def plan_hit(chunk_id: str, text: str) -> SearchHit:
    return SearchHit(
        chunk_id=chunk_id, doc_id="d1", title="青禾县巡诊服务方案（试行）", region="青禾县", text=text, score=0.0
    )


def test_a_question_about_one_plan_reads_all_its_passages_when_the_hits_miss_the_sentence() -> None:
    retrieved = [plan_hit("c1", "健全巡诊制度，提升巡诊质量。")]
    everything = [*retrieved, plan_hit("c9", "本方案自印发之日起20日后施行。本方案试行两年，期满后评估修订。")]
    q = Query(text="青禾县巡诊服务方案试行几年？", indicator="青禾县巡诊服务方案试行", regions=("青禾县",))
    assert requirement_answer(q, retrieved, cite) is None
    # Not one plan: the hits alone.
    assert requirement_answer(q, retrieved, cite, lambda _doc: everything, plans={"d1", "d2"}) is None
    answer = requirement_answer(q, retrieved, cite, lambda _doc: everything, plans={"d1"})
    assert answer is not None
    # Both sentences name the plan (本方案); the one saying 试行 itself is the answer.
    assert [c.quote for c in answer.citations] == ["本方案试行两年，期满后评估修订。"]


def test_the_plans_asked_are_those_named_else_those_of_the_regions_named() -> None:
    regions = {"d1": "青禾县", "d2": "白石市", "d3": "白石市"}
    assert asked_plans(Query(text="x", regions=("青禾县",)), None, regions) == {"d1"}
    assert asked_plans(Query(text="x", regions=("白石市",)), None, regions) == {"d2", "d3"}
    assert asked_plans(Query(text="x", regions=("青禾县",)), {"d3"}, regions) == {"d3"}
    assert asked_plans(Query(text="x"), None, regions) == set()


def test_a_plans_chunks_become_passages_in_its_order_without_table_rows() -> None:
    chunks = [
        Chunk(chunk_id="d1-0001", doc_id="d1", ord=1, text="本方案试行两年。", section="四、保障"),
        Chunk(chunk_id="d1-0002", doc_id="d1", ord=2, text="青禾县 10 20", kind="table_row"),
    ]
    hits = plan_passages(chunks, "青禾县巡诊服务方案", "qinghe.txt", "青禾县")
    assert [(h.chunk_id, h.title, h.region, h.section) for h in hits] == [
        ("d1-0001", "青禾县巡诊服务方案", "青禾县", "四、保障")
    ]


def test_a_what_target_question_is_answered_by_a_goal_in_words() -> None:
    # 提的啥目标: a goal written in words (实现基本均衡) answers; a sentence setting no goal does not.
    assert states_requirement("纲要对城乡晨练人口比提的啥目标？", "到2040年，城乡晨练人口比实现基本均衡。")
    assert states_requirement("晨练人口比的目标是什么？", "城乡晨练人口比趋于合理。")
    assert not states_requirement("纲要对城乡晨练人口比提的啥目标？", "继续开展城乡晨练人口比监测。")
    passage = "建立晨练监测机制。继续开展城乡晨练人口比监测。到2040年，城乡晨练人口比实现基本均衡。"
    q = Query(text="对城乡晨练人口比提的啥目标？", indicator="对城乡晨练人口比提")
    answer = requirement_answer(q, [hit(passage)], cite)
    assert answer is not None
    assert answer.citations[0].quote == "到2040年，城乡晨练人口比实现基本均衡。"


def test_a_which_ones_are_ruled_out_question_takes_the_sentence_listing_them_with_a_negation() -> None:
    q = "哪些费用不能算进巡诊补助范围？"
    assert states_requirement(q, "差旅、会议、培训等费用不得列入巡诊补助范围。")
    assert not states_requirement(q, "差旅、会议、培训等费用列入巡诊补助范围。")  # no negation
    assert not states_requirement(q, "巡诊补助不得挪作他用。")  # no list
    passage = "巡诊补助按季度拨付。差旅、会议、培训等费用不得列入巡诊补助范围。巡诊补助不得挪作他用。"
    query = Query(text=q, indicator="费用不能算进巡诊补助范围")
    answer = requirement_answer(query, [hit(passage)], cite)
    assert answer is not None
    assert answer.citations[0].quote == "差旅、会议、培训等费用不得列入巡诊补助范围。"


def test_a_goal_sentence_must_name_the_subject_itself() -> None:
    # The passage speaks of 晨练 elsewhere; a goal sentence sharing one word with the question does not answer.
    passage = "城乡晨练人口比逐年上升。到2040年，健康治理能力基本实现现代化。"
    q = Query(text="对城乡晨练人口比提的啥目标？", indicator="对城乡晨练人口比提")
    assert requirement_answer(q, [hit(passage)], cite) is None


def test_a_goal_sentence_must_hold_the_subjects_last_word() -> None:
    # 晨练人口规模: a goal about 晨练人口 of another measure (结构) does not state the 规模 asked.
    passage = "到2040年，城乡晨练人口结构趋于合理。"
    q = Query(text="对城乡晨练人口规模提的啥目标？", indicator="对城乡晨练人口规模提")
    assert requirement_answer(q, [hit(passage)], cite) is None
    q = Query(text="对城乡晨练人口结构提的啥目标？", indicator="对城乡晨练人口结构提")
    assert requirement_answer(q, [hit(passage)], cite) is not None


def test_a_condition_sentence_must_hold_the_subjects_head_word() -> None:
    text = (
        "对符合执业要求的人员可在青禾镇卫生院执业。"
        "青禾镇卫生院人员编制按服务人口核定，对连续工作满5年的人员，可优先纳入编制。"
    )
    q = Query(text="青禾镇卫生院编制要满足什么条件？", indicator="青禾镇卫生院编制要满足条件")
    found = best_requirement(q, [hit(text)])
    assert found is not None and "编制" in found[1]
    # Only the sentence without 编制 states a condition: nothing qualifies.
    assert best_requirement(q, [hit("对符合执业要求的人员可在青禾镇卫生院执业。")]) is None
    # The subject before the fillers, not the verb after them (才能享受), is the head.
    q = Query(text="申请青禾补助要满足什么条件才能享受？", indicator="申请青禾补助要满足条件才能享受")
    found = best_requirement(q, [hit("对连续工作满5年的人员，可申请青禾补助。")])
    assert found is not None


def test_naming_conditions_without_stating_them_is_no_condition() -> None:
    q = "白石市建社区医院要满足什么条件？"
    assert not states_requirement(q, "推动符合条件的乡镇卫生院建设社区医院。")
    assert states_requirement(q, "建设社区医院须具备床位30张以上。")
    query = Query(text=q, indicator="建社区医院要满足条件")
    assert best_requirement(query, [hit("合理规划布局，推动符合条件的乡镇卫生院建设社区医院。")]) is None


def test_when_does_it_start_is_answered_without_the_word_start() -> None:
    h = SearchHit(
        chunk_id="c1", doc_id="d1", title="白石市巡诊实施方案", region="白石市",
        text="第一条  加强巡诊。本方案自发布之日起30日后执行。", score=1.0,
    )
    q = Query(text="白石市方案什么时候开始执行？", indicator="开始执行", regions=["白石市"])
    found = best_requirement(q, [h])
    assert found is not None and "30日后执行" in found[1]


def test_a_plan_named_by_a_word_no_passage_holds_is_another_plan() -> None:
    h = SearchHit(
        chunk_id="c1", doc_id="d1", title="白石市巡诊实施方案", region="白石市",
        text="本方案自发布之日起30日后执行。", score=1.0,
    )
    q = Query(text="青禾方案什么时候开始执行？", indicator="青禾方案开始执行")
    assert plan_name_words(q) == {"青禾"}
    assert best_requirement(q, [h]) is None
    named = replace(q, text="巡诊方案什么时候开始执行？", indicator="巡诊方案开始执行")
    assert best_requirement(named, [h]) is not None


def test_a_question_about_the_plan_is_not_answered_by_its_annex_of_rules() -> None:
    annex = SearchHit(
        chunk_id="c2", doc_id="d1", title="白石市巡诊实施方案", region="白石市",
        section="附件 白石市巡诊管理细则", text="本细则自发布之日起10日后执行。", score=1.0,
    )
    body = annex.model_copy(update={"chunk_id": "c1", "section": "", "text": "本政策自发布之日起30日后执行。"})
    q = Query(text="白石市方案什么时候开始执行？", indicator="开始执行", regions=["白石市"])
    found = best_requirement(q, [annex, body])
    assert found is not None and "30日后" in found[1]
    q = Query(text="白石市细则什么时候开始执行？", indicator="开始执行", regions=["白石市"])
    found = best_requirement(q, [annex, body])
    assert found is not None and "10日后" in found[1]


def test_a_reference_standard_question_is_answered_by_the_sentence_naming_the_reference() -> None:
    q = "青川县那些服务人口少的卫生院，财政补助参照啥标准给？"
    assert states_requirement(q, "对服务人口少的卫生院，参照本县同级单位平均收入，由县财政给予补助。")
    assert states_requirement("补助按照什么标准发放？", "补助按照省定标准发放。")
    assert not states_requirement(q, "对服务人口少的卫生院，由县财政给予补助。")
    text = "加强卫生院建设。对服务人口少的卫生院，参照本县同级单位平均收入，由县财政给予补助。"
    query = Query(text=q, indicator="那些服务人口少的卫生院,财政补助参照标准给")
    found = best_requirement(query, [hit(text)])
    assert found is not None and "同级单位平均收入" in found[1]


def test_a_start_year_question_quotes_the_sentence_saying_from_when() -> None:
    text = "到2031年，巡诊覆盖率达到90%。健全巡诊推广体系，自 2030年起开展乡村巡诊全覆盖培训三年行动。"
    q = Query(text="乡村巡诊全覆盖培训哪年开始搞？", indicator="乡村巡诊全覆盖培训哪年开始搞")
    answer = requirement_answer(q, [hit(text)], cite)
    assert answer is not None
    assert [c.quote for c in answer.citations] == ["健全巡诊推广体系，自 2030年起开展乡村巡诊全覆盖培训三年行动。"]


def test_a_who_question_asks_the_action_after_its_who_word() -> None:
    assert asked_action("卫生院改扩建用地由哪个部门保障？") == ("保障",)
    assert asked_action("远程会诊中心由谁来成立？") == ("成立",)  # 来 leads to the action (who_verb_leads)
    assert asked_action("远程会诊中心由哪个部门牵头？") == ("牵头",)  # a listed action keeps its list
    assert asked_action("远程会诊中心归哪个部门？") is None


def test_a_who_question_is_answered_by_the_sentence_doing_the_action_not_another_tasks_lead() -> None:
    text = (
        "各部门须加强配合。县卫健局牵头制定卫生院设置规划，提升卫生院服务水平。"
        "县财政局加大投入。县自然资源分局须保障卫生院改扩建用地。"
    )
    q = Query(text="青禾卫生院的改扩建用地由哪个部门保障？", indicator="卫生院的改扩建用地由部门保障")
    found = best_requirement(q, [hit(text)])
    assert found is not None
    assert found[1] == "县自然资源分局须保障卫生院改扩建用地。"


SUBSIDIES = (
    "第八条  驻村医生按每人每年1万元给予补助，经考核后发放；"
    "乡村医生岗位补贴按每人每年3000元发放，两项补助均须在岗满一年方可享受。第九条  护士轮训每年一次。"
)


def test_a_clause_after_a_semicolon_is_read_with_the_clauses_before_it() -> None:
    leads = dict(sentences_with_leads(SUBSIDIES))
    second = "乡村医生岗位补贴按每人每年3000元发放，两项补助均须在岗满一年方可享受。"
    assert leads[second] == "第八条  驻村医生按每人每年1万元给予补助，经考核后发放；"
    # A full stop ends the lead: the next sentence stands alone.
    assert leads["第九条  护士轮训每年一次。"] == ""


def test_a_condition_clause_takes_its_subject_from_before_the_semicolon() -> None:
    # 驻村医生 stands only in the first clause; the conditions only in the second (两项补助均须…方可享受).
    q = Query(text="这个补助要满足啥条件才能拿？", indicator="驻村医生每人每年补助要满足条件才能拿", followup=True)
    found = best_requirement(q, [hit(SUBSIDIES)])
    assert found is not None
    assert found[1].startswith("第八条  驻村医生按每人每年1万元给予补助")
    assert found[1].endswith("两项补助均须在岗满一年方可享受。")
    # The second clause names its own subject: it is quoted alone.
    q = Query(text="乡村医生岗位补贴要满足什么条件才能享受？", indicator="乡村医生岗位补贴要满足条件才能享受")
    found = best_requirement(q, [hit(SUBSIDIES)])
    assert found is not None and found[1].startswith("乡村医生岗位补贴")
    # A subject neither clause names is not read into them.
    q = Query(text="护士补助要满足什么条件才能拿？", indicator="护士补助要满足条件才能拿")
    assert best_requirement(q, [hit(SUBSIDIES)]) is None


def test_a_quote_read_with_its_lead_marks_each_clause() -> None:
    # The answer's sentences are cut at semicolons: the lead's numbers (1万元) carry the citation too.
    q = Query(text="这个补助要满足啥条件才能拿？", indicator="驻村医生每人每年补助要满足条件才能拿", followup=True)
    answer = requirement_answer(q, [hit(SUBSIDIES)], cite)
    assert answer is not None
    assert "经考核后发放；[1]乡村医生岗位补贴" in answer.answer
    assert answer.answer.endswith("方可享受。[1]")
    assert marked_quote("甲；乙。", 2) == "甲；[2]乙。"
    assert marked_quote("甲，乙；", 1) == "甲，乙；"  # a clause's own end takes the marker after the quote


ARRANGEMENT_PASSAGE = (
    "开展白鹭湖流域水质监测项目。在水源保护方面，逐步扩大流域水质监测项目覆盖范围，"
    "省级财政新增资金优先用于上游山区开展工作。监测站点由县级环保部门负责维护。"
)


def test_an_arrangement_question_is_answered_by_the_sentence_naming_its_subject() -> None:
    # 有啥安排 asks no number: the sentence naming the subject (项目, 省级, 资金) answers whatever it states.
    q = Query(text="对流域水质监测项目的省级资金有啥安排？", indicator="对流域水质监测项目的省级资金有安排")
    found = best_requirement(q, [hit(ARRANGEMENT_PASSAGE)])
    assert found is not None
    assert "省级财政新增资金优先用于上游山区开展工作" in found[1]


def test_an_arrangement_question_needs_its_subjects_last_word_in_the_sentence() -> None:
    # 维护人员 is nowhere: the sentence about the stations' upkeep (维护) does not answer for the staff.
    q = Query(text="流域水质监测站点的维护人员有啥安排？", indicator="流域水质监测站点的维护人员有安排")
    assert best_requirement(q, [hit(ARRANGEMENT_PASSAGE)]) is None


def _section_hit(n: int, text: str, section: str = "") -> SearchHit:
    return SearchHit(
        chunk_id=f"g{n}", doc_id="g", title="青禾县人民政府关于推进健康青禾行动的实施意见", region="青禾县",
        section=section, text=text, score=0.0,
    )


GOAL_PLAN = [
    _section_hit(
        0,
        "青禾县人民政府\n关于推进健康青禾行动的实施意见\n各乡镇人民政府：\n为提高全民健康水平，根据《云岭省推进健康行动的"
        "实施意见》等文件精神，现就推进健康青禾行动提出如下实施意见。",
    ),
    _section_hit(
        1,
        "一、总体目标\n坚持预防为主。\n到2025年，健康促进政策体系基本建立，居民主要健康指标优于全市平均水平。",
        "一、总体目标",
    ),
    _section_hit(2, "到2030年，人均预期寿命达到79岁。", "一、总体目标"),
    _section_hit(3, "二、主要任务\n到2025年，建成健身步道20条。", "二、主要任务"),
]


@pytest.mark.parametrize(
    ("rest", "asks"),
    [
        ("提出到2025年要达到什么目标？", True),
        ("到2025年的目标是什么？", True),
        ("提出要达到什么目标？", False),  # no year
        ("到2025年健身步道要达到什么目标？", False),  # a subject of its own
        ("到2025年健身步道建成多少条？", False),  # no goal asked
    ],
)
def test_a_plan_goal_question_asks_a_year_and_names_no_subject(rest: str, asks: bool) -> None:
    assert asks_plan_goal(rest, ("2025",)) is asks


def test_a_plan_goal_is_the_sentence_under_its_goal_heading_holding_the_year() -> None:
    q = Query(text="《青禾行动实施意见》提出到2025年要达到什么目标？", years=("2025",), indicator="提出要达到目标")
    answer = plan_goal_answer(q, "提出到2025年要达到什么目标？", GOAL_PLAN, cite)
    assert answer is not None and answer.status == "answered"
    assert [c.chunk_id for c in answer.citations] == ["g1"]  # not the opening, not the tasks' 2025 sentence
    assert "居民主要健康指标优于全市平均水平" in answer.answer
    assert "人均预期寿命" not in answer.answer  # another year's goal


def test_without_a_goal_heading_the_sentences_opening_with_the_year_answer() -> None:
    plan = [GOAL_PLAN[0], _section_hit(3, "二、主要任务\n推进全民健身。到2025年，建成健身步道20条。", "二、主要任务")]
    found = plan_goal_sentences(plan, ("2025",))
    assert [(h.chunk_id, s) for h, s in found] == [("g3", "到2025年，建成健身步道20条。")]
    assert plan_goal_sentences([GOAL_PLAN[0]], ("2025",)) == []  # the opening states no goal


def test_a_goal_sentence_must_hold_the_base_of_the_rate_asked() -> None:
    # 每千常住人口注册（助理）药师数: a goal for the share of 注册（助理）药师 among 村医 is another measure,
    # sharing most of its words.
    passage = "到2027年，村医中具备注册（助理）药师资格的人员比例提高到60%以上。"
    q = Query(text="白鹭市对每千常住人口注册(助理)药师数定了啥目标？", indicator="对每千常住人口注册(助理)药师数")
    assert requirement_answer(q, [hit(passage)], cite) is None
    stated = "到2027年，每千常住人口注册（助理）药师数达到1.5人。"
    answer = requirement_answer(q, [hit(stated)], cite)
    assert answer is not None
    assert answer.citations[0].quote == stated

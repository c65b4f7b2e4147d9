"""Answers from a plan's structure on a made-up plan (assistant/structure_answers.py)."""

from __future__ import annotations

from assistant.structure_answers import StructureAnswerer, heading_core
from ingestion.schema import Chunk, DocumentMeta, DocumentRecord

PLAN = """青禾县乡村诊所提质行动方案
一、总体要求
到2026年，乡村诊所服务能力明显提升。
二、主要任务
（一）补齐诊所设施短板
改造一批诊所。
（二）充实诊所人员队伍
本方案所称“三联动”是指县乡村三级人员联动、设备联动、信息联动。
（三）完善诊所运行机制
健全绩效考核。
三、保障措施
（一）强化组织领导
（二）落实经费保障
"""

OTHER = """白石市健康促进规划
一、规划目标
全市健康促进工作以社区为主。
"""


def record(doc_id: str, title: str, region: str) -> DocumentRecord:
    return DocumentRecord(
        doc_id=doc_id, source=f"{doc_id}.txt", content_hash=doc_id, meta=DocumentMeta(title=title, region=region)
    )


def make() -> StructureAnswerer:
    docs = {"a": record("a", "青禾县乡村诊所提质行动方案", "青禾县"), "b": record("b", "白石市健康促进规划", "白石市")}
    texts = {"a": PLAN, "b": OTHER}
    return StructureAnswerer(docs, texts.__getitem__)


def test_heading_core_drops_numbering() -> None:
    assert heading_core("三、保障措施") == "保障措施"
    assert heading_core("第二章 战略主题") == "战略主题"
    assert heading_core("（一）强化组织领导") == "强化组织领导"


def test_tasks_are_the_headings_under_the_task_section_each_cited() -> None:
    answer = make().answer("青禾县诊所提质方案主要有哪些任务？", None)
    assert answer is not None
    assert answer.status == "answered"
    for heading in ("补齐诊所设施短板", "充实诊所人员队伍", "完善诊所运行机制"):
        assert heading in answer.answer
    assert [c.n for c in answer.citations] == [1, 2, 3]
    assert all(c.doc_id == "a" and c.quote in PLAN for c in answer.citations)
    assert "强化组织领导" not in answer.answer


def test_the_first_tasks_asked_are_the_first_headings_under_the_task_section() -> None:
    answer = make().answer("青禾县诊所提质方案主要任务前两项是哪几个？", None)
    assert answer is not None and answer.status == "answered"
    assert "补齐诊所设施短板" in answer.answer and "充实诊所人员队伍" in answer.answer
    assert "完善诊所运行机制" not in answer.answer and "排在最前面" in answer.answer
    assert [c.n for c in answer.citations] == [1, 2]
    assert all(c.quote in PLAN for c in answer.citations)
    # As many asked as listed: the whole list, under the plain lead.
    whole = make().answer("青禾县诊所提质方案主要任务前三项是哪几个？", None)
    assert whole is not None and "完善诊所运行机制" in whole.answer and "排在最前面" not in whole.answer


def test_safeguards_are_the_headings_under_the_safeguard_section() -> None:
    answer = make().answer("青禾县方案有哪些保障措施？", None)
    assert answer is not None
    assert "强化组织领导" in answer.answer and "落实经费保障" in answer.answer
    assert "补齐诊所设施短板" not in answer.answer


def test_tasks_without_a_named_plan_are_left_to_the_other_paths() -> None:
    assert make().answer("主要有哪些任务？", None) is None


def test_meaning_quotes_the_defining_sentence() -> None:
    answer = make().answer("“三联动”是什么意思？", None)
    assert answer is not None
    assert answer.status == "answered"
    assert "县乡村三级人员联动" in answer.answer
    assert answer.citations[0].quote in PLAN


def test_meaning_without_a_definition_says_so() -> None:
    answer = make().answer("“健康促进”是什么意思？", None)
    assert answer is not None
    assert answer.status == "not_found"
    assert "健康促进" in answer.answer
    assert not answer.citations


def test_allowed_documents_restrict_the_answer() -> None:
    assert make().answer("青禾县诊所提质方案主要有哪些任务？", {"b"}) is None


def test_a_topic_question_is_not_a_plan_tasks_question() -> None:
    assert make().answer("青禾县诊所设施有哪些任务？", None) is None


def test_a_meaning_question_reads_only_the_plans_holding_the_term() -> None:
    # With a catalogue lookup, plans whose text lacks the term are never read (a large library stays fast).
    docs = {"a": record("a", "青禾县乡村诊所提质行动方案", "青禾县"), "b": record("b", "白石市健康促进规划", "白石市")}
    texts = {"a": PLAN, "b": OTHER}
    read: list[str] = []

    def text_of(doc_id: str) -> str:
        read.append(doc_id)
        return texts[doc_id]

    def holding(term: str) -> set[str]:
        return {d for d, t in texts.items() if term in t}

    answer = StructureAnswerer(docs, text_of, docs_containing=holding).answer("“三联动”是什么意思？", None)
    assert answer is not None and answer.status == "answered"
    assert "县乡村三级人员联动" in answer.answer
    assert "b" not in read


def test_citations_carry_the_page_and_ocr_of_the_chunk_holding_the_quote() -> None:
    start = PLAN.index("本方案所称")
    chunks = [
        Chunk(chunk_id="a-1", doc_id="a", ord=0, text=PLAN[:start], start=0, end=start, page=1),
        Chunk(
            chunk_id="a-2", doc_id="a", ord=1, text=PLAN[start:], start=start, end=len(PLAN), page=3,
            ocr=True, ocr_confidence=0.8,
        ),
    ]
    docs = {"a": record("a", "青禾县乡村诊所提质行动方案", "青禾县")}
    answerer = StructureAnswerer(docs, {"a": PLAN}.__getitem__, chunks_of=lambda d: chunks if d == "a" else [])
    answer = answerer.answer("“三联动”是什么意思？", None)
    assert answer is not None and answer.citations
    cited = answer.citations[0]
    assert (cited.page, cited.ocr, cited.ocr_confidence, cited.chunk_id) == (3, True, 0.8, "a-2")
    tasks = answerer.answer("青禾县诊所提质方案主要有哪些任务？", None)
    assert tasks is not None
    assert [c.page for c in tasks.citations] == [1, 1, 3]  # the third heading follows the split


def test_a_colloquial_meaning_question_finds_the_definition() -> None:
    answer = make().answer("青禾县方案里说的“三联动”是啥意思？", None)
    assert answer is not None
    assert answer.status == "answered"
    assert "县乡村三级人员联动" in answer.answer


LONG_PLAN = """白石市全民健康规划纲要
第一章 指导思想
推进健康白石建设，坚持以居民健康为中心，以改善社区服务、加强慢病管理、建设健康环境为重点。
主要遵循以下原则：
——预防优先。把预防摆在首位，减少疾病发生。
——城乡均衡。缩小城乡差距。
——开放协同。引导社会力量参与。
第二章 发展目标
到2035年实现以下目标：
——居民健康水平明显提升。人均预期寿命达到80岁。
——健康服务体系更加完善。
第三章 改善社区服务
第一节 建设社区医院
社区医院至少开设全科、内科、中医科、康复科，鼓励开设口腔科。
第二节 推进限盐减油
全面开展限盐宣传。推广低盐食品，到2035年人均每日食盐摄入量降低到5克。餐饮单位提供低盐菜品。
白石市“两减”（减少食盐摄入、减少食用油摄入）工作由市卫健委牵头。
"""


def make_long() -> StructureAnswerer:
    docs = {
        "c": record("c", "白石市全民健康规划纲要", "白石市"),
        "a": record("a", "青禾县乡村诊所提质行动方案", "青禾县"),
    }
    texts = {"c": LONG_PLAN, "a": PLAN}
    return StructureAnswerer(docs, texts.__getitem__)


def test_a_list_introduced_by_a_line_is_answered_item_by_item() -> None:
    answer = make_long().answer("推进健康白石建设要遵循哪几条原则？", None)
    assert answer is not None and answer.status == "answered"
    for lead in ("预防优先", "城乡均衡", "开放协同"):
        assert lead in answer.answer
    assert [c.n for c in answer.citations] == [1, 2, 3]
    assert all(c.quote in LONG_PLAN and c.section == "第一章 指导思想" for c in answer.citations)
    assert "居民健康水平明显提升" not in answer.answer


def test_the_noun_before_the_which_word_finds_its_list() -> None:
    answer = make_long().answer("白石规划纲要2035年的目标有哪几条？", None)
    assert answer is not None
    assert "居民健康水平明显提升" in answer.answer and "健康服务体系更加完善" in answer.answer
    assert "预防优先" not in answer.answer


def test_an_enumeration_of_the_asked_noun_answers_with_its_sentence() -> None:
    answer = make_long().answer("社区医院最少得开哪些科？", None)
    assert answer is not None
    assert "全科、内科、中医科、康复科" in answer.answer
    assert answer.citations[0].quote in LONG_PLAN


def test_a_counted_question_finds_the_enumeration_of_that_many() -> None:
    answer = make_long().answer("两减工作是哪两个减少？", None)
    assert answer is not None
    assert "减少食盐摄入、减少食用油摄入" in answer.answer


def test_the_question_frame_finds_an_enumeration_of_generic_items() -> None:
    answer = make_long().answer("健康白石建设以哪几方面为重点？", None)
    assert answer is not None
    assert "改善社区服务、加强慢病管理、建设健康环境" in answer.answer


def test_a_list_question_the_plans_do_not_answer_is_left_to_the_other_paths() -> None:
    assert make_long().answer("白石规划纲要有哪几条红线？", None) is None


def test_a_topic_question_quotes_the_section_on_the_topic() -> None:
    answer = make_long().answer("白石规划纲要在限盐上有什么要求？", None)
    assert answer is not None and answer.status == "answered"
    assert "推广低盐食品" in answer.answer
    assert answer.citations[0].section.endswith("第二节 推进限盐减油")
    assert answer.citations[0].quote in LONG_PLAN
    assert make_long().answer("白石规划纲要在控烟上有什么要求？", None) is None


def test_every_sentence_of_a_quote_carries_its_marker() -> None:
    from assistant.structure_answers import marked

    assert marked("推广低盐食品，到2035年降低到5\n\n克。餐饮单位提供低盐菜品。", 2) == (
        "推广低盐食品，到2035年降低到5克。[2]餐饮单位提供低盐菜品。[2]"
    )
    assert marked("第一行：\n第二行", 1) == "第一行：[1]第二行[1]"


def test_a_named_plan_needs_no_other_words_for_its_list() -> None:
    answer = make_long().answer("白石市全民健康规划纲要的基本原则有哪些？", None)
    assert answer is not None and "预防优先" in answer.answer
    goals = make_long().answer("白石规划纲要提出了哪些发展目标？", None)  # the noun is the list's heading
    assert goals is not None and "健康服务体系更加完善" in goals.answer


def test_a_list_not_in_the_plan_its_words_name_is_looked_for_in_the_plans_holding_it() -> None:
    docs = {
        "c": record("c", "白石市全民健康规划纲要", "白石市"),
        "h": record("h", "青禾县社区医院建设方案", "青禾县"),
    }
    texts = {"c": LONG_PLAN, "h": "青禾县社区医院建设方案\n一、目标\n建成社区医院3所。\n"}
    answer = StructureAnswerer(docs, texts.__getitem__).answer("社区医院最少得开哪些科？", None)
    assert answer is not None
    assert answer.citations[0].doc_id == "c"


def test_a_topic_heading_with_its_body_on_the_same_line() -> None:
    plan = (
        "白石市社区服务方案\n一、主要任务\n1.推进家庭医生签约。扩大签约覆盖面，签约服务费按人头拨付。\n"
        "2.加强培训。每年轮训一次。\n"
    )
    docs = {"s": record("s", "白石市社区服务方案", "白石市")}
    answer = StructureAnswerer(docs, {"s": plan}.__getitem__).answer("白石市方案在家庭医生签约方面有什么要求？", None)
    assert answer is not None
    assert "扩大签约覆盖面" in answer.answer and "每年轮训" not in answer.answer
    assert answer.citations[0].quote in plan


def test_an_enumeration_in_a_long_sentence_is_quoted_by_its_clause() -> None:
    sentence = (
        "推进健康青川建设，必须坚持以居民为中心的发展思想，牢固树立大卫生、大健康理念，持续深化医药卫生体制改革，"
        "以提高居民健康水平为核心，以改善社区服务、加强慢病管理、建设健康环境为重点，加快转变健康领域发展方式，"
        "全方位、全周期维护和保障居民健康，为建设现代化青川提供坚实健康基础。"
    )
    plan = f"青川县健康规划\n第一章 指导思想\n{sentence}\n"
    docs = {"q": record("q", "青川县健康规划", "青川县")}
    answer = StructureAnswerer(docs, {"q": plan}.__getitem__).answer("健康青川建设以哪几方面为重点？", None)
    assert answer is not None
    quote = answer.citations[0].quote
    assert quote == "以改善社区服务、加强慢病管理、建设健康环境为重点"
    assert quote in plan and "加快转变" not in answer.answer


COUNTED_PLAN = """白石市社区卫生提质方案
为补齐社区卫生短板，结合我市实际，制定社区卫生“双达标”（达标社区卫生服务中心设施配置、达标社区卫生服务站人员配备）工作方案。
一、指导思想
坚持以居民健康为中心，聚焦老龄化和慢病防治，把更多的人力、财力、物力投向社区，提升服务能力，全面实施“固本”“强链”“登高”三项行动，不断夯实社区卫生服务的基础，确保居民就近享有满意的基本医疗卫生服务。
二、重点任务
（一）补齐社区设施短板
（二）充实社区人员队伍
三、保障措施
"""


def make_counted() -> StructureAnswerer:
    docs = {
        "w": record("w", "白石市社区卫生提质方案", "白石市"),
        "a": record("a", "青禾县乡村诊所提质行动方案", "青禾县"),
    }
    return StructureAnswerer(docs, {"w": COUNTED_PLAN, "a": PLAN}.__getitem__)


def test_a_quoted_counted_term_is_answered_by_the_quoted_items_before_it() -> None:
    answer = make_counted().answer("白石市方案里提到的“三项行动”是哪三项？", None)
    assert answer is not None and answer.status == "answered"
    quote = answer.citations[0].quote
    assert quote == "全面实施“固本”“强链”“登高”三项行动"
    assert quote in COUNTED_PLAN and "聚焦老龄化" not in answer.answer


def test_a_quoted_term_is_answered_by_the_gloss_of_that_many_items_after_it() -> None:
    answer = make_counted().answer("“双达标”到底是达标哪两个方面？", None)
    assert answer is not None and answer.status == "answered"
    assert "达标社区卫生服务中心设施配置、达标社区卫生服务站人员配备" in answer.answer
    assert answer.citations[0].quote in COUNTED_PLAN


def test_a_quoted_term_with_another_count_of_items_is_left_to_the_other_paths() -> None:
    assert make_counted().answer("“三项行动”是哪两项？", None) is None


def test_tasks_asked_as_how_many_big_parts() -> None:
    answer = make_counted().answer("白石市提质方案的重点任务分几大块？", None)
    assert answer is not None
    assert "补齐社区设施短板" in answer.answer and "充实社区人员队伍" in answer.answer


REPEATED_PLAN = """青川县卫生健康改革方案
一、总体要求
统筹“县级、乡级、村级”，优化服务网络，推动资源下沉。统筹“预防、治疗、康复”，推进服务连续。统筹投入和监管，推进制度创新。
到2027年，服务网络基本健全。
二、基本原则
坚持人民至上，坚持预防为主，坚持改革创新，努力建设健康青川。
三、主要任务
统筹安排资金。
"""


def make_repeated() -> StructureAnswerer:
    docs = {
        "r": record("r", "青川县卫生健康改革方案", "青川县"),
        "a": record("a", "青禾县乡村诊所提质行动方案", "青禾县"),
    }
    return StructureAnswerer(docs, {"r": REPEATED_PLAN, "a": PLAN}.__getitem__)


def test_a_repeated_head_word_lists_each_parallel_sentence_cited() -> None:
    answer = make_repeated().answer("青川县改革方案提的几个“统筹”都是统筹啥？", None)
    assert answer is not None and answer.status == "answered"
    quotes = [c.quote for c in answer.citations]
    assert quotes == [
        "统筹“县级、乡级、村级”，优化服务网络，推动资源下沉。",
        "统筹“预防、治疗、康复”，推进服务连续。",
        "统筹投入和监管，推进制度创新。",
    ]
    assert [c.n for c in answer.citations] == [1, 2, 3]
    assert all(q in REPEATED_PLAN for q in quotes)
    assert "统筹安排资金" not in answer.answer  # a head in another paragraph is not one of them
    assert "服务网络基本健全" not in answer.answer


def test_parallel_clauses_in_one_sentence_are_cut_at_their_commas() -> None:
    answer = make_repeated().answer("青川县方案的三个“坚持”是什么？", None)
    assert answer is not None
    assert [c.quote for c in answer.citations] == ["坚持人民至上", "坚持预防为主", "坚持改革创新"]


def test_a_count_keeps_the_quoted_heads_when_the_plan_writes_more() -> None:
    answer = make_repeated().answer("青川县方案的两个“统筹”是什么？", None)
    assert answer is not None
    assert len(answer.citations) == 2 and "统筹投入和监管" not in answer.answer
    assert make_repeated().answer("青川县方案的五个“坚持”是什么？", None) is None


def test_a_word_heading_no_parallel_clauses_is_left_to_the_other_paths() -> None:
    assert make_repeated().answer("青禾方案的几个“改造”都是什么？", None) is None


PARTS_PLAN = """白石市社区卫生“双达标”工程实施方案
为补齐社区卫生短板，制定社区卫生“双达标”（达标社区卫生服务中心设施配置、达标社区卫生服务站人员配备）工程实施方案。
一、主要任务
（一）完善签约服务
推进家庭医生签约，落实签约居民在挂号、转诊、用药等方面的优先政策。
在人员招聘、收入分配、职称评聘等方面，赋予社区卫生服务中心更多自主权，推动资源下沉。
加强对社区卫生服务站设备和药品两个方面统一管理。
"""


def make_parts() -> StructureAnswerer:
    docs = {
        "p": record("p", "白石市社区卫生“双达标”工程实施方案", "白石市"),
        "a": record("a", "青禾县乡村诊所提质行动方案", "青禾县"),
    }
    return StructureAnswerer(docs, {"p": PARTS_PLAN, "a": PLAN}.__getitem__)


def test_a_generic_parts_question_is_answered_by_the_gloss_after_its_subject() -> None:
    answer = make_parts().answer("双达标工程包括哪两个方面？", None)
    assert answer is not None and answer.status == "answered"
    assert "达标社区卫生服务中心设施配置、达标社区卫生服务站人员配备" in answer.answer
    assert answer.citations[0].quote in PARTS_PLAN
    assert make_parts().answer("双达标工程包括哪三个方面？", None) is None  # the plan states two


def test_a_generic_parts_question_is_answered_by_the_enumeration_its_noun_closes() -> None:
    answer = make_parts().answer("签约居民的优先政策体现在哪些方面？", None)
    assert answer is not None
    assert answer.citations[0].quote == "推进家庭医生签约，落实签约居民在挂号、转诊、用药等方面的优先政策。"
    assert "自主权" not in answer.answer


def test_the_subject_in_the_next_clause_of_the_enumeration() -> None:
    answer = make_parts().answer("赋予社区卫生服务中心的自主权包括哪几个方面？", None)
    assert answer is not None
    quote = answer.citations[0].quote
    assert "人员招聘、收入分配、职称评聘" in quote and "赋予社区卫生服务中心更多自主权" in quote
    assert quote in PARTS_PLAN and "加强对社区卫生服务站" not in quote


def test_a_stated_count_must_agree_with_the_count_asked() -> None:
    answer = make_parts().answer("社区卫生服务站统一管理包括哪两个方面？", None)
    assert answer is not None and "设备和药品两个方面" in answer.answer
    assert make_parts().answer("社区卫生服务站统一管理包括哪三个方面？", None) is None


def test_a_generic_parts_question_naming_only_a_plan_is_left_to_the_other_paths() -> None:
    assert make_parts().answer("青禾县乡村诊所提质行动方案包括哪几个方面？", None) is None
    assert make_parts().answer("白石市的健身步道包括哪几个方面？", None) is None  # no plan states them


TOPIC_PLAN = """青川县基层卫生提升方案
一、主要任务
（一）完善服务网络
推进远程会诊，建设县级远程会诊中心，远程会诊覆盖全部乡镇卫生院。加强村卫生室建设。
（二）加强人员队伍
每年招录定向医学生20人。鼓励开展远程会诊培训。
二、保障措施
（一）加强组织领导
"""


def make_topic() -> StructureAnswerer:
    docs = {
        "t": record("t", "青川县基层卫生提升方案", "青川县"),
        "c": record("c", "白石市全民健康规划纲要", "白石市"),
    }
    return StructureAnswerer(docs, {"t": TOPIC_PLAN, "c": LONG_PLAN}.__getitem__)


def test_a_topic_no_heading_names_is_answered_by_the_sentences_holding_it() -> None:
    assert make_topic().answer("青川县方案在远程会诊方面有什么要求？", None) is None  # after the target table
    answer = make_topic().topic_sentences("青川县方案在远程会诊方面有什么要求？", None)
    assert answer is not None and answer.status == "answered"
    quotes = [c.quote for c in answer.citations]
    assert quotes == ["推进远程会诊，建设县级远程会诊中心，远程会诊覆盖全部乡镇卫生院。", "鼓励开展远程会诊培训。"]
    assert [c.n for c in answer.citations] == [1, 2]
    assert all(q in TOPIC_PLAN for q in quotes) and "加强村卫生室建设" not in answer.answer


def test_a_topic_heading_still_answers_before_sentences() -> None:
    answer = make_topic().answer("白石规划纲要在限盐上有什么要求？", None)
    assert answer is not None and answer.citations[0].section.endswith("第二节 推进限盐减油")


def test_a_topic_no_plan_states_is_left_to_the_other_paths() -> None:
    assert make_topic().topic_sentences("青川县方案在控烟上有什么要求？", None) is None
    assert make_topic().topic_sentences("青川县方案的远程会诊中心建几个？", None) is None  # no topic question


def test_a_topic_without_a_lead_word_after_a_named_plan() -> None:
    answer = make_topic().topic_sentences("青川县方案里远程会诊方面怎么要求？", None)
    assert answer is not None and "建设县级远程会诊中心" in answer.answer


ORDINAL_PLAN = """青川县健康驿站建设方案
一、建设内容
健康驿站建设主要抓好两件事：一是配齐自助体检设备；二是培训驿站健康指导员。
二、工作任务
（一）建设社区健康驿站
（二）培育健康指导队伍
（三）开展健康知识宣传
三、保障措施
"""


def make_ordinal() -> StructureAnswerer:
    docs = {
        "o": record("o", "青川县健康驿站建设方案", "青川县"),
        "c": record("c", "白石市全民健康规划纲要", "白石市"),
    }
    return StructureAnswerer(docs, {"o": ORDINAL_PLAN, "c": LONG_PLAN}.__getitem__)


def test_parts_written_one_is_two_is_are_listed_each_cited() -> None:
    answer = make_ordinal().answer("健康驿站建设包括哪两个方面？", None)
    assert answer is not None and answer.status == "answered"
    assert [c.quote for c in answer.citations] == ["一是配齐自助体检设备；", "二是培训驿站健康指导员。"]
    assert make_ordinal().answer("健康驿站建设包括哪三个方面？", None) is None


def test_parts_as_the_sub_headings_of_a_heading_the_question_names() -> None:
    answer = make_ordinal().answer("青川县驿站方案的工作任务包括哪三个方面？", None)
    assert answer is not None
    quotes = [c.quote for c in answer.citations]
    assert quotes == ["（一）建设社区健康驿站", "（二）培育健康指导队伍", "（三）开展健康知识宣传"]


def test_parallel_heads_on_numbered_item_lines_and_after_ordinals() -> None:
    from assistant.structure_answers import parallel_heads

    lines = (
        "二、基本原则\n（一）坚持人民至上。把居民健康放在首位。\n（二）坚持预防为主。加强疾病预防。\n"
        "（三）坚持改革创新。\n"
    )
    assert [[lines[a:b] for a, b in g] for g in parallel_heads(lines, "坚持")] == [
        ["坚持人民至上。", "坚持预防为主。", "坚持改革创新。"]
    ]
    ordinals = "基本原则：一是坚持人民至上；二是坚持预防为主；三是坚持改革创新。"
    assert [[ordinals[a:b] for a, b in g] for g in parallel_heads(ordinals, "坚持")] == [
        ["坚持人民至上", "坚持预防为主", "坚持改革创新。"]
    ]
    assert parallel_heads("坚持人民至上。加强预防。\n\n另起一段，坚持改革创新。", "坚持") == []


def test_parts_of_another_subject_in_the_sentence_do_not_answer() -> None:
    # The sentence names 社区卫生服务中心 but its parts are those of 自主权, not of 建设.
    assert make_parts().answer("社区卫生服务中心建设包括哪几个方面？", None) is None


def test_a_plan_and_a_word_it_repeats_before_which_parts() -> None:
    answer = make_repeated().answer("青川县卫生健康改革方案统筹哪几个方面？", None)
    assert answer is not None
    assert [c.quote[:6] for c in answer.citations] == ["统筹“县级、", "统筹“预防、", "统筹投入和监"]


ANNEX_PLAN = """青禾县村医队伍提质方案
一、工作目标
到2026年，村医队伍基本稳定。
二、主要任务
（一）充实村医队伍
每年招聘一批村医。
（二）提高村医待遇
落实村医补助。
附件
青禾县村医队伍管理办法
第一章 总则
第一条 为加强村医队伍管理，制定本办法。
第二章 人员招聘
第二条 村医由县卫生健康局统一招聘。
第三章 待遇保障
第三条 村医补助按月发放。
"""

OUTLINE_PLAN = """白石市健康发展规划纲要
第一篇 总体战略
第一章 指导思想
坚持健康优先。
第二篇 发展健康服务
第二章 优化办医格局
鼓励社会办医。
第三章 发展健康新业态
发展智慧健康服务。
第四章 促进医药产业
加强医药技术创新。
第三篇 强化组织实施
第五章 加强组织领导
各级政府要加强领导。
"""


def outline_answerer() -> StructureAnswerer:
    docs = {
        "v": record("v", "青禾县村医队伍提质方案", "青禾县"),
        "g": record("g", "白石市健康发展规划纲要", "白石市"),
    }
    return StructureAnswerer(docs, {"v": ANNEX_PLAN, "g": OUTLINE_PLAN}.__getitem__)


def test_the_chapters_of_an_annex_the_question_names_are_listed_each_cited() -> None:
    answer = outline_answerer().answer("青禾村医队伍管理办法分了哪几章？", None)
    assert answer is not None and answer.status == "answered"
    for chapter in ("总则", "人员招聘", "待遇保障"):
        assert chapter in answer.answer
    assert "充实村医队伍" not in answer.answer
    assert [c.n for c in answer.citations] == [1, 2, 3]
    assert all(c.doc_id == "v" and c.quote in ANNEX_PLAN for c in answer.citations)


def test_the_chapters_under_a_part_the_question_names() -> None:
    answer = outline_answerer().answer("纲要里发展健康服务那一篇包括哪几章？", None)
    assert answer is not None and answer.status == "answered"
    for chapter in ("优化办医格局", "发展健康新业态", "促进医药产业"):
        assert chapter in answer.answer
    assert "加强组织领导" not in answer.answer and "指导思想" not in answer.answer
    assert "分为以下各章" in answer.answer and "3章" not in answer.answer  # no count the headings do not state


def test_an_outline_question_naming_no_heading_is_left_to_the_other_paths() -> None:
    assert outline_answerer().answer("纲要里远程医疗那一篇包括哪几章？", None) is None


COUNTED_ITEMS_PLAN = """青川县基层卫生提升方案
一、主要任务
到2025年，全县3家卫生院1达到推荐标准。推进石门、安乐、清溪等3个试点乡镇建设。
1 3家卫生院为石门、安乐 2家乡镇卫生院和城关街道社区卫生服务中心。
二、保障措施
全县2家分院为东坪分院。
"""


def counted_items_answerer() -> StructureAnswerer:
    docs = {"q": record("q", "青川县基层卫生提升方案", "青川县")}
    return StructureAnswerer(docs, {"q": COUNTED_ITEMS_PLAN}.__getitem__)


def test_the_n_things_a_plan_counts_are_the_n_items_listed_after_them() -> None:
    answer = counted_items_answerer().answer("青川方案说的3家卫生院具体是哪几家？", None)
    assert answer is not None and answer.status == "answered"
    assert "石门、安乐、城关街道社区卫生服务中心" in answer.answer
    assert answer.citations[0].quote.startswith("3家卫生院为石门")
    assert answer.citations[0].quote in COUNTED_ITEMS_PLAN


def test_the_items_listed_before_the_counted_things_lose_the_clause_verb() -> None:
    answer = counted_items_answerer().answer("3个试点乡镇都是哪几个？", None)
    assert answer is not None and answer.status == "answered"
    assert "是：石门、安乐、清溪" in answer.answer


def test_a_list_of_another_count_does_not_answer() -> None:
    # 2家分院 is followed by one name only: the count must agree, so no counted-items answer.
    answer = counted_items_answerer().answer("青川方案说的2家分院是哪几家？", None)
    assert answer is None or "所说的" not in answer.answer


CITY_A_PLAN = """白石市社区卫生提升方案
一、主要任务
（一）加强社区医院建设
每个区至少建成1家社区医院。全市3家示范社区医院为东城、西城、南城社区医院。
"""

CITY_B_PLAN = """青川市基层卫生能力方案
一、主要任务
（一）提升乡镇卫生院能力
乡镇卫生院开设全科门诊。学习借鉴白石市经验。推进社区医院试点。
附件
县区 卫生院数
安河县 12
"""


def region_answerer() -> StructureAnswerer:
    docs = {
        "a": record("a", "白石市社区卫生提升方案", "白石市"),
        "b": record("b", "青川市基层卫生能力方案", "青川市"),
    }
    texts = {"a": CITY_A_PLAN, "b": CITY_B_PLAN}
    row_at = CITY_B_PLAN.index("安河县")
    chunks = {
        "a": [Chunk(chunk_id="a:0", doc_id="a", ord=0, text=CITY_A_PLAN, start=0, end=len(CITY_A_PLAN))],
        "b": [
            Chunk(chunk_id="b:0", doc_id="b", ord=0, text=CITY_B_PLAN[:row_at], start=0, end=row_at),
            Chunk(
                chunk_id="b:1",
                doc_id="b",
                ord=1,
                text="县区：安河县｜卫生院数：12",
                kind="table_row",
                start=row_at,
                end=len(CITY_B_PLAN),
            ),
        ],
    }
    return StructureAnswerer(docs, texts.__getitem__, chunks_of=chunks.__getitem__)


def test_a_topic_of_the_named_region_is_answered_from_its_own_plan() -> None:
    answer = region_answerer().answer("白石市在社区医院建设方面有什么要求？", None)
    assert answer is not None and answer.status == "answered"
    assert all(c.doc_id == "a" for c in answer.citations)


def test_a_region_only_another_citys_plan_speaks_of_says_so() -> None:
    answerer = region_answerer()
    question = "安河县在社区医院建设方面有什么要求？"
    answer = answerer.answer(question, None)
    assert answer is not None and answer.status == "not_found"
    assert "安河县" in answer.answer and not answer.citations
    assert answerer.topic_sentences(question, None) is None  # another region's sentences do not answer either


def test_a_plan_whose_tables_name_the_region_covers_it() -> None:
    answer = region_answerer().topic_sentences("安河县在乡镇卫生院方面有什么要求？", None)
    assert answer is not None and answer.status == "answered"
    assert all(c.doc_id == "b" for c in answer.citations)


def test_a_plan_naming_the_region_only_in_its_prose_does_not_cover_it() -> None:
    # 青川市's plan names 白石市 in a sentence, not in a table: it says nothing for 白石市.
    answer = region_answerer().answer("白石市在乡镇卫生院方面有什么要求？", None)
    assert answer is not None and answer.status == "not_found" and "白石市" in answer.answer
    assert region_answerer().topic_sentences("白石市在乡镇卫生院方面有什么要求？", None) is None


def test_a_topic_the_regions_plan_names_in_sentences_is_left_to_its_rows_then_its_sentences() -> None:
    # 白石市's plan has a heading on 社区医院, 青川市's (covering 安河县) only a sentence: that sentence answers.
    answerer = region_answerer()
    assert answerer.answer("安河县在社区医院方面有什么要求？", None) is None
    answer = answerer.topic_sentences("安河县在社区医院方面有什么要求？", None)
    assert answer is not None and answer.status == "answered"
    assert [c.doc_id for c in answer.citations] == ["b"] and "社区医院试点" in answer.citations[0].quote


def test_counted_items_of_another_region_are_not_passed_off() -> None:
    answerer = region_answerer()
    own = answerer.answer("白石市说的3家示范社区医院是哪几家？", None)
    assert own is not None and own.status == "answered" and "东城、西城、南城社区医院" in own.answer
    other = answerer.answer("青川市说的3家示范社区医院是哪几家？", None)
    assert other is not None and other.status == "not_found"
    assert "青川市" in other.answer and "东城" not in other.answer


def test_a_part_named_by_its_number_lists_its_chapters() -> None:
    answer = outline_answerer().answer("白石纲要第二篇包括哪几章？", None)
    assert answer is not None and answer.status == "answered"
    quotes = [c.quote for c in answer.citations]
    assert quotes == ["第二章 优化办医格局", "第三章 发展健康新业态", "第四章 促进医药产业"]


def test_a_plan_named_alone_lists_its_own_top_parts() -> None:
    answer = outline_answerer().answer("白石市健康发展规划纲要一共分为哪几篇？", None)
    assert answer is not None and answer.status == "answered"
    assert [c.quote[:3] for c in answer.citations] == ["第一篇", "第二篇", "第三篇"]
    assert "分为以下各篇" in answer.answer
    # The plan's chapters are no top part: 章 under the 篇 are not listed as the plan's divisions.
    assert outline_answerer().answer("白石市健康发展规划纲要分为哪几章？", None) is None


def test_counted_items_in_a_gloss_right_after_the_counted_thing() -> None:
    plan = "青川县卫生改革方案\n落实两个允许（允许突破工资调控水平、允许结余按规定奖励）。\n"
    docs = {"g": record("g", "青川县卫生改革方案", "青川县")}
    answer = StructureAnswerer(docs, {"g": plan}.__getitem__).answer("青川方案的两个允许分别是哪两个？", None)
    assert answer is not None and answer.status == "answered"
    assert "是：允许突破工资调控水平、允许结余按规定奖励" in answer.answer


def test_counted_things_the_plans_never_list_are_not_answered_by_a_value() -> None:
    plan = "青川县卫生改革方案\n到2025年，全县4家卫生院标准化率达到100%。\n"
    docs = {"g": record("g", "青川县卫生改革方案", "青川县")}
    answer = StructureAnswerer(docs, {"g": plan}.__getitem__).answer("青川方案说的4家卫生院是哪几家？", None)
    assert answer is not None and answer.status == "not_found"
    assert "4家卫生院" in answer.answer and "100%" not in answer.answer


def test_the_one_plan_covering_a_region_is_the_plan_a_tasks_question_names() -> None:
    answer = region_answerer().answer("安河县的方案有哪些主要任务？", None)
    assert answer is not None and answer.status == "answered"
    assert [c.quote for c in answer.citations] == ["（一）提升乡镇卫生院能力"]


STAGES_PLAN = """白鹭市基层卫生人才行动方案
一、主要任务
（一）完善村医培训
建成适应岗位特点的岗前培训、在岗培训、提升培训三阶段有机衔接的村医培训体系。
（二）推进项目实施
项目实施分三个阶段：启动部署、全面推进、总结验收。
（三）规范进修管理
进修分为3个阶段，即理论学习、跟班实践和考核结业。
"""


def stages_answerer() -> StructureAnswerer:
    docs = {"s": record("s", "白鹭市基层卫生人才行动方案", "白鹭市")}
    return StructureAnswerer(docs, {"s": STAGES_PLAN}.__getitem__)


def test_n_stages_written_without_a_measure_word_are_the_items_before_them() -> None:
    answer = stages_answerer().answer("方案里说村医培训体系分三个阶段，是哪三个？", None)
    assert answer is not None and answer.status == "answered"
    # The modifier only the first item has (适应岗位特点的) is the whole list's, not the first item's.
    assert "是：岗前培训、在岗培训、提升培训" in answer.answer
    assert "有机衔接的村医培训体系" in answer.citations[0].quote  # the clause goes on to what they are of


def test_n_stages_are_those_of_the_topic_the_question_names() -> None:
    answer = stages_answerer().answer("方案里项目实施分三个阶段，是哪三个？", None)
    assert answer is not None and answer.status == "answered"
    assert "启动部署、全面推进、总结验收" in answer.answer and "岗前培训" not in answer.answer
    joined = stages_answerer().answer("进修分为3个阶段，分别是哪三个？", None)
    assert joined is not None and joined.status == "answered"
    assert "理论学习、跟班实践、考核结业" in joined.answer  # a word joiner after a comma (，即…)


def test_n_stages_of_a_topic_the_plan_never_counts_are_not_another_topics() -> None:
    answer = stages_answerer().answer("方案里家庭医生签约服务分三个阶段，是哪三个？", None)
    assert answer is not None and answer.status == "not_found"
    assert "3个阶段" in answer.answer and "启动部署" not in answer.answer and not answer.citations


BODIES_PLAN = """白鹭市县域医疗卫生改革方案
一、主要任务
1.深化县域医联体改革。持续深化县域医联体改革，以县为单位，以分级诊疗为重点，
注1：本方案所称医联体指县域医疗卫生共同体。
加快管理联合体、服务联合体和责任联合体建设，实现一体化管理。
2.推进专科协作。推进区域专科联合体、远程协作联合体建设。
3.提升急救能力。加快建设胸痛、卒中、创伤中心，完善急救网络。
4.完善科室设置。乡镇卫生院建设专家工作室、联合病房和特色科室。人口较少、半径大的地区开展巡诊。
"""


def bodies_answerer() -> StructureAnswerer:
    docs = {"m": record("m", "白鹭市县域医疗卫生改革方案", "白鹭市")}
    return StructureAnswerer(docs, {"m": BODIES_PLAN}.__getitem__)


def test_which_bodies_are_the_enumeration_whose_items_end_in_the_nouns_head() -> None:
    # 哪几个联合体建设: each item ends in 联合体, 建设 closes the last; the topic stands a sentence before it.
    answer = bodies_answerer().answer("白鹭深化县域医联体改革，要加快哪几个联合体建设？", None)
    assert answer is not None and answer.status == "answered"
    quote = answer.citations[0].quote
    assert quote.startswith("加快管理联合体、服务联合体和责任联合体建设") and quote in BODIES_PLAN
    assert "区域专科联合体" not in answer.answer


def test_which_bodies_of_another_topic_are_the_enumeration_holding_that_topic() -> None:
    answer = bodies_answerer().answer("白鹭推进专科协作，要推进哪几个联合体建设？", None)
    assert answer is not None and answer.status == "answered"
    assert "区域专科联合体、远程协作联合体" in answer.answer and "管理联合体" not in answer.answer


def test_items_sharing_the_last_items_head_noun_are_an_enumeration_of_it() -> None:
    answer = bodies_answerer().answer("白鹭提升急救能力要建设哪几个中心？", None)
    assert answer is not None and answer.status == "answered"
    assert "胸痛、卒中、创伤中心" in answer.answer


def test_nouns_of_their_own_before_the_last_item_share_no_head() -> None:
    # 联合病房 is a noun of its own, not a modifier of 科室; 人口较少 is a clause, not a kind of 地区.
    answerer = bodies_answerer()
    rooms = answerer.answer("乡镇卫生院要开设哪些科室？", None)
    assert rooms is None or "联合病房" not in rooms.answer
    places = answerer.answer("白鹭哪些地区要开展巡诊？", None)
    assert places is None or "人口较少" not in places.answer


def test_the_kind_after_etc_and_a_quote_mark_are_no_part_of_the_last_item() -> None:
    plan = "白鹭县急救能力方案\n建强胸痛、卒中、创伤等急诊急救“三大中心”，完善院前急救网络。\n"
    docs = {"e": record("e", "白鹭县急救能力方案", "白鹭县")}
    answer = StructureAnswerer(docs, {"e": plan}.__getitem__).answer("白鹭县说的三大中心是哪三个？", None)
    assert answer is not None and answer.status == "answered"
    assert "是：胸痛、卒中、创伤[1]" in answer.answer  # 建强 is the clause's verb, 等急诊急救 the kind


EGRET_PLAN = """白鹭市卫生健康发展规划
第一章 总体要求
坚持健康优先。
第二章 建设智慧健康服务体系
第一节 完善健康信息平台
建设市级健康信息平台。
第二节 推进健康数据应用
推动健康数据共享。
第三章 加强组织实施
各区要加强领导。
附件
白鹭市乡村医生队伍建设实施细则
第一章 总则
第一条 为稳定乡村医生队伍，制定本细则。
第二章 岗位设置
第二条 每村至少设一个乡村医生岗位。
第三章 培训培养
第三条 乡村医生每年参加培训。
第四章 附则
第四条 本细则自发布之日起施行。
"""


def egret_answerer() -> StructureAnswerer:
    return StructureAnswerer({"e": record("e", "白鹭市卫生健康发展规划", "白鹭市")}, {"e": EGRET_PLAN}.__getitem__)


def test_a_chapter_named_by_number_and_title_lists_its_sections_when_the_count_agrees() -> None:
    answer = egret_answerer().answer("白鹭规划第二章建设智慧健康服务体系，下面分哪两节？", None)
    assert answer is not None and answer.status == "answered"
    assert [c.quote for c in answer.citations] == ["第一节 完善健康信息平台", "第二节 推进健康数据应用"]
    assert "加强组织实施" not in answer.answer
    # The chapter has two sections, not three: the count asked does not agree, so no outline is given.
    wrong = egret_answerer().answer("白鹭规划第二章建设智慧健康服务体系，下面分哪三节？", None)
    assert wrong is None or "完善健康信息平台" not in wrong.answer


def test_the_middle_chapters_of_a_named_annex_leave_out_the_first_and_the_last() -> None:
    answer = egret_answerer().answer("白鹭市乡村医生队伍建设实施细则，中间几章分别讲的啥？", None)
    assert answer is not None and answer.status == "answered"
    assert [c.quote for c in answer.citations] == ["第二章 岗位设置", "第三章 培训培养"]
    assert "总则" not in answer.answer and "附则" not in answer.answer
    # Without 中间, every chapter is listed.
    every = egret_answerer().answer("白鹭市乡村医生队伍建设实施细则有哪几章，都讲些什么？", None)
    assert every is not None
    assert [c.quote[:3] for c in every.citations] == ["第一章", "第二章", "第三章", "第四章"]


# ---- a heading named by an abbreviation, and a section's sub-headings asked by what they name ----


def test_an_abbreviation_of_a_heading_names_it() -> None:
    from assistant.structure_answers import OUTLINE_MIN_SHARE, abbreviation_length, heading_share

    openers = ("那个",)
    assert abbreviation_length("青禾县村医队伍管理办法", "那个村医管理办法", openers) == 6
    assert abbreviation_length("青禾县村医队伍管理办法", "村医队伍管理规定", openers) == 0  # not its head noun
    # Words the heading lacks right before the run: a longer name of something else.
    assert abbreviation_length("青禾县村医队伍管理办法", "乡村兽医管理办法", openers) == 0
    assert heading_share("青禾县村医队伍管理办法", "那个村医管理办法", openers) == OUTLINE_MIN_SHARE
    assert heading_share("青禾县村医队伍管理办法", "那个村医管理办法") < OUTLINE_MIN_SHARE  # abbreviations not asked
    assert heading_share("青禾县村医队伍管理办法", "那个管理办法", openers) < OUTLINE_MIN_SHARE  # too few of its words


def test_the_chapters_of_an_annex_named_by_an_abbreviation() -> None:
    answer = outline_answerer().answer("那个村医管理办法分为哪几章？", None)
    assert answer is not None and answer.status == "answered"
    for chapter in ("总则", "人员招聘", "待遇保障"):
        assert chapter in answer.answer
    assert "充实村医队伍" not in answer.answer
    assert outline_answerer().answer("那个管理办法分为哪几章？", None) is None


DUTIES_PLAN = """青川县家庭医生服务提升方案
一、工作目标
到2026年，家庭医生签约服务覆盖全县。
二、职责分工
（一）财政部门。落实经费保障。
（二）医疗保障部门。完善医保支付政策。
（三）卫生健康部门。负责牵头组织实施。
三、保障措施
（一）加强组织领导。县政府统筹推进。
（二）强化宣传引导。营造良好氛围。
"""


def duties_answerer() -> StructureAnswerer:
    return StructureAnswerer({"d": record("d", "青川县家庭医生服务提升方案", "青川县")}, {"d": DUTIES_PLAN}.__getitem__)


def test_the_sub_headings_of_a_named_section_holding_the_noun_asked() -> None:
    answer = duties_answerer().answer("青川县方案职责分工那部分，列了哪些部门？", None)
    assert answer is not None and answer.status == "answered"
    for unit in ("财政部门", "医疗保障部门", "卫生健康部门"):
        assert unit in answer.answer
    assert "加强组织领导" not in answer.answer
    assert [c.n for c in answer.citations] == [1, 2, 3]


def test_the_sub_headings_of_a_named_section_asked_by_a_measure_word() -> None:
    answer = duties_answerer().answer("青川县方案保障措施那块，列了哪几项？", None)
    assert answer is not None and answer.status == "answered"
    assert "加强组织领导" in answer.answer and "强化宣传引导" in answer.answer
    assert "财政部门" not in answer.answer


def test_sub_headings_not_naming_the_noun_asked_do_not_answer() -> None:
    # The sub-headings of 职责分工 are 部门, not 经费: a list of them does not answer which 经费.
    answer = duties_answerer().answer("青川县方案职责分工那部分，列了哪些经费？", None)
    assert answer is None or "医疗保障部门" not in answer.answer
    # A count asked that the section does not have.
    answer = duties_answerer().answer("青川县方案职责分工那部分，列了哪五个部门？", None)
    assert answer is None or "医疗保障部门" not in answer.answer


# ---- a section named by part of its heading, by an abbreviation after the plan's name, by its topic ----

REFORM_PLAN = """青岚市基层卫生改革实施方案
一、总体要求
到2026年，基层服务能力明显提升。
二、重点任务
（一）补强基层服务网络
1．优化机构布局。按人口配置机构。
2．加强设施建设。改造业务用房。
（二）健全“两病”协同管理机制
3. 落实签约管理。家庭医生签约高血压患者。
4. 推进用药衔接。统一基层用药目录。
（三）壮大基层医疗卫生人才队伍
5．盘活编制资源。统筹用好编制。
6．多渠道引进人才。放宽招聘条件。
三、保障措施
（一）加强组织领导
（二）强化经费保障
"""


def reform_answerer() -> StructureAnswerer:
    docs = {"r": record("r", "青岚市基层卫生改革实施方案", "青岚市")}
    return StructureAnswerer(docs, {"r": REFORM_PLAN}.__getitem__)


def test_a_task_question_naming_a_task_section_lists_that_sections_items() -> None:
    # 任务 would list 重点任务's sub-headings; the question names （二） by most of its words.
    answer = reform_answerer().answer("青岚方案里“两病”协同管理机制这一块，具体包括哪几项任务？", None)
    assert answer is not None and answer.status == "answered"
    assert [c.quote for c in answer.citations] == ["3. 落实签约管理", "4. 推进用药衔接"]  # as the lines write them
    assert "补强基层服务网络" not in answer.answer
    # Naming no section, the plan's tasks.
    tasks = reform_answerer().answer("青岚方案有哪些重点任务？", None)
    assert tasks is not None and "补强基层服务网络" in tasks.answer and "落实签约管理" not in tasks.answer


def test_a_section_shortened_right_after_the_plans_name_is_named() -> None:
    from assistant.structure_answers import abbreviation_length

    answer = reform_answerer().answer("青岚方案壮大基层人才队伍那部分，分了哪几条？", None)
    assert answer is not None and answer.status == "answered"
    assert "盘活编制资源" in answer.answer and "多渠道引进人才" in answer.answer
    assert "落实签约管理" not in answer.answer
    # The plan's kind word (方案) opens the shortened name like 那个 does; another word before it does not.
    core = "壮大基层医疗卫生人才队伍"
    assert abbreviation_length(core, "青岚方案壮大基层人才队伍", ("方案",)) == 8
    assert abbreviation_length(core, "青岚方案壮大基层人才队伍", ("那个",)) == 0


GUIDE_PLAN = """青岚市健康城市规划纲要
第一篇 总体战略
第一章 指导思想
坚持健康优先。
第二章 发展目标
到2030年人人享有健康。
第二篇 建设健康环境
第三章 开展爱国卫生运动
推进城乡环境整治。
第四章 治理环境污染
加强大气治理。
第三篇 发展健康产业
第五章 发展健康服务业
培育新业态。
第六章 促进医药产业
推动医药创新。
"""

OPINION = """关于促进健康产业发展的实施意见
一、总体要求
加快发展健康产业。
"""


def guide_answerer() -> StructureAnswerer:
    docs = {
        "g": record("g", "青岚市健康城市规划纲要", "青岚市"),
        "o": record("o", "关于促进健康产业发展的实施意见", "青岚市"),
    }
    return StructureAnswerer(docs, {"g": GUIDE_PLAN, "o": OPINION}.__getitem__)


def test_a_part_named_by_its_topic_lists_its_chapters() -> None:
    answer = guide_answerer().answer("青岚纲要讲环境的那一篇，下面有哪些章？", None)
    assert answer is not None and answer.status == "answered"
    assert [c.quote for c in answer.citations] == ["第三章 开展爱国卫生运动", "第四章 治理环境污染"]
    # The topic's words (关于…健康产业) name the other plan's title better than 纲要 does: the plan is named
    # by the question's other words.
    industry = guide_answerer().answer("纲要中关于健康产业的那一篇，有哪几章？", None)
    assert industry is not None and industry.status == "answered"
    assert "发展健康服务业" in industry.answer and "促进医药产业" in industry.answer


def test_a_topic_several_parts_hold_names_none_of_them() -> None:
    answer = guide_answerer().answer("青岚纲要讲健康的那一篇，下面有哪些章？", None)  # 健康环境 and 健康产业
    assert answer is None or "开展爱国卫生运动" not in answer.answer


def test_a_topic_lead_added_to_the_rules_names_a_part() -> None:
    import dataclasses

    from assistant.shapes import shape_words

    words = shape_words()
    plain = dataclasses.replace(words, outline_topic_leads=tuple(x for x in words.outline_topic_leads if x != "谈"))
    docs = {"g": record("g", "青岚市健康城市规划纲要", "青岚市")}
    question = "青岚纲要谈环境的那一篇，下面有哪些章？"
    without = StructureAnswerer(docs, {"g": GUIDE_PLAN}.__getitem__, words=plain).answer(question, None)
    assert without is None or "开展爱国卫生运动" not in without.answer
    extended = dataclasses.replace(words, outline_topic_leads=("谈", *plain.outline_topic_leads))
    answer = StructureAnswerer(docs, {"g": GUIDE_PLAN}.__getitem__, words=extended).answer(question, None)
    assert answer is not None and "开展爱国卫生运动" in answer.answer

"""Sections asked for by name on a made-up plan: their parts, their stages by year, a term's exception."""

from __future__ import annotations

from assistant.shapes import outline_shape
from assistant.structure_answers import StructureAnswerer
from ingestion.schema import DocumentMeta, DocumentRecord

PLAN = """白鹭市基层卫生振兴实施方案
一、发展目标
坚持预防为主。到2026年，白鹭市村级诊所全部达到标准化建设要求，群众就医更加便捷。
到2030年，建成布局合理的基层卫生服务网络，主要指标进入全省前列。到2040年，建成与现代化相适应的健康白鹭。
二、主要任务
（一）补齐诊所设施短板
改造一批诊所。
（二）充实诊所人员队伍
招聘一批村医。
三、职责分工
（一）市财政部门。负责落实诊所建设经费。
（二）市人社部门。负责制定村医招聘办法。
四、组织保障
（一）强化统筹领导。各镇街要把诊所建设列入年度重点。
（二）加强部门协作。各部门要密切配合。
（三）严格考核问效。市卫健局要定期督查。
附件
白鹭市村医队伍管理细则
第一条 为加强村医队伍管理，制定本细则。
第二条 本细则所称村医为在村级诊所执业的医务人员，包括全科医生和护士；与镇卫生院一体管理的中心诊所人员除外。
第三条 村医补助按月发放。
"""


def record(doc_id: str, title: str, region: str) -> DocumentRecord:
    return DocumentRecord(
        doc_id=doc_id, source=f"{doc_id}.txt", content_hash=doc_id, meta=DocumentMeta(title=title, region=region)
    )


def answerer() -> StructureAnswerer:
    docs = {"w": record("w", "白鹭市基层卫生振兴实施方案", "白鹭市")}
    return StructureAnswerer(docs, {"w": PLAN}.__getitem__)


def test_how_many_aspects_a_section_speaks_of_is_an_outline_question() -> None:
    shape = outline_shape("白鹭方案最后那部分组织保障，分几个方面讲的？")
    assert shape is not None and shape.term == "方面"
    assert outline_shape("组织保障分几个方面来讲？") is not None
    assert outline_shape("组织保障讲的是什么？") is None


def test_the_aspects_of_a_named_section_are_its_sub_headings_each_cited() -> None:
    answer = answerer().answer("白鹭方案最后那部分组织保障，分几个方面讲的？", None)
    assert answer is not None and answer.status == "answered"
    for heading in ("强化统筹领导", "加强部门协作", "严格考核问效"):
        assert heading in answer.answer
    assert "补齐诊所设施短板" not in answer.answer and "市财政部门" not in answer.answer
    assert [c.n for c in answer.citations] == [1, 2, 3]
    assert all(c.quote in PLAN for c in answer.citations)


def test_a_section_that_is_neither_tasks_nor_safeguards_is_listed_too() -> None:
    answer = answerer().answer("白鹭方案里的职责分工，分几个方面讲的？", None)
    assert answer is not None and answer.status == "answered"
    assert "市财政部门" in answer.answer and "市人社部门" in answer.answer
    assert "强化统筹领导" not in answer.answer


def test_the_stages_of_a_named_section_are_its_sentences_opening_with_each_year_named() -> None:
    answer = answerer().answer("白鹭方案的发展目标是分几步走的？2026、2040年各要到啥程度？", None)
    assert answer is not None and answer.status == "answered"
    assert "村级诊所全部达到标准化建设要求" in answer.answer
    assert "建成与现代化相适应的健康白鹭" in answer.answer
    assert "布局合理的基层卫生服务网络" not in answer.answer  # 2030 is not asked
    assert "坚持预防为主" not in answer.answer
    assert [c.n for c in answer.citations] == [1, 2]
    assert all(c.quote in PLAN and c.quote.startswith("到20") for c in answer.citations)


def test_the_stages_without_years_named_are_each_years_first_sentence() -> None:
    answer = answerer().answer("白鹭方案的发展目标分几步走？", None)
    assert answer is not None and answer.status == "answered"
    assert [c.quote[:7] for c in answer.citations] == ["到2026年，", "到2030年，", "到2040年，"]


def test_a_year_the_section_has_no_sentence_for_is_left_to_the_other_paths() -> None:
    assert answerer().answer("白鹭方案的发展目标分几步走？2026、2035年各要到啥程度？", None) is None
    assert answerer().answer("白鹭方案的财务目标分几步走？2026、2040年各要到啥程度？", None) is None


def test_a_stage_ask_word_added_to_the_list_changes_the_shape() -> None:
    from dataclasses import replace

    question = "白鹭方案的发展目标，2026、2040年各有哪些要求？"
    assert answerer().answer(question, None) is None
    words = replace(answerer().words, stage_asks=(*answerer().words.stage_asks, "各有哪些要求"))
    more = StructureAnswerer(answerer().docs, {"w": PLAN}.__getitem__, words=words)
    answer = more.answer(question, None)
    assert answer is not None and "按年份" in answer.answer


def test_what_a_term_leaves_out_is_the_defining_sentence_with_its_exception() -> None:
    answer = answerer().answer("白鹭那个村医队伍管理细则说的村医，哪些人不算在里面？", None)
    assert answer is not None and answer.status == "answered"
    assert "中心诊所人员除外" in answer.answer
    assert answer.citations[0].quote.startswith("第二条") and answer.citations[0].quote in PLAN


def test_a_term_with_no_exception_stated_is_left_to_the_other_paths() -> None:
    assert answerer().answer("白鹭方案说的村医补助，哪些不算在里面？", None) is None
    # No which word: 算不算 asks yes or no, not what is left out.
    assert answerer().answer("白鹭方案说的村医算不算中心诊所人员？", None) is None


def test_a_degree_ask_of_one_year_is_no_stage_question() -> None:
    assert answerer().answer("白鹭方案的发展目标，2026年要到啥程度？", None) is None
    answer = answerer().answer("白鹭方案的发展目标，2026年和2030年各要到啥程度？", None)
    assert answer is not None and [c.quote[:7] for c in answer.citations] == ["到2026年，", "到2030年，"]


def test_the_blocks_under_a_named_section_are_its_sub_headings() -> None:
    # 板块 is a unit of division, and 底下/下面 place the divisions under the section named.
    shape = outline_shape("职责分工底下有哪几个板块？")
    assert shape is not None and shape.term == "板块"
    answer = answerer().answer("白鹭方案里，组织保障下面有哪几个板块？", None)
    assert answer is not None and answer.status == "answered"
    for heading in ("强化统筹领导", "加强部门协作", "严格考核问效"):
        assert heading in answer.answer
    assert "补齐诊所设施短板" not in answer.answer

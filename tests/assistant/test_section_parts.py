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

"""A quoted term of a question answered by the enumeration a made-up plan writes next to it.

“四集中”是哪四个: the items the plan quotes right before the term, names after it (即…) or lists before it in its
sentence, their number agreeing with the term's count; “A、B”那一串全文是啥: the whole enumeration a fragment
stands in (assistant/structure_answers.py ``_quoted_enumeration``, wording in ``[quoted_terms]`` of
answer_shapes.toml).
"""

from __future__ import annotations

import re

import pytest

from assistant.shapes import quoted_term_shape
from assistant.structure_answers import StructureAnswerer
from ingestion.schema import DocumentMeta, DocumentRecord

PLAN = """青禾县紧密型县域医共体建设实施方案
一、总体目标
围绕“社区兴、站点活、队伍稳、服务优”目标，着力推动“人才、设备、资金、信息”四集中，全面提升县域服务能力。
二、主要任务
（一）统一管理
推进药品、耗材、设备和人员统一管理，实现“四统一”。
（二）统一结算
医共体内实行“三统筹”，即统筹采购、统筹配送、统筹结算。
（三）协同发展
加强学科、专科和护理建设，形成“五协同”格局。
推进建设、人员、财务和绩效统一管理，实现“四统管”。
（四）提升能力
把更多的人力、财力、物力投向基层，提升服务能力，全面实施“三提升”行动。
全面实施“固本”“强链”“登高”三项工程，夯实县域服务基础。
（五）转变方式
推动“三个转变”：从重治疗向重预防转变；从分散服务向连续服务转变；从单兵作战向团队协作转变。
落实“两个责任”：县级卫生健康部门承担监管责任。医共体牵头医院承担管理责任。
"""

OTHER = """白石市健康促进规划
一、规划目标
全市健康促进工作以社区为主。
"""


def make() -> StructureAnswerer:
    docs = {
        "a": DocumentRecord(
            doc_id="a", source="a.txt", content_hash="a",
            meta=DocumentMeta(title="青禾县紧密型县域医共体建设实施方案", region="青禾县"),
        ),
        "b": DocumentRecord(
            doc_id="b", source="b.txt", content_hash="b", meta=DocumentMeta(title="白石市健康促进规划", region="白石市")
        ),
    }
    texts = {"a": PLAN, "b": OTHER}
    return StructureAnswerer(docs, texts.__getitem__)


@pytest.mark.parametrize(
    ("question", "items"),
    [
        # Quoted items right before the term.
        ("青禾县医共体要推动的“四集中”是哪四个？", "人才、设备、资金、信息"),
        ("青禾县方案里的“四集中”指的是什么？", "人才、设备、资金、信息"),
        # Items before the term in its sentence, the clause's verb left out.
        ("青禾县方案说的“四统一”是哪四个？", "药品、耗材、设备、人员统一管理"),
        # The clause's verb is cut, not a lead word that is the first item's own (推进建设 -> 建设).
        ("青禾县方案说的“四统管”是哪四个？", "建设、人员、财务、绩效统一管理"),
        # Items after the term and its lead word.
        ("青禾县医共体的“三统筹”都是啥？", "统筹采购、统筹配送、统筹结算"),
        # Quoted items one by one before the term, asked with a strict meaning marker.
        ("青禾县方案的“三项工程”指的是什么？", "固本、强链、登高"),
        # Clauses after a colon, split at ；.
        (
            "青禾县方案的“三个转变”是哪三个？",
            "从重治疗向重预防转变；从分散服务向连续服务转变；从单兵作战向团队协作转变",
        ),
    ],
)
def test_a_quoted_term_is_answered_by_the_items_next_to_it(question: str, items: str) -> None:
    answer = make().answer(question, None)
    assert answer is not None and answer.status == "answered", question
    assert f"是：{items}[1]" in answer.answer
    assert len(answer.citations) == 1
    quote = answer.citations[0].quote
    assert quote in PLAN and all(item in quote for item in re.split("[、；]", items))


def test_a_fragment_of_an_enumeration_is_answered_by_the_whole_of_it() -> None:
    answer = make().answer("青禾县医共体围绕的“社区兴、站点活”那一串目标全文是啥？", None)
    assert answer is not None and answer.status == "answered"
    assert "社区兴、站点活、队伍稳、服务优" in answer.answer
    assert "社区兴、站点活、队伍稳、服务优" in answer.citations[0].quote


def test_a_count_the_items_do_not_have_gives_no_items() -> None:
    """“五协同” stands after three items: they are not its five, so no list is given for it."""
    answer = make().answer("青禾县方案的“五协同”是哪五个？", None)
    assert answer is None or "学科、专科" not in answer.answer.split("原文")[0]


def test_sentences_after_a_colon_are_items_only_when_parallel() -> None:
    """县级… / 医共体… open differently: two sentences after “两个责任”： are not read as its two items."""
    answer = make().answer("青禾县方案的“两个责任”是哪两个？", None)
    assert answer is None or "县级卫生健康部门承担监管责任；" not in answer.answer


def test_an_enumeration_clauses_away_from_the_term_is_not_its_items() -> None:
    """人力、财力、物力 stand two clauses before “三提升”: the count agrees, but they are not its items."""
    answer = make().answer("青禾县方案的“三提升”是哪三个？", None)
    assert answer is None or "人力" not in answer.answer


def test_a_number_question_or_no_asking_word_is_no_quoted_term_question() -> None:
    assert quoted_term_shape("“四集中”的资金要达到多少？") is None
    assert quoted_term_shape("青禾县推进“四集中”工作") is None
    shape = quoted_term_shape("“四个共同体”指的是哪四个？")
    assert shape is not None and (shape.term, shape.count) == ("四个共同体", 4)
    assert quoted_term_shape("“三项工程”是哪两项？") is None  # the term's count and the asked count differ
    fragment = quoted_term_shape("“社区兴、站点活”那一串全文是啥？")
    assert fragment is not None and (fragment.term, fragment.count) == ("社区兴、站点活", 0)

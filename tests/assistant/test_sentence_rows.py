"""A quoted sentence that is one target row's own sentence is answered with that row (Answerer._sentence_rows)."""

from __future__ import annotations

import pytest

from assistant.service import Assistant
from tests.conftest import assistant_of_texts

EGRET_PLAN = """白鹭市基层医疗卫生机构“双提质”工程实施方案

一、主要目标

到2026年，全市基层医疗卫生机构服务能力全面提升。

二、重点任务

1．强化护理培训。加强基层护理人员实训中心建设，到 2026年每个行政县区至少建成运行 2个县（区）级护理实训中心。

2．提升中医药服务。确保乡镇卫生院、村卫生室分别能提供 12 项、6 项以上适宜技术。

3．充实村医队伍。全市现有村卫生室312所，每个村卫生室配备乡村医生不少于2名。
"""


@pytest.fixture(scope="module")
def egret(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return assistant_of_texts(tmp_path_factory.mktemp("egret_rows"), {"egret_plan.txt": EGRET_PLAN})


def test_a_sentence_with_one_row_is_answered_with_the_row(egret: Assistant) -> None:
    a = egret.ask("县（区）级的基层护理人员实训中心，双提质方案要求每个行政县区建几个，啥时候建好？")
    assert a.status == "answered", a.answer
    assert [(t.value, t.comparator, t.year) for t in a.targets] == [(2, "≥", "2026")], a.answer


def test_a_sentence_not_asking_a_value_stays_quoted(egret: Assistant) -> None:
    a = egret.ask("县（区）级的基层护理人员实训中心，双提质方案是怎么要求的？")
    assert not a.targets, a.answer


def test_a_sentence_with_a_number_no_row_holds_stays_quoted(egret: Assistant) -> None:
    # A sentence the reader quoted holds the row 乡村医生 ≥2名 and 312所, a status quo no row holds (as a value
    # read from a scan with low confidence is held by none): the question may ask 312, so the quote stays.
    from assistant.schema import Answer, Citation
    from assistant.understanding import Query

    answerer = egret._get_answerer()
    doc_id = next(iter(egret.library.records()))
    sentence = "全市现有村卫生室312所，每个村卫生室配备乡村医生不少于2名。"
    quoted = Answer(
        question="白鹭市现有村卫生室多少所？",
        answer=f"原文：{sentence}[1]",
        status="answered",
        citations=[Citation(n=1, doc_id=doc_id, quote=sentence)],
    )
    kept = answerer._sentence_rows(Query(text="白鹭市现有村卫生室多少所？"), quoted)
    assert kept is quoted
    # The row's own sentence alone is answered with the row.
    own = "每个村卫生室配备乡村医生不少于2名。"
    alone = quoted.model_copy(update={"citations": [Citation(n=1, doc_id=doc_id, quote=own)]})
    answered = answerer._sentence_rows(Query(text="白鹭市每个村卫生室配备乡村医生多少名？"), alone)
    assert [t.value for t in answered.targets] == [2], answered.answer

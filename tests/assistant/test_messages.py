"""Row labels in answers: the scope in front of the indicator, its words said once (made-up rows)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.messages import indicator_label
from ingestion.schema import Target


def _row(indicator: str, scope: str) -> Target:
    return Target(doc_id="d", indicator=indicator, scope=scope, value=1, quote="…")


@pytest.mark.parametrize(
    ("indicator", "scope", "label"),
    [
        ("签约率", "孕产妇", "孕产妇签约率"),  # a scope the indicator does not name goes in front
        ("孕产妇签约率", "孕产妇", "孕产妇签约率"),  # named already: once
        ("随访医生孕产妇签约率", "随访医生、孕产妇", "随访医生孕产妇签约率"),  # every listed subject named
        ("卫生室（服务站）达标率", "卫生室、服务站", "卫生室（服务站）达标率"),  # named in brackets
        ("孕产妇签约率", "随访医生、孕产妇", "随访医生、孕产妇孕产妇签约率"),  # a subject missing: scope kept whole
        ("达标率", "", "达标率"),
    ],
)
def test_scope_words_are_said_once(indicator: str, scope: str, label: str) -> None:
    assert indicator_label(_row(indicator, scope)) == label


def worded(value_text: str, quote: str) -> Target:
    return Target(doc_id="d", indicator="建成专病中心", value=1, unit="个", value_text=value_text, quote=quote)


def test_a_value_in_words_is_given_with_its_clause() -> None:
    from assistant.messages import worded_clause

    row = worded("一个", "到2026年，二级医院全面开展日间手术，三级医院至少建成一个胸痛专病中心。")
    assert worded_clause(row) == "三级医院至少建成一个胸痛专病中心"


def test_a_value_in_digits_needs_no_clause() -> None:
    from assistant.messages import worded_clause

    assert worded_clause(worded("2个", "三级医院至少建成2个胸痛专病中心。")) == ""
    assert worded_clause(worded("一个", "")) == ""  # no sentence to quote


def test_a_value_given_in_turn_is_given_with_its_clause() -> None:
    from assistant.messages import worded_clause
    from assistant.parts import part_words

    shared = part_words().shared_values
    row = worded("6 项以上", "开展中医培训，确保卫生院、卫生室分别能提供 12 项、6 项以上适宜技术。")
    assert worded_clause(row, shared) == "确保卫生院、卫生室分别能提供 12 项、6 项以上适宜技术"
    assert worded_clause(row) == ""  # without the list of words, digits need no clause
    kinds = "、".join(f"第{n}类基层医疗卫生服务机构" for n in range(5))
    long = worded("6项", f"确保{kinds}分别提供12项、6项技术。")
    assert worded_clause(long, shared) == ""  # a clause too long to quote beside a value


WORDED_PLAN = """白鹭市深化医改重点任务

二、重点任务

（二）健全基层服务体系。每个行政村原则上设置一所村卫生室，符合条件的也可与相邻行政村联合设置。到2026年，村卫生室规范化建设率达到90%以上。

"""


def test_a_row_of_a_value_in_words_is_answered_with_its_clause(tmp_path: Path) -> None:
    from tests.conftest import assistant_of_texts

    assistant = assistant_of_texts(tmp_path, {"bailu.txt": WORDED_PLAN})
    answer = assistant.ask("白鹭市每个行政村原则上设几个村卫生室？")
    assert answer.status == "answered", answer.answer
    assert "原则上设置一所村卫生室" in answer.answer
    assert answer.path == "numbers/rows", answer.path  # the row, not a quoted sentence


def test_a_document_named_for_the_rest_of_the_text_is_no_label() -> None:
    row = _row("“健康圈”和《白鹭区服务站改革实施方案》（以下简称《改革方案》）要求", "")
    assert indicator_label(row) == "“健康圈”要求"
    # A scope read from the document's name (服务站) is not put back in front.
    row = _row("“健康圈”和《白鹭区服务站改革实施方案》（以下简称《改革方案》）要求", "服务站")
    assert indicator_label(row) == "“健康圈”要求"

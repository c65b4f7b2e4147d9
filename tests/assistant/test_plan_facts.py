"""Questions about a named plan's own facts (date, 文号, issuer), on made-up plans and passages."""

from __future__ import annotations

import pytest

from assistant.mentions import MentionResolver
from assistant.plan_facts import asked_fields, fact_rules, plan_fact_answer
from assistant.schema import Answer
from ingestion.schema import Chunk, DocumentMeta, DocumentRecord


def _doc(
    doc_id: str, title: str, issuer: str = "", number: str = "", date: str = "", region: str = ""
) -> DocumentRecord:
    meta = DocumentMeta(title=title, issuer=issuer, doc_number=number, date=date, region=region)
    return DocumentRecord(doc_id=doc_id, source=f"{doc_id}.txt", content_hash=doc_id, meta=meta)


DOCS = {
    d.doc_id: d
    for d in [
        _doc(
            "a",
            "青禾市基层医疗机构“双达标”工程实施方案",
            "青禾市人民政府办公室",
            "青政办发〔2024〕12号",
            "2024-03-05",
            "青禾市",
        ),
        _doc("b", "白沙县乡村卫生服务能力提升三年行动方案（2024—2026年）", region="白沙县"),
        _doc("d", "“健康远方2035”规划纲要", "中共中央、国务院", date="2024-10-25", region="全国"),
    ]
}
CHUNKS = {
    "a": [
        Chunk(
            chunk_id="a:0",
            doc_id="a",
            ord=0,
            text="青政办发〔2024〕12号\n青禾市人民政府办公室关于印发双达标工程实施方案的通知",
        ),
        Chunk(chunk_id="a:1", doc_id="a", ord=1, text="到2025年，社区医院建成10个。"),
        Chunk(chunk_id="a:2", doc_id="a", ord=2, text="青禾市人民政府办公室\n2024 年 3 月 5 日\n（此件公开发布）"),
    ],
    "b": [Chunk(chunk_id="b:0", doc_id="b", ord=0, text="白沙县乡村卫生服务能力提升三年行动方案（征求意见稿）")],
    "d": [
        Chunk(
            chunk_id="d:0",
            doc_id="d",
            ord=0,
            text="“健康远方2035”规划纲要\n（2024年10月25日 中共中央 国务院发布）\n序言",
        )
    ],
}


def _ask(question: str) -> Answer | None:
    mentions = MentionResolver(list(DOCS.values())).find(question)
    return plan_fact_answer(question, mentions, DOCS, lambda d: CHUNKS[d])


@pytest.mark.parametrize(
    ("question", "fields"),
    [
        ("是哪天发布的？", ["date"]),
        ("的文号是多少？", ["doc_number"]),
        ("是哪个部门发的？", ["issuer"]),
        ("的发文机关和印发日期分别是什么？", ["issuer", "date"]),
        ("里社区医院建成几个？", []),
        ("里补助标准由谁印发给乡镇？", []),
    ],
)
def test_asked_fields_are_read_from_the_rest_of_the_question(question: str, fields: list[str]) -> None:
    assert asked_fields("双达标方案" + question, ["双达标方案"]) == fields


def test_an_asking_phrase_added_to_the_rules_is_read() -> None:
    rules = fact_rules()
    assert asked_fields("双达标方案落款日是哪天", ["双达标方案"], rules) == []
    extended = type(rules)(
        phrases={**rules.phrases, "date": ("落款日是哪天", *rules.phrases["date"])},
        filler=rules.filler,
        max_rest_chars=rules.max_rest_chars,
    )
    assert asked_fields("双达标方案落款日是哪天", ["双达标方案"], extended) == ["date"]


def test_the_date_is_answered_and_cited_to_the_passage_stating_it() -> None:
    a = _ask("中共中央国务院那个健康远方规划纲要是哪天发布的？")
    assert a is not None and a.status == "answered", a
    assert "2024年10月25日[1]" in a.answer
    assert a.citations[0].chunk_id == "d:0"
    assert "2024年10月25日" in a.citations[0].quote


def test_number_issuer_and_a_spaced_signature_date() -> None:
    a = _ask("双达标方案的文号、发文单位和发布日期")
    assert a is not None and a.status == "answered", a
    assert "青政办发〔2024〕12号" in a.answer
    assert "青禾市人民政府办公室" in a.answer
    assert "2024年3月5日" in a.answer
    quotes = {c.quote for c in a.citations}
    assert "2024 年 3 月 5 日" in quotes


def test_a_field_the_plan_does_not_state_is_said_to_be_unknown() -> None:
    a = _ask("白沙县那份行动方案是什么时候印发的？")
    assert a is not None
    assert a.status == "not_found"
    assert "没有写明" in a.answer
    assert not a.citations


def test_other_questions_are_left_alone() -> None:
    assert _ask("双达标方案里，2025年社区医院建成几个？") is None
    assert _ask("是哪天发布的？") is None  # no plan named


def test_a_signature_date_in_chinese_numerals_is_found() -> None:
    docs = {"e": _doc("e", "青川县村医队伍建设办法", "青川县卫生健康局", date="2023-12-01", region="青川县")}
    chunks = [Chunk(chunk_id="e:9", doc_id="e", ord=9, text="青川县卫生健康局\n二〇二三年十二月一日")]
    question = "青川县村医队伍建设办法是哪天印发的？"
    mentions = MentionResolver(list(docs.values())).find(question)
    a = plan_fact_answer(question, mentions, docs, lambda _: chunks)
    assert a is not None and a.status == "answered", a
    assert "2023年12月1日[1]" in a.answer
    assert a.citations[0].quote == "二〇二三年十二月一日"


def test_an_issuer_written_without_its_place_before_the_plan_title_is_found() -> None:
    docs = {"p": _doc("p", "白鹭省饮水安全计划（2020—2030年）", "白鹭省人民政府办公厅", region="白鹭省")}
    chunks = [
        Chunk(
            chunk_id="p:0",
            doc_id="p",
            ord=0,
            text="记者从网站获悉，省人民政府办公厅印发《白鹭省饮水安全计划（2020—2030年）》。",
        ),
    ]
    question = "白鹭省饮水安全计划是哪个部门印发的？"
    mentions = MentionResolver(list(docs.values())).find(question)
    a = plan_fact_answer(question, mentions, docs, lambda _: chunks)
    assert a is not None and a.status == "answered", a
    assert "白鹭省人民政府办公厅[1]" in a.answer
    assert "省人民政府办公厅印发" in a.citations[0].quote


@pytest.mark.parametrize(
    "text",
    [
        "记者获悉，省人民政府办公厅印发《白鹭省护理服务规划》。",  # another plan's title
        "记者获悉，黄岭省人民政府办公厅印发《白鹭省饮水安全计划（2020—2030年）》。",  # another place's office
        "省人民政府办公厅负责全省饮水安全计划的协调。",  # no issuing verb before the title
    ],
)
def test_a_short_issuer_elsewhere_is_not_taken(text: str) -> None:
    docs = {"p": _doc("p", "白鹭省饮水安全计划（2020—2030年）", "白鹭省人民政府办公厅", region="白鹭省")}
    chunks = [Chunk(chunk_id="p:0", doc_id="p", ord=0, text=text)]
    question = "白鹭省饮水安全计划是哪个部门印发的？"
    mentions = MentionResolver(list(docs.values())).find(question)
    a = plan_fact_answer(question, mentions, docs, lambda _: chunks)
    assert a is not None and a.status == "not_found", a
    assert not a.citations

"""Questions about a named plan as a document (meeting, basis, parts), on made-up plans and passages."""

from __future__ import annotations

import pytest

from assistant.doc_facts import asked_fact, doc_fact_answer, doc_fact_rules
from assistant.grounding import ungrounded_numbers
from assistant.mentions import MentionResolver
from assistant.schema import Answer
from ingestion.schema import Chunk, DocumentMeta, DocumentRecord


def _doc(doc_id: str, title: str, region: str = "") -> DocumentRecord:
    meta = DocumentMeta(title=title, region=region)
    return DocumentRecord(doc_id=doc_id, source=f"{doc_id}.txt", content_hash=doc_id, meta=meta)


def _chunk(doc_id: str, n: int, text: str, section: str = "") -> Chunk:
    return Chunk(chunk_id=f"{doc_id}:{n}", doc_id=doc_id, ord=n, text=text, section=section)


DOCS = {
    d.doc_id: d
    for d in [
        _doc("a", "白鹭市全面推进紧密型县域医疗卫生共同体建设实施方案", "白鹭市"),
        _doc("b", "青禾县老年健康促进行动计划（2024-2026年）", "青禾县"),
        _doc("c", "《儿童眼健康守护计划（2022-2025年）》文件解读", "全国"),
    ]
}
CHUNKS = {
    "a": [
        _chunk(
            "a",
            0,
            "为认真贯彻落实云岭省卫健委等五部门《关于印发云岭省全面推进紧密型县域医疗卫生共同体建设实施方案的通知》"
            "（云卫健〔2023〕17号）精神，结合我市实际，制定本实施方案。",
        ),
        _chunk("a", 1, "一、总体目标\n到2025年，全市建成县域医共体。", "一、总体目标"),
        _chunk(
            "a",
            2,
            "（一）统一管理。统一管理包括三个方面：一是人员统管，二是财务统管，三是药品统管。",
            "二、重点任务 > （一）统一管理",
        ),
        _chunk("a", 3, "三、保障措施\n加强组织领导。各县于2024年底前审议通过章程。", "三、保障措施"),
    ],
    "b": [
        _chunk(
            "b",
            0,
            "青政办函〔2024〕9号\n各乡镇人民政府：\n《青禾县老年健康促进行动计划（2024-2026年）》已经县人民政府"
            "第十七届32次常务会议审议通过。现印发给你们，请认真组织实施。\n青禾县人民政府办公室\n2024年5月6日",
        ),
        _chunk("b", 1, "序号 | 指标名称 | 2026年\n1 | 老年人健康管理率 | ≥75%", "主要目标"),
    ],
    "c": [
        _chunk("c", 0, "一、起草背景\n儿童眼健康关系到国家未来。", "一、起草背景"),
        _chunk(
            "c",
            1,
            "二、主要内容\n《守护计划》包括4部分内容：一是总体要求。坚持预防为主。二是工作目标。到2025年，"
            "近视筛查覆盖率达到90%以上。",
            "二、主要内容",
        ),
        _chunk("c", 2, "三是工作范围。覆盖全体0-6岁儿童。四是工作内容。包括筛查和转诊。", "二、主要内容"),
    ],
}


def _ask(question: str) -> Answer | None:
    mentions = MentionResolver(list(DOCS.values())).find(question)
    return doc_fact_answer(question, mentions, DOCS, lambda d: CHUNKS[d])


def _grounded(answer: Answer) -> bool:
    return not ungrounded_numbers(answer.answer, [c.quote for c in answer.citations])


@pytest.mark.parametrize(
    ("question", "ask"),
    [
        ("是在哪次会议上审议通过的？", "meeting"),
        ("是根据省里哪个文件制定的？", "basis"),
        ("依据什么文件出台的？", "basis"),
        ("一共几部分内容，分别是啥？", "parts"),
        ("分为哪几个部分？", "parts"),
        ("里哪些事项要经哪个会议审议通过后报县卫健局备案？", None),
        ("里哪个文件规定了补助标准？", None),
        ("里社区医院建成几个？", None),
    ],
)
def test_the_question_kind_is_read_from_the_rest_of_the_question(question: str, ask: str | None) -> None:
    assert asked_fact("青禾老年方案" + question, ["青禾老年方案"]) == ask


def test_the_meeting_sentence_is_quoted_from_the_head() -> None:
    answer = _ask("青禾县老年健康促进行动计划是在哪次会议上审议通过的？")
    assert answer is not None and answer.status == "answered"
    assert "第十七届32次常务会议" in answer.answer
    assert answer.citations[0].chunk_id == "b:0" and "审议通过" in answer.citations[0].quote
    assert _grounded(answer)


def test_an_adoption_in_the_body_is_no_meeting_of_the_plan() -> None:
    answer = _ask("白鹭市医共体实施方案是在哪次会议上审议通过的？")
    assert answer is not None and answer.status == "not_found"
    assert "章程" not in answer.answer


def test_the_basis_document_and_its_number_are_cited() -> None:
    answer = _ask("白鹭市这个医共体实施方案是根据省里哪个文件制定的？")
    assert answer is not None and answer.status == "answered"
    assert "《关于印发云岭省全面推进紧密型县域医疗卫生共同体建设实施方案的通知》（云卫健〔2023〕17号）" in answer.answer
    assert "云卫健〔2023〕17号" in answer.citations[0].quote
    assert _grounded(answer)


def test_parts_stated_in_a_sentence_come_in_its_own_words() -> None:
    answer = _ask("《守护计划》一共几部分内容，分别是啥？")
    assert answer is not None and answer.status == "answered"
    for part in ("总体要求", "工作目标", "工作范围", "工作内容"):
        assert part in answer.answer
    assert "起草背景" not in answer.answer
    assert "包括4部分内容" in answer.citations[0].quote
    assert {c.chunk_id for c in answer.citations} == {"c:1", "c:2"}
    assert _grounded(answer)


def test_parts_without_such_a_sentence_are_the_top_level_headings() -> None:
    answer = _ask("白鹭市医共体实施方案分为哪几个部分？")
    assert answer is not None and answer.status == "answered"
    lines = [line for line in answer.answer.splitlines() if line.startswith("- ")]
    assert [line.split("[")[0] for line in lines] == ["- 一、总体目标", "- 二、重点任务", "- 三、保障措施"]


def test_other_questions_and_unnamed_plans_are_left_alone() -> None:
    assert _ask("白鹭市医共体实施方案里2025年建成什么？") is None
    assert _ask("一共几部分内容，分别是啥？") is None


def test_a_cue_added_to_the_rules_is_read() -> None:
    rules = doc_fact_rules()
    assert asked_fact("青禾老年方案是哪届会议通过的", ["青禾老年方案"], rules) is None
    cues = {**rules.cues, "meeting": (*rules.cues["meeting"], "哪届会议")}
    extended = type(rules)(**{**rules.__dict__, "cues": cues})
    assert asked_fact("青禾老年方案是哪届会议通过的", ["青禾老年方案"], extended) == "meeting"


def test_a_basis_question_naming_places_gets_the_titles_of_those_places() -> None:
    docs = {"h": _doc("h", "青禾县人民政府关于推进健康青禾行动的实施意见", "青禾县")}
    chunks = [
        _chunk(
            "h",
            0,
            "各乡镇人民政府：\n为提高全民健康水平，根据《国务院关于推进远方行动的意见》（国发〔2021〕3号）、"
            "《云岭省人民政府关于推进健康云岭行动的实施意见》（云政发〔2022〕7号）、《白鹭市人民政府关于推进健康"
            "白鹭行动的实施意见》（白政发〔2023〕1号）等文件精神，现提出如下实施意见。",
        ),
        _chunk("h", 1, "一、总体目标\n到2025年，居民健康指标优于全市平均水平。", "一、总体目标"),
    ]
    question = "青禾县健康行动实施意见是依据云岭省和白鹭市哪些文件制定的？"
    mentions = MentionResolver(list(docs.values())).find(question)
    named = [m.text for m in mentions]
    assert asked_fact(question, named) is None  # the places left in: not a question about the document alone
    answer = doc_fact_answer(question, mentions, docs, lambda _: chunks, places=("云岭省", "白鹭市", "青禾县"))
    assert answer is not None and answer.status == "answered", answer
    assert "云政发〔2022〕7号" in answer.answer and "白政发〔2023〕1号" in answer.answer
    assert "国发〔2021〕3号" not in answer.answer  # a title of no place asked
    assert "云岭省、白鹭市的文件" in answer.answer  # says the titles are sorted by the places asked
    assert _grounded(answer)
    # Asked without places, every title cited is given.
    plain = doc_fact_answer("青禾县健康行动实施意见是依据哪些文件制定的？", mentions, docs, lambda _: chunks)
    assert plain is not None and "国发〔2021〕3号" in plain.answer

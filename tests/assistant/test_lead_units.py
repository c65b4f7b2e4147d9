"""The lead unit of a task, on a made-up plan (assistant/lead_units.py)."""

from __future__ import annotations

from assistant.lead_units import lead_unit_answer
from assistant.schema import Citation, SearchHit
from assistant.understanding import Query
from ingestion.schema import Chunk

FIRST = "1.健全巡诊网络。完善乡村巡诊制度。（责任单位：县卫生健康局、县财政局。\n\n列第一的为牵头单位，下同。）"
TASK = (
    "2.推进智慧药箱建设。升级村级智慧药箱平台，推广远程用药指导。"
    "（责任单位：县数据管理中心、县卫生健康局、\n\n县市场监管局）"
)


def chunk(ord_: int, text: str) -> Chunk:
    return Chunk(chunk_id=f"c{ord_}", doc_id="d1", ord=ord_, text=text, section="二、主要任务")


def hit(c: Chunk) -> SearchHit:
    return SearchHit(chunk_id=c.chunk_id, doc_id="d1", title="青禾县巡诊方案", region="青禾县", text=c.text, score=1.0)


def cite(h: SearchHit, n: int, quote: str) -> Citation:
    return Citation(n=n, doc_id=h.doc_id, title=h.title, quote=quote, chunk_id=h.chunk_id)


def ask(question: str, indicator: str, chunks: list[Chunk]) -> str | None:
    q = Query(text=question, indicator=indicator)
    answer = lead_unit_answer(q, [hit(c) for c in chunks], lambda _: chunks, cite)
    if answer is None:
        return None
    for c in answer.citations:  # every quote stands in its passage
        assert c.quote in next(x.text for x in chunks if x.chunk_id == c.chunk_id)
    return answer.answer


def test_the_first_unit_of_the_tasks_list_leads_when_the_plan_says_so() -> None:
    chunks = [chunk(1, FIRST), chunk(2, TASK)]
    text = ask("推进智慧药箱建设，牵头单位是哪个？", "推进智慧药箱建设,牵头单位", chunks)
    assert text is not None
    assert "牵头单位为：县数据管理中心" in text
    assert "列第一的为牵头单位" in text


def test_without_the_rule_no_unit_is_named_as_lead() -> None:
    assert ask("推进智慧药箱建设，牵头单位是哪个？", "推进智慧药箱建设,牵头单位", [chunk(2, TASK)]) is None


def test_a_task_the_question_does_not_name_is_not_answered() -> None:
    chunks = [chunk(1, FIRST), chunk(2, TASK)]
    assert ask("家庭医生签约扩面，牵头单位是哪个？", "家庭医生签约扩面,牵头单位", chunks) is None


def test_a_question_not_asking_the_lead_is_left_alone() -> None:
    chunks = [chunk(1, FIRST), chunk(2, TASK)]
    assert ask("推进智慧药箱建设有哪些责任单位？", "推进智慧药箱建设责任单位", chunks) is None


def test_a_footnote_inside_the_list_ends_it() -> None:
    broken = "3.完善巡诊车辆配置。（责任单位：县交通局、县财政局、县住建2 3个乡镇为青禾镇、白石镇。\n局、各乡镇）"
    chunks = [chunk(1, FIRST), chunk(3, broken)]
    text = ask("完善巡诊车辆配置，牵头单位是哪个？", "完善巡诊车辆配置,牵头单位", chunks)
    assert text is not None
    assert "牵头单位为：县交通局" in text
    assert "县交通局、县财政局等[1]" in text


def test_only_a_question_asking_for_the_lead_unit_takes_the_path() -> None:
    # The path runs before the numbers for every question; the word check keeps the search out of the others.
    from assistant.lead_units import asks_lead_unit

    assert asks_lead_unit(Query(text="青川县推进智慧医疗工作，牵头单位是哪个？", indicator="推进智慧医疗工作"))
    number = Query(text="青川县到2025年每万人口全科医生数要达到多少？", indicator="每万人口全科医生数")
    assert not asks_lead_unit(number)


LABELLED = (
    "4.统筹使用编制资源。每5年动态调整乡镇卫生院人员编制总量。（牵头单位：县委编办；\n\n"
    "责任单位：县财政局、县卫生健康局）"
)
TWO_LEADS = "5.完善运行补助政策。对一体化管理的村卫生室给予运行经费。（牵头单位：县财政局、县卫生健康局）"


def test_a_list_labelled_as_lead_names_the_leads_without_a_rule() -> None:
    text = ask("统筹使用编制资源这项是哪个单位牵头？", "统筹使用编制资源这项", [chunk(4, LABELLED)])
    assert text is not None
    assert "牵头单位为：县委编办[1]" in text
    assert "责任单位：县财政局、县卫生健康局" in text


def test_every_unit_of_the_lead_label_is_named() -> None:
    text = ask("完善运行补助政策是谁牵头？", "完善运行补助政策", [chunk(5, TWO_LEADS), chunk(4, LABELLED)])
    assert text is not None
    assert "牵头单位为：县财政局、县卫生健康局[1]" in text


def test_a_labelled_list_of_another_task_does_not_answer() -> None:
    assert ask("家庭医生签约扩面是谁牵头？", "家庭医生签约扩面", [chunk(4, LABELLED), chunk(5, TWO_LEADS)]) is None

"""Who is charged with a duty, on made-up text: an agent named by 由X, or by the heading over its duty."""

from __future__ import annotations

from dataclasses import replace

from assistant.requirements import best_requirement, requirement_answer, requirement_words, states_requirement
from assistant.schema import Citation, SearchHit
from assistant.understanding import Query

DUTIES = (
    "发挥医联体作用，由白鹭区中医院对镇街卫生院做好针灸推拿技术指导、质控和培训，确保村医均可开展适宜技术。"
    "各镇街要加强宣传。"
)

UNITS = "（一）白鹭市财政部门。负责落实诊所建设经费。（二）白鹭市人社部门。负责制定村医招聘办法和薪酬政策。"


def hit(text: str, section: str = "") -> SearchHit:
    return SearchHit(
        chunk_id="c1", doc_id="d1", title="白鹭区基层卫生方案", region="白鹭区", text=text, score=1.0, section=section
    )


def cite(h: SearchHit, n: int, quote: str) -> Citation:
    return Citation(n=n, doc_id=h.doc_id, title=h.title, quote=quote, chunk_id=h.chunk_id)


def test_an_agent_named_by_you_at_a_clause_start_answers_who_is_in_charge() -> None:
    q = "针灸推拿技术指导、质控和培训由哪家单位负责？"
    assert states_requirement(q, "发挥医联体作用，由白鹭区中医院对镇街卫生院做好针灸推拿技术指导。")
    assert not states_requirement(q, "各镇街要做好针灸推拿技术指导。")
    assert not states_requirement(q, "由于人员不足，针灸推拿技术指导推进缓慢。")  # 由于 names no agent
    # A named action (解释) still needs its word: 由X对… does not say who interprets.
    assert not states_requirement("这个细则由谁解释？", "由白鹭区中医院对镇街卫生院做好培训。")


def test_the_duty_sentence_with_its_agent_is_quoted() -> None:
    q = Query(
        text="白鹭区的针灸推拿技术指导、质控和培训，由哪家单位负责？",
        indicator="针灸推拿技术指导、质控和培训,由哪家单位负责",
    )
    answer = requirement_answer(q, [hit(DUTIES)], cite)
    assert answer is not None and answer.status == "answered"
    assert "白鹭区中医院" in answer.answer
    assert answer.citations[0].quote in DUTIES


def test_the_agent_clause_is_a_list_entry() -> None:
    words = replace(requirement_words(), agent_clause=None)
    assert states_requirement("针灸推拿技术指导由哪家单位负责？", "由白鹭区中医院做好针灸推拿技术指导。")
    assert not states_requirement("针灸推拿技术指导由哪家单位负责？", "由白鹭区中医院做好针灸推拿技术指导。", words)


def test_a_duty_under_a_heading_naming_its_unit_is_quoted_with_the_heading() -> None:
    q = Query(text="村医招聘办法由哪个部门负责制定？", indicator="村医招聘办法由哪个部门负责制定")
    found = best_requirement(q, [hit(UNITS, section="三、职责分工 > （二）白鹭市人社部门")])
    assert found is not None
    assert found[1] == "（二）白鹭市人社部门。负责制定村医招聘办法和薪酬政策。"
    assert found[1] in UNITS


def test_a_heading_that_is_not_the_sections_own_is_not_read_with_the_duty() -> None:
    q = Query(text="村医招聘办法由哪个部门负责制定？", indicator="村医招聘办法由哪个部门负责制定")
    found = best_requirement(q, [hit(UNITS, section="三、职责分工")])
    assert found is not None
    assert found[1] == "负责制定村医招聘办法和薪酬政策。"


DUTY_ITEM = "（三）白鹭市人社部门。协同卫健部门研究村医招聘政策。合理核定诊所绩效工资总量。"
OTHER_DUTY = "4.提升待遇。统筹平衡诊所与县医院的关系，合理确定诊所绩效工资总量和水平。"


def test_a_later_duty_of_a_unit_item_is_quoted_after_its_heading() -> None:
    # The third sentence of the item names no agent: the item's heading does, and is quoted before it.
    q = Query(text="白鹭诊所的绩效工资总量是哪个部门来核定？", indicator="诊所的绩效工资总量是哪个部门来核定")
    units = hit(DUTY_ITEM, section="四、职责分工 > （三）白鹭市人社部门")
    answer = requirement_answer(q, [hit(OTHER_DUTY, section="二、主要任务 > 4.提升待遇"), units], cite)
    assert answer is not None
    assert [c.quote for c in answer.citations] == ["（三）白鹭市人社部门。", "合理核定诊所绩效工资总量。"]
    assert "白鹭市人社部门" in answer.answer


def test_a_heading_naming_no_unit_is_not_quoted_as_the_agent() -> None:
    from assistant.requirements import agent_heading

    task = "（三）加强人才保障。协同卫健部门研究村医招聘政策。合理核定诊所绩效工资总量。"
    h = hit(task, section="三、保障措施 > （三）加强人才保障")
    assert agent_heading(h, "合理核定诊所绩效工资总量。", "绩效工资总量由哪个部门核定？") == ""
    units = hit(DUTY_ITEM, section="四、职责分工 > （三）白鹭市人社部门")
    found = agent_heading(units, "合理核定诊所绩效工资总量。", "绩效工资总量由哪个部门核定？")
    assert found == "（三）白鹭市人社部门。"
    # Not a who question: no heading.
    assert agent_heading(units, "合理核定诊所绩效工资总量。", "绩效工资总量怎么核定？") == ""

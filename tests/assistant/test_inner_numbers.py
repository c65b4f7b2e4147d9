"""Officials' wording end to end on a made-up plan: a number inside a row's wording (inner_numbers.py),
one question word per item (parts.py), follow-ups that point back, a clause leaning on its sentence,
and greetings before a question or asking what the assistant does."""

from __future__ import annotations

import pytest

from assistant.inner_numbers import inner_number, inner_number_answer
from assistant.schema import Citation, Turn
from assistant.service import Assistant
from assistant.understanding import Query
from ingestion.schema import Target
from tests.conftest import make_settings

PLAN = """\
青禾县基层卫生服务能力提升行动方案（2030—2032年）

一、主要目标
到2031年，乡镇卫生院医疗服务能力达到基本标准的比例达到80%以上；到2032年，乡镇卫生院医疗服务能力达到基本标准的比例达到90%以上。

二、重点任务
（一）完善服务网络。原则上每个建制乡镇设置1所卫生院，每个街道或2—6万人口设置1处社区健康驿站，偏远村可设流动服务点。
（二）配齐巡诊设备。各地要组织开展巡诊设备更新工作，各乡镇卫生院巡诊车辆，到2031年底配齐率不低于60%，完好率100%；到2032年底配齐率达90%，完好率100%。
（三）加强人才培养。落实“师带徒”等政策，培养乡村骨干医师60名，培养“中医通”人员150名。
"""


def _row(indicator: str, value: float, unit: str, quote: str) -> Target:
    return Target(
        target_id="t1", doc_id="p", region="白鹭市", indicator=indicator, value=value, unit=unit, quote=quote
    )


def _cite(row: Target, n: int) -> Citation:
    return Citation(n=n, doc_id=row.doc_id, title="", source="", quote=row.quote, target_id=row.target_id)


def test_the_number_inside_a_rows_wording_answers_the_noun_it_counts() -> None:
    quote = "原则上每个乡镇设置1所卫生院，每个街道或2—6万人口设置1处社区健康驿站。"
    row = _row("每个街道或2—6万人口设置社区健康驿站", 1, "处", quote)
    assert inner_number(row, "人口") == "2—6万人口"
    assert inner_number(row, "街道") is None  # no number before it
    answer = inner_number_answer(Query(text="白鹭市社区健康驿站按多少人口设置一处？"), [row], _cite)
    assert answer is not None and answer.status == "answered"
    assert answer.answer == "白鹭市：每个街道或**2—6万人口**设置1处社区健康驿站[1]。"
    assert answer.citations[0].target_id == "t1"
    # Asking the count, not the population: the row's own value answers (no inner number path).
    assert inner_number_answer(Query(text="白鹭市每个街道设置多少处社区健康驿站？"), [row], _cite) is None


def test_a_row_whose_value_counts_the_noun_has_no_inner_number() -> None:
    row = _row("2030年常住人口数", 36, "万人", "2030年常住人口数36万人。")
    assert inner_number(row, "人口") is None
    assert inner_number_answer(Query(text="白鹭市常住人口多少人口？"), [row], _cite) is None


@pytest.fixture(scope="module")
def made_up_assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("officials_wording")
    plans = root / "plans"
    plans.mkdir()
    (plans / "qinghe_plan.txt").write_text(PLAN, encoding="utf-8")
    assistant = Assistant(make_settings(root))
    assert [r.status for r in assistant.ingest(sorted(plans.iterdir()))] == ["added"]
    return assistant


def test_a_population_asked_is_the_number_before_it(made_up_assistant: Assistant) -> None:
    answer = made_up_assistant.ask("青禾县社区健康驿站按多少人口设置一处？")
    assert answer.status == "answered", answer.answer
    assert "**2—6万人口**" in answer.answer and "**1处**" not in answer.answer
    assert "2—6万人口" in answer.citations[0].quote


def test_how_many_of_each_item_answers_every_item(made_up_assistant: Assistant) -> None:
    answer = made_up_assistant.ask("青禾县要培养多少乡村骨干医师、多少“中医通”人员？")
    assert answer.status == "answered", answer.answer
    assert "60名" in answer.answer and "150名" in answer.answer
    missing = made_up_assistant.ask("青禾县要培养多少乡村骨干医师和多少家庭药师？")
    assert "60名" in missing.answer
    assert "家庭药师" in missing.answer and "没有找到相应的目标值" in missing.answer


def test_a_follow_up_year_answered_by_a_clause_leaning_on_its_sentence(made_up_assistant: Assistant) -> None:
    history = [
        Turn(role="user", content="青禾县乡镇卫生院巡诊车辆，2031年底配齐率要求多少？"),
        Turn(role="assistant", content="到2031年底配齐率不低于60%，完好率100%[1]。"),
    ]
    answer = made_up_assistant.ask("那到32年底呢？", history=history)
    assert answer.status == "answered", answer.answer
    assert "到2032年底配齐率达90%" in answer.answer
    assert "完好率100%；[1]到2032年底" in answer.answer  # each clause carries its marker
    assert "巡诊车辆" in answer.citations[0].quote  # the clause is quoted with the words naming its subject


def test_a_follow_up_of_only_back_references_asks_the_previous_indicator(made_up_assistant: Assistant) -> None:
    history = [
        Turn(role="user", content="青禾县乡镇卫生院医疗服务能力达到基本标准的比例，2031年要达到多少？"),
        Turn(role="assistant", content="80%以上[1]。"),
    ]
    answer = made_up_assistant.ask("2032年定的是多少？", history=history)
    assert answer.status == "answered", answer.answer
    assert "90%以上" in answer.answer and "80%" not in answer.answer


def test_greetings_before_a_question_and_capability_questions(made_up_assistant: Assistant) -> None:
    assert made_up_assistant.ask("在吗？你这个助手都能帮我查点啥？").status == "help"
    answer = made_up_assistant.ask("在吗？青禾县要培养多少乡村骨干医师？")
    assert answer.status == "answered" and "60名" in answer.answer

"""Comparisons across named regions on made-up rows (assistant/compare.py)."""

from __future__ import annotations

from assistant.compare import answer_regions
from assistant.lookup import RowIndex
from assistant.schema import Answer
from assistant.target_rows import MemoryRows
from assistant.understanding import Query
from ingestion.schema import Target


def row(tid: str, doc: str, region: str, indicator: str, value: float, unit: str) -> Target:
    return Target(
        target_id=tid,
        doc_id=doc,
        region=region,
        indicator=indicator,
        value=value,
        unit=unit,
        value_text=f"{value:g}{unit}",
        year="2030",
        quote=f"到2030年，{indicator}达到{value:g}{unit}。",
        start=int(tid[1:]) * 10,
        end=int(tid[1:]) * 10 + 9,
    )


ROWS = [
    row("t1", "a", "青禾市", "巡诊车辆配备率", 90, "%"),
    row("t2", "b", "白石市", "巡诊车辆配备率", 80, "%"),
    row("t3", "a", "青禾市", "累计配备巡诊车辆", 30, "辆"),
    row("t4", "b", "白石市", "巡诊车辆配备占比", 60, "%"),
]
DOC_REGIONS = {"a": "青禾市", "b": "白石市"}


def compose(query: Query, rows: list[Target]) -> Answer:
    text = "\n".join(f"- {r.region}{r.indicator}：{r.value_text}" for r in rows)
    return Answer(question=query.text, answer=text, status="answered", targets=rows)


def compare(indicator: str, regions: tuple[str, ...], rows: list[Target] = ROWS) -> Answer | None:
    query = Query(text=f"比较{'和'.join(regions)}{indicator}", regions=regions, indicator=indicator, intent="compare")
    return answer_regions(query, RowIndex(MemoryRows(rows)), DOC_REGIONS, None, compose)


def test_every_named_region_gets_its_line() -> None:
    answer = compare("巡诊车辆配备率", ("青禾市", "白石市"))
    assert answer is not None
    assert {r.target_id for r in answer.targets} == {"t1", "t2"}
    assert "不宜直接比较" not in answer.answer


def test_a_region_without_the_target_says_so() -> None:
    answer = compare("巡诊车辆配备率", ("青禾市", "白石市"), ROWS[:1])
    assert answer is not None
    assert "白石市：现有规划文件中没有找到相应的目标值" in answer.answer


def test_different_indicators_are_named_as_different() -> None:
    answer = compare("巡诊车辆", ("青禾市", "白石市"), [ROWS[2], ROWS[3]])
    assert answer is not None
    assert "不宜直接比较" in answer.answer
    assert "累计配备巡诊车辆" in answer.answer and "巡诊车辆配备占比" in answer.answer


def test_one_region_is_not_a_comparison() -> None:
    assert compare("巡诊车辆配备率", ("青禾市",)) is None

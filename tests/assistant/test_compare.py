"""Comparisons across named regions on made-up rows (assistant/compare.py)."""

from __future__ import annotations

from assistant.compare import annotate_rows, answer_regions
from assistant.lookup import MAX_ROWS, RowIndex, lookup
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


def title_of(doc_id: str) -> str:
    return {"a": "青禾市巡诊方案", "b": "白石市巡诊计划"}[doc_id]


def test_plans_with_different_indicators_are_noted_in_a_list() -> None:
    rows = [ROWS[2], ROWS[3]]
    answer = annotate_rows(compose(Query(text="各地巡诊车辆"), rows), rows, [], title_of)
    assert "《青禾市巡诊方案》为“累计配备巡诊车辆”" in answer.answer
    assert "不宜直接比较" in answer.answer


def test_plans_with_one_indicator_get_no_note() -> None:
    rows = [ROWS[0], ROWS[1]]
    answer = annotate_rows(compose(Query(text="各地巡诊车辆配备率"), rows), rows, [], title_of)
    assert "不宜直接比较" not in answer.answer


def test_a_cut_list_says_how_many_regions_more() -> None:
    rows = [
        row(f"t{i}", "a", f"第{i}片区", "巡诊车辆配备率", 50 + i, "%").model_copy(update={"year": str(2030 + i % 3)})
        for i in range(1, 31)
    ]
    query = Query(text="各片区巡诊车辆配备率分别是多少", indicator="巡诊车辆配备率", all_subregions=True, intent="list")
    found = lookup(query, RowIndex(MemoryRows(rows)), {"a": "青禾市"}, None)
    assert len(found.rows) == MAX_ROWS
    assert len(found.unshown_regions) == 30 - MAX_ROWS
    answer = annotate_rows(compose(query, found.rows), found.rows, found.unshown_regions, title_of)
    assert "未列全" in answer.answer
    assert all(region in answer.answer for region in found.unshown_regions)

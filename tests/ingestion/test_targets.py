"""Target rows: quotes verbatim, gold recall/precision, and a made-up plan (guard against per-plan rules)."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.target_gold import PRECISION_GOAL, RECALL_GOAL, evaluate, extract_shipped, load_gold
from ingestion.cleaning import clean_text
from ingestion.schema import DocumentMeta, ParsedDocument, Target
from ingestion.tables import find_tables, table_from_grid
from ingestion.targets import extract_targets

SYNTH = Path(__file__).with_name("data") / "synthetic_plan.txt"


def doc_from_text(raw: str, region: str = "", doc_id: str = "d") -> ParsedDocument:
    text, pages = clean_text(raw)
    return ParsedDocument(
        doc_id=doc_id,
        source=f"{doc_id}.txt",
        content_hash="0",
        text=text,
        meta=DocumentMeta(region=region),
        tables=find_tables(text),
        pages=pages,
    )


@pytest.fixture(scope="module")
def shipped() -> list[Target]:
    return extract_shipped()


def key(t: Target) -> tuple[object, ...]:
    return (t.kind, t.year, t.comparator, t.value, t.value_max, t.unit, t.region)


def test_every_row_quote_is_verbatim_and_contains_its_value(shipped: list[Target]) -> None:
    from ingestion.pipeline import parse_file

    assert len(shipped) > 600
    plans = sorted((Path(__file__).resolve().parents[2] / "data" / "plans").glob("*.txt"))
    texts = {p.name: parse_file(p, 50_000_000, sidecar=False).text for p in plans}
    for t in shipped:
        text = texts[t.source]
        assert text[t.start : t.end] == t.quote, t
        assert t.value_text and t.value_text in t.quote, t
        assert t.target_id and t.indicator


def test_target_ids_are_unique_and_deterministic(shipped: list[Target]) -> None:
    ids = [t.target_id for t in shipped]
    assert len(ids) == len(set(ids))
    assert ids == [t.target_id for t in extract_shipped()]


def test_gold_recall_and_precision(shipped: list[Target]) -> None:
    gold = load_gold()
    assert len(gold) >= 120
    report = evaluate(shipped, gold)
    assert report.recall >= RECALL_GOAL, report.misses
    assert report.precision >= PRECISION_GOAL, report.false_rows


def test_not_targets(shipped: list[Target]) -> None:
    plan0 = [t for t in shipped if t.source.startswith("000") and t.kind == "narrative"]
    assert not any(t.value in {28, 30} and t.unit in {"次", "号", ""} for t in plan0)  # 第28次, 〔2023〕30号
    assert not any(t.unit == "岁" for t in shipped)
    plan2 = [t for t in shipped if t.source.startswith("002") and t.kind == "narrative"]
    assert not any(t.value == 29 for t in plan2)  # 全市29个农村区域性医疗卫生中心: a status count


def test_synthetic_plan_narrative_rows() -> None:
    doc = doc_from_text(SYNTH.read_text(encoding="utf-8"), region="青禾市", doc_id="synth")
    rows = extract_targets(doc)
    narrative = {(t.year, t.comparator, t.value, t.value_max, t.unit): t for t in rows if t.kind == "narrative"}
    expected = {
        ("2024", "≥", 75, None, "%"): "标准化建设达标率",
        ("2024", "≥", 88, None, "%"): "基本标准的机构比例",
        ("2024", "≥", 45, None, "%"): "推荐标准的机构比例",
        ("2024", "=", 3.8, None, "名"): "每万人口全科医生数",
        ("2024", "=", 260, None, "名"): "骨干人才",
        ("2026", "≥", 95, None, "%"): "标准化建设达标率",
        ("2026", "=", 4.5, None, "名"): "每万人口全科医生数",
        ("2026", "≥", 12, None, "个"): "社区医院",
        ("", "≥", 2500, None, "平米"): "建筑面积",
        ("", "≥", 40, None, "张"): "床位",
        ("", "=", 18, 30, "名"): "基层卫生人员",
        ("2024-2026", "=", 150, None, "人"): "定向医学生",
        ("每年", "≥", 120, None, "人次"): "骨干人员",
    }
    for k, phrase in expected.items():
        assert k in narrative, k
        assert phrase in narrative[k].indicator
        assert narrative[k].region == "青禾市"
    assert narrative[("", "≥", 2500, None, "平米")].scope == "乡镇卫生院"
    assert not any(t.value == 37 for t in rows)  # 现有37个: status quo
    assert narrative[("2026", "=", 4.5, None, "名")].page == 3


def test_synthetic_plan_table_rows() -> None:
    doc = doc_from_text(SYNTH.read_text(encoding="utf-8"), region="青禾市", doc_id="synth")
    cells = {(t.region, t.column_header): t for t in extract_targets(doc) if t.kind == "table"}
    t = cells[("柳湾区", "培养全科医生数（人）/2025年")]
    assert (t.value, t.unit, t.year, t.row_label, t.table_title) == (
        9,
        "人",
        "2025",
        "柳湾区",
        "青禾市基层卫生能力提升任务分解表",
    )
    assert doc.text[t.start : t.end] == "柳湾区 1  1 8 9 9"
    assert ("柳湾区", "新增社区医院数（个）/2025年") not in cells  # empty cell
    assert cells[("青禾市", "新增社区医院数（个）/2026年")].row_label == "合计"
    inline = cells[("青禾市", "每万服务人口全科医师数（名）")]
    assert (inline.value, inline.value_max, inline.unit, inline.year) == (3, 4, "名", "2026")
    assert cells[("青禾市", "村卫生室覆盖率%")].unit == "%"


def test_time_scope_carries_forward_and_resets() -> None:
    raw = (
        "到2030年底，全市家庭医生签约率达80%以上；重点人群签约率达95%。\n"
        "每年培训乡村医生不少于500人次，床位使用率达85%。\n"
        "“十四五”期间，按照常住人口1‰配备乡村医生；社区医院建成率达60%。\n"
        "2031年上半年，远程会诊覆盖率达到50%。\n"
    )
    rows = {t.value: t.year for t in extract_targets(doc_from_text(raw))}
    assert rows == {80: "2030", 95: "2030", 500: "每年", 85: "", 1: "十四五", 60: "", 50: "2031上半年"}


def test_enumeration_with_fenbie_is_distributed() -> None:
    raw = "到2030年，镇卫生院、村卫生室分别能提供12项、6项以上中医适宜技术；甲类、乙类机构占比分别达70%和20%。\n"
    rows = extract_targets(doc_from_text(raw))
    got = {(t.value, t.comparator, t.scope) for t in rows}
    assert {(12, "≥", "镇卫生院"), (6, "≥", "村卫生室")} <= got
    by_value = {t.value: t.indicator for t in rows}
    assert "甲类机构占比" in by_value[70] and "乙类机构占比" in by_value[20]


def test_a_list_of_rates_after_one_verb_shares_its_subject() -> None:
    raw = "到2030年各县高血压患者健康管理工作指标达到建档率＞80%、规范管理率＞70%、血压控制率>60%的要求。\n"
    rows = {t.value: t for t in extract_targets(doc_from_text(raw))}
    assert set(rows) == {80, 70, 60}
    for value, rate in ((70, "规范管理率"), (60, "血压控制率")):
        assert rows[value].indicator.endswith(rate)
        assert "高血压患者" in rows[value].indicator  # the subject before 达到, not the bare rate
        assert rows[value].comparator == ">" and rows[value].year == "2030"


def test_a_headless_rate_takes_its_subject_from_an_earlier_clause() -> None:
    raw = (
        "扩大包虫病筛查覆盖面，筛查覆盖率高于当地牧区人口数的30%。"
        "白石镇推进流动诊疗车配置，做实巡诊服务，到2030年，配置率达到60%以上。\n"
    )
    rows = {t.value: t for t in extract_targets(doc_from_text(raw))}
    assert rows[30].indicator.startswith("包虫病筛查覆盖率") and rows[30].comparator == ">"
    assert rows[60].indicator == "流动诊疗车配置率" and rows[60].year == "2030"


def test_a_rate_keeps_its_name_when_no_earlier_clause_names_its_subject() -> None:
    raw = (
        "加强老年人、孕产妇等重点人群健康服务，重点人群签约服务覆盖率达到85%以上。"
        "加强全科医生队伍建设，到2030年，每万人口全科医生数达到5名。\n"
    )
    rows = {t.value: t for t in extract_targets(doc_from_text(raw))}
    assert rows[85].indicator == "重点人群签约服务覆盖率"  # a list of members is not a subject
    assert rows[5].indicator == "每万人口全科医生数"


def test_items_with_their_own_verb_keep_their_own_names() -> None:
    raw = "到2030年，结核病患者管理率达到95%以上、规范服药率达到92%以上。\n"
    rows = {t.value: t for t in extract_targets(doc_from_text(raw))}
    assert rows[92].indicator == "规范服药率"
    assert rows[95].indicator == "结核病患者管理率"


def test_failing_table_is_not_emitted() -> None:
    grid: list[list[str | None]] = [["地区", "2024年", "2025年"], ["甲县", "1", "2"], ["合计", "5", "2"]]
    table = table_from_grid(grid, title="分解表")
    assert table.totals_ok is False
    doc = ParsedDocument(doc_id="g", source="g.docx", content_hash="0", text="甲县\t1\t2\n", meta=DocumentMeta(),
                         tables=[table])  # fmt: skip
    assert [t for t in extract_targets(doc) if t.kind == "table"] == []


def test_a_status_quo_column_gives_baselines_of_no_year() -> None:
    # A made-up task table: the 常住人口数 and 现有…数 columns describe today, the year columns are goals.
    raw = (
        "附件 1\n\n青禾市健康驿站建设任务分解表（2030—2032年）\n\n"
        "县区 常住人口数（万人） 现有健康驿站数（个） 新建健康驿站数（个）/2030年 新建健康驿站数（个）/2031年\n\n"
        "柳湾区 42.15 6 2 3 \n\n"
        "石门县 18.6 3 1 1 \n\n"
        "合计 60.75 9 3 4 \n"
    )
    doc = doc_from_text(raw, region="青禾市")
    rows = {(t.region, t.indicator, t.year): t for t in extract_targets(doc) if t.kind in ("table", "baseline")}
    people = rows[("柳湾区", "常住人口数（万人）", "")]
    assert (people.kind, people.value, people.unit) == ("baseline", 42.15, "万人")
    assert rows[("石门县", "现有健康驿站数（个）", "")].kind == "baseline"
    goal = rows[("柳湾区", "新建健康驿站数（个）", "2031")]
    assert (goal.kind, goal.value) == ("table", 3)


def test_the_action_verb_list_decides_where_a_subject_starts() -> None:
    from ingestion.targets.subjects import with_subject

    before = "统筹包虫病筛查覆盖面，"
    assert with_subject(before, "筛查覆盖率", ("扩大",)) == "筛查覆盖率"  # 统筹 is not listed
    assert with_subject(before, "筛查覆盖率", ("统筹",)) == "包虫病筛查覆盖率"

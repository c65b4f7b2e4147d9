"""Flattened and grid tables: headers, empty cells, totals check (ingestion.tables)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.cleaning import clean_text
from ingestion.tables import find_tables, table_from_grid

PLANS = sorted((Path(__file__).resolve().parents[2] / "data" / "plans").glob("*.txt"))
SYNTH = Path(__file__).with_name("data") / "synthetic_plan.txt"


def tables_of(path: Path) -> tuple[str, list]:
    text, _ = clean_text(path.read_text(encoding="utf-8"))
    return text, find_tables(text)


@pytest.mark.parametrize(("path", "n"), list(zip(PLANS, [3, 0, 5, 0, 0], strict=True)), ids=lambda x: str(x)[-28:-25])
def test_every_table_of_the_shipped_plans_parses(path: Path, n: int) -> None:
    text, tables = tables_of(path)
    assert len(tables) == n
    for t in tables:
        has_total = any(r.is_total for r in t.rows)
        assert t.totals_ok is (True if has_total else None), t.warnings
        assert all(text[r.start : r.end] == r.quote for r in t.rows)
        assert all(len(r.cells) == len(t.columns) for r in t.rows)
        assert not any(c.startswith("列") for c in t.columns), t.columns


def test_annex_tables_with_a_total_row_all_add_up() -> None:
    n_checked = 0
    for path in PLANS:
        for t in tables_of(path)[1]:
            if any(r.is_total for r in t.rows):
                assert t.totals_ok is True
                n_checked += 1
    assert n_checked == 6


def test_space_rows_two_level_header_and_empty_cells() -> None:
    _, tables = tables_of(PLANS[0])
    t = tables[0]
    assert t.label_header == "县区"
    assert t.title.endswith("基础设施建设任务分解表（2023—2025年）")
    assert t.columns == [
        "建制乡镇（街道）数（个）",
        "常住人口数（万人）",
        "现有乡镇卫生院和社区卫生服务中心数（个）",
        "基础设施建设提档升级机构数（个）/小计",
        "基础设施建设提档升级机构数（个）/2023年",
        "基础设施建设提档升级机构数（个）/2024年",
        "基础设施建设提档升级机构数（个）/2025年",
        "计划改造、扩建、新建面积（㎡）",
    ]
    rows = {r.label: r.cells for r in t.rows}
    assert rows["连云区"] == ["9", "16.14", "5", "3", None, "1", "2", "26567"]
    assert rows["云台山景区"] == ["1", "2.95", "1", "1", None, "1", None, "13400"]
    third = tables[2]
    assert "培养全科医生数（人）/2023年" in third.columns
    assert {r.label: r.cells for r in third.rows}["开发区"][:4] == ["3", None, None, None]


def test_tab_cell_tables_with_spans_and_three_levels() -> None:
    _, tables = tables_of(PLANS[2])
    inline = tables[0]
    assert inline.title == "基层医疗卫生机构建设类目标值"
    assert inline.label_header == "类别"
    assert inline.columns[:3] == [
        "优质服务基层行/达国家推荐标准占比%",
        "优质服务基层行/达国家基本标准占比%",
        "社区医院占比%",
    ]
    assert inline.rows[0].label == "2025年目标值"
    assert inline.rows[0].cells == ["50", "100", "20", "20", "80", "80", "50", "100"]
    staffing = tables[1]
    assert staffing.columns[2] == "社区卫生服务中心每万服务人口医护人员配备（名）/全科医师"
    assert staffing.rows[0].cells[1] == "11-15最高不超18"
    first_annex = tables[2]
    assert first_annex.columns[6] == "农村区域性医疗卫生中心十大功能中心（选建中心除外）建成数量（个）/合计"
    three = tables[4]
    assert three.columns[9] == "村卫生室（社区卫生服务站）/改扩建（个）/2023年"
    assert {r.label: r.cells[9] for r in three.rows}["通州"] == "196"


def test_synthetic_plan_tables() -> None:
    _, tables = tables_of(SYNTH)
    annex, inline = tables
    assert annex.totals_ok is True
    assert annex.columns[0] == "新增社区医院数（个）/2024年"
    assert {r.label: r.cells for r in annex.rows}["石桥县"] == [None, "2", "1", "7", "7", "8"]
    assert inline.columns == ["每万服务人口全科医师数（名）", "村卫生室覆盖率%"]


def test_a_table_that_does_not_add_up_is_flagged() -> None:
    text = "某表\n县区\n人数（人）\n2024 年 2025 年 2026 年\n甲县 1 2 1 \n乙县 3 4 1 \n合计 4 9 2 \n"
    (t,) = find_tables(text)
    assert t.totals_ok is False
    assert any("合计核对不通过" in w for w in t.warnings)


def test_misplaced_empty_cell_is_placed_by_the_totals() -> None:
    # The extraction lost the double space: 乙县 has 2 values for 3 columns; only one placement adds up.
    text = "县区\n数量（个）\n2023 年 2024 年 2025 年\n甲县 1 2 3 \n乙县 5 6 \n丙县 1 1 1 \n合计 2 8 10 \n"
    (t,) = find_tables(text)
    assert t.totals_ok is True
    assert {r.label: r.cells for r in t.rows}["乙县"] == [None, "5", "6"]


def test_table_from_grid_with_merged_header_cells_repeated() -> None:
    grid: list[list[str | None]] = [
        ["地区", "新增社区医院数（家）", "新增社区医院数（家）", "培训人数（人）"],
        ["地区", "2024年", "2025年", "合计"],
        ["甲县", "1", "2", "10"],
        ["乙县", "0", None, "5"],
        ["合计", "1", "2", "15"],
    ]
    t = table_from_grid(grid, title="分解表", source="docx")
    assert t.source == "docx"
    assert t.label_header == "地区"
    assert t.columns == ["新增社区医院数（家）/2024年", "新增社区医院数（家）/2025年", "培训人数（人）/合计"]
    assert t.totals_ok is True
    assert t.rows[1].cells == ["0", None, "5"]
    assert t.rows[0].quote == "甲县\t1\t2\t10"
    assert t.rows[-1].is_total


def test_tab_row_text_tables_are_found() -> None:
    text = "附件：分解表\n地区\t2024年\t2025年\n甲县\t1\t2\n乙县\t3\t4\n合计\t4\t6\n"
    (t,) = find_tables(text)
    assert t.title == "分解表"
    assert t.columns == ["2024年", "2025年"]
    assert t.totals_ok is True
    assert text[t.rows[0].start : t.rows[0].end] == "甲县\t1\t2"

"""Tables a web page renders one cell per line with a delimiter after each cell, on made-up text.

Each rule of the form gets its own test: the cleaner's rewrite into tab rows (`` |``, ``|`` and a trailing
tab), the indicator table read from those rows (label, unit, base-year and lead-unit columns), change cells
kept with their words, and the session ordinal of a cover sentence that is never a target.
"""

from __future__ import annotations

from ingestion.cleaning import clean_text, delimited_rows
from ingestion.tables import find_tables
from ingestion.tables.indicator_rows import find_indicator_rows
from ingestion.text.numbers import parse_quantities
from tests.ingestion.test_unseen_plan_rules import _rows

HEADER = ["序号", "指标名称", "单位", "2024年", "2026年", "2028年", "责任单位"]
BODY = [
    ["1", "白鹭市民步行指数", "分", "61.5", "≥64", "≥68", "市体育局"],
    ["2", "青苔社区随访覆盖率", "%", "72.3", "每年提高1.5%左右或不低于全省平均水平", "每年提高1.5%左右", "市卫健局"],
    ["3", "甲类示范点", "个", "0", "建成", "建成", "市卫健局"],
    ["4", "乙类事故发生率", "/10万", "5.6", "较2023年 下降4%", "持续改善", "市应急局 市交通局"],
    ["5", "丙类人群达标率", "%", "-", "≤0.8", "上级下达 目标值", "市教育局"],
]
COVER = (
    "鹭政办函〔2026〕3号\n各镇人民政府：\n《白鹭市步行健康行动计划》已经市人民政府第九届27次常务会议审议通过。"
    "现印发给你们，请认真组织实施。\n白鹭市人民政府办公室\n2026年2月10日\n"
    "白鹭市步行健康行动计划\n（2025-2028年）主要目标\n"
)


def _cells(delimiter: str) -> str:
    return "".join(f"{c}{delimiter}\n" for row in [HEADER, *BODY] for c in row)


def test_delimited_cells_become_tab_rows_of_the_header_width() -> None:
    for delimiter in (" |", "|", "\t"):
        lines = delimited_rows(["白鹭市步行健康行动计划主要目标", *_cells(delimiter).splitlines(), "附件2"])
        assert lines[0] == "白鹭市步行健康行动计划主要目标" and lines[-1] == "附件2"
        assert lines[1:-1] == ["\t".join(r) for r in [HEADER, *BODY]], delimiter


def test_a_run_that_is_no_whole_number_of_rows_or_has_no_year_column_stays_as_it_is() -> None:
    partial = _cells(" |").splitlines()[:-3]  # the last row cut short
    assert delimited_rows(partial) == partial
    no_year = ["序号 |", "指标名称 |", "单位 |", "1 |", "甲类比例 |", "% |"]
    assert delimited_rows(no_year) == no_year
    prose = ["甲 | 乙两类机构合作，", "丙类 | 丁类"]
    assert delimited_rows(prose) == prose


def test_tab_rows_under_an_indicator_header_are_an_indicator_table_with_unit_and_lead_columns() -> None:
    text, _ = clean_text(COVER + _cells(" |") + "三、保障措施\n各部门要加强协作。\n")
    (table,) = [t for t in find_tables(text) if t.kind == "indicators"]
    assert table.title == "白鹭市步行健康行动计划（2025-2028年）主要目标"
    assert table.label_header == "指标名称"
    assert table.columns == ["单位", "2024年", "2026年", "2028年", "责任单位"]  # 序号 is a grouping column
    assert table.rows[0].label == "白鹭市民步行指数"
    assert table.rows[0].cells == ["分", "61.5", "≥64", "≥68", "市体育局"]
    assert table.rows[3].cells[2] == "较2023年 下降4%"  # a cell keeps its inner space
    assert table.rows[4].cells[1] == "-"
    assert text[table.rows[0].start : table.rows[0].end] == table.rows[0].quote
    assert "保障措施" not in text[table.start : table.end]


def test_no_indicator_table_without_an_indicator_header() -> None:
    assert find_indicator_rows("地区\t2025年\n甲县\t12\n乙县\t15\n") == []


def _targets() -> list[tuple[str, str, str, str, float, str]]:
    rows = _rows(COVER + _cells(" |"), date="2026-02-10")
    return sorted((t.kind, t.year, t.indicator, t.comparator, t.value, t.unit) for t in rows)


def test_past_year_column_gives_baselines_later_columns_targets_and_words_give_no_row() -> None:
    rows = _targets()
    assert ("baseline", "2024", "白鹭市民步行指数", "=", 61.5, "分") in rows
    assert ("table", "2026", "白鹭市民步行指数", "≥", 64.0, "分") in rows
    assert ("table", "2028", "白鹭市民步行指数", "≥", 68.0, "分") in rows
    assert ("baseline", "2024", "甲类示范点", "=", 0.0, "个") in rows
    assert not any(r[2] == "甲类示范点" and r[0] == "table" for r in rows)  # 建成 is no number
    assert ("table", "2026", "丙类人群达标率", "≤", 0.8, "/10万") not in rows  # its unit is %
    assert ("table", "2026", "丙类人群达标率", "≤", 0.8, "%") in rows
    assert not any(r[2] == "丙类人群达标率" and r[1] in {"2024", "2028"} for r in rows)  # - and 上级下达


def test_change_cells_keep_their_words_with_the_indicator() -> None:
    rows = _targets()
    assert ("table", "2026", "青苔社区随访覆盖率（每年提高）", "≈", 1.5, "%") in rows
    assert ("table", "2028", "青苔社区随访覆盖率（每年提高）", "≈", 1.5, "%") in rows
    assert ("table", "2026", "乙类事故发生率（较2023年下降）", "=", 4.0, "%") in rows
    assert ("baseline", "2024", "乙类事故发生率", "=", 5.6, "/10万") in rows


def test_no_narrative_row_from_the_table_or_the_cover_sentence() -> None:
    rows = _targets()
    assert not [r for r in rows if r[0] == "narrative"]
    assert len(rows) == 3 + 3 + 1 + 2 + 1  # 步行指数 3, 随访 3, 示范点 1, 事故 2 (+ base), 丙类 1


def test_a_session_ordinal_is_never_a_quantity() -> None:
    assert parse_quantities("已经县人民政府第五届12次常务会议审议通过") == []
    assert parse_quantities("经区委十二届三次全会审议") == []
    assert [q.text for q in parse_quantities("每季度召开2次联席会议")] == ["2次"]

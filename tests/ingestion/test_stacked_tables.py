"""Indicator tables written one cell per line (a web or Word table copied as text), on made-up text."""

from __future__ import annotations

from ingestion.tables.stacked import find_stacked_tables
from tests.ingestion.test_unseen_plan_rules import _key, _rows

WITH_ATTRIBUTE = """某某行动主要指标

领域

序号

指标

基期水平

2025年目标值

2035年目标值

指标性质

（一）

甲项行动

结果性指标

1

甲类人群达标率（%）

31.5

≥40

≥60

预期性

说明：达标率是指达标人数占监测人数的比例。

计算方法：达标人数/监测人数×100%。

2

乙类设施覆盖率（%）

85

100

约束性

3

建立丙类工作机制

实现

约束性

4

个人定期参加丁类活动

倡导性

三、组织实施

各地要加强组织领导。
"""


def test_records_become_rows_with_cells_placed_from_the_right() -> None:
    (table,) = find_stacked_tables(WITH_ATTRIBUTE)
    assert table.kind == "indicators" and table.title == "某某行动主要指标"
    assert table.columns == ["基期水平", "2025年目标值", "2035年目标值", "指标性质"]
    assert [(r.label, r.cells) for r in table.rows] == [
        ("甲类人群达标率（%）", ["31.5", "≥40", "≥60", "预期性"]),
        ("乙类设施覆盖率（%）", [None, "85", "100", "约束性"]),  # 85 and 100 are values, not serial numbers
        ("建立丙类工作机制", [None, None, "实现", "约束性"]),
    ]
    assert "三、组织实施" not in WITH_ATTRIBUTE[table.start : table.end]


def test_stacked_table_gives_targets_and_no_formula_row() -> None:
    rows = sorted((t.indicator[:2], *_key(t), t.attribute) for t in _rows(WITH_ATTRIBUTE, date="2021-06-01"))
    assert rows == sorted(
        [
            ("甲类", "baseline", "", "=", 31.5, "%", "预期性"),
            ("甲类", "table", "2025", "≥", 40.0, "%", "预期性"),
            ("甲类", "table", "2035", "≥", 60.0, "%", "预期性"),
            ("乙类", "table", "2025", "=", 85.0, "%", "约束性"),
            ("乙类", "table", "2035", "=", 100.0, "%", "约束性"),
        ]
    )


def test_without_attribute_column_a_full_record_closes_and_group_labels_are_skipped() -> None:
    text = (
        "指标\n基线值\n2030年\n1\n戊类床位数\n（张）\n120\n150\n重点指标\n2\n己类人员数（人）\n30\n45\n"
        "第三章 保障措施\n"
    )
    (table,) = find_stacked_tables(text)
    assert [(r.label, r.cells) for r in table.rows] == [
        ("戊类床位数（张）", ["120", "150"]),  # a wrapped indicator joined
        ("己类人员数（人）", ["30", "45"]),
    ]


def test_not_a_table_without_an_indicator_and_a_year_header_or_with_one_record() -> None:
    assert find_stacked_tables("序号\n领域\n基期水平\n1\n甲类比例\n20\n2\n乙类比例\n30\n") == []
    assert find_stacked_tables("指标\n基期水平\n2025年\n1\n甲类比例（%）\n20\n30\n") == []

"""Numbers with units and bounds, as the plans write them (ingestion.text.numbers)."""

from __future__ import annotations

import pytest

from ingestion.text.normalize import normalize
from ingestion.text.numbers import Quantity, parse_number, parse_quantities


def one(text: str) -> Quantity:
    qs = parse_quantities(text)
    assert len(qs) == 1, qs
    return qs[0]


@pytest.mark.parametrize(
    ("text", "value", "vmax", "unit", "comp", "written"),
    [
        ("达标率90%以上", 90, None, "%", "≥", "90%以上"),
        ("建筑面积不低于3000平米", 3000, None, "平米", "≥", "不低于3000平米"),
        ("床位不少于30张", 30, None, "张", "≥", "不少于30张"),
        ("总数超过50个", 50, None, "个", ">", "超过50个"),
        ("报告患病率＞4.60‰", 4.6, None, "‰", ">", "＞4.60‰"),
        ("按照常住人口1‰—1.5‰核定", 1, 1.5, "‰", "=", "1‰—1.5‰"),
        ("配备20—35名基层卫生人员", 20, 35, "名", "=", "20—35名"),
        ("按每万服务人口2-3名全科医师", 2, 3, "名", "=", "2-3名"),
        ("新增1—2个省级医学重点学科", 1, 2, "个", "=", "1—2个"),
        ("补助2.4万元/人·年", 2.4, None, "万元/人·年", "=", "2.4万元/人·年"),
        ("每人每月不低于200元", 200, None, "元", "≥", "不低于200元"),
        ("住院报销比例下降20个百分点", 20, None, "个百分点", "=", "20个百分点"),
        ("提档升级项目50个左右", 50, None, "个", "≈", "50个左右"),
        ("全科医生数达3.5 名", 3.5, None, "名", "=", "3.5 名"),
        ("全科医生数达３．５名", 3.5, None, "名", "=", "３．５名"),
        ("覆盖率达９０％", 90, None, "%", "=", "９０％"),
        ("每个乡镇卫生院拥有两名", 2, None, "名", "=", "两名"),
        ("30个工作日内完成", 30, None, "个工作日", "≤", "30个工作日内"),
        ("每年至少对各卫生院进行一次巡诊考核", 1, None, "次", "≥", "一次"),
        ("药师编制不得低于编制总额的10%", 10, None, "%", "≥", "10%"),
        ("巡诊覆盖率高于当地常住人口数的15%", 15, None, "%", ">", "15%"),
        ("巡诊人员不超过在岗人数的两成即20%", 20, None, "%", "=", "20%"),
    ],
)
def test_quantity_shapes(text: str, value: float, vmax: float | None, unit: str, comp: str, written: str) -> None:
    q = one(text)
    assert (q.value, q.value_max, q.unit, q.comparator, q.text) == (value, vmax, unit, comp, written)
    assert text[q.start : q.end] == q.text


def test_range_with_upper_bound_gives_two_quantities() -> None:
    qs = parse_quantities("编制达到11-15名，最高不超18名")
    assert [(q.value, q.value_max, q.comparator) for q in qs] == [(11, 15, "="), (18, None, "≤")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("分别85%、40%以上", [(85, "≥"), (40, "≥")]),
        ("分别达 80%、40%和 80%", [(80, "="), (40, "="), (80, "=")]),
        ("分别能提供 15 项、8 项以上适宜技术", [(15, "≥"), (8, "≥")]),
        ("分别保持在90%和95%以上", [(90, "≥"), (95, "≥")]),
    ],
)
def test_trailing_bound_applies_to_every_item(text: str, expected: list[tuple[float, str]]) -> None:
    assert [(q.value, q.comparator) for q in parse_quantities(text)] == expected


def test_list_item_without_unit_takes_the_last_unit() -> None:
    qs = parse_quantities("分别为85、40%")
    assert [q.unit for q in qs] == ["%", "%"]


@pytest.mark.parametrize(
    "text",
    [
        "到2025年底",
        "2023—2025年",
        "2023年7月10日",
        "连政办发〔2023〕30号",
        "经市政府第 28 次常务会议审议",
        "（连卫基层〔2022〕2号）",
        "实施门诊 4C 住院 4N 计划",
        "“十四五”期间",
        "三级以上标准",
        "服务能力标准（2022版）",
    ],
)
def test_not_quantities(text: str) -> None:
    assert parse_quantities(text) == []


def test_two_type_diabetes_is_not_a_number_but_the_rate_is() -> None:
    qs = parse_quantities("原发性高血压、2型糖尿病规范管理率65%以上")
    assert [(q.value, q.unit, q.comparator) for q in qs] == [(65, "%", "≥")]


def test_year_range_does_not_hide_the_count_after_it() -> None:
    qs = parse_quantities("2023—2025年全市力争招录农村订单定向医学生 300人")
    assert [(q.value, q.unit) for q in qs] == [(300, "人")]


def test_percentage_points_are_not_percent() -> None:
    assert one("下降20个百分点").canonical() != one("下降20%").canonical()


def test_canonical_folds_magnitudes() -> None:
    assert one("2.4万元").canonical() == one("24000元").canonical() == (24000.0, None, "元")
    assert one("2.4万元/人·年").canonical() == (24000.0, None, "元/人·年")
    assert one("不低于3000平方米").canonical() == one("3000平米").canonical()


@pytest.mark.parametrize(
    ("s", "v"),
    [("3.5", 3.5), ("３．５", 3.5), ("三", 3), ("十二", 12), ("一百", 100), ("一百二十", 120), ("两", 2),
     ("二十五", 25), ("1,200", 1200), ("3万", 30000)],
)  # fmt: skip
def test_parse_number(s: str, v: float) -> None:
    assert parse_number(s) == v


@pytest.mark.parametrize("s", ["", "abc", "十四五", "率", "3.5名"])
def test_parse_number_rejects(s: str) -> None:
    assert parse_number(s) is None


def test_normalize_unifies_forms_for_matching() -> None:
    assert normalize("１‰—１.５‰、９０％、3至5名、20～35名") == "1‰-1.5‰、90%、3-5名、20-35名"


def test_bound_a_verb_away_from_its_number() -> None:
    from ingestion.text.numbers import parse_quantities

    assert [(q.value, q.unit, q.comparator) for q in parse_quantities("每处最高给予25万元奖励补助")] == [
        (25.0, "万元", "≤")
    ]
    assert [(q.value, q.comparator) for q in parse_quantities("至少有2名城市医院医师")] == [(2.0, "≥")]
    assert [(q.value, q.comparator) for q in parse_quantities("配备率达100%")] == [(100.0, "=")]


def test_one_off_is_not_a_count() -> None:
    assert parse_quantities("发放一次性巡诊补助") == []
    assert [(q.value, q.unit) for q in parse_quantities("每季度开展两次巡诊")] == [(2, "次")]


def test_a_ratio_split_is_no_quantity() -> None:
    # 青川县按2：8分担: neither 2 nor 8 is a number of its own, whatever the colon's width or spacing.
    assert parse_quantities("所需资金由白石市和青川县按照 2：8比例承担") == []
    assert parse_quantities("按照3∶7比例分担") == []
    assert parse_quantities("配比为1 : 1.5") == []
    assert [(q.value, q.unit) for q in parse_quantities("达到90%以上，市县按2:8分担")] == [(90.0, "%")]
    assert [(q.value, q.unit) for q in parse_quantities("共12名：其中3名为骨干")] == [(12.0, "名"), (3.0, "名")]


def test_ratio_splits_are_listed_in_one_form() -> None:
    from ingestion.text.numbers import ratio_splits

    assert ratio_splits("白石市和青川县按照 2：8比例承担，另按3∶7、1 : 1.5分担") == ["2:8", "3:7", "1:1.5"]
    assert ratio_splits("达到90%以上") == []


def test_a_population_counts_people() -> None:
    from ingestion.text.numbers import normalize_unit

    q = one("每个街道或3—6万人口设置")
    assert q.unit == "万人" and q.text == "3—6万人口"  # the text as written, the unit as counted
    assert q.canonical() == one("服务3—6万人").canonical()
    assert normalize_unit("千人口") == "千人"
    assert normalize_unit("人/万服务人口") == "人/万服务人口"  # a rate keeps its denominator

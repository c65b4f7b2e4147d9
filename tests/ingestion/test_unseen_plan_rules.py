"""Rules for plans never seen before, each on made-up text of its form (no shipped plan's wording).

Indicator tables (keyed records, base level, 属性, note marks), several years in one sentence, units and
bounds, the status quo as baseline, national and district regions, titles from cover notices, issuers and
dates from signature blocks, running headers.
"""

from __future__ import annotations

from ingestion.cleaning import clean_text, strip_page_furniture
from ingestion.metadata import extract_metadata
from ingestion.schema import DocumentMeta, ParsedDocument, Target
from ingestion.sections import find_sections
from ingestion.tables import find_tables
from ingestion.targets import extract_targets
from ingestion.text.numbers import parse_quantities


def _doc(raw: str, date: str = "2021-03-01", region: str = "某省") -> ParsedDocument:
    text, pages = clean_text(raw)
    return ParsedDocument(
        doc_id="d",
        source="d.txt",
        content_hash="0",
        text=text,
        meta=DocumentMeta(region=region, date=date),
        sections=find_sections(text),
        tables=find_tables(text),
        pages=pages,
    )


def _rows(raw: str, **kw: str) -> list[Target]:
    return extract_targets(_doc(raw, **kw))


def _key(t: Target) -> tuple[object, ...]:
    return (t.kind, t.year, t.comparator, t.value, t.unit)


# ------------------------------------------------------------------------------------------ metadata


def test_notice_title_gives_the_plan_title_and_the_addressee_is_never_part_of_it() -> None:
    raw = (
        "甲政办发〔2022〕7号\n\n某市乙区人民政府办公室关于印发\n乙区养老服务提升\n行动方案的通知\n\n"
        "丙街道、丁镇人民政府（办事处、管委\n会），区级各相关单位：\n《乙区养老服务提升行动方案》已经区政府同意，"
        "现印发给你们。\n某市乙区人民政府办公室\n2022年3月4日\n\n乙区养老服务提升行动方案\n一、目标\n到2025年，养老床位达到900张。\n"
    )
    meta = extract_metadata(raw)
    assert meta.title == "乙区养老服务提升行动方案"
    assert meta.issuer == "某市乙区人民政府办公室"
    assert meta.date == "2022-03-04"
    assert (meta.region, meta.parent_region) == ("乙区", "某市")


def test_issuer_and_month_under_a_title_are_not_glued_to_it_and_make_it_national() -> None:
    raw = "全民护眼行动（2020—2028年）\n全国护眼行动推进委员会\n2020年5月\n\n一、主要指标\n"
    meta = extract_metadata(raw)
    assert meta.title == "全民护眼行动（2020—2028年）"
    assert meta.issuer == "全国护眼行动推进委员会"
    assert meta.date == "2020-05"
    assert meta.region == "全国"
    assert meta.period == "2020-2028"


def test_issue_report_with_dated_note_gives_title_issuer_date_and_period() -> None:
    raw = "中共中央 国务院印发《“清洁水源 2040”规划纲要》\n（2019 年 4 月 2 日 中共中央、国务院发布）\n目录\n序言\n"
    meta = extract_metadata(raw)
    assert meta.title == "“清洁水源2040”规划纲要"
    assert meta.issuer == "中共中央、国务院"
    assert meta.date == "2019-04-02"
    assert meta.region == "全国"
    assert meta.period == "2019-2040"


def test_signature_block_at_the_end_gives_issuer_and_date() -> None:
    raw = (
        "国务院关于推进某项工作的意见\n国发〔2018〕9号\n各省、自治区、直辖市人民政府：\n"
        "一、总体要求\n正文。\n\n国务院\n2018 年 5 月 6 日\n"
    )
    meta = extract_metadata(raw)
    assert (meta.issuer, meta.date, meta.region, meta.doc_number) == ("国务院", "2018-05-06", "全国", "国发〔2018〕9号")


def test_a_place_named_first_wins_over_national_words() -> None:
    meta = extract_metadata("某市国家卫生城市巩固方案\n某市人民政府\n2021年1月2日\n")
    assert meta.region == "某市"


def test_running_headers_within_three_lines_of_page_numbers_are_removed() -> None:
    page = "正文第{n}页的一句话，内容不同{n}。\n"
    raw = "".join(page.format(n=n) + f"- {n} -\nX\n某出版物发布\n文件汇编\n" for n in range(1, 4))
    text, _ = clean_text(raw)
    assert "文件汇编" not in text and "某出版物发布" not in text
    assert "文件汇编" not in strip_page_furniture(raw)
    assert "正文第2页" in text


def test_numbers_either_side_of_a_line_break_stay_apart() -> None:
    body = "某某某某某某某某某某某某某某某某某某某某某某某某某某某某"  # 28 wide characters: the fixed width
    lines = [body] * 9 + ["某某某某某某某某某某某某某某某某某某某某某某某指标值：76.34", "2020年：77.3。"]
    text, _ = clean_text("\n".join(lines) + "\n")
    assert "76.34 2020年" in text
    assert "76.342020" not in text


# --------------------------------------------------------------------------------------- numbers


def test_per_population_rate_and_rate_denominators() -> None:
    q = parse_quantities("某病死亡率18/10万，发病率20.1/10 万")
    assert [(x.value, x.unit) for x in q] == [(18.0, "/10万"), (20.1, "/10万")]
    q = parse_quantities("按30万元/年的标准补助，每人1.2万元/人·年")
    assert [(x.value, x.unit) for x in q] == [(30.0, "万元/年"), (1.2, "万元/人·年")]


def test_a_leading_bound_holds_for_every_item_of_a_list() -> None:
    q = parse_quantities("分别不低于40%和55%")
    assert [(x.value, x.comparator) for x in q] == [(40.0, "≥"), (55.0, "≥")]
    q = parse_quantities("分别低于9%和6%")
    assert [x.comparator for x in q] == ["<", "<"]


# ------------------------------------------------------------------------------ indicator tables

KEYED = (
    "一、主要指标\n某领域发展主要指标\n"
    "领域：水平 指标：甲类达标率(%) 2018年：61.5 2022年：≥70 2030年：80左右 属性：预期性\n"
    "领域：水平 指标：乙类发生率(1/10万) 2018年：\n30.2(2017年) 2022年：＜25 2030年：持续下降 属性：约束性\n"
    "领域：服务 指标：丙项覆盖人数(亿人) 2018年：- 2022年：3.2# 2030年：比2018年提高20% 属性：预期性\n"
    "#为2021年目标值\n"
    "二、主要任务\n"
)


def test_keyed_indicator_records_become_one_row_per_indicator_and_year() -> None:
    doc = _doc(KEYED, date="2019-02-01")
    (table,) = [t for t in doc.tables if t.kind == "indicators"]
    assert [r.label for r in table.rows] == ["甲类达标率(%)", "乙类发生率(1/10万)", "丙项覆盖人数(亿人)"]
    rows = sorted((t.indicator[:2], *_key(t), t.attribute) for t in extract_targets(doc))
    assert rows == sorted(
        [
            ("甲类", "baseline", "2018", "=", 61.5, "%", "预期性"),
            ("甲类", "table", "2022", "≥", 70.0, "%", "预期性"),
            ("甲类", "table", "2030", "≈", 80.0, "%", "预期性"),
            ("乙类", "baseline", "2017", "=", 30.2, "/10万", "约束性"),
            ("乙类", "table", "2022", "<", 25.0, "/10万", "约束性"),
            ("丙项", "table", "2021", "=", 3.2, "亿人", "预期性"),  # the note moves the year
            ("丙项", "table", "2030", "=", 20.0, "%", "预期性"),
        ]
    )


def test_a_base_level_column_is_baseline_with_the_base_year_of_the_note() -> None:
    raw = (
        "指标：丁类比例(%) 基期水平：12 2025年：20 属性：约束性\n"
        "指标：戊类人数(名) 基期水平：300 2025年：≥450 属性：预期性\n"
        "注：基期水平为2020年数据。\n"
    )
    rows = sorted((t.indicator[:2], *_key(t)) for t in _rows(raw, date="2021-06-01"))
    assert rows == sorted(
        [
            ("丁类", "baseline", "2020", "=", 12.0, "%"),
            ("丁类", "table", "2025", "=", 20.0, "%"),
            ("戊类", "baseline", "2020", "=", 300.0, "名"),
            ("戊类", "table", "2025", "≥", 450.0, "名"),
        ]
    )


# ------------------------------------------------------------------------------------- narrative


def test_several_years_in_one_sentence_give_each_value_its_year() -> None:
    raw = "到2023年和2028年，某项知晓率分别不低于35%和50%，某类人群比例达到20%及以上和30%及以上。\n"
    assert sorted(_key(t) for t in _rows(raw)) == sorted(
        [
            ("narrative", "2023", "≥", 35.0, "%"),
            ("narrative", "2028", "≥", 50.0, "%"),
            ("narrative", "2023", "≥", 20.0, "%"),
            ("narrative", "2028", "≥", 30.0, "%"),
        ]
    )


def test_the_status_quo_is_a_baseline_and_a_comparison_year_is_no_scope() -> None:
    raw = "2019年某市人均寿命已达78.2岁，某指标为33.9%。到2030年，某死亡率比2019年降低15%，人均寿命达到80岁。\n"
    rows = {(t.kind, t.year, t.value, t.unit) for t in _rows(raw, date="2020-08-01")}
    assert ("baseline", "2019", 78.2, "岁") in rows
    assert ("baseline", "2019", 33.9, "%") in rows
    assert ("narrative", "2030", 15.0, "%") in rows
    assert ("narrative", "2030", 80.0, "岁") in rows
    assert not any(y == "2019" and k == "narrative" for k, y, _, _ in rows)


def test_ages_that_qualify_a_group_are_not_values() -> None:
    raw = "到2030年，65岁以上老人健康管理率达到75%，12岁儿童龋患率控制在20%以内。\n"
    assert sorted(_key(t) for t in _rows(raw)) == [
        ("narrative", "2030", "=", 75.0, "%"),
        ("narrative", "2030", "≤", 20.0, "%"),
    ]


def test_values_in_a_status_quo_section_are_baselines() -> None:
    raw = "一、工作背景\n某类疾病导致的死亡占总死亡的77%。\n二、工作目标\n到2026年，某项筛查率达到60%。\n"
    assert sorted(_key(t) for t in _rows(raw)) == [
        ("baseline", "", "=", 77.0, "%"),
        ("narrative", "2026", "=", 60.0, "%"),
    ]


def test_a_quoted_named_standard_is_undated() -> None:
    raw = "到2026年，按照“10分钟养老服务圈”要求推进建设，覆盖率达到80%。\n"
    rows = {(t.year, t.value, t.unit) for t in _rows(raw)}
    assert ("", 10.0, "分钟") in rows and ("2026", 80.0, "%") in rows


def test_counts_that_name_a_subject_define_members_or_set_eligibility_are_not_targets() -> None:
    raw = (
        "到2026年，全县6家卫生院达标率达到100%。\n"
        "到2026年，3家卫生院为甲镇、乙镇、丙镇卫生院。\n"
        "对在基层工作8年以上的医生，有两个及以上年度考核优秀的，优先聘用。\n"
    )
    assert [_key(t) for t in _rows(raw)] == [("narrative", "2026", "=", 100.0, "%")]


def test_a_standard_for_the_clause_before_and_counted_nouns_in_a_list() -> None:
    raw = "新增巡诊车辆，由县财政按12万元/年的标准保障运行。中心和站点分别开展5类和3类以上康复技术。\n"
    rows = {(t.value, t.unit, t.comparator): t.indicator for t in _rows(raw)}
    assert "巡诊车辆" in rows[(12.0, "万元/年", "=")]
    assert "康复技术" in rows[(5.0, "类", "≥")] and "康复技术" in rows[(3.0, "类", "≥")]


def test_a_goal_a_status_section_quotes_for_the_plans_own_region_is_a_target() -> None:
    # 到2030年 after the issue year, a goal verb and the plan's region in the sentence: the quoted goal is a target;
    # the same goal quoted in a plan of another region stays a baseline (it sets no goal of that region).
    raw = (
        "一、起草背景\n《远方纲要》对白鹭安全提出了明确要求，要求到2030年，白鹭省某类死亡率下降到8/10万，"
        "如期实现仍需努力。2020年，白鹭省某类死亡率为10/10万。\n二、工作目标\n到2025年，某项筛查率达到60%。\n"
    )
    assert sorted(_key(t) for t in _rows(raw, region="白鹭省")) == [
        ("baseline", "2020", "=", 10.0, "/10万"),
        ("narrative", "2025", "=", 60.0, "%"),
        ("narrative", "2030", "=", 8.0, "/10万"),
    ]
    assert ("baseline", "2030", "=", 8.0, "/10万") in {_key(t) for t in _rows(raw, region="青禾市")}

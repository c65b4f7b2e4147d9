"""Year, base and region rules met on national and provincial plans, each on made-up text of its form.

A year heading a list (``到2026年，…实现以下目标：`` over lines with no year), a change written from a dated
base to dated targets (``从2019年的X提升到2023年的Y，2027年达到Z``), a number inside a rate's name, a
province-wide plan, an organisation printed over a ``关于…`` title, a report of an issue. No shipped or
extra plan's wording: invented places (白鹭市, 青禾省) and indicators.
"""

from __future__ import annotations

from ingestion.cleaning import clean_text
from ingestion.doc_head import strip_head_marks
from ingestion.metadata import extract_metadata
from ingestion.schema import DocumentMeta, ParsedDocument, Target
from ingestion.sections import find_sections
from ingestion.tables import find_tables
from ingestion.targets import extract_targets


def _rows(raw: str, date: str = "2022-05-01") -> list[Target]:
    text, pages = clean_text(raw)
    doc = ParsedDocument(
        doc_id="d",
        source="d.txt",
        content_hash="0",
        text=text,
        meta=DocumentMeta(region="青禾省", date=date),
        sections=find_sections(text),
        tables=find_tables(text),
        pages=pages,
    )
    return extract_targets(doc)


def _by_value(rows: list[Target]) -> dict[float, list[tuple[str, str, str, str]]]:
    out: dict[float, list[tuple[str, str, str, str]]] = {}
    for t in rows:
        out.setdefault(t.value, []).append((t.year, t.kind, t.comparator, t.indicator))
    return out


# ------------------------------------------------------------------------------------------ years


def test_a_year_heading_a_list_dates_the_lines_under_it_until_the_next_year() -> None:
    raw = (
        "到2026年，护眼工作体系逐步完善，青少年用眼习惯明显改善。实现以下目标：\n"
        "降低近视发生率。小学生近视率控制在31%以下；初中生近视率下降至52%以下。\n"
        "户外活动达标率达到75%以上。\n"
        "到2031年，护眼服务更加完善。实现以下目标：\n"
        "小学生近视率保持在29%以下；户外活动达标率在2026年的基础上再提高8%。\n"
    )
    rows = _by_value(_rows(raw, date="2024-01-01"))
    assert rows[31] == [("2026", "narrative", "≤", "小学生近视率")]
    assert rows[52] == [("2026", "narrative", "≤", "初中生近视率")]
    assert rows[75] == [("2026", "narrative", "≥", "户外活动达标率")]
    assert rows[29] == [("2031", "narrative", "≤", "小学生近视率")]
    # 在2026年的基础上: a base of comparison, not the year of the target.
    assert [r[:3] for r in rows[8]] == [("2031", "narrative", "=")]


def test_a_list_under_a_colon_without_a_year_and_a_line_with_its_own_year_are_left_alone() -> None:
    raw = (
        "主要指标如下：\n药师配备率达到60%。\n"
        "到2027年，实现以下目标：\n药师配备率达到70%。\n二、重点任务\n药师培训合格率达到90%。\n"
    )
    rows = _by_value(_rows(raw, date="2024-01-01"))
    assert [r[0] for r in rows[60]] == [""]
    assert [r[0] for r in rows[70]] == ["2027"]
    assert [r[0] for r in rows[90]] == [""]  # a heading ends the list the year headed


def test_a_change_from_a_dated_base_gives_a_baseline_and_dated_targets() -> None:
    raw = (
        "到2023年，学生视力筛查率应从2019年的41.5%提高到60%以上，2027年进一步提高到80%以上；"
        "学校校医配备率从2019年的22.5%提升到2023年的30%，到2027年达到45%。\n"
    )
    rows = _by_value(_rows(raw, date="2021-01-01"))
    assert rows[41.5] == [("2019", "baseline", "=", "学生视力筛查率")]
    assert rows[60] == [("2023", "narrative", "≥", "学生视力筛查率")]
    assert rows[80] == [("2027", "narrative", "≥", "学生视力筛查率")]
    assert rows[22.5] == [("2019", "baseline", "=", "学校校医配备率")]
    assert rows[30] == [("2023", "narrative", "=", "学校校医配备率")]
    assert rows[45] == [("2027", "narrative", "=", "学校校医配备率")]


def test_a_base_from_a_year_is_a_baseline_even_when_the_issue_year_is_unknown() -> None:
    raw = "老年人平均存留牙数从2018年的20.5颗上升到2024年的22颗。\n"
    rows = _by_value(_rows(raw, date=""))
    assert rows[20.5] == [("2018", "baseline", "=", "老年人平均存留牙数")]
    assert rows[22] == [("2024", "narrative", "=", "老年人平均存留牙数")]


def test_a_number_inside_a_rates_name_is_no_target() -> None:
    raw = "到2027年，居民每周3次锻炼率达到50%。\n"
    rows = _rows(raw, date="2024-01-01")
    assert [(t.value, t.unit, t.indicator) for t in rows] == [(50, "%", "居民每周3次锻炼率")]


# ------------------------------------------------------------------------------------------ metadata


def test_a_province_naming_nothing_below_it_is_the_region() -> None:
    meta = extract_metadata("青禾省全民护眼计划（2021—2030年）\n\n一、总体要求\n")
    assert (meta.region, meta.parent_region) == ("青禾省", "")
    assert extract_metadata("关于加强全省护眼工作的意见\n\n一、总体要求\n").region == ""


def test_an_organisation_over_a_guanyu_title_is_its_issuer_and_starts_it() -> None:
    raw = (
        "白鹭市青石区人民政府\n关于推进健康青石行动的实施意见\n\n各镇人民政府，区政府各部门：\n\n"
        "根据《白鹭市人民政府关于推进健康白鹭行动的实施意见》（鹭政发〔2021〕3号）等文件精神，"
        "提出如下意见。\n"
    )
    meta = _meta_as_ingested(raw)
    assert meta.title == "白鹭市青石区人民政府关于推进健康青石行动的实施意见"
    assert meta.issuer == "白鹭市青石区人民政府"
    assert (meta.region, meta.parent_region) == ("青石区", "白鹭市")


def test_a_number_cited_in_a_sentence_does_not_make_the_organisation_line_a_masthead() -> None:
    raw = (
        "白鹭市青石区人民政府\n关于推进健康青石行动的实施意见\n\n"
        "根据《某意见》（鹭政发〔2021〕3号）精神，提出如下意见。\n"
    )
    assert strip_head_marks(raw).startswith("白鹭市青石区人民政府\n")
    masthead = "白鹭市青石区人民政府\n青政发〔2022〕5号\n关于推进健康青石行动的实施意见\n"
    assert strip_head_marks(masthead).startswith("青政发")


def test_a_report_of_an_issue_gives_the_title_and_the_region() -> None:
    provincial = (
        "来源：某报\n2021-06-01 09:00:00\n"
        "记者从省政府网站获悉，省人民政府办公厅印发《青禾省全民护眼计划（2021—2030年）》"
        "（以下简称《计划》），提升全省青少年视力健康水平。\n《计划》提出，到2025年，小学生近视率控制在30%以下。\n"
    )
    meta = extract_metadata(provincial)
    assert meta.title == "青禾省全民护眼计划（2021—2030年）"
    assert meta.region == "青禾省"
    assert meta.issuer == "青禾省人民政府办公厅"  # 省人民政府办公厅 of a province's plan: that province's
    # A headline naming no kind of document gives way to the reported document's title.
    national = (
        "护眼率达到六成\n\n"
        "国家卫健委近日印发的《全民护眼行动方案（2021—2025年）》（以下简称《方案》）提出，到2025年…。\n"
    )
    meta = extract_metadata(national)
    assert (meta.title, meta.issuer, meta.region) == ("全民护眼行动方案（2021—2025年）", "国家卫健委", "全国")
    # A headline that is a document's title stays.
    titled = (
        "全民护眼行动方案（2021—2025年）\n\n"
        "国家卫健委近日印发的《全民护眼行动方案（2021—2025年）解读》（以下简称《解读》）。\n"
    )
    assert extract_metadata(titled).title == "全民护眼行动方案（2021—2025年）"
    # A plan implementing a reported document cites it: that document gives neither title nor region.
    citing = "为贯彻落实国务院办公厅印发的《全民护眼行动方案》（以下简称《方案》），结合实际，制定本方案。\n"
    assert extract_metadata(citing).region == ""


def _meta_as_ingested(raw: str) -> DocumentMeta:
    """The metadata as ingestion reads it: from the text without head marks."""
    return extract_metadata(strip_head_marks(raw))

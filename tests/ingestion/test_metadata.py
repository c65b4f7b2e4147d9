"""Metadata of the four shipped plans (as they truly read), made-up documents, and the sidecar."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingestion.corrections import apply_sidecar, load_sidecar, sidecar_path, write_sidecar
from ingestion.metadata import extract_metadata
from ingestion.schema import DocumentMeta
from ingestion.text.errors import InvalidSidecarError

PLANS = Path(__file__).resolve().parents[2] / "data" / "plans"


def _meta(prefix: str) -> DocumentMeta:
    path = next(PLANS.glob(f"{prefix}_*.txt"))
    return extract_metadata(path.read_text(encoding="utf-8").replace("\r\n", "\n"))


def test_plan_000_notice_issuing_a_plan() -> None:
    meta = _meta("000")
    # The issued plan's own title, not "市政府办公室关于印发…的通知".
    assert meta.title == "连云港市基层医疗卫生机构“双提升”工程实施方案"
    assert meta.issuer == "连云港市人民政府办公室"
    assert meta.doc_number == "连政办发〔2023〕30号"
    assert meta.date == "2023-07-10"
    assert meta.region == "连云港市"
    assert meta.period == "2023-2025"  # from the annex tables' repeated （2023—2025年）
    assert meta.is_draft is False


def test_plan_001_notice_with_spaced_number() -> None:
    meta = _meta("001")
    assert meta.title == "关于进一步深化医药卫生体制改革促进卫生健康事业高质量发展的实施方案"
    assert meta.issuer == "连云港市人民政府"
    assert meta.doc_number == "连政发〔2025〕50号"
    assert meta.date == "2025-07-11"
    assert meta.region == "连云港市"
    assert meta.period == ""  # the text states no plan period, only targets to 2027
    assert meta.is_draft is False


def test_plan_002_draft_for_comment() -> None:
    meta = _meta("002")
    assert meta.title == "南通市基层医疗卫生服务能力提升三年行动方案（2023—2025年）"
    assert meta.issuer == ""
    assert meta.doc_number == ""
    assert meta.date == ""
    assert meta.region == "南通市"
    assert meta.period == "2023-2025"
    assert meta.is_draft is True


def test_plan_003_never_names_its_city() -> None:
    meta = _meta("003")
    assert meta.title == "关于进一步深化改革推动基层医疗卫生体系健康发展的实施方案"
    # The only document number is a cited provincial one, inside a sentence: not this plan's.
    assert meta.doc_number == ""
    assert meta.issuer == ""
    assert meta.date == ""
    assert meta.region == ""  # never guessed (the cited 山东省人民政府办公厅 is not the issuer)
    assert meta.period == ""
    assert meta.is_draft is False


MADE_UP_NOTICE = """
青禾县卫生健康局文件
青卫发［2024］7号

青禾县卫生健康局关于印发青禾县村卫生室标准化建设
工作方案（试行）的通知

各乡镇人民政府，县各有关单位：
  现将《青禾县村卫生室标准化建设工作方案（试行）》印发给你们，请结合实际认真贯彻落实。

青禾县卫生健康局
二〇二四年三月五日

青禾县村卫生室标准化建设工作方案（试行）

一、总体目标
到2026年，全县村卫生室标准化建设达标率达到95%以上。
"""


def test_made_up_county_notice_with_trial_plan() -> None:
    meta = extract_metadata(MADE_UP_NOTICE)
    assert meta.title == "青禾县村卫生室标准化建设工作方案（试行）"
    assert meta.issuer == "青禾县卫生健康局"
    assert meta.doc_number == "青卫发［2024］7号"
    assert meta.date == "2024-03-05"
    assert meta.region == "青禾县"
    assert meta.is_draft is False  # 试行 is in force, not a draft


def test_province_prefix_is_dropped_and_draft_marker_removed() -> None:
    text = "江苏省白石市社区卫生服务提升行动计划（2024-2026年）\n（草案）\n\n为提升社区卫生服务能力，制定本计划。\n"
    meta = extract_metadata(text)
    assert meta.title == "江苏省白石市社区卫生服务提升行动计划（2024-2026年）"
    assert meta.region == "白石市"
    assert meta.period == "2024-2026"
    assert meta.is_draft is True


def test_generic_words_are_not_regions() -> None:
    meta = extract_metadata("城乡社区医疗卫生服务能力提升方案\n\n为推动全市社区医疗发展，制定本方案。\n")
    assert meta.title == "城乡社区医疗卫生服务能力提升方案"
    assert meta.region == ""


def test_sidecar_overrides_non_empty_fields(tmp_path: Path) -> None:
    source = tmp_path / "plan.pdf"
    source.write_bytes(b"%PDF-1.4")
    assert sidecar_path(source) == tmp_path / "plan.pdf.meta.json"
    assert sidecar_path(sidecar_path(source)) == tmp_path / "plan.pdf.meta.json"
    assert load_sidecar(source) == {}
    extracted = DocumentMeta(title="抽取的标题", region="", period="2023-2025")
    sidecar_path(source).write_text(
        json.dumps({"region": "某市", "title": "", "period": None, "is_draft": True, "unknown": 1}, ensure_ascii=False),
        encoding="utf-8",
    )
    merged = apply_sidecar(extracted, source)
    assert merged.region == "某市"
    assert merged.title == "抽取的标题"  # empty value in the sidecar does not erase
    assert merged.period == "2023-2025"
    assert merged.is_draft is True


def test_write_sidecar_keeps_maintainer_edits(tmp_path: Path) -> None:
    source = tmp_path / "plan.txt"
    source.write_text("x", encoding="utf-8")
    side = write_sidecar(source, DocumentMeta(title="甲"))
    assert json.loads(side.read_text(encoding="utf-8"))["title"] == "甲"
    side.write_text(json.dumps({"title": "乙"}, ensure_ascii=False), encoding="utf-8")
    write_sidecar(source, DocumentMeta(title="丙"))
    assert json.loads(side.read_text(encoding="utf-8")) == {"title": "乙"}
    write_sidecar(source, DocumentMeta(title="丙"), overwrite=True)
    assert json.loads(side.read_text(encoding="utf-8"))["title"] == "丙"


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"is_draft": "maybe"}'])
def test_invalid_sidecar_raises_with_reason(tmp_path: Path, content: str) -> None:
    source = tmp_path / "plan.txt"
    source.write_text("x", encoding="utf-8")
    sidecar_path(source).write_text(content, encoding="utf-8")
    with pytest.raises(InvalidSidecarError) as info:
        apply_sidecar(DocumentMeta(), source)
    assert "plan.txt.meta.json" in str(info.value)


def test_markdown_title() -> None:
    meta = extract_metadata("# 白石市社区卫生服务提升行动计划\n\n为提升社区卫生服务能力，制定本计划。\n")
    assert meta.title == "白石市社区卫生服务提升行动计划"
    assert meta.region == "白石市"


def test_doc_number_key_reads_every_bracket_form() -> None:
    from ingestion.metadata import doc_number_key

    assert doc_number_key("青政办发〔2024〕12号") == ("青政办发", "2024", "12")
    assert doc_number_key("青政办发［2024］12号") == ("青政办发", "2024", "12")
    assert doc_number_key("青政办发（2024）12号") == ("青政办发", "2024", "12")
    assert doc_number_key("青政办发〔2024〕12号文") is None
    assert doc_number_key("青政办发") is None


def test_the_province_of_an_implemented_document_is_a_basis_region_never_the_region() -> None:
    raw = (
        "关于推动乡村卫生体系发展的实施方案\n\n为推动乡村卫生体系发展，根据《白石省人民政府\n\n办公厅印发〈关于促进"
        "乡村卫生体系发展若干措施〉的通知》（白政办字〔2023〕5号）精神，\n结合我市实际，制定本实施方案。\n"
        "一、主要目标\n到2025年，签约率达到80%。\n"
    )
    meta = extract_metadata(raw)
    assert meta.basis_regions == ["白石省"]
    assert (meta.region, meta.parent_region) == ("", "")


def test_basis_regions_leave_out_the_plan_own_places_and_national_documents() -> None:
    raw = (
        "青川县人民政府办公室关于印发青川县乡村医生队伍建设方案的通知\n\n各乡镇人民政府：\n现印发给你们。\n"
        "青川县乡村医生队伍建设方案\n\n为贯彻落实《中共中央办公厅国务院办公厅关于乡村医疗的意见》"
        "《白石省乡村医生队伍建设实施意见》《绿水市人民政府关于基层卫生的意见》《青川县卫生规划》，"
        "结合我县实际，制定本方案。\n二、目标\n按照《黑山省卫生条例》执行。\n"
    )
    meta = extract_metadata(raw)
    assert meta.region == "青川县"
    # Every title after a basis verb in a sentence of the opening counts (national bodies name no place);
    # the plan's own county is its region, not a basis.
    assert meta.basis_regions == ["白石省", "绿水市", "黑山省"]


def test_a_title_cited_without_a_basis_verb_gives_no_basis_region() -> None:
    raw = "青禾市卫生健康行动方案\n\n《白石省卫生条例》规定的事项，由市卫生健康委负责。\n一、目标\n"
    assert extract_metadata(raw).basis_regions == []


def test_a_cited_title_whose_first_words_end_like_a_place_gives_no_basis_region() -> None:
    raw = (
        "青禾市医共体建设方案\n\n根据《推进紧密型县域医疗卫生共同体建设的指导意见》《关于加快县域医疗的意见》，"
        "结合我市实际，制定本方案。\n一、目标\n"
    )
    assert extract_metadata(raw).basis_regions == []


# A web page: an index block of labelled cells, a notice over the plan's title, the title over two lines.
_INDEX_PAGE = (
    "索引号： | 000/2024000 | 发布机构： | |\n生效日期： | 2024-10-31 | 废止日期： | |\n"
    "文 号： | 所属主题： | 政策文件 |\n"
    "关于印发白鹭州全面推进紧密型县域医疗卫生 共同体建设实施方案的通知\n"
    "白鹭州全面推进紧密型县域医疗卫生\n共同体建设实施方案\n"
    "为认真贯彻落实好省卫健委等九部门《关于印发青禾省全面推进紧密型县域医疗卫生共同体建设实施方案的通知》"
    "（青卫健〔2024〕58号）精神，巩固白鹭州紧密型县域医共体工作成效，制定本实施方案。\n"
    "一、总体目标\n到2025年，县域内就诊率达到90%。\n"
)


def test_a_place_suffix_starting_a_compound_ends_no_place_name() -> None:
    meta = extract_metadata(_INDEX_PAGE)
    assert meta.title == "白鹭州全面推进紧密型县域医疗卫生共同体建设实施方案"
    # 紧密型县域: 县 starts the compound 县域, so 全面推进紧密型县 is no district of 白鹭州.
    assert (meta.region, meta.parent_region) == ("白鹭州", "")
    # 《关于印发青禾省…的通知》 after 贯彻落实: the province after the lead words is the basis region.
    assert meta.basis_regions == ["青禾省"]


def test_an_index_block_is_page_furniture_and_its_effective_date_is_no_signing_date() -> None:
    meta = extract_metadata(_INDEX_PAGE)
    assert (meta.issuer, meta.date, meta.doc_number) == ("", "", "")


def test_a_filled_publisher_cell_of_an_index_block_is_the_issuer() -> None:
    raw = _INDEX_PAGE.replace("发布机构： | |", "发布机构： | 白鹭州卫生健康委员会 |")
    meta = extract_metadata(raw)
    assert meta.issuer == "白鹭州卫生健康委员会"
    assert meta.date == ""


def test_a_short_place_opening_a_title_keeps_its_suffix_before_a_compound() -> None:
    # 白鹭县域: the county-wide 医共体 of 白鹭县; a long run before the suffix is no name.
    assert extract_metadata("白鹭县域医共体建设实施方案\n一、目标\n").region == "白鹭县"
    assert extract_metadata("全面推进紧密型县域医共体建设实施方案\n一、目标\n").region == ""
    # A province is always short: 青禾省级医院 names 青禾省 (dropped as a province prefix, so no region).
    meta = extract_metadata("绿水市医院建设方案\n\n根据《青禾省级医院建设规划》，制定本方案。\n一、目标\n")
    assert meta.basis_regions == ["青禾省"]


def test_a_heading_followed_by_table_cells_ends_before_the_cells() -> None:
    raw = (
        "绿政办函〔2025〕15号\n各镇人民政府、街道办事处，市直有关单位：\n"
        "《绿水市人均预期寿命提升行动计划（2024-2027年）主要目标任务》《绿水市人均预期寿命提升行动计划"
        "（2024-2027年）责任清单》已经市人民政府常务会议审议通过。现印发给你们，请认真组织实施。\n"
        "绿水市人民政府办公室\n2025年4月30日\n"
        "绿水市人均预期寿命提升行动计划\n（2024-2027年）主要目标任务\n"
        "序号 |\n指标名称 |\n单位 |\n2027年 |\n1 |\n人均预期寿命 |\n岁 |\n≥80 |\n"
    )
    meta = extract_metadata(raw)
    assert meta.title == "绿水市人均预期寿命提升行动计划（2024-2027年）主要目标任务"
    assert (meta.issuer, meta.date, meta.doc_number) == ("绿水市人民政府办公室", "2025-04-30", "绿政办函〔2025〕15号")
    assert (meta.region, meta.period) == ("绿水市", "2024-2027")


def test_a_web_page_labelled_source_and_date_give_issuer_date_and_a_national_region() -> None:
    raw = (
        "《白鹭安全行动提升计划（2021-2025年）》文件解读\n发布日期：2021-10-14 12:25\n"
        "来源：国家卫生健康委员会青禾健康司\n一、起草背景\n要求到2030年，全国孕产妇死亡率下降到12/10万。\n"
    )
    meta = extract_metadata(raw)
    assert (meta.issuer, meta.date) == ("国家卫生健康委员会青禾健康司", "2021-10-14")
    assert meta.region == "全国"  # an issuer starting with 国家 is a national body
    # A source that names no organisation (a newspaper) is no issuer; the labelled date still counts.
    other = extract_metadata(raw.replace("来源：国家卫生健康委员会青禾健康司", "来源：白鹭日报"))
    assert (other.issuer, other.date, other.region) == ("", "2021-10-14", "")

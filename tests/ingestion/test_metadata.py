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

"""Cleaning of reader text: page numbers, hard line breaks, stray spaces, table lines untouched."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from ingestion.cleaning import clean_text, is_space_table_row, split_space_row

PLANS = sorted((Path(__file__).resolve().parents[2] / "data" / "plans").glob("*.txt"))
SYNTH = Path(__file__).with_name("data") / "synthetic_plan.txt"

# A made-up plan page broken at a fixed width, double-spaced, with a page footer in mid-sentence.
PAGE = (
    "一、主要目标\n\n"
    "到 2024 年底，全市乡镇卫生院和社区卫生服务中心标准化建设达标\n\n"
    "率 75%以上，达到国家基本标准、推荐标准的机构比例分别 88%、45%以\n\n"
    "上；全市每万人口全科医生数达 3.8 名，全市基层医疗卫生机构拥有\n\n\n\n"
    "— 7 —\n\n"
    "260名骨干人才，各县区均建成一个县级卫生人员实训基地作为示范。\n\n"
    "（一）加强建设。\n\n"
    "1．明确建设标准。乡镇卫生院建筑面积不低于 2500平米、床位不少于\n\n"
    "40张。每万服务人口配备 18—30 名基层卫生人员，各县区统筹安排。\n\n"
    "2．完善服务体系规划。调整优化青禾市卫生服务能力 1的实施意见，\n\n"
    "各县区要结合实际制定实施计划，按照规定落实相关保障政策措施。\n\n"
    "二、保障措施\n"
)


def test_rejoins_fixed_width_prose_and_fixes_stray_spaces() -> None:
    text, _ = clean_text(PAGE)
    assert "到2024年底，全市乡镇卫生院和社区卫生服务中心标准化建设达标率75%以上" in text
    assert "分别88%、45%以上；全市每万人口全科医生数达3.8名，全市基层医疗卫生机构拥有260名骨干人才" in text
    assert "不低于2500平米、床位不少于40张。" in text


def test_page_marker_removed_and_next_page_starts_after_it() -> None:
    text, pages = clean_text(PAGE)
    assert "—" not in text.replace("18—30", "")
    assert [p.page for p in pages] == [7, 8]
    assert pages[0].start == 0
    assert text[pages[1].start :].startswith("260名骨干人才")


def test_headings_are_not_joined_to_the_next_line() -> None:
    text, _ = clean_text(PAGE)
    lines = [ln for ln in text.split("\n") if ln]
    assert "一、主要目标" in lines
    assert "（一）加强建设。" in lines
    assert "二、保障措施" in lines
    # A run-in heading keeps its body on the same line.
    assert any(ln.startswith("1．明确建设标准。乡镇卫生院建筑面积") for ln in lines)


def test_footnote_marker_glued_to_a_word_is_removed() -> None:
    text, _ = clean_text(PAGE)
    assert "卫生服务能力的实施意见" in text


def test_blank_runs_collapse() -> None:
    text, _ = clean_text(PAGE)
    assert "\n\n\n" not in text


def test_quotes_are_not_normalised() -> None:
    raw = "“双提升”工程达标率９０％以上，比例为（一）类。\n"
    text, _ = clean_text(raw)
    assert "“双提升”" in text and "９０％" in text and "（一）" in text


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name[:3])
def test_tab_lines_are_byte_identical(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    text, _ = clean_text(raw)
    assert [ln for ln in raw.split("\n") if "\t" in ln] == [ln for ln in text.split("\n") if "\t" in ln]


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name[:3])
def test_space_table_rows_are_byte_identical(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    text, _ = clean_text(raw)
    rows = [ln for ln in raw.split("\n") if is_space_table_row(ln)]
    assert rows == [ln for ln in text.split("\n") if is_space_table_row(ln)]


def test_plan_000_pages_and_joins() -> None:
    raw = PLANS[0].read_text(encoding="utf-8")
    text, pages = clean_text(raw)
    assert "农村区域性医疗卫生中心建筑面积不低于10000平米、床位不少于100张" in text
    assert "全市每万人口全科医生数达3.5名，基层医疗卫生机构拥有300名骨干人才" in text
    assert "第28次常务会议" in text
    by_page = {p.page: p.start for p in pages}
    assert text[by_page[5] :].startswith("10000平米")
    # The header of an annex table keeps the spaces that separate its cells.
    assert "（㎡） 小计 2023 年 2024 年 2025 年" in text


def test_plan_003_lost_page_breaks_are_recovered_between_markers() -> None:
    raw = PLANS[3].read_text(encoding="utf-8")
    _text, pages = clean_text(raw)
    assert [p.page for p in pages] == list(range(3, 13))
    assert all(a.start < b.start for a, b in itertools.pairwise(pages))


def test_one_paragraph_per_line_text_is_not_joined() -> None:
    raw = PLANS[2].read_text(encoding="utf-8")
    text, _ = clean_text(raw)
    assert "（征求意见稿）" in text.split("\n")
    assert "1、 指导思想" in text.split("\n")


def test_split_space_row_keeps_empty_cells() -> None:
    assert split_space_row("连云区 9 16.14 5 3  1 2 26567 ") == (
        "连云区",
        ["9", "16.14", "5", "3", "", "1", "2", "26567", ""],
    )
    assert split_space_row("石桥县  2 1 7 7 8 ") == ("石桥县", ["", "2", "1", "7", "7", "8", ""])
    assert not is_space_table_row("全市 10处镇卫生院打造县域医疗服务次中心")
    assert not is_space_table_row("2023年 7月 10日")


def test_synthetic_plan_cleans() -> None:
    text, pages = clean_text(SYNTH.read_text(encoding="utf-8"))
    assert "达到国家基本标准、推荐标准的机构比例分别88%、45%以上；" in text
    assert "柳湾区 1  1 8 9 9 " in text.split("\n")
    assert [p.page for p in pages] == [2, 3]

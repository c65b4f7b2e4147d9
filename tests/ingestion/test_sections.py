"""Heading hierarchy on the shipped plans and on made-up text with the tricky shapes."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.cleaning import clean_text
from ingestion.schema import Section
from ingestion.sections import cn_number, find_sections, heading_text, looks_like_heading, section_at

PLANS = Path(__file__).resolve().parents[2] / "data" / "plans"


def _plan(prefix: str) -> str:
    path = next(PLANS.glob(f"{prefix}_*.txt"))
    text, _ = clean_text(path.read_text(encoding="utf-8"))
    return text


def _headings(sections: list[Section], level: int | None = None) -> list[str]:
    return [s.heading for s in sections if level is None or s.level == level]


def _check_spans(text: str, sections: list[Section]) -> None:
    rank = {id(s): s.level for s in sections}
    for i, s in enumerate(sections):
        assert 0 <= s.start < s.end <= len(text)
        assert "".join(text[s.start : s.start + 40].split()).startswith("".join(s.heading.split())[:3])
        assert s.path[-1] == s.heading
        # The span runs to the next heading of the same or a higher level (annexes close everything).
        nxt = next((t for t in sections[i + 1 :] if t.level == 0 or rank[id(t)] <= s.level), None)
        assert s.end == (nxt.start if nxt else len(text))


def test_cn_number() -> None:
    assert [cn_number(x) for x in ["一", "十", "十二", "二十一", "三十", "12", "①"]] == [1, 10, 12, 21, 30, 12, 1]
    assert cn_number("第") is None


def test_heading_text_cut_at_sentence_end() -> None:
    assert heading_text("1．完善服务体系规划。调整优化基层医疗卫生机构设置规划") == "1．完善服务体系规划"
    assert heading_text("1、 指导思想") == "1、指导思想"
    assert len(heading_text("（一）" + "很长的标题" * 20)) <= 41


def test_plan_000_hierarchy() -> None:
    text = _plan("000")
    sections = find_sections(text)
    _check_spans(text, sections)
    assert _headings(sections, 1) == ["一、指导思想", "二、主要目标", "三、工作任务", "四、保障措施"]
    level2 = _headings(sections, 2)
    assert level2[:3] == [
        "（一）提升基层医疗卫生机构建设水平",
        "（二）提升基层医疗卫生机构骨干队伍能力",
        "（三）优化基层医疗卫生机构运行机制",
    ]
    first_item = next(s for s in sections if s.heading == "1．完善服务体系规划")
    assert first_item.level == 3
    assert first_item.path == ["三、工作任务", "（一）提升基层医疗卫生机构建设水平", "1．完善服务体系规划"]
    annexes = [s for s in sections if s.level == 0]
    assert [a.heading[:3] for a in annexes] == ["附件：", "附件1", "附件2", "附件3"]
    assert "队伍建设任务分解表" in annexes[-1].heading
    # The list of annex titles ("2．…任务分解表") is not taken for numbered headings.
    assert not any("任务分解表" in s.heading for s in sections if s.level > 0)


def test_plan_001_numbering_continues_across_parents() -> None:
    sections = find_sections(_plan("001"))
    items = [s for s in sections if s.level == 3]
    assert [s.heading.split("．")[0] for s in items] == [str(n) for n in range(1, 21)]
    fourth = items[3]
    assert fourth.path[1].startswith("（二）")


def test_plan_002_mixed_top_level_markers() -> None:
    text = _plan("002")
    sections = find_sections(text)
    _check_spans(text, sections)
    assert _headings(sections, 1) == ["1、指导思想", "2、工作目标", "三、主要任务", "4、职责分工", "五、保障措施"]
    assert len([s for s in sections if s.level == 3]) == 28
    duties = [s for s in sections if s.path[0] == "4、职责分工" and s.level == 2]
    assert len(duties) == 7
    assert sections[-1].level == 0 and sections[-1].heading.startswith("附件")


def test_plan_003_hierarchy() -> None:
    text = _plan("003")
    sections = find_sections(text)
    _check_spans(text, sections)
    assert _headings(sections, 1) == ["一、总体要求", "二、主要任务", "三、保障措施"]
    assert len([s for s in sections if s.level == 3]) == 14


SYNTHETIC = """某县乡村医疗卫生体系建设方案
第一章 总则
第一条 为提升某县基层服务能力，制定本方案。
全县现有1所卫生院承担辐射功能。
1.5万元以上的设备由县级统筹。
第二条 本方案适用于全县。
第二章 主要任务
第三条 建设标准。
1、乡镇卫生院建筑面积不低于3000平米。
2、村卫生室每万服务人口配备2-3名医生。
东海镇\t3\t4\t5
第四条 保障措施。
附件
某县建设任务分解表
乡镇\t2024年\t2025年
"""


def test_synthetic_chapters_articles_and_false_headings() -> None:
    sections = find_sections(SYNTHETIC)
    _check_spans(SYNTHETIC, sections)
    by_heading = {s.heading: s for s in sections}
    assert by_heading["第一章 总则"].level == 1
    assert by_heading["第一条 为提升某县基层服务能力，制定本方案"].level == 2
    assert by_heading["1、乡镇卫生院建筑面积不低于3000平米"].level == 3
    assert by_heading["1、乡镇卫生院建筑面积不低于3000平米"].path == [
        "第二章 主要任务",
        "第三条 建设标准",
        "1、乡镇卫生院建筑面积不低于3000平米",
    ]
    # Prose numbers, decimals and table rows are not headings.
    assert not any(h.startswith(("全县", "1.5", "东海镇")) for h in by_heading)
    annex = sections[-1]
    assert annex.level == 0 and annex.heading == "附件 某县建设任务分解表"
    assert annex.path == ["附件 某县建设任务分解表"]
    # The annex closes the open chapter and article.
    fourth = by_heading["第四条 保障措施"]
    assert fourth.end == annex.start
    assert by_heading["第二章 主要任务"].end == annex.start


def test_top_level_arabic_comma_plan() -> None:
    text = "1、总体要求\n到2025年，覆盖率达到90%。\n（一）基本原则\n坚持县域统筹。\n2、主要任务\n（一）强基层\n内容。\n"
    sections = find_sections(text)
    assert [(s.level, s.heading) for s in sections] == [
        (1, "1、总体要求"),
        (2, "（一）基本原则"),
        (1, "2、主要任务"),
        (2, "（一）强基层"),
    ]


def test_out_of_sequence_marker_is_not_a_heading() -> None:
    text = "一、总体要求\n内容。\n3、这是正文中换行后出现的编号\n二、主要任务\n内容。\n"
    assert _headings(find_sections(text)) == ["一、总体要求", "二、主要任务"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [("一、指导思想", True), ("（1）加强", True), ("第三条 适用范围", True), ("附件2", True),
     ("1所卫生院", False), ("1.5万元", False), ("东海县\t25", False), ("全市达到90%", False)],
)
def test_looks_like_heading(line: str, expected: bool) -> None:
    assert looks_like_heading(line) is expected


def test_section_at_returns_innermost() -> None:
    text = _plan("000")
    sections = find_sections(text)
    at = text.index("调整优化基层医疗卫生机构设置规划")
    inner = section_at(sections, at)
    assert inner is not None and inner.heading == "1．完善服务体系规划"
    assert section_at(sections, 0) is None


def test_markdown_headings() -> None:
    text = (
        "# 某市健康行动方案\n\n## 一、总体要求\n到2025年，覆盖率90%。\n"
        "### （一）基本原则\n内容。\n## **二、主要任务**\n内容。\n"
    )
    sections = find_sections(text)
    assert [(s.level, s.heading) for s in sections] == [
        (1, "一、总体要求"),
        (2, "（一）基本原则"),
        (1, "二、主要任务"),
    ]
    assert text[sections[0].start :].startswith("## 一、总体要求")


def test_a_table_of_contents_is_not_the_section_tree() -> None:
    text = (
        "白石市全民健康规划\n目录\n序言\n第一篇 总体要求\n第一章 指导方针\n第二章 发展目标\n"
        "第二篇 改善服务\n第三章 加强社区医疗\n第四章 完善急救网络\n"
        "序言\n白石市历来重视健康工作，现制定本规划。\n"
        "第一篇 总体要求\n第一章 指导方针\n坚持预防为主，推动服务下沉，惠及全市居民。\n"
        "第二章 发展目标\n到2030年，居民健康水平明显提高。\n"
        "第二篇 改善服务\n第三章 加强社区医疗\n第一节 建设社区医院\n每个街道建成一所社区医院。\n"
        "第四章 完善急救网络\n缩短急救半径。\n"
    )
    sections = find_sections(text)
    body = text.index("序言\n白石市")
    assert all(s.start > body for s in sections)
    paths = [" > ".join(s.path) for s in sections]
    assert "第二篇 改善服务 > 第三章 加强社区医疗 > 第一节 建设社区医院" in paths
    goal = next(s for s in sections if s.heading == "第二章 发展目标")
    assert "居民健康水平明显提高" in text[goal.start : goal.end]
    assert "加强社区医疗" not in text[goal.start : goal.end]

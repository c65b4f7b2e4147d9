"""Chunking along the structure: sizes, no section crossing, exact slices, table rows with header."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.chunking import MAX_CHARS, chunk_document, table_row_text
from ingestion.cleaning import clean_text
from ingestion.schema import DocumentMeta, ParsedDocument, Table, TableRow
from ingestion.sections import find_sections, section_at

PLANS = Path(__file__).resolve().parents[2] / "data" / "plans"


def _doc(prefix: str) -> ParsedDocument:
    path = next(PLANS.glob(f"{prefix}_*.txt"))
    text, pages = clean_text(path.read_text(encoding="utf-8"))
    return ParsedDocument(
        doc_id=f"plan{prefix}",
        source=path.name,
        content_hash="0123456789abcdef",
        text=text,
        meta=DocumentMeta(),
        sections=find_sections(text),
        pages=pages,
    )


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
def test_text_chunks_on_shipped_plans(prefix: str) -> None:
    doc = _doc(prefix)
    chunks = chunk_document(doc)
    text_chunks = [c for c in chunks if c.kind == "text"]
    assert len(text_chunks) >= 10
    starts = sorted(s.start for s in doc.sections)
    for chunk in text_chunks:
        assert 0 <= chunk.start < chunk.end <= len(doc.text)
        assert doc.text[chunk.start : chunk.end] == chunk.text  # exact, quotable slice
        assert len(chunk.text) <= MAX_CHARS
        # No heading starts strictly inside a chunk: it never crosses a section boundary.
        assert not any(chunk.start < s < chunk.end for s in starts)
        section = section_at(doc.sections, chunk.start)
        assert chunk.section == (" > ".join(section.path) if section else "")
    sizes = sorted(len(c.text) for c in text_chunks)
    median = sizes[len(sizes) // 2]
    assert 150 <= median <= 600
    # Chunks are in document order with deterministic ids.
    assert [c.ord for c in chunks] == list(range(len(chunks)))
    assert chunks[0].chunk_id == f"plan{prefix}:01234567:0"
    assert [c.chunk_id for c in chunk_document(doc)] == [c.chunk_id for c in chunks]


def test_long_paragraph_is_split_at_sentence_ends() -> None:
    sentence = "全市乡镇卫生院和社区卫生服务中心基础设施提档升级达标率达到90%以上。"
    text = "一、主要目标\n" + sentence * 40 + "\n二、保障措施\n加强组织领导。\n"
    doc = ParsedDocument(
        doc_id="d", source="d.txt", content_hash="ffffffff", text=text, meta=DocumentMeta(),
        sections=find_sections(text),
    )
    chunks = chunk_document(doc)
    first = [c for c in chunks if c.section == "一、主要目标"]
    assert len(first) >= 3
    assert all(len(c.text) <= MAX_CHARS and c.text.endswith("。") for c in first)
    assert "".join(c.text for c in first).replace("\n", "") == "一、主要目标" + sentence * 40
    # A tiny section still gets its own chunk and never merges with the previous section.
    last = [c for c in chunks if c.section == "二、保障措施"]
    assert [c.text for c in last] == ["二、保障措施\n加强组织领导。"]


def test_tiny_paragraphs_merge_within_a_section() -> None:
    paragraphs = [f"第{i}项工作要求落实到位，确保按期完成。" for i in range(1, 9)]
    text = "一、工作要求\n" + "\n".join(paragraphs) + "\n"
    doc = ParsedDocument(
        doc_id="d", source="d.txt", content_hash="ffffffff", text=text, meta=DocumentMeta(),
        sections=find_sections(text),
    )
    chunks = chunk_document(doc)
    assert len(chunks) == 1
    assert chunks[0].text == text.strip()


def test_a_one_sentence_numbered_item_keeps_its_text() -> None:
    # A short last item written as a whole sentence is read as a heading with no body; its text must
    # still stand in a chunk. A parent heading with items under it stays out (it lives in the path).
    text = (
        "一、主要任务\n"
        "（一）加强队伍建设。\n"
        "1．到2025年，每个乡镇卫生院至少配备2名全科医生，全面落实岗位管理制度。\n"
        "2．发挥考核作用，落实奖惩制度。\n"
        "二、保障措施\n（一）加强组织领导。各地要高度重视，压实责任。\n"
    )
    doc = ParsedDocument(
        doc_id="d", source="d.txt", content_hash="ffffffff", text=text, meta=DocumentMeta(),
        sections=find_sections(text),
    )
    texts = [c.text for c in chunk_document(doc)]
    assert any("落实奖惩制度。" in t for t in texts)
    assert not any(t.startswith("（一）加强队伍建设") for t in texts)
    assert not any(t.startswith("一、主要任务") for t in texts)


def _table_doc() -> ParsedDocument:
    text = (
        "一、主要目标\n到2025年，全市每万人口全科医生数达4名以上，覆盖率达到90%。\n"
        "附件\n某市培养任务分解表\n"
        "县区  培养全科医生数（人）\n  2023年 2024年 2025年\n"
        "甲县 25 25 25\n乙区 17 16 \n合计 42 41 25\n"
        "各县区抓好落实，确保完成任务。\n"
    )
    start = text.index("县区  培养")
    rows = []
    for label, cells in [("甲县", ["25", "25", "25"]), ("乙区", ["17", "16", None]), ("合计", ["42", "41", "25"])]:
        line_start = text.index(f"{label} ")
        line_end = text.index("\n", line_start)
        rows.append(
            TableRow(label=label, cells=cells, quote=text[line_start:line_end], start=line_start, end=line_end,
                     is_total=label == "合计")
        )
    table = Table(
        title="某市培养任务分解表",
        label_header="县区",
        columns=["培养全科医生数（人）/2023年", "培养全科医生数（人）/2024年", "培养全科医生数（人）/2025年"],
        rows=rows,
        start=start,
        end=rows[-1].end,
    )
    sections = find_sections(text)
    return ParsedDocument(
        doc_id="t", source="t.txt", content_hash="abcdef0123", text=text, meta=DocumentMeta(),
        sections=sections, tables=[table],
    )


def test_table_rows_become_chunks_with_title_and_header() -> None:
    doc = _table_doc()
    chunks = chunk_document(doc)
    rows = [c for c in chunks if c.kind == "table_row"]
    assert [c.text for c in rows] == [
        "某市培养任务分解表｜县区：甲县｜培养全科医生数（人）：2023年 25；2024年 25；2025年 25",
        "某市培养任务分解表｜县区：乙区｜培养全科医生数（人）：2023年 17；2024年 16；2025年 —",
        "某市培养任务分解表｜县区：合计｜培养全科医生数（人）：2023年 42；2024年 41；2025年 25",
    ]
    for chunk, row in zip(rows, doc.tables[0].rows, strict=True):
        assert (chunk.start, chunk.end) == (row.start, row.end)
        assert chunk.section.startswith("附件")
    # Text outside the table is chunked; the table region itself is not duplicated into text chunks.
    table = doc.tables[0]
    for chunk in (c for c in chunks if c.kind == "text"):
        assert chunk.end <= table.start or chunk.start >= table.end
        assert "甲县" not in chunk.text
    assert any("各县区抓好落实" in c.text for c in chunks if c.kind == "text")
    # The caption right above the table (repeated in every row chunk) is not a chunk of its own.
    assert all("某市培养任务分解表" not in c.text for c in chunks if c.kind == "text")
    # Document order: the row chunks sit between the text before and after the table.
    kinds = [c.kind for c in chunks]
    assert kinds.index("table_row") > 0 and kinds[-1] == "text"


def test_table_row_text_without_two_level_header() -> None:
    table = Table(title="", section_path=["二、主要目标"], label_header="指标", columns=["2025年目标值"], rows=[])
    row = TableRow(label="社区医院比例（%）", cells=["20"], quote="社区医院比例（%） 20")
    assert table_row_text(table, row) == "二、主要目标｜指标：社区医院比例（%）｜2025年目标值：20"


def test_chunk_page_comes_from_page_spans() -> None:
    doc = _doc("003")
    assert doc.pages, "plan 003 has page markers"
    for chunk in chunk_document(doc):
        assert chunk.page == doc.page_at(chunk.start)


@pytest.mark.parametrize("date_line", ["2031年5月9日", "二〇三一年五月九日"])
def test_signature_above_a_table_stays_in_a_chunk(tmp_path: Path, date_line: str) -> None:
    """The issuer and date closing a notice right above its annex table are no caption of the table."""
    from ingestion.pipeline import parse_file

    rows = ["序号 |", "指标名称 |", "单位 |", "2030年 |", "2032年 |", "牵头单位 |"]
    rows += ["1 |", "白鹭河水质达标率 |", "% |", "80 |", "≥85 |", "市青禾局 |"]
    rows += ["2 |", "青禾步道覆盖率 |", "% |", "60 |", "≥70 |", "市青禾局 |"]
    text = "\n".join(
        [
            "白政办函〔2031〕7号",
            "各镇人民政府，市直有关单位：",
            "《白鹭市青禾行动计划主要目标任务》已经市人民政府常务会议审议通过。现印发给你们，请认真组织实施。",
            "白鹭市人民政府办公室",
            date_line,
            "白鹭市青禾行动计划",
            "主要目标任务",
            *rows,
        ]
    )
    path = tmp_path / "plan.txt"
    path.write_text(text + "\n", encoding="utf-8")
    doc = parse_file(path, 10**6)
    assert doc.tables, "the annex table is read as a table"
    texts = [c.text for c in doc.chunks if c.kind == "text"]
    assert any("白鹭市人民政府办公室" in t and date_line in t for t in texts)
    # The table's own caption (its title lines, repeated in every row chunk) is still left out.
    assert all("主要目标任务\n" not in t and not t.endswith("主要目标任务") for t in texts)
    assert doc.meta.issuer == "白鹭市人民政府办公室"

"""Readers on real fixture files (tests/fixtures, made by make_fixtures.py) and on bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.readers import decode_text_bytes, read_file
from ingestion.text.errors import (
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    FileTooLargeError,
    IngestError,
    NoTextError,
    TextDecodingError,
    UnsupportedFileError,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LIMIT = 10_000_000
# Full grid: a merged cell's text is repeated over every position it covers.
HEADER_TOP = ["县区", "培养全科医生数（人）", "培养全科医生数（人）", "培养全科医生数（人）"]
HEADER_SUB = ["县区", "2023年", "2024年", "2025年"]
# As rendered into the text: a merged cell's text once, covered positions empty.
LINES_HEAD = ["县区\t培养全科医生数（人）\t\t", "\t2023年\t2024年\t2025年"]


def test_gb18030_text_is_detected_and_crlf_normalised() -> None:
    raw = read_file(FIXTURES / "plan_gb18030.txt", LIMIT)
    assert raw.format == "txt"
    assert "\r" not in raw.text
    assert "连政办发〔2023〕30号" in raw.text
    assert "全市每万人口全科医生数达3.5名" in raw.text
    assert raw.pages == [] and raw.tables == []


def test_utf8_bom_is_stripped() -> None:
    raw = read_file(FIXTURES / "plan_utf8_bom.txt", LIMIT)
    assert not raw.text.startswith("\ufeff")
    assert raw.text.startswith("连政办发〔2023〕30号")


def test_markdown_is_read_as_text(tmp_path: Path) -> None:
    md = tmp_path / "plan.md"
    md.write_text("# 某市行动方案\r\n\r\n一、总体要求\r\n到2025年，达到90%以上。\r\n", encoding="utf-8")
    raw = read_file(md, LIMIT)
    assert raw.format == "md"
    assert raw.text == "# 某市行动方案\n\n一、总体要求\n到2025年，达到90%以上。\n"


def test_decode_text_bytes_variants() -> None:
    text = "到2025年，全市每万人口全科医生数达4名。"
    assert decode_text_bytes(text.encode("utf-8")) == text
    assert decode_text_bytes(text.encode("gb18030")) == text
    assert decode_text_bytes(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert decode_text_bytes(text.encode("utf-16")) == text
    with pytest.raises(TextDecodingError):
        decode_text_bytes(b"abc\x00\x01\x02def")


def test_docx_keeps_tables_in_body_order_with_merged_cells() -> None:
    raw = read_file(FIXTURES / "plan.docx", LIMIT)
    assert raw.format == "docx"
    assert len(raw.tables) == 1
    table = raw.tables[0]
    assert table.title == "连云港市基层医疗卫生机构“双提升”工程队伍建设任务分解表（2023—2025年）"
    assert table.rows[0] == HEADER_TOP  # horizontally merged cell
    assert table.rows[1] == HEADER_SUB  # vertically merged 县区
    assert table.lines[:2] == LINES_HEAD
    assert len(table.lines) == len(table.rows)
    assert table.rows[-1] == ["合计", "100", "100", "100"]
    assert ["云台山景区", "1", "1", None] in table.rows
    # The table sits between its title and the paragraph after it, one tab-joined line per row.
    text = raw.text
    title_at = text.index(table.title)
    row_at = text.index("东海县\t25\t25\t25")
    after_at = text.index("各县区要按照任务分解表抓好落实。")
    assert title_at < row_at < after_at
    assert "\n云台山景区\t1\t1\t\n" in text
    assert all(f"\n{line}\n" in text for line in table.lines)


def test_pdf_pages_tables_and_no_duplicated_table_text() -> None:
    raw = read_file(FIXTURES / "plan.pdf", LIMIT)
    assert raw.format == "pdf"
    assert [p.page for p in raw.pages] == [1, 2]
    assert raw.pages[0].start == 0
    second = raw.text[raw.pages[1].start :]
    assert second.startswith("附件")
    assert len(raw.tables) == 1
    table = raw.tables[0]
    assert table.page == 2
    assert table.title.startswith("连云港市基层医疗卫生机构“双提升”工程队伍建设任务分解表")
    assert table.rows[0] == HEADER_TOP
    assert table.rows[1] == HEADER_SUB
    assert table.lines[:2] == LINES_HEAD
    assert table.rows[2] == ["东海县", "25", "25", "25"]
    assert ["云台山景区", "1", "1", None] in table.rows
    # Table cells appear once: as the row line, not again as loose page text.
    assert raw.text.count("东海县") == 1
    assert "东海县\t25\t25\t25" in raw.text
    assert raw.text.index("东海县") < raw.text.index("各县区要按照任务分解表抓好落实。")


@pytest.mark.parametrize(
    ("name", "error", "phrase"),
    [
        ("empty.txt", EmptyFileError, "为空"),
        ("binary.pdf", CorruptFileError, "不是 PDF"),
        ("encrypted.pdf", EncryptedFileError, "加密"),
        ("corrupt.pdf", CorruptFileError, "损坏"),
        ("scanned.pdf", NoTextError, "OCR"),
        ("plan.xlsx", UnsupportedFileError, ".xlsx"),
        ("bad_encoding.txt", TextDecodingError, "GB18030"),
    ],
)
def test_bad_inputs_raise_with_a_one_line_chinese_reason(name: str, error: type[IngestError], phrase: str) -> None:
    with pytest.raises(error) as info:
        read_file(FIXTURES / name, LIMIT)
    message = str(info.value)
    assert phrase in message
    assert "\n" not in message
    assert "请" in message  # says what to do


def test_size_limit_is_checked_before_reading() -> None:
    # encrypted.pdf would raise EncryptedFileError if it were read at all.
    with pytest.raises(FileTooLargeError) as info:
        read_file(FIXTURES / "encrypted.pdf", max_bytes=1000)
    assert "POLICY_ASSISTANT_MAX_FILE_MB" in str(info.value)


def test_whitespace_only_text_is_empty(tmp_path: Path) -> None:
    blank = tmp_path / "blank.txt"
    blank.write_text(" \n\t\n  ", encoding="utf-8")
    with pytest.raises(EmptyFileError):
        read_file(blank, LIMIT)


def test_docx_that_is_not_a_zip_is_corrupt(tmp_path: Path) -> None:
    fake = tmp_path / "fake.docx"
    fake.write_text("这不是 Word 文档", encoding="utf-8")
    with pytest.raises(CorruptFileError):
        read_file(fake, LIMIT)


def test_wps_suggests_docx_and_a_broken_doc_too(tmp_path: Path) -> None:
    wps = tmp_path / "plan.wps"
    wps.write_bytes(b"\xd0\xcf\x11\xe0 kingsoft")
    with pytest.raises(UnsupportedFileError) as info:
        read_file(wps, LIMIT)
    assert ".docx" in str(info.value)
    old = tmp_path / "plan.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0 old word")  # not even a whole OLE2 signature
    with pytest.raises(CorruptFileError) as info2:
        read_file(old, LIMIT)
    assert ".docx" in str(info2.value)


def test_pdf_with_a_scanned_page_reads_the_text_and_warns() -> None:
    raw = read_file(FIXTURES / "mixed_scan.pdf", LIMIT)
    assert "到2023年底" in raw.text
    assert len(raw.warnings) == 1
    assert "第 2 页" in raw.warnings[0] and "OCR" in raw.warnings[0]


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="不存在"):
        read_file(tmp_path / "nope.txt", LIMIT)
    folder = tmp_path / "folder.pdf"
    folder.mkdir()
    with pytest.raises(IngestError, match="不是普通文件"):
        read_file(folder, LIMIT)

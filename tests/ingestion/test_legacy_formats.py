"""Word 97-2003 .doc through antiword (the committed fixture plan.doc), and the refused .wps/OFD."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingestion.filetypes import OLE2_MAGIC
from ingestion.legacy_formats import doc_from_docbook
from ingestion.pipeline import parse_file
from ingestion.readers import read_file
from ingestion.text.errors import ConversionError, CorruptFileError, UnsupportedFileError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LIMIT = 10_000_000
TABLE_TITLE = "连云港市基层医疗卫生机构“双提升”工程队伍建设任务分解表（2023—2025年）"


@pytest.fixture(scope="module")
def antiword() -> str:
    found = shutil.which("antiword")
    if found is None:
        pytest.fail("antiword is not installed: run `make reader-deps` (apt-get install antiword)")
    return found


def test_doc_reads_paragraphs_and_the_merged_header_table(antiword: str) -> None:
    raw = read_file(FIXTURES / "plan.doc", LIMIT)
    assert raw.format == "doc"
    assert raw.text.startswith("连政办发〔2023〕30号\n")
    assert "全市每万人口全科医生数达3.5名" in raw.text
    assert len(raw.tables) == 1
    table = raw.tables[0]
    assert table.title == TABLE_TITLE
    # The horizontally merged header cell fills the three year columns in the grid, once in the line.
    assert table.rows[0] == ["县区", "培养全科医生数（人）", "培养全科医生数（人）", "培养全科医生数（人）"]
    assert table.lines[0] == "县区\t培养全科医生数（人）\t\t"
    assert table.rows[1][1:] == ["2023年", "2024年", "2025年"]
    assert ["云台山景区", "1", "1", None] in table.rows
    assert table.rows[-1] == ["合计", "100", "100", "100"]
    assert all(f"\n{line}\n" in raw.text for line in table.lines)


def test_doc_end_to_end_like_the_docx(antiword: str) -> None:
    doc = parse_file(FIXTURES / "plan.doc", LIMIT)
    docx = parse_file(FIXTURES / "plan.docx", LIMIT)
    assert doc.meta.model_dump() == docx.meta.model_dump()
    assert [s.heading for s in doc.sections] == [s.heading for s in docx.sections]
    assert len(doc.tables) == 1 and doc.tables[0].totals_ok is True
    assert doc.tables[0].columns == docx.tables[0].columns
    assert {(t.row_label, t.year, t.value) for t in doc.targets if t.kind == "table"} == {
        (t.row_label, t.year, t.value) for t in docx.targets if t.kind == "table"
    }


def test_docx_saved_with_a_doc_name_is_read_as_docx(tmp_path: Path) -> None:
    renamed = tmp_path / "renamed.doc"
    shutil.copy(FIXTURES / "plan.docx", renamed)
    raw = read_file(renamed, LIMIT)
    assert raw.format == "doc" and len(raw.tables) == 1


def test_doc_that_is_no_document_at_all_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "picture.doc"
    fake.write_bytes(b"GIF89a" + bytes(200))
    with pytest.raises(CorruptFileError) as info:
        read_file(fake, LIMIT)
    assert ".docx" in str(info.value)


def test_web_page_saved_as_doc_is_read_with_its_table(tmp_path: Path) -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><style>p{}</style></head>'
        "<body><p>某县卫生健康事业发展规划</p><p>到2025年，每千人口床位数达到6张以上。</p>"
        "<p>表1 床位目标</p><table><tr><td>乡镇</td><td>2025年</td></tr><tr><td>甲镇</td><td>120</td></tr>"
        "</table><p>以上为计划数。</p></body></html>"
    )
    page = tmp_path / "规划.doc"
    page.write_bytes(html.encode("gb18030"))
    raw = read_file(page, LIMIT)
    assert raw.format == "doc"
    assert raw.text.split("\n") == [
        "某县卫生健康事业发展规划", "到2025年，每千人口床位数达到6张以上。", "表1 床位目标",
        "乡镇\t2025年", "甲镇\t120", "以上为计划数。",
    ]  # fmt: skip
    assert raw.tables[0].title == "表1 床位目标" and raw.tables[0].rows == [["乡镇", "2025年"], ["甲镇", "120"]]


def test_mht_saved_as_doc_is_read(tmp_path: Path) -> None:
    import quopri

    body = quopri.encodestring("<html><body><p>到2026年，家庭医生签约率达到75%以上。</p></body></html>".encode())
    mht = (
        b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"B\"\r\n\r\n--B\r\n"
        b"Content-Type: text/html; charset=\"utf-8\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
        + body + b"\r\n--B--\r\n"
    )  # fmt: skip
    path = tmp_path / "签约.doc"
    path.write_bytes(mht)
    assert read_file(path, LIMIT).text == "到2026年，家庭医生签约率达到75%以上。"


@pytest.mark.parametrize(
    "rtf",
    [
        rb"{\rtf1\ansi\ansicpg936{\fonttbl{\f0 SimSun;}}\f0 \'b5\'bd2025\'c4\'ea\par }",
        rb"{\rtf1\ansi{\fonttbl{\f0 SimSun;}}\f0 \u21040?2025\u24180?\par }",
    ],
    ids=["code-page", "unicode-escapes"],
)
def test_rtf_saved_as_doc_is_read(tmp_path: Path, rtf: bytes) -> None:
    path = tmp_path / "通知.doc"
    path.write_bytes(rtf)
    assert read_file(path, LIMIT).text.strip() == "到2025年"
def test_broken_word_file_fails_the_converter(tmp_path: Path, antiword: str, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "broken.doc"
    broken.write_bytes(OLE2_MAGIC + b"\x00" * 600)
    monkeypatch.setattr("ingestion.legacy_formats.shutil.which", lambda name: antiword if name == "antiword" else None)
    with pytest.raises(ConversionError) as info:
        read_file(broken, LIMIT)
    assert info.value.code == "conversion_failed" and ".docx" in str(info.value)


def test_doc_without_antiword_or_libreoffice_is_read_by_the_built_in_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ingestion.legacy_formats.shutil.which", lambda name: None)
    raw = read_file(FIXTURES / "plan.doc", LIMIT)
    assert raw.format == "doc"
    assert "全市每万人口全科医生数达3.5名" in raw.text
    assert "合计\t100\t100\t100" in raw.text  # table rows come out as tab-joined lines


def test_built_in_reader_gives_the_text_antiword_gives(antiword: str) -> None:
    from ingestion.doc_variants import word_binary_text

    built_in = word_binary_text(FIXTURES / "plan.doc")
    by_antiword = read_file(FIXTURES / "plan.doc", LIMIT).text
    squash = "".join(by_antiword.split())
    lines = [line for line in built_in.split("\n") if line.strip() and "\t" not in line]
    assert lines and all("".join(line.split()) in squash for line in lines)


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice is optional (a fallback, not installed by make)"
)
def test_libreoffice_reads_the_doc_when_antiword_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    real = shutil.which
    monkeypatch.setattr(
        "ingestion.legacy_formats.shutil.which", lambda name: None if name == "antiword" else real(name)
    )
    raw = read_file(FIXTURES / "plan.doc", LIMIT)
    assert raw.format == "doc"
    assert "全市每万人口全科医生数达3.5名" in raw.text
    assert len(raw.tables) == 1 and raw.tables[0].rows[-1] == ["合计", "100", "100", "100"]


@pytest.mark.parametrize(("suffix", "phrase"), [(".wps", "另存为"), (".ofd", "PDF"), (".xls", ".docx")])
def test_wps_and_ofd_are_refused_with_a_way_out(tmp_path: Path, suffix: str, phrase: str) -> None:
    path = tmp_path / f"plan{suffix}"
    path.write_bytes(b"PK\x03\x04 not read")
    with pytest.raises(UnsupportedFileError) as info:
        read_file(path, LIMIT)
    message = str(info.value)
    assert suffix in message and phrase in message and "请" in message


def test_docbook_table_with_row_groups_places_merged_cells() -> None:
    xml = """<book><chapter><para>表1 某县指标</para><para><informaltable><tgroup cols='2'>
    <colspec colwidth='100pt'/><colspec colwidth='300pt'/>
    <tbody><row><entry>地区</entry><entry>床位数（张）</entry></row></tbody></tgroup>
    <tgroup cols='4'><colspec colwidth='100pt'/><colspec colwidth='100pt'/><colspec colwidth='100pt'/>
    <colspec colwidth='99.9pt'/><tbody><row><entry></entry><entry>2023年</entry><entry>2024年</entry>
    <entry>2025年</entry></row><row><entry>甲镇</entry><entry>30</entry><entry></entry><entry>40</entry></row>
    </tbody></tgroup></informaltable></para><para>以上为计划数。</para></chapter></book>"""
    raw = doc_from_docbook(xml)
    table = raw.tables[0]
    assert table.title == "表1 某县指标"
    assert table.rows == [
        ["地区", "床位数（张）", "床位数（张）", "床位数（张）"],
        [None, "2023年", "2024年", "2025年"],
        ["甲镇", "30", None, "40"],
    ]
    assert raw.text.split("\n") == [
        "表1 某县指标",
        "地区\t床位数（张）\t\t",
        "\t2023年\t2024年\t2025年",
        "甲镇\t30\t\t40",
        "以上为计划数。",
    ]

"""Reader resource limits on files built here: a DOCX zip bomb, a 20,000-page PDF, too much text.

No timings: each test proves the refusal happens before the expensive step (the DOCX is never handed
to python-docx, the PDF never to pdfplumber) or that reading stopped part way.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from assistant.settings import Settings
from ingestion.limits import ReadLimits
from ingestion.readers import read_file
from ingestion.text.errors import (
    ArchiveTooLargeError,
    CompressionRatioError,
    FileTooLargeError,
    TooManyPagesError,
    TooMuchTextError,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MAX_BYTES = 50_000_000
MB = 1024 * 1024
WORD_NS = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _never(*args: object, **kwargs: object) -> None:
    raise AssertionError("the parser was called: the limit should have refused the file first")


def _bomb_docx(path: Path, xml_mb: int) -> Path:
    """A DOCX whose word/document.xml is ``xml_mb`` MB of one repeated paragraph (packs ~1000:1)."""
    shutil.copy(FIXTURES / "plan.docx", path)
    with zipfile.ZipFile(FIXTURES / "plan.docx") as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            if item.filename != "word/document.xml":
                out.writestr(item, src.read(item))
        paragraph = b"<w:p><w:r><w:t>" + "到2025年底，全市达到90%以上。".encode() * 20 + b"</w:t></w:r></w:p>"
        with out.open("word/document.xml", "w") as member:
            member.write(b'<?xml version="1.0"?><w:document xmlns:w="%s"><w:body>' % WORD_NS)
            block = paragraph * (MB // len(paragraph))
            for _ in range(xml_mb):
                member.write(block)
            member.write(b"</w:body></w:document>")
    return path


def test_zip_bomb_docx_is_refused_from_its_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = _bomb_docx(tmp_path / "bomb.docx", xml_mb=320)
    assert bomb.stat().st_size < 2 * MB  # small on disk
    monkeypatch.setattr("docx.Document", _never)
    with pytest.raises(ArchiveTooLargeError) as info:
        read_file(bomb, MAX_BYTES)  # default limits
    assert info.value.code == "archive_too_large"
    message = str(info.value)
    assert "200 MB" in message and "POLICY_ASSISTANT_MAX_ARCHIVE_MB" in message and "请" in message


def test_highly_compressed_member_is_refused_under_the_size_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = _bomb_docx(tmp_path / "small_bomb.docx", xml_mb=5)
    monkeypatch.setattr("docx.Document", _never)
    with pytest.raises(CompressionRatioError) as info:
        read_file(bomb, MAX_BYTES)
    assert info.value.code == "compression_ratio_too_high"
    assert "word/document.xml" in str(info.value) and "POLICY_ASSISTANT_MAX_COMPRESSION_RATIO" in str(info.value)
    # Raised limits let the same file through to the parser.
    monkeypatch.undo()
    raw = read_file(bomb, MAX_BYTES, limits=ReadLimits(max_compression_ratio=10_000, max_chars=100_000_000))
    assert raw.text.count("到2025年底") > 50_000


def test_real_docx_passes_the_archive_check() -> None:
    raw = read_file(FIXTURES / "plan.docx", MAX_BYTES, limits=ReadLimits(max_archive_bytes=1 * MB))
    assert "连云港市基层医疗卫生机构" in raw.text


def test_pdf_with_too_many_pages_is_refused_before_any_page_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pypdfium2 as pdfium

    many = tmp_path / "many.pdf"
    document = pdfium.PdfDocument.new()
    for _ in range(20_000):
        document.new_page(595, 842).close()
    document.save(str(many))
    document.close()
    monkeypatch.setattr("pdfplumber.open", _never)
    with pytest.raises(TooManyPagesError) as info:
        read_file(many, MAX_BYTES)
    assert info.value.code == "too_many_pages"
    message = str(info.value)
    assert "20000 页" in message and "1000 页" in message and "POLICY_ASSISTANT_MAX_PAGES" in message


def test_page_limit_counts_pages_of_a_real_pdf() -> None:
    with pytest.raises(TooManyPagesError):
        read_file(FIXTURES / "plan.pdf", MAX_BYTES, limits=ReadLimits(max_pages=1))
    assert len(read_file(FIXTURES / "plan.pdf", MAX_BYTES, limits=ReadLimits(max_pages=2)).pages) == 2


def test_too_much_text_stops_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("到2025年底，全市每万人口全科医生数达4名。\n" * 2000, encoding="utf-8")
    with pytest.raises(TooMuchTextError) as info:
        read_file(big, MAX_BYTES, limits=ReadLimits(max_chars=10_000))
    assert info.value.code == "too_much_text"
    assert "10,000" in str(info.value) and "POLICY_ASSISTANT_MAX_TEXT_CHARS" in str(info.value)


@pytest.mark.parametrize("name", ["plan.pdf", "plan.docx"])
def test_too_much_text_stops_at_the_page_or_paragraph_that_crosses_the_limit(name: str) -> None:
    full = read_file(FIXTURES / name, MAX_BYTES)
    limit = len(full.text) // 3
    with pytest.raises(TooMuchTextError) as info:
        read_file(FIXTURES / name, MAX_BYTES, limits=ReadLimits(max_chars=limit))
    used = int(str(info.value).split("已读到 ")[1].split(" 字")[0].replace(",", ""))
    assert limit < used < len(full.text)


def test_too_much_text_of_a_doc() -> None:
    full = read_file(FIXTURES / "plan.doc", MAX_BYTES)
    with pytest.raises(TooMuchTextError):
        read_file(FIXTURES / "plan.doc", MAX_BYTES, limits=ReadLimits(max_chars=len(full.text) - 1))


def test_limit_errors_are_distinct_and_all_too_large() -> None:
    codes = {e.code for e in (ArchiveTooLargeError, CompressionRatioError, TooManyPagesError, TooMuchTextError)}
    assert len(codes) == 4
    assert all(issubclass(e, FileTooLargeError) for e in (ArchiveTooLargeError, TooManyPagesError, TooMuchTextError))


def test_settings_defaults_match_the_reader_defaults() -> None:
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    defaults = ReadLimits()
    assert s.max_pages == defaults.max_pages
    assert s.max_text_chars == defaults.max_chars
    assert int(s.max_archive_mb * MB) == defaults.max_archive_bytes
    assert s.max_compression_ratio == defaults.max_compression_ratio
    assert s.max_ocr_pages == defaults.max_ocr_pages
    assert s.converter_timeout_s == defaults.converter_timeout_s

"""PDFs pdfminer cannot read (CFF-embedded CJK fonts) fall back to PDFium; text PDFs never reach OCR."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ingestion.ocr import OcrLine, OcrOptions
from ingestion.pdf_pages import has_usable_text, meaningful_chars
from ingestion.pipeline import parse_file
from ingestion.readers import read_file

PLANS = Path(__file__).resolve().parents[2] / "data" / "plans"
LIMIT = 50_000_000
CFF_LINES = [
    "某市基层医疗卫生服务能力提升行动方案",
    "一、主要目标",
    "到2025年底，全市每万人口全科医生数达3.5名，县域内就诊率达到90%以上。",
]


class FakeNeverCalled:
    """A fake OCR engine that fails the test if any page is sent to it."""

    name = "never"

    def recognize(self, image: object) -> list[OcrLine]:
        raise AssertionError("a page with a text layer was sent to OCR")


def test_meaningful_chars_ignore_cid_codes_and_page_numbers() -> None:
    assert meaningful_chars("(cid:123)(cid:45)\n— 3 —\n  ") == 0
    assert not has_usable_text("— 12 —")
    assert has_usable_text("一、主要目标")


def test_cff_font_pdf_is_read_through_pdfium(make_cff_pdf: Callable[[str, list[str]], Path]) -> None:
    import pdfplumber

    pdf = make_cff_pdf("cff.pdf", CFF_LINES)
    with pdfplumber.open(pdf) as plumbed:
        assert not has_usable_text(plumbed.pages[0].extract_text() or "")  # the case this fallback is for
    raw = read_file(pdf, LIMIT, ocr=OcrOptions(engine=FakeNeverCalled()))
    assert raw.ocr_pages == [] and raw.warnings == []
    assert "到2025年底，全市每万人口全科医生数达3.5名，县域内就诊率达到90%以上。" in raw.text
    doc = parse_file(pdf, LIMIT)
    assert doc.meta.title == "某市基层医疗卫生服务能力提升行动方案"
    assert {t.value_text for t in doc.targets} >= {"3.5名", "90%以上"}
    assert not any(c.ocr for c in doc.chunks)


@pytest.mark.slow
def test_published_pdf_reads_its_text_layer_without_fallbacks() -> None:
    path = next(PLANS.glob("005_*.pdf"))
    raw = read_file(path, LIMIT, ocr=OcrOptions(engine=FakeNeverCalled()))
    assert len(raw.pages) == 48
    assert raw.ocr_pages == [] and raw.warnings == []
    assert len(raw.tables) == 49
    assert "健康中国" in raw.text


def test_rendering_a_huge_page_is_capped(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    from ingestion.pdf_pages import MAX_RENDER_SIDE, open_pdfium, render_page

    path = tmp_path / "poster.pdf"
    document = pdfium.PdfDocument.new()
    document.new_page(14_400, 7_200).close()  # the largest page PDF allows: 200 x 100 inches
    document.save(str(path))
    document.close()
    with open_pdfium(path) as opened:
        image = render_page(opened, 1, scale=2.0)
    assert max(image.size) <= MAX_RENDER_SIDE  # at scale 2 it would be 28,800 px wide (415 MB grey)
    assert image.size[0] == 2 * image.size[1]

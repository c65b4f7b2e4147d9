"""OCR provenance in the UI: citations, nearest passages and target details read from a scan carry a mark.

A made-up plan page is drawn as an image and wrapped in an image-only PDF (no text layer), ingested
with the real RapidOCR engine and the real embedder into a scratch store; the answer, the search hits
and the target rows that come back are rendered as the UI renders them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.library import Library
from assistant.schema import Citation, SearchHit
from assistant.service import Assistant
from ingestion.schema import Target
from tests.conftest import make_settings
from ui.render import ocr_mark, render_answer, render_citation, render_hit, render_target_detail

NOTO_SANS = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
NOTO_SC = 2  # face index of Noto Sans CJK SC in the collection
PAGE_SIZE = (1191, 1684)  # A4 at 144 dpi
FONT_PX = 30

# A made-up scanned notice (no shipped plan's wording).
SCAN_LINES = [
    "某县卫生健康局文件",
    "某卫发[2026]9号",
    "某县村卫生室标准化建设方案",
    "一、主要目标",
    "到2026年底，全县标准化村卫生室达到85%以上，",
    "每个村卫生室配备乡村医生不少于2名。",
]
MARK = re.compile(r"扫描件识别 · 第1页 · 置信度 0\.\d\d，请核对原文")


def _scan(path: Path, lines: list[str]) -> Path:
    """An image-only PDF of one A4 page with ``lines`` drawn in black, as a scanner gives it."""
    from PIL import Image, ImageDraw, ImageFont

    if not NOTO_SANS.is_file():
        pytest.fail(f"{NOTO_SANS} missing: run `make reader-deps` (apt-get install fonts-noto-cjk)")
    page = Image.new("L", PAGE_SIZE, color=255)
    draw = ImageDraw.Draw(page)
    face = ImageFont.truetype(str(NOTO_SANS), FONT_PX, index=NOTO_SC)
    for k, line in enumerate(lines):
        draw.text((110, 110 + k * int(FONT_PX * 1.9)), line, font=face, fill=0)
    page.save(path, "PDF", resolution=144.0)
    return path


def _visible(html: str) -> str:
    import html as h

    return h.unescape(re.sub(r"<[^>]+>", "", html))


@pytest.fixture(scope="module")
def scanned_assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("ui-ocr")
    settings = make_settings(root, ocr_engine="rapidocr")
    pdf = _scan(root / "村卫生室方案_扫描件.pdf", SCAN_LINES)
    report = Library(settings).ingest([pdf])
    assert report.ok, [f.reason for f in report.failed]
    return Assistant(settings)


def test_the_mark_names_page_and_confidence_and_only_for_ocr() -> None:
    assert ocr_mark(False, None, 3) == ""
    assert _visible(ocr_mark(True, 0.912, 3)) == "扫描件识别 · 第3页 · 置信度 0.91，请核对原文"
    assert _visible(ocr_mark(True, None, None)) == "扫描件识别，请核对原文"
    typed = Citation(n=1, doc_id="d", quote="到2026年达到85%以上", page=2)
    assert "pa-ocr" not in render_citation(typed)
    hit = SearchHit(chunk_id="c", doc_id="d", text="到2026年达到85%以上", score=1.0, page=2)
    assert "pa-ocr" not in render_hit(hit)
    row = Target(doc_id="d", indicator="x", value=85, year="2026", quote="到2026年达到85%以上", page=2)
    assert "pa-ocr" not in render_target_detail(row, None)


def test_answer_from_a_scan_marks_its_citation(scanned_assistant: Assistant) -> None:
    answer = scanned_assistant.ask("到2026年全县标准化村卫生室要达到多少？")
    assert answer.status == "answered"
    assert answer.citations and all(c.ocr for c in answer.citations)
    html = render_answer(answer)
    shown = _visible(html)
    assert "85%以上" in shown
    sources = html.split('class="pa-source"')[1:]
    assert sources and all(MARK.search(_visible(s)) for s in sources)


def test_nearest_passage_and_target_detail_from_a_scan_are_marked(scanned_assistant: Assistant) -> None:
    hits = scanned_assistant.search("乡村医生配备", k=3)
    assert hits and hits[0].ocr
    assert MARK.search(_visible(render_hit(hits[0])))
    # (85%以上 may be read with low confidence and kept out of the target rows; 2名 is not.)
    rows = [t for t in scanned_assistant.targets() if "2名" in t.value_text]
    assert rows and rows[0].ocr
    detail = render_target_detail(rows[0], None)
    assert MARK.search(_visible(detail))
    assert "乡村医生" in _visible(detail)

"""OCR of scanned pages: text tidying, line assembly, the real engine on made-up pages, provenance, limits.

Scanned pages are drawn in the test (tests/ingestion/conftest.py) from made-up plan text; OCR runs
with the real RapidOCR engine on one or two pages. A fake engine (named so) stands in only where a test
needs an exact confidence or must prove the engine was never called.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from ingestion.limits import ReadLimits
from ingestion.ocr import OcrLine, OcrOptions, RapidOcrEngine, assemble_page, make_ocr_engine, tidy_ocr_text
from ingestion.pipeline import parse_file
from ingestion.readers import read_file
from ingestion.text.errors import NoTextError, TooManyOcrPagesError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LIMIT = 10_000_000

SCAN_PAGE = [
    "某县卫生健康局文件",
    "某卫发[2025]4号",
    "某县基层卫生服务能力提升方案",
    "一、主要目标",
    "到2025年底，全县每万人口全科医生数达3.5名，",
    "县域内就诊率达到90%以上。",
]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def engine() -> RapidOcrEngine:
    """The product's engine, one per module (its models load on the first page)."""
    found = make_ocr_engine("rapidocr")
    assert isinstance(found, RapidOcrEngine)
    return found


class FakeEngine:
    """A fake OCR engine: returns fixed lines whatever the image, counts its calls."""

    name = "fake"

    def __init__(self, lines: list[tuple[str, float]]) -> None:
        self.lines = lines
        self.calls = 0

    def recognize(self, image: object) -> list[OcrLine]:
        self.calls += 1
        return [
            OcrLine(text, conf, (100.0, 100.0 + 60 * k, 100.0 + 30 * len(text), 140.0 + 60 * k))
            for k, (text, conf) in enumerate(self.lines)
        ]


# ------------------------------------------------------------------------------------------- text


@pytest.mark.parametrize(
    ("raw", "tidy"),
    [
        ("全 市 每 万 人 口 全 科 医 生 数", "全市每万人口全科医生数"),
        ("达到 90 % 以上", "达到 90% 以上"),
        ("东海县 25 25", "东海县 25 25"),
        ("3 .5 名", "3.5 名"),
        ("婴儿死亡率控制在3.6%0以下", "婴儿死亡率控制在3.6‰以下"),
        ("配备全科医生20一35名", "配备全科医生20—35名"),
        ("Word 文档", "Word 文档"),
        ("一、主要目标", "一、主要目标"),
    ],
)
def test_tidy_removes_ocr_spacing_and_fixes_misread_signs(raw: str, tidy: str) -> None:
    assert tidy_ocr_text(raw) == tidy


def test_assemble_orders_boxes_into_lines_and_spaces_table_cells() -> None:
    boxes = [
        OcrLine("25", 0.99, (400, 210, 430, 240)),
        OcrLine("东海县", 0.98, (100, 205, 190, 245)),
        OcrLine("二、主要目标", 0.97, (100, 100, 280, 140)),
        OcrLine("25", 0.5, (600, 208, 630, 242)),
        OcrLine("全 县 达 3 .5 名", 0.9, (100, 300, 400, 340), (0.9,) * 12),
    ]
    page = assemble_page(3, boxes)
    assert page.text.split("\n") == ["二、主要目标", "东海县 25 25", "全县达 3.5 名"]
    assert page.starts == [0, len("二、主要目标") + 1, len("二、主要目标") + len("东海县 25 25") + 2]
    row = page.lines[1]
    # Per-character confidences follow the characters, the separating space takes its box's confidence.
    assert len(row.char_confidences) == len(row.text)
    assert row.char_confidences[-2:] == (0.5, 0.5)
    assert row.char_confidences[:3] == (0.98, 0.98, 0.98)
    assert page.lines[2].char_confidences == (0.9,) * len("全县达 3.5 名")


def test_making_an_engine_loads_nothing() -> None:
    fresh = RapidOcrEngine()
    assert fresh._ocr is None  # models load on the first page, not before
    assert make_ocr_engine("off") is None
    with pytest.raises(ValueError, match="unknown OCR engine"):
        make_ocr_engine("tesseract-from-the-internet")


# ----------------------------------------------------------------------------------- real engine


def test_real_engine_reads_a_made_up_scanned_page(engine: RapidOcrEngine, make_scan: Callable[..., Path]) -> None:
    pdf = make_scan("one_page_scan.pdf", SCAN_PAGE)
    calls: list[tuple[int, int]] = []
    raw = read_file(pdf, LIMIT, ocr=OcrOptions(engine=engine, progress=lambda d, t: calls.append((d, t))))
    text = squash(raw.text)
    assert "全县每万人口全科医生数达3.5名" in text
    assert "县域内就诊率达到90%以上" in text
    assert [p.page for p in raw.ocr_pages] == [1]
    page = raw.ocr_pages[0]
    assert all(0 < line.confidence <= 1 for line in page.lines)
    assert all(len(line.char_confidences) == len(line.text) for line in page.lines)
    assert calls == [(0, 1), (1, 1)]
    assert any("OCR" in w and "第 1 页" in w for w in raw.warnings)


def test_scanned_pdf_parses_with_ocr_provenance_and_metadata(
    engine: RapidOcrEngine, make_scan: Callable[..., Path]
) -> None:
    pdf = make_scan("scan_meta.pdf", SCAN_PAGE)
    doc = parse_file(pdf, LIMIT, ocr=OcrOptions(engine=engine))
    assert doc.ocr_pages == [1]
    # The 发文机关标志 is not the title; the 文号's brackets are normalised.
    assert doc.meta.title == "某县基层卫生服务能力提升方案"
    assert doc.meta.doc_number == "某卫发〔2025〕4号"
    assert doc.chunks and all(c.ocr for c in doc.chunks)
    assert all(c.ocr_confidence is not None and 0 < c.ocr_confidence <= 1 for c in doc.chunks)
    gp = next(t for t in doc.targets if t.value_text == "3.5名")
    assert gp.ocr and gp.ocr_confidence is not None and gp.ocr_confidence >= 0.9
    assert gp.page == 1 and gp.year == "2025"


def test_mixed_pdf_keeps_the_text_layer_of_its_text_page(
    engine: RapidOcrEngine, make_scan: Callable[..., Path], made_files: Path
) -> None:
    import pypdfium2 as pdfium

    scan = make_scan("scan_for_mixed.pdf", SCAN_PAGE)
    mixed = made_files / "mixed.pdf"
    merged = pdfium.PdfDocument.new()
    merged.import_pages(pdfium.PdfDocument(str(FIXTURES / "plan.pdf")), [0])
    merged.import_pages(pdfium.PdfDocument(str(scan)), [0])
    merged.save(str(mixed))

    text_only = read_file(FIXTURES / "plan.pdf", LIMIT)
    page_one = text_only.text[: text_only.pages[1].start]
    counted = FakeCounting(engine)
    raw = read_file(mixed, LIMIT, ocr=OcrOptions(engine=counted))
    assert counted.calls == 1  # page 2 only
    assert raw.text.startswith(page_one)  # page 1: its own text layer, character for character
    assert [p.page for p in raw.ocr_pages] == [2]
    assert "全县每万人口全科医生数达3.5名" in squash(raw.text[raw.pages[1].start :])

    doc = parse_file(mixed, LIMIT, ocr=OcrOptions(engine=engine))
    assert doc.ocr_pages == [2]
    page_two = next(p.start for p in doc.pages if p.page == 2)
    first = [c for c in doc.chunks if c.end <= page_two]
    later = [c for c in doc.chunks if c.end > page_two]  # holds text of page 2 (maybe also of page 1)
    assert first and not any(c.ocr or c.ocr_confidence is not None for c in first)
    assert later and all(c.ocr and c.ocr_confidence for c in later)
    scanned = next(t for t in doc.targets if t.value_text == "3.5名" and "全县" in t.quote)
    assert scanned.ocr and scanned.page == 2
    text_target = next(t for t in doc.targets if "到2025年底" in t.quote and t.page == 1)
    assert not text_target.ocr and text_target.ocr_confidence is None


class FakeCounting:
    """Wraps a real engine and counts its calls (proves which pages were sent to OCR)."""

    name = "counting"

    def __init__(self, inner: RapidOcrEngine) -> None:
        self.inner = inner
        self.calls = 0

    def recognize(self, image: object) -> list[OcrLine]:
        self.calls += 1
        return self.inner.recognize(image)  # type: ignore[arg-type]


def test_a_blank_scan_is_refused(engine: RapidOcrEngine, make_scan: Callable[..., Path]) -> None:
    blank = make_scan("blank_scan.pdf", [])
    with pytest.raises(NoTextError) as info:
        read_file(blank, LIMIT, ocr=OcrOptions(engine=engine))
    message = str(info.value)
    assert "OCR" in message and "空白" in message and "请" in message
    # A page with no image at all (vector graphics only) is not sent to OCR and is refused the same way.
    never = FakeEngine([("不应被调用", 1.0)])
    with pytest.raises(NoTextError):
        read_file(FIXTURES / "scanned.pdf", LIMIT, ocr=OcrOptions(engine=never))
    assert never.calls == 0


# ------------------------------------------------------------------------------- fake engine


def test_low_confidence_numbers_make_no_target_rows_but_stay_searchable(make_scan: Callable[..., Path]) -> None:
    scan = make_scan("scan_for_fake.pdf", ["（任意图像，文字由假引擎给出）"])
    fake = FakeEngine(
        [
            ("某县基层卫生服务能力提升方案", 0.99),
            ("一、主要目标", 0.99),
            ("到2025年底，全县每万人口全科医生数达3.5名，", 0.99),
            ("乡镇卫生院床位数不少于30张，县域内就诊率达到90%以上。", 0.62),
        ]
    )
    doc = parse_file(scan, LIMIT, ocr=OcrOptions(engine=fake, min_number_confidence=0.9))
    values = {t.value_text for t in doc.targets}
    assert "3.5名" in values
    assert "90%以上" not in values and "30张" not in values
    assert "县域内就诊率达到90%以上" in doc.text  # the sentence is still there to search and quote
    chunk = next(c for c in doc.chunks if "90%以上" in c.text)
    assert chunk.ocr and chunk.ocr_confidence == pytest.approx(0.62)
    assert any("置信度低" in w and "90%以上" in w for w in doc.warnings)
    # With a lower threshold the same numbers are target rows, marked as read by OCR.
    lenient = parse_file(scan, LIMIT, ocr=OcrOptions(engine=fake, min_number_confidence=0.5))
    row = next(t for t in lenient.targets if t.value_text == "90%以上")
    assert row.ocr and row.ocr_confidence == pytest.approx(0.62)


def test_ocr_page_limit_is_checked_before_any_page_is_read(make_scan: Callable[..., Path]) -> None:
    scan = make_scan("three_pages.pdf", ["第一页"], ["第二页"], ["第三页"])
    fake = FakeEngine([("某县方案正文内容", 0.99)])
    with pytest.raises(TooManyOcrPagesError) as info:
        read_file(scan, LIMIT, limits=ReadLimits(max_ocr_pages=2), ocr=OcrOptions(engine=fake))
    assert fake.calls == 0
    assert info.value.code == "too_many_ocr_pages"
    assert "3 页" in str(info.value) and "POLICY_ASSISTANT_MAX_OCR_PAGES" in str(info.value)
    raw = read_file(scan, LIMIT, limits=ReadLimits(max_ocr_pages=3), ocr=OcrOptions(engine=fake))
    assert fake.calls == 3 and [p.page for p in raw.ocr_pages] == [1, 2, 3]


def test_without_an_engine_scanned_pages_are_left_out_with_a_warning(make_scan: Callable[..., Path]) -> None:
    raw = read_file(FIXTURES / "mixed_scan.pdf", LIMIT, ocr=None)
    assert raw.ocr_pages == []
    assert any("第 2 页" in w and "OCR" in w for w in raw.warnings)


def test_rapidocr_package_has_no_download_code() -> None:
    import rapidocr_onnxruntime

    package = Path(rapidocr_onnxruntime.__file__).parent
    models = sorted(p.name for p in (package / "models").glob("*.onnx"))
    assert "ch_PP-OCRv4_det_infer.onnx" in models and "ch_PP-OCRv4_rec_infer.onnx" in models
    for source in package.rglob("*.py"):
        code = source.read_text(encoding="utf-8")
        assert not re.search(r"\b(urllib|requests|httpx|urlretrieve|download_file)\b", code), source


def test_a_range_dash_read_as_one_is_fixed_across_lines() -> None:
    page = assemble_page(
        1,
        [
            OcrLine("现将《某市行动方案（2025一", 0.98, (100, 100, 800, 140)),
            OcrLine("2027年）》印发给你们", 0.98, (100, 160, 600, 200)),
        ],
    )
    assert page.text == "现将《某市行动方案（2025—\n2027年）》印发给你们"


def test_the_dash_of_a_range_does_not_hold_a_target_back(make_scan: Callable[..., Path]) -> None:
    scan = make_scan("scan_for_dash.pdf", ["（任意图像）"])
    text = "到2025年底，每个乡镇卫生院配备全科医生20—35名。"
    confidences = tuple(0.5 if ch == "—" else 0.99 for ch in text)
    fake = FakeEngineWithChars([("某县基层卫生服务能力提升方案", None), ("一、主要目标", None), (text, confidences)])
    doc = parse_file(scan, LIMIT, ocr=OcrOptions(engine=fake, min_number_confidence=0.9))
    row = next(t for t in doc.targets if t.value_text == "20—35名")
    assert row.ocr and row.ocr_confidence == pytest.approx(0.99)


class FakeEngineWithChars:
    """A fake OCR engine returning fixed lines with given per-character confidences."""

    name = "fake-chars"

    def __init__(self, lines: list[tuple[str, tuple[float, ...] | None]]) -> None:
        self.lines = lines

    def recognize(self, image: object) -> list[OcrLine]:
        return [
            OcrLine(text, min(conf) if conf else 0.99, (100.0, 100.0 + 60 * k, 900.0, 140.0 + 60 * k), conf or ())
            for k, (text, conf) in enumerate(self.lines)
        ]


class FakePagedEngine:
    """A fake OCR engine returning the next page's fixed lines on each call."""

    name = "fake-pages"

    def __init__(self, pages: list[list[str]]) -> None:
        self.pages = list(pages)

    def recognize(self, image: object) -> list[OcrLine]:
        lines = self.pages.pop(0)
        return [OcrLine(t, 0.98, (100.0, 100.0 + 60 * k, 900.0, 140.0 + 60 * k)) for k, t in enumerate(lines)]


def test_ocr_text_gets_the_pdf_cleaning(make_scan: Callable[..., Path]) -> None:
    scan = make_scan("scan_three_for_cleaning.pdf", ["（图像一）"], ["（图像二）"], ["（图像三）"])
    header = "某县人民政府办公室文件汇编"
    fake = FakePagedEngine(
        [
            [header, "某县基层卫生服务能力提升方案", "一、主要目标", "到2025年底，全县每万人口全科医生数", "— 1 —"],
            [header, "达 3.5 名，县域内就诊率达到 90% 以上。", "二、重点任务", "— 2 —"],
            [header, "（一）加强人才队伍建设。", "— 3 —"],
        ]
    )
    doc = parse_file(scan, LIMIT, ocr=OcrOptions(engine=fake))
    assert not any(f"— {n} —" in doc.text for n in (1, 2, 3))
    assert doc.text.count(header) == 1  # dropped next to the page labels, as in PDF text (page 1's stays)
    assert "县域内就诊率达到90%以上" in doc.text  # OCR's spaces around numbers are gone
    assert [p.page for p in doc.pages] == [1, 2, 3]
    assert {t.value_text for t in doc.targets} >= {"90%以上"}

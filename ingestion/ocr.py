"""Offline OCR of scanned PDF pages: an engine behind a small Protocol, and page images turned into text lines.

Only pages without a usable text layer are read this way (see :mod:`ingestion.readers`), so a mixed PDF
keeps the real text of its text pages. The engine is created on first use, never at import.

Engine choice (``python -m benchmarks.bench_ocr``: six made-up A4 plan pages with ``90%以上``, ``3.5名``,
``〔2025〕4号``, ``20—35名``, two annex tables…, drawn with Noto Serif CJK SC at 144 dpi, clean and degraded
like a scan; 2 cores shared with other work, load average ~4, so wall times are high and CPU seconds are
the steadier figure; two runs)::

    engine                           characters      numbers        wall s/page   CPU s/page
                                     clean  scanned  clean  scanned
    RapidOCR 1.4.4 (PP-OCRv4, ONNX)  99.5%  99.5%    100%   100%      3.5 - 6.9     4.0 - 4.5
    Tesseract 5.3 + chi_sim (Debian) 98.2%  97.5%    98.9%  96.7%     3.0 - 5.0     2.7 - 4.0

    numbers held back at confidence < 0.9:  RapidOCR 2-3 of 112 correct ones (it misread none);
                                            Tesseract 44-48 of 111 correct ones (word confidences),
                                            and its 3 misread ones

RapidOCR is the default although Tesseract costs 10-30% less CPU: it reads the characters and numbers of
plans better (Tesseract confuses 千/干, 资/次, drops or adds characters after ``%``), its per-character
confidence is usable as a filter (Tesseract's word confidence would hold back ~40% of correct numbers),
and its models ship inside the PyPI wheel (Apache-2.0): nothing is downloaded at run time (the package has
no download code; no environment flag is needed) and no system package beyond libGL/GLib for OpenCV.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ingestion.text.errors import OcrError

if TYPE_CHECKING:
    from PIL.Image import Image

logger = logging.getLogger(__name__)

OcrProgress = Callable[[int, int], None]
"""Called as ``progress(done, total)``: once with ``done=0`` before the first page, then after each page."""

# A space between two CJK characters (or CJK punctuation) in OCR output is an artefact, never meant.
_CJK_CLASS = r"\u3400-\u9fff\u3000-\u303f\uff00-\uffef\u2018-\u201f"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK_CLASS}])[ \u3000]+(?=[{_CJK_CLASS}])")
# Spaces inside a number: "3 .5" "3. 5" "90 %" -> "3.5" "90%". Never between two digits: "25 25" is two
# table cells.
_NUMBER_SPACE = re.compile(r"(?<=\d)[ ]+(?=[.．]\d)|(?<=\d[.．])[ ]+(?=\d)|(?<=\d)[ ]+(?=[%％‰])")
# Misreadings of two signs plans use with numbers: "3.6%0" / "3.6%o" is 3.6‰ (no plan writes a percent
# followed by a zero or an o), and "20一35名" is the dash of a range read as the character 一 (one).
_PERMILLE = re.compile(r"(?<=\d)[%％][0oO](?![\d])")
_RANGE_DASH = re.compile(r"(?<=\d)一(?=\d)")


@dataclass(frozen=True)
class OcrLine:
    """One line of text the engine read, with where it stands on the image and how sure the engine is.

    ``char_confidences`` has one entry per character of ``text`` when the engine reports them (empty
    otherwise); ``confidence`` is the line's mean.
    """

    text: str
    confidence: float
    box: tuple[float, float, float, float]
    char_confidences: tuple[float, ...] = ()

    def confidence_at(self, index: int) -> float:
        """Confidence of the character at ``index`` of ``text`` (the line's when unknown)."""
        if 0 <= index < len(self.char_confidences):
            return self.char_confidences[index]
        return self.confidence


class OcrEngine(Protocol):
    """What the reader needs of an OCR engine: text boxes with confidences, from a page image."""

    name: str

    def recognize(self, image: Image) -> list[OcrLine]:
        """Text boxes of ``image`` (any order), each with a confidence in [0, 1]."""
        ...


@dataclass(frozen=True)
class OcrOptions:
    """How scanned pages are read: the engine, the confidence a number needs, progress reporting.

    Attributes:
        engine: The OCR engine (loaded lazily by the engine itself).
        min_number_confidence: A number read with a lower confidence (its weakest character) makes no
            target row; its text stays searchable.
        scale: Rendering scale of a page (1 = 72 dpi); 2 gives ~144 dpi, enough for body text.
        progress: Called as ``progress(done, total)`` over the pages to OCR of one file.
    """

    engine: OcrEngine
    min_number_confidence: float = 0.9
    scale: float = 2.0
    progress: OcrProgress | None = None


@dataclass
class OcrPageText:
    """The text of one OCR'd page and, per line, its offset in that text and confidences."""

    page: int
    text: str
    lines: list[OcrLine] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)

    @property
    def confidence(self) -> float | None:
        """Mean line confidence of the page, weighted by characters (None for a page with no text)."""
        total = sum(len(line.text) for line in self.lines)
        if not total:
            return None
        return sum(line.confidence * len(line.text) for line in self.lines) / total


class RapidOcrEngine:
    """PP-OCRv4 Chinese detection + recognition through ``rapidocr-onnxruntime`` (models inside the wheel).

    The ONNX sessions are created on the first :meth:`recognize` call (about a second) and reused; the
    angle classifier is off (scans are upright; it costs time on every line).
    """

    name = "rapidocr"

    def __init__(self, threads: int = 0) -> None:
        """Args: threads: onnxruntime intra-op threads; 0 lets onnxruntime choose (all cores)."""
        self.threads = threads
        self._ocr: Any = None
        self._lock = threading.Lock()

    def _engine(self) -> Any:
        with self._lock:
            if self._ocr is None:
                # The package loads its ONNX models from its own folder; it has no download code.
                from rapidocr_onnxruntime import RapidOCR

                threads = self.threads if self.threads > 0 else -1
                self._ocr = RapidOCR(
                    use_cls=False,
                    intra_op_num_threads=threads,
                    inter_op_num_threads=1 if threads > 0 else -1,
                )
                logging.getLogger("RapidOCR").setLevel(logging.WARNING)
            return self._ocr

    def recognize(self, image: Image) -> list[OcrLine]:
        """Text boxes of a page image with line and per-character confidences."""
        import numpy as np

        ocr = self._engine()
        pixels = np.asarray(image.convert("RGB"))[:, :, ::-1].copy()  # RapidOCR takes BGR arrays
        result, _elapsed = ocr(pixels, use_cls=False, return_word_box=True)
        lines: list[OcrLine] = []
        for item in result or []:
            box = [(float(x), float(y)) for x, y in item[0]]
            text = str(item[1])
            score = float(item[2])
            xs = [x for x, _ in box]
            ys = [y for _, y in box]
            char_conf = _char_confidences(text, item[4] if len(item) > 4 else [], item[5] if len(item) > 5 else [])
            lines.append(OcrLine(text, score, (min(xs), min(ys), max(xs), max(ys)), char_conf))
        return lines


def _char_confidences(text: str, tokens: Sequence[Any], confidences: Sequence[Any]) -> tuple[float, ...]:
    """Spread RapidOCR's per-token confidences (a CJK character, or a run of Latin/digits) over ``text``.

    Returns () when the tokens do not line up with the text.
    """
    if not tokens or len(tokens) != len(confidences):
        return ()
    out: list[float] = [-1.0] * len(text)
    cursor = 0
    for token, conf in zip(tokens, confidences, strict=True):
        piece = "".join(token) if isinstance(token, list | tuple) else str(token)
        if not piece:
            continue
        at = text.find(piece, cursor)
        if at < 0:
            return ()
        for i in range(at, at + len(piece)):
            out[i] = float(conf)
        cursor = at + len(piece)
    known = [c for c in out if c >= 0]
    fill = min(known) if known else 0.0
    return tuple(c if c >= 0 else fill for c in out)


def tidy_ocr_text(text: str) -> str:
    """Remove the spaces OCR puts between CJK characters and inside numbers; fix two misread signs.

    ``全 市 每 万 人 口`` -> ``全市每万人口``; ``3 .5 名`` -> ``3.5 名`` (the cleaning step then joins the
    unit); ``3.6%0`` -> ``3.6‰``; ``20一35`` -> ``20—35``; ``Word 文档`` and ``25 25`` keep their space.
    """
    text = _CJK_SPACE.sub("", text)
    text = _NUMBER_SPACE.sub("", text)
    return _RANGE_DASH.sub("—", _PERMILLE.sub("‰", text))


def assemble_page(page: int, boxes: list[OcrLine]) -> OcrPageText:
    """Order text boxes into lines (top to bottom, left to right) and build the page text.

    Boxes whose vertical middles fall inside one another's extent are one line; within a line boxes are
    joined directly, or with one space when the gap is wider than a character (table cells, spaced
    columns), which the cleaning step reads as a space-separated table row.
    """
    if not boxes:
        return OcrPageText(page=page, text="")
    rows: list[list[OcrLine]] = []
    for box in sorted(boxes, key=lambda b: (b.box[1] + b.box[3]) / 2):
        middle = (box.box[1] + box.box[3]) / 2
        if rows:
            top = min(b.box[1] for b in rows[-1])
            bottom = max(b.box[3] for b in rows[-1])
            if top <= middle <= bottom:
                rows[-1].append(box)
                continue
        rows.append([box])

    lines: list[OcrLine] = []
    for row in rows:
        row.sort(key=lambda b: b.box[0])
        height = max(1.0, sorted(b.box[3] - b.box[1] for b in row)[len(row) // 2])
        text = ""
        confs: list[float] = []
        for k, box in enumerate(row):
            piece = box.text
            piece_confs = [box.confidence_at(i) for i in range(len(piece))]
            if k and box.box[0] - row[k - 1].box[2] > height:
                text += " "
                confs.append(box.confidence)
            text += piece
            confs.extend(piece_confs)
        tidy, tidy_confs = _tidy_with_confidences(text, confs)
        if not tidy.strip():
            continue
        x0 = min(b.box[0] for b in row)
        y0 = min(b.box[1] for b in row)
        x1 = max(b.box[2] for b in row)
        y1 = max(b.box[3] for b in row)
        weights = [len(b.text) or 1 for b in row]
        mean = sum(b.confidence * w for b, w in zip(row, weights, strict=True)) / sum(weights)
        lines.append(OcrLine(tidy, mean, (x0, y0, x1, y1), tuple(tidy_confs)))

    # A range broken over two lines: "（2025一" + "2027年）" -> the dash, as _RANGE_DASH does within a line.
    for k in range(len(lines) - 1):
        this, following = lines[k], lines[k + 1]
        if re.search(r"\d一$", this.text) and following.text[:1].isdigit():
            lines[k] = OcrLine(this.text[:-1] + "—", this.confidence, this.box, this.char_confidences)

    starts: list[int] = []
    offset = 0
    for line in lines:
        starts.append(offset)
        offset += len(line.text) + 1
    return OcrPageText(page=page, text="\n".join(line.text for line in lines), lines=lines, starts=starts)


def _tidy_with_confidences(text: str, confs: list[float]) -> tuple[str, list[float]]:
    """:func:`tidy_ocr_text` that keeps the per-character confidences aligned with the kept characters."""
    keep = [True] * len(text)
    for pattern in (_CJK_SPACE, _NUMBER_SPACE):
        # Apply on the text as it stands after the previous pattern, mapping back to the original indices.
        current = [i for i, k in enumerate(keep) if k]
        view = "".join(text[i] for i in current)
        for m in pattern.finditer(view):
            for j in range(m.start(), m.end()):
                keep[current[j]] = False
    kept = [i for i, k in enumerate(keep) if k]
    chars = [text[i] for i in kept]
    kept_confs = [confs[i] for i in kept]
    joined = "".join(chars)
    # Sign fixes: "%0" becomes one character "‰" (confidence: the weaker of the two), "一" becomes "—".
    for m in reversed(list(_PERMILLE.finditer(joined))):
        chars[m.start() : m.end()] = ["‰"]
        kept_confs[m.start() : m.end()] = [min(kept_confs[m.start() : m.end()])]
    joined = "".join(chars)
    return _RANGE_DASH.sub("—", joined), kept_confs


def ocr_pdf_pages(path: Path, pages: list[int], options: OcrOptions) -> dict[int, OcrPageText]:
    """Render each of ``pages`` (1-based) of the PDF and read it with the engine, reporting progress.

    Raises:
        OcrError: The PDF cannot be rendered or the engine fails.
    """
    import pypdfium2 as pdfium

    from ingestion.pdf_pages import open_pdfium, render_page

    total = len(pages)
    if options.progress is not None:
        options.progress(0, total)
    read: dict[int, OcrPageText] = {}
    try:
        with open_pdfium(path) as document:
            for done, number in enumerate(pages, start=1):
                image = render_page(document, number, options.scale)
                read[number] = assemble_page(number, options.engine.recognize(image))
                logger.info("OCR %s page %d: %d characters", path.name, number, len(read[number].text))
                if options.progress is not None:
                    options.progress(done, total)
    except pdfium.PdfiumError as e:
        msg = f"扫描页无法渲染为图像（{e}）：请用 PDF 软件另存后重新导入，或提供含文字的 PDF。"
        raise OcrError(msg) from e
    except (ImportError, OSError, RuntimeError, ValueError) as e:
        msg = (
            f"OCR 文字识别失败（{type(e).__name__}）："
            "请确认已安装 rapidocr-onnxruntime（make install），或改用含文字的 PDF。"
        )
        raise OcrError(msg) from e
    return read


_default_engine: RapidOcrEngine | None = None
_default_lock = threading.Lock()


def make_ocr_engine(name: str, threads: int = 0) -> OcrEngine | None:
    """The OCR engine a setting names: ``rapidocr`` (default) or ``off`` (None: scanned pages are skipped).

    The RapidOCR engine is one per process (its ONNX sessions are loaded once, on first use).

    Raises:
        ValueError: An unknown engine name.
    """
    global _default_engine
    key = name.strip().lower()
    if key in {"off", "none", ""}:
        return None
    if key == "rapidocr":
        with _default_lock:
            if _default_engine is None or _default_engine.threads != threads:
                _default_engine = RapidOcrEngine(threads=threads)
            return _default_engine
    msg = f"unknown OCR engine {name!r}: use 'rapidocr' or 'off'"
    raise ValueError(msg)

"""PDFium (``pypdfium2``, installed with pdfplumber) for what pdfminer cannot do: count, read and render pages.

- The page count comes from the page tree without reading any page, so an oversized PDF is refused
  before pdfplumber parses it.
- Text of a page whose font pdfminer cannot map (a CJK font embedded as CFF, as fpdf2 writes Noto CJK):
  pdfplumber returns nothing or ``(cid:123)`` codes there, PDFium returns the text.
- A page image for OCR.

PDFium is not thread-safe, so every call into it holds one process-wide lock.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingestion.cleaning import is_page_marker

if TYPE_CHECKING:
    from PIL.Image import Image

PDFIUM_LOCK = threading.RLock()
_CID = re.compile(r"\(cid:\d+\)")
# Fewer meaningful characters than this on a page (page numbers, (cid:N) codes and spaces not
# counted) is no usable text layer: the page is read another way.
MIN_PAGE_CHARS = 5
# Longest side of a rendered page in pixels: A4 at 144 dpi is 1684; the OCR engine works at <= 2000.
MAX_RENDER_SIDE = 4000


def meaningful_chars(text: str) -> int:
    """Characters of a page's text that carry content: no ``(cid:N)`` codes, page-number lines or spaces."""
    count = 0
    for line in _CID.sub("", text).split("\n"):
        if is_page_marker(line) is not None:
            continue
        count += sum(1 for ch in line if not ch.isspace())
    return count


def has_usable_text(text: str) -> bool:
    """Whether a page's extracted text is a usable text layer (see :data:`MIN_PAGE_CHARS`)."""
    return meaningful_chars(text) >= MIN_PAGE_CHARS


@contextmanager
def open_pdfium(path: Path) -> Iterator[Any]:
    """The PDF opened with PDFium (each call into it takes the PDFium lock); closed on exit.

    Raises:
        pypdfium2.PdfiumError: PDFium cannot open it (corrupt, encrypted): callers decide what that means.
    """
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(str(path))
    try:
        yield document
    finally:
        with PDFIUM_LOCK:
            document.close()


def page_count(path: Path) -> int | None:
    """Number of pages from the page tree, or None when PDFium cannot open the file."""
    import pypdfium2 as pdfium

    try:
        with open_pdfium(path) as document, PDFIUM_LOCK:
            return len(document)
    except pdfium.PdfiumError:
        return None


def page_text(document: Any, number: int) -> str:
    """Text of page ``number`` (1-based) as PDFium extracts it, newlines normalised."""
    with PDFIUM_LOCK:
        page = document[number - 1]
        try:
            textpage = page.get_textpage()
            try:
                text = str(textpage.get_text_range())
            finally:
                textpage.close()
        finally:
            page.close()
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def render_page(document: Any, number: int, scale: float, max_side: int = MAX_RENDER_SIDE) -> Image:
    """Page ``number`` (1-based) as a greyscale image at ``scale`` (1 = 72 dpi), its longer side capped.

    The cap keeps a page with a huge media box (a poster, or a hostile file) from needing gigabytes.
    """
    with PDFIUM_LOCK:
        page = document[number - 1]
        try:
            width, height = page.get_size()
            scale = min(scale, max_side / max(1.0, width, height))
            bitmap = page.render(scale=scale, grayscale=True)
            try:
                image: Image = bitmap.to_pil().copy()
                return image
            finally:
                bitmap.close()
        finally:
            page.close()


class FallbackText:
    """PDFium page text for the pages pdfplumber could not read; the PDF is opened on the first call.

    Use as a context manager so the document is closed; a PDF PDFium cannot open gives '' for every page.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._document: Any = None
        self._failed = False
        self.used: list[int] = []

    def __enter__(self) -> FallbackText:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._document is not None:
            with PDFIUM_LOCK:
                self._document.close()
            self._document = None

    def text(self, number: int) -> str:
        """PDFium's text of page ``number`` (1-based), '' when PDFium cannot read the file."""
        import pypdfium2 as pdfium

        if self._failed:
            return ""
        if self._document is None:
            try:
                with PDFIUM_LOCK:
                    self._document = pdfium.PdfDocument(str(self.path))
            except pdfium.PdfiumError:
                self._failed = True
                return ""
        return page_text(self._document, number)

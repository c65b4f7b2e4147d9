"""Readers: turn a TXT/MD/DOCX/DOC/PDF file into raw text, table grids and page starts.

Every reader renders a table row as one line whose cells are joined by a tab character (empty cell ->
empty string), so the cleaning step leaves it byte-identical and the pipeline can find each grid
row in the cleaned text. Bad input raises a subclass of :class:`ingestion.text.errors.IngestError` whose
message is one Chinese line telling an official what is wrong and what to do.

A PDF page is read by pdfplumber; a page where that gives no usable text is read by PDFium (fonts
pdfminer cannot map), and a page that still has none but holds an image is read by OCR when an engine
is given (:mod:`ingestion.ocr`). Resource limits (:class:`ingestion.limits.ReadLimits`) are checked as
early as each size is known. ``.doc`` goes through :mod:`ingestion.legacy_formats`.
"""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ingestion.docx_reader import read_docx
from ingestion.filetypes import SUPPORTED_SUFFIXES
from ingestion.limits import ReadLimits, TextBudget, check_ocr_pages, check_page_count, check_zip_archive
from ingestion.ocr import OcrOptions, OcrPageText, ocr_pdf_pages
from ingestion.pdf_pages import FallbackText, has_usable_text, page_count
from ingestion.raw import (
    Format,
    Grid,
    RawDocument,
    RawTable,
    cell_text,
    clean_grid,
    normalise_newlines,
    preceding_title,
    render_row,
)
from ingestion.schema import PageSpan
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

logger = logging.getLogger(__name__)

# Share of characters a GB18030-decoded text must have in "plausible" classes (CJK, ASCII printable,
# whitespace, CJK punctuation, full-width forms) before we accept it as text rather than noise.
_PLAUSIBLE_SHARE = 0.95


def read_file(
    path: Path,
    max_bytes: int,
    limits: ReadLimits | None = None,
    ocr: OcrOptions | None = None,
) -> RawDocument:
    """Read a plan file of a supported type, checking its size before reading any of it.

    Args:
        path: The file to read (``.txt``, ``.md``, ``.docx``, ``.doc`` or ``.pdf``).
        max_bytes: Size limit; a larger file is refused without being read.
        limits: Pages, characters, archive size and OCR pages allowed (defaults: :class:`ReadLimits`).
        ocr: How to read scanned PDF pages; None leaves them out with a warning.

    Raises:
        UnsupportedFileError: The extension is not one the product reads (``MissingToolError``: .doc
            without antiword).
        FileTooLargeError: The file is over ``max_bytes`` (or a subclass: over another limit).
        EmptyFileError, CorruptFileError, EncryptedFileError, TextDecodingError, NoTextError: bad content.
    """
    path = Path(path)
    limits = limits or ReadLimits()
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        from ingestion.legacy_formats import unsupported_message

        raise UnsupportedFileError(unsupported_message(suffix))
    if not path.is_file():
        msg = "文件不存在或不是普通文件：请检查路径。"
        raise IngestError(msg)
    try:
        size = path.stat().st_size
    except OSError as e:
        msg = f"无法读取文件（{e.strerror}）：请检查路径和权限。"
        raise IngestError(msg) from e
    if size > max_bytes:
        msg = (
            f"文件大小 {size / 1_048_576:.1f} MB 超过上限 {max_bytes / 1_048_576:.1f} MB："
            "请拆分文件，或调大设置 POLICY_ASSISTANT_MAX_FILE_MB。"
        )
        raise FileTooLargeError(msg)
    if size == 0:
        msg = "文件为空（0 字节）：请检查是否导出或复制完整后重新导入。"
        raise EmptyFileError(msg)

    if suffix in {".txt", ".md"}:
        raw = _read_text(path, "md" if suffix == ".md" else "txt")
        TextBudget(limits).add(raw.text)
    elif suffix == ".docx":
        if zipfile.is_zipfile(path):  # not a zip: _read_docx says so
            check_zip_archive(path, limits)
        raw = read_docx(path, TextBudget(limits))
    elif suffix == ".doc":
        from ingestion.legacy_formats import read_doc

        raw = read_doc(path, limits)
    else:
        raw = _read_pdf(path, limits, ocr)

    if not raw.text.strip():
        if raw.format == "pdf" and ocr is not None:
            msg = (
                "PDF 中没有文字，OCR 文字识别也没有识别出内容（可能是空白页或图像太模糊）："
                "请检查扫描件是否完整清晰，或改用含文字的 PDF/DOCX。"
            )
        elif raw.format == "pdf":
            msg = "PDF 中没有可提取的文字（可能是扫描件）：请先做 OCR 文字识别，或改用含文字的 PDF/DOCX。"
        else:
            msg = "文件中没有文字内容：请检查文件是否为空白后重新导入。"
        raise NoTextError(msg) if raw.format in {"pdf", "docx", "doc"} else EmptyFileError(msg)
    return raw


# --------------------------------------------------------------------------------------------- text


def _read_text(path: Path, fmt: Format) -> RawDocument:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 when plausible."""
    data = path.read_bytes()
    text = decode_text_bytes(data)
    return RawDocument(text=normalise_newlines(text), format=fmt)


def decode_text_bytes(data: bytes) -> str:
    """Decode the bytes of a plain-text plan, refusing binary data and unknown encodings.

    Raises:
        TextDecodingError: Binary content, or neither UTF-8 nor a plausible GB18030 text.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError as e:
            msg = "文件以 UTF-8 标记开头但内容不是有效的 UTF-8：请用文本编辑器另存为 UTF-8 后重新导入。"
            raise TextDecodingError(msg) from e
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            msg = "文件以 UTF-16 标记开头但内容无法解码：请另存为 UTF-8 后重新导入。"
            raise TextDecodingError(msg) from e
    if b"\x00" in data:
        msg = "文件内容是二进制数据而不是文本：请确认文件类型，或另存为 UTF-8 文本后重新导入。"
        raise TextDecodingError(msg)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as e:
        msg = "文本编码既不是 UTF-8 也不是 GB18030：请用文本编辑器另存为 UTF-8 后重新导入。"
        raise TextDecodingError(msg) from e
    if _plausible_share(text) < _PLAUSIBLE_SHARE:
        msg = "文本编码既不是 UTF-8 也不是 GB18030（解码后是乱码）：请另存为 UTF-8 后重新导入。"
        raise TextDecodingError(msg)
    return text


def _plausible_share(text: str) -> float:
    """Share of characters that ordinary Chinese or English prose is made of."""
    if not text:
        return 1.0
    good = 0
    for ch in text:
        code = ord(ch)
        if (
            ch.isspace()
            or 0x20 <= code < 0x7F
            or 0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
            or 0x3000 <= code <= 0x303F  # CJK symbols and punctuation
            or 0xFF00 <= code <= 0xFFEF  # full-width forms
            or 0x2000 <= code <= 0x206F  # general punctuation (—, “ ”, …)
            or 0x2160 <= code <= 0x217F  # Roman numerals
            or 0x2460 <= code <= 0x24FF  # circled numbers
            or 0x3400 <= code <= 0x4DBF  # CJK extension A
            or ch in "·×÷‰℃°±≥≤％"
        ):
            good += 1
    return good / len(text)


# --------------------------------------------------------------------------------------------- pdf


def _read_pdf(path: Path, limits: ReadLimits | None = None, ocr: OcrOptions | None = None) -> RawDocument:
    """Read a PDF page by page: text outside tables, and each table as row lines in its place.

    A page without a usable text layer is read by PDFium, else (when it holds an image and ``ocr`` is
    given) by OCR after the text pass, so the number of pages to OCR is checked before the first one.
    """
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    with path.open("rb") as fh:
        head = fh.read(1024)
        fh.seek(max(0, path.stat().st_size - 2048))
        tail = fh.read()
    if b"%PDF-" not in head:
        msg = "文件扩展名为 .pdf，但内容不是 PDF（可能是其他格式改了扩展名）：请确认原文件后重新导出为 PDF。"
        raise CorruptFileError(msg)
    if b"%%EOF" not in tail:
        msg = "PDF 文件不完整或已损坏（缺少文件结尾）：请重新下载或导出后再导入。"
        raise CorruptFileError(msg)

    limits = limits or ReadLimits()
    counted = page_count(path)  # the page tree only: no page is read yet
    if counted is not None:
        check_page_count(counted, limits)
    budget = TextBudget(limits)

    pieces: list[str] = []
    pages: list[PageSpan] = []
    tables: list[RawTable] = []
    warnings: list[str] = []
    image_pages: list[int] = []
    offset = 0
    try:
        with pdfplumber.open(path) as pdf, FallbackText(path) as fallback:
            if counted is None:
                check_page_count(len(pdf.pages), limits)
            for number, page in enumerate(pdf.pages, start=1):
                page_text, page_tables = _pdf_page(page, number)
                if not has_usable_text(page_text):
                    other = fallback.text(number)
                    if has_usable_text(other):
                        page_text, page_tables = other, []
                        fallback.used.append(number)
                    elif page.images:
                        image_pages.append(number)
                budget.add(page_text)
                pieces.append(page_text)
                tables.extend(page_tables)
    except PdfminerException as e:
        cause = e.args[0] if e.args else e
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            msg = "PDF 已加密（需要密码才能打开）：请用密码打开后另存为不加密的 PDF，再导入。"
            raise EncryptedFileError(msg) from e
        msg = "PDF 文件已损坏，无法解析：请重新下载或用 PDF 软件另存后再导入。"
        raise CorruptFileError(msg) from e
    except (PDFPasswordIncorrect, PDFEncryptionError) as e:
        msg = "PDF 已加密（需要密码才能打开）：请用密码打开后另存为不加密的 PDF，再导入。"
        raise EncryptedFileError(msg) from e
    if fallback.used:
        logger.info("%s: pages %s read by PDFium (pdfplumber found no text)", path.name, fallback.used)
    read_by_ocr: list[OcrPageText] = []
    if image_pages and ocr is not None:
        check_ocr_pages(image_pages, limits)
        for number, page_ocr in ocr_pdf_pages(path, image_pages, ocr).items():
            if page_ocr.text.strip():
                pieces[number - 1] = page_ocr.text
                budget.add(page_ocr.text)
                read_by_ocr.append(page_ocr)
    for number, piece in enumerate(pieces, start=1):
        pages.append(PageSpan(page=number, start=offset))
        offset += len(piece) + 1  # the "\n" that joins pages
    text = "\n".join(pieces)
    unread = [n for n in image_pages if n not in {p.page for p in read_by_ocr}]
    if text.strip() and unread:
        shown = "、".join(str(n) for n in unread)
        if ocr is None:
            warnings.append(f"PDF 第 {shown} 页只有图像没有文字（可能是扫描页），这些页未导入：请 OCR 后重新导入。")
        else:
            warnings.append(f"PDF 第 {shown} 页只有图像，OCR 也没有识别出文字（可能是空白页或图片）：请核对原文。")
    if read_by_ocr:
        shown = "、".join(str(p.page) for p in read_by_ocr)
        warnings.append(
            f"PDF 第 {shown} 页是扫描图像，文字由 OCR 识别（共 {len(read_by_ocr)} 页）：引用的数字请核对原文。"
        )
    return RawDocument(
        text=normalise_newlines(text),
        format="pdf",
        tables=tables,
        pages=pages,
        warnings=warnings,
        ocr_pages=read_by_ocr,
    )


def _pdf_page(page: Any, number: int) -> tuple[str, list[RawTable]]:
    """Text of one page with its tables rendered in place (table areas excluded from the prose text)."""
    found = sorted(page.find_tables(), key=lambda t: t.bbox[1])
    boxes = [t.bbox for t in found]

    def outside_tables(obj: dict[str, Any]) -> bool:
        if "x0" not in obj or "top" not in obj:
            return True
        mx = (obj["x0"] + obj["x1"]) / 2
        my = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= mx <= x1 and top <= my <= bottom for x0, top, x1, bottom in boxes)

    prose = page.filter(outside_tables)
    parts: list[str] = []
    raw_tables: list[RawTable] = []
    band_top = float("-inf")
    for table in found:
        above = _band_text(prose, band_top, table.bbox[1])
        if above:
            parts.append(above)
        full, shown = clean_grid(*_pdf_table_grids(table))
        if full:
            rendered = [render_row(row) for row in shown]
            title = preceding_title("\n".join(parts).split("\n"))
            raw_tables.append(RawTable(rows=full, lines=rendered, title=title, page=number))
            parts.extend(rendered)
        band_top = table.bbox[3]
    below = _band_text(prose, band_top, float("inf"))
    if below:
        parts.append(below)
    return "\n".join(parts), raw_tables


def _pdf_table_grids(table: Any) -> tuple[Grid, Grid]:
    """(full, shown) grids of a pdfplumber table; a merged cell's text fills the positions it covers."""
    shown: Grid = [[cell_text(cell) for cell in row] for row in table.extract()]
    rows = table.rows
    xs = sorted({cell[0] for cell in table.cells})
    tops = sorted({cell[1] for cell in table.cells})
    origin: dict[tuple[float, float, float, float], tuple[int, int]] = {}
    for i, row in enumerate(rows):
        for j, cell in enumerate(row.cells):
            if cell is not None:
                origin[tuple(cell)] = (i, j)
    full: Grid = [list(row) for row in shown]
    for i, row in enumerate(rows):
        for j, cell in enumerate(row.cells):
            if cell is not None or i >= len(tops) or j >= len(xs):
                continue
            x, y = xs[j] + 0.5, tops[i] + 0.5
            cover = next((c for c in table.cells if c[0] <= x < c[2] and c[1] <= y < c[3]), None)
            if cover is not None and tuple(cover) in origin:
                oi, oj = origin[tuple(cover)]
                full[i][j] = shown[oi][oj]
    return full, shown


def _band_text(page: Any, top: float, bottom: float) -> str:
    """Text of the objects whose vertical middle lies in [top, bottom)."""
    in_band: Callable[[dict[str, Any]], bool] = lambda obj: (  # noqa: E731
        "top" not in obj or top <= (obj["top"] + obj["bottom"]) / 2 < bottom
    )
    return str(page.filter(in_band).extract_text() or "").strip("\n")

"""Reader-side resource limits: what a file may expand to before the readers stop and refuse it.

A small DOCX can hold a 300 MB ``word/document.xml`` (a zip bomb), a PDF can have 20,000 pages, a text
file can carry millions of characters: each is refused as early as its size can be known, with an
error that names the limit and the setting that raises it:

- archive size and compression ratio: from the zip's central directory, before a DOCX is parsed
  (``zipfile`` never inflates a member past its declared size, so declared sizes bound what parsing
  can use);
- page count: from the PDF's page tree, before any page is read;
- scanned pages: counted after the text pass, before the first page is OCR'd;
- characters: counted while text is extracted; reading stops once over.

The entry points (CLI, server) build a :class:`ReadLimits` from the settings and pass it down;
nothing here reads the environment.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from ingestion.text.errors import (
    ArchiveTooLargeError,
    CompressionRatioError,
    CorruptFileError,
    TooManyOcrPagesError,
    TooManyPagesError,
    TooMuchTextError,
)

_MB = 1024 * 1024
# Members smaller than this are not ratio-checked: a tiny, very regular XML part legitimately packs well.
_RATIO_MIN_BYTES = 1 * _MB


@dataclass(frozen=True)
class ReadLimits:
    """Limits a reader enforces on one file (defaults match :class:`assistant.settings.Settings`).

    Attributes:
        max_pages: Pages of a PDF.
        max_chars: Characters of extracted text, all pages or paragraphs together.
        max_archive_bytes: Uncompressed size of all members of a DOCX, as the zip declares it.
        max_compression_ratio: Uncompressed / compressed size of any DOCX member over 1 MB.
        max_ocr_pages: Scanned pages of one PDF that may be read by OCR.
        converter_timeout_s: Time a converter process (antiword, LibreOffice) may run on one file.
    """

    max_pages: int = 1000
    max_chars: int = 1_000_000
    max_archive_bytes: int = 200 * _MB
    max_compression_ratio: float = 100.0
    max_ocr_pages: int = 150
    converter_timeout_s: float = 60.0


def check_zip_archive(path: Path, limits: ReadLimits) -> None:
    """Refuse a zip whose members would expand past the limits, reading only its central directory.

    Raises:
        ArchiveTooLargeError: Declared uncompressed size over ``max_archive_bytes``.
        CompressionRatioError: A member over 1 MB expands more than ``max_compression_ratio`` times.
        CorruptFileError: The zip directory cannot be read.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as e:
        msg = "Word 文档已损坏或不完整，无法打开：请用 Word 打开检查后重新另存为 .docx。"
        raise CorruptFileError(msg) from e
    total = sum(member.file_size for member in members)
    if total > limits.max_archive_bytes:
        msg = (
            f"Word 文档解压后有 {total / _MB:.0f} MB，超过上限 {limits.max_archive_bytes / _MB:.0f} MB"
            "（可能是异常文件）：请检查文件来源、删去大图片后另存，或调大设置 POLICY_ASSISTANT_MAX_ARCHIVE_MB。"
        )
        raise ArchiveTooLargeError(msg)
    for member in members:
        if member.file_size < _RATIO_MIN_BYTES:
            continue
        ratio = member.file_size / max(1, member.compress_size)
        if ratio > limits.max_compression_ratio:
            msg = (
                f"Word 文档中的 {member.filename} 压缩比 {ratio:.0f} 倍，超过上限 {limits.max_compression_ratio:.0f} 倍"
                "（正常文档不会这样，可能是压缩炸弹）：请确认文件来源后用 Word 重新另存，"
                "或调大设置 POLICY_ASSISTANT_MAX_COMPRESSION_RATIO。"
            )
            raise CompressionRatioError(msg)


def check_page_count(pages: int, limits: ReadLimits) -> None:
    """Refuse a PDF with more pages than ``max_pages`` (called before any page is read).

    Raises:
        TooManyPagesError: Over the limit.
    """
    if pages > limits.max_pages:
        msg = (
            f"PDF 共 {pages} 页，超过上限 {limits.max_pages} 页：请拆分成较小的文件后分别导入，"
            "或调大设置 POLICY_ASSISTANT_MAX_PAGES。"
        )
        raise TooManyPagesError(msg)


def check_ocr_pages(pages: list[int], limits: ReadLimits) -> None:
    """Refuse a PDF with more scanned pages than ``max_ocr_pages`` (called before the first is OCR'd).

    Raises:
        TooManyOcrPagesError: Over the limit.
    """
    if len(pages) > limits.max_ocr_pages:
        msg = (
            f"PDF 有 {len(pages)} 页是扫描图像，需要 OCR 文字识别，超过上限 {limits.max_ocr_pages} 页"
            "（每页约需数秒）：请拆分文件、改用含文字的 PDF/DOCX，或调大设置 POLICY_ASSISTANT_MAX_OCR_PAGES。"
        )
        raise TooManyOcrPagesError(msg)


class TextBudget:
    """Counts extracted characters and refuses the file as soon as they pass ``max_chars``."""

    def __init__(self, limits: ReadLimits) -> None:
        self.limit = limits.max_chars
        self.used = 0

    def add(self, text: str) -> None:
        """Count ``text``.

        Raises:
            TooMuchTextError: The running total is over the limit.
        """
        self.used += len(text)
        if self.used > self.limit:
            msg = (
                f"文件提取出的文字超过上限 {self.limit:,} 字（已读到 {self.used:,} 字时停止）："
                "请拆分文件后分别导入，或调大设置 POLICY_ASSISTANT_MAX_TEXT_CHARS。"
            )
            raise TooMuchTextError(msg)

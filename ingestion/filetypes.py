"""Which files the product reads, and checks of a file's bytes before anything touches the disk.

One list of supported suffixes for every entry point (the readers, the library, the API's uploads,
the web UI's upload box). An upload is checked by content, not by its name: a PDF starts with
``%PDF-``, a DOCX is a zip holding ``word/document.xml``, a DOC is an OLE2 compound file, a TXT/MD
file is UTF-8 or GB18030 text that is not binary in disguise. Messages are Chinese, for the official who sent the file.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import PurePosixPath
from typing import Literal

from ingestion.text.errors import EmptyFileError, FileTooLargeError, TextDecodingError, UnsupportedFileError

TEXT_SUFFIXES: tuple[str, ...] = (".txt", ".md")
SUPPORTED_SUFFIXES: tuple[str, ...] = (".pdf", ".docx", ".doc", *TEXT_SUFFIXES)
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc (an OLE2 compound file)
DocKind = Literal["docx", "ole2", "rtf", "html", "unknown"]


def sniff_doc(head: bytes) -> DocKind:
    """The kind of a ``.doc`` file from its first bytes."""
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(OLE2_MAGIC):
        return "ole2"
    start = head.lstrip(b"\xef\xbb\xbf\xff\xfe\r\n\t ")
    if start.startswith(b"{\\rtf"):
        return "rtf"
    lower = head[:4096].lower()
    if b"<html" in lower or b"<!doctype html" in lower or (b"mime-version:" in lower and b"text/html" in lower):
        return "html"
    return "unknown"

MAX_NAME_CHARS = 200


def display_name(name: str | None) -> str:
    """The client's file name reduced to a harmless label: last path part, no control characters."""
    raw = (name or "").replace("\\", "/")
    base = PurePosixPath(raw).name
    cleaned = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    if len(cleaned) <= MAX_NAME_CHARS:
        return cleaned
    # Shorten the stem, never the extension: the type is read from it.
    suffix = PurePosixPath(cleaned).suffix
    suffix = suffix if len(suffix) <= 10 else ""
    return cleaned[: MAX_NAME_CHARS - len(suffix)] + suffix


def upload_suffix(name: str) -> str:
    """The lower-cased extension of a display name, or raise UnsupportedFileError."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or "（无扩展名）"
        msg = f"不支持的文件类型 {shown}：请上传 PDF、DOCX、DOC、TXT 或 MD 文件。"
        raise UnsupportedFileError(msg)
    return suffix


def _is_docx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "word/document.xml" in zf.namelist()
    except zipfile.BadZipFile:
        return False


def _decode_text(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _looks_binary(text: str) -> bool:
    # NUL never occurs in a plan's text; many other control characters mean the bytes only decoded by accident.
    if "\x00" in text:
        return True
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    return controls > max(8, len(text) // 200)


def check_content(data: bytes, suffix: str) -> None:
    """Check that the bytes really are a document of the type ``suffix`` claims; raise if not.

    PDF: starts with ``%PDF-``; DOCX: a zip holding ``word/document.xml``; DOC: a Word binary, DOCX, RTF or HTML;
    TXT/MD: UTF-8 or GB18030 text that is not binary in disguise.
    """
    if not data.strip():
        msg = "上传的文件是空的：请检查文件后重新上传。"
        raise EmptyFileError(msg)
    if suffix == ".pdf":
        if data.lstrip()[:5] != b"%PDF-":
            msg = "文件扩展名是 .pdf，但内容不是 PDF：请上传真正的 PDF 文件。"
            raise UnsupportedFileError(msg)
        return
    if suffix == ".docx":
        if not _is_docx(data):
            msg = "文件扩展名是 .docx，但内容不是 Word 文档（.doc 旧格式请以 .doc 扩展名上传）。"
            raise UnsupportedFileError(msg)
        return
    if suffix == ".doc":
        # Government ".doc" files are also Word web pages (HTML/MHT), RTF or DOCX: all are read.
        if sniff_doc(data[:4096]) == "unknown":
            msg = "文件扩展名是 .doc，但内容不是 Word、RTF 或网页文档：请用 Word/WPS 另存为 .docx 后上传。"
            raise UnsupportedFileError(msg)
        return
    if data.lstrip()[:5] == b"%PDF-" or data.startswith((b"PK\x03\x04", OLE2_MAGIC)):
        msg = f"文件扩展名是 {suffix}，但内容是 PDF 或压缩包：请改用正确的扩展名上传。"
        raise UnsupportedFileError(msg)
    text = _decode_text(data)
    if text is None:
        msg = "文本文件既不是 UTF-8 也不是 GB18030 编码：请另存为 UTF-8 后重新上传。"
        raise TextDecodingError(msg)
    if _looks_binary(text):
        msg = f"文件扩展名是 {suffix}，但内容不是文本：请上传规划的 PDF、DOCX、DOC、TXT 或 MD 文件。"
        raise UnsupportedFileError(msg)


def check_size(size: int, max_mb: float) -> None:
    """Raise FileTooLargeError when ``size`` bytes is over the upload limit."""
    if size > int(max_mb * 1024 * 1024):
        msg = f"文件超过大小上限 {max_mb:g} MB：请压缩或拆分后再上传。"
        raise FileTooLargeError(msg)

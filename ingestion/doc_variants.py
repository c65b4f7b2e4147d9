r"""What government ``.doc`` files really are, and readers for the kinds antiword cannot take.

Files named ``.doc`` on government sites are often not Word 97-2003 binaries: Word's "save as web
page" (HTML, or MHT with the HTML quoted-printable inside a MIME message), RTF, or a DOCX. And some
real Word binaries (written by WPS, or "fast-saved") make antiword fail. This module sniffs the
kind from the first bytes and reads:

* HTML/MHT: paragraphs and tables with the standard library's HTML parser (tables as tab-joined row
  lines and grids, like the other readers);
* RTF: with ``striprtf`` (a small pure-Python package), the code page taken from ``\ansicpg``;
* Word binary: the text of the piece table, read with ``olefile`` — the fallback when neither
  antiword nor LibreOffice can read the file. Written by hand because no maintained pure-Python
  package extracts .doc text; the format (MS-DOC: FIB -> CLX -> PlcPcd) is small and stable.
"""

from __future__ import annotations

import email
import re
import struct
from email.message import Message
from html.parser import HTMLParser
from pathlib import Path

from ingestion.filetypes import sniff_doc as sniff_doc
from ingestion.limits import TextBudget
from ingestion.raw import (
    Grid,
    RawDocument,
    RawTable,
    cell_text,
    clean_grid,
    normalise_newlines,
    preceding_title,
    render_row,
)
from ingestion.text.errors import CorruptFileError

_SNIFF_BYTES = 4096
_BLOCK_TAGS = frozenset({"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "title", "tr"})
_SKIP_TAGS = frozenset({"script", "style", "head", "xml"})


# ---- HTML and MHT ("save as web page") --------------------------------------------------------------


def _html_of(data: bytes) -> str:
    """The HTML text of an HTML or MHT file, decoded by its declared charset (else UTF-8, else GB18030)."""
    if data[:_SNIFF_BYTES].lower().lstrip().startswith(b"mime-version:") or b"\nmime-version:" in data[:512].lower():
        message = email.message_from_bytes(data)
        for part in message.walk() if message.is_multipart() else [message]:
            if isinstance(part, Message) and part.get_content_type() == "text/html":
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes):
                    return _decode(payload, part.get_content_charset())
        return ""
    declared = re.search(rb"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", data[:_SNIFF_BYTES])
    return _decode(data, declared.group(1).decode("ascii") if declared else None)


def _decode(data: bytes, charset: str | None) -> str:
    names = [charset] if charset else []
    if charset and charset.lower() in {"gb2312", "gbk"}:
        names = ["gb18030"]  # a superset: GB2312/GBK pages often hold characters beyond them
    for name in [*names, "utf-8", "gb18030"]:
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", "replace")


class _HtmlText(HTMLParser):
    """Paragraph lines and tables (grids) of an HTML page, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.tables: list[RawTable] = []
        self._current: list[str] = []
        self._skip = 0
        self._rows: list[list[str | None]] | None = None
        self._row: list[str | None] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag == "table" and self._rows is None:
            self._flush()
            self._rows = []
        elif tag == "tr" and self._rows is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag in _BLOCK_TAGS and self._cell is None:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(cell_text("".join(self._cell)))
            self._cell = None
        elif tag == "tr" and self._rows is not None and self._row is not None:
            self._rows.append(self._row)
            self._row = None
        elif tag == "table" and self._rows is not None:
            self._end_table()
        elif tag in _BLOCK_TAGS and self._cell is None:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
        elif self._rows is None:
            self._current.append(data)

    def close(self) -> None:
        super().close()
        if self._rows is not None:
            self._end_table()
        self._flush()

    def _flush(self) -> None:
        line = re.sub(r"[ \t\r\n\u00a0]+", " ", "".join(self._current)).strip()
        if line:
            self.lines.append(line)
        self._current = []

    def _end_table(self) -> None:
        rows: Grid = self._rows or []
        self._rows = None
        full, shown = clean_grid(rows, [list(r) for r in rows])
        if full:
            rendered = [render_row(row) for row in shown]
            self.tables.append(RawTable(rows=full, lines=rendered, title=preceding_title(self.lines)))
            self.lines.extend(rendered)


def read_html_doc(path: Path, budget: TextBudget | None = None) -> RawDocument:
    """Read a web page or MHT saved under a ``.doc`` name."""
    parser = _HtmlText()
    parser.feed(_html_of(path.read_bytes()))
    parser.close()
    text = "\n".join(parser.lines)
    if budget is not None:
        budget.add(text)
    return RawDocument(text=normalise_newlines(text), format="doc", tables=parser.tables)


# ---- RTF -----------------------------------------------------------------------------------------------


def read_rtf_doc(path: Path, budget: TextBudget | None = None) -> RawDocument:
    r"""Read an RTF file saved under a ``.doc`` name (Chinese from ``\uN`` escapes or the ``\ansicpg`` code page)."""
    from striprtf.striprtf import rtf_to_text

    data = path.read_bytes()
    page = re.search(rb"\\ansicpg(\d+)", data[:_SNIFF_BYTES])
    encoding = f"cp{page.group(1).decode()}" if page else "cp936"
    try:
        text: str = rtf_to_text(data.decode("latin-1"), encoding=encoding, errors="replace")  # type: ignore[no-untyped-call]
    except (LookupError, ValueError) as e:
        msg = "RTF 文件无法解析：请用 Word 或 WPS 打开后另存为 .docx 再导入。"
        raise CorruptFileError(msg) from e
    if budget is not None:
        budget.add(text)
    return RawDocument(text=normalise_newlines(text), format="doc")


# ---- Word 97-2003 binary: the piece table ---------------------------------------------------------------

_FIB_FLAGS = 0x000A
_FIB_FC_CLX = 0x01A2
_FIB_LCB_CLX = 0x01A6
_FIELD_BEGIN, _FIELD_SEPARATE, _FIELD_END = "\x13", "\x14", "\x15"


def _strip_fields(text: str) -> str:
    """Keep a field's result (between separator and end), drop its instruction (between begin and separator)."""
    out: list[str] = []
    hiding: list[bool] = []
    for ch in text:
        if ch == _FIELD_BEGIN:
            hiding.append(True)
        elif ch == _FIELD_SEPARATE and hiding:
            hiding[-1] = False
        elif ch == _FIELD_END and hiding:
            hiding.pop()
        elif not any(hiding):
            out.append(ch)
    return "".join(out)


def word_binary_text(path: Path) -> str:
    """The text of a Word 97-2003 binary file from its piece table (paragraphs as lines, cells as tabs).

    Raises:
        CorruptFileError: Not an OLE2 file with a readable WordDocument stream and piece table, or encrypted.
    """
    broken = "Word 文档结构无法读取（文件可能已损坏或加密）：请用 Word/WPS 打开后另存为 .docx 再导入。"
    try:
        text = _piece_table_text(path)
    except (OSError, ValueError, IndexError, KeyError, struct.error) as e:
        raise CorruptFileError(broken) from e
    if text is None:
        raise CorruptFileError(broken)
    text = _strip_fields(text)
    text = text.replace("\x07\r", "\r").replace("\x07", "\t").replace("\x0b", "\n").replace("\x0c", "\n")
    text = re.sub(r"[\x00-\x08\x0e-\x1f]", "", text)
    return "\n".join(line.rstrip("\t ") for line in normalise_newlines(text).split("\n"))


def _piece_table_text(path: Path) -> str | None:
    """The raw characters of the document's pieces, in order; None when the file is encrypted or has no CLX."""
    import olefile

    with olefile.OleFileIO(str(path)) as ole:
        word = ole.openstream("WordDocument").read()
        (flags,) = struct.unpack_from("<H", word, _FIB_FLAGS)
        if flags & 0x0100:  # fEncrypted
            return None
        table = ole.openstream("1Table" if flags & 0x0200 else "0Table").read()
    fc_clx, lcb_clx = struct.unpack_from("<II", word, _FIB_FC_CLX)
    clx = table[fc_clx : fc_clx + lcb_clx]
    pos = 0
    while pos < len(clx) and clx[pos] == 0x01:  # Prc entries come first: skip them
        (size,) = struct.unpack_from("<H", clx, pos + 1)
        pos += 3 + size
    if pos >= len(clx) or clx[pos] != 0x02:
        return None
    (lcb,) = struct.unpack_from("<I", clx, pos + 1)
    plc = clx[pos + 5 : pos + 5 + lcb]
    n = (len(plc) - 4) // 12
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    parts: list[str] = []
    for i in range(n):
        (fc,) = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * i + 2)
        length = cps[i + 1] - cps[i]
        if fc & 0x40000000:  # compressed: one byte per character, cp1252
            start = (fc & 0x3FFFFFFF) // 2
            parts.append(word[start : start + length].decode("cp1252", "replace"))
        else:
            parts.append(word[fc : fc + 2 * length].decode("utf-16-le", "replace"))
    return "".join(parts)


def read_word_binary(path: Path, budget: TextBudget | None = None) -> RawDocument:
    """Read a Word binary's text without external tools (tables as tab-joined lines, no grids)."""
    text = word_binary_text(path)
    if budget is not None:
        budget.add(text)
    return RawDocument(text=text, format="doc")

"""Legacy and national office formats: Word 97-2003 ``.doc`` is read; ``.wps`` and OFD are refused with a way out.

``.doc`` is read by Debian's ``antiword`` (a small C program; ``make reader-deps`` installs it) run as a
subprocess with a time limit; HTML, MHT and RTF files named ``.doc``, and Word binaries antiword cannot
read, go to :mod:`ingestion.doc_variants`. Its DocBook output (``antiword -x db``) keeps paragraphs and table cells
apart, with column widths per row group, from which merged cells are placed: tables come out as the
other readers give them (tab-joined row lines and a grid). When antiword cannot read a file and
LibreOffice is installed, ``soffice --headless`` converts it to DOCX instead; failing both, the built-in
piece-table reader takes its text. A ``.doc`` that is really a DOCX (a zip) is read as one.

Why ``.wps`` and OFD are refused (see the README's "File formats"): Kingsoft's ``.wps`` has no open
reader (LibreOffice's ``.wps`` filter is for Microsoft Works), and WPS saves ``.docx`` in one step; the
one maintained OFD reader on PyPI (``easyofd``) pulls in PyMuPDF (AGPL-3.0) and reportlab, and no real
OFD files were at hand to check it on, while every OFD reader exports PDF, which is read here.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from ingestion.doc_variants import read_html_doc, read_rtf_doc, read_word_binary, sniff_doc
from ingestion.docx_reader import read_docx
from ingestion.limits import ReadLimits, TextBudget, check_zip_archive
from ingestion.raw import Grid, RawDocument, RawTable, clean_grid, preceding_title, render_row
from ingestion.text.errors import ConversionError, CorruptFileError

logger = logging.getLogger(__name__)

# Column edges of different row groups closer than this (points) are the same edge.
_EDGE_TOLERANCE_PT = 3.0

_UNSUPPORTED_HINTS = {
    ".wps": "WPS 文字 .wps 格式无法直接读取：请在 WPS 中“另存为”Word 文档（.docx）后再导入",
    ".ofd": "OFD 版式文件暂不支持：请用 OFD 阅读器（如数科阅读器、福昕 OFD 版式办公套件）导出或打印为 PDF 后再导入",
    ".xls": "表格文件不能作为规划导入：请把规划正文另存为 .docx 或 .pdf 后再导入",
    ".xlsx": "表格文件不能作为规划导入：请把规划正文另存为 .docx 或 .pdf 后再导入",
}


def unsupported_message(suffix: str) -> str:
    """The Chinese refusal for an extension the product does not read, saying what to do instead."""
    shown = suffix or "（无扩展名）"
    hint = _UNSUPPORTED_HINTS.get(suffix, "请另存为 .txt、.md、.docx、.doc 或 .pdf 后再导入")
    return f"不支持的文件类型 {shown}：{hint}。"


def read_doc(path: Path, limits: ReadLimits) -> RawDocument:
    """Read a ``.doc``: a Word 97-2003 binary, or what government sites also name ``.doc``.

    A Word binary goes to antiword, else LibreOffice (when installed), else the built-in piece-table
    reader (:mod:`ingestion.doc_variants`); a DOCX, an HTML/MHT web page or an RTF file under a
    ``.doc`` name is read as what it is.

    Raises:
        CorruptFileError: None of those kinds, or a Word binary no reader can take.
        ConversionError: A converter ran over ``limits.converter_timeout_s`` and no fallback read it.
        TooMuchTextError: More text than ``limits.max_chars``.
    """
    with path.open("rb") as fh:
        head = fh.read(4096)
    kind = sniff_doc(head)
    if kind == "docx":
        check_zip_archive(path, limits)
        raw = read_docx(path, TextBudget(limits))
        raw.format = "doc"
        return raw
    if kind == "html":
        return read_html_doc(path, TextBudget(limits))
    if kind == "rtf":
        return read_rtf_doc(path, TextBudget(limits))
    if kind != "ole2":
        msg = (
            "文件扩展名为 .doc，但内容不是 Word、RTF 或网页文档（可能已损坏或是其他格式）："
            "请用 Word 或 WPS 打开后另存为 .docx 再导入。"
        )
        raise CorruptFileError(msg)

    antiword = shutil.which("antiword")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    failure: ConversionError | None = None
    if antiword is not None:
        try:
            xml = _run([antiword, "-x", "db", str(path)], limits.converter_timeout_s)
            raw = doc_from_docbook(xml)
        except ConversionError as e:
            failure = e
            logger.info("antiword could not read %s", path.name)
        else:
            TextBudget(limits).add(raw.text)
            return raw
    if soffice is not None:
        try:
            return _read_with_libreoffice(soffice, path, limits)
        except ConversionError as e:
            failure = e
            logger.info("LibreOffice could not read %s", path.name)
    try:
        raw = read_word_binary(path, TextBudget(limits))
    except CorruptFileError:
        if failure is not None:
            raise failure from None
        raise
    if not raw.text.strip() and failure is not None:
        raise failure
    return raw


def _run(command: list[str], timeout: float) -> str:
    """Run a converter, return its standard output as UTF-8 text.

    Raises:
        ConversionError: Non-zero exit or over ``timeout`` seconds (the process is killed).
    """
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as e:
        msg = (
            f"转换 .doc 文件超过 {timeout:g} 秒仍未完成：请用 Word/WPS 另存为 .docx 后再导入，"
            "或调大设置 POLICY_ASSISTANT_CONVERTER_TIMEOUT_S。"
        )
        raise ConversionError(msg) from e
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        logger.info("%s failed: %s", Path(command[0]).name, reason[-1] if reason else done.returncode)
        msg = "无法读取这个 .doc 文件（可能是 Word 95 等更旧的格式或文件已损坏）：请用 Word/WPS 另存为 .docx 后再导入。"
        raise ConversionError(msg)
    return done.stdout.decode("utf-8", "replace")


def _read_with_libreoffice(soffice: str, path: Path, limits: ReadLimits) -> RawDocument:
    """Convert with ``soffice --headless --convert-to docx`` in a scratch folder and read the DOCX."""
    with tempfile.TemporaryDirectory(prefix="pa-doc-") as scratch:
        profile = Path(scratch) / "profile"
        _run(
            [
                soffice,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "docx",
                "--outdir",
                scratch,
                str(path),
            ],
            limits.converter_timeout_s,
        )
        converted = Path(scratch) / (path.stem + ".docx")
        if not converted.is_file():
            msg = "LibreOffice 未能转换这个 .doc 文件：请用 Word/WPS 另存为 .docx 后再导入。"
            raise ConversionError(msg)
        check_zip_archive(converted, limits)
        raw = read_docx(converted, TextBudget(limits))
    raw.format = "doc"
    return raw


def doc_from_docbook(xml: str) -> RawDocument:
    """Paragraphs and tables of antiword's DocBook output, in order, tables as row lines and grids.

    Raises:
        ConversionError: The output is not well-formed XML.
    """
    try:
        root = ET.fromstring(xml.encode("utf-8"))
    except ET.ParseError as e:
        msg = "无法读取这个 .doc 文件（转换结果不完整）：请用 Word/WPS 另存为 .docx 后再导入。"
        raise ConversionError(msg) from e
    lines: list[str] = []
    tables: list[RawTable] = []
    in_tables = {id(inner) for table in root.iter("informaltable") for inner in table.iter()}
    for element in root.iter():
        if element.tag in {"para", "title"} and id(element) not in in_tables:
            if element.find(".//informaltable") is not None:
                continue  # the table inside is read on its own
            text = "".join(element.itertext()).strip()
            if text or element.tag == "para":
                lines.append(text)
        elif element.tag == "informaltable":
            full, shown = clean_grid(*_docbook_grid(element))
            if not full:
                continue
            rendered = [render_row(row) for row in shown]
            tables.append(RawTable(rows=full, lines=rendered, title=preceding_title(lines)))
            lines.extend(rendered)
    text = "\n".join(lines).replace("\r\n", "\n").replace("\r", "\n")
    return RawDocument(text=text, format="doc", tables=tables)


def _docbook_grid(table: ET.Element) -> tuple[Grid, Grid]:
    """(full, shown) grids of an ``informaltable``: every ``tgroup`` placed on the union of column edges.

    antiword starts a new ``tgroup`` whenever the column layout changes (a row with merged cells); a
    cell whose edges cover several union columns is a merged cell: its text fills them in ``full`` and
    stands once in ``shown``.
    """
    groups: list[tuple[list[float], list[list[str | None]]]] = []
    for tgroup in table.iter("tgroup"):
        edges = [0.0]
        for spec in tgroup.iter("colspec"):
            colwidth = spec.get("colwidth", "0").removesuffix("pt")
            try:
                edges.append(edges[-1] + float(colwidth))
            except ValueError:
                edges.append(edges[-1])
        rows = [
            [("".join(entry.itertext()).strip() or None) for entry in row.iter("entry")] for row in tgroup.iter("row")
        ]
        groups.append((edges, rows))
    union: list[float] = []
    for edge in sorted(e for edges, _ in groups for e in edges):
        if not union or edge - union[-1] > _EDGE_TOLERANCE_PT:
            union.append(edge)

    def column_of(edge: float) -> int:
        return min(range(len(union)), key=lambda k: abs(union[k] - edge))

    width = max(1, len(union) - 1)
    full: Grid = []
    shown: Grid = []
    for edges, rows in groups:
        for row in rows:
            full_row: list[str | None] = [None] * width
            shown_row: list[str | None] = [None] * width
            for k, cell in enumerate(row):
                if k + 1 >= len(edges):
                    break
                first, last = column_of(edges[k]), column_of(edges[k + 1])
                if first >= width:
                    continue
                shown_row[first] = cell
                for j in range(first, max(first + 1, min(last, width))):
                    full_row[j] = cell
            full.append(full_row)
            shown.append(shown_row)
    return full, shown

"""The DOCX reader: paragraphs and tables in body order, tables as tab-joined row lines and grids.

Used by ``ingestion.readers`` for ``.docx`` and by ``ingestion.legacy_formats`` for a ``.doc`` that is
really a DOCX, or one LibreOffice converted.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


def read_docx(path: Path, budget: TextBudget | None = None) -> RawDocument:
    """Read paragraphs and tables of a DOCX in body order, tables as tab-joined row lines and grids.

    ``budget`` counts the characters read and stops the reading once they are over the limit.
    """
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    if not zipfile.is_zipfile(path):
        msg = "文件扩展名为 .docx，但内容不是 Word 文档（可能已损坏或是其他格式）：请用 Word 重新另存为 .docx。"
        raise CorruptFileError(msg)
    try:
        document = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        msg = "Word 文档已损坏或不完整，无法打开：请用 Word 打开检查后重新另存为 .docx。"
        raise CorruptFileError(msg) from e

    lines: list[str] = []
    tables: list[RawTable] = []
    for kind, payload in _docx_body_items(document):
        if kind == "p":
            lines.append(str(payload))
            if budget is not None:
                budget.add(lines[-1])
            continue
        full, shown = clean_grid(*payload)
        if not full:
            continue
        rendered = [render_row(row) for row in shown]
        tables.append(RawTable(rows=full, lines=rendered, title=preceding_title(lines)))
        lines.extend(rendered)
        if budget is not None:
            budget.add("".join(rendered))
    return RawDocument(text=normalise_newlines("\n".join(lines)), format="docx", tables=tables)


def _docx_body_items(document: Any) -> Iterator[tuple[str, Any]]:
    """Yield ("p", text) and ("tbl", (full grid, shown grid)) in body order, walking the body XML."""
    from docx.oxml.ns import qn

    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            yield "p", _docx_paragraph_text(child)
        elif child.tag == qn("w:tbl"):
            yield "tbl", _docx_table_grid(child)
        elif child.tag == qn("w:sdt"):
            # Content controls wrap ordinary paragraphs; read their text in place.
            for p in child.iter(qn("w:p")):
                yield "p", _docx_paragraph_text(p)


def _docx_paragraph_text(p: Any) -> str:
    """Visible text of a w:p element (runs, tabs and breaks), as python-docx would give it."""
    from docx.text.paragraph import Paragraph

    return str(Paragraph(p, None).text)  # type: ignore[arg-type]  # no parent part needed for .text


def _docx_table_grid(tbl: Any) -> tuple[Grid, Grid]:
    """(full, shown) grids of a w:tbl: merged text repeated in ``full``, given once in ``shown``."""
    from docx.oxml.ns import qn

    full: Grid = []
    shown: Grid = []
    for tr in tbl.iterchildren(qn("w:tr")):
        full_row: list[str | None] = []
        shown_row: list[str | None] = []
        for tc in tr.iterchildren(qn("w:tc")):
            tc_pr = tc.find(qn("w:tcPr"))
            span = 1
            continuation = False
            if tc_pr is not None:
                grid_span = tc_pr.find(qn("w:gridSpan"))
                if grid_span is not None and grid_span.get(qn("w:val"), "1").isdigit():
                    span = max(1, int(grid_span.get(qn("w:val"), "1")))
                v_merge = tc_pr.find(qn("w:vMerge"))
                if v_merge is not None and v_merge.get(qn("w:val"), "continue") != "restart":
                    continuation = True
            col = len(full_row)
            if continuation:
                above = full[-1][col] if full and col < len(full[-1]) else None
                full_row.extend([above] * span)
                shown_row.extend([None] * span)
                continue
            text = cell_text("".join(_docx_paragraph_text(p) for p in tc.iterchildren(qn("w:p"))))
            full_row.extend([text] * span)
            shown_row.append(text)
            shown_row.extend([None] * (span - 1))
        full.append(full_row)
        shown.append(shown_row)
    return full, shown

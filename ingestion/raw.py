"""What a reader produces: the raw text, the table grids and the page starts of one file.

Shared by every reader (``ingestion.readers`` for TXT/MD/DOCX/PDF, ``ingestion.legacy_formats`` for
.doc): a table row is rendered as one line whose cells are joined by a tab, so the cleaning step
leaves it byte-identical and the pipeline can find each grid row in the cleaned text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from ingestion.ocr import OcrPageText
from ingestion.schema import PageSpan

Format = Literal["txt", "md", "docx", "pdf", "doc"]
Grid = list[list[str | None]]


TITLE_MAX_CHARS = 80


@dataclass
class RawTable:
    """A table as the file gave it.

    ``rows`` is the full grid: a merged cell's text is repeated in every grid position it covers
    (so every row has one entry per column and two-level headers can be read column by column),
    None for an empty cell. ``lines`` are the row lines exactly as rendered into the text, where a
    merged cell's text appears once (at its first position) and the positions it covers are empty.
    """

    rows: Grid
    lines: list[str] = field(default_factory=list)
    title: str = ""
    page: int | None = None


@dataclass
class RawDocument:
    """What a reader produced: the text (tables rendered as tab-joined row lines), grids and page starts.

    ``pages`` index into ``text`` (the raw text, before cleaning) and are empty when the format has
    no pages (TXT, MD, DOCX). ``ocr_pages`` are the pages whose text was read by OCR, each with its
    lines, their offsets in the page's text and their confidences (the page's own text starts at its
    ``pages`` entry).
    """

    text: str
    format: Format
    tables: list[RawTable] = field(default_factory=list)
    pages: list[PageSpan] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ocr_pages: list[OcrPageText] = field(default_factory=list)


def cell_text(text: str | None) -> str | None:
    """One-line cell text: inner newlines dropped, tabs (the cell separator) made spaces; '' -> None."""
    if text is None:
        return None
    cleaned = re.sub(r"\s*\n\s*", "", text).replace("\t", " ").strip()
    return cleaned or None


def render_row(cells: list[str | None]) -> str:
    """The text line of one table row: cells joined by a tab, an empty cell as an empty string."""
    return "\t".join(cell or "" for cell in cells)


def clean_grid(full: Grid, shown: Grid) -> tuple[Grid, Grid]:
    """Drop rows with no text and columns empty in every row, alike in the full and shown grids."""
    pairs = [(f, s) for f, s in zip(full, shown, strict=True) if any(cell for cell in s)]
    if not pairs:
        return [], []
    width = max(len(f) for f, _ in pairs)
    pairs = [(f + [None] * (width - len(f)), s + [None] * (width - len(s))) for f, s in pairs]
    keep = [j for j in range(width) if any(s[j] for _, s in pairs)]
    return [[f[j] for j in keep] for f, _ in pairs], [[s[j] for j in keep] for _, s in pairs]


def looks_like_title(line: str) -> bool:
    """A short line that can name the table below it (not a sentence of prose)."""
    stripped = line.strip()
    return 0 < len(stripped) <= TITLE_MAX_CHARS and not stripped.endswith(("。", "；", "，", ";", ","))


def preceding_title(lines: list[str]) -> str:
    """The nearest non-empty line before a table when it reads like a title, else ''."""
    for line in reversed(lines):
        if not line.strip():
            continue
        if "\t" in line:
            return ""
        return line.strip() if looks_like_title(line) else ""
    return ""


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")

"""The parse pipeline: one file in, one :class:`ParsedDocument` out (nothing is stored here).

read -> clean -> tables -> sections -> metadata (+ sidecar) -> chunks -> target rows -> warnings.
``assistant.library.Library`` calls :func:`parse_file` and writes the result in one step. A document's id
comes from its file name (:func:`make_doc_id`), or from the original name of an upload (``doc_id``).
"""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

from ingestion.chunking import chunk_document
from ingestion.cleaning import clean_text, strip_page_furniture
from ingestion.corrections import apply_sidecar
from ingestion.doc_head import normalise_doc_numbers, strip_head_marks
from ingestion.limits import ReadLimits
from ingestion.metadata import extract_metadata
from ingestion.ocr import OcrOptions
from ingestion.ocr_provenance import mark_ocr
from ingestion.raw import RawDocument, RawTable, render_row
from ingestion.readers import read_file
from ingestion.schema import DocumentMeta, PageSpan, ParsedDocument, Table, Target
from ingestion.sections import find_sections, section_at
from ingestion.tables import find_tables, table_from_grid
from ingestion.targets import extract_targets
from ingestion.text.normalize import nfkc

logger = logging.getLogger(__name__)

_DOC_ID_MAX = 80
_ANCHOR_CHARS = 12
_ANCHOR_LINES = 8


def make_doc_id(path: Path) -> str:
    """Stable document id from the file name (not its content), so re-ingesting a file replaces it.

    NFKC of the file stem, lower-cased, runs of characters other than letters/digits (any script),
    ``-``, ``.`` and ``_`` collapsed to ``_``; longer than 80 characters -> cut with a short hash of
    the whole stem appended so two long names stay distinct.
    """
    stem = nfkc(Path(path).stem).lower()
    safe = re.sub(r"[^\w.\-]+", "_", stem).strip("._-")
    digest = hashlib.sha1(stem.encode("utf-8")).hexdigest()[:8]
    if not safe:
        return f"doc_{digest}"
    if len(safe) > _DOC_ID_MAX:
        safe = f"{safe[: _DOC_ID_MAX - 9].rstrip('._-')}_{digest}"
    return safe


def parse_file(
    path: Path,
    max_bytes: int,
    sidecar: bool = True,
    doc_id: str | None = None,
    limits: ReadLimits | None = None,
    ocr: OcrOptions | None = None,
) -> ParsedDocument:
    """Parse a TXT/MD/DOCX/DOC/PDF plan into clean text, sections, tables, metadata, chunks and targets.

    Args:
        path: The plan file.
        max_bytes: Size limit, checked before the file is read.
        sidecar: Apply the maintainer's ``<file name>.meta.json`` beside the file when present.
        doc_id: The id to store it under; by default derived from the file name (``make_doc_id``).
        limits: Reader limits (pages, characters, archive size, OCR pages); defaults when None.
        ocr: How scanned PDF pages are read; None leaves them out (with a warning).

    Raises:
        IngestError: A subclass saying why the file cannot be ingested and what to do.
    """
    path = Path(path)
    raw = read_file(path, max_bytes, limits=limits, ocr=ocr)
    raw.text = normalise_doc_numbers(raw.text)  # same length: page offsets stay valid
    content_hash = hashlib.sha256(path.read_bytes()).hexdigest()
    warnings = list(raw.warnings)

    text, clean_pages = clean_text(raw.text)
    pages = map_pages(raw.text, raw.pages, text) if raw.pages else clean_pages

    tables = _tables(text, raw)
    sections = find_sections(text)
    for table in tables:
        if not table.section_path and table.start >= 0:
            section = section_at(sections, table.start)
            table.section_path = list(section.path) if section else []

    meta = _metadata(strip_head_marks(strip_page_furniture(raw.text)), strip_head_marks(text))
    if sidecar:
        meta = apply_sidecar(meta, path)

    doc = ParsedDocument(
        doc_id=doc_id or make_doc_id(path),
        source=path.name,
        content_hash=content_hash,
        text=text,
        meta=meta,
        sections=sections,
        tables=tables,
        pages=pages,
        warnings=warnings,
    )
    doc.chunks = chunk_document(doc)
    doc.targets = _targets(doc)
    if raw.ocr_pages:
        warnings.extend(mark_ocr(doc, raw, ocr.min_number_confidence if ocr else 1.0))
    for table in tables:
        warnings.extend(table.warnings)
        if table.totals_ok is False and not table.warnings:
            warnings.append(f"表格“{table.title or '（无标题）'}”合计核对不通过：请核对原文。")
    if not meta.title:
        warnings.append("未能从文中识别文件标题：可在旁边的 .meta.json 文件中填写 title。")
    doc.warnings = list(dict.fromkeys(warnings))
    logger.info(
        "parsed %s: %d chars, %d sections, %d tables, %d chunks, %d targets",
        path.name,
        len(text),
        len(sections),
        len(tables),
        len(doc.chunks),
        len(doc.targets),
    )
    return doc


def _metadata(raw_text: str, text: str) -> DocumentMeta:
    """Metadata from the reader's text (its line layout keeps titles apart), gaps filled from clean text."""
    from_raw = extract_metadata(raw_text)
    from_clean = extract_metadata(text)
    merged = {
        name: value if value not in ("", None) else getattr(from_clean, name)
        for name, value in from_raw.model_dump().items()
    }
    merged["is_draft"] = from_raw.is_draft or from_clean.is_draft
    return DocumentMeta.model_validate(merged)


def _targets(doc: ParsedDocument) -> list[Target]:
    """Target rows of the document, with title, source and page filled in."""
    targets = extract_targets(doc)
    for target in targets:
        target.doc_id = doc.doc_id
        target.title = doc.meta.title
        target.source = doc.source
        if target.start >= 0 and target.page is None:
            target.page = doc.page_at(target.start)
    return targets


# ------------------------------------------------------------------------------------------ tables


def _tables(text: str, raw: RawDocument) -> list[Table]:
    """Tables found in the cleaned text plus the reader's grid tables, located in the text."""
    found = find_tables(text)
    if not raw.tables:
        return found
    grid_tables: list[Table] = []
    cursor = 0
    for raw_table in raw.tables:
        if max((sum(1 for c in row if c and c.strip()) for row in raw_table.rows), default=0) < 2:
            continue  # one column: text in a box (a page frame, a boxed note), not a table
        table = table_from_grid(raw_table.rows, title=raw_table.title, source=raw.format)
        cursor = locate_grid_table(text, raw_table, table, cursor)
        grid_tables.append(table)
    kept = [t for t in found if not any(_overlaps(t, g) for g in grid_tables)]
    return sorted(kept + grid_tables, key=lambda t: t.start)


def _overlaps(a: Table, b: Table) -> bool:
    return a.start >= 0 and b.start >= 0 and a.start < b.end and b.start < a.end


def locate_grid_table(text: str, raw_table: RawTable, table: Table, cursor: int = 0) -> int:
    """Find a grid table's tab-joined row lines in the cleaned text and set its offsets.

    Sets ``table.start``/``end``, ``header_quote`` and each body row's ``start``/``end``/``quote``;
    returns the offset after the table (where the next table's search starts).
    """
    located: list[tuple[int, int, list[str | None]]] = []
    pos = cursor
    lines = raw_table.lines or [render_row(row) for row in raw_table.rows]
    for grid_row, line in zip(raw_table.rows, lines, strict=False):
        at = _find_line(text, line, pos)
        if at < 0:
            continue
        located.append((at, at + len(line), grid_row))
        pos = at + len(line)
    if not located:
        return cursor
    table.start = located[0][0]
    table.end = located[-1][1]
    used: set[int] = set()
    for row in table.rows:
        for k, (start, end, grid_row) in enumerate(located):
            if k in used:
                continue
            cells = [c for c in grid_row if c]
            if row.label and cells and cells[0] == row.label:
                row.start, row.end, row.quote = start, end, text[start:end]
                used.add(k)
                break
    body_starts = [row.start for row in table.rows if row.start >= 0]
    if body_starts and not table.header_quote:
        first_body = min(body_starts)
        table.header_quote = text[table.start : first_body].rstrip("\n")
    return table.end


def _find_line(text: str, line: str, start: int) -> int:
    """Offset of ``line`` as a whole line of ``text`` at or after ``start``, else -1."""
    at = text.find(line, start)
    while at >= 0:
        before_ok = at == 0 or text[at - 1] == "\n"
        after = at + len(line)
        after_ok = after == len(text) or text[after] == "\n"
        if before_ok and after_ok:
            return at
        at = text.find(line, at + 1)
    return -1


# ------------------------------------------------------------------------------------------- pages


def map_pages(raw_text: str, raw_pages: list[PageSpan], text: str) -> list[PageSpan]:
    """Carry page starts from the reader's text over to the cleaned text.

    Cleaning removes page numbers, running headers and line breaks, so offsets shift. Text is
    compared with whitespace removed: the last line of page k-1 that survives cleaning is found
    (searching from where page k-1 starts), and page k starts at the first character after it;
    when no line of page k-1 survives, the first surviving line of page k is searched instead. A
    page found nowhere is left out (its text then counts as the previous page's).
    """
    squashed_chars: list[str] = []
    squashed_pos: list[int] = []
    for i, ch in enumerate(text):
        if not ch.isspace():
            squashed_chars.append(ch)
            squashed_pos.append(i)
    squashed = "".join(squashed_chars)

    def anchors(segment: str, from_end: bool) -> list[str]:
        lines = ["".join(ln.split()) for ln in segment.split("\n")]
        lines = [ln[-_ANCHOR_CHARS:] if from_end else ln[:_ANCHOR_CHARS] for ln in lines if len(ln) >= 4]
        return list(reversed(lines))[:_ANCHOR_LINES] if from_end else lines[:_ANCHOR_LINES]

    spans: list[PageSpan] = []
    page_from = 0  # squashed offset where the previous page was found to start
    for k, span in enumerate(raw_pages):
        if k == 0:
            spans.append(PageSpan(page=span.page, start=0))
            continue
        prev = raw_text[raw_pages[k - 1].start : span.start]
        end = raw_pages[k + 1].start if k + 1 < len(raw_pages) else len(raw_text)
        found = -1
        for anchor in anchors(prev, from_end=True):
            at = squashed.find(anchor, page_from)
            if at >= 0:
                found = at + len(anchor)
                break
        if found < 0:
            for anchor in anchors(raw_text[span.start : end], from_end=False):
                at = squashed.find(anchor, page_from)
                if at >= 0:
                    found = at
                    break
        if found < 0 or found >= len(squashed):
            continue
        page_from = found
        spans.append(PageSpan(page=span.page, start=squashed_pos[found]))
    return spans

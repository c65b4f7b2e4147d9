"""Structure-aware chunking: citable passages that never cross a heading, and one chunk per table row.

Text chunks are exact slices of the cleaned text (``doc.text[start:end] == chunk.text``) so they can
be quoted as they stand; the section path travels in ``Chunk.section`` (the indexer decides whether
to prepend it for embedding). A section's own text is cut into pieces at paragraph ends, and a
paragraph longer than the limit at sentence ends (``。；！？``), then the pieces are packed greedily
up to ``max_chars``; a short remainder joins its neighbour inside the same section. Table regions
(``doc.tables`` spans) and the caption lines right above them are left out of text chunks; each
table body row becomes a ``table_row`` chunk whose text repeats the table title and the column
headers, e.g.
``某市…任务分解表｜县区：某县｜培养全科医生数（人）：2023年 25；2024年 25；2025年 25``.
"""

from __future__ import annotations

import itertools
import re

from ingestion.doc_head import is_date_line
from ingestion.schema import Chunk, ParsedDocument, Section, Table, TableRow
from ingestion.sections import section_at

MAX_CHARS = 600
TARGET_CHARS = 420
MIN_CHARS = 150
_SENTENCE_END = re.compile(r"[。；！？!?;]+[”’」』）)]*")
_CLAUSE_END = re.compile(r"[，,、：:]")
_EMPTY_CELL = "—"
_CAPTION_MAX = 60


def chunk_document(
    doc: ParsedDocument, max_chars: int = MAX_CHARS, min_chars: int = MIN_CHARS
) -> list[Chunk]:
    """Cut a parsed document into citable chunks along its sections, plus one chunk per table row.

    Args:
        doc: A parsed document with text, sections and tables (offsets into ``doc.text``).
        max_chars: Upper bound of a text chunk (a single longer sentence is cut at clause ends).
        min_chars: A text chunk shorter than this is merged into a neighbour in the same section.

    Returns:
        Chunks in document order with deterministic ids ``{doc_id}:{content_hash[:8]}:{ord}``.
    """
    spans: list[tuple[int, int, str, str]] = []  # (start, end, kind, text)
    sections: dict[tuple[int, int], str] = {}
    table_zones = sorted((t.start, t.end) for t in doc.tables if 0 <= t.start < t.end)
    zone_starts = {start for start, _ in table_zones}

    for seg_start, seg_end, section in _segments(doc.text, doc.sections):
        path = " > ".join(section.path) if section else ""
        for part_start, part_end in _subtract(seg_start, seg_end, table_zones):
            if part_end in zone_starts:
                part_end = _trim_caption(doc.text, part_start, part_end)
            pieces = _pieces(doc.text, part_start, part_end, max_chars)
            if section is not None:
                pieces = _drop_bare_heading(doc.text, pieces, section, leaf=seg_end >= section.end)
            for start, end in _pack(doc.text, pieces, max_chars, min_chars):
                spans.append((start, end, "text", doc.text[start:end]))
                sections[(start, end)] = path

    row_chunks: list[tuple[int, int, str, str]] = []
    for table in doc.tables:
        for row in table.rows:
            start, end = _row_span(table, row, len(doc.text))
            row_chunks.append((start, end, "table_row", table_row_text(table, row)))
            row_path = table.section_path or _path_at(doc.sections, start)
            sections[(start, end)] = " > ".join(row_path)

    ordered = sorted(spans + row_chunks, key=lambda s: (s[0], s[1]))
    chunks: list[Chunk] = []
    for ord_, (start, end, kind, text) in enumerate(ordered):
        chunks.append(
            Chunk(
                chunk_id=f"{doc.doc_id}:{doc.content_hash[:8]}:{ord_}",
                doc_id=doc.doc_id,
                ord=ord_,
                text=text,
                section=sections.get((start, end), ""),
                kind="table_row" if kind == "table_row" else "text",
                start=start,
                end=end,
                page=doc.page_at(start) if start >= 0 else None,
            )
        )
    return chunks


def table_row_text(table: Table, row: TableRow) -> str:
    """Self-contained text of one table row: title, row label under its header, then the cells.

    Columns flattened as ``indicator/year`` are grouped by indicator so the header is not repeated.
    """
    parts: list[str] = []
    title = table.title.strip() or (table.section_path[-1] if table.section_path else "")
    if title:
        parts.append(title)
    label_header = table.label_header.strip()
    parts.append(f"{label_header}：{row.label}" if label_header else row.label)
    groups: list[tuple[str, list[str]]] = []
    for j, column in enumerate(table.columns):
        cell = row.cells[j] if j < len(row.cells) else None
        value = cell.strip() if cell and cell.strip() else _EMPTY_CELL
        head, sep, sub = column.partition("/")
        if sep and groups and groups[-1][0] == head:
            groups[-1][1].append(f"{sub} {value}")
        elif sep:
            groups.append((head, [f"{sub} {value}"]))
        else:
            groups.append((column, [value]))
    for head, values in groups:
        parts.append(f"{head}：{'；'.join(values)}" if head else "；".join(values))
    return "｜".join(parts)


def _segments(text: str, sections: list[Section]) -> list[tuple[int, int, Section | None]]:
    """Split the text at every heading start, so no piece crosses a section boundary."""
    cuts = sorted({0, len(text), *(s.start for s in sections if 0 <= s.start <= len(text))})
    segments: list[tuple[int, int, Section | None]] = []
    for start, end in itertools.pairwise(cuts):
        if start < end:
            segments.append((start, end, section_at(sections, start)))
    return segments


def _subtract(start: int, end: int, zones: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Parts of [start, end) outside every zone."""
    parts: list[tuple[int, int]] = []
    cursor = start
    for z_start, z_end in zones:
        if z_end <= cursor or z_start >= end:
            continue
        if z_start > cursor:
            parts.append((cursor, z_start))
        cursor = max(cursor, z_end)
    if cursor < end:
        parts.append((cursor, end))
    return parts


def _trim_caption(text: str, start: int, end: int) -> int:
    """End of [start, end) without the caption lines right above a table (title, 附件N, unit notes).

    Every row chunk repeats the table title, so a chunk holding only the caption would be noise.
    A caption line is short and is not a sentence (no ``。；``). A date line is no caption: it closes a
    signature (``某市人民政府办公室`` / ``2025年4月30日``) or a title block (``某委员会`` / ``2019年7月``) that
    the text before the table ends with, so it and the lines above it stay citable.
    """
    cut = end
    while cut > start:
        line_start = text.rfind("\n", start, cut - 1) + 1
        line_start = max(line_start, start)
        line = text[line_start:cut].strip()
        if line and (len(line) > _CAPTION_MAX or "\t" in line or any(p in line for p in "。；;") or is_date_line(line)):
            break
        cut = line_start
    return cut


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) so it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _pieces(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int, bool]]:
    """Paragraph pieces of [start, end); a paragraph over ``max_chars`` is cut at sentence ends.

    Each piece is (start, end, ends_paragraph).
    """
    pieces: list[tuple[int, int, bool]] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        p_end = end if nl < 0 else nl
        p_start, p_stop = _strip_span(text, pos, p_end)
        if p_start < p_stop:
            if p_stop - p_start <= max_chars:
                pieces.append((p_start, p_stop, True))
            else:
                sentences = _split(text, p_start, p_stop, _SENTENCE_END, max_chars)
                pieces.extend((s, e, i == len(sentences) - 1) for i, (s, e) in enumerate(sentences))
        pos = p_end + 1
    return pieces


def _split(text: str, start: int, end: int, pattern: re.Pattern[str], max_chars: int) -> list[tuple[int, int]]:
    """Cut [start, end) after each match of ``pattern``; parts still too long are cut at clauses."""
    parts: list[tuple[int, int]] = []
    cursor = start
    for m in pattern.finditer(text, start, end):
        if m.end() > cursor:
            parts.append((cursor, m.end()))
            cursor = m.end()
    if cursor < end:
        parts.append((cursor, end))
    result: list[tuple[int, int]] = []
    for s, e in parts:
        s, e = _strip_span(text, s, e)
        if s >= e:
            continue
        if e - s <= max_chars:
            result.append((s, e))
        elif pattern is _SENTENCE_END:
            result.extend(_pack_plain(_split(text, s, e, _CLAUSE_END, max_chars), max_chars))
        else:
            result.extend((i, min(i + max_chars, e)) for i in range(s, e, max_chars))
    return result


def _pack_plain(parts: list[tuple[int, int]], max_chars: int) -> list[tuple[int, int]]:
    """Join adjacent parts while the joined span stays within ``max_chars``."""
    packed: list[tuple[int, int]] = []
    for s, e in parts:
        if packed and e - packed[-1][0] <= max_chars:
            packed[-1] = (packed[-1][0], e)
        else:
            packed.append((s, e))
    return packed


def _drop_bare_heading(
    text: str, pieces: list[tuple[int, int, bool]], section: Section, leaf: bool
) -> list[tuple[int, int, bool]]:
    """Remove a piece that is only the section's heading line (it lives in the path already).

    A leaf section whose one line is a whole sentence (``3．发挥考核作用，落实奖惩制度。``) keeps it:
    that line is the item's content, and its heading in the path is cut to a readable length.
    """
    if pieces and len(pieces) == 1:
        start, end, _ = pieces[0]
        if start == section.start and end - start <= len(section.heading) + 2:
            if leaf and _SENTENCE_END.search(text[start:end].rstrip()[-1:]):
                return pieces
            return []
    return pieces


def _pack(
    text: str, pieces: list[tuple[int, int, bool]], max_chars: int, min_chars: int
) -> list[tuple[int, int]]:
    """Pack consecutive pieces into chunks near ``TARGET_CHARS`` (never over ``max_chars``)."""
    chunks: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for start, end, _ends_par in pieces:
        if current is None:
            current = (start, end)
            continue
        joined = end - current[0]
        size = current[1] - current[0]
        if joined <= max_chars and (size < min_chars or joined <= TARGET_CHARS):
            current = (current[0], end)
        else:
            chunks.append(current)
            current = (start, end)
    if current is not None:
        chunks.append(current)
    # A short last chunk joins the previous one when the two still fit.
    if len(chunks) >= 2 and chunks[-1][1] - chunks[-1][0] < min_chars and chunks[-1][1] - chunks[-2][0] <= max_chars:
        last = chunks.pop()
        chunks[-1] = (chunks[-1][0], last[1])
    return chunks


def _row_span(table: Table, row: TableRow, text_len: int) -> tuple[int, int]:
    """Offsets of a row in the text; the table's span when the row was not located."""
    if 0 <= row.start < row.end <= text_len:
        return row.start, row.end
    if 0 <= table.start < table.end <= text_len:
        return table.start, table.end
    return -1, -1


def _path_at(sections: list[Section], offset: int) -> list[str]:
    """Section path at an offset ([] before the first heading or when unknown)."""
    if offset < 0:
        return []
    section = section_at(sections, offset)
    return list(section.path) if section else []

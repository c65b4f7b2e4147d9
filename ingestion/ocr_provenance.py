"""Carry OCR provenance from the reader's lines to the chunks and target rows of the cleaned text.

The reader knows, for each OCR'd page, every line and each character's confidence; the pipeline's
chunks and targets point into the cleaned text, where lines were joined, page numbers and running
headers dropped and spaces removed. Cleaning never changes the characters it keeps (and OCR text is
never NFKC'd), so each OCR line is found again in the cleaned text with whitespace ignored, searching
forward from where its page starts; a line that cleaning dropped is simply not found.

Then every chunk and target on an OCR'd page is marked ``ocr=True`` with its lowest character
confidence, and a target whose value (as written, e.g. ``90%以上``) was read with a confidence under
the threshold is dropped: its sentence stays in the chunks (searchable, quotable), but no number that
OCR may have misread becomes a target row.
"""

from __future__ import annotations

import bisect
import logging

from ingestion.raw import RawDocument
from ingestion.schema import ParsedDocument, Target

logger = logging.getLogger(__name__)

# A line is looked for this many (non-space) characters past the previous one at most, so a short line
# cannot match far away; cleaning drops at most a few short lines (page numbers, headers) in between.
_WINDOW = 400
# The dash of a range (20—35名) is read with low confidence as often as not, and which dash it is does
# not change the value: it does not count towards a value's confidence.
_RANGE_MARKS = frozenset("—–-－~～")


def confidence_map(raw: RawDocument, text: str, page_starts: dict[int, int]) -> list[float | None]:
    """Per character of the cleaned ``text``: its OCR confidence, None where it did not come from OCR.

    Args:
        raw: The reader's document, with ``ocr_pages``.
        text: The cleaned text.
        page_starts: Offset in ``text`` where each page starts (pages the cleaning could place).
    """
    values: list[float | None] = [None] * len(text)
    positions = [i for i, ch in enumerate(text) if not ch.isspace()]
    squashed = "".join(text[i] for i in positions)
    cursor = 0
    for page in sorted(raw.ocr_pages, key=lambda p: p.page):
        start = page_starts.get(page.page)
        anchored = start is not None
        if start is not None:
            cursor = max(cursor, bisect.bisect_left(positions, start))
        for line in page.lines:
            chars = [(ch, line.confidence_at(k)) for k, ch in enumerate(line.text) if not ch.isspace()]
            if not chars:
                continue
            needle = "".join(ch for ch, _ in chars)
            # Where the cleaning could not place the page, its first long line is looked for anywhere after.
            if not anchored and len(needle) < 6:
                continue
            limit = cursor + _WINDOW + len(needle) if anchored else len(squashed)
            at = squashed.find(needle, cursor, limit)
            if at < 0:
                continue
            anchored = True
            for k, (_, conf) in enumerate(chars):
                values[positions[at + k]] = conf
            cursor = at + len(needle)
    return values


def _lowest(values: list[float | None], start: int, end: int, text: str = "") -> float | None:
    """Lowest known confidence in [start, end); with ``text``, range dashes there do not count."""
    known = [
        v
        for i in range(max(0, start), max(0, end))
        if (v := values[i]) is not None and not (text and text[i] in _RANGE_MARKS)
    ]
    return min(known) if known else None


def _value_span(target: Target) -> tuple[int, int]:
    """Offsets of the target's value as written inside its quote (the whole quote when not found)."""
    written = target.value_text.strip()
    at = target.quote.find(written) if written else -1
    if at < 0:
        return target.start, target.end
    return target.start + at, target.start + at + len(written)


def mark_ocr(doc: ParsedDocument, raw: RawDocument, min_confidence: float) -> list[str]:
    """Mark chunks and targets that came from OCR, drop targets whose value is under ``min_confidence``.

    Sets ``doc.ocr_pages``; returns warnings for the document (how many target rows were held back).
    """
    ocr_pages = {p.page for p in raw.ocr_pages}
    doc.ocr_pages = sorted(ocr_pages)
    if not ocr_pages:
        return []
    page_starts = {span.page: span.start for span in doc.pages}
    values = confidence_map(raw, doc.text, page_starts)

    for chunk in doc.chunks:
        lowest = _lowest(values, chunk.start, chunk.end)
        if lowest is not None or chunk.page in ocr_pages:
            chunk.ocr = True
            chunk.ocr_confidence = lowest

    kept: list[Target] = []
    held: list[Target] = []
    for target in doc.targets:
        start, end = _value_span(target)
        lowest = _lowest(values, start, end, doc.text)
        if lowest is None and target.page not in ocr_pages:
            kept.append(target)
            continue
        target.ocr = True
        target.ocr_confidence = lowest
        if lowest is not None and lowest < min_confidence:
            held.append(target)
            continue
        kept.append(target)
    doc.targets = kept
    if not held:
        return []
    for target in held:
        logger.info(
            "%s: target %r (%s) held back, OCR confidence %.2f",
            doc.source,
            target.indicator,
            target.value_text,
            target.ocr_confidence or 0.0,
        )
    shown = "、".join(dict.fromkeys(t.value_text for t in held[:5]))
    more = f"等 {len(held)} 个" if len(held) > 5 else ""
    return [
        f"扫描页上有 {len(held)} 个指标数字（{shown}{more}）OCR 识别置信度低，未列入指标表，原文仍可检索："
        "请核对原文，必要时在指标修订文件中补录。"
    ]

"""Turn answers, citations and target rows into safe HTML and plain text for the web UI.

Everything that comes from a document (quotes, passages, titles, even the answer text, which is
made of quotes) is shown as *text*: ``neutralize`` turns every ASCII punctuation character into a
numeric HTML entity, so neither the browser (``<script>``, ``<img onerror>``), nor the Markdown
renderer of the chat (``**``, ``[x](y)``, ``#``, ``|`` tables, autolinks), nor KaTeX (``$``), nor
Gradio's HTML templates (``${}``, ``{{}}``) can read it as markup. Only the tags this module writes
itself are markup, and the HTML it returns never contains a blank line, so Markdown treats the
whole message as one raw HTML block and leaves it alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.schema import Answer, Citation, SearchHit
from ingestion.schema import Target
from ingestion.text.normalize import nfkc, squash
from ui import labels as L

# Characters that mean something to HTML, Markdown, KaTeX or template engines: all ASCII punctuation.
_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_MARKER = re.compile(r"\[(\d{1,3})\]")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d{1,2}[.)、])\s+")
_HEADING = re.compile(r"^\s*#{1,6}\s+")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
# Sentence ends used to widen a quote to its passage: Chinese and ASCII stops, and line breaks.
_SENTENCE_END = "。！？；\n"
# Nearest passages longer than this show a preview and open to the full text.
HIT_PREVIEW_CHARS = 180


def neutralize(text: str) -> str:
    """Escape ``text`` for HTML and Markdown at once, keeping line breaks as ``<br>``.

    Example: ``"<b>**9%**</b>"`` becomes ``"&#60;b&#62;&#42;&#42;9&#37;&#42;&#42;&#60;&#47;b&#62;"``,
    which a browser displays as the original characters and no renderer reads as markup.
    """
    out: list[str] = []
    for ch in text.replace("\r\n", "\n").replace("\r", "\n"):
        if ch in _PUNCT:
            out.append(f"&#{ord(ch)};")
        elif ch == "\n":
            out.append("<br>")
        elif ch == "\t":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\u200d":
            # Control and format characters (bidi overrides, zero-width joiners used for tricks).
            continue
        else:
            out.append(ch)
    return "".join(out)


def _inline(text: str) -> str:
    """Neutralized text with the answer's own ``[n]`` markers and ``**bold**`` kept as markup."""
    parts: list[str] = []
    pos = 0
    for m in _BOLD.finditer(text):
        parts.append(_markers(text[pos : m.start()]))
        parts.append(f"<strong>{_markers(m.group(1))}</strong>")
        pos = m.end()
    parts.append(_markers(text[pos:]))
    return "".join(parts)


def _markers(text: str) -> str:
    parts: list[str] = []
    pos = 0
    for m in _MARKER.finditer(text):
        parts.append(neutralize(text[pos : m.start()]))
        n = m.group(1)
        # A link to its source card (ui/script.js scrolls to it within the same answer and highlights it).
        parts.append(
            f'<sup class="pa-ref" data-ref="{n}" role="link" tabindex="0" title="{neutralize(L.JUMP_TO_SOURCE)}">'
            f"&#91;{n}&#93;</sup>"
        )
        pos = m.end()
    parts.append(neutralize(text[pos:]))
    return "".join(parts)


def _table_cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def render_answer_text(text: str) -> str:
    """The answer body as safe HTML: paragraphs, bullet lists, simple pipe tables, bold and [n] markers.

    The answer is built from document quotes, so every character of it is neutralized; only the
    small Markdown subset an answer composer writes (bullets, ``**``, tables, headings) is
    recognised, and only structurally, never by passing text through a Markdown renderer.
    """
    lines = text.replace("\r\n", "\n").split("\n")
    html: list[str] = []
    in_list = False
    i = 0
    while i < len(lines):
        line = lines[i]
        is_table = line.strip().startswith("|") and line.strip().endswith("|") and len(line.strip()) > 1
        if is_table:
            if in_list:
                html.append("</ul>")
                in_list = False
            block: list[str] = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                block.append(lines[i])
                i += 1
            html.append(_render_table(block))
            continue
        bullet = _BULLET.match(line)
        if bullet:
            if not in_list:
                html.append('<ul class="pa-list">')
                in_list = True
            html.append(f"<li>{_inline(line[bullet.end() :])}</li>")
        else:
            if in_list:
                html.append("</ul>")
                in_list = False
            if not line.strip():
                pass
            elif _HEADING.match(line):
                html.append(f'<p class="pa-h"><strong>{_inline(_HEADING.sub("", line))}</strong></p>')
            else:
                html.append(f"<p>{_inline(line)}</p>")
        i += 1
    if in_list:
        html.append("</ul>")
    return "".join(html)


def _render_table(block: list[str]) -> str:
    rows = [b for b in block if not _TABLE_SEP.match(b)]
    if not rows:
        return ""
    head, *body = rows
    out = ['<div class="pa-table-wrap"><table class="pa-table"><thead><tr>']
    out.extend(f"<th>{_inline(c)}</th>" for c in _table_cells(head))
    out.append("</tr></thead><tbody>")
    for row in body:
        out.append("<tr>")
        out.extend(f"<td>{_inline(c)}</td>" for c in _table_cells(row))
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


# ---- passages --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Passage:
    """A quote with the text around it, for expanding a citation to its context."""

    before: str
    quote: str
    after: str

    @property
    def found(self) -> bool:
        """Whether the quote was located in the document (otherwise only ``quote`` is set)."""
        return bool(self.before or self.after)


def locate(text: str, quote: str, start: int = -1, end: int = -1) -> tuple[int, int] | None:
    """Where ``quote`` stands in ``text``: the given offsets when they match, else a search.

    Offsets are trusted when they point at the quote; otherwise the quote is searched exactly,
    then with whitespace removed and NFKC applied on both sides (full-width forms), since an
    answer composer may have tidied the quote.
    """
    if not text or not quote:
        return None
    if 0 <= start < end <= len(text) and squash(text[start:end]) == squash(quote):
        return start, end
    i = text.find(quote)
    if i >= 0:
        return i, i + len(quote)
    if 0 <= start < end <= len(text):
        return start, end
    # Fuzzy: map each kept character of the squashed text back to its offset.
    kept: list[int] = []
    squashed: list[str] = []
    for pos, ch in enumerate(text):
        n = nfkc(ch)
        for c in n:
            if not c.isspace():
                kept.append(pos)
                squashed.append(c)
    target = squash(quote)
    j = "".join(squashed).find(target) if target else -1
    if j < 0:
        return None
    return kept[j], kept[j + len(target) - 1] + 1


def passage(text: str, quote: str, start: int = -1, end: int = -1, radius: int = 160) -> Passage:
    """The quote with the whole sentences (or table rows) that fit within ``radius`` characters either side.

    At least the neighbouring sentence on each side is shown when it is not much longer than
    ``radius``; a longer one is cut, and the cut is marked with an ellipsis.
    """
    span = locate(text, quote, start, end)
    if span is None:
        return Passage("", quote, "")
    s, e = span
    lo, cut_lo = _start_before(text, s, radius)
    hi, cut_hi = _end_after(text, e, radius)
    before = ("…" if cut_lo else "") + text[lo:s].lstrip()
    after = text[e:hi].rstrip() + ("…" if cut_hi else "")
    return Passage(before, text[s:e], after)


def _start_before(text: str, s: int, radius: int) -> tuple[int, bool]:
    j = s
    while j > 0 and text[j - 1].isspace():
        j -= 1
    if j == 0:
        return 0, False
    starts = [p for p in range(max(0, s - radius), j) if p == 0 or text[p - 1] in _SENTENCE_END]
    if starts:
        return starts[0], False
    starts = [p for p in range(max(0, s - 2 * radius), j) if p == 0 or text[p - 1] in _SENTENCE_END]
    if starts:
        return starts[-1], False
    return max(0, s - radius), True


def _end_after(text: str, e: int, radius: int) -> tuple[int, bool]:
    n = len(text)
    j = e
    while j < n and text[j].isspace():
        j += 1
    if j >= n:
        return n, False
    ends = [p + 1 for p in range(j, min(n, e + radius)) if text[p] in _SENTENCE_END]
    if ends:
        return ends[-1], False
    ends = [p + 1 for p in range(j, min(n, e + 2 * radius)) if text[p] in _SENTENCE_END]
    if ends:
        return ends[0], False
    return min(n, e + radius), e + radius < n


# ---- cards -----------------------------------------------------------------------------------


def _source_head(n: int | None, title: str, section: str, page: int | None, region: str = "") -> str:
    parts = [f'<span class="pa-src-title">{neutralize(title or L.TITLE_NONE)}</span>']
    if region:
        parts.append(f'<span class="pa-src-region">{neutralize(region)}</span>')
    parts.append(f'<span class="pa-src-section">{neutralize(section or L.SECTION_NONE)}</span>')
    if page is not None:
        parts.append(f'<span class="pa-src-page">{neutralize(L.PAGE.format(page=page))}</span>')
    num = f'<span class="pa-src-n">&#91;{n}&#93;</span> ' if n is not None else ""
    return f'<div class="pa-src-head">{num}{" · ".join(parts)}</div>'


def ocr_mark(ocr: bool, confidence: float | None, page: int | None) -> str:
    """The mark of a passage read by OCR from a scanned page (``扫描件识别 · 第3页 · 置信度 0.91，请核对原文``).

    Empty for text that came from a text layer: the mark tells the reader which quotes to check
    against the original page, because a misread digit is a wrong figure.
    """
    if not ocr:
        return ""
    parts = [L.OCR_MARK]
    if page is not None:
        parts.append(L.PAGE.format(page=page))
    if confidence is not None:
        parts.append(L.OCR_CONFIDENCE.format(confidence=confidence))
    text = " · ".join(parts) + "，" + L.OCR_CHECK
    return f'<div class="pa-ocr" role="note">{neutralize(text)}</div>'


def _context_block(ctx: Passage) -> str:
    if not ctx.found:
        return ""
    body = f"{neutralize(ctx.before)}<mark>{neutralize(ctx.quote)}</mark>{neutralize(ctx.after)}"
    return (
        f'<details class="pa-context"><summary>{neutralize(L.EXPAND_CONTEXT)}</summary>'
        f'<div class="pa-context-text">{body}</div></details>'
    )


def render_citation(c: Citation, ctx: Passage | None = None, cells: str = "") -> str:
    """One source card: number, title, section, page, the quote, and the expandable passage.

    ``cells`` is the safe HTML of a table cell's header and row (``ui.cells.render_cells``), shown
    above the bare row of numbers the quote is.
    """
    ctx = ctx or Passage("", c.quote, "")
    return (
        f'<div class="pa-source" id="pa-cite-{c.n}" data-n="{c.n}">'
        f"{_source_head(c.n, c.title or c.source, c.section, c.page, c.region)}"
        f"{ocr_mark(c.ocr, c.ocr_confidence, c.page)}{cells}"
        f'<blockquote class="pa-quote">{neutralize(c.quote)}</blockquote>'
        f"{_context_block(ctx)}</div>"
    )


def render_hit(hit: SearchHit) -> str:
    """A nearest passage shown when no answer was found."""
    head = _source_head(None, hit.title or hit.source, hit.section, hit.page, hit.region)
    text = hit.text.strip()
    if len(text) <= HIT_PREVIEW_CHARS:
        body = f'<blockquote class="pa-quote">{neutralize(text)}</blockquote>'
    else:
        # Long passages (whole tables) open on demand so the nearest passages stay scannable.
        body = (
            f'<blockquote class="pa-quote">{neutralize(text[:HIT_PREVIEW_CHARS])}…</blockquote>'
            f'<details class="pa-context"><summary>{neutralize(L.EXPAND_FULL)}</summary>'
            f'<div class="pa-context-text">{neutralize(text)}</div></details>'
        )
    mark = ocr_mark(hit.ocr, hit.ocr_confidence, hit.page)
    return f'<div class="pa-source pa-hit">{head}{mark}{body}</div>'


def citation_context(c: Citation, text: str | None, start: int = -1, end: int = -1) -> Passage:
    """The passage around a citation, cut from the document ``text`` when given, else from the citation's own context.

    The document text gives a passage of even size around the quote; the composer's context
    (which may be a whole chunk) is the fallback when the text is not available.
    """
    if text:
        p = passage(text, c.quote, start, end)
        if p.found:
            return p
    if c.context:
        p = passage(c.context, c.quote)
        if p.found:
            return p
    return Passage("", c.quote, "")


def _adds_context(question: str, resolved: str) -> bool:
    """Whether the resolved question carries words from earlier turns (at least two new CJK characters)."""
    asked = set(nfkc(question))
    new = {ch for ch in nfkc(resolved) if "\u4e00" <= ch <= "\u9fff" and ch not in asked}
    return len(new) >= 2


def render_answer(
    answer: Answer,
    contexts: dict[int, Passage] | None = None,
    follow_up: bool = False,
    cells: dict[int, str] | None = None,
) -> str:
    """The full chat message for an answer: body with [n] markers, then its sources (or nearest passages).

    ``follow_up`` shows how the question was understood with the earlier turns (``那2023年呢？``);
    ``cells`` holds, per citation number, the rendered header and row of a cited table cell.
    """
    contexts = contexts or {}
    cells = cells or {}
    out: list[str] = ['<div class="pa-answer">']
    if answer.status == "not_found":
        out.append(f'<div class="pa-notfound"><strong>{neutralize(L.NOT_FOUND_TITLE)}</strong></div>')
    if follow_up and _adds_context(answer.question, answer.resolved_question):
        out.append(
            f'<div class="pa-resolved">{neutralize(L.RESOLVED_AS.format(question=answer.resolved_question))}</div>'
        )
    body = answer.answer.strip() or (render_not_found_body(answer) if answer.status == "not_found" else "")
    out.append(f'<div class="pa-body">{render_answer_text(body)}</div>')
    for note in answer.notes:
        out.append(f'<div class="pa-note">{neutralize(L.LLM_NOTE.format(note=note))}</div>')
    if answer.citations:
        out.append(f'<div class="pa-sources"><div class="pa-sources-title">{neutralize(L.SOURCES_TITLE)}</div>')
        out.extend(render_citation(c, contexts.get(c.n), cells.get(c.n, "")) for c in answer.citations)
        out.append("</div>")
    if answer.status == "not_found":
        if answer.suggestions:
            out.append(f'<div class="pa-sources"><div class="pa-sources-title">{neutralize(L.NEAREST_TITLE)}</div>')
            out.extend(render_hit(h) for h in answer.suggestions)
            out.append("</div>")
        elif not answer.citations:
            out.append(f'<div class="pa-note">{neutralize(L.NOT_FOUND_NO_SUGGESTIONS)}</div>')
    out.append("</div>")
    return "".join(out)


def render_not_found_body(answer: Answer) -> str:
    """Default answer text when a not-found answer comes with an empty body."""
    return L.NOT_FOUND_BODY if answer.suggestions else L.NOT_FOUND_NO_SUGGESTIONS


def answer_copy_text(answer: Answer) -> str:
    """The answer with its numbered sources as plain text, for pasting into a document or a chat."""
    lines = [_BOLD.sub(r"\1", answer.answer.strip())]
    if answer.citations:
        lines.append("")
        lines.append(L.COPY_SOURCES)
        for c in answer.citations:
            where = "，".join(x for x in (c.title or c.source, c.section) if x)
            lines.append(f"[{c.n}] {where}：{L.COPY_QUOTE.format(quote=c.quote.strip())}")
    elif answer.status == "not_found" and answer.suggestions:
        lines.append("")
        lines.append(L.NEAREST_TITLE + "：")
        for h in answer.suggestions:
            where = "，".join(x for x in (h.title or h.source, h.section) if x)
            lines.append(f"- {where}：{L.COPY_QUOTE.format(quote=h.text.strip())}")
    return "\n".join(lines)


def render_target_detail(t: Target, text: str | None) -> str:
    """The source card of one target row, with its quote and the expandable passage."""
    ctx = passage(text, t.quote, t.start, t.end) if text else Passage("", t.quote, "")
    section = t.table_title or t.section
    facts = [x for x in (t.region, t.scope, t.indicator, t.value_text, t.year) if x]
    return (
        f'<div class="pa-source pa-target-detail">'
        f'<div class="pa-sources-title">{neutralize(L.T_DETAIL_TITLE)}</div>'
        f'<div class="pa-facts">{neutralize(" · ".join(facts))}</div>'
        f"{_source_head(None, t.title or t.source, section, t.page)}"
        f"{ocr_mark(t.ocr, t.ocr_confidence, t.page)}"
        f'<blockquote class="pa-quote">{neutralize(t.quote)}</blockquote>'
        f"{_context_block(ctx)}</div>"
    )


def render_message(text: str, cls: str = "pa-note") -> str:
    """A short notice (error, empty state) as safe HTML."""
    return f'<div class="{cls}">{neutralize(text)}</div>'


def render_lines(lines: Iterable[str]) -> str:
    """Several notices, one per line, as safe HTML."""
    return "".join(f"<div>{neutralize(x)}</div>" for x in lines)

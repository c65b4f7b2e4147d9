"""Clean the text a reader produced: page numbers, running headers, hard line breaks, stray spaces.

The rules look only at the shape of the text, never at particular strings of particular plans:

- **Table lines are untouchable.** Any line containing a tab (readers render table rows as cells joined by
  a tab), a non-tab line wedged directly under a tab line (a cell that wrapped), and a space-separated table
  row (a label followed by at least three numeric cells, see :func:`is_space_table_row`) are kept
  byte-identical and never joined to anything.
- **Page numbers** are lines such as ``—4—``, ``— 3 —``, ``- 5 -``, ``第 5 页``. A marker is read as a page
  *footer*: the text before it is page N and page N+1 starts right after it; the text before the first
  marker is the page that marker names. When two markers skip numbers (``— 3 —`` ... ``— 11 —``) and exactly
  as many lines between them start with a stray leading space right after a non-empty line (the trace a
  lost page break leaves in extracted text), those lines are taken as the missing page starts (the same is
  done backwards before the first marker); otherwise the missing pages are not guessed.
- **Running headers**: a short line that recurs within three lines of at least two page markers is dropped
  there (``中央和国务院相关文件``, a publisher line, a logo letter).
- **Hard line breaks**: a document whose prose lines cluster at one display width (CJK counts 2) was broken
  at a fixed width; a line of that width (within 6 columns either way) is joined to the next one unless it
  ends a sentence (``。！？``), the next line is a heading or a table line, or it is itself a heading.
  A line ending in a Latin letter or digit joined to one starting with either keeps a space between them,
  so numbers either side of the break do not merge (``76.34`` / ``2020 年`` stays ``76.34 2020年``).
  A heading (``一、`` ``（一）`` ``1．`` ``1、`` ``（1）`` ``第一章`` ``附件``) is joined to the next line only
  when it is a run-in heading: its heading sentence ended with ``。`` and body text fills the line. Lines of
  documents without a fixed width (one paragraph per line) are never joined.
- **Footnote markers** glued to a word (``服务能力 1的实施意见``: one or two digits after a space, between
  Chinese characters, not followed by a unit) are removed.
- **Stray spaces**: in prose, a single space between a Chinese character (or full-width punctuation) and a
  digit, Latin letter or ``%`` is removed (``到 2023 年底`` -> ``到2023年底``, ``3.5 名`` -> ``3.5名``);
  runs of spaces (layout gaps) and spaces between two Chinese characters stay. Lines that look like cells
  of a table header (no sentence punctuation, several short space-separated tokens, or several years) keep
  their spaces, because there a space separates cells.
- **Delimited cells**: a table a web page renders one cell per line, each cell ending with a delimiter
  (``2025年 |``, ``≥80|``, or a trailing tab), is turned into tab-joined rows (the form DOCX/PDF readers
  give, which the table reader reads): the header row is the leading run of header words of
  ``tables.toml`` and year columns (``序号 | 指标名称 | 单位 | 2023年 | … | 牵头单位 |``), its cell count
  is the row width, and the run must hold whole rows; otherwise the lines stay as they are.
- Leading/trailing blanks of prose lines are stripped; runs of blank lines collapse to one blank line.
- No NFKC here: quotes must look as the plan wrote them (normalise only for matching).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from ingestion.schema import PageSpan
from ingestion.text.rules import rules

_PAGE_MARK = re.compile(
    r"^\s*(?:[-—–－―‐]{1,2}\s*(\d{1,4})\s*[-—–－―‐]{1,2}|第\s*(\d{1,4})\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?)\s*$"
)
# Headings: 一、 （一） (一) 1． 1. 1、 （1） 第一章 第三条 附件; "1.5" or "2025" are not headings.
_HEADING = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百零〇\d]+[章节条部分篇]"
    r"|[一二三四五六七八九十]+[、．.]"
    r"|[（(]\s*[一二三四五六七八九十]+\s*[）)]"
    r"|\d{1,2}\s*[．.、](?!\d)"
    r"|[（(]\d{1,2}[）)]"
    r"|附\s*件)"
)
_SENT_END = re.compile(r"[。！？!?][”’」』）)]*\s*$")
_NUM_CELL = re.compile(r"^(?:[-+]?\d+(?:\.\d+)?%?|[-—–－/／])$")
_YEAR_TOKEN = re.compile(r"(?:19|20)\d{2}\s?年")
_CLAUSE_PUNCT = re.compile(r"[，。；！？：,;]")
_CJK = r"\u3400-\u9fff\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\u2018-\u201f"
_UNIT_START = "名人个张家所项处床天周次种台套辆倍间户例篇年岁万亿元月日号小分公平级类批期届型代"
_FOOTNOTE = re.compile(rf"(?<=[\u3400-\u9fff]) (\d{{1,2}})(?=[\u3400-\u9fff])(?![{_UNIT_START}])")
_SPACE_CJK_LEFT = re.compile(rf"(?<=[{_CJK}]) (?=[0-9A-Za-z%‰．.])")
_SPACE_CJK_RIGHT = re.compile(rf"(?<=[0-9A-Za-z%‰]) (?=[{_CJK}%‰])")
_DATE_SPACES = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# Running headers (and footers) are looked for among this many non-blank lines on each side of a page
# number: a reposted PDF prints a publisher line, a logo letter and a collection name there.
_HEADER_WINDOW = 3


@functools.cache
def _total_row() -> re.Pattern[str]:
    """A line that starts with a total-row label (合计 12 30 …; ingestion/text/rules/scope.toml)."""
    return re.compile(rf"^\s*(?:{rules().total_label_pattern()})\s")


def display_width(s: str) -> int:
    """Width of a line as printed: wide (CJK) characters count 2, others 1."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def is_page_marker(line: str) -> int | None:
    """Page number named by a page-number line (``—4—``, ``— 3 —``, ``第5页``), else None."""
    m = _PAGE_MARK.match(line)
    if not m:
        return None
    return int(m.group(1) or m.group(2))


def is_heading(line: str) -> bool:
    """Whether a line starts with a structure marker (一、 （一） 1． （1） 第一章 附件)."""
    return bool(_HEADING.match(line))


def split_space_row(line: str) -> tuple[str, list[str]] | None:
    """Split a space-separated table row into (label, cells); cells keep empty strings for empty cells.

    One space separates cells; every extra space is an empty cell (``连云区 9 16.14 5 3  1 2`` has an
    empty cell between 3 and 1). Trailing spaces are kept as trailing empty cells.
    """
    body = line.lstrip(" \u3000")
    if "\t" in line or not body:
        return None
    m = re.match(r"(\S+(?: \S+)*?) (?=[ \-+\d])", body)
    if not m:
        return None
    label = m.group(1)
    if _NUM_CELL.match(label) or not re.search(r"[\u3400-\u9fff]", label):
        return None
    cells = body[m.end() :].split(" ")
    return label, cells


def is_space_table_row(line: str, min_cells: int = 3) -> bool:
    """Whether a line is a flattened table row: a Chinese label, then >= min_cells numeric cells only.

    Rows of a table already started may have fewer filled cells (``乙县 5 6``): callers pass
    ``min_cells=1`` for a line that directly follows a table row.
    """
    parts = split_space_row(line)
    if parts is None:
        return False
    label, cells = parts
    if len(label) > 16 or _CLAUSE_PUNCT.search(label):
        return False
    filled = [c for c in cells if c]
    return len(filled) >= min_cells and all(_NUM_CELL.match(c) for c in filled)


_CELL_END = re.compile(r"^(.*?)\s*(?:\||\t)[ \t]*$")
_HEADER_YEAR = re.compile(r"^(?:19|20)\d{2}\s*年(?:目标值|目标|预期值|底)?$")
_MIN_DELIMITED_ROWS = 2  # a header and at least one body row


@functools.cache
def _table_header_words() -> frozenset[str]:
    r = rules()
    return frozenset(
        {*r.indicator_headers, *r.group_headers, *r.baseline_headers, *r.attribute_headers, *r.unit_headers,
         *r.lead_headers}
    )  # fmt: skip


def _delimited_cell(line: str) -> str | None:
    r"""The cell a line holds when it ends with a cell delimiter (``78.09 |``, ``市卫健局|``, ``2025年\t``)."""
    if "|" not in line and not line.endswith("\t"):
        return None
    m = _CELL_END.match(line)
    if m is None or "\t" in m.group(1) or "|" in m.group(1):
        return None
    return m.group(1).strip(" \u3000")


def delimited_rows(raw_lines: list[str]) -> list[str]:
    r"""The lines with every run of delimited cells (one per line) rewritten as tab-joined rows.

    ``序号 |`` ``指标名称 |`` ``2025年 |`` ``1 |`` ``白鹭指数 |`` ``≥80 |`` becomes ``序号\t指标名称\t2025年`` and
    ``1\t白鹭指数\t≥80``. The header is the leading run of table header words and year columns (at least
    two, one of them a year); a run whose cell count is not a whole number of rows is left alone.
    """
    out: list[str] = []
    i = 0
    n = len(raw_lines)
    while i < n:
        j = i
        cells: list[str] = []
        while j < n and (c := _delimited_cell(raw_lines[j])) is not None:
            cells.append(c)
            j += 1
        width = 0
        while width < len(cells) and (cells[width] in _table_header_words() or _HEADER_YEAR.match(cells[width])):
            width += 1
        whole = width >= 2 and len(cells) >= width * _MIN_DELIMITED_ROWS and len(cells) % width == 0
        if whole and any(_HEADER_YEAR.match(c) for c in cells[:width]):
            out.extend("\t".join(cells[k : k + width]) for k in range(0, len(cells), width))
        else:
            out.extend(raw_lines[i : max(j, i + 1)])  # the whole run as it was: never re-read from inside it
        i = max(j, i + 1)
    return out


def _is_cell_like(line: str) -> bool:
    """A line of a table header or similar layout: spaces there separate cells, so keep them."""
    s = line.strip()
    if not s or _CLAUSE_PUNCT.search(s):
        return False
    if len(_YEAR_TOKEN.findall(s)) >= 2:
        return True
    tokens = [t for t in s.split(" ") if t]
    return len(tokens) >= 3 and all(len(t) <= 8 for t in tokens)


@dataclass
class _Line:
    text: str
    kind: str  # "prose" | "table" | "cell"
    blank_before: bool
    raw_index: int
    lead_space: bool
    page_start: int | None = None  # page that starts at this line, when known


# No publication hard-wraps prose at under ten CJK characters (display width 20).
_MIN_WRAP_WIDTH = 20


def _fixed_width(lines: list[_Line]) -> int | None:
    """The width prose lines were broken at, or None when lines do not cluster at one width."""
    widths = [display_width(x.text) for x in lines if x.kind == "prose" and len(x.text) >= 4]
    if len(widths) < 8:
        return None
    counts = Counter(widths)
    mode, _ = counts.most_common(1)[0]
    near = sum(c for v, c in counts.items() if abs(v - mode) <= 4)
    if near < 0.4 * len(widths) or near < 5 or mode < _MIN_WRAP_WIDTH:
        return None  # short lines of one width are cells or labels (a table one cell per line), not a wrap
    return mode


def clean_text(raw: str) -> tuple[str, list[PageSpan]]:
    """Return the cleaned text and where each page of the original starts in it (see module docstring)."""
    text = raw.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    raw_lines = delimited_rows(text.split("\n"))

    markers: dict[int, int] = {}
    for i, line in enumerate(raw_lines):
        if "\t" in line:
            continue
        n = is_page_marker(line)
        if n is not None:
            markers[i] = n
    dropped = set(markers) | _running_headers(raw_lines, markers)

    lines: list[_Line] = []
    blank = False
    prev_raw_nonblank = ""
    prev_was_tab_adjacent = False
    for i, line in enumerate(raw_lines):
        if i in dropped:
            blank = blank or bool(lines and i in markers)
            continue
        if "\t" in line:
            lines.append(_Line(line, "table", blank, i, False))
            blank = False
            prev_raw_nonblank, prev_was_tab_adjacent = line, True
            continue
        if not line.strip():
            blank = True
            prev_was_tab_adjacent = False
            continue
        directly_after_tab = prev_was_tab_adjacent and not blank and "\t" in prev_raw_nonblank
        after_row = (
            bool(lines)
            and lines[-1].kind == "table"
            and "\t" not in lines[-1].text
            and not _total_row().match(lines[-1].text)
            and not is_heading(line)
        )
        if directly_after_tab or is_space_table_row(line, 1 if after_row else 3):
            lines.append(_Line(line, "table", blank, i, False))
            blank = False
            prev_raw_nonblank, prev_was_tab_adjacent = line, True
            continue
        lead = line[:1] in {" ", "\u3000"} and i > 0 and bool(raw_lines[i - 1].strip())
        kind = "cell" if _is_cell_like(line) else "prose"
        body = line.strip(" \u3000\u00a0")
        if kind == "cell":
            body = _DATE_SPACES.sub(r"\1年\2月\3日", body)
        lines.append(_Line(body, kind, blank, i, lead))
        blank = False
        prev_raw_nonblank, prev_was_tab_adjacent = line, False

    _assign_pages(lines, markers)
    width = _fixed_width(lines)
    return _assemble(lines, width)


def strip_page_furniture(raw: str) -> str:
    """The reader's text without page numbers and running headers, every other line as it was.

    Metadata is read from the reader's line layout (titles keep their lines apart); a running header such
    as ``中央和国务院相关文件`` on every page is never a title.
    """
    raw_lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    markers = {i: n for i, line in enumerate(raw_lines) if "\t" not in line and (n := is_page_marker(line)) is not None}
    dropped = set(markers) | _running_headers(raw_lines, markers)
    return "\n".join(line for i, line in enumerate(raw_lines) if i not in dropped)


def _running_headers(raw_lines: list[str], markers: dict[int, int]) -> set[int]:
    """Indices of short lines that recur right next to at least two page markers (running headers)."""
    if len(markers) < 2:
        return set()
    near: dict[str, list[int]] = {}
    for m in markers:
        for step in (-1, 1):
            j, seen = m + step, 0
            while 0 <= j < len(raw_lines) and seen < _HEADER_WINDOW:
                s = raw_lines[j].strip()
                if s and "\t" not in raw_lines[j]:
                    seen += 1
                    if len(s) <= 30 and not _CLAUSE_PUNCT.search(s) and j not in markers:
                        near.setdefault(s, []).append(j)
                j += step
    return {j for s, js in near.items() if len(set(js)) >= 2 for j in js}


def _assign_pages(lines: list[_Line], markers: dict[int, int]) -> None:
    """Mark the lines where pages start (see module docstring for the rule)."""
    if not markers or not lines:
        return
    order = sorted(markers.items())
    first_idx, first_no = order[0]
    # Page first_no + 1 (and following) start after each marker.
    for (m_idx, m_no), nxt in zip(order, [*order[1:], None], strict=True):
        after = [x for x in lines if x.raw_index > m_idx]
        if not after:
            continue
        after[0].page_start = m_no + 1
        if nxt is not None:
            n_idx, n_no = nxt
            gap = n_no - m_no - 1
            between = [x for x in after[1:] if x.raw_index < n_idx and x.lead_space]
            if gap > 0 and len(between) == gap:
                for k, x in enumerate(between):
                    x.page_start = m_no + 2 + k
    before = [x for x in lines if x.raw_index < first_idx]
    if not before:
        return
    cands = [x for x in before[1:] if x.lead_space]
    page = first_no
    for x in reversed(cands):
        if page <= 1:
            break
        x.page_start = page
        page -= 1
    if before[0].page_start is None:
        before[0].page_start = page


def _joinable(a: _Line, b: _Line, width: int | None) -> bool:
    if width is None or a.kind != "prose" or b.kind != "prose":
        return False
    if is_heading(b.text):
        return False
    if not width - 6 <= display_width(a.text) <= width + 6 or _SENT_END.search(a.text):
        return False
    if is_heading(a.text):
        # Run-in heading: the heading sentence ended and body text follows on the same line.
        return "。" in a.text[:-1]
    return True


def _fix_prose(s: str) -> str:
    s = _DATE_SPACES.sub(r"\1年\2月\3日", s)
    s = _FOOTNOTE.sub("", s)
    s = _SPACE_CJK_LEFT.sub("", s)
    return _SPACE_CJK_RIGHT.sub("", s)


def _assemble(lines: list[_Line], width: int | None) -> tuple[str, list[PageSpan]]:
    """Join the lines into paragraphs and build the cleaned text and page spans."""
    out: list[str] = []
    pages: list[PageSpan] = []
    pos = 0
    i = 0
    while i < len(lines):
        cur = lines[i]
        if out:
            sep = "\n\n" if cur.blank_before else "\n"
            out.append(sep)
            pos += len(sep)
        if cur.kind != "prose":
            if cur.page_start is not None:
                pages.append(PageSpan(page=cur.page_start, start=pos))
            out.append(cur.text)
            pos += len(cur.text)
            i += 1
            continue
        # Gather a paragraph of joined prose lines, remembering where each piece starts.
        pieces = [cur]
        while i + 1 < len(lines) and _joinable(pieces[-1], lines[i + 1], width):
            i += 1
            pieces.append(lines[i])
        para = ""
        starts: list[tuple[int, int]] = []
        for p in pieces:
            fixed_so_far = len(_fix_prose(para))
            if p.page_start is not None:
                starts.append((p.page_start, fixed_so_far))
            if para and para[-1].isascii() and para[-1].isalnum() and p.text[:1].isascii() and p.text[:1].isalnum():
                para += " "  # words and numbers either side of a line break stay apart (76.34 / 2020 年)
            para += p.text
        fixed = _fix_prose(para)
        for page, off in starts:
            pages.append(PageSpan(page=page, start=pos + min(off, len(fixed))))
        out.append(fixed)
        pos += len(fixed)
        i += 1
    pages.sort(key=lambda p: p.start)
    return "".join(out) + ("\n" if out else ""), pages

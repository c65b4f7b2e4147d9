"""Recover the heading hierarchy of a plan from its numbering markers.

Chinese plans number their headings with a few marker families: ``第一章``/``第一节``/``第三条``,
``一、``, ``（一）``, ``1．``/``1.``, ``1、``, ``（1）``, and start annexes with ``附件``. Which family
is which level differs between plans (some use ``1、`` at the top level, or even mix ``1、`` and
``三、`` in one top-level sequence), so levels are assigned by the order in which families first
appear, and a family that first shows up *continuing* the numbering of an open level joins that
level. A heading is accepted only when its number continues the sequence of its level (or of its
family, for plans that number ``1．``…``20．`` straight through several parents), which keeps
numbers in prose (``1所卫生院``), decimals (``1.5万元``), table rows and lists of annex titles out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingestion.schema import Section
from ingestion.text.normalize import nfkc

_CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
_CN_NUM = "零〇一二两三四五六七八九十百"
_MAX_NUMBER = 99
_HEADING_MAX_CHARS = 40
_ANNEX_LINE_MAX_CHARS = 80
# A table of contents lists its headings a line each: at most this many characters per heading on average.
_CONTENTS_MAX_CHARS_PER_ENTRY = 30
_CONTENTS_MIN_ENTRIES = 3
_TITLE_ENDINGS = ("表", "）", ")", "单", "案", "录", "划", "见", "法", "则")

# Marker families, matched on the NFKC form of a stripped line (NFKC turns （一） into (一) and 1． into 1.).
# Each pattern captures the number and leaves the heading text after the match.
_FAMILIES: list[tuple[str, re.Pattern[str]]] = [
    ("volume", re.compile(rf"^第([{_CN_NUM}]+|\d+)篇(?=\s|\S)")),
    ("chapter", re.compile(rf"^第([{_CN_NUM}]+|\d+)章(?=\s|\S)")),
    ("part", re.compile(rf"^第([{_CN_NUM}]+|\d+)部分")),
    ("section", re.compile(rf"^第([{_CN_NUM}]+|\d+)节")),
    ("article", re.compile(rf"^第([{_CN_NUM}]+|\d+)条")),
    ("cn_comma", re.compile(rf"^([{_CN_NUM}]+)\s*[、,.]")),
    ("cn_paren", re.compile(rf"^\(([{_CN_NUM}]+)\)")),
    # 1. / 1． but not a decimal such as 1.5 (NFKC maps ． to .).
    ("arabic_dot", re.compile(r"^(\d{1,2})\s*\.(?!\d)")),
    ("arabic_comma", re.compile(r"^(\d{1,2})\s*、")),
    ("arabic_paren", re.compile(r"^\((\d{1,2})\)")),
    ("circled", re.compile(r"^([\u2460-\u2473])")),
]

# 附件 / 附件1 / 附件 1： / 附件：三年行动方案… at the start of a short line.
_ANNEX = re.compile(rf"^附\s*件\s*([0-9{_CN_NUM}]*)\s*(?:[:：]|$|\s)")


_MARKUP = re.compile(r"^(?:#{1,6}\s+|\*\*)+")


@dataclass
class _Heading:
    """A heading line accepted by the scan, before spans are known."""

    start: int
    rank: int  # 0 for an annex, else the level
    text: str


def cn_number(token: str) -> int | None:
    """Value of a small number written in Arabic or Chinese numerals (``十二`` -> 12), else None.

    Examples: ``三`` -> 3, ``十`` -> 10, ``二十一`` -> 21, ``12`` -> 12.
    """
    if len(token) == 1 and "\u2460" <= token <= "\u2473":
        return ord(token) - 0x2460 + 1
    if token.isascii() and token.isdigit():
        return int(token)
    if not token or any(ch not in _CN_NUM for ch in token):
        return None
    total = 0
    current = 0
    for ch in token:
        if ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            current = _CN_DIGITS[ch]
    return total + current


def heading_text(line: str) -> str:
    """Short heading text: the line up to its first sentence end, cut to a readable length."""
    text = line.strip()
    for stop in ("。", "；"):
        cut = text.find(stop)
        if cut > 0:
            text = text[:cut]
    text = re.sub(r"\s+", " ", text)
    # Drop the space some plans put after the marker: "1、 指导思想" -> "1、指导思想".
    text = re.sub(r"^(\S{1,6}?[、．.)）])\s+", r"\1", text)
    if len(text) > _HEADING_MAX_CHARS:
        text = text[:_HEADING_MAX_CHARS].rstrip("，,：:、") + "…"
    return text


def _match_marker(norm: str) -> tuple[str, int, str] | None:
    """(family, number, rest of line) when a normalised line starts with a heading marker."""
    for family, pattern in _FAMILIES:
        m = pattern.match(norm)
        if not m:
            continue
        number = cn_number(m.group(1))
        if number is None or not 0 < number <= _MAX_NUMBER:
            return None
        return family, number, norm[m.end() :].strip()
    return None


def _plausible_heading_rest(rest: str) -> bool:
    """The text after a marker must start like a heading, not like a number (``1、2号楼``)."""
    return len(rest) >= 2 and not rest[0].isdigit()


def _annex_heading(lines: list[str], index: int, norm: str) -> str:
    """Heading of an annex: 附件N plus its title when the title stands on the next line(s)."""
    head = re.sub(r"\s+", "", norm)
    if not re.fullmatch(rf"附件[0-9{_CN_NUM}]*[:：]?", head):
        return heading_text(lines[index])
    label = head.rstrip(":：")
    title = ""
    for nxt in lines[index + 1 : index + 8]:
        candidate = nxt.strip()
        if not candidate:
            continue
        if "\t" in nxt or len(candidate) > _ANNEX_LINE_MAX_CHARS or "。" in candidate:
            break
        title += candidate
        if title.endswith(_TITLE_ENDINGS) or len(title) >= _HEADING_MAX_CHARS:
            break
    return f"{label} {heading_text(title)}" if title else label


def _strip_markup(line: str) -> str:
    """The line without surrounding spaces and Markdown heading/bold marks (``## **一、总体要求**``)."""
    stripped = _MARKUP.sub("", line.strip())
    return stripped.removesuffix("**").strip() if stripped != line.strip() else stripped


def looks_like_heading(line: str) -> bool:
    """Whether a line starts with a heading marker (``一、``, ``（一）``, ``1．``, ``第一章``, ``附件`` ...).

    Only the shape of the line is checked, not the numbering sequence that :func:`find_sections`
    also requires; used to stop title blocks and paragraphs at a heading.
    """
    norm = nfkc(_strip_markup(line))
    if not norm or "\t" in line:
        return False
    if _ANNEX.match(norm):
        return True
    found = _match_marker(norm)
    return found is not None and _plausible_heading_rest(found[2])


def find_sections(text: str) -> list[Section]:
    """Find the headings of a plan and the span each one governs.

    Args:
        text: Cleaned document text (headings are expected at line starts).

    Returns:
        Sections in document order; a section runs to the next heading of the same or a higher
        level (an annex, level 0, closes everything before it); ``path`` lists the headings from
        the top down.
    """
    lines = text.split("\n")
    offsets: list[int] = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1

    family_level: dict[str, int] = {}
    family_last: dict[str, int] = {}
    level_last: dict[int, int] = {}
    n_levels = 0
    headings: list[_Heading] = []

    for i, line in enumerate(lines):
        if "\t" in line:
            continue  # a table row
        stripped = _strip_markup(line)
        if not stripped:
            continue
        norm = nfkc(stripped)
        start = offsets[i] + (len(line) - len(line.lstrip()))

        if _ANNEX.match(norm) and len(stripped) <= _ANNEX_LINE_MAX_CHARS:
            headings.append(_Heading(start=start, rank=0, text=_annex_heading(lines, i, norm)))
            level_last.clear()  # an annex numbers its own headings from 1 again
            continue

        found = _match_marker(norm)
        if found is None:
            continue
        family, number, rest = found
        if not _plausible_heading_rest(rest):
            continue
        restarts_top = family_level.get(family) == 1 and family_last.get(family, 0) > 1
        if number == 1 and restarts_top and _is_contents(headings):
            # The headings so far were a table of contents; the body numbers them again from 1.
            family_level.clear()
            family_last.clear()
            level_last.clear()
            n_levels = 0
            headings = []

        level = family_level.get(family)
        if level is None:
            # A new family: it either continues an open level's numbering (1、2、 then 三、) or
            # opens a new, deeper level; a new deeper level must start at 1.
            alias = next(
                (lvl for lvl in sorted(level_last) if level_last[lvl] + 1 == number and number > 1),
                None,
            )
            if alias is not None:
                level = alias
            elif number == 1:
                level = n_levels + 1
            else:
                continue
        else:
            last = level_last.get(level)
            fam_last = family_last.get(family)
            ok = (
                (last is not None and number == last + 1)
                or (last is None and number == 1)
                or (last is None and fam_last is not None and number == fam_last + 1)
            )
            if not ok:
                continue

        if family not in family_level:
            family_level[family] = level
            n_levels = max(n_levels, level)
        level_last[level] = number
        family_last[family] = number
        for deeper in [lvl for lvl in level_last if lvl > level]:
            del level_last[deeper]
        headings.append(_Heading(start=start, rank=level, text=heading_text(stripped)))

    return _spans(headings, len(text))


def _is_contents(headings: list[_Heading]) -> bool:
    """Whether the headings accepted so far stand a line each, with no body between them (目录)."""
    if len(headings) < _CONTENTS_MIN_ENTRIES or any(h.rank == 0 for h in headings):
        return False
    span = headings[-1].start - headings[0].start
    return span <= _CONTENTS_MAX_CHARS_PER_ENTRY * (len(headings) - 1)


def _spans(headings: list[_Heading], text_len: int) -> list[Section]:
    """Turn accepted headings into sections with spans and paths."""
    sections: list[Section] = []
    stack: list[_Heading] = []
    for idx, head in enumerate(headings):
        end = text_len
        for later in headings[idx + 1 :]:
            if later.rank <= head.rank or later.rank == 0:
                end = later.start
                break
        if head.rank == 0:
            stack = [head]
        else:
            while stack and stack[-1].rank != 0 and stack[-1].rank >= head.rank:
                stack.pop()
            stack.append(head)
        sections.append(
            Section(
                heading=head.text,
                level=head.rank,
                path=[h.text for h in stack],
                start=head.start,
                end=end,
            )
        )
    return sections


def section_at(sections: list[Section], offset: int) -> Section | None:
    """The innermost section whose span contains ``offset``, or None before the first heading."""
    best: Section | None = None
    for section in sections:
        if section.start <= offset < section.end and (best is None or len(section.path) >= len(best.path)):
            best = section
    return best

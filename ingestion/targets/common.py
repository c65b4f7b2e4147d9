"""What both sources of target rows share: word lists from the rules, ids, section paths, scopes."""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass

from ingestion.schema import ParsedDocument, Section
from ingestion.text.rules import alternation, rules


def lead_strip_re(whole_area: str) -> re.Pattern[str]:
    """The pattern of leading words that are not part of an indicator (``whole_area``: 全市|全省…)."""
    # Leading words that are not the indicator: a separator, 到/至 before a year, years, halves,
    # 每年, 十四五期间, 力争/确保…, the whole-area words (全市…, from the rules) and 累计达到….
    return re.compile(
        r"^(?:[，、；：\s]|到(?=\d)|至(?=\d)|截至|按照|按|原则上|积极推进|积极|(?:19|20)\d{2}\s*[—–\-]?\s*(?:(?:19|20)\d{2})?\s*年(?:底|末)?(?:前)?"
        rf"|[上下]半年|每年|全年|“?十[一二三四五六七八九]五”?期间|力争|确保|努力|其中|{whole_area}|"
        r"累计达到|在此基础上|同时|均|进一步|，)+"
    )


@dataclass(frozen=True)
class Words:
    """The word lists extraction uses (ingestion/text/rules), with the patterns built from them."""

    measure_units: frozenset[str]
    count_units: frozenset[str]
    institutions: re.Pattern[str]
    lead_strip: re.Pattern[str]
    bound_words: tuple[tuple[str, str], ...]
    age_value_verbs: tuple[str, ...]
    condition_verbs: str
    bound_prefixes: tuple[str, ...]


@functools.cache
def words() -> Words:
    """The word lists of the rules as extraction uses them, built once."""
    r = rules()
    return Words(
        measure_units=frozenset(r.measure_units),
        count_units=frozenset(r.count_units),
        institutions=re.compile(alternation(sorted(r.institutions, key=len, reverse=True))),
        lead_strip=lead_strip_re(alternation(r.whole_area)),
        bound_words=r.bound_words,
        age_value_verbs=r.age_value_verbs,
        condition_verbs=alternation(r.duration_condition_verbs),
        bound_prefixes=tuple(sorted(r.before_number, key=len, reverse=True)),
    )


def target_id(doc_id: str, kind: str, start: int, where: object, indicator: str, value: float) -> str:
    """Deterministic id from the document, the row's offset, the quantity's place, indicator and value."""
    h = hashlib.sha1(f"{doc_id}|{kind}|{start}|{where}|{indicator}|{value}".encode()).hexdigest()[:12]
    return f"{doc_id}:{h}"


def section_path_at(sections: list[Section], offset: int) -> str:
    """The heading path of the section a text offset lies in ('' before the first heading)."""
    best: Section | None = None
    for s in sections:
        if s.start <= offset < s.end and (best is None or s.start >= best.start):
            best = s
    return " > ".join(best.path) if best else ""


def scope_of(text: str) -> str:
    """The kinds of institution a text names (乡镇卫生院、村卫生室), joined with 、."""
    found: list[str] = []
    for m in words().institutions.finditer(text):
        if m.group(0) not in found:
            found.append(m.group(0))
    return "、".join(found)


def issue_year(doc: ParsedDocument) -> str:
    """The year the plan was issued, else the first year of its period ('' when neither is known)."""
    if doc.meta.date[:4].isdigit():
        return doc.meta.date[:4]
    return doc.meta.period[:4] if doc.meta.period[:4].isdigit() else ""


def is_past(year: str, issued: str) -> bool:
    """Whether a value's year lies before the plan was issued: a status quo (baseline), never a target.

    ``2015年我国人均预期寿命已达76.34岁`` in a plan issued in 2016; a period (2023-2025), 每年 or '' never is.
    """
    return bool(issued) and len(year) == 4 and year.isdigit() and year < issued

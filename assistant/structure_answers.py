"""Explanations from a plan's structure: its tasks and safeguards as headings, a term by its definition.

``双提升方案主要有哪些任务？`` is answered with the headings under the plan's 工作任务 / 主要任务 section,
``X有哪些保障措施`` with those under 保障措施, and ``“X”是什么意思`` with the sentence that defines X
(``X是指…``, ``X：指…``, ``X包括…``, ``X（…）``), each line cited. A meaning question with no defining
sentence is answered "the plans do not say", not with loosely related passages.

Lists a plan states answer "which items" questions: ``要遵循哪几条原则`` by the items under a line like
``主要遵循以下原则：``, ``最少得开哪些科`` by a sentence enumerating items that hold the noun asked for, and
``以哪几方面为重点`` by an enumeration inside the question's own frame (以…为重点). ``在控烟上有什么要求`` is
answered by the opening of the section whose heading names the topic. Each citation carries the page and
OCR provenance of the chunk holding its quote.

A section asked for by name is answered from its place in the tree: ``组织保障分几个方面讲的`` by its sub-headings,
``战略目标分几步走？2020、2030年各要到啥程度`` by its sentences opening 到YYYY年 (one per year named), and
``X，哪些人不算在里面`` by the sentence using X that states its exception (…除外, （不含…）).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from assistant.schema import Answer, Citation
from assistant.shapes import (
    Shape,
    ShapeWords,
    classify,
    counted_items_shape,
    counted_term_shape,
    list_shape,
    numeral_forms,
    outline_shape,
    parts_subject,
    quoted_term_shape,
    repeated_shape,
    shape_words,
    topic_shape,
)
from assistant.understanding import Vocabulary, bigrams, parse_question
from ingestion.schema import Chunk, DocumentRecord, Section
from ingestion.sections import find_sections
from ingestion.text.normalize import nfkc

MSG_PARTS = "《{title}》的“{heading}”包括以下几方面："
MSG_PARTS_TOP = "《{title}》分为以下几部分："
MSG_FIRST_PARTS = "《{title}》的“{heading}”按原文顺序，排在最前面的几项是："
MSG_SECTION = "《{title}》“{heading}”部分原文："
MSG_DEFINITION = "《{title}》原文："
MSG_LIST = "《{title}》原文：{intro}"
MSG_REPEATED = "《{title}》中以“{term}”开头的并列表述如下："
MSG_TOPIC_SENTENCES = "《{title}》中有关“{term}”的原文："
MSG_OUTLINE = "《{title}》的“{heading}”分为以下各{unit}："
MSG_OUTLINE_MIDDLE = "《{title}》的“{heading}”中，首尾两{unit}之间的各{unit}为："
MSG_OUTLINE_TOP = "《{title}》分为以下各{unit}："
MSG_COUNTED_ITEMS = "《{title}》所说的{what}是：{items}[1]。\n原文："
MSG_QUOTED_ITEMS = "《{title}》所说的“{term}”是：{items}[1]。\n原文："
MSG_WHOLE_ENUMERATION = "《{title}》中含“{term}”的完整表述是：{items}[1]。\n原文："
MSG_NO_COUNTED_ITEMS = "现有规划文件中没有列出“{what}”具体是哪些。下面是与问题最相近的段落，供参考。"
MSG_NO_REGION_PLAN = (
    "现有规划文件中，没有{places}的规划（或覆盖{places}的规划）回答这个问题，其他地区的规划不代替{places}作答。"
    "下面是与问题最相近的段落，供参考。"
)
MSG_STAGES = "《{title}》的“{heading}”按年份的表述如下："
MSG_NO_DEFINITION = "现有规划文件中没有对“{term}”的解释。下面是与问题最相近的段落，供参考。"

# A heading's numbering: 三、 （一） 1． 第二章 第一节.
_MARKER = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇\d]+[章节篇条部分]|[（(]?[一二三四五六七八九十\d]+[)）]?[、．.]?)\s*"
)
# A part heading of a long plan: 第二篇 普及健康生活 (on a line of its own).
_PART_LINE = re.compile(r"^第[一二三四五六七八九十]+篇\s*\S.{0,30}$", re.MULTILINE)
_SENTENCE_END = "。；;！？!?\n"
_QUOTES_AFTER = "”\"」』’"
DOC_MIN_SCORE = 1.0
SHORT_DEFINITION = 40
MAX_CONTINUATIONS = 3
_PLAIN_HAN = re.compile(r"[\u4e00-\u9fff]+")
# An item line of a list: ——健康优先。 / 一是… / （一）… / 1.… / ①… / • …
_ITEM = re.compile(
    r"^\s*(?:—{1,2}|[一二三四五六七八九十]+是|\([一二三四五六七八九十\d]+\)|\d{1,2}[.、]|[\u2460-\u2473]|[•·])"
)
# An enumeration inside a sentence: 全科、内科、外科和中医科 (items of Han characters).
_ENUMERATION = re.compile(
    r"[\u4e00-\u9fff]{1,20}(?:、[\u4e00-\u9fff]{1,20})+(?:(?:以及|和|及|与)[\u4e00-\u9fff]{1,20})?"
)
_ENUM_SPLIT = re.compile(r"、|以及|和|及|与")
LIST_MIN_SUBJECT = 0.4  # share of the question's other words a list's sentence (or intro) must hold
LIST_MAX_DOCS = 40  # a list question that names no plan reads at most this many plans holding its noun
TOPIC_MAX_CHARS = 400
TOPIC_MAX_SENTENCES = 3  # a topic no heading names is answered by at most this many sentences
TOPIC_MAX_SENTENCE = 300  # a longer "sentence" is a table or a run-on extraction, not a statement
TOPIC_NEAR_START = 15  # a sentence naming the topic within this many characters of its start is about it
ENUM_MAX_SENTENCE = 100  # an enumeration in a longer sentence is quoted by its clause
LIST_CONTEXT_CHARS = 300
CONTEXT_DISCOUNT = 0.3  # a topic named only before a sentence, in its section, holds it less than the sentence
OUTLINE_MIN_SHARE = 0.75  # share of a heading's words (bigrams) the question must hold to name that section
OUTLINE_MIN_HEADING = 3
# A question naming a heading by an abbreviation (人员队伍建设细则 for 基层医务人员队伍建设实施细则) holds this many
# of its characters at least, in order and ending with the heading's own last two (its head noun).
OUTLINE_MIN_ABBREVIATION = 6
COUNTED_MAX_ITEM = 25  # an "item" longer than this is a clause, not a name


def abbreviation_length(core: str, text: str, openers: Sequence[str] = ()) -> int:
    """How many characters of ``core`` a run of ``text`` holds in order, ending with ``core``'s last two.

    Officials shorten titles by leaving words out: 人员队伍建设细则 stands for 基层医务人员队伍建设实施细则
    (8 characters, each found in order going back from 细则). The run must open the text, follow a character
    that is no Han character, or follow one of ``openers`` (那个, 那份): 智慧健康服务体系 abbreviates no heading
    建设健康信息化服务体系, its 智慧 being words the heading lacks. 0 when no run does.
    """
    if len(core) < 2:
        return 0
    best = 0
    for m in re.finditer(re.escape(core[-2:]), text):
        i, j, n = m.end() - 1, len(core) - 1, 0
        while i >= 0 and j >= 0:
            k = core.rfind(text[i], 0, j + 1)
            if k == -1:
                break
            n, i, j = n + 1, i - 1, k - 1
        opened = i < 0 or not _PLAIN_HAN.match(text[i]) or text[: i + 1].endswith(tuple(openers))
        if opened:
            best = max(best, n)
    return best


def heading_share(core: str, text: str, openers: Sequence[str] | None = None) -> float:
    """The share of a heading's words (bigrams) ``text`` holds; with ``openers``, an abbreviation of it names it too.

    A heading named by an abbreviation (``abbreviation_length`` of ``OUTLINE_MIN_ABBREVIATION`` or more) scores
    ``OUTLINE_MIN_SHARE``: named, but below a heading the text holds more of.
    """
    cb = bigrams(core)
    share = len(cb & bigrams(text)) / len(cb) if cb else 0.0
    if openers is None or share >= OUTLINE_MIN_SHARE:
        return share
    if abbreviation_length(nfkc(core), nfkc(text), openers) >= OUTLINE_MIN_ABBREVIATION:
        return OUTLINE_MIN_SHARE
    return share


def heading_core(heading: str) -> str:
    """A heading without its numbering and closing punctuation (三、工作任务 -> 工作任务)."""
    return _MARKER.sub("", nfkc(heading).strip()).strip(" 。.：:")


@dataclass(frozen=True)
class _Normalized:
    """A document's text in NFKC with the offset of each normalized character in the original."""

    text: str
    origin: tuple[int, ...]


def _normalize(text: str) -> _Normalized:
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        n = nfkc(ch) if not ch.isascii() else ch
        out.append(n)
        origin.extend([i] * len(n))
    return _Normalized("".join(out), tuple(origin))


class StructureAnswerer:
    """Answers structure questions from the documents' cleaned text and section tree."""

    def __init__(
        self,
        docs: dict[str, DocumentRecord],
        text_of: Callable[[str], str],
        words: ShapeWords | None = None,
        docs_containing: Callable[[str], set[str]] | None = None,
        chunks_of: Callable[[str], Sequence[Chunk]] | None = None,
    ) -> None:
        self.docs = docs
        self._chunks_of = lru_cache(maxsize=32)(chunks_of) if chunks_of is not None else None
        self._docs_containing = docs_containing
        self.words = words or shape_words()
        self._fillers = re.compile(f"[{re.escape(self.words.filler_chars)}]" if self.words.filler_chars else "(?!)")
        self._text_of = text_of
        self._sections = lru_cache(maxsize=32)(lambda d: find_sections(text_of(d)))
        self._norm = lru_cache(maxsize=32)(lambda d: _normalize(text_of(d)))
        df: dict[str, int] = {}
        self._doc_grams: dict[str, set[str]] = {}
        for d in docs.values():
            grams = bigrams(d.meta.title) | bigrams(d.meta.region)
            self._doc_grams[d.doc_id] = grams
            for g in grams:
                df[g] = df.get(g, 0) + 1
        n = len(docs)
        self._idf = {g: math.log((n + 1) / c) for g, c in df.items()}
        self._regions = Vocabulary.build(
            {r for d in docs.values() for r in (d.meta.region, d.meta.parent_region, *d.meta.basis_regions)}, ()
        )
        # A plan's name ends in its kind (某省方案, 纲要), so a section's shortened name may open right after it
        # (某省方案壮大基层人才队伍那部分), as after the openers of answer_shapes.toml.
        self._openers = (*self.words.outline_abbreviation_openers, *self.words.doc_kinds)

    # ---- entry point --------------------------------------------------------------------------

    def answer(self, question: str, allowed: set[str] | None) -> Answer | None:
        """An answer from the plans' structure, or None when the question is not of that shape.

        A question naming a region is answered from the plans of that region (or covering it); when only
        another region's plan would answer, it says so instead. A topic the region's plans name in sentences
        only (no heading) is left to the region's target rows, then to ``topic_sentences``.
        """
        scope = self._region_scope(question)
        if scope is None:
            return self._structure(question, allowed)
        places, covering = scope
        within = covering if allowed is None else covering & allowed
        found = self._structure(question, within) if within else None
        if found is not None and found.status == "answered":
            return found
        other = self._structure(question, allowed)
        if other is None or other.status != "answered":
            return found
        topic = topic_shape(question, self.words)
        if topic is not None and within and self._topic_sentences_of(question, topic, within) is not None:
            return None  # the region's plans speak of the topic: its rows first, then its sentences
        return self._no_region_plan(question, places)

    def _structure(self, question: str, allowed: set[str] | None) -> Answer | None:
        found = self._stages(question, allowed) or self._exception(question, allowed)
        if found is not None:
            return found
        found = self._counted_items(question, allowed)
        if found is not None:
            return found
        found = self._repeated(question, allowed)
        if found is not None:
            return found
        found = self._generic_parts(question, allowed)
        if found is not None:
            return found
        found = self._shaped(question, allowed)
        if found is not None:
            return found
        found = self._counted_term(question, allowed)
        if found is not None:
            return found
        found = self._topic_or_list(question, allowed) or self._outline(question, allowed)
        if found is None:
            found = self._section_items(question, allowed)
        if found is None:
            found = self._quoted_enumeration(question, allowed)
        if found is None:
            counted = counted_items_shape(question, self.words)
            if counted is not None:
                # 5家卫生院是哪几家 asks for names: a value of the 5家 (their rate) does not answer it.
                what = f"{counted.count}{counted.before}{counted.term}"
                return Answer(question=question, answer=MSG_NO_COUNTED_ITEMS.format(what=what), status="not_found")
        return found

    # ---- regions ------------------------------------------------------------------------------

    def _region_scope(self, question: str) -> tuple[tuple[str, ...], set[str]] | None:
        """The places a question names and the plans of them or covering them, or None when it names none.

        A plan is of a place when its region, its parent region or a basis region is the place; it covers a
        place its target tables break down by (a table row naming it: 县区：某县).
        """
        query = parse_question(question, self._regions)
        places = (*query.regions, *query.unknown_places)
        if not places:
            return None
        covering: set[str] = set()
        for place in places:
            covering |= self._covering(place)
        return places, covering

    def _covering(self, place: str) -> set[str]:
        out = {
            d.doc_id
            for d in self.docs.values()
            if place in (d.meta.region, d.meta.parent_region, *d.meta.basis_regions)
        }
        if self._docs_containing is not None:
            holding = self._docs_containing(place) & set(self.docs)
        else:
            holding = {d for d in self.docs if place in self._text_of(d)}
        for doc_id in sorted(holding - out):
            if self._chunks_of is None or any(
                c.kind == "table_row" and place in c.text for c in self._chunks_of(doc_id)
            ):
                out.add(doc_id)
        return out

    def _no_region_plan(self, question: str, places: Sequence[str]) -> Answer:
        return Answer(question=question, answer=MSG_NO_REGION_PLAN.format(places="、".join(places)), status="not_found")

    # ---- stages by year and exceptions of a term ----------------------------------------------

    def _pool(self, named: set[str] | None, allowed: set[str] | None) -> list[str]:
        """The plans a structure question reads: those it names, else every plan the answer may use."""
        return sorted(named) if named else sorted(d for d in self.docs if allowed is None or d in allowed)

    def _named_section(
        self, question: str, allowed: set[str] | None, *, abbreviated: bool = False
    ) -> tuple[str, Section] | None:
        """The section whose heading the question holds best, at least ``OUTLINE_MIN_SHARE`` of its words.

        Read in the plan the question names, else in every plan read. With ``abbreviated``, a heading the
        question shortens by leaving words out (壮大基层人才队伍 for 壮大基层医疗卫生人才队伍) names it too.
        """
        named = self.named_docs(question, allowed)
        pool = self._pool(named, allowed)
        if len(pool) > LIST_MAX_DOCS:
            return None
        openers = self._openers if abbreviated else None
        found: list[tuple[tuple[float, int], str, Section]] = []
        for doc_id in pool:
            for section in self._sections(doc_id):
                core = self._outline_core(section.heading)
                if len(core) < OUTLINE_MIN_HEADING or not bigrams(core):
                    continue
                share = heading_share(core, question, openers)
                if share >= OUTLINE_MIN_SHARE:
                    found.append(((share, len(core)), doc_id, section))
        if not found:
            return None
        _, doc_id, section = max(found, key=lambda x: x[0])
        return doc_id, section

    def _stages(self, question: str, allowed: set[str] | None) -> Answer | None:
        """战略目标分几步走？2020、2030年各要到啥程度: the named section's sentences opening 到YYYY年, one per year.

        Every year the question names must open a sentence of the section (the first one of that year is
        quoted); a question naming no year gets each year's first sentence, when there are two or more.
        """
        w = self.words
        q = nfkc(question)
        years = list(dict.fromkeys(re.findall(r"20\d{2}", q)))
        degree = len(years) >= MIN_STAGE_YEARS and any(a in q for a in w.stage_degree_asks)
        if not w.stage_lead or not (degree or any(a in q for a in w.stage_asks)):
            return None
        lead = re.compile(w.stage_lead)
        named = self._named_section(q, allowed)
        if named is None:
            return None
        doc_id, section = named
        norm = self._norm(doc_id)
        lo = bisect.bisect_left(norm.origin, section.start)
        hi = bisect.bisect_left(norm.origin, section.end)
        text = norm.text
        stages: dict[str, tuple[int, int]] = {}
        for pos in range(lo, hi):
            if pos > lo and text[pos - 1] not in _STAGE_STARTS:
                continue
            m = lead.match(text[pos : pos + STAGE_LEAD_CHARS])
            if m is None or m.group(1) in stages:
                continue
            end = pos
            while end < hi and text[end] not in _STAGE_ENDS and not (text[end] == "\n" and text[end - 1] in "：:"):
                end += 1
            stages[m.group(1)] = (pos, min(end + 1, hi))
        if years:
            if not all(y in stages for y in years):
                return None
            spans = [stages[y] for y in years]
        else:
            if len(stages) < 2:
                return None
            spans = sorted(stages.values())
        doc = self.docs[doc_id]
        lines: list[str] = []
        citations: list[Citation] = []
        for n, (start, end) in enumerate(spans, start=1):
            o_lo, o_hi = norm.origin[start], norm.origin[end - 1] + 1
            quote = self._text_of(doc_id)[o_lo:o_hi].strip()
            lines.append(f"- {marked(quote, n)}")
            citations.append(self._citation(doc, n, quote, self._path_at(doc_id, o_lo), o_lo))
        heading = self._outline_core(section.heading)
        answer = MSG_STAGES.format(title=doc.meta.title, heading=heading) + "\n" + "\n".join(lines)
        return Answer(question=question, answer=answer, status="answered", citations=citations)

    def _exception(self, question: str, allowed: set[str] | None) -> Answer | None:
        """基层医务人员，哪些人不算在里面: the sentence using the term that states its exception (…除外, （不含…）).

        The term is the question's clause before the ask (a named plan and the words joining it cut); a sentence
        defining the term (本细则所称X为…) is preferred to another one holding it with an exception.
        """
        w = self.words
        q = nfkc(question).strip().rstrip("？?。!！ ")
        ask = next((a for a in w.exception_asks if a in q), None)
        if ask is None or not any(x in q for x in w.which_words):
            return None
        before = q[: q.index(ask)]
        whiches = "|".join(map(re.escape, w.which_words))
        before = re.sub(rf"(?:{whiches})[\u4e00-\u9fff]{{0,2}}$", "", before).rstrip("，,、 ")
        clause = re.split(r"[，,]", before)[-1] if before else ""
        term = _cut_term(clause, w)
        if len(term) < 2:
            return None
        named = self.named_docs(before, allowed)
        pool = self._pool(named, allowed)
        if len(pool) > LIST_MAX_DOCS:
            return None
        found: list[tuple[tuple[int, int], str, int, int]] = []
        for rank, doc_id in enumerate(pool):
            text = self._norm(doc_id).text
            for m in re.finditer(re.escape(term), text):
                lo, hi = _statement_bounds(text, m.start())
                sentence = text[lo:hi]
                after = sentence[m.end() - lo :]
                if not any(x in after for x in w.exception_markers):
                    continue
                defines = any(x in sentence for x in w.exception_definers)
                found.append(((0 if defines else 1, rank), doc_id, lo, hi))
        if not found:
            return None
        _, doc_id, lo, hi = min(found, key=lambda x: (x[0], x[2]))
        norm = self._norm(doc_id)
        o_lo, o_hi = norm.origin[lo], norm.origin[hi - 1] + 1
        quote = self._text_of(doc_id)[o_lo:o_hi].strip()
        doc = self.docs[doc_id]
        citation = self._citation(doc, 1, quote, self._path_at(doc_id, o_lo), o_lo)
        answer = MSG_DEFINITION.format(title=doc.meta.title) + marked(quote, 1)
        return Answer(question=question, answer=answer, status="answered", citations=[citation])

    # ---- outlines and counted items -----------------------------------------------------------

    def _outline(self, question: str, allowed: set[str] | None) -> Answer | None:
        """实施细则分了哪几章 by the headings right under the section the question names, each cited.

        The section is the one whose heading (without numbering or an annex lead) the question holds best,
        at least ``OUTLINE_MIN_SHARE`` of its words; read in the plan the question names, else in every plan.
        """
        shape = outline_shape(question, self.words)
        if shape is None:
            return None
        named = self.named_docs(shape.rest, allowed)
        pool = self._pool(named, allowed)
        if len(pool) > LIST_MAX_DOCS:
            return None
        units = "|".join(map(re.escape, self.words.outline_numbered_units)) or "(?!)"
        number = re.search(rf"第[一二三四五六七八九十百零〇\d]+(?:{units})", nfkc(shape.rest))
        found: list[tuple[tuple[float, int], str, Section, list[Section]]] = []
        by_number: list[tuple[tuple[float, int], str, Section, list[Section]]] = []
        for doc_id in pool:
            sections = self._sections(doc_id)
            for section in sections:
                core = self._outline_core(section.heading)
                if len(core) < OUTLINE_MIN_HEADING:
                    continue
                share = heading_share(core, shape.rest, self._openers)
                numbered = number is not None and nfkc(section.heading).startswith(number.group(0))
                if share < OUTLINE_MIN_SHARE and not numbered:
                    continue
                children = self._outline_children(sections, section, shape)
                if not children:
                    continue
                if share >= OUTLINE_MIN_SHARE:
                    found.append(((share, len(core)), doc_id, section, children))
                else:
                    by_number.append(((0.0, 0), doc_id, section, children))
        if not found and len(by_number) == 1:
            found = by_number  # 第二篇包括哪几章: the one section numbered so (in the plan named, or in one plan)
        if not found:
            found = self._topic_division(shape, allowed)
        if not found:
            return self._plan_outline(question, shape, named)
        _, doc_id, section, children = max(found, key=lambda x: x[0])
        # No count in the lead: a number the cited headings do not hold would stand without a source.
        message = MSG_OUTLINE_MIDDLE if shape.middle else MSG_OUTLINE
        lead = message.format(title="{title}", heading="{heading}", unit=shape.term)
        return self._heading_list(question, doc_id, lead, self._outline_core(section.heading), children)

    def _topic_division(
        self, shape: Shape, allowed: set[str] | None
    ) -> list[tuple[tuple[float, int], str, Section, list[Section]]]:
        """讲环境的那一篇下面有哪些章: the one division of the unit named (篇) whose heading holds the topic (环境).

        The topic stands between a lead of ``[outline] topic_leads`` (讲, 关于) and the unit, joined by 的 / 那 / 一;
        a tail of ``[topics] tails`` (环境方面的那一篇) is cut. The plan is named by the question's other words (its
        topic may share words with another plan's title); one division at most may hold the topic: a topic several
        divisions hold names none of them.
        """
        w = self.words
        if not w.outline_topic_leads or not w.outline_numbered_units:
            return []
        leads = "|".join(map(re.escape, w.outline_topic_leads))
        units = "|".join(map(re.escape, w.outline_numbered_units))
        pattern = re.compile(rf"(?:{leads})([\u4e00-\u9fff]{{2,12}}?)的?(?:那|这)?一?个?({units})")
        out: list[tuple[tuple[float, int], str, Section, list[Section]]] = []
        rest = nfkc(shape.rest)
        for m in pattern.finditer(rest):
            topic, unit = m.group(1), m.group(2)
            pool = self._pool(self.named_docs(rest[: m.start()] + " " + rest[m.end() :], allowed), allowed)
            if len(pool) > LIST_MAX_DOCS:
                return []
            for tail in w.topic_tails:
                if topic.endswith(tail) and len(topic) - len(tail) >= 2:
                    topic = topic[: -len(tail)]
                    break
            marker = re.compile(rf"^第[一二三四五六七八九十百零〇\d]+{re.escape(unit)}")
            for doc_id in pool:
                sections = self._sections(doc_id)
                for section in sections:
                    if not marker.match(nfkc(section.heading)) or topic not in self._outline_core(section.heading):
                        continue
                    children = self._outline_children(sections, section, shape)
                    if not children:
                        continue
                    out.append(((OUTLINE_MIN_SHARE, len(topic)), doc_id, section, children))
            if out:
                break
        return out if len(out) == 1 else []

    def _section_items(self, question: str, allowed: set[str] | None) -> Answer | None:
        """职责分工那部分列了哪些部门 by the sub-headings of the section named before the "which" word.

        The items asked must be what the sub-headings are: a noun after the "which" word (部门) standing in most
        of them (发展改革部门, 财政部门 …), or no noun of its own (哪几项, 哪几块, 哪些方面). A count asked (哪三项)
        must be the number of sub-headings.
        """
        shape = list_shape(question, self.words)
        if shape is None or not shape.before.strip():
            return None
        noun = shape.term if shape.after and not shape.generic else ""
        named = self._named_section(shape.before, allowed, abbreviated=True)
        if named is None:
            return None
        doc_id, section = named
        children = self._divisions(self._sections(doc_id), section, "")
        if len(children) < 2 or (shape.count and len(children) != shape.count):
            return None
        if noun and sum(noun in heading_core(c.heading) for c in children) * 2 < len(children):
            return None
        core = self._outline_core(section.heading)
        return self._heading_list(question, doc_id, MSG_PARTS, core, children)

    def _plan_outline(self, question: str, shape: Shape, named: set[str] | None) -> Answer | None:
        """纲要分为哪几篇: a named plan's own top headings of the unit asked, when the question names only the plan."""
        if not named or len(named) != 1 or shape.term not in self.words.outline_numbered_units:
            return None
        doc_id = next(iter(named))
        rest = nfkc(shape.rest).strip()
        cut = True
        while cut:
            cut = False
            for verb in self.words.outline_verbs:
                if rest.endswith(verb) and len(rest) > len(verb):
                    rest, cut = rest[: -len(verb)], True
        rb = bigrams(rest)
        if not rb or len(rb & self._doc_grams[doc_id]) / len(rb) < OUTLINE_MIN_SHARE:
            return None  # the question names more than the plan: a section no heading matched
        sections = [s for s in self._sections(doc_id) if s.level > 0]
        if not sections:
            return None
        top = min(s.level for s in sections)
        unit = re.compile(rf"^第[一二三四五六七八九十百零〇\d]+{re.escape(shape.term)}")
        parts = [s for s in sections if s.level == top and unit.match(nfkc(s.heading))]
        if len(parts) < 2:
            return None
        doc = self.docs[doc_id]
        lead = MSG_OUTLINE_TOP.format(title="{title}", unit=shape.term)
        return self._heading_list(question, doc_id, lead, doc.meta.title, parts)

    def _outline_core(self, heading: str) -> str:
        core = heading_core(heading)
        for lead in self.words.outline_heading_leads:
            if core.startswith(lead):
                core = _MARKER.sub("", core[len(lead) :].lstrip(" \t：:")).strip()
                break
        return core

    def _outline_children(self, sections: Sequence[Section], section: Section, shape: Shape) -> list[Section]:
        """The divisions an outline question asks under ``section`` (the middle ones for 中间几章).

        [] when fewer than two stand there or their count is not the one asked.
        """
        children = self._divisions(sections, section, shape.term)
        if shape.middle:
            children = children[1:-1]
        if len(children) < 2 or (shape.count and len(children) != shape.count):
            return []
        return children

    def _divisions(self, sections: Sequence[Section], section: Section, unit: str) -> list[Section]:
        """The headings right under ``section``.

        Of the unit asked when headings number it (第N章), else the shallowest level below the section.
        """
        inner = [c for c in sections if section.start < c.start < section.end and c.level > section.level]
        if unit in self.words.outline_numbered_units:
            marker = re.compile(rf"^第[一二三四五六七八九十百零〇\d]+{re.escape(unit)}")
            numbered = [c for c in inner if marker.match(nfkc(c.heading))]
            if numbered:
                inner = numbered
        if not inner:
            return []
        top = min(c.level for c in inner)
        return [c for c in inner if c.level == top]

    def _counted_items(self, question: str, allowed: set[str] | None) -> Answer | None:
        """说的5家卫生院（中心）具体是哪几家 by the N items the plan lists with "N家卫生院（中心）", N agreeing.

        The items stand after the counted thing (5家卫生院为A、B、C、D 4家卫生院和E; 分三个阶段：A、B、C) or
        before it (A、B、C、D、E等5家卫生院; A、B、C三阶段), the measure word written or not; a count inside the
        list (4家卫生院) closes its items and is not one. A question naming a topic (医学人才培养培训体系分三个阶段)
        takes the statement whose sentence (or the text before it in its section) holds the topic best.
        """
        shape = counted_items_shape(question, self.words)
        if shape is None:
            return None
        counts = "|".join(re.escape(f) for f in numeral_forms(shape.count))
        pattern = re.compile(rf"(?:{counts})\s*(?:{re.escape(shape.before)})?\s*{re.escape(shape.term)}")
        for pool in self._pools(shape.rest, shape.term, allowed):
            best: tuple[float, Callable[[], Answer]] | None = None
            for doc_id in pool:
                text = self._norm(doc_id).text
                subject = self._subject_grams(shape.rest, doc_id)
                for m in pattern.finditer(text):
                    if m.start() > 0 and text[m.start() - 1].isdigit():
                        continue  # 15家 is not 5家
                    found = self._items_after(text, m.end(), shape.count) or self._items_before(
                        text, m.start(), shape.count
                    )
                    if found is None:
                        continue
                    lo, hi, items = found
                    lo, hi = min(lo, m.start()), max(hi, m.end())
                    score = self._subject_share(doc_id, subject, lo, hi)
                    if score >= LIST_MIN_SUBJECT and (best is None or score > best[0]):
                        build = functools.partial(self._counted_answer, question, doc_id, lo, hi, m, items)
                        best = (score, build)
            if best is not None:
                return best[1]()
        return None

    def _subject_grams(self, rest: str, doc_id: str) -> frozenset[str]:
        """The words (bigrams) a question names its topic by, besides the plan: 纲要里说医学人才培养培训体系分 -> 医学….

        Kinds of documents and the words joining a plan to what it says (说的, 提到的) are cut first, then the
        plan's own title and region words are left out; an empty set asks for no topic.
        """
        plain = nfkc(rest)
        for word in (*self.words.said_words, *self.words.doc_kinds):
            plain = plain.replace(word, " ")
        return frozenset(bigrams(self._fillers.sub(" ", plain)) - self._doc_grams.get(doc_id, set()))

    def _subject_share(self, doc_id: str, subject: frozenset[str], lo: int, hi: int) -> float:
        """How well the sentence of text[lo:hi] (normalized offsets) holds the question's topic, 1.0 for none.

        A sentence that does not name the topic may follow one that does (持续深化X改革，以…为导向，。加快A、B
        和C建设): the text before it in its section, at most ``LIST_CONTEXT_CHARS``, counts at a discount.
        """
        if not subject:
            return 1.0
        text = self._norm(doc_id).text
        start = lo
        while start > 0 and text[start - 1] not in _SENTENCE_END:
            start -= 1
        end = _sentence_end(text, hi)
        own = _share((subject,), text[start:end])
        before = self._section_start(doc_id, start)
        context = _share((subject,), text[max(before, start - LIST_CONTEXT_CHARS) : end])
        return max(own, context - CONTEXT_DISCOUNT)

    def _section_start(self, doc_id: str, pos: int) -> int:
        """The normalized offset where the innermost section holding normalized ``pos`` starts (0 for none)."""
        norm = self._norm(doc_id)
        origin = norm.origin[pos] if pos < len(norm.origin) else len(self._text_of(doc_id))
        section = next((s for s in reversed(self._sections(doc_id)) if s.start <= origin < s.end), None)
        if section is None:
            return 0
        return bisect.bisect_left(norm.origin, section.start)

    def _items_after(self, text: str, pos: int, count: int) -> tuple[int, int, list[str]] | None:
        at = pos
        while at < len(text) and text[at] in ' ”"':
            at += 1
        if text.startswith("(", at):
            # 两个允许(A、B): the items in a gloss right after the counted thing.
            close = text.find(")", at)
            if close == -1:
                return None
            items = _list_items(text[at + 1 : close], self.words.measure_words)
            if len(items) == count:
                return pos, close + 1, items
            at = close + 1  # 5家卫生院(中心)为A、B…: a bracket that is no list, the items after it
        joiner = next((j for j in self.words.counted_joiners if text.startswith(j, at)), None)
        if joiner is None and text.startswith(",", at):
            # 分三个阶段，即A、B、C: a word joiner after a comma (not a bare comma: the clause goes on).
            words = [j for j in self.words.counted_joiners if _PLAIN_HAN.match(j)]
            word = next((j for j in words if text.startswith(j, at + 1)), None)
            if word is not None:
                at, joiner = at + 1, word
        if joiner is None:
            return None
        at += len(joiner)
        end = at
        while end < len(text) and text[end] not in "。；;！？!?\n":
            end += 1
        items = _list_items(text[at:end], self.words.measure_words)
        if len(items) != count:
            return None
        return pos, end + (1 if end < len(text) and text[end] in "。；;！？!?" else 0), items

    def _items_before(self, text: str, pos: int, count: int) -> tuple[int, int, list[str]] | None:
        at = pos
        while at > 0 and text[at - 1] in " 等共" + _QUOTES_BEFORE:
            at -= 1
        lo = at
        while lo > 0 and text[lo - 1] not in _CLAUSE_BREAK + "：:":
            lo -= 1
        items = _list_items(text[lo:at], self.words.measure_words)
        if len(items) != count:
            return None
        # A、B、C等急诊急救“五大中心”: the words after 等 name the kind of all the items, not the last one.
        kind = items[-1].find("等")
        if kind >= 2:
            items[-1] = items[-1][:kind]
        # 到2025年全面建成A、B…等八大中心: the first item starts after the clause's verb.
        first = items[0]
        cut = max((first.rfind(v) + len(v) for v in self.words.counted_leads if v in first), default=0)
        if cut and len("".join(_PLAIN_HAN.findall(first[cut:]))) >= 2:
            items[0] = first = first[cut:]
        # 建成适应行业特点的A、B、C三阶段: a modifier only the first item has (…的) is the whole list's.
        mod = first.rfind("的")
        shared = mod != -1 and not any("的" in x for x in items[1:])
        if shared and re.fullmatch(r"[\u4e00-\u9fff]{2,}", first[mod + 1 :]):
            items[0] = first[mod + 1 :]
        # The quote runs to the end of the clause: what the counted things are for (…三阶段有机衔接的…体系).
        hi = pos
        while hi < len(text) and text[hi] not in _CLAUSE_BREAK:
            hi += 1
        return lo, hi, items

    def _counted_answer(
        self, question: str, doc_id: str, lo: int, hi: int, counted: re.Match[str], items: Sequence[str]
    ) -> Answer:
        norm = self._norm(doc_id)
        text = self._text_of(doc_id)
        o_lo, o_hi = norm.origin[lo], norm.origin[hi - 1] + 1
        quote = text[o_lo:o_hi].strip()
        what = text[norm.origin[counted.start()] : norm.origin[counted.end() - 1] + 1]
        doc = self.docs[doc_id]
        citation = self._citation(doc, 1, quote, self._path_at(doc_id, o_lo), o_lo)
        lead = MSG_COUNTED_ITEMS.format(title=doc.meta.title, what=what, items="、".join(items))
        return Answer(question=question, answer=lead + marked(quote, 1), status="answered", citations=[citation])

    def _shaped(self, question: str, allowed: set[str] | None) -> Answer | None:
        shape = classify(question, self.words)
        if shape is None:
            return None
        named = self.named_docs(shape.rest, allowed)
        if named is None and allowed is not None and len(allowed) == 1:
            named = set(allowed)  # 某县的方案有哪些任务: the one plan covering the region (or the caller's one plan)
        if shape.kind in ("tasks", "safeguards"):
            # 家庭医生签约有什么任务 asks about a topic, not a plan: a plan's tasks are asked by naming it.
            if not any(k in shape.rest for k in self.words.doc_kinds):
                return None
            if named is None or len(named) != 1:
                return None
            return self._parts(question, shape, next(iter(named)))
        pool = self._pool(named, allowed)
        if named and len(named) == 1:
            found = self._heading_answer(question, shape.term, next(iter(named)), shape.first)
            if found is not None:
                return found
        definition = self._definition(question, shape.term, pool)
        if definition is None and named:
            everywhere = sorted(d for d in self.docs if allowed is None or d in allowed)
            definition = self._definition(question, shape.term, everywhere)
        if definition is not None:
            return definition
        if shape.strict:
            # “四集中”指的是什么 with no defining sentence: the items the plan writes next to it, if any.
            items = self._quoted_enumeration(question, allowed)
            no_definition = MSG_NO_DEFINITION.format(term=shape.term)
            return items or Answer(question=question, answer=no_definition, status="not_found")
        return None

    def named_docs(self, words: str, allowed: set[str] | None) -> set[str] | None:
        """The one document the question's remaining words name (by its title and region), if clearly one."""
        qb = bigrams(words)
        if not qb:
            return None
        scores = sorted(
            (
                (sum(self._idf.get(g, 0.0) for g in qb & grams), doc_id)
                for doc_id, grams in self._doc_grams.items()
                if allowed is None or doc_id in allowed
            ),
            reverse=True,
        )
        if not scores or scores[0][0] < DOC_MIN_SCORE:
            return None
        if len(scores) > 1 and scores[1][0] >= scores[0][0]:
            return None
        return {scores[0][1]}

    # ---- tasks and safeguards -----------------------------------------------------------------

    def _parts(self, question: str, shape: Shape, doc_id: str) -> Answer | None:
        """The sub-headings of the task (or safeguard) section the question names, else of the plan's task section.

        A section named by its own words (“三医”协同发展机制这一块有哪些任务 for （五）健全“三医”协同发展机制), at
        least ``OUTLINE_MIN_SHARE`` of them or an abbreviation, comes before the generic headings (重点任务) the
        question's task word may also hold.
        """
        sections = self._sections(doc_id)
        q = nfkc(question)
        named = [s for s in sections if s.level > 0 and len(heading_core(s.heading)) >= 3]
        own: list[tuple[tuple[float, int], Section]] = []
        for section in named:
            core = heading_core(section.heading)
            if core in shape.headings:
                continue
            share = heading_share(core, q, self._openers)
            if share >= OUTLINE_MIN_SHARE:
                own.append(((share, len(core)), section))
        wanted = [s for _, s in sorted(own, key=lambda x: x[0], reverse=True)]
        wanted += [s for s in named if heading_core(s.heading) in q]
        wanted += [s for s in named if heading_core(s.heading) in shape.headings]
        for section in wanted:
            children = [c for c in sections if c.level == section.level + 1 and section.start < c.start < section.end]
            if children:
                core = heading_core(section.heading)
                return self._heading_list(question, doc_id, MSG_PARTS, core, children, shape.first)
        if shape.kind == "tasks":
            return self._top_parts(question, doc_id)
        return None

    def _top_parts(self, question: str, doc_id: str) -> Answer | None:
        """A long plan's parts (第二篇 …), the body's lines, when it has no task section."""
        text = self._text_of(doc_id)
        last: dict[str, re.Match[str]] = {}
        for m in _PART_LINE.finditer(text):
            last[heading_core(m.group(0))] = m  # the body's line, not the table of contents'
        if len(last) < 2:
            return None
        doc = self.docs[doc_id]
        lines: list[str] = []
        citations: list[Citation] = []
        for n, m in enumerate(sorted(last.values(), key=lambda x: x.start()), start=1):
            quote = m.group(0).strip()
            lines.append(f"- {quote}[{n}]")
            citations.append(self._citation(doc, n, quote, quote, m.start()))
        answer = MSG_PARTS_TOP.format(title=doc.meta.title) + "\n" + "\n".join(lines)
        return Answer(question=question, answer=answer, status="answered", citations=citations)

    def _heading_list(
        self, question: str, doc_id: str, lead: str, heading: str, children: Sequence[Section], first: int = 0
    ) -> Answer:
        """The headings ``children`` as a list, each cited; only the first ``first`` of them when more are listed."""
        if 0 < first < len(children):
            children, lead = children[:first], MSG_FIRST_PARTS
        doc = self.docs[doc_id]
        text = self._text_of(doc_id)
        lines: list[str] = []
        citations: list[Citation] = []
        for n, child in enumerate(children, start=1):
            line_end = text.find("\n", child.start)
            line = text[child.start : line_end if line_end != -1 else len(text)].strip()
            quote = child.heading.strip() if child.heading.strip() in line else _heading_of_line(line, child.heading)
            lines.append(f"- {quote}[{n}]")
            citations.append(self._citation(doc, n, quote, " > ".join(child.path), child.start))
        answer = lead.format(title=doc.meta.title, heading=heading) + "\n" + "\n".join(lines)
        return Answer(question=question, answer=answer, status="answered", citations=citations)

    def _heading_answer(self, question: str, term: str, doc_id: str, first: int = 0) -> Answer | None:
        """战略主题是什么: a section whose heading is the term; its sub-headings, or its opening sentences.

        Only the first ``first`` sub-headings when the question asks so (前三项).
        """
        sections = self._sections(doc_id)
        for section in sections:
            core = heading_core(section.heading)
            if section.level <= 0 or len(core) < 3 or core != nfkc(term):
                continue
            children = [c for c in sections if c.level == section.level + 1 and section.start < c.start < section.end]
            if children:
                return self._heading_list(question, doc_id, MSG_PARTS, core, children, first)
            text = self._text_of(doc_id)
            body_start = text.find("\n", section.start)
            if body_start == -1:
                return None
            body = text[body_start + 1 : section.end].strip()
            quote = _first_sentences(body, 2)
            if not quote:
                return None
            doc = self.docs[doc_id]
            answer = MSG_SECTION.format(title=doc.meta.title, heading=core) + marked(quote, 1)
            citation = self._citation(doc, 1, quote, " > ".join(section.path), text.find(quote, body_start))
            return Answer(question=question, answer=answer, status="answered", citations=[citation])
        return None

    # ---- definitions --------------------------------------------------------------------------

    def _definition(self, question: str, term: str, doc_ids: Sequence[str]) -> Answer | None:
        """The sentence that defines ``term`` (X是指… before X包括… before X是…), best definer first."""
        t = nfkc(term)
        if self._docs_containing is not None and _PLAIN_HAN.fullmatch(t):
            # Only plans whose text holds the term are read (a CJK term is its own NFKC form): a definition
            # question must not normalise every plan of a large library.
            holding = self._docs_containing(t)
            doc_ids = [d for d in doc_ids if d in holding]
        best: tuple[int, str, int, int] | None = None
        for doc_id in doc_ids:
            norm = self._norm(doc_id)
            for m in re.finditer(re.escape(t), norm.text):
                rank = self._definer_rank(norm.text, m.end())
                if rank is None:
                    continue
                if best is None or rank < best[0]:
                    best = (rank, doc_id, m.start(), m.end())
        if best is None:
            return None
        _, doc_id, start, end = best
        norm = self._norm(doc_id)
        text = self._text_of(doc_id)
        lo = start
        while lo > 0 and norm.text[lo - 1] not in _SENTENCE_END + "，,":
            lo -= 1
        hi = _sentence_end(norm.text, end)
        if hi - lo < SHORT_DEFINITION:
            hi = _sentence_end(norm.text, hi)
        for _ in range(MAX_CONTINUATIONS):
            if not _unbalanced(norm.text[lo:hi]):
                break
            hi = _sentence_end(norm.text, hi)  # a bracket left open: the sentence goes on past a line break
        o_lo, o_hi = norm.origin[lo], norm.origin[hi - 1] + 1
        quote = text[o_lo:o_hi].strip()
        doc = self.docs[doc_id]
        section = next((s for s in reversed(self._sections(doc_id)) if s.start <= o_lo < s.end), None)
        citation = self._citation(doc, 1, quote, " > ".join(section.path) if section else "", o_lo)
        answer = MSG_DEFINITION.format(title=doc.meta.title) + marked(quote, 1)
        return Answer(question=question, answer=answer, status="answered", citations=[citation])

    def _definer_rank(self, text: str, pos: int) -> int | None:
        """How the text after a term defines it: the definer's place in the list, or None."""
        while pos < len(text) and (text[pos] in _QUOTES_AFTER or text[pos].isdigit()):
            pos += 1
        after = text[pos : pos + 12]
        for rank, definer in enumerate(self.words.definers):
            if after.startswith(definer):
                rest = after[len(definer) :]
                if any(rest.startswith(x) for x in self.words.definer_not_before):
                    continue
                return rank
        gloss = re.match(r"\(([^()]{4,80})\)", text[pos : pos + 82])
        if gloss and len(re.findall(r"[\u4e00-\u9fff]", gloss.group(1))) >= 4:
            return len(self.words.definers)  # X（…）: a gloss in brackets
        return None

    # ---- lists and topics ---------------------------------------------------------------------

    def _topic_or_list(self, question: str, allowed: set[str] | None) -> Answer | None:
        """在控烟上有什么要求 by the section on the topic; 要遵循哪几条原则 by the list the plan states.

        The plan the question names is read first (its title's words then say nothing about the list),
        then the plans holding the question's noun.
        """
        topic = topic_shape(question, self.words)
        if topic is not None:
            for pool in self._pools(topic.rest, topic.term, allowed):
                found = self._topic(question, topic, pool)
                if found is not None:
                    return found
        shape = list_shape(question, self.words)
        if shape is None or (shape.generic and not shape.after):
            return None  # 双提升工程包括哪两个方面: a frameless generic question (_generic_parts)
        for pool in self._pools(shape.rest, shape.term or shape.after, allowed):
            full = frozenset(bigrams(self._fillers.sub(" ", shape.before)) - bigrams(shape.term))
            subjects = [full]
            if len(pool) == 1 and pool[0] in (self.named_docs(shape.rest, allowed) or set()):
                subjects.append(full - self._doc_grams[pool[0]])  # the plan's own name says nothing more
            elif not full:
                continue  # 哪些县区…: nothing says which list, and no plan is named
            subject = tuple(subjects)
            best: tuple[float, Answer] | None = None
            for doc_id in pool:
                scored = [
                    *self._intro_lists(question, shape, subject, doc_id),
                    *self._enumerations(question, shape, subject, doc_id),
                ]
                for score, answer in scored:
                    if best is None or score > best[0]:
                        best = (score, answer)
            if best is not None:
                return best[1]
        return None

    def _counted_term(self, question: str, allowed: set[str] | None) -> Answer | None:
        """“三联动”是哪三项 by the N items the plan writes with the term: “A”“B”“C”三联动 or “三联动”（A、B、C）."""
        shape = counted_term_shape(question, self.words)
        if shape is None:
            return None
        for pool in self._pools(shape.rest, shape.term, allowed):
            for doc_id in pool:
                norm = self._norm(doc_id)
                for m in re.finditer(re.escape(shape.term), norm.text):
                    span = _items_with_term(norm.text, m.start(), m.end(), shape.count)
                    if span is not None:
                        return self._clause_answer(question, doc_id, *span)
        return None

    def _quoted_enumeration(self, question: str, allowed: set[str] | None) -> Answer | None:
        """“四下沉”是哪四个 by the enumeration the plan writes next to the term, quoted and cited.

        A term that is a fragment of an enumeration (“A、B”那一串) is answered by the whole enumeration it starts
        or stands in; a name (四下沉) by the items right before it in quotes (“A、B、C、D”四下沉), after it
        (“四下沉”，即A、B、C、D) or before it in its sentence (推动A、B、C、D下沉，实现“四下沉”). A count in the term or
        the which word must be the number of items; with none, an unquoted enumeration must stand in the term's clause.
        """
        shape = quoted_term_shape(question, self.words)
        if shape is None:
            return None
        term = nfkc(shape.term)
        for pool in self._pools(shape.rest, term, allowed):
            for doc_id in pool:
                text = self._norm(doc_id).text
                for m in re.finditer(re.escape(term), text):
                    found = self._enumeration_near(text, m.start(), m.end(), term, shape.count)
                    if found is not None:
                        lo, hi, items, joiner = found
                        listed, whole = joiner.join(items), "、" in term
                        return self._enumeration_answer(question, doc_id, lo, hi, shape.term, listed, whole=whole)
        return None

    def _enumeration_near(
        self, text: str, start: int, end: int, term: str, count: int
    ) -> tuple[int, int, list[str], str] | None:
        """(span start, span end, items, their joiner) of the enumeration a term stands in or names, or None.

        The term is text[start:end]; the joiner is 、, or ； for clauses.
        """
        measures = self.words.measure_words
        if "、" in term:
            # A fragment (县级强、乡级活): the run of items around it, up to quotes or a clause break.
            lo, hi = start, end
            while lo > 0 and text[lo - 1] not in _ENUM_BOUNDS:
                lo -= 1
            while hi < len(text) and text[hi] not in _ENUM_BOUNDS:
                hi += 1
            items = _list_items(text[lo:hi], measures)
            if len(items) < 2 or (count and len(items) != count):
                return None
            return lo, hi, items, "、"
        s, e = start, end
        if s > 0 and text[s - 1] in _QUOTES_BEFORE:
            s -= 1
        if e < len(text) and text[e] in _QUOTES_AFTER:
            e += 1
        # “A”“B”“C”三联动 or “三联动”（A、B、C）: that many quoted items before the term, or a gloss after it.
        span = _items_with_term(text, s, e, count) if count else None
        if span is not None:
            quoted = _QUOTED_ITEM.findall(text[span[0] : s])
            gloss = _GLOSS_AFTER.match(text, e)
            glossed = [x.strip() for x in re.split(r"[、；;]", gloss.group(1)) if x.strip()] if gloss else []
            items = quoted if len(quoted) == count else glossed
            if len(items) == count:
                return span[0], span[1], items, "、"
        # “A、B、C、D”四下沉: one quoted enumeration right before the term.
        if s > 0 and text[s - 1] in _QUOTES_AFTER and s == start:
            opening = max(text.rfind(q, max(0, s - ENUM_QUOTED_MAX), s - 1) for q in _QUOTES_BEFORE)
            if opening != -1:
                inner = text[opening + 1 : s - 1]
                items = _list_items(inner, measures) if not any(q in inner for q in _QUOTES_AFTER) else []
                if len(items) >= 2 and (not count or len(items) == count):
                    return opening, end, items, "、"
        # “四下沉”，即A、B、C、D / “X”包括A、B: an enumeration right after the term and a lead word.
        lead = re.compile(rf"[,，:：]?\s*(?:{'|'.join(map(re.escape, self.words.quoted_after_leads))})?[:：]?")
        at = lead.match(text, e)
        led = at is not None and at.end() > e
        after = _ENUMERATION.match(text, at.end()) if at is not None else None
        if after is not None and (count or led):
            items = _list_items(after.group(0), measures)
            if len(items) >= 2 and (not count or len(items) == count):
                return start, after.end(), items, "、"
        # “三个转变”：从A转变；从B转变；从C转变。 (or that many parallel sentences): clauses after a colon.
        colon = re.compile(r"\s*[:：]\s*").match(text, e)
        if count and colon is not None:
            clauses = _clause_run(text, colon.end(), count)
            if clauses is not None:
                return start, clauses[0], clauses[1], "；"
        # 推动A、B、C、D下沉，实现“四下沉”: the last enumeration before the term in its sentence.
        lo = s
        while lo > 0 and text[lo - 1] not in _SENTENCE_END:
            lo -= 1
        runs = list(_ENUMERATION.finditer(text, lo, s))
        if runs:
            run = runs[-1]
            # In the term's clause, or (with a count to check) in the clause right before it.
            breaks = sum(text[run.end() : s].count(c) for c in _CLAUSE_BREAK)
            items = _list_items(run.group(0), measures)
            if len(items) >= 2 and ((count and len(items) == count and breaks <= 1) or (not count and not breaks)):
                return run.start(), end, self._without_lead(items), "、"
        return None

    def _without_lead(self, items: list[str]) -> list[str]:
        """The first item without the clause's verb before it (推动管理 -> 管理, as in ``_items_before``)."""
        first = items[0]
        # The latest cut that leaves a name: 推进建设 is cut after 推进, not after 建设 (a lead word too).
        for cut in sorted({first.rfind(v) + len(v) for v in self.words.counted_leads if v in first}, reverse=True):
            if len("".join(_PLAIN_HAN.findall(first[cut:]))) >= 2:
                return [first[cut:], *items[1:]]
        return items

    def _enumeration_answer(
        self, question: str, doc_id: str, lo: int, hi: int, term: str, items: str, *, whole: bool
    ) -> Answer:
        """The items, then the clause holding text[lo:hi] (normalized offsets) quoted and cited."""
        quote, o_lo, cut = self._clause_quote(doc_id, lo, hi)
        doc = self.docs[doc_id]
        citation = self._citation(doc, 1, quote, self._path_at(doc_id, o_lo), o_lo)
        msg = MSG_WHOLE_ENUMERATION if whole else MSG_QUOTED_ITEMS
        lead = msg.format(title=doc.meta.title, term=term, items=items)
        tail = cut if cut and quote[-1] not in _SENTENCE_END else ""
        answer = lead + cut + marked(quote, 1).replace("[1]", tail + "[1]")
        return Answer(question=question, answer=answer, status="answered", citations=[citation])

    def _generic_parts(self, question: str, allowed: set[str] | None) -> Answer | None:
        """双提升工程包括哪两个方面 by the parts a plan states for the subject, with no frame in the question.

        The parts are the items of a gloss right after the subject (“双提升”（A、B）工程) or of an
        enumeration the question's generic noun closes (A、B、C等方面; A和B两个方面) in a clause or
        sentence holding the subject's words. A count asked (哪两个) must be the number of items.
        """
        shape = list_shape(question, self.words)
        if shape is None:
            return None
        subject = parts_subject(shape, self.words)
        if not subject:
            return None
        full = frozenset(bigrams(self._fillers.sub(" ", subject)))
        head = "".join(_PLAIN_HAN.findall(subject))[-2:]
        named = self.named_docs(subject, allowed)
        for pool in self._pools(subject, head, allowed):
            subjects = [full]
            if named and pool == sorted(named):
                reduced = full - self._doc_grams[pool[0]]
                if not reduced and any(k in subject for k in self.words.doc_kinds):
                    return None  # 青禾方案包括哪几个方面: the plan's own parts (its tasks), not a subject's
                if reduced:
                    subjects.append(reduced)
            subj = tuple(subjects)
            best: tuple[float, Callable[[], Answer]] | None = None
            for doc_id in pool:
                for score, lo, hi in self._parts_spans(doc_id, subject, subj, shape.generic, shape.count):
                    if best is None or score > best[0]:
                        best = (score, functools.partial(self._clause_answer, question, doc_id, lo, hi))
                for score, build in self._parts_lists(question, doc_id, subj, shape.count):
                    if best is None or score > best[0]:
                        best = (score, build)
            if best is not None:
                return best[1]()
        if named:
            # 医改方案聚焦哪几个方面: the subject left after the plan's name is a word the plan repeats.
            doc_id = next(iter(named))
            word = "".join(_PLAIN_HAN.findall(subject))[-2:]
            for group in parallel_heads(self._norm(doc_id).text, word):
                if not shape.count or len(group) == shape.count:
                    return self._repeated_answer(question, word, doc_id, group)
        return None

    def _parts_lists(
        self, question: str, doc_id: str, subj: tuple[frozenset[str], ...], count: int
    ) -> Iterator[tuple[float, Callable[[], Answer]]]:
        """Parts a plan writes one by one: 一是…；二是… after a sentence on the subject, or a heading's sub-headings."""
        norm = self._norm(doc_id)
        text = norm.text
        for m in re.finditer("一是", text):
            if m.start() > 0 and text[m.start() - 1] not in _CLAUSE_BREAK + "：: ":
                continue
            items: list[tuple[int, str]] = []
            at = m.start()
            for n in range(1, len(_ORDINALS)):
                end = _sentence_end(text, at)
                items.append((at, text[at:end]))
                nxt = text.find(_ORDINALS[n] + "是", end, end + 4)
                if nxt == -1:
                    break
                at = nxt
            if len(items) < 2 or (count and len(items) != count):
                continue
            lo = m.start()
            while lo > 0 and text[lo - 1] not in "。！？!?\n":
                lo -= 1
            intro = text[max(lo - PARTS_INTRO_CHARS, 0) : m.start()]
            score = _share(subj, intro)
            if score >= PARTS_MIN_SUBJECT:
                intro_at = lo if lo < m.start() else m.start()
                yield score, functools.partial(
                    self._list_answer, question, doc_id, intro_at, text[intro_at : m.start()].strip(), items
                )
        sections = self._sections(doc_id)
        title = self.docs[doc_id].meta.title
        for section in sections:
            core = heading_core(section.heading)
            if section.level <= 0 or len(core) < 2:
                continue
            children = [c for c in sections if c.level == section.level + 1 and section.start < c.start < section.end]
            if len(children) < 2 or (count and len(children) != count):
                continue
            score = _share(subj, core + " " + title)
            if score >= PARTS_MIN_SUBJECT and core in "".join(_PLAIN_HAN.findall(question)):
                yield score, functools.partial(self._heading_list, question, doc_id, MSG_PARTS, core, children)

    def _parts_spans(
        self, doc_id: str, subject: str, subj: tuple[frozenset[str], ...], noun: str, count: int
    ) -> Iterator[tuple[float, int, int]]:
        """Spans (normalized offsets) stating the subject's parts, each with how well it holds the subject."""
        text = self._norm(doc_id).text
        plain = nfkc(subject)
        head = "".join(_PLAIN_HAN.findall(plain))[-2:]  # 差异化政策 -> 政策: the parts must be of this
        for m in _GLOSS.finditer(text):
            term = _HAN_TAIL.search(text[max(0, m.start() - 12) : m.start()].rstrip(_QUOTES_AFTER))
            if term is None:
                continue
            items = [x for x in re.split(r"[、；;]", m.group(1)) if x.strip()]
            if len(items) < 2 or (count and len(items) != count):
                continue
            word = next((term.group(0)[i:] for i in range(len(term.group(0)) - 1) if term.group(0)[i:] in plain), "")
            if len(word) < 2:
                continue
            following = _PLAIN_HAN.match(text, m.end() + (1 if text[m.end() : m.end() + 1] in _QUOTES_AFTER else 0))
            score = _share(subj, word + (following.group(0)[:4] if following else ""))
            if score >= PARTS_MIN_SUBJECT:
                yield score + 0.5, m.start() - len(word), m.end()
        if not noun:
            return
        for m in re.finditer(re.escape(noun), text):
            lo = m.start()
            while lo > 0 and text[lo - 1] not in _CLAUSE_BREAK + "：:":
                lo -= 1
            run = _PARTS_TAIL.sub("", text[lo : m.start()])
            items = [x for x in _ENUM_SPLIT.split(run) if x]
            stated = _PARTS_TAIL.search(text[lo : m.start()])
            if len(items) < 2 or (count and len(items) != count):
                continue
            if stated and stated.group(1) and count and _COUNT_WORDS.get(stated.group(1)[0], count) != count:
                continue
            hi = m.end()
            while hi < len(text) and text[hi] not in _CLAUSE_BREAK:
                hi += 1
            score = _share(subj, text[lo:hi])
            if score < PARTS_MIN_SUBJECT:
                # The subject in the next or the previous clause of the sentence (在A、B等方面，赋予X更多自主权).
                s_lo = lo
                while s_lo > 0 and text[s_lo - 1] not in _SENTENCE_END:
                    s_lo -= 1
                s_hi = _sentence_end(text, hi)
                nxt = min([i for i in (text.find(x, hi + 1, s_hi) for x in "，,；;") if i != -1] or [s_hi])
                prv = max(text.rfind(x, s_lo, lo - 1) for x in "，,；;") + 1 if lo > s_lo else s_lo
                for a, b in ((lo, nxt), (max(prv, s_lo), hi)):
                    if _share(subj, text[a:b]) > score:
                        score, lo, hi = _share(subj, text[a:b]), a, b
            if score >= PARTS_MIN_SUBJECT and head in text[lo:hi]:
                yield score, lo, hi

    def _repeated(self, question: str, allowed: set[str] | None) -> Answer | None:
        """几个“聚焦”都是聚焦啥 by the parallel clauses the plan heads with the word (聚焦A，…。聚焦B，…。)."""
        shape = repeated_shape(question, self.words)
        if shape is None:
            return None
        subject = (frozenset(bigrams(self._fillers.sub(" ", shape.rest)) - bigrams(shape.term)),)
        for pool in self._pools(shape.rest, shape.term, allowed):
            best: tuple[float, str, list[tuple[int, int]]] | None = None
            for doc_id in pool:
                norm = self._norm(doc_id)
                for group in parallel_heads(norm.text, shape.term):
                    if shape.count and len(group) != shape.count:
                        group = [g for g in group if norm.text[g[0] + len(shape.term)] in _QUOTES_BEFORE]
                        if len(group) != shape.count:
                            continue
                    around = norm.text[max(0, group[0][0] - LIST_CONTEXT_CHARS) : group[-1][1]]
                    score = len(group) + _share(subject, around + self._path_at(doc_id, norm.origin[group[0][0]]))
                    if best is None or score > best[0]:
                        best = (score, doc_id, group)
            if best is not None:
                return self._repeated_answer(question, shape.term, best[1], best[2])
        return None

    def _repeated_answer(self, question: str, term: str, doc_id: str, group: Sequence[tuple[int, int]]) -> Answer:
        doc = self.docs[doc_id]
        norm = self._norm(doc_id)
        text = self._text_of(doc_id)
        lines: list[str] = []
        citations: list[Citation] = []
        for n, (lo, hi) in enumerate(group, start=1):
            o_lo, o_hi = norm.origin[lo], norm.origin[hi - 1] + 1
            quote = text[o_lo:o_hi].strip()
            lines.append(f"- {marked(quote, n).replace(f'[{n}]', '')}[{n}]")
            citations.append(self._citation(doc, n, quote, self._path_at(doc_id, o_lo), o_lo))
        lead = MSG_REPEATED.format(title=doc.meta.title, term=term)
        return Answer(question=question, answer=lead + "\n" + "\n".join(lines), status="answered", citations=citations)

    def _clause_answer(self, question: str, doc_id: str, start: int, end: int) -> Answer:
        """The sentence holding text[start:end] (normalized offsets), cut to its clause when long."""
        quote, o_lo, cut = self._clause_quote(doc_id, start, end)
        doc = self.docs[doc_id]
        citation = self._citation(doc, 1, quote, self._path_at(doc_id, o_lo), o_lo)
        tail = cut if cut and quote[-1] not in _SENTENCE_END else ""
        answer = MSG_DEFINITION.format(title=doc.meta.title) + cut + marked(quote, 1).replace("[1]", tail + "[1]")
        return Answer(question=question, answer=answer, status="answered", citations=[citation])

    def _clause_quote(self, doc_id: str, start: int, end: int) -> tuple[str, int, str]:
        """(quote, its offset, "…" when cut) of the sentence holding text[start:end], its clause when long."""
        norm = self._norm(doc_id)
        lo = start
        while lo > 0 and norm.text[lo - 1] not in _SENTENCE_END:
            lo -= 1
        hi = _sentence_end(norm.text, end)
        cut = ""
        if hi - lo > ENUM_MAX_SENTENCE:
            lo = max(lo, max(norm.text.rfind(x, lo, start) for x in "，,") + 1)
            hi = min([i for i in (norm.text.find(x, end, hi) for x in "，,") if i != -1] or [hi])
            cut = "…"
        o_lo, o_hi = norm.origin[lo], norm.origin[hi - 1] + 1
        return self._text_of(doc_id)[o_lo:o_hi].strip(), o_lo, cut

    def _pools(self, rest: str, word: str, allowed: set[str] | None) -> Iterator[list[str]]:
        """The plans a list or topic question reads, in turn: the one it names, then the few holding its word.

        Lazily: the library is searched for the word only when the named plan has no answer.
        """
        named = self.named_docs(rest, allowed)
        if named:
            yield sorted(named)
        pool = [d for d in self.docs if allowed is None or d in allowed]
        core = _PLAIN_HAN.search(word)
        if self._docs_containing is not None and core:
            holding = self._docs_containing(core.group(0))
            pool = [d for d in pool if d in holding]
        if len(pool) <= LIST_MAX_DOCS and (not named or set(pool) - named):
            yield sorted(pool)

    def _intro_lists(
        self, question: str, shape: Shape, subject: tuple[frozenset[str], ...], doc_id: str
    ) -> list[tuple[float, Answer]]:
        """Lists introduced by a line like 主要遵循以下原则： whose items (——…, 一是…, （一）…) follow a line each."""
        if not shape.term:
            return []
        head = shape.term[-2:]
        norm = self._norm(doc_id)
        lines = norm.text.split("\n")
        offsets: list[int] = []
        pos = 0
        for line in lines:
            offsets.append(pos)
            pos += len(line) + 1
        out: list[tuple[float, Answer]] = []
        for i, line in enumerate(lines):
            intro = line.strip()
            if not intro.endswith((":", "：")) or head not in intro or len(intro) > 60:
                continue
            if not any(x in intro for x in self.words.intro_words):
                continue
            items: list[tuple[int, str]] = []
            for j in range(i + 1, min(len(lines), i + 40)):
                if not lines[j].strip():
                    continue
                if not _ITEM.match(lines[j]):
                    break
                lead = lines[j].strip()
                cut = lead.find("。")
                at = offsets[j] + len(lines[j]) - len(lines[j].lstrip())
                items.append((at, lead[: cut + 1] if cut > 0 else lead))
            if len(items) < 2 or (shape.count and len(items) != shape.count):
                continue
            before = norm.text[max(0, offsets[i] - LIST_CONTEXT_CHARS) : offsets[i] + len(line)]
            path = nfkc(self._path_at(doc_id, norm.origin[offsets[i]]))
            score = _share(subject, before + path) + (LIST_MIN_SUBJECT if shape.term in path else 0.0)
            if score < LIST_MIN_SUBJECT:
                continue
            out.append((score + 0.5, self._list_answer(question, doc_id, offsets[i], intro, items)))
        return out

    def _list_answer(
        self, question: str, doc_id: str, intro_at: int, intro: str, items: Sequence[tuple[int, str]]
    ) -> Answer:
        doc = self.docs[doc_id]
        norm = self._norm(doc_id)
        text = self._text_of(doc_id)
        lines: list[str] = []
        citations: list[Citation] = []
        for n, (at, lead) in enumerate(items, start=1):
            o_lo, o_hi = norm.origin[at], norm.origin[at + len(lead) - 1] + 1
            quote = text[o_lo:o_hi].strip()
            lines.append(f"- {quote}[{n}]")
            citations.append(self._citation(doc, n, quote, self._path_at(doc_id, o_lo), o_lo))
        o_intro = norm.origin[intro_at]
        lead_line = text[o_intro : text.find("\n", o_intro) if "\n" in text[o_intro:] else len(text)].strip()
        answer = MSG_LIST.format(title=doc.meta.title, intro=lead_line or intro) + "\n" + "\n".join(lines)
        return Answer(question=question, answer=answer, status="answered", citations=citations)

    def _enumerations(
        self, question: str, shape: Shape, subject: tuple[frozenset[str], ...], doc_id: str
    ) -> list[tuple[float, Answer]]:
        """Sentences enumerating the items asked for.

        Either each item holds the question's noun (开设全科、内科…中医科 for 哪些科), or the question's own
        frame stands around the enumeration (以A、B、C为重点 for 以哪几方面为重点).
        """
        norm = self._norm(doc_id)
        lead_char = shape.before[-1:] if shape.before and not shape.term else ""
        out: list[tuple[float, Answer]] = []
        for m in _ENUMERATION.finditer(norm.text):
            items = [x for x in _ENUM_SPLIT.split(m.group(0)) if x]
            if len(items) < 2 or (shape.count and len(items) != shape.count):
                continue
            if shape.term:
                if not _items_hold(items, shape.term, norm.text[m.end() : m.end() + len(shape.term)]):
                    continue
            elif not (
                lead_char
                and lead_char in items[0][:3]
                and (items[-1].endswith(shape.after) or norm.text.startswith(shape.after, m.end()))
            ):
                continue
            lo = m.start()
            while lo > 0 and norm.text[lo - 1] not in _SENTENCE_END:
                lo -= 1
            hi = _sentence_end(norm.text, m.end())
            score = max(self._subject_share(doc_id, x, lo, hi) for x in subject) if subject else 1.0
            if score < LIST_MIN_SUBJECT:
                continue
            cut = ""
            if hi - lo > ENUM_MAX_SENTENCE:
                # A long sentence: only its clause holding the enumeration (…以A、B、C为重点…).
                lo = max(lo, max(norm.text.rfind(x, lo, m.start()) for x in "，,") + 1)
                hi = min([i for i in (norm.text.find(x, m.end(), hi) for x in "，,") if i != -1] or [hi])
                cut = "…"
            o_lo, o_hi = norm.origin[lo], norm.origin[hi - 1] + 1
            text = self._text_of(doc_id)
            quote = text[o_lo:o_hi].strip()
            doc = self.docs[doc_id]
            citation = self._citation(doc, 1, quote, self._path_at(doc_id, o_lo), o_lo)
            tail = cut if cut and quote[-1] not in _SENTENCE_END else ""
            answer = MSG_DEFINITION.format(title=doc.meta.title) + cut + marked(quote, 1).replace("[1]", tail + "[1]")
            out.append((score, Answer(question=question, answer=answer, status="answered", citations=[citation])))
        return out

    def _topic(self, question: str, shape: Shape, pool: Sequence[str]) -> Answer | None:
        """The opening of the section whose heading names the topic (第二节 开展控烟限酒 for 控烟)."""
        for doc_id in pool:
            sections = self._sections(doc_id)
            text = self._text_of(doc_id)
            for section in sections:
                core = heading_core(section.heading)
                if section.level <= 0 or shape.term not in core:
                    continue
                children = [c.start for c in sections if section.start < c.start < section.end]
                body_end = min(children, default=section.end)
                line_end = text.find("\n", section.start, body_end)
                # The heading's own line, or its first sentence when the body runs on (26. 拓展X服务。充实…).
                heading_end = _sentence_end(text, section.start)
                body_start = min(heading_end, line_end + 1) if line_end != -1 else heading_end
                body = text[body_start:body_end].strip()
                quote = _sentences_within(body, TOPIC_MAX_CHARS)
                if not quote:
                    continue
                doc = self.docs[doc_id]
                at = text.find(quote, body_start)
                citation = self._citation(doc, 1, quote, " > ".join(section.path), at)
                answer = MSG_SECTION.format(title=doc.meta.title, heading=core) + marked(quote, 1)
                return Answer(question=question, answer=answer, status="answered", citations=[citation])
        return None

    def topic_sentences(self, question: str, allowed: set[str] | None) -> Answer | None:
        """在远程医疗方面有什么要求 when no heading names the topic and no target row answers it, or None.

        The caller asks this after the target table: ``对社区医院建筑面积有什么要求`` keeps its row.
        """
        topic = topic_shape(question, self.words)
        if topic is None:
            return None
        scope = self._region_scope(question)
        if scope is None:
            return self._topic_sentences_of(question, topic, allowed)
        _, covering = scope
        within = covering if allowed is None else covering & allowed
        # Another region's sentences never answer: the caller's "not found" (with the nearest passages) stands.
        return self._topic_sentences_of(question, topic, within) if within else None

    def _topic_sentences_of(self, question: str, topic: Shape, allowed: set[str] | None) -> Answer | None:
        for pool in self._pools(topic.rest, topic.term, allowed):
            found = self._topic_sentences(question, topic.term, pool)
            if found is not None:
                return found
        return None

    def _topic_sentences(self, question: str, term: str, pool: Sequence[str]) -> Answer | None:
        """在远程医疗方面有什么要求 with no heading on it: the 1-3 sentences of one plan that best cover the topic.

        A sentence must hold the topic word; it covers it better the more often it names it and the nearer
        its start. The plan whose best sentences cover it best is quoted, in its own order, each cited.
        """
        t = nfkc(term)
        best: tuple[float, str, list[tuple[int, int]]] | None = None
        for doc_id in pool:
            text = self._norm(doc_id).text
            scored: list[tuple[float, int, int]] = []
            seen: set[int] = set()
            for m in re.finditer(re.escape(t), text):
                lo = m.start()
                while lo > 0 and text[lo - 1] not in _SENTENCE_END:
                    lo -= 1
                if lo in seen:
                    continue
                seen.add(lo)
                hi = _sentence_end(text, m.end())
                sentence = text[lo:hi]
                if hi - lo > TOPIC_MAX_SENTENCE or not _PLAIN_HAN.search(sentence.replace(t, "")):
                    continue
                score = sentence.count(t) + (1.0 if m.start() - lo <= TOPIC_NEAR_START else 0.0)
                scored.append((score, lo, hi))
            top = sorted(scored, key=lambda x: (-x[0], x[1]))[:TOPIC_MAX_SENTENCES]
            kept: list[tuple[float, int, int]] = []
            for item in top:
                if kept and sum(b - a for _, a, b in kept) + item[2] - item[1] > TOPIC_MAX_CHARS:
                    break
                kept.append(item)
            if not kept:
                continue
            total = sum(x[0] for x in kept)
            if best is None or total > best[0]:
                best = (total, doc_id, sorted((a, b) for _, a, b in kept))
        if best is None:
            return None
        _, doc_id, spans = best
        doc = self.docs[doc_id]
        norm = self._norm(doc_id)
        text = self._text_of(doc_id)
        lines: list[str] = []
        citations: list[Citation] = []
        for n, (lo, hi) in enumerate(spans, start=1):
            o_lo, o_hi = norm.origin[lo], norm.origin[hi - 1] + 1
            quote = text[o_lo:o_hi].strip()
            lines.append(f"- {marked(quote, n).replace(f'[{n}]', '')}[{n}]")
            citations.append(self._citation(doc, n, quote, self._path_at(doc_id, o_lo), o_lo))
        lead = MSG_TOPIC_SENTENCES.format(title=doc.meta.title, term=term)
        return Answer(question=question, answer=lead + "\n" + "\n".join(lines), status="answered", citations=citations)

    def _path_at(self, doc_id: str, offset: int) -> str:
        section = next((s for s in reversed(self._sections(doc_id)) if s.start <= offset < s.end), None)
        return " > ".join(section.path) if section else ""

    def _citation(self, doc: DocumentRecord, n: int, quote: str, section: str, start: int) -> Citation:
        """A citation of ``quote`` at ``start``, with the page and OCR provenance of the chunk holding it."""
        text = self._text_of(doc.doc_id)
        lo = max(start, 0)
        chunk = self._chunk_at(doc.doc_id, lo)
        return Citation(
            n=n,
            doc_id=doc.doc_id,
            title=doc.meta.title,
            source=doc.source,
            region=doc.meta.region,
            section=section,
            page=chunk.page if chunk else None,
            quote=quote,
            chunk_id=chunk.chunk_id if chunk else None,
            context=text[lo : lo + 300].strip(),
            ocr=chunk.ocr if chunk else False,
            ocr_confidence=chunk.ocr_confidence if chunk else None,
        )

    def _chunk_at(self, doc_id: str, offset: int) -> Chunk | None:
        """The chunk whose span holds ``offset`` (a passage before a table row), or None when unknown."""
        if self._chunks_of is None:
            return None
        holding = [c for c in self._chunks_of(doc_id) if c.start <= offset < c.end]
        return min(holding, key=lambda c: (c.kind != "text", c.end - c.start), default=None)


# Quoted items written right before a term (“强基”“壮腰”“提峰”三项工程), and a gloss right after it (“X”（A、B）).
_QUOTED_ITEMS_BEFORE = re.compile(r"(?:[“\"「『‘][^“”\"「」『』‘’]{1,12}[”\"」』’][、,，和及与]?){2,}$")
_QUOTED_ITEM = re.compile(r"[“\"「『‘]([^“”\"「」『』‘’]{1,12})[”\"」』’]")
_GLOSS_AFTER = re.compile(r"[”\"」』’]?\(([^()]{4,160})\)")
ITEMS_LOOKBACK = 80


def _items_with_term(text: str, start: int, end: int, count: int) -> tuple[int, int] | None:
    """The span of a term with its ``count`` items (before it in quotes, or after it in brackets), or None."""
    before = _QUOTED_ITEMS_BEFORE.search(text[max(0, start - ITEMS_LOOKBACK) : start])
    if before and len(_QUOTED_ITEM.findall(before.group(0))) == count:
        return start - len(before.group(0)), end
    gloss = _GLOSS_AFTER.match(text, end)
    if gloss:
        items = [x for x in re.split(r"[、；;]", gloss.group(1)) if x.strip()]
        if len(items) != count:
            items = [x for x in _ENUM_SPLIT.split(gloss.group(1)) if x.strip()]
        if len(items) == count:
            return start, gloss.end()
    return None


_QUOTES_BEFORE = "“\"「『‘"
ENUM_QUOTED_MAX = 160  # the longest quoted enumeration read right before a term
CLAUSE_ITEM_MAX = 60  # a clause of a run after a term's colon is at most this long
# A gloss in brackets with items: （提升A、提升B）.
_GLOSS = re.compile(r"\(([^()]{4,160})\)")
_HAN_TAIL = re.compile(r"[\u4e00-\u9fff]{2,12}$")
# The end of an enumeration before its generic noun: 等, a stated count (两个), or both (A和B等两方面).
_PARTS_TAIL = re.compile(r"(?:等)?([两二三四五六七八九十]个?)?$")
_COUNT_WORDS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
PARTS_MIN_SUBJECT = 0.6
PARTS_INTRO_CHARS = 60  # how far before 一是 the sentence introducing the parts is read
_ORDINALS = "一二三四五六七八九十"
_CLAUSE_BREAK = "，,；;。！？!?\n"
# Where the run of items around a quoted fragment ends: a quote mark or a clause break.
_ENUM_BOUNDS = _CLAUSE_BREAK + ":：“”\"「」『』‘’《》()（）"
# What may stand between a boundary and a clause's head word: spaces and an item number (（二）, 2., 二是).
_HEAD_LEAD = re.compile(
    r"[ \t]*(?:[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[.、．]|[一二三四五六七八九十]+[是、])?[ \t]*\Z"
)
PARALLEL_MIN = 2
PARALLEL_MIN_OBJECT = 2


def parallel_heads(text: str, word: str) -> list[list[tuple[int, int]]]:
    """Runs of parallel clauses headed by ``word``, each clause as its (start, end) span in ``text``.

    A clause is headed by the word when only spaces or an item number stand between a clause or sentence
    boundary and it, and at least two Han characters of object follow (坚持A，坚持B，…; 聚焦“A”，…。聚焦“B”，…。).
    Two heads are parallel when the second stands in the first's sentence or starts the very next one, or
    when both open consecutive lines (（一）坚持A。… then （二）坚持B。… on the next line). A clause runs to
    the next head, the last one to the same kind of break that separated the others; an item line's clause
    is its first sentence.
    """
    heads: list[int] = []
    line_heads: set[int] = set()
    for m in re.finditer(re.escape(word), text):
        lead = _HEAD_LEAD.search(text, max(0, m.start() - 8), m.start())
        at = lead.start() if lead else m.start()
        if at > 0 and text[at - 1] not in _CLAUSE_BREAK + "：:":
            continue
        obj = text[m.end() : m.end() + 12].lstrip(_QUOTES_BEFORE)
        run = _PLAIN_HAN.match(obj)
        if run is None or len(run.group(0)) < PARALLEL_MIN_OBJECT:
            continue
        heads.append(m.start())
        if at == 0 or text[at - 1] == "\n":
            line_heads.add(m.start())
    groups: list[list[int]] = []
    for h in heads:
        if groups:
            prev = groups[-1][-1]
            end = _sentence_end(text, prev)
            between = text[end:h] if end <= h else ""
            if end > h or _HEAD_LEAD.fullmatch(between.replace("\n", "")) is not None:
                groups[-1].append(h)
                continue
            if {prev, h} <= line_heads and text.count("\n", prev, h) == 1:
                groups[-1].append(h)  # （一）坚持A。…\n（二）坚持B。…: item lines, each headed by the word
                continue
        groups.append([h])
    out: list[list[tuple[int, int]]] = []
    for g in groups:
        if len(g) < PARALLEL_MIN:
            continue
        if all(h in line_heads for h in g) and all(text.count("\n", a, b) == 1 for a, b in itertools.pairwise(g)):
            out.append([(h, _sentence_end(text, h)) for h in g])  # item lines: each item's first sentence
            continue
        spans: list[tuple[int, int]] = []
        for a, b in itertools.pairwise(g):
            lead = _HEAD_LEAD.search(text, a, b)
            cut = lead.start() if lead and lead.start() > a else b
            while cut > a and (text[cut - 1].isspace() or text[cut - 1] in "，,；;"):
                cut -= 1
            spans.append((a, cut))
        sep_in_sentence = _sentence_end(text, g[-2]) > g[-1]
        last = g[-1]
        if sep_in_sentence:
            stop = min((i for i in (text.find(x, last) for x in "，,；;") if i != -1), default=-1)
            end = stop if stop != -1 and stop < _sentence_end(text, last) else _sentence_end(text, last)
        else:
            end = _sentence_end(text, last)
        spans.append((last, end))
        out.append([(a, b) for a, b in spans if b > a])
    return out


_CONJUNCTIONS = ("以及", "和", "及", "与")
SHARED_HEAD_MAX_ITEM = 4  # items sharing the head noun the last carries (胸痛、卒中和创伤中心) are at most this long


def _items_hold(items: Sequence[str], noun: str, following: str) -> bool:
    """Whether an enumeration's items are of the noun a "which" question asks (哪几个共同体建设, 哪些科).

    Each item holds the noun (全科、内科和中医科 for 科); or each ends in a head the noun starts with, the rest
    of the noun closing the last item or following it (A共同体、B共同体和C共同体建设 for 共同体建设); or only
    the last ends so, the short items before it sharing its head (胸痛、卒中和创伤中心 for 中心).
    """
    if all(noun in x for x in items):
        return True
    last = items[-1]
    for k in range(len(noun), 1, -1):
        head, tail = noun[:k], noun[k:]
        if last.endswith(noun):
            core = last[: len(last) - len(tail)]
        elif last.endswith(head) and following.startswith(tail):
            core = last
        else:
            continue
        if all(x.endswith(head) for x in items[:-1]):
            return True
        # The first item also holds the clause's lead (加快建设胸痛): the items between are as short as the last
        # one's modifier (卒中 / 创伤), so they are modifiers too, not nouns of their own (联合病房和特色科室).
        modifier = len(core) - len(head)
        middle = items[1:-1]
        if (
            middle
            and modifier >= 2
            and all(head not in x for x in items[:-1])
            and all(2 <= len(x) <= min(modifier, SHARED_HEAD_MAX_ITEM) for x in middle)
        ):
            return True
    return False


def _clause_run(text: str, pos: int, count: int) -> tuple[int, list[str]] | None:
    """(end, clauses) of exactly ``count`` clauses from ``pos``, or None.

    The clauses are split at ；, and end at 。 (从A转变；从B转变；从C转变。); a run over several sentences
    (A…。B…。C…。) must be parallel: every clause opens with the same character.
    """
    items: list[str] = []
    at = pos
    sentences = 0
    while len(items) < count:
        ends = [i for i in (text.find(c, at) for c in "；;。\n") if i != -1]
        if not ends:
            return None
        end = min(ends)
        item = text[at:end].strip()
        if not item or len(item) > CLAUSE_ITEM_MAX or text[end] == "\n":
            return None
        items.append(item)
        sentences += text[end] == "。"
        at = end + 1
    if text[at - 1] not in "。":
        return None  # the sentence goes on: more clauses than the count
    if sentences > 1 and len({x[0] for x in items}) != 1:
        return None
    return at, items


def _list_items(span: str, measures: Sequence[str]) -> list[str]:
    """The names a plan lists in ``span`` (A、B、C 3家X和D -> A, B, C, D), or [] when it is no list.

    Items split at 、; the last one also at its conjunction (not at a name's first character: 和平).
    A count closing a run of items (3家X) is cut from the item it follows.
    """
    parts = [p.strip() for p in span.split("、")]
    if len(parts) < 2:
        parts = [span.strip()]
    last = parts[-1]
    for conj in _CONJUNCTIONS:
        at = last.find(conj, 2)
        if at != -1:
            parts[-1:] = [last[:at].strip(), last[at + len(conj) :].strip()]
            break
    measure = "|".join(re.escape(m) for m in measures) or "(?!)"
    count = r"(?:\d{1,3}|[两二三四五六七八九十]{1,3})"
    closing = re.compile(rf"\s*等?\s*{count}\s*(?:{measure})[\u4e00-\u9fff()（）]*$")
    items = [closing.sub("", p).strip() for p in parts]
    if len(items) < 2 or any(
        not x or len(x) > COUNTED_MAX_ITEM or not _PLAIN_HAN.search(x) or any(c in x for c in "，,") for x in items
    ):
        return []
    return items


STAGE_LEAD_CHARS = 16
MIN_STAGE_YEARS = 2  # a degree ask (各要到啥程度) asks stages when it names this many years
_STAGE_STARTS = "。！？!?\n"
_STAGE_ENDS = "。！？!?"
STATEMENT_MIN_LINE = 16  # a shorter line ending without punctuation is a heading, not a wrapped sentence


def _statement_bounds(text: str, pos: int) -> tuple[int, int]:
    """The sentence holding ``pos``: from after a full stop (or a line that ends one or is a heading) to its full stop.

    Page-wrapped lines (a long line cut mid-word) stay inside it; semicolons do not end it.
    """
    lo = pos
    while lo > 0:
        ch = text[lo - 1]
        if ch in _STAGE_ENDS:
            break
        if ch == "\n":
            line_end = lo - 1
            while line_end > 0 and text[line_end - 1].isspace():
                line_end -= 1
            line_start = text.rfind("\n", 0, line_end) + 1
            last = text[line_end - 1] if line_end > 0 else ""
            if last in "。；;！？!?：:" or line_end - line_start < STATEMENT_MIN_LINE:
                break
        lo -= 1
    hi = pos
    while hi < len(text) and text[hi] not in _STAGE_ENDS:
        hi += 1
    return lo, min(hi + 1, len(text))


def _cut_term(clause: str, words: ShapeWords) -> str:
    """南某那个细则说的X -> X: a term without the plan named before it and the words joining them."""
    said = next((x for x in words.said_words if x in clause), None)
    if said and len(clause) - clause.index(said) - len(said) >= 2:
        clause = clause[clause.index(said) + len(said) :]
    for cut in words.term_lead_cuts:
        if clause.startswith(cut) and len(clause) - len(cut) >= 2:
            clause = clause[len(cut) :]
            break
    return clause.strip(" ，,：:的")


def _heading_of_line(line: str, heading: str) -> str:
    """The heading as a line writes it with spaces (19. 完善X。… for 19.完善X), else the whole line."""
    want = re.sub(r"\s+", "", heading)
    got = 0
    for i, ch in enumerate(line):
        if ch.isspace():
            continue
        if got == len(want) or ch != want[got]:
            break
        got += 1
        if got == len(want):
            return line[: i + 1]
    return line


def _sentence_end(text: str, pos: int) -> int:
    for i in range(pos, len(text)):
        if text[i] in _SENTENCE_END:
            return i + 1
    return len(text)


def _unbalanced(span: str) -> bool:
    return span.count("(") > span.count(")") or span.count("“") > span.count("”")


def _first_sentences(body: str, n: int) -> str:
    pos = 0
    for _ in range(n):
        nxt = _sentence_end(body, pos)
        if nxt <= pos:
            break
        pos = nxt
    return body[:pos].strip()



def _share(subjects: Sequence[frozenset[str]], context: str) -> float:
    """The best share of the question's own words (bigrams) the context holds; all when some reading has none."""
    grams = bigrams(context)
    return max((len(x & grams) / len(x) if x else 1.0 for x in subjects), default=0.0)


def _sentences_within(body: str, limit: int) -> str:
    """The body's first sentences, as many as fit in ``limit`` characters (at least one)."""
    pos = 0
    while pos < len(body):
        nxt = _sentence_end(body, pos)
        if pos and nxt > limit:
            break
        pos = nxt
    return body[:pos].strip()


# A line break inside a sentence (a PDF line cut at a fixed width): the line before ends with no punctuation.
_BROKEN_LINE = re.compile(r"(?<=[^。；;！？!?：:\s])[ \t]*\n\s*")
_MARKED_SENTENCE = re.compile(r"[^。；;！？!?\n]+[。；;！？!?]*")


def marked(quote: str, n: int) -> str:
    """The quote with its marker ``[n]`` after every sentence, lines broken mid-sentence joined.

    A reader (and the grounding check) finds the source of each sentence's numbers in that sentence.
    """
    text = _BROKEN_LINE.sub("", quote.strip())
    return "".join(f"{s.strip()}[{n}]" for s in _MARKED_SENTENCE.findall(text) if s.strip())

"""Question shapes answered from a plan's structure: its tasks, its safeguards, what a term means.

The wording is data (``assistant/rules/answer_shapes.toml``); this module says how it is read. A
shape is found on the question's words alone, before any lookup, so it costs no search.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ingestion.text.normalize import nfkc

SHAPES_FILE = Path(__file__).with_name("rules") / "answer_shapes.toml"
ShapeKind = Literal["tasks", "safeguards", "meaning", "list", "topic", "repeated", "outline", "counted"]

# A quoted term: “双提升”, "两个允许", 「…」.
_QUOTED = re.compile(r"[“\"「『‘]([^”\"」』’]{2,30})[”\"」』’]")
# A number question is never a structure question (多少 / 比例 / 率 is asked for a value).
_NUMBER_ASKED = re.compile(r"多少|几[个名张人次%]|百分之|比例是|率是|率要|率达")


@dataclass(frozen=True)
class ShapeWords:
    """The lists of answer_shapes.toml, typed."""

    task_words: tuple[str, ...]
    task_headings: tuple[str, ...]
    safeguard_words: tuple[str, ...]
    safeguard_headings: tuple[str, ...]
    ask_words: tuple[str, ...]
    markers: tuple[str, ...]
    strict_markers: tuple[str, ...]
    term_lead_cuts: tuple[str, ...]
    definers: tuple[str, ...]
    doc_kinds: tuple[str, ...]
    definer_not_before: tuple[str, ...]
    said_words: tuple[str, ...] = ()
    which_words: tuple[str, ...] = ()
    filler_chars: str = ""
    measure_words: tuple[str, ...] = ()
    generic_nouns: tuple[str, ...] = ()
    noun_tail_cuts: tuple[str, ...] = ()
    question_tails: tuple[str, ...] = ()
    intro_words: tuple[str, ...] = ()
    part_verbs: tuple[str, ...] = ()
    topic_leads: tuple[str, ...] = ()
    topic_tails: tuple[str, ...] = ()
    topic_asks: tuple[str, ...] = ()
    repeated_asks: tuple[str, ...] = ()
    repeated_said: tuple[str, ...] = ()
    outline_units: tuple[str, ...] = ()
    outline_numbered_units: tuple[str, ...] = ()
    outline_asks: tuple[str, ...] = ()
    outline_heading_leads: tuple[str, ...] = ()
    outline_verbs: tuple[str, ...] = ()
    outline_tails: tuple[str, ...] = ()
    outline_middle: tuple[str, ...] = ()
    outline_abbreviation_openers: tuple[str, ...] = ()
    outline_topic_leads: tuple[str, ...] = ()
    counted_adverbs: tuple[str, ...] = ()
    counted_verbs: tuple[str, ...] = ()
    counted_joiners: tuple[str, ...] = ()
    counted_leads: tuple[str, ...] = ()
    first_leads: tuple[str, ...] = ()
    first_measures: tuple[str, ...] = ()
    quoted_asks: tuple[str, ...] = ()
    quoted_after_leads: tuple[str, ...] = ()
    stage_asks: tuple[str, ...] = ()
    stage_degree_asks: tuple[str, ...] = ()
    stage_lead: str = ""
    exception_asks: tuple[str, ...] = ()
    exception_markers: tuple[str, ...] = ()
    exception_definers: tuple[str, ...] = ()


def longest(words: tuple[str, ...]) -> tuple[str, ...]:
    """``words`` longest first, so that a longer word is tried before a word it holds."""
    return tuple(sorted(words, key=len, reverse=True))


def load_shape_words(path: Path = SHAPES_FILE) -> ShapeWords:
    """Read a shapes file (the shipped one by default)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))

    def words(table: str, key: str) -> tuple[str, ...]:
        return tuple(nfkc(w) for w in data[table][key])

    return ShapeWords(
        task_words=words("tasks", "question_words"),
        task_headings=words("tasks", "headings"),
        safeguard_words=words("safeguards", "question_words"),
        safeguard_headings=words("safeguards", "headings"),
        ask_words=words("listing", "ask_words"),
        markers=tuple(sorted(words("meaning", "markers"), key=len, reverse=True)),
        strict_markers=words("meaning", "strict_markers"),
        term_lead_cuts=tuple(sorted(words("meaning", "term_lead_cuts"), key=len, reverse=True)),
        definers=words("meaning", "definers"),
        doc_kinds=words("meaning", "doc_kinds"),
        definer_not_before=words("meaning", "definer_not_before"),
        said_words=tuple(sorted(words("meaning", "said_words"), key=len, reverse=True)),
        which_words=words("lists", "which_words"),
        filler_chars=nfkc(data["lists"]["filler_chars"]),
        measure_words=tuple(sorted(words("lists", "measure_words"), key=len, reverse=True)),
        generic_nouns=words("lists", "generic_nouns"),
        noun_tail_cuts=tuple(sorted(words("lists", "noun_tail_cuts"), key=len, reverse=True)),
        question_tails=words("lists", "question_tails"),
        intro_words=words("lists", "intro_words"),
        part_verbs=tuple(sorted(words("lists", "part_verbs"), key=len, reverse=True)),
        topic_leads=tuple(sorted(words("topics", "leads"), key=len, reverse=True)),
        topic_tails=tuple(sorted(words("topics", "tails"), key=len, reverse=True)),
        topic_asks=tuple(sorted(words("topics", "asks"), key=len, reverse=True)),
        repeated_asks=tuple(sorted(words("repeated", "asks"), key=len, reverse=True)),
        repeated_said=words("repeated", "said"),
        outline_units=tuple(sorted(words("outline", "units"), key=len, reverse=True)),
        outline_numbered_units=words("outline", "numbered_units"),
        outline_asks=tuple(sorted(words("outline", "asks"), key=len, reverse=True)),
        outline_heading_leads=tuple(sorted(words("outline", "heading_leads"), key=len, reverse=True)),
        outline_verbs=tuple(sorted(words("outline", "verbs"), key=len, reverse=True)),
        outline_tails=tuple(sorted(words("outline", "tails"), key=len, reverse=True)),
        outline_middle=tuple(sorted(words("outline", "middle"), key=len, reverse=True)),
        outline_abbreviation_openers=words("outline", "abbreviation_openers"),
        outline_topic_leads=longest(words("outline", "topic_leads")) if "topic_leads" in data["outline"] else (),
        counted_adverbs=tuple(sorted(words("counted_items", "adverbs"), key=len, reverse=True)),
        counted_verbs=tuple(sorted(words("counted_items", "verbs"), key=len, reverse=True)),
        counted_joiners=tuple(sorted(words("counted_items", "joiners"), key=len, reverse=True)),
        counted_leads=words("counted_items", "leads"),
        first_leads=words("listing", "first_leads"),
        first_measures=words("listing", "first_measures"),
        quoted_asks=words("quoted_terms", "asks"),
        quoted_after_leads=tuple(sorted(words("quoted_terms", "after_leads"), key=len, reverse=True)),
        stage_asks=words("stages", "asks") if "stages" in data else (),
        stage_degree_asks=words("stages", "degree_asks") if "stages" in data else (),
        stage_lead=str(data.get("stages", {}).get("lead", "")),
        exception_asks=longest(words("exceptions", "asks")) if "exceptions" in data else (),
        exception_markers=words("exceptions", "markers") if "exceptions" in data else (),
        exception_definers=words("exceptions", "definers") if "exceptions" in data else (),
    )


@functools.cache
def shape_words() -> ShapeWords:
    """The shipped shape words, read once."""
    return load_shape_words()


@dataclass(frozen=True)
class Shape:
    """What a structure question asks: a kind, the term it asks about, and the words left to name a plan."""

    kind: ShapeKind
    term: str = ""
    strict: bool = False
    headings: tuple[str, ...] = ()
    rest: str = ""
    before: str = ""
    after: str = ""
    count: int = 0
    generic: str = ""
    first: int = 0
    middle: bool = False


def _cut_lead(term: str, words: ShapeWords) -> str:
    """南某方案里说的5家卫生院 -> 5家卫生院: drop a named plan and the words joining it to the term."""
    kinds = "|".join(re.escape(k) for k in words.doc_kinds)
    cuts = "|".join(re.escape(c) for c in words.term_lead_cuts)
    m = re.match(rf"^.*?(?:{kinds})(?:{cuts})?", term) if kinds else None
    if m and len(term) - m.end() >= 2:
        term = term[m.end() :]
    said = next((x for x in words.said_words if x in term), None)
    if said and len(term) - term.index(said) - len(said) >= 2:
        term = term[term.index(said) + len(said) :]  # 南某区说的5家卫生院: a plan named by its region
    for cut in words.term_lead_cuts:
        if term.startswith(cut) and len(term) - len(cut) >= 2:
            term = term[len(cut) :]
            break
    return term.strip(" ，,：:的")


def first_items(question: str, words: ShapeWords | None = None) -> tuple[int, str]:
    """(N, the question without it) when it asks only the first N items of a list (主要任务前三项), else (0, question).

    The lead and measure words are ``[listing] first_leads`` / ``first_measures``; the count is a numeral
    (三, 十二) or digits (3).
    """
    w = words or shape_words()
    if not (w.first_leads and w.first_measures):
        return 0, question
    leads = "|".join(map(re.escape, w.first_leads))
    measures = "|".join(map(re.escape, w.first_measures))
    for m in re.finditer(rf"(?:{leads})([{_NUMERAL}]{{1,3}}|\d{{1,2}})(?:{measures})", question):
        n = numeral_value(m.group(1))
        if n > 0:
            return n, question[: m.start()] + " " + question[m.end() :]
    return 0, question


def classify(question: str, words: ShapeWords | None = None) -> Shape | None:
    """The structure shape of ``question``, or None when it asks for something else (a number).

    A question asking the first N items (主要任务前三项是哪几个) has ``first`` N; its 哪几个 asks which items.
    """
    w = words or shape_words()
    q = nfkc(question).strip().rstrip("？?。!！ ")
    first, q = first_items(q, w)
    if not q or _NUMBER_ASKED.search(q.replace("哪几", "哪些") if first else q):
        return None
    asks = any(a in q for a in w.ask_words)
    for kind, qwords, heads in (
        ("tasks", w.task_words, w.task_headings),
        ("safeguards", w.safeguard_words, w.safeguard_headings),
    ):
        hit = next((x for x in qwords if x in q), None)
        if hit and asks:
            rest = q
            for x in (*qwords, *w.ask_words):
                rest = rest.replace(x, " ")
            return Shape(kind=kind, headings=heads, rest=rest, first=first)  # type: ignore[arg-type]
    marker = next((m for m in w.markers if m in q), None)
    if marker is None:
        return None
    quoted = _QUOTED.search(q)
    term = quoted.group(1) if quoted else _cut_lead(q[: q.index(marker)], w)
    if len(term) < 2:
        return None
    rest = q.replace(term, " ").replace(marker, " ")
    return Shape(kind="meaning", term=term, strict=marker in w.strict_markers, rest=rest, first=first)


_HAN = re.compile(r"[\u4e00-\u9fff]+")
_COUNTS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def list_shape(question: str, words: ShapeWords | None = None) -> Shape | None:
    """A question asking which items a plan lists (要遵循哪几条原则), or None.

    ``term`` is the noun the items are (原则; 具体目标 when the noun stands before the "which" word,
    empty when it is generic like 方面), ``before`` / ``after`` the question's words either side of
    the "which" phrase (以 / 为重点), ``count`` the number asked for (哪两个 -> 2), ``rest`` the
    question without the "which" phrase.
    """
    w = words or shape_words()
    q = nfkc(question).strip().rstrip("？?。!！ ")
    if not q or "多少" in q:
        return None
    which = next((x for x in w.which_words if x in q), None)
    if which is None:
        return None
    at = q.index(which)
    end = at + len(which)
    measure = next((m for m in w.measure_words if q.startswith(m, end)), "")
    end += len(measure)
    before, after = q[:at], q[end:]
    for tail in w.question_tails:
        after = after.removesuffix(tail)
    generic = next((g for g in w.generic_nouns if after.startswith(g)), None)
    noun = ""
    if generic:
        after = after[len(generic) :]  # 以哪几方面为重点: the frame 以 … 为重点 says what the items are
    elif after:
        run = _HAN.match(after)
        noun = run.group(0)[:6] if run else ""
    else:
        head = before
        for cut in w.noun_tail_cuts:
            if head.endswith(cut) and len(head) > len(cut):
                head = head[: -len(cut)]
                break
        run = _HAN.search(head[::-1])
        noun = run.group(0)[::-1][-4:] if run and run.start() == 0 else ""
    count = _COUNTS.get(which[-1], 0)
    if not noun and not (before and (after or generic)):
        return None
    rest = before + " " + after
    return Shape(kind="list", term=noun, rest=rest, before=before, after=after, count=count, generic=generic or "")


def parts_subject(shape: Shape, words: ShapeWords | None = None) -> str:
    """What a frameless generic question asks the parts of (双提升工程包括哪两个方面 -> 双提升工程), or "".

    Only a list question whose generic noun ends it (nothing after 方面) has one; the verb joining the
    subject to the "which" phrase (包括, 体现在 …, ``[lists] part_verbs``) is cut.
    """
    w = words or shape_words()
    if not shape.generic or shape.after or shape.term:
        return ""
    subject = shape.before.strip(" ，,的")
    cut = True
    while cut:
        cut = False
        for verb in w.part_verbs:
            if subject.endswith(verb) and len(subject) > len(verb):
                subject = subject[: -len(verb)].rstrip(" ，,的")
                cut = True
                break
    return subject if len(_HAN.findall(subject)) and len("".join(_HAN.findall(subject))) >= 2 else ""


def counted_term_shape(question: str, words: ShapeWords | None = None) -> Shape | None:
    """A question asking which N items a quoted term stands for (“三联动”是哪三项), or None.

    ``term`` is the quoted term, ``count`` the number its "which" word asks for (哪三 -> 3), ``rest`` the
    question without the term (to name a plan).
    """
    w = words or shape_words()
    q = nfkc(question).strip().rstrip("？?。!！ ")
    quoted = _QUOTED.search(q)
    if quoted is None or "多少" in q:
        return None
    which = next((x for x in w.which_words if x in q[quoted.end() :]), None)
    count = _COUNTS.get(which[-1], 0) if which else 0
    if count < 2:
        return None
    term = quoted.group(1)
    return Shape(kind="list", term=term, rest=q.replace(quoted.group(0), " "), count=count)


# A count opening a term (四下沉, 四个共同体, 3项机制): the numeral, an optional measure word, then the noun.
_TERM_COUNT = re.compile(r"^([两二三四五六七八九十]{1,2}|\d{1,2})(?:个|项|大|条|类|种)?[\u4e00-\u9fff]")


def quoted_term_shape(question: str, words: ShapeWords | None = None) -> Shape | None:
    """A question asking what a quoted term of a plan stands for (“四下沉”是哪四个), or None.

    ``term`` is the quoted term, ``count`` the number of items it (四下沉 -> 4) or the which word after it
    (哪四个 -> 4) states (0 when neither does; None when the two differ), ``rest`` the question without the term
    (to name a plan). An asking word (``[quoted_terms] asks``, a which word, an ask word) must follow the term.
    """
    w = words or shape_words()
    q = nfkc(question).strip().rstrip("？?。!！ ")
    quoted = _QUOTED.search(q)
    if quoted is None or "多少" in q:
        return None
    after = q[quoted.end() :]
    which = next((x for x in w.which_words if x in after), None)
    if which is None and not any(a in after for a in (*w.quoted_asks, *w.ask_words)):
        return None
    term = quoted.group(1).strip()
    own = _TERM_COUNT.match(term)
    count = numeral_value(own.group(1)) if own else 0
    asked = _COUNTS.get(which[-1], 0) if which else 0
    if count and asked and count != asked:
        return None  # “三项行动”是哪两项: no list answers both counts
    count = count or asked
    return Shape(kind="list", term=term, rest=q.replace(quoted.group(0), " "), count=count)


def topic_shape(question: str, words: ShapeWords | None = None) -> Shape | None:
    """A question asking what a plan requires on a topic (在控烟上有什么要求), or None; ``term`` is the topic."""
    w = words or shape_words()
    q = nfkc(question).strip().rstrip("？?。!！ ")
    for tail in w.question_tails:  # 在控烟上有什么要求呢: a particle after the ask
        q = q.removesuffix(tail)
    ask = next((a for a in w.topic_asks if q.endswith(a)), None)
    if ask is None:
        return None
    head = q[: -len(ask)]
    tailed = False
    for tail in w.topic_tails:
        if head.endswith(tail) and len(head) > len(tail) + 2:
            head = head[: -len(tail)]
            tailed = True
            break
    for lead in w.topic_leads:
        at = head.rfind(lead)
        if at != -1 and len(head) - at - len(lead) >= 2:
            term = head[at + len(lead) :].strip(" 的")
            if 2 <= len(term) <= 10:
                return Shape(kind="topic", term=term, rest=head[:at])
    if tailed:
        # 纲要里远程医疗方面怎么要求: no lead word; the topic is what follows a named plan.
        term, prev = _cut_lead(head, w), head
        while term != prev:  # 健康中国2030规划纲要里…: every plan word is cut
            term, prev = _cut_lead(term, w), term
        if 2 <= len(term) <= 10 and _HAN.fullmatch(term):
            return Shape(kind="topic", term=term, rest=head[: len(head) - len(term)])
    return None


# A count before a word: 几个 / 哪几个 / 三个 / 3项 (the measure word optional).
_COUNT_BEFORE = re.compile(r"(?:哪)?(几|[两二三四五六七八九十]|\d{1,2})(?:个|条|项|大|点)?$")
REPEATED_MAX_WORD = 4
# An unquoted counted word: 哪几个坚持 / 几个聚焦 / 三个坚持 (the measure word required).
_COUNTED_WORD = re.compile(r"(?:哪)?(几|[两二三四五六七八九十])(?:个|条|项|大|点)([\u4e00-\u9fff]{2})")
_QUOTED_SHORT = re.compile(r"[“\"「『‘]([^”\"」』’]{1,30})[”\"」』’]")


def repeated_shape(question: str, words: ShapeWords | None = None) -> Shape | None:
    """A question asking for the clauses a plan heads with one word (几个“聚焦”都是聚焦啥), or None.

    The word is quoted with a count before it (几个“聚焦”, 三个“坚持”) or a "which" word after it
    (“坚持”有哪几条); unquoted, it follows a counted measure word (哪几个坚持, 几个聚焦) and only an ask of
    ``[repeated] asks`` ends the question. ``term`` is the word, ``count`` the number asked (几 -> 0).
    """
    w = words or shape_words()
    q = nfkc(question).strip().rstrip("？?。!！ ")
    if not q or "多少" in q:
        return None
    for quoted in _QUOTED_SHORT.finditer(q):
        term = quoted.group(1)
        if not _HAN.fullmatch(term) or len(term) > REPEATED_MAX_WORD:
            continue
        count_m = _COUNT_BEFORE.search(q[: quoted.start()])
        after = q[quoted.end() :]
        if count_m is None and not any(x in after for x in w.which_words):
            continue
        count = _count_of(count_m.group(1)) if count_m else 0
        rest = q[: count_m.start() if count_m else quoted.start()] + " " + after
        return Shape(kind="repeated", term=term, rest=rest, count=count)
    for m in _COUNTED_WORD.finditer(q):
        term = m.group(2)
        tail = q[m.end() :].replace(term, "")
        said = any(q[: m.start()].endswith(v) for v in w.repeated_said)  # 方案提了哪几个聚焦
        if tail in w.repeated_asks or (said and not tail):
            return Shape(kind="repeated", term=term, rest=q[: m.start()], count=_count_of(m.group(1)))
    return None


def _count_of(word: str) -> int:
    """几 -> 0 (any number), 三 -> 3, 3 -> 3."""
    return int(word) if word.isdigit() else _COUNTS.get(word, 0)


def outline_shape(question: str, words: ShapeWords | None = None) -> Shape | None:
    """A question asking the divisions of a section it names (实施细则分了哪几章, 那一篇包括哪几章), or None.

    The question ends in an ask of ``[outline] asks`` and a unit of ``[outline] units`` (哪几 + 章);
    ``term`` is the unit, ``rest`` the question before the ask (it names the section, and maybe the plan).
    """
    w = words or shape_words()
    if not w.outline_units or not w.outline_asks:
        return None
    q = nfkc(question).strip().rstrip("？?。!！ ")
    for tail in w.question_tails:
        q = q.removesuffix(tail)
    for tail in w.outline_tails:
        q = q.removesuffix(tail)  # 分几个方面讲的: how the section speaks, not what it is
    q = q.rstrip("，, ")  # 有哪几章，都讲些什么: the tail stood in a clause of its own
    asks = "|".join(re.escape(a) for a in w.outline_asks)
    units = "|".join(re.escape(u) for u in w.outline_units)
    m = re.search(rf"({asks})({units})$", q)
    if m is None or "多少" in q:
        return None
    rest = q[: m.start()]
    if len(_HAN.findall(rest)) == 0 or len("".join(_HAN.findall(rest))) < 3:
        return None
    # An ask holding a count (哪两节, 哪三个方面): the divisions listed must be that many.
    counted = re.search(rf"[{_NUMERAL}]+", m.group(1))
    count = numeral_value(counted.group(0)) if counted else 0
    # 中间几章: the divisions between the first and the last (总则 and 附则 of a 细则).
    middle = next((x for x in w.outline_middle if rest.rstrip("，, ").endswith(x)), "")
    if middle:
        rest = rest.rstrip("，, ").removesuffix(middle)
    return Shape(kind="outline", term=m.group(2), rest=rest, count=count, middle=bool(middle))


_NUMERAL = "两二三四五六七八九十"


def numeral_value(word: str) -> int:
    """5 -> 5, 五 -> 5, 十二 -> 12, 二十 -> 20; 0 when the word is no count."""
    if word.isdigit():
        return int(word)
    if not word or any(c not in _NUMERAL for c in word):
        return 0
    if "十" not in word:
        return _COUNTS.get(word, 0) if len(word) == 1 else 0
    tens, _, ones = word.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return 0
    return (_COUNTS.get(tens, 0) if tens else 1) * 10 + (_COUNTS.get(ones, 0) if ones else 0)


def numeral_forms(n: int) -> tuple[str, ...]:
    """How a plan may write the count ``n``: 5 and 五 (2 also as 两)."""
    digits = "一二三四五六七八九"
    forms = [str(n)]
    if 1 <= n <= 9:
        forms.append(digits[n - 1])
    elif 10 <= n <= 99:
        tens, ones = divmod(n, 10)
        forms.append(("" if tens == 1 else digits[tens - 1]) + "十" + (digits[ones - 1] if ones else ""))
    if n == 2:
        forms.append("两")
    return tuple(forms)


def counted_items_shape(question: str, words: ShapeWords | None = None) -> Shape | None:
    """A question asking which the N things a plan counts are (说的5家卫生院（中心）具体是哪几家), or None.

    A count, a measure word (``[lists] measure_words``), the thing counted, then optional adverbs and a
    verb (``[counted_items]``) before a "which" word. ``term`` is the thing (卫生院(中心)), ``count`` the
    number, ``before`` the measure word, ``rest`` the question before the count (it may name a plan).
    """
    w = words or shape_words()
    q = nfkc(question).strip().rstrip("？?。!！ ")
    if not q or "多少" in q or not w.measure_words:
        return None
    measures = "|".join(re.escape(m) for m in w.measure_words)
    fillers = "|".join(re.escape(x) for x in (*w.counted_adverbs, *w.counted_verbs))
    which = "|".join(re.escape(x) for x in (*w.which_words, "哪"))
    for tail in w.question_tails:
        q = q.removesuffix(tail)
    # The "which" word ends the question (哪几家, 哪五个): 哪些地区没有 asks about something else.
    m = re.search(
        rf"(\d{{1,3}}|[{_NUMERAL}]{{1,3}})\s*({measures})(.{{2,16}}?)(?:{fillers})*(?:{which})[几{_NUMERAL}\d]?(?:{measures})?$",
        q,
    )
    if m is None:
        return None
    if any(c in m.group(0) or q[max(0, m.start() - 1)] == c for c in "“”\"「」『』‘’"):
        return None  # “三项行动”是哪两项: a quoted term (counted_term_shape), not a count of things
    count = numeral_value(m.group(1))
    # 分三个阶段，是哪三个: the comma before the ask ends the thing counted.
    term = m.group(3).strip(" 的,、;:")
    if count < 2 or len("".join(_HAN.findall(term))) < 2:
        return None
    return Shape(kind="counted", term=term, count=count, before=m.group(2), rest=q[: m.start()])

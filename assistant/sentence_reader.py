"""The sentence reader: a requirement asked in everyday words, answered by the plan sentence that states it.

``白鹭区的医保总额付费试点要求啥时候启动？``, ``巡回医疗车是干啥用的？``, ``比例要降多少？``, ``起付线咋算？`` or
``会不会对基层门诊搞总额控费？`` may find no target row, and the requirement path's stricter reading
(requirements.py) no sentence. The reader is the last try before "not found": the question's kind (a time, an
agency, a purpose, the plan's guiding idea, an amount, a rule of counting, a ceiling, a yes or no) says what a
sentence answering it must hold (its cue; none for a yes or no), and among the sentences that hold it, the one whose
words best cover the question's content words (jieba, the question's ask words and fillers left out,
everyday words read in the plan's: 看病 -> 就医) is quoted and cited, when it covers enough of them.
Wording lists live in ``assistant/rules/sentence_reader.toml``.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.requirements import (
    MSG_REQUIREMENT,
    MSG_REQUIREMENT_LINE,
    MSG_REQUIREMENTS_LEAD,
    agent_heading,
    asked_action,
    marked_quote,
    sentences,
    sentences_with_leads,
    word_weight,
)
from assistant.rule_files import longest_first, read_rules
from assistant.schema import Answer, Citation, SearchHit
from ingestion.text.normalize import nfkc
from ingestion.text.numbers import parse_quantities

READER_FILE = "sentence_reader.toml"
MIN_WORD_CHARS = 2
MIN_SENTENCE_CHARS = 6
RANK_TIEBREAK = 0.001
TOPIC_ALL_WORDS = 0.1  # a topic sentence's tie-break: the share of all the topic's words it holds
TOPIC_ASKED_WORDS = 0.1  # and the share of the asking clause's own words (国家纲要在…上又是咋要求的)
TOPIC_GOAL = 0.05  # and whether it states a goal or a requirement (sentence_reader.toml [topic] goal_cue)
_HAN = re.compile(r"[\u4e00-\u9fff]")
_CLAUSE = re.compile(r"[，,；;：:]")
_YEAR_NAMED = re.compile(r"\d{2}\s*年")
_RUN = re.compile(r"[\u4e00-\u9fff]+")
MIN_RUN_CHARS = 3
COMPOUND_CHARS = 4  # a word jieba keeps whole of two words of two characters (人才培养)
COMPOUND_PARTS_WEIGHT = 0.5  # held in part when both its words stand in the sentence apart
COMPOUND_ORDERED_WEIGHT = 0.8  # held nearly whole when its words stand in order within one clause (人才“双轨制”培养)
_CLAUSES = re.compile(r"[，,。；;！!？?：:]")  # clause ends, for a compound's words standing in one clause
RUN_BONUS = 0.05  # a sentence holding a phrase of the question whole (东迁中心) beats one holding its words apart


@dataclass(frozen=True)
class AskKind:
    """One kind of question the reader answers, and what a sentence answering it must hold."""

    name: str
    asks: tuple[str, ...]
    min_coverage: float
    cue: re.Pattern[str] | None = None
    nouns: tuple[str, ...] = ()
    numbers: bool = False
    action: bool = False
    subject_first: bool = False
    same_clause: bool = False
    needs_year: bool = False
    heading_counts: bool = False
    min_words: int = 1
    # Asks of a form rather than a list (设不设, 允许不允许: ``ask_forms``), tried when no listed ask stands in
    # the question.
    ask_forms: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Frame:
    """A question frame with a slot (以啥为导向, 按啥原则): a sentence answering it fills the slot in the same frame.

    ``leads`` open the frame in the question (以, 按); ``sentence_leads`` open it in a sentence (以; 按照, 按);
    ``joint`` stands between the slot and the tail (为 of 以…为导向; none for 按…原则); ``tails`` close it
    (导向, 核心; 原则). The tail the question names must close the sentence's frame too.
    """

    leads: tuple[str, ...]
    sentence_leads: tuple[str, ...]
    joint: str
    tails: tuple[str, ...]


@dataclass(frozen=True)
class ReaderWords:
    """The lists of sentence_reader.toml."""

    kinds: tuple[AskKind, ...]
    fillers: tuple[str, ...] = ()
    plain: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Nouns after the ask word naming the kind of thing asked (啥制度, 什么特殊办法): the sentence names the thing.
    ask_nouns: tuple[str, ...] = ()
    modal_leads: tuple[str, ...] = ()
    topic_min_coverage: float = 1.0
    common_words: frozenset[str] = frozenset()
    goal_cue: re.Pattern[str] | None = None
    frames: tuple[Frame, ...] = ()
    slots: tuple[str, ...] = ()
    frame_min_coverage: float = 1.0
    kind_of: tuple[str, ...] = ()
    kind_of_min_coverage: float = 1.0
    # [covered]: a yes-or-no follow-up asking whether someone is covered (也能拿这个奖励吗) and the condition's cue.
    covered_asks: tuple[str, ...] = ()
    covered_cue: re.Pattern[str] | None = None
    covered_min_coverage: float = 1.0


def parse_reader_words(data: Mapping[str, Any]) -> ReaderWords:
    """The reader's lists from a parsed sentence_reader.toml."""
    kinds = tuple(
        AskKind(
            name=str(k["name"]),
            asks=longest_first(nfkc(w) for w in k.get("asks", [])),
            min_coverage=float(k["min_coverage"]),
            cue=re.compile(k["cue"]) if k.get("cue") else None,
            nouns=longest_first(nfkc(w) for w in k.get("nouns", [])),
            numbers=bool(k.get("numbers", False)),
            action=bool(k.get("action", False)),
            subject_first=bool(k.get("subject_first", False)),
            same_clause=bool(k.get("same_clause", False)),
            needs_year=bool(k.get("needs_year", False)),
            min_words=int(k.get("min_words", 1)),
            ask_forms=re.compile(k["ask_forms"]) if k.get("ask_forms") else None,
        )
        for k in data.get("kinds", [])
    )
    words = data.get("words", {})
    plain = {nfkc(k): tuple(nfkc(x) for x in v) for k, v in words.get("plain", {}).items()}
    return ReaderWords(
        kinds=kinds,
        fillers=longest_first(nfkc(w) for w in words.get("fillers", [])),
        plain=plain,
        ask_nouns=longest_first(nfkc(w) for w in words.get("ask_nouns", [])),
        modal_leads=tuple(nfkc(w) for w in words.get("modal_leads", [])),
        topic_min_coverage=float(data.get("topic", {}).get("min_coverage", 1.0)),
        common_words=frozenset(nfkc(w) for w in data.get("topic", {}).get("common_words", [])),
        goal_cue=re.compile(data["topic"]["goal_cue"]) if data.get("topic", {}).get("goal_cue") else None,
        frames=tuple(
            Frame(
                leads=longest_first(nfkc(x) for x in f["leads"]),
                sentence_leads=longest_first(nfkc(x) for x in f.get("sentence_leads", f["leads"])),
                joint=nfkc(f.get("joint", "")),
                tails=longest_first(nfkc(x) for x in f["tails"]),
            )
            for f in data.get("frames", {}).get("frame", [])
        ),
        slots=longest_first(nfkc(w) for w in data.get("frames", {}).get("slots", [])),
        frame_min_coverage=float(data.get("frames", {}).get("min_coverage", 1.0)),
        kind_of=longest_first(nfkc(x) for x in data.get("kind_of", {}).get("asks", [])),
        kind_of_min_coverage=float(data.get("kind_of", {}).get("min_coverage", 1.0)),
        covered_asks=longest_first(nfkc(x) for x in data.get("covered", {}).get("asks", [])),
        covered_cue=re.compile(data["covered"]["cue"]) if data.get("covered", {}).get("cue") else None,
        covered_min_coverage=float(data.get("covered", {}).get("min_coverage", 1.0)),
    )


@functools.cache
def reader_words() -> ReaderWords:
    """The shipped lists, read once."""
    return parse_reader_words(read_rules(READER_FILE))


@dataclass(frozen=True)
class Asked:
    """The kind a question asks, the ask word and noun it asks with, and its content words."""

    kind: AskKind
    ask: str
    noun: str
    words: frozenset[str]
    action: tuple[str, ...] | None
    runs: tuple[str, ...] = ()  # the question's phrases of 3+ characters once ask words and fillers are out


def asked(
    question: str,
    regions: Sequence[str] = (),
    words: ReaderWords | None = None,
    with_year: bool = False,
) -> Asked | None:
    """What ``question`` asks (None when it asks none of the reader's kinds or names no content word).

    The content words are jieba's words of two Chinese characters or more, after the ask words and the
    fillers are taken out; a word naming a region asked (白鹭 of 白鹭区) is left out too: the region is
    checked on its own. A kind that ``needs_year`` is asked only ``with_year`` (the question names a year).
    """
    w = words or reader_words()
    q = nfkc(question)
    framed = frame_asked(q, regions, w) or kind_of_asked(q, regions, w)
    if framed is not None:
        return framed
    for kind in w.kinds:
        if kind.needs_year and not with_year:
            continue
        ask = next((a for a in kind.asks if a in q), "")
        if not ask and kind.ask_forms is not None:
            form = kind.ask_forms.search(q)
            ask = form.group(0) if form else ""
        if not ask:
            continue
        noun = next((n for n in kind.nouns if n in q), "")
        if kind.nouns and not noun:
            continue
        drop = [*ask_phrases(q, ask, w), ask, *kind.asks, *w.fillers]
        content = content_words(q, drop, regions, w.plain)
        if len(content) < kind.min_words:
            return None
        action = asked_action(q) if kind.action else None
        runs = tuple(r for r in _RUN.findall(_dropped(q, drop)) if len(r) >= MIN_RUN_CHARS)
        return Asked(kind=kind, ask=ask, noun=noun, words=frozenset(content), action=action, runs=runs)
    return None


MAX_ASK_NOUN_GAP = 2


def ask_phrases(question: str, ask: str, words: ReaderWords) -> list[str]:
    """The ask word with the noun after it naming the kind of thing asked (啥制度, 啥特殊办法), if any.

    The sentence answering names the thing itself (实行年薪制, 实行协议工资制), seldom the kind's noun: the phrase
    is left out of the words it must hold, with a modifier of up to MAX_ASK_NOUN_GAP characters (特殊).
    """
    if not ask or not words.ask_nouns:
        return []
    nouns = "|".join(re.escape(x) for x in words.ask_nouns)
    found = re.finditer(f"{re.escape(ask)}[\u4e00-\u9fff]{{0,{MAX_ASK_NOUN_GAP}}}?(?:{nouns})", question)
    return [m.group(0) for m in found]


def asks_named_thing(question: str, words: ReaderWords | None = None) -> bool:
    """Whether ``question`` asks for a thing by the noun of its kind (搞啥制度, 有什么办法), not for a number.

    The ask words are the ``statement`` kind's (啥, 什么, 哪种 …); the nouns are ``ask_nouns``. A sentence stating
    some number does not answer it: the sentence naming the thing (实行年薪制) does (``sentence_answer``).
    """
    w = words or reader_words()
    statement = next((k for k in w.kinds if k.name == "statement"), None)
    if statement is None:
        return False
    q = nfkc(question)
    return any(ask_phrases(q, ask, w) for ask in statement.asks if ask in q)


def _dropped(text: str, drop: Sequence[str]) -> str:
    """``text`` with each of ``drop`` replaced by a space."""
    for x in longest_first(drop):
        text = text.replace(x, " ")
    return text


_KIND_OF_NOUN = re.compile(r"[\u4e00-\u9fff]{2,12}")


def kind_of_asked(question: str, regions: Sequence[str] = (), words: ReaderWords | None = None) -> Asked | None:
    """A question asking what kind of X (工作目标里要建成个啥样的服务体系): the sentence describing an X.

    The noun closing the question (服务体系) must close a phrase of the sentence after its description
    (城乡一体、医防融合…的基层整合型医疗卫生服务体系). A section the question names (工作目标里) may stand in the
    heading of the sentence's section: the heading counts with the sentence. A noun a kind names
    (按什么样的发展思路推进: 发展思路) is that kind's question, not this one.
    """
    w = words or reader_words()
    q = nfkc(question).rstrip("？?。！! ")
    for ask in w.kind_of:
        at = q.rfind(ask)
        if at < 0:
            continue
        noun = q[at + len(ask) :]
        if not _KIND_OF_NOUN.fullmatch(noun) or any(n in noun for k in w.kinds for n in k.nouns):
            continue
        # The description: words of its own, then 的, then at most 12 characters before the noun (…的基层整合型
        # 医疗卫生服务体系).
        cue = re.compile(f"[^，,。；;：:！？!?\\n]{{2,60}}的[^，,。；;：:！？!?\\n的]{{0,12}}{re.escape(noun)}")
        kind = AskKind(
            name="kind_of", asks=(ask,), min_coverage=w.kind_of_min_coverage, cue=cue, heading_counts=True
        )
        content = content_words(q, [ask, *w.fillers], regions, w.plain)
        if not content:
            return None
        return Asked(kind=kind, ask=ask, noun="", words=frozenset(content), action=None)
    return None


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(x) for x in words)


def frame_asked(question: str, regions: Sequence[str] = (), words: ReaderWords | None = None) -> Asked | None:
    """The frame ``question`` asks with its slot (白鹭的绩效薪酬改革以啥为导向), as a kind whose cue is that frame.

    The sentence must hold the same frame around words of its own (以“工作当量法”…为导向, 按照“一类保障、二类
    管理”的原则); the question's words outside the frame are its subject, which the sentence must cover.
    """
    w = words or reader_words()
    q = nfkc(question)
    slots = _alternation(w.slots)
    for frame in w.frames:
        asking = re.compile(
            f"(?:{_alternation(frame.leads)})(?:{slots})(?:样的|的)?{re.escape(frame.joint)}"
            f"(?P<tail>{_alternation(frame.tails)})"
        )
        found = asking.search(q)
        if not found or not slots:
            continue
        tail = found.group("tail")
        # The filler: no sentence break, at most 40 characters (以“A”和“B”为导向, 按照“A、B”的原则).
        cue = re.compile(
            f"(?:{_alternation(frame.sentence_leads)})(?P<filler>[^，,。；;：:！？!?\\n]{{1,40}}?)的?"
            f"{re.escape(frame.joint)}{re.escape(tail)}"
        )
        kind = AskKind(name="frame", asks=(found.group(0),), min_coverage=w.frame_min_coverage, cue=cue)
        content = content_words(q, [found.group(0), *w.fillers], regions, w.plain)
        if not content:
            return None
        return Asked(kind=kind, ask=found.group(0), noun="", words=frozenset(content), action=None)
    return None


def content_words(
    question: str, drop: Sequence[str], regions: Sequence[str] = (), plain: Mapping[str, tuple[str, ...]] | None = None
) -> set[str]:
    """The words of ``question`` a stating sentence should hold: ``drop`` (ask words, fillers) and regions out.

    An everyday phrase of ``plain`` (没经过, 看病) is one word, taken before jieba splits it (没/经过).
    """
    import jieba

    text = nfkc(question)
    for x in longest_first(drop):
        text = text.replace(x, " ")
    out = set()
    for phrase in longest_first(plain or {}):
        if phrase in text:
            out.add(phrase)
            text = text.replace(phrase, " ")
    for token in jieba.lcut(text):
        if len(token) < MIN_WORD_CHARS or not _HAN.search(token):
            continue
        if any(token in nfkc(r) for r in regions):
            continue
        out.add(token)
    return out


def coverage(
    words: frozenset[str] | set[str],
    text: str,
    plain: Mapping[str, tuple[str, ...]],
    modal_leads: Sequence[str] = (),
) -> float:
    """The share of ``words`` standing in ``text``.

    An everyday word counts by its plan words (看病: 就医); a verb jieba joined to the modal before it (要降,
    会降: ``modal_leads``) counts by the verb (下降 holds 降); a word of two words (人才培养) counts in part when the
    text holds both apart (人才“双轨制”培养).
    """
    if not words:
        return 0.0
    t = nfkc(text)
    held = 0.0
    for word in words:
        forms = [word, *plain.get(word, ())]
        forms += [word[len(m) :] for m in modal_leads if word.startswith(m) and len(word) > len(m)]
        weight = max(word_weight(x, t) for x in forms)
        if not weight and len(word) == COMPOUND_CHARS and word[:2] in t and word[2:] in t:
            # 农村卫生 in 农村居民基本都能用上无害化卫生厕所: both its words in order within one clause read as the
            # compound with a modifier between, nearly whole; in other clauses or the other way round, in part.
            ordered = any(c.find(word[2:], c.find(word[:2]) + 2) >= 0 for c in _CLAUSES.split(t) if word[:2] in c)
            weight = COMPOUND_ORDERED_WEIGHT if ordered else COMPOUND_PARTS_WEIGHT
        held += weight
    return held / len(words)


def holds_answer(what: Asked, sentence: str, heading: str = "") -> bool:
    """Whether ``sentence`` (read with its section's ``heading`` for a noun) holds what ``what`` asks."""
    s = nfkc(sentence)
    kind = what.kind
    if what.noun and what.noun not in s and what.noun not in nfkc(heading):
        return False
    if kind.cue is not None and not kind.cue.search(s):
        return False
    if kind.numbers and not parse_quantities(s):
        return False
    return not (what.action and not any(a in s for a in what.action))


def subject_part(what: Asked, sentence: str) -> str:
    """The part of ``sentence`` the question's words must stand in (the whole sentence by default).

    Before the cue for a ``subject_first`` kind; the clauses holding the cue for a ``same_clause`` kind.
    """
    cue = what.kind.cue
    if cue is not None and what.kind.same_clause:
        return "，".join(c for c in _CLAUSE.split(sentence) if cue.search(c))
    found = cue.search(sentence) if cue is not None and what.kind.subject_first else None
    return sentence[: found.start()] if found else sentence


@dataclass(frozen=True)
class Reading:
    """A sentence of a passage that answers the question, with its score."""

    score: float
    hit: SearchHit
    sentence: str


def best_sentence(
    question: str,
    hits: Sequence[SearchHit],
    regions: Sequence[str] = (),
    years: Sequence[str] = (),
    words: ReaderWords | None = None,
) -> Reading | None:
    """The sentence of ``hits`` that answers ``question`` best, if one clears its kind's coverage.

    A sentence must hold the kind's cue, every year asked, and a region asked (or stand in a plan of
    it). Earlier hits win ties (search order, or a plan's own order).
    """
    w = words or reader_words()
    # A goal for a year is asked only of a year the question names itself (到25年, 2030年), not one a follow-up carries.
    what = asked(question, regions, w, with_year=bool(years) and _YEAR_NAMED.search(nfkc(question)) is not None)
    if what is None:
        return None
    found = _best_of_kind(what, hits, regions, years, w)
    if found is None and what.kind.needs_year:
        # No goal sentence for the year: the question is read as the next kind asked (a degree word in a clause).
        other = asked(question, regions, w)
        return _best_of_kind(other, hits, regions, years, w) if other is not None else None
    return found


def _best_of_kind(
    what: Asked, hits: Sequence[SearchHit], regions: Sequence[str], years: Sequence[str], w: ReaderWords
) -> Reading | None:
    """The best sentence of ``hits`` holding what ``what`` asks (see ``best_sentence``)."""
    best: Reading | None = None
    for rank, hit in enumerate(hits):
        if hit.kind != "text":
            continue
        heading = hit.section.split(">")[-1] if hit.section else ""
        for clause, lead in sentences_with_leads(hit.text):
            s = nfkc(clause)
            if len(s) < MIN_SENTENCE_CHARS or not holds_answer(what, s, heading):
                continue
            # The clause holds what is asked; its subject may stand in the clauses before a semicolon
            # (…驻村医生…给予补助；…，两项补助均须在岗满一年方可享受): read with them when they cover more.
            for before in ("", nfkc(lead)) if lead else ("",):
                text = before + s
                if years and not all(y in text for y in years):
                    continue
                if regions and not any(r in text or r == hit.region for r in regions):
                    continue
                read = before + subject_part(what, s)
                if what.kind.heading_counts:
                    read = f"{heading}。{read}"
                covered = coverage(what.words, read, w.plain, w.modal_leads)
                if covered < what.kind.min_coverage:
                    continue
                whole = any(r in text for r in what.runs)
                score = covered + RUN_BONUS * whole - RANK_TIEBREAK * rank
                if best is None or score > best.score:
                    best = Reading(score, hit, f"{lead}{clause}" if before else clause)
    return best


def covered_asked(question: str, regions: Sequence[str] = (), words: ReaderWords | None = None) -> Asked | None:
    """A yes-or-no question asking whether someone is covered (“县聘乡村用”的人员也能拿这个奖励吗), or None.

    The question must ask yes or no (a ``yes_no`` ask or form) and whether someone gets something (a
    ``covered_asks`` word: 能拿, 能享受); the sentence answering it states a condition or an exclusion (the
    ``covered_cue``: 暂不享受, 须…以上享受, 除外) and holds the question's own words: who is asked about and what.
    """
    w = words or reader_words()
    q = nfkc(question)
    yes_no = next((k for k in w.kinds if k.name == "yes_no"), None)
    if yes_no is None or w.covered_cue is None:
        return None
    asks_covered = next((a for a in w.covered_asks if a in q), "")
    what = asked(q, regions, dataclasses.replace(w, kinds=(yes_no,)))
    if not asks_covered or what is None:
        return None
    kind = AskKind(
        name="covered", asks=(asks_covered, *yes_no.asks), min_coverage=w.covered_min_coverage, cue=w.covered_cue
    )
    content = content_words(q, [what.ask, asks_covered, *yes_no.asks, *w.fillers], regions, w.plain)
    if not content:
        return None
    return Asked(kind=kind, ask=what.ask, noun="", words=frozenset(content), action=None)


def covered_answer(
    question: str,
    hits: Sequence[SearchHit],
    cite: Callable[[SearchHit, int, str], Citation],
    regions: Sequence[str] = (),
) -> Answer | None:
    """The answer quoting the condition or exclusion that says whether someone is covered (``covered_asked``)."""
    w = reader_words()
    what = covered_asked(question, regions, w)
    if what is None:
        return None
    found = _best_of_kind(what, hits, regions, (), w)
    return None if found is None else quoted_answer(question, found, cite)


def sentence_answer(
    question: str,
    hits: Sequence[SearchHit],
    cite: Callable[[SearchHit, int, str], Citation],
    regions: Sequence[str] = (),
    years: Sequence[str] = (),
) -> Answer | None:
    """The answer quoting the sentence that answers ``question`` (``best_sentence``), or None."""
    found = best_sentence(question, hits, regions, years)
    return None if found is None else quoted_answer(question, found, cite)


def quoted_answer(question: str, found: Reading, cite: Callable[[SearchHit, int, str], Citation]) -> Answer:
    """The answer quoting the sentence ``found`` reads, cited.

    A who question's duty listed under its unit's heading (requirements.agent_heading) is quoted after that
    heading: the heading names who.
    """
    heading = agent_heading(found.hit, found.sentence, question)
    if heading:
        quotes = (heading, found.sentence)
        lines = [MSG_REQUIREMENT_LINE.format(quote=marked_quote(s, n), n=n) for n, s in enumerate(quotes, start=1)]
        return Answer(
            question=question,
            answer="\n".join([MSG_REQUIREMENTS_LEAD.format(title=found.hit.title), *lines]),
            status="answered",
            citations=[cite(found.hit, 1, heading), cite(found.hit, 2, found.sentence)],
        )
    return Answer(
        question=question,
        answer=MSG_REQUIREMENT.format(title=found.hit.title, quote=marked_quote(found.sentence, 1)),
        status="answered",
        citations=[cite(found.hit, 1, found.sentence)],
    )


def topic_sentence(
    topic: str,
    hits: Sequence[SearchHit],
    regions: Sequence[str] = (),
    words: ReaderWords | None = None,
    asked: str = "",
) -> Reading | None:
    """The sentence of ``hits`` that speaks of ``topic`` (an indicator's wording), for a plan setting no number on it.

    A comparison with a plan that has no target row for the indicator (国家纲要又是怎么提的) quotes the plan's
    sentence on it (基本实现高血压、糖尿病患者管理干预全覆盖). The topic's words naming it (高血压, 糖尿病; not the
    ``common_words`` of every health plan: 管理, 服务, 覆盖率) must stand in the sentence, enough of them; among
    sentences alike, the one holding more of all the topic's words and of the words of ``asked`` (the clause asking
    about this plan) wins, then the one stating a goal or requirement (``goal_cue``: 到2030年…人人拥有…, not a
    passing mention), then the earlier hit.
    """
    w = words or reader_words()
    content = frozenset(content_words(topic, w.fillers, regions, w.plain))
    naming = frozenset(x for x in content if x not in w.common_words)
    if not naming:
        return None
    own = frozenset(content_words(asked, w.fillers, regions, w.plain)) if asked else frozenset()
    best: Reading | None = None
    for rank, hit in enumerate(hits):
        if hit.kind != "text":
            continue
        for sentence in sentences(hit.text):
            s = nfkc(sentence)
            if len(s) < MIN_SENTENCE_CHARS:
                continue
            covered = coverage(naming, s, w.plain, w.modal_leads)
            if covered < w.topic_min_coverage:
                continue
            score = covered + TOPIC_ALL_WORDS * coverage(content, s, w.plain, w.modal_leads) - RANK_TIEBREAK * rank
            if own:
                score += TOPIC_ASKED_WORDS * coverage(own, s, w.plain, w.modal_leads)
            if w.goal_cue is not None and w.goal_cue.search(s):
                score += TOPIC_GOAL
            if best is None or score > best.score:
                best = Reading(score, hit, sentence)
    return best

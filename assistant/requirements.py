"""Requirements that are not target rows: the plan sentence that states one, quoted and cited.

``转诊规则由哪个部门牵头制定？`` or ``派驻医生每周至少驻点几天？`` has no target row; the answer is a
sentence of the plan. A sentence qualifies when it covers most of the question's words and has what
the question asks for: an agent (``…牵头``, ``由…承担``) for "who", a number or a counted word
(``每周不少于3个工作日``, ``提前一年``) for "how many / how often". Wording lists live in
``assistant/rules/answer_shapes.toml`` (``[requirements]``).
"""

from __future__ import annotations

import functools
import itertools
import re
import tomllib
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from assistant.parts import split_indicator, sub_questions
from assistant.rule_files import longest_first
from assistant.schema import Answer, Citation, SearchHit, Turn
from assistant.shapes import SHAPES_FILE
from assistant.understanding import Query
from assistant.value_kinds import ValueKind, asked_kinds, kind_question, value_kinds
from ingestion.schema import Chunk, Target
from ingestion.text.normalize import nfkc
from ingestion.text.numbers import parse_quantities

MSG_REQUIREMENT = "《{title}》原文：{quote}[1]"
MSG_REQUIREMENTS_LEAD = "《{title}》原文："
MSG_REQUIREMENT_LINE = "- {quote}[{n}]"
MSG_REQUIREMENT_TITLED = "- 《{title}》原文：{quote}[{n}]"
MSG_ALSO_REQUIRED = "同句还要求：{clauses}[{n}]。"
MIN_ASKS = 2
MIN_SENTENCE_COVERAGE = 0.6
MIN_OWN_SHARE = 0.3
KIND_MIN_OWN_SHARE = 0.6
MIN_WORD_CHARS = 2
MIN_SENTENCE_CHARS = 6
_SENTENCES = re.compile(r"[^。；;！？!?\n]+[。；;！？!?]?")
MIN_WRAPPED_LINE = 16
# A line a page wrapped mid-sentence: long, not ending a sentence or a clause heading (…落编在编制所在单位，备).
_WRAPPED = re.compile(
    rf"(?m)^([^\n]{{{MIN_WRAPPED_LINE},}}[^。；;！？!?：:\s])[ \t]*\n\s*(?!第[一二三四五六七八九十百]+[条章节])"
)


def sentences(text: str) -> list[str]:
    """The sentences of a passage, a sentence that a page wrapped over several lines read whole."""
    joined = _WRAPPED.sub(r"\1", text)
    return [m.group(0).strip() for m in _SENTENCES.finditer(joined)]


_CLAUSE_END = ("；", ";")


_INNER_CLAUSE_END = re.compile(r"(?<=[；;])(?=.)")


def marked_quote(quote: str, n: int) -> str:
    """``quote`` with the marker ``[n]`` after each clause a semicolon ends inside it (a clause read with its lead).

    The answer's sentences are cut at semicolons: each clause carries the citation, as the last one does after
    the quote.
    """
    return _INNER_CLAUSE_END.sub(f"[{n}]", quote)


def sentences_with_leads(text: str) -> list[tuple[str, str]]:
    """The sentences of a passage (``sentences``), each with the clauses before it that a semicolon ends.

    A clause after a semicolon may leave its subject to the clauses before it: in ``白鹭县驻村医生按每人每年
    1万元给予补助；乡村医生岗位补贴按每人每年3000元发放，两项补助均须在岗满一年方可享受。`` the second clause's
    ``两项补助`` are the first clause's too. The lead is empty for a sentence's first clause.
    """
    out: list[tuple[str, str]] = []
    lead = ""
    for sentence in sentences(text):
        out.append((sentence, lead))
        lead = lead + sentence if sentence.endswith(_CLAUSE_END) else ""
    return out


@dataclass(frozen=True)
class RequirementWords:
    """The ``[requirements]`` lists of answer_shapes.toml."""

    who_words: tuple[str, ...]
    agent_markers: tuple[str, ...]
    amount_words: tuple[str, ...]
    counted: re.Pattern[str]
    question_words: tuple[str, ...]
    weak_words: frozenset[str] = frozenset()
    whole_asks: tuple[str, ...] = ()
    grade_words: tuple[str, ...] = ()
    grade_marker: re.Pattern[str] | None = None
    who_actions: tuple[tuple[str, tuple[str, ...]], ...] = ()
    self_references: tuple[str, ...] = ()
    lean_leads: tuple[str, ...] = ()
    first_kinds: frozenset[str] = frozenset()
    kind_fillers: tuple[tuple[str, tuple[str, ...]], ...] = ()
    goal_asks: tuple[str, ...] = ()
    goal_marker: re.Pattern[str] | None = None
    goal_tail_words: tuple[str, ...] = ()
    which_asks: tuple[str, ...] = ()
    negations: tuple[str, ...] = ()
    bare_conditions: tuple[str, ...] = ()
    who_verb_leads: frozenset[str] = frozenset()
    agent_clause: re.Pattern[str] | None = None
    by_agent_actions: frozenset[str] = frozenset()
    arrangement_asks: tuple[str, ...] = ()
    plan_goal_words: tuple[str, ...] = ()
    goal_headings: tuple[str, ...] = ()
    rate_base: re.Pattern[str] | None = None
    unit_heading: re.Pattern[str] | None = None


def load_requirement_words(path: Path = SHAPES_FILE) -> RequirementWords:
    """Read the ``[requirements]`` lists (of the shipped file by default)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))["requirements"]

    def words(key: str) -> tuple[str, ...]:
        return tuple(sorted((nfkc(w) for w in data[key]), key=len, reverse=True))

    return RequirementWords(
        who_words=words("who_words"),
        agent_markers=words("agent_markers"),
        amount_words=words("amount_words"),
        counted=re.compile(data["counted"]),
        # Grade nouns (等级, 拿到) say how a grade is asked, like the question words.
        question_words=longest_first([*words("question_words"), *words("grade_nouns")]),
        weak_words=frozenset(nfkc(x) for x in data.get("weak_words", [])),
        whole_asks=tuple(nfkc(x) for x in data.get("whole_asks", [])),
        grade_words=words("grade_words"),
        grade_marker=re.compile(data["grade_marker"]),
        who_actions=tuple(
            sorted(
                ((nfkc(k), tuple(nfkc(x) for x in v)) for k, v in data.get("who_actions", {}).items()),
                key=lambda kv: len(kv[0]),
                reverse=True,
            )
        ),
        self_references=longest_first(nfkc(x) for x in data.get("self_references", [])),
        lean_leads=longest_first(nfkc(x) for x in data.get("lean_leads", [])),
        first_kinds=frozenset(data.get("first_kinds", [])),
        kind_fillers=tuple(
            (kind, longest_first(nfkc(x) for x in fillers)) for kind, fillers in data.get("kind_fillers", {}).items()
        ),
        goal_asks=words("goal_asks") if "goal_asks" in data else (),
        goal_marker=re.compile(data["goal_marker"]) if "goal_marker" in data else None,
        goal_tail_words=words("goal_tail_words") if "goal_tail_words" in data else (),
        which_asks=words("which_asks") if "which_asks" in data else (),
        negations=words("negations") if "negations" in data else (),
        bare_conditions=words("bare_conditions") if "bare_conditions" in data else (),
        who_verb_leads=frozenset(nfkc(x) for x in data.get("who_verb_leads", [])),
        agent_clause=re.compile(data["agent_clause"]) if "agent_clause" in data else None,
        by_agent_actions=frozenset(nfkc(x) for x in data.get("by_agent_actions", [])),
        arrangement_asks=words("arrangement_asks") if "arrangement_asks" in data else (),
        plan_goal_words=words("plan_goal_words") if "plan_goal_words" in data else (),
        goal_headings=words("goal_headings") if "goal_headings" in data else (),
        rate_base=re.compile(data["rate_base"]) if "rate_base" in data else None,
        unit_heading=re.compile(data["unit_heading"]) if "unit_heading" in data else None,
    )


@functools.cache
def requirement_words() -> RequirementWords:
    """The shipped requirement words, read once."""
    return load_requirement_words()


def asked_words(question: str, words: RequirementWords | None = None) -> str:
    """The question without its question words (nor the words asking a kind of value): what it is about."""
    w = words or requirement_words()
    out = nfkc(question).strip()
    lead = next((x for x in w.lean_leads if out.startswith(x)), "")
    out = out[len(lead) :]
    asks = [*w.question_words, *w.goal_asks, *w.arrangement_asks]
    for x in longest_first([*asks, *(a for k in value_kinds() for a in k.ask_words)]):
        out = out.replace(x, " ")
    return out


def _without_fillers(text: str, query: Query, words: RequirementWords) -> str:
    """``text`` without the fillers (要满足, 才能: ``kind_fillers``) of the kinds ``query`` asks."""
    out = nfkc(text)
    asked = {k.name for k in asked_kinds(kind_question(query))}
    for kind, fillers in words.kind_fillers:
        if kind in asked:
            for x in fillers:
                out = out.replace(x, " ")
    return out


def subject_words(query: Query, words: RequirementWords | None = None) -> set[str]:
    """The words a stating sentence must share with ``query``: its indicator's, less its question words.

    A question asking a kind of value with fillers of its own (要满足…条件, 才能享受: ``kind_fillers``)
    leaves them out too: the sentence stating the conditions need not say 条件.
    """
    w = words or requirement_words()
    text = asked_words(query.indicator or query.text, w)
    asked = {k.name for k in asked_kinds(kind_question(query))}
    for kind, fillers in w.kind_fillers:
        if kind in asked:
            for x in fillers:
                text = text.replace(x, " ")
    return content_words(text)


def asks_sentence_first(query: Query, words: RequirementWords | None = None) -> bool:
    """Whether ``query`` asks a kind of value plans state in a sentence, never a row (``first_kinds``: 什么条件)."""
    w = words or requirement_words()
    return any(k.name in w.first_kinds for k in asked_kinds(kind_question(query)))


def states_requirement(question: str, sentence: str, words: RequirementWords | None = None) -> bool:
    """Whether ``sentence`` has what ``question`` asks for.

    A kind of value the question asks (money, a duration, a date: assistant/value_kinds.py) must be
    stated in the sentence; otherwise an agent for "who", a number for "how many".
    """
    w = words or requirement_words()
    q, s = nfkc(question), nfkc(sentence)
    kinds = asked_kinds(q)
    if kinds:
        # 推动符合条件的…建设X names conditions without stating them: such phrases state no condition.
        if any(k.name in w.first_kinds for k in kinds):
            for x in w.bare_conditions:
                s = s.replace(x, " ")
        return any(k.stated_in(s) for k in kinds)
    if asks_ruled_out(q, w):
        # 哪些名目不能算进…: a sentence ruling items out (A、B等名目不得纳入…), a list and a negation.
        return ENUMERATION_MARK in s and any(x in s for x in w.negations)
    if w.goal_marker is not None and any(x in q for x in w.goal_asks):
        return bool(w.goal_marker.search(s))  # 提的啥目标: 到2030年，…实现自然平衡
    if any(x in q for x in w.arrangement_asks):
        return True  # 对X的资金有啥安排: any sentence naming the subject itself says how it is arranged
    if w.grade_marker is not None and any(x in q for x in w.grade_words):
        return bool(w.grade_marker.search(s))  # 拿到什么等级的有奖励: A 级及以上
    if any(x in q for x in w.who_words):
        action = asked_action(q, w)
        # 由哪家单位负责: 由X对…做好… names its agent by 由 at a clause's start (agent_clause).
        by_agent = bool(w.agent_clause and w.agent_clause.search(s)) and (
            action is None or bool(w.by_agent_actions & set(action))
        )
        if action is not None:
            return by_agent or any(m in s for m in action)  # 归哪个部门解释: 由X负责解释; 由谁定: 由X和Y会商确定
        return by_agent or any(m in s for m in w.agent_markers)
    if any(x in q for x in w.amount_words) or any(x in q for x in w.whole_asks):
        # 至少几天 / 有啥要求: the sentence sets an amount (每周不少于3个工作日, 派驻周期不少于半年).
        return bool(parse_quantities(s)) or bool(w.counted.search(s))
    return False


ENUMERATION_MARK = "、"


def asks_ruled_out(question: str, words: RequirementWords | None = None) -> bool:
    """Whether ``question`` asks which ones a plan rules out (哪些名目不能算进…): a which word and a negation."""
    w = words or requirement_words()
    q = nfkc(question)
    return any(x in q for x in w.which_asks) and any(x in q for x in w.negations)


ACTION_WINDOW = 4
_REMARK = re.compile(r"\([^()]*\)$")


def asked_action(question: str, words: RequirementWords | None = None) -> tuple[str, ...] | None:
    """The words stating the action a who question asks about (解释 in 归哪个部门解释), or None.

    The action word must stand in the question's first who word or within ACTION_WINDOW characters
    of it (由谁定, 谁来制定, 归哪个部门解释, 解释权归谁); the longest action word there counts.
    """
    w = words or requirement_words()
    q = nfkc(question)
    spans = [(q.find(x), x) for x in w.who_words if x in q]
    if not spans:
        return None
    at, who = min(spans, key=lambda t: (t[0], -len(t[1])))
    window = q[max(0, at - ACTION_WINDOW) : at + len(who) + ACTION_WINDOW]
    listed = next((said for action, said in w.who_actions if action in window), None)
    return listed if listed is not None else _verb_after(q[at + len(who) :], w)


def _verb_after(rest: str, words: RequirementWords) -> tuple[str, ...] | None:
    """The word right after a who word when it is an action no ``who_actions`` entry lists (由哪个部门保障: 保障).

    Words leading to the action (由谁来成立: 来; ``who_verb_leads``) are skipped.

    Only a word of two Chinese characters or more that is no question word counts; the stating sentence
    must then hold it (区某局须保障…), so a sentence about another task with its lead agency does not answer.
    """
    import jieba

    tokens = [t for t in jieba.lcut(rest.strip()) if t.strip()]
    while tokens and tokens[0] in words.who_verb_leads:
        tokens = tokens[1:]  # 由谁来成立: 成立
    if not tokens:
        return None
    first = tokens[0]
    if len(first) < MIN_WORD_CHARS or not _HAN_ONLY.fullmatch(first) or first in words.question_words:
        return None
    return (first,)


_HAN_ONLY = re.compile(r"[\u4e00-\u9fff]+")


def referent(hit: SearchHit, sentence: str, words: RequirementWords | None = None) -> str:
    """What a sentence naming its own document (本细则, 本政策) is about: its annex's heading, else the title.

    ``本细则由…负责解释`` in an annex titled ``…队伍建设实施细则`` is about that annex: the heading of the
    hit's section holding the word after 本 (细则); with no such heading, the plan's title. Empty when the
    sentence names no document of its own.
    """
    w = words or requirement_words()
    s = nfkc(sentence)
    ref = next((x for x in w.self_references if x in s), None)
    if ref is None:
        return ""
    kind = ref.removeprefix("本")
    heading = next((p for p in reversed(hit.section.split(">")) if _bare(p).endswith(kind)), "")
    return nfkc(heading.strip() or hit.title)


def _bare(heading: str) -> str:
    """A heading without a closing bracketed remark (…实施方案（试行）)."""
    return _REMARK.sub("", nfkc(heading).strip())


def content_words(text: str) -> set[str]:
    """The words of ``text`` (jieba) of two characters or more: what a sentence must share with the question."""
    import jieba

    return {w for w in jieba.lcut(nfkc(text)) if len(w) >= MIN_WORD_CHARS and re.search(r"[\u4e00-\u9fff]", w)}


SELF_WORDS_TIEBREAK = 0.001
ABBREVIATION_WEIGHT = 0.5
WEAK_WEIGHT = 0.5
MAX_ABBREVIATION_GAP = 2


@functools.lru_cache(maxsize=4096)
def _abbreviation(word: str) -> re.Pattern[str]:
    """A word's characters in order with short gaps: 专技 in 专业技术, 人员编制 in 人员的编制."""
    gap = f".{{0,{MAX_ABBREVIATION_GAP}}}"
    return re.compile(gap.join(re.escape(c) for c in word))


def word_weight(word: str, text: str) -> float:
    """1 when ``word`` stands in ``text``, ABBREVIATION_WEIGHT when only its characters do, in order and close."""
    if word in text:
        return 1.0
    return ABBREVIATION_WEIGHT if _abbreviation(word).search(text) else 0.0


def _share(words: set[str], text: str, weak: frozenset[str] | None = None) -> float:
    """The weighted share of ``words`` standing in ``text``; a weak word (建设, 补助) weighs WEAK_WEIGHT."""
    weak = requirement_words().weak_words if weak is None else weak
    weights = {w: WEAK_WEIGHT if w in weak else 1.0 for w in words}
    return sum(weights[w] * word_weight(w, text) for w in words) / sum(weights.values())


def best_requirement(
    query: Query, hits: Sequence[SearchHit], words: RequirementWords | None = None, ranked: bool = True
) -> tuple[SearchHit, str] | None:
    """The sentence among ``hits`` that best states the requirement asked, if one covers the question.

    A sentence may lean on its passage for its subject (…培训补助…。以上补助标准由…确定。), as the
    number fallback does, but must cover some of the question's words itself. The search rank breaks
    ties of ``hits`` in search order (``ranked``); among a plan's passages in its own order it does not.
    Between sentences that cover the question alike, the one holding more of its words itself (本政策试行
    三年, not 本政策…30日后执行, both read with the plan's title) wins.
    """
    found = stating_sentences(query, hits, words, ranked)
    if not found:
        return None
    best = found[0]
    for item in found[1:]:
        if item.coverage > best.coverage:
            best = item
    return best.hit, best.sentence


@dataclass(frozen=True)
class Stating:
    """A sentence of a hit that states the requirement asked, with how well it covers the question.

    ``covered`` is its share of the question's words; ``coverage`` adds the search rank and the tie-break.
    """

    coverage: float
    covered: float
    hit: SearchHit
    sentence: str


def stating_sentences(
    query: Query, hits: Sequence[SearchHit], words: RequirementWords | None = None, ranked: bool = True
) -> list[Stating]:
    """Every sentence among ``hits`` that covers the question and states what it asks, in the hits' order."""
    w = words or requirement_words()
    qw = subject_words(query, w)
    if asks_ruled_out(query.text, w):  # 不能 in the question, 不得 in the plan: how it asks, not what about
        qw = {x for x in qw if not any(n in x for n in w.negations)}
    if not qw:
        return []
    # A sentence that answers a kind of value (奖多少钱, 多久) must name the subject itself: a passage
    # about something else may hold an amount of that kind too.
    # It must share the question's own subject too, not only weak words (建设, 补助) with it.
    kind_asked = bool(asked_kinds(kind_question(query)))
    # A goal (提的啥目标) or a list ruled out (哪些…不能) is stated by most sentences of a plan: it must name the
    # subject itself too.
    q = nfkc(query.text)
    arranged = any(x in q for x in w.arrangement_asks)
    named = kind_asked or arranged or any(x in q for x in w.goal_asks) or asks_ruled_out(q, w)
    min_own = KIND_MIN_OWN_SHARE if named else MIN_OWN_SHARE
    weak = w.weak_words if kind_asked else frozenset()
    out: list[Stating] = []
    # 对健康产业规模提的啥目标: a goal sentence must hold the subject's last word (规模), not only its modifiers.
    goal = arranged or any(x in q for x in w.goal_asks)
    head = _head_word(query.indicator or query.text, w) if goal else ""
    if not head and asks_sentence_first(query, w):
        # 乡镇卫生院编制要满足什么条件: a condition sentence must hold 编制, not only 乡镇卫生院.
        # The subject is the longest run between the fillers (申请X要满足什么条件才能享受: 申请X, not 享受).
        runs = _without_fillers(asked_words(query.indicator or query.text, w), query, w).split()
        head = _head_word(max(runs, key=len), w) if runs else ""
    names = plan_name_words(query, w)
    bases = rate_bases(query.indicator or query.text, w)
    documents = [x.removeprefix("本") for x in w.self_references if x.removeprefix("本") in q]
    for rank, hit in enumerate(hits):
        if hit.kind != "text":
            continue
        # 青禾方案什么时候执行: a plan named by a word its title, heading or sentence lacks is another plan.
        if names and not all(word_weight(x, nfkc(f"{hit.title} {hit.section} {hit.text}")) for x in names):
            continue
        passage = _share(qw, nfkc(hit.text), weak)
        previous = ""
        for clause, lead in sentences_with_leads(hit.text):
            previous, clause = clause, _with_agent_heading(hit, previous, clause, q, w)
            if len(clause) < MIN_SENTENCE_CHARS:
                continue
            # Under its unit's heading a duty names its agent (agent_heading), whatever its verb.
            agent = agent_heading(hit, clause, q, w)
            if not agent and not states_requirement(kind_question(query), clause, w):
                continue
            # The clause states what is asked; its subject may stand in the clauses before a semicolon
            # (…驻村医生…给予补助；…，两项补助均须在岗满一年方可享受): read with them when they cover more.
            read: Stating | None = None
            for sentence in (clause, lead + clause) if lead else (clause,):
                # 本细则由…负责解释: the sentence speaks of its own document, whose heading names the subject.
                referred = referent(hit, sentence, w)
                annex = referred and referred != nfkc(hit.title)
                if annex and documents and not any(k in referred or f"本{k}" in nfkc(sentence) for k in documents):
                    break  # 方案什么时候执行: not 本细则…执行, which is about an annex of rules
                own = _share(qw, f"{nfkc(sentence)} {referred} {nfkc(agent)}", weak)  # the heading is its agent
                if own < min_own or (head and not word_weight(head, nfkc(sentence))):
                    continue
                # The search rank breaks ties; it does not decide whether a sentence covers the question.
                covered = max(own, 0.4 * own + 0.6 * passage)
                bare = _share(qw, nfkc(sentence), weak) if referred else own
                coverage = covered - (0.01 * rank if ranked else 0.0) + SELF_WORDS_TIEBREAK * bare
                coverage += AGENT_HEADING_BONUS * bool(agent)
                if covered < MIN_SENTENCE_COVERAGE:
                    continue
                if bases and not all(b in _squeezed(nfkc(sentence)) for b in bases):
                    continue  # 每千常住人口…医师数 is not answered by a sentence on 乡村医生中…医师资格的比例
                if query.years and not all(y in nfkc(sentence) for y in query.years):
                    continue
                if query.regions and not any(r in nfkc(sentence) or r == hit.region for r in query.regions):
                    continue
                if read is None or covered > read.covered:
                    read = Stating(coverage, covered, hit, sentence)
            if read is not None:
                out.append(read)
    return out


def _with_agent_heading(hit: SearchHit, previous: str, clause: str, question: str, words: RequirementWords) -> str:
    """``clause`` read with the heading before it when a who question's clause leaves its agent to that heading.

    Under a heading naming a unit (（二）白鹭市财政部门。负责落实…经费。), the duty's sentence opens with the
    agent marker (负责, 牵头) and its agent is the heading: the two are quoted together, as the plan writes them.
    The heading is the sentence right before the clause and the last heading of the hit's section path.
    """
    if not previous or not any(x in question for x in words.who_words):
        return clause
    if not any(nfkc(clause).startswith(m) for m in words.agent_markers):
        return clause
    heading = hit.section.split(">")[-1].strip() if hit.section else ""
    if not heading or nfkc(previous).rstrip("。.：: ") != nfkc(heading).rstrip("。.：: "):
        return clause
    return previous + clause


def agent_heading(hit: SearchHit, sentence: str, question: str, words: RequirementWords | None = None) -> str:
    """The heading sentence naming the unit a who question's duty falls to, when ``sentence`` leaves it out.

    A plan listing duties by unit (（四）白鹭市人社部门。协同…。合理核定…。) names the agent of every sentence of
    the item once, in its heading: the last heading of the hit's section, written as the passage's first
    sentence, and a unit by its form (``unit_heading``: …部门, …局, …政府（管委会）). Empty when the question does
    not ask who, the heading names no unit, or ``sentence`` holds the heading already.
    """
    w = words or requirement_words()
    if w.unit_heading is None or not any(x in nfkc(question) for x in w.who_words):
        return ""
    heading = nfkc(hit.section.split(">")[-1]).strip() if hit.section else ""
    if not heading or not w.unit_heading.search(heading):
        return ""
    first = next(iter(sentences(hit.text)), "")
    if nfkc(first).rstrip("。.：: ") != heading.rstrip("。.：: ") or nfkc(first) in nfkc(sentence):
        return ""
    return first


AGENT_HEADING_BONUS = 0.05  # a who question: a duty under its unit's heading names the agent, a bare 负责 does not


def plan_name_words(query: Query, words: RequirementWords | None = None) -> set[str]:
    """The words naming the plan a question asks about: those right before a kind of document (青禾 in 青禾方案).

    The kinds of document are the words after 本 of ``self_references`` (方案, 细则, 规划 …).
    """
    import jieba

    w = words or requirement_words()
    kinds = {x.removeprefix("本") for x in w.self_references}
    tokens = jieba.lcut(nfkc(asked_words(query.indicator or query.text, w)))
    out: set[str] = set()
    # The document must be what the question asks about, with more said of it after (青禾方案…执行), not the
    # last word (…共富圈来规划的, …推进计划), where it is a verb or another thing's name.
    later = [i for i, x in enumerate(tokens) if len(x) >= MIN_WORD_CHARS and re.search(r"[\u4e00-\u9fff]", x)]
    for at, (before, after) in enumerate(itertools.pairwise(tokens)):
        if not any(i > at + 1 for i in later):
            continue
        document = len(after) >= MIN_WORD_CHARS and any(k.endswith(after) or after.endswith(k) for k in kinds)
        if document and len(before) >= MIN_WORD_CHARS and re.search(r"[\u4e00-\u9fff]", before):
            out.add(before)
    return out


def rate_bases(text: str, words: RequirementWords | None = None) -> set[str]:
    """The bases of a rate ``text`` names (每千常住人口 in 每千常住人口…医师数): a stating sentence holds them."""
    w = words or requirement_words()
    if w.rate_base is None:
        return set()
    return {m.group(0) for m in w.rate_base.finditer(_squeezed(nfkc(text)))}


def _equally_stating(
    query: Query, hits: Sequence[SearchHit], hit: SearchHit, sentence: str, ranked: bool
) -> list[tuple[SearchHit, str]]:
    """For a question asking a ``first_kinds`` kind (什么条件): another passage's sentence of the plan, as good.

    A plan often states a condition twice, in its body and again in more detail in an annex of rules
    (…可适当放宽学历要求 / 第十七条 对…满15年…且…考核优秀的…): both are quoted, the chosen one first.
    """
    if not asks_sentence_first(query):
        return []
    found = stating_sentences(query, hits, ranked=ranked)
    chosen = next((f.covered for f in found if f.hit.chunk_id == hit.chunk_id and f.sentence == sentence), None)
    if chosen is None:
        return []
    others = [f for f in found if f.hit.doc_id == hit.doc_id and f.hit.chunk_id != hit.chunk_id and f.covered >= chosen]
    if not others:
        return []
    best = max(others, key=lambda f: f.coverage)  # the first of equals, as best_requirement takes it
    return [(best.hit, best.sentence)]


def _head_word(text: str, words: RequirementWords) -> str:
    """The last word of two characters or more of what ``text`` asks about (性别比 in 对出生人口性别比提)."""
    import jieba

    asked = nfkc(asked_words(text, words)).strip()
    tail = next((t for t in words.goal_tail_words if asked.endswith(t) and len(asked) > len(t)), "")
    asked = asked[: len(asked) - len(tail)]
    found = [x for x in jieba.lcut(asked) if len(x) >= MIN_WORD_CHARS and re.search(r"[\u4e00-\u9fff]", x)]
    return found[-1] if found else ""


def _other_kind_sentences(query: Query, hit: SearchHit, sentence: str) -> list[str]:
    """Sentences of ``hit`` that state the kinds the chosen ``sentence`` leaves unanswered.

    ``什么时候开始执行，试行多久`` asks two things; the plan often states them in neighbouring sentences
    (…自发布之日起30日后执行。本政策试行三年…). Each further sentence must state a kind the question
    asks and share one of its words.
    """
    kinds = asked_kinds(kind_question(query))
    missing = [k for k in kinds if not k.stated_in(sentence)]
    if len(kinds) < MIN_ASKS or not missing:
        return []
    qw = content_words(asked_words(query.text))
    out: list[str] = []
    for kind in missing:
        for other in sentences(hit.text):
            if other == sentence or other in out or len(other) < MIN_SENTENCE_CHARS:
                continue
            if kind.stated_in(other) and any(x in nfkc(other) for x in qw):
                out.append(other)
                break
    return out


_CLAUSE_MARKS = re.compile(r"[,;，；]")


def clause_asks(question: str) -> list[tuple[str, ValueKind]]:
    """The clauses of ``question`` that each ask a kind of value, with the first kind each asks.

    ``发布后多久开始执行，试行几年`` asks two durations, one per clause: each clause is answered on its
    own words (发布…执行; 试行), however often the same kind is asked.
    """
    out: list[tuple[str, ValueKind]] = []
    for clause in _CLAUSE_MARKS.split(nfkc(question)):
        kinds = asked_kinds(clause)
        if kinds:
            out.append((clause, kinds[0]))
    return out


def _other_clause_sentences(query: Query, hit: SearchHit, chosen: Sequence[str]) -> list[str]:
    """Sentences of ``hit`` answering the clauses of the question that ``chosen`` leaves unanswered.

    A clause is answered by a sentence stating its kind of value and one of its own words; a clause
    no quoted sentence answers takes the first other sentence of the passage that does.
    """
    asks = clause_asks(kind_question(query))
    if len(asks) < MIN_ASKS:
        return []
    out: list[str] = []
    for clause, kind in asks:
        own = content_words(asked_words(clause))

        def answers(sentence: str, own: set[str] = own, kind: ValueKind = kind) -> bool:
            return kind.stated_in(sentence) and any(x in nfkc(sentence) for x in own)

        if not own or any(answers(s) for s in [*chosen, *out]):
            continue
        other = next(
            (s for s in sentences(hit.text) if len(s) >= MIN_SENTENCE_CHARS and s not in chosen and answers(s)), None
        )
        if other is not None:
            out.append(other)
    return out


def _part_sentences(query: Query, hits: Sequence[SearchHit], ranked: bool = True) -> list[tuple[SearchHit, str]]:
    """One sentence per part of ``达推荐标准和达基本标准的机构每处最多奖多少``, when every part has its own."""
    queries: list[Query] = []
    for sub in sub_questions(query) or [query]:  # 设多少比例？每年至少多少？: each question on its own
        parts = split_indicator(sub.indicator) if sub.indicator else []
        queries.extend([replace(sub, indicator=p) for p in parts] if len(parts) >= MIN_ASKS else [sub])
    if len(queries) < MIN_ASKS:
        return []
    found: list[tuple[SearchHit, str]] = []
    for part in queries:
        one = best_requirement(part, hits, ranked=ranked)
        if one is None or any(one[1] == s for _, s in found):
            return []
        found.append(one)
    return found


def with_previous_question(query: Query, history: Sequence[Turn]) -> Query | None:
    """The query searched with the previous question's words, for a kind question that leans on it.

    ``基本标准的最多奖多少？`` after ``达到推荐标准的机构最高奖励多少？`` names neither the plan nor the
    award; the sentence stating it is found by both questions' words, and must still cover this one's.
    None when there is no previous question or this one asks no kind of value.
    """
    previous = next((t.content for t in reversed(history) if t.role == "user" and t.content.strip()), "")
    if query.followup or not previous or not asked_kinds(kind_question(query)):
        return None
    return replace(query, text=f"{previous.strip()} {query.text}")


def leans_on_previous(query: Query, words: RequirementWords | None = None) -> bool:
    """Whether ``query`` opens with a word leaning on the previous question (那评高级职称还有啥条件)."""
    w = words or requirement_words()
    q = nfkc(query.text).strip()
    return bool(query.previous) and any(q.startswith(x) for x in w.lean_leads)


def conversation_hits(
    query: Query, hits: Sequence[SearchHit], words: RequirementWords | None = None
) -> list[SearchHit]:
    """``hits`` of the plan the conversation is about, for a question leaning on the previous one.

    ``那评高级职称放宽学历还有啥条件？`` after a question about one district's plan asks about that plan:
    the plan whose passages share most of the previous question's words (its title and headings
    included) keeps its hits. A question naming a region of its own, or one not leaning, keeps all; so
    does an elliptical follow-up (那达到基本标准的呢？), whose passages were already sought in that plan.
    """
    w = words or requirement_words()
    if query.followup or query.regions or not leans_on_previous(query, w):
        return list(hits)
    said = content_words(asked_words(query.previous, w))
    if not said:
        return list(hits)
    best: dict[str, float] = {}
    for hit in hits:
        text = nfkc(f"{hit.title} {hit.section} {hit.text}")
        best[hit.doc_id] = max(best.get(hit.doc_id, 0.0), _share(said, text, frozenset()))
    if not best or max(best.values()) == 0:
        return list(hits)
    doc = max(best, key=lambda d: best[d])
    return [h for h in hits if h.doc_id == doc]


def part_answer(
    query: Query, hits: Sequence[SearchHit], cite: Callable[[SearchHit, int, str], Citation]
) -> Answer | None:
    """A question of several parts each answered by a sentence of its own, or None (then one sentence may do)."""
    quotes = _part_sentences(query, hits)
    return _quoted(query, quotes, cite) if quotes else None


def requirement_answer(
    query: Query,
    hits: Sequence[SearchHit],
    cite: Callable[[SearchHit, int, str], Citation],
    plan_passages: Callable[[str], Sequence[SearchHit]] | None = None,
    plans: Collection[str] = (),
) -> Answer | None:
    """An answer quoting the plan sentence that states the requirement, or None when none does.

    A question of several parts (A和B…) quotes one sentence per part; one asking two kinds of value
    (什么时候…多久) quotes the sentence beside the first that states the other. When no hit states it
    and the question is about one plan (``plans`` holds one, or the conversation is about one),
    every passage of that plan (``plan_passages``) is read: the search's top hits need not hold the
    sentence (本政策试行三年 for ``…方案试行几年``).
    """
    hits = conversation_hits(query, hits)  # 那…还有啥条件: in the plan the previous question was about
    found = _requirement_in(query, hits, cite)
    if found is not None or plan_passages is None:
        return found
    plan = one_plan(query, hits, plans)
    return None if plan is None else _requirement_in(query, plan_passages(plan), cite, ranked=False)


def one_plan(query: Query, hits: Sequence[SearchHit], plans: Collection[str] = ()) -> str | None:
    """The one plan a question is about: the one of ``plans``, else the plan of a leaning question's conversation."""
    if len(plans) == 1:
        return next(iter(plans))
    docs = {h.doc_id for h in hits}
    if not plans and len(docs) == 1 and leans_on_previous(query):
        return next(iter(docs))
    return None


def asked_plans(query: Query, allowed: Collection[str] | None, doc_regions: Mapping[str, str]) -> set[str]:
    """The plans a question is about: those it names (``allowed``), else those of the regions it names."""
    if allowed:
        return set(allowed)
    return {d for d, region in doc_regions.items() if region and region in query.regions}


def plan_passages(chunks: Sequence[Chunk], title: str, source: str, region: str) -> list[SearchHit]:
    """A plan's text chunks as passages, in the plan's order, to be read like search hits."""
    return [
        SearchHit(
            chunk_id=c.chunk_id,
            doc_id=c.doc_id,
            title=title,
            source=source,
            region=region,
            section=c.section,
            kind=c.kind,
            text=c.text,
            score=0.0,
            page=c.page,
            start=c.start,
            end=c.end,
            ocr=c.ocr,
            ocr_confidence=c.ocr_confidence,
        )
        for c in chunks
        if c.kind == "text"
    ]


def _requirement_in(
    query: Query, hits: Sequence[SearchHit], cite: Callable[[SearchHit, int, str], Citation], ranked: bool = True
) -> Answer | None:
    """The requirement answer from ``hits`` alone (``requirement_answer``)."""
    quotes = _part_sentences(query, hits, ranked)
    if not quotes:
        found = best_requirement(query, hits, ranked=ranked)
        if found is None:
            return None
        hit, sentence = found
        # In the plan's order (…30日后执行。本政策试行三年…), the way the passage reads.
        together = [sentence, *_other_kind_sentences(query, hit, sentence)]
        together.extend(_other_clause_sentences(query, hit, together))  # 多久…，试行几年: one per clause
        order = sentences(hit.text)
        quotes = [(hit, s) for s in sorted(together, key=lambda s: order.index(s) if s in order else len(order))]
        quotes.extend(_equally_stating(query, hits, hit, sentence, ranked))  # 什么条件: body and annex alike
        heading = agent_heading(hit, sentence, query.text)
        if heading:  # 哪个部门来核定: the unit its heading names, quoted before its duty
            quotes.insert(0, (hit, heading))
    return _quoted(query, quotes, cite)


def _quoted(
    query: Query, quotes: Sequence[tuple[SearchHit, str]], cite: Callable[[SearchHit, int, str], Citation]
) -> Answer:
    """The answer quoting ``quotes``, each with its citation, under its plan's title."""
    citations = [cite(hit, n, sentence) for n, (hit, sentence) in enumerate(quotes, start=1)]
    if len(quotes) == 1:
        text = MSG_REQUIREMENT.format(title=quotes[0][0].title, quote=marked_quote(quotes[0][1], 1))
    elif len({h.title for h, _ in quotes}) == 1:
        lines = [MSG_REQUIREMENT_LINE.format(quote=marked_quote(s, n), n=n) for n, (_, s) in enumerate(quotes, start=1)]
        text = "\n".join([MSG_REQUIREMENTS_LEAD.format(title=quotes[0][0].title), *lines])
    else:
        lines = [
            MSG_REQUIREMENT_TITLED.format(title=h.title, quote=marked_quote(s, n), n=n)
            for n, (h, s) in enumerate(quotes, start=1)
        ]
        text = "\n".join(lines)
    return Answer(
        question=query.text,
        answer=text,
        status="answered",
        citations=citations,
        resolved_question=query.resolved,
    )


_CLAUSE_GROUPS = re.compile(r"[^。；;！？!?]+[。；;！？!?]?")
_CLAUSES = re.compile(r"[^，,。；;！？!?]+")


def asks_whole_requirement(question: str, words: RequirementWords | None = None) -> bool:
    """Whether ``question`` asks what is required in general (有啥要求, 有什么规定), not one value."""
    w = words or requirement_words()
    q = nfkc(question)
    return any(x in q for x in w.whole_asks)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", nfkc(text))


def _states_amount(clause: str, words: RequirementWords) -> bool:
    """Whether a clause sets an amount: a quantity (3个工作日, 6个月以上) or a counted word (半年, 一次)."""
    s = nfkc(clause)
    return bool(parse_quantities(s)) or bool(words.counted.search(s))


OPENING_CHARS = 2


def other_requirements(row: Target, words: RequirementWords | None = None) -> list[str]:
    """The clauses after ``row``'s own that set further requirements on the same thing, in the plan's order.

    ``…至少派驻1名骨干担任业务副院长，派驻周期不少于半年。``: the row states 1名; the next clause
    of its group (the text between 。 or ； marks) goes on about the same posting and sets 不少于半年.
    A clause counts when it sets an amount and opens with words of the row's own clause (派驻…), so
    a clause about another subject (…，建制乡镇卫生院建筑面积不低于6000平米) is left out; the first
    that does not count ends the run.
    """
    w = words or requirement_words()
    value = _squeezed(row.value_text)
    if not value:
        return []
    indicator = set(_squeezed(row.indicator))
    groups = [g.group(0) for g in _CLAUSE_GROUPS.finditer(row.quote) if value in _squeezed(g.group(0))]
    if not groups:
        return []
    # The group naming the row's indicator best, when the value stands in several (1名 … 1名).
    group = max(groups, key=lambda g: len(indicator & set(_squeezed(g))))
    clauses = [c.group(0).strip() for c in _CLAUSES.finditer(group)]
    at = next((i for i, c in enumerate(clauses) if value in _squeezed(c)), None)
    if at is None:
        return []
    own = _squeezed(clauses[at])
    out: list[str] = []
    for clause in clauses[at + 1 :]:
        opening = _squeezed(clause)[:OPENING_CHARS]
        if len(opening) < OPENING_CHARS or opening not in own or not _states_amount(clause, w):
            break
        out.append(clause)
    return out


def with_whole_requirement(question: str, answer: Answer, words: RequirementWords | None = None) -> Answer:
    """A row answer to ``有啥要求`` with the other requirements its quoted clause group sets, each cited.

    A question asking what is required in general is not answered by one number when the same
    sentence sets more (…至少派驻1名…，派驻周期不少于半年). Only an answer of one target row is
    extended; every added clause stands in the row's cited quote.
    """
    if answer.status != "answered" or len(answer.targets) != 1 or not asks_whole_requirement(question, words):
        return answer
    row = answer.targets[0]
    n = next((c.n for c in answer.citations if c.quote == row.quote), None)
    if n is None:
        return answer
    text = answer.answer
    more = [c for c in other_requirements(row, words) if _squeezed(c) not in _squeezed(text)]
    if not more:
        return answer
    added = MSG_ALSO_REQUIRED.format(clauses="，".join(more), n=n)
    return answer.model_copy(update={"answer": f"{text}\n{added}"})


# ---- a plan's goal for a year (某方案提出到2025年要达到什么目标) -----------------------------------------

MAX_GOAL_SENTENCES = 3
MAX_GOAL_REST_CHARS = 1


def asks_plan_goal(rest: str, years: Sequence[str], words: RequirementWords | None = None) -> bool:
    """Whether ``rest`` (the question without the plan's name) asks the plan's goal for ``years`` and nothing else.

    ``提出到2025年要达到什么目标``: a goal ask (``goal_asks``) and a year; once the years and the words that
    ask a plan's goal without naming a subject (``plan_goal_words``: 提出, 要达到 …) are removed, nothing is
    left. ``到2025年X要达到什么目标`` names a subject X and is another question.
    """
    w = words or requirement_words()
    q = nfkc(rest)
    if not years or not all(y in q for y in years) or not any(x in q for x in w.goal_asks):
        return False  # a year carried over from the conversation is not asked here
    for y in years:
        q = re.sub(rf"(?:到|至|截至)?\s*{re.escape(y)}\s*年(?:底|末)?", " ", q)
    for x in longest_first([*w.goal_asks, *w.plan_goal_words, *w.question_words]):
        q = q.replace(x, " ")
    return len(re.findall(r"[\u4e00-\u9fff]", q)) <= MAX_GOAL_REST_CHARS


def plan_goal_sentences(
    passages: Sequence[SearchHit], years: Sequence[str], words: RequirementWords | None = None
) -> list[tuple[SearchHit, str]]:
    """A plan's sentences setting its goal for ``years`` (到2025年，…), in the plan's order.

    Sentences under a heading naming a goal (``goal_headings``: 一、总体目标) come first; when none there
    holds the year, sentences anywhere that open with the year (到2025年，…) do. A passage's head (title,
    addressees, the opening that names the documents implemented) states no goal for the year and is
    never chosen. At most MAX_GOAL_SENTENCES.
    """
    w = words or requirement_words()
    opening = re.compile("|".join(rf"^\s*(?:到|至)\s*{re.escape(y)}\s*年(?:底|末)?" for y in years))

    def holds_years(sentence: str) -> bool:
        text = nfkc(sentence)
        return all(re.search(rf"{re.escape(y)}\s*年", text) for y in years)

    def goal_sentence(sentence: str) -> bool:
        text = nfkc(sentence)
        return holds_years(text) and w.goal_marker is not None and bool(w.goal_marker.search(text))

    under: list[tuple[SearchHit, str]] = []
    opened: list[tuple[SearchHit, str]] = []
    for hit in passages:
        if hit.kind != "text":
            continue
        heading = nfkc(hit.section)
        for sentence in sentences(hit.text):
            if len(sentence) < MIN_SENTENCE_CHARS or not goal_sentence(sentence):
                continue
            if any(x in heading for x in w.goal_headings):
                under.append((hit, sentence))
            elif opening.search(nfkc(sentence)):
                opened.append((hit, sentence))
    return (under or opened)[:MAX_GOAL_SENTENCES]


def plan_goal_answer(
    query: Query,
    rest: str,
    passages: Sequence[SearchHit],
    cite: Callable[[SearchHit, int, str], Citation],
    words: RequirementWords | None = None,
) -> Answer | None:
    """The named plan's goal for the year asked, quoted and cited; None for any other question."""
    if not asks_plan_goal(rest, query.years, words):
        return None
    quotes = plan_goal_sentences(passages, query.years, words)
    return _quoted(query, quotes, cite) if quotes else None

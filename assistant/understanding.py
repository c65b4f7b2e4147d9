"""Question understanding without a language model: region, year, scope, indicator words, intent.

Names come from the corpus itself (documents' regions, the regions of table rows, the scopes of
target rows), so a new plan brings its own vocabulary; nothing here names a place.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from assistant.question_wording import (
    asks_which_side,
    drop_acknowledgement,
    drop_asked_quantity,
    drop_asked_unit,
    drop_back_references,
    drop_column_words,
    drop_document_parts,
    drop_each_scope,
    drop_earlier_references,
    drop_question_words,
    drop_same_year,
    drop_side_asks,
    drop_task_word,
    drop_value_kinds,
    drop_year_digits,
    full_years,
    opens_followup,
    referred_noun,
    refers_back,
    switches_subject,
)
from assistant.schema import Turn
from ingestion.text.normalize import nfkc
from ingestion.text.rules import WordingRules, alternation
from ingestion.text.rules import rules as default_rules

Intent = Literal["number", "compare", "list", "explain"]

_YEAR_RE = re.compile(r"(20\d{2})\s*(?:年|$|[—\-~至到]|底|末|上半年|下半年)")
_PERIOD_RE = re.compile(r"(20\d{2})\s*[—\-~至到]\s*(20\d{2})\s*年?")
_FIVE_YEAR_RE = re.compile(r"[“\"]?(十[一二三四五六七八九]五)[”\"]?")

_COMPARE_RE = re.compile(
    r"比较|对比|相比|比一比|哪个(?:更)?(?:高|低|多|少|大|小)|差距|差多少|分别是多少|各是多少|有何不同|有什么不同"
    r"|一样吗|一样不|是否一样|相同吗|是否相同|一致吗|是否一致|有区别吗|有何区别|有什么区别"
)
# 对…的要求: the preposition frames the indicator (两市对基层床位占比的要求一样吗).
_ABOUT_RE = re.compile(r"对(.{2,40}?)的(?:要求|规定|目标|安排|标准|部署)")
# 每个县区 / 每个乡镇: a distributive scope, not part of the indicator's wording.
_EACH_UNIT = re.compile(r"每(?:一)?个(?:行政)?(?:县区|县市|区市|县|区|市|乡镇|街道|村|社区)")
_LIST_RE = re.compile(
    r"哪些(?:县|区|地|市|乡镇|街道|单位)|哪几个(?:县|区|地|市)|哪个(?:县|区|地|市)|各县|各区|各地|每个县|每个区|列出|列举"
)
_EXPLAIN_RE = re.compile(
    r"什么|怎么|如何|为什么|为何|哪些|哪两|哪几|哪方面|是否|能否|有没有|措施|举措|做法|途径|路径|机制|介绍|说明|讲讲|谈谈"
)
_NUMBER_RE = re.compile(
    r"多少|几[个名所家张项人次%]?|比例|比率|率|数量|目标值|指标|达到|不低于|不少于|占比|覆盖率|人数|数$"
)

# A document named in the question: 深化医改实施方案里… / 某市行动方案中…
_DOC_MENTION = re.compile(r"^(.{2,40}?(?:方案|规划|计划|意见|通知|办法))(?:里的|中的|里|中|内|[，,])")
_EDGE_PARTICLES = "的和与及、，,。？?！!：:；;“”\"'（）() 　年底末前"
POS_CACHE_SIZE = 4096  # texts whose part-of-speech tags are kept (questions and their parts: short strings)


def bigrams(text: str) -> set[str]:
    """Character bigrams of the CJK/alnum runs of ``text`` (single characters for 1-char runs)."""
    out: set[str] = set()
    for run in re.findall(r"[\u4e00-\u9fffA-Za-z0-9%‰]+", nfkc(text)):
        if len(run) == 1:
            out.add(run)
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return out


@dataclass(frozen=True)
class Vocabulary:
    """Names the corpus knows: regions (with aliases) and scopes."""

    regions: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)
    wording: str = ""
    rules: WordingRules = field(default_factory=default_rules)
    # Sub-region -> the regions of the plans whose tables name it (开发区 -> 某市): 某市开发区 means the sub-region.
    within: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        regions: Iterable[str],
        scopes: Iterable[str],
        wordings: Iterable[str] = (),
        rules: WordingRules | None = None,
        within: Mapping[str, Iterable[str]] | None = None,
    ) -> Vocabulary:
        """Vocabulary from the corpus: each region answers to its name and its name without the suffix.

        ``rules`` are the wording rules to read questions with (the shipped ones by default); ``within``
        maps a sub-region to the regions of the plans that name it in their tables or metadata.
        """
        r = rules if rules is not None else default_rules()
        not_regions = {*r.total_labels, *r.whole_area}
        names = sorted({x.strip() for x in regions if x and x.strip() and x.strip() not in not_regions})
        aliases: dict[str, str] = {}
        for name in names:
            aliases[nfkc(name)] = name
            for suffix in r.admin_suffixes:
                if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                    aliases.setdefault(nfkc(name[: -len(suffix)]), name)
                    break
        scope_names = sorted({s for s in scopes if s}, key=len, reverse=True)
        # Indicator wordings: a "place" the tagger finds inside one (新建, 开发) is a word, not a place.
        wording = "\n".join(sorted({nfkc(w) for w in wordings if w}))
        nested = {k: frozenset(v) - {k} for k, v in (within or {}).items()}
        return cls(
            regions=tuple(names),
            scopes=tuple(scope_names),
            aliases=aliases,
            wording=wording,
            rules=r,
            within={k: v for k, v in nested.items() if v},
        )


@dataclass(frozen=True)
class Query:
    """What a question asks, slot by slot."""

    text: str
    regions: tuple[str, ...] = ()
    unknown_places: tuple[str, ...] = ()
    years: tuple[str, ...] = ()
    scope: str = ""
    indicator: str = ""
    intent: Intent = "number"
    followup: bool = False
    all_subregions: bool = False
    context: str = ""
    doc_hint: str = ""
    carried_years: bool = False
    carried_regions: bool = False  # the regions are the previous turn's (a follow-up naming none)
    wants_total: bool = False
    previous: str = ""  # the previous question in the conversation (what kind of value it asked: value_kinds.py)
    each_scopes: tuple[str, ...] = ()  # distributive scopes in the plan's words (每个区市、开发区): question_wording.py

    @property
    def resolved(self) -> str:
        """A readable restatement of the question with follow-up context filled in."""
        parts = []
        if self.years:
            parts.append("、".join(f"{y}年" for y in self.years))
        if self.regions:
            parts.append("、".join(self.regions))
        if self.scope and self.scope not in self.indicator:
            parts.append(self.scope)
        parts.append(self.indicator or self.text)
        return " ".join(parts)


def _place_names(
    text: str, suffixes: tuple[str, ...], followers: tuple[str, ...] = (), pointers: tuple[str, ...] = ()
) -> list[str]:
    """Place names in ``text`` by jieba's part-of-speech tags (ns), or a 2-character name + a suffix (市/县/区…).

    ``followers``: single function characters the segmenter may join to a suffix (白鹭|市要): a 2-character name
    before such a token is a place name too. ``pointers``: words pointing at a place's side (白鹭|那边): a
    2-character name before one is a place name.
    """
    tokens = pos_tags(text)
    places: list[str] = []
    for i, (word, flag) in enumerate(tokens):
        if flag == "ns" and len(word) >= 2:
            places.append(word)
        elif len(word) == 3 and flag in ("n", "nz", "nr") and word[-1] in suffixes:
            places.append(word)  # 白石区 read as one noun: a 2-character name and a suffix
        elif (
            len(word) == 2
            and flag in ("n", "nr", "nz", "ns")
            and i + 1 < len(tokens)
            and tokens[i + 1][0] in suffixes
        ):
            places.append(word + tokens[i + 1][0])
        elif (
            len(word) == 2
            and flag in ("n", "nr", "nz", "ns")
            and i + 1 < len(tokens)
            and len(tokens[i + 1][0]) == 2
            and tokens[i + 1][0][0] in suffixes
            and tokens[i + 1][0][1] in followers
        ):
            places.append(word + tokens[i + 1][0][0])  # 白鹭|市要: the suffix joined to the next word
        elif (
            len(word) == 2
            and flag in ("nr", "nz", "ns")
            and i + 1 < len(tokens)
            and tokens[i + 1][0] in pointers
        ):
            places.append(word)  # 白鹭|那边: a name pointed at as a place
    return list(dict.fromkeys(places))


@functools.lru_cache(maxsize=POS_CACHE_SIZE)
def pos_tags(text: str) -> tuple[tuple[str, str], ...]:
    """The words jieba finds in ``text`` with their part-of-speech tags, kept for texts seen before.

    Tagging (an HMM pass) is the costliest step of reading a question, and one question is read more than
    once while it is answered (as asked, then resolved against the conversation; each comparison side).
    """
    import jieba.posseg

    _quiet_jieba()
    return tuple((tok.word, tok.flag) for tok in jieba.posseg.cut(text))


def _quiet_jieba() -> None:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)


def _ends_in_word(name: str, word: str) -> bool:
    """``name`` is ``word`` or ends in it as a word of its own (健康中国), not inside a place's name.

    白城市 ends in 城市, but 城 belongs to the name: when the name without its last character (白城) is
    itself tagged a place, the word does not end it (主城区 stays a word: 主城 is no place).
    """
    if name == word or not name.endswith(word):
        return name == word
    if len(name) - len(word) >= 2:
        return True
    head = pos_tags(name[:-1])
    return not (len(head) == 1 and head[0][1] == "ns")


def _find_regions(q: str, vocab: Vocabulary) -> tuple[list[str], list[str], str]:
    """Known regions in ``q`` (canonical names), unknown place names, and ``q`` with them removed."""
    found: list[str] = []
    rest = q
    for alias in sorted(vocab.aliases, key=len, reverse=True):
        if alias and alias in rest:
            name = vocab.aliases[alias]
            if name not in found:
                found.append(name)
            rest = rest.replace(alias, " ")
    not_places = vocab.rules.question_not_places
    named = _place_names(
        rest,
        vocab.rules.question_place_suffixes,
        vocab.rules.question_suffix_followers,
        vocab.rules.question_place_pointers,
    )
    unknown = [p for p in named if p not in vocab.aliases and not any(_ends_in_word(p, w) for w in not_places)]
    unknown = [p for p in unknown if not any(sc and sc in p for sc in vocab.scopes) and p not in vocab.wording]
    for place in unknown:
        rest = rest.replace(place, " ")
    return found, unknown, rest


def sub_regions(pairs: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """Sub-region -> outer regions, from (region, region of the plan or city it lies in) pairs; "" is none."""
    out: dict[str, set[str]] = {}
    for inner, outer in pairs:
        if inner and outer and inner != outer:
            out.setdefault(inner, set()).add(outer)
    return out


def _inner_regions(q: str, found: list[str], vocab: Vocabulary) -> list[str]:
    """``found`` without a region named right before one of its sub-regions (某市开发区 asks about 开发区)."""
    if len(found) < 2 or not vocab.within:
        return found
    names: dict[str, list[str]] = {}
    for alias, name in vocab.aliases.items():
        names.setdefault(name, []).append(alias)
    outer = {
        o
        for i in found
        for o in found
        if o in vocab.within.get(i, ()) and any(a + b in q for a in names.get(o, ()) for b in names.get(i, ()))
    }
    return [r for r in found if r not in outer]


def _find_years(q: str) -> tuple[list[str], str]:
    years: list[str] = []
    rest = q
    for m in _PERIOD_RE.finditer(q):
        years.append(f"{m.group(1)}-{m.group(2)}")
    rest = _PERIOD_RE.sub(" ", rest)
    for m in _YEAR_RE.finditer(rest):
        if m.group(1) not in years:
            years.append(m.group(1))
    rest = re.sub(r"(?:到|至|截至|截止)?\s*20\d{2}\s*年?(?:底|末|年底|上半年|下半年)?(?:前)?", " ", rest)
    m5 = _FIVE_YEAR_RE.search(rest)
    if m5:
        years.append(m5.group(1))
        rest = rest.replace(m5.group(0), " ")
    return years, rest


@functools.cache
def _condition_re(words: tuple[str, ...]) -> re.Pattern[str]:
    # A condition on the value (超过10个), which list questions filter by and the indicator must not contain.
    return re.compile(rf"(?:{alternation(words)})\s*\d+(?:\.\d+)?\s*(?:个|名|家|所|张|项|人次|人|%)?")


@functools.cache
def _area_words_re(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(alternation(words))


@functools.cache
def _total_re(words: tuple[str, ...]) -> re.Pattern[str]:
    # A total over the plan period (三年一共 / 合计 / 加起来): the words are scope.toml's total_question_words.
    return re.compile(alternation(words))


def _strip_filler(text: str, rules: WordingRules) -> str:
    about = _ABOUT_RE.search(text)
    out = text[: about.start()] + " " + about.group(1) + " " + text[about.end() :] if about else text
    out = _EACH_UNIT.sub(" ", out)
    out = _condition_re(rules.condition_words).sub(" ", out)
    # 跟 谁多？各几个: a comparison's own words (which side, 甲跟乙比, a lone 各) go, before and after the asks.
    out = drop_asked_quantity(drop_side_asks(out))
    for word in rules.fillers:
        out = out.replace(word, " ")
    out = drop_side_asks(out)
    # 常住人口是（多少）: a copula left at the end of a part once the question word is gone; 目标定的（多少）:
    # a setting verb there (questions.toml setting_tails).
    tails = "|".join(re.escape(t) for t in sorted(rules.setting_tails, key=len, reverse=True))
    parts = [p.rstrip("？?！!。") for p in out.split()]
    if tails:
        parts = [re.sub(rf"(?:(?<=..)|^)(?:{tails})$", "", p) for p in parts]
    parts = [p.strip(_EDGE_PARTICLES) for p in parts]
    parts = [re.sub(r"(?<=..)[是为]$", "", p).strip(_EDGE_PARTICLES) for p in parts]
    return "".join(p for p in parts if p and p not in ("是", "为")).strip(_EDGE_PARTICLES)


def _intent(q: str, n_regions: int, n_years: int) -> Intent:
    if _COMPARE_RE.search(q) or asks_which_side(q) or (n_regions >= 2 and re.search(r"和|与|及|、|跟", q)):
        return "compare"
    if n_years >= 2 and re.search(r"和|与|及|、|跟|分别|各", q):
        return "compare"
    if _LIST_RE.search(q):
        return "list"
    if _EXPLAIN_RE.search(q) and not re.search(r"多少|几[个名所家张项人次处]|比例|比率|占比|率(?:要|是|达|为)", q):
        return "explain"
    return "number"


def parse_question(question: str, vocab: Vocabulary) -> Query:
    """Slots of a single question, without context."""
    # 建档率知道了，使用率定的多少？: the acknowledging clause names the old subject, not the one asked.
    q = drop_acknowledgement(full_years(nfkc(question).strip()))
    doc_hint = ""
    mention = _DOC_MENTION.match(q)
    if mention and len(q) - mention.end() >= 4:
        doc_hint, q = mention.group(1), q[mention.end() :]
    without_each, each_scopes = drop_each_scope(q, vocab.aliases)
    regions, unknown, rest = _find_regions(without_each, vocab)
    regions = _inner_regions(q, regions, vocab)
    years, rest = _find_years(rest)
    rest = drop_year_digits(rest, years)  # 23 of 23到2025年: a year's digits are no words of the indicator
    rest = drop_earlier_references(rest)  # 前面说的那个指标 -> 那个指标: the pointer, not the wording
    scope = ""
    for s in vocab.scopes:
        if nfkc(s) in rest:
            scope = s
            break
    all_sub = bool(re.search(r"各县|各区|各地|哪些县|哪些区|哪些地|哪个县|哪个区|哪个地|哪几个县|哪几个区", q))
    rest = drop_asked_unit(drop_question_words(drop_document_parts(drop_same_year(drop_column_words(rest)))))
    indicator = _strip_filler(_area_words_re(vocab.rules.question_area_words).sub(" ", rest), vocab.rules)
    intent = _intent(q, len(regions) + len(unknown), len(years))
    return Query(
        text=question.strip(),
        regions=tuple(regions),
        unknown_places=tuple(unknown),
        years=tuple(years),
        scope=scope,
        indicator=indicator if intent == "explain" else drop_task_word(indicator),
        intent=intent,
        all_subregions=all_sub,
        doc_hint=doc_hint,
        wants_total=bool(_total_re(vocab.rules.total_question_words).search(q)),
        each_scopes=each_scopes,
    )


def _restates(words: str, previous: str) -> bool:
    """Whether ``words`` only repeat the previous question's (要培养 after 丙县…要培养全科医生多少人)."""
    own = bigrams(words)
    return own <= bigrams(previous)


def _points_back(question: str) -> bool:
    """Whether ``question`` points at an earlier turn, a year between the pointer and its determiner or not."""
    return refers_back(_find_years(full_years(nfkc(question)))[1])


def _is_elliptical(question: str, query: Query, previous: str) -> bool:
    """A follow-up that leaves the indicator to the previous turn: 那2023年呢？ 某县呢？ 重点人群呢？."""
    q = nfkc(question).strip()
    if switches_subject(q):
        return True  # 白鹭镇的驿站呢，要建到啥程度？: the previous question asked of a new subject
    residue = query.indicator
    if query.scope:
        residue = residue.replace(query.scope, "")
    # 2020年定的是多少？ / 那个要求的是多少？: words pointing back name nothing; nothing else left, nothing asked anew.
    # Nor does the kind of value asked (那15年的基期是多少？: the previous indicator's base value).
    residue = drop_back_references(drop_value_kinds(residue))
    if _points_back(q) and _restates(residue, previous):
        return True  # 上面问的那个，2024年要培养多少？: the earlier subject, in words the previous question holds
    # A year asked with nothing else named (2020年定的是多少？, its setting verb already dropped) points back too.
    if (query.indicator or query.years) and not residue.strip(_EDGE_PARTICLES):
        return True
    short_residue = len(residue) <= 2
    return (opens_followup(q) and (short_residue or len(q) <= 12)) or (short_residue and len(q) <= 10)


def resolve(question: str, history: Sequence[Turn], vocab: Vocabulary) -> Query:
    """Slots of ``question``, carrying over from the previous user turns what a follow-up leaves out."""
    current = parse_question(question, vocab)
    previous_user = [t.content for t in history if t.role == "user" and t.content.strip()]
    if not previous_user:
        return current
    elliptical = _is_elliptical(question, current, previous_user[-1])
    referred = None if elliptical else referred_noun(current.indicator, previous_user[-1])
    if not elliptical and referred is None:
        return replace(current, previous=previous_user[-1])  # 达到基本标准的给多少？ keeps its kind of value
    # Resolve the previous turn itself against its own history first (chains of follow-ups).
    prev = resolve(previous_user[-1], [Turn(role="user", content=c) for c in previous_user[:-1]], vocab)
    if referred is not None:
        return _with_referent(current, prev, referred, previous_user[-1])
    # 联合病房呢？ / 重点人群呢？ name a new subject: it becomes the indicator, the old one its context.
    subject = drop_back_references(current.indicator)
    # 上面问的那个，2024年要培养多少？: words restating the subject pointed back at are no new subject.
    restated = _points_back(question) and _restates(subject, previous_user[-1])
    if len(subject) >= 2 and subject != prev.indicator and not restated:
        indicator, context = subject, prev.indicator
    else:
        indicator, context = prev.indicator, prev.context
    return replace(
        prev,
        text=question.strip(),
        regions=current.regions or (() if current.unknown_places else prev.regions),
        unknown_places=current.unknown_places,
        carried_regions=not current.regions and not current.unknown_places and bool(prev.regions),
        # 那三年加起来呢？ asks for the period total: the previous turn's single year is not carried.
        years=current.years or (() if current.wants_total else prev.years),
        carried_years=not current.years and not current.wants_total and bool(prev.years),
        wants_total=current.wants_total or prev.wants_total,
        doc_hint=current.doc_hint or prev.doc_hint,
        scope=current.scope or prev.scope,
        indicator=indicator,
        context=context,
        intent=current.intent if current.intent in ("compare", "list") else prev.intent,
        followup=True,
        all_subregions=current.all_subregions or (prev.all_subregions and not current.regions),
        previous=previous_user[-1],
    )


def _with_referent(current: Query, prev: Query, referred: tuple[str, str], previous: str) -> Query:
    """``这个补贴要满足啥条件`` after ``白沙县驻站医生每人每年补贴多少``: the question about the previous subject.

    The phrase pointing back is replaced by the previous indicator up to the noun it names (``驻站医生每人每年补贴``);
    the question keeps its own kind and words, and takes the previous place, year and plan where it names none.
    """
    phrase, noun = referred
    at = prev.indicator.rfind(noun)
    subject = prev.indicator[: at + len(noun)] if at >= 0 else noun
    return replace(
        current,
        indicator=current.indicator.replace(phrase, subject, 1),
        regions=current.regions or (() if current.unknown_places else prev.regions),
        carried_regions=not current.regions and not current.unknown_places and bool(prev.regions),
        years=current.years or prev.years,
        carried_years=not current.years and bool(prev.years),
        doc_hint=current.doc_hint or prev.doc_hint,
        scope=current.scope or prev.scope,
        context=prev.indicator,
        followup=True,
        previous=previous,
    )


def full_region_names(text: str, regions: Iterable[str], vocab: Vocabulary) -> str:
    """``text`` with each of ``regions`` written in full where it stands short (青川 -> 青川县), for search.

    Passages name a region in full; a question that drops the suffix should find the same passages.
    Names are matched longest first at each place, as ``_find_regions`` reads them.
    """
    wanted = set(regions)
    if not wanted or not vocab.aliases:
        return text
    names = re.compile(alternation(sorted(vocab.aliases, key=len, reverse=True)))
    return names.sub(lambda m: vocab.aliases[m.group(0)] if vocab.aliases[m.group(0)] in wanted else m.group(0), text)

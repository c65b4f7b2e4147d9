"""Local against national targets: 我市…的目标和国家比怎么样.

A question that holds a national word (国家, 全国) and a comparing word (比, 相比, 高吗) is split at the
national word: the local side is looked up in the local plans (its region, or the region of the previous
question for 我市), the national side in the plans whose region is national, on its own indicator when the
question names one after the national word (和国家注册护士数目标比) and on the local indicator otherwise.
Both sides' rows are returned for the answer to show side by side, with what is missing on either side.
Wording lists live in ``rules/national.toml``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from assistant.lookup import RowIndex, lookup
from assistant.question_wording import drop_back_references
from assistant.rule_files import longest_first, read_rules
from assistant.schema import Turn
from assistant.understanding import Query, Vocabulary, resolve
from ingestion.schema import Target
from ingestion.text.normalize import nfkc
from ingestion.text.rules import alternation, rules


@dataclass(frozen=True)
class NationalRules:
    """The wording lists of ``national.toml``."""

    national_words: tuple[str, ...]
    compare_words: tuple[str, ...]
    compare_phrases: tuple[str, ...]
    not_compare: tuple[str, ...]
    self_words: tuple[str, ...]
    stated_value_verbs: tuple[str, ...]
    national_region: str
    both_words: tuple[str, ...] = ()
    national_subject_followers: tuple[str, ...] = ()
    clause_ends: tuple[str, ...] = ()
    national_side_fillers: tuple[str, ...] = ()
    local_side_fillers: tuple[str, ...] = ()
    wording_asks: tuple[str, ...] = ()
    second_question_words: tuple[str, ...] = ()
    back_references: tuple[str, ...] = ()
    staffing_words: tuple[str, ...] = ()
    base_pattern: str = ""
    count_head: str = ""


@functools.cache
def national_rules() -> NationalRules:
    """The local-against-national wording lists (loaded once)."""
    data = read_rules("national.toml")
    return NationalRules(
        national_words=longest_first(data["national_words"]),
        compare_words=longest_first(data["compare_words"]),
        compare_phrases=longest_first(data["compare_phrases"]),
        not_compare=tuple(data["not_compare"]),
        self_words=longest_first(data["self_words"]),
        stated_value_verbs=longest_first(data["stated_value_verbs"]),
        national_region=str(data["national_region"]),
        both_words=longest_first(data["both_words"]),
        national_subject_followers=longest_first(data["national_subject_followers"]),
        clause_ends=tuple(data["clause_ends"]),
        national_side_fillers=longest_first(data["national_side_fillers"]),
        local_side_fillers=longest_first(data["local_side_fillers"]),
        wording_asks=longest_first(data.get("wording_asks", ())),
        second_question_words=longest_first(data.get("second_question_words", ())),
        back_references=longest_first(data.get("back_references", ())),
        staffing_words=longest_first(data.get("staffing_words", ())),
        base_pattern=str(data.get("base_pattern", "")),
        count_head=str(data.get("count_head", "")),
    )


@dataclass(frozen=True)
class NationalComparison:
    """The local and national rows for one comparison, and what each side asked for."""

    local_rows: list[Target]
    national_rows: list[Target]
    local_what: str
    national_what: str
    regions: tuple[str, ...]
    national_docs: frozenset[str] = frozenset()
    # The plans of the local side: those the question names, else the local plans of its regions.
    local_docs: frozenset[str] = frozenset()
    # The national side's own words, fillers removed (在电子健康档案上 咋 的): what its sentence should hold.
    national_text: str = ""
    # The topics the national plan's sentence is sought on, in order (the national side's own, or what it points
    # back at); empty for the national or local indicator.
    national_topics: tuple[str, ...] = ()
    # The national rows count the local side's staff on another base (see ``other_base_rows``).
    other_base: bool = False


def split_national(question: str, rules: NationalRules | None = None) -> tuple[str, str] | None:
    """The local and the national side of a local-against-national question, or None when it is not one."""
    r = rules or national_rules()
    q = nfkc(question)
    m = re.search(alternation(r.national_words), q)
    if m is None:
        return None
    outside = q[: m.start()] + " " + q[m.end() :]
    for w in r.not_compare:
        outside = outside.replace(w, " ")
    after = q[m.end() :]
    # 国家2020年的目标 / 国家定的: the nation as a subject, whose targets 各是多少 asks beside the local ones.
    followers = r.national_subject_followers
    subject = bool(re.match(r"\s*20\d{2}\s*年", after)) or after.startswith(followers) or m.group(0).endswith(followers)
    both = subject and bool(r.both_words) and bool(re.search(alternation(r.both_words), outside))
    # 白鹭市…定到多少？国家纲要又是多少: the nation's side asked in a clause of its own, after a local one. A
    # national word opening a question of its own after a local question (…要到多少？全国每千人口床位又是多少？)
    # stands as a subject too: what follows it is the nation's indicator.
    apart = asked_apart(q[: m.start()], r) and (subject or asked_after_question(q[: m.start()], after, r))
    if not (both or apart) and not re.search(alternation(r.compare_words), outside):
        return None
    local, national = q[: m.start()], after
    if not has_wording(local):
        local = ""  # 跟国家比呢 (a follow-up), or 全国和某市…各是多少 (regions compared: lookup answers it)
    for w in (*r.both_words, *r.compare_phrases, *r.national_words, *r.national_side_fillers):
        national = national.replace(w, " ")
    for w in (*r.both_words, *r.local_side_fillers):
        local = local.replace(w, " ")
    local = re.sub(rf"(?:{alternation(r.compare_phrases)})[\s,，]*$", "", local.strip(" ,，"))
    for w in r.self_words:
        local = local.replace(w, "")
    # A value the asker states (定到36%以上) is theirs, not the indicator's wording.
    verbs = alternation(r.stated_value_verbs)
    # Not a year the asker names (定到2025年多少: 2025 is when, not a value).
    value = rf"(?:(?:{verbs})\s*\d+(?:\.\d+)?(?![\d.]|\s*年)\s*%?|\d+(?:\.\d+)?\s*%)(?:以上|以下|左右)?"
    local = re.sub(value, "", local).strip(" ,，")
    return local.strip(), national.strip()


def asked_apart(before: str, rules: NationalRules) -> bool:
    """Whether a national word after ``before`` opens a clause of its own after a local clause (…多少？国家…)."""
    text = before.rstrip()
    return bool(text) and text.endswith(rules.clause_ends) and has_wording(text)


def asked_after_question(before: str, after: str, rules: NationalRules) -> bool:
    """Whether ``after`` asks the nation's side of its own after the question ``before`` ends (…多少？全国…又是多少？).

    ``after`` must name words of its own and say it is a second question: a year (30年的目标) or one of
    ``second_question_words`` (又是). 国家卫生城市有多少个 after a local question says neither: no comparison.
    """
    marks = tuple(x for x in rules.clause_ends if x in "？?")
    if not before.rstrip().endswith(marks) or not has_wording(after):
        return False
    second = bool(rules.second_question_words) and re.search(alternation(rules.second_question_words), after)
    return bool(second) or re.search(r"\d{2}\s*年", after) is not None


def has_wording(text: str) -> bool:
    """Whether ``text`` holds words of its own (two characters besides digits and punctuation)."""
    return len(re.sub(r"[\W\d]", "", text)) >= 2


def compare_with_nation(
    question: str,
    history: Sequence[Turn],
    vocab: Vocabulary,
    index: RowIndex,
    doc_regions: dict[str, str],
    named: Callable[[str], tuple[set[str] | None, str]] | None = None,
    split_items: Callable[[str], list[str]] | None = None,
) -> NationalComparison | None:
    """Rows of the local and the national side of ``question``, or None when it is no such question.

    None also when the library holds no national plan. ``named`` gives the plans a text names and the text
    without their names (某市医改方案定的…): the local side is then looked up in those plans only. ``split_items``
    gives one wording per item a local indicator names (卫生院和服务站…, parts.split_indicator): each is given.
    """
    r = national_rules()
    national_docs = {d for d, reg in doc_regions.items() if reg == r.national_region}
    sides = split_national(question, r)
    if not national_docs or sides is None or not (sides[0] or history):
        return None
    local_text, national_text = sides
    users = [t for t in history if t.role == "user" and t.content.strip()]
    prev = resolve(users[-1].content, users[:-1], vocab) if users else None
    # 跟国家比呢: the local side is the previous question.
    local = resolve(local_text, history, vocab) if local_text or prev is None else prev
    local_docs = set(doc_regions) - national_docs
    plans, rest = named(local_text) if named is not None and local_text else (None, "")
    if plans and plans <= local_docs and rest.strip():
        # 某市医改方案定的…: the plan named is where to look, and its name is no indicator wording.
        local_docs = set(plans)
        local = replace(resolve(rest, history, vocab), regions=local.regions)
    local = replace(local, intent="number", regions=tuple(x for x in local.regions if x != r.national_region))
    if not local.regions and prev is not None:
        local = replace(local, regions=prev.regions)  # 我市…: the city of the conversation
    local_rows = lookup(local, index, doc_regions, local_docs).rows if local.indicator else []
    if split_items is not None:
        local_rows = each_item_rows(local, local_rows, split_items(local.indicator), index, doc_regions, local_docs)
    if not local_rows and local.indicator:
        local_rows = loosely_named_rows(local_text, local, index, local_docs)
    national = resolve(national_text, [], vocab) if national_text else None
    back = points_back(national_text, r)
    topics: tuple[str, ...] = ()
    if national is not None and len(national.indicator) >= 3 and not back:
        nq = replace(national, intent="number", regions=())
    else:
        nq = replace(local, regions=(), years=national.years if national else ())
        if back:
            topics = back_topics(local.indicator, back, r)
    opener = topic_opener(question, r) if local_text and nq.indicator == local.indicator else ""
    if opener and not topics:
        # 家庭医生签约这事，某市…签约率要到多少？全国纲要又是怎么说的: the nation's sentence on the local indicator, or
        # else on the topic the question opened with.
        topics = tuple(dict.fromkeys((local.indicator, opener)))
    national_rows = lookup(nq, index, doc_regions, national_docs).rows if nq.indicator else []
    if not national_rows and national is not None and nq.indicator == national.indicator:
        # 国家纲要提的那个看病服务圈是几分钟: the national side named loosely, as a local side may be.
        loose = replace(nq, regions=(r.national_region,))
        national_rows = loosely_named_rows(national_text, loose, index, national_docs)
    other_base = False
    if not national_rows and nq.indicator == local.indicator:
        staff = staff_count(local.indicator, r)
        if staff:
            sq = replace(nq, indicator=staff)
            rows = lookup(sq, index, doc_regions, national_docs).rows
            national_rows = [x for x in rows if staff in nfkc(x.indicator)]
            other_base = bool(national_rows)
    own = local_docs if plans else {d for d in local_docs if doc_regions.get(d) in local.regions}
    return NationalComparison(
        local_rows,
        national_rows,
        local.indicator,
        nq.indicator,
        local.regions,
        frozenset(national_docs),
        frozenset(own),
        national_text,
        topics,
        other_base,
    )


def each_item_rows(
    query: Query,
    rows: list[Target],
    items: Sequence[str],
    index: RowIndex,
    doc_regions: dict[str, str],
    docs: set[str],
) -> list[Target]:
    """The rows of every item a local side names (卫生院和服务站…开展几类, 一般人群、重点人群签约率), or ``rows``.

    ``items`` are the indicator's wordings, one per item (parts.split_indicator); each is looked up on its own.
    Only when every item finds rows, all in the plans of ``rows``, and some are rows ``rows`` lacks: one side asked
    of two institutions or groups is answered for each, not for the first alone.
    """
    if len(items) < 2 or not rows:
        return rows
    own_docs = {x.doc_id for x in rows}
    found: list[Target] = []
    for item in items:
        part = lookup(replace(query, indicator=item), index, doc_regions, docs).rows
        part = [x for x in part if x.kind != "baseline"]
        if not part or any(x.doc_id not in own_docs for x in part):
            return rows
        found.extend(part)
    merged = list({x.target_id: x for x in [*rows, *found]}.values())
    return merged if len(merged) > len(rows) else rows


# A loose name may skip this many characters of the row's wording (健康圈 in 健康共富圈 skips two).
LOOSE_NAME_GAP = 3
# Failing that, the name's last characters (its head noun, 服务圈 of 看病服务圈) may stand in the wording as they are.
LOOSE_HEAD = 3
# 几分钟 / 多少类: the words after a question word, the unit a value is asked in.
_ASKED_IN = re.compile(r"(?:多少|几)\s*([\u4e00-\u9fff]{1,2})")


def loosely_named_rows(text: str, query: Query, index: RowIndex, docs: set[str]) -> list[Target]:
    """The rows a local side names loosely (某区那个健康圈是几分钟 for “12分钟健康共富圈”), or [].

    The side's wording, without the words pointing at it (那个) and the unit it asks in (分钟), must stand in a
    row's wording in order, with at most ``LOOSE_NAME_GAP`` characters skipped, in the plans and regions asked; the
    row's unit must be the one asked (几分钟), and one wording alone may be so named (else nothing: ambiguous).
    When no wording holds the side's wording so, its last ``LOOSE_HEAD`` characters (the head noun: 看病服务圈 for
    “15分钟基本医疗卫生服务圈”) standing in a wording as they are do, under the same unit and uniqueness checks.
    """
    if not query.regions:
        return []
    asked = [u for u in _ASKED_IN.findall(nfkc(text)) if u]
    core = re.sub(r"[^\u4e00-\u9fff]", "", drop_back_references(nfkc(query.indicator)))
    for unit in asked:
        core = core.removesuffix(unit)
    if len(core) < 3 or not asked:
        return []
    inside = set(index.positions(docs))
    positions = [p for p in index.region_positions(query.regions) if p in inside]
    head = core[-LOOSE_HEAD:]

    def by_head(words: str) -> bool:
        return len(core) > LOOSE_HEAD and head in re.sub(r"\s+", "", nfkc(words))

    names_tried: tuple[Callable[[str], bool], ...] = (functools.partial(_names_loosely, core), by_head)
    for names in names_tried:
        matched = [p for p in positions if names(index.keys[p].words)]
        rows = [r for r in index.rows.many(matched) if r.unit and r.kind != "baseline" and r.unit in asked]
        if rows:
            break
    if len({nfkc(r.indicator) for r in rows}) != 1:
        return []
    return list({(r.region, r.year, r.value, r.value_max): r for r in rows}.values())


def _names_loosely(core: str, wording: str) -> bool:
    """Whether ``core``'s characters stand in ``wording`` in order within ``len(core) + LOOSE_NAME_GAP`` characters."""
    text = re.sub(r"\s+", "", nfkc(wording))
    for start in (m.start() for m in re.finditer(re.escape(core[0]), text)):
        at = start
        for ch in core[1:]:
            at = text.find(ch, at + 1)
            if at < 0:
                break
        if at >= 0 and at - start + 1 <= len(core) + LOOSE_NAME_GAP:
            return True
    return False


def topic_opener(question: str, rules: NationalRules) -> str:
    """The topic a question's local side opens with in a clause of its own (家庭医生签约这事，… -> 家庭医生签约), or "".

    The clause starts the question, ends in one of ``local_side_fillers`` and a comma, and names words of its own.
    """
    text = nfkc(question)
    fillers = alternation(rules.local_side_fillers)
    if not fillers:
        return ""
    m = re.match(rf"\s*([^,，?？!！。;；]{{2,20}}?)(?:{fillers})\s*[,，]", text)
    if m is None or not has_wording(m.group(1)):
        return ""
    return m.group(1).strip()


def points_back(national_text: str, rules: NationalRules) -> str:
    """The words of the national side pointing back at the local topic (这两个病), or ""."""
    text = nfkc(national_text)
    return next((w for w in rules.back_references if w in text), "")


_COUNT_CHARS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}


def back_topics(indicator: str, back: str, rules: NationalRules) -> tuple[str, ...]:
    """What a national side pointing back (``back``) asks about, most specific first.

    The local indicator; then the items it enumerates, when ``back`` counts as many (这两个病 and
    痛风、骨质疏松联合门诊建成率 -> 痛风 骨质疏松…): the last item runs on into the indicator's other words, so it is
    cut at each word boundary, longest first (痛风 骨质疏松联合, 痛风 骨质疏松, …); then the indicator without the
    institutions it is scoped to (村卫生室肺结核患者管理率 -> 肺结核患者管理率).
    """
    import jieba

    text = nfkc(indicator)
    out = [text]
    count = _COUNT_CHARS.get(back[1:2], 0) if back.startswith("这") else 0
    enumeration = re.search(r"([\u4e00-\u9fff]+(?:、[\u4e00-\u9fff]+)+)", text)
    if enumeration is not None:
        parts = enumeration.group(1).split("、")
        first = [jieba.lcut(parts[0])[-1], *parts[1:-1]]  # 基层高血压 -> 高血压: the item is the last word
        if all(len(x) >= 2 for x in first) and (not count or count == len(parts)):
            words = jieba.lcut(parts[-1])
            for n in range(len(words) - 1, 0, -1):
                last = "".join(words[:n])
                if len(last) >= 2:
                    out.append(" ".join([*first, last]))
    scoped = text
    for word in sorted(rules_institutions(), key=len, reverse=True):
        scoped = scoped.replace(word, " ")
    scoped = scoped.strip(" 的")
    if scoped != text and has_wording(scoped):
        out.append(scoped)
    return tuple(dict.fromkeys(out))


def rules_institutions() -> tuple[str, ...]:
    """Institutions and groups a target may be scoped to (scope.toml ``institutions``)."""
    return rules().institutions


def staff_count(indicator: str, rules: NationalRules) -> str:
    """The national count a local staffing norm is sought as (社区卫生服务中心按每万服务人口护士配备 -> 护士数), or "".

    Only a wording holding one of ``staffing_words``; what is left once institutions, the base and the staffing
    words are out must be one run of two characters or more.
    """
    text = nfkc(indicator)
    if not rules.count_head or not any(w in text for w in rules.staffing_words):
        return ""
    for word in sorted(rules_institutions(), key=len, reverse=True):
        text = text.replace(word, " ")
    if rules.base_pattern:
        text = re.sub(rules.base_pattern, " ", text)
    for word in rules.staffing_words:
        text = text.replace(word, " ")
    runs = [x for x in re.split(r"[\s的,，、]+", text) if x]
    if len(runs) != 1 or not re.fullmatch(r"[\u4e00-\u9fff]{2,}", runs[0]):
        return ""
    return runs[0] + rules.count_head


# A phrase the question quotes from a plan: 要按“15分钟健康服务圈”布局, 「…」.
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,30})[”\"」』]")


def quoted_phrases(text: str) -> tuple[str, ...]:
    """The phrases ``text`` quotes (白鹭讲要按“半小时康养圈”布局 -> 半小时康养圈), spaces removed."""
    return tuple(re.sub(r"\s+", "", m.group(1)) for m in _QUOTED.finditer(nfkc(text)) if m.group(1).strip())


def asks_wording(question: str, rules: NationalRules | None = None) -> bool:
    """Whether ``question`` asks what the plans say (咋规定的, 说法对得上吗), not a number.

    Such a comparison with no target row on either side is answered by each side's sentence on the topic.
    """
    r = rules or national_rules()
    q = nfkc(question)
    return bool(r.wording_asks) and re.search(alternation(r.wording_asks), q) is not None

"""Questions of several parts: ``A、B和C覆盖率分别要达到多少``, ``2023、2024、2025年分别``, ``基期水平和2030年目标``.

The indicator is split at its joiners into parts; words shared by the parts are given to each (the
head after the last part, ``…覆盖率``, and a lead before the first, ``家庭医生一般人群和重点人群…``).
Each part is looked up on its own, so every part gets its value and citation, or a plain "no such
target" line, instead of one part answered and the rest dropped. Wording lists live in
``assistant/rules/answer_shapes.toml`` (``[parts]``).
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from assistant.lookup import RowIndex, lookup
from assistant.messages import add_lines
from assistant.question_wording import drop_year_digits, full_years
from assistant.schema import Answer
from assistant.shapes import SHAPES_FILE, shape_words
from assistant.understanding import Query
from assistant.wordings import other_wordings
from ingestion.schema import Target
from ingestion.text.normalize import nfkc
from ingestion.text.rules import rules as ingestion_rules

MSG_PART_MISSING = "- {label}：现有规划文件中没有找到相应的目标值"
MSG_PART_LEAD = "问题包含{n}项，逐项如下："
MSG_PART_UNNAMED = "其余一项"  # a part whose label was nothing but a year's digits
MIN_PART_CHARS = 2

# 2023、2024、2025年 / 2023年、2024年和2025年: a list of years, the 年 written once or each time.
_YEAR_LIST = re.compile(r"20\d{2}\s*年?(?:\s*(?:、|和|与|及|,|，)\s*20\d{2}\s*年?)+")


@dataclass(frozen=True)
class PartWords:
    """The ``[parts]`` lists of answer_shapes.toml."""

    cue_words: tuple[str, ...]
    joiners: tuple[str, ...]
    tail_words: tuple[str, ...]
    baseline_words: tuple[str, ...]
    target_words: tuple[str, ...]
    doc_kinds: tuple[str, ...]
    repeated_asks: tuple[str, ...] = ()
    separators: tuple[str, ...] = ()
    back_reference: str = ""
    clause_joiners: tuple[str, ...] = ()
    subject_kinds: tuple[str, ...] = ()
    shared_values: tuple[str, ...] = ()


def load_part_words(path: Path = SHAPES_FILE) -> PartWords:
    """Read the ``[parts]`` lists (of the shipped file by default)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))["parts"]

    def words(key: str) -> tuple[str, ...]:
        return tuple(sorted((nfkc(w) for w in data[key]), key=len, reverse=True))

    return PartWords(
        cue_words=words("cue_words"),
        joiners=words("joiners"),
        tail_words=words("tail_words"),
        baseline_words=words("baseline_words"),
        target_words=words("target_words"),
        doc_kinds=shape_words().doc_kinds,
        repeated_asks=words("repeated_asks") if "repeated_asks" in data else (),
        separators=words("separators") if "separators" in data else (),
        back_reference=data.get("back_reference", ""),
        clause_joiners=words("clause_joiners") if "clause_joiners" in data else (),
        shared_values=words("shared_values") if "shared_values" in data else (),

        subject_kinds=tuple(
            sorted(
                {nfkc(w) for w in (*data.get("subject_kinds", ()), *ingestion_rules().institutions)},
                key=len,
                reverse=True,
            )
        ),
    )


@functools.cache
def part_words() -> PartWords:
    """The shipped part words, read once."""
    return load_part_words()


@dataclass(frozen=True)
class Part:
    """One part of a question: what its line is called, the wording to look up, and whether it asks a base value."""

    label: str
    indicator: str
    baseline: bool = False
    question: str = ""


def year_list(question: str) -> tuple[str, ...]:
    """Every year of a list of years in the question (2023、2024、2025年 -> 2023, 2024, 2025)."""
    found: list[str] = []
    for m in _YEAR_LIST.finditer(nfkc(question)):
        found.extend(y for y in re.findall(r"20\d{2}", m.group(0)) if y not in found)
    return tuple(found)


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _split_top(text: str, joiners: tuple[str, ...]) -> list[str]:
    """Split at joiners outside brackets (执业(助理)医师 stays whole)."""
    pattern = re.compile("|".join(re.escape(j) for j in joiners))
    items: list[str] = []
    depth = 0
    start = 0
    i = 0
    while i < len(text):
        ch = text[i]
        depth += ch in "(（[【"
        depth -= ch in ")）]】"
        m = pattern.match(text, i) if depth == 0 else None
        if m:
            items.append(text[start:i])
            start = i = m.end()
            continue
        i += 1
    items.append(text[start:])
    return [x.strip(" ，,的") for x in items]


def clean_indicator(indicator: str, words: PartWords | None = None) -> str:
    """The indicator without a named plan before it (纲要里…) and the verbs left after it (…要保持在)."""
    w = words or part_words()
    out = nfkc(indicator).strip()
    kinds = "|".join(re.escape(k) for k in w.doc_kinds)
    lead = re.match(rf"^.{{0,30}}?(?:{kinds})(?:里的|中的|里|中)[,，]?", out) if kinds else None
    if lead and len(out) - lead.end() >= MIN_PART_CHARS:
        out = out[lead.end() :]
    if w.back_reference:
        gathered = re.sub(w.back_reference, "", out).strip(" ，,的")
        if len(gathered) >= MIN_PART_CHARS:
            out = gathered
    changed = True
    while changed:
        changed = False
        for tail in w.tail_words:
            if out.endswith(tail) and len(out) - len(tail) >= MIN_PART_CHARS:
                out = out[: -len(tail)]
                changed = True
    return out.strip(" ，,的")


def split_indicator(indicator: str, words: PartWords | None = None) -> list[str]:
    """An indicator naming several things, one wording per thing; one item when it names one.

    ``专家工作室、联合病房、特色科室覆盖率`` -> ``专家工作室覆盖率``, ``联合病房覆盖率``, ``特色科室覆盖率``;
    ``家庭医生一般人群和重点人群签约率`` -> ``家庭医生一般人群签约率``, ``家庭医生重点人群签约率``.
    """
    w = words or part_words()
    text = clean_indicator(indicator, w)
    if w.clause_joiners:
        # A、B，还有C: the part after a comma and 还有 stands on its own; the ones before are split among themselves.
        groups = [g for g in _split_top(text, tuple(f"{c}{j}" for c in ",，" for j in w.clause_joiners)) if g]
        if len(groups) >= 2 and all(len(g) >= MIN_PART_CHARS for g in groups):
            return list(dict.fromkeys(x for g in groups for x in split_indicator(g, w)))
    items = [x for x in _split_top(text, w.joiners) if x]
    if len(items) < 2 or any(len(x) < MIN_PART_CHARS for x in items):
        return [text] if text else []
    prev, last = items[-2], items[-1]
    # Where the last item's own words end and the shared head begins: the longest start of the last
    # item that ends like the item before it (一般人群 / 重点人群|签约率); else the previous item's length.
    k = next((k for k in range(len(last), 0, -1) if _common_suffix(prev, last[:k]) >= 1), None)
    if k is None:
        k = min(len(prev), len(last))
    # A bracketed note right after the last item's name (服务站(室)), or one the cut falls inside (驿站(|室)), is
    # the item's own, not the shared head's.
    opened = max(last.rfind("(", 0, k), last.rfind("（", 0, k))
    if opened >= 0 and max(last.rfind(")", 0, k), last.rfind("）", 0, k)) < opened:
        k = opened
    note = re.match(r"\s*[(（][^()（）]{1,12}[)）]", last[k:])
    if note is not None and len(last) - k - note.end() >= MIN_PART_CHARS:
        k += note.end()
    head = last[k:]
    cores = [*items[:-1], last[:k]]
    # A lead before the first item's own words (家庭医生|一般人群): the part the second item lacks.
    first, second = cores[0], cores[1]
    lead = ""
    if len(first) - len(second) >= MIN_PART_CHARS and _common_suffix(first, second) >= 1:
        lead = first[: len(first) - len(second)]
    if not lead and _common_suffix(first, second) == 0:
        # 建制乡镇卫生院建筑面积和床位: the first part's subject (a kind of institution) is the others' too; not
        # when the parts end alike (孕产妇死亡率和婴儿死亡率): each names its own subject of one measure.
        lead = _subject(first, w)
        if any(kind in core for core in cores[1:] for kind in w.subject_kinds):
            lead = ""  # 乡镇卫生院面积和社区医院床位: each part names its own
    out = [cores[0] + head]
    for core in cores[1:]:
        out.append((lead if lead and not core.startswith(lead) else "") + core + head)
    return list(dict.fromkeys(out))


def from_kind(indicator: str, words: PartWords | None = None) -> str:
    """``indicator`` from the kind of institution it names on (建制乡镇卫生院床位 -> 乡镇卫生院床位).

    "" when no kind stands after words of its own, or nothing follows the kind.
    """
    w = words or part_words()
    found = [(indicator.find(k), k) for k in w.subject_kinds if k in indicator]
    if not found:
        return ""
    at, kind = min(found, key=lambda x: (x[0], -len(x[1])))
    rest = indicator[at:]
    return rest if at > 0 and len(rest) - len(kind) >= MIN_PART_CHARS else ""


def _subject(first: str, w: PartWords) -> str:
    """The words of ``first`` up to the kind of institution it names (``建制乡镇卫生院`` of ``建制乡镇卫生院建筑面积``).

    "" when it names none, or nothing of its own follows the kind (the part is about the institution itself).
    """
    end = max((first.rfind(k) + len(k) for k in w.subject_kinds if k in first), default=-1)
    if end < MIN_PART_CHARS or len(first[end:].strip("的")) < MIN_PART_CHARS:
        return ""
    return first[:end]


def _aligned_pieces(indicator: str, text: str, separators: tuple[str, ...]) -> list[str] | None:
    """``indicator`` cut where ``text`` is cut into questions, or None when the two do not align.

    The indicator is the question with words taken out (设多少比例？每年…至少多少？ ->
    设比例…至少), so its characters stand in the question in order: each goes to the question it
    is read from, whether or not the question mark was kept.
    """
    spans = [m.span() for m in re.finditer(f"[^{re.escape(''.join(separators))}]+", text)]
    out = ["" for _ in spans]
    pos = 0
    for ch in indicator:
        if ch in separators:
            continue
        at = text.find(ch, pos)
        if at < 0:
            return None
        pos = at + 1
        piece = next((i for i, (a, b) in enumerate(spans) if a <= at < b), None)
        if piece is not None:
            out[piece] += ch
    return [x.strip(" ，,") for x in out]


def _read_positions(indicator: str, text: str) -> list[int] | None:
    """Where each character of ``indicator`` stands in ``text``, read in order; None when it is not read so."""
    out: list[int] = []
    pos = 0
    for ch in indicator:
        at = text.find(ch, pos)
        if at < 0:
            return None
        out.append(at)
        pos = at + 1
    return out


def asked_list(query: Query, words: PartWords | None = None) -> list[str]:
    """The wordings of a question asking its question word once per item (``培养多少A、多少B``), or [].

    The question is cut at each joiner that stands right before or right after a repeated ask
    (``多少A、多少B``, ``多少A和多少B``, ``A要多少、B要多少``, ``A开几类、B开几类``), the indicator with it; what the
    first item has before its ask (``培养``) is the items' lead and goes to the others (``培养B``), and so does a
    topic in a clause of its own before the first item (``适宜技术，A开几类、B开几类``).
    """
    w = words or part_words()
    indicator = nfkc(query.indicator)
    if not w.repeated_asks or not indicator:
        return []
    text = nfkc(query.text)
    asks = re.compile("|".join(re.escape(a) for a in w.repeated_asks))
    joiners = "|".join(re.escape(j) for j in w.joiners)
    cut_re = re.compile(rf"(?<=(?:{asks.pattern}))\s*(?:{joiners})\s*|\s*(?:{joiners})\s*(?=(?:{asks.pattern}))")
    cuts = [m.start() for m in cut_re.finditer(text) if asks.search(text, 0, m.start()) and asks.search(text, m.end())]
    positions = _read_positions(indicator, text)
    if not cuts or positions is None:
        return []
    pieces = ["" for _ in range(len(cuts) + 1)]
    for ch, at in zip(indicator, positions, strict=True):
        pieces[sum(at >= c for c in cuts)] += ch
    first_ask = asks.search(text)
    lead_end = first_ask.start() if first_ask else 0
    # The first item's words before its ask, as the indicator keeps them (青禾市…要培养 -> 要培养), when the
    # item's own words follow the ask (培养多少A); none when they stand before it (A培养多少、B培养多少).
    first_end = cuts[0]
    follows = any(lead_end <= at < first_end for at in positions)
    lead = "".join(ch for ch, at in zip(indicator, positions, strict=True) if at < lead_end) if follows else ""
    # A topic in a clause of its own before the first item (中医适宜技术，A开几类、B开几类): the items' too.
    comma = max(text.rfind(",", 0, lead_end), text.rfind("，", 0, lead_end))
    topic = "".join(ch for ch, at in zip(indicator, positions, strict=True) if at < comma) if comma > 0 else ""
    if lead.startswith(topic):
        lead = lead[len(topic) :]
    own = [pieces[0][len(topic) + len(lead) :], *pieces[1:]]
    if any(len(x.strip(" ，,的“”\"、和与及")) < MIN_PART_CHARS for x in own):
        return []
    if any(not _without_tails(x.strip(" ，,的“”\"、和与及"), w) for x in own):
        return []  # 20年要超过多少、30年要到多少: the pieces differ by year alone, one wording asked for each
    items = [clean_indicator(topic + lead + x.strip(" ，,、"), w) for x in own]
    return list(dict.fromkeys(items)) if len(set(items)) >= 2 else []


def _without_tails(text: str, w: PartWords) -> str:
    """``text`` without the verbs and bounds that end a part (要到, 达到 …): what the part names itself."""
    changed = True
    while changed:
        changed = False
        for tail in w.tail_words:
            if text.endswith(tail):
                text, changed = text[: -len(tail)], True
    return text.strip(" ，,的")


def _own_wording(indicator: str, w: PartWords) -> str:
    """A question's indicator wording without the base and target words (基期, 目标), which name no indicator."""
    out = clean_indicator(indicator, w)
    for word in (*w.baseline_words, *w.target_words):
        out = out.replace(word, "")
    return out.strip(" ，,的和与及、又")


def sub_questions(query: Query, words: PartWords | None = None) -> list[Query]:
    """The questions of one message asking two (定向岗位设多少比例？每年下沉人员至少多少？), each its own query.

    Each keeps its own words and its own kind of value (a ratio, then a number of people); [] when
    the message asks one question, or when its indicator does not split the same way.
    """
    w = words or part_words()
    if not w.separators or not query.indicator:
        return []
    text = nfkc(query.text).strip().rstrip("".join(w.separators)).strip()
    cut = re.compile("|".join(re.escape(x) for x in w.separators))
    texts = [t.strip(" ，,") for t in cut.split(text)]
    if len(texts) < 2:
        return _comma_questions(query, text, w)
    if any(not t for t in texts):
        return []
    indicators = _aligned_pieces(nfkc(query.indicator), text, w.separators)
    if indicators is None or any(len(_own_wording(x, w)) < MIN_PART_CHARS for x in indicators):
        # A question with no wording of its own (…基期是多少？2020年目标又是多少？) asks about the
        # first one's indicator: one question of several values, not two questions.
        return []
    return [replace(query, text=t, indicator=i) for t, i in zip(texts, indicators, strict=True)]


def _comma_questions(query: Query, text: str, w: PartWords) -> list[Query]:
    """The questions of one message joined by commas, each asking on its own (A要多少，B又是多少): each its own query.

    A clause asking nothing before the first asking one (某区到2025年，…) is said of every question and goes
    with each; one after the last asking clause goes with that question. [] unless two or more clauses ask,
    and each question names words of its own.
    """
    asks = re.compile("|".join(re.escape(a) for a in w.repeated_asks)) if w.repeated_asks else None
    if asks is None:
        return []
    clauses = [c for c in re.split(r"[,，]", text) if c.strip()]
    asking = [i for i, c in enumerate(clauses) if asks.search(c)]
    if len(asking) < 2:
        return []
    lead = clauses[: asking[0]]
    groups: list[list[str]] = []
    start = asking[0]
    for end in asking[1:]:
        groups.append(clauses[start:end])
        start = end
    groups.append(clauses[start:])
    texts = [",".join([*lead, *g]) for g in groups]
    pieces = _aligned_pieces(nfkc(query.indicator), ",".join(clauses), (",",))
    if pieces is None or len(pieces) != len(clauses):
        return []
    # The pieces are per clause: the lead's words (a topic: 健康档案这块，…) go to every question, and a
    # question of several clauses gets the pieces of all of them.
    topic = "".join(pieces[: len(lead)])
    merged: list[str] = []
    at = len(lead)
    for g in groups:
        merged.append(topic + "".join(pieces[at : at + len(g)]))
        at += len(g)
    if any(len(_without_tails(_own_wording(x, w), w)) < MIN_PART_CHARS for x in merged):
        return []  # X2016年的基数是多少，2020年要降到多少: the second clause names nothing of its own
    return [replace(query, text=t, indicator=i) for t, i in zip(texts, merged, strict=True)]


def split_parts(query: Query, words: PartWords | None = None) -> list[Part]:
    """The parts of a question that asks several things at once (it must say 分别 / 各…); [] otherwise.

    A question for the base value alone (X的基期水平是多少) is one baseline part. A message of two
    questions has the parts of each, each part with its own question.
    """
    w = words or part_words()
    q = nfkc(query.text)
    several = any(c in q for c in w.cue_words) or any(q.count(a) >= 2 for a in w.repeated_asks)
    subs = sub_questions(query, w) if several else []
    if subs:
        out: list[Part] = []
        for sub in subs:
            whole = clean_indicator(sub.indicator, w)
            own = split_parts(sub, w) or [Part(label=whole, indicator=whole)]
            out.extend(replace(p, question=sub.text) for p in own)
        return out
    indicator = clean_indicator(query.indicator, w)
    baseline = next((b for b in w.baseline_words if b in indicator or b in q), None)
    if baseline and not several:
        # X的基期水平是多少: one part, the base value, answered by the baseline row.
        rest = clean_indicator(indicator.replace(baseline, "").strip(" ，,的和与及、"), w)
        return [Part(label=baseline, indicator=rest, baseline=True)] if len(rest) >= MIN_PART_CHARS else []
    if not several:
        return []
    if baseline:
        rest = indicator.replace(baseline, "")
        for t in w.target_words:
            rest = rest.replace(t, "")
        rest = clean_indicator(rest.strip(" ，,的和与及、"), w)
        if len(rest) < MIN_PART_CHARS:
            return []
        return [Part(label=baseline, indicator=rest, baseline=True), Part(label=rest, indicator=rest)]
    listed = asked_list(query, w)
    if listed:
        return [Part(label=x, indicator=x) for x in listed]
    items = split_indicator(indicator, w)
    if len(items) < 2:
        return []
    return [Part(label=x, indicator=x) for x in items]


def with_year_list(query: Query) -> Query:
    """The query with every year of a year list in its question (2023、2024、2025年), not only the last."""
    years = year_list(query.text)
    if len(years) > len(query.years):
        return replace(query, years=tuple(dict.fromkeys((*query.years, *years))))
    return query


def _baseline_rows(query: Query, index: RowIndex, allowed: set[str] | None) -> list[Target]:
    """The base values (基期水平 column, status quo) of the best-matching indicator, in its plan."""
    positions = index.positions(allowed) if allowed is not None else None
    scored = [s for s in index.score(query, positions) if s.key.kind == "baseline"]
    if query.regions:
        scored = [s for s in scored if any(nfkc(r) in nfkc(s.key.region) for r in query.regions)] or scored
    if not scored:
        return []
    best = scored[0]
    wording = index.wording_of(best.pos)
    same = [s.pos for s in scored if s.key.doc_id == best.key.doc_id and index.wording_of(s.pos) == wording]
    return index.rows.many(same)


def answer_parts(
    query: Query,
    index: RowIndex,
    doc_regions: dict[str, str],
    allowed: set[str] | None,
    compose: Callable[[Query, list[Target]], Answer],
) -> Answer | None:
    """Every part of a several-part question looked up on its own, in one answer; None when not several parts."""
    parts = split_parts(query)
    if not parts:
        return None
    rows: list[Target] = []
    seen: set[str] = set()
    missing: list[str] = []
    for part in parts:
        sub = replace(
            query, text=part.question or query.text, indicator=part.indicator, intent="number", context=query.indicator
        )
        if part.baseline:
            found = _baseline_rows(replace(sub, years=()), index, allowed)
        else:
            found = [r for r in lookup(sub, index, doc_regions, allowed).rows if r.kind != "baseline"]
            for text in [] if found else other_wordings(part.indicator):
                # 中医阁的建设比例 against 建成“中医阁”: the part asked again in another plan's words.
                found = [
                    r
                    for r in lookup(replace(sub, indicator=text), index, doc_regions, allowed).rows
                    if r.kind != "baseline"
                ]
                if found:
                    break
        new = [r for r in found if r.target_id not in seen]
        narrower = from_kind(part.indicator)
        if found and not new and narrower:
            # 建制乡镇卫生院床位 finds the row 建制乡镇卫生院建筑面积 an earlier part gave: asked again from its kind
            # of institution on (乡镇卫生院床位), the scope its own row is stated under.
            again = lookup(replace(sub, indicator=narrower), index, doc_regions, allowed).rows
            new = [r for r in again if r.kind != "baseline" and r.target_id not in seen]
        if new:
            rows.extend(new)
            seen.update(r.target_id for r in new)
        else:
            missing.append(part.label)
    if not rows or (missing and any(p.question for p in parts)):
        # A message of two questions one of which no row answers: each is quoted from its sentence instead.
        return None
    answer = compose(query, rows)
    if missing:
        add_lines(answer, [MSG_PART_MISSING.format(label=shown_label(label, query)) for label in missing], trim="。")
    return answer


def shown_label(label: str, query: Query) -> str:
    """A part's label as an answer line shows it: never with digits of the question's years (they cite nothing)."""
    years = (*query.years, *re.findall(r"(?<!\d)20\d{2}(?!\d)", full_years(nfkc(query.text))))
    return re.sub(r"\s+", "", drop_year_digits(label, years)).strip(" ，,、的") or MSG_PART_UNNAMED

"""Other wordings of a question's indicator: plans word one target differently.

``家庭医生签约率`` is ``签约服务覆盖率`` in another plan, ``中医阁建设`` is ``中医阁建成率`` or ``建成“中医阁”``,
and ``…的比例`` is often left implicit (``达到国家推荐标准 40%以上``). The lists are data
(``assistant/rules/wordings.toml``); comparisons (each region or plan on its own wording) and several-part
questions (a part no row answers in the question's words) ask again with these variants.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass

from assistant.rule_files import longest_first, read_rules

# Variants of a question's wording, at most (equivalent heads combined).
MAX_VARIANTS = 12


@dataclass(frozen=True)
class VariantRules:
    """The wording lists of ``wordings.toml``: heads that stand for one another, implicit and share words."""

    equivalent_heads: tuple[tuple[str, ...], ...]
    implicit_words: tuple[str, ...] = ()
    share_words: tuple[str, ...] = ()
    plan_words: tuple[tuple[str, str], ...] = ()
    verb_forms: tuple[tuple[str, ...], ...] = ()
    contrasting_words: tuple[tuple[str, ...], ...] = ()
    narrower_kinds: tuple[tuple[str, tuple[str, ...]], ...] = ()
    side_fillers: tuple[str, ...] = ()


@functools.cache
def variant_rules() -> VariantRules:
    """The wording lists, read once."""
    data = read_rules("wordings.toml")
    groups = tuple(longest_first(str(w) for w in group) for group in data.get("equivalent_heads", []))
    implicit = longest_first(str(w) for w in data.get("implicit_words", []))
    return VariantRules(
        equivalent_heads=tuple(g for g in groups if len(g) >= 2),
        implicit_words=implicit,
        share_words=tuple(str(w) for w in data.get("share_words", [])),
        plan_words=tuple((str(a), str(b)) for a, b in data.get("plan_words", [])),
        verb_forms=tuple(
            g for g in (longest_first(str(w) for w in group) for group in data.get("verb_forms", [])) if len(g) >= 2
        ),
        contrasting_words=tuple(
            g for g in (tuple(str(w) for w in group) for group in data.get("contrasting_words", [])) if len(g) >= 2
        ),
        narrower_kinds=tuple(
            (str(group[0]), longest_first(str(w) for w in group[1:]))
            for group in data.get("narrower_kinds", [])
            if len(group) >= 2
        ),
        side_fillers=longest_first(str(w) for w in data.get("side_fillers", [])),
    )


def narrower_kinds(kind: str, rules: VariantRules | None = None) -> tuple[str, ...]:
    """The kinds of institution ``kind`` includes (乡镇卫生院 … in 基层医疗卫生机构), longest first."""
    rules = rules or variant_rules()
    return next((narrow for broad, narrow in rules.narrower_kinds if broad == kind), ())


def contrasted(a: str, b: str, rules: VariantRules | None = None) -> bool:
    """Whether two wordings name different measures of one thing (新增… against 累计建成…: contrasting_words)."""
    rules = rules or variant_rules()
    for group in rules.contrasting_words:
        only_a = {w for w in group if w in a and w not in b}
        only_b = {w for w in group if w in b and w not in a}
        if only_a and only_b:
            return True
    return False


def verb_form_variants(indicator: str, rules: VariantRules | None = None) -> list[tuple[str, str, str]]:
    """The question's wording with a verb phrase in another of its forms: ``(wording, form used, form put in)``.

    ``社区卫生服务中心要建成社区医院`` -> ``[("社区卫生服务中心要建设成社区医院", "建成", "建设成")]``. Row scoring
    reads a variant only against rows that have the form put in and not the form used: rows whose phrase
    differs from the question's by that form alone.
    """
    rules = rules or variant_rules()
    out: list[tuple[str, str, str]] = []
    for group in rules.verb_forms:
        # Longest first: 建设成 before 建成. An empty form (the verb left out) is only put in, never found.
        used = next((w for w in group if w and w in indicator), None)
        if used is None:
            continue
        out.extend((indicator.replace(used, other), used, other) for other in group if other != used)
    return out


def in_plan_words(question: str, rules: VariantRules | None = None) -> str:
    """``question`` with its everyday words in the plans' own (12岁孩子 -> 12岁儿童); unchanged when it has none."""
    rules = rules or variant_rules()
    # One pass, longest word first (娃娃 before 娃); a word whose plan word the question already uses stays.
    pairs = {e: p for e, p in rules.plan_words if e}
    if not pairs:
        return question
    words = re.compile("|".join(re.escape(e) for e in sorted(pairs, key=len, reverse=True)))
    return words.sub(lambda m: m.group(0) if pairs[m.group(0)] in question else pairs[m.group(0)], question)


def wording_variants(indicator: str, rules: VariantRules | None = None) -> list[list[str]]:
    """The question's wording and the same with equivalent heads in its place; then without implicit words.

    ``家庭医生签约率`` -> ``[["家庭医生签约率", "家庭医生签约服务覆盖率"]]``: each group found in the
    wording (its longest member first) is replaced by each other member, groups combined. A second
    tier, tried only when the first finds nothing, leaves out the implicit words (比例, 占比 …), which
    makes the question broader. At most ``MAX_VARIANTS`` wordings in all.
    """
    rules = rules or variant_rules()
    heads: list[tuple[str, tuple[str, ...]]] = []
    for group in rules.equivalent_heads:
        used = next((w for w in group if w in indicator), None)
        if used is not None:
            heads.append((used, (used, *(w for w in group if w != used))))
    implicit: list[tuple[str, tuple[str, ...]]] = []
    rest = indicator
    for word in rules.implicit_words:
        if word in rest and word != indicator:
            rest = rest.replace(word, "\0")
            implicit.append((word, ("", word)))
    tiers: list[list[str]] = [[], []]
    seen: set[str] = set()
    found = heads + implicit
    for choice in itertools.product(*(members for _, members in found)):
        text = indicator
        for (used, _), new in zip(found, choice, strict=True):
            text = text.replace(used, "\0" + new + "\0") if used != new else text
        text = text.replace("\0", "")
        dropped = any(new == "" for new in choice[len(heads) :])
        if text and text not in seen and len(seen) < MAX_VARIANTS:
            seen.add(text)
            tiers[1 if dropped else 0].append(text)
    return [t for t in tiers if t] or [[indicator]]


def words_apart(text: str) -> str:
    """``社区医院建设`` -> ``社区 医院 建设``: no bigram spans two words (院建 would match 社区医院建筑面积)."""
    import jieba

    return " ".join(jieba.lcut(text))


def other_wordings(indicator: str, rules: VariantRules | None = None) -> list[str]:
    """The variants of ``indicator`` other than itself, closest first (equivalent heads, then broader)."""
    return [text for tier in wording_variants(indicator, rules) for text in tier if text != indicator]

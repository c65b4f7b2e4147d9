"""Comparisons across named regions: every region gets its line, and different indicators are named as different.

``比较一下甲市和乙市对X的目标``: each region is looked up on its own (plans word one target
differently, and one region's best wording must not crowd out another's), so each named region gets
its value and citation, or a plain "no such target" line; when the regions' indicators are worded
differently the answer says so, naming each wording, instead of setting them side by side as one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from assistant.lookup import RowIndex, lookup
from assistant.messages import add_lines
from assistant.schema import Answer
from assistant.understanding import Query, bigrams
from ingestion.schema import Target
from ingestion.text.normalize import nfkc

MSG_REGION_MISSING = "- {region}：现有规划文件中没有找到相应的目标值"
SAME_WORDING_SHARE = 0.25
# No count in digits: every number of an answer stands in a cited quote; the names say how many.
MSG_UNSHOWN = "（列表较长未列全，以下地区的目标值未列出或未列全：{names}。可指定地区查询。）"
MSG_PLANS_DIFFERENT = "注意：各规划的指标不同（{wordings}），不宜直接比较。"
MSG_DIFFERENT = "注意：各地的指标不同（{wordings}），不宜直接比较。"


def annotate_rows(
    answer: Answer, rows: list[Target], unshown: list[str], title_of: Callable[[str], str]
) -> Answer:
    """Notes under a list of rows: plans that set different indicators, and regions a cut list left out."""
    by_doc: dict[str, list[Target]] = {}
    for r in rows:
        by_doc.setdefault(r.doc_id, []).append(r)
    if len(by_doc) >= 2 and _differ(list(by_doc.values())):
        named = "；".join(
            f"《{title_of(doc)}》为“{'”“'.join(dict.fromkeys(_wording(r) for r in found))}”"
            for doc, found in by_doc.items()
        )
        add_lines(answer, [MSG_PLANS_DIFFERENT.format(wordings=named)])
    return note_unshown(answer, unshown)


def note_unshown(answer: Answer, regions: list[str]) -> Answer:
    """A list cut short says how many regions more there are, and which."""
    if regions:
        add_lines(answer, [MSG_UNSHOWN.format(names="、".join(regions))])
    return answer


def _wording(row: Target) -> str:
    return row.indicator.strip()


def _same_indicator(a: Target, b: Target) -> bool:
    """Two rows state the same indicator: the same unit, and one wording inside the other or most bigrams shared."""
    if a.unit != b.unit:
        return False
    wa, wb = nfkc(_wording(a)), nfkc(_wording(b))
    if wa in wb or wb in wa:
        return True
    ga, gb = bigrams(wa), bigrams(wb)
    return bool(ga | gb) and len(ga & gb) / len(ga | gb) >= SAME_WORDING_SHARE


def _differ(per_region: list[list[Target]]) -> bool:
    """Whether some region's rows share no indicator with another region's."""
    for i, rows in enumerate(per_region):
        for other in per_region[i + 1 :]:
            if not any(_same_indicator(a, b) for a in rows for b in other):
                return True
    return False


def answer_regions(
    query: Query,
    index: RowIndex,
    doc_regions: dict[str, str],
    allowed: set[str] | None,
    compose: Callable[[Query, list[Target]], Answer],
) -> Answer | None:
    """One lookup per named region of a comparison, in one answer; None when not a comparison of regions."""
    if query.intent != "compare" or len(query.regions) < 2 or query.all_subregions:
        return None
    rows: list[Target] = []
    missing: list[str] = []
    wordings: dict[str, list[Target]] = {}
    seen: set[str] = set()
    for region in query.regions:
        sub = replace(query, regions=(region,))
        found = [r for r in lookup(sub, index, doc_regions, allowed).rows if r.target_id not in seen]
        if not found:
            missing.append(region)
            continue
        seen.update(r.target_id for r in found)
        rows.extend(found)
        wordings[region] = found
    if not rows or len(wordings) < 1:
        return None
    answer = compose(query, rows)
    extra: list[str] = [MSG_REGION_MISSING.format(region=region) for region in missing]
    if _differ(list(wordings.values())):
        named = "；".join(
            f"{region}为“{'”“'.join(dict.fromkeys(_wording(r) for r in found))}”" for region, found in wordings.items()
        )
        extra.append(MSG_DIFFERENT.format(wordings=named))
    if extra:
        add_lines(answer, extra, trim="。")
    return answer

"""Bound questions: ``…至少配几个？`` is answered by the row that states the bound, not by its bare twin.

A plan often states one target twice: in a sentence with its bound (``每个乡镇卫生院拥有…医师不少于2名``)
and in a table cell without it (``2``). When the question asks for a bound (a bound word of
``comparators.toml`` with no number after it: 至少, 最多 …) and the chosen row has none, its twin of
the same plan, region, year, value and unit that states the asked bound answers instead.
"""

from __future__ import annotations

import re

from assistant.lookup import RowIndex
from assistant.understanding import bigrams
from assistant.wordings import variant_rules
from ingestion.schema import Target
from ingestion.text.normalize import nfkc
from ingestion.text.rules import rules

# Share of the shorter wording's bigrams the twin's wording must hold.
TWIN_WORDING_SHARE = 0.6
_ASKED = ("≥", "≤")
_SIGNS = re.compile(r"[^\w]")
_NUMBER_AFTER = re.compile(r"\s*[\d０-９一二三四五六七八九十两]")


def asked_bound(question: str) -> str | None:
    """The bound a question asks for: ``≥`` for 至少/最少/不少于…, ``≤`` for 最多/不超过…, else None.

    A bound word followed by a number is a condition (超过10个), not the bound asked for.
    """
    q = nfkc(question)
    words = sorted(rules().before_number.items(), key=lambda kv: -len(kv[0]))
    for word, comparator in words:
        if comparator not in _ASKED or not re.search(r"[\u4e00-\u9fff]", word):
            continue
        for m in re.finditer(re.escape(word), q):
            if not _NUMBER_AFTER.match(q, m.end()):
                return comparator
    return None


def _core(wording: str) -> str:
    """A wording without the words plans leave implicit (占比, 比例 …) and without signs (%, brackets).

    A table's column head (``社区医院占比%``) and its sentence (``建成社区医院的乡镇卫生院达20%以上``)
    then share what they name.
    """
    text = nfkc(wording)
    for word in variant_rules().implicit_words:
        text = text.replace(word, "")
    return _SIGNS.sub("", text)


def _twins(a: str, b: str) -> bool:
    ga, gb = bigrams(_core(a)), bigrams(_core(b))
    small = min(len(ga), len(gb))
    return small > 0 and len(ga & gb) / small >= TWIN_WORDING_SHARE


def with_stated_bounds(question: str, rows: list[Target], index: RowIndex) -> list[Target]:
    """``rows`` with each bare row (comparator ``=``) replaced by its twin that states the asked bound."""
    want = asked_bound(question)
    if want is None:
        return rows
    return _with_twins(rows, index, (want,))


def with_any_stated_bound(rows: list[Target], index: RowIndex) -> list[Target]:
    """``rows`` with each bare row replaced by its twin that states a bound (``≥`` or ``≤``), whichever.

    For answers that set values side by side (a comparison): ``达20%以上`` says more than a table's ``20``.
    """
    return _with_twins(rows, index, _ASKED)


def _with_twins(rows: list[Target], index: RowIndex, wanted: tuple[str, ...]) -> list[Target]:
    if not any(r.comparator == "=" for r in rows):
        return rows
    out: list[Target] = []
    cache: dict[tuple[str, str, str], list[Target]] = {}
    shown = {r.target_id for r in rows}
    for r in rows:
        if r.comparator != "=":
            out.append(r)
            continue
        key = (r.doc_id, r.region, r.year)
        if key not in cache:
            positions = [
                i
                for i in index.region_positions([r.region], exact=True)
                if index.keys[i].doc_id == r.doc_id and index.keys[i].year == r.year
            ]
            cache[key] = index.rows.many(positions)
        twins = [
            t
            for t in cache[key]
            if t.comparator in wanted
            and t.target_id not in shown
            and t.value == r.value
            and t.value_max == r.value_max
            and t.unit == r.unit
            and _twins(t.indicator, r.indicator)
        ]
        if twins:
            shown.add(twins[0].target_id)
            out.append(twins[0])
        else:
            out.append(r)
    return out

"""Line labels that tell two plans of one region apart when both answer in one list.

``某市，2025年…`` twice says nothing about which plan each line is from; when rows of one region come
from two plans or more, each such line reads ``某市（short plan name）``: the title's quoted short name and
what follows it (``“双达标”工程实施方案``), else the title without its region, leading words of
``label_drop_starts`` (关于, 进一步) and a trailing bracket, cut to its first characters and its kind
(``深化医药卫生体制…实施方案``). Wording lists live in ``rules/mentions.toml``.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

from assistant.rule_files import longest_first, read_rules
from ingestion.schema import Target
from ingestion.text.rules import rules as text_rules

# A short name longer than this is cut to its first SHORT_HEAD_CHARS characters, an ellipsis and its kind.
SHORT_MAX_CHARS = 14
SHORT_HEAD_CHARS = 8
_TRAILING_BRACKET = re.compile(r"\s*[（(][^（）()]*[）)]\s*$")
_QUOTED = re.compile(r"[“\"][^”\"]{2,12}[”\"]")


@functools.cache
def _label_rules() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(leading words dropped from a short name, kinds of document longest first)."""
    data = read_rules("mentions.toml")
    return longest_first(data["label_drop_starts"]), longest_first(data["kinds"])


def short_plan_name(title: str, region: str = "") -> str:
    """A short name that tells a plan apart from another plan of its region (see the module docstring)."""
    drops, kinds = _label_rules()
    name = title.strip()
    while _TRAILING_BRACKET.search(name):
        name = _TRAILING_BRACKET.sub("", name)
    quoted = _QUOTED.search(name)
    if quoted:
        return name[quoted.start() :]
    places = [region] + [region[: -len(s)] for s in text_rules().admin_suffixes if region.endswith(s)]
    for place in (p for p in places if len(p) >= 2):
        if name.startswith(place):
            name = name[len(place) :]
            break
    changed = True
    while changed:
        changed = False
        for word in drops:
            if name.startswith(word) and len(name) > len(word):
                name, changed = name[len(word) :], True
    if len(name) <= SHORT_MAX_CHARS:
        return name
    kind = next((k for k in kinds if name.endswith(k)), "")
    head = name[: len(name) - len(kind)].rstrip("的")
    return f"{head[:SHORT_HEAD_CHARS]}…{kind}"


def shared_region_labels(rows: Sequence[Target], titles: Mapping[str, str]) -> dict[tuple[str, str], str]:
    """``(doc_id, region) -> 某市（short name）`` for each region whose rows come from two plans or more.

    When two of the plans' short names coincide, their full titles stand instead.
    """
    docs_of: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row.region and row.doc_id not in docs_of[row.region]:
            docs_of[row.region].append(row.doc_id)
    labels: dict[tuple[str, str], str] = {}
    for region, docs in docs_of.items():
        if len(docs) < 2:
            continue
        shorts = {doc: short_plan_name(titles.get(doc, doc), region) for doc in docs}
        if len(set(shorts.values())) < len(docs):
            shorts = {doc: f"《{titles.get(doc, doc)}》" for doc in docs}
        labels.update({(doc, region): f"{region}（{short}）" for doc, short in shorts.items()})
    return labels

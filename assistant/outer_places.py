"""Places that stand above plans' own regions: a district plan's city, a province a plan implements.

A question may name a plan by the place above its region: the city a district plan is named with
(``parent_region``: 某市那个区的方案) or the province whose document the plan implements
(``basis_regions``: 某省的方案). Such a place is no unknown place, but neither is it the plan's region:
its plans answer, each number labelled with its own row's region and a note naming the plan's region. A
number asked of the place itself (某市2025年…多少, no plan referred to) is not answered with a plan's
number at all: the plans set none for that place, and a district's number would pass for the city's.

Everything comes from the catalogue's metadata; nothing here names a place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from assistant.mentions import mention_rules
from assistant.messages import (
    MSG_OUTER_BASIS_LABEL,
    MSG_OUTER_INNER_SIDE,
    MSG_OUTER_LABEL,
    MSG_OUTER_NO_OWN_SIDE,
    MSG_OUTER_NO_OWN_TARGET,
    MSG_OUTER_NOTE,
    MSG_OUTER_PLANS,
)
from ingestion.schema import DocumentRecord
from ingestion.text.normalize import nfkc
from ingestion.text.rules import alternation, rules


@dataclass(frozen=True)
class OuterPlace:
    """A place named in a question that stands above the regions of ``doc_ids`` (and is no plan's region)."""

    name: str
    doc_ids: tuple[str, ...]
    parent_of: frozenset[str]  # the plans whose region it is the city (or county) of; the rest implement its documents


class OuterPlaces:
    """The places above plans' regions, read from the plans' metadata, and how a question names them."""

    def __init__(self, docs: Sequence[DocumentRecord], known: Iterable[str]) -> None:
        """Index ``docs``' parent and basis regions; a place in ``known`` (a region of some plan or row) is left out."""
        own = {nfkc(k) for k in known if k}
        within: dict[str, list[str]] = {}
        parent_of: dict[str, set[str]] = {}
        self.docs = {d.doc_id: d for d in docs}
        for d in docs:
            m = d.meta
            for place in (m.parent_region, *m.basis_regions):
                if not place or nfkc(place) in own or place == m.region:
                    continue
                if d.doc_id not in within.setdefault(place, []):
                    within[place].append(d.doc_id)
                if place == m.parent_region:
                    parent_of.setdefault(place, set()).add(d.doc_id)
        self.places = {
            p: OuterPlace(p, tuple(ids), frozenset(parent_of.get(p, ()))) for p, ids in within.items()
        }
        aliases: dict[str, str] = {}
        for place in self.places:
            aliases[nfkc(place)] = place
            short = _without_suffix(place)
            if short not in own:
                aliases.setdefault(short, place)
        self.aliases = aliases
        self._names = re.compile(alternation(sorted(aliases, key=len, reverse=True))) if aliases else None
        mr = mention_rules()
        self._plan_words = re.compile(alternation([*mr.kinds, *mr.place_pointers]))
        self._fillers = mr.fillers

    def named(self, question: str, unknown_places: Sequence[str] = ()) -> OuterPlace | None:
        """The outer place ``question`` names, if it names one and no other place the library does not know."""
        if self._names is None:
            return None
        found = self._names.search(nfkc(question))
        if found is None:
            return None
        # 某市某县 where the county is no plan's region: the question is about that county, not the city's plans.
        if any(nfkc(p) not in self.aliases for p in unknown_places):
            return None
        return self.places[self.aliases[found.group(0)]]

    def only_names_place(self, text: str, place: OuterPlace) -> bool:
        """Whether a plan's name in a question is the place and words pointing at its plans only (某市那边的方案).

        A longer name (某市关于…的实施意见) names one document, which the library may not hold.
        """
        t = nfkc(text)
        aliases = [a for a, name in self.aliases.items() if name == place.name]
        if not any(a in t for a in aliases):
            return False
        for alias in sorted(aliases, key=len, reverse=True):
            t = t.replace(alias, "")
        t = self._plan_words.sub("", t)
        for word in self._fillers:
            t = t.replace(word, "")
        return not t.strip()

    def refers_to_plan(self, question: str) -> bool:
        """Whether the question refers to a plan (某市的方案里, 某市那个区): not a number asked of the place itself."""
        return bool(self._plan_words.search(nfkc(question)))

    def _label(self, place: OuterPlace, doc_id: str) -> str:
        meta = self.docs[doc_id].meta
        if doc_id in place.parent_of and meta.region:
            return MSG_OUTER_LABEL.format(region=meta.region, place=place.name)
        named = f"{meta.region}的" if meta.region else ""
        return MSG_OUTER_BASIS_LABEL.format(named=named, title=meta.title, place=place.name)

    def note(self, place: OuterPlace, doc_ids: Iterable[str]) -> str:
        """The note on an answer from ``doc_ids`` within ``place``: which plans' regions it is about."""
        labels = [self._label(place, d) for d in doc_ids if d in self.docs]
        return MSG_OUTER_NOTE.format(labels="、".join(labels)) if labels else ""

    def plans_note(self, place: OuterPlace) -> str:
        """The plans within ``place``, for an answer that found nothing in them."""
        return MSG_OUTER_PLANS.format(place=place.name, plans="、".join(self._label(place, d) for d in place.doc_ids))

    def covers(self, place: OuterPlace, regions: Iterable[str]) -> bool:
        """Whether one of ``regions`` is the region of a plan within ``place`` (某市某区: the district is asked)."""
        own = {self.docs[d].meta.region for d in place.doc_ids if d in self.docs}
        return bool(own & set(regions))

    def own_plans(self, question: str, regions: Iterable[str], unknown_places: Sequence[str] = ()) -> set[str]:
        """The plans of ``regions`` when the question names them with the place above (某市某区: the district's plans).

        Empty when no outer place is named or some of ``regions`` is no region of its plans.
        """
        place = self.named(question, unknown_places)
        if place is None:
            return set()
        asked = set(regions)
        own = {d for d in place.doc_ids if d in self.docs and self.docs[d].meta.region in asked}
        # 某市某区和乙市: a region outside the place is asked too, and its plans answer as well.
        return own if asked <= {self.docs[d].meta.region for d in own} else set()

    def inner_regions(self, place: OuterPlace, regions: Iterable[str]) -> tuple[str, ...]:
        """The regions of the plans ``place`` is the city of, beyond ``regions`` (某市和乙市…分别: the city's side)."""
        asked = set(regions)
        out: list[str] = []
        for d in place.doc_ids:
            region = self.docs[d].meta.region if d in place.parent_of and d in self.docs else ""
            if region and region not in asked and region not in out:
                out.append(region)
        return tuple(out)

    def inner_side(self, place: OuterPlace) -> str:
        """The note on an answer where ``place``'s side is answered by the plans within it, each with its region."""
        plans = "、".join(self._label(place, d) for d in place.doc_ids if d in place.parent_of)
        return MSG_OUTER_INNER_SIDE.format(place=place.name, plans=plans)

    def no_own_side(self, place: OuterPlace) -> str:
        """The note on an answer naming ``place`` beside other regions: it has no target of its own."""
        plans = "、".join(self._label(place, d) for d in place.doc_ids)
        return MSG_OUTER_NO_OWN_SIDE.format(place=place.name, plans=plans)

    def no_own_target(self, place: OuterPlace) -> str:
        """The not-found message for a number asked of ``place`` itself."""
        plans = "、".join(self._label(place, d) for d in place.doc_ids)
        return MSG_OUTER_NO_OWN_TARGET.format(place=place.name, plans=plans)


def _without_suffix(place: str) -> str:
    """``place`` without its administrative suffix (某省 -> 某), when at least two characters remain."""
    name = nfkc(place)
    for suffix in rules().admin_suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def known_names(aliases: Mapping[str, str]) -> set[str]:
    """The names the question vocabulary knows (aliases and their regions)."""
    return set(aliases) | set(aliases.values())

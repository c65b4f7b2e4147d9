"""The kind of value a question asks for (money, a duration, a count, a ratio, a date, ...).

``奖多少钱`` asks for money: a row of 40% does not answer it, whatever its words share with the
question, and a plan sentence answers it only when it states an amount in 元. ``试行多久`` asks for a
duration, ``什么时候开始`` for a date. The wording is data (``assistant/rules/value_kinds.toml``); this
module says how a question's kinds are found and whether a row's unit or a sentence states one.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from assistant.rule_files import longest_first, read_rules
from assistant.understanding import Query
from ingestion.text.normalize import nfkc
from ingestion.text.numbers import normalize_unit, parse_quantities

KINDS_FILE = "value_kinds.toml"


@dataclass(frozen=True)
class ValueKind:
    """One kind of value: the words that ask for it and what states it."""

    name: str
    ask_words: tuple[str, ...]
    units: frozenset[str]
    unit_endings: tuple[str, ...]
    markers: tuple[re.Pattern[str], ...]
    rows: bool

    def unit_fits(self, unit: str) -> bool:
        """Whether a value in ``unit`` is of this kind (万元/人·年 is money: its unit before the slash ends in 元).

        A value without a unit (a table cell whose unit the header gives) is never said to disagree.
        """
        u = normalize_unit(unit).split("/")[0]
        return not u or u in self.units or any(u.endswith(e) for e in self.unit_endings)

    def stated_in(self, sentence: str) -> bool:
        """Whether ``sentence`` states a value of this kind: a quantity in one of its units, or a marker."""
        s = nfkc(sentence)
        if any(m.search(s) for m in self.markers):
            return True
        if not (self.units or self.unit_endings):
            return False
        return any(q.unit and self.unit_fits(q.unit) for q in parse_quantities(s))


def parse_kinds(data: dict[str, object]) -> tuple[ValueKind, ...]:
    """The kinds of a parsed value_kinds.toml."""
    kinds = data.get("kinds", {})
    if not isinstance(kinds, dict):
        return ()
    out = []
    for name, spec in kinds.items():
        out.append(
            ValueKind(
                name=name,
                ask_words=longest_first(nfkc(w) for w in spec.get("ask_words", [])),
                units=frozenset(normalize_unit(u) for u in spec.get("units", [])),
                unit_endings=tuple(spec.get("unit_endings", [])),
                markers=tuple(re.compile(m) for m in spec.get("markers", [])),
                rows=bool(spec.get("rows", False)),
            )
        )
    return tuple(out)


@functools.cache
def value_kinds() -> tuple[ValueKind, ...]:
    """The shipped kinds, read once."""
    return parse_kinds(read_rules(KINDS_FILE))


def asked_kinds(question: str, kinds: Sequence[ValueKind] | None = None) -> list[ValueKind]:
    """The kinds ``question`` asks for, in the order their words stand in it (none for a plain 多少)."""
    q = nfkc(question)
    found: list[tuple[int, ValueKind]] = []
    for kind in value_kinds() if kinds is None else kinds:
        positions = [q.find(w) for w in kind.ask_words if w in q]
        if positions:
            found.append((min(positions), kind))
    return [k for _, k in sorted(found, key=lambda t: t[0])]


@functools.cache
def carry_words() -> tuple[str, ...]:
    """Words asking how much is given without saying of what (给多少): the previous question's kind carries."""
    return tuple(nfkc(str(w)) for w in read_rules(KINDS_FILE).get("carry_words", []))


def kind_question(query: Query, carrying: Sequence[str] | None = None) -> str:
    """The question whose kinds count: one that asks none keeps its previous one's when it leans on it.

    A follow-up (那达到基本标准的呢？) leans on the previous question; so does one that asks how much is
    given without saying of what (达到基本标准的给多少？ after …最高奖励多少？).
    """
    if not query.previous or asked_kinds(query.text):
        return query.text
    words = carry_words() if carrying is None else carrying
    if query.followup or any(w in nfkc(query.text) for w in words):
        return query.previous
    return query.text


def sentence_of_asked_kind(query: Query, sentence: str) -> bool:
    """Whether ``sentence`` states a kind of value ``query`` asks for (any sentence when it asks none)."""
    kinds = asked_kinds(kind_question(query))
    return not kinds or any(k.stated_in(sentence) for k in kinds)


RowT = TypeVar("RowT")


def rows_of_asked_kind(
    question: str, rows: Sequence[RowT], units_of: Callable[[Sequence[RowT]], Sequence[str]]
) -> list[RowT]:
    """``rows`` without those whose unit is not of a kind the question asks for (a % row for 奖多少钱).

    Only kinds that judge rows count; a question asking for no such kind keeps every row, and the
    units are then never read (``units_of`` gives the units of all rows at once, in their order).
    """
    kinds = [k for k in asked_kinds(question) if k.rows]
    if not kinds or not rows:
        return list(rows)
    units = units_of(rows)
    return [r for r, u in zip(rows, units, strict=True) if any(k.unit_fits(u) for k in kinds)]

"""Question shapes answered from a plan's structure: its tasks, its safeguards, what a term means.

The wording is data (``assistant/rules/answer_shapes.toml``); this module says how it is read. A
shape is found on the question's words alone, before any lookup, so it costs no search.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ingestion.text.normalize import nfkc

SHAPES_FILE = Path(__file__).with_name("rules") / "answer_shapes.toml"
ShapeKind = Literal["tasks", "safeguards", "meaning"]

# A quoted term: “双提升”, "两个允许", 「…」.
_QUOTED = re.compile(r"[“\"「『‘]([^”\"」』’]{2,30})[”\"」』’]")
# A number question is never a structure question (多少 / 比例 / 率 is asked for a value).
_NUMBER_ASKED = re.compile(r"多少|几[个名张人次%]|百分之|比例是|率是|率要|率达")


@dataclass(frozen=True)
class ShapeWords:
    """The lists of answer_shapes.toml, typed."""

    task_words: tuple[str, ...]
    task_headings: tuple[str, ...]
    safeguard_words: tuple[str, ...]
    safeguard_headings: tuple[str, ...]
    ask_words: tuple[str, ...]
    markers: tuple[str, ...]
    strict_markers: tuple[str, ...]
    term_lead_cuts: tuple[str, ...]
    definers: tuple[str, ...]
    doc_kinds: tuple[str, ...]
    definer_not_before: tuple[str, ...]
    said_cuts: tuple[str, ...] = ()


def load_shape_words(path: Path = SHAPES_FILE) -> ShapeWords:
    """Read a shapes file (the shipped one by default)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))

    def words(table: str, key: str) -> tuple[str, ...]:
        return tuple(nfkc(w) for w in data[table][key])

    return ShapeWords(
        task_words=words("tasks", "question_words"),
        task_headings=words("tasks", "headings"),
        safeguard_words=words("safeguards", "question_words"),
        safeguard_headings=words("safeguards", "headings"),
        ask_words=words("listing", "ask_words"),
        markers=tuple(sorted(words("meaning", "markers"), key=len, reverse=True)),
        strict_markers=words("meaning", "strict_markers"),
        term_lead_cuts=tuple(sorted(words("meaning", "term_lead_cuts"), key=len, reverse=True)),
        definers=words("meaning", "definers"),
        doc_kinds=words("meaning", "doc_kinds"),
        definer_not_before=words("meaning", "definer_not_before"),
        said_cuts=tuple(sorted(data["meaning"].get("said_cuts", []), key=len, reverse=True)),
    )


@functools.cache
def shape_words() -> ShapeWords:
    """The shipped shape words, read once."""
    return load_shape_words()


@dataclass(frozen=True)
class Shape:
    """What a structure question asks: a kind, the term it asks about, and the words left to name a plan."""

    kind: ShapeKind
    term: str = ""
    strict: bool = False
    headings: tuple[str, ...] = ()
    rest: str = ""


def _cut_lead(term: str, words: ShapeWords) -> str:
    """南某方案里说的5家卫生院 -> 5家卫生院: drop a named plan and the words joining it to the term."""
    kinds = "|".join(re.escape(k) for k in words.doc_kinds)
    cuts = "|".join(re.escape(c) for c in words.term_lead_cuts)
    m = re.match(rf"^.*?(?:{kinds})(?:{cuts})?", term) if kinds else None
    if m and len(term) - m.end() >= 2:
        term = term[m.end() :]
    said = "|".join(re.escape(c) for c in words.said_cuts)
    m = re.match(rf"^.*?(?:{said})", term) if said else None
    if m and len(term) - m.end() >= 2:
        term = term[m.end() :]  # 白石市说的3家卫生院 -> 3家卫生院: whoever said it is not the term
    for cut in words.term_lead_cuts:
        if term.startswith(cut) and len(term) - len(cut) >= 2:
            term = term[len(cut) :]
            break
    return term.strip(" ，,：:的")


def classify(question: str, words: ShapeWords | None = None) -> Shape | None:
    """The structure shape of ``question``, or None when it asks for something else (a number)."""
    w = words or shape_words()
    q = nfkc(question).strip().rstrip("？?。!！ ")
    if not q or _NUMBER_ASKED.search(q):
        return None
    asks = any(a in q for a in w.ask_words)
    for kind, qwords, heads in (
        ("tasks", w.task_words, w.task_headings),
        ("safeguards", w.safeguard_words, w.safeguard_headings),
    ):
        hit = next((x for x in qwords if x in q), None)
        if hit and asks:
            rest = q
            for x in (*qwords, *w.ask_words):
                rest = rest.replace(x, " ")
            return Shape(kind=kind, headings=heads, rest=rest)  # type: ignore[arg-type]
    marker = next((m for m in w.markers if m in q), None)
    if marker is None:
        return None
    quoted = _QUOTED.search(q)
    term = quoted.group(1) if quoted else _cut_lead(q[: q.index(marker)], w)
    if len(term) < 2:
        return None
    rest = q.replace(term, " ").replace(marker, " ")
    return Shape(kind="meaning", term=term, strict=marker in w.strict_markers, rest=rest)

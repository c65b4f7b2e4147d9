"""A number asked for that stands inside a row's wording, not in its value cell.

``每个街道或2—6万人口设置1处社区健康驿站`` is stored as a row whose value is ``1处``; the plan's other
number, ``2—6万人口``, is part of the row's wording. ``社区健康驿站按多少人口设置一处？`` asks for that
number: ``多少`` stands right before the noun (``人口``) the wording's number is counted in. Such a
question is answered by the clause of the row's quote stating both numbers, the asked one in bold,
cited to the row; the row's value is never given as the population.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from assistant.messages import year_label
from assistant.question_wording import asked_nouns
from assistant.schema import Answer, Citation
from assistant.understanding import Query
from ingestion.schema import Target
from ingestion.text.normalize import nfkc

# A number, an optional range and an optional magnitude, before the noun it counts (2—6万人口, 5000人口).
_NUMBER = r"\d+(?:\.\d+)?(?:\s*[—\-–~～至到]\s*\d+(?:\.\d+)?)?\s*[万千亿百]?"
# Where a clause of a quote ends.
_CLAUSE_END = re.compile(r"[，,；;。！!？?]")


def inner_number(row: Target, noun: str) -> str | None:
    """The number of ``row``'s wording counted in ``noun`` (``2—6万人口``), or None.

    The row's own value counted in that noun (``常住人口数`` of ``104万人``) is no inner number: the
    row states the number asked for in its value cell.
    """
    if row.unit.endswith(noun[:1]) or noun in row.unit:
        return None
    m = re.search(rf"(?<![\d.]){_NUMBER}{re.escape(noun)}", nfkc(row.indicator))
    return m.group(0) if m else None


def _clause(quote: str, number: str) -> str | None:
    """The clause of ``quote`` holding ``number`` (spaces around the number ignored), or None."""
    text = nfkc(quote)
    flexible = r"\s*".join(re.escape(ch) for ch in number.replace(" ", ""))
    m = re.search(flexible, text)
    if not m:
        return None
    starts = [e.end() for e in _CLAUSE_END.finditer(text, 0, m.start())]
    start = starts[-1] if starts else 0
    end = _CLAUSE_END.search(text, m.end())
    marked = f"{text[start : m.start()]}**{m.group(0)}**{text[m.end() : end.start() if end else len(text)]}"
    return marked.strip()


def inner_number_answer(
    query: Query, rows: Sequence[Target], cite: Callable[[Target, int], Citation]
) -> Answer | None:
    """The answer of a question asking for a number inside its rows' wording (``按多少人口设置一所``), or None.

    Every row whose wording holds a number counted in a noun the question asks ``多少`` of answers with
    the clause of its quote stating it; no such row, no answer (the usual row answer follows).
    """
    nouns = asked_nouns(nfkc(query.text))
    if not nouns:
        return None
    lines: list[str] = []
    citations: list[Citation] = []
    for row in rows:
        number = next((n for n in (inner_number(row, noun) for noun in nouns) if n), None)
        clause = _clause(row.quote, number) if number else None
        if not clause:
            continue
        citations.append(cite(row, len(citations) + 1))
        where = row.region + (year_label(row.year) if row.year else "")
        lines.append(f"{where}：{clause}[{len(citations)}]")
    if not lines:
        return None
    text = lines[0] + "。" if len(lines) == 1 else "\n".join(f"- {line}" for line in lines)
    return Answer(
        question=query.text,
        answer=text,
        status="answered",
        citations=citations,
        resolved_question=query.resolved,
    )

"""Every number in an answer must stand in a source the answer cites: the check behind that promise."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.schema import Answer
from ingestion.text.normalize import normalize
from ingestion.text.numbers import Quantity, parse_quantities, ratio_splits

_MARKER_RE = re.compile(r"\[\d+\]")


def strip_markers(text: str) -> str:
    """Answer text without its [n] citation markers (they are not claims)."""
    return _MARKER_RE.sub("", text)


def _supports(source: Quantity, claim: Quantity) -> bool:
    if source.canonical()[:2] != claim.canonical()[:2] and (source.value, source.value_max) != (
        claim.value,
        claim.value_max,
    ):
        return False
    # A table cell carries no unit (it is in the column header); otherwise units must agree,
    # so 20% is never grounded by 20个百分点.
    return not source.unit or not claim.unit or source.canonical()[2] == claim.canonical()[2] or (
        source.unit == claim.unit
    )


def ungrounded_numbers(answer_text: str, sources: Sequence[str]) -> list[str]:
    """The quantities stated in ``answer_text`` that no source states (as written in the answer)."""
    available = [q for s in sources for q in parse_quantities(s)]
    texts = [normalize(s) for s in sources]
    missing: list[str] = []
    for claim in parse_quantities(strip_markers(answer_text)):
        if any(_supports(src, claim) for src in available) or _literally_in(claim, texts):
            continue
        missing.append(claim.text)
    # A ratio split (按2:8承担) is no quantity, but a claim all the same: it must stand in a source.
    stated = {r for s in sources for r in ratio_splits(s)}
    missing.extend(r for r in ratio_splits(strip_markers(answer_text)) if r not in stated)
    return missing


def _literally_in(claim: Quantity, texts: Sequence[str]) -> bool:
    """The claim exactly as written stands in a source, not glued to other digits (3．提升… as a heading)."""
    literal = re.escape(normalize(claim.text).strip())
    pattern = re.compile(rf"(?<!\d)(?<!\d\.){literal}(?!\d)(?!\.\d)")
    return any(pattern.search(t) for t in texts)


def check_grounded(answer: Answer) -> list[str]:
    """Numbers the answer states that none of its citations' quotes (or table context) state."""
    # A table cell's unit and wording live in its column header, not in the row the citation quotes.
    headers = [f"{t.column_header} {t.scope}{t.indicator}" for t in answer.targets if t.kind == "table"]
    sources = [c.quote for c in answer.citations] + headers
    return ungrounded_numbers(answer.answer, sources)

"""When the caller's region filter and the region named in the question disagree, say which one was used.

A question names its own region (``某县的…是多少？``) while the request's ``filters.region`` names
another: the question wins, because it is what the reader asked and will check the answer against,
and the answer carries a note saying so. The filter is dropped for that question, so the passages
quoted come from the same region as the numbers. A filter naming the same place in another form (an
alias the vocabulary knows, such as the name without its 市/县 suffix, or a name containing the other) is
no contradiction. A question naming a place no plan covers, under a region filter, is answered for the
filter's region, and the note says that too.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.schema import Answer, Filters
from assistant.understanding import Query, Vocabulary
from ingestion.text.normalize import nfkc

MSG_QUESTION_REGION_USED = (
    "问题中指明的地区是“{asked}”，与筛选条件中的地区“{filtered}”不一致；本回答按问题中的地区“{asked}”作答。"
)
MSG_FILTER_REGION_USED = "问题中的“{asked}”不在已收录规划的地区中；本回答按筛选条件中的地区“{filtered}”作答。"


@dataclass(frozen=True)
class RegionChoice:
    """The filters to answer with, and the note to put on the answer (empty when nothing was overridden)."""

    filters: Filters | None
    note: str = ""


def _canonical(name: str, vocab: Vocabulary) -> str:
    """The corpus's name for ``name`` (its alias table), or ``name`` normalised."""
    key = nfkc(name.strip())
    return vocab.aliases.get(key, key)


def _same_place(a: str, b: str) -> bool:
    """Whether two canonical names can mean the same place (equal, or one inside the other)."""
    return bool(a and b) and (a == b or a in b or b in a)


def choose_region(query: Query, filters: Filters | None, vocab: Vocabulary) -> RegionChoice:
    """Settle the region of a question against ``filters.region``.

    Args:
        query: The question as understood (its ``regions`` are the places the question names or carries
            over from the conversation; ``unknown_places`` those no plan covers).
        filters: The caller's filters.
        vocab: The corpus's names and aliases.

    Returns:
        The filters to answer with (without the region when the question's region overrides it) and the note.
    """
    if filters is None or not filters.region:
        return RegionChoice(filters)
    wanted = _canonical(filters.region, vocab)
    asked = [_canonical(r, vocab) for r in query.regions]
    if asked:
        if any(_same_place(wanted, a) for a in asked):
            return RegionChoice(filters)
        note = MSG_QUESTION_REGION_USED.format(asked="、".join(query.regions), filtered=filters.region)
        return RegionChoice(filters.model_copy(update={"region": None}), note)
    if query.unknown_places:
        note = MSG_FILTER_REGION_USED.format(asked="、".join(query.unknown_places), filtered=filters.region)
        return RegionChoice(filters, note)
    return RegionChoice(filters)


def with_note(answer: Answer, note: str) -> Answer:
    """``answer`` with ``note`` first among its notes (unchanged when the note is empty or already there)."""
    if not note or note in answer.notes:
        return answer
    return answer.model_copy(update={"notes": [note, *answer.notes]})

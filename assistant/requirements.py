"""Requirements that are not target rows: the plan sentence that states one, quoted and cited.

``转诊规则由哪个部门牵头制定？`` or ``派驻医生每周至少驻点几天？`` has no target row; the answer is a
sentence of the plan. A sentence qualifies when it covers most of the question's words and has what
the question asks for: an agent (``…牵头``, ``由…承担``) for "who", a number or a counted word
(``每周不少于3个工作日``, ``提前一年``) for "how many / how often". Wording lists live in
``assistant/rules/answer_shapes.toml`` (``[requirements]``).
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.schema import Answer, Citation, SearchHit
from assistant.shapes import SHAPES_FILE
from assistant.understanding import Query
from ingestion.text.normalize import nfkc
from ingestion.text.numbers import parse_quantities

MSG_REQUIREMENT = "《{title}》原文：{quote}[1]"
MIN_SENTENCE_COVERAGE = 0.6
MIN_OWN_SHARE = 0.3
MIN_WORD_CHARS = 2
MIN_SENTENCE_CHARS = 6
_SENTENCES = re.compile(r"[^。；;！？!?\n]+[。；;！？!?]?")


@dataclass(frozen=True)
class RequirementWords:
    """The ``[requirements]`` lists of answer_shapes.toml."""

    who_words: tuple[str, ...]
    agent_markers: tuple[str, ...]
    amount_words: tuple[str, ...]
    counted: re.Pattern[str]
    question_words: tuple[str, ...]


def load_requirement_words(path: Path = SHAPES_FILE) -> RequirementWords:
    """Read the ``[requirements]`` lists (of the shipped file by default)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))["requirements"]

    def words(key: str) -> tuple[str, ...]:
        return tuple(sorted((nfkc(w) for w in data[key]), key=len, reverse=True))

    return RequirementWords(
        who_words=words("who_words"),
        agent_markers=words("agent_markers"),
        amount_words=words("amount_words"),
        counted=re.compile(data["counted"]),
        question_words=words("question_words"),
    )


@functools.cache
def requirement_words() -> RequirementWords:
    """The shipped requirement words, read once."""
    return load_requirement_words()


def asked_words(question: str, words: RequirementWords | None = None) -> str:
    """The question without its question words: what the requirement is about."""
    w = words or requirement_words()
    out = nfkc(question)
    for x in w.question_words:
        out = out.replace(x, " ")
    return out


def states_requirement(question: str, sentence: str, words: RequirementWords | None = None) -> bool:
    """Whether ``sentence`` has what ``question`` asks for: an agent for "who", a number for "how many"."""
    w = words or requirement_words()
    q, s = nfkc(question), nfkc(sentence)
    if any(x in q for x in w.who_words):
        return any(m in s for m in w.agent_markers)
    if any(x in q for x in w.amount_words):
        return bool(parse_quantities(s)) or bool(w.counted.search(s))
    return False


def content_words(text: str) -> set[str]:
    """The words of ``text`` (jieba) of two characters or more: what a sentence must share with the question."""
    import jieba

    return {w for w in jieba.lcut(nfkc(text)) if len(w) >= MIN_WORD_CHARS and re.search(r"[\u4e00-\u9fff]", w)}


def _share(words: set[str], text: str) -> float:
    return sum(1 for w in words if w in text) / len(words)


def best_requirement(
    query: Query, hits: Sequence[SearchHit], words: RequirementWords | None = None
) -> tuple[SearchHit, str] | None:
    """The sentence among ``hits`` that best states the requirement asked, if one covers the question.

    A sentence may lean on its passage for its subject (…培训补助…。以上补助标准由…确定。), as the
    number fallback does, but must cover some of the question's words itself.
    """
    w = words or requirement_words()
    qw = content_words(asked_words(query.indicator or query.text, w))
    if not qw:
        return None
    best: tuple[float, SearchHit, str] | None = None
    for rank, hit in enumerate(hits):
        if hit.kind != "text":
            continue
        passage = _share(qw, nfkc(hit.text))
        for m in _SENTENCES.finditer(hit.text):
            sentence = m.group(0).strip()
            if len(sentence) < MIN_SENTENCE_CHARS:
                continue
            own = _share(qw, nfkc(sentence))
            if own < MIN_OWN_SHARE:
                continue
            coverage = max(own, 0.4 * own + 0.6 * passage) - 0.01 * rank
            if coverage < MIN_SENTENCE_COVERAGE or (best is not None and coverage <= best[0]):
                continue
            if query.years and not all(y in nfkc(sentence) for y in query.years):
                continue
            if query.regions and not any(r in nfkc(sentence) or r == hit.region for r in query.regions):
                continue
            if states_requirement(query.text, sentence, w):
                best = (coverage, hit, sentence)
    return (best[1], best[2]) if best else None


def requirement_answer(
    query: Query, hits: Sequence[SearchHit], cite: Callable[[SearchHit, int, str], Citation]
) -> Answer | None:
    """An answer quoting the plan sentence that states the requirement, or None when none does."""
    found = best_requirement(query, hits)
    if found is None:
        return None
    hit, sentence = found
    return Answer(
        question=query.text,
        answer=MSG_REQUIREMENT.format(title=hit.title, quote=sentence),
        status="answered",
        citations=[cite(hit, 1, sentence)],
        resolved_question=query.resolved,
    )

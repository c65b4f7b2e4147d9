"""Question classes, paraphrases and help replies: item slices on top of ``evals.metrics``.

Two optional item keys tag an item (see ``evals/datasets/README.md``, "Question classes and
paraphrases"):

- ``class``: the question class an item measures (``QUESTION_CLASSES``), e.g. a question that names
  its plan, asks several things at once or greets the assistant;
- ``paraphrase_of``: the id of the item it rephrases (same gold, same evidence, another wording).

and one item type, ``help`` with gold ``{"help": true}``, covers greetings and "what can you do": it
passes when the answer's ``status`` is ``"help"`` (a short help reply with example questions), and
fails with ``NOT_HELP`` otherwise.

``summarize`` in ``evals.metrics`` adds ``slice_summary`` to the summary: accuracy ``by_class`` and
the ``paraphrase`` block (accuracy on paraphrase items, and how often both paraphrases of an item
pass when the item itself passes, which needs the originals in the same run).

This module does not import ``evals.metrics`` (which imports it); results are read by attribute.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

QUESTION_CLASSES = (
    "plan_named",
    "multi_part",
    "compare",
    "requirement",
    "structure",
    "uncovered_year",
    "local_national",
    "colloquial",
    "greeting",
    "followup",
)
"""The question classes an item may be tagged with (``"class"`` key)."""

HELP_TYPE = "help"
"""Item type of greetings and "what can you do" questions (gold ``{"help": true}``)."""

HELP_STATUS = "help"
"""The answer status a help reply carries."""

NOT_HELP = "NOT_HELP"
"""Failure code of a help item whose answer is not a help reply."""

SLICE_KEYS = ("class", "paraphrase_of")
"""Item keys copied onto the item's result (``ItemResult.slices``)."""


def item_slices(item: Mapping[str, Any]) -> dict[str, str]:
    """The slice tags of an item: its ``class`` and ``paraphrase_of`` when set."""
    return {k: str(item[k]) for k in SLICE_KEYS if item.get(k)}


def is_help_item(item: Mapping[str, Any]) -> bool:
    """Whether an item expects a help reply (type ``help`` or gold ``{"help": true}``)."""
    gold = item.get("gold") or {}
    return item.get("type") == HELP_TYPE or (isinstance(gold, Mapping) and gold.get("help") is True)


def score_help(res: Any, answer: Mapping[str, Any]) -> None:
    """Score a help item in place on its ``ItemResult``: passed when the answer's status is ``help``.

    A help reply needs no citation and states no target, so nothing else is checked.
    """
    ok = str(answer.get("status", "")) == HELP_STATUS
    res.codes = [] if ok else [NOT_HELP]
    res.code = "OK" if ok else NOT_HELP
    res.passed = ok


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def _acc(results: Sequence[Any]) -> dict[str, Any]:
    passed = sum(bool(r.passed) for r in results)
    return {
        "n": len(results),
        "passed": passed,
        "accuracy": _ratio(passed, len(results)),
        "failure_codes": dict(Counter(r.code for r in results)),
    }


def by_class(results: Sequence[Any]) -> dict[str, dict[str, Any]]:
    """Accuracy per question class, over the results whose item has a ``class``."""
    groups: dict[str, list[Any]] = defaultdict(list)
    for r in results:
        c = (getattr(r, "slices", None) or {}).get("class")
        if c:
            groups[c].append(r)
    order = {c: i for i, c in enumerate(QUESTION_CLASSES)}
    return {c: _acc(groups[c]) for c in sorted(groups, key=lambda c: (order.get(c, len(order)), c))}


def paraphrase_summary(results: Sequence[Any]) -> dict[str, Any] | None:
    """Accuracy on paraphrase items and consistency with their originals (None without paraphrases).

    - ``accuracy``: passed paraphrase items / paraphrase items.
    - ``originals_in_run``: originals (``paraphrase_of`` ids) whose own item is in the same run.
    - ``original_accuracy``: share of those originals that pass.
    - ``both_pass_when_original_passes``: of the originals in the run that pass, the share whose
      paraphrases all pass (None when no original of the run passes). Without the originals in the
      run (e.g. only ``paraphrases.jsonl``) it cannot be computed and is None.
    """
    paras = [r for r in results if (getattr(r, "slices", None) or {}).get("paraphrase_of")]
    if not paras:
        return None
    by_original: dict[str, list[Any]] = defaultdict(list)
    for r in paras:
        by_original[r.slices["paraphrase_of"]].append(r)
    own = {r.id: r for r in results}
    present = [oid for oid in by_original if oid in own]
    passing = [oid for oid in present if own[oid].passed]
    consistent = [oid for oid in passing if all(p.passed for p in by_original[oid])]
    out = _acc(paras)
    out.update(
        {
            "originals": len(by_original),
            "originals_in_run": len(present),
            "original_accuracy": _ratio(sum(own[o].passed for o in present), len(present)),
            "originals_passed": len(passing),
            "both_pass_when_original_passes": _ratio(len(consistent), len(passing)),
            "all_paraphrases_pass": _ratio(
                sum(all(p.passed for p in ps) for ps in by_original.values()), len(by_original)
            ),
        }
    )
    return out


def slice_summary(results: Sequence[Any]) -> dict[str, Any]:
    """The summary keys this module adds: ``by_class`` and ``paraphrase``."""
    return {"by_class": by_class(results), "paraphrase": paraphrase_summary(results)}

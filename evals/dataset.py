"""Evaluation datasets: loading JSONL items and checking them against the plan files they quote.

The item format is described in ``evals/datasets/README.md``. A maintainer adds a plan's items by
adding lines to a JSONL file; ``validate_item`` is what the test suite runs on every line, so a
typo in a quote or a gold value that the plan does not state fails the build, not the evaluation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from evals.matching import contains_quote, normalize_comparator, squash
from evals.slices import HELP_TYPE, QUESTION_CLASSES
from ingestion.text.errors import InvalidRequestError

ITEM_TYPES = ("lookup", "table", "compare", "followup", "explain", "unanswerable")
"""The answer types a plan's dataset covers (a shipped dataset has every one of them)."""

ALL_ITEM_TYPES = (*ITEM_TYPES, HELP_TYPE)
"""The item types a dataset may use: the answer types, and ``help`` (greetings, gold ``{"help": true}``)."""

COMPARATORS = ("≥", ">", "≤", "<", "≈", "=")
TARGET_KEYS = ("value", "value_max", "unit", "comparator", "year", "region", "value_text")
OPTIONAL_TARGET_KEYS = ("indicator", "kind")
TARGET_KINDS = ("narrative", "table", "baseline")
"""Optional ``kind`` of a gold target: ``baseline`` is a base-year or status-quo value, never a target."""
ITEM_KEYS = ("id", "question", "type", "gold", "evidence")
OPTIONAL_ITEM_KEYS = ("history", "smoke", "notes", "class", "paraphrase_of")
QUOTE_MIN, QUOTE_MAX = 8, 40
ROW_QUOTE_MIN = 4
"""A whole flattened table row (a label then numeric cells) may be shorter than QUOTE_MIN."""
_ROW_RE = re.compile(r"^\S+(?:\s+(?:\d+(?:\.\d+)?|-))+\s*$")

DATASETS_DIR = Path(__file__).resolve().parent / "datasets"
"""Where the versioned datasets live (``*.jsonl``)."""

PLANS_DIR = Path(__file__).resolve().parents[1] / "data" / "plans"
"""The shipped plans the datasets quote (``evidence[].doc`` is a file name here)."""


def plan_texts(folder: str | Path | None = None) -> dict[str, str]:
    """The text of every plan file in ``folder`` (default ``data/plans``), keyed by file name.

    Text files are read as they are; other formats (a published PDF, a DOCX) through the product's
    reader, so evidence quotes are checked against the text the product extracts (whitespace is
    ignored when a quote is matched, so PDF line breaks do not matter).
    """
    from ingestion.filetypes import SUPPORTED_SUFFIXES
    from ingestion.readers import read_file

    base = Path(folder) if folder is not None else PLANS_DIR
    out: dict[str, str] = {}
    for p in sorted(base.iterdir()):
        if not p.is_file() or p.name.startswith(".") or p.suffix.lower() not in SUPPORTED_SUFFIXES:
            continue  # a hidden file, a FILE.meta.json correction, a sources.json note: no plan
        if p.suffix.lower() in {".txt", ".md"}:
            out[p.name] = p.read_text(encoding="utf-8")
        else:
            out[p.name] = read_file(p, max_bytes=200_000_000).text
    return out


def load_items(path: str | Path) -> list[dict[str, Any]]:
    """Read a JSONL dataset: one JSON object per non-empty line.

    Raises:
        InvalidRequestError: A line is not valid JSON (the message names the file and line).
    """
    items: list[dict[str, Any]] = []
    p = Path(path)
    for lineno, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            msg = f"{p}:{lineno}: not valid JSON ({e.msg}); fix the line or remove it"
            raise InvalidRequestError(msg) from e
        if not isinstance(obj, dict):
            msg = f"{p}:{lineno}: each line must be one JSON object"
            raise InvalidRequestError(msg)
        items.append(obj)
    return items


def is_qa_dataset(path: str | Path) -> bool:
    """Whether a JSONL file holds question-answer items (its first object has ``question`` and ``gold``).

    Other JSONL files may share the folder (e.g. a retrieval development set of ``query`` lines).
    """
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                return True  # let load_items report the bad line
            return isinstance(obj, dict) and "question" in obj and "gold" in obj
    return False


def dataset_files(folder: str | Path | None = None) -> list[Path]:
    """The question-answer datasets of a folder (default ``evals/datasets``), sorted by name."""
    base = Path(folder) if folder is not None else DATASETS_DIR
    return [p for p in sorted(base.glob("*.jsonl")) if is_qa_dataset(p)]


def load_datasets(paths: Iterable[str | Path] | None = None) -> list[dict[str, Any]]:
    """Load several datasets (default: every question-answer ``*.jsonl`` in ``evals/datasets``), in order."""
    files = [Path(p) for p in paths] if paths is not None else dataset_files()
    return [item for f in files for item in load_items(f)]


def smoke_items(items: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The items marked ``smoke: true`` (the subset CI runs on every build)."""
    return [it for it in items if it.get("smoke") is True]


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _check_target(t: Any, where: str) -> list[str]:
    if not isinstance(t, dict):
        return [f"{where}: a target must be an object"]
    errs: list[str] = []
    missing = [k for k in TARGET_KEYS if k not in t]
    if missing:
        errs.append(f"{where}: missing keys {missing}")
    extra = [k for k in t if k not in TARGET_KEYS and k not in OPTIONAL_TARGET_KEYS]
    if extra:
        errs.append(f"{where}: unknown keys {extra}")
    if not _is_number(t.get("value")):
        errs.append(f"{where}: value must be a number")
    vmax = t.get("value_max")
    if vmax is not None and (not _is_number(vmax) or (_is_number(t.get("value")) and vmax <= t["value"])):
        errs.append(f"{where}: value_max must be null or a number above value")
    if t.get("comparator") not in COMPARATORS or normalize_comparator(str(t.get("comparator"))) not in COMPARATORS:
        errs.append(f"{where}: comparator must be one of {' '.join(COMPARATORS)}")
    for k in ("unit", "year", "region", "value_text"):
        if k in t and not isinstance(t[k], str):
            errs.append(f"{where}: {k} must be a string")
    if not str(t.get("value_text", "")).strip():
        errs.append(f"{where}: value_text must give the value as the plan writes it")
    if "kind" in t and t["kind"] not in TARGET_KINDS:
        errs.append(f"{where}: kind must be one of {', '.join(TARGET_KINDS)}")
    return errs


def validate_item(item: Mapping[str, Any], plans: Mapping[str, str]) -> list[str]:
    """Problems with one dataset item; empty when it is valid.

    Checks the keys and types, that each evidence quote (8-40 characters without whitespace; a
    whole table row may be shorter) is found in its plan whitespace-insensitively, that each gold
    ``value_text`` stands in an evidence quote (or, failing that, in the plan text), and that each
    ``answer_contains`` phrase is in a cited plan.

    Args:
        item: One dataset item.
        plans: Plan texts keyed by file name (the ``doc`` of evidence entries).
    """
    iid = str(item.get("id", "?"))
    errs: list[str] = []
    for k in ITEM_KEYS:
        if k not in item:
            errs.append(f"{iid}: missing key {k!r}")
    extra = [k for k in item if k not in ITEM_KEYS and k not in OPTIONAL_ITEM_KEYS]
    if extra:
        errs.append(f"{iid}: unknown keys {extra}")
    if not isinstance(item.get("id"), str) or not item.get("id"):
        errs.append(f"{iid}: id must be a non-empty string")
    if not isinstance(item.get("question"), str) or not str(item.get("question", "")).strip():
        errs.append(f"{iid}: question must be a non-empty string")
    typ = item.get("type")
    if typ not in ALL_ITEM_TYPES:
        errs.append(f"{iid}: type must be one of {', '.join(ALL_ITEM_TYPES)}")
    if "smoke" in item and not isinstance(item["smoke"], bool):
        errs.append(f"{iid}: smoke must be true or false")
    if "class" in item and item["class"] not in QUESTION_CLASSES:
        errs.append(f"{iid}: class must be one of {', '.join(QUESTION_CLASSES)}")
    if "paraphrase_of" in item:
        orig = item["paraphrase_of"]
        if not isinstance(orig, str) or not orig:
            errs.append(f"{iid}: paraphrase_of must be the id of the item it rephrases")
        elif not re.fullmatch(re.escape(orig) + r"-p\d+", str(item.get("id", ""))):
            errs.append(f"{iid}: a paraphrase's id is <original id>-p<n> (paraphrase_of {orig!r})")
    history = item.get("history")
    if history is not None:
        ok = isinstance(history, list) and all(
            isinstance(h, dict) and h.get("role") in {"user", "assistant"} and isinstance(h.get("content"), str)
            for h in history
        )
        if not ok or not history:
            errs.append(f"{iid}: history must be a non-empty list of {{role: user|assistant, content}}")
    if typ == "followup" and not history:
        errs.append(f"{iid}: a followup item needs a history")

    evidence = item.get("evidence")
    if not isinstance(evidence, list):
        errs.append(f"{iid}: evidence must be a list")
        evidence = []
    quotes: list[str] = []
    docs: list[str] = []
    for i, ev in enumerate(evidence):
        if not isinstance(ev, dict) or not isinstance(ev.get("doc"), str) or not isinstance(ev.get("quote"), str):
            errs.append(f"{iid}: evidence[{i}] must be {{doc, quote}}")
            continue
        doc, quote = ev["doc"], ev["quote"]
        n = len(squash(quote))
        lo = ROW_QUOTE_MIN if _ROW_RE.match(quote.strip()) else QUOTE_MIN
        if not lo <= n <= QUOTE_MAX:
            errs.append(f"{iid}: evidence[{i}] quote has {n} characters, want {QUOTE_MIN}-{QUOTE_MAX}")
        if doc not in plans:
            errs.append(f"{iid}: evidence[{i}] names unknown plan {doc!r}")
        elif not contains_quote(plans[doc], quote):
            errs.append(f"{iid}: evidence[{i}] quote not found in {doc}: {quote!r}")
        quotes.append(quote)
        docs.append(doc)

    gold = item.get("gold")
    if not isinstance(gold, dict):
        return [*errs, f"{iid}: gold must be an object"]
    kinds = [k for k in ("targets", "answer_contains", "abstain", "help") if k in gold]
    if len(kinds) != 1:
        errs.append(f"{iid}: gold must have exactly one of targets, answer_contains, abstain, help")
    if "help" in gold or typ == HELP_TYPE:
        if gold.get("help") is not True or typ != HELP_TYPE:
            errs.append(f"{iid}: a help item (type help) has gold {{help: true}}, and only a help item has")
        if evidence:
            errs.append(f"{iid}: a help item cites no evidence")
        return errs
    if "abstain" in gold:
        if gold["abstain"] is not True:
            errs.append(f"{iid}: gold.abstain must be true")
        if typ != "unanswerable":
            errs.append(f"{iid}: only unanswerable items abstain")
    elif typ == "unanswerable":
        errs.append(f"{iid}: an unanswerable item needs gold {{abstain: true}}")
    elif not evidence:
        errs.append(f"{iid}: an answerable item needs evidence")
    if "targets" in gold:
        targets = gold["targets"]
        if not isinstance(targets, list) or not targets:
            errs.append(f"{iid}: gold.targets must be a non-empty list")
            targets = []
        for j, t in enumerate(targets):
            where = f"{iid}: gold.targets[{j}]"
            errs.extend(_check_target(t, where))
            vt = str(t.get("value_text", "")) if isinstance(t, dict) else ""
            if (
                vt
                and not any(contains_quote(q, vt) for q in quotes)
                and not any(contains_quote(plans.get(d, ""), vt) for d in docs)
            ):
                errs.append(f"{where}: value_text {vt!r} is in no evidence quote nor cited plan")
    if "answer_contains" in gold:
        phrases = gold["answer_contains"]
        if not isinstance(phrases, list) or not phrases or not all(isinstance(p, str) and p for p in phrases):
            errs.append(f"{iid}: gold.answer_contains must be a non-empty list of phrases")
            phrases = []
        for p in phrases:
            if not any(contains_quote(plans.get(d, ""), p) for d in docs):
                errs.append(f"{iid}: phrase {p!r} is not in any cited plan")
    return errs

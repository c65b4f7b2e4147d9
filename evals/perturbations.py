"""Perturbation accuracy: the same questions in officials' own words (``policy-assistant eval --perturb``).

Each rule of ``evals/perturbations.toml`` is a named, meaning-preserving rewrite of a question (a year
written another way, a polite or chatty frame, a region without its administrative suffix, full-width
digits, 多少 -> 几 for counts, no question mark). A rule applies only where it fits and never changes the
year, the region or what is asked, so the item's gold stays valid. The rules are applied to the
answerable items the product passes in a run; the rewritten items go through the same runner, and the
share that still pass is the perturbation accuracy, overall and per rule. Deterministic: no sampling,
no LLM.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ingestion.text.normalize import nfkc

RULES_FILE = Path(__file__).with_name("perturbations.toml")
"""The shipped perturbation rules."""

ID_SEPARATOR = "~"
"""A perturbed item's id is ``<item id>~<rule name>``."""

KINDS = ("regex", "chars", "region_short")


@dataclass(frozen=True)
class Rule:
    """One named rewrite (see the comments of ``evals/perturbations.toml``)."""

    name: str
    label: str
    kind: str
    pattern: re.Pattern[str] | None = None
    replace: str = ""
    table: Mapping[int, int] = field(default_factory=dict)
    suffixes: tuple[str, ...] = ()
    not_before: str = ""

    def apply(self, question: str, regions: Collection[str] = ()) -> str | None:
        """The rewritten question, or None where the rule does not fit (nothing would change).

        Args:
            question: The question as the dataset writes it.
            regions: The region names the catalogue knows (for ``region_short``).
        """
        if self.kind == "regex" and self.pattern is not None:
            out = self.pattern.sub(self.replace, question)
        elif self.kind == "chars" and self.pattern is not None:
            out = self.pattern.sub(lambda m: m.group(0).translate(self.table), question)
        elif self.kind == "region_short":
            out = _shorten_regions(question, regions, self.suffixes, self.not_before)
        else:
            return None
        return out if out != question else None


def _short_names(regions: Iterable[str], suffixes: Sequence[str]) -> dict[str, str]:
    """Full name -> short name for the regions whose short name is unambiguous among them."""
    names = {r.strip() for r in regions if r and r.strip()}
    short: dict[str, str] = {}
    for name in names:
        for suffix in suffixes:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                short[name] = name[: -len(suffix)]
                break
    counts: dict[str, int] = {}
    for s in [*short.values(), *(n for n in names if n not in short)]:
        counts[s] = counts.get(s, 0) + 1
    return {full: s for full, s in short.items() if counts[s] == 1}


def _shorten_regions(question: str, regions: Iterable[str], suffixes: Sequence[str], not_before: str) -> str:
    """Drop the administrative suffix of every known region written in full (longest names first)."""
    short = _short_names(regions, suffixes)
    out = question
    for full in sorted(short, key=len, reverse=True):
        pattern = re.compile(re.escape(full) + (f"(?![{re.escape(not_before)}])" if not_before else ""))
        out = pattern.sub(short[full], out)
    return out


def _rule(raw: Mapping[str, Any], source: str) -> Rule:
    name = str(raw.get("name", "")).strip()
    kind = str(raw.get("kind", "")).strip()
    if not name or kind not in KINDS:
        msg = f"{source}: 每条规则需要 name 和 kind（{'、'.join(KINDS)}），而不是 {dict(raw)!r}"
        raise ValueError(msg)
    label = str(raw.get("label", name))
    if kind == "region_short":
        suffixes = tuple(str(s) for s in raw.get("suffixes", []))
        return Rule(name, label, kind, suffixes=suffixes, not_before=str(raw.get("not_before", "")))
    pattern = re.compile(str(raw["pattern"]))
    if kind == "chars":
        src, dst = str(raw["from"]), str(raw["to"])
        if len(src) != len(dst):
            msg = f"{source}: 规则 {name} 的 from 与 to 长度不同"
            raise ValueError(msg)
        return Rule(name, label, kind, pattern=pattern, table=str.maketrans(src, dst))
    return Rule(name, label, kind, pattern=pattern, replace=str(raw.get("replace", "")))


def load_rules(path: Path = RULES_FILE) -> tuple[Rule, ...]:
    """The rules of a perturbation file, in file order.

    Raises:
        ValueError: A rule without name, with an unknown kind, a bad pattern or unequal ``from``/``to``;
            or two rules with the same name.
    """
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    rules = tuple(_rule(raw, str(path)) for raw in data.get("rule", []))
    names = [r.name for r in rules]
    if len(set(names)) != len(names):
        msg = f"{path}: 规则名重复"
        raise ValueError(msg)
    return rules


@cache
def default_rules() -> tuple[Rule, ...]:
    """The shipped rules (``evals/perturbations.toml``), loaded once."""
    return load_rules()


def base_items(items: Sequence[Mapping[str, Any]], results: Sequence[Any]) -> list[Mapping[str, Any]]:
    """The answerable items (not expected to abstain) that passed: what the rewrites are applied to."""
    passed = {r.id for r in results if r.passed and not r.should_abstain}
    return [i for i in items if str(i.get("id", "")) in passed]


def perturb_items(
    items: Sequence[Mapping[str, Any]],
    rules: Sequence[Rule],
    regions: Collection[str] = (),
    limit: int | None = None,
) -> list[tuple[Rule, dict[str, Any]]]:
    """Every (rule, rewritten item) where the rule fits; ``limit`` caps the items per rule (file order).

    The rewritten item keeps the original's gold, evidence and history; its id is
    ``<id>~<rule>`` and ``paraphrase_of``/``smoke`` are dropped so it counts in no other slice.
    """
    out: list[tuple[Rule, dict[str, Any]]] = []
    for rule in rules:
        n = 0
        for item in items:
            if limit is not None and n >= limit:
                break
            question = rule.apply(str(item.get("question", "")), regions)
            if question is None:
                continue
            new = {k: v for k, v in item.items() if k not in ("paraphrase_of", "smoke")}
            new["id"] = f"{item.get('id', '')}{ID_SEPARATOR}{rule.name}"
            new["question"] = question
            new["perturbed_from"] = str(item.get("question", ""))
            out.append((rule, new))
            n += 1
    return out


def perturbation_summary(
    rules: Sequence[Rule], pairs: Sequence[tuple[Rule, Mapping[str, Any]]], results: Sequence[Any], n_base: int
) -> dict[str, Any]:
    """Perturbation accuracy overall and per rule, with the failed items' ids, questions and codes.

    Args:
        rules: The rules run (a rule that fitted no item shows with n = 0).
        pairs: The (rule, rewritten item) pairs, in the order of ``results``.
        results: The scored rewritten items (``ItemResult``-like: ``id``, ``passed``, ``code``).
        n_base: How many items the rules were applied to.
    """
    by_rule: dict[str, dict[str, Any]] = {
        r.name: {"label": r.label, "n": 0, "passed": 0, "accuracy": None, "failed": []} for r in rules
    }
    for (rule, item), res in zip(pairs, results, strict=True):
        row = by_rule[rule.name]
        row["n"] += 1
        if res.passed:
            row["passed"] += 1
        else:
            row["failed"].append({"id": res.id, "question": str(item.get("question", "")), "code": res.code})
    for row in by_rule.values():
        row["accuracy"] = row["passed"] / row["n"] if row["n"] else None
    n = sum(r["n"] for r in by_rule.values())
    passed = sum(r["passed"] for r in by_rule.values())
    return {
        "base_items": n_base,
        "n": n,
        "passed": passed,
        "accuracy": passed / n if n else None,
        "by_rule": by_rule,
    }


def run_perturbations(
    items: Sequence[Mapping[str, Any]],
    results: Sequence[Any],
    regions: Collection[str],
    evaluate: Callable[[Sequence[Mapping[str, Any]]], Any],
    rules: Sequence[Rule] | None = None,
    limit: int | None = None,
) -> tuple[dict[str, Any], Any]:
    """Rewrite the passed answerable items, run them with ``evaluate``, and summarise.

    Args:
        items: The run's dataset items.
        results: Their scored results (which passed).
        regions: The region names the catalogue knows.
        evaluate: Runs items through the product and returns a ``RunResult`` (``evals.runner.evaluate``
            bound to an assistant).
        rules: The rules (the shipped ones by default).
        limit: At most this many items per rule (None: all).

    Returns:
        The ``perturbation`` summary block and the run of the rewritten items.
    """
    chosen = tuple(rules) if rules is not None else default_rules()
    base = base_items(items, results)
    pairs = perturb_items(base, chosen, regions, limit=limit)
    run = evaluate([item for _, item in pairs])
    return perturbation_summary(chosen, pairs, run.results, len(base)), run


def known_regions(regions: Iterable[str]) -> frozenset[str]:
    """Region names as the rules compare them (NFKC, stripped, non-empty)."""
    return frozenset(nfkc(r).strip() for r in regions if r and r.strip())

"""Deterministic evaluation metrics: no LLM judge, every definition in code.

Quantities are read with ``ingestion.text.numbers`` (NFKC, Chinese numerals, 万/亿 folded by
``Quantity.canonical``, ranges, ``%`` kept apart from ``个百分点``); ``evals.matching`` decides what
counts as a match (the first four points below), this module scores items and sums them up. The
definitions, in short:

- ``target_match``: a predicted target row (or a numeric claim) against a gold target, field by
  field: value (and value_max, after magnitude folding), unit, bound (comparator), year, region;
  ``strict`` is all five. An empty gold year or region means the plan sets none, so it is not
  checked.
- A numeric claim of the text stands in for a missing target row; its year and region must then
  be named in the answer or in a citation that supports it.
- ``claims``: the numeric claims of an answer text, without [n] markers, list numbering, years,
  dates and document numbers.
- A citation *supports* a claim when its quote states the claim's value with the claim's unit
  (adapted from ALCE). A table row states a bare number whose unit is in the column header: the
  number then counts when the unit is given by the citation's linked target row or by a header in
  parentheses, e.g. ``（人）``, in the quote, section or context.
- Citation recall: claims supported by at least one citation marked in their own sentence.
  Citation precision: of the citations marked in sentences that make claims, those that support
  at least one of them. Unsupported-number rate: claims that no citation of the answer supports.
- Abstention accuracy, false-answer rate (answered although it should abstain) and false-abstention
  rate (abstained although the plans answer it).
- Retrieval recall@k and MRR against the evidence quotes (NFKC, whitespace removed; a flattened
  table row also matches a rebuilt row chunk that holds all its cells in order).
- Latency p50/p95 (linear interpolation between order statistics).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from evals.matching import (
    FIELDS,
    citation_scores,
    claim_match,
    claims,
    evidence_in,
    get_field,
    squash,
    strip_markers,
    target_match,
)
from evals.slices import is_help_item, item_slices, score_help, slice_summary
from ingestion.text.numbers import Quantity

FAILURE_CODES = (
    "SHOULD_ABSTAIN",
    "FALSE_ABSTAIN",
    "WRONG_VALUE",
    "WRONG_UNIT",
    "WRONG_BOUND",
    "WRONG_YEAR",
    "WRONG_REGION",
    "MISSING_PHRASE",
    "NO_CITATION",
    "UNSUPPORTED_NUMBER",
    "OK",
)
"""Failure codes in priority order: an item reports the first that applies (and lists all)."""

_FIELD_CODE = {
    "value": "WRONG_VALUE",
    "unit": "WRONG_UNIT",
    "comparator": "WRONG_BOUND",
    "year": "WRONG_YEAR",
    "region": "WRONG_REGION",
}
# --- retrieval -----------------------------------------------------------------------------------


def _hit_text(hit: Any) -> str:
    if isinstance(hit, str):
        return hit
    return str(get_field(hit, "text", "") or get_field(hit, "quote", "") or "")


def _hit_doc_ok(hit: Any, doc: str) -> bool:
    source = "" if isinstance(hit, str) else str(get_field(hit, "source", "") or "")
    return not source or not doc or source.rsplit("/", 1)[-1] == doc


def _hit_matches(hit: Any, evidence: Mapping[str, Any]) -> bool:
    return _hit_doc_ok(hit, str(evidence.get("doc", ""))) and evidence_in(_hit_text(hit), str(evidence["quote"]))


def recall_at_k(hits: Sequence[Any], evidence: Sequence[Mapping[str, Any]], k: int) -> float | None:
    """Share of evidence quotes found in the top ``k`` hits (strings, or objects with text and source)."""
    if not evidence:
        return None
    top = list(hits)[:k]
    found = sum(1 for ev in evidence if any(_hit_matches(h, ev) for h in top))
    return found / len(evidence)


def reciprocal_rank(hits: Sequence[Any], evidence: Sequence[Mapping[str, Any]]) -> float | None:
    """1/rank of the first hit holding any evidence quote; 0 when none does (None without evidence)."""
    if not evidence:
        return None
    for rank, hit in enumerate(hits, start=1):
        if any(_hit_matches(hit, ev) for ev in evidence):
            return 1.0 / rank
    return 0.0


def percentile(values: Iterable[float], q: float) -> float | None:
    """The q-th percentile (0-100) by linear interpolation between order statistics; None when empty."""
    xs = sorted(values)
    if not xs:
        return None
    pos = (len(xs) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


# --- item scoring --------------------------------------------------------------------------------


@dataclass
class TargetResult:
    """How one gold target was matched: the best candidate's fields and where it came from."""

    gold: dict[str, Any]
    fields: dict[str, bool]
    source: str = "none"  # "row", "claim" or "none"
    matched: str = ""


@dataclass
class ItemResult:
    """The score of one dataset item against one answer."""

    id: str
    type: str
    docs: list[str]
    passed: bool
    code: str
    codes: list[str] = field(default_factory=list)
    abstained: bool = False
    should_abstain: bool = False
    targets: list[TargetResult] = field(default_factory=list)
    phrases_missing: list[str] = field(default_factory=list)
    n_phrases: int = 0
    n_claims: int = 0
    n_claims_supported: int = 0
    n_citations_judged: int = 0
    n_citations_supporting: int = 0
    unsupported: list[str] = field(default_factory=list)
    n_citations: int = 0
    recall_at_k: float | None = None
    rr: float | None = None
    latency_ms: float | None = None
    smoke: bool = False
    slices: dict[str, str] = field(default_factory=dict)  # class, paraphrase_of (evals/slices.py)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (for items.jsonl)."""
        return asdict(self)


def _best(cands: list[tuple[dict[str, bool], str, str]]) -> tuple[dict[str, bool], str, str] | None:
    if not cands:
        return None
    return max(cands, key=lambda c: (c[0]["strict"], *[c[0][f] for f in FIELDS]))


def _match_gold(
    gold: Mapping[str, Any],
    rows: Sequence[Any],
    text_claims: list[Quantity],
    text: str,
    citations: Sequence[Mapping[str, Any]],
) -> TargetResult:
    row_c = [
        (target_match(r, gold), "row", str(get_field(r, "value_text", "") or get_field(r, "value", ""))) for r in rows
    ]
    best_row = _best(row_c)
    if best_row and best_row[0]["strict"]:
        return TargetResult(dict(gold), best_row[0], "row", best_row[2])
    claim_c = [(claim_match(q, gold, text, citations, rows), "claim", q.text) for q in text_claims]
    best_claim = _best(claim_c)
    if best_claim and best_claim[0]["strict"]:
        return TargetResult(dict(gold), best_claim[0], "claim", best_claim[2])
    best = _best([c for c in (best_row, best_claim) if c is not None])
    if best is None:
        return TargetResult(dict(gold), {**dict.fromkeys(FIELDS, False), "strict": False})
    return TargetResult(dict(gold), best[0], best[1], best[2])


def score_item(
    item: Mapping[str, Any], answer: Mapping[str, Any], hits: Sequence[Any] | None = None, k: int = 5
) -> ItemResult:
    """Score one answer (the product's JSON answer object) against one dataset item.

    A target item passes when every gold target is matched strictly by an answered target row or,
    failing rows, by a claim in the text; an explanation or list item when every ``answer_contains``
    phrase is in the answer text; an unanswerable item when the status is ``not_found``; a help item
    (greeting) when the status is ``help`` (``evals.slices.score_help``). Every
    answered item must also carry citations, and every number it states must be supported by one.

    Args:
        item: A dataset item (see evals/datasets/README.md).
        answer: ``{"answer", "status", "citations", "targets", "latency_ms", ...}``.
        hits: Retrieved passages, best first, for recall@k and MRR (optional).
        k: Cut-off for recall@k.
    """
    gold = item.get("gold", {})
    evidence = list(item.get("evidence", []) or [])
    text = str(answer.get("answer", "") or "")
    status = str(answer.get("status", "answered"))
    citations = list(answer.get("citations", []) or [])
    abstained = status == "not_found"
    should_abstain = bool(gold.get("abstain"))
    res = ItemResult(
        id=str(item.get("id", "")),
        type=str(item.get("type", "")),
        docs=sorted({str(e.get("doc", "")) for e in evidence}),
        passed=False,
        code="OK",
        abstained=abstained,
        should_abstain=should_abstain,
        n_citations=len(citations),
        latency_ms=float(answer["latency_ms"]) if answer.get("latency_ms") is not None else None,
        smoke=bool(item.get("smoke", False)),
    )
    if hits is not None:
        res.recall_at_k = recall_at_k(hits, evidence, k)
        res.rr = reciprocal_rank(hits, evidence)
    res.slices = item_slices(item)
    if is_help_item(item):
        score_help(res, answer)
        return res
    codes: list[str] = []
    if should_abstain:
        if not abstained:
            codes.append("SHOULD_ABSTAIN")
    elif abstained:
        codes.append("FALSE_ABSTAIN")
    else:
        text_claims = claims(text)
        for g in gold.get("targets", []) or []:
            tr = _match_gold(g, list(answer.get("targets", []) or []), text_claims, text, citations)
            res.targets.append(tr)
            for f in FIELDS:
                if not tr.fields[f]:
                    codes.append(_FIELD_CODE[f])
                    break
        phrases = [str(p) for p in gold.get("answer_contains", []) or []]
        res.n_phrases = len(phrases)
        stext = squash(strip_markers(text))
        res.phrases_missing = [p for p in phrases if squash(p) not in stext]
        if res.phrases_missing:
            codes.append("MISSING_PHRASE")
        cs = citation_scores(answer)
        res.n_claims, res.n_claims_supported = cs.n_claims, cs.n_claims_supported
        res.n_citations_judged, res.n_citations_supporting = cs.n_citations_judged, cs.n_citations_supporting
        res.unsupported = cs.unsupported
        if not citations:
            codes.append("NO_CITATION")
        elif cs.unsupported:
            codes.append("UNSUPPORTED_NUMBER")
    ordered = [c for c in FAILURE_CODES if c in codes]
    res.codes = ordered
    res.code = ordered[0] if ordered else "OK"
    res.passed = not ordered
    return res


# --- summaries -----------------------------------------------------------------------------------


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def strict_accuracy(results: Sequence[ItemResult]) -> float | None:
    """Share of items with gold targets whose every target was matched strictly (value, unit, bound, year, region)."""
    items = [r for r in results if r.targets]
    return _ratio(sum(all(t.fields["strict"] for t in r.targets) for r in items), len(items))


def field_accuracy(results: Sequence[ItemResult]) -> dict[str, float | None]:
    """Per-field accuracy over all gold targets (each judged on its best candidate), plus ``strict``."""
    golds = [t for r in results for t in r.targets]
    return {f: _ratio(sum(t.fields[f] for t in golds), len(golds)) for f in (*FIELDS, "strict")}


def citation_recall(results: Sequence[ItemResult]) -> float | None:
    """Numeric claims supported by a citation marked in their sentence, over all numeric claims."""
    return _ratio(sum(r.n_claims_supported for r in results), sum(r.n_claims for r in results))


def citation_precision(results: Sequence[ItemResult]) -> float | None:
    """Citations marked in claim sentences that support one of their claims, over all such citations."""
    return _ratio(sum(r.n_citations_supporting for r in results), sum(r.n_citations_judged for r in results))


def unsupported_number_rate(results: Sequence[ItemResult]) -> float | None:
    """Numeric claims that no citation of their answer supports, over all numeric claims."""
    return _ratio(sum(len(r.unsupported) for r in results), sum(r.n_claims for r in results))


def abstention_accuracy(results: Sequence[ItemResult]) -> float | None:
    """Share of unanswerable items answered with ``not_found``."""
    unans = [r for r in results if r.should_abstain]
    return _ratio(sum(r.abstained for r in unans), len(unans))


def false_answer_rate(results: Sequence[ItemResult]) -> float | None:
    """Share of unanswerable items that were answered anyway (1 - abstention accuracy)."""
    unans = [r for r in results if r.should_abstain]
    return _ratio(sum(not r.abstained for r in unans), len(unans))


def false_abstention_rate(results: Sequence[ItemResult]) -> float | None:
    """Share of answerable items answered with ``not_found``."""
    ans = [r for r in results if not r.should_abstain]
    return _ratio(sum(r.abstained for r in ans), len(ans))


def latency_percentiles(results: Sequence[ItemResult]) -> dict[str, float | None]:
    """Median and 95th percentile of ``latency_ms`` over the results that carry one."""
    lat = [r.latency_ms for r in results if r.latency_ms is not None]
    return {"p50": percentile(lat, 50), "p95": percentile(lat, 95)}


def _summary(results: Sequence[ItemResult]) -> dict[str, Any]:
    n = len(results)
    rk = [r.recall_at_k for r in results if r.recall_at_k is not None]
    rr = [r.rr for r in results if r.rr is not None]
    phrases = sum(r.n_phrases for r in results)
    lat = latency_percentiles(results)
    return {
        "n": n,
        "passed": sum(r.passed for r in results),
        "accuracy": _ratio(sum(r.passed for r in results), n),
        "strict_accuracy": strict_accuracy(results),
        "target_items": sum(bool(r.targets) for r in results),
        "field_accuracy": field_accuracy(results),
        "gold_targets": sum(len(r.targets) for r in results),
        "phrase_recall": _ratio(phrases - sum(len(r.phrases_missing) for r in results), phrases),
        "citation_recall": citation_recall(results),
        "citation_precision": citation_precision(results),
        "claims": sum(r.n_claims for r in results),
        "unsupported_numbers": sum(len(r.unsupported) for r in results),
        "unsupported_number_rate": unsupported_number_rate(results),
        "answers_with_unsupported": sum(bool(r.unsupported) for r in results),
        "unanswerable": sum(r.should_abstain for r in results),
        "abstention_accuracy": abstention_accuracy(results),
        "false_answer_rate": false_answer_rate(results),
        "false_abstention_rate": false_abstention_rate(results),
        "recall_at_k": _ratio(sum(rk), len(rk)),
        "mrr": _ratio(sum(rr), len(rr)),
        "latency_p50_ms": lat["p50"],
        "latency_p95_ms": lat["p95"],
        "failure_codes": dict(Counter(r.code for r in results)),
    }


def summarize(results: Sequence[ItemResult]) -> dict[str, Any]:
    """Metrics over all results, and the same by item type and by document (an item counts for each doc it cites)."""
    by_type: dict[str, list[ItemResult]] = defaultdict(list)
    by_doc: dict[str, list[ItemResult]] = defaultdict(list)
    for r in results:
        by_type[r.type].append(r)
        for d in r.docs or ["(none)"]:
            by_doc[d].append(r)
    out = _summary(results)
    out["by_type"] = {t: _summary(rs) for t, rs in sorted(by_type.items())}
    out["by_doc"] = {d: _summary(rs) for d, rs in sorted(by_doc.items())}
    out.update(slice_summary(results))
    return out

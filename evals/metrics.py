"""Deterministic evaluation metrics: no LLM judge, every definition in code.

Quantities are read with ``ingestion.text.numbers`` (NFKC, Chinese numerals, 万/亿 folded by
``Quantity.canonical``, ranges, ``%`` kept apart from ``个百分点``); this module only decides what
counts as a match. The definitions, in short:

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
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from ingestion.text.normalize import normalize, remove_spaces
from ingestion.text.numbers import Quantity, normalize_unit, parse_quantities

FIELDS = ("value", "unit", "comparator", "year", "region")
"""The fields of a target that ``target_match`` checks, in the order failures are reported."""

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
_COMPARATORS = {
    "≥": "≥", ">=": "≥", "以上": "≥", "不低于": "≥", "不少于": "≥", "至少": "≥",
    ">": ">", "＞": ">", "超过": ">",
    "≤": "≤", "<=": "≤", "以下": "≤", "以内": "≤", "不超过": "≤",
    "<": "<", "＜": "<",
    "≈": "≈", "~": "≈", "约": "≈", "左右": "≈",
    "=": "=", "": "=", "==": "=",
}  # fmt: skip
_GENERIC_REGIONS = {"", "全市", "本市", "我市", "全县", "全区"}
_MARKER_RE = re.compile(r"\[(\d+)\]")
_LIST_NUMBERING_RE = re.compile(
    r"^[ \t]*(?:[-*+>][ \t]+)*(?:\d{1,2}[.．、)）](?!\d)|[（(]\d{1,2}[)）]|[一二三四五六七八九十]{1,3}、)[ \t]*",
    re.MULTILINE,
)
_SENTENCE_RE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]*(?:[ \t]*\[\d+\])*[ \t]*|\n")
_YEAR_RE = re.compile(r"(?<!\d)(19\d{2}|20\d{2})(?!\d)")
_NUM_TOKEN_RE = re.compile(r"^\d+(?:\.\d+)?$")


# --- normalisation helpers -----------------------------------------------------------------------


def squash(text: str) -> str:
    """NFKC, dashes unified and all whitespace removed: the form in which quotes and phrases are compared."""
    return remove_spaces(normalize(text))


def contains_quote(text: str, quote: str) -> bool:
    """Whether ``quote`` stands in ``text``, whitespace-insensitively after NFKC (empty quotes never do)."""
    q = squash(quote)
    return bool(q) and q in squash(text)


def evidence_in(text: str, quote: str) -> bool:
    """Whether a retrieved passage holds an evidence quote.

    Plain containment (``contains_quote``), or, for a quote shaped like a flattened table row
    (a label then at least two numeric cells separated by spaces), every cell in order in the
    passage with numbers matched whole, so that a rebuilt row chunk such as
    ``…｜县区：某县｜培养全科医生数（人）：2023年 25；2024年 25`` matches the row ``某县 21 25 25``.
    """
    if contains_quote(text, quote):
        return True
    tokens = [t for t in normalize(quote).split() if t not in {"-", "—"}]
    numeric = [t for t in tokens if _NUM_TOKEN_RE.match(t)]
    if len(tokens) < 3 or len(numeric) < 2 or _NUM_TOKEN_RE.match(tokens[0]):
        return False
    hay = normalize(text)
    pos = 0
    for tok in tokens:
        if _NUM_TOKEN_RE.match(tok):
            m = re.compile(rf"(?<![\d.]){re.escape(tok)}(?![\d.])").search(hay, pos)
        else:
            m = re.compile(re.escape(tok)).search(hay, pos)
        if m is None:
            return False
        pos = m.end()
    return True


def normalize_comparator(comparator: str) -> str:
    """One of ≥ > ≤ < ≈ = for the spellings plans and models use (>=, 以上, 不低于, ＞ ...)."""
    c = comparator.strip()
    return _COMPARATORS.get(c, c)


def normalize_year(year: str) -> str:
    """Comparable form of a year or period: NFKC, dashes to '-', 年/年底 dropped, 十四五 as 2021-2025, 全年 as 每年."""
    y = re.sub(r"\s+", "", normalize(year or ""))
    y = y.replace("“", "").replace("”", "").replace('"', "")
    if y in {"十四五", "十四五期间"}:
        return "2021-2025"
    if y in {"全年", "每年度", "年度"}:
        return "每年"
    y = re.sub(r"年(?:底|末|上半年|下半年)?", "", y) if y != "每年" else y
    y = y.replace("到", "").replace("至", "-")
    return y


def normalize_region(region: str) -> str:
    """Comparable form of a place name: NFKC, no spaces, one trailing 省/市/县/区 dropped (海安市 -> 海安)."""
    r = re.sub(r"\s+", "", normalize(region or ""))
    if len(r) > 2 and r[-1] in "省市县区":
        r = r[:-1]
    return r


def regions_match(predicted: str, gold: str) -> bool:
    """Gold region against a predicted one; an empty gold region (plan names no place) is not checked.

    Names compare after ``normalize_region``; one may carry a prefix the other lacks (市开发区 and
    开发区 both name the city's development zone in one plan's tables).
    """
    g = normalize_region(gold)
    if not g:
        return True
    p = normalize_region(predicted)
    if not p or p in _GENERIC_REGIONS:
        return False
    return p == g or p.endswith(g) or g.endswith(p)


def years_match(predicted: str, gold: str) -> bool:
    """Gold year against a predicted one; an empty gold year (undated norm) is not checked."""
    g = normalize_year(gold)
    return not g or normalize_year(predicted) == g


# --- targets -------------------------------------------------------------------------------------


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _as_quantity(obj: Any) -> Quantity:
    """A Quantity view of a target row, a gold target or a Quantity, for canonical comparison."""
    if isinstance(obj, Quantity):
        return obj
    value = _get(obj, "value")
    vmax = _get(obj, "value_max")
    return Quantity(
        value=float(value) if value is not None else math.nan,
        value_max=float(vmax) if vmax is not None else None,
        unit=str(_get(obj, "unit", "") or ""),
        comparator=normalize_comparator(str(_get(obj, "comparator", "=") or "=")),
        text=str(_get(obj, "value_text", "") or ""),
        start=-1,
        end=-1,
    )


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def quantity_match(predicted: Quantity, gold: Quantity) -> dict[str, bool]:
    """Value, unit and comparator of two quantities, magnitudes folded (2.4万元 == 24000元, 20% != 20个百分点)."""
    pv, pmax, pu = predicted.canonical()
    gv, gmax, gu = gold.canonical()
    return {
        "value": _close(pv, gv) and _close(pmax, gmax),
        "unit": normalize_unit(pu) == normalize_unit(gu),
        "comparator": normalize_comparator(predicted.comparator) == normalize_comparator(gold.comparator),
    }


def target_match(predicted: Any, gold: Mapping[str, Any]) -> dict[str, bool]:
    """Compare a predicted target (dict, ``Target`` or row-like object) with a gold target, per field.

    Returns:
        ``{"value", "unit", "comparator", "year", "region", "strict"}`` booleans; ``strict`` is all
        of the others.
    """
    out = quantity_match(_as_quantity(predicted), _as_quantity(gold))
    out["year"] = years_match(str(_get(predicted, "year", "") or ""), str(gold.get("year", "") or ""))
    out["region"] = regions_match(str(_get(predicted, "region", "") or ""), str(gold.get("region", "") or ""))
    out["strict"] = all(out[f] for f in FIELDS)
    return out


def claim_match(
    claim: Quantity,
    gold: Mapping[str, Any],
    answer_text: str,
    citations: Sequence[Mapping[str, Any]] = (),
    targets: Sequence[Any] = (),
) -> dict[str, bool]:
    """A numeric claim of the answer text against a gold target.

    A claim has no year or region of its own: those fields count when the gold year (its four-digit
    years, or the period as written) and the gold region are named in the answer text or in a
    citation that supports the claim (its quote, or its ``region`` field).
    """
    out = quantity_match(claim, _as_quantity(gold))
    support = [c for c in citations if citation_supports(c, claim, targets)]
    text = squash(answer_text + "\n".join(str(c.get("quote", "") or "") for c in support))
    regions = squash("\n".join(str(c.get("region", "") or "") for c in support))
    raw_year = str(gold.get("year", "") or "")
    gyear = normalize_year(raw_year)
    if not gyear:
        out["year"] = True
    else:
        years = _YEAR_RE.findall(gyear)
        out["year"] = (
            gyear in text
            or squash(raw_year) in text
            or (bool(years) and all(y in text for y in years))
            or (gyear == "每年" and "全年" in text)
        )
    gregion = normalize_region(str(gold.get("region", "") or ""))
    out["region"] = not gregion or gregion in text or gregion in regions
    out["strict"] = all(out[f] for f in FIELDS)
    return out


# --- claims and citations ------------------------------------------------------------------------


def strip_markers(text: str) -> str:
    """The text without its [n] citation markers."""
    return _MARKER_RE.sub("", text)


def claims(answer_text: str) -> list[Quantity]:
    """Numeric claims of an answer: every quantity except markers, list numbering, years and dates.

    Years (``2025年``, ``2023—2025年``), dates, document numbers and ordinals are left out by
    ``parse_quantities``; a bare four-digit number between 1900 and 2100 with no unit (a year in a
    table header) is left out here.
    """
    text = _LIST_NUMBERING_RE.sub(lambda m: " " * len(m.group(0)), strip_markers(answer_text))
    out: list[Quantity] = []
    for q in parse_quantities(text):
        if not q.unit and q.value_max is None and q.value.is_integer() and 1900 <= q.value <= 2100:
            continue
        out.append(q)
    return out


def _header_units(*texts: str) -> set[str]:
    """Units written as column headers in parentheses: 培养全科医生数（人） -> 人, 占比% -> %."""
    units: set[str] = set()
    for t in texts:
        n = normalize(t or "")
        for m in re.finditer(r"[(（]([^()（）]{1,6})[)）]", n):
            units.add(normalize_unit(m.group(1)))
        if re.search(r"[\u4e00-\u9fff]%", n):
            units.add("%")
    return units


def citation_supports(citation: Mapping[str, Any], claim: Quantity, targets: Sequence[Any] = ()) -> bool:
    """Whether a citation supports a numeric claim (its quote states the claim's value and unit).

    A bare number in the quote (a table cell) supports the claim when the unit comes from a target
    row of the answer for that table row (the citation's ``target_id``, or the same quote) or from a
    header in parentheses in the quote, section or context. A number with another unit never
    does (30张 does not support 30%).
    """
    quote = str(citation.get("quote", "") or "")
    cv, cmax, cu = claim.canonical()
    bare = False
    for q in parse_quantities(quote):
        qv, qmax, qu = q.canonical()
        same = (_close(qv, cv) and _close(qmax, cmax)) or (
            not q.unit and _close(q.value, claim.value) and _close(q.value_max, claim.value_max)
        )
        if not same:
            continue
        if not cu or (q.unit and normalize_unit(qu) == normalize_unit(cu)):
            return True
        bare = bare or not q.unit
    if not bare:
        return False
    tid = citation.get("target_id")
    squote = squash(quote)
    for row in targets:
        linked = (tid and _get(row, "target_id") == tid) or (
            squote and squash(str(_get(row, "quote", "") or "")) == squote
        )
        if linked:
            m = quantity_match(_as_quantity(row), claim)
            if m["value"] and m["unit"]:
                return True
    headers = _header_units(quote, str(citation.get("section", "") or ""), str(citation.get("context", "") or ""))
    return normalize_unit(claim.unit) in headers or normalize_unit(cu) in headers


@dataclass
class CitationScores:
    """Citation recall/precision counts and unsupported numbers of one answer."""

    n_claims: int = 0
    n_claims_supported: int = 0
    n_citations_judged: int = 0
    n_citations_supporting: int = 0
    unsupported: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float | None:
        """Claims supported by a citation of their own sentence, over claims (None without claims)."""
        return self.n_claims_supported / self.n_claims if self.n_claims else None

    @property
    def precision(self) -> float | None:
        """Citations that support a claim of a sentence citing them, over such citations."""
        return self.n_citations_supporting / self.n_citations_judged if self.n_citations_judged else None


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_RE.findall(text) if s.strip()]


def citation_scores(answer: Mapping[str, Any]) -> CitationScores:
    """ALCE-style citation recall and precision on numeric claims, and the unsupported numbers.

    Sentences are cut at 。！？； and line ends, with markers right after the end kept with the
    sentence. A claim is recalled when a citation marked in its sentence supports it; a citation
    is precise when it supports some claim of a sentence that marks it; a claim is unsupported
    when no citation of the whole answer supports it.
    """
    text = str(answer.get("answer", "") or "")
    cits = {int(c.get("n", i + 1)): c for i, c in enumerate(answer.get("citations", []) or [])}
    targets = answer.get("targets", []) or []
    scores = CitationScores()
    judged: dict[int, bool] = {}
    for sentence in _sentences(text):
        sc = claims(sentence)
        if not sc:
            continue
        marked = [int(n) for n in _MARKER_RE.findall(sentence) if int(n) in cits]
        for n in marked:
            judged.setdefault(n, False)
        for claim in sc:
            scores.n_claims += 1
            own = [n for n in marked if citation_supports(cits[n], claim, targets)]
            for n in own:
                judged[n] = True
            if own:
                scores.n_claims_supported += 1
            if not own and not any(citation_supports(c, claim, targets) for c in cits.values()):
                scores.unsupported.append(claim.text)
    scores.n_citations_judged = len(judged)
    scores.n_citations_supporting = sum(judged.values())
    return scores


# --- retrieval -----------------------------------------------------------------------------------


def _hit_text(hit: Any) -> str:
    if isinstance(hit, str):
        return hit
    return str(_get(hit, "text", "") or _get(hit, "quote", "") or "")


def _hit_doc_ok(hit: Any, doc: str) -> bool:
    source = "" if isinstance(hit, str) else str(_get(hit, "source", "") or "")
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
    row_c = [(target_match(r, gold), "row", str(_get(r, "value_text", "") or _get(r, "value", ""))) for r in rows]
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
    phrase is in the answer text; an unanswerable item when the status is ``not_found``. Every
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
    return out

"""How the evaluation matches an answer against gold: normal forms, targets, claims and their citations.

The judge is the evaluation's own, independent of the product's code for the same jobs: its own
comparator words, its own region forms, its own check that a cited quote supports a number.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ingestion.text.normalize import normalize, remove_spaces
from ingestion.text.numbers import Quantity, normalize_unit, parse_quantities

FIELDS = ("value", "unit", "comparator", "year", "region")
"""The fields of a target that ``target_match`` checks, in the order failures are reported."""

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


def get_field(obj: Any, name: str, default: Any = None) -> Any:
    """A field of a typed object or of its JSON form."""
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _as_quantity(obj: Any) -> Quantity:
    """A Quantity view of a target row, a gold target or a Quantity, for canonical comparison."""
    if isinstance(obj, Quantity):
        return obj
    value = get_field(obj, "value")
    vmax = get_field(obj, "value_max")
    return Quantity(
        value=float(value) if value is not None else math.nan,
        value_max=float(vmax) if vmax is not None else None,
        unit=str(get_field(obj, "unit", "") or ""),
        comparator=normalize_comparator(str(get_field(obj, "comparator", "=") or "=")),
        text=str(get_field(obj, "value_text", "") or ""),
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
    out["year"] = years_match(str(get_field(predicted, "year", "") or ""), str(gold.get("year", "") or ""))
    out["region"] = regions_match(str(get_field(predicted, "region", "") or ""), str(gold.get("region", "") or ""))
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
        linked = (tid and get_field(row, "target_id") == tid) or (
            squote and squash(str(get_field(row, "quote", "") or "")) == squote
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

"""Numbers with units and bounds as Chinese plans write them.

Public API that other modules (target extraction, evaluation metrics, answer checks) rely on:

- ``parse_number(s) -> float | None``: "3.5", "３．５", "三", "一百二十", "两" -> float; None if not a number.
- ``parse_quantities(text) -> list[Quantity]``: every quantity with unit and bound as written,
  e.g. "90%以上" -> Quantity(90, None, "%", "≥", "90%以上"), "20—35名" -> (20, 35, "名", "="),
  "1‰—1.5‰" -> (1, 1.5, "‰"), "下降20个百分点" -> unit "个百分点" (never "%"),
  "2.4万元/人·年" -> (2.4, None, "万元/人·年"), "不低于3000平米" -> (3000, "平米", "≥"),
  "18/10万" -> (18, None, "/10万") (a rate per population keeps its denominator as the unit).
- ``Quantity.canonical() -> tuple[float, float | None, str]``: magnitudes folded so 2.4万元 == 24000元.

Rules worth knowing:

- Offsets (``start``/``end``) and ``text`` refer to the string given, never to its normalised form.
- Years (``2025年``, ``2023—2025年``), months and days of dates, document numbers (``〔2023〕30号``),
  ordinals (``第28次``, a session after its term ``第十八届71次``), codes glued to Latin letters (``4C``)
  and digits glued to a Chinese word that is not a unit (``2型糖尿病``) are not quantities.
- A ratio split (``2：8``, ``3∶7``, ``1:1.5``) is no quantity: neither side is a number of its own
  (``ratio_splits(text)`` lists them, for checks that a split is stated where it is claimed).
- Chinese numerals count only when a counting unit follows (``两名``, ``一所``); ``十四五`` is not a number.
- In a list (``分别85%、40%以上``, ``15项、8项以上``) a trailing bound applies to every item, a leading bound
  of the first item (``分别不低于22%和30%``) to every later item without its own, and an item written
  without a unit takes the unit of the last item.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace

from ingestion.text.normalize import DASHES as _DASHES
from ingestion.text.normalize import nfkc
from ingestion.text.rules import alternation, rules

_CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}


@dataclass(frozen=True)
class Quantity:
    """A number with its unit and bound, and where it stands in the text it was parsed from."""

    value: float
    value_max: float | None
    unit: str
    comparator: str
    text: str
    start: int
    end: int

    def canonical(self) -> tuple[float, float | None, str]:
        """Value, maximum and unit with magnitude prefixes folded (2.4万元 -> 24000 元), for comparison."""
        factor, unit = _fold_unit(self.unit)
        vmax = None if self.value_max is None else _round(self.value_max * factor)
        return _round(self.value * factor), vmax, unit


def _round(x: float) -> float:
    return float(round(x, 9))


def _fold_unit(unit: str) -> tuple[float, str]:
    """Split a magnitude prefix off a unit: 万元 -> (1e4, 元), 亿元 -> (1e8, 元), 万人 -> (1e4, 人)."""
    unit = normalize_unit(unit)
    if len(unit) > 1 and unit[0] in _CN_BIG:
        return float(_CN_BIG[unit[0]]), unit[1:]
    if unit.startswith("千") and len(unit) > 1 and unit[1:] in {"元", "人", "米"}:
        return 1000.0, unit[1:]
    return 1.0, unit


def normalize_unit(unit: str) -> str:
    """Normalised spelling of a unit: NFKC, 平方米/㎡ -> 平米, 百分点 -> 个百分点, 周岁 -> 岁, 万人口 -> 万人."""
    u = nfkc(unit).replace(" ", "")
    if u.endswith("人口") and u[:-2] in {"", "万", "千", "亿"}:
        return u[:-2] + "人"  # 2—6万人口 counts people, as 2—6万人 does
    if u in {"平方米", "m2", "m²", "平方"}:
        return "平米"
    if u == "百分点":
        return "个百分点"
    if u == "周岁":
        return "岁"
    return u


def _normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Normalise char by char, keeping for each output char the index of the input char it came from.

    The map has one extra entry (len(text)) so that an end offset maps too.
    """
    out: list[str] = []
    idx: list[int] = []
    for i, ch in enumerate(text):
        n = unicodedata.normalize("NFKC", ch)
        if ch in _DASHES or n in _DASHES:
            n = "-"
        for c in n:
            out.append(c)
            idx.append(i)
    idx.append(len(text))
    norm = "".join(out)
    # 至 between digits is a range dash; same length, so the map holds.
    norm = re.sub(r"(?<=\d)至(?=\d)", "-", norm)
    return norm, idx


def parse_number(s: str) -> float | None:
    """Parse Arabic (also full-width) or Chinese numerals: "3.5", "３．５", "三", "一百二十" -> float."""
    t = nfkc(s).strip().replace(",", "")
    if not t:
        return None
    m = re.fullmatch(r"[+-]?\d+(?:\.\d+)?", t)
    if m:
        return float(t)
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([万亿])", t)
    if m:
        return _round(float(m.group(1)) * _CN_BIG[m.group(2)])
    return _parse_chinese(t)


def _parse_chinese(t: str) -> float | None:
    if not t or any(c not in _CN_DIGITS and c not in _CN_UNITS and c not in _CN_BIG for c in t):
        return None
    if all(c in _CN_DIGITS for c in t) and len(t) > 1:
        # Digit by digit, as in 二〇二五.
        return float(int("".join(str(_CN_DIGITS[c]) for c in t)))
    total = 0
    section = 0
    digit: int | None = None
    for c in t:
        if c in _CN_DIGITS:
            if digit is not None and c not in "零〇":
                return None  # two digits in a row without a unit: not a well-formed numeral
            digit = _CN_DIGITS[c] if c not in "零〇" else None
        elif c in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[c]
            digit = None
        else:  # 万 / 亿
            section += digit or 0
            if section == 0:
                return None
            total += section * _CN_BIG[c]
            section = 0
            digit = None
    section += digit or 0
    return float(total + section)


# --- quantity patterns --------------------------------------------------------------------------
# Units and bound words are wording rules (ingestion/text/rules/units.toml, comparators.toml);
# the patterns are built from them once, on first use. "万元/人·年" style rates: a unit, "/" and a
# denominator of the rules.
# A rate per population written without a unit before the slash: "18/10万", "20.1/10 万", "3/千".
_PER = r"(?:/[ ]?(?:\d{1,4}[ ]?)?[万千百](?![\u4e00-\u9fff]*[元人]))"
_NUM_RE = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+[万亿]?)"


@dataclass(frozen=True)
class _Patterns:
    """The quantity regex and the bound tables, built from the wording rules."""

    qty: re.Pattern[str]
    pre: Mapping[str, str]
    post: Mapping[str, str]
    cn_count_units: frozenset[str]


@functools.cache
def _patterns() -> _Patterns:
    r = rules()
    unit_re = "(?:" + alternation(r.units) + ")"
    # The denominator of a rate, longest first: "/人·年", "/万服务人口", "/年" (rules: rate_denominators).
    dens = sorted({*r.rate_denominators, *(d.replace("·", "・") for d in r.rate_denominators)}, key=len, reverse=True)
    rate = "(?:/(?:" + alternation(dens) + "))"
    pre_re = "(?:" + alternation(sorted(r.before_number, key=len, reverse=True)) + ")"
    post_re = "(?:" + alternation(sorted(r.after_number, key=len, reverse=True)) + ")"
    # Example: "不低于 3000平米", "1‰-1.5‰", "20-35名", "2.4万元/人·年", "85%、40%以上" (items parsed one by one).
    qty = re.compile(
        rf"(?P<pre>{pre_re})?[ ]?"
        rf"(?P<n1>{_NUM_RE})[ ]?(?P<u1>{unit_re}{rate}?|{_PER})?"
        rf"(?:[ ]?-[ ]?(?P<n2>{_NUM_RE})[ ]?(?P<u2>{unit_re}{rate}?|{_PER})?)?"
        rf"[ ]?(?P<post>{post_re})?"
    )
    return _Patterns(qty, r.before_number, r.after_number, frozenset(r.chinese_numeral_units))


_CJK = re.compile(r"[\u3400-\u9fff]")
_FAR_PRE = re.compile(
    r"(最高不超过|最高|最多|不超过|至少|不低于|不少于|超过)"
    r"(?:给予|达到|提高到|提升到|增加到|建成|配备|开展|有|达|为|占)[ ]?$"
)
# A bound a noun phrase and 的 away from its number: 不得低于编制总额的90% (≥), 高于常住人口数的25% (>).
_FAR_OF = re.compile(r"(不得?)?((?:低|少|高|多)于|超过)[^，。；;、,:：\d]{1,10}的[ ]?$")
# A bound before an object and a verb: 至少对各机构进行一次考核 (≥), 最多为每人安排2次 (≤).
_FAR_VERB = re.compile(
    r"(至少|最少|最多|不少于|不超过)[^，。；;、,:：\d]{1,16}(?:进行|开展|组织|召开|参加|安排|给予|举办|接受)[ ]?$"
)
_YEAR_AFTER = re.compile(r"[ ]?年")
# A split between parties (市县按2:8承担, 按照3∶7比例, 1 : 1.5): its sides are no quantities of their own.
_SPLIT = re.compile(r"\d+(?:\.\d+)?[ ]?[:∶][ ]?\d+(?:\.\d+)?")


def ratio_splits(text: str) -> list[str]:
    """The ratio splits of ``text``, each as ``a:b`` (``按照 2：8比例`` -> ``2:8``): no quantities, still claims."""
    norm, _ = _normalize_with_map(text)
    return [m.group(0).replace(" ", "").replace("∶", ":") for m in _SPLIT.finditer(norm)]


def _is_year(v: float | None, raw: str) -> bool:
    return v is not None and raw.isdigit() and len(raw) == 4 and 1900 <= v <= 2100


def parse_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text`` with its unit and bound, offsets into ``text`` (see module docstring)."""
    norm, idx = _normalize_with_map(text)
    found: list[tuple[Quantity, int, int, str | None, str | None]] = []
    pos = 0
    while True:
        m = _patterns().qty.search(norm, pos)
        if not m:
            break
        pos = m.end() if m.end() > m.start() else m.start() + 1
        q = _from_match(norm, m, text, idx)
        if q is None:
            # Retry just after the first number so that "2023-2025年全市300人" still finds 300人.
            pos = max(pos if m.group("n2") is None else m.end("n1"), m.start() + 1)
            continue
        found.append((q, m.start(), m.end(), m.group("post"), m.group("u1") or m.group("u2")))
    return _distribute_lists(norm, found, text, idx)


def _from_match(norm: str, m: re.Match[str], text: str, idx: list[int]) -> Quantity | None:
    n1, n2 = m.group("n1"), m.group("n2")
    u1, u2 = m.group("u1"), m.group("u2")
    pre, post = m.group("pre"), m.group("post")
    s1 = m.start("n1")
    is_cn = not n1[0].isdigit()
    v1 = parse_number(n1)
    if v1 is None:
        return None
    v2 = parse_number(n2) if n2 else None
    before = norm[s1 - 1] if s1 > 0 else ""
    if before == " " and s1 > 1 and norm[s1 - 2] in "第〔[【":
        before = norm[s1 - 2]
    if any(sp.start() <= s1 < sp.end() for sp in _SPLIT.finditer(norm, max(0, s1 - 16), s1 + 16)):
        return None  # a side of a ratio split (2:8)
    # Codes, ordinals, document numbers, dates. A number right after 届 is a session's ordinal
    # (第十八届71次常务会议, 十四届三次全会), never a count.
    if (before.isascii() and before.isalpha()) or (before and before in "第〔[【.届") or before.isdigit():
        return None
    end_num = m.end("n2") if n2 else m.end("n1")
    unit_end = m.end("u2") if u2 else (m.end("u1") if u1 and not n2 else end_num)
    after_unit = norm[unit_end : unit_end + 1]
    after_num1 = norm[m.end("n1") : m.end("n1") + 3].lstrip(" ")
    if _is_year(v1, n1) and (
        _YEAR_AFTER.match(norm, m.end("n1")) or (n2 and _is_year(v2, n2)) or u1 == "年" or u2 == "年"
    ):
        return None
    if not u1 and not u2 and after_num1[:1] in {"月", "日", "号", "版", "届", "期"}:
        return None
    if u1 is None and u2 is None and after_num1.strip()[:1] in {"年"}:
        return None
    if after_unit and after_unit.isascii() and after_unit.isalpha():
        return None
    if after_unit == "性":
        return None  # 一次性补助: "one-off", not a count
    if not u1 and not u2:
        if is_cn:
            return None
        nxt = norm[end_num : end_num + 1]
        if nxt.isascii() and nxt.isalpha():
            return None
        if nxt and _CJK.match(nxt) and not post:
            return None
        if nxt in {"．", "."} and s1 == 0:
            return None
    if is_cn:
        unit0 = u1 or u2 or ""
        if unit0 not in _patterns().cn_count_units:
            return None
    # Ranges: both ends present, ordered, same unit when both are written.
    units_differ = bool(u1 and u2 and normalize_unit(u1) != normalize_unit(u2))
    if n2 is not None and (v2 is None or v2 <= v1 or units_differ or (u1 and not u2)):
        # Not a range: keep only the first number (with its unit when it has one).
        if not u1:
            return None
        end = m.end("u1")
        return _make(v1, None, u1, _patterns().pre.get(pre or "", "="), m.start() if pre else s1, end, text, idx)
    unit = u2 or u1 or ""
    comp = "="
    if pre:
        comp = _patterns().pre[pre]
    if post:
        comp = _patterns().post[post]
    if comp == "=":
        # A bound a verb away from its number: 每处最高给予25万元 (≤), 至少有2名 (≥), 至少建成一家 (≥).
        far = _FAR_PRE.search(norm[max(0, s1 - 8) : s1])
        of = _FAR_OF.search(norm[max(0, s1 - 14) : s1])
        if far:
            comp = _patterns().pre[far.group(1)]
        elif of and ("不" if of.group(1) else "") + of.group(2) in _patterns().pre:
            comp = _patterns().pre[("不" if of.group(1) else "") + of.group(2)]
        elif verb := _FAR_VERB.search(norm[max(0, s1 - 24) : s1]):
            comp = _patterns().pre[verb.group(1)]
    start = m.start() if pre else s1
    end = m.end()
    return _make(v1, v2, unit, comp, start, end, text, idx)


def _make(
    v1: float, v2: float | None, unit: str, comp: str, start: int, end: int, text: str, idx: list[int]
) -> Quantity:
    o_start, o_end = idx[start], idx[end]
    qtext = text[o_start:o_end].rstrip()
    return Quantity(v1, v2, normalize_unit(unit), comp, qtext, o_start, o_start + len(qtext))


_LIST_SEP = re.compile(r"[ ]?(?:、|和|及|与)[ ]?")


def _distribute_lists(
    norm: str, found: list[tuple[Quantity, int, int, str | None, str | None]], text: str, idx: list[int]
) -> list[Quantity]:
    """Apply a trailing bound (and unit) of the last item of an enumeration to the earlier items."""
    out = [f[0] for f in found]
    i = 0
    while i < len(found):
        j = i
        while j + 1 < len(found) and _LIST_SEP.fullmatch(norm[found[j][2] : found[j + 1][1]] or "x"):
            j += 1
        if j > i:
            last = found[j][0]
            first = found[i][0]
            lead = first.comparator if found[i][3] is None and first.comparator != "=" else None
            for k in range(i, j + 1):
                q = out[k]
                if k > i and lead and q.comparator == "=" and found[k][3] is None:
                    q = replace(q, comparator=lead)  # 分别不低于22%和30%: the leading bound holds for every item
                if k < j and found[k][3] is None and q.comparator == "=" and last.comparator != "=":
                    q = replace(q, comparator=last.comparator)
                if not q.unit and last.unit:
                    q = replace(q, unit=last.unit)
                out[k] = q
        i = j + 1
    return out

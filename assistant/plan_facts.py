"""Questions about a named plan's own facts: when it was issued, its 文号, who issued it.

《某某方案》是哪天发布的？ / 某某纲要的文号是多少？ / 那份实施方案是哪个部门发的？ name one stored plan (found by
``assistant.mentions``) and ask for a field of its catalogue metadata. The answer states the value the
catalogue holds, cited to the passage of the plan that states it (its head or its signature block); a
value the text does not state is not given, and a field the catalogue does not hold is said to be
unknown. The asking phrases live in ``rules/plan_facts.toml``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from assistant.mentions import Mention, one_named_plan
from assistant.rule_files import longest_first, read_rules
from assistant.schema import Answer, Citation
from ingestion.metadata import DOC_NUMBER, doc_number_key
from ingestion.schema import Chunk, DocumentRecord
from ingestion.text.normalize import nfkc
from ingestion.text.rules import alternation
from ingestion.text.rules import rules as text_rules

FIELDS = ("date", "doc_number", "issuer")
FIELD_LABELS = {"date": "发布日期", "doc_number": "文号", "issuer": "发文机关"}
MSG_FACT = "《{title}》的{label}：{value}[{n}]。"
MSG_FACT_UNKNOWN = "《{title}》的{label}：文件中没有写明。"
MSG_FACT_UNCITED = "《{title}》的{label}：未能在文件原文中找到写明它的段落。"
# A quote reaches at most this many characters either side of the value, within its clause.
QUOTE_REACH = 40
_CLAUSE_START = "。；;\n（(【"
_CLAUSE_END = "。；;\n）)】"
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


@dataclass(frozen=True)
class FactRules:
    """The wording lists of ``plan_facts.toml``."""

    phrases: dict[str, tuple[str, ...]]
    filler: tuple[str, ...]
    max_rest_chars: int
    issue_verbs: tuple[str, ...] = ()


@functools.cache
def fact_rules() -> FactRules:
    """The plan-fact wording lists (loaded once)."""
    data = read_rules("plan_facts.toml")
    return FactRules(
        phrases={f: longest_first(data[f]) for f in FIELDS},
        filler=longest_first(data["filler"]),
        max_rest_chars=int(data["max_rest_chars"]),
        issue_verbs=longest_first(data.get("issue_verbs", [])),
    )


def asked_fields(question: str, mention_texts: Sequence[str], rules: FactRules | None = None) -> list[str]:
    """The metadata fields ``question`` asks for, in the order asked; [] when it asks anything else too."""
    r = rules or fact_rules()
    rest = nfkc(question)
    for text in sorted(mention_texts, key=len, reverse=True):
        rest = rest.replace(nfkc(text), " ")
    found: list[tuple[int, str]] = []
    for name in FIELDS:
        pattern = re.compile(alternation(r.phrases[name]))
        first = pattern.search(rest)
        if first is None:
            continue
        found.append((first.start(), name))
        rest = pattern.sub(" ", rest)
    if not found:
        return []
    for word in r.filler:
        rest = rest.replace(word, " ")
    if len(re.findall(r"[\u4e00-\u9fff]", rest)) > r.max_rest_chars:
        return []
    return [name for _, name in sorted(found)]


_CN_DIGITS = "〇一二三四五六七八九"


def _cn_small(n: int) -> str:
    """``n`` (1-31) in Chinese numerals as dates write it: 十, 十二, 二十, 三十一."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[ones] if ones else "")


def _date_words(iso: str) -> tuple[str, re.Pattern[str]] | None:
    """``2016-10-25`` as 2016年10月25日, and a pattern finding it as a text writes it.

    Spaces and leading zeros may stand in it, and a signature may write it in Chinese numerals
    (二〇一六年十月二十五日).
    """
    m = _ISO_DATE.match(iso.strip())
    if not m:
        return None
    year, month, day = m.groups()
    shown = f"{year}年"
    arabic = rf"{year}\s*年"
    chinese = "".join("[〇零○]" if d == "0" else _CN_DIGITS[int(d)] for d in year) + "年"
    if month:
        shown += f"{int(month)}月"
        arabic += rf"\s*0?{int(month)}\s*月"
        chinese += f"{_cn_small(int(month))}月"
        if day:
            shown += f"{int(day)}日"
            arabic += rf"\s*0?{int(day)}\s*日"
            chinese += f"{_cn_small(int(day))}日"
    return shown, re.compile(f"{arabic}|{chinese}")


def _issuer_pattern(issuer: str) -> re.Pattern[str]:
    """The issuer as a text may write it: spaces anywhere, 、 or a space between joint issuers."""
    parts = [p for p in re.split(r"[、，,\s]+", nfkc(issuer)) if p]
    return re.compile(r"[、，,\s]*".join(r"\s*".join(re.escape(c) for c in p) for p in parts))


def _short_issuer_finder(
    issuer: str, region: str, title: str, rules: FactRules | None = None
) -> Callable[[str], re.Match[str] | None] | None:
    """The issuer written without its own place name, as a report about the plan writes it.

    A province's 某省人民政府办公厅 is 省人民政府办公厅 in a sentence such as
    ``近日，省人民政府办公厅印发《某省营养计划》``. The short form counts only right before an issuing
    verb and the plan's own title in 《》, and not after another name's characters (乙省人民政府…).
    """
    r = rules or fact_rules()
    issuer, region, title = nfkc(issuer).strip(), nfkc(region).strip(), nfkc(title).strip()
    suffix = next((s for s in text_rules().admin_suffixes if region.endswith(s)), "")
    if not (suffix and title and r.issue_verbs and issuer.startswith(region) and len(region) > len(suffix)):
        return None
    short = issuer[len(region) - len(suffix) :]
    if len(short) <= len(suffix) + 1:
        return None
    pattern = re.compile(
        rf"(?<![\u4e00-\u9fff]){_issuer_pattern(short).pattern}(?=(?:{alternation(r.issue_verbs)})《([^《》]*)》)"
    )
    bare_title = re.sub(r"\s+", "", title)

    def find(text: str) -> re.Match[str] | None:
        for m in pattern.finditer(text):
            named = re.sub(r"\s+", "", nfkc(m.group(1)))
            if named and (named in bare_title or bare_title in named):
                return m
        return None

    return find


def _number_finder(doc_number: str) -> Callable[[str], re.Match[str] | None] | None:
    key = doc_number_key(doc_number)
    if key is None:
        return None

    def find(text: str) -> re.Match[str] | None:
        for m in DOC_NUMBER.finditer(text):
            if (m.group(1).endswith(key[0]), m.group(2), m.group(3)) == (True, key[1], key[2]):
                return m
        return None

    return find


def _finder(name: str, value: str) -> tuple[str, Callable[[str], re.Match[str] | None]] | None:
    """How the value is shown in the answer, and a function finding it in a passage's (NFKC) text."""
    if name == "date":
        dated = _date_words(value)
        if dated is None:
            return None
        shown, pattern = dated
        return shown, pattern.search
    if name == "doc_number":
        find = _number_finder(value)
        return (re.sub(r"\s+", "", value), find) if find else None
    return value, _issuer_pattern(value).search


def _clause(text: str, start: int, end: int) -> str:
    """The clause around ``text[start:end]``, at most QUOTE_REACH characters either side."""
    lo = max(start - QUOTE_REACH, 0)
    cut = max(text.rfind(c, lo, start) for c in _CLAUSE_START)
    lo = cut + 1 if cut >= 0 else lo
    hi = min(end + QUOTE_REACH, len(text))
    ends = [i for i in (text.find(c, end, hi) for c in _CLAUSE_END) if i >= 0]
    hi = min(ends) if ends else hi
    return text[lo:hi].strip()


def _stated(chunks: Sequence[Chunk], find: Callable[[str], re.Match[str] | None]) -> tuple[Chunk, str] | None:
    """The first passage (the head before the signature) that states the value, and the clause quoting it."""
    for chunk in sorted(chunks, key=lambda c: c.ord):
        text = nfkc(chunk.text)
        m = find(text)
        if m is None:
            continue
        # The quote comes from the passage as stored when NFKC kept its length (offsets still hold).
        source = chunk.text if len(chunk.text) == len(text) else text
        return chunk, _clause(source, m.start(), m.end())
    return None


def plan_fact_answer(
    question: str,
    mentions: Sequence[Mention],
    docs: Mapping[str, DocumentRecord],
    chunks_of: Callable[[str], Sequence[Chunk]],
    allowed: set[str] | None = None,
) -> Answer | None:
    """The answer to a question about one named plan's date, 文号 or issuer; None for any other question."""
    doc = one_named_plan(mentions, docs, allowed)
    if doc is None:
        return None
    fields = asked_fields(question, [m.text for m in mentions])
    if not fields:
        return None
    chunks = chunks_of(doc.doc_id)
    title = doc.meta.title or doc.source
    lines: list[str] = []
    citations: list[Citation] = []
    for name in fields:
        label = FIELD_LABELS[name]
        value = str(getattr(doc.meta, name) or "").strip()
        shown_find = _finder(name, value) if value else None
        if shown_find is None:
            lines.append(MSG_FACT_UNKNOWN.format(title=title, label=label))
            continue
        shown, find = shown_find
        stated = _stated(chunks, find)
        if stated is None and name == "issuer":
            short = _short_issuer_finder(value, doc.meta.region or "", title)
            stated = _stated(chunks, short) if short else None
        if stated is None:
            lines.append(MSG_FACT_UNCITED.format(title=title, label=label))
            continue
        chunk, quote = stated
        same = next((c for c in citations if c.chunk_id == chunk.chunk_id and c.quote == quote), None)
        n = same.n if same else len(citations) + 1
        if same is None:
            citations.append(Citation.of_chunk(n, doc, chunk, quote))
        lines.append(MSG_FACT.format(title=title, label=label, value=shown, n=n))
    return Answer(
        question=question,
        answer="\n".join(lines),
        status="answered" if citations else "not_found",
        citations=citations,
        resolved_question=f"《{title}》 " + "、".join(FIELD_LABELS[f] for f in fields),
    )

"""Questions about a named plan as a document: the meeting that adopted it, the document it implements, its parts.

某某方案是在哪次会议上审议通过的？ / 是根据省里哪个文件制定的？ / 一共几部分内容，分别是啥？ name one stored plan
(found by ``assistant.mentions``) and ask about the document itself, not about a target or a requirement in it.
They are answered from the plan's own text, each statement quoting and citing the passage it rests on:

- the meeting: the first sentence of the plan's head (before its first top-level heading) holding a
  sign of adoption (审议通过, 审定, 会议研究同意), quoted whole;
- the basis: the 《…》 titles cited after a basis word (根据, 贯彻, 落实, 按照) in the head, each with its
  文号 in the brackets right after it, when there are any;
- the parts: a sentence stating its parts (包括5部分内容：一是…二是…) gives them in its own words, else the
  plan's top-level headings (一、…, 二、…) from its section tree.

Issuer and date questions are answered by ``assistant.plan_facts`` from the catalogue metadata. The cue
words and the wording of the answers live in ``rules/doc_facts.toml``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from assistant.mentions import Mention, one_named_plan
from assistant.rule_files import longest_first, read_rules
from assistant.schema import Answer, Citation
from ingestion.schema import Chunk, DocumentRecord
from ingestion.text.normalize import nfkc
from ingestion.text.rules import alternation
from ingestion.text.rules import rules as text_rules

ASKS = ("meeting", "basis", "parts")
# The next part of an enumeration (二是…) starts within this many characters of the previous one.
ITEM_REACH = 1500
# A part's quote reaches at most this many characters past its name.
QUOTE_REACH = 40
_CN = "一二三四五六七八九十"
_SENTENCE_END = "。！？!?；;\n"
# 一、总体目标: a top-level heading (the first part of a chunk's section path).
_TOP_HEADING = re.compile(rf"^\s*([{_CN}]{{1,3}})\s*、\s*(\S.{{0,40}})$")
# 《关于印发…的通知》（某卫健〔2024〕58号）: a cited title and the bracket right after it, if any.
_CITED = re.compile(r"《([^《》]{2,80})》(?:\s*[（(]([^（）()]{2,30})[）)])?")
_DOC_NUMBER_IN = re.compile(r"[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d+\s*号")


@dataclass(frozen=True)
class DocFactRules:
    """The wording lists of ``doc_facts.toml``."""

    cues: dict[str, tuple[str, ...]]
    basis_verbs: tuple[str, ...]
    adoption_marks: tuple[str, ...]
    basis_marks: tuple[str, ...]
    count_verbs: tuple[str, ...]
    self_words: tuple[str, ...]
    filler: tuple[str, ...]
    max_rest_chars: int
    messages: dict[str, str]


@functools.cache
def doc_fact_rules() -> DocFactRules:
    """The document-fact wording lists (loaded once)."""
    data = read_rules("doc_facts.toml")
    return DocFactRules(
        cues={a: longest_first(data["cues"][a]) for a in ASKS},
        basis_verbs=longest_first(data["basis_verbs"]),
        adoption_marks=longest_first(data["adoption_marks"]),
        basis_marks=longest_first(data["basis_marks"]),
        count_verbs=longest_first(data["count_verbs"]),
        self_words=longest_first(data["self_words"]),
        filler=longest_first(data["filler"]),
        max_rest_chars=int(data["max_rest_chars"]),
        messages=dict(data["messages"]),
    )


def asked_places(question: str, mention_texts: Sequence[str], places: Sequence[str]) -> list[str]:
    """The ``places`` standing in ``question`` outside the plan's name (依据甲省和乙市哪些文件: 甲省, 乙市)."""
    rest = nfkc(question)
    for text in sorted(mention_texts, key=len, reverse=True):
        rest = rest.replace(nfkc(text), " ")
    return [p for p in dict.fromkeys(nfkc(x) for x in places) if p and p in rest]


def asked_fact(
    question: str, mention_texts: Sequence[str], rules: DocFactRules | None = None, places: Sequence[str] = ()
) -> str | None:
    """What ``question`` asks about the document (meeting, basis or parts); None when it asks anything else.

    Once the plan's name, the cue and the filler are removed, at most ``max_rest_chars`` Chinese characters
    may be left (so 方案里哪些事项要经会议审议通过 stays a requirement question). Places the question names
    for the basis (依据甲省和乙市哪些文件) say whose documents are asked, so they are removed too.
    """
    r = rules or doc_fact_rules()
    rest = nfkc(question)
    for text in sorted(mention_texts, key=len, reverse=True):
        rest = rest.replace(nfkc(text), " ")
    for ask in ASKS:
        pattern = re.compile(alternation(r.cues[ask]))
        if pattern.search(rest) is None:
            continue
        left = pattern.sub(" ", rest)
        if ask == "basis":
            verbs = re.compile(alternation(r.basis_verbs))
            if verbs.search(left) is None:
                continue  # 哪个文件 alone: not about what the plan implements
            left = verbs.sub(" ", left)
            for place in sorted(asked_places(question, mention_texts, places), key=len, reverse=True):
                left = left.replace(place, " ")
        for word in r.filler:
            left = left.replace(word, " ")
        if len(re.findall(r"[\u4e00-\u9fff]", left)) <= r.max_rest_chars:
            return ask
    return None


@dataclass(frozen=True)
class _Said:
    """A statement of the answer and the passage quoting it."""

    text: str
    chunk: Chunk
    quote: str


def _sentences(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each sentence of ``text``, its end mark included."""
    spans, start = [], 0
    for i, ch in enumerate(text):
        if ch in _SENTENCE_END:
            if text[start : i + 1].strip():
                spans.append((start, i + 1))
            start = i + 1
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _top(chunk: Chunk) -> str:
    """The chunk's top-level section (its section path's first part)."""
    return chunk.section.split(" > ")[0].strip() if chunk.section else ""


def _head(chunks: Sequence[Chunk]) -> list[Chunk]:
    """The plan's chunks before its first top-level heading (all of them when it has none)."""
    ordered = sorted(chunks, key=lambda c: c.ord)
    first = next((i for i, c in enumerate(ordered) if _TOP_HEADING.match(_top(c))), None)
    return ordered if first is None else ordered[:first]


def _clean_quote(text: str) -> str:
    return re.sub(r"\s*\n\s*", "", text).strip()


def _meeting(chunks: Sequence[Chunk], r: DocFactRules) -> list[_Said]:
    marks = re.compile(alternation(r.adoption_marks))
    for chunk in _head(chunks):
        for a, b in _sentences(chunk.text):
            sentence = _clean_quote(chunk.text[a:b])
            if marks.search(nfkc(sentence)):
                return [_Said(sentence.rstrip("。；;"), chunk, sentence)]
    return []


def _basis(chunks: Sequence[Chunk], r: DocFactRules) -> list[_Said]:
    marks = re.compile(alternation(r.basis_marks))
    for chunk in _head(chunks):
        for a, b in _sentences(chunk.text):
            sentence = _clean_quote(chunk.text[a:b])
            mark = marks.search(sentence)
            if mark is None:
                continue
            said = []
            for m in _CITED.finditer(sentence, mark.end()):
                bracket = m.group(2) or ""
                shown = f"《{m.group(1)}》" + (f"（{bracket}）" if _DOC_NUMBER_IN.search(nfkc(bracket)) else "")
                said.append(_Said(shown, chunk, sentence))
            if said:
                return said
    return []


def _of_places(said: list[_Said], places: Sequence[str]) -> list[_Said]:
    """The cited titles that carry one of the ``places`` asked (its name with or without its suffix).

    All of them when none carries any: the question's places then do not sort the titles.
    """
    names = {n for p in places for n in (p, _place_name(p)) if len(n) >= 2}
    kept = [s for s in said if any(n in nfkc(s.text) for n in names)]
    return kept or said


def _place_name(place: str) -> str:
    """A place's name without its administrative suffix (白鹭市 -> 白鹭), when two characters remain."""
    for suffix in text_rules().admin_suffixes:
        if place.endswith(suffix) and len(place) - len(suffix) >= 2:
            return place[: -len(suffix)]
    return place


def _joined(chunks: Sequence[Chunk]) -> tuple[str, list[tuple[int, Chunk]]]:
    """The plan's passages joined in order, and where each starts in the joined text."""
    parts: list[str] = []
    starts: list[tuple[int, Chunk]] = []
    at = 0
    for chunk in sorted(chunks, key=lambda c: c.ord):
        starts.append((at, chunk))
        parts.append(chunk.text)
        at += len(chunk.text) + 1
    return "\n".join(parts), starts


def _chunk_at(starts: Sequence[tuple[int, Chunk]], pos: int) -> Chunk:
    return next(c for at, c in reversed(starts) if at <= pos)


def _enumerated(chunks: Sequence[Chunk], r: DocFactRules) -> list[_Said]:
    """A sentence stating the parts (包括5部分内容：一是…。二是…。) and its parts in its own words."""
    count = re.compile(rf"(?:{alternation(r.count_verbs)})\s*(?:\d+|[{_CN}]+)\s*(?:个|大)?(?:部分|方面)")
    text, starts = _joined(chunks)
    for m in count.finditer(text):
        colon = re.match(r"[^。；;\n]{0,6}[：:]", text[m.end() :])
        if colon is None:
            continue
        lo = max(text.rfind(c, 0, m.start()) for c in _SENTENCE_END) + 1
        subject = text[lo : m.start()]
        if "》" not in subject and not any(w in subject for w in r.self_words):
            continue  # 重点任务包括三个方面：…: the parts of a task, not of the document
        stated = _clean_quote(text[lo : m.end() + colon.end() - 1])
        said = [_Said(stated, _chunk_at(starts, m.start()), stated)]
        pos = m.end() + colon.end()
        for numeral in _CN[:9]:
            part = re.compile(rf"{numeral}是([^。；;，,：:\n]{{2,24}})[。；;，,：:]")
            item = part.search(text, pos, pos + ITEM_REACH)
            if item is None:
                break
            ends = [i for i in (text.find(c, item.end()) for c in _SENTENCE_END) if i >= 0]
            stop = min([*ends, item.end() + QUOTE_REACH, len(text)])  # a line end closes the passage too
            quote = _clean_quote(text[item.start() : stop + 1])
            said.append(_Said(f"{numeral}是{item.group(1)}", _chunk_at(starts, item.start()), quote))
            pos = item.end()
        if len(said) >= 3:
            return said
    return []


def _headings(chunks: Sequence[Chunk]) -> list[_Said]:
    """The plan's top-level headings in order (一、二、三…), each cited to the first passage under it."""
    said: list[_Said] = []
    for chunk in sorted(chunks, key=lambda c: c.ord):
        top = _top(chunk)
        m = _TOP_HEADING.match(top)
        if m is None or any(s.text == top for s in said):
            continue
        if len(said) >= len(_CN) or m.group(1) != _CN[len(said)]:
            break  # the numbering must run 一、二、三… without a gap
        said.append(_Said(top, chunk, top))
    return said if len(said) >= 2 else []


def _titled(title: str) -> str:
    """The title in 《》, unless it opens with a quoted title itself (《某计划》文件解读)."""
    return title if title.startswith("《") else f"《{title}》"


def doc_fact_answer(
    question: str,
    mentions: Sequence[Mention],
    docs: Mapping[str, DocumentRecord],
    chunks_of: Callable[[str], Sequence[Chunk]],
    allowed: set[str] | None = None,
    places: Sequence[str] = (),
) -> Answer | None:
    """The answer to a question about one named plan's meeting, basis or parts; None for any other question.

    ``places`` are the places the question names; a basis question naming some (依据甲省和乙市哪些文件) is
    answered by the cited titles carrying them.
    """
    doc = one_named_plan(mentions, docs, allowed)
    if doc is None:
        return None
    r = doc_fact_rules()
    named = [m.text for m in mentions]
    ask = asked_fact(question, named, r, places)
    if ask is None:
        return None
    chunks = chunks_of(doc.doc_id)
    title = _titled(doc.meta.title or doc.source)
    stated = sorted_out = False
    asked: list[str] = []
    if ask == "meeting":
        said = _meeting(chunks, r)
    elif ask == "basis":
        cited = _basis(chunks, r)
        asked = asked_places(question, named, places)
        said = _of_places(cited, asked)
        sorted_out = len(said) < len(cited)
    else:
        said = _enumerated(chunks, r)  # its first statement is the sentence stating the parts
        stated = bool(said)
        said = said or _headings(chunks)
    msg = r.messages
    if not said:
        return Answer(
            question=question,
            answer=msg[f"{ask}_none"].format(title=title),
            status="not_found",
            resolved_question=f"{title} {ask}",
        )
    citations: list[Citation] = []
    lines: list[str] = []
    for s in said:
        same = next((c for c in citations if c.chunk_id == s.chunk.chunk_id and c.quote == s.quote), None)
        n = same.n if same else len(citations) + 1
        if same is None:
            citations.append(Citation.of_chunk(n, doc, s.chunk, s.quote))
        lines.append(f"{s.text}[{n}]")
    if ask == "parts":
        items = lines[1:] if stated else lines
        lead = msg["parts_stated"].format(title=title, said=lines[0]) if stated else msg["parts"].format(title=title)
        body = lead + "\n" + "\n".join(f"- {line}" for line in items)
    elif ask == "basis":
        key = "basis_of_places" if sorted_out and "basis_of_places" in msg else "basis"
        body = msg[key].format(title=title, cited="、".join(lines), places="、".join(asked))
    else:
        body = msg["meeting"].format(title=title, said=lines[0])
    return Answer(
        question=question,
        answer=body,
        status="answered",
        citations=citations,
        resolved_question=f"{title} {ask}",
    )

"""Plans named in a question: found anywhere in it, resolved to a stored plan, removed from the wording.

A question may name its plan by a title in 《》, a 文号 (某政办发〔2023〕30号), a phrase ending in a
kind of document (…实施方案里, 那份…方案，, 纲要里, issuer or region plus kind), or the province of a
document the plan implements with a pointer (某省那个市: the plan's basis region, see ingestion/metadata.py).
The phrase is matched against every plan's title, issuer, 文号 and regions (its own and its basis regions)
by IDF-weighted character bigrams (a bigram that only
one plan has weighs most); a clear best match above a threshold restricts the answer to that plan, and the
phrase leaves the indicator's wording. A phrase that clearly names a plan (《》, a 文号, a long name) but
fits none is reported, so the answer can say the plan is not in the library. Wording lists live in
``rules/mentions.toml``.
"""

from __future__ import annotations

import functools
import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assistant.rule_files import longest_first, read_rules
from assistant.understanding import bigrams
from ingestion.metadata import DOC_NUMBER, doc_number_key
from ingestion.schema import DocumentRecord
from ingestion.text.normalize import nfkc
from ingestion.text.rules import alternation
from ingestion.text.rules import rules as text_rules

# A clear match covers at least this IDF-weighted share of the phrase, and leads the runner-up by MARGIN.
MIN_SCORE = 0.5
MARGIN = 0.1
# A phrase scoring under this against every plan names a plan the library does not hold.
UNKNOWN_BELOW = 0.45
# A phrase of at least this many characters (fillers removed) clearly names a plan.
NAME_MIN_CHARS = 6
MAX_NAME_CHARS = 40
# A 文号 no stored plan has keeps at most this many characters before its bracket as its 机关代字.
UNKNOWN_CODE_CHARS = 8
# A question left with fewer characters than this once the name is removed is about the name itself.
MIN_REST_CHARS = 7
# A strong name of at least this many characters standing whole in exactly one title names that plan.
PART_MIN_CHARS = 4
# A higher place before the catalogue's own (a province before a city): two to four characters (云梦, 云梦省,
# 内蒙古区 …); longer leading text is a sentence, not a place.
OUTER_PLACE_MIN_CHARS = 2
OUTER_PLACE_MAX_CHARS = 4

_TITLE = re.compile(r"《([^》]{2,80})》")
_LEADING_YEAR = re.compile(r"^(?:到|至|截至)?(?:20\d{2}年(?:底|末)?)")
_QUOTED = re.compile(r"[“\"]([^”\"]{2,20})[”\"]")
_TRAILING_BRACKET = re.compile(r"[（(][^）)]*[）)]$")
_QUOTES = re.compile(r"[《》“”\"]")


@dataclass(frozen=True)
class MentionRules:
    """The wording lists of ``mentions.toml``."""

    kinds: tuple[str, ...]
    bare_nicknames: frozenset[str]
    connectors: tuple[str, ...]
    followers: tuple[str, ...]
    fillers: tuple[str, ...]
    leading: tuple[str, ...]
    joiners: tuple[str, ...]
    short_forms: dict[str, tuple[str, ...]]
    place_pointers: tuple[str, ...] = ()
    question_words: tuple[str, ...] = ()
    verb_markers: tuple[str, ...] = ()
    plural_pointers: tuple[str, ...] = ()
    national_places: tuple[str, ...] = ()
    national_region: str = ""
    generic_kinds: frozenset[str] = frozenset()
    number_nouns: tuple[str, ...] = ()
    issue_verbs: tuple[str, ...] = ()
    issuer_min_share: float = 1.0
    subject_markers: tuple[str, ...] = ()
    subject_marker_blockers: tuple[str, ...] = ()


@functools.cache
def mention_rules() -> MentionRules:
    """The mention wording lists (loaded once)."""
    data = read_rules("mentions.toml")
    return MentionRules(
        kinds=longest_first(data["kinds"]),
        bare_nicknames=frozenset(data["bare_nicknames"]),
        connectors=longest_first(data["connectors"]),
        followers=longest_first(data["followers"]),
        fillers=longest_first(data["fillers"]),
        leading=longest_first(data["leading"]),
        joiners=tuple(data["joiners"]),
        short_forms={k: tuple(v) for k, v in data.get("short_forms", {}).items()},
        place_pointers=longest_first(data["place_pointers"]),
        question_words=longest_first(data.get("question_words", [])),
        verb_markers=longest_first(data.get("verb_markers", [])),
        plural_pointers=longest_first(data.get("plural_pointers", [])),
        national_places=tuple(data.get("national_places", [])),
        national_region=str(data.get("national_region", "")),
        generic_kinds=frozenset(data.get("generic_kinds", [])),
        subject_markers=longest_first(data.get("subject_markers", [])),
        subject_marker_blockers=tuple(data.get("subject_marker_blockers", [])),
        number_nouns=longest_first(data.get("number_nouns", [])),
        issue_verbs=longest_first(data.get("issue_verbs", [])),
        issuer_min_share=float(data.get("issuer_min_share", 1.0)),
    )


@dataclass(frozen=True)
class Mention:
    """A plan named in a question: the words, the plan they fit (None: no stored plan) and the question without them."""

    text: str
    doc_id: str | None
    rest: str
    joined: bool = False


@dataclass(frozen=True)
class _Span:
    start: int
    end: int  # after the connector, when there is one
    name: str
    strong: bool  # 《》, a 文号 or a long name followed by a connector: surely a plan's name
    joined: bool = False  # the name followed 和/与 (某市和…的方案): the question compares plans
    doc: str | None = None  # the plan, when the span is a title's quoted short name
    keep: bool = False  # a short name inside the question's own wording (出台某某具体计划): restrict, keep the words


class MentionResolver:
    """Finds and resolves plan mentions against the stored plans' titles and metadata."""

    def __init__(self, docs: Sequence[DocumentRecord], rules: MentionRules | None = None) -> None:
        self.rules = rules or mention_rules()
        self.docs = list(docs)
        self._grams: dict[str, set[str]] = {}
        self._titles: dict[str, str] = {}
        self._numbers: dict[str, tuple[str, str, str]] = {}
        quoted: dict[str, set[str]] = defaultdict(set)
        basis: dict[str, set[str]] = defaultdict(set)
        own: set[str] = set()
        self._places_of: dict[str, tuple[str, ...]] = {}
        self._issuers: dict[str, tuple[set[str], set[str]]] = {}  # doc -> (issuer's bigrams, its places' bigrams)
        kinds = alternation(self.rules.kinds)
        self._kind_re = re.compile(kinds)
        for d in self.docs:
            m = d.meta
            title = nfkc(m.title)
            self._titles[d.doc_id] = title
            regions = [m.region, m.parent_region]
            own.update(_place_names(r) for r in regions if r)
            own.update(nfkc(r) for r in regions if r)
            places = {_place_names(r) for r in regions if r} | {nfkc(r) for r in regions if r}
            self._places_of[d.doc_id] = tuple(longest_first(n for n in places if len(n) >= 2))
            issuer = nfkc(m.issuer or "")
            if issuer:
                issuer_grams = bigrams(" ".join([issuer, *self._shortened(issuer)]))
                self._issuers[d.doc_id] = (issuer_grams, {b for p in places for b in bigrams(p)})
            for region in m.basis_regions:
                basis[nfkc(region)].add(d.doc_id)
                basis[_place_names(region)].add(d.doc_id)
            profile = " ".join([title, nfkc(m.issuer), *regions, *m.basis_regions])
            profile += " " + " ".join(self._shortened(profile))
            self._grams[d.doc_id] = bigrams(profile)
            key = doc_number_key(m.doc_number) if m.doc_number else None
            if key:
                self._numbers[d.doc_id] = key
            for short in _QUOTED.findall(title):
                quoted[short].add(d.doc_id)
        # A title's quoted short name (某市“三提升”工程实施方案 -> 三提升) names that plan when no other title has it.
        self._short_names = {k: next(iter(v)) for k, v in quoted.items() if len(v) == 1}
        names = alternation(longest_first(self._short_names))
        self._short_re = re.compile(rf"[“\"]?({names})[”\"]?(?:工程)?(?:{kinds})?") if names else None
        # A basis region (and its name without suffix) names the one plan implementing a document from there,
        # unless a plan is from there itself.
        self._basis = {k: next(iter(v)) for k, v in basis.items() if len(v) == 1 and k not in own and len(k) >= 2}
        self._own_places = tuple(longest_first(p for p in own if len(p) >= 2))
        pointers = alternation(self.rules.place_pointers)
        self._kind_tail = re.compile(rf"(?:{alternation(self.rules.fillers)})*(?:{kinds})")
        self._pointer = re.compile(rf"[^\s，,。？?！!；;：:]{{2,12}}?(?:{pointers})") if pointers else None
        # Bigram -> plans holding it: a name is scored only against the plans that share a bigram with it.
        self._postings: dict[str, list[str]] = defaultdict(list)
        for doc_id, g in self._grams.items():
            for b in g:
                self._postings[b].append(doc_id)
        n = max(len(self._grams), 1)
        self._idf = {b: math.log(1 + n / len(docs)) for b, docs in self._postings.items()}
        self._unknown = math.log(1 + n)
        self._phrase = re.compile(rf"[^\s，,。？?！!；;：:]{{0,{MAX_NAME_CHARS}}}?(?:{kinds})")
        # A draft marker after a title (the draft words of ingestion's places.toml): part of the plan's name.
        self._draft_re = re.compile(rf"\s*[（(]?\s*(?:{alternation(text_rules().draft_markers)})\s*[）)]?")

    # ---- finding ------------------------------------------------------------------------------

    def _after(self, q: str, end: int) -> tuple[int, bool]:
        """Where a name ending at ``end`` ends with its connector, and whether a connector or follower is there."""
        for c in self.rules.connectors:
            if q.startswith(c, end):
                return end + len(c), True
        if end >= len(q) or any(q.startswith(f, end) for f in self.rules.followers):
            return end, True
        return end, False

    def _past_draft(self, q: str, end: int) -> int:
        """Where a draft marker after a title ends (《X》征求意见稿, 《X》（草案）), else ``end``."""
        m = self._draft_re.match(q, end)
        return m.end() if m else end

    def _spans(self, q: str) -> list[_Span]:
        spans: list[_Span] = []
        taken: list[tuple[int, int]] = []

        def free(a: int, b: int) -> bool:
            return all(b <= s or a >= e for s, e in taken)

        for m in _TITLE.finditer(q):
            end, _ = self._after(q, self._past_draft(q, m.end()))
            spans.append(_Span(m.start(), end, m.group(1), True))
            taken.append((m.start(), m.end()))
        for m in DOC_NUMBER.finditer(q):
            # The characters before the bracket may hold question words too (签约率在连政办发〔2023〕30号里):
            # the 文号 starts where a stored plan's 机关代字 does.
            start = m.start() + self._code_offset(m.group(1), m.group(2), m.group(3))
            if free(start, m.end()):
                # 某政办发〔2024〕25号文件里: a word naming the document goes with its number.
                noun = next((w for w in self.rules.number_nouns if q.startswith(w, m.end())), "")
                end, _ = self._after(q, m.end() + len(noun))
                spans.append(_Span(start, end, q[start : m.end()], True))
                taken.append((start, m.end()))
        for m in self._short_re.finditer(q) if self._short_re else ():
            if free(m.start(), m.end()):
                end, connected = self._after(q, m.end())
                keep = m.start() > 0 and not connected
                doc = self._short_names[m.group(1)]
                spans.append(_Span(m.start(), end, m.group(0), True, doc=doc, keep=keep))
                taken.append((m.start(), m.end()))
        for m in self._pointer.finditer(q) if self._pointer else ():
            start, name, joined = self._trim(m.start(), m.group(0))
            pointer = next((p for p in self.rules.place_pointers if name.endswith(p)), "")
            place = name[: len(name) - len(pointer)]
            # The longest tail of the words before the pointer that is a basis region (比例山东那个市: 山东).
            at = next((k for k in range(len(place) - 1) if place[k:].rstrip("的") in self._basis), None)
            if at is None or not free(start + at, m.end()):
                continue
            tail = self._kind_tail.match(q, m.end())  # 某省那边的方案: the kind after the pointer goes with it
            stop = tail.end() if tail else m.end()
            end, _ = self._after(q, stop)
            based = self._basis[place[at:].rstrip("的")]
            spans.append(_Span(start + at, end, q[start + at : stop], True, joined, doc=based))
            taken.append((start + at, stop))
        pos = 0
        while pos < len(q):
            found = self._phrase.search(q, pos)
            if found is None:
                break
            stop = found.end()
            # 健康中国行动意见: kinds in a row (行动 then 意见) end one name, at the last of them.
            while (more := self._kind_tail.match(q, stop)) is not None and more.end() > stop:
                stop = more.end()
            pos = stop
            begin = found.start()
            if not free(begin, stop):
                # 甲市双提升和乙市三年行动: a short name taken before the kind starts the phrase early; the phrase
                # after it, past a joiner, may name another plan.
                ends = [e for s, e in taken if s < stop and e > begin]
                after = max(ends)
                rest = q[after:stop]
                joiner = next((j for j in self.rules.joiners if rest.startswith(j)), "")
                if not joiner or not free(after, stop):
                    continue
                begin = after + len(joiner)
            start, name, joined = self._trim(begin, q[begin:stop], subject=True)
            if self._is_verb(name):
                continue  # 按…来规划的: the kind word is the question's verb
            if any(p in name for p in self.rules.plural_pointers):
                continue  # 健康体重这些专项行动: things named in a plan, not a plan's name
            end, connected = self._after(q, stop)
            asks = any(w in name for w in self.rules.question_words)
            strong = connected and not asks and len(self._clean(name)) >= NAME_MIN_CHARS
            spans.append(_Span(start, end, name, strong, joined))
        return sorted(spans, key=lambda s: s.start)

    def _is_verb(self, name: str) -> bool:
        """Whether the kind word ending ``name`` follows a verb marker (来规划, 如何计划): a verb, not a document."""
        kind = self._kind(name)
        head = name[: len(name) - len(kind)] if kind and name.endswith(kind) else name
        return any(head.endswith(v) for v in self.rules.verb_markers)

    def _trim(self, start: int, name: str, *, subject: bool = False) -> tuple[int, str, bool]:
        """A phrase ending in a kind without the question's own words before the name (and whether a 和 cut it).

        With ``subject``, a subject asked about before a subject marker is cut too; ``start`` is then the marker's.
        """
        joined = False
        kind_at = self._kind_re.search(name)
        head = name[: kind_at.start()] if kind_at else name
        cut = max(head.rfind(j) for j in self.rules.joiners)
        if cut > 0 and len(name) - cut > 3:
            # 某市和…的方案: what comes before 和 is another subject of the question, not the name.
            start, name, joined = start + cut + 1, name[cut + 1 :], True
        # A leading year, 在/跟/和 …: the question's words, not the name's.
        changed = True
        while changed:
            changed = False
            y = _LEADING_YEAR.match(name)
            if y and y.end() < len(name):
                start, name, changed = start + y.end(), name[y.end() :], True
            for w in self.rules.leading:
                if name.startswith(w) and len(name) > len(w) + 1:
                    start, name, changed = start + len(w), name[len(w) :], True
                    break
        # 某某率在白鹭纲要里: the subject asked about stands before the marker; the name starts after it, and the
        # marker goes with the name when the name is removed from the question (start is at the marker).
        kind_at = self._kind_re.search(name)
        head = name[: kind_at.start()] if kind_at else name
        for w in self.rules.subject_markers if subject else ():
            at = head.rfind(w)
            before = head[:at]
            if at > 0 and len(head) - at - len(w) >= 2 and not before.endswith(self.rules.subject_marker_blockers):
                start, name = start + at, name[at + len(w) :]
                break
        return start, name, joined

    def _clean(self, name: str) -> str:
        out = nfkc(name)
        for w in self.rules.fillers:
            out = out.replace(w, "")
        return out

    def _shortened(self, text: str) -> list[str]:
        """The short forms of every long form ``text`` holds (医疗卫生共同体 -> 医共体), added to a plan's profile."""
        return [short for full, shorts in self.rules.short_forms.items() if full in text for short in shorts]

    def _expansions(self, name: str) -> list[str]:
        """``name`` and its readings with each short form written out in a long form (医共体 -> 医疗卫生共同体)."""
        out = [name]
        for full, shorts in self.rules.short_forms.items():
            for short in shorts:
                out += [n.replace(short, full) for n in out if short in n and full not in n]
        return list(dict.fromkeys(out))

    # ---- resolving ----------------------------------------------------------------------------

    def _kind(self, name: str) -> str:
        """The kind of document a name ends in (纲要, 方案 …), the last one named."""
        found = self._kind_re.findall(name)
        return found[-1] if found else ""

    def _national_of_kind(self, kind: str) -> str | None:
        """The one plan of the national region whose title is of ``kind`` (国家纲要), if exactly one is."""
        region = nfkc(self.rules.national_region)
        hits = [
            d.doc_id
            for d in self.docs
            if region and nfkc(d.meta.region or "") == region and kind[-2:] in self._titles.get(d.doc_id, "")
        ]
        return hits[0] if len(hits) == 1 else None

    def _bare(self, kind: str) -> str | None:
        """The one plan whose title ends in a nickname kind (纲要), if exactly one does."""
        if kind not in self.rules.bare_nicknames:
            return None
        ends = [d for d, t in self._titles.items() if _TRAILING_BRACKET.sub("", t).endswith(kind)]
        return ends[0] if len(ends) == 1 else None

    def scores(self, name: str) -> list[tuple[float, str]]:
        """Each plan's IDF-weighted share of the name's bigrams, best first (its best reading of short forms)."""
        best: dict[str, float] = {}
        for reading in self._expansions(self._clean(name)):
            grams = bigrams(reading)
            if not grams:
                continue
            total = sum(self._idf.get(b, self._unknown) for b in grams)
            shared: dict[str, float] = defaultdict(float)
            for b in grams:
                for doc_id in self._postings.get(b, ()):
                    shared[doc_id] += self._idf[b]
            for doc_id, w in shared.items():
                best[doc_id] = max(best.get(doc_id, 0.0), w / total)
        return sorted(((w, doc_id) for doc_id, w in best.items()), reverse=True)

    def _code_offset(self, code: str, year: str, number: str) -> int:
        """Where a stored plan's 机关代字 starts within ``code`` (its last few characters when none matches)."""
        for stored, y, n in self._numbers.values():
            if (y, n) == (year, number) and code.endswith(stored):
                return len(code) - len(stored)
        return max(0, len(code) - UNKNOWN_CODE_CHARS)

    def _resolve(self, span: _Span) -> tuple[str | None, bool]:
        """The plan a span names, and whether the span names a plan at all (False: leave the question alone)."""
        if span.doc is not None:
            return span.doc, True
        name = self._draft_re.sub("", span.name)  # 《X（征求意见稿）》 is X: its 意见 is no kind
        asked = doc_number_key(re.sub(r"\s+", "", name))
        if asked:
            hits = [d for d, n in self._numbers.items() if n == asked]
            return (hits[0] if hits else None), True
        kind = self._kind(name)
        cleaned = self._clean(name)
        part = self._part_of_one_title(name) if span.strong else None
        if part is not None:
            return part, True  # 《提升计划》: a short title standing whole in one plan's title
        if kind and cleaned == kind:
            doc = self._bare(kind)
            return doc, doc is not None
        place = cleaned[: -len(kind)] if kind and cleaned.endswith(kind) else ""
        if place in self._basis:
            return self._basis[place], True  # 某省的方案: the plan implementing that province's document
        if kind and place in self.rules.national_places:
            national = self._national_of_kind(kind)
            if national is not None:
                return national, True  # 国家纲要: the one national plan of that kind
        based = self._basis_with_words(place)
        if based is not None:
            return based, True  # 某省那个基层方案: the province's plan, the words between fit its title
        ranked = self.scores(self._from_own_place(name))
        if kind and kind not in self.rules.generic_kinds:
            # The plan must be of the kind named (纲要 is not 方案); 《》 titles may omit a kind.
            ranked = [(s, d) for s, d in ranked if kind[-2:] in self._titles[d]] or ([] if span.strong else ranked)
        if ranked:
            best, doc = ranked[0]
            runner = ranked[1][0] if len(ranked) > 1 else 0.0
            if best >= MIN_SCORE and best - runner >= MARGIN:
                return doc, True
            if span.strong and best >= UNKNOWN_BELOW:
                return None, False  # a near miss: neither this plan nor surely another
        return None, span.strong

    def _from_own_place(self, name: str) -> str:
        """``name`` from the first place a plan of the catalogue is of, when only a higher place stands before it.

        Officials name a plan with its province first (云梦省白鹭市青岚县那个试行方案) where the catalogue holds the
        city and district only: the leading words, of which no plan holds a single character pair, would weigh
        against the plan as unknown words. They go only when a catalogue place follows them, so a plan of a
        place the catalogue lacks (云梦省那个试行方案) is still no plan of it.
        """
        cleaned = nfkc(name)
        for place in self._own_places:
            at = cleaned.find(place)
            unknown = not (bigrams(cleaned[:at]) & self._postings.keys())
            if OUTER_PLACE_MIN_CHARS <= at <= OUTER_PLACE_MAX_CHARS and unknown:
                return cleaned[at:]
        return name

    def _part_of_one_title(self, name: str) -> str | None:
        """The one plan whose title holds ``name`` whole (quotes, a trailing bracket aside), if it is no bare kind."""
        part = _QUOTES.sub("", _TRAILING_BRACKET.sub("", nfkc(name).strip()))
        if len(part) < PART_MIN_CHARS or part in self.rules.kinds:
            return None
        hits = [d for d, t in self._titles.items() if part in _QUOTES.sub("", t)]
        return hits[0] if len(hits) == 1 else None

    def _basis_with_words(self, place: str) -> str | None:
        """The plan of a basis region that ``place`` starts with, when the words after it all stand in its title.

        云岭那个基层方案 (fillers removed: 云岭基层): 云岭 names the plan implementing its document, 基层 must fit it.
        """
        for region in sorted(self._basis, key=len, reverse=True):
            words = place[len(region) :]
            if place.startswith(region) and words:
                doc = self._basis[region]
                grams = bigrams(words)
                return doc if grams and grams <= bigrams(self._titles[doc]) else None
        return None

    def find(self, question: str) -> list[Mention]:
        """The plans named in ``question``: each with its plan (or None) and the question without the names."""
        q = nfkc(question)
        resolved: list[tuple[_Span, str | None]] = []
        for span in self._spans(q):
            doc, names_plan = self._resolve(span)
            if names_plan:
                resolved.append((span, doc))
        if not resolved:
            return []
        # 甲市双提升方案和甲市医改方案各…: plans as a comparison's sides. Each name leaves the wording, even a
        # short name otherwise kept (keep), with its plan's own place written before it (the sides' regions).
        sides = len({doc for _, doc in resolved if doc}) >= 2 and any(
            span.joined or self._joins_next(q, span.end) for span, _ in resolved
        )
        rest = q
        bound = len(q)
        for span, doc in sorted(resolved, key=lambda t: -t[0].start):
            if span.keep and not sides:
                continue
            start = self._past_own_place(q, span.start, doc) if sides else span.start
            ends_before = [s.end for s, _ in resolved if s.end <= span.start]
            start = self._past_issuer(q, start, doc, max(ends_before, default=0))
            start = max(start, *ends_before) if ends_before else start
            rest = rest[:start] + " " + rest[min(span.end, bound) :]
            bound = start
        rest = re.sub(r"^[\s，,、：:]+", "", rest).strip()
        if len(re.findall(r"[\u4e00-\u9fff]", rest)) < MIN_REST_CHARS:
            rest = q  # “某某”指的是什么: the name is what the question is about
        # 甲方案和乙市分别…: a name the joiner follows is compared with what comes after it, as with 乙市和甲方案.
        return [
            Mention(text=span.name, doc_id=doc, rest=rest, joined=span.joined or self._joins_next(q, span.end))
            for span, doc in resolved
        ]

    def _past_own_place(self, q: str, start: int, doc: str | None) -> int:
        """Where a name starting at ``start`` starts with its plan's own place written right before it."""
        for place in self._places_of.get(doc or "", ()):
            if q.startswith(place, start - len(place)) and start >= len(place):
                return start - len(place)
        return start

    def _past_issuer(self, q: str, start: int, doc: str | None, floor: int) -> int:
        """Where a name starting at ``start`` starts with its plan's issuer written before it, else ``start``.

        ``中共中央、国务院发的那个《…》``: from the clause's start (not before ``floor``), the words up to the name,
        issuing verbs and fillers aside, must be the issuer's (``issuer_min_share`` of their character pairs), and
        more than the plan's place (甲市双提升方案 keeps its place as the question's).
        """
        grams = self._issuers.get(doc or "")
        if grams is None:
            return start
        issuer, places = grams
        marks = "，,。？?！!；;：: "
        begin = max([floor, *(q.rfind(m, 0, start) + 1 for m in marks)])
        words = q[begin:start]
        tails = longest_first([*self.rules.issue_verbs, *self.rules.fillers])
        changed = True
        while changed and words:
            changed = False
            for tail in tails:
                if tail and words.endswith(tail):
                    words, changed = words[: -len(tail)], True
                    break
        lead = next((w for w in self.rules.leading if words.startswith(w)), "")
        named = bigrams(words[len(lead) :])
        if not named or not (named - places):
            return start
        share = len(named & issuer) / len(named)
        return begin if share >= self.rules.issuer_min_share else start

    def _joins_next(self, q: str, end: int) -> bool:
        """Whether a joiner (和, 与 …) follows the name ending at ``end``, with more of the question after it."""
        after = q[end:].lstrip()
        return any(after.startswith(j) and len(after) > len(j) for j in self.rules.joiners)


def _place_names(region: str) -> str:
    """A region's name without its administrative suffix (白石省 -> 白石), when two characters remain."""
    name = nfkc(region)
    for suffix in text_rules().admin_suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def one_named_plan(
    mentions: Sequence[Mention], docs: Mapping[str, DocumentRecord], allowed: set[str] | None = None
) -> DocumentRecord | None:
    """The one plan the question names (and may see), or None: no plan, several, or plans joined to compare."""
    named = {m.doc_id for m in mentions if m.doc_id}
    if len(named) != 1 or any(m.joined for m in mentions):
        return None
    doc = docs.get(next(iter(named)))
    if doc is None or (allowed is not None and doc.doc_id not in allowed):
        return None
    return doc


def plan_restriction(mentions: Sequence[Mention]) -> tuple[set[str] | None, str]:
    """The plans a question is restricted to and its text without their names.

    ``(None, "")``: no usable mention (none, or one joined to another subject: 某市和…的方案, which a
    comparison answers across plans). ``(None, rest)``: a plan is named that the library does not hold.
    """
    if not mentions or any(m.joined for m in mentions):
        return None, ""
    docs = {m.doc_id for m in mentions if m.doc_id}
    return (docs or None), mentions[0].rest

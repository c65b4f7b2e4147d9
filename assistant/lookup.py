"""Target lookup: which stored target rows answer a question, scored on the plan's own wording.

Indicator wording is compared by character bigrams weighted by how rare they are among all row
wordings (IDF): ``一般`` tells rows apart, ``卫生`` does not. A question's bigrams that no row has
weigh as much as the rarest ones, so an indicator no plan sets scores low and the answer abstains.
"""

from __future__ import annotations

import functools
import math
import re
from array import array
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from assistant.question_wording import asks_for_none
from assistant.target_rows import MemoryRows, RowKey, TargetRows
from assistant.understanding import Query, bigrams
from assistant.value_kinds import kind_question, rows_of_asked_kind
from assistant.wordings import verb_form_variants, words_apart
from ingestion.schema import Target
from ingestion.text.normalize import nfkc
from ingestion.text.rules import alternation, rules

# Minimum IDF-weighted share of the question's indicator a row must cover.
MIN_COVERAGE = 0.5
# Rows within this score of the best are kept as equally good answers.
TIE_MARGIN = 0.06
MAX_ROWS = 24
CONTEXT_WEIGHT = 0.15
COMPARE_MIN_COVERAGE = 0.35
# Question bigrams made with a function character (要提, 有机, 的机) that no row has say little.
FUNCTION_WEIGHT = 0.25
SCORE_CACHE_SIZE = 2048  # indicator wordings whose scores an index keeps (a question is scored several times)


@dataclass(frozen=True)
class _Words:
    """Question words lookup reads (ingestion/text/rules): generic words, function characters, conditions."""

    generic: frozenset[str]
    function_chars: frozenset[str]
    more: re.Pattern[str]
    less: re.Pattern[str]


@functools.cache
def _words() -> _Words:
    r = rules()
    return _Words(
        generic=frozenset(r.generic_words),
        function_chars=frozenset(r.function_chars),
        more=re.compile(rf"(?:{alternation(r.more_than)})\s*(\d+(?:\.\d+)?)"),
        less=re.compile(rf"(?:{alternation(r.less_than)})\s*(\d+(?:\.\d+)?)"),
    )
# The head noun of an indicator: two characters before a final 数/率 (床位数 -> 床位).
_HEAD = re.compile(r"([\u4e00-\u9fff]{2})[数率]$")
_MAX = re.compile(r"最多|最高|最大|最长")
_MIN = re.compile(r"最少|最低(?!要)|最小|最短")


class Scored(NamedTuple):
    """A target row (by position) with how well it matches the question's indicator.

    A tuple, not a dataclass: a question over thousands of plans makes tens of thousands of them.
    """

    pos: int
    key: RowKey
    score: float
    coverage: float
    rows: TargetRows

    @property
    def row(self) -> Target:
        """The full row (fetched from the catalogue when rows are not held in memory)."""
        return self.rows[self.pos]


def _within(name: str, form: str) -> bool:
    """Whether a row's region ``form`` holds the region ``name`` (某市某区 holds 某市 and 某区).

    A longer name that merely starts with it (青州湾 after 青州) is another place: what follows must be
    an area's name.
    """
    at = form.find(name)
    if at < 0:
        return False
    tail = form[at + len(name) :]
    return not tail or at > 0 or any(tail.endswith(s) for s in rules().admin_suffixes)


class RowIndex:
    """Bigram sets and IDF weights of every row wording, built once per catalogue snapshot.

    Rows that share a wording (the same indicator in every year, county and copy of a plan) share
    one bigram set and are scored once; an inverted index from bigram to wordings lets a question
    score only the wordings that can reach the minimum coverage, not every row of the corpus. Rows
    are known by their keys (:class:`RowKey`); full rows are fetched only for the rows an answer uses,
    and a question naming a region reads only that region's rows.
    """

    def __init__(self, rows: Sequence[Target]) -> None:
        self.rows: TargetRows = rows if isinstance(rows, TargetRows) else MemoryRows(rows)
        keys = self.rows.keys
        ids: dict[str, int] = {}
        self._wording_grams: list[set[str]] = []
        self._wording_scope: list[str] = []
        self._wording_text: list[str] = []
        # What a wording counts (indicator and header, its scope left out): where its head noun is looked for.
        self._wording_counted: list[str] = []
        wording_rows: list[list[int]] = []
        row_wording: list[int] = []
        doc_rows: dict[str, list[int]] = defaultdict(list)
        region_rows: dict[str, list[int]] = defaultdict(list)
        for i, key in enumerate(keys):
            k = ids.get(key.words)
            if k is None:
                k = ids[key.words] = len(self._wording_grams)
                self._wording_grams.append(bigrams(key.words))
                self._wording_scope.append(key.scope)
                self._wording_text.append(nfkc(key.words))
                counted = key.words[len(key.scope) :] if key.scope and key.words.startswith(key.scope) else key.words
                self._wording_counted.append(nfkc(counted))
                wording_rows.append([])
            wording_rows[k].append(i)
            row_wording.append(k)
            doc_rows[key.doc_id].append(i)
            region_rows[key.region].append(i)
        # Compact position lists: a large catalogue has hundreds of thousands of rows.
        self._wording_rows = [array("i", m) for m in wording_rows]
        self._row_wording = array("i", row_wording)
        self._doc_rows = {d: array("i", m) for d, m in doc_rows.items()}
        self._region_rows = {r: array("i", m) for r, m in region_rows.items()}
        self._region_forms = {r: nfkc(r) for r in self._region_rows if r}
        df: dict[str, int] = defaultdict(int)
        self._postings: dict[str, list[int]] = defaultdict(list)
        for k, g in enumerate(self._wording_grams):
            for b in g:
                df[b] += 1
                self._postings[b].append(k)
        n = max(len(self._wording_grams), 1)
        self.idf = {b: math.log(1 + n / c) for b, c in df.items()}
        self.unknown_idf = math.log(1 + n)
        self._wording_weight = [sum(self.weight(b) for b in g) for g in self._wording_grams]
        self._scored: dict[tuple[str, str, str, float], dict[int, tuple[float, float]]] = {}

    @property
    def keys(self) -> list[RowKey]:
        """The key of each row, in row order."""
        return self.rows.keys

    @property
    def grams(self) -> list[set[str]]:
        """The bigram set of each row's wording, in row order."""
        return [self._wording_grams[k] for k in self._row_wording]

    def positions(self, doc_ids: set[str]) -> list[int]:
        """Positions of the rows of these documents, ascending."""
        return sorted(i for d in doc_ids for i in self._doc_rows.get(d, ()))

    def region_positions(self, regions: Sequence[str], exact: bool = False) -> list[int]:
        """Positions of the rows whose region is (or, unless ``exact``, contains) one of ``regions``, ascending."""
        if exact:
            names = {r for r in regions if r in self._region_rows}
        else:
            wanted = [nfkc(r) for r in regions]
            names = {
                name
                for name, form in self._region_forms.items()
                if any(name == r or _within(w, form) for r, w in zip(regions, wanted, strict=True))
            }
        return sorted(i for name in names for i in self._region_rows[name])

    def _candidates(self, qb: set[str], total: float, min_coverage: float) -> list[int]:
        """Wordings that may cover ``min_coverage`` of the question's bigrams (a superset of those that do).

        Bigrams are taken rarest first until the ones left out weigh too little to reach the minimum
        on their own: a wording sharing none of the taken ones cannot qualify.
        """
        order = sorted(qb, key=lambda b: (len(self._postings.get(b, ())), -self.weight(b), b))
        found: set[int] = set()
        taken = 0.0
        for b in order:
            if total - taken < min_coverage * total * (1 - 1e-9):
                break
            found.update(self._postings.get(b, ()))
            taken += self.weight(b)
        return sorted(found)

    def weight(self, gram: str) -> float:
        """IDF of a bigram; bigrams no row has weigh like the rarest, unless a function character is in them."""
        w = self.idf.get(gram, self.unknown_idf)
        return w * FUNCTION_WEIGHT if any(ch in _words().function_chars for ch in gram) and gram not in self.idf else w

    def wording_scores(self, query: Query, min_coverage: float = MIN_COVERAGE) -> dict[int, tuple[float, float]]:
        """Score and coverage of every wording that covers ``min_coverage`` of the question's indicator.

        A wording whose verb phrase differs from the question's by its form alone (建设成 / 建成, data in
        ``assistant/rules/wordings.toml``) is scored with the question in its form too, and keeps the better.
        """
        key = (query.indicator, query.context, query.scope, min_coverage)
        kept = self._scored.get(key)
        if kept is not None:
            return dict(kept)
        out = self._wording_scores(query, min_coverage)
        for wording, used, other in verb_form_variants(nfkc(query.indicator)):
            for k, v in self._wording_scores(replace(query, indicator=wording), min_coverage).items():
                text = self._wording_text[k]
                if other in text and used not in text and (k not in out or v[0] > out[k][0]):
                    out[k] = v
        # One question is scored many times while it is answered (each path, each comparison side, each part):
        # the index never changes once built, so the scores of a wording are kept (a bounded dict).
        if len(self._scored) >= SCORE_CACHE_SIZE:
            self._scored.clear()
        self._scored[key] = out
        return dict(out)

    def _wording_scores(self, query: Query, min_coverage: float) -> dict[int, tuple[float, float]]:
        """Scores of the wordings on the question's indicator as it stands.

        A wording carries its scope, so the bonus for the question's scope is the wording's too.
        """
        generic = _words().generic
        qb = {b for b in bigrams(query.indicator) if b not in generic}
        if not qb:
            return {}
        weights = {b: self.weight(b) for b in qb}
        total = sum(weights.values())
        cb = bigrams(query.context) - qb if query.context else set()
        cweights = {b: self.weight(b) for b in cb}
        ctotal = sum(cweights.values())
        out: dict[int, tuple[float, float]] = {}
        for k in self._candidates(qb, total, min_coverage):
            rb = self._wording_grams[k]
            shared = qb & rb
            if not shared:
                continue
            held = sum(weights[b] for b in shared)
            coverage = held / total
            if coverage < min_coverage:
                continue
            precision = held / max(self._wording_weight[k], 1e-9)
            score = 0.75 * coverage + 0.25 * precision
            if ctotal:
                score += CONTEXT_WEIGHT * sum(cweights[b] for b in cb & rb) / ctotal
            if query.scope and query.scope == self._wording_scope[k]:
                score += 0.03
            out[k] = (round(score, 4), coverage)
        return out

    def score(
        self, query: Query, rows: Sequence[int] | None = None, min_coverage: float = MIN_COVERAGE
    ) -> list[Scored]:
        """Rows whose wording covers the question's indicator, best first."""
        scores = self.wording_scores(query, min_coverage)
        if not scores:
            return []
        if rows is None:
            # Ties keep row order, as a scan over every row would.
            positions: Iterable[int] = sorted(i for k in scores for i in self._wording_rows[k])
        else:
            # Ties keep the order of ``rows``.
            positions = [i for i in rows if self._row_wording[i] in scores]
        keys = self.rows.keys
        out = [Scored(i, keys[i], *scores[self._row_wording[i]], self.rows) for i in positions]
        out.sort(key=lambda s: (-s.score, s.key.doc_id, s.key.start))
        return out

    def top_coverage(self, query: Query, rows: Sequence[int] | None, min_coverage: float) -> float | None:
        """Coverage of the best-scoring row (among ``rows``), or None when no row qualifies.

        Computed on wordings, so a question over a large corpus does not score every row to learn it.
        """
        scores = self.wording_scores(query, min_coverage)
        if rows is not None:
            present = {self._row_wording[i] for i in rows}
            scores = {k: v for k, v in scores.items() if k in present}
        if not scores:
            return None
        best = max(v[0] for v in scores.values())
        tied = [k for k, v in scores.items() if v[0] == best]
        if len(tied) == 1 or len({scores[k][1] for k in tied}) == 1:
            return scores[tied[0]][1]
        # Equal scores, different coverage: the first row in (document, start) order decides.
        allowed = set(rows) if rows is not None else None
        keys = self.rows.keys

        def first(k: int) -> tuple[str, int]:
            members = [i for i in self._wording_rows[k] if allowed is None or i in allowed]
            return min((keys[i].doc_id, keys[i].start) for i in members)

        return scores[min(tied, key=first)][1]

    def head_gram(self, query: Query) -> str | None:
        """The two characters before a final 数/率 of the question's indicator, when rows use them: its head noun.

        ``每千常住人口床位数`` asks about 床位: a row without it (每千常住人口基层卫生人员数) is about something else,
        however much of the lead it shares. The wording read word by word (``每千 常住人口 床位 数``) has the same head.
        """
        m = _HEAD.search(re.sub(r"\s+", "", nfkc(query.indicator)))
        head = m.group(1) if m else None
        if head is None or head not in self.idf or head in _words().generic:
            return None
        return None if any(ch in _words().function_chars for ch in head) else head

    def shares_head(self, wording: int, head: str) -> bool:
        """Whether a wording (by id) counts a thing with a character of ``head`` (全科医生数 / 全科医师数 do).

        Only what the row counts is read, not its scope: 基层医疗卫生机构 常住人口数 counts no 医师.
        """
        return any(ch in self._wording_counted[wording] for ch in head)

    def wording_of(self, pos: int) -> int:
        """The wording id of the row at ``pos``."""
        return self._row_wording[pos]


@dataclass
class Lookup:
    """The rows chosen for a question, and what exists when nothing fits."""

    rows: list[Target]
    indicator_found: bool
    years_available: list[str]
    regions_available: list[str]
    missing_regions: list[str] | None = None
    unshown_regions: list[str] = field(default_factory=list)


def _year_matches(row_year: str, wanted: str) -> bool:
    # Exact: a period row (2023-2025) answers only a question about that period, not one of its years.
    return bool(row_year) and row_year == wanted


def _region_matches(row_region: str, wanted: str) -> bool:
    return bool(row_region) and (row_region == wanted or nfkc(wanted) in nfkc(row_region))


def lookup(query: Query, index: RowIndex, doc_regions: dict[str, str], allowed_docs: set[str] | None = None) -> Lookup:
    """Choose the target rows that answer ``query``.

    ``doc_regions`` maps doc_id to the region its plan covers ("" when the plan never names it); rows
    for that region (narrative rows and 合计 rows) are the plan-level answer when the question names
    no sub-region.
    """
    positions = None
    if allowed_docs is not None:
        positions = index.positions(allowed_docs)
    comparing = query.intent == "compare" and not (query.years and len(query.years) > 1)
    # Plans word one target differently (重点人群签约率 / 重点人群签约服务覆盖率): in a comparison each
    # region's best wording may cover less of the question, as long as the best overall covers enough.
    min_coverage = COMPARE_MIN_COVERAGE if comparing else MIN_COVERAGE
    top = index.top_coverage(query, positions, min_coverage)
    if top is None or top < MIN_COVERAGE:
        # Pairs across the question's own words (基础设施|提档 -> 施提) are in no row: a question naming a
        # region, whose rows alone are read, is asked again word by word.
        regional = bool(query.regions) and not query.all_subregions and " " not in query.indicator
        apart = words_apart(query.indicator) if regional else query.indicator
        if apart != query.indicator:
            return lookup(replace(query, indicator=apart), index, doc_regions, allowed_docs)
        return Lookup([], False, [], [])

    def plan_level(s: Scored) -> bool:
        return s.key.region == doc_regions.get(s.key.doc_id, s.key.region)

    def available(scored: list[Scored] | None) -> tuple[list[str], list[str]]:
        """Years and regions the indicator has anywhere (scored again when only named regions were read)."""
        every = scored if scored is not None else index.score(query, positions, min_coverage)
        return sorted({s.key.year for s in every if s.key.year}), sorted({s.key.region for s in every if s.key.region})

    scored: list[Scored] | None = None
    if query.regions and not query.all_subregions:
        # Only the named regions' rows are read.
        named = index.region_positions(query.regions)
        if positions is not None:
            inside = set(positions)
            named = [i for i in named if i in inside]
        candidates = index.score(query, named, min_coverage)
    else:
        scored = index.score(query, positions, min_coverage)
        candidates = scored
        if query.regions and query.all_subregions:
            # 某市哪些地区…: the sub-regions of the plans that cover the named region.
            plans = {d for d, reg in doc_regions.items() if reg and any(_region_matches(reg, r) for r in query.regions)}
            within = [s for s in candidates if s.key.doc_id in plans and not plan_level(s)]
            candidates = within or [
                s for s in candidates if any(_region_matches(s.key.region, r) for r in query.regions)
            ]
        elif query.intent == "compare" and not query.all_subregions:
            candidates = [s for s in candidates if plan_level(s)] or candidates
        elif query.all_subregions or query.intent == "list":
            sub = [s for s in candidates if not plan_level(s)]
            candidates = sub or candidates
        else:
            plan_rows = [s for s in candidates if plan_level(s)]
            candidates = plan_rows or candidates
    head = index.head_gram(query)
    if head is not None:
        shares = {k: index.shares_head(k, head) for k in {index.wording_of(s.pos) for s in candidates}}
        candidates = [s for s in candidates if shares[index.wording_of(s.pos)]]
    if query.years:
        candidates = [s for s in candidates if any(_year_matches(s.key.year, y) for y in query.years)]
    elif query.wants_total:
        candidates = [s for s in candidates if "-" in s.key.year] or candidates
    candidates = rows_of_asked_kind(kind_question(query), candidates, lambda ss: _units(index, ss))
    if not candidates:
        # What exists for the indicator anywhere (the reply names the years there are).
        years, regions = available(scored)
        return Lookup([], True, years, regions)

    if comparing:
        # Each region (or plan) is compared on its own best wording: plans word the same target differently.
        by_region: dict[str, list[Scored]] = defaultdict(list)
        for s in candidates:
            by_region[s.key.region].append(s)
        kept: list[Scored] = []
        for members in by_region.values():
            region_best = members[0].score
            kept.extend(m for m in members if m.score >= region_best - TIE_MARGIN)
        kept.sort(key=lambda s: -s.score)
    else:
        best = candidates[0].score
        kept = [s for s in candidates if s.score >= best - TIE_MARGIN]
        if not query.years:
            # No year asked: a wording holding only a base value (the opening's 2015年为8.1‰) tied with a
            # wording that has targets is not the answer; a table's row keeps its base value beside its targets.
            targeted = {index.wording_of(s.pos) for s in kept if s.key.kind != "baseline"}
            kept = [s for s in kept if s.key.kind != "baseline" or index.wording_of(s.pos) in targeted] or kept
        elif len(query.years) > 1:
            kept = _with_missing_years(query.years, kept, candidates)
    if query.each_scopes:
        kept = _under_each_scope(query.each_scopes, kept, index)
    # One wording per document and region: the best-scoring one wins, with all its years.
    groups: dict[tuple[str, str], list[Scored]] = defaultdict(list)
    for s in kept:
        groups[(s.key.doc_id, s.key.region)].append(s)
    listing = query.intent == "list" or query.all_subregions
    order = sorted(groups, key=lambda g: (g[0], _region_key(g[1], g[0], doc_regions)))
    chosen: list[Target] = []
    fetched_all = True
    sames = []
    for g in order:
        members = groups[g]
        wording = index.wording_of(members[0].pos)
        same = [m.pos for m in members if index.wording_of(m.pos) == wording]
        # Several years asked (2020年和2030年): a year the best wording lacks comes from the next one that has it.
        have = {index.keys[p].year for p in same}
        for m in members if len(query.years) > 1 else ():
            if m.key.year in query.years and m.key.year not in have:
                same.append(m.pos)
                have.add(m.key.year)
        sames.append(same)
    if listing and sames and asks_for_none(nfkc(query.text)):
        # Which regions lack a value is read from the rows' keys: no full row is fetched.
        years, regions = available(scored)
        return Lookup([], True, years, regions, missing_regions=_regions_without(sames, index, doc_regions))
    if listing:
        sames = _value_prefilter(query, sames, index)
        # Deduplicated and ordered on keys: only the rows shown are fetched (unless some were deleted since).
        picked = _listed(sames, index, doc_regions)
        first_rows = index.rows.many(picked[:MAX_ROWS])
        if picked and len(first_rows) == min(MAX_ROWS, len(picked)):
            years, regions = available(scored if scored is not None else candidates)
            unshown = sorted({index.keys[p].region for p in picked[MAX_ROWS:]} - {""})
            return Lookup(first_rows, True, years, regions, unshown_regions=unshown)
        # A list is filtered over every group: fetch their rows at once (one round of queries, not one per group).
        by_id = {r.target_id: r for r in index.rows.many(p for same in sames for p in same)}
        for same in sames:
            ids = (index.keys[p].target_id for p in same)
            chosen.extend(_dedupe([by_id[t] for t in ids if t in by_id]))
    else:
        for n, same in enumerate(sames):
            chosen.extend(_dedupe(index.rows.many(same)))
            if len(chosen) >= MAX_ROWS:
                fetched_all = n == len(sames) - 1
                break  # the answer shows MAX_ROWS rows: later groups are not fetched
    if listing:
        chosen = _apply_condition(query, chosen)
    chosen.sort(key=lambda r: (r.doc_id, _region_key(r.region, r.doc_id, doc_regions), _year_key(r.year), r.start))
    if chosen or scored is not None:
        years, regions = available(scored if scored is not None else candidates)
    else:
        years, regions = available(None)
    shown = chosen[:MAX_ROWS]
    # Regions whose rows did not all fit in the MAX_ROWS shown: the answer says how many and which.
    cut = {r.region for r in chosen[MAX_ROWS:]}
    if not fetched_all:
        fetched = {(r.doc_id, r.region) for r in chosen}
        cut |= {g[1] for g in order if g not in fetched}
    unshown = sorted(r for r in cut if r)
    return Lookup(shown, True, years, regions, unshown_regions=unshown)


def _with_missing_years(years: Sequence[str], kept: list[Scored], candidates: list[Scored]) -> list[Scored]:
    """``kept`` with the best rows of its plans for each asked year it lacks.

    孕产妇死亡率2015年、2020年、2030年: the opening's sentence (2015年…下降到20.1/10万) may outscore the indicator
    table, whose 2020 and 2030 cells then fall outside the tie margin; each year asked is answered by the best
    wording of the same plan that has it.
    """
    docs = {s.key.doc_id for s in kept}
    out = list(kept)
    for year in years:
        if any(_year_matches(s.key.year, year) for s in out):
            continue
        of_year = [s for s in candidates if s.key.doc_id in docs and _year_matches(s.key.year, year)]
        if of_year:
            best = max(s.score for s in of_year)
            out.extend(s for s in of_year if s.score >= best - TIE_MARGIN)
    return out


def _under_each_scope(scopes: Sequence[str], kept: list[Scored], index: RowIndex) -> list[Scored]:
    """The rows whose quote states the question's own distributive scope (每个区市、开发区至少40%…), when some do.

    A question worded with a plan's scope phrase asks about the target set under it, not another plan's
    target of the same wording.
    """
    wanted = [re.sub(r"\s+", "", nfkc(s)) for s in scopes]
    quotes = {r.target_id: re.sub(r"\s+", "", nfkc(r.quote)) for r in index.rows.many(s.pos for s in kept)}
    under = [s for s in kept if any(w in quotes.get(s.key.target_id, "") for w in wanted)]
    return under or kept


def _units(index: RowIndex, scored: Sequence[Scored]) -> list[str]:
    """The units of scored rows, fetched in one round ("" for a row deleted since the snapshot)."""
    units = {r.target_id: r.unit for r in index.rows.many(s.pos for s in scored)}
    return [units.get(s.key.target_id, "") for s in scored]


def _apply_condition(query: Query, rows: list[Target]) -> list[Target]:
    """Filter list answers by the question's value condition: 超过10个, 最多, 最少 (没有 is read on keys before)."""
    q = nfkc(query.text)
    more, less = _words().more.search(q), _words().less.search(q)
    if more:
        rows = [r for r in rows if r.value > float(more.group(1))]
    if less:
        rows = [r for r in rows if r.value < float(less.group(1))]
    if rows and _MAX.search(q):
        top = max(r.value for r in rows)
        rows = [r for r in rows if r.value == top]
    elif rows and _MIN.search(q):
        low = min(r.value for r in rows)
        rows = [r for r in rows if r.value == low]
    return rows


def _value_prefilter(query: Query, sames: list[list[int]], index: RowIndex) -> list[list[int]]:
    """The positions of ``sames`` whose key values can pass the value conditions of :func:`_apply_condition`.

    Those conditions read only values, which the keys carry, and they commute with ``_dedupe`` (duplicate
    rows share their value): a list over thousands of plans fetches only the rows that can be shown.
    """
    q = nfkc(query.text)
    more, less = _words().more.search(q), _words().less.search(q)
    most, least = _MAX.search(q), _MIN.search(q)
    if not (more or less or most or least):
        return sames
    keys = index.keys
    low = float(more.group(1)) if more else None
    high = float(less.group(1)) if less else None
    kept = [
        [p for p in same if (low is None or keys[p].value > low) and (high is None or keys[p].value < high)]
        for same in sames
    ]
    values = [keys[p].value for same in kept for p in same]
    if values and (most or least):
        edge = max(values) if most else min(values)
        kept = [[p for p in same if keys[p].value == edge] for same in kept]
    return kept


def _listed(sames: list[list[int]], index: RowIndex, doc_regions: dict[str, str]) -> list[int]:
    """The positions a list answer shows, in its order: :func:`_dedupe` per group and the final sort, on keys."""
    keys = index.keys
    out: list[int] = []
    for same in sames:
        seen: set[tuple[str, str, str, float, float | None]] = set()
        for p in same:
            k = keys[p]
            dup = (k.region, k.year, k.scope, k.value, k.value_max)
            if dup not in seen:
                seen.add(dup)
                out.append(p)
    out.sort(
        key=lambda p: (
            keys[p].doc_id,
            _region_key(keys[p].region, keys[p].doc_id, doc_regions),
            _year_key(keys[p].year),
            keys[p].start,
        )
    )
    return out


def _regions_without(sames: list[list[int]], index: RowIndex, doc_regions: dict[str, str]) -> list[str]:
    """Regions in the table of the first chosen row that have no row of its wording (and year) among ``sames``.

    How a ``没有`` list question is answered: from the keys, no full row fetched.
    """
    keys = index.keys
    first = keys[sames[0][0]]
    doc, table, header = first.doc_id, first.table_title, first.words
    in_table = {
        keys[i].region
        for i in index.positions({doc})
        if keys[i].table_title == table and keys[i].region and keys[i].region != doc_regions.get(doc)
    }
    have = {keys[p].region for same in sames for p in same if keys[p].words == header}
    return sorted(in_table - have)


def _dedupe(rows: list[Target]) -> list[Target]:
    seen: set[tuple[str, str, str, float, float | None]] = set()
    out: list[Target] = []
    for r in rows:
        key = (r.region, r.year, r.scope, r.value, r.value_max)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def _region_key(region: str, doc_id: str, doc_regions: dict[str, str]) -> tuple[int, str]:
    return (0 if region == doc_regions.get(doc_id, "") else 1, region)


def _year_key(year: str) -> tuple[int, str]:
    m = re.search(r"20\d{2}", year)
    return (int(m.group(0)) if m else 0, year)

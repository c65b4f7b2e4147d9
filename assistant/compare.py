"""Comparisons across named regions: every region gets its line, and different indicators are named as different.

``比较一下甲市和乙市对X的目标``: each region is looked up on its own (plans word one target
differently, and one region's best wording must not crowd out another's), so each named region gets
its value and citation, or a plain "no such target" line; when the regions' indicators are worded
differently the answer says so, naming each wording, instead of setting them side by side as one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from assistant.bounds import with_any_stated_bound
from assistant.lookup import COMPARE_MIN_COVERAGE, MAX_ROWS, Lookup, RowIndex, lookup
from assistant.messages import add_lines
from assistant.schema import Answer, Citation, SearchHit
from assistant.understanding import Query, bigrams
from assistant.wordings import (
    VariantRules,
    contrasted,
    narrower_kinds,
    variant_rules,
    wording_variants,
    words_apart,
)
from ingestion.schema import Target
from ingestion.text.normalize import nfkc
from ingestion.text.rules import rules

MSG_REGION_MISSING = "- {region}：现有规划文件中没有找到相应的目标值"
MSG_PLAN_MISSING = "- 《{title}》：没有找到相应的目标值"
# 各地 naming no place: plans whose rows fit the question this much less than the best plan's do are left out.
EACH_PLAN_MARGIN = 0.2
# 各地 over a library larger than this: only plans holding a row near the question are asked.
MAX_PLANS_SCANNED = 50
# Names of plans left out of a 各地 list, at most (then 等).
MAX_UNSHOWN_NAMES = 10
# A wording left broader by dropping implicit words fits a little less than one that kept them.
BROADER_WEIGHT = 0.9
# A row scoped to a narrower kind of institution than the question's (乡镇卫生院 for 基层医疗卫生机构) fits less again.
NARROWER_WEIGHT = 0.9
# A question asking for a share (比例, 占比 …) answered by rows with no percentage fits half as well.
SHARE_MISMATCH_WEIGHT = 0.5
# Other wordings of one region's plan that fit the question as fully as the chosen one, at most.
MAX_EXTRA_WORDINGS = 3
SAME_WORDING_SHARE = 0.25
# A question read without the institution it names keeps at least this many characters (签约率).
MIN_SCOPED_REST = 3
# No count in digits: every number of an answer stands in a cited quote; the names say how many.
MSG_UNSHOWN = "（列表较长未列全，以下地区的目标值未列出或未列全：{names}。可指定地区查询。）"
MSG_ONLY_PLAN = "- 其他规划文件中没有找到相应的目标值"
MSG_PLANS_DIFFERENT = "注意：各规划的指标不同（{wordings}），不宜直接比较。"
MSG_SIDES_LEAD = "各方的规定如下："
MSG_SIDE_SENTENCE = "- {side}原文：{quote}[{n}]"
MSG_SIDES_APART = "注意：各方的规定各有所指（原文如上），内容不同，不宜直接比较。"
MSG_DIFFERENT = "注意：各地的指标不同（{wordings}），不宜直接比较。"


def _fitting_too(
    query: Query, found: list[Target], index: RowIndex, allowed: set[str] | None
) -> tuple[list[Target], float]:
    """Rows of the same plan and region (and unit) as ``found`` whose other wordings fit the question as fully.

    The fit is the share of the question's wording the best of ``found`` covers.

    Lookup keeps one wording per plan and region; a comparison lists every row that fits
    (一般人群签约率 and 重点人群签约率 both answer 家庭医生签约率).
    """
    if not found:
        return [], 0.0
    docs = {r.doc_id for r in found}
    regions = {r.region for r in found}
    ids = {r.target_id for r in found}
    positions = index.region_positions(sorted(regions), exact=True)
    positions = [
        i for i in positions if index.keys[i].doc_id in docs and (allowed is None or index.keys[i].doc_id in allowed)
    ]
    scored = index.score(query, positions, COMPARE_MIN_COVERAGE)
    chosen = [s for s in scored if s.key.target_id in ids]
    if not chosen:
        return [], 0.0
    best = max(s.coverage for s in chosen)
    # Where the question names a topic only (基层特色科室, no 率 or 占比 saying what quantity) and its whole
    # wording stands in the rows (新增基层特色科室数 in 个), rows of another unit that hold it too
    # (至少拥有1个基层特色科室的乡镇卫生院 in %) are other indicators of the one topic: listed too, of any kind,
    # and named as different.
    asked = query.indicator
    full = best >= 1 - 1e-9 and "率" not in asked and not any(w in asked for w in variant_rules().share_words)
    kinds = {r.kind for r in found}
    units = {r.unit for r in found}
    words = {index.wording_of(s.pos) for s in chosen}
    cap = len(words) + MAX_EXTRA_WORDINGS
    seen = {(r.region, r.year, r.indicator, r.value, r.value_max) for r in found}
    candidates = [
        s.pos
        for s in scored
        if s.key.target_id not in ids
        and s.coverage >= best - 1e-9
        and (s.key.kind in kinds or full)
        and not (query.years and s.key.year not in query.years)
    ]
    fitting: list[tuple[int, Target]] = []
    positions = sorted(candidates)
    for pos, r in zip(positions, index.rows.many(positions), strict=True):
        key = (r.region, r.year, r.indicator, r.value, r.value_max)
        if key in seen or not ((r.unit in units and r.kind in kinds) or (full and r.unit not in units)):
            continue
        seen.add(key)
        fitting.append((pos, r))
    kept = {id(r) for r in _without_cell_twins([r for _, r in fitting])}
    out: list[Target] = []
    for pos, r in fitting:
        if id(r) not in kept:
            continue
        w = index.wording_of(pos)
        if w not in words:
            if len(words) >= cap:
                continue
            words.add(w)
        out.append(r)
    return out, best


def _without_cell_twins(rows: list[Target]) -> list[Target]:
    """``rows`` without a table cell whose value a sentence row of the same plan, place and year states too."""
    stated = {(r.doc_id, r.region, r.year, r.value, r.unit) for r in rows if r.kind != "table"}
    return [r for r in rows if r.kind != "table" or (r.doc_id, r.region, r.year, r.value, r.unit) not in stated]


def fitting_rows(
    query: Query,
    index: RowIndex,
    doc_regions: dict[str, str],
    allowed: set[str] | None,
    rules: VariantRules | None = None,
) -> list[Target]:
    """One side of a comparison: its rows (see :func:`side_rows`)."""
    return side_rows(query, index, doc_regions, allowed, rules)[0]


def side_rows(
    query: Query,
    index: RowIndex,
    doc_regions: dict[str, str],
    allowed: set[str] | None,
    rules: VariantRules | None = None,
) -> tuple[list[Target], float]:
    """One side of a comparison (a region, or a plan): its rows for the question's wording or an equivalent one.

    Of the question's wording and its equivalents (each also with its words apart), the one whose
    rows cover most of it wins, with every other row of that plan and region that fits it as fully.
    Broader wordings (implicit words left out) fit a little less; rows with no percentage fit half
    as well a question asking for a share. A bare table cell whose sentence twin states a bound
    (``20`` beside ``达20%以上``) gives way to it. Returns the rows and how well they fit.
    """
    found, fit = _best_side(query, index, doc_regions, allowed, rules)
    return with_any_stated_bound(found, index), fit


def _best_side(
    query: Query,
    index: RowIndex,
    doc_regions: dict[str, str],
    allowed: set[str] | None,
    rules: VariantRules | None,
) -> tuple[list[Target], float]:
    rules = rules or variant_rules()
    share = any(w in query.indicator for w in rules.share_words)
    best: tuple[float, list[Target]] = (0.0, [])
    for n, tier in enumerate(wording_variants(query.indicator, rules)):
        for text in dict.fromkeys(t for raw in tier for t in (raw, words_apart(raw))):
            sub = replace(query, indicator=text)
            found = lookup(sub, index, doc_regions, allowed).rows
            if not found:
                continue
            extra, coverage = _fitting_too(sub, found, index, allowed)
            fit = coverage * (BROADER_WEIGHT if n else 1.0)
            if share and not any(r.unit == "%" for r in found):
                fit *= SHARE_MISMATCH_WEIGHT
            if fit > best[0] + 1e-9:
                best = (fit, found + extra)
            if fit >= 1 - 1e-9:
                return best[1], best[0]
    scoped = _beside_scope_word(query, index, doc_regions, allowed, rules)
    if scoped is not None and scoped[0] > best[0] + 1e-9:
        return scoped[1], scoped[0]
    return best[1], best[0]


def _beside_scope_word(
    query: Query,
    index: RowIndex,
    doc_regions: dict[str, str],
    allowed: set[str] | None,
    rules: VariantRules,
) -> tuple[float, list[Target]] | None:
    """The question without the institution or group it names, answered by rows whose sentence names it.

    ``家庭医生签约率`` of a plan that writes ``…家庭医生签约服务…城乡居民签约服务覆盖率达到70%以上``: the row
    (城乡居民签约服务覆盖率) leaves 家庭医生 to its sentence. The rest must be a wording of its own
    (``MIN_SCOPED_REST`` characters or more); it fits as a broader wording does.
    """
    text = nfkc(query.indicator)
    named = {*rules_scope_words(), *(broad for broad, _ in rules.narrower_kinds)}
    word = next((w for w in sorted(named, key=len, reverse=True) if w in text), None)
    if word is None:
        return None
    rest = text.replace(word, " ").strip(" 的")
    if len(rest.replace(" ", "")) < MIN_SCOPED_REST:
        return None
    share = any(w in rest for w in rules.share_words)
    # The question's own kind first; a narrower kind (乡镇卫生院 in 基层医疗卫生机构) only when no row names it.
    for kinds, weight in (((word,), BROADER_WEIGHT), (narrower_kinds(word, rules), BROADER_WEIGHT * NARROWER_WEIGHT)):
        if not kinds:
            continue

        def scoped(row: Target, kinds: tuple[str, ...] = kinds) -> bool:
            return any(k in nfkc(row.quote) or k in nfkc(row.indicator) for k in kinds)

        for tier in wording_variants(rest, rules):
            for variant in tier:
                sub = replace(query, indicator=variant)
                found = [r for r in lookup(sub, index, doc_regions, allowed).rows if scoped(r)]
                if not found:
                    continue
                extra, coverage = _fitting_too(sub, found, index, allowed)
                rows = found + [r for r in extra if scoped(r)]
                fit = coverage * weight
                if share and not any(r.unit == "%" for r in rows):
                    fit *= SHARE_MISMATCH_WEIGHT
                return fit, rows
    return None


def rules_scope_words() -> tuple[str, ...]:
    """Institutions and groups a target may be scoped to (scope.toml ``institutions``)."""
    return rules().institutions


def annotate_rows(answer: Answer, rows: list[Target], unshown: list[str], title_of: Callable[[str], str]) -> Answer:
    """Notes under a list of rows: plans that set different indicators, and regions a cut list left out."""
    by_doc: dict[str, list[Target]] = {}
    for r in rows:
        by_doc.setdefault(r.doc_id, []).append(r)
    if len(by_doc) >= 2 and indicators_differ(list(by_doc.values())):
        named = "；".join(
            f"《{title_of(doc)}》为“{'”“'.join(dict.fromkeys(_wording(r) for r in found))}”"
            for doc, found in by_doc.items()
        )
        add_lines(answer, [MSG_PLANS_DIFFERENT.format(wordings=named)])
    return note_unshown(answer, unshown)


def note_unshown(answer: Answer, regions: list[str]) -> Answer:
    """A list cut short says how many regions more there are, and which."""
    if regions:
        add_lines(answer, [MSG_UNSHOWN.format(names="、".join(regions))])
    return answer


def _wording(row: Target) -> str:
    return row.indicator.strip()


def _same_indicator(a: Target, b: Target) -> bool:
    """Two rows state the same indicator: one unit, no contrasting words (新增 / 累计), one wording in the other.

    Or, short of one inside the other, most of their bigrams shared.
    """
    if a.unit != b.unit:
        return False
    wa, wb = nfkc(_wording(a)), nfkc(_wording(b))
    if contrasted(wa, wb):
        return False
    if wa in wb or wb in wa:
        return True
    ga, gb = bigrams(wa), bigrams(wb)
    return bool(ga | gb) and len(ga & gb) / len(ga | gb) >= SAME_WORDING_SHARE


def indicators_differ(per_region: list[list[Target]]) -> bool:
    """Whether some region's rows share no indicator with another region's."""
    for i, rows in enumerate(per_region):
        for other in per_region[i + 1 :]:
            if not any(_same_indicator(a, b) for a in rows for b in other):
                return True
    return False


def answer_regions(
    query: Query,
    index: RowIndex,
    doc_regions: dict[str, str],
    allowed: set[str] | None,
    compose: Callable[[Query, list[Target]], Answer],
) -> Answer | None:
    """One lookup per named region of a comparison, in one answer; None when not a comparison of regions.

    Lines come grouped by plan (the plans in the order their regions are named, each plan's regions in
    that order); a region with no such target gets its own line; when indicators differ, the note
    names each wording once, with the regions that use it.
    """
    if query.intent != "compare" or len(query.regions) < 2 or query.all_subregions:
        return None
    missing: list[str] = []
    sides: dict[str, list[Target]] = {}
    seen: set[str] = set()
    for region in named_order(query):
        sub = replace(query, regions=(region,))
        found = [r for r in fitting_rows(sub, index, doc_regions, allowed) if r.target_id not in seen]
        if not found:
            missing.append(region)
            continue
        seen.update(r.target_id for r in found)
        sides[region] = found
    if not sides:
        return None
    plans = list(dict.fromkeys(found[0].doc_id for found in sides.values()))
    by_plan = sorted(sides.items(), key=lambda side: plans.index(side[1][0].doc_id))
    rows = [r for _, found in by_plan for r in found]
    answer = compose(query, rows)
    extra: list[str] = [MSG_REGION_MISSING.format(region=region) for region in missing]
    if indicators_differ(list(sides.values())):
        extra.append(MSG_DIFFERENT.format(wordings=_wordings_named(by_plan)))
    if extra:
        add_lines(answer, extra, trim="。")
    return answer


def named_order(query: Query) -> list[str]:
    """The question's regions in the order it names them (甲、乙、丙), by full name or name without its suffix."""
    text = nfkc(query.text)
    suffixes = rules().admin_suffixes

    def where(region: str) -> int:
        name = nfkc(region)
        forms = [name, *(name[: -len(s)] for s in suffixes if name.endswith(s) and len(name) - len(s) >= 2)]
        found = [text.find(f) for f in forms if f and text.find(f) >= 0]
        return min(found) if found else len(text)

    return sorted(query.regions, key=where)


def _wordings_named(sides: list[tuple[str, list[Target]]]) -> str:
    """``甲县、乙县为“A”；丙区为“B”``: each set of wordings once, after the regions that use it."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for region, found in sides:
        groups.setdefault(tuple(dict.fromkeys(_wording(r) for r in found)), []).append(region)
    return "；".join(f"{'、'.join(regions)}为“{'”“'.join(words)}”" for words, regions in groups.items())


def answer_each_plan(
    query: Query,
    index: RowIndex,
    doc_regions: dict[str, str],
    allowed: set[str] | None,
    compose: Callable[[Query, list[Target]], Answer],
    title_of: Callable[[str], str],
) -> Answer | None:
    """``各地…分别是多少`` naming no place: each plan's own plan-level rows, grouped by plan.

    None when it is not such a question, or when no plan sets the target. When only one plan does,
    its plan-level rows answer (the ordinary lookup would list every district row of every plan that
    fits a little, 累计建成… beside 新增…).
    """
    if query.intent != "compare" or query.regions or not query.all_subregions:
        return None
    sub = replace(query, all_subregions=False)
    docs = sorted(allowed if allowed is not None else doc_regions)
    left_out: list[str] = []
    if len(docs) > MAX_PLANS_SCANNED:
        # A large library: only the plans holding the rows nearest the question's wording are asked.
        near = list(
            dict.fromkeys(s.key.doc_id for s in index.score(sub, index.positions(set(docs)), COMPARE_MIN_COVERAGE))
        )
        docs, left_out = sorted(near[:MAX_PLANS_SCANNED]), near[MAX_PLANS_SCANNED:]
    sides = [side_rows(sub, index, doc_regions, {doc}) for doc in docs]
    best = max((fit for _, fit in sides), default=0.0)
    # A plan whose rows fit the question far less than the best plan's do has no such target.
    kept = [(doc, found) for doc, (found, fit) in zip(docs, sides, strict=True) if fit >= best - EACH_PLAN_MARGIN]
    if not any(found for _, found in kept):
        return None
    # Whole plans up to MAX_ROWS rows (the first always); the rest are named under the list.
    rows: list[Target] = []
    unshown: list[str] = []
    for doc, found in kept:
        if found and rows and len(rows) + len(found) > MAX_ROWS:
            unshown.append(doc_regions.get(doc) or title_of(doc))
        else:
            rows.extend(found)
    unshown += [doc_regions.get(doc) or title_of(doc) for doc in left_out]
    if len(unshown) > MAX_UNSHOWN_NAMES:
        unshown = [*unshown[: MAX_UNSHOWN_NAMES - 1], unshown[MAX_UNSHOWN_NAMES - 1] + "等"]
    answer = compose(query, rows)
    if len({r.doc_id for r in rows}) == 1 and len(docs) > 1 and not unshown:
        add_lines(answer, [MSG_ONLY_PLAN], trim="。")
    return annotate_rows(answer, rows, unshown, title_of)


def without_side_fillers(query: Query, rules: VariantRules | None = None) -> Query:
    """``query`` without the spoken pointers at its topic (基层特色科室这块 -> 基层特色科室), when a wording is left."""
    rules = rules or variant_rules()
    text = query.indicator
    for w in rules.side_fillers:
        text = text.replace(w, "")
    text = text.strip(" ，,、的")
    return replace(query, indicator=text) if len(text) >= MIN_SCOPED_REST else query


def answer_sides(
    query: Query,
    plans: Sequence[str],
    index: RowIndex,
    doc_regions: dict[str, str],
    compose: Callable[[Query, list[Target]], Answer],
    title_of: Callable[[str], str],
    stated: Callable[[Query, set[str]], tuple[SearchHit, str] | None] | None = None,
    cite: Callable[[SearchHit, int, str], Citation] | None = None,
) -> Answer | None:
    """A comparison of plans the question names (by title or description) and regions it names.

    ``甲方案和乙市的方案…分别``, ``乙市和某某的那份方案…各``: each named plan is asked within itself,
    each named region within its own rows; each side gets its rows, or the sentence of its plans that
    states what is asked (``stated``, quoted with ``cite``), or a plain "no such target" line. Sides
    answered by their own sentences state different requirements: the answer says so.
    None unless there are two sides or more and at least one of them has rows or a sentence.
    """
    plans = list(dict.fromkeys(plans))
    if len(plans) + len(query.regions) < 2 or not plans:
        return None
    rows: list[Target] = []
    missing: list[str] = []
    seen: set[str] = set()
    query = without_side_fillers(query)
    plan_query = replace(query, regions=(), all_subregions=False)
    said: list[tuple[str, SearchHit, str]] = []
    used: set[tuple[str, str]] = set()

    def sentence_of(side: Query, docs: set[str], label: str) -> bool:
        found = stated(side, docs) if stated is not None and cite is not None and docs else None
        if found is None or (found[0].chunk_id, found[1]) in used:
            return False
        used.add((found[0].chunk_id, found[1]))
        said.append((label, *found))
        return True

    for doc in plans:
        found = [r for r in fitting_rows(plan_query, index, doc_regions, {doc}) if r.target_id not in seen]
        if not found and not sentence_of(plan_query, {doc}, f"《{title_of(doc)}》"):
            missing.append(MSG_PLAN_MISSING.format(title=title_of(doc)))
        seen.update(r.target_id for r in found)
        rows.extend(found)
    others = {d for d in doc_regions if d not in plans}
    for region in query.regions:
        sub = replace(query, regions=(region,), all_subregions=False)
        found = [r for r in fitting_rows(sub, index, doc_regions, others) if r.target_id not in seen]
        own = {d for d in others if doc_regions.get(d) == region}
        if not found and not sentence_of(sub, own, f"{region}：《{title_of(min(own)) if own else ''}》"):
            missing.append(MSG_REGION_MISSING.format(region=region))
        seen.update(r.target_id for r in found)
        rows.extend(found)
    if not rows and not said:
        return None
    lead = Answer(question=query.text, answer=MSG_SIDES_LEAD, status="answered")
    answer = compose(query, rows) if rows else lead
    if said and cite is not None:
        lines = []
        for label, hit, sentence in said:
            n = len(answer.citations) + 1
            answer.citations.append(cite(hit, n, sentence))
            lines.append(MSG_SIDE_SENTENCE.format(side=label, quote=sentence, n=n))
        add_lines(answer, lines, trim="。")
    if missing:
        add_lines(answer, missing, trim="。")
    if said and len(said) + len({r.doc_id for r in rows}) >= 2:
        add_lines(answer, [MSG_SIDES_APART])
    return annotate_rows(answer, rows, [], title_of)


def reworded_lookup(
    query: Query, index: RowIndex, doc_regions: dict[str, str], allowed: set[str] | None
) -> Lookup | None:
    """A question no row answers in its own words, asked in another plan's words (assistant/wordings.py).

    ``中医阁的建设比例`` against ``建成“中医阁”``: equivalent heads first, then without implicit words;
    the first wording that finds rows answers, but a question asking for a share (比例, 占比) only
    with rows in percent. None when none does.
    """
    rules = variant_rules()
    share = any(w in query.indicator for w in rules.share_words)
    for tier in wording_variants(query.indicator, rules):
        for text in tier:
            if text == query.indicator:
                continue
            found = lookup(replace(query, indicator=text), index, doc_regions, allowed)
            if found.rows and (not share or any(r.unit == "%" for r in found.rows)):
                return found
    return None


def narrower_lookup(
    query: Query, index: RowIndex, doc_regions: dict[str, str], allowed: set[str] | None
) -> Lookup | None:
    """A question scoped to a kind of institution no row of its place answers, asked of the narrower kinds.

    ``某市基层医疗卫生机构…的比例`` where the plan scopes it to ``乡镇卫生院…`` (wordings.toml ``narrower_kinds``):
    the question without the broad kind, answered only by rows whose wording names a narrower kind, so the
    answer shows the narrower scope. None when the question names no broad kind or no such row fits.
    """
    rules = variant_rules()
    text = nfkc(query.indicator)
    broad = next((b for b, _ in sorted(rules.narrower_kinds, key=lambda g: -len(g[0])) if b in text), None)
    if broad is None:
        return None
    rest = text.replace(broad, " ").strip(" 的")
    if len(rest.replace(" ", "")) < MIN_SCOPED_REST:
        return None
    kinds = narrower_kinds(broad, rules)
    for tier in wording_variants(rest, rules):
        for variant in tier:
            found = lookup(replace(query, indicator=variant), index, doc_regions, allowed)
            rows = [r for r in found.rows if any(k in nfkc(r.indicator) for k in kinds)]
            if rows:
                return replace(found, rows=rows)
    return None

"""RowIndex's inverted index scores exactly the rows a scan over every row would, in the same order."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import replace
from typing import cast

import pytest

from assistant.lookup import COMPARE_MIN_COVERAGE, MIN_COVERAGE, RowIndex, Scored, _with_missing_years, lookup
from assistant.schema import Turn
from assistant.target_rows import RowKey, TargetRows, row_words
from assistant.understanding import Query, Vocabulary, bigrams, resolve
from assistant.wordings import verb_form_variants
from ingestion.pipeline import parse_file
from ingestion.schema import Target
from tests.conftest import PLANS, REPO

DATASET = REPO / "evals" / "datasets" / "shipped.jsonl"


def scan(index: RowIndex, query: Query, rows: Sequence[int] | None, min_coverage: float) -> list[Scored]:
    """The scoring rule applied to every row in turn (how RowIndex.score worked before its index).

    A row whose wording differs from the question's by a verb form alone (建设成 / 建成) is scored with the
    question in its form too, and keeps the better score.
    """
    best: dict[int, Scored] = {s.pos: s for s in _scan_one(index, query, rows, min_coverage)}
    for wording, used, other in verb_form_variants(query.indicator):
        for s in _scan_one(index, replace(query, indicator=wording), rows, min_coverage):
            words = index.keys[s.pos].words
            if other in words and used not in words and (s.pos not in best or s.score > best[s.pos].score):
                best[s.pos] = s
    out = list(best.values())
    # Ties (cells of one table row share its start) in row order, as the index keeps them; not in the order
    # the variants added them.
    out.sort(key=lambda s: (-s.score, s.key.doc_id, s.key.start, s.pos))
    return out


def _scan_one(index: RowIndex, query: Query, rows: Sequence[int] | None, min_coverage: float) -> list[Scored]:
    """The scoring rule on the question's wording as it stands, row by row."""
    from assistant import lookup as lk

    qb = {b for b in bigrams(query.indicator) if b not in lk._words().generic}
    if not qb:
        return []
    total = sum(index.weight(b) for b in qb)
    cb = bigrams(query.context) - qb if query.context else set()
    ctotal = sum(index.weight(b) for b in cb)
    grams = index.grams
    out: list[Scored] = []
    for i in rows if rows is not None else range(len(index.keys)):
        rb = grams[i]
        shared = qb & rb
        if not shared:
            continue
        coverage = sum(index.weight(b) for b in shared) / total
        if coverage < min_coverage:
            continue
        precision = sum(index.weight(b) for b in shared) / max(sum(index.weight(b) for b in rb), 1e-9)
        score = 0.75 * coverage + 0.25 * precision
        if ctotal:
            score += lk.CONTEXT_WEIGHT * sum(index.weight(b) for b in cb & rb) / ctotal
        if query.scope and query.scope == index.keys[i].scope:
            score += 0.03
        out.append(Scored(i, index.keys[i], round(score, 4), coverage, index.rows))
    out.sort(key=lambda s: (-s.score, s.key.doc_id, s.key.start))
    return out


@pytest.fixture(scope="module")
def rows() -> list[Target]:
    """Target rows of the four shipped plans, parsed (no embedding needed)."""
    out: list[Target] = []
    for path in sorted(PLANS.glob("*.txt")):
        out.extend(parse_file(path, max_bytes=50_000_000).targets)
    assert len(out) > 500
    return out


def _queries(rows: list[Target]) -> list[Query]:
    vocab = Vocabulary.build(
        [r.region for r in rows], [r.scope for r in rows], [f"{r.indicator} {r.column_header}" for r in rows]
    )
    items = [json.loads(line) for line in DATASET.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [
        resolve(item["question"], [Turn.model_validate(t) for t in item.get("history") or []], vocab) for item in items
    ]


def _key(scored: list[Scored]) -> list[tuple[str, float, float]]:
    return [(s.key.target_id, s.score, s.coverage) for s in scored]


def test_index_scores_every_dataset_question_like_a_full_scan(rows: list[Target]) -> None:
    index = RowIndex(rows)
    some_docs = {rows[0].doc_id}
    restricted = index.positions(some_docs)
    assert restricted == [i for i, r in enumerate(rows) if r.doc_id in some_docs]
    nonempty = 0
    for query in _queries(rows):
        for min_coverage in (MIN_COVERAGE, COMPARE_MIN_COVERAGE, 0.0):
            for positions in (None, restricted):
                expected = scan(index, query, positions, min_coverage)
                assert _key(index.score(query, positions, min_coverage)) == _key(expected), query.text
                nonempty += bool(expected)
    assert nonempty > 300  # the comparison is not between empty lists


def test_copies_of_a_corpus_share_wordings_and_still_match_the_scan(rows: list[Target]) -> None:
    # Ten copies of every row under other document ids: the shape of a large corpus of similar plans.
    copies = [
        r.model_copy(update={"doc_id": f"{r.doc_id}-copy{n}", "target_id": f"{r.target_id}-{n}"})
        for n in range(10)
        for r in rows
    ]
    index = RowIndex(copies)
    assert len({row_words(r) for r in copies}) == len({row_words(r) for r in rows})
    for query in _queries(rows)[:60]:
        assert _key(index.score(query)) == _key(scan(index, query, None, MIN_COVERAGE))


def test_lookup_with_allowed_documents_uses_only_their_rows(rows: list[Target]) -> None:
    index = RowIndex(rows)
    doc = rows[0].doc_id
    regions = {r.doc_id: "" for r in rows}
    for query in _queries(rows)[:40]:
        found = lookup(query, index, regions, {doc})
        assert all(r.doc_id == doc for r in found.rows)


def test_idf_counts_each_wording_once(rows: list[Target]) -> None:
    index = RowIndex(rows + rows)  # every row twice: same wordings, same weights
    single = RowIndex(rows)
    assert index.idf == single.idf
    assert math.isclose(index.unknown_idf, single.unknown_idf)


def test_several_years_asked_take_each_missing_year_from_the_plans_best_wording_of_it() -> None:
    # 某某率2015年、2020年、2030年: an opening's base-value sentence (2015) outscores the indicator table, whose
    # 2020 and 2030 cells fall outside the tie margin; each missing year comes from the best wording that has it.
    def scored(pos: int, doc: str, year: str, score: float) -> Scored:
        key = RowKey(f"t{pos}", doc, "全国", year, "", "table", "", pos, "某某率")
        return Scored(pos, key, score, 1.0, cast(TargetRows, None))

    opening = scored(0, "n", "2015", 0.9)
    table = [scored(1, "n", "2020", 0.7), scored(2, "n", "2030", 0.7), scored(3, "n", "2030", 0.5)]
    other_plan = scored(4, "m", "2020", 0.8)
    kept = _with_missing_years(("2015", "2020", "2030"), [opening], [opening, *table, other_plan])
    assert [s.pos for s in kept] == [0, 1, 2]
    # A year the kept rows have is not taken again.
    assert [s.pos for s in _with_missing_years(("2015",), [opening], [opening, *table])] == [0]

"""The region filter against the region a question names: which one is used, and the note that says so."""

from __future__ import annotations

from assistant.region_note import choose_region, with_note
from assistant.schema import Answer, Filters
from assistant.understanding import Vocabulary, resolve

# Made-up places, not the shipped plans'.
VOCAB = Vocabulary.build(["青禾县", "白鹭县", "云台市"], [])


def _choose(question: str, region: str | None):  # type: ignore[no-untyped-def]
    query = resolve(question, [], VOCAB)
    return choose_region(query, Filters(region=region) if region is not None else None, VOCAB)


def test_question_region_overrides_a_contradicting_filter() -> None:
    choice = _choose("青禾县到2026年每万人口全科医生数要达到多少？", "白鹭县")
    assert choice.filters is not None and choice.filters.region is None, "the filter's region is dropped"
    assert "青禾县" in choice.note and "白鹭县" in choice.note
    assert choice.note.index("按问题中的地区“青禾县”") > 0


def test_other_filters_survive_the_override() -> None:
    query = resolve("青禾县每万人口全科医生数是多少？", [], VOCAB)
    choice = choose_region(query, Filters(region="白鹭县", year="2026", doc_ids=["a"]), VOCAB)
    assert choice.filters == Filters(region=None, year="2026", doc_ids=["a"])


def test_same_region_in_another_form_is_no_contradiction() -> None:
    for question, region in [
        ("青禾到2026年每万人口全科医生数要达到多少？", "青禾县"),
        ("青禾县到2026年每万人口全科医生数要达到多少？", "青禾"),
        ("青禾县到2026年每万人口全科医生数要达到多少？", "青禾县"),
    ]:
        choice = _choose(question, region)
        assert choice.note == "", (question, region)
        assert choice.filters == Filters(region=region)


def test_no_region_in_question_or_no_filter_gives_no_note() -> None:
    assert _choose("到2026年每万人口全科医生数要达到多少？", "白鹭县").note == ""
    assert _choose("青禾县到2026年每万人口全科医生数要达到多少？", None).note == ""
    assert _choose("青禾县到2026年每万人口全科医生数要达到多少？", "").note == ""


def test_unknown_place_under_a_filter_says_the_filter_was_used() -> None:
    choice = _choose("黑石县到2026年每万人口全科医生数要达到多少？", "白鹭县")
    assert choice.filters == Filters(region="白鹭县")
    assert "黑石县" in choice.note and "按筛选条件中的地区“白鹭县”" in choice.note


def test_two_named_regions_one_matching_the_filter_is_no_contradiction() -> None:
    assert _choose("青禾县和白鹭县的每万人口全科医生数分别是多少？", "白鹭县").note == ""
    note = _choose("青禾县和云台市的每万人口全科医生数分别是多少？", "白鹭县").note
    assert "青禾县" in note and "云台市" in note and "白鹭县" in note


def test_with_note_puts_the_note_first_once() -> None:
    answer = Answer(question="q", answer="a", status="answered", notes=["llm_error: X"])
    noted = with_note(answer, "说明一")
    assert noted.notes == ["说明一", "llm_error: X"]
    assert with_note(noted, "说明一").notes == noted.notes
    assert with_note(answer, "") is answer

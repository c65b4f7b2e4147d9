"""The declared answer paths: the list ``Answerer`` walks, first answer wins, the path recorded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.answering import ANSWER_PATHS, NUMBER_PATHS, AnswerContext, Answerer, DeclaredPath, NumberScope
from assistant.schema import Answer, Filters
from assistant.service import Assistant

NUMBER_QUESTION = "连云港到2025年底基础设施提档升级达标率要达到多少？"


@pytest.fixture(scope="module")
def answerer(shipped_assistant: Assistant) -> Answerer:
    """An Answerer of its own (the shared assistant's is never changed by these tests)."""
    return Answerer(shipped_assistant.settings, shipped_assistant.library)


@pytest.fixture
def fresh(answerer: Answerer) -> Iterator[Answerer]:
    """The module's Answerer with the declared lists put back after each test."""
    yield answerer
    answerer.paths = ANSWER_PATHS
    answerer.number_paths = NUMBER_PATHS


def _fixed(text: str, calls: list[str] | None = None) -> DeclaredPath[AnswerContext]:
    def answer(ctx: AnswerContext) -> Answer | None:
        if calls is not None:
            calls.append(text)
        return Answer(question=ctx.question, answer=text, status="answered")

    return DeclaredPath(text, answer)


def test_the_declared_lists_are_what_the_answerer_walks(fresh: Answerer) -> None:
    assert fresh.paths == ANSWER_PATHS
    assert fresh.number_paths == NUMBER_PATHS
    for paths in (ANSWER_PATHS, NUMBER_PATHS):
        names = [p.name for p in paths]
        assert len(names) == len(set(names)), names
        for p in paths:
            assert isinstance(p, DeclaredPath)
            assert p.answer.__doc__, f"{p.name} says when it answers"


def test_a_path_put_first_answers_first_and_later_paths_are_not_tried(fresh: Answerer) -> None:
    calls: list[str] = []
    fresh.paths = (_fixed("先答", calls), _fixed("后答", calls), *ANSWER_PATHS)
    answer = fresh.ask(NUMBER_QUESTION, [], None)
    assert (answer.answer, answer.path) == ("先答", "先答")
    assert calls == ["先答"]


def test_a_path_that_does_not_apply_lets_the_next_answer(fresh: Answerer) -> None:
    skipped: list[str] = []

    def never(ctx: AnswerContext) -> Answer | None:
        skipped.append(ctx.question)
        return None

    fresh.paths = (DeclaredPath("never", never), *ANSWER_PATHS)
    answer = fresh.ask(NUMBER_QUESTION, [], None)
    assert skipped == [NUMBER_QUESTION]
    assert answer.status == "answered" and answer.targets
    assert answer.path == "numbers/rows"


def test_the_declared_paths_name_what_answered(fresh: Answerer) -> None:
    assert fresh.ask("你好", [], None).path == "help"
    assert fresh.ask("   ", [], None).path == "empty"
    assert fresh.ask(NUMBER_QUESTION, [], None).path == "numbers/rows"


def test_a_number_path_put_first_answers_within_the_numbers_stage(fresh: Answerer) -> None:
    def first(scope: NumberScope) -> Answer | None:
        return Answer(question=scope.query.text, answer="数字先答", status="answered")

    fresh.number_paths = (DeclaredPath("first", first), *NUMBER_PATHS)
    answer = fresh.ask(NUMBER_QUESTION, [], None)
    assert (answer.answer, answer.path) == ("数字先答", "numbers/first")


def test_after_steps_run_only_for_paths_that_take_them(fresh: Answerer) -> None:
    # 青川县 is no place of the library's plans: the caller's region is kept, with a note saying so.
    filters = Filters(region="白石市")
    fresh.paths = (_fixed("带注"), *ANSWER_PATHS)
    noted = fresh.ask("青川县的床位数是多少？", [], filters)
    assert noted.path == "带注" and noted.notes and "白石市" in noted.notes[0]
    fresh.paths = (DeclaredPath("不带注", _fixed("不带注").answer, after_steps=False), *ANSWER_PATHS)
    plain = fresh.ask("青川县的床位数是多少？", [], filters)
    assert plain.path == "不带注" and plain.notes == []


def test_the_path_is_never_serialized(fresh: Answerer) -> None:
    answer = fresh.ask(NUMBER_QUESTION, [], None)
    assert answer.path
    assert "path" not in answer.model_dump() and '"path"' not in answer.model_dump_json()


def test_no_path_answering_is_an_error(fresh: Answerer) -> None:
    fresh.paths = ()
    with pytest.raises(LookupError, match=r"Answerer\.paths"):
        fresh.ask(NUMBER_QUESTION, [], None)


def test_a_number_answered_from_the_target_rows_runs_no_passage_search(
    fresh: Answerer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every path before the numbers runs for every question: one that searched passages for all of them
    # made numeric answers ten times slower. The rows answer without any search.
    searches: list[str] = []
    real = fresh.library.search

    def counting(text: str, *args: object, **kwargs: object) -> object:
        searches.append(text)
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fresh.library, "search", counting)
    answer = fresh.ask(NUMBER_QUESTION, [], None)
    assert answer.status == "answered" and answer.path == "numbers/rows"
    assert searches == []

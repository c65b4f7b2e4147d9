"""Target rows served from the catalogue: the same answers as rows held in memory, fetched only when used."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from assistant.catalogue import Catalogue
from assistant.lookup import RowIndex, lookup
from assistant.schema import Turn
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.target_rows import CatalogueRows, MemoryRows, load_rows
from assistant.understanding import Vocabulary, resolve
from ingestion.schema import Target


@pytest.fixture(scope="module")
def catalogue(shipped_settings: Settings) -> Catalogue:
    return Catalogue(shipped_settings.database_url)


def test_catalogue_rows_are_the_stored_rows_by_position(catalogue: Catalogue) -> None:
    stored = catalogue.all_targets()
    rows = CatalogueRows(catalogue, cache_size=50)
    assert len(rows) == len(stored) == catalogue.count_targets() > 500
    assert [k.target_id for k in rows.keys] == [t.target_id for t in stored]
    picks = [0, 7, len(stored) // 2, len(stored) - 1, 7]
    assert rows.many(picks) == [stored[i] for i in picks]
    assert rows[3] == stored[3] and list(rows[10:13]) == stored[10:13]
    assert rows.wordings == MemoryRows(stored).wordings


def test_the_row_cache_is_bounded(catalogue: Catalogue) -> None:
    rows = CatalogueRows(catalogue, cache_size=5)
    fetched = rows.many(range(40))
    assert len(fetched) == 40 and len(rows._cache) == 5


def test_small_catalogues_stay_in_memory_and_large_ones_are_served(catalogue: Catalogue) -> None:
    n = catalogue.count_targets()
    assert isinstance(load_rows(catalogue, n), MemoryRows)
    assert isinstance(load_rows(catalogue, n - 1), CatalogueRows)


class CountingRows(MemoryRows):
    """Rows in memory that record which positions were fetched in full."""

    def __init__(self, rows: list[Target]) -> None:
        super().__init__(rows)
        self.fetched: list[int] = []

    def many(self, positions: Iterable[int]) -> list[Target]:
        wanted = list(positions)
        self.fetched.extend(wanted)
        return super().many(wanted)


def test_a_question_naming_a_region_fetches_only_rows_of_that_region() -> None:
    # Two made-up plans with one indicator, each for its own county and years.
    rows = [
        Target(
            target_id=f"{doc}-{region}-{year}",
            doc_id=doc,
            region=region,
            indicator="培养全科医生数",
            value=value,
            unit="人",
            year=year,
            kind="table",
            quote=f"{region} {value}",
            start=n,
        )
        for doc, regions in (("plan-a", ("甲县", "乙县")), ("plan-b", ("丙县", "丁县")))
        for n, (region, year, value) in enumerate(
            (r, y, 10 + i) for i, r in enumerate(regions) for y in ("2024", "2025")
        )
    ]
    counting = CountingRows(rows)
    index = RowIndex(counting)
    vocab = Vocabulary.build([r.region for r in rows], [], [r.indicator for r in rows])
    query = resolve("丙县2025年培养全科医生数是多少？", [], vocab)
    found = lookup(query, index, {"plan-a": "", "plan-b": ""})
    assert [r.target_id for r in found.rows] == ["plan-b-丙县-2025"]
    assert counting.fetched and {counting.keys[i].region for i in counting.fetched} == {"丙县"}


def test_rows_served_from_the_catalogue_answer_every_dataset_question_alike(
    shipped_settings: Settings, shipped_assistant: Assistant
) -> None:
    from assistant.answering import Answerer
    from evals.dataset import load_datasets

    served = Assistant(shipped_settings.model_copy(update={"target_rows_in_memory": 0}))
    assert isinstance(Answerer(served.settings, served.library).rows, CatalogueRows)
    differ = []
    items = load_datasets()
    for item in items:
        history = [Turn.model_validate(t) for t in item.get("history", [])]
        a = shipped_assistant.ask(item["question"], history=history)
        b = served.ask(item["question"], history=history)
        if (a.answer, a.status, a.citations) != (b.answer, b.status, b.citations):
            differ.append(item["id"])
    assert len(items) > 600 and differ == []

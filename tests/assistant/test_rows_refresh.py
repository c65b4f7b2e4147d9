"""The answer layer's rows after a catalogue change: only the changed documents' rows are read again."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from assistant import target_rows
from assistant.catalogue import Catalogue
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.target_rows import CatalogueRows, load_rows
from ingestion.schema import Chunk, DocumentMeta, ParsedDocument, Target

KeyFields = tuple[str, str, str, str, str, str, str, int, str, str, float, float | None]
# Made-up plans (no shipped plan): each sets two indicators for its own county.
INDICATORS = ("每万人口全科医生数", "村卫生室标准化建设率")


def _plan(doc_id: str, region: str, value: float) -> ParsedDocument:
    text = f"到2027年，{region}{INDICATORS[0]}达到{value}名，{INDICATORS[1]}达到90%。"
    return ParsedDocument(
        doc_id=doc_id,
        source=f"{doc_id}.txt",
        content_hash=f"hash-{doc_id}-{value}",
        text=text,
        meta=DocumentMeta(title=f"{region}卫生健康规划", region=region),
        chunks=[Chunk(chunk_id=f"{doc_id}:h:0", doc_id=doc_id, ord=0, text=text, start=0, end=len(text))],
        targets=[
            Target(
                target_id=f"{doc_id}:t{n}:{value}",
                doc_id=doc_id,
                region=region,
                indicator=indicator,
                value=value if n == 0 else 90,
                unit="名" if n == 0 else "%",
                year="2027",
                quote=text,
                start=n,
                end=len(text),
            )
            for n, indicator in enumerate(INDICATORS)
        ],
    )


class CountingCatalogue(Catalogue):
    """A catalogue that records which documents' keys were read (None: every document's)."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.key_reads: list[set[str] | None] = []

    def target_keys(self, doc_ids: Iterable[str] | None = None) -> Iterator[KeyFields]:
        ids = None if doc_ids is None else set(doc_ids)
        self.key_reads.append(ids)
        return super().target_keys(ids)


def _same_as_full_read(rows: CatalogueRows, catalogue: Catalogue) -> None:
    full = CatalogueRows(catalogue)
    assert rows.keys == full.keys
    assert rows.wordings == full.wordings
    assert [r.value for r in rows.many(range(len(rows)))] == [t.value for t in catalogue.all_targets()]


def test_adding_replacing_and_removing_a_plan_reads_only_its_rows(tmp_path: Path) -> None:
    catalogue = CountingCatalogue(f"sqlite:///{tmp_path / 'store.sqlite'}")
    for doc_id, region, value in (("b-plan", "白石县", 3), ("d-plan", "青川县", 4)):
        catalogue.replace_document(_plan(doc_id, region, value), f"fp-{doc_id}")
    rows = load_rows(catalogue, in_memory_up_to=0)
    assert isinstance(rows, CatalogueRows) and catalogue.key_reads == [None]
    assert rows.many(range(len(rows)))  # fills the row cache

    catalogue.replace_document(_plan("a-plan", "红岭县", 7), "fp-a")  # sorts before the others
    added = load_rows(catalogue, 0, previous=rows)
    assert isinstance(added, CatalogueRows) and catalogue.key_reads[-1] == {"a-plan"}
    assert [k.doc_id for k in added.keys] == ["a-plan"] * 2 + ["b-plan"] * 2 + ["d-plan"] * 2
    _same_as_full_read(added, catalogue)
    assert len(rows) == 4  # the earlier snapshot is unchanged for questions still using it

    catalogue.replace_document(_plan("b-plan", "白石县", 5), "fp-b2")  # a new version
    replaced = load_rows(catalogue, 0, previous=added)
    assert isinstance(replaced, CatalogueRows) and catalogue.key_reads[-1] == {"b-plan"}
    assert {r.value for r in replaced.many(range(len(replaced))) if r.doc_id == "b-plan"} == {5, 90}
    _same_as_full_read(replaced, catalogue)

    catalogue.delete_document("d-plan")
    removed = load_rows(catalogue, 0, previous=replaced)
    assert isinstance(removed, CatalogueRows) and catalogue.key_reads[-1] == {"d-plan"}
    assert {k.doc_id for k in removed.keys} == {"a-plan", "b-plan"}
    assert "青川县" not in {k.region for k in removed.keys}
    _same_as_full_read(removed, catalogue)


def test_a_change_the_versions_do_not_show_reads_every_row(tmp_path: Path) -> None:
    catalogue = CountingCatalogue(f"sqlite:///{tmp_path / 'store.sqlite'}")
    catalogue.replace_document(_plan("b-plan", "白石县", 3), "fp-b")
    rows = load_rows(catalogue, 0)
    # Two writes since the snapshot, but one document's version differs: the count of changes does not
    # match, so the refresh cannot tell what else changed and reads every row.
    catalogue.replace_document(_plan("c-plan", "青川县", 4), "fp-c")
    catalogue.replace_document(_plan("c-plan", "青川县", 6), "fp-c2")
    again = load_rows(catalogue, 0, previous=rows)
    assert isinstance(again, CatalogueRows) and catalogue.key_reads[-1] is None
    _same_as_full_read(again, catalogue)


def test_a_new_process_starts_from_the_snapshot_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    snapshot = tmp_path / "data" / "answer_rows" / "keys.pickle"
    writer = Catalogue(url)
    for doc_id, region, value in (("b-plan", "白石县", 3), ("d-plan", "青川县", 4)):
        writer.replace_document(_plan(doc_id, region, value), f"fp-{doc_id}")
    first = load_rows(CountingCatalogue(url), 0, snapshot=snapshot)
    assert snapshot.is_file()

    # A new process, nothing changed: no key is read from the catalogue.
    catalogue = CountingCatalogue(url)
    again = load_rows(catalogue, 0, snapshot=snapshot)
    assert isinstance(again, CatalogueRows) and catalogue.key_reads == []
    assert again.keys == first.keys and again.wordings == first.wordings
    _same_as_full_read(again, catalogue)

    # A plan added while no process was running: only its keys are read, and the file follows.
    writer.replace_document(_plan("a-plan", "红岭县", 7), "fp-a")
    catalogue = CountingCatalogue(url)
    added = load_rows(catalogue, 0, snapshot=snapshot)
    assert catalogue.key_reads == [{"a-plan"}]
    assert isinstance(added, CatalogueRows)
    _same_as_full_read(added, catalogue)
    catalogue = CountingCatalogue(url)
    assert load_rows(catalogue, 0, snapshot=snapshot).keys == added.keys and catalogue.key_reads == []

    # A file from another catalogue, or a damaged one, is not used: every row is read.
    other = CountingCatalogue(f"sqlite:///{tmp_path / 'other.sqlite'}")
    other.replace_document(_plan("b-plan", "白石县", 3), "fp-b-plan")
    assert load_rows(other, 0, snapshot=snapshot).keys != added.keys and other.key_reads == [None]
    snapshot.write_bytes(b"not a snapshot")
    catalogue = CountingCatalogue(url)
    assert load_rows(catalogue, 0, snapshot=snapshot).keys == added.keys and catalogue.key_reads == [None]


def test_the_assistant_answers_for_an_added_plan_and_forgets_a_removed_one(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", target_rows_in_memory=0, llm_base_url=None)  # type: ignore[call-arg]
    assistant = Assistant(settings)
    catalogue = assistant.library.catalogue
    catalogue.replace_document(_plan("b-plan", "白石县", 3), "fp-b")
    question = f"红岭县2027年{INDICATORS[0]}是多少？"
    assert "7" not in assistant.ask(question).answer
    rows_before = assistant._get_answerer().rows
    reads: list[set[str] | None] = []
    read_keys = catalogue.target_keys

    def counted(doc_ids: Iterable[str] | None = None) -> Iterator[KeyFields]:
        ids = None if doc_ids is None else set(doc_ids)
        reads.append(ids)
        return read_keys(ids)

    catalogue.target_keys = counted  # type: ignore[method-assign]
    catalogue.replace_document(_plan("a-plan", "红岭县", 7), "fp-a")
    # The replaced snapshot is freed by reference counting alone (no cycles), as the service's
    # gc.freeze() after each refresh assumes: with the collector off it is gone all the same.
    old_answerer, old_rows = weakref.ref(assistant._answerer), weakref.ref(rows_before)
    del rows_before
    gc.disable()
    try:
        answer = assistant.ask(question)
        assert old_answerer() is None and old_rows() is None
    finally:
        gc.enable()
    assert gc.get_freeze_count() > 0
    assert answer.status == "answered" and "7名" in answer.answer
    assert reads == [{"a-plan"}]

    catalogue.delete_document("a-plan")
    assert "7名" not in assistant.ask(question).answer
    assert reads == [{"a-plan"}, {"a-plan"}]
    assert {k.doc_id for k in assistant._get_answerer().rows.keys} == {"b-plan"}


def test_a_full_read_serves_the_snapshot_copy_of_its_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    writer = Catalogue(url)
    for doc_id, region, value in (("b-plan", "白石县", 3), ("d-plan", "青川县", 4)):
        writer.replace_document(_plan(doc_id, region, value), f"fp-{doc_id}")
    copies: list[CatalogueRows | None] = []
    real = target_rows._rows_from_snapshot

    def spy(catalogue: Catalogue, data: bytes, source: str) -> CatalogueRows | None:
        copies.append(real(catalogue, data, source))
        return copies[-1]

    monkeypatch.setattr(target_rows, "_rows_from_snapshot", spy)
    # The snapshot cannot be written (its folder is a file): the copy is made from memory all the same.
    (tmp_path / "blocked").write_text("")
    for snapshot in (tmp_path / "data" / "keys.pickle", tmp_path / "blocked" / "keys.pickle"):
        catalogue = CountingCatalogue(url)
        copies.clear()
        rows = load_rows(catalogue, 0, snapshot=snapshot)
        assert catalogue.key_reads == [None] and len(copies) == 1 and rows is copies[0]
        assert isinstance(rows, CatalogueRows)
        assert (rows.generation, rows.versions) == (catalogue.generation(), catalogue.document_versions())
        _same_as_full_read(rows, catalogue)
        # The copy refreshes like any snapshot: a plan added later is read alone, without another copy.
        writer.replace_document(_plan(f"a-{snapshot.parent.name}", "红岭县", 7), f"fp-{snapshot.parent.name}")
        added = load_rows(catalogue, 0, previous=rows, snapshot=snapshot)
        assert catalogue.key_reads[-1] == {f"a-{snapshot.parent.name}"} and len(copies) == 1
        assert isinstance(added, CatalogueRows)
        _same_as_full_read(added, catalogue)

"""The catalogue behaves the same on SQLite and PostgreSQL: writes, filters, generation under concurrency."""

from __future__ import annotations

import pytest

from assistant.catalogue import Catalogue
from ingestion.schema import Chunk, DocumentMeta, ParsedDocument, Target
from ingestion.text.errors import NotFoundError
from tests.processes import run_at_once

# Made-up plan text (no shipped plan): one sentence, one target row.
TEXT = "到2027年，Alpha新区每万人口全科医生数达到5名，家庭医生签约率（%）达到75%以上。"


def _doc(doc_id: str, region: str = "Alpha新区", value: float = 5) -> ParsedDocument:
    quote = TEXT
    return ParsedDocument(
        doc_id=doc_id,
        source=f"{doc_id}.txt",
        content_hash=f"hash-{doc_id}-{value}",
        text=TEXT,
        meta=DocumentMeta(title=f"{region}卫生规划", region=region),
        chunks=[Chunk(chunk_id=f"{doc_id}:h:0", doc_id=doc_id, ord=0, text=TEXT, start=0, end=len(TEXT))],
        targets=[
            Target(
                target_id=f"{doc_id}:t0",
                doc_id=doc_id,
                region=region,
                indicator="每万人口全科医生数",
                value=value,
                unit="名",
                year="2027",
                quote=quote,
                start=0,
                end=len(TEXT),
            ),
            Target(
                target_id=f"{doc_id}:t1",
                doc_id=doc_id,
                region=region,
                indicator="家庭医生签约率（%）",
                value=75,
                unit="%",
                comparator="≥",
                year="2027",
                quote=quote,
                start=0,
                end=len(TEXT),
            ),
        ],
    )


def test_write_read_replace_delete(database_url: str) -> None:
    store = Catalogue(database_url)
    assert store.generation() == 0
    assert store.replace_document(_doc("d1"), "fp1") == []
    assert store.generation() == 1
    assert store.document("d1").meta.region == "Alpha新区"
    assert store.fingerprints() == {"d1": "fp1"}
    assert store.replace_document(_doc("d1", value=6), "fp2") == ["d1:h:0"]
    assert [t.value for t in store.targets(indicator="全科医生")] == [6]
    assert store.generation() == 2
    assert store.delete_document("d1") == ["d1:h:0"]
    assert store.count_documents() == 0 and store.count_targets() == 0
    assert store.generation() == 3
    with pytest.raises(NotFoundError):
        store.delete_document("d1")


def test_filters_ignore_ascii_case_and_take_wildcards_literally(database_url: str) -> None:
    store = Catalogue(database_url)
    store.replace_document(_doc("d1"), "fp")
    store.replace_document(_doc("d2", region="Beta县"), "fp")
    # SQLite's LIKE ignores ASCII case and PostgreSQL's does not: the catalogue uses ILIKE on both.
    assert {t.doc_id for t in store.targets(region="alpha")} == {"d1"}
    assert store.doc_ids_with_target_region("BETA") == {"d2"}
    assert store.doc_ids_with_target_region("Be_a") == set() == store.doc_ids_with_target_region("%县")
    assert store.doc_ids_with_target_region("新区", names=store.target_regions()) == {"d1"}
    assert store.target_regions() == {"Alpha新区", "Beta县"}
    assert [t.target_id for t in store.targets(indicator="签约率（%）", doc_id="d1")] == ["d1:t1"]
    assert store.targets(indicator="签约_") == []  # "_" is a character, not a wildcard
    assert len(store.targets(year="2027", kind="narrative", limit=3)) == 3


def test_concurrent_writers_never_lose_a_generation(database_url: str) -> None:
    """Four writers (each its own engine, like separate workers) commit 5 changes each: generation is 20."""
    Catalogue(database_url).count_documents()  # migrate once before the writers start
    stores = [Catalogue(database_url) for _ in range(4)]

    def write(worker: int) -> None:
        for i in range(5):
            stores[worker].replace_document(_doc(f"w{worker}", value=i), f"fp{i}")

    errors = run_at_once(write, 4, ready=lambda worker: stores[worker].count_documents())
    assert errors == []
    store = Catalogue(database_url)
    assert store.generation() == 20
    assert store.count_documents() == 4


def test_docs_containing_matches_text_literally(database_url: str) -> None:
    store = Catalogue(database_url)
    store.replace_document(_doc("d1"), "fp")
    assert store.docs_containing("全科医生数") == {"d1"}
    assert store.docs_containing("专科医生") == set()
    assert store.docs_containing("签约率_%") == set()  # "_" and "%" are characters, not wildcards
    assert store.docs_containing("签约率（%）") == {"d1"}

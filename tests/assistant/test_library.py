"""The library against a real store (SQLite and PostgreSQL catalogues): ingest, replace, bad input, delete, kills."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.library import Library
from assistant.schema import Filters
from assistant.settings import Settings
from ingestion.text.errors import NotFoundError
from tests.conftest import PLANS, REPO, make_settings

# A small real plan: the opening of a shipped plan, enough for a few chunks.
SAMPLE = (PLANS / "000_778e5b2cbe8b919c.txt").read_text(encoding="utf-8")[:2500]


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """A scratch store whose catalogue is SQLite, then PostgreSQL (Chroma and shards under data_dir)."""
    return make_settings(tmp_path, database_url=database_url)


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _consistent(lib: Library) -> None:
    """Every stored document has exactly its chunks; every chunk's vector is in Chroma."""
    store_ids = lib.catalogue.chunk_ids()
    for doc in lib.catalogue.documents():
        ids = lib.catalogue.chunk_ids_for_docs([doc.doc_id])
        assert len(ids) == doc.n_chunks
        assert all(cid.startswith(f"{doc.doc_id}:{doc.content_hash[:8]}:") for cid in ids)
    assert store_ids <= lib.dense.ids()


def test_ingest_is_idempotent_and_replaces_changed_files(settings: Settings, tmp_path: Path) -> None:
    lib = Library(settings)
    plan = _write(tmp_path / "plan.txt", SAMPLE)
    first = lib.ingest([plan]).files[0]
    assert first.status == "added" and first.n_chunks > 0
    old_ids = lib.catalogue.chunk_ids()
    only_plan = Filters(doc_ids=["plan"])
    assert lib.allowed_chunks(only_plan) == old_ids

    assert lib.ingest([plan]).files[0].status == "unchanged"
    assert lib.catalogue.chunk_ids() == old_ids

    _write(plan, SAMPLE.replace("基层医疗", "基层医疗卫生", 1) + "\n补充说明：到2025年底，全市建成示范机构12家。\n")
    second = lib.ingest([plan]).files[0]
    assert second.status == "updated"
    new_ids = lib.catalogue.chunk_ids()
    assert new_ids.isdisjoint(old_ids)
    assert lib.dense.ids() == new_ids  # old vectors removed, new ones present
    assert lib.allowed_chunks(only_plan) == new_ids  # a filter's chunk ids follow the new generation
    assert {h.chunk_id for h in lib.search("示范机构", k=3, filters=only_plan)} <= new_ids
    assert lib.catalogue.count_documents() == 1
    _consistent(lib)


def test_same_content_under_another_name_is_not_duplicated(settings: Settings, tmp_path: Path) -> None:
    lib = Library(settings)
    a = _write(tmp_path / "a.txt", SAMPLE)
    b = _write(tmp_path / "b.txt", SAMPLE)
    results = lib.ingest([a, b]).files
    assert [r.status for r in results] == ["added", "duplicate"]
    assert "a" in results[1].reason
    assert lib.catalogue.count_documents() == 1


def test_bad_files_are_reported_and_lose_nothing(tmp_path: Path, database_url: str) -> None:
    settings = make_settings(tmp_path, max_file_mb=0.05, database_url=database_url)
    lib = Library(settings)
    good = _write(tmp_path / "good.txt", SAMPLE)
    assert lib.ingest([good]).ok
    before = (lib.catalogue.chunk_ids(), lib.dense.ids())

    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.pdf").write_bytes(os.urandom(2048))
    (bad / "table.xlsx").write_bytes(b"PK\x03\x04 not really")
    (bad / "big.txt").write_bytes(("很长的文本。" * 20000).encode("utf-8"))
    _write(bad / "gbk.txt", SAMPLE.replace("基层", "乡村"), encoding="gb18030")
    report = lib.ingest([bad, tmp_path / "good.txt"])
    status = {Path(f.path).name: f for f in report.files}
    assert status["empty.txt"].status == "failed" and status["empty.txt"].reason
    assert status["binary.pdf"].status == "failed" and status["binary.pdf"].reason
    assert status["table.xlsx"].status == "failed" and ".xlsx" in status["table.xlsx"].reason
    assert status["big.txt"].status == "failed" and status["big.txt"].reason
    assert status["gbk.txt"].status == "added"  # GB18030 text must ingest
    assert status["good.txt"].status == "unchanged"
    assert not report.ok
    # The good document is untouched.
    assert before[0] <= lib.catalogue.chunk_ids()
    assert before[1] <= lib.dense.ids()
    gbk_doc = next(d for d in lib.catalogue.documents() if d.source == "gbk.txt")
    assert "乡村医疗" in lib.catalogue.document_text(gbk_doc.doc_id)
    _consistent(lib)


def test_delete_removes_rows_and_vectors(settings: Settings, tmp_path: Path) -> None:
    lib = Library(settings)
    plan = _write(tmp_path / "plan.txt", SAMPLE)
    doc_id = lib.ingest([plan]).files[0].doc_id
    lib.delete(doc_id)
    assert lib.catalogue.count_documents() == 0
    assert lib.catalogue.chunk_ids() == set()
    assert lib.dense.ids() == set()
    with pytest.raises(NotFoundError):
        lib.delete(doc_id)


def test_lexical_index_follows_ingest_and_delete_one_document_at_a_time(settings: Settings, tmp_path: Path) -> None:
    lib = Library(settings)
    a = _write(tmp_path / "a.txt", SAMPLE)
    b = _write(tmp_path / "b.txt", SAMPLE.replace("连云港", "某某") + "\n到2025年，全市建成老年友善医疗机构36家。\n")
    lib.ingest([a])
    assert set(lib.lexical().versions()) == {"a"}
    built: list[list[str]] = []
    real = lib._shard_tokens

    def spy(doc_ids: list[str]) -> dict[str, tuple[list[str], list[list[str]]]]:
        built.append(sorted(doc_ids))
        return real(doc_ids)

    lib._shard_tokens = spy  # type: ignore[method-assign]
    lib.ingest([b])
    assert [h.doc_id for h in lib.search("老年友善医疗机构", k=1)] == ["b"]
    assert built == [["b"]]  # only the new plan's chunks were read
    # A new process loads the shards from disk and reads no chunk at all.
    fresh = Library(settings)
    fresh._shard_tokens = spy  # type: ignore[method-assign]
    assert set(fresh.lexical().versions()) == {"a", "b"}
    assert built == [["b"]]
    lib.delete("b")
    assert all(h.doc_id == "a" for h in lib.search("老年友善医疗机构", k=3))
    assert set(lib.lexical().versions()) == {"a"}
    assert built == [["b"]]


def test_reconcile_removes_orphaned_vectors(settings: Settings, tmp_path: Path) -> None:
    lib = Library(settings)
    lib.ingest([_write(tmp_path / "plan.txt", SAMPLE)])
    lib.dense.add(["ghost:deadbeef:0"], ["孤立的向量"], [{"doc_id": "ghost", "kind": "text", "ord": 0}])
    assert "ghost:deadbeef:0" in lib.dense.ids()
    assert not any(h.chunk_id.startswith("ghost") for h in lib.search("孤立的向量", k=5))
    assert lib.reconcile() == 1
    assert "ghost:deadbeef:0" not in lib.dense.ids()


@pytest.mark.integration
@pytest.mark.slow
@pytest.mark.parametrize("delay", [2.0, 6.0])
def test_killed_ingest_leaves_old_or_new_version(tmp_path: Path, delay: float) -> None:
    """SIGKILL an ingest of a changed corpus mid-way: every document is whole, old or new (SQLite only: slow)."""
    settings = make_settings(tmp_path)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for plan in sorted(PLANS.glob("*.txt"))[:2]:
        (corpus / plan.name).write_text(plan.read_text(encoding="utf-8")[:6000], encoding="utf-8")
    lib = Library(settings)
    assert lib.ingest([corpus]).ok
    v1 = {d.doc_id: d.content_hash for d in lib.catalogue.documents()}

    for plan in corpus.iterdir():  # version 2 of every file
        plan.write_text(plan.read_text(encoding="utf-8").replace("。", "。\n", 3) + "\n附：修订。\n", encoding="utf-8")
    for plan in sorted(PLANS.glob("*.txt"))[2:4]:  # and two new files
        (corpus / plan.name).write_text(plan.read_text(encoding="utf-8"), encoding="utf-8")
    env = {
        **os.environ,
        "POLICY_ASSISTANT_DATA_DIR": str(settings.data_dir),
        "POLICY_ASSISTANT_OVERRIDES_DIR": str(settings.overrides_dir),
        "POLICY_ASSISTANT_DATABASE_URL": settings.database_url,
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.main", "ingest", str(corpus)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    lib = Library(settings)  # a fresh process's view of the store
    for doc in lib.catalogue.documents():
        if doc.doc_id in v1 and doc.content_hash == v1[doc.doc_id]:
            continue  # the old version, whole
        assert doc.n_chunks == len(lib.catalogue.chunk_ids_for_docs([doc.doc_id]))
    lib.reconcile()
    _consistent(lib)
    assert lib.search("基层医疗卫生", k=3)
    # Finishing the job afterwards converges to the new versions.
    assert lib.ingest([corpus]).ok
    assert all(d.content_hash != v1.get(d.doc_id) for d in lib.catalogue.documents())
    assert lib.catalogue.count_documents() == 4
    _consistent(lib)

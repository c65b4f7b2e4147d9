"""Schema changes go through Alembic: a new store migrates, a store made before migrations is adopted."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Boolean, Column, Float, Integer, MetaData, String, Table, Text, create_engine, inspect, text

from assistant import catalogue, jobstore
from assistant.catalogue import Catalogue
from assistant.jobstore import JobStore

HEAD = "0004"


def _old_create_all(url: str, with_jobs: bool = True) -> None:
    """The store as ``metadata.create_all`` made it before migrations (the DDL of that release)."""
    md = MetaData()
    Table("documents", md, Column("doc_id", String, primary_key=True), Column("source", String, nullable=False),
          Column("content_hash", String, nullable=False), Column("meta_json", Text, nullable=False),
          Column("text", Text, nullable=False), Column("n_chunks", Integer, nullable=False),
          Column("n_targets", Integer, nullable=False), Column("n_tables", Integer, nullable=False),
          Column("tables_failed_json", Text, nullable=False), Column("warnings_json", Text, nullable=False),
          Column("fingerprint", String, nullable=False), Column("ingested_at", String, nullable=False))
    Table("chunks", md, Column("chunk_id", String, primary_key=True),
          Column("doc_id", String, nullable=False, index=True),
          Column("ord", Integer, nullable=False), Column("text", Text, nullable=False),
          Column("section", Text, nullable=False), Column("kind", String, nullable=False),
          Column("start", Integer, nullable=False), Column("end", Integer, nullable=False),
          Column("page", Integer, nullable=True))
    Table("targets", md, Column("target_id", String, primary_key=True),
          Column("doc_id", String, nullable=False, index=True), Column("title", Text, nullable=False),
          Column("source", Text, nullable=False), Column("region", String, nullable=False, index=True),
          Column("scope", String, nullable=False), Column("indicator", Text, nullable=False),
          Column("value", Float, nullable=False), Column("value_max", Float, nullable=True),
          Column("unit", String, nullable=False), Column("value_text", String, nullable=False),
          Column("comparator", String, nullable=False), Column("year", String, nullable=False, index=True),
          Column("kind", String, nullable=False), Column("quote", Text, nullable=False),
          Column("start", Integer, nullable=False), Column("end", Integer, nullable=False),
          Column("section", Text, nullable=False), Column("table_title", Text, nullable=False),
          Column("row_label", String, nullable=False), Column("column_header", Text, nullable=False),
          Column("page", Integer, nullable=True), Column("origin", String, nullable=False))
    Table("state", md, Column("key", String, primary_key=True), Column("value", String, nullable=False),
          Column("flag", Boolean, nullable=False))
    if with_jobs:
        Table("jobs", md, Column("job_id", String, primary_key=True),
              Column("status", String, nullable=False, index=True), Column("owner", String, nullable=False),
              Column("created_at", String, nullable=False), Column("body_json", Text, nullable=False))
    engine = create_engine(url)
    md.create_all(engine)
    with engine.begin() as conn:
        meta = '{"title": "旧方案"}'
        conn.execute(
            text("INSERT INTO documents VALUES ('old', 'old.txt', 'h', :meta, '正文', 0, 0, 0, '[]', '[]', 'f', 't')"),
            {"meta": meta},
        )
        conn.execute(text("INSERT INTO state VALUES ('generation', '7', 0)"))
    engine.dispose()


def _version(url: str) -> str:
    with create_engine(url).connect() as conn:
        return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one())


def test_a_new_store_is_created_by_the_migrations_and_matches_the_code(tmp_path: Path) -> None:
    store = Catalogue.at(tmp_path / "new" / "store.sqlite")
    assert store.count_documents() == 0
    assert set(inspect(store.engine).get_table_names()) >= {"documents", "chunks", "targets", "state", "jobs"}
    assert _version(store.url) == HEAD
    # The tables the code queries are exactly the ones the migrations made (no drift).
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn)
        drift = compare_metadata(context, [catalogue.metadata, jobstore.metadata])  # type: ignore[arg-type]
        assert drift == [], drift


def test_a_store_made_by_create_all_is_stamped_and_keeps_its_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    _old_create_all(url)
    store = Catalogue(url)
    assert [d.doc_id for d in store.documents()] == ["old"]
    assert store.document("old").meta.title == "旧方案"
    assert store.generation() == 7
    assert _version(url) == HEAD
    JobStore(lambda: store.engine).save_job("job_1", "queued", "me", "2025-01-01", "{}")
    assert JobStore(lambda: store.engine).job("job_1") == "{}"


def test_a_store_older_than_the_jobs_table_gets_it_by_migration(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'older.sqlite'}"
    _old_create_all(url, with_jobs=False)
    store = Catalogue(url)
    assert "jobs" in inspect(store.engine).get_table_names()
    assert _version(url) == HEAD
    assert store.count_documents() == 1


def test_ocr_provenance_columns_come_by_migration_and_round_trip(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'pre_ocr.sqlite'}"
    _old_create_all(url)  # a store of the release before OCR
    store = Catalogue(url)
    columns = {t: {c["name"] for c in inspect(store.engine).get_columns(t)} for t in ("chunks", "targets", "documents")}
    assert {"ocr", "ocr_confidence"} <= columns["chunks"] and {"ocr", "ocr_confidence"} <= columns["targets"]
    assert "ocr_pages_json" in columns["documents"]
    assert store.document("old").ocr_pages == []  # rows from before the migration read as not scanned

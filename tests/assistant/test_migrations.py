"""Schema changes go through Alembic on SQLite and PostgreSQL: a new store migrates, an old one is adopted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Boolean, Column, Float, Integer, MetaData, String, Table, Text, create_engine, inspect, text

from assistant import catalogue, jobstore, rate_store
from assistant.catalogue import Catalogue
from assistant.jobstore import JobStore
from tests.postgres_cluster import PostgresCluster
from tests.processes import run_at_once

HEAD = "0006"


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
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    md.create_all(engine)
    with engine.begin() as conn:
        meta = '{"title": "旧方案"}'
        conn.execute(
            text("INSERT INTO documents VALUES ('old', 'old.txt', 'h', :meta, '正文', 0, 0, 0, '[]', '[]', 'f', 't')"),
            {"meta": meta},
        )
        conn.execute(text("INSERT INTO state VALUES ('generation', '7', false)"))
    engine.dispose()


def _version(url: str) -> str:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one())
    finally:
        engine.dispose()


def test_a_new_store_is_created_by_the_migrations_and_matches_the_code(database_url: str) -> None:
    store = Catalogue(database_url)
    assert store.count_documents() == 0
    assert set(inspect(store.engine).get_table_names()) >= {"documents", "chunks", "targets", "state", "jobs"}
    assert _version(store.url) == HEAD
    # The tables the code queries are exactly the ones the migrations made (no drift).
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn)
        drift = compare_metadata(context, [catalogue.metadata, jobstore.metadata, rate_store.metadata])  # type: ignore[arg-type]
        assert drift == [], drift


def test_a_store_made_by_create_all_is_stamped_and_keeps_its_data(database_url: str) -> None:
    url = database_url
    _old_create_all(url)
    store = Catalogue(url)
    assert [d.doc_id for d in store.documents()] == ["old"]
    assert store.document("old").meta.title == "旧方案"
    assert store.generation() == 7
    assert _version(url) == HEAD
    JobStore(lambda: store.engine).save_job("job_1", "queued", "me", "2025-01-01", "{}")
    assert JobStore(lambda: store.engine).job("job_1") == "{}"


def test_a_store_older_than_the_jobs_table_gets_it_by_migration(database_url: str) -> None:
    url = database_url
    _old_create_all(url, with_jobs=False)
    store = Catalogue(url)
    assert "jobs" in inspect(store.engine).get_table_names()
    assert _version(url) == HEAD
    assert store.count_documents() == 1


def test_ocr_provenance_columns_come_by_migration_and_round_trip(database_url: str) -> None:
    url = database_url
    _old_create_all(url)  # a store of the release before OCR
    store = Catalogue(url)
    columns = {t: {c["name"] for c in inspect(store.engine).get_columns(t)} for t in ("chunks", "targets", "documents")}
    assert {"ocr", "ocr_confidence"} <= columns["chunks"] and {"ocr", "ocr_confidence"} <= columns["targets"]
    assert "ocr_pages_json" in columns["documents"]
    assert store.document("old").ocr_pages == []  # rows from before the migration read as not scanned


def test_workers_starting_at_once_migrate_one_after_the_other(database_url: str) -> None:
    """Four catalogues opened at the same moment on one empty database all end at head, none fails."""
    errors = run_at_once(lambda _: Catalogue(database_url).count_documents(), 4)
    assert errors == []
    assert _version(database_url) == HEAD
    assert Catalogue(database_url).generation() == 0


def test_worker_processes_starting_at_once_share_one_postgres_schema(postgres_cluster: PostgresCluster) -> None:
    """Three processes open one empty PostgreSQL catalogue together: the advisory lock orders their migrations."""
    url = postgres_cluster.new_database()
    code = "import sys; from assistant.catalogue import Catalogue; print(Catalogue(sys.argv[1]).count_documents())"
    procs = [
        subprocess.Popen([sys.executable, "-c", code, url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [err[-800:] for _, err in outs]
    assert [out.strip() for out, _ in outs] == ["0", "0", "0"]
    assert _version(url) == HEAD

"""End to end on a PostgreSQL catalogue: ingest a made-up plan, ask, get the cited number; a new process sees it."""

from __future__ import annotations

from pathlib import Path

from assistant.service import Assistant
from tests.assistant.api.helpers import write_small_plan
from tests.conftest import make_settings
from tests.postgres_cluster import PostgresCluster


def test_ingest_and_ask_on_postgres(tmp_path: Path, postgres_cluster: PostgresCluster) -> None:
    url = postgres_cluster.new_database()
    assistant = Assistant(make_settings(tmp_path / "one", database_url=url))
    results = assistant.ingest([write_small_plan(tmp_path / "plans")])
    assert [r.status for r in results] == ["added"], results

    answer = assistant.ask("某县到2026年每万人口全科医生数要达到多少？")
    assert answer.status == "answered", answer.answer
    assert "4" in answer.answer
    assert answer.citations and any("4名" in c.quote for c in answer.citations)

    # A second assistant on the same catalogue (another data_dir, so its own lexical shards and Chroma folder)
    # reads the documents and target rows from PostgreSQL.
    other = Assistant(make_settings(tmp_path / "two", database_url=url))
    assert [d.doc_id for d in other.documents()] == [results[0].doc_id]
    rows = other.library.catalogue.targets(indicator="全科医生")
    assert [(r.value, r.unit) for r in rows] == [(4.0, "名")]

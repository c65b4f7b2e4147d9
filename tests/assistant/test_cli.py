"""The command line as staff use it: subprocesses against a store named by POLICY_ASSISTANT_DATA_DIR."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.settings import Settings
from tests.conftest import REPO, plan_files

pytestmark = pytest.mark.integration


def _cli(settings: Settings, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "POLICY_ASSISTANT_DATA_DIR": str(settings.data_dir),
        "POLICY_ASSISTANT_OVERRIDES_DIR": str(settings.overrides_dir),
    }
    return subprocess.run(
        [sys.executable, "-m", "assistant.main", *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300, input=stdin,
    )


def test_search_batch_prints_one_line_per_query_in_order(shipped_settings: Settings, tmp_path: Path) -> None:
    batch = tmp_path / "q.jsonl"
    queries = ["每万人口全科医生数", "家庭医生签约服务", "培养全科医生数 东海县"]
    batch.write_text("\n".join(json.dumps({"query": q}, ensure_ascii=False) for q in queries), encoding="utf-8")
    done = _cli(shipped_settings, "search", "--batch", str(batch), "--k", "5", "--json")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert [line["query"] for line in lines] == queries
    from assistant.catalogue import Catalogue

    store = Catalogue.at(shipped_settings.sqlite_path)
    stored = {c.text for c in store.iter_chunks()}
    for line in lines:
        assert 1 <= len(line["results"]) <= 5
        for r in line["results"]:
            assert set(r) == {"doc_id", "title", "source", "section", "text", "score"}
            assert r["text"] in stored  # the chunk exactly as stored
    assert any("每万人口全科医生数" in r["text"] for r in lines[0]["results"])


def test_targets_json_is_an_array_of_rows_and_filters_narrow_it(shipped_settings: Settings) -> None:
    everything = json.loads(_cli(shipped_settings, "targets", "--json").stdout)
    assert isinstance(everything, list) and len(everything) > 300
    fields = {"doc_id", "title", "source", "region", "scope", "indicator", "value", "value_max", "unit",
              "comparator", "year", "kind", "quote", "start", "end", "section", "table_title", "row_label",
              "column_header"}
    assert fields <= set(everything[0])
    some = json.loads(_cli(shipped_settings, "targets", "--indicator", "全科医生", "--year", "2025", "--json").stdout)
    assert 0 < len(some) < len(everything)
    assert all(r["year"] == "2025" and "全科医生" in (r["indicator"] + r["column_header"]) for r in some)


def test_ask_batch_with_history_and_docs(shipped_settings: Settings, tmp_path: Path) -> None:
    batch = tmp_path / "a.jsonl"
    rows = [
        {"question": "东海县2024年要培养多少全科医生？"},
        {"question": "那2025年呢？", "history": [{"role": "user", "content": "东海县2024年要培养多少全科医生？"}]},
        {"question": "北京市2025年每万人口全科医生数是多少？"},
    ]
    batch.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    done = _cli(shipped_settings, "ask", "--batch", str(batch), "--json")
    assert done.returncode == 0, done.stderr
    answers = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert [a["status"] for a in answers] == ["answered", "answered", "not_found"]
    assert answers[1]["targets"][0]["year"] == "2025" and answers[1]["targets"][0]["region"] == "东海县"
    for key in ("answer", "status", "citations", "targets", "mode", "latency_ms"):
        assert key in answers[0]
    assert {"n", "doc_id", "title", "source", "region", "section", "page", "quote"} <= set(answers[0]["citations"][0])
    docs = json.loads(_cli(shipped_settings, "docs", "--json").stdout)
    assert len(docs) == len(plan_files()) and all(d["meta"]["title"] for d in docs)


def test_bad_batch_line_is_a_clear_error(shipped_settings: Settings, tmp_path: Path) -> None:
    batch = tmp_path / "bad.jsonl"
    batch.write_text('{"query": "ok"}\nnot json\n', encoding="utf-8")
    done = _cli(shipped_settings, "search", "--batch", str(batch), "--json")
    assert done.returncode == 2
    assert "bad.jsonl:2" in done.stderr


def test_chat_carries_follow_ups_in_a_terminal_conversation(shipped_settings: Settings) -> None:
    done = _cli(shipped_settings, "chat", stdin="东海县2024年要培养多少全科医生？\n那2025年呢？\n\n")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.count("出处：") == 2
    assert "东海县2025年" in out

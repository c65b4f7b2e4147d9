"""Scanned, CFF-font and .doc files ingest through the library (real OCR, real embedder) and are searchable."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.library import IngestReport, Library
from tests.conftest import make_settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SCAN = [
    "某县基层卫生服务能力提升方案",
    "一、主要目标",
    "到2025年底，全县乡镇卫生院标准化建设达标率达到95%以上，",
    "每个乡镇卫生院配备全科医生不少于3名。",
]
CFF = ["某区家庭医生签约服务实施方案", "一、工作目标", "到2026年，重点人群家庭医生签约率达到85%以上。"]


@dataclass
class Ingested:
    library: Library
    report: IngestReport
    ocr_calls: list[tuple[int, int]]


@pytest.fixture(scope="module")
def ingested(
    tmp_path_factory: pytest.TempPathFactory,
    make_scan: Callable[..., Path],
    make_cff_pdf: Callable[[str, list[str]], Path],
) -> Ingested:
    root = tmp_path_factory.mktemp("formats")
    plans = root / "plans"
    plans.mkdir()
    shutil.copy(make_scan("县方案扫描件.pdf", SCAN), plans / "县方案扫描件.pdf")
    shutil.copy(make_cff_pdf("区签约方案.pdf", CFF), plans / "区签约方案.pdf")
    shutil.copy(FIXTURES / "plan.doc", plans / "plan.doc")
    (plans / "通知.wps").write_bytes(b"\xd0\xcf\x11\xe0 wps")
    lib = Library(make_settings(root))
    pages: list[tuple[int, int]] = []
    report = lib.ingest([plans], ocr_progress=lambda done, total: pages.append((done, total)))
    return Ingested(lib, report, pages)


def test_each_file_is_reported(ingested: Ingested) -> None:
    status = {Path(f.path).name: f for f in ingested.report.files}
    assert {name: f.status for name, f in status.items()} == {
        "县方案扫描件.pdf": "added",
        "区签约方案.pdf": "added",
        "plan.doc": "added",
        "通知.wps": "failed",
    }
    assert "另存为" in status["通知.wps"].reason
    assert any("OCR" in w for w in status["县方案扫描件.pdf"].warnings)
    assert ingested.ocr_calls == [(0, 1), (1, 1)]


@pytest.mark.parametrize(
    ("query", "source", "quote"),
    [
        ("乡镇卫生院标准化建设达标率", "县方案扫描件.pdf", "达标率达到95%以上"),
        ("重点人群家庭医生签约率", "区签约方案.pdf", "签约率达到85%以上"),
        ("每万人口全科医生数", "plan.doc", "全市每万人口全科医生数达3.5名"),
    ],
)
def test_text_of_each_format_is_searchable(ingested: Ingested, query: str, source: str, quote: str) -> None:
    hits = ingested.library.search(query, k=3)
    assert any(h.source == source and quote in h.text for h in hits), [(h.source, h.text[:40]) for h in hits]


def test_targets_of_the_scan_are_stored(ingested: Ingested) -> None:
    rows = ingested.library.catalogue.targets(doc_id="县方案扫描件")
    assert {r.value_text for r in rows} >= {"95%以上"}


def test_ocr_settings_reach_the_reader(tmp_path: Path, make_scan: Callable[..., Path]) -> None:
    from ingestion.text.errors import ConfigurationError

    scan = make_scan("off_scan.pdf", SCAN)
    off = Library(make_settings(tmp_path / "off", ocr_engine="off"))
    result = off.ingest_file(scan)
    assert result.status == "failed" and "OCR" in result.reason
    limited = Library(make_settings(tmp_path / "limited", max_ocr_pages=0))
    result = limited.ingest_file(scan)
    assert result.status == "failed" and "POLICY_ASSISTANT_MAX_OCR_PAGES" in result.reason
    with pytest.raises(ConfigurationError, match="OCR_ENGINE"):
        Library(make_settings(tmp_path / "bad", ocr_engine="paddle-online")).ocr_options()


def test_answers_resting_on_a_scan_say_so(ingested: Ingested) -> None:
    """OCR provenance reaches the stored rows and chunks, the citations and the answer text."""
    from assistant.service import Assistant

    record = ingested.library.catalogue.document("县方案扫描件")
    assert record.ocr_pages == [1]
    rows = ingested.library.catalogue.targets(doc_id="县方案扫描件")
    assert rows and all(r.ocr and r.ocr_confidence is not None and 0 < r.ocr_confidence <= 1 for r in rows)
    hits = ingested.library.search("乡镇卫生院标准化建设达标率", k=5)
    scan_hits = [h for h in hits if h.source == "县方案扫描件.pdf"]
    assert scan_hits and all(h.ocr for h in scan_hits)

    assistant = Assistant(ingested.library.settings)
    answer = assistant.ask("到2025年乡镇卫生院标准化建设达标率要达到多少？")
    assert answer.status == "answered", answer.answer
    assert answer.citations and all(c.ocr for c in answer.citations if c.doc_id == "县方案扫描件")
    assert "扫描件识别，请核对原文" in answer.answer
    text_only = assistant.ask("到2026年重点人群家庭医生签约率要达到多少？")
    assert text_only.status == "answered" and "扫描件识别" not in text_only.answer


def test_targets_json_of_the_cli_carries_ocr_provenance(ingested: Ingested) -> None:
    """`policy-assistant targets --json` marks the scan's rows as read by OCR, with their confidence."""
    import json
    import os
    import subprocess
    import sys

    settings = ingested.library.settings
    env = {
        **os.environ,
        "POLICY_ASSISTANT_DATA_DIR": str(settings.data_dir),
        "POLICY_ASSISTANT_OVERRIDES_DIR": str(settings.overrides_dir),
    }
    done = subprocess.run(
        [sys.executable, "-m", "assistant.main", "targets", "--json"],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    scan = [r for r in rows if r["doc_id"] == "县方案扫描件"]
    typed = [r for r in rows if r["doc_id"] == "区签约方案"]
    assert scan and all(r["ocr"] is True and 0 < r["ocr_confidence"] <= 1 for r in scan)
    assert typed and all(r["ocr"] is False and r["ocr_confidence"] is None for r in typed)

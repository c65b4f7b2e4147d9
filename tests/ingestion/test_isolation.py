"""A file is parsed in a child process under a memory and a time limit; its errors come back as they were."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest

from ingestion.isolation import Isolation, ParseRequest, parse_isolated
from ingestion.limits import ReadLimits
from ingestion.pipeline import parse_file
from ingestion.text.errors import (
    EmptyFileError,
    IngestCancelledError,
    IngestMemoryError,
    IngestTimeoutError,
    TooManyPagesError,
)
from tests.conftest import PLANS

TEXT_PLAN = PLANS / "000_778e5b2cbe8b919c.txt"
PDF_PLAN = PLANS / "005_efac0714a2c7e07e.pdf"  # a few seconds to parse: long enough to stop midway
ROOMY = Isolation(timeout_s=120, max_memory_mb=3072)


def _request(path: Path, limits: ReadLimits | None = None) -> ParseRequest:
    return ParseRequest(path=path, max_bytes=50_000_000, doc_id="doc", limits=limits or ReadLimits())


def _parse_children() -> list[multiprocessing.process.BaseProcess]:
    return [p for p in multiprocessing.active_children() if p.name == "pa-parse"]


def test_the_child_parses_exactly_what_the_parent_would() -> None:
    isolated = parse_isolated(_request(TEXT_PLAN), ROOMY)
    direct = parse_file(TEXT_PLAN, 50_000_000, doc_id="doc", limits=ReadLimits())
    assert isolated.model_dump() == direct.model_dump()
    assert isolated.targets and _parse_children() == []


def test_a_bad_file_keeps_its_error_class_code_and_message(tmp_path: Path) -> None:
    empty = tmp_path / "空.txt"
    empty.write_bytes(b"")
    with pytest.raises(EmptyFileError) as isolated:
        parse_isolated(_request(empty), ROOMY)
    with pytest.raises(EmptyFileError) as direct:
        parse_file(empty, 50_000_000)
    assert str(isolated.value) == str(direct.value) and isolated.value.code == "empty_file"
    with pytest.raises(TooManyPagesError):
        parse_isolated(_request(PDF_PLAN, ReadLimits(max_pages=3)), ROOMY)


def test_memory_over_the_cap_is_refused_and_the_parent_is_untouched() -> None:
    with pytest.raises(IngestMemoryError) as info:
        parse_isolated(_request(PDF_PLAN), Isolation(timeout_s=120, max_memory_mb=128))
    assert info.value.code == "ingest_memory" and "INGEST_MAX_MEMORY_MB" in str(info.value)
    assert _parse_children() == []
    assert parse_isolated(_request(TEXT_PLAN), ROOMY).targets  # the next file parses as usual


def test_a_parse_over_the_time_limit_is_stopped() -> None:
    with pytest.raises(IngestTimeoutError) as info:
        parse_isolated(_request(PDF_PLAN), Isolation(timeout_s=0.3, max_memory_mb=3072))
    assert info.value.code == "ingest_timeout" and "INGEST_TIMEOUT_S" in str(info.value)
    assert _parse_children() == []


def test_a_cancelled_parse_stops_and_says_so() -> None:
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    with pytest.raises(IngestCancelledError):
        parse_isolated(_request(PDF_PLAN), ROOMY, cancel=cancel)
    assert _parse_children() == []

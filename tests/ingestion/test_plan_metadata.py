"""The metadata of every shipped plan and every extra plan, checked by hand against the texts.

``evals/gold/metadata.jsonl`` holds title, issuer, 文号, date, region (with the parent city of a district),
period and draft status as a reader of each plan states them; ``docs --json`` shows what was extracted.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingestion.pipeline import parse_file

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "evals" / "gold" / "metadata.jsonl"
ROWS = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def _path(doc: str) -> Path:
    for folder in (ROOT / "data" / "plans", ROOT / "evals" / "extra_plans"):
        if (folder / doc).exists():
            return folder / doc
    raise FileNotFoundError(doc)


def test_every_shipped_plan_has_gold_metadata() -> None:
    shipped = {p.name for p in (ROOT / "data" / "plans").iterdir() if p.suffix in {".txt", ".pdf", ".docx"}}
    assert shipped <= {row["doc"] for row in ROWS}


@pytest.mark.parametrize("row", ROWS, ids=[row["doc"][:3] for row in ROWS])
def test_plan_metadata(row: dict[str, object]) -> None:
    meta = parse_file(_path(str(row["doc"])), max_bytes=200_000_000, sidecar=False).meta
    expected = {k: v for k, v in row.items() if k != "doc"}
    assert meta.model_dump() == expected

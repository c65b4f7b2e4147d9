"""PLACEHOLDER until the table work lands."""

from __future__ import annotations

from ingestion.schema import Table


def find_tables(text: str) -> list[Table]:
    """Find flattened tables in cleaned text (placeholder: none)."""
    return []

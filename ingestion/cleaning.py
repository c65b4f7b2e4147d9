"""PLACEHOLDER until the cleaning work lands: NFKC-free pass-through so other modules can import it."""

from __future__ import annotations

from ingestion.schema import PageSpan


def clean_text(raw: str) -> tuple[str, list[PageSpan]]:
    """Return the cleaned text and where each page of the original starts in it."""
    return raw.replace("\r\n", "\n"), []

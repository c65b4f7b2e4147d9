"""What is embedded and BM25-indexed for a chunk: its text with the context a bare passage lacks.

A chunk's own text rarely repeats its heading ("（三）加强人才队伍建设" governs the sentences under
it), so the section path is put in front; the stored ``Chunk.text`` itself is never changed.
"""

from __future__ import annotations

from ingestion.schema import Chunk


def index_text(chunk: Chunk, title: str) -> str:
    """The text to embed and index for ``chunk``: section path, then the chunk text.

    Args:
        chunk: The chunk as stored.
        title: The document title (not used by the current recipe; kept so the recipe can
            change without touching callers).
    """
    del title
    section = chunk.section.strip()
    if section and section not in chunk.text:
        return f"{section}\n{chunk.text}"
    return chunk.text

"""What is embedded and BM25-indexed for a chunk: its text with the context a bare passage lacks.

A chunk's own text rarely repeats its heading ("（三）加强人才队伍建设" governs the sentences under
it) or the plan it belongs to, so that context is put in front; the stored ``Chunk.text`` itself is
never changed. Chosen on the dev set (``python -m evals.retrieval_dev``): the section path helps
both sides; the document title helps BM25 (questions name the city or the plan) but dilutes the
small embedding model, so the dense side gets section + text and the lexical side title + section
+ text.
"""

from __future__ import annotations

import functools
import re

from ingestion.schema import Chunk
from ingestion.text.rules import rules

# Bump when ``lexical_text`` changes: a stored BM25 index built from the old texts is then rebuilt.
LEXICAL_TEXT_VERSION = "2"
# A table row chunk whose row label is the total (``县区：合计｜``): questions ask for it as the whole
# city, county or district (全市/全县/全区…一共多少), words the row itself never says.


@functools.cache
def _total_row() -> re.Pattern[str]:
    """A table-row chunk labelled as the total row (``｜县区：合计｜``; ingestion/text/rules/scope.toml)."""
    return re.compile(rf"｜[^｜：]{{1,16}}：\s*(?:{rules().total_label_pattern()})\s*(?:｜|$)")


def total_row_words() -> str:
    """The words a total row is also indexed under (全市 全县 … 一共), from the wording rules."""
    return " ".join(rules().total_row_search_words)


def index_text(chunk: Chunk, title: str) -> str:
    """The text to embed for ``chunk`` (and to BM25-index when one text serves both): section path + text.

    Args:
        chunk: The chunk as stored.
        title: The document title; not part of the dense text (see the module docstring).
    """
    del title
    section = chunk.section.strip()
    if section and section not in chunk.text:
        return f"{section}\n{chunk.text}"
    return chunk.text


def lexical_text(chunk: Chunk, title: str) -> str:
    """The text to BM25-index for ``chunk``: document title, section path, then the chunk text.

    Args:
        chunk: The chunk as stored.
        title: The document title (may be empty).
    """
    body = index_text(chunk, title)
    if chunk.kind == "table_row" and _total_row().search(chunk.text):
        body = f"{body}\n{total_row_words()}"
    title = title.strip()
    if title and title not in body:
        return f"{title}\n{body}"
    return body

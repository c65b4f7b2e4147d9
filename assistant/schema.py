"""Typed objects of the answering layer: what the CLI prints, the API returns and the UI shows."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ingestion.schema import Target


class Turn(BaseModel):
    """One message of the conversation history."""

    role: Literal["user", "assistant"]
    content: str


class Filters(BaseModel):
    """Restrictions a caller puts on what may be used to answer."""

    region: str | None = None
    doc_ids: list[str] | None = None
    year: str | None = None


class SearchHit(BaseModel):
    """A retrieved chunk with its document and fused score."""

    chunk_id: str
    doc_id: str
    title: str = ""
    source: str = ""
    region: str = ""
    section: str = ""
    kind: Literal["text", "table_row"] = "text"
    text: str
    score: float
    page: int | None = None
    start: int = -1
    end: int = -1


class Citation(BaseModel):
    """A numbered source of an answer: it points to a chunk or a target row and carries its quote."""

    n: int
    doc_id: str
    title: str = ""
    source: str = ""
    region: str = ""
    section: str = ""
    page: int | None = None
    quote: str = Field(description="The exact supporting sentence or table row.")
    chunk_id: str | None = None
    target_id: str | None = None
    context: str = Field(default="", description="The surrounding passage, for expanding the quote.")


class Answer(BaseModel):
    """What ``Assistant.ask`` returns."""

    question: str
    answer: str = Field(description="Markdown with inline [n] markers.")
    status: Literal["answered", "not_found"]
    citations: list[Citation] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    suggestions: list[SearchHit] = Field(default_factory=list, description="Nearest passages when not found.")
    mode: Literal["extractive", "llm"] = "extractive"
    latency_ms: float = 0.0
    resolved_question: str = Field(default="", description="The question after follow-up context was carried over.")
    notes: list[str] = Field(default_factory=list, description="Why the LLM answer was discarded, etc.")

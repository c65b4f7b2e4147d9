"""``GET /v1/search``: retrieval only (hybrid BM25 + dense), no answer composition."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from assistant.api.deps import AssistantDep, SettingsDep
from assistant.api.errors import error_responses
from assistant.api.routes.common import check_filters, check_question
from assistant.api.security import CallerDep
from assistant.schema import MAX_DOC_IDS, MAX_REGION_CHARS, QUESTION_PATTERN, DocId, Filters, SearchHit

# The static ceiling of a query in the schema; the server's max_question_chars (at most this) applies too.
MAX_QUERY_CHARS = 2000

router = APIRouter(tags=["检索"])


class SearchResponse(BaseModel):
    """The passages most relevant to the query, best first."""

    query: str
    results: list[SearchHit] = Field(default_factory=list)

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "query": "全科医生",
                    "results": [
                        {
                            "chunk_id": "plan_a:0042:1f3e",
                            "doc_id": "plan_a",
                            "title": "某市基层医疗卫生服务能力提升方案",
                            "source": "plan_a.pdf",
                            "region": "某市",
                            "section": "二、主要目标",
                            "kind": "text",
                            "text": "到2025年，每万人口全科医生数达到3.5名以上。",
                            "score": 0.0312,
                            "page": 3,
                            "start": 1200,
                            "end": 1226,
                        }
                    ],
                }
            ]
        }
    }


@router.get(
    "/v1/search", response_model=SearchResponse, summary="检索相关段落", responses=error_responses(401, 404, 422, 429)
)
def search(
    assistant: AssistantDep,
    settings: SettingsDep,
    _caller: CallerDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=MAX_QUERY_CHARS,
            pattern=QUESTION_PATTERN,
            description="Query text or a question (the server's max_question_chars applies).",
            examples=["全科医生"],
        ),
    ],
    k: Annotated[int, Query(ge=1, le=50, description="How many passages.")] = 5,
    region: Annotated[
        str | None, Query(max_length=MAX_REGION_CHARS, description="Only documents about this region.")
    ] = None,
    doc_id: Annotated[
        list[DocId] | None,
        Query(max_length=MAX_DOC_IDS, description=f"Only these documents (repeatable, at most {MAX_DOC_IDS})."),
    ] = None,
) -> SearchResponse:
    """The ``k`` passages most relevant to ``q``; an unknown ``doc_id`` is a 404."""
    query = check_question(q, settings, what="检索词")
    filters = Filters(region=region or None, doc_ids=doc_id or None)
    check_filters(assistant, filters)
    return SearchResponse(query=query, results=assistant.search(query, k=k, filters=filters))

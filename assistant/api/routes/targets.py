"""``GET /v1/targets``: the quantified target rows extracted from the plans, filtered and paginated."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from assistant.api.deps import AssistantDep
from assistant.api.errors import error_responses
from assistant.api.security import CallerDep
from assistant.schema import MAX_DOC_ID_CHARS, MAX_INDICATOR_CHARS, MAX_REGION_CHARS, MAX_YEAR_CHARS
from ingestion.schema import Target

router = APIRouter(tags=["指标"])


class TargetPage(BaseModel):
    """One page of target rows; ask again with ``offset=next_offset`` while it is not null."""

    items: list[Target]
    limit: int
    offset: int
    next_offset: int | None = Field(description="Offset of the next page, or null on the last page.")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "items": [
                        {
                            "target_id": "plan_a:t0007",
                            "doc_id": "plan_a",
                            "title": "某市基层医疗卫生服务能力提升方案",
                            "region": "某市",
                            "indicator": "每万人口全科医生数",
                            "value": 3.5,
                            "unit": "名",
                            "value_text": "3.5名以上",
                            "comparator": "≥",
                            "year": "2025",
                            "kind": "narrative",
                            "quote": "到2025年，每万人口全科医生数达到3.5名以上。",
                        }
                    ],
                    "limit": 100,
                    "offset": 0,
                    "next_offset": None,
                }
            ]
        }
    }


@router.get(
    "/v1/targets",
    response_model=TargetPage,
    summary="量化指标列表（分页）",
    responses=error_responses(401, 404, 422, 429),
)
def list_targets(
    assistant: AssistantDep,
    _caller: CallerDep,
    region: Annotated[
        str | None, Query(max_length=MAX_REGION_CHARS, description="Region name (substring match).")
    ] = None,
    indicator: Annotated[
        str | None, Query(max_length=MAX_INDICATOR_CHARS, description="Indicator words, all must occur.")
    ] = None,
    year: Annotated[
        str | None, Query(max_length=MAX_YEAR_CHARS, description="Year as the plan states it, e.g. 2025.")
    ] = None,
    doc_id: Annotated[
        str | None, Query(max_length=MAX_DOC_ID_CHARS, description="Only this document; unknown ids are a 404.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> TargetPage:
    """Target rows matching every given filter, in document order."""
    if doc_id:
        assistant.document(doc_id)
    rows = assistant.targets(
        region=region or None,
        indicator=indicator or None,
        year=year or None,
        doc_id=doc_id or None,
        limit=limit + 1,
        offset=offset,
    )
    more = len(rows) > limit
    return TargetPage(items=rows[:limit], limit=limit, offset=offset, next_offset=offset + limit if more else None)

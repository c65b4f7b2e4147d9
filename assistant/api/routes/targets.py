"""``GET /v1/targets``: the quantified target rows extracted from the plans, filtered and paginated.

Every reply says how many rows match (``total`` in JSON, the ``X-Total-Count`` header in both formats);
``format=csv`` gives a file an official opens in Excel (see ``assistant.api.targets_csv``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from assistant.api.deps import AssistantDep
from assistant.api.errors import error_responses
from assistant.api.security import CallerDep
from assistant.api.targets_csv import CSV_FILE_NAME, CSV_MEDIA_TYPE, targets_csv
from assistant.schema import MAX_DOC_ID_CHARS, MAX_INDICATOR_CHARS, MAX_REGION_CHARS, MAX_YEAR_CHARS
from ingestion.schema import Target

router = APIRouter(tags=["指标"])


class TargetPage(BaseModel):
    """One page of target rows; ask again with ``offset=next_offset`` while it is not null."""

    items: list[Target]
    total: int = Field(description="How many rows match the filters, over all pages.")
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
                    "total": 1,
                    "limit": 100,
                    "offset": 0,
                    "next_offset": None,
                }
            ]
        }
    }


DEFAULT_PAGE = 100
TOTAL_HEADER = "X-Total-Count"


@router.get(
    "/v1/targets",
    response_model=TargetPage,
    summary="量化指标列表（分页，可导出 CSV）",
    description=(
        "按地区、指标、年份、文件筛选量化指标。JSON 每页最多 `limit` 条（默认 100），`total` 为符合条件的总数；"
        "`format=csv` 返回 CSV 文件（UTF-8 带 BOM，中文表头，可直接用 Excel 打开），"
        "未给 `limit` 时导出全部符合条件的行。"
        f"两种格式都在响应头 `{TOTAL_HEADER}` 中给出总数。"
    ),
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "JSON 分页或 CSV 文件"},
        **error_responses(401, 404, 422, 429),
    },
)
def list_targets(
    assistant: AssistantDep,
    _caller: CallerDep,
    response: Response,
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
    limit: Annotated[
        int | None, Query(ge=1, le=1000, description="Rows per page: 100 for JSON, every row for CSV when omitted.")
    ] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    export_format: Annotated[
        Literal["json", "csv"], Query(alias="format", description="json (pages) or csv (a file for Excel).")
    ] = "json",
) -> TargetPage | Response:
    """Target rows matching every given filter, in document order."""
    if doc_id:
        assistant.document(doc_id)
    filters = {"region": region or None, "indicator": indicator or None, "year": year or None, "doc_id": doc_id or None}
    total = assistant.count_targets(**filters)
    headers = {TOTAL_HEADER: str(total)}
    if export_format == "csv":
        rows = assistant.targets(**filters, limit=limit, offset=offset)
        headers["Content-Disposition"] = f'attachment; filename="{CSV_FILE_NAME}"'
        return Response(targets_csv(rows), media_type=CSV_MEDIA_TYPE, headers=headers)
    page = limit or DEFAULT_PAGE
    rows = assistant.targets(**filters, limit=page + 1, offset=offset)
    more = len(rows) > page
    response.headers.update(headers)
    return TargetPage(
        items=rows[:page], total=total, limit=page, offset=offset, next_offset=offset + page if more else None
    )

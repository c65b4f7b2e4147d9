"""``GET /v1/health``: liveness and whether the store is loaded; never needs a key."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from assistant.api.deps import AssistantDep

router = APIRouter(tags=["运维"])


class Health(BaseModel):
    """Whether the server is up and ready to answer."""

    status: Literal["ok", "degraded"] = Field(description="degraded: up, but warm-up failed (see message).")
    store_loaded: bool = Field(description="Models and indexes are loaded (warm-up finished).")
    documents: int = Field(description="How many documents the library holds.")
    message: str = ""

    model_config = {
        "json_schema_extra": {"examples": [{"status": "ok", "store_loaded": True, "documents": 4, "message": ""}]}
    }


@router.get("/v1/health", response_model=Health, summary="健康检查（无需密钥）")
def health(request: Request, assistant: AssistantDep) -> Health:
    """Liveness: always 200 while the process serves; ``store_loaded`` says whether warm-up finished."""
    error: str = getattr(request.app.state, "warm_error", "")
    return Health(
        status="degraded" if error else "ok",
        store_loaded=assistant.is_warm,
        documents=len(assistant.documents()),
        message=error,
    )

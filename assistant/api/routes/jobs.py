"""``GET /v1/jobs/{job_id}``: the status of a background ingestion started by an upload."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from assistant.api.deps import get_jobs
from assistant.api.errors import error_responses
from assistant.api.jobs import Job, JobManager
from assistant.api.security import CallerDep

router = APIRouter(tags=["文件"])


@router.get(
    "/v1/jobs/{job_id}", response_model=Job, summary="查询入库任务状态", responses=error_responses(401, 404, 422, 429)
)
def get_job(
    job_id: Annotated[str, Path(max_length=100, description="The id the upload returned.")],
    jobs: Annotated[JobManager, Depends(get_jobs)],
    _caller: CallerDep,
) -> Job:
    """Status goes queued -> running -> succeeded | failed; ``result`` says what ingestion made of the file."""
    return jobs.get(job_id)

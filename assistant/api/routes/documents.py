"""Documents: list, read metadata, upload (ingested in the background) and delete."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Path, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from assistant.api.deps import AssistantDep, SettingsDep, get_jobs
from assistant.api.errors import error_responses
from assistant.api.jobs import Job, JobManager
from assistant.api.security import AdminDep, CallerDep
from ingestion.filetypes import check_content, check_size, display_name, upload_suffix
from ingestion.schema import DocumentRecord
from ingestion.text.errors import InvalidRequestError

router = APIRouter(tags=["文件"])

DocId = Annotated[str, Path(min_length=1, max_length=200, description="Document id as listed by GET /v1/documents.")]

_RECORD_EXAMPLE: Any = {
    "doc_id": "plan_a",
    "source": "plan_a.pdf",
    "content_hash": "5c0f…",
    "meta": {
        "title": "某市基层医疗卫生服务能力提升方案（2023—2025年）",
        "issuer": "某市人民政府办公室",
        "doc_number": "某政办发〔2023〕30号",
        "date": "2023-06-01",
        "region": "某市",
        "period": "2023-2025",
        "is_draft": False,
    },
    "n_chunks": 96,
    "n_targets": 41,
    "n_tables": 3,
    "tables_failed": [],
    "warnings": [],
    "ingested_at": "2025-01-01T08:00:00+00:00",
}


class DocumentList(BaseModel):
    """Every document in the library, ordered by id."""

    documents: list[DocumentRecord]

    model_config = {"json_schema_extra": {"examples": [{"documents": [_RECORD_EXAMPLE]}]}}


class Deleted(BaseModel):
    """The document that was removed (with all its passages and target rows)."""

    deleted: DocumentRecord

    model_config = {"json_schema_extra": {"examples": [{"deleted": _RECORD_EXAMPLE}]}}


@router.get("/v1/documents", response_model=DocumentList, summary="已入库文件列表", responses=error_responses(401, 429))
def list_documents(assistant: AssistantDep, _caller: CallerDep) -> DocumentList:
    """Metadata, row and chunk counts and extraction warnings of every document."""
    return DocumentList(documents=assistant.documents())


@router.get(
    "/v1/documents/{doc_id}",
    response_model=DocumentRecord,
    summary="单个文件的元数据",
    responses=error_responses(401, 404, 422, 429),
)
def get_document(doc_id: DocId, assistant: AssistantDep, _caller: CallerDep) -> DocumentRecord:
    """One document's metadata, counts and warnings; 404 if the id is unknown."""
    return assistant.document(doc_id)


@router.post(
    "/v1/documents",
    response_model=Job,
    status_code=202,
    summary="上传规划文件（后台入库）",
    responses=error_responses(401, 403, 413, 415, 422, 429, 503),
)
async def upload_document(
    request: Request,
    file: Annotated[UploadFile, File(description="A plan as PDF, DOCX, DOC, TXT or MD (one file per request).")],
    settings: SettingsDep,
    jobs: Annotated[JobManager, Depends(get_jobs)],
    _admin: AdminDep,
) -> JSONResponse:
    """Check the upload by content, save it under a server-chosen name and ingest it in the background.

    Returns 202 with the job; poll ``GET /v1/jobs/{job_id}`` (also in the Location header) until it
    is ``succeeded`` or ``failed``.
    """
    if len((await request.form()).getlist("file")) > 1:
        msg = "一次只能上传一个文件（表单中只能有一个 file 字段）：请逐个上传。"
        raise InvalidRequestError(msg)
    name = display_name(file.filename)
    suffix = upload_suffix(name)
    limit = int(settings.max_upload_mb * 1024 * 1024)
    data = await file.read(limit + 1)
    check_size(len(data), settings.max_upload_mb)
    await run_in_threadpool(check_content, data, suffix)
    job = await run_in_threadpool(jobs.submit, data, name)
    return JSONResponse(job.model_dump(mode="json"), status_code=202, headers={"Location": f"/v1/jobs/{job.job_id}"})


@router.delete(
    "/v1/documents/{doc_id}",
    response_model=Deleted,
    summary="删除文件",
    responses=error_responses(401, 403, 404, 413, 422, 429),
)
def delete_document(
    doc_id: DocId,
    assistant: AssistantDep,
    jobs: Annotated[JobManager, Depends(get_jobs)],
    _admin: AdminDep,
) -> Deleted:
    """Remove a document with its passages and target rows; 404 if the id is unknown."""
    record = assistant.delete(doc_id)
    jobs.forget_upload(record.source)
    return Deleted(deleted=record)

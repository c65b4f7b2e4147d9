"""One place that turns every error into ``{"error": {"code", "message"}}`` with the right status.

Domain errors (``PolicyAssistantError`` and its subclasses) map to status codes through one table;
validation errors keep the same envelope (422); anything unexpected becomes a bare 500 whose body
says nothing about the code: the stack trace goes to the server log, never to the client.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.access import ErrorResponse, error_response
from ingestion.text.errors import (
    AuthenticationError,
    BusyError,
    ConfigurationError,
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    FileTooLargeError,
    IngestError,
    InvalidRequestError,
    NoTextError,
    NotFoundError,
    PermissionDeniedError,
    PolicyAssistantError,
    RateLimitedError,
    StorageError,
    TextDecodingError,
    UnsupportedFileError,
)

log = logging.getLogger(__name__)


# Most specific class first: the first ``isinstance`` match wins.
STATUS_BY_ERROR: list[tuple[type[PolicyAssistantError], int]] = [
    (AuthenticationError, 401),
    (PermissionDeniedError, 403),
    (NotFoundError, 404),
    (FileTooLargeError, 413),
    (UnsupportedFileError, 415),
    (EmptyFileError, 422),
    (CorruptFileError, 422),
    (EncryptedFileError, 422),
    (TextDecodingError, 422),
    (NoTextError, 422),
    (IngestError, 422),
    (InvalidRequestError, 422),
    (StorageError, 503),
    (RateLimitedError, 429),
    (BusyError, 503),
    (ConfigurationError, 503),
    (PolicyAssistantError, 400),
]

INTERNAL_MESSAGE = "服务器内部错误，已记录日志；请稍后重试，或联系管理员查看服务器日志。"
BODY_MESSAGE = "请求体无法解析：JSON 请用 UTF-8 编码，上传请用 multipart/form-data 的 file 字段。"
HTTP_MESSAGES = {
    404: "没有这个接口；接口列表见 /docs。",
    405: "该接口不支持这种请求方法；接口列表见 /docs。",
}


def status_for(error: PolicyAssistantError) -> int:
    """The HTTP status a domain error maps to."""
    for cls, status in STATUS_BY_ERROR:
        if isinstance(error, cls):
            return status
    return 400


def _headers_for(error: PolicyAssistantError) -> dict[str, str] | None:
    if isinstance(error, (RateLimitedError, BusyError)):
        return {"Retry-After": str(error.retry_after)}
    if isinstance(error, AuthenticationError):
        return {"WWW-Authenticate": "Bearer"}
    return None


async def _domain_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PolicyAssistantError)
    status = status_for(exc)
    if status >= 500:
        log.error("%s: %s", type(exc).__name__, exc)
    return error_response(status, exc.code, str(exc), headers=_headers_for(exc))


def _clean_details(errors: Any) -> list[dict[str, Any]]:
    """Location and message of each validation problem; never the offending input echoed back in full."""
    out: list[dict[str, Any]] = []
    for e in errors:
        out.append({"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": e.get("type", "")})
    return out


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = _clean_details(exc.errors())
    where = "；".join(f"{'.'.join(d['loc'])}: {d['msg']}" for d in details[:5])
    return error_response(422, "validation_error", f"请求格式不正确：{where}", details=details)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400:
        # FastAPI's only 400 is a body it cannot parse (bytes that are not UTF-8, broken multipart):
        # the same kind of problem as malformed JSON, so the same status and code.
        return error_response(422, "validation_error", BODY_MESSAGE)
    code = {
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        413: "file_too_large",
    }.get(exc.status_code, "http_error")
    message = HTTP_MESSAGES.get(exc.status_code) or str(exc.detail)
    return error_response(exc.status_code, code, message, headers=dict(exc.headers) if exc.headers else None)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal_error", INTERNAL_MESSAGE)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on ``app``; call once from the app factory."""
    app.add_exception_handler(PolicyAssistantError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)


# Response documentation reused by the routers, so /docs lists every status a route may return.
def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the given error statuses, all with the error envelope."""
    descriptions = {
        401: "缺少或无效的 API 密钥（Authorization: Bearer <key>）",
        403: "该密钥无权执行此操作（上传、删除需管理员密钥）",
        404: "编号不存在",
        413: "上传文件超过大小上限",
        415: "不支持的文件类型，或文件内容与扩展名不符",
        422: "请求格式或内容不正确",
        429: "请求过于频繁（见 Retry-After）",
        503: "服务暂时无法处理（见 Retry-After）",
    }
    return {s: {"model": ErrorResponse, "description": descriptions.get(s, "错误")} for s in statuses}

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
from starlette.routing import Match

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
    UnsupportedParameterError,
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
    (UnsupportedParameterError, 400),
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
    param = exc.param if isinstance(exc, UnsupportedParameterError) else None
    return error_response(status, exc.code, str(exc), headers=_headers_for(exc), param=param)


# Pydantic's validation messages in Chinese, by error type (``ctx`` fills the braces). A type not
# listed keeps a generic sentence; the machine-readable ``type`` is always in the details.
_VALIDATION_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "不认识的字段（请检查拼写）",
    "invalid_query": "不认识的查询参数，或同一参数给出了多次",
    "string_type": "应为字符串",
    "string_too_short": "过短：至少 {min_length} 个字符",
    "string_too_long": "过长：最多 {max_length} 个字符",
    "string_pattern_mismatch": "格式不符合要求：不能为空白，也不能含不可见的控制字符",
    "too_short": "条目过少：至少 {min_length} 项",
    "too_long": "条目过多：最多 {max_length} 项",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为布尔值 true 或 false",
    "bool_parsing": "应为布尔值 true 或 false",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "literal_error": "取值应为以下之一：{expected}",
    "enum": "取值应为以下之一：{expected}",
    "json_invalid": "JSON 格式错误",
    "json_type": "应为 JSON",
    "union_tag_invalid": "取值类型不符合要求",
}
_GENERIC_MESSAGE = "取值不符合要求"


def validation_message(error: dict[str, Any]) -> str:
    """One pydantic/FastAPI validation problem as a Chinese sentence."""
    template = _VALIDATION_MESSAGES.get(str(error.get("type", "")), _GENERIC_MESSAGE)
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return template.split("：")[0]


def _clean_details(errors: Any) -> list[dict[str, Any]]:
    """Location and message of each validation problem; never the offending input echoed back in full."""
    out: list[dict[str, Any]] = []
    for e in errors:
        out.append({"loc": [str(p) for p in e.get("loc", ())], "msg": validation_message(e), "type": e.get("type", "")})
    return out


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = _clean_details(exc.errors())
    where = "；".join(f"{'.'.join(d['loc'])}：{d['msg']}" for d in details[:5])
    return error_response(422, "validation_error", f"请求格式不正确：{where}。接口说明见 /docs。", details=details)


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def _allowed_methods(request: Request) -> str:
    """Every method some route takes at this path (Starlette names only the first matching route's)."""
    allowed = [
        method
        for method in _METHODS
        if any(route.matches({**request.scope, "method": method})[0] == Match.FULL for route in request.app.routes)
    ]
    return ", ".join(allowed)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
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
    headers = dict(exc.headers) if exc.headers else {}
    if exc.status_code == 405:
        headers["Allow"] = _allowed_methods(request) or headers.get("Allow", "")
    return error_response(exc.status_code, code, message, headers=headers or None)


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
        400: "不支持的请求参数（OpenAI 格式的错误，param 指明参数）",
        401: "缺少或无效的 API 密钥（Authorization: Bearer <key>）",
        403: "该密钥无权执行此操作（上传、删除需管理员密钥）",
        404: "编号不存在",
        413: "请求体或上传文件超过大小上限",
        415: "不支持的文件类型，或文件内容与扩展名不符",
        422: "请求格式或内容不正确",
        429: "请求过于频繁（见 Retry-After）",
        503: "服务暂时无法处理（见 Retry-After）",
    }
    return {s: {"model": ErrorResponse, "description": descriptions.get(s, "错误")} for s in statuses}

"""The API's app factory: the REST API and the OpenAI-compatible endpoint around one ``Assistant``.

``create_app`` builds nothing heavy itself: models and indexes load in the lifespan
(``Assistant.warm_up``). It knows nothing of the web UI: the composition root (``assistant.main``)
builds the service, calls this factory and mounts the UI beside it.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import RedirectResponse
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.access import TokenBucketLimiter, error_response
from assistant.api.errors import install_error_handlers
from assistant.api.jobs import JobManager
from assistant.api.routes import ask, chat, documents, health, jobs, search, targets
from assistant.api.routes.common import strict_query
from assistant.api.security import AuthGate
from assistant.rate_store import SharedLimiter
from assistant.service import Assistant
from assistant.settings import Settings
from ingestion.text.errors import PolicyAssistantError

log = logging.getLogger(__name__)

API_DESCRIPTION = """\
卫生健康政策规划问答接口：数字有出处，答案附引用。

* 认证：配置了 API 密钥时，除 `/v1/health` 外每个接口都需要请求头 `Authorization: Bearer <密钥>`；
  上传、删除可限定为管理员密钥。
* 错误：统一为 `{"error": {"code": "...", "message": "..."}}`，状态码见各接口。
* OpenAI 兼容：`/v1/chat/completions`（支持 `stream: true`）与 `/v1/models`，可直接接入 Dify、Open WebUI 等。
"""

# Multipart framing around the file: boundaries, part headers and any small form fields.
MULTIPART_SLACK_BYTES = 64 * 1024
# JSON bodies (a question with its history) are small; this only stops abuse.
MAX_JSON_BODY_BYTES = 1024 * 1024


class BodySizeLimit:
    """Reject a request body over its limit with 413 before it is parsed or spooled to disk.

    Uploads (``POST /v1/documents``) may be ``upload_bytes`` long, other API bodies (JSON)
    ``json_bytes``; paths outside /v1 (the mounted UI) are left alone. A declared Content-Length
    is checked up front; a chunked body is counted as it streams in and cut off once it is over.
    """

    def __init__(self, app: ASGIApp, upload_bytes: int, json_bytes: int, upload_message: str) -> None:
        self.app = app
        self.upload_bytes = upload_bytes
        self.json_bytes = json_bytes
        self.upload_message = upload_message

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Wrap ``receive`` with a byte counter for API requests that carry a body."""
        path: str = scope.get("path", "") if scope["type"] == "http" else ""
        if not path.startswith("/v1/") or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        if path.rstrip("/") == "/v1/documents":
            limit, message = self.upload_bytes, self.upload_message
        else:
            limit, message = self.json_bytes, f"请求体过大：上限 {self.json_bytes // 1024} KB。"
        length = dict(scope.get("headers") or []).get(b"content-length", b"")
        if length.isdigit() and int(length) > limit:
            await error_response(413, "file_too_large", message, headers={"Connection": "close"})(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message_in = await receive()
            if message_in["type"] == "http.request":
                received += len(message_in.get("body", b""))
                if received > limit:
                    # FastAPI re-raises HTTPExceptions from body parsing, so this reaches the error handler.
                    raise StarletteHTTPException(413, detail=message)
            return message_in

        await self.app(scope, limited_receive, send)


def _warm(app: FastAPI, assistant: Assistant) -> None:
    """Load models and indexes; a failure leaves the server up (health says why) instead of dead."""
    if assistant.is_warm:
        return
    try:
        assistant.warm_up()
    except (PolicyAssistantError, ImportError, OSError) as e:
        log.error("warm-up failed: %s", e)
        # Health is open to anyone: say that it failed, keep the details (paths, causes) in the log.
        app.state.warm_error = f"预热失败（{type(e).__name__}），详见服务器日志；首次请求时会再尝试加载。"


def _openapi_with_limits(app: FastAPI, settings: Settings) -> Callable[[], dict[str, Any]]:
    """An OpenAPI generator that writes this server's configured limits into the schema."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        props = schema.get("components", {}).get("schemas", {}).get("AskRequest", {}).get("properties", {})
        if "question" in props:
            props["question"]["maxLength"] = settings.max_question_chars
        app.openapi_schema = schema
        return schema

    return openapi


def create_app(assistant: Assistant, settings: Settings | None = None, home: str = "/docs") -> FastAPI:
    """Build the FastAPI app around one ``Assistant``.

    Args:
        assistant: The service object every route calls.
        settings: API settings (keys, limits, CORS); ``assistant.settings`` when omitted.
        home: Where ``/`` redirects (the composition root points it at the UI when it mounts one).
    """
    if settings is None:
        settings = assistant.settings
    job_manager = JobManager(
        assistant,
        settings.data_dir / "uploads",
        max_workers=settings.max_ingest_jobs,
        max_pending=settings.max_pending_jobs,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(_warm, app, assistant)
        await run_in_threadpool(job_manager.recover)
        yield
        await run_in_threadpool(job_manager.shutdown, True)

    # FastAPIOffline serves Swagger UI and ReDoc from files inside its wheel: /docs works offline.
    app = FastAPIOffline(
        title="Policy Assistant API",
        version="0.1.0",
        description=API_DESCRIPTION,
        lifespan=lifespan,
        dependencies=[Depends(strict_query)],
    )
    app.state.assistant = assistant
    app.state.settings = settings
    app.state.limiter = (
        SharedLimiter(lambda: assistant.library.catalogue.engine, settings.rate_limit_per_minute)
        if settings.shared_rate_limits
        else TokenBucketLimiter(settings.rate_limit_per_minute)
    )
    app.state.jobs = job_manager
    app.state.warm_error = ""
    install_error_handlers(app)

    for module in (ask, chat, search, targets, documents, jobs, health):
        app.include_router(module.router)
    app.openapi = _openapi_with_limits(app, settings)  # type: ignore[method-assign]

    app.add_middleware(
        BodySizeLimit,
        upload_bytes=int(settings.max_upload_mb * 1024 * 1024) + MULTIPART_SLACK_BYTES,
        json_bytes=MAX_JSON_BODY_BYTES,
        upload_message=f"文件超过大小上限 {settings.max_upload_mb:g} MB：请压缩或拆分后再上传。",
    )
    # Added after the body-size limit, so it runs before it: no body is read for a request without a key.
    # Failed keys (and, once the UI is mounted, failed logins) per client address.
    app.state.auth_failures = TokenBucketLimiter(settings.failed_auth_per_minute)
    app.add_middleware(AuthGate, settings=settings, failures=app.state.auth_failures)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type"],
        )

    async def root() -> RedirectResponse:
        return RedirectResponse(home, status_code=307)

    app.add_api_route("/", root, include_in_schema=False, methods=["GET"])
    return app

"""The API's side of access: Bearer keys on every route, admin-only operations, per-key rate limits.

The rules themselves (which key is valid, which one is an admin's) are shared with the web UI in
``assistant.access``. With no key configured the API is open, which is why ``serve`` refuses to bind
beyond loopback then. Rate limiting is a small in-memory token bucket per key (per client address
when keys are off) in each worker process: with several workers, divide the limit by their number
or limit at the load balancer (see the README, "Past one machine").

``AuthGate`` checks the key of every ``/v1`` request before its body is read or validated, and
slows down guessing: each failed key takes a token from the client address's bucket of
``failed_auth_per_minute`` (shared with the UI's failed logins, see ``assistant.access``), and an
address with none left gets 429 until its bucket refills. The route dependency ``authenticate``
then identifies the caller and applies the per-key rate limit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.access import TokenBucketLimiter, client_address, error_response, key_id, key_matches, refuse_blocked
from assistant.rate_store import SharedLimiter
from assistant.settings import Settings
from ingestion.text.errors import AuthenticationError, PermissionDeniedError, RateLimitedError

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    description="API 密钥：请求头 `Authorization: Bearer <key>`（服务器未配置密钥时可省略）。",
)


@dataclass(frozen=True)
class Caller:
    """Who is calling: a stable, non-secret id for logs and rate limiting, and whether it is an admin."""

    key_id: str
    is_admin: bool


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def authenticate(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Caller:
    """Check the Bearer key (when keys are configured) and the caller's rate limit."""
    settings = _settings(request)
    all_keys = [*settings.api_keys, *settings.admin_api_keys]
    if all_keys:
        if credentials is None or not credentials.credentials:
            msg = "缺少 API 密钥：请在请求头中加入 Authorization: Bearer <密钥>。"
            raise AuthenticationError(msg)
        key = credentials.credentials
        if not key_matches(key, all_keys):
            msg = "API 密钥无效：请检查密钥是否正确，或向管理员申请。"
            raise AuthenticationError(msg)
        # Without separate admin keys every valid key may administer.
        is_admin = key_matches(key, settings.admin_api_keys) if settings.admin_api_keys else True
        caller = Caller(key_id=key_id(key), is_admin=is_admin)
    else:
        host = request.client.host if request.client else "unknown"
        caller = Caller(key_id=f"addr-{host}", is_admin=True)
    limiter: TokenBucketLimiter | SharedLimiter = request.app.state.limiter
    wait = limiter.acquire(caller.key_id)
    if wait > 0:
        retry_after = max(1, math.ceil(wait))
        msg = f"请求过于频繁：每个密钥每分钟最多 {settings.rate_limit_per_minute} 次，请 {retry_after} 秒后重试。"
        raise RateLimitedError(msg, retry_after=retry_after)
    return caller


def require_admin(caller: Annotated[Caller, Depends(authenticate)]) -> Caller:
    """Like ``authenticate``, but only admin keys pass (upload and delete)."""
    if not caller.is_admin:
        msg = "该密钥无权上传或删除文件：请使用管理员密钥（POLICY_ASSISTANT_ADMIN_API_KEYS）。"
        raise PermissionDeniedError(msg)
    return caller


CallerDep = Annotated[Caller, Depends(authenticate)]
AdminDep = Annotated[Caller, Depends(require_admin)]


# Routes that need no key: liveness checks from load balancers.
PUBLIC_PATHS = frozenset({"/v1/health"})
MISSING_KEY_MESSAGE = "缺少 API 密钥：请在请求头中加入 Authorization: Bearer <密钥>。"
WRONG_KEY_MESSAGE = "API 密钥无效：请检查密钥是否正确，或向管理员申请。"


def _bearer(scope: Scope) -> str:
    """The token of an ``Authorization: Bearer <token>`` header, or ''."""
    raw = dict(scope.get("headers") or []).get(b"authorization", b"").decode("latin-1").strip()
    scheme, _, token = raw.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


class AuthGate:
    """Authenticate ``/v1`` requests before anything reads their body, and slow down key guessing.

    A request without a valid key gets 401 before its JSON is parsed (a malformed body without a
    key is a 401, not a 422). Each failed key takes a token from the client address's bucket in
    ``failures``; an address with none left gets 429 with Retry-After, whatever key it sends, until
    the bucket refills.
    """

    def __init__(self, app: ASGIApp, settings: Settings, failures: TokenBucketLimiter) -> None:
        self.app = app
        self.keys = [*settings.api_keys, *settings.admin_api_keys]
        self.failures = failures

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass requests that need no check straight through."""
        path: str = scope.get("path", "") if scope["type"] == "http" else ""
        if (
            not self.keys
            or not path.startswith("/v1/")
            or path.rstrip("/") in PUBLIC_PATHS
            or scope["method"] == "OPTIONS"
        ):
            await self.app(scope, receive, send)
            return
        address = client_address(scope)
        if await refuse_blocked(self.failures, address, scope, receive, send):
            return
        key = _bearer(scope)
        if not key or not key_matches(key, self.keys):
            over = self.failures.acquire(address) > 0
            if over and await refuse_blocked(self.failures, address, scope, receive, send):
                return
            message = WRONG_KEY_MESSAGE if key else MISSING_KEY_MESSAGE
            response = error_response(401, "unauthorized", message, headers={"WWW-Authenticate": "Bearer"})
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

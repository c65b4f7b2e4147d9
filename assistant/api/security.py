"""The API's side of access: Bearer keys on every route, admin-only operations, per-key rate limits.

The rules themselves (which key is valid, which one is an admin's) are shared with the web UI in
``assistant.access``. With no key configured the API is open, which is why ``serve`` refuses to bind
beyond loopback then. Rate limiting is a small in-memory token bucket per key (per client address
when keys are off) in each worker process: with several workers, divide the limit by their number
or limit at the load balancer (see the README, "Past one machine").
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from assistant.access import key_id, key_matches
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


class TokenBucketLimiter:
    """Per-identity token buckets: ``per_minute`` tokens, refilled continuously.

    A burst of up to ``per_minute`` requests is allowed, then one request per ``60 / per_minute`` s.
    """

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def acquire(self, identity: str) -> float:
        """Take one token for ``identity``; return 0 when allowed, else the seconds until a token is free."""
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(identity, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[identity] = (tokens - 1.0, now)
                return 0.0
            self._buckets[identity] = (tokens, now)
            if len(self._buckets) > 10_000:
                self._forget_full(now)
            return (1.0 - tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        """Drop buckets that have refilled completely (they behave exactly like new ones)."""
        for ident, (tokens, last) in list(self._buckets.items()):
            if tokens + (now - last) * self.rate >= self.capacity:
                del self._buckets[ident]


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
    limiter: TokenBucketLimiter = request.app.state.limiter
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

"""Access rules shared by the HTTP API and the web UI, and the one envelope their refusals use.

Keys come from settings (``POLICY_ASSISTANT_API_KEYS`` / ``POLICY_ASSISTANT_ADMIN_API_KEYS``). The API
checks a Bearer key per request (``assistant.api.security``); the UI asks for a login whose password
is a key and whose user name carries the role (``admin``). Both refuse in the same JSON envelope,
``{"error": {"code", "message"}}``. ``serve`` refuses to listen beyond loopback without keys.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import threading
import time
from collections.abc import Callable
from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.settings import Settings

UI_ADMIN_USER = "admin"


def key_id(key: str) -> str:
    """A short non-reversible id of a key, safe to log."""
    return "key-" + hashlib.sha256(key.encode()).hexdigest()[:12]


def key_matches(key: str, candidates: list[str]) -> bool:
    """Whether ``key`` is one of ``candidates``, compared in constant time."""
    # Constant-time comparison against every candidate, so timing says nothing about which one nearly matched.
    found = False
    for c in candidates:
        found |= hmac.compare_digest(key.encode(), c.encode())
    return found


def is_loopback(host: str) -> bool:
    """Whether binding to ``host`` keeps the server reachable from this machine only."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def ui_login_ok(settings: Settings, username: str, password: str) -> bool:
    """Whether a web-UI login may pass: the password is an API key; the user name ``admin`` needs an admin key.

    The UI only learns the user name of a session, so the name carries the role: nobody gets the
    admin name without an admin key.
    """
    if username.strip() == UI_ADMIN_USER and settings.admin_api_keys:
        return key_matches(password, settings.admin_api_keys)
    return key_matches(password, [*settings.api_keys, *settings.admin_api_keys])


def ui_user_is_admin(settings: Settings, username: str | None) -> bool:
    """Whether a UI session may upload and remove documents, by the rules of the API's keys.

    No keys at all (a loopback-only server) or no separate admin keys: everyone who got in may.
    With admin keys, only the ``admin`` login (which ``ui_login_ok`` gave an admin key) may.
    """
    if not settings.admin_api_keys:
        return True
    return (username or "").strip() == UI_ADMIN_USER



# ---- the error envelope ---------------------------------------------------------------------------


class ErrorBody(BaseModel):
    """What went wrong, for a program (``code``) and for a person (``message``)."""

    code: str = Field(description="Stable machine-readable code, e.g. not_found, rate_limited.")
    message: str = Field(description="What went wrong and how to fix it (Chinese).")
    details: list[dict[str, Any]] | None = Field(
        default=None, description="For validation errors: where each problem is (loc) and what it is (msg)."
    )
    type: str | None = Field(
        default=None, description="OpenAI's error type (invalid_request_error), on the OpenAI-compatible routes."
    )
    param: str | None = Field(default=None, description="The request parameter at fault, when there is one.")


class ErrorResponse(BaseModel):
    """The body of every error response."""

    error: ErrorBody

    model_config = {
        "json_schema_extra": {"examples": [{"error": {"code": "not_found", "message": "没有编号为 x 的文件。"}}]}
    }


def error_response(
    status: int,
    code: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    param: str | None = None,
) -> JSONResponse:
    """A JSON error in the one envelope every endpoint uses (OpenAI's ``type``/``param`` when ``param`` is given)."""
    error_type = "invalid_request_error" if param is not None else None
    body = ErrorResponse(error=ErrorBody(code=code, message=message, details=details, type=error_type, param=param))
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, headers=headers)


# ---- slowing down guesses: one bucket per client address for failed keys and failed logins -----------


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

    def blocked(self, identity: str) -> float:
        """Seconds until ``identity`` has a token again (0 when it has one), without taking any."""
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(identity, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            return 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        """Drop buckets that have refilled completely (they behave exactly like new ones)."""
        for ident, (tokens, last) in list(self._buckets.items()):
            if tokens + (now - last) * self.rate >= self.capacity:
                del self._buckets[ident]


def client_address(scope: Scope) -> str:
    """The identity a request's failures count against: its client address."""
    client = scope.get("client")
    return f"addr-{client[0]}" if client else "addr-unknown"


async def refuse_blocked(
    failures: TokenBucketLimiter, address: str, scope: Scope, receive: Receive, send: Send
) -> bool:
    """Answer 429 (and return True) when ``address`` has no failure tokens left."""
    wait = failures.blocked(address)
    if wait <= 0:
        return False
    retry_after = max(1, math.ceil(wait))
    per_minute = round(failures.capacity)
    msg = f"密钥或登录失败次数过多：每个地址每分钟最多 {per_minute} 次，请 {retry_after} 秒后重试。"
    await error_response(429, "rate_limited", msg, headers={"Retry-After": str(retry_after)})(scope, receive, send)
    return True


class LoginThrottle:
    """ASGI middleware on the web UI's login route: failed logins count against the client address.

    Refused with 429 while the address's bucket (shared with the API's failed keys) is empty; each
    failed login (an answer of 400 or more) takes a token.
    """

    def __init__(self, app: ASGIApp, path: str, failures: TokenBucketLimiter) -> None:
        self.app = app
        self.path = path.rstrip("/")
        self.failures = failures

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Watch POSTs to the login path; pass everything else through."""
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"].rstrip("/") != self.path:
            await self.app(scope, receive, send)
            return
        address = client_address(scope)
        if await refuse_blocked(self.failures, address, scope, receive, send):
            return
        status = 0

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        await self.app(scope, receive, watch)
        if status >= 400:
            self.failures.acquire(address)

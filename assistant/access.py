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
from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

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
) -> JSONResponse:
    """A JSON error in the one envelope every endpoint uses."""
    body = ErrorResponse(error=ErrorBody(code=code, message=message, details=details))
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, headers=headers)

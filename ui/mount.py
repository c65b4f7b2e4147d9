"""Mount the web UI on an ASGI app, with the login and upload rules the API applies.

The one place that knows how the Gradio Blocks is attached to a FastAPI app: the login (any user
name with an API key as password; ``admin`` with an admin key for changes), Gradio's own file-path
check, and the upload guard on Gradio's upload route. The composition root (``assistant.main``)
calls it; the API never imports the UI.
"""

from __future__ import annotations

import gradio
from fastapi import FastAPI

from assistant.access import UI_ADMIN_USER, LoginThrottle, TokenBucketLimiter, ui_login_ok
from assistant.service import Assistant
from assistant.settings import Settings
from ui.app import build_ui
from ui.uploads import GradioUploadGuard, UploadRules, enable_path_checks
from ui.widgets import gradio_chinese, script

UI_PATH = "/ui"


def mount_ui(app: FastAPI, assistant: Assistant, settings: Settings) -> str:
    """Build the UI for ``assistant`` and mount it on ``app`` at /ui; return the path to open it at."""
    keys = [*settings.api_keys, *settings.admin_api_keys]

    def check_login(username: str, password: str) -> bool:
        return ui_login_ok(settings, username, password)

    message = "用户名任意，密码为 API 密钥。"
    if settings.admin_api_keys:
        message += f"上传和移除文件需以用户名 {UI_ADMIN_USER} 和管理员密钥登录。"
    blocks = build_ui(assistant, settings)
    gradio.mount_gradio_app(
        app,
        blocks,
        path=UI_PATH,
        auth=check_login if keys else None,
        auth_message=message if keys else None,
        footer_links=[],
        i18n=gradio_chinese(),
        head=f"<script>{script()}</script>",
        max_file_size=int(settings.max_upload_mb * 1024 * 1024),
    )
    enable_path_checks(blocks)
    app.add_middleware(
        GradioUploadGuard, route=f"{UI_PATH}/gradio_api/upload", rules=UploadRules.from_settings(settings)
    )
    if keys:
        # Failed logins share the API's per-address bucket of failed keys, when the app has one.
        failures = getattr(app.state, "auth_failures", None) or TokenBucketLimiter(settings.failed_auth_per_minute)
        app.add_middleware(LoginThrottle, path=f"{UI_PATH}/login", failures=failures)
    return f"{UI_PATH}/"

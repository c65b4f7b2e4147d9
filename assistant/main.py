"""The composition root: builds the one ``Assistant``, the API app and the web UI, and runs the commands.

Everything else receives what it needs from here: the API factory (``assistant.api.app.create_app``)
gets the service, the UI is mounted beside it (``ui.mount.mount_ui``), the CLI's commands are joined
with ``serve``. ``create_server`` is also the factory for several workers::

    uvicorn --factory assistant.main:create_server --workers 2
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer
from fastapi import FastAPI

from assistant import cli
from assistant.access import is_loopback
from assistant.api.app import create_app
from assistant.service import Assistant
from assistant.settings import Settings
from ingestion.text.errors import PolicyAssistantError

app = typer.Typer(
    help="Policy Assistant：卫生健康政策规划问答（离线、可引用、数字有出处）。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(cli.app)


def create_server(
    settings: Settings | None = None, assistant: Assistant | None = None, mount_ui: bool = True
) -> FastAPI:
    """The HTTP API around one ``Assistant``, with the web UI at /ui unless ``mount_ui`` is false.

    Args:
        settings: The settings tree; ``assistant.settings``, else read from the environment.
        assistant: The service; built from ``settings`` when omitted.
        mount_ui: Mount the Gradio UI (``/`` then opens it; otherwise ``/`` opens /docs).
    """
    if settings is None:
        settings = assistant.settings if assistant is not None else Settings()
    if assistant is None:
        assistant = Assistant(settings)
    if not mount_ui:
        return create_app(assistant, settings)
    # Gradio reads this when first imported: no analytics calls from a server that runs offline.
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from ui.mount import UI_PATH
    from ui.mount import mount_ui as mount

    server = create_app(assistant, settings, home=f"{UI_PATH}/")
    mount(server, assistant, settings)
    return server


@app.callback()
def _main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="输出调试日志")] = False) -> None:
    cli.configure_logging(verbose)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="端口")] = 8000,
    no_ui: Annotated[bool, typer.Option("--no-ui", help="只提供 HTTP 接口，不挂载网页界面")] = False,
    allow_public: Annotated[
        bool, typer.Option("--allow-public", help="未配置 API 密钥时仍允许监听本机以外的地址（不安全）")
    ] = False,
) -> None:
    """启动 HTTP 接口（/v1/...，文档见 /docs）与网页界面（/ui）。"""
    settings = Settings()
    has_keys = bool(settings.api_keys or settings.admin_api_keys)
    if not is_loopback(host) and not has_keys and not (allow_public or settings.allow_public_bind):
        typer.echo(
            f"拒绝监听 {host}：未配置 API 密钥时，任何能访问该地址的人都可以查询、上传和删除文件。"
            "请设置 POLICY_ASSISTANT_API_KEYS（JSON 列表，如 [\"密钥\"]）后再启动；"
            "如确需无密钥对外开放，请加 --allow-public。",
            err=True,
        )
        raise typer.Exit(2)
    import uvicorn

    from assistant.api.protocol import uvicorn_options

    typer.echo(f"正在加载模型和索引……完成后可访问 http://{host}:{port}/（接口文档 /docs）")
    server = create_server(settings, mount_ui=not no_ui)
    uvicorn.run(server, host=host, port=port, log_level="info", **uvicorn_options())  # type: ignore[arg-type]


def main() -> None:
    """Console entry point (``policy-assistant``): domain errors become one clear line and exit code 1."""
    try:
        app()
    except PolicyAssistantError as e:
        typer.echo(f"错误：{e}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()

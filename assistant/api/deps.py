"""FastAPI dependencies that hand routers the objects the app factory put on ``app.state``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, cast

from fastapi import Depends, Request

from assistant.service import Assistant
from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.api.jobs import JobManager


def get_assistant(request: Request) -> Assistant:
    """The one service object of this app."""
    return cast(Assistant, request.app.state.assistant)


def get_settings(request: Request) -> Settings:
    """The settings the app was built with (API limits, keys)."""
    return cast(Settings, request.app.state.settings)


def get_jobs(request: Request) -> JobManager:
    """The background ingestion jobs of this app."""
    from assistant.api.jobs import JobManager

    return cast(JobManager, request.app.state.jobs)


AssistantDep = Annotated[Assistant, Depends(get_assistant)]
SettingsDep = Annotated[Settings, Depends(get_settings)]

"""Checks shared by several routers: limits that come from settings, and filters naming documents."""

from __future__ import annotations

from assistant.errors import InvalidRequestError
from assistant.schema import Filters
from assistant.service import Assistant
from assistant.settings import Settings


def check_question(text: str, settings: Settings, what: str = "问题") -> str:
    """Strip ``text`` and enforce the non-empty and ``max_question_chars`` limits."""
    stripped = text.strip()
    if not stripped:
        msg = f"{what}不能为空：请输入要查询的内容。"
        raise InvalidRequestError(msg)
    if len(stripped) > settings.max_question_chars:
        msg = f"{what}过长（{len(stripped)} 字）：请控制在 {settings.max_question_chars} 字以内。"
        raise InvalidRequestError(msg)
    return stripped


def check_filters(assistant: Assistant, filters: Filters | None) -> None:
    """Raise NotFoundError when a filter names a document that is not in the library."""
    if filters is None or not filters.doc_ids:
        return
    for doc_id in filters.doc_ids:
        assistant.document(doc_id)

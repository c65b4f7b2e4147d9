"""Checks shared by several routers: limits that come from settings, and filters naming documents."""

from __future__ import annotations

import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError

from assistant.schema import HIDDEN_CHARS, Filters
from assistant.service import Assistant
from assistant.settings import Settings
from ingestion.text.errors import InvalidRequestError

_HIDDEN = re.compile(f"[{HIDDEN_CHARS}]")


def _hidden_controls(text: str) -> list[str]:
    """The hidden characters of ``text`` (the class the request schemas refuse), as U+XXXX."""
    return sorted({f"U+{ord(ch):04X}" for ch in _HIDDEN.findall(text)})


def check_question(text: str, settings: Settings, what: str = "问题") -> str:
    """Strip ``text`` and enforce the non-empty and ``max_question_chars`` limits.

    Control characters (NUL, ESC …) and invisible format characters (bidi overrides such as
    U+202E, zero-width joiners) are refused: they change how the text is shown without being seen.
    """
    hidden = _hidden_controls(text)
    if hidden:
        msg = f"{what}含有不可见的控制字符（{'、'.join(hidden[:5])}）：请删除后重新输入。"
        raise InvalidRequestError(msg)
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


def _query_params(app: FastAPI) -> dict[tuple[str, str], tuple[set[str], set[str]]]:
    """(METHOD, path template) -> (declared query parameter names, those the schema declares as arrays)."""
    cached: dict[tuple[str, str], tuple[set[str], set[str]]] | None = getattr(app.state, "query_params", None)
    if cached is not None:
        return cached
    out: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    for path, item in app.openapi().get("paths", {}).items():
        for method, operation in item.items():
            declared: set[str] = set()
            lists: set[str] = set()
            for param in operation.get("parameters", []):
                if param.get("in") != "query":
                    continue
                declared.add(param["name"])
                schema = param.get("schema", {})
                if "array" in [schema.get("type")] + [s.get("type") for s in schema.get("anyOf", [])]:
                    lists.add(param["name"])
            out[(method.upper(), path)] = (declared, lists)
    app.state.query_params = out
    return out


def strict_query(request: Request) -> None:
    """Reject unknown query parameters, and scalars given twice (``?year=1&year=2``), with a 422.

    FastAPI would silently ignore a misspelt filter (``?regoin=``) or keep the last of two values;
    either way the caller would get a quietly different answer from the one they asked for.
    """
    keys = [k for k, _ in request.query_params.multi_items()]
    if not keys:
        return
    template = getattr(request.scope.get("route"), "path", "")
    entry = _query_params(request.app).get((request.method, template))
    if entry is None:
        return
    declared, lists = entry
    problems = [(k, "未知的查询参数") for k in sorted(set(keys) - declared)]
    problems += [(k, "只能给出一次") for k in sorted({k for k in keys if keys.count(k) > 1} & declared - lists)]
    if problems:
        raise RequestValidationError(
            [{"type": "invalid_query", "loc": ("query", k), "msg": msg, "input": None} for k, msg in problems]
        )

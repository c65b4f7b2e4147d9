"""Small pieces every page of the web UI uses: toasts, the header, choices, the admin rule, the style."""

from __future__ import annotations

import json
import logging
from importlib import resources

import gradio as gr

from assistant.access import ui_user_is_admin
from assistant.service import Assistant
from assistant.settings import Settings
from ingestion.schema import DocumentRecord
from ingestion.text.errors import PolicyAssistantError
from ui import data
from ui import labels as L
from ui.render import neutralize

log = logging.getLogger(__name__)


def style() -> str:
    """The UI's CSS (``ui/style.css``)."""
    return resources.files("ui").joinpath("style.css").read_text(encoding="utf-8")


def script() -> str:
    """The UI's script (``ui/script.js``): [n] markers that jump to their source, Chinese placeholders."""
    return resources.files("ui").joinpath("script.js").read_text(encoding="utf-8")


def gradio_chinese() -> gr.I18n:
    """Gradio's own strings in Chinese for every browser language (an English browser too).

    ``ui/gradio_zh.json`` is Gradio's zh-CN translation (flattened keys); registering it under
    ``en`` as well makes Chinese the UI's language whatever the browser asks for.
    """
    strings = json.loads(resources.files("ui").joinpath("gradio_zh.json").read_text(encoding="utf-8"))
    return gr.I18n(**{"en": strings, "zh-CN": strings, "zh": strings})


def info(message: str) -> None:
    """A toast; Gradio renders toasts as HTML, so the text (which may name a document) is neutralized."""
    gr.Info(neutralize(message), title=L.TOAST_INFO)


def warn(message: str) -> None:
    """A warning toast, neutralized like ``info``."""
    gr.Warning(neutralize(message), title=L.TOAST_WARNING)


def header(status: str) -> str:
    """The page header with the library's status line."""
    return (
        f'<div class="pa-header"><h1>{neutralize(L.APP_TITLE)}</h1><p>{neutralize(L.APP_SUBTITLE)}</p>'
        f'<p class="pa-status">{neutralize(status)}</p></div>'
    )


def choices_with_all(values: list[str] | list[tuple[str, str]], all_label: str) -> list[tuple[str, str]]:
    """Drop-down choices with an "all" entry (value "") first; a value may come with its own label."""
    return [(all_label, ""), *((v, v) if isinstance(v, str) else v for v in values)]


def is_admin(settings: Settings, request: gr.Request | None) -> bool:
    """Whether this session may change the library (the API's admin rule, by login name)."""
    return ui_user_is_admin(settings, request.username if request is not None else None)


def titles(docs: list[DocumentRecord]) -> dict[str, str]:
    """How each document is named in the UI, by id."""
    return {d.doc_id: data.doc_label(d) for d in docs}


def doc_text(assistant: Assistant, doc_id: str, cache: dict[str, str | None]) -> str | None:
    """The cleaned text of a document (None if it cannot be read), remembered in ``cache``."""
    if doc_id not in cache:
        try:
            cache[doc_id] = assistant.document_text(doc_id)
        except PolicyAssistantError as e:
            log.warning("no text for %s: %s", doc_id, e)
            cache[doc_id] = None
    return cache[doc_id]

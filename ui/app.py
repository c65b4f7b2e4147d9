"""The Gradio web UI for officials: chat with openable citations, a target explorer, the document library.

``build_ui(assistant)`` returns a ``gr.Blocks`` that calls the same ``Assistant`` the API and the CLI
use (never the HTTP API). Each tab is a page module in ``ui/pages`` (its handlers and components);
this module puts them together and wires what spans pages: the header and the choices every page
shows, refreshed on load and after the library changes, and the admin-only controls. The
composition root mounts the Blocks with ``ui.mount.mount_ui``. Everything shown from a document goes
through ``ui.render`` (text, never markup).
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.service import Assistant
from assistant.settings import Settings
from ui import data
from ui import labels as L
from ui.pages.chat import ChatPage, build_chat_tab
from ui.pages.documents import DocumentsPage, build_documents_tab
from ui.pages.evaluation import EvaluationPage, build_evaluation_tab
from ui.pages.targets import TargetsPage, build_targets_tab
from ui.render import render_lines, render_message
from ui.uploads import DELETE_CACHE
from ui.widgets import choices_with_all, header, is_admin, style


def refresh_all(assistant: Assistant) -> tuple[Any, ...]:
    """Fresh choices, tables and status for every page (on load and after an upload or removal)."""
    docs = assistant.documents()
    targets = assistant.targets()
    regions = data.region_labels(docs, targets)
    missing = data.missing_meta_lines(docs)
    meta_note = render_lines([L.META_MISSING_TITLE, *missing, L.META_MISSING_HOW]) if missing else ""
    doc_choices = [(data.doc_label(d), d.doc_id) for d in docs]
    examples = data.example_questions(targets)
    status = L.STATUS_LINE.format(n_docs=len(docs), n_targets=len(targets)) if docs else L.STATUS_EMPTY
    return (
        gr.update(value=header(status)),
        gr.update(choices=choices_with_all(regions, L.FILTER_REGION_ALL)),
        gr.update(choices=doc_choices),
        gr.update(samples=[[q] for q in examples]),
        examples,
        gr.update(choices=choices_with_all(regions, L.T_ANY)),
        gr.update(choices=choices_with_all(data.year_choices(targets), L.T_ANY)),
        gr.update(choices=[(L.T_ANY, ""), *doc_choices]),
        data.documents_frame(docs),
        gr.update(choices=doc_choices, value=None),
        gr.update(value=f'<div class="pa-missing">{meta_note}</div>' if missing else "", visible=bool(missing)),
    )


def admin_controls(settings: Settings, request: gr.Request) -> tuple[Any, ...]:
    """On load: hide upload, removal and evaluation runs from sessions that may not use them.

    Returns updates for the upload column, the removal column, the evaluation run button and its
    smoke-subset box (shown to administrators only), and the note saying who may change the library.
    The handlers check the rule again, so a hidden control is not the only guard.
    """
    admin = is_admin(settings, request)
    note = "" if admin else render_message(L.ADMIN_ONLY, "pa-note")
    return (
        gr.update(visible=admin),
        gr.update(visible=admin),
        gr.update(visible=admin),
        gr.update(visible=admin),
        gr.update(value=note, visible=not admin),
    )


def build_ui(assistant: Assistant, settings: Settings | None = None) -> gr.Blocks:
    """The whole web UI (问答, 指标, 文件, 评测) for one Assistant, ready to mount or launch.

    ``settings`` gives the access rules (API keys and admin keys); ``assistant.settings`` by default.
    """
    settings = settings if settings is not None else assistant.settings
    with gr.Blocks(title=L.APP_TITLE, analytics_enabled=False, fill_width=False, delete_cache=DELETE_CACHE) as demo:
        # The CSS rides on a component's head so it applies however the Blocks is mounted.
        status = gr.HTML(header(""), head=f"<style>{style()}</style>", js_on_load=None, elem_id="pa-status")
        with gr.Tabs():
            chat = build_chat_tab(ChatPage(assistant, settings), settings)
            targets = build_targets_tab(TargetsPage(assistant, settings))
            documents = build_documents_tab(DocumentsPage(assistant, settings))
            evaluation_page = EvaluationPage(assistant, settings)
            evaluation = build_evaluation_tab(evaluation_page)

        refresh_outputs = [
            status,
            chat.region,
            chat.docs_filter,
            chat.examples,
            chat.example_state,
            targets.t_region,
            targets.t_year,
            targets.t_doc,
            documents.docs_table,
            documents.del_doc,
            documents.meta_note,
        ]

        def refresh() -> tuple[Any, ...]:
            return refresh_all(assistant)

        def controls(request: gr.Request) -> tuple[Any, ...]:
            return admin_controls(settings, request)

        load = demo.load(refresh, None, refresh_outputs, api_visibility="private")
        targets.refresh(load)
        load.then(evaluation_page.eval_report, None, evaluation.eval_md, api_visibility="private")
        demo.load(
            controls,
            None,
            [
                documents.upload_col,
                documents.delete_col,
                evaluation.eval_run,
                evaluation.eval_smoke,
                documents.admin_note,
            ],
            api_visibility="private",
        )
        for changed in documents.changed:
            targets.refresh(changed.then(refresh, None, refresh_outputs, api_visibility="private"))
    blocks: gr.Blocks = demo
    return blocks

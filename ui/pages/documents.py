"""The 文件 page: the library's documents, uploads and removals (admins only when admin keys are set)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from assistant.service import Assistant
from assistant.settings import Settings
from ingestion.filetypes import SUPPORTED_SUFFIXES
from ingestion.text.errors import PolicyAssistantError
from ui import data
from ui import labels as L
from ui.render import neutralize, render_message
from ui.uploads import UploadInbox, UploadRules, discard, in_upload_folder
from ui.widgets import info, is_admin, warn

UPLOAD_TYPES = list(SUPPORTED_SUFFIXES)
# Pixel widths: wide tables scroll sideways on a phone instead of squeezing every column.
DOC_COLUMN_WIDTHS: list[str | int] = [260, 140, 160, 160, 100, 90, 100, 90, 70, 80, 70, 140, 240, 200, 170, 150]


@dataclass
class DocumentsTab:
    """The library page's components, and the events after which the library has changed."""

    docs_table: Any
    meta_note: Any
    admin_note: Any
    upload_col: Any
    delete_col: Any
    upload_files: Any
    received: Any
    upload_btn: Any
    upload_result: Any
    del_doc: Any
    del_btn: Any
    del_confirm: Any
    del_question: Any
    del_yes: Any
    del_no: Any
    del_result: Any
    changed: list[Any]


class DocumentsPage:
    """The library page's event handlers: receive uploads, ingest them, remove documents."""

    def __init__(self, assistant: Assistant, settings: Settings) -> None:
        self.assistant = assistant
        self.settings = settings
        self.inbox = UploadInbox(UploadRules.from_settings(settings))

    def receive(self, files: list[str] | None, request: gr.Request) -> tuple[list[str], str]:
        """Keep, for this session, the files the browser just uploaded that pass the upload rules.

        Runs when the file box changes. Only files in Gradio's upload folder are kept (see
        ``ui.uploads``); the rest, and everything a session without admin rights sends, is deleted.
        """
        if not is_admin(self.settings, request):
            discard(files or [])
            return [], render_message(L.ADMIN_ONLY, "pa-error")
        kept, refused = self.inbox.accept(files)
        if refused:
            warn(L.UPLOAD_REFUSED.format(files="；".join(refused)))
            return kept, render_message(L.UPLOAD_REFUSED.format(files="；".join(refused)), "pa-error")
        return kept, ""

    def upload(
        self,
        received: list[str] | None,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> tuple[list[str], str]:
        """Ingest the files this session uploaded (kept by ``receive``), one by one, showing progress.

        Returns the emptied session list and a per-file report; the received files are deleted
        afterwards, whatever happened.
        """
        if not is_admin(self.settings, request):
            discard(received or [])
            warn(L.ADMIN_ONLY)
            return [], render_message(L.ADMIN_ONLY, "pa-error")
        paths = [Path(f) for f in received or [] if in_upload_folder(f)]
        if not paths:
            warn(L.UPLOAD_NONE)
            return [], render_message(L.UPLOAD_NONE)
        lines: list[str] = []
        try:
            for i, path in enumerate(paths, 1):
                progress((i - 1) / len(paths), desc=L.UPLOAD_PROGRESS.format(name=path.name, i=i, n=len(paths)))
                for r in self.assistant.ingest([path]):
                    detail = ""
                    if r.status in ("added", "updated"):
                        detail = L.UPLOAD_COUNTS.format(n_chunks=r.n_chunks, n_targets=r.n_targets)
                        if r.tables_failed:
                            detail += L.UPLOAD_TABLES_FAILED.format(tables="、".join(r.tables_failed))
                    if r.reason:
                        detail += L.UPLOAD_REASON.format(reason=r.reason)
                    status = L.UPLOAD_STATUS.get(r.status, r.status)
                    lines.append(L.UPLOAD_RESULT_LINE.format(name=Path(r.path).name, status=status, detail=detail))
        finally:
            discard(paths)
        progress(1.0, desc=L.UPLOAD_DONE)
        return [], '<div class="pa-upload-result">' + "".join(f"<div>{neutralize(x)}</div>" for x in lines) + "</div>"

    def ask_delete(self, doc_id: str | None, request: gr.Request) -> tuple[Any, Any]:
        """Show the confirmation for removing the chosen document."""
        if not is_admin(self.settings, request):
            warn(L.ADMIN_ONLY)
            return gr.update(visible=False), gr.skip()
        if not doc_id:
            warn(L.DELETE_NONE)
            return gr.update(visible=False), gr.skip()
        try:
            title = data.doc_label(self.assistant.document(doc_id))
        except PolicyAssistantError as e:
            warn(str(e))
            return gr.update(visible=False), gr.skip()
        return gr.update(visible=True), render_message(L.DELETE_ASK.format(title=title))

    def delete(self, doc_id: str | None, request: gr.Request) -> tuple[Any, Any]:
        """Remove the chosen document; hides the confirmation and reports the result."""
        if not is_admin(self.settings, request):
            return gr.update(visible=False), render_message(L.ADMIN_ONLY, "pa-error")
        if not doc_id:
            return gr.update(visible=False), render_message(L.DELETE_NONE)
        try:
            record = self.assistant.delete(doc_id)
        except PolicyAssistantError as e:
            warn(str(e))
            return gr.update(visible=False), render_message(str(e), "pa-error")
        msg = L.DELETE_DONE.format(title=data.doc_label(record))
        info(msg)
        return gr.update(visible=False), render_message(msg)


def build_documents_tab(page: DocumentsPage) -> DocumentsTab:
    """The 文件 tab's components (inside the Blocks being built), wired to ``page``."""
    with gr.Tab(L.TAB_DOCS, id="docs"):
        gr.Markdown(L.DOCS_INTRO)
        meta_note = gr.HTML("", visible=False, js_on_load=None, elem_id="pa-meta-missing")
        docs_table = gr.Dataframe(
            value=pd.DataFrame(columns=data.DOC_COLUMNS),
            interactive=False,
            wrap=True,
            max_height=420,
            elem_id="pa-docs-table",
            show_label=False,
            column_widths=DOC_COLUMN_WIDTHS,
            datatype=[
                "number" if col in (L.COL_CHUNKS, L.COL_TARGETS, L.COL_TABLES) else "str" for col in data.DOC_COLUMNS
            ],
        )
        admin_note = gr.HTML("", visible=False, js_on_load=None, elem_id="pa-admin-note")
        with gr.Row():
            with gr.Column(min_width=260, elem_id="pa-upload-col") as upload_col:
                upload_files = gr.File(
                    label=L.UPLOAD_LABEL,
                    file_count="multiple",
                    file_types=UPLOAD_TYPES,
                    elem_id="pa-upload",
                )
                # The files this session uploaded and ``receive`` kept: server-side state, so the
                # ingest handler never takes a path from the client.
                received = gr.State([])
                upload_btn = gr.Button(L.UPLOAD_BUTTON, variant="primary", elem_id="pa-upload-btn")
                upload_result = gr.HTML("", js_on_load=None, elem_id="pa-upload-result")
            with gr.Column(min_width=260, elem_id="pa-delete-col") as delete_col:
                del_doc = gr.Dropdown(choices=[], label=L.DELETE_LABEL, elem_id="pa-del-doc")
                del_btn = gr.Button(L.DELETE_BUTTON, variant="stop", elem_id="pa-del-btn")
                with gr.Group(visible=False) as del_confirm:
                    del_question = gr.HTML("", js_on_load=None)
                    with gr.Row():
                        del_yes = gr.Button(L.DELETE_CONFIRM, variant="stop", elem_id="pa-del-yes")
                        del_no = gr.Button(L.DELETE_CANCEL)
                del_result = gr.HTML("", js_on_load=None, elem_id="pa-del-result")

    private: dict[str, Any] = {"api_visibility": "private"}  # the HTTP API is the integration surface
    upload_files.change(page.receive, [upload_files], [received, upload_result], **private)
    uploaded = upload_btn.click(page.upload, [received], [received, upload_result], show_progress="full", **private)
    uploaded = uploaded.then(lambda: None, None, upload_files, **private)
    del_btn.click(page.ask_delete, [del_doc], [del_confirm, del_question], **private)
    del_no.click(lambda: gr.update(visible=False), None, del_confirm, **private)
    removed = del_yes.click(page.delete, [del_doc], [del_confirm, del_result], **private)
    return DocumentsTab(
        docs_table=docs_table,
        meta_note=meta_note,
        admin_note=admin_note,
        upload_col=upload_col,
        delete_col=delete_col,
        upload_files=upload_files,
        received=received,
        upload_btn=upload_btn,
        upload_result=upload_result,
        del_doc=del_doc,
        del_btn=del_btn,
        del_confirm=del_confirm,
        del_question=del_question,
        del_yes=del_yes,
        del_no=del_no,
        del_result=del_result,
        changed=[uploaded, removed],
    )

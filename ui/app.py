"""The Gradio web UI for officials: chat with openable citations, a target explorer, the document library.

``build_ui(assistant)`` returns a ``gr.Blocks`` that calls the same ``Assistant`` the API and the
CLI use (never the HTTP API). The composition root mounts it with ``ui.mount.mount_ui``. Everything it shows
from a document goes through ``ui.render`` (text, never markup).
"""

from __future__ import annotations

import logging
import tempfile
import threading
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from assistant.access import ui_user_is_admin
from assistant.schema import Answer, Filters, Turn
from assistant.service import Assistant
from assistant.settings import Settings
from ingestion.filetypes import SUPPORTED_SUFFIXES
from ingestion.schema import DocumentRecord, Target
from ingestion.text.errors import PolicyAssistantError
from ui import data
from ui import labels as L
from ui.feedback import FeedbackEntry, FeedbackLog, Vote
from ui.render import (
    Passage,
    answer_copy_text,
    citation_context,
    neutralize,
    render_answer,
    render_message,
    render_target_detail,
)
from ui.uploads import DELETE_CACHE, UploadInbox, UploadRules, discard, in_upload_folder

log = logging.getLogger(__name__)

# Rows shown in the target table (the CSV export carries them all).
MAX_TABLE_ROWS = 500
UPLOAD_TYPES = list(SUPPORTED_SUFFIXES)
# Tableau 10: distinct on screen and in grey-scale print-outs.
PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]
# Pixel widths: wide tables scroll sideways on a phone instead of squeezing every column.
TARGET_COLUMN_WIDTHS: list[str | int] = [90, 110, 200, 110, 70, 60, 80, 200, 160, 360, 80]
DOC_COLUMN_WIDTHS: list[str | int] = [260, 160, 160, 100, 90, 100, 90, 70, 80, 70, 140, 240, 200, 170, 150]

UI_CSS = """
.pa-header h1 { font-size: 1.5rem; margin: 0 0 .25rem 0; }
.pa-header p { margin: 0; color: var(--body-text-color-subdued); }
.pa-status { font-size: .9rem; color: var(--body-text-color-subdued); }
.pa-answer p { margin: .25rem 0; }
.pa-answer .pa-list { margin: .25rem 0 .25rem 1.25rem; padding: 0; }
.pa-ref { color: var(--color-accent); font-weight: 600; margin: 0 1px; }
.pa-notfound { border-left: 4px solid #d97706; background: rgba(217,119,6,.08); padding: .4rem .6rem;
  margin-bottom: .4rem; border-radius: 4px; }
.pa-resolved, .pa-note { font-size: .85rem; color: var(--body-text-color-subdued); margin: .25rem 0; }
.pa-error { border-left: 4px solid #dc2626; padding: .4rem .6rem; background: rgba(220,38,38,.08); }
.pa-thinking { color: var(--body-text-color-subdued); font-style: italic; }
.pa-sources { margin-top: .6rem; border-top: 1px solid var(--border-color-primary); padding-top: .4rem; }
.pa-sources-title { font-weight: 600; font-size: .9rem; margin-bottom: .25rem; }
.pa-source { margin: .35rem 0 .6rem 0; font-size: .9rem; }
.pa-src-head { color: var(--body-text-color-subdued); font-size: .85rem; }
.pa-src-n { color: var(--color-accent); font-weight: 600; }
.pa-src-title { font-weight: 600; color: var(--body-text-color); }
.pa-quote { margin: .2rem 0 .2rem 0; padding: .3rem .6rem; border-left: 3px solid var(--color-accent);
  background: var(--background-fill-secondary); white-space: normal; word-break: break-word; }
.pa-context summary { cursor: pointer; color: var(--color-accent); font-size: .85rem; }
.pa-context-text { padding: .3rem .6rem; font-size: .85rem; line-height: 1.6; word-break: break-word;
  background: var(--background-fill-secondary); border-radius: 4px; }
.pa-context-text mark { background: #fde68a; color: inherit; padding: 0 1px; }
.pa-facts { font-weight: 600; margin: .2rem 0; }
.pa-table-wrap { overflow-x: auto; }
.pa-table { border-collapse: collapse; font-size: .85rem; margin: .3rem 0; }
.pa-table th, .pa-table td { border: 1px solid var(--border-color-primary); padding: 2px 6px; }
.pa-upload-result div { margin: .15rem 0; }
#pa-chatbot { min-height: 360px; }
/* Vega lays the legend out below the plot; let it show instead of being clipped by the block. */
#pa-chart-year, #pa-chart-region { overflow: visible !important; margin-bottom: 28px; }
@media (max-width: 640px) {
  .pa-header h1 { font-size: 1.2rem; }
  #pa-chatbot { height: 62vh !important; }
  .gradio-container { padding: 4px !important; }
}
"""


def _info(message: str) -> None:
    """A toast; Gradio renders toasts as HTML, so the text (which may name a document) is neutralized."""
    gr.Info(neutralize(message))


def _warn(message: str) -> None:
    """A warning toast, neutralized like ``_info``."""
    gr.Warning(neutralize(message))


def _header(status: str) -> str:
    return (
        f'<div class="pa-header"><h1>{neutralize(L.APP_TITLE)}</h1><p>{neutralize(L.APP_SUBTITLE)}</p>'
        f'<p class="pa-status">{neutralize(status)}</p></div>'
    )


def _choices_all(values: list[str], all_label: str) -> list[tuple[str, str]]:
    return [(all_label, ""), *((v, v) for v in values)]


class _Controller:
    """The event handlers of the UI, bound to one Assistant."""

    def __init__(self, assistant: Assistant, settings: Settings) -> None:
        self.assistant = assistant
        self.settings = settings
        self.feedback = FeedbackLog(assistant.settings.data_dir)
        self.inbox = UploadInbox(UploadRules.from_settings(settings))
        self._export_dir: Path | None = None
        self._export_lock = threading.Lock()
        self._eval_lock = threading.Lock()

    # ---- shared look-ups -------------------------------------------------------------------

    def _docs(self) -> list[DocumentRecord]:
        return self.assistant.documents()

    def _titles(self, docs: list[DocumentRecord]) -> dict[str, str]:
        return {d.doc_id: data.doc_label(d) for d in docs}

    def _doc_text(self, doc_id: str, cache: dict[str, str | None]) -> str | None:
        if doc_id not in cache:
            try:
                cache[doc_id] = self.assistant.document_text(doc_id)
            except PolicyAssistantError as e:
                log.warning("no text for %s: %s", doc_id, e)
                cache[doc_id] = None
        return cache[doc_id]

    # ---- page-wide refresh -----------------------------------------------------------------

    def refresh_all(self) -> tuple[Any, ...]:
        """Fresh choices, tables and status for every page (on load and after an upload or removal)."""
        docs = self._docs()
        targets = self.assistant.targets()
        regions = data.region_choices(docs, targets)
        doc_choices = [(data.doc_label(d), d.doc_id) for d in docs]
        examples = data.example_questions(targets)
        status = L.STATUS_LINE.format(n_docs=len(docs), n_targets=len(targets)) if docs else L.STATUS_EMPTY
        return (
            gr.update(value=_header(status)),
            gr.update(choices=_choices_all(regions, L.FILTER_REGION_ALL)),
            gr.update(choices=doc_choices),
            gr.update(samples=[[q] for q in examples]),
            examples,
            gr.update(choices=_choices_all(regions, L.T_ANY)),
            gr.update(choices=_choices_all(data.year_choices(targets), L.T_ANY)),
            gr.update(choices=[(L.T_ANY, ""), *doc_choices]),
            data.documents_frame(docs),
            gr.update(choices=doc_choices, value=None),
        )

    # ---- chat ------------------------------------------------------------------------------

    def _history(self, records: list[dict[str, Any]]) -> list[Turn]:
        turns: list[Turn] = []
        for r in records:
            turns.append(Turn(role="user", content=r["question"]))
            turns.append(Turn(role="assistant", content=r["answer"]["answer"]))
        return turns  # the service keeps the last max_history_turns of them

    def _contexts(self, answer: Answer) -> dict[int, Passage]:
        cache: dict[str, str | None] = {}
        by_id = {t.target_id: t for t in answer.targets if t.target_id}
        out: dict[int, Passage] = {}
        for c in answer.citations:
            target = by_id.get(c.target_id or "")
            start, end = (target.start, target.end) if target is not None else (-1, -1)
            out[c.n] = citation_context(c, self._doc_text(c.doc_id, cache), start, end)
        return out

    def ask(
        self,
        question: str,
        messages: list[dict[str, Any]] | None,
        records: list[dict[str, Any]] | None,
        region: str | None,
        doc_ids: list[str] | None,
    ) -> Any:
        """Ask one question; yields the pending message first, then the rendered answer."""
        question = (question or "").strip()
        messages = list(messages or [])
        records = list(records or [])
        if not question:
            _warn(L.EMPTY_QUESTION)
            yield gr.skip(), messages, records, gr.skip()
            return
        messages.append({"role": "user", "content": f'<div class="pa-user">{neutralize(question)}</div>'})
        messages.append({"role": "assistant", "content": render_message(L.THINKING, "pa-thinking")})
        yield "", messages, records, gr.skip()
        filters = Filters(region=region or None, doc_ids=list(doc_ids) if doc_ids else None)
        try:
            answer = self.assistant.ask(question, self._history(records), filters)
        except PolicyAssistantError as e:
            log.warning("ask failed: %s", e)
            messages[-1] = {"role": "assistant", "content": render_message(L.ERROR_PREFIX + str(e), "pa-error")}
            yield "", messages, records, gr.skip()
            return
        html = render_answer(answer, self._contexts(answer), follow_up=bool(records))
        messages[-1] = {"role": "assistant", "content": html}
        records.append(
            {
                "index": len(messages) - 1,
                "question": question,
                "answer": answer.model_dump(
                    mode="json", include={"answer", "status", "citations", "resolved_question"}
                ),
                "filters": filters.model_dump(exclude_none=True),
            }
        )
        yield "", messages, records, answer_copy_text(answer)

    def pick_example(self, index: int | None, examples: list[str] | None) -> str:
        """The text of the example question clicked."""
        if index is None or not examples or not 0 <= index < len(examples):
            return ""
        return examples[index]

    def vote(self, records: list[dict[str, Any]] | None, like: gr.LikeData) -> None:
        """Store a thumbs up/down on the answer it was given to."""
        index = like.index[0] if isinstance(like.index, (list, tuple)) else like.index
        record = next((r for r in records or [] if r["index"] == index), None)
        if record is None:
            _info(L.FEEDBACK_NO_ANSWER)
            return
        liked = like.liked
        vote: Vote
        if liked is True or liked == "Like":
            vote = "up"
        elif liked is False or liked == "Dislike":
            vote = "down"
        else:
            return  # a vote withdrawn: nothing to record
        answer = record["answer"]
        entry = FeedbackEntry(
            vote=vote,
            question=record["question"],
            answer=answer["answer"],
            status=answer.get("status", ""),
            resolved_question=answer.get("resolved_question", ""),
            citations=answer.get("citations", []),
            filters=record.get("filters", {}),
        )
        try:
            self.feedback.record(entry)
        except PolicyAssistantError as e:
            _warn(str(e))
            return
        _info(L.FEEDBACK_THANKS_UP if vote == "up" else L.FEEDBACK_THANKS_DOWN)

    # ---- targets ---------------------------------------------------------------------------

    def _export(self, targets: list[Target], titles: dict[str, str]) -> str:
        with self._export_lock:
            if self._export_dir is None:
                self._export_dir = Path(tempfile.mkdtemp(prefix="policy-assistant-ui-"))
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = self._export_dir / uuid.uuid4().hex[:8] / f"指标_{stamp}.csv"
        return str(data.write_targets_csv(targets, titles, path))

    def filter_targets(
        self, region: str | None, indicator: str | None, year: str | None, doc_id: str | None
    ) -> tuple[Any, ...]:
        """The target table, its count, the CSV file, the chart's indicator choices and the rows as state."""
        try:
            targets = self.assistant.targets(
                region=region or None,
                indicator=(indicator or "").strip() or None,
                year=year or None,
                doc_id=doc_id or None,
            )
        except PolicyAssistantError as e:
            _warn(str(e))
            targets = []
        titles = self._titles(self._docs())
        shown = targets[:MAX_TABLE_ROWS]
        n = len(targets)
        count = L.T_COUNT.format(n=n) if n <= MAX_TABLE_ROWS else L.T_COUNT_LIMITED.format(n=n, shown=len(shown))
        indicators = data.indicator_choices(targets)
        return (
            data.targets_frame(shown, titles),
            f'<div class="pa-status">{neutralize(count)}</div>',
            gr.update(value=self._export(targets, titles)),
            gr.update(choices=indicators, value=indicators[0] if indicators else None),
            [t.model_dump(mode="json") for t in targets],
            render_message(L.T_DETAIL_EMPTY),
        )

    def chart(
        self, rows: list[dict[str, Any]] | None, indicator: str | None, axis: str, year: str | None
    ) -> Iterator[tuple[Any, Any, Any]]:
        """Hide the charts, then show the one ``axis`` asks for with the selected indicator's data.

        Gradio's plot keeps the colour domain of the data it was first drawn with, so a filter that
        brings new series would leave their lines uncoloured; hiding and showing redraws it whole.
        """
        yield gr.update(visible=False), gr.update(visible=False), gr.skip()
        yield self._chart(rows, indicator, axis, year)

    def _chart(
        self, rows: list[dict[str, Any]] | None, indicator: str | None, axis: str, year: str | None
    ) -> tuple[Any, Any, Any]:
        targets = [Target.model_validate(r) for r in rows or []]
        if indicator:
            # One unit per chart: keep the indicator's most common unit.
            units = [t.unit for t in targets if t.indicator == indicator]
            unit = max(set(units), key=units.count) if units else ""
            targets = [t for t in targets if t.indicator != indicator or t.unit == unit]
        else:
            unit = ""
        suffix = f"（{unit}）" if unit and unit not in (indicator or "") else ""
        if axis == L.T_AXIS_REGION:
            frame, used_year = data.chart_by_region(targets, indicator or "", year or None)
            title = (
                L.T_CHART_TITLE_REGION.format(indicator=indicator, year=used_year)
                if used_year
                else L.T_CHART_TITLE_REGION_NOYEAR.format(indicator=indicator)
            )
            empty = frame.empty
            return (
                gr.update(visible=False),
                gr.update(visible=not empty, value=frame, label=title + suffix),
                gr.update(visible=empty, value=render_message(L.T_CHART_EMPTY)),
            )
        frame = data.chart_by_year(targets, indicator or "")
        empty = frame.empty
        series = list(dict.fromkeys(frame[L.COL_SERIES]))
        colors = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(series)}
        return (
            gr.update(
                visible=not empty,
                value=frame,
                color_map=colors,
                label=L.T_CHART_TITLE_YEAR.format(indicator=indicator) + suffix,
            ),
            gr.update(visible=False),
            gr.update(visible=empty, value=render_message(L.T_CHART_EMPTY)),
        )

    def select_target(self, rows: list[dict[str, Any]] | None, evt: gr.SelectData) -> str:
        """The source card of the row clicked (matched by its cells, so sorting the table does not matter)."""
        row = evt.row_value
        if not row or not rows:
            return render_message(L.T_DETAIL_EMPTY)
        titles = self._titles(self._docs())
        want = [str(x) for x in row]
        for r in rows:
            t = Target.model_validate(r)
            cells = [str(x) for x in data.target_row(t, titles)]
            if cells == want or (cells[9] == want[9] and cells[2] == want[2] and cells[3] == want[3]):
                return render_target_detail(t, self._doc_text(t.doc_id, {}))
        return render_message(L.T_DETAIL_EMPTY)

    # ---- documents -------------------------------------------------------------------------

    def _admin(self, request: gr.Request | None) -> bool:
        """Whether this session may change the library (the API's admin rule, by login name)."""
        return ui_user_is_admin(self.settings, request.username if request is not None else None)

    def admin_controls(self, request: gr.Request) -> tuple[Any, ...]:
        """On load: disable upload, removal and evaluation runs for sessions that may not use them."""
        admin = self._admin(request)
        note = "" if admin else render_message(L.ADMIN_ONLY, "pa-error")
        return (
            gr.update(interactive=admin),
            gr.update(interactive=admin),
            gr.update(interactive=admin),
            gr.update(value=note, visible=not admin),
        )

    def receive(self, files: list[str] | None, request: gr.Request) -> tuple[list[str], str]:
        """Keep, for this session, the files the browser just uploaded that pass the upload rules.

        Runs when the file box changes. Only files in Gradio's upload folder are kept (see
        ``ui.uploads``); the rest, and everything a session without admin rights sends, is deleted.
        """
        if not self._admin(request):
            discard(files or [])
            return [], render_message(L.ADMIN_ONLY, "pa-error")
        kept, refused = self.inbox.accept(files)
        if refused:
            _warn(L.UPLOAD_REFUSED.format(files="；".join(refused)))
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
        if not self._admin(request):
            discard(received or [])
            _warn(L.ADMIN_ONLY)
            return [], render_message(L.ADMIN_ONLY, "pa-error")
        paths = [Path(f) for f in received or [] if in_upload_folder(f)]
        if not paths:
            _warn(L.UPLOAD_NONE)
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
        if not self._admin(request):
            _warn(L.ADMIN_ONLY)
            return gr.update(visible=False), gr.skip()
        if not doc_id:
            _warn(L.DELETE_NONE)
            return gr.update(visible=False), gr.skip()
        try:
            title = data.doc_label(self.assistant.document(doc_id))
        except PolicyAssistantError as e:
            _warn(str(e))
            return gr.update(visible=False), gr.skip()
        return gr.update(visible=True), render_message(L.DELETE_ASK.format(title=title))

    def delete(self, doc_id: str | None, request: gr.Request) -> tuple[Any, Any]:
        """Remove the chosen document; hides the confirmation and reports the result."""
        if not self._admin(request):
            return gr.update(visible=False), render_message(L.ADMIN_ONLY, "pa-error")
        if not doc_id:
            return gr.update(visible=False), render_message(L.DELETE_NONE)
        try:
            record = self.assistant.delete(doc_id)
        except PolicyAssistantError as e:
            _warn(str(e))
            return gr.update(visible=False), render_message(str(e), "pa-error")
        msg = L.DELETE_DONE.format(title=data.doc_label(record))
        _info(msg)
        return gr.update(visible=False), render_message(msg)

    # ---- evaluation ------------------------------------------------------------------------

    def run_eval(
        self,
        smoke: bool,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> str:
        """Run the evaluation datasets through the assistant, write the report under DATA_DIR, show it."""
        if not self._admin(request):
            _warn(L.ADMIN_ONLY)
            return L.ADMIN_ONLY
        from evals.report import write_report
        from evals.runner import evaluate, select_items

        try:
            items = select_items(smoke=smoke)
            self.assistant.require_documents()
        except (PolicyAssistantError, OSError) as e:
            _warn(L.EVAL_FAILED.format(error=e))
            return self.eval_report()
        with self._eval_lock:
            progress(0, desc=L.EVAL_RUNNING.format(done=0, total=len(items)))

            def step(done: int, total: int) -> None:
                progress(done / total, desc=L.EVAL_RUNNING.format(done=done, total=total))

            result = evaluate(self.assistant, items, progress=step)
            write_report(self.assistant.settings.data_dir / "eval" / "latest", result)
        _info(L.EVAL_DONE.format(n=result.summary.get("n", len(items)), passed=result.summary.get("passed", 0)))
        return self.eval_report()

    def eval_report(self) -> str:
        """The newest evaluation report as Markdown, or how to produce one."""
        candidates = [
            Path.cwd() / "reports" / "latest" / "report.md",
            self.assistant.settings.data_dir / "eval" / "latest" / "report.md",
        ]
        found = [p for p in candidates if p.is_file()]
        if not found:
            return L.EVAL_MISSING
        path = max(found, key=lambda p: p.stat().st_mtime)
        mtime = datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        head = L.EVAL_SOURCE.format(path=path, mtime=mtime)
        return f"{head}\n\n---\n\n{path.read_text(encoding='utf-8')}"


def build_ui(assistant: Assistant, settings: Settings | None = None) -> gr.Blocks:
    """The whole web UI (问答, 指标, 文件, 评测) for one Assistant, ready to mount or launch.

    ``settings`` gives the access rules (API keys and admin keys); ``assistant.settings`` by default.
    """
    c = _Controller(assistant, settings if settings is not None else assistant.settings)
    with gr.Blocks(title=L.APP_TITLE, analytics_enabled=False, fill_width=False, delete_cache=DELETE_CACHE) as demo:
        # The CSS rides on a component's head so it applies however the Blocks is mounted.
        status = gr.HTML(_header(""), head=f"<style>{UI_CSS}</style>", js_on_load=None, elem_id="pa-status")

        with gr.Tabs():
            # ---- 问答 ----------------------------------------------------------------------
            with gr.Tab(L.TAB_CHAT, id="chat"):
                records = gr.State([])
                example_state = gr.State([])
                with gr.Accordion(L.FILTERS_TITLE, open=False), gr.Row():
                    region = gr.Dropdown(
                        choices=[(L.FILTER_REGION_ALL, "")],
                        value="",
                        label=L.FILTER_REGION,
                        min_width=200,
                        elem_id="pa-chat-region",
                    )
                    docs_filter = gr.Dropdown(
                        choices=[],
                        value=[],
                        multiselect=True,
                        label=L.FILTER_DOCS,
                        info=L.FILTER_DOCS_INFO,
                        min_width=200,
                        elem_id="pa-chat-docs",
                    )
                chatbot = gr.Chatbot(
                    label=L.CHAT_LABEL,
                    elem_id="pa-chatbot",
                    height=560,
                    latex_delimiters=[],
                    sanitize_html=True,
                    render_markdown=True,
                    feedback_options=("Like", "Dislike"),
                    placeholder=neutralize(L.CHAT_PLACEHOLDER),
                    buttons=[],
                    group_consecutive_messages=False,
                    layout="bubble",
                )
                with gr.Row(equal_height=True):
                    question = gr.Textbox(
                        label=L.QUESTION_LABEL,
                        placeholder=L.QUESTION_PLACEHOLDER,
                        show_label=False,
                        max_length=assistant.settings.max_question_chars,
                        scale=5,
                        min_width=200,
                        elem_id="pa-question",
                        autofocus=True,
                    )
                    ask_btn = gr.Button(L.ASK_BUTTON, variant="primary", scale=1, min_width=80, elem_id="pa-ask")
                    clear_btn = gr.Button(L.CLEAR_BUTTON, scale=1, min_width=80, elem_id="pa-clear")
                examples = gr.Dataset(
                    components=[gr.Textbox(visible=False)],
                    samples=[],
                    label=L.EXAMPLES_LABEL,
                    type="index",
                    elem_id="pa-examples",
                )
                with gr.Accordion(L.COPY_LABEL, open=False, elem_id="pa-copy-acc"):
                    copy_box = gr.Textbox(
                        label=L.COPY_LABEL,
                        info=L.COPY_INFO,
                        lines=6,
                        max_lines=20,
                        interactive=False,
                        buttons=["copy"],
                        elem_id="pa-copy",
                    )

            # ---- 指标 ----------------------------------------------------------------------
            with gr.Tab(L.TAB_TARGETS, id="targets"):
                target_rows = gr.State([])
                gr.Markdown(L.TARGETS_INTRO)
                with gr.Row():
                    t_region = gr.Dropdown(
                        choices=[(L.T_ANY, "")],
                        value="",
                        label=L.T_FILTER_REGION,
                        min_width=140,
                        allow_custom_value=True,
                        elem_id="pa-t-region",
                    )
                    t_indicator = gr.Textbox(
                        label=L.T_FILTER_INDICATOR,
                        placeholder=L.T_FILTER_INDICATOR_PH,
                        min_width=160,
                        elem_id="pa-t-indicator",
                    )
                    t_year = gr.Dropdown(
                        choices=[(L.T_ANY, "")], value="", label=L.T_FILTER_YEAR, min_width=120, elem_id="pa-t-year"
                    )
                    t_doc = gr.Dropdown(
                        choices=[(L.T_ANY, "")], value="", label=L.T_FILTER_DOC, min_width=200, elem_id="pa-t-doc"
                    )
                with gr.Row():
                    t_search = gr.Button(L.T_SEARCH, variant="primary", min_width=80, elem_id="pa-t-search")
                    t_reset = gr.Button(L.T_RESET, min_width=80)
                    t_export = gr.DownloadButton(L.T_EXPORT, min_width=80, elem_id="pa-t-export")
                t_count = gr.HTML("", js_on_load=None, elem_id="pa-t-count")
                t_table = gr.Dataframe(
                    value=pd.DataFrame(columns=data.TARGET_COLUMNS),
                    interactive=False,
                    wrap=True,
                    max_height=460,
                    show_search="search",
                    column_widths=TARGET_COLUMN_WIDTHS,
                    datatype=[  # 数值 sorts as a number, the rest as text
                        "number" if col == L.COL_VALUE else "str" for col in data.TARGET_COLUMNS
                    ],
                    elem_id="pa-t-table",
                    label=None,
                    show_label=False,
                )
                t_detail = gr.HTML(render_message(L.T_DETAIL_EMPTY), js_on_load=None, elem_id="pa-t-detail")
                with gr.Row():
                    t_chart_ind = gr.Dropdown(
                        choices=[], label=L.T_CHART_INDICATOR, min_width=220, scale=3, elem_id="pa-t-chart-ind"
                    )
                    t_axis = gr.Radio(
                        [L.T_AXIS_YEAR, L.T_AXIS_REGION],
                        value=L.T_AXIS_YEAR,
                        label=L.T_CHART_AXIS,
                        min_width=160,
                        scale=1,
                        elem_id="pa-t-axis",
                    )
                chart_year = gr.LinePlot(
                    value=pd.DataFrame(columns=[L.COL_YEAR, L.COL_VALUE, L.COL_SERIES]),
                    x=L.COL_YEAR,
                    y=L.COL_VALUE,
                    color=L.COL_SERIES,
                    y_aggregate="max",
                    label=L.T_CHART_INDICATOR,
                    height=460,
                    elem_id="pa-chart-year",
                    buttons=["export"],
                )
                chart_region = gr.BarPlot(
                    value=pd.DataFrame(columns=[L.COL_REGION, L.COL_VALUE]),
                    x=L.COL_REGION,
                    y=L.COL_VALUE,
                    y_aggregate="max",
                    label=L.T_CHART_INDICATOR,
                    height=320,
                    visible=False,
                    elem_id="pa-chart-region",
                    x_label_angle=-30,
                    buttons=["export"],
                )
                chart_empty = gr.HTML("", visible=False, js_on_load=None, elem_id="pa-chart-empty")

            # ---- 文件 ----------------------------------------------------------------------
            with gr.Tab(L.TAB_DOCS, id="docs"):
                gr.Markdown(L.DOCS_INTRO)
                docs_table = gr.Dataframe(
                    value=pd.DataFrame(columns=data.DOC_COLUMNS),
                    interactive=False,
                    wrap=True,
                    max_height=420,
                    elem_id="pa-docs-table",
                    show_label=False,
                    column_widths=DOC_COLUMN_WIDTHS,
                    datatype=[
                        "number" if col in (L.COL_CHUNKS, L.COL_TARGETS, L.COL_TABLES) else "str"
                        for col in data.DOC_COLUMNS
                    ],
                )
                admin_note = gr.HTML("", visible=False, js_on_load=None, elem_id="pa-admin-note")
                with gr.Row():
                    with gr.Column(min_width=260):
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
                    with gr.Column(min_width=260):
                        del_doc = gr.Dropdown(choices=[], label=L.DELETE_LABEL, elem_id="pa-del-doc")
                        del_btn = gr.Button(L.DELETE_BUTTON, variant="stop", elem_id="pa-del-btn")
                        with gr.Group(visible=False) as del_confirm:
                            del_question = gr.HTML("", js_on_load=None)
                            with gr.Row():
                                del_yes = gr.Button(L.DELETE_CONFIRM, variant="stop", elem_id="pa-del-yes")
                                del_no = gr.Button(L.DELETE_CANCEL)
                        del_result = gr.HTML("", js_on_load=None, elem_id="pa-del-result")

            # ---- 评测 ----------------------------------------------------------------------
            with gr.Tab(L.TAB_EVAL, id="eval"):
                gr.Markdown(L.EVAL_INTRO)
                with gr.Row():
                    eval_run = gr.Button(L.EVAL_RUN, variant="primary", min_width=120, elem_id="pa-eval-run")
                    eval_smoke = gr.Checkbox(value=True, label=L.EVAL_SMOKE, min_width=160)
                    eval_refresh = gr.Button(L.REFRESH, min_width=80)
                eval_md = gr.Markdown(L.EVAL_MISSING, sanitize_html=True, elem_id="pa-eval")

        # ---- wiring ------------------------------------------------------------------------
        refresh_outputs = [
            status,
            region,
            docs_filter,
            examples,
            example_state,
            t_region,
            t_year,
            t_doc,
            docs_table,
            del_doc,
        ]
        filter_inputs = [t_region, t_indicator, t_year, t_doc]
        filter_outputs = [t_table, t_count, t_export, t_chart_ind, target_rows, t_detail]
        chart_inputs = [target_rows, t_chart_ind, t_axis, t_year]
        chart_outputs = [chart_year, chart_region, chart_empty]

        def refresh_targets(ev: Any) -> None:
            ev.then(c.filter_targets, filter_inputs, filter_outputs).then(c.chart, chart_inputs, chart_outputs)

        load = demo.load(c.refresh_all, None, refresh_outputs)
        refresh_targets(load)
        load.then(c.eval_report, None, eval_md)
        demo.load(c.admin_controls, None, [upload_btn, del_btn, eval_run, admin_note])

        ask_inputs = [question, chatbot, records, region, docs_filter]
        ask_outputs = [question, chatbot, records, copy_box]
        question.submit(c.ask, ask_inputs, ask_outputs)
        ask_btn.click(c.ask, ask_inputs, ask_outputs)
        clear_btn.click(lambda: ([], [], "", ""), None, [chatbot, records, copy_box, question])
        examples.click(c.pick_example, [examples, example_state], question).then(c.ask, ask_inputs, ask_outputs)
        chatbot.like(c.vote, [records], None)
        chatbot.clear(lambda: ([], ""), None, [records, copy_box])

        # ``input`` (a person's choice), not ``change``: choices refreshed by the server must not
        # re-run a filter with stale inputs behind the one the official just asked for.
        for ev in (t_search.click, t_indicator.submit, t_region.input, t_year.input, t_doc.input):
            ev(c.filter_targets, filter_inputs, filter_outputs).then(c.chart, chart_inputs, chart_outputs)
        reset = t_reset.click(lambda: ("", "", "", ""), None, filter_inputs)
        reset.then(c.filter_targets, filter_inputs, filter_outputs).then(c.chart, chart_inputs, chart_outputs)
        t_chart_ind.input(c.chart, chart_inputs, chart_outputs)
        t_axis.input(c.chart, chart_inputs, chart_outputs)
        t_table.select(c.select_target, [target_rows], t_detail)

        upload_files.change(c.receive, [upload_files], [received, upload_result])
        up = upload_btn.click(c.upload, [received], [received, upload_result], show_progress="full")
        up = up.then(lambda: None, None, upload_files).then(c.refresh_all, None, refresh_outputs)
        refresh_targets(up)
        del_btn.click(c.ask_delete, [del_doc], [del_confirm, del_question])
        del_no.click(lambda: gr.update(visible=False), None, del_confirm)
        gone = del_yes.click(c.delete, [del_doc], [del_confirm, del_result]).then(c.refresh_all, None, refresh_outputs)
        refresh_targets(gone)
        eval_refresh.click(c.eval_report, None, eval_md)
        eval_run.click(c.run_eval, [eval_smoke], eval_md, concurrency_limit=1, show_progress="full")
    blocks: gr.Blocks = demo
    return blocks

"""The 评测 page: the newest evaluation report, and a run of the evaluation for admins."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.service import Assistant
from assistant.settings import Settings
from ingestion.text.errors import PolicyAssistantError
from ui import labels as L
from ui.widgets import info, is_admin, warn


@dataclass
class EvaluationTab:
    """The evaluation page's components."""

    eval_run: Any
    eval_smoke: Any
    eval_refresh: Any
    eval_md: Any


class EvaluationPage:
    """The evaluation page's event handlers: run the datasets (through ``evals.runner``), show the report."""

    def __init__(self, assistant: Assistant, settings: Settings) -> None:
        self.assistant = assistant
        self.settings = settings
        self._eval_lock = threading.Lock()

    def run_eval(
        self,
        smoke: bool,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> str:
        """Run the evaluation datasets through the assistant, write the report under DATA_DIR, show it."""
        if not is_admin(self.settings, request):
            warn(L.ADMIN_ONLY)
            return L.ADMIN_ONLY
        from evals.report import write_report
        from evals.report_context import collect_context
        from evals.runner import evaluate, select_items

        try:
            items = select_items(smoke=smoke)
            self.assistant.require_documents()
        except (PolicyAssistantError, OSError) as e:
            warn(L.EVAL_FAILED.format(error=e))
            return self.eval_report()
        with self._eval_lock:
            progress(0, desc=L.EVAL_RUNNING.format(done=0, total=len(items)))

            def step(done: int, total: int) -> None:
                progress(done / total, desc=L.EVAL_RUNNING.format(done=done, total=total))

            result = evaluate(self.assistant, items, progress=step)
            context = collect_context(self.assistant, None)
            write_report(self.assistant.settings.data_dir / "eval" / "latest", result, context=context)
        info(L.EVAL_DONE.format(n=result.summary.get("n", len(items)), passed=result.summary.get("passed", 0)))
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


def build_evaluation_tab(page: EvaluationPage) -> EvaluationTab:
    """The 评测 tab's components (inside the Blocks being built), wired to ``page``."""
    with gr.Tab(L.TAB_EVAL, id="eval"):
        gr.Markdown(L.EVAL_INTRO)
        with gr.Row():
            eval_run = gr.Button(L.EVAL_RUN, variant="primary", min_width=120, elem_id="pa-eval-run")
            eval_smoke = gr.Checkbox(value=True, label=L.EVAL_SMOKE, min_width=160)
            eval_refresh = gr.Button(L.REFRESH, min_width=80)
        eval_md = gr.Markdown(L.EVAL_MISSING, sanitize_html=True, elem_id="pa-eval")

    eval_refresh.click(page.eval_report, None, eval_md, api_visibility="private")
    eval_run.click(
        page.run_eval, [eval_smoke], eval_md, concurrency_limit=1, show_progress="full", api_visibility="private"
    )
    return EvaluationTab(eval_run=eval_run, eval_smoke=eval_smoke, eval_refresh=eval_refresh, eval_md=eval_md)

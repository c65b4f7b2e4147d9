"""The 问答 page: chat with openable citations, example questions, thumbs up/down."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.schema import Answer, Filters, Turn
from assistant.service import Assistant
from assistant.settings import Settings
from ingestion.text.errors import PolicyAssistantError
from ui import labels as L
from ui.cells import render_cells, table_rows
from ui.feedback import FeedbackEntry, FeedbackLog, Vote
from ui.render import Passage, answer_copy_text, citation_context, neutralize, render_answer, render_message
from ui.widgets import doc_text, info, warn

log = logging.getLogger(__name__)


@dataclass
class ChatTab:
    """The chat tab's components other pages refresh."""

    records: Any
    example_state: Any
    region: Any
    docs_filter: Any
    chatbot: Any
    question: Any
    ask_btn: Any
    clear_btn: Any
    examples: Any
    copy_box: Any


class ChatPage:
    """The chat page's event handlers, bound to one Assistant (the conversation lives in the browser's state)."""

    def __init__(self, assistant: Assistant, settings: Settings) -> None:
        self.assistant = assistant
        self.settings = settings
        self.feedback = FeedbackLog(settings.data_dir)

    def _history(self, records: list[dict[str, Any]]) -> list[Turn]:
        turns: list[Turn] = []
        for r in records:
            turns.append(Turn(role="user", content=r["question"]))
            turns.append(Turn(role="assistant", content=r["answer"]["answer"]))
        return turns  # the service keeps the last max_history_turns of them

    def _cells(self, answer: Answer) -> dict[int, str]:
        """For each citation of a table cell: the cell under its header, and its whole row to open."""
        rows = table_rows(self.assistant, answer)
        return {c.n: render_cells(c, rows[c.n]) for c in answer.citations if c.n in rows}

    def _contexts(self, answer: Answer) -> dict[int, Passage]:
        cache: dict[str, str | None] = {}
        by_id = {t.target_id: t for t in answer.targets if t.target_id}
        out: dict[int, Passage] = {}
        for c in answer.citations:
            target = by_id.get(c.target_id or "")
            start, end = (target.start, target.end) if target is not None else (-1, -1)
            out[c.n] = citation_context(c, doc_text(self.assistant, c.doc_id, cache), start, end)
        return out

    def pending(self, question: str, messages: list[dict[str, Any]] | None) -> tuple[Any, Any, str]:
        """First step of asking: the question moves into the chat at once, with a pending answer.

        Returns the cleared box, the messages and the question the second step answers ("" when
        there is nothing to answer: an empty question, or one over the API's length limit, which
        stays in the box to be shortened).
        """
        question = (question or "").strip()
        if not question:
            warn(L.EMPTY_QUESTION)
            return gr.skip(), gr.skip(), ""
        limit = self.settings.max_question_chars
        if len(question) > limit:
            warn(L.QUESTION_TOO_LONG.format(n=len(question), limit=limit))
            return gr.skip(), gr.skip(), ""
        messages = list(messages or [])
        messages.append({"role": "user", "content": f'<div class="pa-user">{neutralize(question)}</div>'})
        messages.append({"role": "assistant", "content": render_message(L.THINKING, "pa-thinking pa-pending")})
        return "", messages, question

    def answer(
        self,
        question: str,
        messages: list[dict[str, Any]] | None,
        records: list[dict[str, Any]] | None,
        region: str | None,
        doc_ids: list[str] | None,
    ) -> tuple[Any, Any, Any]:
        """Second step: replace the pending message with the rendered answer (or the error)."""
        if not question:
            return gr.skip(), gr.skip(), gr.skip()
        messages = list(messages or [])
        records = list(records or [])
        filters = Filters(region=region or None, doc_ids=list(doc_ids) if doc_ids else None)
        try:
            answer = self.assistant.ask(question, self._history(records), filters)
        except PolicyAssistantError as e:
            log.warning("ask failed: %s", e)
            messages[-1] = {"role": "assistant", "content": render_message(L.ERROR_PREFIX + str(e), "pa-error")}
            return messages, records, gr.skip()
        html = render_answer(answer, self._contexts(answer), follow_up=bool(records), cells=self._cells(answer))
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
        return messages, records, answer_copy_text(answer)

    def ask(
        self,
        question: str,
        messages: list[dict[str, Any]] | None,
        records: list[dict[str, Any]] | None,
        region: str | None,
        doc_ids: list[str] | None,
    ) -> tuple[Any, Any, Any, Any]:
        """Both steps at once (for callers outside the browser): the box, messages, records and copy text."""
        box, shown, pending = self.pending(question, messages)
        if not pending:
            return box, shown, gr.skip(), gr.skip()
        return (box, *self.answer(pending, shown, records, region, doc_ids))

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
            info(L.FEEDBACK_NO_ANSWER)
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
            warn(str(e))
            return
        info(L.FEEDBACK_THANKS_UP if vote == "up" else L.FEEDBACK_THANKS_DOWN)


def build_chat_tab(page: ChatPage, settings: Settings) -> ChatTab:
    """The 问答 tab's components (inside the Blocks being built), wired to ``page``."""
    with gr.Tab(L.TAB_CHAT, id="chat"):
        records = gr.State([])
        asked = gr.State("")
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
            show_label=False,
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
                max_length=settings.max_question_chars,
                scale=5,
                min_width=200,
                elem_id="pa-question",
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

    tab = ChatTab(
        records=records,
        example_state=example_state,
        region=region,
        docs_filter=docs_filter,
        chatbot=chatbot,
        question=question,
        ask_btn=ask_btn,
        clear_btn=clear_btn,
        examples=examples,
        copy_box=copy_box,
    )
    private: dict[str, Any] = {"api_visibility": "private"}  # the HTTP API is the integration surface

    def ask_after(event: Any) -> None:
        # The question shows in the chat at once (a quick step), then the answer replaces the pending note.
        event.then(page.pending, [question, chatbot], [question, chatbot, asked], **private).then(
            page.answer, [asked, chatbot, records, region, docs_filter], [chatbot, records, copy_box], **private
        )

    for trigger in (question.submit, ask_btn.click):
        trigger(page.pending, [question, chatbot], [question, chatbot, asked], **private).then(
            page.answer, [asked, chatbot, records, region, docs_filter], [chatbot, records, copy_box], **private
        )
    clear_btn.click(lambda: ([], [], "", ""), None, [chatbot, records, copy_box, question], **private)
    ask_after(examples.click(page.pick_example, [examples, example_state], question, **private))
    chatbot.like(page.vote, [records], None, **private)
    chatbot.clear(lambda: ([], ""), None, [records, copy_box], **private)
    return tab

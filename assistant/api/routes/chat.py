"""OpenAI-compatible ``POST /v1/chat/completions`` (and ``GET /v1/models``) for chat front ends.

The last user message is the question and earlier user/assistant messages are the history; system
messages are ignored (the assistant answers from the plans, not from instructions). The reply's
``content`` is the answer followed by its numbered sources; the same citations come back as data in
the extra ``citations`` field. ``stream: true`` sends the same reply as server-sent events.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from assistant.api.deps import AssistantDep, SettingsDep
from assistant.api.errors import error_responses
from assistant.api.routes.common import check_filters, check_question
from assistant.api.security import CallerDep
from assistant.schema import Answer, Citation, Filters, Turn
from ingestion.text.errors import InvalidRequestError

router = APIRouter(tags=["OpenAI 兼容"])

SOURCES_HEADING = "来源"
# One server-sent event (OpenAPI 3.2 ``itemSchema``): ``data`` is a JSON chat.completion.chunk, or [DONE].
SSE_EVENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["data"],
    "properties": {
        "data": {"type": "string", "description": "A JSON `chat.completion.chunk`, or `[DONE]` at the end."},
        "event": {"type": "string"},
        "id": {"type": "string"},
        "retry": {"type": "integer", "minimum": 0},
    },
}
STREAM_PIECE_CHARS = 24


class ContentPart(BaseModel):
    """One part of a multi-part message; only text parts are read."""

    model_config = ConfigDict(extra="allow")

    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    """A chat message as OpenAI clients send it."""

    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = None
    name: str | None = None

    def text(self) -> str:
        """The message's text, with multi-part content joined."""
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return "".join(p.text or "" for p in self.content if p.type == "text")


class ChatCompletionRequest(BaseModel):
    """An OpenAI chat completion request; sampling parameters are accepted and ignored."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "model": "policy-assistant",
                    "messages": [
                        {"role": "user", "content": "到2025年每万人口全科医生数要达到多少？"},
                        {"role": "assistant", "content": "……"},
                        {"role": "user", "content": "那2023年呢？"},
                    ],
                    "stream": False,
                }
            ]
        },
    )

    model: str = Field(default="policy-assistant", description="Echoed back; any value is accepted.")
    messages: list[ChatMessage] = Field(
        min_length=1, description="The conversation; the last one must be a user message."
    )
    stream: bool | None = Field(default=False, description="Send the reply as server-sent events.")
    filters: Filters | None = Field(default=None, description="Extension: restrict the answer (region, doc_ids, year).")


class AssistantMessage(BaseModel):
    """The reply message."""

    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    """The one choice of a reply."""

    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"


class Usage(BaseModel):
    """Sizes in characters (this server has no tokenizer); present because some clients expect it."""

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletion(BaseModel):
    """An OpenAI chat completion, plus the citations and answer status as data."""

    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    usage: Usage
    citations: list[Citation] = Field(default_factory=list, description="Extension: the numbered sources.")
    status: Literal["answered", "not_found"] = Field(description="Extension: whether the plans answer it.")


class ModelCard(BaseModel):
    """One model as ``GET /v1/models`` lists it."""

    id: str
    object: Literal["model"] = "model"
    created: int = 0
    owned_by: str = "policy-assistant"


class ModelList(BaseModel):
    """The models this server answers as (one)."""

    object: Literal["list"] = "list"
    data: list[ModelCard]


def render_reply(answer: Answer) -> str:
    """The answer text followed by its numbered sources, for clients that show only ``content``."""
    lines = [answer.answer.rstrip()]
    if answer.citations:
        lines.append("")
        lines.append(f"{SOURCES_HEADING}：")
        for c in answer.citations:
            where = "｜".join(part for part in (c.title or c.source, c.section) if part)
            lines.append(f"[{c.n}] {where}：“{c.quote}”")
    return "\n".join(lines)


def conversation(messages: list[ChatMessage]) -> tuple[str, list[Turn]]:
    """Split messages into the question (last user message) and the history (the service keeps its last turns)."""
    if messages[-1].role != "user":
        msg = "最后一条消息必须是用户的问题（role 为 user）。"
        raise InvalidRequestError(msg)
    history: list[Turn] = []
    for m in messages[:-1]:
        if m.role in ("user", "assistant") and m.text().strip():
            history.append(Turn(role="user" if m.role == "user" else "assistant", content=m.text()))
    return messages[-1].text(), history


def _sse(payload: dict[str, Any]) -> str:
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"


def _pieces(text: str) -> Iterator[str]:
    """Cut the reply into short pieces at line ends where possible, so clients can render progressively."""
    for line in text.splitlines(keepends=True):
        for i in range(0, len(line), STREAM_PIECE_CHARS):
            yield line[i : i + STREAM_PIECE_CHARS]


def stream_events(completion: ChatCompletion) -> Iterator[str]:
    """The completion as ``chat.completion.chunk`` events, ending with citations and ``[DONE]``."""
    head = {
        "id": completion.id,
        "object": "chat.completion.chunk",
        "created": completion.created,
        "model": completion.model,
    }
    yield _sse(
        {**head, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]}
    )
    for piece in _pieces(completion.choices[0].message.content):
        yield _sse({**head, "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]})
    yield _sse(
        {
            **head,
            "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
            "usage": completion.usage.model_dump(),
            "citations": [c.model_dump() for c in completion.citations],
            "status": completion.status,
        }
    )
    yield "data: [DONE]\n\n"


@router.post(
    "/v1/chat/completions",
    response_model=ChatCompletion,
    summary="OpenAI 兼容的对话接口",
    responses={
        200: {
            "description": "A chat completion, or with stream=true server-sent `chat.completion.chunk` events.",
            "content": {"text/event-stream": {"itemSchema": SSE_EVENT_SCHEMA}},
        },
        **error_responses(401, 404, 422, 429),
    },
)
def chat_completions(
    body: ChatCompletionRequest, assistant: AssistantDep, settings: SettingsDep, _caller: CallerDep
) -> ChatCompletion | StreamingResponse:
    """Answer the last user message with the earlier ones as context (OpenAI wire format).

    The question is answered before the first byte is sent, so errors are plain JSON errors even
    when streaming.
    """
    text, history = conversation(body.messages)
    question = check_question(text, settings)
    check_filters(assistant, body.filters)
    answer = assistant.ask(question, history, body.filters)
    content = render_reply(answer)
    prompt_chars = sum(len(m.text()) for m in body.messages)
    completion = ChatCompletion(
        id="chatcmpl-" + uuid.uuid4().hex,
        created=int(time.time()),
        model=body.model,
        choices=[Choice(message=AssistantMessage(content=content))],
        usage=Usage(
            prompt_tokens=prompt_chars, completion_tokens=len(content), total_tokens=prompt_chars + len(content)
        ),
        citations=answer.citations,
        status=answer.status,
    )
    if body.stream:
        return StreamingResponse(
            stream_events(completion),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    return completion


@router.get(
    "/v1/models", response_model=ModelList, summary="模型列表（OpenAI 兼容）", responses=error_responses(401, 429)
)
def list_models(settings: SettingsDep, _caller: CallerDep) -> ModelList:
    """The one model name this server answers as, for clients that list models first."""
    return ModelList(data=[ModelCard(id=settings.api_model_name)])

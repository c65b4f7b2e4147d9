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
from typing import Annotated, Any, Literal

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from assistant.api.deps import AssistantDep, SettingsDep
from assistant.api.errors import error_responses
from assistant.api.openai_compat import PARAMETERS_DOC, check_parameters, limit_reply, nearest_citations, render_reply
from assistant.api.routes.common import check_filters, check_question
from assistant.api.security import CallerDep
from assistant.schema import MAX_TURN_CHARS, Citation, Filters, Turn
from ingestion.text.errors import InvalidRequestError

router = APIRouter(tags=["OpenAI 兼容"])

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
MAX_MESSAGES = 100
MAX_CONTENT_PARTS = 20
# JSON Schema for "at least one message is the user's": the question is the last user message.
HAS_USER_MESSAGE: dict[str, Any] = {
    "contains": {"type": "object", "properties": {"role": {"const": "user"}}, "required": ["role"]}
}


class ContentPart(BaseModel):
    """One part of a multi-part message; only text parts are read."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(max_length=50)
    text: str | None = Field(default=None, max_length=MAX_TURN_CHARS)


class ChatMessage(BaseModel):
    """A chat message as OpenAI clients send it."""

    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: (
        Annotated[str, Field(max_length=MAX_TURN_CHARS)]
        | Annotated[list[ContentPart], Field(max_length=MAX_CONTENT_PARTS)]
        | None
    ) = None
    name: str | None = Field(default=None, max_length=64)

    def text(self) -> str:
        """The message's text, with multi-part content joined."""
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return "".join(p.text or "" for p in self.content if p.type == "text")


StopSequence = Annotated[str, Field(max_length=100)]


class ChatCompletionRequest(BaseModel):
    """An OpenAI chat completion request (see the route's description for what each parameter does)."""

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

    model: str = Field(default="policy-assistant", max_length=200, description="Echoed back; any value is accepted.")
    messages: list[ChatMessage] = Field(
        min_length=1,
        max_length=MAX_MESSAGES,
        json_schema_extra=HAS_USER_MESSAGE,
        description=(
            "The conversation, oldest first. The last user message is the question; the user and "
            "assistant messages before it are the history (the last max_history_turns of them); "
            "system, developer and tool messages, and anything after the question, are ignored."
        ),
    )
    stream: StrictBool | None = Field(default=False, description="Send the reply as server-sent events (true/false).")
    filters: Filters | None = Field(default=None, description="Extension: restrict the answer (region, doc_ids, year).")
    n: int | None = Field(default=None, ge=1, le=128, description="Only 1 is supported; other values get a 400.")
    max_tokens: int | None = Field(default=None, ge=1, description="Cut the reply to this many characters.")
    max_completion_tokens: int | None = Field(default=None, ge=1, description="Same as max_tokens.")
    stop: StopSequence | Annotated[list[StopSequence], Field(max_length=4)] | None = Field(
        default=None, description="End the reply before the first of these sequences."
    )
    logprobs: StrictBool | None = Field(default=None, description="Only false is supported.")
    top_logprobs: int | None = Field(default=None, ge=0, le=20, description="Not supported: a 400 when given.")
    tools: list[dict[str, Any]] | None = Field(
        default=None, max_length=128, description="Accepted with tool_choice none/auto; this model calls no tool."
    )
    tool_choice: Annotated[str, Field(max_length=50)] | dict[str, Any] | None = Field(
        default=None, description="none or auto; required or a named function get a 400."
    )
    response_format: dict[str, Any] | None = Field(default=None, description="Only {\"type\": \"text\"}.")


class AssistantMessage(BaseModel):
    """The reply message."""

    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    """The one choice of a reply."""

    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop", "length"] = "stop"


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
    status: Literal["answered", "not_found", "help"] = Field(
        description="Extension: whether the plans answer it (help: a greeting or off-topic question got a help reply)."
    )


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


def conversation(messages: list[ChatMessage]) -> tuple[str, list[Turn]]:
    """Split messages into the question (last user message) and the history (the service keeps its last turns)."""
    last_user = max((i for i, m in enumerate(messages) if m.role == "user"), default=None)
    if last_user is None:
        msg = "消息中没有用户的问题：至少需要一条 role 为 user 的消息。"
        raise InvalidRequestError(msg)
    history: list[Turn] = []
    for m in messages[:last_user]:
        if m.role in ("user", "assistant") and m.text().strip():
            history.append(Turn(role="user" if m.role == "user" else "assistant", content=m.text()))
    return messages[last_user].text(), history


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
            "choices": [{"index": 0, "delta": {}, "finish_reason": completion.choices[0].finish_reason}],
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
        **error_responses(400, 401, 404, 413, 422, 429),
    },
    description=PARAMETERS_DOC,
)
def chat_completions(
    body: ChatCompletionRequest, assistant: AssistantDep, settings: SettingsDep, _caller: CallerDep
) -> ChatCompletion | StreamingResponse:
    """Answer the last user message with the earlier ones as context (OpenAI wire format).

    The question is answered before the first byte is sent, so errors are plain JSON errors even
    when streaming.
    """
    check_parameters(body.model_dump(exclude_unset=True))
    text, history = conversation(body.messages)
    question = check_question(text, settings)
    check_filters(assistant, body.filters)
    answer = assistant.ask(question, history, body.filters)
    citations = nearest_citations(answer)
    content, finish_reason = limit_reply(
        render_reply(answer, citations), body.max_completion_tokens or body.max_tokens, body.stop
    )
    prompt_chars = sum(len(m.text()) for m in body.messages)
    completion = ChatCompletion(
        id="chatcmpl-" + uuid.uuid4().hex,
        created=int(time.time()),
        model=body.model,
        choices=[Choice(message=AssistantMessage(content=content), finish_reason=finish_reason)],
        usage=Usage(
            prompt_tokens=prompt_chars, completion_tokens=len(content), total_tokens=prompt_chars + len(content)
        ),
        citations=citations,
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

"""``POST /v1/ask``: one question (with optional history and filters) -> the answer object with citations."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from assistant.api.deps import AssistantDep, SettingsDep
from assistant.api.errors import error_responses
from assistant.api.routes.common import check_filters, check_question
from assistant.api.security import CallerDep
from assistant.schema import MAX_HISTORY_ITEMS, QUESTION_PATTERN, Answer, Filters, Turn

router = APIRouter(tags=["问答"])


class AskRequest(BaseModel):
    """A question in Chinese; earlier turns let a follow-up such as 那2023年呢？ be understood."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"question": "到2025年每万人口全科医生数要达到多少？"},
                {
                    "question": "那2023年呢？",
                    "history": [
                        {"role": "user", "content": "到2025年每万人口全科医生数要达到多少？"},
                        {"role": "assistant", "content": "到2025年，每万人口全科医生数达到……[1]"},
                    ],
                    "filters": {"region": None, "doc_ids": None, "year": None},
                },
            ]
        },
    )

    question: str = Field(
        min_length=1,
        pattern=QUESTION_PATTERN,
        description="The question (no control characters); length limited by max_question_chars.",
    )
    history: list[Turn] = Field(
        default_factory=list,
        max_length=MAX_HISTORY_ITEMS,
        description="Earlier turns, oldest first; only the last max_history_turns are used.",
    )
    filters: Filters | None = Field(default=None, description="Restrict the answer to a region, documents or a year.")


@router.post(
    "/v1/ask",
    response_model=Answer,
    summary="提问：返回带引用的答案",
    responses=error_responses(401, 404, 413, 422, 429),
)
def ask(body: AskRequest, assistant: AssistantDep, settings: SettingsDep, _caller: CallerDep) -> Answer:
    """Answer one question; the same object as ``policy-assistant ask --json``.

    A filter naming an unknown document id is a 404; an empty or over-long question a 422. Of a
    long history only the last ``max_history_turns`` turns are used, as everywhere else.
    """
    question = check_question(body.question, settings)
    check_filters(assistant, body.filters)
    return assistant.ask(question, body.history, body.filters)

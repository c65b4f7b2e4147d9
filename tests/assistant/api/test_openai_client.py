"""The official ``openai`` client, unchanged, against a real uvicorn server on a loopback port."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import openai
import pytest

from assistant.api import create_app
from assistant.schema import Turn
from assistant.service import Assistant
from tests.assistant.api.helpers import USER_KEY, live_server, settings_like

pytestmark = [pytest.mark.slow, pytest.mark.integration]

QUESTION = "到2025年每万人口全科医生数要达到多少？"


@pytest.fixture(scope="module")
def base_url(shipped_assistant: Assistant) -> Iterator[str]:
    settings = settings_like(shipped_assistant.settings, api_keys=[USER_KEY])
    with live_server(create_app(shipped_assistant, settings=settings)) as url:
        yield url


@pytest.fixture(scope="module")
def oai(base_url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{base_url}/v1", api_key=USER_KEY, max_retries=0, timeout=120)


def test_chat_completion(oai: openai.OpenAI, shipped_assistant: Assistant) -> None:
    resp = oai.chat.completions.create(model="policy-assistant", messages=[{"role": "user", "content": QUESTION}])
    direct = shipped_assistant.ask(QUESTION)
    content = resp.choices[0].message.content
    assert content is not None and content.startswith(direct.answer.rstrip())
    assert resp.choices[0].finish_reason == "stop"
    extra = resp.model_extra or {}
    assert extra["status"] == direct.status == "answered"
    assert [c["quote"] for c in extra["citations"]] == [c.quote for c in direct.citations]
    assert extra["citations"], "a numeric answer must come with citations"
    assert resp.usage is not None and resp.usage.total_tokens > 0


def test_chat_completion_stream(oai: openai.OpenAI) -> None:
    messages = [{"role": "user", "content": QUESTION}]
    plain = oai.chat.completions.create(model="policy-assistant", messages=messages)  # type: ignore[arg-type]
    stream = oai.chat.completions.create(model="policy-assistant", messages=messages, stream=True)  # type: ignore[arg-type]
    chunks = list(stream)
    assert len(chunks) > 2
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == plain.choices[0].message.content
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert (chunks[-1].model_extra or {})["citations"] == (plain.model_extra or {})["citations"]


def test_follow_up_conversation(oai: openai.OpenAI, shipped_assistant: Assistant) -> None:
    first = oai.chat.completions.create(model="policy-assistant", messages=[{"role": "user", "content": QUESTION}])
    follow = oai.chat.completions.create(
        model="policy-assistant",
        messages=[
            {"role": "user", "content": QUESTION},
            {"role": "assistant", "content": first.choices[0].message.content or ""},
            {"role": "user", "content": "那2023年呢？"},
        ],
    )
    direct = shipped_assistant.ask(
        "那2023年呢？",
        [Turn(role="user", content=QUESTION), Turn(role="assistant", content=first.choices[0].message.content or "")],
    )
    assert (follow.choices[0].message.content or "").startswith(direct.answer.rstrip())
    assert "2023" in direct.resolved_question
    assert [c["quote"] for c in (follow.model_extra or {})["citations"]] == [c.quote for c in direct.citations]


def test_models_list(oai: openai.OpenAI) -> None:
    assert [m.id for m in oai.models.list()] == ["policy-assistant"]


def test_wrong_key_raises_authentication_error(base_url: str) -> None:
    bad = openai.OpenAI(base_url=f"{base_url}/v1", api_key="wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError) as info:
        bad.chat.completions.create(model="policy-assistant", messages=[{"role": "user", "content": QUESTION}])
    assert info.value.status_code == 401


def test_bad_request_surfaces_as_openai_error(oai: openai.OpenAI) -> None:
    with pytest.raises(openai.UnprocessableEntityError):
        oai.chat.completions.create(model="policy-assistant", messages=[{"role": "user", "content": "问" * 1000}])


def test_rest_endpoints_over_the_wire(base_url: str) -> None:
    headers = {"Authorization": f"Bearer {USER_KEY}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=60) as c:
        assert c.get("/v1/health").json()["store_loaded"] is True
        ask = c.post("/v1/ask", json={"question": QUESTION})
        assert ask.status_code == 200 and ask.json()["citations"]
        assert c.get("/v1/documents").json()["documents"]
        assert c.get("/v1/search", params={"q": "全科医生"}).json()["results"]


# ---- OpenAI parameters: honoured, or refused in OpenAI's error format naming the parameter -------------------


@pytest.mark.parametrize(
    ("extra", "param"),
    [
        ({"n": 2}, "n"),
        ({"logprobs": True}, "logprobs"),
        ({"tools": [{"type": "function", "function": {"name": "f", "parameters": {}}}], "tool_choice": "required"},
         "tool_choice"),
        ({"response_format": {"type": "json_object"}}, "response_format"),
    ],
    ids=["n", "logprobs", "tool_choice", "response_format"],
)  # fmt: skip
def test_unsupported_parameters_are_refused_by_name(oai: openai.OpenAI, extra: dict[str, object], param: str) -> None:
    with pytest.raises(openai.BadRequestError) as info:
        oai.chat.completions.create(
            model="policy-assistant",
            messages=[{"role": "user", "content": QUESTION}],
            **extra,  # type: ignore[arg-type]
        )
    body = info.value.body
    assert isinstance(body, dict) and body["param"] == param and body["type"] == "invalid_request_error"
    assert param in body["message"]


def test_max_tokens_and_stop_are_honoured(oai: openai.OpenAI) -> None:
    messages = [{"role": "user", "content": QUESTION}]
    full = oai.chat.completions.create(model="policy-assistant", messages=messages)  # type: ignore[arg-type]
    text = full.choices[0].message.content or ""
    short = oai.chat.completions.create(model="policy-assistant", messages=messages, max_tokens=5)  # type: ignore[arg-type]
    assert short.choices[0].message.content == text[:5] and short.choices[0].finish_reason == "length"
    streamed = oai.chat.completions.create(
        model="policy-assistant", messages=messages, max_tokens=5, stream=True  # type: ignore[arg-type]
    )
    chunks = list(streamed)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == text[:5]
    assert chunks[-1].choices[0].finish_reason == "length"
    stopped = oai.chat.completions.create(model="policy-assistant", messages=messages, stop=["[1]"])  # type: ignore[arg-type]
    assert stopped.choices[0].message.content == text[: text.index("[1]")]
    ignored = oai.chat.completions.create(
        model="policy-assistant", messages=messages, temperature=1.5, seed=7, tool_choice="auto",  # type: ignore[arg-type]
        tools=[{"type": "function", "function": {"name": "f", "parameters": {}}}],
    )
    assert ignored.choices[0].message.content == text


def test_not_found_reply_gives_the_nearest_passages(oai: openai.OpenAI) -> None:
    resp = oai.chat.completions.create(
        model="policy-assistant", messages=[{"role": "user", "content": "火星基地的医生配备目标是多少？"}]
    )
    extra = resp.model_extra or {}
    assert extra["status"] == "not_found"
    assert extra["citations"], "a not-found reply lists the nearest passages as citations"
    content = resp.choices[0].message.content or ""
    assert "最相近的段落" in content and all(f"[{c['n']}]" in content for c in extra["citations"])


# ---- LangChain --------------------------------------------------------------------------------------------------


def test_langchain_keeps_citations_with_the_documented_client(base_url: str, oai: openai.OpenAI) -> None:
    from langchain_openai import ChatOpenAI

    from assistant.api.langchain_client import ChatPolicyAssistant

    kwargs = {"base_url": f"{base_url}/v1", "api_key": USER_KEY, "model": "policy-assistant", "max_retries": 0}
    expected = (oai.chat.completions.create(model="policy-assistant", messages=[{"role": "user", "content": QUESTION}])
                .model_extra or {})["citations"]  # fmt: skip
    stock = ChatOpenAI(**kwargs).invoke(QUESTION)  # type: ignore[arg-type]
    assert "citations" not in stock.response_metadata  # why the documented subclass exists

    llm = ChatPolicyAssistant(**kwargs)  # type: ignore[arg-type]
    msg = llm.invoke(QUESTION)
    assert msg.response_metadata["citations"] == expected and msg.response_metadata["status"] == "answered"
    chunks = list(llm.stream(QUESTION))
    full = chunks[0]
    for c in chunks[1:]:
        full = full + c  # type: ignore[assignment]
    assert full.content == msg.content
    assert full.response_metadata["citations"] == expected and full.response_metadata["status"] == "answered"

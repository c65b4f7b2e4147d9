"""A LangChain chat model for Policy Assistant that keeps the citations and answer status.

``/v1/chat/completions`` returns the numbered sources as data in two extension fields, ``citations``
and ``status``, at the top level of the reply (in the last chunk when streaming). The official
``openai`` SDK keeps them (``completion.model_extra["citations"]``), but langchain-openai's
``ChatOpenAI`` builds its message from the standard fields only and drops them, for ``invoke`` and
``stream`` alike. ``ChatPolicyAssistant`` is ``ChatOpenAI`` with those two fields copied into the
message's ``response_metadata``::

    from assistant.api.langchain_client import ChatPolicyAssistant

    llm = ChatPolicyAssistant(base_url="http://127.0.0.1:8000/v1", api_key="KEY", model="policy-assistant")
    msg = llm.invoke("到2025年每万人口全科医生数要达到多少？")
    msg.response_metadata["citations"]  # [{"n": 1, "quote": "...", "title": "...", ...}]
    msg.response_metadata["status"]     # "answered", "not_found" or "help" (a greeting)

When streaming, the last chunk carries them; chunks added together (``full = c1 + c2 + ...``)
keep them in ``full.response_metadata``. The class depends only on langchain-openai, so an
integrator can copy this file into their own code.
"""

from __future__ import annotations

from typing import Any

import openai
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from langchain_openai import ChatOpenAI

EXTENSION_FIELDS = ("citations", "status")


def _extensions(response: Any) -> dict[str, Any]:
    """The extension fields of a reply or chunk (a dict, or the openai SDK's model with extra fields)."""
    if isinstance(response, openai.BaseModel):
        response = response.model_dump()
    if not isinstance(response, dict):
        return {}
    return {k: response[k] for k in EXTENSION_FIELDS if k in response}


class ChatPolicyAssistant(ChatOpenAI):
    """``ChatOpenAI`` that keeps Policy Assistant's ``citations`` and ``status`` in ``response_metadata``."""

    def _create_chat_result(
        self, response: dict[str, Any] | openai.BaseModel, generation_info: dict[str, Any] | None = None
    ) -> ChatResult:
        """The standard result, with the extension fields in each message's ``response_metadata``."""
        result = super()._create_chat_result(response, generation_info)
        extras = _extensions(response)
        for generation in result.generations:
            generation.message.response_metadata.update(extras)
        return result

    def _convert_chunk_to_generation_chunk(
        self, chunk: dict[str, Any], default_chunk_class: type, base_generation_info: dict[str, Any] | None
    ) -> ChatGenerationChunk | None:
        """The standard chunk; the chunk that carries the extension fields gets them in ``response_metadata``."""
        generation = super()._convert_chunk_to_generation_chunk(chunk, default_chunk_class, base_generation_info)
        extras = _extensions(chunk)
        if generation is not None and extras:
            generation.message.response_metadata.update(extras)
        return generation

"""Optional LLM composition through any OpenAI-compatible server, checked number by number.

The model sees the same numbered sources the extractive answer cites and a verified draft. Its
answer is kept only if every number in it stands in a cited quote and every [n] marker names a
source; otherwise the extractive answer stands and the reason is recorded in ``Answer.notes``.
"""

from __future__ import annotations

import logging
import re
from importlib import resources
from typing import Protocol

from assistant.grounding import check_grounded
from assistant.schema import Answer
from assistant.settings import Settings

log = logging.getLogger(__name__)

_MARKER_RE = re.compile(r"\[(\d+)\]")


class ChatModel(Protocol):
    """What the composer needs of a chat model: messages in, text out."""

    def complete(self, system: str, user: str) -> str:
        """Return the model's reply to one system + user exchange."""
        ...


class OpenAIChatModel:
    """A chat model behind an OpenAI-compatible endpoint, through ``langchain-openai``."""

    def __init__(self, settings: Settings) -> None:
        from langchain_openai import ChatOpenAI

        self._model = ChatOpenAI(
            base_url=settings.llm_base_url,
            model=settings.llm_model,
            api_key=settings.llm_api_key or "not-needed",  # type: ignore[arg-type]
            timeout=settings.llm_timeout_s,
            max_retries=1,
            temperature=0,
        )

    def complete(self, system: str, user: str) -> str:
        """One chat completion."""
        from langchain_core.messages import HumanMessage, SystemMessage

        reply = self._model.invoke([SystemMessage(content=system), HumanMessage(content=user)])
        return str(reply.content)


def load_prompt(name: str) -> str:
    """A prompt template kept as a data file in ``prompts/``."""
    return resources.files("prompts").joinpath(name).read_text(encoding="utf-8")


class LLMComposer:
    """Rewrites a verified extractive answer with an LLM, and keeps the rewrite only if it checks out."""

    def __init__(self, settings: Settings, model: ChatModel | None = None) -> None:
        self.model = model or OpenAIChatModel(settings)
        self.system = load_prompt("answer_system.md")
        self.user = load_prompt("answer_user.md")

    def rewrite(self, answer: Answer) -> Answer:
        """The LLM's answer if grounded, else ``answer`` with a note saying why it was kept."""
        sources = "\n".join(
            f"[{c.n}] 《{c.title}》{c.section}：{c.quote}" for c in answer.citations
        )
        prompt = self.user.format(question=answer.question, sources=sources, draft=answer.answer)
        import httpx
        import openai

        try:
            text = self.model.complete(self.system, prompt).strip()
        except (openai.OpenAIError, httpx.HTTPError, TimeoutError, ValueError) as e:
            log.warning("LLM call failed, keeping the extractive answer: %s", e)
            return answer.model_copy(update={"notes": [*answer.notes, f"llm_error: {type(e).__name__}"]})
        candidate = answer.model_copy(update={"answer": text, "mode": "llm"})
        problems: list[str] = []
        if not text:
            problems.append("empty")
        bad_markers = sorted({int(m) for m in _MARKER_RE.findall(text)} - {c.n for c in answer.citations})
        if bad_markers:
            problems.append(f"unknown_citation_markers: {bad_markers}")
        ungrounded = check_grounded(candidate)
        if ungrounded:
            problems.append(f"ungrounded_numbers: {', '.join(ungrounded)}")
        if problems:
            log.info("LLM answer discarded: %s", "; ".join(problems))
            return answer.model_copy(update={"notes": [*answer.notes, *(f"llm_rejected: {p}" for p in problems)]})
        return candidate

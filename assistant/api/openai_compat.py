"""What ``/v1/chat/completions`` does with OpenAI's request parameters, and how a reply is written.

The answer is extractive and deterministic, so parameters split three ways (the OpenAPI description
of the route lists them):

* honoured: ``stream``, ``stream_options.include_usage`` (usage always comes in the last chunk),
  ``max_tokens`` / ``max_completion_tokens`` (the reply is cut to that many characters, the unit
  ``usage`` counts in, with ``finish_reason: "length"``), ``stop`` (the reply ends before the first
  stop sequence), ``n`` = 1, ``tools`` with ``tool_choice`` ``none``/``auto`` (this model never
  calls a tool), ``response_format`` ``text``, ``logprobs: false``;
* ignored: sampling and bookkeeping parameters that cannot change an extractive answer
  (``temperature``, ``top_p``, ``seed``, penalties, ``user``, ``metadata``, ``store`` …);
* refused with 400 in OpenAI's error format naming the parameter: ``n`` > 1, ``logprobs: true`` /
  ``top_logprobs``, a forced tool call (``tool_choice`` ``required`` or a named function, or a
  named legacy ``function_call``), ``response_format`` other than ``text``, audio output.
"""

from __future__ import annotations

from typing import Any, Literal

from assistant.schema import Answer, Citation
from ingestion.text.errors import UnsupportedParameterError

FinishReason = Literal["stop", "length"]

SOURCES_HEADING = "来源"
NEAREST_HEADING = "最相近的段落"
NOTE_PREFIX = "说明："

PARAMETERS_DOC = """\
参数处理：
* 支持：`stream`、`stream_options`、`max_tokens`/`max_completion_tokens`（按字符截断，`finish_reason` 为
  `length`）、`stop`、`n`=1、`tools`（`tool_choice` 为 `none`/`auto`，本模型不调用工具）、`response_format` 为
  `text`、`logprobs`=false；
* 忽略（答案为抽取式、确定性）：`temperature`、`top_p`、`seed`、`presence_penalty`、`frequency_penalty`、`user`、
  `metadata`、`store` 等；
* 拒绝（400，OpenAI 错误格式，`param` 指明参数）：`n`>1、`logprobs`=true、`top_logprobs`、强制调用工具
  （`tool_choice` 为 `required` 或指定函数）、`response_format` 为 `json_object`/`json_schema`、音频输出。
* 扩展字段：`citations`（编号来源）与 `status`（answered/not_found），在回复对象顶层；流式时在最后一个数据块。
"""


def _refuse(param: str, message: str) -> UnsupportedParameterError:
    return UnsupportedParameterError(f"不支持参数 {param}：{message}", param=param)


def check_parameters(params: dict[str, Any]) -> None:
    """Raise UnsupportedParameterError for the first request parameter this server cannot honour."""
    n = params.get("n")
    if n is not None and n != 1:
        raise _refuse("n", "每次只返回一个回答，请设 n=1 或不传。")
    if params.get("logprobs") is True or params.get("top_logprobs") is not None:
        raise _refuse("logprobs" if params.get("logprobs") is True else "top_logprobs", "本服务不提供词元概率。")
    choice = params.get("tool_choice")
    if params.get("tools") and (choice == "required" or isinstance(choice, dict)):
        raise _refuse("tool_choice", "本模型只回答问题、不调用工具；请去掉 tool_choice 或设为 auto/none。")
    if isinstance(params.get("function_call"), dict):
        raise _refuse("function_call", "本模型只回答问题、不调用函数。")
    response_format = params.get("response_format")
    if isinstance(response_format, dict) and response_format.get("type", "text") != "text":
        raise _refuse("response_format", "回答是带引用的文字；引用已作为数据在 citations 字段中返回。")
    modalities = params.get("modalities")
    if params.get("audio") is not None or (isinstance(modalities, list) and "audio" in modalities):
        raise _refuse("audio" if params.get("audio") is not None else "modalities", "本服务只输出文字。")


def nearest_citations(answer: Answer) -> list[Citation]:
    """The answer's citations; for a not-found answer, its nearest passages numbered as citations."""
    if answer.citations or not answer.suggestions:
        return answer.citations
    return [
        Citation(
            n=i,
            doc_id=h.doc_id,
            title=h.title,
            source=h.source,
            region=h.region,
            section=h.section,
            page=h.page,
            quote=h.text,
            chunk_id=h.chunk_id,
            ocr=h.ocr,
            ocr_confidence=h.ocr_confidence,
        )
        for i, h in enumerate(answer.suggestions, start=1)
    ]


def render_reply(answer: Answer, citations: list[Citation]) -> str:
    """The answer text followed by its numbered sources (or nearest passages), for clients that show only text."""
    lines = [answer.answer.rstrip()]
    lines.extend(f"{NOTE_PREFIX}{note}" for note in answer.notes)
    if citations:
        heading = SOURCES_HEADING if answer.citations else NEAREST_HEADING
        lines.append("")
        lines.append(f"{heading}：")
        for c in citations:
            where = "｜".join(part for part in (c.title or c.source, c.section) if part)
            lines.append(f"[{c.n}] {where}：“{c.quote}”")
    return "\n".join(lines)


def limit_reply(text: str, max_chars: int | None, stop: str | list[str] | None) -> tuple[str, FinishReason]:
    """Apply ``stop`` sequences and a character budget; return the text and OpenAI's ``finish_reason``."""
    sequences = [stop] if isinstance(stop, str) else list(stop or [])
    cuts = [i for s in sequences if s and (i := text.find(s)) >= 0]
    if cuts:
        text = text[: min(cuts)]
    if max_chars is not None and len(text) > max_chars:
        return text[:max_chars], "length"
    return text, "stop"

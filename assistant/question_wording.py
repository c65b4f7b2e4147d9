"""Question wording that is not the indicator: document parts, task words, "which regions have none".

The lists are data (``assistant/rules/question_wording.toml``); this module only says how they are
used. ``任务分解表里青川县2023年新增社区医院数`` asks for ``新增社区医院数``: the table is where to look,
not what. ``全科医生培养任务`` asks for the number to train: ``任务`` adds nothing a row is worded with.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from assistant.rule_files import longest_first, read_rules
from ingestion.text.rules import alternation


@dataclass(frozen=True)
class _Wording:
    part: re.Pattern[str]
    task: re.Pattern[str]
    none: re.Pattern[str]
    which: re.Pattern[str]


@functools.cache
def _wording() -> _Wording:
    data = read_rules("question_wording.toml")
    parts = alternation(longest_first(data["document_parts"]))
    locatives = alternation(longest_first(data["locatives"]))
    return _Wording(
        # 队伍建设任务分解表里 / 附件2中: from the start of a phrase (no space or punctuation inside)
        # through the part's name, an optional number, and a locative.
        part=re.compile(rf"[^\s，,。；;：:？?！!]*?(?:{parts})\s*\d*\s*(?:{locatives})"),
        task=re.compile(rf"(?<=..)(?:{alternation(longest_first([*data['task_words'], *data['share_words']]))})$"),
        none=re.compile(alternation(longest_first(data["none_words"]))),
        # 哪几个县区 / 哪些地方 / 哪个区, with a copula before it (的是哪几个县区).
        which=re.compile(
            rf"(?:的?是)?哪(?:{alternation(longest_first(data['which_counts']))})?"
            rf"(?:{alternation(longest_first(data['region_kinds']))})"
        ),
    )


def drop_document_parts(text: str) -> str:
    """``text`` without the phrases naming a part of the plan (``…任务分解表里``, ``附件2中``)."""
    return _wording().part.sub(" ", text)


def drop_question_words(text: str) -> str:
    """``text`` without 哪几个县区-style phrases and the words asking for regions with none (不承担, 没安排)."""
    w = _wording()
    return w.none.sub(" ", w.which.sub(" ", text))


def drop_task_word(indicator: str) -> str:
    """``indicator`` without a trailing task or share word (``全科医生培养任务`` -> ``全科医生培养``)."""
    return _wording().task.sub("", indicator)


def asks_for_none(question: str) -> bool:
    """Whether a list question asks for the regions with no value (``没有…任务的县区``, ``不承担…``)."""
    return bool(_wording().none.search(question))

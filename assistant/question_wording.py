"""Question wording that is not the indicator: document parts, task words, "which regions have none".

The lists are data (``assistant/rules/question_wording.toml``); this module only says how they are
used. ``任务分解表里青川县2023年新增社区医院数`` asks for ``新增社区医院数``: the table is where to look,
not what. ``全科医生培养任务`` asks for the number to train: ``任务`` adds nothing a row is worded with.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.rule_files import longest_first, read_rules
from ingestion.text.rules import alternation


@dataclass(frozen=True)
class _Wording:
    part: re.Pattern[str]
    task: re.Pattern[str]
    none: re.Pattern[str]
    which: re.Pattern[str]
    each: re.Pattern[str]
    each_kinds: tuple[str, ...]
    each_joiners: tuple[str, ...]
    asked_unit: re.Pattern[str]
    short_year: re.Pattern[str]


@functools.cache
def _wording() -> _Wording:
    data = read_rules("question_wording.toml")
    parts = alternation(longest_first(data["document_parts"]))
    locatives = alternation(longest_first(data["locatives"]))
    # Fixed-width look-behinds, one per word (a look-behind cannot alternate words of different lengths).
    not_after = "".join(f"(?<!{re.escape(w)})" for w in data["short_year_not_after"])
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
        each=re.compile(rf"每一?个(?:行政)?(?:{alternation(longest_first(data['each_kinds']))})"),
        each_kinds=longest_first(data["each_kinds"]),
        each_joiners=longest_first(data["each_joiners"]),
        # (?<![\d.]): 2025年 and 3.25年 are not two-digit years.
        short_year=re.compile(
            rf"(?P<pre>{alternation(longest_first(data['short_year_before']))})\s*(?P<a>[2-3]\d)\s*年"
            rf"|(?<![\d.]){not_after}(?P<b>[2-3]\d)\s*年(?=(?:{alternation(longest_first(data['short_year_after']))}))"
        ),
        asked_unit=re.compile(rf"(?:多少|几)\s*(?:{alternation(longest_first(data['asked_units']))})"),
    )


def drop_document_parts(text: str) -> str:
    """``text`` without the phrases naming a part of the plan (``…任务分解表里``, ``附件2中``)."""
    return _wording().part.sub(" ", text)


def drop_question_words(text: str) -> str:
    """``text`` without 哪几个县区-style phrases and the words asking for regions with none (不承担, 没安排)."""
    w = _wording()
    return w.none.sub(" ", w.which.sub(" ", text))


def full_years(text: str) -> str:
    """``text`` with two-digit years written in full (``25年底`` -> ``2025年底``, ``到23年`` -> ``到2023年``)."""
    return _wording().short_year.sub(lambda m: f"{m.group('pre') or ''}20{m.group('a') or m.group('b')}年", text)


def drop_asked_unit(text: str) -> str:
    """``text`` without a question for a quantity in a unit (``面积多少平方`` -> ``面积``)."""
    return _wording().asked_unit.sub(" ", text)


def drop_each_scope(text: str, names: Iterable[str]) -> tuple[str, tuple[str, ...]]:
    """``text`` without a distributive scope joined with more kinds or names (``每个区市、开发区``), and the scopes.

    ``每个县区、白石新区至少…`` says the target applies to each 县区 and each 白石新区-like area; a region
    name right after the joiner (one of ``names``) is read as a kind there, not as the place asked about.
    A 每个 phrase with nothing joined to it is left alone.
    """
    w = _wording()
    out: list[str] = []
    scopes: list[str] = []
    at = 0
    for m in w.each.finditer(text):
        if m.start() < at:
            continue
        end = m.end()
        followers: tuple[str, ...] | None = None
        while True:
            joiner = next((j for j in w.each_joiners if text.startswith(j, end)), None)
            if joiner is None:
                break
            if followers is None:
                followers = longest_first({*w.each_kinds, *names})
            word = next((n for n in followers if n and text.startswith(n, end + len(joiner))), None)
            if word is None:
                break
            end += len(joiner) + len(word)
        if end > m.end():
            out.append(text[at : m.start()] + " ")
            scopes.append(text[m.start() : end])
            at = end
    out.append(text[at:])
    return "".join(out), tuple(scopes)


def drop_task_word(indicator: str) -> str:
    """``indicator`` without a trailing task or share word (``全科医生培养任务`` -> ``全科医生培养``)."""
    return _wording().task.sub("", indicator)


def asks_for_none(question: str) -> bool:
    """Whether a list question asks for the regions with no value (``没有…任务的县区``, ``不承担…``)."""
    return bool(_wording().none.search(question))

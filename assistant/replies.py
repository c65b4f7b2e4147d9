"""Replies to messages that are not questions about the plans: greetings, thanks, help, off-topic.

Such a message gets a short help reply (``Answer.status == "help"``) saying what the assistant does,
which plans it holds and a few example questions made from real target rows of those plans, instead
of "no target found for 你好". The wording lists live in ``rules/conversation.toml``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.rule_files import longest_first, read_rules
from assistant.schema import Answer
from assistant.target_rows import RowKey
from ingestion.schema import DocumentRecord
from ingestion.text.normalize import nfkc
from ingestion.text.rules import alternation

MSG_HELP = (
    "您好！我是卫生健康规划问答助手，根据已入库的规划文件回答指标目标值、任务措施等问题，"
    "每个数字都注明出处；文件中没有的内容会如实说明。"
)
MSG_PLANS = "现有规划：{titles}。"
MSG_MORE_PLANS = "等{n}份"
MSG_NO_PLANS = "目前还没有入库的规划文件，请先在“文件”页上传。"
MSG_EXAMPLES = "可以这样问："
MSG_OFF_TOPIC = "这个问题超出了规划文件的范围。"
EXAMPLE_QUESTION = "{where}{when}{indicator}的目标是多少？"

_PUNCT = re.compile(r"[\s,，.。!！?？~～、:：;；…—\-\"“”'‘’()（）]+")


@dataclass(frozen=True)
class ConversationRules:
    """The wording lists of ``conversation.toml``."""

    capability: tuple[str, ...]
    greetings: tuple[str, ...]
    filler: tuple[str, ...]
    off_topic: tuple[str, ...]
    max_examples: int
    max_titles: int
    # One pattern per capability frame of the file (frame_pattern).
    capability_frames: tuple[re.Pattern[str], ...] = ()
    # Openings of a clause introducing the writer (我刚接手…), and words making a clause ask something itself.
    self_introductions: tuple[str, ...] = ()
    not_introduction: tuple[str, ...] = ()
    # Words addressing the assistant or telling of its first use, and words naming nothing a plan holds.
    addressing: tuple[str, ...] = ()
    content_free: tuple[str, ...] = ()
    # One pattern per closing frame of the file (今天就问这些, 先这样, 回头再问): words ending the talk.
    closing_frames: tuple[re.Pattern[str], ...] = ()

    @property
    def frames(self) -> tuple[re.Pattern[str], ...]:
        """The capability and closing frames: phrases in parts that say nothing about the plans."""
        return self.capability_frames + self.closing_frames


def frame_pattern(slots: Sequence[Sequence[str]]) -> re.Pattern[str]:
    """A capability frame's pattern: its slots in order, a slot holding "" optional.

    ``[["能", "可以"], ["帮我", ""], ["查"], ["什么", "啥"]]`` -> ``(?:可以|能)(?:帮我)?(?:查)(?:什么|啥)``.
    """
    parts = []
    for slot in slots:
        words = longest_first(w for w in slot if w)
        if words:
            parts.append(f"(?:{alternation(words)})" + ("?" if "" in slot else ""))
    return re.compile("".join(parts))


@functools.cache
def conversation_rules() -> ConversationRules:
    """The conversation wording lists (loaded once)."""
    data = read_rules("conversation.toml")
    return ConversationRules(
        capability=longest_first(data["capability"]),
        greetings=longest_first(data["greetings"]),
        filler=longest_first(data["filler"]),
        off_topic=tuple(data["off_topic"]),
        max_examples=int(data["max_examples"]),
        max_titles=int(data["max_titles"]),
        capability_frames=tuple(frame_pattern(frame) for frame in data.get("capability_frames", ())),
        self_introductions=longest_first(data.get("self_introductions", ())),
        not_introduction=tuple(data.get("not_introduction", ())),
        addressing=longest_first(data.get("addressing", ())),
        content_free=longest_first(data.get("content_free", ())),
        closing_frames=tuple(frame_pattern(frame) for frame in data.get("closing_frames", ())),
    )


def _strip(text: str, words: Sequence[str]) -> str:
    for w in words:
        text = text.replace(w, "")
    return text


def _introduces(clause: str, r: ConversationRules) -> bool:
    """Whether a clause introduces the writer (我刚接手基层卫生工作) and asks nothing itself."""
    return (
        clause.startswith(r.self_introductions)
        and not re.search(r"\d", clause)
        and not any(w in clause for w in r.not_introduction)
    )


def conversational(question: str, rules: ConversationRules | None = None) -> bool:
    """Whether ``question`` is a greeting, thanks, a help request or off-topic (not about the plans).

    Clauses introducing the writer (我是新来的科员，你都能查些啥) are read past: what is left decides.
    """
    r = rules or conversation_rules()
    if _said_without_introduction(question, r):
        return True
    clauses = [c for c in _PUNCT.split(nfkc(question).lower()) if c]
    rest = [c for c in clauses if not _introduces(c, r)]
    if len(rest) == len(clauses):
        return False
    return not rest or _said_without_introduction("，".join(rest), r)


def _said_without_introduction(question: str, r: ConversationRules) -> bool:
    """Whether ``question`` as a whole is a greeting, a capability question or off-topic."""
    q = _PUNCT.sub("", nfkc(question).lower())
    if not q:
        return False
    if any(w in q for w in r.off_topic) and not re.search(r"\d", q):
        return True
    rest = q
    for frame in r.frames:
        rest = frame.sub("", rest)
    rest = _strip(_strip(_strip(rest, r.capability), r.greetings), r.filler)
    # What is left (at most one character: 么, 们) says nothing about any indicator.
    return (len(rest) <= 1 and rest != q) or _names_nothing(q, r)


def _names_nothing(q: str, r: ConversationRules) -> bool:
    """Whether ``q`` (punctuation removed) is addressed to the assistant and names nothing a plan holds.

    ``你是干啥用的能帮我查些啥`` and ``头一回用这个该怎么问你比较好``: an addressing word (or a greeting, a
    capability phrase or frame) and, once every word of no policy content is removed, nothing left; a digit
    or any other word left (``你好白鹭市签约率多少``) names an indicator, a place, a plan or a year.
    """
    if re.search(r"\d", q):
        return False
    addressed = any(w in q for w in (*r.addressing, *r.greetings, *r.capability)) or any(
        f.search(q) for f in r.frames
    )
    if not addressed:
        return False
    rest = q
    for frame in r.frames:
        rest = frame.sub("", rest)
    words = longest_first([*r.capability, *r.greetings, *r.filler, *r.addressing, *r.content_free])
    return not re.sub(alternation(words), "", rest) if words else False


def _example(key: RowKey, doc_region: str) -> str:
    where = key.region or doc_region
    when = f"到{key.year}年" if re.fullmatch(r"20\d{2}", key.year) else ""
    return EXAMPLE_QUESTION.format(where=where, when=when, indicator=key.words.strip())


def example_questions(keys: Sequence[RowKey], docs: Sequence[DocumentRecord], limit: int) -> list[str]:
    """One example question per plan (as many plans as ``limit``), each from a dated plan-level target row."""
    regions = {d.doc_id: d.meta.region for d in docs}
    out: list[str] = []
    seen_docs: set[str] = set()
    for key in keys:
        if len(out) >= limit:
            break
        if key.doc_id in seen_docs or not re.fullmatch(r"20\d{2}", key.year):
            continue
        words = key.words.split()
        if key.region != regions.get(key.doc_id, key.region) or len(words) != 1 or not 4 <= len(words[0]) <= 16:
            continue
        seen_docs.add(key.doc_id)
        out.append(_example(key, regions.get(key.doc_id, "")))
    return out


def plan_list(docs: Sequence[DocumentRecord]) -> str:
    """The plans' titles in 《》, the first ``max_titles`` of them and how many there are in all."""
    limit = conversation_rules().max_titles
    titles = [f"《{d.meta.title}》" for d in docs if d.meta.title]
    shown = "、".join(titles[:limit])
    return shown + MSG_MORE_PLANS.format(n=len(titles)) if len(titles) > limit else shown


def help_answer(question: str, keys: Sequence[RowKey], docs: Sequence[DocumentRecord]) -> Answer:
    """The help reply: what the assistant does, the plans it holds, example questions from their rows."""
    r = conversation_rules()
    q = _PUNCT.sub("", nfkc(question).lower())
    lead = MSG_OFF_TOPIC + MSG_HELP if any(w in q for w in r.off_topic) else MSG_HELP
    parts = [lead]
    if docs:
        parts.append(MSG_PLANS.format(titles=plan_list(docs)))
        examples = example_questions(keys, docs, r.max_examples)
        if examples:
            parts.append(MSG_EXAMPLES + "\n" + "\n".join(f"- {e}" for e in examples))
    else:
        parts.append(MSG_NO_PLANS)
    return Answer(question=question, answer="\n\n".join(parts), status="help")

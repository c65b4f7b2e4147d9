"""The lead unit of a task: the first unit its list names, when the plan says the first listed leads.

Plans often close a task with its units in brackets (``（责任单位：A、B、C）``) and say once, usually at
the first task, which of them leads (``列第一的为牵头单位，下同``). ``X工作的牵头单位是哪个？`` is then
answered by the first unit of the list closing the task that covers X, citing both the list and the
sentence stating the rule. Other plans label the leads themselves (``（牵头单位：A；责任单位：B、C）``):
the units of that label answer, with no rule needed. Without either no unit is named as lead (the
requirement path may still quote a sentence naming one). Wording lists: ``[lead_units]`` of
``assistant/rules/answer_shapes.toml``.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.requirements import MIN_SENTENCE_COVERAGE, asked_words, content_words, sentences, word_weight
from assistant.schema import Answer, Citation, SearchHit
from assistant.shapes import SHAPES_FILE
from assistant.understanding import Query
from ingestion.schema import Chunk
from ingestion.text.normalize import nfkc

CUT_MARK = "等"
MSG_LEAD = "《{title}》中该项任务的牵头单位为：{unit}。原文所列{label}：{units}[1]；{rule}[2]"
MSG_LEAD_LABELLED = "《{title}》中该项任务的{label}为：{units}[1]。{others}"
MSG_OTHER_LIST = "{label}：{units}。"
MSG_LEAD_CELL = "“{title}”表中“{row}”一行的{label}为：{units}[1]"


@dataclass(frozen=True)
class LeadWords:
    """The ``[lead_units]`` lists of answer_shapes.toml."""

    asks: tuple[str, ...]
    list_labels: tuple[str, ...]
    lead_labels: tuple[str, ...]
    first_leads: re.Pattern[str]


def load_lead_words(path: Path = SHAPES_FILE) -> LeadWords:
    """Read the ``[lead_units]`` lists (of the shipped file by default)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))["lead_units"]
    return LeadWords(
        asks=tuple(sorted((nfkc(x) for x in data["asks"]), key=len, reverse=True)),
        list_labels=tuple(sorted((nfkc(x) for x in data["list_labels"]), key=len, reverse=True)),
        lead_labels=tuple(nfkc(x) for x in data.get("lead_labels", [])),
        first_leads=re.compile(data["first_leads"]),
    )


@functools.cache
def lead_words() -> LeadWords:
    """The shipped lead-unit words, read once."""
    return load_lead_words()


def _unit_lists(text: str, words: LeadWords) -> list[tuple[str, str, list[str], int]]:
    """Each unit list of ``text``: its label, its quote (label and units), its units and where it starts.

    A unit holding a digit is no unit (a footnote or page mark a page break put inside the list: 区住建2 5家…):
    the list, and its quote, end before it.
    """
    labels = "|".join(re.escape(x) for x in words.list_labels)
    out: list[tuple[str, str, list[str], int]] = []
    # （责任单位：A、B、C） or （责任单位：A、B。列第一的…） : the units run to the bracket or a full stop;
    # （牵头单位：A；责任单位：B、C） holds two lists, the second opened by the semicolon.
    for m in re.finditer(rf"[（(；;]\s*({labels})\s*[:：]\s*([^）)。；;]+)", text):
        units: list[str] = []
        end = m.start(2)
        for part in re.finditer(r"[^、，,]+", m.group(2)):
            unit = re.sub(r"\s+", "", nfkc(part.group(0)))
            if not unit:
                continue
            if re.search(r"\d", unit):
                units.append(CUT_MARK)  # the list goes on past the break: said, not guessed
                break
            units.append(unit)
            end = m.start(2) + part.end()
        if units and units[0] != CUT_MARK:
            out.append((nfkc(m.group(1)), text[m.start(1) : end].strip(), units, m.start()))
    return out


def asks_lead_unit(query: Query, words: LeadWords | None = None) -> bool:
    """Whether the question asks for a lead unit (…的牵头单位是哪个): a word check, before any search."""
    w = words or lead_words()
    q = nfkc(query.text)
    return any(x in q for x in w.asks)


def lead_unit_answer(
    query: Query,
    hits: Sequence[SearchHit],
    chunks_of: Callable[[str], Sequence[Chunk]],
    cite: Callable[[SearchHit, int, str], Citation],
    words: LeadWords | None = None,
) -> Answer | None:
    """The lead units of the task the question names: labelled as leads, else first of a list the plan says leads.

    Those of a lead label in the task's closing bracket (``（牵头单位：A；责任单位：B）``); else the first unit of
    its list when the plan says the first listed leads.

    ``chunks_of(doc_id)`` gives every passage of a plan, where the sentence stating the rule is sought.
    """
    w = words or lead_words()
    q = nfkc(query.text)
    if not any(x in q for x in w.asks):
        return None
    asked = asked_words(query.indicator or query.text)
    for x in w.asks:
        asked = asked.replace(x, " ")
    qw = content_words(asked)
    if not qw:
        return None
    cell = _lead_cell(query, hits, qw, w, cite)
    if cell is not None:
        return cell
    best: tuple[float, SearchHit, list[tuple[str, str, list[str], int]], int] | None = None
    for rank, hit in enumerate(hits):
        if hit.kind != "text":
            continue
        found = _unit_lists(hit.text, w)
        if not found:
            continue
        # The lists closing the task: those of its last bracket (（牵头单位：A；责任单位：B）). The task is the
        # passage before that bracket (its heading included): it must cover the question.
        opened = max(hit.text.rfind(x, 0, found[-1][3] + 1) for x in "（(")
        closing = [x for x in found if x[3] >= opened] if opened >= 0 else found[-1:]
        at = closing[0][3]
        task = nfkc(f"{hit.section} {hit.text[:at]}")
        share = sum(word_weight(x, task) for x in qw) / len(qw) - 0.01 * rank
        if share >= MIN_SENTENCE_COVERAGE and (best is None or share > best[0]):
            best = (share, hit, closing, at)
    if best is None:
        return None
    _, hit, closing, at = best
    labelled = next((x for x in closing if x[0] in w.lead_labels), None)
    if labelled is not None:  # the plan names the leads itself
        label, _, units, _ = labelled
        first, last = closing[0], closing[-1]
        quote = hit.text[hit.text.find(first[1], first[3]) : hit.text.find(last[1], last[3]) + len(last[1])]
        others = "".join(MSG_OTHER_LIST.format(label=x[0], units=_listed(x[2])) for x in closing if x is not labelled)
        return Answer(
            question=query.text,
            answer=MSG_LEAD_LABELLED.format(title=hit.title, label=label, units=_listed(units), others=others),
            status="answered",
            citations=[cite(hit, 1, quote)],
            resolved_question=query.resolved,
        )
    label, quote, units, _ = closing[-1]
    rule = _rule_sentence(hit, chunks_of(hit.doc_id), w)
    if rule is None:
        return None
    rule_hit, rule_text = rule
    return Answer(
        question=query.text,
        answer=MSG_LEAD.format(title=hit.title, unit=units[0], label=label, units=_listed(units), rule=rule_text),
        status="answered",
        citations=[cite(hit, 1, quote), cite(rule_hit, 2, rule_text)],
        resolved_question=query.resolved,
    )


def _listed(units: Sequence[str]) -> str:
    """The units as the answer lists them (A、B等 when the list was cut)."""
    return "、".join(units).replace(f"、{CUT_MARK}", CUT_MARK)


def _lead_cell(
    query: Query,
    hits: Sequence[SearchHit],
    qw: Collection[str],
    words: LeadWords,
    cite: Callable[[SearchHit, int, str], Citation],
) -> Answer | None:
    """A table row's lead-unit cell (``…｜指标名称：白鹭指数｜牵头单位：市体育局 市教育局``) for the row asked about.

    A table_row passage labels each cell with its header; the row must cover the question's words, and
    the cell's units are listed as the table writes them.
    """
    labels = "|".join(re.escape(x) for x in words.list_labels)
    best: tuple[float, SearchHit, str, str, str] | None = None
    for rank, hit in enumerate(hits):
        if hit.kind != "table_row":
            continue
        m = re.search(rf"(?:^|｜)({labels})：([^｜]+)", hit.text)
        if m is None:
            continue
        fields = [f for f in hit.text.split("｜") if "：" in f and not f.startswith(m.group(1))]
        row = next((f.split("：", 1)[1] for f in fields), "")
        share = sum(word_weight(x, nfkc(hit.text)) for x in qw) / len(qw) - 0.01 * rank  # its header says 牵头
        if row and share >= MIN_SENTENCE_COVERAGE and (best is None or share > best[0]):
            best = (share, hit, m.group(1), m.group(2).strip(), row)
    if best is None:
        return None
    _, hit, label, units, row = best
    listed = "、".join(u for u in re.split(r"[\s、，,]+", units) if u)
    head = hit.text.split("｜", 1)[0]
    table = head if "：" not in head else hit.title  # the passage opens with its table's title, as cited
    return Answer(
        question=query.text,
        answer=MSG_LEAD_CELL.format(title=table, row=row, label=label, units=listed),
        status="answered",
        citations=[cite(hit, 1, hit.text)],
        resolved_question=query.resolved,
    )


def _rule_sentence(task: SearchHit, chunks: Sequence[Chunk], words: LeadWords) -> tuple[SearchHit, str] | None:
    """The passage (as a hit of ``task``'s plan) and clause stating that the first unit listed leads."""
    for chunk in sorted(chunks, key=lambda c: c.ord):
        if chunk.kind != "text" or not words.first_leads.search(nfkc(chunk.text)):
            continue
        for sentence in sentences(chunk.text):
            for clause in re.split(r"[（(]", sentence):
                if words.first_leads.search(nfkc(clause)):
                    fields = ("chunk_id", "section", "text", "page", "start", "end", "ocr", "ocr_confidence")
                    hit = task.model_copy(update={f: getattr(chunk, f) for f in fields})
                    return hit, clause.strip().rstrip("）)")
    return None

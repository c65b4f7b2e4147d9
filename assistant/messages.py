"""The answer layer's user-facing text (Chinese) and the labels of a target row, in one place."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.schema import Answer
from ingestion.schema import Target
from ingestion.text.numbers import parse_quantities

MSG_UNKNOWN_PLACE = "现有规划文件中没有关于{places}的内容，无法回答。下面是与问题最相近的段落，供参考。"
# A place above plans' regions (a district plan's city, a province a plan implements): assistant/outer_places.py.
MSG_OUTER_LABEL = "{region}的方案（{place}所辖）"
MSG_OUTER_BASIS_LABEL = "{named}《{title}》（实施{place}文件的方案）"
MSG_OUTER_NOTE = "以下为{labels}，数字只适用于该方案所属地区。"
MSG_OUTER_PLANS = "与{place}有关的方案：{plans}。"
MSG_OUTER_NO_OWN_SIDE = "现有规划文件中没有{place}本级的目标，以上不含{place}；与{place}有关的方案：{plans}。"
MSG_OUTER_INNER_SIDE = (
    "现有规划文件中没有{place}本级的目标；{place}一侧列出的是{plans}的数字，只适用于该方案所属地区，不代表{place}。"
)
MSG_OUTER_NO_OWN_TARGET = (
    "现有规划文件中没有{place}本级的目标，不能用其下属地区或相关方案的数字代替。与{place}有关的方案：{plans}；"
    "如需其中方案的目标，请在问题中写明地区或方案名。下面是与问题最相近的段落，供参考。"
)
# A message of several questions answered one by one: each answer under its own question.
MSG_EACH_QUESTION = "问：{question}\n{answer}"
MSG_EACH_QUESTION_NONE = "现有规划文件中没有找到能回答这一问的内容。"
MSG_NO_TARGET = "现有规划文件中没有找到与“{what}”相符的量化指标。下面是与问题最相近的段落，供参考。"
MSG_NO_TARGET_FOR_YEAR = "现有规划文件对“{what}”没有{years}的目标值（规划中有：{available}）。下面是最相近的段落。"
MSG_PLAN_NO_YEAR = "《{title}》没有“{what}”{years}的目标，它给出的年份是：{available}。下面是最相近的段落。"
MSG_UNKNOWN_PLAN = "现有规划文件中没有“{name}”，无法按该文件回答。现有的规划文件是：{titles}。"
MSG_NATIONAL_NONE = "国家规划（全国）没有这项指标的目标值。"
MSG_NATIONAL_STATED = "国家规划（全国）没有这项指标的目标值，《{title}》的相关表述是：“{quote}”[{n}]"
MSG_LOCAL_NONE = "{where}的规划没有这项指标的目标值。"
# Several local rows read from one sentence (…签约率分别达45%、75%以上): the sentence quoted under them.
MSG_LOCAL_SHARED_QUOTE = "{where}原文：“{quote}”[{n}]"
MSG_NATIONAL_SIDE = "国家（全国）"
# The national row counts the same staff on another base (每千常住人口 against 每万服务人口 of one kind of institution).
MSG_NATIONAL_OTHER_BASE = "注意：国家规划的指标是“{national}”，本地的是“{local}”，统计口径（基数）不同，不宜直接比较。"
MSG_SIDE_STATED = "{where}：《{title}》的表述是：“{quote}”[{n}]"
MSG_SIDES_QUOTED_NOTE = "以上为两侧原文，请对照阅读。"
MSG_SIDES_STATED_NOTE = "两侧都没有这方面的量化指标，以上为各自原文，请对照阅读。"
MSG_NO_TARGET_FOR_REGION = "现有规划文件对“{what}”没有{regions}的目标值。下面是最相近的段落。"
MSG_NO_PASSAGE = "现有规划文件中没有找到能回答这个问题的内容。下面是与问题最相近的段落，供参考。"
MSG_EMPTY = "请输入问题。"
MSG_OCR_CHECK = "（扫描件识别，请核对原文）"
MSG_EXPLAIN_LEAD = "规划中的相关内容："
MSG_FALLBACK_LEAD = "{where}（《{title}》）原文："
MSG_FALLBACK_LEAD_UNNAMED = "《{title}》原文："
YEAR_LABELS = {"": "（不限年份）", "每年": "每年"}
MSG_BASELINE = "（基期值，非目标）"
MSG_WORDED_CLAUSE = "（原文：{clause}）"

MSG_MISSING_REGIONS = "在该表中，以下地区没有“{what}”的安排：{names}。"


def year_label(year: str) -> str:
    """A year as answers print it (2025年, 2021—2025年, 每年)."""
    if year in YEAR_LABELS:
        return YEAR_LABELS[year]
    if re.fullmatch(r"20\d{2}", year):
        return f"{year}年"
    if re.fullmatch(r"20\d{2}-20\d{2}", year):
        return f"{year.replace('-', '—')}年"
    return year


def value_label(row: Target) -> str:
    """A row's value as the plan writes it, with its unit."""
    text = row.value_text.strip()
    if not text:
        number = f"{row.value:g}" + (f"—{row.value_max:g}" if row.value_max is not None else "")
        return number + row.unit
    if row.unit and not any(q.unit for q in parse_quantities(text)):
        return text + row.unit
    return text


_DIGIT = re.compile(r"\d")
_CLAUSE_MARKS = re.compile(r"[，,；;。：:！？!?]")
# The longest clause quoted beside a row (a longer one would bury the value it explains).
MAX_CLAUSE = 60


def worded_clause(row: Target, shared_values: Sequence[str] = ()) -> str:
    """The clause of a row's sentence stating its value in words (一所, 一家), or "" for a value in digits.

    A value in words (原则上设置一所村卫生室) reads as a bare word once cut from its sentence (**一所**): the answer
    quotes the clause beside it, so the reader sees the requirement as the plan writes it. So does a value in
    digits whose clause gives several subjects their values in turn (one of ``shared_values``: 卫生院、卫生室分别能提供
    15项、8项以上): the row's label was rebuilt from shared parts. A clause longer than ``MAX_CLAUSE`` is not quoted.
    """
    clause = value_clause(row)
    if not _DIGIT.search(row.value_text):
        return clause
    if len(clause) <= MAX_CLAUSE and any(w in clause for w in shared_values):
        return clause
    return ""


def value_clause(row: Target) -> str:
    """The clause of a row's sentence holding its value as written (…至少建成运行 1个…实训基地), or ""."""
    text = re.sub(r"\s+", "", row.value_text)
    if not text or not row.quote:
        return ""
    return next((c.strip() for c in _CLAUSE_MARKS.split(row.quote) if text in re.sub(r"\s+", "", c)), "")


# A document named for the rest of the text inside a label (和《某区某方案》（以下简称《方案》）): no indicator wording.
_NAMED_DOCUMENT = re.compile(r"[和与及]?《[^《》]+》\s*[（(]以下简称[^（）()]*[）)]")


def indicator_label(row: Target) -> str:
    """A row's indicator with its scope in front (the scope's own words once).

    A document the sentence names for the rest of its text (“12分钟健康圈”和《某方案》（以下简称《方案》）要求) is
    dropped from the label: it names where the requirement comes from, not what is measured.
    """
    name = _NAMED_DOCUMENT.sub("", row.indicator) or row.indicator
    if not row.scope or row.scope in row.indicator:
        return name  # a scope read from the document's name is not put back either
    # A scope listing several subjects (家庭医生、重点人群) whose every part the indicator already names is
    # not repeated; a scope written in brackets inside the indicator (乡镇卫生院（社区卫生服务中心）) neither.
    parts = [p for p in re.split(r"[、，,（）()]", row.scope) if p]
    if parts and all(p in name for p in parts):
        return name
    return f"{row.scope}{name}"


def add_lines(answer: Answer, lines: Sequence[str], trim: str | None = None) -> Answer:
    """``answer`` with ``lines`` under its text (trailing ``trim`` characters, default whitespace, dropped first)."""
    answer.answer = answer.answer.rstrip(trim) + "\n" + "\n".join(lines)
    return answer

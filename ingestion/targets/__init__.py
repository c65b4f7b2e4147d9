"""Extract every quantified target a plan states into typed rows (:class:`ingestion.schema.Target`).

Two sources:

- **Narrative sentences.** Every quantity found by :func:`ingestion.text.numbers.parse_quantities` in the prose
  (outside tables) is a candidate. It is kept when it is a goal or a norm:

  * it has a unit that measures something (%, ‰, 个百分点, 名, 人, 人次, 个, 家, 所, 项, 处, 张, 床, 平米,
    元/万元, 个工作日, 个月 ...) or a bound; ages (``65岁以上``) are qualifiers, never targets; durations
    in years count only with a bound (``服务期不低于2年``), never ``满5年``; ``每5年`` and ``每万人口`` are
    frequencies and denominators; a bare number is never a narrative target;
  * it is not a status count: a count that merely introduces a noun with no goal verb and no time scope
    (``鼓励支持全市29个农村区域性医疗卫生中心进一步拓展…``) is skipped;
  * quantities inside book-title marks ``《》`` or in citation brackets (document numbers, ``2022版``) are
    skipped (the number parser already drops years, dates, document numbers and ordinals).

  The time scope is set by ``到2025年（底）`` / ``2025年底前`` / ``2023—2025年`` / ``2025年上半年`` and holds
  until the paragraph ends or another scope is set; ``每年``/``全年`` (year "每年") and ``“十四五”期间``
  (year "十四五") hold until the end of their sentence or clause (``。；``). Undated norms get year "".
  The indicator is the plan's own wording: the text of the clause before the quantity (or, for
  ``50%的县中医院转设三级中医院`` and ``培养…40名``-style counts, the noun phrase after it), with leading
  time words, region words (全市…), fillers (力争, 确保, 其中) and trailing verbs (达到, 达, 为 ...) removed.
  Enumerations (``A、B…分别85%、40%以上``) are distributed over their subjects; when the subjects are
  kinds of institution they become the scope. A bound written a few characters before the number
  (``至少建成1个``, ``不得低于编制总额的90%``) is applied.
- **Tables.** Every filled cell of a table whose totals check did not fail, in a column that is a target:
  a column with a year (or 小计/合计 of a year group), a column whose header names a goal (计划, 新增, 新建,
  建成, 培养, 培训, 招录, 累计, 目标 ...), or any column of a table without year columns (inline target
  tables whose row says ``2025年目标值``). Status columns (``现有…数``, ``常住人口数``) are not targets. The
  region of a cell is its row label (the 合计 row: the plan's region); the year comes from the column
  header, else from the row label, else from the period in the table title. Tables that fail their totals
  check are not emitted (their warnings stay on the table and are logged).

Every row's ``quote`` is ``doc.text[start:end]`` and contains ``value_text``.
"""

from __future__ import annotations

from ingestion.schema import ParsedDocument, Target
from ingestion.sections import find_sections
from ingestion.targets.cells import table_targets
from ingestion.targets.narrative import narrative_targets


def extract_targets(doc: ParsedDocument) -> list[Target]:
    """Every quantified target of a parsed document: narrative sentences and table cells (module docstring)."""
    sections = doc.sections or find_sections(doc.text)
    skip = [(t.start, t.end) for t in doc.tables if t.start >= 0]
    out = narrative_targets(doc, skip, sections)
    for table in doc.tables:
        out.extend(table_targets(doc, table, sections))
    out.sort(key=lambda t: (t.start, t.kind))
    seen: set[str] = set()
    uniq: list[Target] = []
    for t in out:
        key = t.target_id
        if key in seen:
            continue
        seen.add(key)
        uniq.append(t)
    return uniq

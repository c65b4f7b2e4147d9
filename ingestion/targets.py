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

import functools
import hashlib
import logging
import re
from dataclasses import dataclass

from ingestion.cleaning import is_heading
from ingestion.schema import ParsedDocument, Section, Table, Target
from ingestion.text.numbers import Quantity, normalize_unit, parse_quantities
from ingestion.text.rules import alternation, rules

logger = logging.getLogger(__name__)

# Time scopes. Example: "到2025年底，" "2025年底前" "2023—2025年" "2025年上半年" "每年" "“十四五”期间".
_Y = r"((?:19|20)\d{2})"
_SCOPE_RE = re.compile(
    rf"(?P<range>{_Y}\s*[—–\-~至]\s*{_Y}\s*年)"
    rf"|(?P<half>{_Y}\s*年\s*[上下]半年)"
    rf"|(?P<year>(?:到|至|截至|截止到?)?\s*{_Y}\s*年(?:底|末|年底)?(?:前|以前)?)(?![\d月度版])"
    r"|(?P<each>每年|全年|每年度)"
    r"|(?P<fyp>[“\"]?十[一二三四五六七八九]五[”\"]?(?:期间|时期|末)?)"
)
_SENT_SPLIT = re.compile(r"[。！？]")
_CLAUSE_BREAK = re.compile(r"[，,；;：:。！？]")
def _lead_strip_re(whole_area: str) -> re.Pattern[str]:
    # Leading words that are not the indicator: a separator, 到/至 before a year, years, halves,
    # 每年, 十四五期间, 力争/确保…, the whole-area words (全市…, from the rules) and 累计达到….
    return re.compile(
        r"^(?:[，、；：\s]|到(?=\d)|至(?=\d)|截至|按照|按|原则上|积极推进|积极|(?:19|20)\d{2}\s*[—–\-]?\s*(?:(?:19|20)\d{2})?\s*年(?:底|末)?(?:前)?"
        rf"|[上下]半年|每年|全年|“?十[一二三四五六七八九]五”?期间|力争|确保|努力|其中|{whole_area}|"
        r"累计达到|在此基础上|同时|均|，)+"
    )


_TRAIL_STRIP = re.compile(
    r"(?:分别|均|需|要|应|能)?(?:达到|达|为|提高到|提高至|提升到|提升至|增加到|增至|下降到|降低到|降至|控制在|保持在|"
    r"不低于|不少于|不高于|不超过|低于|高于|超过|大于|小于|少于|多于|至少|最少|最多|最高|不得低于|不得少于|"
    r"不得超过|至少有|在|是|约|近|超|分别|均|力争|确保)+$"
)
_FILLER_END = re.compile(r"(?:的|中|之)$")
_GOAL_WORDS = re.compile(
    r"达到|达|建成|建设|新增|新建|培养|培训|招录|招聘|引进|配备|拥有|设置|设立|提高|提升|增加|下降|降低|"
    r"完成|实现|覆盖|开设|打造|转设|派驻|获批|保持|控制|给予|发放|提供|开展|核定|不少于|不低于|至少|超过"
)
_TABLE_GOAL = re.compile(
    r"计划|目标|任务|新增|新建|改扩建|扩建|改造|建成|达到|达|培养|培训|招录|累计|完成|配备|编制|建设"
)
_TABLE_STATUS = re.compile(r"^(?:现有|现状|常住|户籍|人口|基数|面积现状)")
_YEAR_IN = re.compile(r"((?:19|20)\d{2})\s*年")
_PERIOD_IN = re.compile(r"((?:19|20)\d{2})\s*[—–\-~至]\s*((?:19|20)\d{2})")
_UNIT_IN_HEADER = re.compile(r"[（(]([^（）()]{1,6})[）)]")
_CELL_HEAD = re.compile(r"^\s*[-+]?\d+(?:\.\d+)?(?:\s*[%‰])?(?:\s*[-—–~至]\s*\d+(?:\.\d+)?(?:\s*[%‰])?)?")


# --- helpers -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Words:
    """The word lists extraction uses (ingestion/text/rules), with the patterns built from them."""

    measure_units: frozenset[str]
    count_units: frozenset[str]
    institutions: re.Pattern[str]
    lead_strip: re.Pattern[str]
    bound_words: tuple[tuple[str, str], ...]


@functools.cache
def _words() -> _Words:
    r = rules()
    return _Words(
        measure_units=frozenset(r.measure_units),
        count_units=frozenset(r.count_units),
        institutions=re.compile(alternation(sorted(r.institutions, key=len, reverse=True))),
        lead_strip=_lead_strip_re(alternation(r.whole_area)),
        bound_words=r.bound_words,
    )


def _target_id(doc_id: str, kind: str, start: int, where: object, indicator: str, value: float) -> str:
    """Deterministic id from the document, the row's offset, the quantity's place, indicator and value."""
    h = hashlib.sha1(f"{doc_id}|{kind}|{start}|{where}|{indicator}|{value}".encode()).hexdigest()[:12]
    return f"{doc_id}:{h}"


def _sections_of(doc: ParsedDocument) -> list[Section]:
    """The document's sections, or a light heading scan when the pipeline gave none."""
    if doc.sections:
        return doc.sections
    secs: list[Section] = []
    families: list[str] = []
    pos = 0
    stack: list[tuple[int, str]] = []
    for line in doc.text.split("\n"):
        if line.strip() and "\t" not in line and is_heading(line):
            fam = _heading_family(line)
            if fam not in families:
                families.append(fam)
            level = families.index(fam) + 1
            heading = line.strip().split("。")[0][:40]
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, heading))
            secs.append(Section(heading=heading, level=level, path=[h for _, h in stack], start=pos, end=len(doc.text)))
        pos += len(line) + 1
    for k, s in enumerate(secs):
        for nxt in secs[k + 1 :]:
            if nxt.level <= s.level:
                s.end = nxt.start
                break
    return secs


def _heading_family(line: str) -> str:
    s = line.strip()
    if s.startswith("附"):
        return "annex"
    if s.startswith("第"):
        return "chapter"
    if s[:1] in "（(":
        return "paren-cn" if re.match(r"[（(]\s*[一二三四五六七八九十]", s) else "paren-num"
    if re.match(r"[一二三四五六七八九十]", s):
        return "cn"
    return "num"


def _section_at(sections: list[Section], offset: int) -> str:
    best: Section | None = None
    for s in sections:
        if s.start <= offset < s.end and (best is None or s.start >= best.start):
            best = s
    return " > ".join(best.path) if best else ""


def _scope_of(text: str) -> str:
    found: list[str] = []
    for m in _words().institutions.finditer(text):
        if m.group(0) not in found:
            found.append(m.group(0))
    return "、".join(found)


# --- narrative -----------------------------------------------------------------------------------------


def _scope_events(para: str) -> list[tuple[int, int, str, str]]:
    """(start, end, year, reach) for each time-scope expression of a paragraph.

    reach is "para" for a scope that opens a clause and is followed by a comma (``到2025年底，``), "sent" for
    one embedded in a clause (``2025年底前DRG…``) and for ``“十四五”期间``, "clause" for ``每年``/``全年``.
    """
    events = []
    for m in _SCOPE_RE.finditer(para):
        opens = m.start() == 0 or bool(re.search(r"[，,；;。：:]\s*(?:力争|确保|在)?$", para[: m.start()]))
        followed = para[m.end() : m.end() + 1] in {"，", ","}
        reach = "para" if opens and followed else "sent"
        if m.group("range"):
            ys = re.findall(r"(?:19|20)\d{2}", m.group("range"))
            events.append((m.start(), m.end(), f"{ys[0]}-{ys[1]}", reach))
        elif m.group("half"):
            y = re.findall(r"(?:19|20)\d{2}", m.group("half"))[0]
            half = "上半年" if "上" in m.group("half") else "下半年"
            events.append((m.start(), m.end(), f"{y}{half}", reach))
        elif m.group("year"):
            # A year inside a bracket is part of a citation or a document number, not a scope.
            before = para[max(0, m.start() - 1) : m.start()]
            if before and before in "〔[（(":
                continue
            y = re.findall(r"(?:19|20)\d{2}", m.group("year"))[0]
            events.append((m.start(), m.end(), y, reach))
        elif m.group("each"):
            events.append((m.start(), m.end(), "每年", "clause"))
        elif m.group("fyp"):
            events.append((m.start(), m.end(), "十四五", "sent"))
    return events


def _year_at(para: str, events: list[tuple[int, int, str, str]], pos: int) -> str:
    """Year in force at ``pos``: the latest scope before it whose reach covers it, else the paragraph's."""
    sticky = ""
    cur = ""
    for s, e, y, reach in events:
        if s >= pos:
            break
        if reach == "para":
            sticky = cur = y
            continue
        stop = r"[。；;！？]" if reach == "sent" else r"[，,。；;！？]"
        m = re.compile(stop).search(para, e)
        end = m.start() if m else len(para)
        cur = y if pos < end else sticky
    return cur


def _in_brackets(para: str, pos: int) -> bool:
    """Whether pos lies inside 《》 or inside a bracket that holds a citation (〔〕, 版, 号)."""
    depth = 0
    for ch in para[:pos]:
        if ch == "《":
            depth += 1
        elif ch == "》":
            depth = max(0, depth - 1)
    return depth > 0


def _clean_indicator(s: str) -> str:
    s = s.strip()
    prev = None
    while prev != s:
        prev = s
        s = _words().lead_strip.sub("", s)
        s = _TRAIL_STRIP.sub("", s)
        s = _FILLER_END.sub("", s) if len(s) > 2 else s
        s = s.strip("，、；：,;: ")
    return s


def _split_enumeration(prefix: str, k: int) -> tuple[str, list[str], str] | None:
    """Split 'head A、B和C tail' into (head, [A, B, C], tail) for k items, or None when unclear.

    For two items the separator is the last one whose left item's last character recurs in the right
    part (基本标准、推荐标准机构比例 -> 推荐标准 + tail 机构比例); failing that, the last separator.
    """
    seps = list(re.finditer(r"、|和|及|与", prefix))
    if len(seps) < k - 1 or k < 2:
        return None
    chosen = seps[-(k - 1) :]
    if k == 2:
        for sep in reversed(seps):
            left, right = prefix[: sep.start()], prefix[sep.end() :]
            if left and right and right.find(left[-1]) >= 0:
                chosen = [sep]
                break
    left = prefix[: chosen[0].start()]
    mids = [prefix[chosen[i].end() : chosen[i + 1].start()] for i in range(len(chosen) - 1)]
    right = prefix[chosen[-1].end() :]
    if not left or not right:
        return None
    cut = right.find(left[-1])
    if cut >= 0:
        last_item, tail = right[: cut + 1], right[cut + 1 :]
    else:
        inst = _words().institutions.match(right)
        last_item, tail = (inst.group(0), right[inst.end() :]) if inst else (right, "")
    size = max([len(last_item), *[len(m) for m in mids]])
    inst_left = None
    for m in _words().institutions.finditer(left):
        if m.end() == len(left):
            inst_left = m
    stripped = _words().lead_strip.sub("", re.split(r"[，,；;：:]", left)[-1])
    if inst_left is not None:
        head, first = left[: inst_left.start()], inst_left.group(0)
    elif len(stripped) <= size + 3:
        head, first = left[: len(left) - len(stripped)], stripped
    else:
        first = left[-size:]
        head = left[: len(left) - size]
    return head, [first, *mids, last_item], tail


def _narrative(doc: ParsedDocument, skip: list[tuple[int, int]], sections: list[Section]) -> list[Target]:
    text = doc.text
    out: list[Target] = []
    pos = 0
    for para in text.split("\n"):
        p_start = pos
        pos += len(para) + 1
        if not para.strip() or "\t" in para:
            continue
        if any(a <= p_start < b for a, b in skip):
            continue
        out.extend(_narrative_paragraph(doc, para, p_start, sections))
    return out


def _bound_before(para: str, q: Quantity, clause_start: int, prev_end: int) -> str | None:
    window = para[max(clause_start, prev_end, q.start - 12) : q.start]
    for word, comp in _words().bound_words:
        if word in window and comp:
            # 低于 inside 不得低于 / 不低于 is handled by order of the list.
            return comp
    return None


def _is_measure(q: Quantity) -> bool:
    unit = q.unit.split("/")[0]
    if unit in {"岁", "万人口", "万人"}:
        return False
    if unit == "年":
        return q.comparator != "="
    return unit in _words().measure_units or unit.endswith("元")


def _keep_quantity(para: str, q: Quantity) -> bool:
    if not _is_measure(q) or _in_brackets(para, q.start):
        return False
    if para[max(0, q.start - 1) : q.start] == "每":
        return False  # 每5年, 每2年: frequencies
    if not q.text[:1].isdigit() and q.comparator == "=":
        # A Chinese numeral counts only right after a goal verb (设置一所, 建成一家): 一个行政村 is "a".
        window = para[max(0, q.start - 3) : q.start]
        return bool(re.search(f"(?:{_GOAL_WORDS.pattern})$", window))
    return True


def _narrative_paragraph(doc: ParsedDocument, para: str, p_start: int, sections: list[Section]) -> list[Target]:
    events = _scope_events(para)
    qs = [q for q in parse_quantities(para) if _keep_quantity(para, q)]
    # Group quantities into lists joined only by separators (85%、40%以上).
    groups: list[list[Quantity]] = []
    for q in qs:
        if groups and re.fullmatch(r"\s?(?:、|和|及|与)\s?", para[groups[-1][-1].end : q.start] or "x"):
            groups[-1].append(q)
        else:
            groups.append([q])
    out: list[Target] = []
    prev_end = 0
    consumed = ""
    prev_scope = ""
    prev_clause = -1
    list_head = ""  # 指标达到A＞x、B＞y: the subject before the goal verb, shared by B
    for gi, grp in enumerate(groups):
        q0, last = grp[0], grp[-1]
        clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(para, 0, q0.start)), default=0)
        m_clause_end = _CLAUSE_BREAK.search(para, last.end)
        clause_end = m_clause_end.start() if m_clause_end else len(para)
        nxt_q = groups[gi + 1][0].start if gi + 1 < len(groups) else len(para)
        # A count inside the subject of a later quantity (拥有1个…的乡镇卫生院达80%) is a qualifier.
        if nxt_q < clause_end and "的" in para[last.end : nxt_q]:
            continue
        seg_start = max(clause_start, prev_end)
        prefix = para[seg_start : q0.start]
        if consumed and prefix.startswith(consumed) and prefix[len(consumed) : len(consumed) + 1] in {"、", "，"}:
            prefix = prefix[len(consumed) + 1 :]
        after_end = min(clause_end, nxt_q)
        suffix = re.split(r"[、]", para[last.end : after_end])[0]
        suffix = re.sub(r"^(?:及以上|以上|以下|左右|以内|内)", "", suffix)
        year = _year_at(para, events, q0.start)
        sent_start = max((m.end() for m in _SENT_SPLIT.finditer(para, 0, q0.start)), default=0)
        m_end = _SENT_SPLIT.search(para, last.end)
        sent_end = m_end.end() if m_end else len(para.rstrip())
        raw_quote = para[sent_start:sent_end]
        quote = raw_quote.strip()
        q_start = p_start + sent_start + (len(raw_quote) - len(raw_quote.lstrip()))
        # Status quo: 现有37个… / 目前已有… is a count of what exists, not a goal.
        if re.search(r"(?:现有|目前|已有|现共有|已经)$", prefix.strip()):
            prev_end = last.end
            continue
        # Status counts: a count introducing a noun, no goal verb and no time scope.
        has_goal = bool(_GOAL_WORDS.search(prefix)) or bool(_GOAL_WORDS.search(suffix[:8]))
        is_rate = last.unit in {"%", "‰", "个百分点"} or re.search(r"率|比例|占比|数$", _clean_indicator(prefix))
        if q0.comparator == "=" and not has_goal and not year and not is_rate:
            prev_end = last.end
            continue
        fenbie = "分别" in prefix[-8:]
        base_prefix = prefix.rsplit("分别", 1)[0] if fenbie else prefix
        after_fenbie = prefix.rsplit("分别", 1)[1] if fenbie else ""
        items: list[tuple[str, str]] = []  # (indicator, scope)
        used_suffix = False
        if len(grp) > 1:
            split = _split_enumeration(base_prefix, len(grp))
            if split is not None:
                head, subj, tail = split
                all_inst = all(_words().institutions.fullmatch(x.strip()) for x in subj)
                for x in subj:
                    if all_inst and not _clean_indicator(tail):
                        ind = _clean_indicator(head + after_fenbie + suffix)
                        used_suffix = True
                        items.append((ind or _clean_indicator(x), x))
                    else:
                        ind = _clean_indicator(head + x + tail)
                        items.append((ind, _scope_of(head + x + tail)))
        continues_list = bool(out) and seg_start == prev_end and prefix.startswith("、")
        if not continues_list:
            goal = max(_GOAL_WORDS.finditer(base_prefix), key=lambda m: m.start(), default=None)
            # Only when the first item is named after the verb (指标达到报告患病率＞4.60‰).
            named_after = goal is not None and _clean_indicator(base_prefix[goal.end() :])
            list_head = _clean_indicator(base_prefix[: goal.start()]) if goal is not None and named_after else ""
        if not items:
            ind, used_suffix = _indicator_for(base_prefix, suffix, last)
            own_verb = bool(_TRAIL_STRIP.search(prefix.strip()))  # 、规范服药率达到90%: named in full
            if continues_list and list_head and ind and not own_verb and not ind.startswith(list_head):
                ind = list_head + ind
            scope = _scope_of(base_prefix) or _scope_of(suffix)
            if not scope and (seg_start > clause_start or prev_clause == clause_start):
                scope = prev_scope
            items = [(ind, scope)] * len(grp)
        for q, (ind, scope) in zip(grp, items, strict=False):
            comp = q.comparator
            if comp == "=":
                comp = _bound_before(para, q, clause_start, prev_end) or comp
            if not ind:
                # A bare bound continuing the clause before (11-15名，最高不超18名) shares its indicator.
                ind, scope = (out[-1].indicator, out[-1].scope) if out else ("", scope)
            if not ind:
                continue
            t = Target(
                doc_id=doc.doc_id,
                title=doc.meta.title,
                source=doc.source,
                region=doc.meta.region,
                scope=scope,
                indicator=ind,
                value=q.value,
                value_max=q.value_max,
                unit=q.unit,
                value_text=q.text,
                comparator=comp,  # type: ignore[arg-type]
                year=year,
                kind="narrative",
                quote=quote,
                start=q_start,
                end=q_start + len(quote),
                section=_section_at(sections, p_start + q.start),
                page=doc.page_at(p_start + q.start),
            )
            t.target_id = _target_id(doc.doc_id, "n", t.start, p_start + q.start, ind, q.value)
            out.append(t)
        prev_scope = items[-1][1] if items else prev_scope
        prev_clause = clause_start
        prev_end = last.end
        consumed = ""
        if used_suffix:
            prev_end = last.end + para[last.end :].find(suffix) + len(suffix) if suffix else last.end
            consumed = ""
    return out


_INDICATOR_WORD = re.compile(r"率|比例|占比|比重|数|面积|床位|水平|人次|指标|总量|规模|经费|补助|补贴|奖励")


def _indicator_for(prefix: str, suffix: str, q: Quantity) -> tuple[str, bool]:
    """The indicator of a single quantity, and whether the noun phrase after it was used.

    The clause before the quantity names it (``全市每万人口全科医生数达``); a count is completed by the noun
    after it (``培养基层中医骨干40名``); ``50%的县中医院转设三级中医院`` is named by what follows 的.
    """
    pre = _clean_indicator(prefix)
    suf = suffix.strip()
    if suf.startswith("的") and not _INDICATOR_WORD.search(pre):
        return (_clean_indicator(suf[1:]) or pre), True
    counted = q.unit in _words().count_units or q.unit.split("/")[0].endswith("元") or pre.endswith("人口")
    if suf and counted and not suf.startswith("的"):
        noun = _clean_indicator(suf)
        if noun:
            return pre + noun, True
    if not pre and suf:
        return _clean_indicator(suf.lstrip("的")), True
    return pre, False


# --- tables --------------------------------------------------------------------------------------------


def _header_unit(header: str) -> str:
    units = [u for u in _UNIT_IN_HEADER.findall(header) if len(u) <= 3]
    if units:
        u = units[-1].replace("㎡", "平米")
        return normalize_unit(u)
    if re.search(r"[%％]\s*$", header) or re.search(r"[%％]", header):
        return "%"
    if "‰" in header:
        return "‰"
    return ""


def _column_year(col: str, table: Table, label: str) -> tuple[str, bool]:
    """Year of a cell from its column header, row label or table title; and whether it is a goal column."""
    parts = col.split("/")
    ys = _YEAR_IN.findall(parts[-1]) if parts else []
    if ys:
        return ys[0], True
    if parts[-1] in {"小计", "合计", "总计"}:
        group = "/".join(parts[:-1])
        years = sorted(
            {y for c in table.columns if c.startswith(group + "/") for y in _YEAR_IN.findall(c.split("/")[-1])}
        )
        if years:
            return f"{years[0]}-{years[-1]}", True
    period = _PERIOD_IN.search(table.title)
    ly = _YEAR_IN.findall(label)
    if ly:
        return ly[0], True
    return (f"{period.group(1)}-{period.group(2)}" if period else ""), False


def _table_targets(doc: ParsedDocument, table: Table, sections: list[Section]) -> list[Target]:
    if table.totals_ok is False:
        logger.warning("table %r failed its totals check; its cells are not emitted as targets", table.title)
        return []
    any_year_col = any(_YEAR_IN.search(c.split("/")[-1]) for c in table.columns)
    out: list[Target] = []
    for row in table.rows:
        region = doc.meta.region if row.is_total else row.label
        if not row.is_total and _YEAR_IN.search(row.label):
            region = doc.meta.region
        for col, cell in zip(table.columns, row.cells, strict=False):
            if cell is None or not cell.strip() or cell.strip() in {"-", "—", "/", "－"}:
                continue
            year, dated = _column_year(col, table, row.label)
            head = col.split("/")[0]
            is_goal = dated or bool(_TABLE_GOAL.search(col)) or not any_year_col
            if not is_goal or _TABLE_STATUS.match(head):
                continue
            indicator = "/".join(p for p in col.split("/") if not _YEAR_IN.fullmatch(p) and p not in {"小计", "合计"})
            unit = _header_unit(col)
            for q in _cell_quantities(cell, unit):
                start, end = _locate(doc.text, row, q.text)
                if start < 0:
                    continue
                t = Target(
                    doc_id=doc.doc_id,
                    title=doc.meta.title,
                    source=doc.source,
                    region=region,
                    scope=_scope_of(col) or _scope_of(table.title),
                    indicator=indicator,
                    value=q.value,
                    value_max=q.value_max,
                    unit=q.unit or unit,
                    value_text=q.text,
                    comparator=q.comparator,  # type: ignore[arg-type]
                    year=year,
                    kind="table",
                    quote=doc.text[start:end],
                    start=start,
                    end=end,
                    section=_section_at(sections, start) or " > ".join(table.section_path),
                    table_title=table.title,
                    row_label=row.label,
                    column_header=col,
                    page=doc.page_at(start),
                )
                t.target_id = _target_id(doc.doc_id, "t", start, f"{col}|{q.text}", indicator, q.value)
                out.append(t)
    return out


def _cell_quantities(cell: str, unit: str) -> list[Quantity]:
    """Quantities of a table cell: a leading number or range, then any bounded extra (``最高不超18``)."""
    out: list[Quantity] = []
    m = _CELL_HEAD.match(cell)
    if m and m.group(0).strip():
        head = m.group(0).strip()
        qs = parse_quantities(head) or []
        for q in qs:
            out.append(Quantity(q.value, q.value_max, q.unit or unit, q.comparator, q.text, q.start, q.end))
        rest = cell[m.end() :]
        for q in parse_quantities(rest):
            out.append(Quantity(q.value, q.value_max, q.unit or unit, q.comparator, q.text, q.start, q.end))
    return out


def _locate(text: str, row: object, value_text: str) -> tuple[int, int]:
    """Offsets of a table row in the text (the row's own offsets when they hold, else a search)."""
    start = getattr(row, "start", -1)
    end = getattr(row, "end", -1)
    quote = getattr(row, "quote", "")
    if 0 <= start < end <= len(text) and text[start:end] == quote:
        return (start, end) if value_text in quote else (-1, -1)
    if quote:
        k = text.find(quote)
        if k >= 0 and value_text in quote:
            return k, k + len(quote)
    return -1, -1


# --- entry point ---------------------------------------------------------------------------------------


def extract_targets(doc: ParsedDocument) -> list[Target]:
    """Every quantified target of a parsed document: narrative sentences and table cells (module docstring)."""
    sections = _sections_of(doc)
    skip = [(t.start, t.end) for t in doc.tables if t.start >= 0]
    out = _narrative(doc, skip, sections)
    for table in doc.tables:
        out.extend(_table_targets(doc, table, sections))
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

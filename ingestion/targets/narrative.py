"""Targets stated in sentences: every measured quantity of the prose that is a goal or a norm.

The time scope set once applies to what follows (``到2025年底，A达…；B达…``); the indicator is the
plan's own wording before (or, for counts, after) the quantity, cleaned of time, place and goal
words; enumerations (``A、B…分别85%、40%以上``) are distributed over their subjects.
"""

from __future__ import annotations

import re

from ingestion.schema import ParsedDocument, Section, Target
from ingestion.targets.common import is_past, issue_year, scope_of, section_path_at, target_id, words
from ingestion.targets.subjects import with_subject
from ingestion.text.numbers import Quantity, parse_quantities
from ingestion.text.rules import rules

# Time scopes. Example: "到2025年底，" "2025年底前" "2023—2025年" "2025年上半年" "每年" "“十四五”期间".
_Y = r"((?:19|20)\d{2})"
_SCOPE_RE = re.compile(
    rf"(?P<multi>(?:到|至)?\s*{_Y}\s*年(?:底|末)?\s*(?:和|、|及|与)\s*(?:到)?\s*{_Y}\s*年(?:底|末)?(?:前)?)"
    rf"|(?P<range>{_Y}\s*[—–\-~至]\s*{_Y}\s*年)"
    rf"|(?P<half>{_Y}\s*年\s*[上下]半年)"
    rf"|(?P<year>(?:到|至|截至|截止到?)?\s*{_Y}\s*年(?:底|末|年底)?(?:前|以前)?)(?![\d月度版])"
    r"|(?P<each>每年|全年|每年度)"
    r"|(?P<fyp>[“\"]?十[一二三四五六七八九]五[”\"]?(?:期间|时期|末)?)"
)
_SENT_SPLIT = re.compile(r"[。！？]")
# The 的 between a year and the value it dates (2020年的40%, 2016年的 22.5颗).
_VALUE_YEAR_RE = re.compile(r"\s*的\s*(?=\d)")
# A value a change starts from (从2016年的34.5%下降到32%): a base value, never a target.
_FROM_YEAR_RE = re.compile(r"(?:从|由)\s*(?:19|20)\d{2}\s*年\s*的\s*$")
_CLAUSE_BREAK = re.compile(r"[，,；;：:。！？]")
_TRAIL_STRIP = re.compile(
    r"(?:分别|均|需|要|应|能)?(?:达到|达|为|提高到|提高至|提升到|提升至|增加到|增至|下降到|下降至|上升到|上升至|降低到|降至|控制在|保持在|"
    r"不低于|不少于|不高于|不超过|低于|高于|超过|大于|小于|少于|多于|至少|最少|最多|最高|不得低于|不得少于|"
    r"不得超过|至少有|在|是|约|近|超|分别|均|力争|确保)+$"
)
_FILLER_END = re.compile(r"(?:的|中|之)$")
_GOAL_WORDS = re.compile(
    r"达到|达|建成|建设|新增|新建|培养|培训|招录|招聘|引进|配备|拥有|设置|设立|提高|提升|增加|下降|降低|"
    r"完成|实现|覆盖|开设|打造|转设|派驻|获批|保持|控制|给予|发放|提供|开展|核定|不少于|不低于|至少|超过"
)
# A top-level heading (一、, 第二章, 附件): it ends the list a year heads. Numbered list lines (1．, （一）)
# may be the list itself.
_TOP_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+[章篇节部分]|附\s*件)")
# The year and 的 right before a dated value, cut off the text between two values.
_VALUE_YEAR_TAIL = re.compile(r"(?:19|20)\d{2}\s*年\s*的\s*$")
# A rate's name continuing right after a number (2次刷牙率, 5岁以下儿童贫血率): a few characters, no digit,
# no break, then the rate word.
_NAME_RATE_AFTER = re.compile(r"[^\d\s，,；;。：:、%‰]{1,8}?(?:率|比例|占比|比重)")
# A change's start or a value's year left at the end of an indicator (龋患率应从2016年的, 提升到2020年的).
_TRAIL_YEAR = re.compile(r"(?:(?:应|要|将)?(?:从|由))?\s*(?:19|20)\d{2}\s*年\s*的?$")
_INDICATOR_WORD = re.compile(r"率|比例|占比|比重|数|面积|床位|水平|人次|指标|总量|规模|经费|补助|补贴|奖励")


def _scope_events(para: str) -> list[tuple[int, int, str, str]]:
    """(start, end, year, reach) for each time-scope expression of a paragraph.

    reach is "para" for a scope that opens a clause and is followed by a comma (``到2025年底，``), "sent" for
    one embedded in a clause (``2025年底前DRG…``) and for ``“十四五”期间``, "clause" for ``每年``/``全年``.
    """
    events = []
    for m in _SCOPE_RE.finditer(para):
        if para[max(0, m.start() - 1) : m.start()] in {"比", "较", "与"} or re.match(r"的?基础上", para[m.end() :]):
            continue  # 比2015年降低10%, 在2020年(的)基础上: a base of comparison, not a time scope
        opens = m.start() == 0 or bool(re.search(r"[，,；;。：:]\s*(?:力争|确保|在)?$", para[: m.start()]))
        followed = para[m.end() : m.end() + 1] in {"，", ","}
        reach = "para" if opens and followed else "sent"
        if m.group("multi"):
            ys = re.findall(r"(?:19|20)\d{2}", m.group("multi"))
            events.append((m.start(), m.end(), ",".join(ys), reach))
        elif m.group("range"):
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
            dated = _VALUE_YEAR_RE.match(para, m.end())
            if dated:
                # 从2016年的34.5%提升到2020年的40%: the year dates only the value right after 的.
                events.append((m.start(), dated.end(), y, "value"))
                continue
            events.append((m.start(), m.end(), y, reach))
        elif m.group("each"):
            events.append((m.start(), m.end(), "每年", "clause"))
        elif m.group("fyp"):
            events.append((m.start(), m.end(), "十四五", "sent"))
    return events


def _year_at(para: str, events: list[tuple[int, int, str, str]], pos: int, inherited: str = "") -> str:
    """Year in force at ``pos``: the latest scope before it whose reach covers it, else the paragraph's.

    ``inherited`` is the year a list's heading line set for the lines under it (``到2020年，…实现以下目标：``).
    """
    sticky = inherited
    cur = inherited
    for s, e, y, reach in events:
        if s >= pos:
            break
        if reach == "value":
            if para[e:pos].strip() == "":
                cur = y  # 2020年的40%: this value only
            continue
        if reach == "para":
            sticky = cur = y
            continue
        stop = r"[。；;！？]" if reach == "sent" else r"[，,。；;！？]"
        m = re.compile(stop).search(para, e)
        end = m.start() if m else len(para)
        cur = y if pos < end else sticky
    return cur


def _in_quotes(para: str, pos: int) -> bool:
    """Whether pos lies inside a pair of quotation marks “…” (a named concept or standard)."""
    opened = para.rfind("“", 0, pos)
    return opened >= 0 and para.rfind("”", 0, pos) < opened and para.find("”", pos) >= 0


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
        s = words().lead_strip.sub("", s)
        s = _TRAIL_YEAR.sub("", s)
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
        inst = words().institutions.match(right)
        last_item, tail = (inst.group(0), right[inst.end() :]) if inst else (right, "")
    size = max([len(last_item), *[len(m) for m in mids]])
    inst_left = None
    for m in words().institutions.finditer(left):
        if m.end() == len(left):
            inst_left = m
    stripped = words().lead_strip.sub("", re.split(r"[，,；;：:]", left)[-1])
    if inst_left is not None:
        head, first = left[: inst_left.start()], inst_left.group(0)
    elif len(stripped) <= size + 3:
        head, first = left[: len(left) - len(stripped)], stripped
    else:
        first = left[-size:]
        head = left[: len(left) - size]
    return head, [first, *mids, last_item], tail


def narrative_targets(doc: ParsedDocument, skip: list[tuple[int, int]], sections: list[Section]) -> list[Target]:
    """Target rows of the document's prose, paragraph by paragraph, outside the tables in ``skip``."""
    text = doc.text
    heads = {s.start for s in sections}
    out: list[Target] = []
    pos = 0
    inherited = ""
    for para in text.split("\n"):
        p_start = pos
        pos += len(para) + 1
        if not para.strip() or "\t" in para:
            continue
        if any(a <= p_start < b for a, b in skip):
            inherited = ""
            continue
        events = _scope_events(para)
        if p_start in heads or _TOP_HEADING.match(para) or any(reach == "para" for _, _, _, reach in events):
            inherited = ""  # a new heading or a line with its own time scope ends the list
        out.extend(_narrative_paragraph(doc, para, p_start, sections, inherited))
        if para.rstrip().endswith(("：", ":")):
            # 到2020年，…实现以下目标： — the lines under it carry no year of their own.
            inherited = _year_at(para, events, len(para.rstrip())) or inherited
    return out


def _bound_before(para: str, q: Quantity, clause_start: int, prev_end: int) -> str | None:
    window = para[max(clause_start, prev_end, q.start - 12) : q.start]
    for word, comp in words().bound_words:
        if word in window and comp:
            # 低于 inside 不得低于 / 不低于 is handled by order of the list.
            return comp
    return None


def _is_measure(q: Quantity) -> bool:
    if q.unit.startswith("/"):
        return True  # a rate per population: 18/10万
    unit = q.unit.split("/")[0]
    if unit in {"岁", "万人口", "万人"}:
        return False
    if unit == "年":
        return q.comparator != "="
    return unit in words().measure_units or unit.endswith("元")


def _is_age_value(para: str, q: Quantity) -> bool:
    """An age set as a value by a goal verb (人均预期寿命达到79岁), not a qualifier (65岁以上, 12岁儿童)."""
    if q.unit != "岁" or q.comparator != "=":
        return False
    before = para[max(0, q.start - 4) : q.start].rstrip()
    return before.endswith(words().age_value_verbs)


def _keep_quantity(para: str, q: Quantity) -> bool:
    if _is_age_value(para, q):
        return not _in_brackets(para, q.start)
    if not _is_measure(q) or _in_brackets(para, q.start):
        return False
    if para[max(0, q.start - 1) : q.start] == "每":
        return False  # 每5年, 每2年: frequencies
    if not re.search(r"\d", q.text) and not q.text.startswith(tuple(words().bound_prefixes)):
        # A Chinese numeral counts only right after a goal verb (设置一所, 建成一家): 一个行政村 is "a",
        # 有两个及以上年度考核优秀 a condition.
        window = para[max(0, q.start - 3) : q.start]
        return bool(re.search(f"(?:{_GOAL_WORDS.pattern})$", window))
    return True


def _names_region(text: str, region: str) -> bool:
    """Whether ``text`` names ``region`` (白鹭市, or 白鹭 without its suffix when two characters remain)."""
    if not region:
        return False
    names = {region}
    for suffix in rules().admin_suffixes:
        if region.endswith(suffix) and len(region) - len(suffix) >= 2:
            names.add(region[: -len(suffix)])
            break
    return any(n in text for n in names)


def _narrative_paragraph(
    doc: ParsedDocument, para: str, p_start: int, sections: list[Section], inherited: str = ""
) -> list[Target]:
    events = _scope_events(para)
    issued = issue_year(doc)
    # A section reporting the status quo (行动背景, 发展基础): its values are baselines.
    path = section_path_at(sections, p_start)
    status_section = any(w in path for w in rules().status_sections)
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
        # A count inside the subject of a later quantity (拥有1个…的乡镇卫生院达80%) is a qualifier; the 的 of a
        # dated value (16.5%提升到2020年的20%) is not such a 的.
        between = _VALUE_YEAR_TAIL.sub("", para[last.end : nxt_q])
        if nxt_q < clause_end and "的" in between:
            continue
        # A number inside the name of a rate (成人每天2次刷牙率达到45%): no goal verb before it, the name's
        # rate word right after it, before the next value.
        if (
            len(grp) == 1
            and nxt_q < clause_end
            and _NAME_RATE_AFTER.match(para, last.end)
            and not _GOAL_WORDS.search(para[clause_start : q0.start])
        ):
            continue
        # A count naming the subject of the goal that follows in its clause (全区5家卫生院标准化率达到100%):
        # no goal verb before the count, one between it and the next quantity.
        clause_before = para[clause_start : q0.start]
        if (
            len(grp) == 1
            and q0.unit in words().count_units
            and nxt_q < clause_end
            and not _GOAL_WORDS.search(clause_before)
            and _GOAL_WORDS.search(para[last.end : nxt_q])
        ):
            continue
        # A count in a definition (5家卫生院为A、B、C4家卫生院和D): which ones are meant, not a goal.
        clause = para[clause_start:clause_end]
        if (
            q0.unit in words().count_units
            and re.search(r"(?:为|包括|是指|系指)[^，。；]*、", clause)
            and not _GOAL_WORDS.search(clause)
        ):
            continue
        # A duration someone must have served is a condition of eligibility (在基层工作5年以上的…), not a goal.
        if q0.unit == "年" and re.search(f"(?:{words().condition_verbs})(?:满|了|已|达)?\\s*$", clause_before):
            continue
        seg_start = max(clause_start, prev_end)
        prefix = para[seg_start : q0.start]
        if consumed and prefix.startswith(consumed) and prefix[len(consumed) : len(consumed) + 1] in {"、", "，"}:
            prefix = prefix[len(consumed) + 1 :]
        after_end = min(clause_end, nxt_q)
        suffix = re.split(r"[、]", para[last.end : after_end])[0]
        suffix = re.sub(r"^(?:及以上|以上|以下|左右|以内|内)", "", suffix)
        year = _year_at(para, events, q0.start, inherited)
        from_base = bool(_FROM_YEAR_RE.search(para, 0, q0.start))
        named = _in_quotes(para, q0.start)
        if named:
            year = ""  # “12分钟健康共富圈”: a named standard, not the goal of the year in force
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
        money = last.unit.split("/")[0].endswith("元")  # a subsidy or a cost standard is a norm
        if q0.comparator == "=" and not has_goal and not year and not is_rate and not named and not money:
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
                all_inst = all(words().institutions.fullmatch(x.strip()) for x in subj)
                for x in subj:
                    if all_inst and not _clean_indicator(tail):
                        ind = _clean_indicator(head + after_fenbie + suffix)
                        used_suffix = True
                        items.append((ind or _clean_indicator(x), x))
                    else:
                        ind = _clean_indicator(head + x + tail)
                        noun = suffix.strip()
                        if last.unit in words().count_units and noun and not noun.startswith("的"):
                            ind += _clean_indicator(noun)  # 开展6类和4类以上中医药适宜技术: the noun counted
                            used_suffix = True
                        items.append((ind, scope_of(head + x + tail)))
        continues_list = bool(out) and seg_start == prev_end and prefix.startswith("、")
        if not continues_list:
            goal = max(_GOAL_WORDS.finditer(base_prefix), key=lambda m: m.start(), default=None)
            # Only when the first item is named after the verb (指标达到报告患病率＞4.60‰).
            named_after = goal is not None and _clean_indicator(base_prefix[goal.end() :])
            list_head = _clean_indicator(base_prefix[: goal.start()]) if goal is not None and named_after else ""
        if not items:
            ind, used_suffix = _indicator_for(base_prefix, suffix, last)
            if (
                re.fullmatch(r"(?:由[^，,；;]{0,8})?(?:按照|按|依照|参照)", base_prefix.strip())
                and clause_start > sent_start
            ):
                # 新增移动医疗车，由区财政按25万元/年的标准保障运行: the clause before names what the standard is for.
                before = re.split(r"[，,；;]", para[sent_start:clause_start].rstrip("，,；; "))[-1]
                ind = _clean_indicator(re.sub(r"\d+$", "", before)) + ind
            if ind and clause_start > sent_start and not continues_list:
                ind = with_subject(para[sent_start:clause_start], ind)  # 检测覆盖率 -> 艾滋病检测覆盖率
            own_verb = bool(_TRAIL_STRIP.search(prefix.strip()))  # 、规范服药率达到90%: named in full
            if continues_list and list_head and ind and not own_verb and not ind.startswith(list_head):
                ind = list_head + ind
            scope = scope_of(base_prefix) or scope_of(suffix)
            if not scope and (seg_start > clause_start or prev_clause == clause_start):
                scope = prev_scope
            items = [(ind, scope)] * len(grp)
        # 到2022年和2030年，…分别达到20%和30%: each value its own year (the last year when the counts differ).
        years = year.split(",")
        for n, (q, (ind, scope)) in enumerate(zip(grp, items, strict=False)):
            q_year = years[n] if len(years) == len(grp) else years[-1]
            # A goal a status section quotes from another document for the plan's own region (a national plan's
            # …纲要要求到2030年，全国某死亡率下降到12/10万): a year after the plan's issue named with 到/至 before the
            # value, a goal verb, and the region named in the sentence: a target. Another region's goal stays a
            # baseline (a city plan quoting the nation's 2030 goal sets no goal of its own).
            status = status_section and not (
                has_goal
                and _names_region(para[sent_start : q.start], doc.meta.region)
                and bool(issued)
                and q_year.isdigit()
                and q_year > issued
                and re.search(rf"(?:到|至)\s*{q_year}\s*年", para[sent_start : q.start]) is not None
            )
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
                year=q_year,
                kind="baseline" if is_past(q_year, issued) or status or from_base else "narrative",
                quote=quote,
                start=q_start,
                end=q_start + len(quote),
                section=section_path_at(sections, p_start + q.start),
                page=doc.page_at(p_start + q.start),
            )
            t.target_id = target_id(doc.doc_id, "n", t.start, p_start + q.start, ind, q.value)
            out.append(t)
        prev_scope = items[-1][1] if items else prev_scope
        prev_clause = clause_start
        prev_end = last.end
        consumed = ""
        if used_suffix:
            prev_end = last.end + para[last.end :].find(suffix) + len(suffix) if suffix else last.end
            consumed = ""
    return out


def _indicator_for(prefix: str, suffix: str, q: Quantity) -> tuple[str, bool]:
    """The indicator of a single quantity, and whether the noun phrase after it was used.

    The clause before the quantity names it (``全市每万人口全科医生数达``); a count is completed by the noun
    after it (``培养基层中医骨干40名``); ``50%的县中医院转设三级中医院`` is named by what follows 的.
    """
    pre = _clean_indicator(prefix)
    suf = suffix.strip()
    if suf.startswith("的") and not _INDICATOR_WORD.search(pre):
        return (_clean_indicator(suf[1:]) or pre), True
    counted = q.unit.split("/")[0] in words().count_units or q.unit.split("/")[0].endswith("元") or pre.endswith("人口")
    if suf and counted and not suf.startswith("的"):
        noun = _clean_indicator(suf)
        if noun:
            return pre + noun, True
    if not pre and suf:
        return _clean_indicator(suf.lstrip("的")), True
    return pre, False

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
    part_lookalikes: tuple[str, ...]
    task: re.Pattern[str]
    none: re.Pattern[str]
    which: re.Pattern[str]
    each: re.Pattern[str]
    each_kinds: tuple[str, ...]
    each_joiners: tuple[str, ...]
    asked_unit: re.Pattern[str]
    asked_period: re.Pattern[str]
    asked_quantity: re.Pattern[str]
    classifier_nouns: tuple[str, ...]
    opening: re.Pattern[str]
    greeting: re.Pattern[str]
    ending: re.Pattern[str]
    spoken: tuple[tuple[str, str], ...]
    numeral: re.Pattern[str]
    year_after: re.Pattern[str]
    year_before: re.Pattern[str]
    year_period: re.Pattern[str]
    year_left: re.Pattern[str]
    span_start: re.Pattern[str]
    span_before: tuple[str, ...]
    span_after: tuple[str, ...]
    back_words: tuple[str, ...]
    value_kinds: tuple[str, ...]
    determiners: re.Pattern[str]
    amount_reference: re.Pattern[str]
    switch: re.Pattern[str]
    earlier: re.Pattern[str]
    acknowledged: re.Pattern[str]
    same_year: re.Pattern[str]
    followup: re.Pattern[str]
    side_ask: re.Pattern[str]
    side_versus: re.Pattern[str]
    side_each: re.Pattern[str]
    column: re.Pattern[str]
    column_year: re.Pattern[str]


# A year in Chinese numerals, digit by digit (二〇二五年, 二零二三—二零二五年): 1xxx or 2xxx before 年 or a
# period's dash.
_CN_YEAR = re.compile(
    r"(?<![〇零一二三四五六七八九十百千万])[一二][〇零一二三四五六七八九]{3}(?=\s*(?:年|[-—–~～至到]))"
)
_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
# Spaces typed or pasted beside a number (到 2025 年, 90 %): not between two numbers.
_NUMBER_SPACE = re.compile(r"(?<=\d)[ \t\u3000]+(?=[^\s\d.])|(?<=[^\s\d.])[ \t\u3000]+(?=\d)")
# A bare two-digit year before 年 (24年): 2015-2039 only, not part of a longer number.
_BARE_YEAR = re.compile(r"(?<![\d.])(1[5-9]|[23]\d)(\s*年)")


@functools.cache
def _wording() -> _Wording:
    data = read_rules("question_wording.toml")
    parts = alternation(longest_first(data["document_parts"]))
    locatives = alternation(longest_first(data["locatives"]))
    greetings = alternation(longest_first(read_rules("conversation.toml")["greetings"]))
    earlier = alternation(longest_first(data["earlier_words"]))
    verbs = alternation(longest_first(data["earlier_verbs"]))
    determiners = alternation(longest_first(d for d in data["back_reference_determiners"] if len(d) >= 2))
    # 建档率知道了， / 这个明白了，: a first clause of up to 20 characters ending in an acknowledgement, then a comma.
    acks = alternation(longest_first(data["acknowledgements"]))
    acknowledged = rf"^[^，,。？?！!；;]{{0,20}}?(?:{acks})\s*[，,。！!；;]\s*"
    # Fixed-width look-behinds, one per word (a look-behind cannot alternate words of different lengths).
    return _Wording(
        # 队伍建设任务分解表里 / 附件2中: from the start of a phrase (no space or punctuation inside)
        # through the part's name, an optional number, and a locative.
        # A clause made only of such a phrase (某某那张队伍建设表，…) names where to look too: the part's name then
        # ends the clause (group 1 empty).
        part=re.compile(rf"[^\s，,。；;：:？?！!]*?(?:{parts})\s*\d*\s*(?:({locatives})|(?=[，,：:]))"),
        part_lookalikes=longest_first(data["part_lookalikes"]),
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
        asked_unit=re.compile(rf"(?:多少|几)\s*(?:{alternation(longest_first(data['asked_units']))})"),
        # 一年(每人)给多少: the period before the ask, dropped (group 0 only; what follows stays).
        asked_period=re.compile(
            rf"(?:{alternation(longest_first(data['asked_periods']))})"
            rf"(?=(?:{alternation(longest_first(data['asked_period_persons']))})?"
            rf"(?:{alternation(longest_first(data['asked_period_verbs']))})多少)"
        ),
        # 多久 / 多少个 / 几名 / 哪几个 (whole, no 哪 left behind) / 多少: the classifier (group 1) may be
        # shortened where a noun starts inside it.
        asked_quantity=re.compile(
            rf"{alternation(longest_first(data['asked_quantity_words']))}"
            rf"|(?:多少|哪?几)({alternation(longest_first(data['asked_classifiers']))})?"
        ),
        classifier_nouns=longest_first(data["classifier_nouns"]),
        # 请问一下， / 想了解一下， at the very start, with the punctuation after it.
        opening=re.compile(rf"^\s*(?:{alternation(longest_first(data['polite_openings']))})[\s，,：:、]*"),
        # 你好，在吗？ at the very start: greetings (conversation.toml's, the help reply's list), each followed by
        # punctuation or by another greeting (你好在吗，), never by a question's own words (hiv…).
        greeting=re.compile(rf"^\s*(?:(?:{greetings})(?:[\s，,：:、！!？?。.~～]+|(?={greetings})))+"),
        # …来着？ before the final punctuation.
        ending=re.compile(rf"(?:{alternation(longest_first(data['chatty_endings']))})(?=[\s？?！!。.]*$)"),
        # 咋 -> 怎么: spoken ask words in the plain form every other list holds, longest first.
        spoken=tuple(sorted(((a, b) for a, b in data["spoken_forms"]), key=lambda p: -len(p[0]))),
        # 三岁 / 六十五周岁: a Chinese numeral of 1-99 (group 1), not part of a longer one, before a unit.
        numeral=re.compile(
            rf"(?<![〇零一二两三四五六七八九十百千万])([一二两三四五六七八九十]{{1,3}})"
            rf"(?=\s*(?:{alternation(longest_first(data['numeral_units']))}))"
        ),
        # 25年底 / 到25年: two digits (not part of a longer number) before 年.
        year_after=re.compile(
            rf"(?<![\d.])(\d\d)(?=\s*(?:{alternation(longest_first(data['year_two_digit_after']))}))"
        ),
        year_before=re.compile(
            rf"((?:{alternation(longest_first(data['year_two_digit_before']))})\s*)(1[5-9]|[23]\d)(?=\s*年(?![以内左及的]))"
        ),
        # 23到25年 / 23—2025年: a two-digit first year (group 1), the joiner (group 2), the last year (group 3),
        # then 年.
        year_period=re.compile(
            rf"(?<![\d.])(1[5-9]|[23]\d)(\s*(?:{alternation(longest_first(data['year_period_joiners']))})\s*)"
            rf"(?:20)?(1[5-9]|[23]\d)(?=\s*年)"
        ),
        # A number of two or four digits standing alone (group 1), with a period's joiner after it or none (23到 ).
        year_left=re.compile(
            rf"(?<![\d.])(\d{{2}}|\d{{4}})(?:\s*(?:{alternation(longest_first(data['year_period_joiners']))}))?"
            r"(?=[\s,，、;；?？!！。]|$)"
        ),
        # A two-digit number (not part of a longer one) and a period's joiner or none, ending a text: 15到|20年.
        span_start=re.compile(
            rf"(?<![\d.])\d{{2}}\s*(?:(?:{alternation(longest_first(data['year_period_joiners']))})\s*)?$"
        ),
        span_before=longest_first(data["year_span_before"]),
        span_after=longest_first(data["year_span_after"]),
        # 定的是 / 那个指标, and the switch words (又是): nothing a follow-up's own wording names.
        back_words=longest_first([*data["back_reference_words"], *data["switch_words"]]),
        # 基期 / 基线 / 现状值: the kind of value asked (answer_shapes.toml [parts] baseline_words, the answer's list),
        # also without its 的 (那2015年的基数 leaves 那基数).
        value_kinds=longest_first(
            {w for b in read_rules("answer_shapes.toml")["parts"]["baseline_words"] for w in (b, b.removeprefix("的"))}
        ),
        # 这个补贴 / 该项补贴: a determiner, an optional 项/个, then the noun (group 1, Chinese characters).
        determiners=re.compile(
            rf"(?:{alternation(longest_first(data['back_reference_determiners']))})[项个]?([\u4e00-\u9fff]{{2,}})"
        ),
        # 这笔奖补资金 / 这钱: a demonstrative, an optional measure word, then a noun of money (group 1).
        amount_reference=re.compile(
            rf"(?:{alternation(longest_first(data['amount_determiners']))})"
            rf"(?:{alternation(longest_first(data['amount_measures']))})?"
            rf"({alternation(longest_first(data['amount_nouns']))})"
        ),
        # 某某呢，… (a first clause of 2-30 characters ending in 呢, then a comma) or 某某又是…: a new subject.
        switch=re.compile(
            rf"^[^，,。？?！!；;]{{2,30}}(?:{alternation(longest_first(data['clause_switch_ends']))})\s*[，,]"
            rf"|^[^，,。？?！!；;]{{2,}}?(?:{alternation(longest_first(data['switch_words']))})"
            rf"|{acknowledged}"
        ),
        # 前面说的(那个) / 刚才(那个) / 上面问过的(这个) / 前面提到的: the earlier word and its verb, before a
        # determiner of two characters or more (left for the back-reference words), or with a verb and 的.
        earlier=re.compile(
            rf"(?:{earlier})\s*(?:(?:{verbs})过?的?)?\s*(?=(?:{determiners}))"
            rf"|(?:{earlier})\s*(?:{verbs})过?的"
        ),
        acknowledged=re.compile(acknowledged),
        same_year=re.compile(alternation(longest_first(data["same_year_words"]))),
        # 那一栏 / 那个阶段目标 / 往前看: a column or stage of the previous row, and the way the asker looks along it.
        column=re.compile(alternation(longest_first([*data.get("column_words", ()), *data.get("view_words", ())]))),
        # 2020那一栏 / 2020的那一列: a four-digit year (group 1) right before a column word, written without 年.
        column_year=re.compile(
            rf"(?<![\d.])(20\d{{2}})(?=\s*的?\s*(?:{alternation(longest_first(data.get('column_words', ())))}))"
        ),
        # 那… / 换成… at the start, or 呢 at the end (before the final punctuation).
        followup=re.compile(rf"^(?:{alternation(longest_first(data['followup_openings']))})|呢[？?。!！]*$"),
        # 谁多 / 谁定得高 / 哪个更高一些: a head, an optional link, a degree and an optional softener.
        side_ask=re.compile(
            rf"(?:{alternation(longest_first(data['side_ask_heads']))})"
            rf"(?:{alternation(longest_first(data['side_ask_links']))})?"
            rf"(?:{alternation(longest_first(data['side_ask_degrees']))})"
            rf"(?:{alternation(longest_first(data['side_ask_softeners']))})?"
        ),
        # 跟 比 / 和 相比 after the sides' names left (or 跟 alone between them): from a space, the start or a comma.
        side_versus=re.compile(
            rf"(?:(?<=[\s，,])|^)(?:{alternation(longest_first(data['side_joiners']))})\s*"
            rf"(?:{alternation(longest_first(data['side_versus']))})?(?=[\s，,。？?！!]|$)"
        ),
        # 各 alone (its ask gone): after a space, punctuation or the start, before a space, punctuation or the end.
        side_each=re.compile(
            rf"(?:(?<=[\s，,。？?！!])|^)(?:{alternation(longest_first(data['side_each_words']))})(?=[\s，,。？?！!]|$)"
        ),
    )


_CN_UNITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _numeral_value(text: str) -> int | None:
    """The value of a Chinese numeral of 1-99 (三 -> 3, 十二 -> 12, 六十五 -> 65, 二十 -> 20), None if malformed."""
    if "十" not in text:
        return _CN_UNITS.get(text) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if "十" in ones or (tens and tens not in _CN_UNITS) or (ones and ones not in _CN_UNITS):
        return None
    return _CN_UNITS.get(tens, 1) * 10 + _CN_UNITS.get(ones, 0)


def numerals_in_digits(text: str) -> str:
    """``text`` with a Chinese numeral before a unit of ``numeral_units`` in digits (``三岁以下`` -> ``3岁以下``)."""

    def digits(m: re.Match[str]) -> str:
        value = _numeral_value(m.group(1))
        return m.group(0) if value is None else str(value)

    return _wording().numeral.sub(digits, text)


def _bare_year(m: re.Match[str], w: _Wording) -> str:
    """24年 -> 2024年, unless the number is a span (满15年, 30年来)."""
    before, after = m.string[: m.start()], m.string[m.end() :]
    if before.endswith(w.span_before) or after.startswith(w.span_after) or w.span_start.search(before):
        return m.group(0)  # 15到20年 that the period rule left alone counts years too
    return f"20{m.group(1)}{m.group(2)}"


def _year_period(m: re.Match[str], w: _Wording) -> str:
    """23到25年 -> 2023到2025年, unless the numbers count years (工作15到20年, 15到20年以上) or do not rise."""
    before, after = m.string[: m.start()], m.string[m.end() :].lstrip()
    first, last = int(m.group(1)), int(m.group(3))
    if first >= last or before.endswith(w.span_before) or after.removeprefix("年").startswith(w.span_after):
        return m.group(0)
    return f"20{m.group(1)}{m.group(2)}20{m.group(3)}"


def plain_question(question: str) -> str:
    """``question`` as the rest of the pipeline reads it: officials' own forms in plain ones.

    Spaces beside a number (``到 2025 年``), a greeting (``你好，在吗？``), a polite opening (``请问一下，``,
    ``帮我查一下，``) and a chatty ending (``…来着？``) are dropped; a spoken ask word is written in its plain form
    (``咋定的`` -> ``怎么定的``); an age in Chinese numerals (``三岁以下``) is written in digits; a year in Chinese
    numerals (``二〇二五年``) or in two digits (``25年底``, ``到27年``, ``那24年呢``) is written with four digits,
    unless two digits count years (``满15年``, ``30年来``).
    Nothing else changes (but spaces around the question), so a plain question comes back as it is.
    """
    w = _wording()
    out = _NUMBER_SPACE.sub("", question.strip())
    out = full_years(out)
    rest = w.opening.sub("", w.greeting.sub("", out))
    out = rest if rest.strip(" ？?！!。") else out
    out = w.ending.sub("", out)
    out = numerals_in_digits(out)
    for spoken, plain in w.spoken:
        out = out.replace(spoken, plain)
    return out


def drop_document_parts(text: str) -> str:
    """``text`` without the phrases naming a part of the plan (``…任务分解表里``, ``附件2中``, ``那张…表，``)."""
    w = _wording()

    def drop(m: re.Match[str]) -> str:
        # 人大代表，: a word that only ends like a part (代表) names no table.
        bare = m.group(1) is None and m.group(0).rstrip().endswith(w.part_lookalikes)
        return m.group(0) if bare else " "

    return w.part.sub(drop, text)


def asks_which_side(question: str) -> bool:
    """Whether ``question`` asks which side of a comparison is higher (``谁多``, ``谁定得高``, ``哪个更高``)."""
    return bool(_wording().side_ask.search(question))


def drop_side_asks(text: str) -> str:
    """``text`` without a comparison's own words once the sides' names are gone.

    ``新建卫生院的任务， 跟 谁多？各几个`` -> ``新建卫生院的任务， ？？几个``: the which-side ask (``谁多``), a joiner
    left alone or with its ``比`` (``跟 比``), and a lone ``各``.
    """
    w = _wording()
    out = w.side_ask.sub(" ", text)
    out = w.side_versus.sub(" ", out)
    return w.side_each.sub(" ", out)


def drop_question_words(text: str) -> str:
    """``text`` without 哪几个县区-style phrases and the words asking for regions with none (不承担, 没安排)."""
    w = _wording()
    return w.none.sub(" ", w.which.sub(" ", text))


def full_years(text: str) -> str:
    """``text`` with years in four digits.

    ``二〇二五年``, ``25年底``, ``到23年``, a period ``23到25年``, a bare ``24年``; not a span (``满15年``,
    ``工作15到20年``).
    """
    w = _wording()
    out = _CN_YEAR.sub(lambda m: m.group(0).translate(_CN_DIGITS), text)
    out = w.column_year.sub(r"\1年", out)
    out = w.year_period.sub(lambda m: _year_period(m, w), out)
    out = w.year_after.sub(r"20\1", out)
    # 到25年 after a two-digit number the period rule left alone (工作15到20年) counts years too.
    out = w.year_before.sub(
        lambda m: m.group(0) if w.span_start.search(m.string[: m.start()]) else f"{m.group(1)}20{m.group(2)}", out
    )
    return _BARE_YEAR.sub(lambda m: _bare_year(m, w), out)


def year_digits(years: Iterable[str]) -> set[str]:
    """The four-digit years of ``years`` (2025; a period 2023-2025 and the years in it) and their last two digits."""
    out: set[str] = set()
    for year in years:
        found = [int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d{2}(?!\d)", year)]
        if len(found) == 2 and found[0] < found[1]:
            found = list(range(found[0], found[1] + 1))
        for y in found:
            out.update({str(y), str(y)[2:]})
    return out


def drop_year_digits(text: str, years: Iterable[str]) -> str:
    """``text`` without a number standing alone that is one of ``years`` (or its last two digits), with its joiner.

    The question's years are read into the query's years; what stays of them in its wording (23 of a period
    23到2025年 the year rule missed) would be shown in an answer as a number no source states. A number of the
    wording itself is followed by its unit or noun (12岁, 65岁以上) and stays.
    """
    digits = year_digits(years)
    if not digits:
        return text
    return _wording().year_left.sub(lambda m: " " if m.group(1) in digits else m.group(0), text)


def drop_asked_unit(text: str) -> str:
    """``text`` without a question for a quantity in a unit (``面积多少平方`` -> ``面积``)."""
    return _wording().asked_unit.sub(" ", text)


def _asked_quantity(m: re.Match[str], nouns: tuple[str, ...]) -> str:
    """A space for the question word and what of its counting word is no noun's start (多少人口 -> `` 人口``)."""
    if m.group(1) is None:
        return " "
    text, start, end = m.string, m.start(1), m.end(1)
    cut = next((k for k in range(start, end) if any(text.startswith(n, k) and k + len(n) > end for n in nouns)), end)
    return " " + text[cut:end]


def drop_asked_quantity(text: str) -> str:
    """``text`` without the question for a quantity (``多少个``, ``几名``, ``多久``), nouns kept (``多少人口``)."""
    w = _wording()
    text = w.asked_period.sub(" ", text)
    return w.asked_quantity.sub(lambda m: _asked_quantity(m, w.classifier_nouns), text)


def asked_nouns(text: str) -> tuple[str, ...]:
    """The two characters after each ``多少``/``几`` and what of its counting word is no noun's start.

    ``按多少人口设置`` -> ``("人口",)``, ``多少万人口`` -> ``("人口",)``, ``多少个乡镇`` -> ``("乡镇",)``: the noun
    the asked number counts (``inner_numbers.py``); only Chinese characters count.
    """
    w = _wording()
    out: list[str] = []
    for m in w.asked_quantity.finditer(text):
        if not m.group(0).startswith(("多少", "几", "哪几")):
            continue
        at = m.end() - len(_asked_quantity(m, w.classifier_nouns)) + 1
        noun = text[at : at + 2]
        if re.fullmatch(r"[\u4e00-\u9fff]{2}", noun):
            out.append(noun)
    return tuple(dict.fromkeys(out))


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


def drop_back_references(indicator: str) -> str:
    """``indicator`` without words that only point back or frame the value (``定的是``, ``这个``, ``又是``)."""
    out = indicator
    for word in _wording().back_words:
        out = out.replace(word, "")
    return out


def drop_earlier_references(text: str) -> str:
    """``text`` without the words pointing at an earlier turn (``前面说的那个指标`` -> `` 那个指标``)."""
    return _wording().earlier.sub(" ", text)


def refers_back(question: str) -> bool:
    """Whether ``question`` points at an earlier turn (``前面说的那个指标``, ``刚才那个``, ``上面问的这个``)."""
    return bool(_wording().earlier.search(question))


def drop_acknowledgement(question: str) -> str:
    """``question`` without a first clause acknowledging the previous answer (``建档率知道了，``, ``这个明白了，``).

    A question made only of such a clause is left as it is (a closing, for the help reply).
    """
    rest = _wording().acknowledged.sub("", question, count=1)
    return rest if rest.strip(" ？?！!。") else question


def drop_value_kinds(indicator: str) -> str:
    """``indicator`` without words asking a kind of value (``基期``, ``基线``, ``现状值``): they name no indicator.

    ``那15年的基期是多少？`` after a question on an indicator asks that indicator's base value.
    """
    out = indicator
    for word in _wording().value_kinds:
        out = out.replace(word, "")
    return out


def drop_column_words(text: str) -> str:
    """``text`` without words naming a column or stage of the previous row (``那一栏``, ``那个阶段目标``, ``往前看``).

    They name no indicator: ``往前看，2020那一栏是多少？`` asks the previous indicator in 2020.
    """
    return _wording().column.sub(" ", text)


def drop_same_year(text: str) -> str:
    """``text`` without words asking the previous year again (``同一年``, ``同样的年份``): they name no indicator."""
    return _wording().same_year.sub(" ", text)


def opens_followup(question: str) -> bool:
    """Whether ``question`` has the form of a follow-up: ``那…``, ``换成…``, ``改到…`` at its start, or ``…呢``."""
    return bool(_wording().followup.search(question.strip()))


def switches_subject(question: str) -> bool:
    """Whether ``question`` turns the previous one to a new subject: a follow-up however long, with its own wording.

    ``白鹭镇的驿站呢，要建到啥程度？`` (a first clause ending in 呢), ``那驿站的护理员又是怎么要求的？``
    (又是 after the subject).
    """
    return bool(_wording().switch.search(question.strip()))


def referred_noun(text: str, previous: str) -> tuple[str, str] | None:
    """A determiner's phrase pointing back (``这个补贴``) and its noun, when ``previous`` holds the noun; else None.

    The noun is the longest start of the words after the determiner (at least two characters) that the
    previous question's wording holds: ``这个补贴要满足…`` after ``…每人每年补贴多少`` refers to ``补贴``.
    """
    for m in _wording().determiners.finditer(text):
        words = m.group(1)
        for end in range(len(words), 1, -1):
            if words[:end] in previous:
                return text[m.start() : m.start(1) + end], words[:end]
    return referred_amount(text, previous)


def referred_amount(text: str, previous: str) -> tuple[str, str] | None:
    """A demonstrative and a noun of money (``这笔奖补资金``, ``这钱``): the amount the previous question asked.

    ``这笔奖补资金市里跟县里怎么分摊`` after ``…每处最多奖多少``: the money is the previous subject's, though the
    previous question names it otherwise. Only after a question asking a quantity (多少, 几). The noun returned
    is empty: the phrase stands for the previous subject as a whole, not for a part of it up to a noun.
    """
    if not re.search(r"多少|几", previous):
        return None
    m = _wording().amount_reference.search(text)
    return (m.group(0), "") if m else None

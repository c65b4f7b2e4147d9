"""The head of an official document (版头): 文号 bracket forms, and the marks that are not the title.

A government document starts with marks defined by GB/T 9704 that scans and OCR bring into the text
as ordinary lines: 份号 (``000123``), 密级 and 公开 marks (``秘密★1年``, ``不公开``, ``此件公开发布``),
urgency (``特急``), the 发文机关标志 (the big red ``某省卫生健康委员会文件``, or the organisation's name
over a 函), the red rule under it (read as ``————``), and the 签发人 line (often on the 文号's line).
None of them is the title, so :func:`strip_head_marks` removes them from the text metadata is read
from (the stored text keeps them).

:func:`normalise_doc_numbers` writes every 文号 with the standard brackets ``〔〕``: OCR and hasty typing
give ``〔2025］``, ``[2025]``, ``（2025）``, ``【2025】``. It swaps single bracket characters only, so
text offsets do not move, and leaves table row lines (with tabs) alone.
"""

from __future__ import annotations

import re

# 文号: 机关代字 + a year in any bracket pair + 序号 + 号, e.g. 粤公卫办函〔2025］4号, 某政发[2025]4号.
_DOC_NUMBER = re.compile(
    r"(?P<org>[\u4e00-\u9fff]{1,12})\s*(?P<open>[〔［\[【(（])\s*(?P<year>(?:19|20)\d{2})\s*"
    r"(?P<close>[〕］\]】)）])\s*(?P<seq>\d{1,4})\s*号"
)
# Dates as a signature (成文日期) or a title block writes them: 2025年4月30日, 二〇二五年四月三十日, a month line
# 2019年7月. Metadata reads the issue date with them; a line that is only one closes a signature.
DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
CN_DATE = re.compile(r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
MONTH_LINE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月$")
_HEAD_LINES = 12
_MARK_LINE = re.compile(
    r"^(?:"
    r"\d{6}"  # 份号
    r"|(?:绝密|机密|秘密)(?:★.{0,8})?"  # 密级 and 保密期限
    r"|特急|加急|特提|平急|急件"  # 紧急程度
    r"|[（(]?(?:此件)?(?:不公开|不予公开|依申请公开|主动公开|公开发布|此件公开发布|此件不公开)[）)]?"
    r"|(?:公开方式|公开属性|信息公开选项|信息公开)[:：].{0,12}"
    r"|[—\-－_＿=★☆*·.…\s]{2,}"  # the red rule under the 发文机关标志, read as a run of dashes
    r")$"
)
_SIGNER = re.compile(r"签\s*发\s*人\s*[:：]?\s*[\u4e00-\u9fff\s、，,]{0,24}$")
_SENTENCE = re.compile(r"[，。；,;]")
_ORG_END = ("文件", "委员会", "人民政府", "办公室", "办公厅", "委", "局", "厅", "政府")


def normalise_doc_numbers(text: str) -> str:
    """Every 文号 with ``〔〕`` around its year; only the two bracket characters change (same length).

    ``粤公卫办函〔2025］4号`` -> ``粤公卫办函〔2025〕4号``; ``某政发（2025）4号`` -> ``某政发〔2025〕4号``.
    Lines with a tab (table rows as the readers render them) are left as they are.
    """

    def fix(m: re.Match[str]) -> str:
        whole = m.group(0)
        start = m.start()
        chars = list(whole)
        chars[m.start("open") - start] = "〔"
        chars[m.start("close") - start] = "〕"
        return "".join(chars)

    lines = text.split("\n")
    for i, line in enumerate(lines):
        if "\t" not in line and "号" in line:
            lines[i] = _DOC_NUMBER.sub(fix, line)
    return "\n".join(lines)


def _squash(line: str) -> str:
    return re.sub(r"[\s\u3000]+", "", line)


def _is_org_header(line: str) -> bool:
    """``某省卫生健康委员会文件``, ``某市人民政府办公室``, several organisations on one line."""
    squashed = _squash(line)
    if not 4 <= len(squashed) <= 60 or not re.fullmatch(r"[\u4e00-\u9fff（）()]+", squashed):
        return False
    if squashed.startswith("关于") or "印发" in squashed or squashed.endswith(("通知", "方案", "意见", "规划")):
        return False
    return squashed.endswith(_ORG_END)


def strip_head_marks(text: str) -> str:
    """The text without the head marks that are not its title (see module docstring); the rest unchanged.

    Only the first lines are looked at. The 发文机关标志 is recognised as a line of organisation names
    (or one ending in ``文件``) that stands before the 文号 line, or, without a 文号, a line ending in
    ``文件`` among the first lines. A 签发人 written after the 文号 on its line is cut off that line.
    """
    lines = text.split("\n")
    head = [i for i, line in enumerate(lines) if line.strip()][:_HEAD_LINES]
    # The document's own 文号 line: a 文号 cited inside a sentence (根据《…》（某政发〔2020〕7号）…) is another's.
    number_at = next((i for i in head if _DOC_NUMBER.search(lines[i]) and not _SENTENCE.search(lines[i])), None)
    drop: set[int] = set()
    for i in head:
        line = lines[i]
        squashed = _squash(line)
        mark = bool(_MARK_LINE.match(line.strip()) or _MARK_LINE.match(squashed))
        signer = bool(_SIGNER.match(squashed)) or (squashed.startswith("签发人") and len(squashed) <= 24)
        header = _is_org_header(line) and (
            (number_at is not None and i < number_at) or (number_at is None and squashed.endswith("文件"))
        )
        if mark or signer or header:
            drop.add(i)
        elif i == number_at:
            m = _DOC_NUMBER.search(line)
            signed = re.search(r"签\s*发\s*人", line)
            if m is not None and signed is not None and signed.start() >= m.end():
                lines[i] = line[: m.end()]
    return "\n".join(line for i, line in enumerate(lines) if i not in drop)


def is_date_line(text: str) -> bool:
    """A line that is only a date, as under a signature (``2025年4月30日``, ``二〇二五年四月三十日``, ``2019年7月``)."""
    line = re.sub(r"\s+", "", text)
    return bool(MONTH_LINE.match(line) or DATE.fullmatch(line) or CN_DATE.fullmatch(line))

"""Document metadata read from a plan's own text, and the maintainer-editable sidecar that corrects it.

What is read, and from where (generic rules on the shape of Chinese official documents):

- **文号** (doc number): a line of the document head that holds only ``<机关代字>〔YYYY〕N号``. A number
  cited inside a sentence (``《…》（某政办字〔2023〕205号）``) is another document's, never this one's.
- **Title**: the plan's own title. When the file is a notice that issues a plan (``关于印发X的通知``),
  the issued plan's title is used (it is what officials cite and what the rest of the text is): the
  title block that follows the notice when it matches the issued name, else the name in 《》 in the
  notice, else X. A title block that reports an issue (``某机关印发《X》``) gives X. Otherwise the first
  title block of the document (consecutive short lines with no sentence punctuation), without a
  trailing ``（征求意见稿）``-like marker. A notice title ends its block (the addressee line after it,
  ``各镇街人民政府（办事处），区级各相关单位：``, is never part of a title), and an organisation's name or a
  month line printed under a title (``某推进委员会`` / ``2019年7月``) is not part of it, nor is a table cell
  (``序号 |``) right under a heading.
- **Issuer**: the signature line (an organisation name on its own line right before a date line, which
  may give the month only), or a dated issue note (``（2016年10月25日 中共中央、国务院发布）``), else a web
  page's labelled field naming an organisation (``来源：某委员会某司``, ``发布机构： | 某局 |``: places.toml
  ``page_issuer_labels``), else the organisation before ``关于`` in the notice title when it is a full name.
- **Date**: the date of that signature or note (``2023年7月10日``, ``二〇二三年七月十日``), as ISO
  (``2019-07`` for a month); else a web page's labelled date (``发布日期：2021-10-14``: ``page_date_labels``;
  ``生效日期`` is not one); else the first dated line of the head.
- **Region**: the place name that starts the issuer (``某市人民政府办公室`` -> ``某市``; a province
  before it is dropped), else the place name that starts the title. A place named with the city it
  lies in (``某市某区``) is the district, and the city is kept as ``parent_region``. An issuer (or title)
  naming no place that is a national body (``国务院``, ``中共中央``, ``国家…委员会``, ``…中国…推进委员会``:
  the lists in places.toml) gives ``全国``. Empty when none of these applies (never guessed from the body).
  A suffix that makes a compound noun with the next character (``紧密型县域``, ``县级``: ``suffix_compounds``)
  ends no place name, except after a short name opening the text (``某县域医共体方案``: 某县).
- **Basis regions**: the places that start the titles of the higher-level documents the opening says the plan
  implements (``根据《某省人民政府办公厅印发〈…〉的通知》精神``: ``某省``; the verbs are ``basis_verbs`` of
  places.toml; a cited ``《关于印发某省…的通知》`` is read after its lead words), a province and the places
  after it, other than the plan's own region and parent region.
  They let a question name the plan by its province; they are never its region.
- **Period**: ``YYYY—YYYY年`` in the title; else a range that the document repeats (at least twice)
  outside book-title marks 《》, e.g. annex tables titled ``（2023—2025年）``; else, when the title names one
  year after the issue year (``健康中国2030``), issue year to that year; else empty.
- **Draft**: ``征求意见稿``, ``草案``, ``送审稿``, ``讨论稿`` in the document head; ``试行`` is not a draft.
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
from collections import Counter
from dataclasses import dataclass

from ingestion.doc_head import CN_DATE as _CN_DATE
from ingestion.doc_head import DATE as _DATE
from ingestion.doc_head import MONTH_LINE as _MONTH_LINE
from ingestion.schema import DocumentMeta
from ingestion.sections import looks_like_heading
from ingestion.text.normalize import nfkc, squash
from ingestion.text.rules import alternation, rules

logger = logging.getLogger(__name__)

_HEAD_LINES = 40
_TITLE_LINE_MAX = 45
_TITLE_MAX = 120
# 文号: 机关代字 + 〔年份〕 + 序号 + 号 (连政办发〔2023〕30号), with any of the bracket forms in use; spaces
# tolerated. The one definition: the assistant finds a 文号 in a question with it too (see doc_number_key).
DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,12})\s*[〔［\[【(（]\s*((?:19|20)\d{2})\s*[〕］\]】)）]\s*(\d{1,4})\s*号")
# A dated issue note under a title: （2016 年 10 月 25 日 中共中央、国务院发布）.
_ISSUE_NOTE = re.compile(
    r"^[（(]\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*([\u4e00-\u9fff、，, ]{2,40}?)\s*(?:发布|印发)\s*[）)]$"
)
_ISSUED_TITLE = re.compile(r"印发\s*《([^《》]{4,})》")
# A reported issue naming the document for the rest of the text: 印发(的)《X》(以下简称《方案》).
_REPORTED_ISSUE = re.compile(r"印发(?:了|的)?\s*《([^《》]{4,})》\s*[（(]以下简称")
_RANGE = re.compile(r"(\d{4})\s*[—–\-~～至到]+\s*(\d{4})\s*年")
_SENTENCE_PUNCT = "，。；：,;:！？"
_MD_MARK = re.compile(r"^#{1,6}\s+")
# The opening where a plan names the documents it implements: this many characters (spaces removed).
_BASIS_CHARS = 2000
# A place starting a cited title has at most this many characters before its suffix (呼和浩特市).
_BASIS_NAME_CHARS = 4
_BOOK_TITLE = re.compile(r"《([^《》]{4,})》")
# The readers write a table's cells with this separator (序号 | 指标名称 |); a web page's index block too.
_TABLE_CELL = "|"
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")


@functools.cache
def _place_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A place name (a few Han characters and an administrative suffix), and a leading province.

    The place's suffix starts no ``suffix_compounds`` word (紧密型县域, 县级): see ``_place_name``.
    """
    r = rules()
    guard = r.suffix_compound_guard()
    place = re.compile(rf"^([\u4e00-\u9fff]{{1,8}}?(?:{alternation(r.head_place_suffixes)})){guard}")
    province = re.compile(rf"^[\u4e00-\u9fff]{{1,6}}?(?:{alternation(r.province_suffixes)})")
    return place, province


@functools.cache
def _short_place_pattern() -> re.Pattern[str]:
    """A short place name (at most _BASIS_NAME_CHARS characters and a suffix), whatever follows it."""
    suffixes = alternation(rules().head_place_suffixes)
    return re.compile(rf"^([\u4e00-\u9fff]{{1,{_BASIS_NAME_CHARS}}}?(?:{suffixes}))")


def _place_name(text: str, *, opening: bool) -> str:
    """The place name ``text`` starts with, else ''.

    A suffix followed by a character that makes a compound noun with it (县域, 县级, 区域: places.toml
    ``suffix_compounds``) ends no name: ``全面推进紧密型县域…`` starts with no place. Only a short name
    opening the text keeps its suffix there (``白鹭县域医共体建设方案``: 白鹭县's county-wide 医共体).
    """
    m = _place_patterns()[0].match(text)
    if m:
        return m.group(1)
    short = _short_place_pattern().match(text) if opening else None
    return short.group(1) if short else ""


@dataclass
class _Line:
    """A non-empty line of the head with its index among all lines."""

    index: int
    text: str


def extract_metadata(text: str) -> DocumentMeta:
    """Read title, issuer, 文号, date, region, period and draft status from a plan's text.

    Args:
        text: The document text (the reader's text is best: cleaning may merge title lines).

    Returns:
        The metadata the text states; fields it does not state stay empty.
    """
    lines = [_Line(i, _MD_MARK.sub("", line.strip())) for i, line in enumerate(text.split("\n"))]
    lines = [line for line in lines if line.text]
    head = lines[:_HEAD_LINES]
    doc_number = _find_doc_number(head)
    title, notice_title = _find_title(lines, head)
    issuer, date = _find_issuer_and_date(lines, notice_title)
    lead_org = _org_over_title(head, title)
    if lead_org:
        title = lead_org + title  # 某区人民政府 / 关于…的实施意见: one title printed over two lines
        issuer = issuer or lead_org
    reported = _reported_issue(head)
    if reported and not _names_a_document(title):
        title = reported[1]  # a report's headline (某率达到45%) is no document's title
    region, parent_region = _region(issuer, title)
    if not region and reported:
        # A report of the issue (某机关印发《X》（以下简称…）): the place X names, else a national issuer's 全国.
        region, parent_region = _region("", reported[1])
        if not region and _is_national(reported[0]):
            region = rules().national_region
    if reported and not issuer:
        issuer = _reported_issuer(reported[0], region)
    period = _period(title, text, date)
    basis = _basis_regions(text, {region, parent_region})
    head_text = "".join(line.text for line in head[:12])
    is_draft = any(marker in head_text for marker in rules().draft_markers)
    return DocumentMeta(
        title=title,
        issuer=issuer,
        doc_number=doc_number,
        date=date,
        region=region,
        parent_region=parent_region,
        basis_regions=basis,
        period=period,
        is_draft=is_draft,
    )


def doc_number_key(text: str) -> tuple[str, str, str] | None:
    """(机关代字, year, number) of a 文号 (``连政办发〔2023〕30号`` -> ``("连政办发", "2023", "30")``), else None."""
    m = DOC_NUMBER.fullmatch(nfkc(text).strip())
    return (m.group(1), m.group(2), m.group(3)) if m else None


def _find_doc_number(head: list[_Line]) -> str:
    """The 文号 standing alone on a line of the head, spaces removed."""
    for line in head:
        m = DOC_NUMBER.search(line.text)
        if not m:
            continue
        rest = (line.text[: m.start()] + line.text[m.end() :]).strip()
        if rest:
            continue  # cited inside a sentence or a title: another document's number
        return re.sub(r"\s+", "", m.group(0))
    return ""


def _is_title_line(text: str) -> bool:
    """A short line without sentence punctuation: a piece of a title block."""
    if len(text) > _TITLE_LINE_MAX or any(p in text for p in _SENTENCE_PUNCT) or _TABLE_CELL in text:
        return False  # a sentence, or a table cell (序号 |) right under a heading
    if DOC_NUMBER.fullmatch(text) or _DATE.search(text) or _CN_DATE.search(text) or _MONTH_LINE.match(text):
        return False
    if _is_org(text):
        return False  # an issuer printed under (or over) the title
    return not re.match(r"^(附\s*件|抄送|（此件|\(此件)", text) and not looks_like_heading(text)


def _is_addressee(lines: list[_Line], i: int) -> bool:
    """An addressee line (``各县区人民政府，市各有关部门：``, possibly wrapped over up to three lines)."""
    text = lines[i].text
    if not (text.startswith("各") or "、" in text):
        return False
    for k in range(i, min(i + 3, len(lines))):
        if re.search(r"[：:]$", lines[k].text):
            return True
        if re.search(r"[。；]", lines[k].text):
            return False
    return False


def _title_blocks(lines: list[_Line]) -> list[tuple[int, str]]:
    """Consecutive title-like lines joined: (position in ``lines``, joined text)."""
    blocks: list[tuple[int, str]] = []
    i = 0
    while i < len(lines):
        if not _is_title_line(lines[i].text):
            i += 1
            continue
        start = i
        parts: list[str] = []
        while i < len(lines) and _is_title_line(lines[i].text) and len("".join(parts)) < _TITLE_MAX:
            if parts and _is_addressee(lines, i):
                break
            parts.append(lines[i].text)
            i += 1
            if re.search(r"通知$", parts[-1]):
                break  # a notice title ends here; the addressee line follows
        blocks.append((start, "".join(parts)))
    return blocks


def _strip_draft(title: str) -> str:
    """Remove a trailing （征求意见稿）-like marker from a title."""
    pattern = "|".join(rules().draft_markers)
    return re.sub(rf"[（(]\s*(?:{pattern})\s*[）)]\s*$", "", title).strip()


def _squash(text: str) -> str:
    """Form used to compare titles: NFKC, no spaces, no quotes or book-title marks."""
    return squash(text, drop="“”\"'《》〈〉")


def _find_title(lines: list[_Line], head: list[_Line]) -> tuple[str, str]:
    """(plan title, notice title or '') following the rules in the module docstring."""
    blocks = _title_blocks(head)
    notice = next(((pos, b) for pos, b in blocks if "印发" in b and re.search(r"通知$", b)), None)
    if notice is None:
        for _pos, block in blocks:
            if len(block) >= 6:
                reported = _ISSUED_TITLE.search(block)  # 某机关印发《X》: X is the plan
                return _tidy_title(_strip_draft(reported.group(1) if reported else block)), ""
        return "", ""

    notice_pos, notice_title = notice
    m = re.search(r"印发(.+?)(?:的)?通知$", notice_title)
    issued = m.group(1) if m else ""
    # The name in 《》 in the notice body is the issued plan's exact title (it may wrap over lines).
    body = "".join(line.text for line in head[notice_pos + 1 : notice_pos + 10])
    q = re.search(r"《([^《》]{6,}?)》", body)
    quoted = q.group(1) if q else ""
    wanted = [_squash(x) for x in (quoted, issued) if x]
    # The plan's own title block after the notice, when it matches the issued name: an exact
    # match first, then a block that contains the issued name or is contained in it.
    blocks_after = [_strip_draft(b) for _, b in _title_blocks(lines[notice_pos + 1 : notice_pos + 80])]
    for block in blocks_after:
        if _squash(block) in wanted and not block.startswith("《"):  # 《X》已经…同意 cites it, the title follows
            return block, notice_title
    for block in blocks_after:
        squashed = _squash(block)
        if "《" in block or len(squashed) < 6:
            continue
        if any(w in squashed or squashed in w for w in wanted):
            return block, notice_title
    return _strip_draft(quoted or issued), notice_title


def _org_over_title(head: list[_Line], title: str) -> str:
    """The organisation line printed right above a ``关于…`` title (``某区人民政府`` / ``关于…的实施意见``), else ''."""
    if not title.startswith("关于"):
        return ""
    for prev, line in itertools.pairwise(head):
        if line.text.startswith("关于") and _is_org(prev.text) and _squash(title).startswith(_squash(line.text)):
            return prev.text
    return ""


def _reported_issue(head: list[_Line]) -> tuple[str, str] | None:
    """(organisation, title) of a reported issue in the opening, else None.

    ``某机关近日印发的《X》（以下简称《方案》）提出``: a report whose subject is X (以下简称 names it for the rest
    of the text). A sentence that implements a document (``贯彻落实…印发的《X》``: places.toml ``basis_verbs``)
    cites it and is never one.
    """
    verbs = re.compile(alternation(rules().basis_verbs))
    for line in head[:12]:
        text = line.text
        for m in _REPORTED_ISSUE.finditer(text):
            sentence = re.split(r"[。；;]", text[: m.start()])[-1]
            if verbs.search(sentence):
                continue
            org = re.split(r"[，,：:]", sentence)[-1]
            org = re.sub(r"(?:近日|日前|近期|今天|今日|日前联合|联合)$", "", org)
            return org, m.group(1)
    return None


def _names_a_document(title: str) -> bool:
    """Whether a title ends with a kind of document (places.toml ``document_kinds``), a trailing period aside."""
    core = re.sub(r"\s*[（(][^（）()]*[）)]\s*$", "", title.strip())
    return core.endswith(rules().document_kinds)


def _reported_issuer(org: str, region: str) -> str:
    """The issuer a report names (某机关印发…), completed with the region when it names only its level.

    ``省人民政府办公厅`` of a province's plan -> ``某省人民政府办公厅``; a full name stays as it is; '' when the
    words before 印发 are not an organisation.
    """
    if not _is_org(org):
        return ""
    levels = tuple(x for x in (*rules().province_suffixes, *rules().head_place_suffixes) if len(x) == 1)
    if region and region != rules().national_region and org.startswith(levels) and org[:1] == region[-1:]:
        return region + org[1:]
    return org


def _tidy_title(title: str) -> str:
    """A title without the spaces a PDF leaves around digits and quotes (``“健康中国 2030”`` -> ``“健康中国2030”``)."""
    return re.sub(r"(?<=[\u4e00-\u9fff“”《》（）\d]) +(?=[\u4e00-\u9fff“”《》（）\d])", "", title.strip())


def _find_issuer_and_date(lines: list[_Line], notice_title: str) -> tuple[str, str]:
    """Issuer from the signature line (an organisation right above a date line) and that date."""
    for line in lines[:_HEAD_LINES]:
        note = _ISSUE_NOTE.match(re.sub(r"\s+", " ", line.text))
        if note:
            issuers = [x for x in re.split(r"[、，, ]+", note.group(2)) if x]
            if issuers and all(_is_org(x) for x in issuers):
                return "、".join(issuers), _parse_date(note.group(1))
    for idx, line in enumerate(lines):
        date = _parse_date(line.text)
        month = _MONTH_LINE.match(line.text)
        if month and idx > 0 and _is_org(lines[idx - 1].text.strip()):
            return lines[idx - 1].text.strip(), f"{int(month.group(1)):04d}-{int(month.group(2)):02d}"
        if not date or len(line.text) > 30:
            continue
        # The signature is the line just above the date, or on the same line before it.
        same = re.split(r"\s{2,}", line.text)
        candidates = [same[0]] if len(same) > 1 else []
        if idx > 0:
            candidates.append(lines[idx - 1].text)
        for cand in candidates:
            org = cand.strip()
            if _is_org(org):
                return org, date
    # No signature: a web page's labelled fields (来源：某司, 发布日期：2021-10-14).
    issuer, date = _page_fields(lines[:_HEAD_LINES])
    if issuer:
        return issuer, date or _head_date(lines)
    # Else a dated line in the head, and the organisation in the notice title.
    if notice_title and "关于" in notice_title:
        prefix = notice_title.split("关于", 1)[0]
        if _is_org(prefix) and _region_from_org(prefix):
            issuer = prefix
    return issuer, date or _head_date(lines)


def _head_date(lines: list[_Line]) -> str:
    """The date of the first short dated line of the head, else ''."""
    for line in lines[:_HEAD_LINES]:
        if len(line.text) <= 30 and _parse_date(line.text):
            return _parse_date(line.text)
    return ""


def _page_fields(head: list[_Line]) -> tuple[str, str]:
    """(issuer, date) from a web page's labelled fields (``来源：某司``, ``发布日期：| 2021-10-14 |``), else ''.

    The labels are places.toml's ``page_issuer_labels`` and ``page_date_labels``; a value is a cell of its
    own (``发布机构： | 某局 |``) or the rest of the label's cell. An issuer must name an organisation.
    """
    r = rules()
    labels = alternation(r.page_issuer_labels + r.page_date_labels)
    field = re.compile(rf"({labels})\s*[：:]\s*\|?\s*([^|：:]*)")
    issuer = date = ""
    for line in head:
        for m in field.finditer(line.text):
            label = m.group(1)
            value = re.sub(rf"\s*(?:{labels})$", "", m.group(2).strip()).strip()
            if label in r.page_issuer_labels and not issuer and _is_org(value):
                issuer = value
            elif label in r.page_date_labels and not date:
                iso = _ISO_DATE.search(value)
                date = f"{int(iso.group(1)):04d}-{int(iso.group(2)):02d}-{int(iso.group(3)):02d}" if iso else ""
                date = date or _parse_date(value)
    return issuer, date


def _is_org(text: str) -> bool:
    """A short line that names an organisation (ends with an organisation suffix, no punctuation)."""
    return (
        2 < len(text) <= 30
        and text.endswith(rules().org_suffixes)
        and not any(p in text for p in _SENTENCE_PUNCT)
        and not text.startswith(("抄送", "各"))
    )


def _parse_date(text: str) -> str:
    """ISO date of the first date in ``text`` (Arabic or Chinese numerals), else ''."""
    m = _DATE.search(text)
    if m:
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        c = _CN_DATE.search(text)
        if not c:
            return ""
        digits = {"〇": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7"}
        digits |= {"八": "8", "九": "9"}
        year = int("".join(digits[ch] for ch in c.group(1)))
        month, day = _cn_small(c.group(2)), _cn_small(c.group(3))
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1900 <= year <= 2200):
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}"


def _cn_small(token: str) -> int:
    """Value of a Chinese numeral up to 31 (``十二`` -> 12, ``三十一`` -> 31)."""
    values = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
    if "十" not in token:
        return values.get(token, 0)
    tens, _, ones = token.partition("十")
    return values.get(tens, 1) * 10 + values.get(ones, 0)


def _place_prefix(text: str) -> str:
    """The place name a text starts with, after dropping a leading province; '' if none."""
    text = re.sub(r"\s+", "", text)
    if text.startswith(rules().title_not_place_starts):
        return ""
    province = _place_patterns()[1].match(text)
    if province:
        text = text[province.end() :]
    place = _place_name(text, opening=True)
    if len(place) < 2 or place.endswith(rules().title_not_places):
        return ""
    return place


def _place_chain(text: str) -> list[str]:
    """The place names a text starts with, outermost first: ``某市某区人民政府`` -> [某市, 某区]."""
    first = _place_prefix(text)
    if not first:
        return []
    squashed = re.sub(r"\s+", "", text)
    province = _place_patterns()[1].match(squashed)
    rest = squashed[province.end() :] if province else squashed
    rest = rest[len(first) :]
    chain = [first]
    # 某州市: the lazy match stops at 某州; a suffix right after a suffix belongs to the same name.
    single = tuple(x for x in rules().head_place_suffixes if len(x) == 1)
    if rest[:1] in single and first.endswith(single) and rules().ends_place_at(rest, 1):
        chain[0] += rest[0]
        rest = rest[1:]
    while rest:
        name = _place_name(rest, opening=False)
        if len(name) < 2 or name.endswith(rules().title_not_places) or rest.startswith(rules().title_not_place_starts):
            break
        chain.append(name)
        rest = rest[len(name) :]
    return chain


def _is_national(text: str) -> bool:
    """An organisation (or title) of the national level that names no place (places.toml lists)."""
    squashed = re.sub(r"\s+", "", text)
    return bool(squashed) and (
        squashed.startswith(rules().national_starts) or any(w in squashed for w in rules().national_contains)
    )


def _region(issuer: str, title: str) -> tuple[str, str]:
    """(region, parent region) from the issuer, else the title (see module docstring)."""
    for text in (issuer, title):
        chain = _place_chain(text) if text else []
        if chain:
            return chain[-1], (chain[-2] if len(chain) > 1 else "")
    for text in (issuer, title):
        # A province naming nothing below it (某省国民营养计划): the province is the region.
        squashed = re.sub(r"\s+", "", text)
        province = _province_pattern().match(squashed) if text else None
        if province and not squashed.startswith(rules().title_not_place_starts) and "全" not in province.group(0):
            return province.group(0), ""
    for text in (issuer, title):
        if text and _is_national(text):
            return rules().national_region, ""
    return "", ""


@functools.cache
def _province_pattern() -> re.Pattern[str]:
    """A province a title starts with: two to five characters, none of them a province suffix, and the suffix."""
    suffixes = alternation(rules().province_suffixes)
    return re.compile(rf"^(?:(?!{suffixes})[\u4e00-\u9fff]){{2,5}}?(?:{suffixes})")


def _basis_regions(text: str, own: set[str]) -> list[str]:
    """Places starting the titles a sentence of the opening implements (根据《某省…》), the plan's own left out."""
    opening = re.sub(r"\s+", "", nfkc(text))[:_BASIS_CHARS]
    verbs = re.compile(alternation(rules().basis_verbs))
    out: list[str] = []
    for sentence in re.split(r"[。；]", opening):
        verb = verbs.search(sentence)
        if not verb:
            continue
        for cited in _BOOK_TITLE.findall(sentence[verb.start() :]):
            # 《关于印发某省…的通知》: the issued document's place follows the lead words.
            lead = next((w for w in rules().cited_title_leads if cited.startswith(w)), "")
            title = cited[len(lead) :]
            province = _province_pattern().match(title)
            places = ([province.group(0)] if province else []) + [p for p in _place_chain(title) if _short_place(p)]
            out.extend(p for p in places if p not in own and p not in out and p != rules().national_region)
    return out


def _short_place(place: str) -> bool:
    """A place of at most _BASIS_NAME_CHARS characters before its suffix (推进紧密型县域… only ends like one)."""
    suffix = next((x for x in rules().head_place_suffixes if place.endswith(x)), "")
    return len(place) - len(suffix) <= _BASIS_NAME_CHARS


def _region_from_org(org: str) -> str:
    """``某市人民政府办公室`` -> ``某市``; '' when the organisation names no place."""
    return _place_prefix(org) if org else ""


def _period(title: str, text: str, date: str = "") -> str:
    """Plan period: a range in the title, a range repeated outside 《》, or issue year to the title's year."""
    m = _RANGE.search(nfkc(title))
    if m and m.group(1) < m.group(2):
        return f"{m.group(1)}-{m.group(2)}"
    outside = re.sub(r"《[^《》]*》", "", nfkc(text))
    counts = Counter((a, b) for a, b in (mm.groups() for mm in _RANGE.finditer(outside)) if a < b)
    if counts:
        (start, end), n = counts.most_common(1)[0]
        if n >= 2:
            return f"{start}-{end}"
    years = set(re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", nfkc(title)))
    if date and len(years) == 1:
        (year,) = years
        if year > date[:4]:
            return f"{date[:4]}-{year}"
    return ""

"""Rendering of answers as safe HTML: document text is shown as text, never as markup."""

from __future__ import annotations

import html
import re

from assistant.schema import Answer, Citation, SearchHit
from ingestion.schema import Target
from ui import labels as L
from ui.render import (
    answer_copy_text,
    citation_context,
    locate,
    neutralize,
    passage,
    render_answer,
    render_answer_text,
    render_target_detail,
)

# A plan excerpt full of tricks: script, event handler, Markdown link/image/emphasis/heading/table,
# KaTeX, Gradio template syntax, an autolink and a bidi override.
HOSTILE = (
    "<script>window.__pwned=1</script><img src=x onerror=alert(1)> "
    "**粗体** _斜体_ [点我](javascript:alert(1)) ![图](http://evil.example/x.png) "
    "# 标题\n| a | b |\n|---|---|\n$$x^2$$ ${alert(1)} {{value}} www.evil.example \u202e反转"
)

# Tags ui.render is allowed to write; anything else in the output would have come from the text.
OWN_TAGS = {
    "div",
    "span",
    "p",
    "br",
    "strong",
    "sup",
    "ul",
    "li",
    "blockquote",
    "details",
    "summary",
    "mark",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


def _tags(s: str) -> set[str]:
    return {m.lower() for m in re.findall(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)", s)}


def _visible(s: str) -> str:
    """What a browser would show: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<br>", "\n", re.sub(r"<(?!br>)[^>]+>", "", s)))


def test_neutralize_leaves_no_markup_and_keeps_the_text() -> None:
    out = neutralize(HOSTILE)
    bare = re.sub(r"&#\d+;", "", out).replace("<br>", "")
    for ch in "<>*_[]()!#|$`{}~&":
        assert ch not in bare, ch
    assert "\u202e" not in out
    assert _visible(out) == HOSTILE.replace("\u202e", "")


def test_answer_html_only_has_our_tags_and_shows_the_quote_literally() -> None:
    answer = Answer(
        question="问题",
        answer=f"目标为90%以上[1]。{HOSTILE}",
        status="answered",
        citations=[Citation(n=1, doc_id="d1", title="<b>标题</b>", section="一、**总体要求**", quote=HOSTILE)],
    )
    text = "前文。" + HOSTILE + "后文。"
    out = render_answer(answer, {1: citation_context(answer.citations[0], text)})
    assert _tags(out) <= OWN_TAGS, _tags(out) - OWN_TAGS
    assert "\n\n" not in out  # one raw HTML block: Markdown never looks inside
    assert "onerror=" not in out.lower().replace("&#61;", "=") or "<img" not in out
    assert "<script" not in out and "<img" not in out and "<a " not in out
    visible = _visible(out)
    assert "<script>window.__pwned=1</script>" in visible
    assert "[点我](javascript:alert(1))" in visible
    assert "**粗体**" in visible
    assert re.search(r'<sup class="pa-ref" data-ref="1"[^<>]*>&#91;1&#93;</sup>', out)
    assert "<details" in out and "<mark>" in out


def test_answer_text_structures_bullets_bold_and_tables_without_markdown() -> None:
    out = render_answer_text(
        "结论如下：\n- 甲为**90%以上**[1]\n- 乙为3名[2]\n\n| 地区 | 目标 |\n|---|---|\n| 甲 | 5名 |"
    )
    assert out.count("<li>") == 2
    assert "<strong>90&#37;以上</strong>" in out
    assert out.count("<sup") == 2
    assert "<th>地区</th>" in out and "<td>5名</td>" in out
    assert "---" not in out


def test_not_found_is_plain_and_lists_the_nearest_passages() -> None:
    answer = Answer(
        question="月球基地建设目标？",
        answer="",
        status="not_found",
        suggestions=[
            SearchHit(chunk_id="c", doc_id="d", title="某规划", section="二、任务", text="<i>最近</i>的段落", score=1.0)
        ],
    )
    out = render_answer(answer)
    assert L.NOT_FOUND_TITLE in _visible(out)
    assert L.NEAREST_TITLE in _visible(out)
    assert "<i>最近</i>的段落" in _visible(out)
    assert "<i>" not in out


def test_passage_widens_to_sentences_and_marks_the_quote() -> None:
    text = "第一句话。第二句说明背景。到2025年，全科医生数达到3.5名。第四句话继续。第五句。"
    quote = "到2025年，全科医生数达到3.5名。"
    p = passage(text, quote)
    assert p.quote == quote
    assert p.before.endswith("第二句说明背景。")
    assert p.after.startswith("第四句话继续。")
    # Offsets that point elsewhere are not trusted; a quote with other spacing/width is still found.
    assert locate(text, quote, 0, 3) == (text.index(quote), text.index(quote) + len(quote))
    s, e = locate(text, "到２０２５年， 全科医生数达到3.5名。") or (0, 0)
    assert text[s:e] == quote
    assert not passage(text, "不在文中的句子").found


def test_copy_text_carries_numbered_sources() -> None:
    answer = Answer(
        question="q",
        answer="达到3.5名[1]。",
        status="answered",
        citations=[Citation(n=1, doc_id="d", title="某规划", section="附件1", quote="全科医生 3.5名")],
    )
    out = answer_copy_text(answer)
    assert out.startswith("达到3.5名[1]。")
    assert "[1] 某规划，附件1：“全科医生 3.5名”" in out


def test_target_detail_is_safe_and_expandable() -> None:
    text = "表头 甲 乙\n<script>x</script> 3 4\n合计 7"
    quote = "<script>x</script> 3 4"
    t = Target(
        doc_id="d", indicator="指标", value=3, quote=quote, start=text.index(quote), end=text.index(quote) + len(quote)
    )
    out = render_target_detail(t, text)
    assert "<script" not in out
    assert _tags(out) <= OWN_TAGS
    assert "<details" in out and "<mark>&#60;script&#62;x&#60;&#47;script&#62; 3 4</mark>" in out


def test_passage_stays_near_the_quote_across_paragraphs() -> None:
    background = "坚持以基层为重点" * 60 + "。"
    tasks = "推进服务体系建设" * 60 + "。"
    text = f"{background}\n\n二、主要目标\n\n到2023年底，A达3.5名。\n\n到2025年底，A达4名。\n\n三、工作任务\n\n{tasks}"
    p = passage(text, "到2025年底，A达4名。")
    assert "到2023年底，A达3.5名。" in p.before and "二、主要目标" in p.before
    assert "坚持以基层为重点" not in p.before
    assert "三、工作任务" in p.after
    assert len(p.before) + len(p.after) < 2 * 160
    # A neighbouring sentence longer than twice the radius is cut and marked.
    q = passage(tasks + "到2025年底，A达4名。", "到2025年底，A达4名。")
    assert q.before.startswith("…") and len(q.before) <= 161


def test_resolved_question_is_shown_for_follow_ups_only() -> None:
    answer = Answer(
        question="那2023年呢？", answer="3.5名[1]", status="answered", resolved_question="2023年 全科医生数"
    )
    assert "2023年 全科医生数" in _visible(render_answer(answer, follow_up=True))
    assert "2023年 全科医生数" not in _visible(render_answer(answer))
    # A question that already says it all is not "understood with the earlier turns".
    full = Answer(
        question="到2025年全市建成多少个月球基地？",
        answer="",
        status="not_found",
        resolved_question="2025年 建成月球基地",
    )
    assert L.RESOLVED_AS.split("：")[0] not in _visible(render_answer(full, follow_up=True))

"""What gets embedded and indexed for a chunk; the stored chunk text is never altered."""

from __future__ import annotations

from ingestion.schema import Chunk
from vectorstore.indexing import index_text, lexical_text, total_row_words


def _chunk(text: str, section: str = "") -> Chunk:
    return Chunk(chunk_id="d:h:0", doc_id="d", ord=0, text=text, section=section)


def test_section_path_is_prepended() -> None:
    chunk = _chunk("每年引进博士研究生不少于20人。", "二、重点任务 > （一）建设医疗服务高地")
    out = index_text(chunk, "某市实施方案")
    assert out.startswith("二、重点任务 > （一）建设医疗服务高地\n")
    assert out.endswith(chunk.text)
    assert chunk.text == "每年引进博士研究生不少于20人。"


def test_no_section_or_section_already_in_text() -> None:
    assert index_text(_chunk("正文一段。"), "标题") == "正文一段。"
    heading = "二、主要目标"
    chunk = _chunk("二、主要目标\n\n到2025年底，达标率90%以上。", heading)
    assert index_text(chunk, "") == chunk.text


def test_lexical_text_adds_the_title() -> None:
    chunk = _chunk("县域内就诊率达到90%。", "一、总体要求")
    out = lexical_text(chunk, "某市深化医改实施方案")
    assert out.split("\n") == ["某市深化医改实施方案", "一、总体要求", "县域内就诊率达到90%。"]
    assert lexical_text(chunk, "") == index_text(chunk, "")
    row = _chunk("某市任务分解表｜县区：某县｜培养全科医生数（人）：2023年 25", "附件3")
    assert lexical_text(row, "某市任务分解表") == "附件3\n" + row.text  # title already in the row text


def test_a_total_row_answers_to_the_whole_area() -> None:
    total = Chunk(
        chunk_id="d:h:1",
        doc_id="d",
        ord=1,
        text="某市任务分解表｜县区：合计｜新增社区医院（家）：2023年 6；2024年 8",
        kind="table_row",
    )
    county = total.model_copy(update={"text": total.text.replace("合计", "某县")})
    assert lexical_text(total, "").split("\n")[-1] == total_row_words()
    assert "全市" not in lexical_text(county, "")
    assert "全市" not in index_text(total, "")  # the dense text is the row as stored
    narrative = _chunk("合计：全年完成培训500人次。")
    assert lexical_text(narrative, "") == narrative.text

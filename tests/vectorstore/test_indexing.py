"""What gets embedded and indexed for a chunk; the stored chunk text is never altered."""

from __future__ import annotations

from ingestion.schema import Chunk
from vectorstore.indexing import index_text


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

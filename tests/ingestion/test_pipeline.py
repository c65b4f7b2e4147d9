"""parse_file end to end on every file type, the sidecar, doc ids, and every bad input."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from ingestion.pipeline import make_doc_id, parse_file
from ingestion.schema import ParsedDocument
from ingestion.text.errors import (
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    FileTooLargeError,
    IngestError,
    NoTextError,
    TextDecodingError,
    UnsupportedFileError,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PLANS = Path(__file__).resolve().parents[2] / "data" / "plans"
LIMIT = 10_000_000
TABLE_TITLE = "连云港市基层医疗卫生机构“双提升”工程队伍建设任务分解表（2023—2025年）"


def _check_invariants(doc: ParsedDocument, path: Path) -> None:
    assert doc.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert doc.source == path.name
    assert doc.doc_id == make_doc_id(path)
    assert doc.chunks, "every readable plan yields chunks"
    for chunk in doc.chunks:
        assert 0 <= chunk.start < chunk.end <= len(doc.text)
        assert chunk.chunk_id == f"{doc.doc_id}:{doc.content_hash[:8]}:{chunk.ord}"
        if chunk.kind == "text":
            assert doc.text[chunk.start : chunk.end] == chunk.text
    for table in doc.tables:
        for row in table.rows:
            if row.start >= 0:
                assert doc.text[row.start : row.end] == row.quote
    for target in doc.targets:
        assert target.doc_id == doc.doc_id
        assert target.source == path.name
        assert target.title == doc.meta.title
        assert doc.text[target.start : target.end] == target.quote


@pytest.mark.parametrize("name", ["plan.docx", "plan.pdf"])
def test_docx_and_pdf_end_to_end_with_grid_table(name: str) -> None:
    path = FIXTURES / name
    doc = parse_file(path, LIMIT)
    _check_invariants(doc, path)
    assert doc.meta.title == "连云港市基层医疗卫生机构“双提升”工程实施方案"
    assert doc.meta.doc_number == "连政办发〔2023〕30号"
    assert doc.meta.region == "连云港市"
    assert [s.heading for s in doc.sections if s.level == 1] == ["一、指导思想", "二、主要目标", "三、工作任务"]
    # The grid table is parsed once (not also as a text table), located in the text, and adds up.
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert table.source == ("pdf" if name.endswith(".pdf") else "docx")
    assert table.title == TABLE_TITLE
    assert table.label_header == "县区"
    assert table.columns == [f"培养全科医生数（人）/{y}年" for y in (2023, 2024, 2025)]
    assert [r.label for r in table.rows][:2] == ["东海县", "灌云县"]
    assert all(r.start >= 0 for r in table.rows)
    assert table.totals_ok is True
    assert table.section_path and table.section_path[0].startswith("附件")
    rows = [c for c in doc.chunks if c.kind == "table_row"]
    assert len(rows) == len(table.rows)
    assert rows[0].text == f"{TABLE_TITLE}｜县区：东海县｜培养全科医生数（人）：2023年 25；2024年 25；2025年 25"
    assert not any("东海县" in c.text for c in doc.chunks if c.kind == "text")
    # Grid cells become table targets carrying title, source and (for PDF) the page.
    cell = next(t for t in doc.targets if t.row_label == "东海县" and t.year == "2024")
    assert (cell.kind, cell.value, cell.region) == ("table", 25.0, "东海县")
    assert cell.title == doc.meta.title and cell.source == name
    assert cell.page == (2 if name.endswith(".pdf") else None)


def test_pdf_chunks_know_their_page() -> None:
    doc = parse_file(FIXTURES / "plan.pdf", LIMIT)
    assert [p.page for p in doc.pages] == [1, 2]
    goals = next(c for c in doc.chunks if "到2025年底" in c.text)
    assert goals.page == 1
    rows = [c for c in doc.chunks if c.kind == "table_row"]
    assert rows and all(c.page == 2 for c in rows)
    # The page number footer is cleaned away.
    assert "— 1 —" not in doc.text


@pytest.mark.parametrize("name", ["plan_gb18030.txt", "plan_utf8_bom.txt"])
def test_text_encodings_end_to_end(name: str) -> None:
    path = FIXTURES / name
    doc = parse_file(path, LIMIT)
    _check_invariants(doc, path)
    assert doc.meta.title == "连云港市基层医疗卫生机构“双提升”工程实施方案"
    assert doc.meta.date == "2023-07-10"
    assert "\r" not in doc.text and "\ufeff" not in doc.text
    assert any("全市每万人口全科医生数达4名" in c.text for c in doc.chunks)


def test_markdown_end_to_end(tmp_path: Path) -> None:
    path = tmp_path / "某市方案.md"
    path.write_bytes((FIXTURES / "plan_utf8_bom.txt").read_bytes())
    doc = parse_file(path, LIMIT)
    _check_invariants(doc, path)
    assert doc.meta.issuer == "连云港市人民政府办公室"


@pytest.mark.parametrize("plan", sorted(p.name for p in PLANS.glob("*.txt")))
def test_shipped_plans_end_to_end(plan: str) -> None:
    path = PLANS / plan
    doc = parse_file(path, LIMIT)
    _check_invariants(doc, path)
    assert doc.meta.title
    assert len(doc.sections) >= 20
    text_sizes = [len(c.text) for c in doc.chunks if c.kind == "text"]
    assert max(text_sizes) <= 600


def test_shipped_annex_tables_become_row_chunks() -> None:
    doc = parse_file(next(PLANS.glob("000_*.txt")), LIMIT)
    assert len(doc.tables) == 3
    rows = [c for c in doc.chunks if c.kind == "table_row"]
    assert len(rows) == sum(len(t.rows) for t in doc.tables)
    assert any(c.text.startswith(doc.tables[2].title) and "东海县" in c.text for c in rows)
    for table in doc.tables:
        for chunk in (c for c in doc.chunks if c.kind == "text"):
            assert chunk.end <= table.start or chunk.start >= table.end


def test_sidecar_overrides_and_can_be_switched_off(tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    shutil.copy(FIXTURES / "plan.pdf", path)
    Path(f"{path}.meta.json").write_text(
        json.dumps({"region": "海州区", "title": "修正后的标题", "date": ""}, ensure_ascii=False), encoding="utf-8"
    )
    doc = parse_file(path, LIMIT)
    assert doc.meta.region == "海州区"
    assert doc.meta.title == "修正后的标题"
    assert doc.meta.date == "2023-07-10"  # an empty sidecar field keeps the extracted value
    plain = parse_file(path, LIMIT, sidecar=False)
    assert plain.meta.region == "连云港市"


def test_make_doc_id_is_stable_and_safe(tmp_path: Path) -> None:
    assert make_doc_id(Path("000_778e5b2cbe8b919c.txt")) == "000_778e5b2cbe8b919c"
    assert make_doc_id(Path("/a/plan.pdf")) == make_doc_id(Path("/b/plan.pdf"))  # same name, same id
    assert make_doc_id(Path("ＡＢＣ 方案（2023）.docx")) == "abc_方案_2023"  # NFKC, unsafe runs collapsed
    long_a = make_doc_id(Path("方" * 100 + "甲.txt"))
    long_b = make_doc_id(Path("方" * 100 + "乙.txt"))
    assert len(long_a) <= 80 and long_a != long_b
    assert make_doc_id(Path("（）.txt")).startswith("doc_")


def test_same_file_parses_identically() -> None:
    a = parse_file(FIXTURES / "plan.docx", LIMIT)
    b = parse_file(FIXTURES / "plan.docx", LIMIT)
    assert a.model_dump() == b.model_dump()


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("empty.txt", EmptyFileError),
        ("binary.pdf", CorruptFileError),
        ("encrypted.pdf", EncryptedFileError),
        ("corrupt.pdf", CorruptFileError),
        ("scanned.pdf", NoTextError),
        ("plan.xlsx", UnsupportedFileError),
        ("bad_encoding.txt", TextDecodingError),
    ],
)
def test_bad_inputs(name: str, error: type[IngestError]) -> None:
    with pytest.raises(error) as info:
        parse_file(FIXTURES / name, LIMIT)
    assert isinstance(info.value, IngestError)
    message = str(info.value)
    assert message and "\n" not in message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)


def test_file_over_the_limit() -> None:
    with pytest.raises(FileTooLargeError):
        parse_file(FIXTURES / "plan.pdf", max_bytes=1024)

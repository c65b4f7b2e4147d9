"""Tables, chart series and example questions the UI builds from stored targets and documents."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from ingestion.schema import DocumentMeta, DocumentRecord, Target
from ui import data
from ui import labels as L


def _t(region: str, year: str, value: float, row_label: str = "", indicator: str = "新增社区医院数（家）") -> Target:
    return Target(
        doc_id="d", indicator=indicator, value=value, year=year, region=region, row_label=row_label, quote="q"
    )


def test_charts_compare_sub_regions_without_the_total_row() -> None:
    rows = [
        _t("甲县", "2023", 2),
        _t("甲县", "2024", 3),
        _t("乙县", "2023", 4),
        _t("乙县", "2024", 5),
        _t("某市", "2023", 6, "合计"),
        _t("某市", "2024", 8, "合  计"),
        _t("甲县", "2023-2025", 9),  # not a calendar year: not on the year axis
        _t("甲县", "2023", 99),  # a second row for the same point: the first one wins
        _t("丙县", "2024", 1, indicator="别的指标"),
    ]
    by_year = data.chart_by_year(rows, "新增社区医院数（家）")
    assert by_year.values.tolist() == [
        ["2023", 4.0, "乙县"],
        ["2023", 2.0, "甲县"],
        ["2024", 5.0, "乙县"],
        ["2024", 3.0, "甲县"],
    ]
    by_region, year = data.chart_by_region(rows, "新增社区医院数（家）", None)
    assert year == "2024"  # best covered year, ties to the later
    assert sorted(by_region[L.COL_REGION]) == ["乙县", "甲县"]
    # With no sub-regions to compare, the total is all there is and stays.
    only_total = [_t("某市", "2023", 6, "合计"), _t("某市", "2024", 8, "合计")]
    assert len(data.chart_by_year(only_total, "新增社区医院数（家）")) == 2


def test_example_questions_follow_the_stored_targets() -> None:
    rows = [_t("甲县", "2025", 1, indicator="每千人口床位数")] * 3 + [_t("", "2027", 1, indicator="签约率")]
    qs = data.example_questions(rows, k=4)
    assert qs[0] == "到2025年每千人口床位数要达到多少？"
    assert "到2027年签约率要达到多少？" in qs
    assert len(qs) == 4 and len(set(qs)) == 4
    assert data.example_questions([], k=3) == list(L.EXAMPLE_FALLBACK[:3])
    # A table header's unit in brackets is dropped from the question.
    assert data.example_questions([_t("甲县", "2024", 2)], k=1) == ["到2024年新增社区医院数要达到多少？"]


@pytest.mark.slow
def test_tables_and_csv_from_the_shipped_store(shipped_assistant, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    docs = shipped_assistant.documents()
    targets = shipped_assistant.targets()
    assert targets, "the shipped plans yield target rows"
    titles = {d.doc_id: data.doc_label(d) for d in docs}
    frame = data.targets_frame(targets, titles)
    assert list(frame.columns) == data.TARGET_COLUMNS and len(frame) == len(targets)
    assert set(frame[L.COL_DOC]) <= set(titles.values())
    path = data.write_targets_csv(targets, titles, tmp_path / "x" / "指标.csv")
    with path.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    assert table[0] == data.TARGET_COLUMNS and len(table) == len(targets) + 1
    assert data.year_choices(targets)[0].isdigit()
    regions = data.region_choices(docs, targets)
    assert {d.meta.region for d in docs if d.meta.region} <= set(regions)
    indicators = {re.sub(r"[（(][^（）()]*[）)]$", "", t.indicator) for t in targets}  # unit suffix dropped
    examples = data.example_questions(targets)
    assert any(q not in L.EXAMPLE_FALLBACK for q in examples)
    for q in examples:
        assert q in L.EXAMPLE_FALLBACK or any(i in q for i in indicators), q
    docs_frame = data.documents_frame(docs)
    assert list(docs_frame.columns) == data.DOC_COLUMNS and len(docs_frame) == len(docs)
    assert sorted(docs_frame[L.COL_DOC_ID]) == sorted(d.doc_id for d in docs)


def test_documents_frame_marks_drafts() -> None:
    rec = DocumentRecord(
        doc_id="x", source="a.txt", content_hash="h", meta=DocumentMeta(title="某方案（征求意见稿）", is_draft=True)
    )
    row = data.documents_frame([rec]).iloc[0]
    assert row[L.COL_DRAFT] == L.DRAFT_YES and row[L.COL_TITLE] == "某方案（征求意见稿）"

"""What officials see, below the browser: table cells with headers, the row clicked, labelled regions,
missing metadata, chart pickers, the question limit and the pending question, Gradio's API listing.

Made-up documents and rows only; the browser test (test_browser_officials.py) checks the same items
on the real page.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from assistant.schema import Citation
from assistant.service import Assistant
from ingestion.schema import DocumentMeta, DocumentRecord, Target
from tests.conftest import make_settings
from ui import data
from ui import labels as L
from ui.app import build_ui
from ui.cells import cell_label, render_cells, same_row
from ui.pages.chat import ChatPage
from ui.pages.targets import MAX_SERIES, TargetsPage
from ui.render import render_citation


def _cell(col: str, value: float, start: int = 10, row: str = "甲县", quote: str = "甲县 21 24 25") -> Target:
    return Target(
        target_id=f"t-{col}-{value}",
        doc_id="d1",
        region=row,
        indicator=col.split("/")[0],
        value=value,
        value_text=f"{value:g}",
        year=col.split("/")[-1].rstrip("年"),
        kind="table",
        quote=quote,
        start=start,
        end=start + len(quote),
        table_title="表1 某指标分县目标",
        row_label=row,
        column_header=col,
    )


def test_a_table_cell_is_named_by_its_row_and_header_and_opens_to_the_whole_row() -> None:
    cited = _cell("培养全科医生数（人）/2025年", 25)
    others = [_cell("培养全科医生数（人）/2023年", 21), _cell("培养全科医生数（人）/2024年", 24)]
    elsewhere = _cell("培养全科医生数（人）/2025年", 9, row="乙县", quote="乙县 7 8 9")
    assert cell_label(cited) == "甲县 · 培养全科医生数（人） 2025年：25"
    row = same_row(cited, [cited, *others, elsewhere])
    assert {t.value for t in row} == {21, 24, 25}
    c = Citation(n=2, doc_id="d1", quote=cited.quote, target_id=cited.target_id)
    html = render_citation(c, None, render_cells(c, [cited, *others]))
    assert "甲县 · 培养全科医生数（人） 2025年：25" in html
    assert '<details class="pa-row" data-n="2">' in html and "2023年" in html and "2024年" in html
    assert html.index("pa-cell") < html.index("pa-quote")  # the named cell above the bare row of numbers


def test_clicking_a_row_opens_that_row_even_when_rows_share_a_quote() -> None:
    quote = "到2023年底全县达3.5名，到2025年底达3.5名"
    rows = [
        Target(doc_id="d", indicator="每万人口全科医生数", value=3.5, value_text="3.5名", year=y, quote=quote)
        for y in ("2025", "2023")
    ]
    shown = data.target_row(rows[1], {})
    shown[4] = "3.5"  # the table sends numbers back as text
    assert data.match_row(rows, shown, {}) is rows[1]
    assert data.match_row(rows, data.target_row(rows[0], {}), {}) is rows[0]


def test_regions_are_labelled_with_their_plan_and_missing_metadata_is_named() -> None:
    city = DocumentRecord(
        doc_id="d1", source="a.txt", content_hash="h1", meta=DocumentMeta(title="甲市规划", region="甲市")
    )
    bare = DocumentRecord(doc_id="d2", source="b.txt", content_hash="h2", meta=DocumentMeta(title="无名方案"))
    targets = [
        Target(doc_id="d1", indicator="x", value=1, region="开发区", quote="q"),
        Target(doc_id="d1", indicator="x", value=1, region="甲市", quote="q"),
    ]
    labels = dict((v, k) for k, v in data.region_labels([city, bare], targets))
    assert labels["甲市"] == "甲市"
    assert labels["开发区"] == "开发区（甲市）"
    lines = data.missing_meta_lines([city, bare])
    assert len(lines) == 2
    assert lines[1] == "无名方案：缺少发文机关、日期、地区"
    assert "发文机关、日期" in lines[0] and "地区" not in lines[0]
    assert data.documents_frame([bare])[L.COL_META_MISSING].tolist() == ["发文机关、日期、地区"]


def test_by_year_chart_shows_a_few_series_and_offers_the_rest() -> None:
    rows = [
        Target(doc_id="d", indicator="床位数", value=v + i, year=y, region=f"{name}县", quote="q").model_dump(
            mode="json"
        )
        for i, name in enumerate("甲乙丙丁戊己庚辛")
        for v, y in ((1, "2023"), (2, "2025"))
    ]
    page = TargetsPage(None, None)  # type: ignore[arg-type]  # the chart needs no service
    *_, last = page.chart(rows, "床位数", L.T_AXIS_YEAR)
    line, _, _, year_picker, series = last
    assert len(set(line["value"][L.COL_SERIES])) == MAX_SERIES
    assert len(series["choices"]) == 8 and len(series["value"]) == MAX_SERIES and series["visible"]
    *_, last = page.chart(rows, "床位数", L.T_AXIS_YEAR, None, ["辛县"])
    assert set(last[0]["value"][L.COL_SERIES]) == {"辛县"}
    *_, last = page.chart(rows, "床位数", L.T_AXIS_REGION, "2023")
    _, bars, _, year_picker, _ = last
    assert year_picker["choices"] == ["2023", "2025"] and year_picker["value"] == "2023"
    assert sorted(bars["value"][L.COL_VALUE]) == [1 + i for i in range(8)]
    assert "2023" in bars["label"]


def test_the_question_shows_at_once_and_the_api_limit_applies(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, max_question_chars=20)
    page = ChatPage(None, settings)  # type: ignore[arg-type]  # the first step needs no service
    box, messages, asked = page.pending("  到2026年签约率要达到多少？ ", [])
    assert box == "" and asked == "到2026年签约率要达到多少？"
    assert "签约率" in messages[0]["content"] and "pa-pending" in messages[1]["content"]
    with pytest.warns(UserWarning, match="20 字以内"):
        _, _, asked = page.pending("问" * 21, [])
    assert asked == ""
    assert page.answer("", [], [], None, None)[0] is not None  # nothing asked: nothing changes


def test_the_ui_lists_no_endpoint_in_gradios_api(tmp_path: Path) -> None:
    blocks = build_ui(Assistant(make_settings(tmp_path)))
    info = blocks.get_api_info(all_endpoints=True)
    assert info["named_endpoints"] == {} and info["unnamed_endpoints"] == {}

"""The 指标 page: the target rows filtered, sorted, exported as CSV, charted by year or region."""

from __future__ import annotations

import tempfile
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from assistant.service import Assistant
from assistant.settings import Settings
from ingestion.schema import Target
from ingestion.text.errors import PolicyAssistantError
from ui import data
from ui import labels as L
from ui.render import neutralize, render_message, render_target_detail
from ui.widgets import doc_text, warn
from ui.widgets import titles as doc_titles

# Rows shown in the target table (the CSV export carries them all).
MAX_TABLE_ROWS = 500
# Lines drawn at once on the by-year chart; the series picker chooses others.
MAX_SERIES = 5
# Tableau 10: distinct on screen and in grey-scale print-outs.
PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]
# Pixel widths: wide tables scroll sideways on a phone instead of squeezing every column.
TARGET_COLUMN_WIDTHS: list[str | int] = [90, 110, 200, 110, 70, 60, 80, 200, 160, 360, 80]


@dataclass
class TargetsTab:
    """The target explorer's components, and how to refresh its table and chart after an event."""

    target_rows: Any
    t_region: Any
    t_indicator: Any
    t_year: Any
    t_doc: Any
    t_search: Any
    t_reset: Any
    t_export: Any
    t_count: Any
    t_table: Any
    t_detail: Any
    t_chart_ind: Any
    t_axis: Any
    t_chart_year: Any
    t_series: Any
    chart_year: Any
    chart_region: Any
    chart_empty: Any
    page: TargetsPage

    @property
    def filter_inputs(self) -> list[Any]:
        """The filter fields, in the order ``TargetsPage.filter_targets`` takes them."""
        return [self.t_region, self.t_indicator, self.t_year, self.t_doc]

    @property
    def filter_outputs(self) -> list[Any]:
        """What ``TargetsPage.filter_targets`` fills: table, count, CSV, chart choices, rows, detail."""
        return [self.t_table, self.t_count, self.t_export, self.t_chart_ind, self.target_rows, self.t_detail]

    @property
    def chart_inputs(self) -> list[Any]:
        """What ``TargetsPage.chart`` reads."""
        return [self.target_rows, self.t_chart_ind, self.t_axis, self.t_chart_year, self.t_series]

    @property
    def chart_outputs(self) -> list[Any]:
        """The two charts, the empty-chart note, and the year and series pickers."""
        return [self.chart_year, self.chart_region, self.chart_empty, self.t_chart_year, self.t_series]

    def refresh(self, event: Any) -> Any:
        """After ``event``: filter the table again, then redraw the chart.

        Bound to ``input`` (a person's choice), not ``change``: choices refreshed by the server must
        not re-run a filter with stale inputs behind the one the official just asked for.
        """
        return event.then(
            self.page.filter_targets, self.filter_inputs, self.filter_outputs, api_visibility="private"
        ).then(
            self.page.new_indicator,
            [self.target_rows, self.t_chart_ind, self.t_axis],
            self.chart_outputs,
            api_visibility="private",
        )


class TargetsPage:
    """The target explorer's event handlers, bound to one Assistant."""

    def __init__(self, assistant: Assistant, settings: Settings) -> None:
        self.assistant = assistant
        self.settings = settings
        self._export_dir: Path | None = None
        self._export_lock = threading.Lock()

    def _export(self, targets: list[Target], titles: dict[str, str]) -> str:
        with self._export_lock:
            if self._export_dir is None:
                self._export_dir = Path(tempfile.mkdtemp(prefix="policy-assistant-ui-"))
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = self._export_dir / uuid.uuid4().hex[:8] / f"指标_{stamp}.csv"
        return str(data.write_targets_csv(targets, titles, path))

    def filter_targets(
        self, region: str | None, indicator: str | None, year: str | None, doc_id: str | None
    ) -> tuple[Any, ...]:
        """The target table, its count, the CSV file, the chart's indicator choices and the rows as state."""
        try:
            targets = self.assistant.targets(
                region=region or None,
                indicator=(indicator or "").strip() or None,
                year=year or None,
                doc_id=doc_id or None,
            )
        except PolicyAssistantError as e:
            warn(str(e))
            targets = []
        titles = doc_titles(self.assistant.documents())
        shown = targets[:MAX_TABLE_ROWS]
        n = len(targets)
        count = L.T_COUNT.format(n=n) if n <= MAX_TABLE_ROWS else L.T_COUNT_LIMITED.format(n=n, shown=len(shown))
        indicators = data.indicator_choices(targets)
        return (
            data.targets_frame(shown, titles),
            f'<div class="pa-status">{neutralize(count)}</div>',
            gr.update(value=self._export(targets, titles)),
            gr.update(choices=indicators, value=indicators[0] if indicators else None),
            [t.model_dump(mode="json") for t in targets],
            render_message(L.T_DETAIL_EMPTY),
        )

    def chart(
        self,
        rows: list[dict[str, Any]] | None,
        indicator: str | None,
        axis: str,
        year: str | None = None,
        series: list[str] | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        """Hide the charts, then show the one ``axis`` asks for with the selected indicator's data.

        Gradio's plot keeps the colour domain of the data it was first drawn with, so a filter that
        brings new series would leave their lines uncoloured; hiding and showing redraws it whole.
        ``year`` picks the year of the by-region chart, ``series`` the lines of the by-year chart
        (a few at a time: ten lines on one chart are a tangle).
        """
        yield gr.update(visible=False), gr.update(visible=False), gr.skip(), gr.skip(), gr.skip()
        yield self._chart(rows, indicator, axis, year, series)

    def new_indicator(
        self, rows: list[dict[str, Any]] | None, indicator: str | None, axis: str
    ) -> Iterator[tuple[Any, ...]]:
        """A new chart indicator: its own default year and series (the pickers' old values may not apply)."""
        yield from self.chart(rows, indicator, axis, None, None)

    def _chart(
        self,
        rows: list[dict[str, Any]] | None,
        indicator: str | None,
        axis: str,
        year: str | None,
        series: list[str] | None,
    ) -> tuple[Any, ...]:
        targets = [Target.model_validate(r) for r in rows or []]
        if indicator:
            # One unit per chart: keep the indicator's most common unit.
            units = [t.unit for t in targets if t.indicator == indicator]
            unit = max(set(units), key=units.count) if units else ""
            targets = [t for t in targets if t.indicator != indicator or t.unit == unit]
        else:
            unit = ""
        suffix = f"（{unit}）" if unit and unit not in (indicator or "") else ""
        years = data.chart_years(targets, indicator or "")
        if axis == L.T_AXIS_REGION:
            frame, used_year = data.chart_by_region(targets, indicator or "", year if year in years else None)
            title = (
                L.T_CHART_TITLE_REGION.format(indicator=indicator, year=used_year)
                if used_year
                else L.T_CHART_TITLE_REGION_NOYEAR.format(indicator=indicator)
            )
            empty = frame.empty
            return (
                gr.update(visible=False),
                gr.update(visible=not empty, value=frame, label=title + suffix),
                gr.update(visible=empty, value=render_message(L.T_CHART_EMPTY)),
                gr.update(choices=years, value=used_year or None, visible=True),
                gr.update(visible=False),
            )
        full = data.chart_by_year(targets, indicator or "")
        names = list(dict.fromkeys(full[L.COL_SERIES]))
        shown = [n for n in (series or []) if n in names] or names[:MAX_SERIES]
        frame = full[full[L.COL_SERIES].isin(shown)]
        empty = frame.empty
        colors = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(shown)}
        return (
            gr.update(
                visible=not empty,
                value=frame,
                color_map=colors,
                label=L.T_CHART_TITLE_YEAR.format(indicator=indicator) + suffix,
            ),
            gr.update(visible=False),
            gr.update(visible=empty, value=render_message(L.T_CHART_EMPTY)),
            gr.update(visible=False),
            gr.update(choices=names, value=shown, visible=len(names) > 1),
        )

    def select_target(self, rows: list[dict[str, Any]] | None, evt: gr.SelectData) -> str:
        """The source card of the row clicked (matched by its cells, so sorting the table does not matter)."""
        row = evt.row_value
        if not row or not rows:
            return render_message(L.T_DETAIL_EMPTY)
        titles = doc_titles(self.assistant.documents())
        t = data.match_row([Target.model_validate(r) for r in rows], list(row), titles)
        if t is None:
            return render_message(L.T_DETAIL_EMPTY)
        return render_target_detail(t, doc_text(self.assistant, t.doc_id, {}))


def build_targets_tab(page: TargetsPage) -> TargetsTab:
    """The 指标 tab's components (inside the Blocks being built), wired to ``page``."""
    with gr.Tab(L.TAB_TARGETS, id="targets"):
        target_rows = gr.State([])
        gr.Markdown(L.TARGETS_INTRO)
        with gr.Row():
            t_region = gr.Dropdown(
                choices=[(L.T_ANY, "")],
                value="",
                label=L.T_FILTER_REGION,
                min_width=140,
                allow_custom_value=True,
                elem_id="pa-t-region",
            )
            t_indicator = gr.Textbox(
                label=L.T_FILTER_INDICATOR,
                placeholder=L.T_FILTER_INDICATOR_PH,
                min_width=160,
                elem_id="pa-t-indicator",
            )
            t_year = gr.Dropdown(
                choices=[(L.T_ANY, "")], value="", label=L.T_FILTER_YEAR, min_width=120, elem_id="pa-t-year"
            )
            t_doc = gr.Dropdown(
                choices=[(L.T_ANY, "")], value="", label=L.T_FILTER_DOC, min_width=200, elem_id="pa-t-doc"
            )
        with gr.Row():
            t_search = gr.Button(L.T_SEARCH, variant="primary", min_width=80, elem_id="pa-t-search")
            t_reset = gr.Button(L.T_RESET, min_width=80)
            t_export = gr.DownloadButton(L.T_EXPORT, min_width=80, elem_id="pa-t-export")
        t_count = gr.HTML("", js_on_load=None, elem_id="pa-t-count")
        t_table = gr.Dataframe(
            value=pd.DataFrame(columns=data.TARGET_COLUMNS),
            interactive=False,
            wrap=True,
            max_height=460,
            show_search="search",
            column_widths=TARGET_COLUMN_WIDTHS,
            datatype=[  # 数值 sorts as a number, the rest as text
                "number" if col == L.COL_VALUE else "str" for col in data.TARGET_COLUMNS
            ],
            elem_id="pa-t-table",
            label=None,
            show_label=False,
        )
        t_detail = gr.HTML(render_message(L.T_DETAIL_EMPTY), js_on_load=None, elem_id="pa-t-detail")
        with gr.Row():
            t_chart_ind = gr.Dropdown(
                choices=[], label=L.T_CHART_INDICATOR, min_width=220, scale=3, elem_id="pa-t-chart-ind"
            )
            t_axis = gr.Radio(
                [L.T_AXIS_YEAR, L.T_AXIS_REGION],
                value=L.T_AXIS_YEAR,
                label=L.T_CHART_AXIS,
                min_width=160,
                scale=1,
                elem_id="pa-t-axis",
            )
            t_chart_year = gr.Dropdown(
                choices=[], label=L.T_CHART_YEAR, min_width=120, scale=1, visible=False, elem_id="pa-t-chart-year"
            )
        t_series = gr.Dropdown(
            choices=[],
            value=[],
            multiselect=True,
            label=L.T_SERIES,
            info=L.T_SERIES_INFO.format(n=MAX_SERIES),
            visible=False,
            elem_id="pa-t-series",
        )
        chart_year = gr.LinePlot(
            value=pd.DataFrame(columns=[L.COL_YEAR, L.COL_VALUE, L.COL_SERIES]),
            x=L.COL_YEAR,
            y=L.COL_VALUE,
            color=L.COL_SERIES,
            y_aggregate="max",
            y_lim=[0, None],
            y_axis_format="~g",
            label=L.T_CHART_INDICATOR,
            height=460,
            elem_id="pa-chart-year",
            buttons=["export"],
        )
        chart_region = gr.BarPlot(
            value=pd.DataFrame(columns=[L.COL_REGION, L.COL_VALUE]),
            x=L.COL_REGION,
            y=L.COL_VALUE,
            y_aggregate="max",
            y_lim=[0, None],
            y_axis_format="~g",
            label=L.T_CHART_INDICATOR,
            height=320,
            visible=False,
            elem_id="pa-chart-region",
            x_label_angle=-30,
            buttons=["export"],
        )
        chart_empty = gr.HTML("", visible=False, js_on_load=None, elem_id="pa-chart-empty")

    tab = TargetsTab(
        target_rows=target_rows,
        t_region=t_region,
        t_indicator=t_indicator,
        t_year=t_year,
        t_doc=t_doc,
        t_search=t_search,
        t_reset=t_reset,
        t_export=t_export,
        t_count=t_count,
        t_table=t_table,
        t_detail=t_detail,
        t_chart_ind=t_chart_ind,
        t_axis=t_axis,
        t_chart_year=t_chart_year,
        t_series=t_series,
        chart_year=chart_year,
        chart_region=chart_region,
        chart_empty=chart_empty,
        page=page,
    )
    fresh_inputs = [target_rows, t_chart_ind, t_axis]
    for listener in (t_search.click, t_indicator.submit, t_region.input, t_year.input, t_doc.input):
        listener(page.filter_targets, tab.filter_inputs, tab.filter_outputs, api_visibility="private").then(
            page.new_indicator, fresh_inputs, tab.chart_outputs, api_visibility="private"
        )
    tab.refresh(t_reset.click(lambda: ("", "", "", ""), None, tab.filter_inputs, api_visibility="private"))
    t_chart_ind.input(page.new_indicator, fresh_inputs, tab.chart_outputs, api_visibility="private")
    for picker in (t_axis, t_chart_year, t_series):
        picker.input(page.chart, tab.chart_inputs, tab.chart_outputs, api_visibility="private")
    t_table.select(page.select_target, [target_rows], t_detail, api_visibility="private")
    return tab

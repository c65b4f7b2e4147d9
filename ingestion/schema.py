"""Typed objects that ingestion produces and every later layer consumes.

Offsets (``start``/``end``) always index into ``ParsedDocument.text``, the *cleaned* text of the
document, so that ``text[start:end]`` is the quote a citation shows.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class DocumentMeta(BaseModel):
    """What a plan says about itself, read from its text; a maintainer may correct it in a sidecar."""

    title: str = ""
    issuer: str = Field(default="", description="Issuing body, e.g. 某市人民政府办公室.")
    doc_number: str = Field(default="", description="文号, e.g. 某政办发〔2023〕30号.")
    date: str = Field(default="", description="Issue date, ISO yyyy-mm-dd when known.")
    region: str = Field(
        default="",
        description="The area the plan covers: a city, county or district, 全国 for a national plan; empty when the "
        "text never names it.",
    )
    parent_region: str = Field(
        default="",
        description="The city (or county) a district or county region is named with (某市 for 某市某区), so a "
        "question naming either finds the plan; empty when the region is named alone.",
    )
    basis_regions: list[str] = Field(
        default_factory=list,
        description="Places the higher-level documents the plan says it implements start with (根据《某省…》: 某省), "
        "other than its own region and parent region, so a question naming that province finds the plan. Never "
        "the plan's own region: its rows keep their region.",
    )
    period: str = Field(default="", description="Plan period, e.g. 2023-2025.")
    is_draft: bool = Field(default=False, description="征求意见稿 and the like.")


class Section(BaseModel):
    """A heading and the span of cleaned text it governs (up to the next heading of its level or above)."""

    heading: str
    level: int = Field(description="1 for 一、/第一章, 2 for （一）, 3 for 1．, 4 for （1）; 0 for an annex.")
    path: list[str] = Field(description="Headings from the top down to this one, inclusive.")
    start: int
    end: int


class TableRow(BaseModel):
    """One body row of a table: its label (first column) and its cells in column order."""

    label: str
    cells: list[str | None] = Field(description="Cell text per data column; None for an empty cell.")
    quote: str = Field(description="The row exactly as it stands in the cleaned text (or rebuilt for DOCX/PDF).")
    start: int = -1
    end: int = -1
    is_total: bool = False


class Table(BaseModel):
    """A table, whether it arrived flattened in text or with real cells from DOCX/PDF."""

    title: str = ""
    section_path: list[str] = Field(default_factory=list)
    label_header: str = Field(default="", description="Header of the label column, e.g. 县区.")
    columns: list[str] = Field(
        description="Flattened header per data column, two levels joined by '/', e.g. 培养全科医生数（人）/2023年."
    )
    rows: list[TableRow]
    start: int = -1
    end: int = -1
    header_quote: str = Field(default="", description="The header lines as they stand in the text.")
    totals_ok: bool | None = Field(default=None, description="Whether every column adds up to its 合计 cell.")
    warnings: list[str] = Field(default_factory=list)
    source: Literal["text", "docx", "pdf"] = "text"
    kind: Literal["grid", "indicators"] = Field(
        default="grid",
        description="grid: rows are regions (or years) and columns indicators by year; indicators: a main-indicator "
        "table (主要指标), one row per indicator, columns of years, a base level (基期水平) and an attribute (属性).",
    )
    notes: str = Field(default="", description="The note under an indicator table (#为2020年目标值, 基期为2017年).")


class PageSpan(BaseModel):
    """Page ``page`` of the original starts at offset ``start`` of the cleaned text."""

    page: int
    start: int


class Chunk(BaseModel):
    """A citable passage: a few sentences under one heading, or one table row with its header."""

    chunk_id: str
    doc_id: str
    ord: int = Field(description="Position of the chunk in the document.")
    text: str = Field(description="Exactly what is embedded, indexed and returned by search.")
    section: str = Field(default="", description="Section path joined with ' > '.")
    kind: Literal["text", "table_row"] = "text"
    start: int = -1
    end: int = -1
    page: int | None = None
    ocr: bool = Field(default=False, description="Its text was read by OCR from a scanned page.")
    ocr_confidence: float | None = Field(
        default=None, description="Lowest OCR confidence (0-1) of a character in it; None when not OCR'd or unknown."
    )


Comparator = Literal["≥", ">", "≤", "<", "≈", "="]


class Target(BaseModel):
    """One quantified target a plan states: a typed row with the quote it stands on."""

    target_id: str = ""
    doc_id: str
    title: str = ""
    source: str = ""
    region: str = ""
    scope: str = ""
    indicator: str
    value: float
    value_max: float | None = None
    unit: str = Field(default="", description="Normalised unit: 名, 人, 个, %, ‰, 万元, 张, 平米, 个百分点, 人次 ...")
    value_text: str = Field(default="", description="Value, bound and unit as written, e.g. 90%以上, 20—35名.")
    comparator: Comparator = "="
    year: str = Field(default="", description="2025, 2023-2025, 每年, 十四五, or empty for an undated norm.")
    kind: Literal["narrative", "table", "baseline"] = Field(
        default="narrative",
        description="narrative (a sentence), table (a cell of a goal column), or baseline: a base-year or status-quo "
        "value (基期水平, a past year's column, ``2015年…已达76.34岁``), never a target, answerable when asked for "
        "the 基期/基线/现状.",
    )
    attribute: str = Field(
        default="",
        description="属性 of an indicator-table row (预期性 or 约束性, as the table writes it); empty elsewhere.",
    )
    quote: str = Field(description="The sentence or table row exactly as it stands in the cleaned text.")
    start: int = -1
    end: int = -1
    section: str = ""
    table_title: str = ""
    row_label: str = ""
    column_header: str = ""
    page: int | None = None
    origin: Literal["extracted", "override"] = "extracted"
    ocr: bool = Field(default=False, description="Its quote was read by OCR from a scanned page: check the original.")
    ocr_confidence: float | None = Field(
        default=None, description="OCR confidence (0-1) of the value as written (its weakest character)."
    )


class ParsedDocument(BaseModel):
    """Everything ingestion knows about one file before it is stored."""

    doc_id: str
    source: str = Field(description="File name as given.")
    content_hash: str
    text: str = Field(description="Cleaned text; all offsets index into it.")
    meta: DocumentMeta
    sections: list[Section] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    pages: list[PageSpan] = Field(default_factory=list)
    chunks: list[Chunk] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    ocr_pages: list[int] = Field(default_factory=list, description="Pages of the original whose text was read by OCR.")

    def page_at(self, offset: int) -> int | None:
        """Page number of the original at a cleaned-text offset, when pages are known."""
        page = None
        for span in self.pages:
            if span.start > offset:
                break
            page = span.page
        return page


class DocumentRecord(BaseModel):
    """A stored document as listed by ``docs`` and the API."""

    doc_id: str
    source: str
    content_hash: str
    meta: DocumentMeta
    n_chunks: int = 0
    n_targets: int = 0
    n_tables: int = 0
    tables_failed: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    ingested_at: str = ""
    ocr_pages: list[int] = Field(default_factory=list, description="Pages of the original read by OCR (a scan).")

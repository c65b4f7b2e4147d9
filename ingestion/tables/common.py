"""What every table parser shares: the raw rows it found, cell values, header words, the total-row label."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from ingestion.text.normalize import remove_spaces
from ingestion.text.numbers import parse_number
from ingestion.text.rules import rules

YEAR = re.compile(r"^((?:19|20)\d{2})\s*年?(?:度)?$")
SUBLABEL = re.compile(r"^(?:(?:19|20)\d{2}\s*年?(?:度)?|小计|合计|总计)$")
VALUE = re.compile(r"^\s*(?:[-+]?\d|[-—–－/／]\s*$|$)")


@dataclass
class RowCells:
    """A body row as found: its cells (the label first), its text and offsets."""

    cells: list[str]  # first cell is the label
    quote: str
    start: int
    end: int


@dataclass
class FoundTable:
    """A table as a parser found it, before headers are flattened and totals checked."""

    header_rows: list[list[str]]
    rows: list[RowCells]
    start: int
    end: int
    header_quote: str
    title: str
    columns: list[str] | None = None
    label_header: str = ""
    warnings: list[str] = field(default_factory=list)


def cell_value(cell: str | None) -> float | None:
    """The number in a cell; an empty cell or a dash counts as 0, None when it is not a number."""
    if cell is None:
        return 0.0
    s = cell.strip()
    if s in {"", "-", "—", "–", "－", "/", "／"}:
        return 0.0
    return parse_number(s)


def decimals(s: str) -> int:
    """How many decimals a number is written with (the precision a total is checked to)."""
    m = re.search(r"\.(\d+)", s)
    return len(m.group(1)) if m else 0


def squash_cell(s: str) -> str:
    """A header or label cell without its spaces."""
    return remove_spaces(s)


@functools.cache
def total_label() -> re.Pattern[str]:
    """A whole cell that labels the total row (合计, 总 计 ...; ingestion/text/rules/scope.toml)."""
    return re.compile(rf"^\s*(?:{rules().total_label_pattern()})\s*$")




def is_value_row(cells: list[str]) -> bool:
    """Whether a row's data cells are all values (a body row), not header words or years."""
    data = [c for c in cells[1:] if c is not None]
    if not data:
        return False
    filled = [c for c in data if c.strip()]
    if not filled:
        return False
    if all(SUBLABEL.match(squash_cell(c)) for c in filled):
        return False
    return all(VALUE.match(c) for c in filled)


@dataclass
class Line:
    """A line of the cleaned text with its offsets."""

    text: str
    start: int
    end: int


def split_lines(text: str) -> list[Line]:
    """The lines of ``text`` with their offsets."""
    out = []
    pos = 0
    for raw in text.split("\n"):
        out.append(Line(raw, pos, pos + len(raw)))
        pos += len(raw) + 1
    return out

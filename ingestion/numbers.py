"""PLACEHOLDER contract until the numbers work lands (owned by the targets work).

Public API that other modules (target extraction, evaluation metrics, answer checks) rely on:

- ``normalize(text) -> str``: NFKC plus dash unification (—, –, ~, 〜, 至 in ranges -> "-"), for matching.
- ``parse_number(s) -> float | None``: "3.5", "３．５", "三", "一百二十", "两" -> float; None if not a number.
- ``parse_quantities(text) -> list[Quantity]``: every quantity with unit and bound as written,
  e.g. "90%以上" -> Quantity(90, None, "%", "≥", "90%以上"), "20—35名" -> (20, 35, "名", "="),
  "1‰—1.5‰" -> (1, 1.5, "‰"), "下降20个百分点" -> unit "个百分点" (never "%"),
  "2.4万元/人·年" -> (2.4, None, "万元/人·年"), "不低于3000平米" -> (3000, "平米", "≥").
- ``Quantity.canonical() -> tuple[float, float | None, str]``: magnitudes folded so 2.4万元 == 24000元.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Quantity:
    """A number with its unit and bound, and where it stands in the text it was parsed from."""

    value: float
    value_max: float | None
    unit: str
    comparator: str
    text: str
    start: int
    end: int

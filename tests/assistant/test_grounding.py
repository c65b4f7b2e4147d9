"""The grounding check behind 'every number in an answer is in a cited source'."""

from __future__ import annotations

from assistant.grounding import ungrounded_numbers


def test_number_with_bound_and_unit_in_quote_is_grounded() -> None:
    assert ungrounded_numbers("到2025年达标率：90%以上[1]", ["达标率达到90%以上。"]) == []


def test_number_of_another_year_is_not() -> None:
    assert ungrounded_numbers("达标率：95%以上[1]", ["达标率达到90%以上。"]) == ["95%以上"]


def test_percent_is_not_percentage_points() -> None:
    assert ungrounded_numbers("下降20%[1]", ["住院报销比例下降20个百分点。"]) == ["20%"]


def test_full_width_and_magnitudes_fold() -> None:
    assert ungrounded_numbers("补助2.4万元[1]", ["每人每年补助２．４万元。"]) == []


def test_table_cell_without_unit_grounds_the_value() -> None:
    assert ungrounded_numbers("东海县2024年：25人[1]", ["东海县 21 24 23 23 25 25 25"]) == []


def test_heading_number_quoted_verbatim_is_grounded_but_not_inside_other_digits() -> None:
    assert ungrounded_numbers("3．提升公立医院管理效益。[1]", ["3．提升公立医院管理效益。"]) == []
    assert ungrounded_numbers("\n\n11. 加强县域医共体建设。[1]", ["11. 加强县域医共体建设。"]) == []
    assert ungrounded_numbers("共1.5万元[1]", ["共11.5万元"]) == ["1.5万元"]
    assert ungrounded_numbers("共3个[1]", ["建成13个。"]) == ["3个"]


def test_a_ratio_split_must_stand_in_a_source() -> None:
    from assistant.grounding import ungrounded_numbers

    source = "所需资金由白石市和青川县两级财政按照 2：8比例承担。"
    assert ungrounded_numbers("两级财政按2:8承担[1]。", [source]) == []
    assert ungrounded_numbers("两级财政按3:7承担[1]。", [source]) == ["3:7"]

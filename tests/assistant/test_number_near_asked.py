"""A sentence quoted for a number question must set a number for the asked indicator (made-up sentences)."""

from __future__ import annotations

import pytest

from assistant.answering import number_near_asked

GOALS = (
    "到2031年，建成与全县发展相协调的护眼服务体系，青少年护眼素养水平全面提升，户外活动习惯全面普及，"
    "小学生近视率下降到28%，初中生近视率、高中生近视率分别下降到50%、70%。"
)


@pytest.mark.parametrize(
    ("indicator", "expected"),
    [
        ("青少年护眼素养水平", False),  # named only in a clause with no number
        ("小学生近视率", True),
        ("高中生近视率", True),  # a 分别 list: the names and the numbers share a clause
        ("", True),  # nothing asked, nothing to check
    ],
)
def test_a_number_must_stand_in_a_clause_that_names_the_asked(indicator: str, expected: bool) -> None:
    assert number_near_asked(indicator, GOALS) is expected


def test_names_in_the_clause_before_the_numbers_count() -> None:
    sentence = "白鹭县小学生近视率和初中生近视率，分别控制在28%和50%以内。"
    assert number_near_asked("初中生近视率", sentence)

"""Head of an official document on made-up text: 文号 brackets, marks that are not the title."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.doc_head import normalise_doc_numbers, strip_head_marks
from ingestion.metadata import extract_metadata
from ingestion.pipeline import parse_file


@pytest.mark.parametrize(
    ("written", "normal"),
    [
        ("粤公卫办函〔2025］4号", "粤公卫办函〔2025〕4号"),
        ("某政办发[2025]4号", "某政办发〔2025〕4号"),
        ("某卫发（2025）12号", "某卫发〔2025〕12号"),
        ("某卫发(2025)12号", "某卫发〔2025〕12号"),
        ("某府办【2024】105号", "某府办〔2024〕105号"),
        ("某卫发〔 2025 〕 4 号", "某卫发〔 2025 〕 4 号"),
        ("某卫发〔2025〕4号", "某卫发〔2025〕4号"),
    ],
)
def test_doc_number_brackets_are_normalised_in_place(written: str, normal: str) -> None:
    assert normalise_doc_numbers(written) == normal
    assert len(normalise_doc_numbers(written)) == len(written)


def test_only_doc_numbers_change() -> None:
    text = "到2025年（底）完成\n《某方案》（某卫发[2025]4号）要求\n甲县\t（2025）\t3号\n2023年（上半年）"
    out = normalise_doc_numbers(text).split("\n")
    assert out[0] == "到2025年（底）完成"
    assert out[1] == "《某方案》（某卫发〔2025〕4号）要求"
    assert out[2] == "甲县\t（2025）\t3号"  # table rows are left alone
    assert out[3] == "2023年（上半年）"


HEAD = """000123
秘密★1年
特急
某省卫生健康委员会文件
——————————————
某卫发[2025]4号          签发人：张某某
不公开
某省基层卫生服务能力提升三年行动计划
一、总体要求
到2025年底，全省每万人口全科医生数达到4名。
某省卫生健康委员会
2025年3月18日
"""


def test_head_marks_are_not_the_title() -> None:
    raw_meta = extract_metadata(HEAD)
    assert raw_meta.title != "某省基层卫生服务能力提升三年行动计划"  # the problem this solves
    meta = extract_metadata(strip_head_marks(normalise_doc_numbers(HEAD)))
    assert meta.title == "某省基层卫生服务能力提升三年行动计划"
    assert meta.doc_number == "某卫发〔2025〕4号"
    assert meta.issuer == "某省卫生健康委员会"
    assert meta.date == "2025-03-18"


def test_strip_head_marks_keeps_the_body() -> None:
    kept = strip_head_marks(HEAD).split("\n")
    assert kept[0] == "某卫发[2025]4号"  # the 签发人 cut off its line
    assert "某省卫生健康委员会文件" not in kept and "不公开" not in kept and "特急" not in kept
    assert "到2025年底，全省每万人口全科医生数达到4名。" in kept
    assert kept[-3:] == ["某省卫生健康委员会", "2025年3月18日", ""]  # the signature is not the head


def test_letter_head_and_ocr_spacing() -> None:
    head = "\n".join(
        [
            "某 市 卫 生 健 康 委 员 会 办 公 室",
            "某卫办函〔2025〕7号",
            "关于开展基层卫生服务能力评估的通知",
            "各区卫生健康局：",
        ]
    )
    meta = extract_metadata(strip_head_marks(head))
    assert meta.title == "关于开展基层卫生服务能力评估的通知"
    assert meta.doc_number == "某卫办函〔2025〕7号"


def test_title_that_ends_like_an_organisation_is_kept_without_a_doc_number() -> None:
    text = "某市卫生健康委员会\n关于加强基层卫生工作的实施意见\n一、总体要求"
    assert strip_head_marks(text) == text  # no 文号: only a '…文件' line would be a header


def test_pipeline_reads_the_head_of_a_made_up_text_file(tmp_path: Path) -> None:
    path = tmp_path / "head.txt"
    path.write_text(HEAD, encoding="utf-8")
    doc = parse_file(path, 1_000_000)
    assert doc.meta.title == "某省基层卫生服务能力提升三年行动计划"
    assert doc.meta.doc_number == "某卫发〔2025〕4号"
    assert "某卫发〔2025〕4号" in doc.text  # normalised in the stored text too
    assert "某省卫生健康委员会文件" in doc.text  # marks leave only the metadata's input, not the text

"""The wording rules are data: every list documented in its file, and a word added changes behaviour."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from assistant.understanding import Vocabulary, parse_question
from ingestion.text.errors import ConfigurationError
from ingestion.text.rules import FILES, RULES_DIR, load_rules, rules

QUESTION = "麻烦问下到2025年每万人口全科医生数要达到多少？"


def test_every_list_of_every_file_is_documented_by_a_comment_above_it() -> None:
    for name in FILES:
        lines = (RULES_DIR / name).read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if re.match(r"^[a-z_]+ = ", line) or re.match(r"^\[[a-z_]+\]$", line):
                assert i > 0 and lines[i - 1].startswith("#"), f"{name}:{i + 1} {line!r} has no comment above it"


def test_the_shipped_rules_load_once() -> None:
    assert rules() is rules()
    assert "全市" in rules().whole_area and "合计" in rules().total_labels


def test_a_filler_added_to_a_copy_of_the_rules_leaves_the_indicator(tmp_path: Path) -> None:
    vocab = Vocabulary.build([], [], [])
    assert "麻烦问下" in parse_question(QUESTION, vocab).indicator  # not a filler yet
    edited = tmp_path / "rules"
    shutil.copytree(RULES_DIR, edited)
    questions = edited / "questions.toml"
    text = questions.read_text(encoding="utf-8").replace('fillers = [\n', 'fillers = [\n  "麻烦问下",\n', 1)
    questions.write_text(text, encoding="utf-8")
    with_filler = Vocabulary.build([], [], [], rules=load_rules(edited))
    assert parse_question(QUESTION, with_filler).indicator == "每万人口全科医生数"
    assert "麻烦问下" in parse_question(QUESTION, vocab).indicator  # the shipped rules are untouched


def test_a_broken_rule_file_is_a_clear_configuration_error(tmp_path: Path) -> None:
    edited = tmp_path / "rules"
    shutil.copytree(RULES_DIR, edited)
    (edited / "units.toml").write_text('units = "名"\n', encoding="utf-8")
    with pytest.raises(ConfigurationError, match=r"units\.toml"):
        load_rules(edited)


def test_a_suffix_compound_added_to_a_copy_of_the_rules_ends_no_place(tmp_path: Path) -> None:
    edited = tmp_path / "rules"
    shutil.copytree(RULES_DIR, edited)
    places = edited / "places.toml"
    text = places.read_text(encoding="utf-8").replace("suffix_compounds = [\n", 'suffix_compounds = [\n  "县志",\n', 1)
    places.write_text(text, encoding="utf-8")
    guard = re.compile(rf"^白鹭推进修县{load_rules(edited).suffix_compound_guard()}")
    assert guard.match("白鹭推进修县志办法") is None  # 县志 (a county annal) is a compound now
    assert re.match(rf"^白鹭推进修县{rules().suffix_compound_guard()}", "白鹭推进修县志办法")  # shipped: untouched
    assert not rules().ends_place_at("紧密型县域", 4) and rules().ends_place_at("白鹭县卫生", 3)

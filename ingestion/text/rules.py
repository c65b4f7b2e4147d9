"""The Chinese wording rules, read once from the TOML files in ``ingestion/text/rules/``.

The files are the vocabulary (administrative suffixes, question fillers, non-place words, scope and
total-row words, units, comparators, indicator-table headers), each list documented where it stands;
the code that uses a list says only how. A maintainer extends a list in its file, with no code change: the server reads
the files once when it first needs them (restart it after an edit; re-ingest with ``--force`` when
an extraction list changed).

``rules()`` is the shipped set, loaded once; ``load_rules(folder)`` reads another folder (a test's
edited copy), and the objects that use the rules accept one (``Vocabulary.build(..., rules=...)``).
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingestion.text.errors import ConfigurationError

RULES_DIR = Path(__file__).with_name("rules")
FILES = ("places.toml", "scope.toml", "units.toml", "comparators.toml", "questions.toml", "tables.toml")


@dataclass(frozen=True)
class WordingRules:
    """Every word list of the rule files, typed; see the files for what each list is for."""

    # places.toml
    admin_suffixes: tuple[str, ...]
    question_not_places: tuple[str, ...]
    title_not_places: tuple[str, ...]
    title_not_place_starts: tuple[str, ...]
    org_suffixes: tuple[str, ...]
    draft_markers: tuple[str, ...]
    head_place_suffixes: tuple[str, ...]
    province_suffixes: tuple[str, ...]
    question_place_suffixes: tuple[str, ...]
    question_suffix_followers: tuple[str, ...]
    question_place_pointers: tuple[str, ...]
    national_starts: tuple[str, ...]
    national_contains: tuple[str, ...]
    national_region: str
    basis_verbs: tuple[str, ...]
    suffix_compounds: tuple[str, ...]
    cited_title_leads: tuple[str, ...]
    page_issuer_labels: tuple[str, ...]
    page_date_labels: tuple[str, ...]
    document_kinds: tuple[str, ...]
    # scope.toml
    whole_area: tuple[str, ...]
    question_area_words: tuple[str, ...]
    total_labels: tuple[str, ...]
    subtotal_labels: tuple[str, ...]
    total_question_words: tuple[str, ...]
    total_row_search_words: tuple[str, ...]
    institutions: tuple[str, ...]
    status_sections: tuple[str, ...]
    action_verbs: tuple[str, ...]
    # units.toml
    units: tuple[str, ...]
    chinese_numeral_units: tuple[str, ...]
    measure_units: tuple[str, ...]
    count_units: tuple[str, ...]
    age_value_verbs: tuple[str, ...]
    rate_denominators: tuple[str, ...]
    duration_condition_verbs: tuple[str, ...]
    # comparators.toml
    before_number: Mapping[str, str]
    after_number: Mapping[str, str]
    bound_words: tuple[tuple[str, str], ...]
    more_than: tuple[str, ...]
    less_than: tuple[str, ...]
    condition_words: tuple[str, ...]
    # tables.toml
    indicator_headers: tuple[str, ...]
    group_headers: tuple[str, ...]
    baseline_headers: tuple[str, ...]
    attribute_headers: tuple[str, ...]
    attribute_values: tuple[str, ...]
    unit_headers: tuple[str, ...]
    lead_headers: tuple[str, ...]
    change_verbs: tuple[str, ...]
    note_marks: tuple[str, ...]
    # questions.toml
    fillers: tuple[str, ...]
    setting_tails: tuple[str, ...]
    generic_words: tuple[str, ...]
    function_chars: str
    explain_words: tuple[str, ...]

    def total_label_pattern(self, labels: Iterable[str] | None = None) -> str:
        """A regex alternation of the total-row labels, spaces allowed between characters (合 计)."""
        words = self.total_labels if labels is None else tuple(labels)
        return "|".join(r"\s*".join(re.escape(ch) for ch in word) for word in words)


    def ends_place_at(self, text: str, end: int) -> bool:
        """Whether a place suffix ending at ``text[end - 1]`` ends a place name there.

        It does not when the suffix and the character after it form a compound noun of
        ``suffix_compounds`` (紧密型县域, 县级医院, 区域): the name would be cut out of a common word.
        """
        return not (0 < end < len(text) and text[end - 1 : end + 1] in self.suffix_compounds)

    def suffix_compound_guard(self) -> str:
        """A regex to put right after a place suffix: fails where the suffix starts a ``suffix_compounds`` word."""
        parts = [f"(?<={re.escape(w[0])}){re.escape(w[1:])}" for w in self.suffix_compounds]
        return f"(?!{'|'.join(parts)})" if parts else ""


def alternation(words: Iterable[str]) -> str:
    """A regex alternation matching any of ``words``, in the order given."""
    return "|".join(re.escape(w) for w in words)


def _words(data: Mapping[str, Any], key: str, source: Path) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
        msg = f"{source}: '{key}' must be a list of non-empty strings; fix the file and restart."
        raise ConfigurationError(msg)
    return tuple(value)


def _table(data: Mapping[str, Any], key: str, source: Path) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        msg = f"{source}: section [{key}] is missing; restore it from the shipped file."
        raise ConfigurationError(msg)
    return value


def _read(folder: Path) -> dict[str, tuple[Path, dict[str, Any]]]:
    out: dict[str, tuple[Path, dict[str, Any]]] = {}
    for name in FILES:
        path = folder / name
        try:
            out[name] = (path, tomllib.loads(path.read_text(encoding="utf-8")))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            msg = f"Cannot read the wording rules in {path} ({e}); fix the file or restore the shipped one."
            raise ConfigurationError(msg) from e
    return out


def load_rules(folder: Path = RULES_DIR) -> WordingRules:
    """Read and check every rule file of ``folder``.

    Raises:
        ConfigurationError: A file is missing, not TOML, or a list is missing or malformed.
    """
    files = _read(Path(folder))
    places_src, places = files["places.toml"]
    scope_src, scope = files["scope.toml"]
    units_src, units = files["units.toml"]
    comp_src, comp = files["comparators.toml"]
    q_src, questions = files["questions.toml"]
    t_src, tables_file = files["tables.toml"]
    ind = _table(tables_file, "indicator_table", t_src)
    before = _table(comp, "before_number", comp_src)
    after = _table(comp, "after_number", comp_src)
    sentence = _table(comp, "sentence", comp_src)
    question = _table(comp, "question", comp_src)
    pairs = sentence.get("bound_words")
    if not isinstance(pairs, list) or not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in pairs
    ):
        msg = f"{comp_src}: [sentence] bound_words must be a list of [word, comparator] pairs."
        raise ConfigurationError(msg)
    function_chars = questions.get("function_chars")
    if not isinstance(function_chars, str):
        msg = f"{q_src}: 'function_chars' must be a string of characters."
        raise ConfigurationError(msg)
    return WordingRules(
        admin_suffixes=_words(places, "admin_suffixes", places_src),
        question_not_places=_words(places, "question_not_places", places_src),
        title_not_places=_words(places, "title_not_places", places_src),
        title_not_place_starts=_words(places, "title_not_place_starts", places_src),
        org_suffixes=_words(places, "org_suffixes", places_src),
        draft_markers=_words(places, "draft_markers", places_src),
        head_place_suffixes=_words(places, "head_place_suffixes", places_src),
        province_suffixes=_words(places, "province_suffixes", places_src),
        question_place_suffixes=_words(places, "question_place_suffixes", places_src),
        question_suffix_followers=_words(places, "question_suffix_followers", places_src),
        question_place_pointers=_words(places, "question_place_pointers", places_src),
        national_starts=_words(places, "national_starts", places_src),
        national_contains=_words(places, "national_contains", places_src),
        national_region=_words(places, "national_region", places_src)[0],
        basis_verbs=_words(places, "basis_verbs", places_src),
        suffix_compounds=_words(places, "suffix_compounds", places_src),
        cited_title_leads=_words(places, "cited_title_leads", places_src),
        page_issuer_labels=_words(places, "page_issuer_labels", places_src),
        page_date_labels=_words(places, "page_date_labels", places_src),
        document_kinds=_words(places, "document_kinds", places_src),
        whole_area=_words(scope, "whole_area", scope_src),
        question_area_words=_words(scope, "question_area_words", scope_src),
        total_labels=_words(scope, "total_labels", scope_src),
        subtotal_labels=_words(scope, "subtotal_labels", scope_src),
        total_question_words=_words(scope, "total_question_words", scope_src),
        total_row_search_words=_words(scope, "total_row_search_words", scope_src),
        institutions=_words(scope, "institutions", scope_src),
        status_sections=_words(scope, "status_sections", scope_src),
        action_verbs=_words(scope, "action_verbs", scope_src),
        units=_words(units, "units", units_src),
        chinese_numeral_units=_words(units, "chinese_numeral_units", units_src),
        measure_units=_words(units, "measure_units", units_src),
        count_units=_words(units, "count_units", units_src),
        age_value_verbs=_words(units, "age_value_verbs", units_src),
        rate_denominators=_words(units, "rate_denominators", units_src),
        duration_condition_verbs=_words(units, "duration_condition_verbs", units_src),
        before_number={str(k): str(v) for k, v in before.items()},
        after_number={str(k): str(v) for k, v in after.items()},
        bound_words=tuple((str(w), str(c)) for w, c in pairs),
        more_than=_words(question, "more_than", comp_src),
        less_than=_words(question, "less_than", comp_src),
        condition_words=_words(question, "condition_words", comp_src),
        indicator_headers=_words(ind, "indicator_headers", t_src),
        group_headers=_words(ind, "group_headers", t_src),
        baseline_headers=_words(ind, "baseline_headers", t_src),
        attribute_headers=_words(ind, "attribute_headers", t_src),
        attribute_values=_words(ind, "attribute_values", t_src),
        unit_headers=_words(ind, "unit_headers", t_src),
        lead_headers=_words(ind, "lead_headers", t_src),
        change_verbs=_words(ind, "change_verbs", t_src),
        note_marks=_words(ind, "note_marks", t_src),
        fillers=_words(questions, "fillers", q_src),
        setting_tails=_words(questions, "setting_tails", q_src),
        generic_words=_words(questions, "generic_words", q_src),
        function_chars=function_chars,
        explain_words=_words(questions, "explain_words", q_src),
    )


@functools.cache
def rules() -> WordingRules:
    """The shipped wording rules, read once per process."""
    return load_rules(RULES_DIR)

"""A table question asked in everyday words (多少平方, 改扩建, words the table spreads over its headers).

Made-up plan, places and table throughout.
"""

from __future__ import annotations

from assistant.lookup import RowIndex, lookup
from assistant.question_wording import drop_asked_unit, full_years
from assistant.understanding import Vocabulary, parse_question
from assistant.value_kinds import asked_kinds
from assistant.wordings import VariantRules, variant_rules, verb_form_variants
from ingestion.schema import Target

TABLE = "白石市基层机构基础设施建设任务分解表（2030—2032年）"
DOCS = {"plan-x": "白石市"}


def _row(region: str, indicator: str, value: float, unit: str, year: str = "2030-2032") -> Target:
    return Target(
        target_id=f"t-{region}-{indicator}",
        doc_id="plan-x",
        region=region,
        scope="基层医疗卫生机构",
        indicator=indicator,
        column_header=indicator,
        value=value,
        unit=unit,
        value_text=f"{value:g}",
        year=year,
        kind="table",
        table_title=TABLE,
        quote=f"{region} 9 {value:g}",
    )


ROWS = [
    _row("青川县", "计划改造、扩建、新建面积（㎡）", 18250, "平米"),
    _row("青川县", "基础设施建设提档升级机构数（个）", 9, "个"),
    _row("青川县", "常住人口数（万人）", 41.2, "万人", year=""),
    _row("云岭区", "计划改造、扩建、新建面积（㎡）", 9300, "平米"),
    _row("云岭区", "基础设施建设提档升级机构数（个）", 4, "个"),
    _row("白石市", "乡镇卫生院基础设施提档升级达标率", 70, "%", year="2030"),
]
# The corpus's own wordings: a word of one (新建) is never taken for a place.
VOCAB = Vocabulary.build(
    regions=["白石市", "青川县", "云岭区"], scopes=["基层医疗卫生机构"], wordings=[r.indicator for r in ROWS]
)


def test_a_quantity_asked_in_an_area_unit_is_not_wording() -> None:
    assert drop_asked_unit("驿站面积多少平方").strip() == "驿站面积"
    assert drop_asked_unit("驿站面积几平米").strip() == "驿站面积"
    assert drop_asked_unit("驿站面积多少平方米").strip() == "驿站面积"
    q = parse_question("青川县驿站面积一共多少平方？", VOCAB)
    assert q.indicator == "驿站面积"


def test_an_area_question_asks_the_area_kind() -> None:
    assert [k.name for k in asked_kinds("青川县驿站面积一共多少平方？")] == ["area"]
    area = next(k for k in asked_kinds("驿站多大面积？"))
    assert area.unit_fits("平米") and area.unit_fits("平方米") and not area.unit_fits("个")


def test_gai_kuo_jian_is_the_two_verbs_said_at_once() -> None:
    rules = VariantRules(equivalent_heads=(), verb_forms=(("改造、扩建", "改建、扩建", "改扩建"),))
    assert ("驿站改造、扩建面积", "改扩建", "改造、扩建") in verb_form_variants("驿站改扩建面积", rules)
    # The shipped list has the group.
    assert any("改扩建" in g for g in variant_rules().verb_forms)


def test_a_region_question_in_its_own_words_finds_the_area_cell() -> None:
    index = RowIndex(ROWS)
    # Words from the table's title and a neighbouring header, joined as one phrase: no row has the pairs
    # across them (设施提, 级计), so the question is read again word by word among 青川县's rows.
    q = parse_question("青川县基础设施提档升级计划改扩建新建面积一共多少平方？", VOCAB)
    found = lookup(q, index, DOCS)
    assert [(r.region, r.value) for r in found.rows] == [("青川县", 18250)]
    q = parse_question("青川县提档升级改扩建新建面积多少平方", VOCAB)
    assert [(r.region, r.value) for r in lookup(q, index, DOCS).rows] == [("青川县", 18250)]


def test_word_by_word_is_only_for_a_question_naming_a_region() -> None:
    index = RowIndex(ROWS)
    q = parse_question("基础设施提档升级计划改扩建新建面积一共多少平方？", VOCAB)
    assert lookup(q, index, DOCS).rows == []


def test_a_two_digit_year_is_read_in_full_when_it_is_a_point_in_time() -> None:
    assert full_years("青川县25年底驿站数") == "青川县2025年底驿站数"
    assert full_years("到31年青川县驿站数") == "到2031年青川县驿站数"
    assert full_years("驿站数32年要多少") == "驿站数2032年要多少"
    # Durations stay: a count of years after 满/近, or with no time word by it.
    assert full_years("服务满30年要发多少") == "服务满30年要发多少"
    assert full_years("近30年来驿站数") == "近30年来驿站数"
    assert full_years("驿站运行25年以上") == "驿站运行25年以上"
    # Full years and decimals are left alone.
    assert full_years("到2030年底") == "到2030年底"
    assert full_years("3.25年底") == "3.25年底"
    q = parse_question("青川县31年底驿站面积多少平方？", VOCAB)
    assert q.years == ("2031",) and q.regions == ("青川县",) and q.indicator == "驿站面积"

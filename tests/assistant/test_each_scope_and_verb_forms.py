"""A distributive scope (每个区市、开发区) is no place, and verb forms (建成 / 建设成) match in row scoring.

Made-up plans, places and indicators throughout.
"""

from __future__ import annotations

from assistant.lookup import RowIndex, lookup
from assistant.question_wording import drop_each_scope
from assistant.understanding import Vocabulary, parse_question
from assistant.wordings import VariantRules, verb_form_variants
from ingestion.schema import Target

VOCAB = Vocabulary.build(
    regions=["青川市", "白沙县", "石门区", "北湖新区"],
    scopes=["社区卫生服务中心", "乡镇卫生院"],
    wordings=["社区卫生服务中心建设成健康小屋"],
)


def _row(doc: str, region: str, indicator: str, value: float, quote: str) -> Target:
    return Target(
        target_id=f"t-{doc}-{indicator}-{value}",
        doc_id=doc,
        region=region,
        indicator=indicator,
        value=value,
        unit="%",
        value_text=f"{value:g}%",
        year="2032",
        kind="narrative",
        quote=quote,
    )


def test_a_name_joined_to_a_distributive_scope_is_a_kind_not_a_place() -> None:
    text, scopes = drop_each_scope("每个区市、北湖新区至少多少比例", ["北湖新区", "青川市"])
    assert "北湖新区" not in text and scopes == ("每个区市、北湖新区",)
    # More kinds joined: 每个县、乡镇和街道.
    assert drop_each_scope("每个县、乡镇和街道要建几个", [])[1] == ("每个县、乡镇和街道",)
    # A 每个 phrase with nothing joined stays, and so does a name after it that is not joined.
    assert drop_each_scope("每个社区卫生服务中心要配几名", ["石门区"]) == ("每个社区卫生服务中心要配几名", ())
    assert drop_each_scope("每个县区北湖新区要建几个", ["北湖新区"])[1] == ()


def test_a_question_with_a_joined_scope_names_no_region() -> None:
    q = parse_question("每个区市、北湖新区至少多少比例的社区卫生服务中心要建成健康小屋？", VOCAB)
    assert q.regions == () and q.unknown_places == ()
    assert q.each_scopes == ("每个区市、北湖新区",)
    # The same region named on its own is still a place.
    assert parse_question("北湖新区多少比例的社区卫生服务中心要建成健康小屋？", VOCAB).regions == ("北湖新区",)


def test_verb_form_variants_put_each_other_form_in() -> None:
    rules = VariantRules(equivalent_heads=(), verb_forms=(("建设成", "建成"), ("达到", "达")))
    assert verb_form_variants("中心要建成健康小屋", rules) == [("中心要建设成健康小屋", "建成", "建设成")]
    # The longest form is read first: 建设成 is not 建成 with 设 inside.
    assert verb_form_variants("中心建设成小屋", rules) == [("中心建成小屋", "建设成", "建成")]
    assert verb_form_variants("驿站覆盖率", rules) == []


def test_a_row_differing_by_the_verb_form_alone_scores_as_the_same_phrase() -> None:
    built_into = _row(
        "plan-a", "", "社区卫生服务中心建设成健康小屋", 40, "每个区市、北湖新区至少40%的社区卫生服务中心建设成健康小屋"
    )
    other_plan = _row(
        "plan-b",
        "青川市",
        "乡镇卫生院（社区卫生服务中心）建成健康小屋",
        20,
        "20%以上乡镇卫生院（社区卫生服务中心）建成健康小屋",
    )
    index = RowIndex([built_into, other_plan])
    q = parse_question("多少比例的社区卫生服务中心要建成健康小屋？", VOCAB)
    scores = {index.keys[index._wording_rows[k][0]].doc_id: s for k, (s, _) in index.wording_scores(q).items()}
    # 建成 in the question meets 建设成 in the row: that row is the closer one now.
    assert scores["plan-a"] > scores["plan-b"]


def test_a_question_in_a_plans_scope_phrase_gets_the_target_stated_under_it() -> None:
    built_into = _row(
        "plan-a", "", "社区卫生服务中心建设成健康小屋", 40, "每个区市、北湖新区至少 40%的社区卫生服务中心建设成健康小屋"
    )
    other_plan = _row("plan-b", "青川市", "社区卫生服务中心建成健康小屋", 20, "20%以上社区卫生服务中心建成健康小屋")
    index = RowIndex([built_into, other_plan])
    docs = {"plan-a": "", "plan-b": "青川市"}
    q = parse_question("每个区市、北湖新区至少多少比例的社区卫生服务中心要建成健康小屋？", VOCAB)
    assert [r.value for r in lookup(q, index, docs).rows] == [40]
    # Without the scope phrase both plans' targets answer, each with its own region.
    q = parse_question("多少比例的社区卫生服务中心要建成健康小屋？", VOCAB)
    assert sorted(r.value for r in lookup(q, index, docs).rows) == [20, 40]


def test_an_empty_verb_form_leaves_the_verb_out() -> None:
    rules = VariantRules(equivalent_heads=(), verb_forms=(("达到", "达", ""),))
    assert verb_form_variants("新增达示范标准的驿站", rules) == [
        ("新增达到示范标准的驿站", "达", "达到"),
        ("新增示范标准的驿站", "达", ""),
    ]
    # The empty form is only put in: a wording without the verb has no variant.
    assert verb_form_variants("新增示范标准驿站", rules) == []


def test_a_table_header_without_the_verb_answers_a_question_saying_it() -> None:
    def cell(region: str, year: str, value: float) -> Target:
        return Target(
            target_id=f"t-{region}-{year}",
            doc_id="plan-a",
            region=region,
            scope="驿站",
            indicator="新增示范标准驿站数（个）",
            value=value,
            unit="个",
            value_text=f"{value:g}",
            year=year,
            kind="table",
            quote=f"{region} 3 4 5",
        )

    # The plan's own sentence (its city) words the standard with 达到; the county's table header leaves the verb out.
    city = _row("plan-a", "青川市", "达到示范标准的驿站覆盖率", 60, "到2032年，达到示范标准的驿站覆盖率60%")
    index = RowIndex([city, cell("白沙县", "2030", 3), cell("白沙县", "2031", 4), cell("白沙县", "2032", 5)])
    vocab = Vocabulary.build(regions=["青川市", "白沙县"], scopes=["驿站"], wordings=["新增示范标准驿站数（个）"])
    q = parse_question("白沙县驿站，2031年新增达示范标准的有多少个？", vocab)
    # …的有（多少个）: 有 asks how many there are, no word of the indicator (questions.toml setting_tails).
    assert not q.indicator.endswith("有")
    assert [r.value for r in lookup(q, index, {"plan-a": "青川市"}).rows] == [4]
    q = parse_question("白沙县2032年新增达示范标准的驿站有几个？", vocab)
    assert [r.value for r in lookup(q, index, {"plan-a": "青川市"}).rows] == [5]

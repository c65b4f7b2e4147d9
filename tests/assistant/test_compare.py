"""Comparisons across named regions on made-up rows (assistant/compare.py)."""

from __future__ import annotations

from assistant.compare import annotate_rows, answer_regions
from assistant.lookup import MAX_ROWS, RowIndex, lookup
from assistant.schema import Answer
from assistant.target_rows import MemoryRows
from assistant.understanding import Query
from ingestion.schema import Target


def row(tid: str, doc: str, region: str, indicator: str, value: float, unit: str) -> Target:
    return Target(
        target_id=tid,
        doc_id=doc,
        region=region,
        indicator=indicator,
        value=value,
        unit=unit,
        value_text=f"{value:g}{unit}",
        year="2030",
        quote=f"到2030年，{indicator}达到{value:g}{unit}。",
        start=int(tid[1:]) * 10,
        end=int(tid[1:]) * 10 + 9,
    )


ROWS = [
    row("t1", "a", "青禾市", "巡诊车辆配备率", 90, "%"),
    row("t2", "b", "白石市", "巡诊车辆配备率", 80, "%"),
    row("t3", "a", "青禾市", "累计配备巡诊车辆", 30, "辆"),
    row("t4", "b", "白石市", "巡诊车辆配备占比", 60, "%"),
]
DOC_REGIONS = {"a": "青禾市", "b": "白石市"}


def compose(query: Query, rows: list[Target]) -> Answer:
    text = "\n".join(f"- {r.region}{r.indicator}：{r.value_text}" for r in rows)
    return Answer(question=query.text, answer=text, status="answered", targets=rows)


def compare(indicator: str, regions: tuple[str, ...], rows: list[Target] = ROWS) -> Answer | None:
    query = Query(text=f"比较{'和'.join(regions)}{indicator}", regions=regions, indicator=indicator, intent="compare")
    return answer_regions(query, RowIndex(MemoryRows(rows)), DOC_REGIONS, None, compose)


def test_every_named_region_gets_its_line() -> None:
    answer = compare("巡诊车辆配备率", ("青禾市", "白石市"))
    assert answer is not None
    assert {r.target_id for r in answer.targets} == {"t1", "t2"}
    assert "不宜直接比较" not in answer.answer


def test_a_region_without_the_target_says_so() -> None:
    answer = compare("巡诊车辆配备率", ("青禾市", "白石市"), ROWS[:1])
    assert answer is not None
    assert "白石市：现有规划文件中没有找到相应的目标值" in answer.answer


def test_different_indicators_are_named_as_different() -> None:
    answer = compare("巡诊车辆", ("青禾市", "白石市"), [ROWS[2], ROWS[3]])
    assert answer is not None
    assert "不宜直接比较" in answer.answer
    assert "累计配备巡诊车辆" in answer.answer and "巡诊车辆配备占比" in answer.answer


def test_one_region_is_not_a_comparison() -> None:
    assert compare("巡诊车辆配备率", ("青禾市",)) is None


def title_of(doc_id: str) -> str:
    return {"a": "青禾市巡诊方案", "b": "白石市巡诊计划"}[doc_id]


def test_plans_with_different_indicators_are_noted_in_a_list() -> None:
    rows = [ROWS[2], ROWS[3]]
    answer = annotate_rows(compose(Query(text="各地巡诊车辆"), rows), rows, [], title_of)
    assert "《青禾市巡诊方案》为“累计配备巡诊车辆”" in answer.answer
    assert "不宜直接比较" in answer.answer


def test_plans_with_one_indicator_get_no_note() -> None:
    rows = [ROWS[0], ROWS[1]]
    answer = annotate_rows(compose(Query(text="各地巡诊车辆配备率"), rows), rows, [], title_of)
    assert "不宜直接比较" not in answer.answer


def test_a_cut_list_says_how_many_regions_more() -> None:
    rows = [
        row(f"t{i}", "a", f"第{i}片区", "巡诊车辆配备率", 50 + i, "%").model_copy(update={"year": str(2030 + i % 3)})
        for i in range(1, 31)
    ]
    query = Query(text="各片区巡诊车辆配备率分别是多少", indicator="巡诊车辆配备率", all_subregions=True, intent="list")
    found = lookup(query, RowIndex(MemoryRows(rows)), {"a": "青禾市"}, None)
    assert len(found.rows) == MAX_ROWS
    assert len(found.unshown_regions) == 30 - MAX_ROWS
    answer = annotate_rows(compose(query, found.rows), found.rows, found.unshown_regions, title_of)
    assert "未列全" in answer.answer
    assert all(region in answer.answer for region in found.unshown_regions)


# ---- equivalent wordings, every fitting row, plans named beside regions, 各地 per plan ----------

from assistant.compare import (  # noqa: E402
    MSG_PLAN_MISSING,
    MSG_SIDES_APART,
    answer_each_plan,
    answer_sides,
    fitting_rows,
    narrower_lookup,
    without_side_fillers,
)
from assistant.wordings import VariantRules, wording_variants  # noqa: E402

RULES = VariantRules(equivalent_heads=(("回访覆盖率", "随访率"),), implicit_words=("的占比", "占比"))


def test_variants_put_each_equivalent_head_in_place_and_drop_implicit_words() -> None:
    assert wording_variants("产后随访率", RULES) == [["产后随访率", "产后回访覆盖率"]]
    # Without the implicit word the question is broader: a second tier.
    assert wording_variants("护理床位占比", RULES) == [["护理床位占比"], ["护理床位"]]
    assert wording_variants("巡诊车辆", RULES) == [["巡诊车辆"]]


def test_a_region_worded_with_an_equivalent_head_is_found() -> None:
    rows = [
        row("t1", "a", "青禾市", "产后随访率", 90, "%"),
        row("t2", "b", "白石市", "产后回访覆盖率", 85, "%"),
    ]
    index = RowIndex(MemoryRows(rows))
    query = Query(text="比较", regions=("白石市",), indicator="产后随访率", intent="compare")
    assert fitting_rows(query, index, DOC_REGIONS, None, VariantRules(equivalent_heads=())) == []
    assert [r.target_id for r in fitting_rows(query, index, DOC_REGIONS, None, RULES)] == ["t2"]


def test_shipped_list_makes_签约率_and_签约服务覆盖率_one_head() -> None:
    from assistant.wordings import variant_rules

    assert "巡诊签约服务覆盖率" in wording_variants("巡诊签约率", variant_rules())[0]
    assert "巡诊车辆配备" in wording_variants("巡诊车辆配备的比例", variant_rules())[-1]
    # 签约覆盖率 (家庭医生签约覆盖率, as officials say it) is a third form of the same head.
    assert "驿站人群的巡诊签约服务覆盖率" in wording_variants("驿站人群的巡诊签约覆盖率", variant_rules())[0]


def test_shipped_list_makes_全科医生_and_全科医师_one_head() -> None:
    from assistant.wordings import variant_rules

    # 每万人口全科医生数 asked of a plan that writes 每万常住人口注册全科医师数.
    assert "每千人口全科医师数" in wording_variants("每千人口全科医生数", variant_rules())[0]


def test_every_row_of_a_region_that_fits_as_fully_is_listed() -> None:
    rows = [
        row("t1", "a", "青禾市", "巡诊一般村组覆盖率", 45, "%"),
        row("t2", "a", "青禾市", "巡诊偏远村组覆盖率", 75, "%"),
        row("t3", "a", "青禾市", "巡诊车辆配备率", 90, "%"),
        row("t4", "b", "白石市", "巡诊偏远村组覆盖率", 80, "%"),
        row("t5", "a", "青禾市", "巡诊重点村组覆盖率", 6, "个"),  # fits as fully, another unit: not the same target
    ]
    answer = compare("巡诊村组覆盖率", ("青禾市", "白石市"), rows)
    assert answer is not None
    assert {r.target_id for r in answer.targets} == {"t1", "t2", "t4"}


PLAN_ROWS = [
    row("t1", "a", "青禾市", "巡诊车辆配备率", 90, "%"),
    row("t2", "c", "", "巡诊车辆配备率", 70, "%"),
    row("t3", "a", "石门县", "巡诊车辆配备率", 95, "%"),
    row("t4", "b", "白石市", "巡诊车辆配备率", 80, "%"),
]
PLAN_REGIONS = {"a": "青禾市", "b": "白石市", "c": ""}


def title_of_plan(doc_id: str) -> str:
    return {"a": "青禾市巡诊方案", "b": "白石市巡诊方案", "c": "关于推进巡诊服务的意见"}[doc_id]


def test_a_named_plan_and_a_region_each_get_their_line() -> None:
    query = Query(text="关于巡诊服务的意见和白石市", regions=("白石市",), indicator="巡诊车辆配备率", intent="number")
    answer = answer_sides(query, ["c"], RowIndex(MemoryRows(PLAN_ROWS)), PLAN_REGIONS, compose, title_of_plan)
    assert answer is not None
    assert {r.target_id for r in answer.targets} == {"t2", "t4"}


def test_a_named_plan_without_the_target_says_so() -> None:
    query = Query(text="两份方案", indicator="巡诊车辆配备率", intent="number")
    answer = answer_sides(
        query, ["b", "c"], RowIndex(MemoryRows(PLAN_ROWS[:1] + PLAN_ROWS[3:])), PLAN_REGIONS, compose, title_of_plan
    )
    assert answer is not None
    assert [r.target_id for r in answer.targets] == ["t4"]
    assert MSG_PLAN_MISSING.format(title="关于推进巡诊服务的意见") in answer.answer


def test_one_plan_alone_is_not_a_comparison_of_sides() -> None:
    query = Query(text="意见里", indicator="巡诊车辆配备率", intent="number")
    assert answer_sides(query, ["c"], RowIndex(MemoryRows(PLAN_ROWS)), PLAN_REGIONS, compose, title_of_plan) is None


def test_each_place_means_each_plan_at_its_own_level() -> None:
    query = Query(
        text="各地巡诊车辆配备率分别是多少", indicator="巡诊车辆配备率", intent="compare", all_subregions=True
    )
    answer = answer_each_plan(query, RowIndex(MemoryRows(PLAN_ROWS)), PLAN_REGIONS, None, compose, title_of_plan)
    assert answer is not None
    assert {r.target_id for r in answer.targets} == {"t1", "t2", "t4"}
    assert "t3" not in {r.target_id for r in answer.targets}


def test_a_share_question_prefers_a_sides_percentage_rows_to_its_counts() -> None:
    rows = [
        row("t1", "a", "青禾市", "配备巡诊车辆的村组比例", 90, "%"),
        row("t2", "b", "白石市", "配备巡诊车辆的村组数", 12, "个"),
        row("t3", "b", "白石市", "村组巡诊车辆配备", 80, "%"),
    ]
    query = Query(text="比较", regions=("白石市",), indicator="配备巡诊车辆的村组比例", intent="compare")
    index = RowIndex(MemoryRows(rows))
    counts = VariantRules(equivalent_heads=(), implicit_words=("比例",))
    assert [r.target_id for r in fitting_rows(query, index, DOC_REGIONS, None, counts)] == ["t2"]
    shares = VariantRules(equivalent_heads=(), implicit_words=("比例",), share_words=("比例",))
    assert [r.target_id for r in fitting_rows(query, index, DOC_REGIONS, None, shares)] == ["t3"]


def test_each_place_cut_short_names_the_plans_left_out() -> None:
    from assistant.lookup import MAX_ROWS

    regions = {"p": "青禾市", "q": "白石市", "r": "石门县"}
    per_plan = MAX_ROWS // 2 + 1  # two plans do not fit in one list
    rows = [
        row(f"t{n * 100 + k}", doc, region, "巡诊车辆配备率", 50 + k, "%").model_copy(update={"year": str(2000 + k)})
        for n, (doc, region) in enumerate(regions.items())
        for k in range(per_plan)
    ]
    query = Query(
        text="各地巡诊车辆配备率分别是多少", indicator="巡诊车辆配备率", intent="compare", all_subregions=True
    )
    answer = answer_each_plan(query, RowIndex(MemoryRows(rows)), regions, None, compose, title_of_plan)
    assert answer is not None
    assert {r.doc_id for r in answer.targets} == {"p"}
    assert "白石市、石门县" in answer.answer and "未列出" in answer.answer


def test_a_question_no_row_words_alike_is_asked_in_another_plans_words() -> None:
    from assistant.compare import reworded_lookup

    rows = [
        row("t1", "a", "青禾市", "服务站建成“流动药房”", 30, "%"),
        row("t2", "a", "青禾市", "流动药房巡诊次数", 4, "次"),
    ]
    index = RowIndex(MemoryRows(rows))
    query = Query(text="青禾市流动药房的建设比例", regions=("青禾市",), indicator="流动药房的建设比例")
    assert lookup(query, index, DOC_REGIONS).rows == []
    found = reworded_lookup(query, index, DOC_REGIONS, None)
    assert found is not None and [r.target_id for r in found.rows] == ["t1"]
    # A share asked: a broader wording that finds only counts does not answer it.
    counts = RowIndex(MemoryRows(rows[1:]))
    assert reworded_lookup(replace_indicator(query, "流动药房巡诊的比例"), counts, DOC_REGIONS, None) is None


def replace_indicator(query: Query, indicator: str) -> Query:
    from dataclasses import replace

    return replace(query, indicator=indicator)


def test_a_sides_table_cell_gives_way_to_its_sentence_twin_that_states_the_bound() -> None:
    stated = row("t6", "b", "白石市", "配备巡诊车辆的村卫生所占比", 60, "%").model_copy(
        update={"comparator": "≥", "value_text": "60%以上"}
    )
    rows = [
        row("t1", "a", "青禾市", "巡诊车辆配备占比", 90, "%"),
        row("t4", "b", "白石市", "巡诊车辆配备占比", 60, "%"),
    ]
    bare = compare("巡诊车辆配备占比", ("青禾市", "白石市"), rows)
    assert bare is not None and [r.target_id for r in bare.targets] == ["t1", "t4"]
    answer = compare("巡诊车辆配备占比", ("青禾市", "白石市"), [*rows, stated])
    assert answer is not None
    assert [r.target_id for r in answer.targets] == ["t1", "t6"]


def test_a_side_read_word_by_word_keeps_the_head_noun() -> None:
    # 青禾市 sets no 巡诊医师 number: its 常住人口数 row shares the lead word by word, never the head (医师).
    rows = [
        row("t1", "a", "青禾市", "每千常住人口数（万人）", 100, "万人"),
        row("t2", "b", "白石市", "每千常住人口巡诊医师数", 2.5, "人"),
        row("t3", "b", "白石市", "巡诊医师培训人次", 200, "人次"),
        row("t4", "a", "青禾市", "巡诊医师在岗率", 90, "%"),
    ]
    answer = compare("每千常住人口巡诊医师数", ("青禾市", "白石市"), rows)
    assert answer is not None
    assert [r.target_id for r in answer.targets] == ["t2"]
    assert "青禾市：现有规划文件中没有找到相应的目标值" in answer.answer


def test_sides_come_grouped_by_plan_in_the_order_named_and_the_note_names_each_wording_once() -> None:
    rows = [
        row("t1", "a", "石门县", "累计建成巡诊站数", 8, "个"),
        row("t2", "a", "白沙县", "累计建成巡诊站数", 6, "个"),
        row("t3", "b", "北湖区", "新增巡诊站数", 2, "个"),
    ]
    # Regions come from understanding in its own order; the question names 北湖区 first.
    query = Query(
        text="北湖区、石门县和白沙县巡诊站的目标分别是多少",
        regions=("白沙县", "石门县", "北湖区"),
        indicator="巡诊站",
        intent="compare",
    )
    answer = answer_regions(query, RowIndex(MemoryRows(rows)), DOC_REGIONS, None, compose)
    assert answer is not None
    assert [r.target_id for r in answer.targets] == ["t3", "t1", "t2"]
    assert "北湖区为“新增巡诊站数”；石门县、白沙县为“累计建成巡诊站数”" in answer.answer


def test_regions_named_by_short_names_keep_their_order() -> None:
    from assistant.compare import named_order

    query = Query(text="石门、白沙和青禾的巡诊站", regions=("白沙县", "青禾市", "石门县"), intent="compare")
    assert named_order(query) == ["石门县", "白沙县", "青禾市"]


def test_each_place_answered_by_one_plan_alone_names_it_and_says_the_others_set_none() -> None:
    from assistant.compare import MSG_ONLY_PLAN

    rows = [
        row("t1", "a", "青禾市", "累计配备巡诊车辆", 30, "辆"),
        row("t2", "b", "白石市", "巡诊车辆配备率", 80, "%"),
        row("t3", "b", "北湖区", "巡诊车辆配备率", 85, "%"),
    ]
    query = Query(
        text="各地巡诊车辆配备率分别是多少", indicator="巡诊车辆配备率", intent="compare", all_subregions=True
    )
    answer = answer_each_plan(query, RowIndex(MemoryRows(rows)), DOC_REGIONS, None, compose, title_of)
    assert answer is not None
    assert [r.target_id for r in answer.targets] == ["t2"]  # the plan's own level, not its districts
    assert MSG_ONLY_PLAN in answer.answer


def test_a_plan_leaving_the_institution_to_its_sentence_is_still_a_side() -> None:
    named = row("t2", "b", "白石市", "城乡居民巡诊签约率", 70, "%").model_copy(
        update={"quote": "推进家庭医生巡诊服务，到2030年城乡居民巡诊签约率达到70%。"}
    )
    rows = [row("t1", "a", "青禾市", "家庭医生巡诊签约率", 60, "%"), named]
    query = Query(
        text="各地家庭医生巡诊签约率分别是多少", indicator="家庭医生巡诊签约率", intent="compare", all_subregions=True
    )
    answer = answer_each_plan(query, RowIndex(MemoryRows(rows)), DOC_REGIONS, None, compose, title_of)
    assert answer is not None
    assert {r.target_id for r in answer.targets} == {"t1", "t2"}
    # A sentence that does not name the institution: that plan sets no such target.
    unnamed = named.model_copy(update={"quote": "到2030年城乡居民巡诊签约率达到70%。"})
    answer = answer_each_plan(
        query, RowIndex(MemoryRows([rows[0], unnamed])), DOC_REGIONS, None, compose, title_of
    )
    assert answer is not None
    assert {r.target_id for r in answer.targets} == {"t1"}


def test_contrasting_words_make_two_indicators_of_one_thing() -> None:
    from assistant.wordings import contrasted

    rules = VariantRules(equivalent_heads=(), contrasting_words=(("新增", "累计"),))
    assert contrasted("新增巡诊站数", "累计建成巡诊站数", rules)
    assert not contrasted("新增巡诊站数", "新增巡诊站数（个）", rules)
    assert not contrasted("累计新增巡诊站数", "新增巡诊站数", rules)  # 新增 in both: only 累计 is one-sided
    # Same unit, most characters shared: without the contrast the two would be set side by side as one.
    answer = compare(
        "巡诊站",
        ("青禾市", "白石市"),
        [row("t1", "a", "青禾市", "累计建成巡诊站数", 8, "个"), row("t2", "b", "白石市", "新增巡诊站数", 2, "个")],
    )
    assert answer is not None and "不宜直接比较" in answer.answer


def test_a_topic_first_comparison_asking_what_each_set_is_answered_per_region() -> None:
    # 巡诊车辆，甲市和乙市各定了啥目标: 各定了 and 啥目标 frame the value (questions.toml setting_tails, fillers);
    # the topic alone is the wording, each region gets its own row, the different indicators are named.
    from assistant.understanding import Vocabulary, parse_question

    vocab = Vocabulary.build(regions=["青禾市", "白石市"], scopes=[])
    query = parse_question("巡诊车辆，青禾市和白石市各定了啥目标？", vocab)
    assert query.intent == "compare" and query.indicator == "巡诊车辆"
    answer = answer_regions(query, RowIndex(MemoryRows([ROWS[2], ROWS[3]])), DOC_REGIONS, None, compose)
    assert answer is not None and {r.region for r in answer.targets} == {"青禾市", "白石市"}
    assert "不宜直接比较" in answer.answer


SCOPED_ROWS = [
    row("t1", "a", "青禾市", "基层医疗卫生机构巡诊医师编制占比", 80, "%"),
    row("t2", "b", "白石市", "乡镇卫生院巡诊医师编制占比", 70, "%"),
]


def test_a_side_with_no_row_of_the_asked_kind_is_answered_by_a_narrower_kind_named_as_such() -> None:
    # 基层医疗卫生机构 includes 乡镇卫生院 (wordings.toml narrower_kinds): 白石市 scopes its row narrower.
    query = Query(
        text="基层医疗卫生机构巡诊医师编制占比，青禾市巡诊方案和白石市各是多少",
        regions=("白石市",),
        indicator="基层医疗卫生机构巡诊医师编制占比",
        intent="compare",
    )
    answer = answer_sides(query, ["a"], RowIndex(MemoryRows(SCOPED_ROWS)), DOC_REGIONS, compose, title_of)
    assert answer is not None
    assert {r.target_id for r in answer.targets} == {"t1", "t2"}
    assert "乡镇卫生院巡诊医师编制占比" in answer.answer
    # A row of the question's own scope wins over the narrower one.
    exact = row("t3", "b", "白石市", "基层医疗卫生机构巡诊医师编制占比", 75, "%")
    answer = answer_sides(
        query, ["a"], RowIndex(MemoryRows([*SCOPED_ROWS, exact])), DOC_REGIONS, compose, title_of
    )
    assert answer is not None
    assert {r.target_id for r in answer.targets} == {"t1", "t3"}
    # A kind the asked one does not include (县级医院) answers nothing.
    other = row("t4", "b", "白石市", "县级医院巡诊医师编制占比", 60, "%")
    answer = answer_sides(query, ["a"], RowIndex(MemoryRows([SCOPED_ROWS[0], other])), DOC_REGIONS, compose, title_of)
    assert answer is not None
    assert {r.target_id for r in answer.targets} == {"t1"}


def test_a_topic_pointer_is_left_out_of_each_sides_wording() -> None:
    query = Query(text="巡诊车辆配备率这块", indicator="巡诊车辆配备率这块")
    assert without_side_fillers(query).indicator == "巡诊车辆配备率"
    assert without_side_fillers(Query(text="这块", indicator="这块")).indicator == "这块"


def test_a_side_fitting_fully_lists_its_rows_of_another_unit_too_a_cell_giving_way_to_its_sentence() -> None:
    # 巡诊驿站 stands whole in a count (新增巡诊驿站数) and in two shares of 乡镇卫生院: all three are listed;
    # the table cell twin of a share stated in a sentence is not.
    rows = [
        row("t1", "a", "青禾市", "巡诊驿站配备率", 90, "%"),
        row("t2", "b", "白石市", "新增巡诊驿站数", 12, "个"),
        row("t3", "b", "白石市", "拥有巡诊驿站的乡镇卫生院占比", 60, "%"),
        row("t4", "b", "白石市", "巡诊驿站/乡镇卫生院占比", 60, "%").model_copy(update={"kind": "table"}),
    ]
    query = Query(text="巡诊驿站，青禾市巡诊方案和白石市各定了啥", regions=("白石市",), indicator="巡诊驿站")
    answer = answer_sides(query, ["a"], RowIndex(MemoryRows(rows)), DOC_REGIONS, compose, title_of)
    assert answer is not None
    assert {r.target_id for r in answer.targets} == {"t1", "t2", "t3"}


def test_a_side_no_row_answers_is_answered_by_its_own_sentence_and_the_sides_are_named_as_different() -> None:
    from assistant.schema import Citation, SearchHit

    said = SearchHit(
        chunk_id="c-7", doc_id="c", title="关于推进巡诊服务的意见", text="每个村至少派驻1名巡诊医师。", score=1.0
    )

    def stated(q: Query, docs: set[str]) -> tuple[SearchHit, str] | None:
        return (said, said.text) if docs == {"c"} else None

    def cite(hit: SearchHit, n: int, quote: str) -> Citation:
        return Citation(n=n, doc_id=hit.doc_id, title=hit.title, quote=quote, chunk_id=hit.chunk_id)

    query = Query(text="巡诊车辆配备率，意见和白石市各是多少", regions=("白石市",), indicator="巡诊车辆配备率")
    rows = PLAN_ROWS[3:]
    answer = answer_sides(
        query, ["c"], RowIndex(MemoryRows(rows)), PLAN_REGIONS, compose, title_of_plan, stated=stated, cite=cite
    )
    assert answer is not None
    assert [r.target_id for r in answer.targets] == ["t4"]
    assert "《关于推进巡诊服务的意见》原文：每个村至少派驻1名巡诊医师。[1]" in answer.answer
    assert [c.chunk_id for c in answer.citations] == ["c-7"]
    assert MSG_SIDES_APART in answer.answer
    assert MSG_PLAN_MISSING.format(title="关于推进巡诊服务的意见") not in answer.answer
    # Without a sentence either, the side says it has none.
    answer = answer_sides(query, ["c"], RowIndex(MemoryRows(rows)), PLAN_REGIONS, compose, title_of_plan)
    assert answer is not None
    assert MSG_PLAN_MISSING.format(title="关于推进巡诊服务的意见") in answer.answer


def test_a_place_with_no_row_of_the_asked_kind_is_answered_by_its_row_of_a_narrower_kind() -> None:
    query = Query(
        text="白石市基层医疗卫生机构巡诊医师编制占比是多少",
        regions=("白石市",),
        indicator="基层医疗卫生机构巡诊医师编制占比",
    )
    index = RowIndex(MemoryRows(SCOPED_ROWS))
    found = narrower_lookup(query, index, DOC_REGIONS, None)
    assert found is not None
    assert [r.target_id for r in found.rows] == ["t2"]
    # A row of a kind the asked one does not include answers nothing.
    other = row("t4", "b", "白石市", "县级医院巡诊医师编制占比", 60, "%")
    assert narrower_lookup(query, RowIndex(MemoryRows([SCOPED_ROWS[0], other])), DOC_REGIONS, None) is None
    # A question naming no broad kind is not asked again.
    plain = Query(text="白石市巡诊医师编制占比", regions=("白石市",), indicator="县级医院巡诊医师编制占比")
    assert narrower_lookup(plain, index, DOC_REGIONS, None) is None

"""The kind of value a question asks for, on made-up questions, rows and sentences (assistant/value_kinds.py)."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence

from assistant.lookup import RowIndex, lookup
from assistant.target_rows import MemoryRows
from assistant.understanding import Query
from assistant.value_kinds import (
    ValueKind,
    asked_kinds,
    kind_question,
    parse_kinds,
    rows_of_asked_kind,
    sentence_of_asked_kind,
    value_kinds,
)
from ingestion.schema import Target


def names(question: str) -> list[str]:
    return [k.name for k in asked_kinds(question)]


def kind(name: str) -> ValueKind:
    return next(k for k in value_kinds() if k.name == name)


def test_kinds_a_question_asks_in_the_order_they_stand() -> None:
    assert names("青川县巡诊补助每人多少钱？") == ["money"]
    assert names("白石市药箱更新期限是多久？") == ["duration"]
    assert names("巡诊每年至少几次？") == ["count"]
    assert names("药师按服务人口什么比例配备？") == ["ratio"]
    assert names("这个细则什么时候开始执行，试行多久？") == ["time", "duration"]
    assert names("巡诊补助的钱从哪里出？") == ["source"]
    assert names("巡诊奖补最多能拿多少？") == ["money"]
    assert names("巡诊每处补助多少万元？") == ["money"]
    # 多少万人 asks for a population, not money.
    assert names("石门区常住人口是多少万人？") == []
    # A plain 多少 asks no kind: a target row of any unit answers it.
    assert names("巡诊覆盖率要达到多少？") == []


def test_units_of_a_kind() -> None:
    money = kind("money")
    assert money.unit_fits("万元")
    assert money.unit_fits("元/人·年")
    assert not money.unit_fits("%")
    duration = kind("duration")
    assert duration.unit_fits("个工作日")
    assert not duration.unit_fits("名")


def test_a_sentence_states_a_kind_by_unit_or_by_marker() -> None:
    assert kind("money").stated_in("每处最高给予8万元巡诊补助。")
    assert not kind("money").stated_in("巡诊车辆配备率达到90%。")
    assert kind("duration").stated_in("本细则试行两年。")
    assert kind("duration").stated_in("每半年至少轮训一次。")
    # A walking time (几分钟的服务圈) is a duration.
    assert names("青禾县的村级网点按几分钟的服务圈布局？") == ["duration"]
    assert kind("duration").stated_in("按照“15 分钟便民服务圈”布局村级网点。")
    assert kind("time").stated_in("2031年6月底前，各乡镇要制定巡诊计划。")
    assert kind("time").stated_in("本细则自印发之日起施行。")
    assert not kind("time").stated_in("各乡镇要制定巡诊计划。")
    assert kind("source").stated_in("所需资金从镇级巡诊经费中解决。")
    assert kind("handling").stated_in("对巡诊不力的乡镇予以通报。")
    assert kind("count").stated_in("每年至少组织一次巡诊演练。")
    assert not kind("count").stated_in("发放一次性巡诊补助。")


def row(tid: str, indicator: str, value: float, unit: str) -> Target:
    return Target(
        target_id=tid,
        doc_id="a",
        region="青川县",
        indicator=indicator,
        value=value,
        unit=unit,
        value_text=f"{value:g}{unit}",
        year="",
        quote=f"{indicator}{value:g}{unit}。",
        start=int(tid[1:]) * 10,
        end=int(tid[1:]) * 10 + 9,
    )


def test_a_row_of_another_unit_does_not_answer_a_money_question() -> None:
    rows = [row("t1", "巡诊达标机构奖励", 40, "%")]
    index = RowIndex(MemoryRows(rows))
    money = Query(text="巡诊达标机构每处奖励多少钱？", indicator="巡诊达标机构奖励")
    assert lookup(money, index, {"a": "青川县"}).rows == []
    plain = Query(text="巡诊达标机构奖励是多少？", indicator="巡诊达标机构奖励")
    assert [r.target_id for r in lookup(plain, index, {"a": "青川县"}).rows] == ["t1"]
    money_rows = [*rows, row("t2", "巡诊达标机构奖励", 8, "万元")]
    assert [r.target_id for r in lookup(money, RowIndex(MemoryRows(money_rows)), {"a": "青川县"}).rows] == ["t2"]


def test_rows_of_asked_kind_keeps_every_row_when_no_kind_judges_rows() -> None:
    rows = [("a", "%"), ("b", "万元")]
    read: list[int] = []

    def units(rs: Sequence[tuple[str, str]]) -> list[str]:
        read.append(len(rs))
        return [r[1] for r in rs]

    assert rows_of_asked_kind("巡诊补助多少钱？", rows, units) == [("b", "万元")]
    # 什么时候 is answered by a row's year: it never rejects a row, and units are not read.
    assert rows_of_asked_kind("巡诊覆盖率什么时候达到90%？", rows, units) == rows
    assert read == [2]


def test_a_follow_up_keeps_the_kind_of_its_previous_question() -> None:
    q = Query(text="那达到基本标准的呢？", followup=True, previous="达标机构能拿多少奖补？")
    assert kind_question(q) == "达标机构能拿多少奖补？"
    assert not sentence_of_asked_kind(q, "达到基本标准的机构占比80%。")
    assert sentence_of_asked_kind(q, "对达到基本标准的机构每处给予5万元奖补。")
    own = Query(text="那达到基本标准的给几次？", followup=True, previous="达标机构能拿多少奖补？")
    assert kind_question(own) == own.text


def test_how_much_is_given_keeps_the_kind_of_the_previous_question() -> None:
    # Not a follow-up by its form, but 给多少 says not of what: the previous question's money carries.
    q = Query(text="达到基本标准的给多少？", previous="达标机构最高奖励多少？")
    assert kind_question(q) == q.previous
    assert kind_question(q, carrying=()) == q.text
    # A question naming what it asks (覆盖率) is its own.
    assert kind_question(Query(text="巡诊覆盖率是多少？", previous="达标机构最高奖励多少？")) == "巡诊覆盖率是多少？"


def test_a_word_added_to_the_list_changes_the_kinds() -> None:
    data = tomllib.loads(
        '[kinds.money]\nask_words = ["多少银子"]\nunits = []\nunit_endings = ["元"]\nmarkers = []\nrows = true\n'
    )
    kinds = parse_kinds(data)
    assert [k.name for k in asked_kinds("巡诊补助多少银子？", kinds)] == ["money"]
    assert asked_kinds("巡诊补助多少钱？", kinds) == []


def test_a_value_without_a_unit_never_disagrees() -> None:
    assert kind("money").unit_fits("")
    assert not kind("money").stated_in("巡诊车辆共12。")


def test_a_programme_named_by_its_years_is_not_a_duration() -> None:
    assert not kind("duration").stated_in("选派骨干人员参加进修三年行动计划。")
    assert kind("duration").stated_in("骨干人员进修三年。")


def test_a_payer_is_named_not_just_a_duty() -> None:
    assert kind("source").stated_in("巡诊车辆费用由镇级财政承担。")
    assert not kind("source").stated_in("对卫生院承担的巡诊服务按标准给予补助。")


def test_a_split_between_parties_states_a_ratio() -> None:
    assert names("青禾健康行动的奖补资金，市县两级按啥比例分担？") == ["ratio"]
    assert names("白石市和青川县怎么分担这笔经费？") == ["ratio"]
    ratio = kind("ratio")
    assert ratio.stated_in("所需资金由白石市和青川县财政按照 2：8比例承担。")
    assert ratio.stated_in("按照3∶7比例分担。")
    assert not ratio.stated_in("所需资金由白石市财政承担。")


def test_a_number_of_people_is_its_own_kind() -> None:
    assert names("青川县每个卫生院至少派驻几名医师？") == ["persons"]
    assert "count" in names("白石市去年诊疗多少人次？")
    persons = kind("persons")
    assert persons.stated_in("每年下沉人员不少于80人。")
    assert persons.stated_in("至少派驻两名医师。")
    assert not persons.stated_in("服务期不低于2年。")
    assert not persons.unit_fits("年")
    # A count of visits in any magnitude (万人次) is of the count kind.
    assert kind("count").unit_fits("万人次")


def test_a_condition_question_asks_for_the_conditions() -> None:
    assert names("评高级职称放宽学历还有啥条件？") == ["condition"]
    assert names("想进编要满足什么条件？") == ["condition"]
    condition = kind("condition")
    assert condition.stated_in("对在村卫生室连续工作满10年且年度考核合格的乡村医生，可优先聘用。")
    assert condition.stated_in("申请人须具备执业医师资格。")
    assert condition.stated_in("符合定向培养条件的，方可报名。")
    assert not condition.stated_in("乡村医生待遇逐步提高。")


def test_a_time_after_publication_is_a_duration() -> None:
    assert kind("duration").stated_in("本政策自发布之日起30日后执行。")
    assert kind("duration").stated_in("本政策试行三年。")


def test_a_condition_asked_in_other_words_and_stated_as_a_length_of_service() -> None:
    assert names("申请青禾补助要具备哪些条件？") == ["condition"]
    assert names("什么情况下可以领白石市岗位补贴？") == ["condition"]
    assert names("青川县公开招聘可以放宽哪些条件？") == []  # which are eased, not who qualifies
    condition = kind("condition")
    assert condition.stated_in("两项补助均须到岗满一年以上享受。")
    assert condition.stated_in("可定向招聘在村卫生室工作满6年的执业医师进编。")
    assert condition.stated_in("在岗服务满 5年后，经考核合格，可选聘到县级医院。")
    assert not condition.stated_in("到2025年底，村卫生室全部完成改造。")


def test_a_start_year_is_a_time() -> None:
    assert names("青川县巡诊培训哪年开始搞？") == ["time"]
    assert kind("time").stated_in("自 2031年起开展乡村巡诊全覆盖培训三年行动。")
    assert kind("time").stated_in("从2031年3月起，各乡镇按月巡诊。")
    assert not kind("time").stated_in("到2031年，巡诊覆盖率达到90%。")

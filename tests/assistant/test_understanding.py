"""Question understanding on a made-up vocabulary (no shipped names: rules must carry over)."""

from __future__ import annotations

import pytest

from assistant.schema import Turn
from assistant.understanding import Vocabulary, bigrams, full_region_names, parse_question, resolve, sub_regions

VOCAB = Vocabulary.build(
    regions=["青川市", "白沙县", "石门区", "北湖新区", "合计"],
    scopes=["乡镇卫生院", "社区卫生服务中心", "重点人群"],
)


def test_aliases_drop_the_administrative_suffix() -> None:
    assert VOCAB.aliases["白沙"] == "白沙县"
    assert VOCAB.aliases["北湖"] == "北湖新区"
    assert "合计" not in VOCAB.regions


@pytest.mark.parametrize(
    ("question", "regions", "years", "intent"),
    [
        ("到2025年每万人口全科医生数要达到多少？", (), ("2025",), "number"),
        ("白沙县2024年要培养多少全科医生？", ("白沙县",), ("2024",), "number"),
        ("白沙2023年底建成几个社区医院", ("白沙县",), ("2023",), "number"),
        ("比较一下白沙县和石门区的社区医院数", ("白沙县", "石门区"), (), "compare"),
        ("哪些县区2025年累计建成社区医院数超过10个？", (), ("2025",), "list"),
        ("如何推进紧密型县域医共体建设？", (), (), "explain"),
        ("2023—2025年全市计划改造面积是多少", (), ("2023-2025",), "number"),
    ],
)
def test_slots(question: str, regions: tuple[str, ...], years: tuple[str, ...], intent: str) -> None:
    q = parse_question(question, VOCAB)
    assert q.regions == regions
    assert q.years == years
    assert q.intent == intent


def test_indicator_is_the_plan_wording_left_after_slots() -> None:
    q = parse_question("到2025年每万人口全科医生数要达到多少？", VOCAB)
    assert q.indicator == "每万人口全科医生数"


@pytest.mark.parametrize(
    ("question", "indicator", "intent"),
    [
        ("石门区常住人口是多少？", "常住人口", "number"),  # no copula left behind
        ("石门区常住人口数是多少万人？", "常住人口数", "number"),  # the asked unit is not wording
        ("石门区卫生总投入是多少万亿元？", "卫生总投入", "number"),
        ("两市对基层康复床位占比的要求一样吗？", "基层康复床位占比", "compare"),  # 对…的要求 frames it
        ("白沙和石门对每个县区建设实训基地的要求分别是什么？", "建设实训基地", "compare"),  # 每个县区 is a scope
        ("白沙县和石门区的家庭医生签约率是否相同？", "家庭医生签约率", "compare"),
        ("白沙县和石门区的巡诊车辆配备率分别怎么要求？", "巡诊车辆配备率", "compare"),  # no 怎么 left behind
        ("白沙县和石门区的巡诊车辆配备率分别怎么规定？", "巡诊车辆配备率", "compare"),
        ("白沙县要加快哪几个联合体建设？", "要加快联合体建设", "number"),  # no 哪 left behind
        ("哪几家医院要建设胸痛中心？", "医院要建设胸痛中心", "number"),
    ],
)
def test_question_framing_is_not_indicator_wording(question: str, indicator: str, intent: str) -> None:
    q = parse_question(question, VOCAB)
    assert q.indicator == indicator
    assert q.intent == intent


def test_unknown_place_is_reported_not_ignored() -> None:
    q = parse_question("北京市2025年每万人口全科医生数是多少？", VOCAB)
    assert q.unknown_places == ("北京市",)
    assert q.regions == ()


@pytest.mark.parametrize(
    ("question", "place"),
    [("白鹭市要培养多少基层中医骨干？", "白鹭市"), ("白鹭市将建成多少家社区医院？", "白鹭市")],
)
def test_unknown_place_whose_suffix_the_segmenter_joined_to_the_next_word(question: str, place: str) -> None:
    # jieba cuts 白鹭|市要|培养: the suffix followed by a function character (places.toml
    # question_suffix_followers) still ends a place name, so the question is not answered with another city's row.
    q = parse_question(question, VOCAB)
    assert q.unknown_places == (place,)
    assert q.regions == ()
    assert "市" not in q.indicator


def test_a_suffix_starting_a_noun_makes_no_place() -> None:
    q = parse_question("白鹭市民健康素养水平要达到多少？", VOCAB)
    assert "白鹭市" not in q.unknown_places


def test_words_ending_like_places_are_not_places() -> None:
    q = parse_question("社区卫生服务中心的全市覆盖率要达到多少？", VOCAB)
    assert q.unknown_places == ()
    assert q.scope == "社区卫生服务中心"


def test_followup_year_carries_indicator_and_region() -> None:
    history = [Turn(role="user", content="白沙县2025年累计建成社区医院数是多少？"), Turn(role="assistant", content="…")]
    q = resolve("那2023年呢？", history, VOCAB)
    assert q.followup
    assert q.years == ("2023",)
    assert q.regions == ("白沙县",)
    assert "社区医院" in q.indicator


@pytest.mark.parametrize("followup", ["那三年加起来呢？", "三年一共呢？", "那合计呢", "加在一起是多少？"])
def test_followup_asking_for_the_total_drops_the_single_year(followup: str) -> None:
    history = [Turn(role="user", content="白沙县2024年新建卫生院几个？"), Turn(role="assistant", content="…")]
    q = resolve(followup, history, VOCAB)
    assert q.followup
    assert q.wants_total
    assert q.years == ()
    assert not q.carried_years
    assert q.regions == ("白沙县",)
    assert "卫生院" in q.indicator
    assert "加" not in q.indicator


def test_a_total_word_added_to_the_rules_is_read() -> None:
    rules = VOCAB.rules
    extended = Vocabulary.build(
        regions=VOCAB.regions,
        scopes=VOCAB.scopes,
        rules=type(rules)(**{**rules.__dict__, "total_question_words": ("归总", *rules.total_question_words)}),
    )
    assert not parse_question("白沙县新建卫生院归总多少个？", VOCAB).wants_total
    assert parse_question("白沙县新建卫生院归总多少个？", extended).wants_total


def test_followup_region_change_keeps_year() -> None:
    history = [Turn(role="user", content="白沙县2025年累计建成社区医院数是多少？")]
    q = resolve("石门区呢？", history, VOCAB)
    assert q.regions == ("石门区",)
    assert q.years == ("2025",)


def test_followup_chain_resolves_through_earlier_turns() -> None:
    history = [
        Turn(role="user", content="白沙县2025年累计建成社区医院数是多少？"),
        Turn(role="assistant", content="…"),
        Turn(role="user", content="那2023年呢？"),
        Turn(role="assistant", content="…"),
    ]
    q = resolve("石门区呢？", history, VOCAB)
    assert q.regions == ("石门区",)
    assert q.years == ("2023",)
    assert "社区医院" in q.indicator


def test_scope_followup_swaps_scope() -> None:
    history = [Turn(role="user", content="乡镇卫生院2025年达标率要达到多少？")]
    q = resolve("社区卫生服务中心呢？", history, VOCAB)
    assert q.scope == "社区卫生服务中心"
    assert q.years == ("2025",)


def test_full_new_question_starts_afresh() -> None:
    history = [Turn(role="user", content="白沙县2025年累计建成社区医院数是多少？")]
    q = resolve("到2025年每万人口全科医生数要达到多少？", history, VOCAB)
    assert not q.followup
    assert q.regions == ()
    assert q.previous == history[0].content  # what kind of value it asked may still count


def test_bigrams_fold_full_width() -> None:
    assert bigrams("９０％") == bigrams("90%")


def test_the_country_in_a_slogan_is_not_an_unknown_place() -> None:
    # A slogan of the national kind (X中国建设): the country is not a place no plan covers.
    q = parse_question("推进数字中国建设要坚持哪几条原则？", VOCAB)
    assert q.unknown_places == ()
    q = parse_question("我国到2030年人均预期寿命要达到多少？", VOCAB)
    assert q.unknown_places == ()


def test_a_place_whose_name_runs_into_a_not_place_word_is_a_place() -> None:
    # 禾城市 ends in 城市 (not a place), but 城 belongs to the name: the tagger knows 禾城 as a place.
    import jieba

    jieba.add_word("禾城", tag="ns")
    jieba.add_word("禾城市", tag="ns")
    try:
        q = parse_question("禾城市乡镇卫生院标准化率要求达到多少？", VOCAB)
        assert q.unknown_places == ("禾城市",)
        # A word ending in one whose head is no place stays a word (主城区 is not a district's name).
        assert parse_question("主城区社区医院要建多少个？", VOCAB).unknown_places == ()
    finally:
        jieba.del_word("禾城市")
        jieba.del_word("禾城")


def test_the_askers_own_place_and_plan_framing_are_not_indicator_wording() -> None:
    q = parse_question("咱市2023到2025年这三年，卫生室提档项目一共打算搞多少个？", VOCAB)
    assert q.indicator == "卫生室提档项目"
    assert q.years == ("2023-2025",)
    q = parse_question("白沙县和石门区到2025年社区医院的目标分别是怎么定的？", VOCAB)
    assert q.indicator == "社区医院"


NESTED = Vocabulary.build(
    regions=["青川市", "白石市", "高新区", "白沙县"],
    scopes=["社区医院"],
    within=sub_regions([("高新区", "青川市"), ("白沙县", "青川市"), ("青川市", "青川市")]),
)


@pytest.mark.parametrize(
    ("question", "regions"),
    [
        ("青川高新区2025年累计建成社区医院几个？", ("高新区",)),
        ("青川市白沙县2025年累计建成社区医院几个？", ("白沙县",)),
        ("青川市和高新区2025年累计建成社区医院分别几个？", ("高新区", "青川市")),
        ("白石市高新区2025年累计建成社区医院几个？", ("高新区", "白石市")),  # not a sub-region of 白石市
    ],
)
def test_a_city_named_right_before_its_sub_region_means_the_sub_region(question: str, regions: tuple[str, ...]) -> None:
    assert tuple(sorted(parse_question(question, NESTED).regions)) == tuple(sorted(regions))


def test_search_text_names_the_asked_regions_in_full() -> None:
    vocab = Vocabulary.build(regions=["白石市", "青川县", "石门区", "石门港市"], scopes=[])
    assert full_region_names("青川对人才有什么照顾？", ["青川县"], vocab) == "青川县对人才有什么照顾？"
    assert full_region_names("青川县对人才有什么照顾？", ["青川县"], vocab) == "青川县对人才有什么照顾？"
    # Longest name first: 石门港 is 石门港市, not 石门区 + 港, even when both are asked.
    assert full_region_names("石门港和石门比呢？", ["石门区", "石门港市"], vocab) == "石门港市和石门区比呢？"
    # Only the asked regions are rewritten.
    assert full_region_names("青川和石门比呢？", ["石门区"], vocab) == "青川和石门区比呢？"


def test_a_compound_of_a_place_suffix_in_a_question_is_no_place() -> None:
    # 紧密型县域 / 县级 (places.toml suffix_compounds) name no place in a question either.
    vocab = Vocabulary.build(regions=["白鹭州"], scopes=[])
    q = parse_question("白鹭州全面推进紧密型县域医共体建设的县级医院要达到多少？", vocab)
    assert q.regions == ("白鹭州",)
    assert q.unknown_places == ()


@pytest.mark.parametrize(
    "followup",
    [
        "2023年定的是多少？",
        "2023年那个要求的是多少？",
        "2023年这个定了多少？",
        "那到2023年定到多少了？",
        "那23年又定成多少了？",
    ],
)
def test_followup_of_only_back_references_takes_the_indicator_from_the_history(followup: str) -> None:
    history = [
        Turn(role="user", content="白沙县驿站护理员培训率，2025年要达到多少？"),
        Turn(role="assistant", content="…"),
    ]
    q = resolve(followup, history, VOCAB)
    assert q.followup
    assert q.years == ("2023",)
    assert q.regions == ("白沙县",)
    assert q.indicator == "驿站护理员培训率"


def test_a_back_reference_to_the_previous_subject_carries_its_place() -> None:
    history = [Turn(role="user", content="白沙县驻站医生每人每年补贴多少？"), Turn(role="assistant", content="…")]
    q = resolve("这个补贴要满足啥条件才能拿？", history, VOCAB)
    assert q.followup
    assert q.regions == ("白沙县",)
    assert "驻站医生" in q.indicator and "补贴" in q.indicator and "这个" not in q.indicator
    # A determiner before a noun the previous question never named is a new question.
    other = resolve("这个驿站要满足啥条件才能建？", history, VOCAB)
    assert not other.followup and other.regions == ()


def test_a_real_new_question_with_a_back_reference_word_keeps_its_own_wording() -> None:
    history = [Turn(role="user", content="白沙县2025年累计建成社区医院数是多少？")]
    q = resolve("石门区到2025年每万人口全科医生数定的是多少？", history, VOCAB)
    assert not q.followup
    assert "全科医生" in q.indicator


@pytest.mark.parametrize(
    "question",
    [
        "白鹭市孕产妇死亡率25年目标定的多少？",
        "白鹭市孕产妇死亡率2025年定了多少？",
        "白鹭市2025年孕产妇死亡率定的是多少",
        "白鹭市孕产妇死亡率2025年、2030年又各定到多少？",
    ],
)
def test_a_setting_verb_before_the_question_word_is_no_wording(question: str) -> None:
    # questions.toml setting_tails: 定的/定了 left at the end of a part once 多少 is gone.
    vocab = Vocabulary.build(regions=["白鹭市"], scopes=[])
    assert parse_question(question, vocab).indicator == "孕产妇死亡率"


def test_a_setting_word_inside_the_wording_stays() -> None:
    vocab = Vocabulary.build(regions=["白鹭市"], scopes=[])
    assert parse_question("白鹭市规定的床位数是多少？", vocab).indicator == "规定的床位数"
    assert parse_question("白鹭市定点医院数量2025年是多少？", vocab).indicator == "定点医院数量"


@pytest.mark.parametrize(
    "followup",
    ["镇街、村社的健康驿站呢，要建到啥程度？", "那村社和镇街的健康驿站建设又是怎么要求的？"],
)
def test_a_followup_turning_to_a_new_subject_keeps_its_words_and_carries_place_and_year(followup: str) -> None:
    history = [
        Turn(role="user", content="白沙县到2027年，多少卫生院要建成康复门诊？"),
        Turn(role="assistant", content="…"),
    ]
    q = resolve(followup, history, VOCAB)
    assert q.followup
    assert q.regions == ("白沙县",)
    assert q.years == ("2027",)
    assert "健康驿站" in q.indicator
    assert "康复门诊" not in q.indicator
    # 镇街 and 村社 are levels of every place (places.toml question_not_places), not places the corpus lacks.
    assert q.unknown_places == ()


def test_a_long_question_without_a_switch_mark_starts_afresh() -> None:
    history = [Turn(role="user", content="白沙县到2027年，多少卫生院要建成康复门诊？")]
    q = resolve("村社健康驿站建设要达到什么程度？", history, VOCAB)
    assert not q.followup
    assert q.regions == ()


def test_a_noun_the_segmenter_tags_as_a_place_is_no_unknown_place() -> None:
    # jieba tags 东西 (things) as a place name; places.toml question_not_places lists it.
    q = parse_question("白沙县的驿站都包括哪些东西？", VOCAB)
    assert q.unknown_places == ()
    assert q.regions == ("白沙县",)


@pytest.mark.parametrize(
    "question",
    [
        "青川各县市区2025年新增巡诊车辆数都是多少？",
        "青川各区县2025年新增巡诊车辆数分别是多少？",
        "青川市各县（市）区2025年新增巡诊车辆数是多少",
        "青川各县市2025年新增巡诊车辆数都是多少",
    ],
)
def test_each_kind_of_subregion_is_no_indicator_wording(question: str) -> None:
    # 各 + administrative kinds in any order (scope.toml question_area_words); 都是多少 is a question word.
    q = parse_question(question, VOCAB)
    assert q.regions == ("青川市",)
    assert q.all_subregions
    assert q.indicator == "新增巡诊车辆数"


@pytest.mark.parametrize(
    "followup",
    ["换成石门区，同一年呢？", "改成石门区，同样的年份呢？", "换到石门区，还是那一年呢", "石门区同年呢？"],
)
def test_a_followup_naming_a_new_place_and_the_same_year_carries_indicator_and_year(followup: str) -> None:
    # same_year_words and followup_openings (question_wording.toml): 同一年 names no indicator.
    history = [
        Turn(role="user", content="白沙县2031年驿站护理员培训率要达到多少？"),
        Turn(role="assistant", content="…"),
    ]
    q = resolve(followup, history, VOCAB)
    assert q.followup
    assert q.regions == ("石门区",) and not q.carried_regions
    assert q.years == ("2031",) and q.carried_years
    assert q.indicator == "驿站护理员培训率"


def test_a_followup_naming_no_place_marks_the_place_as_carried() -> None:
    history = [Turn(role="user", content="白沙县2031年驿站护理员培训率要达到多少？")]
    q = resolve("那2032年呢？", history, VOCAB)
    assert q.regions == ("白沙县",) and q.carried_regions
    assert not parse_question("白沙县2031年驿站护理员培训率要达到多少？", VOCAB).carried_regions


def test_a_year_reference_outside_a_followup_names_no_indicator_but_leaves_the_rest() -> None:
    q = parse_question("白沙县同一年的驿站护理员培训率是多少？", VOCAB)
    assert q.indicator == "驿站护理员培训率"
    assert q.regions == ("白沙县",)


TRAINING = [
    Turn(role="user", content="白沙县驿站护理员培训率，2025年要达到多少？"),
    Turn(role="assistant", content="…"),
]


@pytest.mark.parametrize(
    "followup",
    [
        "前面说的那个指标，2023年定的多少？",
        "那前面2023年那个目标是多少？",
        "刚才那个指标，2023年呢？",
        "上面问的那个，2023年要达到多少？",
        "之前提到的这个，2023年是多少？",
        # words of the previous question restate the subject pointed back at
        "上面问的那个，2023年护理员培训率要达到多少？",
    ],
)
def test_a_pointer_to_an_earlier_turn_asks_the_previous_subject(followup: str) -> None:
    # question_wording.toml earlier_words / earlier_verbs: 前面说的, 刚才, 上面问的 before 那个 point back.
    q = resolve(followup, TRAINING, VOCAB)
    assert q.followup
    assert q.indicator == "驿站护理员培训率"
    assert q.years == ("2023",)
    assert q.regions == ("白沙县",)


def test_a_pointer_to_an_earlier_turn_is_no_wording() -> None:
    assert "前" not in parse_question("前面说的那个指标，2023年定的多少？", VOCAB).indicator
    assert "刚才" not in parse_question("刚才那个指标，2023年呢？", VOCAB).indicator
    # 之前 as time (2025年之前) points at no turn: no determiner or verb of saying follows it.
    q = parse_question("白沙县2025年之前建成的驿站有多少个？", VOCAB)
    assert q.indicator.startswith("之前")


def test_a_pointer_with_words_of_a_new_subject_asks_that_subject() -> None:
    q = resolve("上面问的那个，2023年驿站覆盖率要达到多少？", TRAINING, VOCAB)
    assert q.followup
    assert q.indicator == "驿站覆盖率"
    assert q.regions == ("白沙县",)


@pytest.mark.parametrize("followup", ["石门区又是多少？", "石门区又是几个？", "那石门区又有多少？"])
def test_a_switch_word_after_a_new_place_is_no_subject(followup: str) -> None:
    # 又是 frames the question (question_wording.toml switch_words): the place changes, the indicator is carried.
    history = [Turn(role="user", content="白沙县2025年新增巡诊车辆数是几个？"), Turn(role="assistant", content="…")]
    q = resolve(followup, history, VOCAB)
    assert q.followup
    assert q.regions == ("石门区",)
    assert q.years == ("2025",)
    assert q.indicator == "新增巡诊车辆数"


@pytest.mark.parametrize(
    "followup",
    ["培训率知道了，驿站覆盖率定的多少？", "这个明白了，驿站覆盖率要达到多少？", "护理员的清楚了，驿站覆盖率呢？"],
)
def test_an_acknowledged_answer_then_a_new_indicator_keeps_place_and_year(followup: str) -> None:
    # question_wording.toml acknowledgements: the first clause names the old subject; the new one is asked.
    q = resolve(followup, TRAINING, VOCAB)
    assert q.followup
    assert q.indicator == "驿站覆盖率"
    assert q.regions == ("白沙县",)
    assert q.years == ("2025",)


def test_an_acknowledging_clause_is_no_wording_without_history() -> None:
    assert parse_question("培训率知道了，白沙县驿站覆盖率定的多少？", VOCAB).indicator == "驿站覆盖率"
    # A message made only of the acknowledgement is left whole (the help reply reads it as a closing).
    assert parse_question("知道了。", VOCAB).text == "知道了。"


def test_a_measure_word_for_money_points_back_too() -> None:
    history = [Turn(role="user", content="白沙县驻站医生每人每年补贴多少？"), Turn(role="assistant", content="…")]
    q = resolve("想拿这笔补贴，得满足什么条件？", history, VOCAB)
    assert q.followup
    assert q.regions == ("白沙县",)
    assert "驻站医生" in q.indicator and "这笔" not in q.indicator


_TABLE_ASKED = [
    Turn(role="user", content="驿站护理员持证率2040年要到多少？"),
    Turn(role="assistant", content="2040年驿站护理员持证率为90%[1]。"),
]


@pytest.mark.parametrize(
    "followup",
    [
        "往前看，2030那一栏是多少？",
        "2030那一列呢？",
        "那2030年那个阶段目标呢？",
        "那2030年那个阶段性目标呢？",
        "2030年那一阶段的目标呢？",
    ],
)
def test_a_column_or_stage_of_the_previous_row_asks_its_indicator_in_that_year(followup: str) -> None:
    # question_wording.toml column_words / view_words: 那一栏, 那个阶段目标, 往前看 name no indicator; a year right
    # before a column word is a year without its 年.
    q = resolve(followup, _TABLE_ASKED, VOCAB)
    assert q.followup
    assert q.indicator == "驿站护理员持证率"
    assert q.years == ("2030",)


def test_column_words_are_no_wording_of_a_first_question() -> None:
    q = parse_question("2030那一栏的驿站护理员持证率是多少？", VOCAB)
    assert q.years == ("2030",)
    assert "栏" not in q.indicator
    # A four-digit number before no column word is left as it stands.
    assert parse_question("驿站护理员2030名的持证率是多少？", VOCAB).years == ()

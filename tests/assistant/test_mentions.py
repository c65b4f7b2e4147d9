"""Plans named in a question, on made-up plans: found anywhere, resolved by title and metadata, removed."""

from __future__ import annotations

from assistant.mentions import MentionResolver, mention_rules, plan_restriction
from ingestion.schema import DocumentMeta, DocumentRecord


def _doc(doc_id: str, title: str, issuer: str = "", number: str = "", region: str = "") -> DocumentRecord:
    meta = DocumentMeta(title=title, issuer=issuer, doc_number=number, region=region)
    return DocumentRecord(doc_id=doc_id, source=f"{doc_id}.txt", content_hash=doc_id, meta=meta)


DOCS = [
    _doc("a", "青禾市基层医疗机构“双达标”工程实施方案", "青禾市人民政府办公室", "青政办发〔2024〕12号", "青禾市"),
    _doc("b", "关于深化医药卫生体制改革推进卫生事业发展的实施方案", "青禾市人民政府", "青政发〔2025〕7号", "青禾市"),
    _doc("c", "白沙县乡村卫生服务能力提升三年行动方案（2024—2026年）", region="白沙县"),
    _doc("d", "“健康远方2035”规划纲要", "中共中央、国务院", region="全国"),
]


def _find(question: str) -> list[tuple[str, str | None]]:
    return [(m.text, m.doc_id) for m in MentionResolver(DOCS).find(question)]


def test_title_in_angle_brackets_resolves_and_is_removed() -> None:
    mentions = MentionResolver(DOCS).find("《白沙县乡村卫生服务能力提升三年行动方案》对签约率定的目标是多少？")
    assert [m.doc_id for m in mentions] == ["c"]
    assert "白沙" not in mentions[0].rest and mentions[0].rest.startswith("对签约率")


def test_nickname_issuer_plus_kind_and_region_plus_kind() -> None:
    assert _find("纲要里人均预期寿命要到多少？") == [("纲要", "d")]
    assert _find("中共中央国务院那个规划纲要，吸烟率要降到多少？")[0][1] == "d"
    assert _find("双达标方案里，2024年社区医院建成几个？") == [("双达标方案", "a")]
    assert _find("白沙县那份行动方案里签约率多少？")[0][1] == "c"


def test_abbreviation_and_document_number() -> None:
    assert _find("青禾市政府那份深化医改实施方案，基层就诊率定的多少？")[0][1] == "b"
    assert _find("青政办发〔2024〕12号要求每万服务人口配多少人？") == [("青政办发〔2024〕12号", "a")]


def test_a_document_number_after_question_words_keeps_them() -> None:
    mentions = MentionResolver(DOCS).find("签约率在青政办发〔2024〕12号里要达到多少？")
    assert [(m.text, m.doc_id) for m in mentions] == [("青政办发〔2024〕12号", "a")]
    assert "签约率" in mentions[0].rest
    assert _find("青政发 [2025] 7号 提出基层就诊率多少？") == [("青政发 [2025] 7号", "b")]


def test_title_year_is_not_a_question_year() -> None:
    mentions = MentionResolver(DOCS).find("健康远方2035纲要里2030年人均预期寿命要达到多少？")
    assert mentions[0].doc_id == "d"
    assert "2035" not in mentions[0].rest and "2030年" in mentions[0].rest


def test_a_plan_not_in_the_library_is_reported() -> None:
    assert _find("《健康远方2030行动计划》里吸烟率要降到多少？") == [("健康远方2030行动计划", None)]
    named, rest = plan_restriction(
        MentionResolver(DOCS).find("国务院办公厅关于完善护理服务体系的意见，床位数怎么要求？")
    )
    assert named is None and rest.startswith("床位数")


def test_bare_generic_kind_names_no_plan() -> None:
    # 方案里 means "the plan" (every plan is a 方案): nothing is removed or restricted.
    assert _find("方案里签约率要达到多少？") == []
    assert _find("计划改造面积哪个县多？") == []


def test_two_subjects_joined_leave_the_question_to_the_comparison() -> None:
    mentions = MentionResolver(DOCS).find("白沙县和深化医药卫生体制改革的那份方案，签约率分别是多少？")
    assert plan_restriction(mentions) == (None, "")


def test_a_kind_added_to_the_rules_is_used() -> None:
    rules = mention_rules()
    docs = [*DOCS, _doc("e", "青禾市家庭医生签约服务细则", region="青禾市")]
    assert MentionResolver(docs, rules).find("签约服务细则里续约率多少？") == []
    extended = type(rules)(**{**rules.__dict__, "kinds": ("细则", *rules.kinds)})
    assert [m.doc_id for m in MentionResolver(docs, extended).find("签约服务细则里续约率多少？")] == ["e"]


def test_a_quoted_short_name_of_a_title_names_its_plan() -> None:
    resolver = MentionResolver(DOCS)
    first = resolver.find("双达标里社区医院的面积最少多大？")
    assert [(m.doc_id, m.rest) for m in first] == [("a", "社区医院的面积最少多大?")]
    assert [m.doc_id for m in resolver.find("健康远方2035提出人均每日食盐摄入量降多少？")] == ["d"]
    # Inside the question's own wording the name restricts the answer but stays in the words.
    inside = resolver.find("各县要在何时前出台双达标具体工作推进计划？")
    assert inside[0].doc_id == "a" and "双达标" in inside[0].rest


def test_a_question_about_the_name_itself_keeps_it() -> None:
    mentions = MentionResolver(DOCS).find("“双达标”指的是什么？")
    assert mentions[0].doc_id == "a" and "双达标" in mentions[0].rest


def test_a_draft_marker_after_a_title_goes_with_the_title() -> None:
    for question in (
        "《白沙县乡村卫生服务能力提升三年行动方案》征求意见稿，签约率要求多少？",
        "《白沙县乡村卫生服务能力提升三年行动方案》（草案）里签约率要求多少？",
    ):
        mentions = MentionResolver(DOCS).find(question)
        assert [m.doc_id for m in mentions] == ["c"]
        assert mentions[0].rest.startswith("签约率"), mentions[0].rest
    # A draft word not right after the title stays in the question.
    rest = MentionResolver(DOCS).find("《白沙县乡村卫生服务能力提升三年行动方案》里签约率在讨论稿中是多少？")[0].rest
    assert "讨论稿" in rest


def _based(doc_id: str, title: str, basis: list[str], region: str = "") -> DocumentRecord:
    meta = DocumentMeta(title=title, region=region, basis_regions=basis)
    return DocumentRecord(doc_id=doc_id, source=f"{doc_id}.txt", content_hash=doc_id, meta=meta)


BASED = [
    *DOCS,
    _based("e", "关于推动乡村卫生体系发展的实施方案", ["白石省"]),
    _based("f", "黑山县卫生人才队伍建设方案", ["绿水省"], region="黑山县"),
    _based("g", "红河县卫生人才队伍建设方案", ["绿水省"], region="红河县"),
]


def test_the_province_of_an_implemented_document_names_the_plan() -> None:
    resolver = MentionResolver(BASED)
    for question in (
        "签约率，白沙县和白石那个市分别是多少？",
        "签约率，白沙县和白石省那个方案各是多少？",
        "签约率，白沙县和白石的那个市分别是多少？",
        "签约率，白沙县和白石那边的方案分别是多少？",
    ):
        mentions = resolver.find(question)
        assert [(m.doc_id, m.joined) for m in mentions] == [("e", True)], question
        assert "白石" not in mentions[0].rest and "签约率" in mentions[0].rest
        assert "方案" not in mentions[0].rest


def test_a_province_two_plans_implement_or_a_plan_own_region_names_no_plan_by_pointer() -> None:
    resolver = MentionResolver(BASED)
    # Two plans implement 绿水省's documents: the province picks neither.
    assert [m.doc_id for m in resolver.find("签约率，白沙县和绿水那个市分别是多少？")] == []
    # A place that is a plan's own region is not a basis: the pointer leaves it to the region lookup.
    assert resolver.find("签约率，青禾和白沙县那个地方分别是多少？") == []
    # A province no plan implements is no plan either.
    assert resolver.find("签约率，白沙县和紫云那个市分别是多少？") == []


def test_a_province_with_a_pointer_after_question_words_names_the_plan() -> None:
    mentions = MentionResolver(BASED).find("签约率白石那个市要求多少？")
    assert [(m.text, m.doc_id) for m in mentions] == [("白石那个市", "e")]
    assert mentions[0].rest.startswith("签约率")


def test_a_draft_marker_inside_a_title_is_not_part_of_its_name() -> None:
    # 征求意见稿 holds the kind 意见: left in, the plan (a 方案) would be reported as missing from the library.
    for question in (
        "《白沙县乡村卫生服务能力提升三年行动方案（征求意见稿）》里签约率要求多少？",
        "《白沙县乡村卫生服务能力提升三年行动方案征求意见稿》里签约率要求多少？",
    ):
        assert [(m.doc_id, m.rest) for m in MentionResolver(DOCS).find(question)] == [("c", "签约率要求多少?")]


def test_a_kind_word_used_as_the_questions_verb_names_no_plan() -> None:
    # 来规划的 / 如何计划: the kind word is the question's verb, not a document.
    assert _find("青禾村卫生室是按几公里的服务半径来规划的？") == []
    assert _find("白沙县乡村医生队伍如何规划？") == []
    # A name of a title's shape still names its plan.
    assert _find("白沙县乡村卫生服务能力提升三年行动计划里签约率多少？")[0][0].endswith("行动计划")


def test_a_phrase_holding_a_question_word_is_never_reported_as_an_unknown_plan() -> None:
    # 是按几级…的规划: a question, not a title, so the answer is not "no such plan".
    assert _find("青禾村卫生室是按几级标准建设的规划的？") == []
    # A long name of a plan the library does not hold is still reported.
    assert _find("白石市全民健身设施补短板工程实施方案里步道要建多少公里？") == [
        ("白石市全民健身设施补短板工程实施方案", None)
    ]


def test_a_province_pointer_with_words_of_the_title_before_the_kind_names_the_plan() -> None:
    resolver = MentionResolver(BASED)
    mentions = resolver.find("白石那个卫生方案，签约率哪年开始达标？")
    assert [(m.text, m.doc_id) for m in mentions] == [("白石那个卫生方案", "e")]
    assert mentions[0].rest.startswith("签约率")
    # Words the plan's title does not hold do not name that province's plan.
    assert "e" not in [m.doc_id for m in resolver.find("白石那个医保方案，签约率哪年开始达标？")]


# ---- short forms, kinds in a row, part of a title (made-up plans) ------------------------------------------

SHORT_DOCS = [
    _doc("m", "白鹭州全面推进紧密型县域医疗卫生共同体建设实施方案", "白鹭州卫生健康委员会", region="白鹭州"),
    _doc("n", "《婴幼儿照护提升计划（2022-2025年）》文件解读", "国家卫生健康委员会人口家庭司", region="全国"),
    _doc("o", "国务院关于实施健康远方行动的意见", "国务院", region="全国"),
    _doc("p", "健康远方行动（2020—2030年）", "健康远方行动推进委员会", region="全国"),
    _doc("q", "青禾县乡村医生能力提升计划", region="青禾县"),
]


def _find_short(question: str) -> list[tuple[str, str | None]]:
    return [(m.text, m.doc_id) for m in MentionResolver(SHORT_DOCS).find(question)]


def test_a_short_form_in_a_name_is_read_in_its_long_form() -> None:
    mentions = MentionResolver(SHORT_DOCS).find("白鹭州医共体方案里，乡镇卫生院达标比例定的多少？")
    assert [(m.text, m.doc_id) for m in mentions] == [("白鹭州医共体方案", "m")]
    assert mentions[0].rest.startswith("乡镇卫生院")
    assert "医共体" in mention_rules().short_forms["医疗卫生共同体"]


def test_an_issuer_nickname_and_a_reading_kind_name_the_plan() -> None:
    assert _find_short("国家卫健委人口家庭司那个婴幼儿照护解读里，托位数要到多少？")[0][1] == "n"


def test_kinds_in_a_row_end_one_name() -> None:
    mentions = MentionResolver(SHORT_DOCS).find("健康远方行动意见里，要打造多少分钟的健身圈？")
    assert [(m.text, m.doc_id) for m in mentions] == [("健康远方行动意见", "o")]
    assert mentions[0].rest.startswith("要打造")


def test_a_quoted_short_title_standing_in_one_title_names_that_plan() -> None:
    assert _find_short("《照护提升计划》一共几部分内容？") == [("照护提升计划", "n")]
    # 提升计划 stands in two titles: not the one plan.
    assert _find_short("《提升计划》一共几部分内容？") != [("提升计划", "n")]


def test_a_pointer_at_a_document_of_no_kind_names_the_plan_its_words_fit() -> None:
    mentions = MentionResolver(SHORT_DOCS).find("青禾县乡村医生能力那个文件是谁发的？")
    assert [(m.text, m.doc_id) for m in mentions] == [("青禾县乡村医生能力那个文件", "q")]
    assert "那个文件" in mention_rules().generic_kinds
    # On its own the pointer names no plan.
    assert _find_short("那个文件是谁发的？") == []


def test_a_document_word_after_a_document_number_goes_with_it() -> None:
    # 青政办发〔2024〕12号文件里: 文件 names the numbered document; it and 里 leave the indicator's wording.
    mentions = MentionResolver(DOCS).find("青政办发〔2024〕12号文件里，服务站建“健康角”的比例是多少？")
    assert [(m.text, m.doc_id) for m in mentions] == [("青政办发〔2024〕12号", "a")]
    assert mentions[0].rest.startswith("服务站") and "文件" not in mentions[0].rest
    rest = MentionResolver(DOCS).find("青政发〔2025〕7号文中签约率要达到多少？")[0].rest
    assert rest.startswith("签约率")


def test_a_higher_place_before_the_catalogue_place_is_read_past() -> None:
    # 云梦省 is in no plan's metadata: the plan of 白沙县 is still named when its own place follows.
    assert _find("白沙县那个方案，签约率多少？")[0][1] == "c"
    assert _find("云梦省白沙县那个方案，签约率多少？")[0][1] == "c"
    assert _find("云梦省白沙那个方案签约率多少？")[0][1] == "c"
    # With no catalogue place after it, the province's plan is no plan of the catalogue; a place with two plans
    # of neither kind named stays unresolved.
    assert all(doc is None for _, doc in _find("云梦省那份行动方案里签约率多少？"))
    assert all(doc is None for _, doc in _find("云梦青禾那个试行方案里签约率多少？"))


def test_things_pointed_at_with_a_plural_pointer_name_no_plan() -> None:
    # 这些专项行动 points back at things the question named (健身步道 …), never at a plan's title.
    assert _find("健身步道这些专项行动，纲要要求到30年搞到啥程度？") == [("纲要", "d")]
    assert _find("健身步道这些专项行动，要搞到啥程度？") == []
    rules = mention_rules()
    without = type(rules)(**{**rules.__dict__, "plural_pointers": ()})
    found = MentionResolver(DOCS, without).find("健身步道这些专项行动，要搞到啥程度？")
    assert [m.text for m in found] == ["健身步道这些专项行动"]


def test_the_nation_before_a_kind_names_the_one_national_plan_of_that_kind() -> None:
    # 国家纲要 / 全国的纲要: the plan of the national region whose title is a 纲要.
    assert _find("健身步道这些专项行动，国家纲要要求到30年搞到啥程度？") == [("国家纲要", "d")]
    assert _find("全国的纲要里人均预期寿命要到多少？")[0][1] == "d"
    # No national plan of the kind named: no plan (国家的实施意见 is not the 纲要).
    assert all(doc is None for _, doc in _find("国家的实施意见里，签约率要求多少？"))
    rules = mention_rules()
    without = type(rules)(**{**rules.__dict__, "national_places": ()})
    assert [m.doc_id for m in MentionResolver(DOCS, without).find("国家纲要要求流行乡镇搞到啥程度？")] != ["d"]

def test_a_plan_named_before_a_joiner_is_compared_with_what_follows() -> None:
    # 甲方案和乙县分别…: as with 乙县和甲方案, the question compares the plan with what the joiner leads to.
    mentions = MentionResolver(DOCS).find("签约率，青禾医改方案和白沙县分别定了多少？")
    assert [(m.doc_id, m.joined) for m in mentions] == [("b", True)]
    assert "白沙县" in mentions[0].rest
    # A plan named alone, with no joiner after it, compares nothing.
    mentions = MentionResolver(DOCS).find("青禾医改方案里签约率定了多少？")
    assert [(m.doc_id, m.joined) for m in mentions] == [("b", False)]


def test_two_plans_of_one_place_as_sides_leave_the_wording() -> None:
    # 白鹭市双提升方案和白鹭市医改方案各…: both sides are plans of one invented city, one named by its title's
    # quoted short name (otherwise kept in the wording when not followed by 里/中); each name and the place
    # written before it leave the wording, so the indicator is asked alone and no region side remains.
    docs = [
        _doc("p", "白鹭市基层医疗机构“双提升”工程实施方案", "白鹭市人民政府办公室", "鹭政办发〔2024〕3号", "白鹭市"),
        _doc("q", "关于深化医药卫生体制改革推进卫生事业发展的实施方案", "白鹭市人民政府", "鹭政发〔2025〕9号", "白鹭市"),  # noqa: E501
    ]
    for question in (
        "护理员，白鹭市双提升方案和白鹭市医改方案各说要配多少？",
        "护理员，白鹭医改方案和白鹭双提升方案各说要配多少？",
    ):
        mentions = MentionResolver(docs).find(question)
        assert sorted(m.doc_id for m in mentions) == ["p", "q"]
        assert any(m.joined for m in mentions)
        rest = mentions[0].rest
        assert "护理员" in rest and "白鹭" not in rest and "双提升" not in rest and "医改" not in rest
    # A short name inside the question's own wording, with no other plan as a side, stays in it.
    inside = MentionResolver(docs).find("各区要在何时前出台双提升具体推进计划？")
    assert inside[0].doc_id == "p" and "双提升" in inside[0].rest


def test_an_issuer_before_a_plans_name_goes_with_the_name() -> None:
    resolver = MentionResolver(DOCS)
    national = resolver.find("中共中央、国务院发的那个健康远方2035规划纲要，吸烟率要降到多少？")
    assert [(m.doc_id, m.rest) for m in national] == [("d", "吸烟率要降到多少?")]
    city = resolver.find("青禾市人民政府办公室印发的双达标方案里，社区医院建成几个？")
    assert [(m.doc_id, m.rest) for m in city] == [("a", "社区医院建成几个?")]
    # The plan's place alone stays the question's (its region); words of another body are no issuer of the plan.
    assert "青禾市" in resolver.find("青禾市双达标方案里，社区医院建成几个？")[0].rest
    other = resolver.find("白沙县人民政府发的双达标方案里，社区医院建成几个？")
    assert other[0].doc_id == "a" and "白沙县" in other[0].rest


def test_the_share_of_issuer_words_is_read_from_the_rules() -> None:
    rules = mention_rules()
    strict = type(rules)(**{**rules.__dict__, "issuer_min_share": 1.01})
    found = MentionResolver(DOCS, strict).find("中共中央、国务院发的那个健康远方2035规划纲要，吸烟率要降到多少？")
    assert "国务院" in found[0].rest


def test_a_short_name_before_a_joiner_leaves_the_next_plans_name_to_be_found() -> None:
    # 白鹭双提升和青禾三年行动各…: the short name (no kind after it) is taken first; the phrase ending in the next
    # plan's kind starts inside it, so the part after the joiner is read as a name of its own.
    docs = [
        _doc("p", "白鹭市基层医疗机构“双提升”工程实施方案", "白鹭市人民政府办公室", region="白鹭市"),
        _doc("r", "青禾市基层卫生服务能力提升三年行动方案（2024—2026年）", region="青禾市"),
    ]
    mentions = MentionResolver(docs).find("护理员配备标准，白鹭双提升和青禾三年行动各咋定的？")
    assert sorted(m.doc_id for m in mentions) == ["p", "r"]
    assert any(m.joined for m in mentions)
    rest = mentions[0].rest
    assert "护理员配备标准" in rest and "双提升" not in rest and "三年行动" not in rest and "白鹭" not in rest
    # Without a joiner between them the later phrase is not split off.
    alone = MentionResolver(docs).find("护理员配备标准，白鹭双提升三年行动咋定的？")
    assert [m.doc_id for m in alone] == ["p"]


def test_a_plan_named_after_the_subject_asked_leaves_the_subject() -> None:
    # 某某率在…纲要里: the subject before 在 is the question's; the name (and 在) leave the wording.
    mentions = MentionResolver(DOCS).find("吸烟率在健康远方纲要里，2030年要降到多少？")
    assert [m.doc_id for m in mentions] == ["d"]
    assert mentions[0].rest.startswith("吸烟率") and "在" not in mentions[0].rest
    assert _find("签约率在双达标方案里定了多少？")[0][1] == "a"
    # A title holding 在 after 关于 keeps it: no subject is cut there.
    assert mention_rules().subject_marker_blockers == ("关于",)
    assert _find("关于在全县开展家庭药师签约的实施方案里，签约率多少？")[0][0].startswith("关于在")

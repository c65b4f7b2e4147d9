"""Base values and word cells of a made-up indicator table (no shipped names)."""

from __future__ import annotations

from assistant.lookup import RowIndex, lookup
from assistant.schema import Answer, Citation, Turn
from assistant.understanding import Vocabulary, parse_question, resolve
from assistant.year_cells import baseline_answer, later_word_cells, tab_row_cells, word_cell_answer
from ingestion.schema import Target

VOCAB = Vocabulary.build(regions=["全国", "青川市"], scopes=[])
QUOTE_A = "领域：健康生活 指标：城乡居民晨练参与率(%) 2040年：31.5 2045年：＞40 2050年：稳步提高"
QUOTE_B = "领域：健康水平 指标：居民平均睡眠时长(小时) 2040年：6.8(2039年) 2045年：7.0 2050年：7.5"


def _row(indicator: str, year: str, value: float, kind: str, quote: str, column: str = "") -> Target:
    return Target(
        target_id=f"{indicator}-{year}-{kind}",
        doc_id="outline",
        region="全国",
        indicator=indicator,
        value=value,
        value_text=str(value),
        unit="%",
        year=year,
        kind=kind,  # type: ignore[arg-type]
        quote=quote,
        column_header=column or f"{year}年",
        table_title="主要指标",
    )


ROWS = [
    _row("城乡居民晨练参与率(%)", "2040", 31.5, "baseline", QUOTE_A),
    _row("城乡居民晨练参与率(%)", "2045", 40, "table", QUOTE_A),
    _row("居民平均睡眠时长(小时)", "2039", 6.8, "baseline", QUOTE_B, column="2040年"),
    _row("居民平均睡眠时长(小时)", "2045", 7.0, "table", QUOTE_B),
    _row("居民平均睡眠时长(小时)", "2050", 7.5, "table", QUOTE_B),
    _row("居民平均睡眠时长", "2050", 7.5, "narrative", "到2050年，居民平均睡眠时长达到7.5小时。"),
]
INDEX = RowIndex(ROWS)


def _compose(query: object, rows: list[Target]) -> Answer:
    return Answer(question="q", answer="；".join(f"{r.year}:{r.value_text}" for r in rows), status="answered")


def _cite(row: Target, n: int) -> Citation:
    return Citation(n=n, doc_id=row.doc_id, title="纲要", source="x", quote=row.quote)


def test_a_status_quo_question_gets_the_baseline_by_its_column_year() -> None:
    q = parse_question("居民平均睡眠时长2040年的现状是多少？", VOCAB)
    answer = baseline_answer(q, INDEX, None, _compose)
    assert answer is not None
    assert answer.answer == "2039:6.8"  # the 2040年 column holds a 2039 value


def test_a_follow_up_asks_the_base_value_of_the_previous_indicator() -> None:
    history = [Turn(role="user", content="2045年城乡居民晨练参与率要达到多少？"), Turn(role="assistant", content="…")]
    q = resolve("它的基期水平是多少？", history, VOCAB)
    assert q.followup
    answer = baseline_answer(q, INDEX, None, _compose)
    assert answer is not None
    assert answer.answer == "2040:31.5"


def test_a_follow_up_naming_a_base_year_and_base_word_carries_the_previous_indicator() -> None:
    # 那2040年的基数呢: the base word (without its 的) is no new subject; the previous indicator is asked.
    history = [Turn(role="user", content="2045年城乡居民晨练参与率要达到多少？"), Turn(role="assistant", content="…")]
    q = resolve("那2040年的基数呢？", history, VOCAB)
    answer = baseline_answer(q, INDEX, None, _compose)
    assert answer is not None
    assert answer.answer == "2040:31.5"


def test_a_question_without_a_base_word_is_left_to_the_lookup() -> None:
    assert baseline_answer(parse_question("2045年城乡居民晨练参与率要达到多少？", VOCAB), INDEX, None, _compose) is None


def test_a_cell_in_words_is_quoted_and_said_to_have_no_number() -> None:
    q = parse_question("2050年城乡居民晨练参与率的目标是多少？", VOCAB)
    answer = word_cell_answer(q, INDEX, None, _cite)
    assert answer is not None
    assert "稳步提高" in answer.answer
    assert "没有给出具体数值" in answer.answer
    assert answer.citations[0].quote == QUOTE_A
    # A year with a number in the table is the lookup's to answer.
    assert word_cell_answer(parse_question("2045年城乡居民晨练参与率的目标是多少？", VOCAB), INDEX, None, _cite) is None


def test_two_years_take_each_year_from_the_wording_that_has_it() -> None:
    q = parse_question("居民平均睡眠时长2045年和2050年的目标差多少？", VOCAB)
    found = lookup(q, INDEX, {"outline": "全国"})
    assert sorted(r.year for r in found.rows) == ["2045", "2050"]


def test_a_target_question_without_a_year_is_not_answered_by_a_tied_base_value() -> None:
    # The opening's narrative base value (晨练参与率 2040年 31.5) words the indicator exactly; the table's
    # target rows (…参与率(%)) answer a question asking no year.
    narrative = _row("城乡居民晨练参与率", "2040", 31.5, "baseline", "2040年城乡居民晨练参与率为31.5%。")
    index = RowIndex([narrative, *ROWS])
    found = lookup(parse_question("城乡居民晨练参与率的目标是多少？", VOCAB), index, {"outline": "全国"})
    assert "table" in {r.kind for r in found.rows}
    assert narrative.quote not in {r.quote for r in found.rows}
    # A year holding only the base value still gets it.
    found = lookup(parse_question("2040年城乡居民晨练参与率是多少？", VOCAB), index, {"outline": "全国"})
    assert [r.kind for r in found.rows] and all(r.kind == "baseline" for r in found.rows)


def test_a_table_row_keeps_its_base_value_beside_its_targets() -> None:
    found = lookup(parse_question("居民平均睡眠时长(小时)要达到多少？", VOCAB), INDEX, {"outline": "全国"})
    assert "baseline" in {r.kind for r in found.rows} and "table" in {r.kind for r in found.rows}


# A tab-joined indicator table (the cleaner's form of a web table with a delimiter after each cell).
TAB_TEXT = (
    "青川市行动主要目标\n序号\t指标名称\t单位\t2041年\t2043年\t2045年\t牵头单位\n"
    "1\t青川步行指数\t分\t61.5\t≥64\t上级下达 目标值\t市体育局\n"
    "2\t青川溺水发生率\t/10万\t0.9\t持续改善\t-\t市教育局\n"
)


def _tab_row(label: str, year: str, value: float, line: int) -> Target:
    start = TAB_TEXT.index(f"{line}\t{label}")
    quote = TAB_TEXT[start : TAB_TEXT.index("\n", start)]
    row = _row(label, year, value, "baseline" if year == "2041" else "table", quote)
    return row.model_copy(update={"region": "青川市", "start": start, "end": start + len(quote)})


TAB_INDEX = RowIndex([_tab_row("青川步行指数", "2041", 61.5, 1), _tab_row("青川步行指数", "2043", 64, 1),
                      _tab_row("青川溺水发生率", "2041", 0.9, 2)])  # fmt: skip


def test_tab_row_cells_pair_each_cell_with_its_header() -> None:
    pairs = tab_row_cells(TAB_TEXT, TAB_TEXT.index("2\t青川溺水"))
    assert ("2043年", "持续改善") in pairs and ("牵头单位", "市教育局") in pairs
    assert tab_row_cells(TAB_TEXT, TAB_TEXT.index("序号")) == []  # the header itself is no row
    assert tab_row_cells(TAB_TEXT, 0) == []  # a title line is no tab row


def test_a_word_cell_of_a_tab_row_is_read_under_its_year_header() -> None:
    q = parse_question("青川市2045年青川步行指数要达到多少？", VOCAB)
    answer = word_cell_answer(q, TAB_INDEX, None, _cite, lambda _doc: TAB_TEXT)
    assert answer is not None and "“上级下达 目标值”" in answer.answer and "没有给出具体数值" in answer.answer
    q = parse_question("青川市2043年青川溺水发生率要控制在多少？", VOCAB)
    answer = word_cell_answer(q, TAB_INDEX, None, _cite, lambda _doc: TAB_TEXT)
    assert answer is not None and "持续改善" in answer.answer
    assert "0.9" not in answer.answer  # the base value is never given as the goal
    # Without the document's text the row alone names no year: nothing to quote.
    assert word_cell_answer(q, TAB_INDEX, None, _cite) is None


def test_later_word_cells_of_a_base_value_row_are_its_goal_in_words() -> None:
    base = _tab_row("青川溺水发生率", "2041", 0.9, 2)
    assert later_word_cells(base, TAB_TEXT) == [("2043", "持续改善")]  # the dash under 2045年 says nothing
    step = _tab_row("青川步行指数", "2041", 61.5, 1)
    assert later_word_cells(step, TAB_TEXT) == [("2045", "上级下达 目标值")]  # ≥64 is a number: a target row


def test_a_longer_follow_up_asking_a_base_value_of_a_two_digit_year_carries_the_previous_indicator() -> None:
    # 那39年的基期是多少？ / 那2039年的基线是多少呢？: longer than a short follow-up, its own words only the kind of
    # value asked (answer_shapes.toml baseline_words); the previous indicator is asked for its base value.
    history = [
        Turn(role="user", content="青川市规划，居民平均睡眠时长到2045年要达到多少？"),
        Turn(role="assistant", content="…"),
    ]
    for question in ("那39年的基期是多少？", "那2039年的基线是多少呢？", "2039年的起始值是多少？"):
        q = resolve(question, history, VOCAB)
        assert q.followup, question
        assert q.years == ("2039",), question
        answer = baseline_answer(q, INDEX, None, _compose)
        assert answer is not None, question
        assert answer.answer == "2039:6.8"


def test_a_base_word_beside_a_new_indicator_keeps_the_new_indicator() -> None:
    history = [Turn(role="user", content="居民平均睡眠时长到2045年要达到多少？"), Turn(role="assistant", content="…")]
    q = resolve("城乡居民晨练参与率2040年的基线值是多少？", history, VOCAB)
    answer = baseline_answer(q, INDEX, None, _compose)
    assert answer is not None
    assert answer.answer == "2040:31.5"

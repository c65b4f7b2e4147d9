"""Greetings, help requests and off-topic messages get a help reply with examples from real rows."""

from __future__ import annotations

import pytest

from assistant.replies import conversation_rules, conversational, example_questions, help_answer
from assistant.target_rows import RowKey
from ingestion.schema import DocumentMeta, DocumentRecord


@pytest.mark.parametrize(
    "text",
    [
        "你好",
        "您好！",
        "在吗？",
        "谢谢，辛苦了！",
        "你能做什么？",
        "这个助手能查些什么？",
        "你好，你都能帮我查些什么？",
        "您还能帮我做什么",
        "你都会干啥",
        "早上好",
        "今天天气怎么样",
    ],
)
def test_conversation_is_recognised(text: str) -> None:
    assert conversational(text)


@pytest.mark.parametrize(
    "text",
    [
        "你好，2025年签约率要达到多少？",
        "你好，都能帮我查青川县的签约率吗",
        "还有呢？",
        "每万人口全科医生数是多少",
        "怎么提升基层服务能力",
        "功能中心有哪些",
        "",
    ],
)
def test_questions_about_plans_are_not_conversation(text: str) -> None:
    assert not conversational(text)


def test_a_greeting_added_to_the_rules_is_recognised() -> None:
    rules = conversation_rules()
    assert not conversational("幸会", rules)
    extended = type(rules)(**{**rules.__dict__, "greetings": ("幸会", *rules.greetings)})
    assert conversational("幸会", extended)


def _key(doc_id: str, region: str, year: str, words: str) -> RowKey:
    return RowKey(f"{doc_id}-{words}-{year}", doc_id, region, year, "", "text", "", 0, f" {words} ")


def test_help_reply_lists_plans_and_examples_from_rows() -> None:
    docs = [
        DocumentRecord(
            doc_id="x", source="x.txt", content_hash="x", meta=DocumentMeta(title="青禾市提升方案", region="青禾市")
        ),
    ]
    keys = [
        _key("x", "甲镇", "2025", "卫生院达标率"),  # a sub-region's row is not an example
        _key("x", "青禾市", "", "床位数"),  # an undated row is not an example
        _key("x", "青禾市", "2026", "每万人口全科医生数"),
    ]
    assert example_questions(keys, docs, 3) == ["青禾市到2026年每万人口全科医生数的目标是多少？"]
    answer = help_answer("你好", keys, docs)
    assert answer.status == "help" and "《青禾市提升方案》" in answer.answer
    assert "每万人口全科医生数" in answer.answer and not answer.citations
    assert help_answer("你好", [], []).status == "help"


def test_a_long_library_is_summed_up_in_the_help_reply() -> None:
    docs = [
        DocumentRecord(
            doc_id=f"d{i}", source=f"d{i}.txt", content_hash=f"d{i}", meta=DocumentMeta(title=f"第{i}号方案")
        )
        for i in range(20)
    ]
    text = help_answer("你好", [], docs).answer
    limit = conversation_rules().max_titles
    assert f"《第{limit - 1}号方案》" in text and f"《第{limit}号方案》" not in text
    assert "等20份" in text


@pytest.mark.parametrize(
    "text",
    [
        "在吗？你这个助手都能帮我查点啥？",
        "你还可以给我问些什么",
        "您一般能回答哪些问题？",
        "你都有啥用处",
        "你好，都有哪些功能？",
    ],
)
def test_capability_questions_in_parts_are_recognised(text: str) -> None:
    assert conversational(text)


@pytest.mark.parametrize(
    "text",
    [
        "在吗？白鹭市2031年驿站护理员培训率要达到多少？",  # a real question that starts with a greeting
        "白鹭市都能查哪些驿站指标",  # the frame inside a question naming a place and an indicator
        "这个驿站政策有什么作用",
    ],
)
def test_questions_holding_a_capability_frame_are_not_conversation(text: str) -> None:
    assert not conversational(text)


def test_a_word_added_to_a_capability_frame_slot_combines_with_the_others() -> None:
    from assistant.replies import frame_pattern

    rules = conversation_rules()
    assert not conversational("你能帮我翻一下啥", rules)
    frame = [["能"], ["帮我", ""], ["查", "翻"], ["一下", ""], ["什么", "啥"]]
    extended = type(rules)(**{**rules.__dict__, "capability_frames": (frame_pattern(frame),)})
    assert conversational("你能帮我翻一下啥", extended)
    assert conversational("你能翻什么", extended)


@pytest.mark.parametrize(
    "text",
    [
        "你好，我刚接手白鹭市的驿站工作，你这儿都能帮我查些啥？",
        "我是青川县新来的科员，想问下你能帮忙查哪些东西？",
        "本人刚调到规划科，这个系统有什么功能",
        "您好，我是青川县卫健局的，这个工具主要能帮我查点啥？",  # the assistant named as a tool
        "你好，我是白鹭镇卫生院的，这个系统平时能帮我查些啥？",  # 平时 before the modal verb
    ],
)
def test_a_capability_question_after_a_self_introduction_is_recognised(text: str) -> None:
    assert conversational(text)


@pytest.mark.parametrize(
    "text",
    [
        "我是白鹭市的，2031年驿站护理员培训率要达到多少？",  # an introduction before a real question
        "我是想问白鹭市驿站覆盖率多少，你能查吗",  # the "introduction" asks the question itself
        "我刚接手驿站工作，驿站护理员培训率要达到多少",
        "我是青川县卫健局的，这个工具里白鹭市驿站覆盖率多少",  # a tool named, then a real question
        "你好，白鹭市的驿站工具配置有啥要求",
    ],
)
def test_an_introduction_before_a_real_question_is_not_conversation(text: str) -> None:
    assert not conversational(text)


def test_an_introduction_opening_added_to_the_rules_is_read_past() -> None:
    rules = conversation_rules()
    text = "小的刚到驿站科，你都能帮我查些啥"
    assert not conversational(text, rules)
    extended = type(rules)(**{**rules.__dict__, "self_introductions": ("小的", *rules.self_introductions)})
    assert conversational(text, extended)


@pytest.mark.parametrize(
    "text",
    [
        "您好，你是做什么用的？",  # addressed: what it is for
        "晚上好，刚开始用，我该怎么问才好？",  # first use: how to ask
        "第一次用，不知道怎么提问",
        "你这个能干啥呀",
        "嗨，你是干嘛的呀？都能帮我查点啥？",
        "你好呀，第一次用，你都能回答哪类问题？",  # which kind of questions (capability frame: 哪类 + 问题)
        "您好，你主要可以解答哪些类型的问题？",
        "你能查哪方面的内容",
    ],
)
def test_messages_addressed_to_the_assistant_that_name_nothing_get_the_help_reply(text: str) -> None:
    # addressing + content_free (conversation.toml): nothing left that names an indicator, place, plan or year.
    assert conversational(text)


@pytest.mark.parametrize(
    "text",
    [
        "你好，白鹭市基层就诊率多少？",  # a greeting before a real question
        "你能告诉我青岚县家庭医生签约率多少吗",  # addressed, but naming a place and an indicator
        "第一次用，想查白鹭市驿站覆盖率",
        "您好，2031年的呢？",  # a year: a follow-up
        "你说的那个呢？",  # words pointing back are no content-free words
        "用药呢？",  # no addressing word: a follow-up on a subject
        "怎么算的？",
        "你好，社区医院能提供哪类服务？",  # the frame's words, but a subject left
    ],
)
def test_messages_naming_something_or_not_addressed_are_not_help(text: str) -> None:
    assert not conversational(text)


def test_a_word_added_to_the_content_free_list_is_recognised() -> None:
    rules = conversation_rules()
    assert not conversational("你好，第一次来，怎么弄？", rules)
    extended = type(rules)(**{**rules.__dict__, "content_free": ("来", "弄", *rules.content_free)})
    assert conversational("你好，第一次来，怎么弄？", extended)


@pytest.mark.parametrize(
    "text",
    ["好嘞，谢谢哈", "好滴，明白了，辛苦啦", "了解了，麻烦你了～", "嗯嗯，收到啦", "OK，谢啦"],
)
def test_closing_acknowledgements_with_particles_get_the_help_reply(text: str) -> None:
    assert conversational(text)


@pytest.mark.parametrize(
    "text",
    [
        "谢谢，那白鹭市的签约率呢",
        "好嘞，那2031年呢？",
        "明白了，那青禾县驿站覆盖率是多少",
        "谢谢哈，顺便问下白鹭市护理员呢",
    ],
)
def test_thanks_before_a_question_keeps_it_a_question(text: str) -> None:
    assert not conversational(text)


@pytest.mark.parametrize(
    "text",
    [
        "喂，请问你这个系统是干嘛用的？能查些什么内容？",  # an interjection, 干嘛用, 什么内容
        "诶，这个助手主要是拿来干啥的？里面都能搜到哪些东西？",  # 拿来干啥的, 里面能搜到
        "哎，你这个系统有什么功能",
        "喂，这个助手能干啥",
    ],
)
def test_asking_what_the_assistant_is_or_holds_in_everyday_words_gets_the_help_reply(text: str) -> None:
    assert conversational(text)


@pytest.mark.parametrize(
    "text",
    [
        "行，今天就问这些，辛苦啦。",  # closing_frames: (今天)(就)问 这些
        "好，那先这样吧，麻烦了，回头再问。",  # (那)先 这样; 回头 再 问
        "没别的问题了，谢了",  # 没 别的 问题 了
        "就聊到这儿吧，拜拜",
    ],
)
def test_closing_words_get_the_help_reply(text: str) -> None:
    assert conversational(text)


@pytest.mark.parametrize(
    "text",
    [
        "你好，白鹭市基层就诊率多少",  # a greeting before a real question
        "信息系统建设要达到什么水平",  # 系统 and 什么 inside a real question
        "你好，白鹭市信息系统主要功能有哪些",
        "喂，青禾县驿站的具体内容有哪些",
        "先这样，那白鹭市的签约率呢",  # a closing before a question
        "行，青禾县2031年的呢",
        "今天就问问白鹭市驿站覆盖率",
    ],
)
def test_real_questions_holding_closing_or_capability_words_stay_questions(text: str) -> None:
    assert not conversational(text)


def test_a_closing_frame_added_to_the_rules_is_recognised() -> None:
    from assistant.replies import frame_pattern

    rules = conversation_rules()
    assert not conversational("好，今儿就唠到这", rules)
    frame = [["今儿", ""], ["就"], ["唠"], ["到这"]]
    extended = type(rules)(**{**rules.__dict__, "closing_frames": (frame_pattern(frame),)})
    assert conversational("好，今儿就唠到这", extended)

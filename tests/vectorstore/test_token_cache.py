"""TokenCache: tokens stored once per text, BM25 built from them equals BM25 built by tokenising."""

from __future__ import annotations

from pathlib import Path

from vectorstore.lexical import LexicalIndex, TokenCache, tokenize

TEXTS = [
    "到2025年底，全市每万人口全科医生数达4名，基层医疗卫生机构拥有500名骨干人才。",
    "乡镇卫生院和社区卫生服务中心基础设施提档升级达标率90%以上。",
    "推进紧密型县域医共体建设，家庭医生签约服务覆盖率稳步提高。",
    "",
]


class CountingTokenizer:
    """The real tokenizer, counting the texts it is given."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, text: str) -> list[str]:
        self.calls += 1
        return tokenize(text)


def test_tokens_are_the_tokenizers_and_are_computed_once(tmp_path: Path) -> None:
    counting = CountingTokenizer()
    cache = TokenCache(tmp_path / "tokens.sqlite", tokenizer=counting)
    first = cache.tokens(TEXTS)
    assert first == [tokenize(t) for t in TEXTS]
    assert counting.calls == len(TEXTS)
    again = TokenCache(tmp_path / "tokens.sqlite", tokenizer=counting).tokens(
        [*TEXTS, "新增的一段：村卫生室标准化建设"]
    )
    assert again[: len(TEXTS)] == first
    assert again[-1] == tokenize("新增的一段：村卫生室标准化建设")
    assert counting.calls == len(TEXTS) + 1  # only the new text was tokenised


def test_index_from_cached_tokens_searches_like_one_that_tokenised(tmp_path: Path) -> None:
    ids = [f"c{i}" for i in range(len(TEXTS))]
    plain = LexicalIndex()
    plain.build(ids, TEXTS)
    cached = LexicalIndex()
    cached.build(ids, TEXTS, tokens=TokenCache(tmp_path / "t.sqlite").tokens(TEXTS))
    assert cached.fingerprint == plain.fingerprint
    for query in ("全科医生", "医共体 家庭医生", "达标率"):
        assert cached.search(query, 3) == plain.search(query, 3)
        assert plain.search(query, 3)

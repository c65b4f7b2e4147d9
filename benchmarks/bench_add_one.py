"""Adding one plan to a large store: how long beyond the plan's own embedding time, and when it is answered.

Run on a store that ``bench_scale`` grew (its scratch ``data`` folder), e.g. at 4,000 documents:

    .venv/bin/python -m benchmarks.bench_add_one --data-dir /tmp/scale/data

A fresh copy of a shipped plan (made-up place names, perturbed numbers, as ``bench_scale`` makes them;
never seen by the store, so nothing comes from the embedding cache) is ingested into the store by a
warm, serving ``Assistant`` in this process. The table splits the ingest wall time into the time spent
in the embedding model and the rest (parse in a child process, catalogue transaction, the lexical
shard, the vector upsert), then times the first question after the change (the answer layer notices
the new generation and rebuilds what it holds) and the questions after it.

The store is changed: the copy stays in it (run the benchmark again to add another).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from benchmarks.bench_scale import build_corpus, source_regions
from benchmarks.common import Table, out, settings_for

QUESTION = "到2025年每万常住人口全科医生数要达到多少？"


class TimedEmbeddings(Embeddings):
    """Wraps an embedder and adds up the seconds spent embedding documents."""

    def __init__(self, inner: Embeddings) -> None:
        self.inner = inner
        self.seconds = 0.0
        self.texts = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """The inner embedder's vectors, timed."""
        t0 = time.perf_counter()
        try:
            return self.inner.embed_documents(texts)
        finally:
            self.seconds += time.perf_counter() - t0
            self.texts += len(texts)

    def embed_query(self, text: str) -> list[float]:
        """Queries are not counted."""
        return self.inner.embed_query(text)


def run(data_dir: Path, asks: int = 20) -> dict[str, Any]:
    """Add one fresh copy to the store at ``data_dir``; return the timings."""
    from assistant.service import Assistant

    assistant = Assistant(settings_for(data_dir))
    n_docs = assistant.count_documents()
    t0 = time.perf_counter()
    assistant.warm_up()
    warm_s = time.perf_counter() - t0
    before = _ask_ms(assistant, asks)

    folder = Path(tempfile.mkdtemp(prefix="pa-add-one-"))
    # The copy numbered after every copy the store holds: new names, new numbers.
    manifest = build_corpus(folder, n_docs + 1, source_regions(data_dir), start=n_docs)
    plan = Path(manifest[-1]["path"])
    dense = assistant.library.dense
    timed = TimedEmbeddings(dense.embeddings)
    dense.embeddings = timed
    t0 = time.perf_counter()
    result = assistant.ingest([plan])[0]
    ingest_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    assistant.ask(QUESTION)
    first_ms = (time.perf_counter() - t0) * 1000
    after = _ask_ms(assistant, asks)
    return {
        "documents": n_docs,
        "status": result.status,
        "chunks": result.n_chunks,
        "ingest_s": ingest_s,
        "embed_s": timed.seconds,
        "embedded": timed.texts,
        "warm_up_s": warm_s,
        "ask_before_ms": before,
        "first_ask_ms": first_ms,
        "ask_after_ms": after,
    }


def _ask_ms(assistant: Any, n: int) -> float:
    """Median milliseconds of ``n`` asks of the benchmark question."""
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        assistant.ask(QUESTION)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def table(r: dict[str, Any]) -> Table:
    """The result as a table."""
    t = Table(
        f"Adding one plan to a {r['documents']:,}-document store",
        [
            "documents before",
            "status",
            "chunks",
            "ingest s",
            "of which embedding s",
            "ingest beyond embedding s",
            "warm-up s",
            "ask p50 before ms",
            "first ask after ms",
            "ask p50 after ms",
        ],
    )
    t.rows.append(
        [
            r["documents"],
            r["status"],
            r["chunks"],
            r["ingest_s"],
            r["embed_s"],
            r["ingest_s"] - r["embed_s"],
            r["warm_up_s"],
            r["ask_before_ms"],
            r["first_ask_ms"],
            r["ask_after_ms"],
        ]
    )
    t.notes.append(
        "A warm serving process ingests the copy; the first ask after it includes the answer layer's refresh "
        "for the new generation."
    )
    return t


def main() -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, required=True, help="a store grown by bench_scale")
    parser.add_argument("--asks", type=int, default=20)
    args = parser.parse_args()
    out(table(run(args.data_dir, args.asks)).markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())

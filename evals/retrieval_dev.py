"""Retrieval development run: dense, lexical and hybrid recall on the hand-written dev set.

``python -m evals.retrieval_dev`` parses the shipped plans, indexes their chunks in a temporary
Chroma store and a BM25 index, and prints recall@1, recall@5 and MRR@10 for dense only, lexical
only and a small grid of fusion methods and weights. The dev set
(``evals/datasets/retrieval_dev.jsonl``) is for choosing defaults; the tests use a different set.

A result is relevant when it comes from the query's document and its text (NFKC, whitespace
removed) contains ``evidence``, or contains every phrase of ``evidence_parts`` (table rows, whose
chunk text is rebuilt as "header: value" and so does not contain the flattened row).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ingestion.schema import Chunk
from vectorstore.chroma import DenseIndex, make_chroma_client
from vectorstore.embeddings import CachedEmbeddings, make_embeddings, model_id_of
from vectorstore.hybrid import HybridRetriever
from vectorstore.indexing import index_text
from vectorstore.lexical import LexicalIndex, tokenize

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATASET = ROOT / "evals" / "datasets" / "retrieval_dev.jsonl"
DEFAULT_PLANS = ROOT / "data" / "plans"

log = logging.getLogger(__name__)


def _out(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def squash(text: str) -> str:
    """NFKC and no whitespace: how evidence is compared with chunk text."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass
class DevQuery:
    """One dev question and how to recognise a right chunk."""

    query: str
    doc: str
    evidence: str
    evidence_parts: list[str] = field(default_factory=list)

    def matches(self, chunk: Chunk, doc_id: str) -> bool:
        """True when ``chunk`` (of document ``doc_id``) holds the evidence."""
        if doc_id != Path(self.doc).stem and chunk.doc_id != Path(self.doc).stem:
            return False
        text = squash(chunk.text)
        if squash(self.evidence) in text:
            return True
        return bool(self.evidence_parts) and all(squash(p) in text for p in self.evidence_parts)


def load_dataset(path: Path) -> list[DevQuery]:
    """Read the JSONL dev set."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [DevQuery(r["query"], r["doc"], r["evidence"], list(r.get("evidence_parts", []))) for r in rows]


def _temporary_chunks(path: Path) -> list[Chunk]:
    """TEMPORARY fallback while ingestion.pipeline is missing: cleaned text split at blank lines."""
    from ingestion.cleaning import clean_text

    text, _ = clean_text(path.read_text(encoding="utf-8-sig"))
    paras = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    chunks: list[Chunk] = []
    buf = ""
    for para in paras:
        buf = f"{buf}\n{para}" if buf else para
        if len(buf) >= 200:
            chunks.append(Chunk(chunk_id=f"{path.stem}:{len(chunks)}", doc_id=path.stem, ord=len(chunks), text=buf))
            buf = ""
    if buf:
        chunks.append(Chunk(chunk_id=f"{path.stem}:{len(chunks)}", doc_id=path.stem, ord=len(chunks), text=buf))
    return chunks


def load_chunks(plans: Path) -> tuple[list[Chunk], dict[str, str]]:
    """Chunks of every plan in ``plans`` and each document's title."""
    chunks: list[Chunk] = []
    titles: dict[str, str] = {}
    try:
        from ingestion.pipeline import parse_file
    except ImportError:
        parse_file = None  # type: ignore[assignment]
        log.warning("ingestion.pipeline not available: using the temporary paragraph splitter")
    for path in sorted(plans.iterdir()):
        if path.suffix.lower() not in (".txt", ".md", ".docx", ".pdf"):
            continue
        if parse_file is not None:
            doc = parse_file(path, max_bytes=50 * 1024 * 1024, sidecar=False)
            chunks.extend(doc.chunks)
            titles[doc.doc_id] = doc.meta.title
        else:
            chunks.extend(_temporary_chunks(path))
            titles[path.stem] = ""
    return chunks, titles


RECIPES: dict[str, Callable[[Chunk, str], str]] = {
    "text": lambda c, t: c.text,
    "section+text": index_text,
    "title+section+text": lambda c, t: f"{t}\n{index_text(c, t)}" if t else index_text(c, t),
}


@dataclass
class Scores:
    """Recall@1, recall@5 and MRR@10 over the dev set."""

    r1: float
    r5: float
    mrr: float
    misses: list[int]


def score(rankings: list[list[str]], queries: list[DevQuery], by_id: dict[str, Chunk]) -> Scores:
    """Score ranked chunk-id lists against the dev queries."""
    r1 = r5 = mrr = 0.0
    misses: list[int] = []
    for i, (ranked, q) in enumerate(zip(rankings, queries, strict=True)):
        rank = next((j for j, cid in enumerate(ranked[:10], 1) if q.matches(by_id[cid], by_id[cid].doc_id)), None)
        if rank is not None:
            mrr += 1.0 / rank
            r1 += rank == 1
            r5 += rank <= 5
        if rank is None or rank > 5:
            misses.append(i)
    n = max(len(queries), 1)
    return Scores(r1 / n, r5 / n, mrr / n, misses)


def main(argv: list[str] | None = None) -> int:
    """Run the grid and print one table per indexing recipe."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--plans", type=Path, default=DEFAULT_PLANS)
    parser.add_argument("--embedding", default="e5-bundled")
    parser.add_argument("--cache", type=Path, default=None, help="embedding cache file (default: temporary)")
    parser.add_argument("--recipes", default="section+text", help=f"comma list of {sorted(RECIPES)}")
    parser.add_argument("--show-misses", action="store_true", help="print the queries the chosen default misses")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    queries = load_dataset(args.dataset)
    chunks, titles = load_chunks(args.plans)
    by_id = {c.chunk_id: c for c in chunks}
    coverage = sum(any(q.matches(c, c.doc_id) for c in chunks) for q in queries)
    _out(f"{len(queries)} queries, {len(chunks)} chunks; evidence found in some chunk for {coverage}/{len(queries)}")

    with tempfile.TemporaryDirectory() as tmp:
        cache = args.cache or Path(tmp) / "cache.sqlite"
        inner = make_embeddings(args.embedding)
        embeddings = CachedEmbeddings(inner, cache, model_id=args.embedding or model_id_of(inner))
        client = make_chroma_client("embedded", Path(tmp) / "chroma")
        for recipe in [r.strip() for r in args.recipes.split(",") if r.strip()]:
            make_text = RECIPES[recipe]
            ids = [c.chunk_id for c in chunks]
            texts = [make_text(c, titles.get(c.doc_id, "")) for c in chunks]
            started = time.perf_counter()
            dense = DenseIndex(client, f"dev_{recipe.replace('+', '_')}", embeddings)
            dense.add(ids, texts, [{"doc_id": c.doc_id} for c in chunks])
            lexical = LexicalIndex()
            lexical.build(ids, texts)
            _out(f"\n== index text: {recipe} (indexed in {time.perf_counter() - started:.1f}s)")

            probe = HybridRetriever(dense, lexical, candidates=50)
            sides = [probe.search_sides(q.query, 10) for q in queries]
            rows: list[tuple[str, Scores]] = [
                ("dense only", score([[c for c, _ in d] for d, _ in sides], queries, by_id)),
                ("lexical only", score([[c for c, _ in lx] for _, lx in sides], queries, by_id)),
            ]
            grid: list[tuple[str, HybridRetriever]] = []
            for dw, lw in [(1.0, 1.0), (0.5, 1.0), (0.3, 1.0), (0.7, 1.0), (1.0, 0.5)]:
                for rrf_k in (10.0, 60.0):
                    grid.append(
                        (f"rrf k={rrf_k:g} d={dw} l={lw}", HybridRetriever(dense, lexical, dw, lw, "rrf", rrf_k))
                    )
            for dw, lw in [(0.5, 0.5), (0.3, 0.7), (0.4, 0.6), (0.2, 0.8)]:
                grid.append((f"score d={dw} l={lw}", HybridRetriever(dense, lexical, dw, lw, "score")))
            for name, retriever in grid:
                ranked = [[c for c, _ in retriever.fuse(d, lx, 10)] for d, lx in sides]
                rows.append((name, score(ranked, queries, by_id)))
            _out(f"{'method':<34} {'R@1':>6} {'R@5':>6} {'MRR':>6}")
            for name, s in rows:
                _out(f"{name:<34} {s.r1:6.3f} {s.r5:6.3f} {s.mrr:6.3f}")
            if args.show_misses:
                chosen = HybridRetriever(dense, lexical, 0.5, 1.0, "rrf", 60.0)
                ranked = [[c for c, _ in chosen.fuse(d, lx, 10)] for d, lx in sides]
                for i in score(ranked, queries, by_id).misses:
                    q = queries[i]
                    _out(f"  miss: {q.query} | {q.evidence} | tokens={tokenize(q.query)}")
                    for cid in ranked[i][:3]:
                        _out(f"      got {cid}: {by_id[cid].text[:60]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

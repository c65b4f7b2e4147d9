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
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from ingestion.filetypes import SUPPORTED_SUFFIXES
from ingestion.pipeline import parse_file
from ingestion.schema import Chunk
from ingestion.text.normalize import squash
from vectorstore.chroma import DenseIndex, make_chroma_client
from vectorstore.embeddings import CachedEmbeddings, make_embeddings, model_id_of
from vectorstore.hybrid import rrf_fuse, score_fuse
from vectorstore.indexing import index_text, lexical_text
from vectorstore.lexical import LexicalIndex, tokenize

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATASET = ROOT / "evals" / "datasets" / "retrieval_dev.jsonl"
DEFAULT_PLANS = ROOT / "data" / "plans"



def _out(line: str = "") -> None:
    sys.stdout.write(line + "\n")


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


def load_chunks(plans: Path) -> tuple[list[Chunk], dict[str, str]]:
    """Chunks of every plan in ``plans`` and each document's title."""
    chunks: list[Chunk] = []
    titles: dict[str, str] = {}
    for path in sorted(plans.iterdir()):
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            continue
        doc = parse_file(path, max_bytes=50 * 1024 * 1024, sidecar=False)
        chunks.extend(doc.chunks)
        titles[doc.doc_id] = doc.meta.title
    return chunks, titles


RECIPES: dict[str, Callable[[Chunk, str], str]] = {
    "text": lambda c, t: c.text,
    "section+text": index_text,
    "title+section+text": lexical_text,
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


FUSIONS: list[tuple[str, str, float, float, float]] = [
    # (label, method, dense weight, lexical weight, rrf k)
    ("rrf10 .3/1", "rrf", 0.3, 1.0, 10.0),
    ("rrf10 .8/1", "rrf", 0.8, 1.0, 10.0),
    ("rrf10 .5/1", "rrf", 0.5, 1.0, 10.0),
    ("rrf60 .5/1", "rrf", 0.5, 1.0, 60.0),
    ("rrf10 1/1", "rrf", 1.0, 1.0, 10.0),
    ("rrf60 1/1", "rrf", 1.0, 1.0, 60.0),
    ("score .3/.7", "score", 0.3, 0.7, 0.0),
    ("score .5/.5", "score", 0.5, 0.5, 0.0),
]


def _fused(
    sides: list[tuple[list[tuple[str, float]], list[tuple[str, float]]]],
    method: str,
    dw: float,
    lw: float,
    rrf_k: float,
) -> list[list[str]]:
    weights = [dw, lw]
    out: list[list[str]] = []
    for dense, lexical in sides:
        fused = rrf_fuse([dense, lexical], weights, rrf_k) if method == "rrf" else score_fuse([dense, lexical], weights)
        out.append([cid for cid, _ in fused[:10]])
    return out


def main(argv: list[str] | None = None) -> int:
    """Compare index-text recipes, tokenizer modes and fusion settings; print the tables."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--plans", type=Path, default=DEFAULT_PLANS)
    parser.add_argument("--embedding", default="e5-bundled")
    parser.add_argument("--cache", type=Path, default=None, help="embedding cache file (default: temporary)")
    parser.add_argument("--dense-recipes", default="text,section+text", help=f"comma list of {sorted(RECIPES)}")
    parser.add_argument("--lexical-recipes", default="text,section+text,title+section+text")
    parser.add_argument("--show-misses", action="store_true", help="print the queries the default misses at 5")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    queries = load_dataset(args.dataset)
    chunks, titles = load_chunks(args.plans)
    by_id = {c.chunk_id: c for c in chunks}
    ids = [c.chunk_id for c in chunks]
    coverage = sum(any(q.matches(c, c.doc_id) for c in chunks) for q in queries)
    n_rows = sum(c.kind == "table_row" for c in chunks)
    _out(f"{len(queries)} queries; {len(chunks)} chunks ({n_rows} table rows); evidence in some chunk: {coverage}")

    with tempfile.TemporaryDirectory() as tmp:
        cache = args.cache or Path(tmp) / "cache.sqlite"
        inner = make_embeddings(args.embedding)
        embeddings = CachedEmbeddings(inner, cache, model_id=args.embedding or model_id_of(inner))
        client = make_chroma_client("embedded", Path(tmp) / "chroma")

        dense_hits: dict[str, list[list[tuple[str, float]]]] = {}
        for recipe in [r.strip() for r in args.dense_recipes.split(",") if r.strip()]:
            started = time.perf_counter()
            dense = DenseIndex(client, f"dev_{recipe.replace('+', '_')}", embeddings)
            dense.add(ids, [RECIPES[recipe](c, titles.get(c.doc_id, "")) for c in chunks])
            dense_hits[recipe] = [dense.search(q.query, 50) for q in queries]
            _out(f"dense index on '{recipe}' built and queried in {time.perf_counter() - started:.1f}s")

        lexical_hits: dict[str, list[list[tuple[str, float]]]] = {}
        for recipe in [r.strip() for r in args.lexical_recipes.split(",") if r.strip()]:
            for mode in ("search", "precise"):
                lexical = LexicalIndex(tokenizer=partial(tokenize, search_mode=mode == "search"))
                lexical.build(ids, [RECIPES[recipe](c, titles.get(c.doc_id, "")) for c in chunks])
                lexical_hits[f"{recipe}/{mode}"] = [lexical.search(q.query, 50) for q in queries]

        _out("\nR@5 / MRR@10 (R@1 in brackets) per dense index text x lexical index text/jieba mode")
        header = f"{'dense':<13}{'lexical':<26}{'dense only':>18}{'lexical only':>18}"
        header += "".join(f"{label:>18}" for label, *_ in FUSIONS)
        _out(header)

        def cell(sc: Scores) -> str:
            return f"{sc.r5:.3f}/{sc.mrr:.3f}[{sc.r1:.2f}]"

        for d_recipe, d_hits in dense_hits.items():
            d_score = score([[c for c, _ in h[:10]] for h in d_hits], queries, by_id)
            for l_key, l_hits in lexical_hits.items():
                l_score = score([[c for c, _ in h[:10]] for h in l_hits], queries, by_id)
                line = f"{d_recipe:<13}{l_key:<26}{cell(d_score):>18}{cell(l_score):>18}"
                sides = list(zip(d_hits, l_hits, strict=True))
                for _label, method, dw, lw, rrf_k in FUSIONS:
                    line += f"{cell(score(_fused(sides, method, dw, lw, rrf_k), queries, by_id)):>18}"
                _out(line)

        if DEFAULT_DENSE_RECIPE in dense_hits and DEFAULT_LEXICAL_RECIPE in lexical_hits:
            sides = list(zip(dense_hits[DEFAULT_DENSE_RECIPE], lexical_hits[DEFAULT_LEXICAL_RECIPE], strict=True))
            ranked = _fused(sides, "rrf", DEFAULT_WEIGHTS[0], DEFAULT_WEIGHTS[1], DEFAULT_RRF_K)
            chosen = score(ranked, queries, by_id)
            _out(
                f"\nshipped default (dense on {DEFAULT_DENSE_RECIPE}, BM25 on {DEFAULT_LEXICAL_RECIPE}, "
                f"rrf k={DEFAULT_RRF_K:g}, dense {DEFAULT_WEIGHTS[0]}, lexical {DEFAULT_WEIGHTS[1]}): "
                f"R@1 {chosen.r1:.3f}  R@5 {chosen.r5:.3f}  MRR@10 {chosen.mrr:.3f}"
            )
            if args.show_misses:
                for i in chosen.misses:
                    q = queries[i]
                    _out(f"  miss at 5: {q.query} | {q.evidence} | tokens={tokenize(q.query)}")
                    for cid in ranked[i][:3]:
                        _out(f"      got {cid}: {by_id[cid].text[:70]!r}")
    return 0


# The defaults shipped (vectorstore.indexing, HybridRetriever, Settings.dense_weight/lexical_weight).
DEFAULT_DENSE_RECIPE = "section+text"
DEFAULT_LEXICAL_RECIPE = "title+section+text/search"
DEFAULT_WEIGHTS = (0.3, 1.0)
DEFAULT_RRF_K = 10.0


if __name__ == "__main__":
    raise SystemExit(main())

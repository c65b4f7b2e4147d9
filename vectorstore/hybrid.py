"""Hybrid retrieval: dense (Chroma) and lexical (BM25) results fused into one ranking.

Each side fetches more candidates than asked for, then the lists are fused either by weighted
reciprocal rank (robust to the very different score scales, the default) or by a weighted sum of
min-max normalised scores. Defaults (RRF, k=10, dense 0.3, lexical 1.0) were chosen on the dev set
(``python -m evals.retrieval_dev``): with the small bundled embedder BM25 over jieba words is the
stronger side, and the dense ranking mostly reorders and completes the lexical candidates.
"""

from __future__ import annotations

from typing import Literal, Protocol

Fusion = Literal["rrf", "score"]


class Searcher(Protocol):
    """One side of the hybrid: anything with ``search(query, k, allowed=...)`` returning (id, score)."""

    def search(self, query: str, k: int, *, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """Best ``k`` (chunk id, score) pairs for ``query``, higher is better."""
        ...


def rrf_fuse(
    ranked: list[list[tuple[str, float]]], weights: list[float], rrf_k: float = 10.0
) -> list[tuple[str, float]]:
    """Weighted reciprocal-rank fusion: ``sum_i w_i / (rrf_k + rank_i)`` (rank from 1), best first."""
    fused: dict[str, float] = {}
    for results, weight in zip(ranked, weights, strict=True):
        if weight <= 0:
            continue
        for rank, (cid, _score) in enumerate(results, start=1):
            fused[cid] = fused.get(cid, 0.0) + weight / (rrf_k + rank)
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))


def score_fuse(ranked: list[list[tuple[str, float]]], weights: list[float]) -> list[tuple[str, float]]:
    """Weighted sum of min-max normalised scores per list (missing from a list counts 0), best first."""
    fused: dict[str, float] = {}
    for results, weight in zip(ranked, weights, strict=True):
        if weight <= 0 or not results:
            continue
        scores = [s for _, s in results]
        lo, hi = min(scores), max(scores)
        span = hi - lo
        for cid, s in results:
            norm = (s - lo) / span if span > 0 else 1.0
            fused[cid] = fused.get(cid, 0.0) + weight * norm
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))


class HybridRetriever:
    """Fuse a dense and a lexical index into one ranking of chunk ids.

    Args:
        dense: The dense index (``DenseIndex``) or any :class:`Searcher`.
        lexical: The BM25 index (``LexicalIndex``) or any :class:`Searcher`.
        dense_weight: Weight of the dense ranking (0 turns it off).
        lexical_weight: Weight of the lexical ranking (0 turns it off).
        fusion: ``rrf`` (weighted reciprocal rank) or ``score`` (normalised score sum).
        rrf_k: The RRF damping constant.
        candidates: Candidates fetched from each side: ``max(candidates, 4 * k)``.
    """

    def __init__(
        self,
        dense: Searcher,
        lexical: Searcher,
        dense_weight: float = 0.3,
        lexical_weight: float = 1.0,
        fusion: Fusion = "rrf",
        rrf_k: float = 10.0,
        candidates: int = 30,
    ) -> None:
        if dense_weight < 0 or lexical_weight < 0 or dense_weight + lexical_weight <= 0:
            msg = "dense_weight and lexical_weight must be >= 0 and not both 0; fix the retrieval settings."
            raise ValueError(msg)
        if fusion not in ("rrf", "score"):
            msg = f"Unknown fusion '{fusion}'; use 'rrf' or 'score'."
            raise ValueError(msg)
        self.dense = dense
        self.lexical = lexical
        self.dense_weight = dense_weight
        self.lexical_weight = lexical_weight
        self.fusion: Fusion = fusion
        self.rrf_k = rrf_k
        self.candidates = candidates

    def search_sides(
        self, query: str, k: int, allowed: set[str] | None = None
    ) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
        """The dense and lexical candidate lists the fusion starts from (for inspection and evaluation)."""
        n = max(self.candidates, 4 * k)
        dense = self.dense.search(query, n, allowed=allowed) if self.dense_weight > 0 else []
        lexical = self.lexical.search(query, n, allowed=allowed) if self.lexical_weight > 0 else []
        return dense, lexical

    def fuse(self, dense: list[tuple[str, float]], lexical: list[tuple[str, float]], k: int) -> list[tuple[str, float]]:
        """Fuse two candidate lists with this retriever's method and weights; top ``k``."""
        weights = [self.dense_weight, self.lexical_weight]
        if self.fusion == "rrf":
            return rrf_fuse([dense, lexical], weights, self.rrf_k)[:k]
        return score_fuse([dense, lexical], weights)[:k]

    def search(self, query: str, k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """Top ``k`` (chunk id, fused score) for ``query``, best first, within ``allowed`` when given."""
        if k < 1:
            return []
        dense, lexical = self.search_sides(query, k, allowed)
        return self.fuse(dense, lexical, k)


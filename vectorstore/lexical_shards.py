"""BM25 over per-document shards, merged at query time, so adding or removing a plan is incremental.

:class:`~vectorstore.lexical.LexicalIndex` (``bm25s``) bakes every term's IDF into its stored scores,
so one new document means re-indexing every chunk. Here each document keeps a shard (its chunks'
term counts and lengths); the corpus statistics (document frequency, average length) are summed
over the shards, and scores are computed at query time from the counts. Adding a plan builds one
shard; removing one drops it. Scores are exactly BM25 as ``bm25s`` computes it by default (the
Lucene variant), so rankings do not change with the storage.

Hand-written rather than a library: bm25s, rank-bm25 and retriv all precompute per-corpus scores and
offer no incremental add; the scoring itself is a few lines of sparse-matrix arithmetic (scipy).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from ingestion.text.errors import ConfigurationError
from vectorstore.lexical import TOKENIZER_VERSION, tokenize

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1


@dataclass
class Shard:
    """One document's chunks: ids, a (chunks x vocabulary) count matrix and token counts per chunk."""

    version: str
    ids: list[str]
    counts: sparse.csr_matrix
    lengths: np.ndarray


class ShardedLexicalIndex:
    """BM25 (Lucene variant, as bm25s) over per-document shards; a :class:`~vectorstore.hybrid.Searcher`.

    A shard's ``version`` is whatever identifies the text it was built from (the document's
    fingerprint plus the text and tokenizer versions); :meth:`sync` keeps the shards whose version
    still matches and rebuilds only the others.
    """

    def __init__(self, k1: float = 1.2, b: float = 0.75, tokenizer: Callable[[str], list[str]] = tokenize) -> None:
        self.k1 = k1
        self.b = b
        self.tokenizer = tokenizer
        self._vocab: dict[str, int] = {}
        self._shards: dict[str, Shard] = {}
        self._dirty: set[str] = set()
        self._merged: tuple[list[str], dict[str, int], sparse.csc_matrix, np.ndarray, np.ndarray] | None = None

    # ---- building -----------------------------------------------------------------------------

    def __len__(self) -> int:
        return sum(len(s.ids) for s in self._shards.values())

    def versions(self) -> dict[str, str]:
        """The version of every document's shard, by document id."""
        return {doc_id: s.version for doc_id, s in self._shards.items()}

    def set_document(self, doc_id: str, version: str, ids: Sequence[str], tokens: Sequence[list[str]]) -> None:
        """Add or replace one document's shard from its chunks' ids and tokens."""
        if len(ids) != len(tokens):
            msg = "ids and tokens must have the same length."
            raise ValueError(msg)
        rows: list[int] = []
        cols: list[int] = []
        vals: list[int] = []
        lengths = np.zeros(len(ids), dtype=np.float64)
        for row, toks in enumerate(tokens):
            lengths[row] = len(toks)
            for term, n in Counter(toks).items():
                col = self._vocab.setdefault(term, len(self._vocab))
                rows.append(row)
                cols.append(col)
                vals.append(n)
        counts = sparse.csr_matrix(
            (np.asarray(vals, dtype=np.float32), (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
            shape=(len(ids), len(self._vocab)),
        )
        self._shards[doc_id] = Shard(version, list(ids), counts, lengths)
        self._dirty.add(doc_id)
        self._merged = None

    def remove_document(self, doc_id: str) -> None:
        """Drop one document's shard (nothing happens for an unknown id)."""
        if self._shards.pop(doc_id, None) is not None:
            self._dirty.add(doc_id)
            self._merged = None

    def sync(
        self,
        versions: dict[str, str],
        load: Callable[[list[str]], dict[str, tuple[list[str], list[list[str]]]]],
    ) -> tuple[int, int]:
        """Make the shards match ``versions`` (document id -> version); returns (built, removed).

        Args:
            versions: Every document that should be indexed, with its current version.
            load: Given document ids, their chunk ids and tokens (called once, for the changed ones).
        """
        gone = [d for d in self._shards if d not in versions]
        for doc_id in gone:
            self.remove_document(doc_id)
        stale = [d for d, v in versions.items() if d not in self._shards or self._shards[d].version != v]
        if stale:
            loaded = load(stale)
            for doc_id in stale:
                ids, tokens = loaded.get(doc_id, ([], []))
                self.set_document(doc_id, versions[doc_id], ids, tokens)
        return len(stale), len(gone)

    def copy(self) -> ShardedLexicalIndex:
        """A copy sharing the (never mutated) shards, to change while searches go on in the original."""
        other = ShardedLexicalIndex(self.k1, self.b, self.tokenizer)
        other._vocab, other._shards, other._dirty = dict(self._vocab), dict(self._shards), set(self._dirty)
        return other

    def prepare(self) -> None:
        """Stack the shards now (otherwise the first search after a change does it)."""
        self._merge()

    def _merge(self) -> tuple[list[str], dict[str, int], sparse.csc_matrix, np.ndarray, np.ndarray]:
        """All shards stacked (document id order): ids, positions, counts by column, lengths, document frequency."""
        if self._merged is None:
            width = len(self._vocab)
            ids: list[str] = []
            mats: list[sparse.csr_matrix] = []
            lengths: list[np.ndarray] = []
            for doc_id in sorted(self._shards):
                shard = self._shards[doc_id]
                counts = shard.counts
                if counts.shape[1] != width:  # built when the vocabulary was smaller: pad, do not mutate
                    counts = sparse.csr_matrix(
                        (counts.data, counts.indices, counts.indptr), shape=(counts.shape[0], width)
                    )
                ids.extend(shard.ids)
                mats.append(counts)
                lengths.append(shard.lengths)
            if mats:
                stacked = sparse.vstack(mats, format="csc")
                doc_freq = np.diff(stacked.indptr).astype(np.float64)
                all_lengths = np.concatenate(lengths)
            else:
                stacked = sparse.csc_matrix((0, width), dtype=np.float32)
                doc_freq = np.zeros(width)
                all_lengths = np.zeros(0)
            self._merged = (ids, {c: i for i, c in enumerate(ids)}, stacked, all_lengths, doc_freq)
        return self._merged

    # ---- searching ----------------------------------------------------------------------------

    def search(self, query: str, k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """Top ``k`` chunks by BM25 score (only positive scores), best first; ``allowed`` restricts the ids."""
        return self.search_tokens(self.tokenizer(query), k, allowed)

    def search_tokens(self, tokens: list[str], k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """Like :meth:`search` for an already tokenised query (a repeated token counts again, as in bm25s)."""
        ids, pos, counts, lengths, doc_freq = self._merge()
        if not ids or k < 1 or (allowed is not None and not allowed):
            return []
        cols = [self._vocab[t] for t in tokens if t in self._vocab]
        if not cols:
            return []
        n_docs = len(ids)
        avg_len = float(lengths.mean()) if n_docs else 0.0
        norm = self.k1 * ((1 - self.b) + self.b * lengths / avg_len) if avg_len else np.full(n_docs, self.k1)
        scores = np.zeros(n_docs, dtype=np.float64)
        for col in cols:
            start, end = counts.indptr[col], counts.indptr[col + 1]
            rows = counts.indices[start:end]
            tf = counts.data[start:end].astype(np.float64)
            df = doc_freq[col]
            idf = np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))
            scores[rows] += idf * tf / (tf + norm[rows])
        if allowed is not None:
            keep = np.zeros(n_docs, dtype=bool)
            rows_allowed = [pos[c] for c in allowed if c in pos]
            if not rows_allowed:
                return []
            keep[rows_allowed] = True
            scores[~keep] = 0.0
        n = min(k, n_docs)
        top = np.argpartition(-scores, n - 1)[:n] if n < n_docs else np.arange(n_docs)
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(ids[i], float(scores[i])) for i in top if scores[i] > 0]

    # ---- persistence --------------------------------------------------------------------------

    @staticmethod
    def _shard_file(directory: Path, doc_id: str) -> Path:
        return directory / "shards" / (hashlib.sha256(doc_id.encode("utf-8")).hexdigest()[:32] + ".npz")

    def save(self, directory: Path) -> None:
        """Write the vocabulary and the shards changed since the last save (one file per document)."""
        directory = Path(directory)
        (directory / "shards").mkdir(parents=True, exist_ok=True)
        for doc_id in sorted(self._dirty):
            path = self._shard_file(directory, doc_id)
            shard = self._shards.get(doc_id)
            if shard is None:
                path.unlink(missing_ok=True)
                continue
            tmp = path.with_suffix(".tmp.npz")
            csr = shard.counts.tocsr()
            np.savez(
                tmp,
                indptr=csr.indptr,
                indices=csr.indices,
                data=csr.data,
                lengths=shard.lengths,
                meta=np.array(json.dumps({"doc_id": doc_id, "version": shard.version, "ids": shard.ids})),
            )
            tmp.replace(path)
        meta = {
            "format": FORMAT_VERSION,
            "tokenizer": TOKENIZER_VERSION,
            "k1": self.k1,
            "b": self.b,
            "vocab": list(self._vocab),
            "docs": sorted(self._shards),
        }
        tmp_meta = directory / "shards.json.tmp"
        tmp_meta.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        tmp_meta.replace(directory / "shards.json")
        self._dirty.clear()

    def load(self, directory: Path) -> ShardedLexicalIndex:
        """Replace this index with one written by :meth:`save`; returns ``self``.

        Raises:
            ConfigurationError: When the folder holds no index, a damaged one, or one from another
                tokenizer or format version (rebuild it from the stored chunks).
        """
        directory = Path(directory)
        try:
            meta = json.loads((directory / "shards.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            msg = f"No readable lexical index in {directory} ({e}); rebuild it from the stored chunks."
            raise ConfigurationError(msg) from e
        if meta.get("tokenizer") != TOKENIZER_VERSION or meta.get("format") != FORMAT_VERSION:
            msg = f"Lexical index in {directory} was built with another tokenizer or format; rebuild it."
            raise ConfigurationError(msg)
        vocab = {str(t): i for i, t in enumerate(meta["vocab"])}
        shards: dict[str, Shard] = {}
        for doc_id in meta["docs"]:
            path = self._shard_file(directory, doc_id)
            try:
                with np.load(path) as f:
                    info = json.loads(str(f["meta"]))
                    n_rows = len(info["ids"])
                    counts = sparse.csr_matrix((f["data"], f["indices"], f["indptr"]), shape=(n_rows, len(vocab)))
                    shards[doc_id] = Shard(str(info["version"]), [str(c) for c in info["ids"]], counts, f["lengths"])
            except (OSError, ValueError, KeyError) as e:
                msg = f"Lexical index in {directory} is damaged ({path.name}: {e}); rebuild it."
                raise ConfigurationError(msg) from e
        self.k1, self.b = float(meta["k1"]), float(meta["b"])
        self._vocab, self._shards, self._dirty, self._merged = vocab, shards, set(), None
        return self

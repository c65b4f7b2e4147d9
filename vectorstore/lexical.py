"""Chinese lexical retrieval: a jieba tokenizer and a BM25 index (``bm25s``) over chunks.

Dense retrieval with a small multilingual model misses exact terms (indicator names, county
names, years); BM25 over jieba words catches them, and the hybrid retriever fuses both.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ingestion.text.errors import ConfigurationError
from ingestion.text.normalize import nfkc
from vectorstore.kvcache import KeyValueCache

logger = logging.getLogger(__name__)

TOKENIZER_VERSION = "jieba-search-nfkc-v1"
"""Bump when :func:`tokenize` changes, so stored indexes are rebuilt (it is part of the fingerprint)."""

# Function words and question words that carry no retrieval signal in plan text or in questions.
STOPWORDS: frozenset[str] = frozenset(
    {
        "的", "了", "和", "与", "及", "以及", "等", "或", "并", "且", "其", "之", "在", "是", "为", "对",
        "将", "把", "被", "由", "从", "向", "于", "以", "而", "也", "都", "就", "还", "又", "着", "个",
        "吗", "呢", "吧", "啊", "呀", "么", "请问", "多少", "什么", "哪些", "哪个", "哪里", "怎么",
        "怎样", "如何", "是否", "有没有", "有", "要", "我", "我们", "你", "这", "那", "该", "此",
    }
)  # fmt: skip

_jieba_lock = threading.Lock()
_jieba: Any = None


def _get_jieba() -> Any:
    """Import and initialise jieba once, quietly (it logs its dictionary loading to stderr)."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba = jieba
    return _jieba


def _is_noise(token: str) -> bool:
    """True for whitespace, punctuation and symbol-only tokens (``，`` ``%`` ``—`` ``（``)."""
    return all(unicodedata.category(ch)[0] in "PZSC" for ch in token)


def tokenize(text: str, *, search_mode: bool = True) -> list[str]:
    """Split Chinese (or mixed) text into lowercase search terms.

    NFKC first (full-width digits and ``％`` become ASCII), then jieba's search mode, which emits
    a long word and its dictionary sub-words (``全科医生`` -> ``全科`` ``医生`` ``全科医生``), so a
    question and a plan that cut a compound differently still share terms. Punctuation,
    whitespace and :data:`STOPWORDS` are dropped; numbers and years are kept (``2025``, ``3.5``).
    Pure: the same text always gives the same tokens.

    Args:
        text: Any text.
        search_mode: jieba's search mode (default, chosen on the dev set); False for precise mode,
            one token per word.
    """
    if not text:
        return []
    norm = nfkc(text).lower()
    jieba = _get_jieba()
    out: list[str] = []
    pieces = jieba.cut_for_search(norm) if search_mode else jieba.cut(norm)
    for tok in pieces:
        tok = tok.strip()
        if not tok or tok in STOPWORDS or _is_noise(tok):
            continue
        out.append(tok)
    return out


def _fingerprint(ids: Iterable[str], texts: Iterable[str]) -> str:
    h = hashlib.sha256(TOKENIZER_VERSION.encode())
    for cid, text in zip(ids, texts, strict=True):
        h.update(cid.encode("utf-8"))
        h.update(b"\x00")
        h.update(hashlib.sha256(text.encode("utf-8")).digest())
    return h.hexdigest()


class LexicalIndex:
    """BM25 over :func:`tokenize` terms, keyed by chunk id; saved to and loaded from a folder.

    The index is rebuilt whole (it takes well under a second for thousands of chunks); a caller
    compares :attr:`fingerprint` with :meth:`fingerprint_of` its current chunks to know when.
    """

    def __init__(self, k1: float = 1.2, b: float = 0.75, tokenizer: Callable[[str], list[str]] = tokenize) -> None:
        self.k1 = k1
        self.b = b
        self.tokenizer = tokenizer
        self._ids: list[str] = []
        self._pos: dict[str, int] = {}
        self._bm25: Any = None
        self.fingerprint: str = _fingerprint([], [])

    @staticmethod
    def fingerprint_of(ids: list[str], texts: list[str]) -> str:
        """Fingerprint of a corpus (ids, texts, tokenizer version); equals :attr:`fingerprint` after build."""
        return _fingerprint(ids, texts)

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def ids(self) -> list[str]:
        """Chunk ids in index order."""
        return list(self._ids)

    def build(self, ids: list[str], texts: list[str], tokens: Sequence[list[str]] | None = None) -> None:
        """(Re)build the index over these chunks; an empty corpus gives an index that finds nothing.

        ``tokens``, when given, are the texts already tokenised (by :class:`TokenCache`), so a rebuild
        after one new document does not run the tokenizer over the whole corpus again.
        """
        import bm25s

        if len(ids) != len(texts) or (tokens is not None and len(tokens) != len(texts)):
            msg = "ids, texts and tokens must have the same length."
            raise ValueError(msg)
        if len(set(ids)) != len(ids):
            msg = "Duplicate chunk ids given to LexicalIndex.build; chunk ids must be unique."
            raise ValueError(msg)
        self._ids = list(ids)
        self._pos = {cid: i for i, cid in enumerate(self._ids)}
        self.fingerprint = _fingerprint(ids, texts)
        if not ids:
            self._bm25 = None
            return
        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every build at DEBUG
        corpus = list(tokens) if tokens is not None else [self.tokenizer(t) for t in texts]
        bm25 = bm25s.BM25(k1=self.k1, b=self.b)
        bm25.index(corpus, show_progress=False)
        self._bm25 = bm25

    def search(self, query: str, k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """Top ``k`` chunks by BM25 score (only positive scores), best first.

        Args:
            query: The question as asked; tokenised like the corpus.
            k: How many results at most.
            allowed: Restrict to these chunk ids (applied as a bm25s weight mask, not a scan).
        """
        return self.search_tokens(self.tokenizer(query), k, allowed)

    def search_tokens(self, tokens: list[str], k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """Like :meth:`search` for an already tokenised query."""
        if self._bm25 is None or k < 1 or (allowed is not None and not allowed):
            return []
        token_ids = self._bm25.get_tokens_ids(tokens)
        if not token_ids:
            return []
        mask: np.ndarray | None = None
        if allowed is not None:
            mask = np.zeros(len(self._ids), dtype=np.float32)
            rows = [self._pos[c] for c in allowed if c in self._pos]
            if not rows:
                return []
            mask[rows] = 1.0
        scores = self._bm25.get_scores_from_ids(token_ids, weight_mask=mask)
        n = min(k, len(scores))
        top = np.argpartition(-scores, n - 1)[:n] if n < len(scores) else np.arange(len(scores))
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self._ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def save(self, directory: Path) -> None:
        """Write the index to ``directory`` (created if missing)."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        if self._bm25 is not None:
            self._bm25.save(str(directory / "bm25"))
        meta = {
            "tokenizer": TOKENIZER_VERSION,
            "fingerprint": self.fingerprint,
            "k1": self.k1,
            "b": self.b,
            "ids": self._ids,
        }
        tmp = directory / "lexical.json.tmp"
        tmp.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        tmp.replace(directory / "lexical.json")

    def load(self, directory: Path) -> LexicalIndex:
        """Replace this index with one written by :meth:`save`; returns ``self`` (``LexicalIndex().load(d)``).

        Raises:
            ConfigurationError: When the folder holds no index, a damaged one, or one from another
                tokenizer version (rebuild it from the stored chunks).
        """
        import bm25s

        directory = Path(directory)
        meta_path = directory / "lexical.json"
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            msg = f"No readable lexical index in {directory} ({e}); rebuild it from the stored chunks."
            raise ConfigurationError(msg) from e
        if meta.get("tokenizer") != TOKENIZER_VERSION:
            msg = f"Lexical index in {directory} was built with another tokenizer; rebuild it."
            raise ConfigurationError(msg)
        ids = [str(c) for c in meta["ids"]]
        bm25: Any = None
        if ids:
            try:
                bm25 = bm25s.BM25.load(str(directory / "bm25"), mmap=False)
            except (OSError, ValueError, KeyError) as e:
                msg = f"Lexical index in {directory} is damaged ({e}); rebuild it from the stored chunks."
                raise ConfigurationError(msg) from e
            if bm25.scores["num_docs"] != len(ids):
                msg = f"Lexical index in {directory} does not match its id list; rebuild it."
                raise ConfigurationError(msg)
        self.k1 = float(meta["k1"])
        self.b = float(meta["b"])
        self._ids = ids
        self._pos = {cid: i for i, cid in enumerate(ids)}
        self._bm25 = bm25
        self.fingerprint = str(meta["fingerprint"])
        return self


class TokenCache:
    """Tokens of every text already tokenised, in a ``KeyValueCache``, keyed by tokenizer version and text hash.

    Tokenising is the slow part of a BM25 rebuild (jieba, a few milliseconds per chunk): with the
    cache, the rebuild after an ingest tokenises only the new chunks. The ingest fills it as it
    writes each document, so the first search afterwards does not.
    """

    _SEP = "\x1f"

    def __init__(self, path: Path, tokenizer: Callable[[str], list[str]] = tokenize) -> None:
        self.path = Path(path)
        self.tokenizer = tokenizer
        self.cache = KeyValueCache(self.path)

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha256(f"{TOKENIZER_VERSION}\x00{text}".encode()).hexdigest()

    def tokens(self, texts: Sequence[str]) -> list[list[str]]:
        """The tokens of each text: from the cache where known, tokenised (and stored) otherwise."""
        keys = [self._key(t) for t in texts]
        found = {k: (v.decode("utf-8").split(self._SEP) if v else []) for k, v in self.cache.get_many(keys).items()}
        fresh: dict[str, list[str]] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in found and key not in fresh:
                fresh[key] = self.tokenizer(text)
        self.cache.set_many({k: self._SEP.join(v).encode("utf-8") for k, v in fresh.items()})
        found.update(fresh)
        logger.debug("token cache: %d texts, %d tokenised", len(texts), len(fresh))
        return [found[k] for k in keys]

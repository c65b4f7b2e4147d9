"""The one service object: the CLI, the HTTP API and the Gradio UI all call ``Assistant``."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.library import FileResult, Library
from assistant.schema import Answer, Filters, SearchHit, Turn
from assistant.settings import Settings
from ingestion.schema import DocumentRecord, Target

if TYPE_CHECKING:
    from assistant.answering import Answerer

log = logging.getLogger(__name__)


class Assistant:
    """Owns the library (catalogue + indexes) and answers questions with citations."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.library = Library(settings)
        self._answerer_lock = threading.Lock()
        self._answerer: Answerer | None = None
        self._warm = False

    # ---- life cycle ---------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Load models and indexes now so the first question does not stall."""
        t0 = time.perf_counter()
        self.library.reconcile()
        self.library.warm_up()
        # One throwaway question loads what only a question touches (jieba's tagger and dictionary,
        # the answer layer's caches): otherwise the first user pays several seconds for it.
        self._get_answerer().ask("预热", [], None)
        self._warm = True
        log.info("warmed up in %.1f s", time.perf_counter() - t0)

    @property
    def is_warm(self) -> bool:
        """Whether ``warm_up`` has run."""
        return self._warm

    def _get_answerer(self) -> Answerer:
        """The answerer for the current catalogue (rebuilt after an ingest or a delete)."""
        from assistant.answering import Answerer

        with self._answerer_lock:
            if self._answerer is None or not self._answerer.is_current():
                self._answerer = Answerer(self.settings, self.library)
            return self._answerer

    # ---- questions ----------------------------------------------------------------------------

    def ask(self, question: str, history: list[Turn] | None = None, filters: Filters | None = None) -> Answer:
        """Answer a question in Chinese, with follow-up context from ``history``."""
        t0 = time.perf_counter()
        answer: Answer = self._get_answerer().ask(question, history or [], filters)
        answer.latency_ms = round((time.perf_counter() - t0) * 1000, 1)
        return answer

    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[SearchHit]:
        """Retrieval only: the passages most relevant to ``query``."""
        return self.library.search(query, k=k, filters=filters)

    def targets(
        self,
        *,
        region: str | None = None,
        indicator: str | None = None,
        year: str | None = None,
        doc_id: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Target]:
        """Target rows, filtered and paginated."""
        return self.library.store.targets(
            region=region, indicator=indicator, year=year, doc_id=doc_id, limit=limit, offset=offset
        )

    # ---- documents ----------------------------------------------------------------------------

    def documents(self) -> list[DocumentRecord]:
        """Every ingested document with its metadata and counts."""
        return self.library.store.documents()

    def document(self, doc_id: str) -> DocumentRecord:
        """One ingested document; raises NotFoundError if unknown."""
        return self.library.store.document(doc_id)

    def document_text(self, doc_id: str) -> str:
        """The cleaned text of a document."""
        return self.library.store.document_text(doc_id)

    def ingest(self, paths: list[Path]) -> list[FileResult]:
        """Ingest files or folders; bad files are reported, not raised."""
        return self.library.ingest(paths).files

    def delete(self, doc_id: str) -> DocumentRecord:
        """Remove a document; raises NotFoundError if unknown."""
        return self.library.delete(doc_id)

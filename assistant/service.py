"""The one service object: the CLI, the HTTP API and the Gradio UI call ``Assistant`` for every operation.

Two policies live here so every entry point applies them alike:

- **History**: a question is answered with the last ``max_history_turns`` turns of the conversation
  (``recent_turns``); older turns are dropped, never refused.
- **Document ids**: a document's id comes from the stem of its original file name, whichever entry
  point brought it (``doc_id_for``): a changed plan re-ingested or re-uploaded under the same name
  replaces the stored one.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.jobstore import JobStore
from assistant.library import FileResult, Library
from assistant.schema import Answer, Filters, SearchHit, Turn
from assistant.settings import Settings
from ingestion.schema import DocumentMeta, DocumentRecord, Target
from ingestion.text.errors import InvalidRequestError

if TYPE_CHECKING:
    from assistant.answering import Answerer

log = logging.getLogger(__name__)

MSG_EMPTY_LIBRARY = "库中还没有文件：先运行 `policy-assistant ingest data/plans`。"


def recent_turns(history: Sequence[Turn], max_turns: int) -> list[Turn]:
    """The last ``max_turns`` turns of ``history`` (none when ``max_turns`` is 0): the one history policy."""
    return list(history[-max_turns:]) if max_turns > 0 else []


@contextmanager
def _bulk_load() -> Iterator[None]:
    """Load indexes and snapshots with Python's cyclic GC paused, then leave what was loaded out of it.

    At thousands of plans these are millions of objects: collections triggered while they are made
    walked them again and again (about 2 of 3 s of building the answer layer for 600,000 rows), and a
    full collection later walked them all in the middle of some question. They are freed by
    reference counting when replaced (the snapshot has no reference cycles), so the collector has
    nothing to find in them; ``gc.freeze()`` moves them out of its way.
    """
    # Garbage made since the last freeze goes first, so none of it is frozen; what was frozen before is
    # not walked again, so this is quick.
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


# Container allocations between young collections of the cyclic GC (Python's default is 700). A
# question over thousands of plans makes hundreds of thousands of short-lived tuples and lists, freed by
# reference counting: at 700 it triggered ~10 collections per question, and every hundredth a full one
# walking the row cache (4,000 plans: 345 of 9,100 ms over 220 questions, p95 163 ms; at 10,000: 183 ms,
# p95 148-150 ms). Cyclic garbage waits a little longer; the memory it holds is negligible.
GC_YOUNG_THRESHOLD = 10_000


def _raise_gc_threshold() -> None:
    """Raise the young generation's threshold to :data:`GC_YOUNG_THRESHOLD`; a higher one set by the host stays."""
    young, *older = gc.get_threshold()
    if young and young < GC_YOUNG_THRESHOLD:
        gc.set_threshold(GC_YOUNG_THRESHOLD, *older)


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
        with _bulk_load():
            self.library.reconcile()
            self.library.warm_up()
            # One throwaway question loads what only a question touches (jieba's tagger and dictionary,
            # the answer layer's caches): otherwise the first user pays several seconds for it.
            self._get_answerer().ask("预热", [], None)
        _raise_gc_threshold()
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
                with _bulk_load():
                    self._answerer = Answerer(self.settings, self.library, previous=self._answerer)
            return self._answerer

    # ---- questions ----------------------------------------------------------------------------

    def ask(self, question: str, history: list[Turn] | None = None, filters: Filters | None = None) -> Answer:
        """Answer a question in Chinese, with follow-up context from the last turns of ``history``."""
        t0 = time.perf_counter()
        turns = recent_turns(history or [], self.settings.max_history_turns)
        answer: Answer = self._get_answerer().ask(question, turns, filters)
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
        return self.library.catalogue.targets(
            region=region, indicator=indicator, year=year, doc_id=doc_id, limit=limit, offset=offset
        )

    def count_targets(
        self,
        *,
        region: str | None = None,
        indicator: str | None = None,
        year: str | None = None,
        doc_id: str | None = None,
    ) -> int:
        """How many target rows match the filters of :meth:`targets`."""
        return self.library.catalogue.count_targets(region=region, indicator=indicator, year=year, doc_id=doc_id)

    # ---- documents ----------------------------------------------------------------------------

    def documents(self) -> list[DocumentRecord]:
        """Every ingested document with its metadata and counts."""
        return self.library.catalogue.documents()

    def document(self, doc_id: str) -> DocumentRecord:
        """One ingested document; raises NotFoundError if unknown."""
        return self.library.catalogue.document(doc_id)

    def job_store(self) -> JobStore:
        """The upload jobs' table, in the catalogue's database."""
        return JobStore(lambda: self.library.catalogue.engine)

    def count_documents(self) -> int:
        """How many documents the library holds."""
        return self.library.catalogue.count_documents()

    def require_documents(self) -> None:
        """Raise InvalidRequestError when the library is empty (nothing to evaluate or ask about)."""
        if self.count_documents() == 0:
            raise InvalidRequestError(MSG_EMPTY_LIBRARY)

    def document_text(self, doc_id: str) -> str:
        """The cleaned text of a document."""
        return self.library.catalogue.document_text(doc_id)

    def ingest(
        self,
        paths: Sequence[Path],
        *,
        force: bool = False,
        progress: Callable[[str], None] | None = None,
        ocr_progress: Callable[[int, int], None] | None = None,
    ) -> list[FileResult]:
        """Ingest files or folders; bad files are reported, not raised. Ids come from the file names.

        ``progress(name)`` announces each file; ``ocr_progress(done, total)`` follows a file's scanned pages.
        """
        return self.library.ingest(paths, progress=progress, force=force, ocr_progress=ocr_progress).files

    def ingest_upload(self, path: Path, original_name: str, cancel: threading.Event | None = None) -> FileResult:
        """Ingest a file the server stored under a name of its own; the id comes from ``original_name``.

        ``cancel``, when set (a server shutting down), stops the parse: the result is failed with
        ``reason_code`` ``ingest_cancelled``.
        """
        return self.library.ingest([path], names={path: original_name}, cancel=cancel).files[0]

    @staticmethod
    def doc_id_for(file_name: str) -> str:
        """The id a file of this name is stored under (the stem of the name, made safe)."""
        from ingestion.pipeline import make_doc_id

        return make_doc_id(Path(file_name))

    def read_metadata(self, path: Path) -> DocumentMeta:
        """The metadata extraction reads from a plan file, without its sidecar (for a maintainer to correct)."""
        from ingestion.pipeline import parse_file

        max_bytes = int(self.settings.max_file_mb * 1024 * 1024)
        limits, ocr = self.library.read_limits(), self.library.ocr_options()
        return parse_file(path, max_bytes=max_bytes, sidecar=False, limits=limits, ocr=ocr).meta

    def delete(self, doc_id: str) -> DocumentRecord:
        """Remove a document; raises NotFoundError if unknown."""
        return self.library.delete(doc_id)

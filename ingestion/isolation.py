"""Parse one file in a child process with a memory and a wall-time limit, so a bad file harms nothing else.

A zip bomb, a PDF of 20,000 pages or a pathological text can take gigabytes or minutes to parse.
Run in the server's own process, that memory stayed with the server and a stuck parse kept it from
stopping. Here the parse runs in a child process (from a ``forkserver``, which imports the parser
once and never carries the server's threads or models): the child's address space is capped
(``RLIMIT_AS``), the parent waits at most ``timeout_s``, and whatever happens the child is gone
afterwards, its memory returned to the system. The parent receives the parsed document (bounded by
the reader's character limit) or the error the parse raised, rebuilt with its code and message.

Cancellation: a ``threading.Event`` set by the caller (a server shutting down) kills the child at
once and raises ``IngestCancelledError``.
"""

from __future__ import annotations

import errno
import logging
import multiprocessing
import resource
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ingestion.limits import ReadLimits
from ingestion.schema import ParsedDocument
from ingestion.text import errors

log = logging.getLogger(__name__)

_POLL_S = 0.2
_context_lock = threading.Lock()
_context: Any = None


@dataclass(frozen=True)
class ParseRequest:
    """Everything the child needs to parse one file (plain, picklable values)."""

    path: Path
    max_bytes: int
    doc_id: str
    limits: ReadLimits
    ocr_engine: str = "off"
    ocr_threads: int = 0
    ocr_min_confidence: float = 0.9


@dataclass(frozen=True)
class Isolation:
    """The child's limits: wall time in seconds and address space in MiB."""

    timeout_s: float
    max_memory_mb: int


def _mp_context() -> Any:
    """The forkserver context, with the parser imported once in the server (not in every child)."""
    global _context
    with _context_lock:
        if _context is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["ingestion.pipeline", "pypdfium2", "pdfplumber", "docx"])
            _context = ctx
        return _context


def _out_of_memory(e: BaseException) -> bool:
    """Whether ``e`` or an exception it came from is a failed allocation under the address-space cap."""
    seen: set[int] = set()
    current: BaseException | None = e
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, MemoryError):
            return True
        # Loading a library or mapping a file under the cap fails with ENOMEM.
        if isinstance(current, OSError) and (current.errno == errno.ENOMEM or "failed to map" in str(current)):
            return True
        current = current.__cause__ or current.__context__
    return False


def _child(request: ParseRequest, memory_bytes: int, conn: Connection) -> None:
    """The child process: cap memory, parse, send ("ok", json) or ("error", class name, message)."""
    # Only the soft limit: the child lifts it again to report an allocation failure (the file runs no code).
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    kind, name, message = "ok", "", ""
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, hard))
        from ingestion.ocr import OcrOptions, make_ocr_engine
        from ingestion.pipeline import parse_file

        engine = make_ocr_engine(request.ocr_engine, threads=request.ocr_threads)
        ocr = None
        if engine is not None:

            def progress(done: int, total: int) -> None:
                conn.send(("progress", done, total))

            ocr = OcrOptions(engine=engine, min_number_confidence=request.ocr_min_confidence, progress=progress)
        doc = parse_file(request.path, request.max_bytes, doc_id=request.doc_id, limits=request.limits, ocr=ocr)
        message = doc.model_dump_json()
    except Exception as e:  # noqa: BLE001 - the child reports every failure to the parent, which decides
        e.with_traceback(None)  # frees what the failed parse held
        kind = "error"
        if _out_of_memory(e):
            name = "IngestMemoryError"
        elif isinstance(e, errors.PolicyAssistantError):
            name, message = type(e).__name__, str(e)
        else:
            name, message = "ParserCrashedError", type(e).__name__
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    if name == "ParserCrashedError":
        log.error("parser failed on %s: %s", request.path, message)
    conn.send((kind, message) if kind == "ok" else (kind, name, message))
    conn.close()


def _rebuild(name: str, message: str, isolation: Isolation) -> errors.IngestError:
    """The error the child raised, as the same class (or a generic ingest error) with its message."""
    if name == "IngestMemoryError":
        return errors.IngestMemoryError(
            f"解析该文件所需内存超过上限 {isolation.max_memory_mb} MB（可能是压缩炸弹或异常庞大的文件）："
            "请检查文件，或调大设置 POLICY_ASSISTANT_INGEST_MAX_MEMORY_MB。"
        )
    if name == "ParserCrashedError":
        return errors.ParserCrashedError(f"解析该文件时出错（{message}）：文件可能已损坏，请检查后重新导入。")
    cls = getattr(errors, name, None)
    if isinstance(cls, type) and issubclass(cls, errors.IngestError):
        return cls(message)
    return errors.IngestError(message)


def parse_isolated(
    request: ParseRequest,
    isolation: Isolation,
    progress: Any = None,
    cancel: threading.Event | None = None,
) -> ParsedDocument:
    """Parse ``request.path`` in a child process within ``isolation``'s limits.

    Args:
        request: The file and the reader's settings.
        isolation: Wall-time and memory limits of the child.
        progress: ``progress(done, total)`` for OCR'd pages, called in this process.
        cancel: When set, the child is killed and ``IngestCancelledError`` raised.

    Raises:
        IngestError: What the parse raised (same class and message), or ``IngestTimeoutError``,
            ``IngestMemoryError``, ``ParserCrashedError``, ``IngestCancelledError``.
    """
    ctx = _mp_context()
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(
        target=_child, args=(request, isolation.max_memory_mb * 1024 * 1024, sender), name="pa-parse", daemon=True
    )
    child.start()
    sender.close()
    deadline = time.monotonic() + isolation.timeout_s
    try:
        while True:
            if cancel is not None and cancel.is_set():
                msg = "服务器正在关闭，已中止该文件的解析：下次启动时会重新入库。"
                raise errors.IngestCancelledError(msg)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                msg = (
                    f"解析该文件超过时间上限 {isolation.timeout_s:g} 秒，已中止：请检查文件，"
                    "或调大设置 POLICY_ASSISTANT_INGEST_TIMEOUT_S。"
                )
                raise errors.IngestTimeoutError(msg)
            if not receiver.poll(min(_POLL_S, remaining)):
                if not child.is_alive() and not receiver.poll():
                    raise _died(child, isolation)
                continue
            try:
                message = receiver.recv()
            except EOFError:
                raise _died(child, isolation) from None
            if message[0] == "progress":
                if progress is not None:
                    progress(message[1], message[2])
            elif message[0] == "ok":
                return ParsedDocument.model_validate_json(message[1])
            else:
                raise _rebuild(message[1], message[2], isolation)
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(timeout=5)


def _died(child: Any, isolation: Isolation) -> errors.IngestError:
    """The error for a child that ended without an answer (killed by the system, or crashed hard)."""
    child.join(timeout=1)
    if child.exitcode is not None and child.exitcode < 0:  # a signal, e.g. the kernel's OOM killer
        return _rebuild("IngestMemoryError", "", isolation)
    return _rebuild("ParserCrashedError", f"解析进程意外退出，代码 {child.exitcode}", isolation)

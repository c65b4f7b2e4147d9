"""What the UI may ingest: only files the browser uploaded to Gradio, under the API's upload rules.

Gradio mounted with ``mount_gradio_app`` never checks the paths a client names in an event (its
check waits for ``launch()``), so a client could name any readable file on the server. Three
guards close that:

* ``enable_path_checks`` turns Gradio's own check on, so an event's file inputs must lie in
  Gradio's upload folder (a file named elsewhere is refused before it is copied anywhere);
* ``GradioUploadGuard`` refuses, at Gradio's upload route, requests with more files than
  ``max_upload_files``, an extension ``POST /v1/documents`` does not take, or a file over
  ``max_upload_mb``, and deletes what Gradio had already written;
* ``UploadInbox`` checks each received file again (inside the upload folder, count, extension, size,
  content by magic bytes) before the session keeps it, and deletes files once they are ingested or
  refused. The handler that ingests reads the session's kept list (server-side state), never paths
  sent by the client.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gradio.utils import get_upload_folder
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.access import error_response
from assistant.settings import Settings
from ingestion.filetypes import SUPPORTED_SUFFIXES, check_content, check_size, upload_suffix
from ingestion.text.errors import IngestError

log = logging.getLogger(__name__)

# Multipart framing (boundaries, part headers) per uploaded file.
_PART_SLACK_BYTES = 16 * 1024
# Gradio deletes the files a Blocks created: every 15 minutes, those older than an hour.
DELETE_CACHE = (900, 3600)


def upload_folder() -> Path:
    """Gradio's upload folder (``GRADIO_TEMP_DIR`` or the system temp folder's ``gradio``), resolved."""
    return Path(get_upload_folder()).resolve()


def enable_path_checks(blocks: Any) -> None:
    """Turn on Gradio's own file-path check for a Blocks mounted on an app (not launched).

    Gradio only checks the paths an event names once ``has_launched`` is true, and only ``launch()``
    sets it; a mounted Blocks is served all the same, so the flag is set here. Nothing else in
    Gradio reads it.
    """
    blocks.has_launched = True


def in_upload_folder(path: str | Path) -> bool:
    """Whether ``path`` (symlinks resolved) is a file inside Gradio's upload folder."""
    try:
        resolved = Path(path).resolve(strict=True)
    except (OSError, RuntimeError):
        return False
    return resolved.is_file() and resolved.is_relative_to(upload_folder())


def discard(paths: Iterable[str | Path]) -> None:
    """Delete received files (and the per-file folder Gradio made for each) inside the upload folder only."""
    root = upload_folder()
    for p in paths:
        path = Path(p)
        if not in_upload_folder(path):
            continue
        resolved = path.resolve()
        parent = resolved.parent
        resolved.unlink(missing_ok=True)
        if parent != root and parent.is_relative_to(root) and not any(parent.iterdir()):
            shutil.rmtree(parent, ignore_errors=True)


@dataclass(frozen=True)
class UploadRules:
    """The limits ``POST /v1/documents`` applies, for the UI's uploads."""

    max_files: int
    max_mb: float

    @classmethod
    def from_settings(cls, settings: Settings) -> UploadRules:
        """The rules of a server's settings."""
        return cls(max_files=settings.max_upload_files, max_mb=settings.max_upload_mb)

    @property
    def max_bytes(self) -> int:
        """The size limit of one file in bytes."""
        return int(self.max_mb * 1024 * 1024)


class UploadInbox:
    """Checks what Gradio received before a session may ingest it."""

    def __init__(self, rules: UploadRules) -> None:
        self.rules = rules

    def accept(self, files: Iterable[str | Path] | None) -> tuple[list[str], list[str]]:
        """Split received files into kept paths and refusals (``name：reason``); refused files are deleted.

        Raises nothing: a file outside Gradio's upload folder, over the count, of another type, too
        large or whose content is not what its extension says is refused with its reason.
        """
        kept: list[str] = []
        refused: list[str] = []
        for raw in files or []:
            path = Path(raw)
            reason = self._problem(path, len(kept))
            if reason:
                refused.append(f"{path.name}：{reason}")
                discard([path])
            else:
                kept.append(str(path.resolve()))
        return kept, refused

    def _problem(self, path: Path, n_kept: int) -> str:
        if not in_upload_folder(path):
            return "不是本次会话上传的文件，已拒绝。"
        if n_kept >= self.rules.max_files:
            return f"一次最多上传 {self.rules.max_files} 个文件，其余请分批上传。"
        try:
            suffix = upload_suffix(path.name)
            size = path.stat().st_size
            check_size(size, self.rules.max_mb)
            with path.open("rb") as fh:
                check_content(fh.read(self.rules.max_bytes + 1), suffix)
        except IngestError as e:
            return str(e)
        except OSError as e:
            return f"无法读取上传的文件（{e.strerror}）：请重新上传。"
        return ""


class GradioUploadGuard:
    """ASGI middleware on Gradio's upload route: count, extension and size rules of ``POST /v1/documents``.

    The declared body size is checked first (``max_files`` files of ``max_mb`` each); Gradio itself
    enforces ``max_file_size`` per file as the body streams in. Once Gradio answers with the paths it
    wrote, a request with too many files or a file of an unsupported type is refused with the API's
    error envelope and its files are deleted.
    """

    def __init__(self, app: ASGIApp, route: str, rules: UploadRules) -> None:
        self.app = app
        self.route = route.rstrip("/")
        self.rules = rules

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass every other request through untouched."""
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"].rstrip("/") != self.route:
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length", b"")
        limit = self.rules.max_files * (self.rules.max_bytes + _PART_SLACK_BYTES)
        if length.isdigit() and int(length) > limit:
            msg = f"一次最多上传 {self.rules.max_files} 个文件，每个不超过 {self.rules.max_mb:g} MB。"
            await error_response(413, "file_too_large", msg, headers={"Connection": "close"})(scope, receive, send)
            return

        start: Message | None = None
        body = bytearray()

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                body.extend(message.get("body", b""))

        await self.app(scope, receive, capture)
        if start is None:
            return
        refusal = self._refusal(start, bytes(body))
        if refusal is not None:
            status, code, msg = refusal
            await error_response(status, code, msg)(scope, receive, send)
            return
        await send(start)
        await send({"type": "http.response.body", "body": bytes(body), "more_body": False})

    def _refusal(self, start: Message, body: bytes) -> tuple[int, str, str] | None:
        if start["status"] != 200:
            return None
        try:
            paths = json.loads(body)
        except ValueError:
            return None
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            return None
        if len(paths) > self.rules.max_files:
            discard(paths)
            return 413, "too_many_files", f"一次最多上传 {self.rules.max_files} 个文件，其余请分批上传。"
        bad = [Path(p).name for p in paths if Path(p).suffix.lower() not in SUPPORTED_SUFFIXES]
        if bad:
            discard(paths)
            msg = f"不支持的文件类型：{'、'.join(bad)}。请上传 PDF、DOCX、DOC、TXT 或 MD 文件。"
            return 415, "unsupported_file", msg
        return None

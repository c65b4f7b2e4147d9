"""Hostile uploads against a real server: how fast each is refused and what it costs the server's memory.

Starts ``policy-assistant serve --no-ui`` on a free loopback port over an empty store, uploads a DOCX
zip bomb (about 1 MB holding a 314 MB ``word/document.xml``), a PDF of 20,000 empty pages and a text
file just under the 20 MB upload limit, one at a time, and polls each job until it is refused. Every
50 ms it reads the resident memory of the server process and of its child processes (the parse runs
in a child) from /proc. Prints one table: file, size, error code, seconds from upload to refusal,
the server's peak RSS during the job and after it, the children's peak.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

import httpx

from benchmarks.common import REPO, Table, child_env, out

FIXTURE_DOCX = REPO / "tests" / "fixtures" / "plan.docx"
WORD_NS = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MB = 1024 * 1024


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_zip_bomb(path: Path, xml_mb: int = 314) -> Path:
    """A DOCX whose document.xml is ``xml_mb`` MB of one repeated paragraph (packs about 300:1)."""
    with zipfile.ZipFile(FIXTURE_DOCX) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != "word/document.xml":
                dst.writestr(item, src.read(item))
        paragraph = b"<w:p><w:r><w:t>" + "到2025年底，全市达到90%以上。".encode() * 20 + b"</w:t></w:r></w:p>"
        with dst.open("word/document.xml", "w") as member:
            member.write(b'<?xml version="1.0"?><w:document xmlns:w="%s"><w:body>' % WORD_NS)
            block = paragraph * (MB // len(paragraph))
            for _ in range(xml_mb):
                member.write(block)
            member.write(b"</w:body></w:document>")
    return path


def make_many_pages(path: Path, pages: int = 20_000) -> Path:
    """A PDF of ``pages`` empty A4 pages (about 3 MB)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    for _ in range(pages):
        document.new_page(595, 842).close()
    document.save(str(path))
    document.close()
    return path


def make_big_text(path: Path, limit_mb: float = 20.0) -> Path:
    """A UTF-8 plan text repeated to just under the upload limit."""
    unit = min((REPO / "data" / "plans").glob("*.txt")).read_bytes()
    target = int(limit_mb * MB) - 64 * 1024
    path.write_bytes(unit * (target // len(unit)))
    return path


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


def _descendants(pid: int) -> list[int]:
    out_pids: list[int] = []
    stack = [pid]
    while stack:
        current = stack.pop()
        for task in Path(f"/proc/{current}/task").glob("*") if Path(f"/proc/{current}/task").is_dir() else []:
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            out_pids.extend(children)
            stack.extend(children)
    return out_pids


class Sampler:
    """Peak RSS of a process and of its descendants, sampled every 50 ms in a thread."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.server_peak = 0
        self.children_peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.server_peak = max(self.server_peak, _rss_kib(self.pid))
            kids = sum(_rss_kib(p) for p in _descendants(self.pid))
            self.children_peak = max(self.children_peak, kids)
            time.sleep(0.05)


def run(scratch: Path) -> tuple[list[Table], dict[str, Any]]:
    """Upload each hostile file to a fresh server; return the table and the raw figures."""
    if scratch.exists():
        shutil.rmtree(scratch)
    files = scratch / "files"
    files.mkdir(parents=True)
    out("  making the files (the zip bomb takes a few seconds)")
    samples = [
        ("DOCX zip bomb (314 MB document.xml)", make_zip_bomb(files / "bomb.docx")),
        ("PDF of 20,000 pages", make_many_pages(files / "pages.pdf")),
        ("text file just under 20 MB", make_big_text(files / "big.txt")),
    ]
    port = _free_port()
    env = child_env(scratch / "store")
    server = subprocess.Popen(
        [sys.executable, "-m", "assistant.main", "serve", "--no-ui", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    table = Table(
        "Hostile uploads (a real server, one at a time)",
        [
            "file",
            "size",
            "refused with",
            "seconds to refusal",
            "server peak RSS",
            "server RSS after",
            "parse child peak",
        ],
    )
    raw: dict[str, Any] = {}
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as c:
            deadline = time.monotonic() + 300
            while True:
                try:
                    if c.get("/v1/health").json().get("store_loaded") is not None:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    msg = "the server did not start"
                    raise RuntimeError(msg)
                time.sleep(0.3)
            idle = _rss_kib(server.pid)
            for label, path in samples:
                out(f"  {label}")
                with Sampler(server.pid) as sampler:
                    t0 = time.perf_counter()
                    posted = c.post("/v1/documents", files={"file": (path.name, path.read_bytes())})
                    if posted.status_code != 202:
                        code = posted.json()["error"]["code"]
                    else:
                        job_id = posted.json()["job_id"]
                        while (job := c.get(f"/v1/jobs/{job_id}").json())["status"] in ("queued", "running"):
                            time.sleep(0.05)
                        code = (job.get("error") or {}).get("code", job["status"])
                    seconds = time.perf_counter() - t0
                time.sleep(0.5)
                after = _rss_kib(server.pid)
                raw[path.name] = {
                    "code": code,
                    "seconds": seconds,
                    "server_peak_kib": sampler.server_peak,
                    "server_after_kib": after,
                    "children_peak_kib": sampler.children_peak,
                    "size": path.stat().st_size,
                }
                table.rows.append(
                    [
                        label,
                        f"{path.stat().st_size / MB:.1f} MB",
                        f"`{code}`",
                        f"{seconds:.2f}",
                        f"{sampler.server_peak / 1024:.0f} MiB",
                        f"{after / 1024:.0f} MiB",
                        f"{sampler.children_peak / 1024:.0f} MiB",
                    ]
                )
            raw["idle_kib"] = idle
            table.notes.append(
                f"Server RSS before the uploads (model and indexes loaded): {idle / 1024:.0f} MiB. Each file is "
                "refused by a reader limit (archive size, page count, text length) inside the parse child, "
                "before it is read in full; the server only receives the error."
            )
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    return [table], raw


if __name__ == "__main__":
    import tempfile

    tables, _ = run(Path(tempfile.mkdtemp(prefix="pa-hostile-")))
    for t in tables:
        out(t.markdown())

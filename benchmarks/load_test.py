"""Load test of the HTTP API: concurrent clients asking mixed questions while a new plan is ingested.

Not a unit test: a script that prints a table. By default it builds a scratch store from
``data/plans`` (about 1-2 minutes of embedding), starts ``policy-assistant serve`` on a free
loopback port in the default extractive mode, and runs ``--clients`` closed-loop clients for
``--duration`` seconds. A few seconds in, a new document is uploaded through ``POST /v1/documents``
and ingested in the background while the clients keep asking. Afterwards it checks that no
document was lost or duplicated (the library listing, watched every second during the run, and at
the end) and prints throughput, p50/p95/p99 latency and the error count.

    .venv/bin/python benchmarks/load_test.py                     # 16 clients, 60 s
    .venv/bin/python benchmarks/load_test.py --duration 20       # shorter
    .venv/bin/python benchmarks/load_test.py --url http://host:8000 --api-key K --admin-key A

Exit code 0 only with zero errors and a consistent library.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
PLANS = REPO / "data" / "plans"

# Mixed traffic: numeric look-ups, follow-ups carried by history, lists, comparisons, questions the
# plans do not answer, retrieval only. Named for the shipped plans: this is a benchmark, not library code.
QUESTIONS: list[dict[str, Any]] = [
    {"question": "到2025年每万人口全科医生数要达到多少？"},
    {
        "question": "那2023年呢？",
        "history": [
            {"role": "user", "content": "到2025年每万人口全科医生数要达到多少？"},
            {"role": "assistant", "content": "到2025年每万人口全科医生数达到4名。"},
        ],
    },
    {"question": "乡镇卫生院达到服务能力基本标准的比例要达到多少？"},
    {"question": "家庭医生签约服务覆盖率的目标是多少？"},
    {"question": "哪些地方提出了村卫生室的建设目标？"},
    {"question": "社区卫生服务中心达到推荐标准的比例是多少？"},
    {"question": "到2027年有哪些主要目标？"},
    {"question": "每千人口执业（助理）医师数要达到多少？"},
    {"question": "县域医共体建设有什么要求？"},
    {"question": "火星基地的医院床位数目标是多少？"},
    {"question": "基层医疗卫生机构诊疗量占比要达到多少？"},
    {"question": "对乡村医生的待遇有什么规定？"},
]
SEARCHES = ["全科医生", "家庭医生签约", "村卫生室", "医共体"]


def out(text: str = "") -> None:
    """Print one line of the report."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


@dataclass
class Sample:
    """One request: what it was, how long it took, how it ended."""

    endpoint: str
    started: float
    latency_ms: float
    status: int
    error: str = ""
    question: str = ""
    answer: str = ""


@dataclass
class Run:
    """Everything the clients and watchers record."""

    samples: list[Sample] = field(default_factory=list)
    listings: list[list[str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        """Record a request (thread-safe)."""
        with self.lock:
            self.samples.append(sample)

    def problem(self, text: str) -> None:
        """Record a consistency problem (thread-safe)."""
        with self.lock:
            self.problems.append(text)


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli_command() -> list[str]:
    """How to run ``policy-assistant`` from this interpreter's environment."""
    script = Path(sys.executable).parent / "policy-assistant"
    return [str(script)] if script.exists() else [sys.executable, "-m", "assistant.main"]


@contextmanager
def local_server(data_dir: Path, keys: list[str], admin_key: str) -> Iterator[str]:
    """Ingest the shipped plans into ``data_dir`` if empty, serve it on loopback, stop it afterwards."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICY_ASSISTANT_")}
    env.update(
        {
            "POLICY_ASSISTANT_DATA_DIR": str(data_dir),
            "POLICY_ASSISTANT_OVERRIDES_DIR": str(REPO / "data" / "overrides"),
            "POLICY_ASSISTANT_API_KEYS": json.dumps(keys),
            "POLICY_ASSISTANT_ADMIN_API_KEYS": json.dumps([admin_key]),
            # The clients measure the server, not the limiter.
            "POLICY_ASSISTANT_RATE_LIMIT_PER_MINUTE": "1000000",
            "GRADIO_ANALYTICS_ENABLED": "False",
        }
    )
    t0 = time.perf_counter()
    out(f"store: {data_dir}")
    subprocess.run([*cli_command(), "ingest", str(PLANS), "--if-empty"], env=env, cwd=REPO, check=True)
    out(f"ingest of the shipped plans: {time.perf_counter() - t0:.1f} s")
    port = free_port()
    log_path = data_dir / "server.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [*cli_command(), "serve", "--host", "127.0.0.1", "--port", str(port), "--no-ui"],
            env=env,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}; see {log_path}")
            try:
                if httpx.get(f"{url}/v1/health", timeout=2).json().get("store_loaded"):
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server not ready after 300 s; see {log_path}")
            time.sleep(0.5)
        out(f"server ready at {url} (pid {proc.pid}) after {time.perf_counter() - t0:.1f} s")
        yield url
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def remote(url: str) -> Iterator[str]:
    """A server someone else runs: nothing to start or stop."""
    yield url


def client_loop(n: int, url: str, key: str, deadline: float, run: Run) -> None:
    """One client: ask, search or chat in turn until the deadline, each request right after the last."""
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    i = n  # clients start at different points of the mix
    with httpx.Client(base_url=url, headers=headers, timeout=120) as c:
        while time.monotonic() < deadline:
            i += 1
            item = QUESTIONS[i % len(QUESTIONS)]
            endpoint = "search" if i % 7 == 0 else "chat" if i % 4 == 0 else "ask"
            t0 = time.monotonic()
            try:
                if endpoint == "search":
                    r = c.get("/v1/search", params={"q": SEARCHES[i % len(SEARCHES)]})
                elif endpoint == "chat":
                    messages = [*item.get("history", []), {"role": "user", "content": item["question"]}]
                    r = c.post("/v1/chat/completions", json={"model": "policy-assistant", "messages": messages})
                else:
                    r = c.post("/v1/ask", json=item)
            except httpx.HTTPError as e:
                run.add(Sample(endpoint, t0, (time.monotonic() - t0) * 1000, 0, f"{type(e).__name__}: {e}"))
                continue
            ok = r.status_code == 200
            sample = Sample(endpoint, t0, (time.monotonic() - t0) * 1000, r.status_code, "" if ok else r.text[:200])
            if ok and endpoint == "ask":
                sample.question, sample.answer = item["question"], r.json()["answer"]
            run.add(sample)


def watch_library(url: str, key: str, stop: threading.Event, run: Run) -> None:
    """Every second: the document list must hold no duplicate and never lose a document it once had."""
    seen: set[str] = set()
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=60) as c:
        while not stop.is_set():
            try:
                ids = [d["doc_id"] for d in c.get("/v1/documents").json()["documents"]]
            except (httpx.HTTPError, KeyError, ValueError) as e:
                run.problem(f"listing failed: {e}")
                stop.wait(1)
                continue
            run.listings.append(ids)
            if len(ids) != len(set(ids)):
                run.problem(f"duplicate document ids in a listing: {sorted(ids)}")
            lost = seen - set(ids)
            if lost:
                run.problem(f"documents disappeared during the run: {sorted(lost)}")
            seen |= set(ids)
            stop.wait(1)


def ingest_new_document(url: str, admin_key: str, path: Path, delay: float, run: Run) -> dict[str, Any]:
    """Upload ``path`` after ``delay`` seconds and wait for its job; return the job."""
    time.sleep(delay)
    headers = {"Authorization": f"Bearer {admin_key}"}
    t0 = time.monotonic()
    with httpx.Client(base_url=url, headers=headers, timeout=120) as c:
        r = c.post("/v1/documents", files={"file": (path.name, path.read_bytes(), "text/plain")})
        if r.status_code != 202:
            run.problem(f"upload refused: {r.status_code} {r.text[:200]}")
            return {}
        job: dict[str, Any] = r.json()
        while job["status"] in ("queued", "running"):
            time.sleep(0.5)
            job = c.get(f"/v1/jobs/{job['job_id']}").json()
    job["seconds"] = time.monotonic() - t0
    if job["status"] != "succeeded" or (job.get("result") or {}).get("status") not in ("added", "updated"):
        run.problem(f"ingestion job did not add the document: {job}")
    return job


def baseline_answers(url: str, key: str) -> dict[str, str]:
    """Each question's answer with no load, to compare the answers given under load with."""
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=120) as c:
        return {item["question"]: c.post("/v1/ask", json=item).json()["answer"] for item in QUESTIONS}


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile of ``values`` (p in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def new_document(folder: Path, given: Path | None) -> Path:
    """The document to ingest during the run: ``given``, or a new plan derived from a shipped one.

    Every digit of the source is shifted by one, so nearly every chunk is new text and really has to
    be embedded (the embedding cache would make an unchanged copy nearly free).
    """
    if given is not None:
        return given
    source = sorted(PLANS.glob("*.txt"))[1]
    shifted = source.read_text(encoding="utf-8").translate(str.maketrans("0123456789", "1234567890"))
    path = folder / "loadtest_new_plan.txt"
    path.write_text("（负载测试：运行期间新入库的文件）\n" + shifted, encoding="utf-8")
    return path


def report(
    run: Run,
    duration: float,
    job: dict[str, Any],
    before: list[dict[str, Any]],
    after: list[dict[str, Any]],
    baseline: dict[str, str],
) -> bool:
    """Print the figures and the consistency checks; return whether everything passed."""
    samples = run.samples
    errors = [s for s in samples if s.status != 200]
    out()
    out(f"{'endpoint':<10}{'requests':>10}{'req/s':>9}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'errors':>8}")
    groups = {"all": samples} | {e: [s for s in samples if s.endpoint == e] for e in ("ask", "chat", "search")}
    for name, group in groups.items():
        lat = [s.latency_ms for s in group]
        out(
            f"{name:<10}{len(group):>10}{len(group) / duration:>9.2f}{percentile(lat, 50):>10.0f}"
            f"{percentile(lat, 95):>10.0f}{percentile(lat, 99):>10.0f}{sum(s.status != 200 for s in group):>8}"
        )
    during = [
        s.latency_ms for s in samples if job and job.get("_started_at", 0) <= s.started <= job.get("_finished_at", 0)
    ]
    result = job.get("result") or {}
    if result:
        out()
        out(
            f"ingestion during the run: {job.get('filename')} -> {result['status']} "
            f"({result['n_chunks']} chunks, {result['n_targets']} target rows) in {job['seconds']:.1f} s; "
            f"p50 latency while it ran: {percentile(during, 50):.0f} ms ({len(during)} requests)"
        )
    for e in errors[:10]:
        out(f"error: {e.endpoint} {e.status} {e.error}")
    # Before the new document arrives, an answer under load must be exactly the answer at rest.
    upload_start = job.get("_started_at", float("inf"))
    compared = [s for s in samples if s.answer and s.started < upload_start]
    differing = [s for s in compared if baseline.get(s.question) != s.answer]
    out(f"answers under load compared with answers at rest: {len(compared)}, differing: {len(differing)}")
    for s in differing[:5]:
        run.problem(f"answer under load differs for {s.question!r}: {s.answer[:80]!r}")

    before_ids = [d["doc_id"] for d in before]
    after_ids = [d["doc_id"] for d in after]
    new_id = result.get("doc_id", "")
    ok = not errors and not run.problems
    if len(after_ids) != len(set(after_ids)):
        run.problem("duplicate ids in the final listing")
    if set(before_ids) - set(after_ids):
        run.problem(f"lost documents: {sorted(set(before_ids) - set(after_ids))}")
    if new_id and (after_ids.count(new_id) != 1 or sorted(after_ids) != sorted([*before_ids, new_id])):
        run.problem(f"the new document is not listed exactly once: {after_ids}")
    unchanged = {d["doc_id"]: (d["n_chunks"], d["n_targets"], d["content_hash"]) for d in before}
    for d in after:
        if d["doc_id"] in unchanged and unchanged[d["doc_id"]] != (d["n_chunks"], d["n_targets"], d["content_hash"]):
            run.problem(f"document {d['doc_id']} changed during the run")
    ok = ok and not run.problems
    out()
    out(f"library: {len(before_ids)} documents before, {len(after_ids)} after; listings watched: {len(run.listings)}")
    for p in run.problems:
        out(f"PROBLEM: {p}")
    out("RESULT: " + ("PASS (zero errors, no document lost or duplicated)" if ok else "FAIL"))
    return ok


def main() -> int:
    """Run the load test; 0 when there were no errors and the library stayed consistent."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="target a running server instead of starting one")
    parser.add_argument("--api-key", default="", help="key for the clients when --url is given")
    parser.add_argument("--admin-key", default="", help="admin key for the upload when --url is given")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--data-dir", type=Path, help="store to serve (reused if it already holds documents)")
    parser.add_argument("--upload", type=Path, help="document to ingest during the run (default: a marked plan copy)")
    parser.add_argument("--upload-after", type=float, default=5.0, help="seconds before the upload starts")
    parser.add_argument("--keep", action="store_true", help="keep the scratch store and the uploaded document")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="pa-load-"))
    client_keys = [f"load-client-{i}" for i in range(args.clients)]
    admin_key = "load-admin"
    try:
        if args.url:
            server = remote(args.url.rstrip("/"))
            client_keys = [args.api_key] * args.clients
            admin_key = args.admin_key or args.api_key
        else:
            server = local_server(args.data_dir or scratch / "data", client_keys, admin_key)
        with server as url:
            reader = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {admin_key}"}, timeout=60)
            before = reader.get("/v1/documents").json()["documents"]
            baseline = baseline_answers(url, admin_key)
            doc_path = new_document(scratch, args.upload)
            run = Run()
            stop = threading.Event()
            out(
                f"{args.clients} clients for {args.duration:.0f} s; "
                f"upload of {doc_path.name} after {args.upload_after:.0f} s"
            )
            start = time.monotonic()
            deadline = start + args.duration
            threads = [
                threading.Thread(target=client_loop, args=(i, url, client_keys[i], deadline, run), daemon=True)
                for i in range(args.clients)
            ]
            watcher = threading.Thread(target=watch_library, args=(url, admin_key, stop, run), daemon=True)
            job_box: dict[str, Any] = {}

            def ingest() -> None:
                job_box["_started_at"] = time.monotonic() + args.upload_after
                job_box.update(ingest_new_document(url, admin_key, doc_path, args.upload_after, run))
                job_box["_finished_at"] = time.monotonic()

            ingester = threading.Thread(target=ingest, daemon=True)
            for t in [*threads, watcher, ingester]:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.monotonic() - start
            ingester.join(timeout=600)
            stop.set()
            watcher.join()
            after = reader.get("/v1/documents").json()["documents"]
            ok = report(run, elapsed, job_box, before, after, baseline)
            new_id = (job_box.get("result") or {}).get("doc_id")
            if new_id and not args.keep and new_id not in {d["doc_id"] for d in before}:
                reader.delete(f"/v1/documents/{new_id}")
            reader.close()
        return 0 if ok else 1
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

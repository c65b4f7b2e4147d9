"""Ask benchmark: warm latency by question type, cold start, server start to first answer, throughput.

- Warm latency (extractive mode, no LLM): every numeric (lookup + table), comparison and explanation
  question of ``evals/datasets/shipped.jsonl`` asked ``--rounds`` times in one process after
  ``warm_up()``; the query-embedding LRU is emptied before each question so every ask pays its
  query embedding. The reference pipeline (``evals/reference.py``) answers the same questions.
- Cold start: ``policy-assistant ask`` in a new process, process start to printed answer.
- Server start to first answer: ``policy-assistant serve`` started, ``POST /v1/ask`` retried until
  it answers (with and without the web UI mounted).
- Throughput: closed-loop clients from ``benchmarks/load_test.py`` (ask/chat/search mix) at 1, 4
  and 16 concurrent clients on loopback.

    .venv/bin/python -m benchmarks.bench_ask --data-dir DIR [--quick]
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks.common import (
    REPO,
    Table,
    child_env,
    cli,
    emit,
    load_questions,
    out,
    peak_rss_mb,
    percentile,
    plan_files,
    ratio,
    rss_mb,
    run_child,
    settings_for,
)

MODULE = "benchmarks.bench_ask"
# The question a cold process answers: a plain number question without a region, so the
# benchmark names no place of the shipped plans (a new corpus answers it or abstains alike).
COLD_QUESTION = "到2025年每万人口全科医生数要达到多少？"


def open_reference(reference_json: Path) -> Any:
    """The reference pipeline persisted by the ingestion benchmark, reopened without re-embedding."""
    import chromadb
    from langchain_chroma import Chroma

    from evals.reference import ReferencePipeline
    from vectorstore.embeddings import make_embeddings

    info = json.loads(reference_json.read_text(encoding="utf-8"))
    ref = ReferencePipeline.__new__(ReferencePipeline)
    client = chromadb.PersistentClient(
        path=info["persist_dir"], settings=chromadb.config.Settings(anonymized_telemetry=False)
    )
    ref.store = Chroma(
        client=client, collection_name=info["collection"], embedding_function=make_embeddings("e5-bundled")
    )
    return ref


def time_questions(ask: Any, rounds: int, before_each: Any = None) -> dict[str, list[float]]:
    """Milliseconds per question of each group, ``rounds`` passes over the shipped questions."""
    groups = load_questions()
    lat: dict[str, list[float]] = {g: [] for g in groups}
    for _ in range(rounds):
        for group, items in groups.items():
            for item in items:
                if before_each is not None:
                    before_each()
                t0 = time.perf_counter()
                ask(str(item["question"]))
                lat[group].append((time.perf_counter() - t0) * 1000)
    return lat


def child_warm(data_dir: Path, rounds: int, reference_json: Path | None) -> dict[str, Any]:
    """Warm latency of the product (and of the reference when persisted) in this process."""
    from assistant.service import Assistant

    assistant = Assistant(settings_for(data_dir))
    t0 = time.perf_counter()
    assistant.warm_up()
    warm_s = time.perf_counter() - t0
    embeddings = assistant.library.dense.embeddings

    def forget_queries() -> None:
        cache = getattr(embeddings, "_query_cache", None)
        if cache is not None:
            cache.clear()

    product = time_questions(lambda q: assistant.ask(q), rounds, forget_queries)
    result: dict[str, Any] = {"product": product, "warm_up_s": warm_s, "rss_mb": rss_mb(), "peak_rss_mb": peak_rss_mb()}
    if reference_json is not None and reference_json.is_file():
        ref = open_reference(reference_json)
        ref.answer("预热", [])
        result["reference"] = time_questions(lambda q: ref.answer(q, []), rounds)
    return result


def child_reference_cold(reference_json: Path) -> dict[str, Any]:
    """Open the persisted reference and answer one question (run as a fresh process)."""
    ref = open_reference(reference_json)
    answer = ref.answer(COLD_QUESTION, [])
    return {"status": answer["status"]}


def cold_start(data_dir: Path, reference_json: Path | None, tries: int) -> dict[str, list[float]]:
    """Seconds from process start to a printed answer, for the CLI and for the reference."""
    product: list[float] = []
    for _ in range(tries):
        t0 = time.perf_counter()
        subprocess.run(
            [*cli(), "ask", COLD_QUESTION, "--json"], env=child_env(data_dir), cwd=REPO, capture_output=True, check=True
        )
        product.append(time.perf_counter() - t0)
    reference: list[float] = []
    if reference_json is not None and reference_json.is_file():
        for _ in range(tries):
            _, wall = run_child(MODULE, ["--child-reference-cold", str(reference_json)])
            reference.append(wall)
    return {"product": product, "reference": reference}


def free_port() -> int:
    """A free TCP port on loopback."""
    from benchmarks.load_test import free_port as pick

    return pick()


def server_first_answer(data_dir: Path, ui: bool, timeout: float = 300) -> float:
    """Seconds from ``policy-assistant serve`` starting to its first answer over HTTP."""
    port = free_port()
    args = [*cli(), "serve", "--host", "127.0.0.1", "--port", str(port)] + ([] if ui else ["--no-ui"])
    log = (data_dir.parent / f"serve_{'ui' if ui else 'api'}.log").open("w")
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, env=child_env(data_dir), cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1/ask"
    try:
        while True:
            if proc.poll() is not None:
                msg = f"server exited with {proc.returncode}; see {log.name}"
                raise RuntimeError(msg)
            try:
                r = httpx.post(url, json={"question": COLD_QUESTION}, timeout=60)
                if r.status_code == 200:
                    return time.perf_counter() - t0
            except httpx.HTTPError:
                pass
            if time.perf_counter() - t0 > timeout:
                msg = f"no answer after {timeout} s"
                raise RuntimeError(msg)
            time.sleep(0.1)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def throughput(data_dir: Path, clients: list[int], duration: float) -> list[dict[str, Any]]:
    """Requests per second and latency at each number of concurrent clients (load_test's client mix)."""
    from benchmarks.load_test import Run, client_loop, local_server

    keys = [f"bench-client-{i}" for i in range(max(clients))]
    rows: list[dict[str, Any]] = []
    with local_server(data_dir, keys, "bench-admin") as url:
        httpx.post(
            f"{url}/v1/ask",
            json={"question": COLD_QUESTION},
            headers={"Authorization": f"Bearer {keys[0]}"},
            timeout=120,
        )
        for n in clients:
            run = Run()
            start = time.monotonic()
            deadline = start + duration
            threads = [
                threading.Thread(target=client_loop, args=(i, url, keys[i], deadline, run), daemon=True)
                for i in range(n)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.monotonic() - start
            lat = [s.latency_ms for s in run.samples]
            ask_lat = [s.latency_ms for s in run.samples if s.endpoint == "ask"]
            rows.append(
                {
                    "clients": n,
                    "requests": len(run.samples),
                    "rps": len(run.samples) / elapsed,
                    "p50": percentile(lat, 50),
                    "p95": percentile(lat, 95),
                    "p99": percentile(lat, 99),
                    "ask_p50": percentile(ask_lat, 50),
                    "errors": sum(s.status != 200 for s in run.samples),
                }
            )
            out(f"  {n} clients: {rows[-1]['rps']:.1f} req/s, p50 {rows[-1]['p50']:.0f} ms")
    return rows


def ensure_store(data_dir: Path) -> None:
    """Ingest the shipped plans into ``data_dir`` unless it already holds documents."""
    subprocess.run(
        [*cli(), "ingest", *map(str, plan_files()), "--if-empty"],
        env=child_env(data_dir),
        cwd=REPO,
        check=True,
        capture_output=True,
    )


def run(
    data_dir: Path, reference_json: Path | None, quick: bool = False, server: bool = True
) -> tuple[list[Table], dict[str, Any]]:
    """Run the ask and server benchmarks against the store in ``data_dir``."""
    ensure_store(data_dir)
    raw: dict[str, Any] = {}
    rounds = 1 if quick else 3
    out(f"ask: warm latency ({rounds} round(s) over the shipped questions)")
    warm, _ = run_child(
        MODULE,
        ["--child-warm", str(data_dir), "--rounds", str(rounds)]
        + (["--reference-json", str(reference_json)] if reference_json else []),
    )
    raw["warm"] = warm
    out("ask: cold start")
    raw["cold"] = cold_start(data_dir, reference_json, 1 if quick else 3)
    tables = [_latency_table(warm, raw["cold"])]
    if server:
        out("ask: server start to first answer")
        raw["server_start"] = {
            "api": server_first_answer(data_dir, ui=False),
            "ui": None if quick else server_first_answer(data_dir, ui=True),
        }
        out("ask: throughput on loopback")
        raw["throughput"] = throughput(data_dir, [1, 4, 16], 6.0 if quick else 20.0)
        tables.append(_server_table(raw["server_start"], raw["throughput"]))
    return tables, raw


def _latency_table(warm: dict[str, Any], cold: dict[str, list[float]]) -> Table:
    t = Table(
        "Ask latency, extractive mode, warm (4 plans)",
        [
            "question type",
            "n",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "reference p50 ms",
            "reference p95 ms",
            "p50 vs reference",
        ],
    )
    ref = warm.get("reference", {})
    every: list[float] = []
    for group, lat in warm["product"].items():
        every.extend(lat)
        r = ref.get(group, [])
        t.rows.append(
            [
                group,
                len(lat),
                percentile(lat, 50),
                percentile(lat, 95),
                percentile(lat, 99),
                percentile(r, 50) if r else None,
                percentile(r, 95) if r else None,
                ratio(percentile(lat, 50), percentile(r, 50) if r else None),
            ]
        )
    all_ref = [x for v in ref.values() for x in v]
    p50 = percentile(every, 50)
    t.rows.append(
        [
            "all",
            len(every),
            p50,
            percentile(every, 95),
            percentile(every, 99),
            percentile(all_ref, 50) if all_ref else None,
            percentile(all_ref, 95) if all_ref else None,
            ratio(p50, percentile(all_ref, 50) if all_ref else None),
        ]
    )
    cold_p = min(cold["product"]) if cold["product"] else None
    cold_r = min(cold["reference"]) if cold["reference"] else None
    t.rows.append(
        [
            "cold start: process start → first answer (s, best of runs)",
            len(cold["product"]),
            cold_p,
            None,
            None,
            cold_r,
            None,
            ratio(cold_p, cold_r),
        ]
    )
    t.notes.append(
        f"Goal: p50 under 100 ms at 4 documents — {'holds' if p50 < 100 else 'does not hold'} ({p50:.0f} ms). "
        "The reference answers with the top dense passage (no targets, no BM25); the product also parses the "
        "question, looks up target rows and, for explanations, runs hybrid search."
    )
    t.notes.append(
        f"Warm-up {warm['warm_up_s']:.1f} s; RSS after the run {warm['rss_mb']:.0f} MiB "
        "(product and reference in one process). "
        f"Cold start runs: {', '.join(f'{x:.1f}' for x in cold['product'])} s (CLI `policy-assistant ask`)."
    )
    return t


def _server_table(start: dict[str, Any], rows: list[dict[str, Any]]) -> Table:
    t = Table(
        "Server: start to first answer, and throughput on loopback (ask/chat/search mix)",
        ["concurrent clients", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "ask p50 ms", "errors"],
    )
    for r in rows:
        t.rows.append([r["clients"], r["requests"], r["rps"], r["p50"], r["p95"], r["p99"], r["ask_p50"], r["errors"]])
    api, ui = start["api"], start.get("ui")
    t.notes.append(
        f"`policy-assistant serve --no-ui` start to first answer: {api:.1f} s"
        + (f"; with the web UI mounted: {ui:.1f} s" if ui else "")
        + f". Goal under 15 s — {'holds' if max(api, ui or 0) < 15 else 'does not hold'}."
    )
    t.notes.append(
        "Clients are threads of the benchmark process on the same 2 cores as the server (one uvicorn worker); "
        "no reference: the reference pipeline has no server."
    )
    return t


def main() -> int:
    """Entry point: the benchmark, or one of its child steps."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, help="store with the plans (ingested if empty; default: temp)")
    parser.add_argument("--reference-json", type=Path, help="reference pipeline persisted by bench_ingest")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-server", action="store_true", help="skip server start and throughput")
    parser.add_argument("--child-warm", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-reference-cold", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--rounds", type=int, default=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_warm:
        emit(child_warm(args.child_warm, args.rounds, args.reference_json))
        return 0
    if args.child_reference_cold:
        emit(child_reference_cold(args.child_reference_cold))
        return 0
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="pa-bench-ask-")) / "data"
    tables, _ = run(data_dir, args.reference_json, quick=args.quick, server=not args.no_server)
    for t in tables:
        out(t.markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Scale benchmark: a synthetic corpus grown from the shipped plans, at 4, 40, 400 and 4,000 documents.

Copies of the four plans get made-up place names in place of the plan's own regions (taken from
the ingested metadata and target rows, so no name is written here) and perturbed numbers (the
last digit of every number that is not a year), so each copy's targets are distinct. Names and
numbers keep their length, so a copy is chunked exactly like its source.

The corpus grows in one store; at each size a fresh process measures warm ask latency over the
shipped questions (which name the original regions: the copies are distractors) and its memory.

Embedding: the bundled model does roughly 12 chunks/s on 2 cores, so above ``--real-embed-upto``
documents the copies' vectors are the source chunks' vectors (an ``Embeddings`` wrapper maps a
copy's text back to its source chunk: digits dropped, made-up names mapped back). Those sizes
measure the index, the catalogue and the answer layer, not the model; the table says which.

    .venv/bin/python -m benchmarks.bench_scale [--sizes 4,40,400] [--quick] [--real-embed-upto 40]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from assistant.settings import Settings
from benchmarks.common import (
    Table,
    cpu_seconds,
    dir_size_mb,
    emit,
    out,
    peak_rss_mb,
    percentile,
    plan_files,
    run_child,
    settings_for,
)

MODULE = "benchmarks.bench_scale"
# The catalogue's SQLAlchemy URL (--database-url): None is SQLite under the scratch data dir.
DATABASE_URL: str | None = None
DEFAULT_SIZES = (4, 40, 400, 4000)
_SUFFIXES = ("新区", "景区", "市", "县", "区")
# Region labels that are ordinary words rather than names (every city has a 开发区): left as they are.
_GENERIC_REGIONS = {"开发区", "市开发区", "合计", "全市"}
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_DIGITS = re.compile(r"\d")


# ---- the synthetic corpus -------------------------------------------------------------------------


def name_pool(texts: Sequence[str]) -> list[str]:
    """Characters for made-up place names: the rare mountain-radical block, minus any the corpus uses."""
    used = set("".join(texts))
    return [chr(c) for c in range(0x5C72, 0x5E00) if chr(c) not in used]


def base_name(region: str) -> str:
    """A region name without its administrative suffix (青川市 -> 青川), if two characters remain."""
    for suffix in _SUFFIXES:
        if region.endswith(suffix) and len(region) - len(suffix) >= 2:
            return region[: -len(suffix)]
    return region


class NameMaker:
    """Unique made-up names of a given length, drawn from a character pool with a fixed seed."""

    def __init__(self, pool: list[str], reserved: set[str], seed: int = 7) -> None:
        self.pool = pool
        self.used = set(reserved)
        self.rng = random.Random(seed)

    def make(self, length: int) -> str:
        """A name of ``length`` characters never returned before."""
        for _ in range(10_000):
            name = "".join(self.rng.choice(self.pool) for _ in range(length))
            if name not in self.used:
                self.used.add(name)
                return name
        msg = f"name pool exhausted for length {length}"
        raise RuntimeError(msg)


def _is_year(s: str) -> bool:
    return bool(re.fullmatch(r"(19|20)\d{2}", s))


def perturb_numbers(text: str, rng: random.Random) -> str:
    """Change the last digit of the numbers of running text; lengths stay the same.

    Kept as they are: years, structure markers (``1.`` ``（2）`` ``3、``), page numbers, and table
    lines (three or more numbers, or a cell alone on its line) so annex tables still add up to their
    合计 row and keep their target rows.
    """

    def changer(line: str) -> Callable[[re.Match[str]], str]:
        return lambda m: change(m, line)

    def change(m: re.Match[str], line: str) -> str:
        s = m.group(0)
        before = line[m.start() - 1] if m.start() > 0 else ""
        after = line[m.end()] if m.end() < len(line) else ""
        if _is_year(s) or after in ".．、)）" or before in "（(":
            return s
        new = (int(s[-1]) + rng.randint(1, 9)) % 10
        if len(s) == 1 and new == 0:
            new = 1
        return s[:-1] + str(new)

    lines = text.split("\n")
    for i, line in enumerate(lines):
        numbers = [n for n in _NUMBER.findall(line) if not _is_year(n)]
        if not numbers or len(numbers) >= 3 or len(re.sub(r"[\d.\s%％—\-－]", "", line)) < 4:
            continue
        lines[i] = _NUMBER.sub(changer(line), line)
    return "\n".join(lines)


def make_copy(text: str, names: dict[str, str], seed: int) -> str:
    """``text`` with each old name replaced by its new one (longest first) and numbers perturbed."""
    if names:
        pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
        text = pattern.sub(lambda m: names[m.group(0)], text)
    return perturb_numbers(text, random.Random(seed))


def source_regions(data_dir: Path) -> dict[str, list[str]]:
    """Region names (and their bases) of each stored document: metadata region plus target-row regions."""
    from assistant.catalogue import Catalogue

    store = Catalogue(_settings(data_dir).database_url)
    out_: dict[str, list[str]] = {}
    for doc in store.documents():
        regions = {doc.meta.region} | {t.region for t in store.targets(doc_id=doc.doc_id)}
        names: set[str] = set()
        for r in regions:
            r = r.strip()
            if not r or r in _GENERIC_REGIONS:
                continue
            names.add(base_name(r))
        out_[doc.source] = sorted(names, key=len, reverse=True)
    return out_


def build_corpus(folder: Path, n_copies: int, regions: dict[str, list[str]], start: int = 0) -> list[dict[str, Any]]:
    """Write copies ``start``..``n_copies-1`` into ``folder``; return each copy's file and name map."""
    plans = plan_files()
    texts = {p.name: p.read_text(encoding="utf-8") for p in plans}
    pool = name_pool(list(texts.values()))
    maker = NameMaker(pool, reserved=set())
    manifest: list[dict[str, Any]] = []
    for k in range(n_copies):
        src = plans[k % len(plans)]
        names = {old: maker.make(len(old)) for old in regions.get(src.name, [])}
        if k < start:
            continue
        path = folder / f"copy_{k:05d}_{src.stem[:3]}.txt"
        path.write_text(make_copy(texts[src.name], names, seed=k), encoding="utf-8")
        manifest.append({"path": str(path), "source": src.name, "names": names})
    return manifest


# ---- vectors of copies ----------------------------------------------------------------------------


class SourceVectorEmbeddings(Embeddings):
    """Copies' vectors from their source chunks: a text is keyed with digits dropped and names mapped back.

    Set :attr:`inverse` (made-up name -> original name) before each copy is ingested. A text whose
    key no source chunk has is embedded by ``inner`` (counted in :attr:`misses`).
    """

    def __init__(self, inner: Embeddings) -> None:
        self.inner = inner
        self.table: dict[str, list[float]] = {}
        self.inverse: dict[str, str] = {}
        self._pattern: re.Pattern[str] | None = None
        self.hits = 0
        self.misses = 0

    def set_names(self, inverse: dict[str, str]) -> None:
        """The name map of the copy about to be ingested."""
        self.inverse = inverse
        keys = sorted(inverse, key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(k) for k in keys)) if keys else None

    def key(self, text: str) -> str:
        """``text`` with the current copy's names mapped back and every digit dropped."""
        if self._pattern is not None:
            text = self._pattern.sub(lambda m: self.inverse[m.group(0)], text)
        return _DIGITS.sub("", text)

    def add_sources(self, texts: list[str], vectors: list[list[float]]) -> None:
        """Register source chunks' index texts and vectors."""
        saved, self._pattern = self._pattern, None
        for t, v in zip(texts, vectors, strict=True):
            self.table.setdefault(self.key(t), list(v))
        self._pattern = saved

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Source vectors where the key is known; the real embedder for the rest."""
        keys = [self.key(t) for t in texts]
        missing = [i for i, k in enumerate(keys) if k not in self.table]
        if missing:
            vectors = self.inner.embed_documents([texts[i] for i in missing])
            for i, v in zip(missing, vectors, strict=True):
                self.table[keys[i]] = v
        self.misses += len(missing)
        self.hits += len(texts) - len(missing)
        return [self.table[k] for k in keys]

    def embed_query(self, text: str) -> list[float]:
        """Queries always go to the real embedder."""
        return self.inner.embed_query(text)


def _settings(data_dir: Path) -> Settings:
    """The scratch store's settings, on the catalogue of --database-url when one is given."""
    return settings_for(data_dir, **({"database_url": DATABASE_URL} if DATABASE_URL else {}))


def _db_args() -> list[str]:
    """The --database-url argument a child step needs to open the same catalogue."""
    return ["--database-url", DATABASE_URL] if DATABASE_URL else []


# ---- child steps --------------------------------------------------------------------------------


def child_ingest(data_dir: Path, manifest_path: Path, reuse: bool) -> dict[str, Any]:
    """Ingest the files of a manifest into ``data_dir``; with ``reuse``, copies take source vectors."""
    t_start = time.perf_counter()
    from assistant.library import Library

    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    library = Library(_settings(data_dir))
    dense = library.dense
    wrapper: SourceVectorEmbeddings | None = None
    if reuse:
        wrapper = SourceVectorEmbeddings(dense.embeddings)
        originals = {p.stem for p in plan_files()}
        got = dense.collection.get(where={"doc_id": {"$in": sorted(originals)}}, include=["documents", "embeddings"])
        wrapper.add_sources(list(got["documents"]), [list(map(float, v)) for v in got["embeddings"]])
        dense.embeddings = wrapper
    t0 = time.perf_counter()
    statuses: dict[str, int] = {}
    chunks = targets = 0
    for item in manifest:
        if wrapper is not None:
            wrapper.set_names({new: old for old, new in item["names"].items()})
        result = library.ingest_file(Path(item["path"]))
        statuses[result.status] = statuses.get(result.status, 0) + 1
        chunks += result.n_chunks
        targets += result.n_targets
    library.reconcile()
    ingest_s = time.perf_counter() - t0
    return {
        "ingest_s": ingest_s,
        "statuses": statuses,
        "chunks": chunks,
        "targets": targets,
        "reused_vectors": wrapper.hits if wrapper else 0,
        "embedded_vectors": wrapper.misses if wrapper else chunks,
        "peak_rss_mb": peak_rss_mb(),
        "cpu_s": cpu_seconds(),
        "process_s": time.perf_counter() - t_start,
    }


def child_ask(data_dir: Path, rounds: int) -> dict[str, Any]:
    """Warm-up cost, ask latency over the shipped questions and memory, at this store's size."""
    from assistant.service import Assistant
    from benchmarks.bench_ask import time_questions
    from benchmarks.common import rss_mb

    t_start = time.perf_counter()
    assistant = Assistant(_settings(data_dir))
    rss_open = rss_mb()
    t0 = time.perf_counter()
    assistant.warm_up()
    warm_s = time.perf_counter() - t0
    rss_warm = rss_mb()
    embeddings = assistant.library.dense.embeddings

    def forget_queries() -> None:
        cache = getattr(embeddings, "_query_cache", None)
        if cache is not None:
            cache.clear()

    lat = time_questions(lambda q: assistant.ask(q), rounds, forget_queries)
    store = assistant.library.catalogue
    return {
        "latency": lat,
        "warm_up_s": warm_s,
        "rss_open_mb": rss_open,
        "rss_warm_mb": rss_warm,
        "rss_end_mb": rss_mb(),
        "peak_rss_mb": peak_rss_mb(),
        "docs": store.count_documents(),
        "chunks": len(store.chunk_ids()),
        "targets": len(assistant._get_answerer().rows),
        "process_s": time.perf_counter() - t_start,
    }


# ---- the benchmark ------------------------------------------------------------------------------


def run(
    scratch: Path,
    sizes: Sequence[int] = DEFAULT_SIZES,
    base_dir: Path | None = None,
    real_embed_upto: int = 40,
    rounds: int = 1,
) -> tuple[list[Table], dict[str, Any]]:
    """Grow the corpus through ``sizes`` in one store under ``scratch``; measure each size."""
    data_dir = scratch / "data"
    corpus = scratch / "corpus"
    shutil.rmtree(data_dir, ignore_errors=True)
    shutil.rmtree(corpus, ignore_errors=True)
    corpus.mkdir(parents=True)
    plans = plan_files()
    rows: list[dict[str, Any]] = []
    if base_dir is not None and (base_dir / "store.sqlite").exists():
        shutil.copytree(base_dir, data_dir, ignore=shutil.ignore_patterns("*.log"))
        base = {"ingest_s": None, "note": "copied from the ingestion benchmark's cold store"}
    else:
        manifest = [{"path": str(p), "source": p.name, "names": {}} for p in plans]
        (scratch / "manifest_0.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
        base, _ = run_child(MODULE, ["--child-ingest", str(data_dir), str(scratch / "manifest_0.json"), *_db_args()])
    regions = source_regions(data_dir)
    have = len(plans)
    total_ingest = 0.0
    for size in sorted(sizes):
        step: dict[str, Any] = {"size": size}
        if size > have:
            n_copies = size - len(plans)
            manifest = build_corpus(corpus, n_copies, regions, start=have - len(plans))
            mpath = scratch / f"manifest_{size}.json"
            mpath.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
            reuse = size > real_embed_upto
            out(
                f"scale: ingesting {len(manifest)} copies to reach {size} documents "
                f"({'source vectors reused' if reuse else 'model embeddings'})"
            )
            ing, wall = run_child(
                MODULE,
                ["--child-ingest", str(data_dir), str(mpath), *_db_args()] + (["--reuse"] if reuse else []),
                timeout=6 * 3600,
            )
            step.update({"ingest": ing, "ingest_wall_s": wall, "added": len(manifest), "reuse": reuse})
            total_ingest += ing["ingest_s"]
            have = size
        else:
            step.update({"ingest": base, "added": len(plans), "reuse": False})
        step["total_ingest_s"] = total_ingest
        step["disk_mb"] = dir_size_mb(data_dir)
        out(f"scale: asking at {size} documents")
        try:
            ask, _ = run_child(
                MODULE, ["--child-ask", str(data_dir), "--rounds", str(rounds), *_db_args()], timeout=6 * 3600
            )
        except RuntimeError as e:
            # A failure at one size is a finding: keep the sizes measured so far and say what broke.
            out(f"  {size} docs: ask step FAILED: {str(e)[-300:]}")
            step["error"] = str(e)[-2000:]
            rows.append(step)
            (scratch / "steps.json").write_text(json.dumps(rows, ensure_ascii=False, default=str), encoding="utf-8")
            break
        step["ask"] = ask
        rows.append(step)
        (scratch / "steps.json").write_text(json.dumps(rows, ensure_ascii=False, default=str), encoding="utf-8")
        out(
            f"  {size} docs: p50 {percentile([x for v in ask['latency'].values() for x in v], 50):.0f} ms, "
            f"RSS {ask['rss_end_mb']:.0f} MiB, disk {step['disk_mb']:.0f} MiB"
        )
    return [_table(rows, real_embed_upto)], {"steps": rows}


def _table(rows: list[dict[str, Any]], real_embed_upto: int) -> Table:
    t = Table(
        "Scale: synthetic corpus grown from the shipped plans",
        [
            "documents",
            "chunks",
            "target rows",
            "vectors",
            "ingest s (this step)",
            "docs/s",
            "ingest peak RSS MiB",
            "store on disk MiB",
            "warm-up s (BM25 + answer index)",
            "ask p50 ms",
            "ask p95 ms",
            "numeric p50 ms",
            "explanation p50 ms",
            "RSS warm MiB",
            "RSS after asks MiB",
        ],
    )
    goals = []
    for r in rows:
        if "ask" not in r:
            t.notes.append(f"{r['size']:,} documents: the ask step failed: {r.get('error', '')[-300:]}")
            continue
        ing, ask = r["ingest"], r["ask"]
        every = [x for v in ask["latency"].values() for x in v]
        step_s = ing.get("ingest_s") if isinstance(ing, dict) else None
        vectors = "reused from sources" if r.get("reuse") else "model"
        if r["size"] <= 4:
            vectors = "model (ingestion benchmark)" if step_s is None else "model"
        t.rows.append(
            [
                ask["docs"],
                ask["chunks"],
                ask["targets"],
                vectors,
                step_s,
                (r["added"] / step_s) if step_s else None,
                ing.get("peak_rss_mb") if isinstance(ing, dict) else None,
                r["disk_mb"],
                ask["warm_up_s"],
                percentile(every, 50),
                percentile(every, 95),
                percentile(ask["latency"].get("numeric", []), 50),
                percentile(ask["latency"].get("explanation", []), 50),
                ask["rss_warm_mb"],
                ask["rss_end_mb"],
            ]
        )
        p50 = percentile(every, 50)
        if r["size"] == 4:
            goals.append(f"p50 < 100 ms at 4 documents: {'holds' if p50 < 100 else 'does not hold'} ({p50:.0f} ms)")
        if r["size"] >= 4000:
            goals.append(
                f"p50 < 300 ms at {r['size']:,} documents: {'holds' if p50 < 300 else 'does not hold'} ({p50:.0f} ms)"
            )
    t.notes.append(
        f"Copies up to {real_embed_upto} documents are embedded by the model; above that each copy's vectors are its "
        "source chunks' vectors (those rows measure the index, the catalogue and the answer layer, not the model)."
    )
    t.notes.append(
        "Ask latency: every numeric, comparison and explanation question of the shipped dataset, warm, extractive, in "
        "a fresh process per size; the questions name the original plans' regions, the copies are distractors. "
        "Warm-up includes rebuilding BM25 over every chunk (it happens once after each ingest)."
    )
    t.notes.extend(goals)
    if DATABASE_URL:
        t.notes.append(f"Catalogue: {DATABASE_URL.split('://')[0]} (--database-url), not SQLite.")
    t.notes.append("No reference column: the reference pipeline would have to embed every copy (no vector reuse).")
    return t


def main() -> int:
    """Entry point: the benchmark, or one of its child steps."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="comma-separated corpus sizes")
    parser.add_argument("--quick", action="store_true", help="sizes 4,40 and model embedding only up to 4")
    parser.add_argument("--real-embed-upto", type=int, default=40, help="embed copies with the model up to this size")
    parser.add_argument("--scratch", type=Path)
    parser.add_argument("--base-dir", type=Path, help="a store holding the four plans to start from")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument(
        "--database-url", help="catalogue URL (e.g. postgresql+psycopg://…/db); default SQLite in the scratch dir"
    )
    parser.add_argument("--child-ingest", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-ask", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--reuse", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("manifest", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    global DATABASE_URL
    DATABASE_URL = args.database_url
    if args.child_ingest:
        emit(child_ingest(args.child_ingest, args.manifest, args.reuse))
        return 0
    if args.child_ask:
        emit(child_ask(args.child_ask, args.rounds))
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    real = args.real_embed_upto
    if args.quick:
        sizes, real = [s for s in sizes if s <= 40] or [4, 40], min(real, 4)
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="pa-bench-scale-"))
    scratch.mkdir(parents=True, exist_ok=True)
    tables, _ = run(scratch, sizes, args.base_dir, real, args.rounds)
    for t in tables:
        out(t.markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())

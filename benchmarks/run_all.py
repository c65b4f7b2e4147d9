"""Run every benchmark and write ``benchmarks/results/latest.md`` (tables) and ``latest.json`` (raw figures).

    .venv/bin/python -m benchmarks.run_all                 # ingest, ask, server, scale at 4/40/400/4000, ocr
    .venv/bin/python -m benchmarks.run_all --quick         # a few minutes: fewer rounds, scale 4/40
    .venv/bin/python -m benchmarks.run_all --sizes 4,40,400 --only scale

The figures depend on the machine and on what else runs on it: the header of the file records the
cores, CPU model, memory and load average at the start of the run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import bench_ask, bench_hostile, bench_ingest, bench_ocr, bench_scale
from benchmarks.common import RESULTS, Table, machine, out

PARTS = ("ingest", "ask", "server", "scale", "ocr", "hostile")


def header(info: dict[str, Any], args: argparse.Namespace, elapsed: float) -> str:
    """The Markdown header: what ran, on which machine."""
    return "\n".join(
        [
            "# Policy Assistant benchmarks",
            "",
            f"Run {info['date']} at commit `{info['commit']}` (`python -m benchmarks.run_all"
            + (" --quick" if args.quick else "")
            + (f" --sizes {args.sizes}" if args.sizes else "")
            + (f" --only '{args.only}'" if args.only is not None else "")
            + f"`), {elapsed / 60:.1f} min.",
            "",
            f"Machine: {info['nproc']} cores (`nproc`), CPU `{info['cpu']}`, memory {info['mem_total']} (`free -h`), "
            f"load average at start {info['loadavg'] if not args.include else 'of each run: see its date'} "
            "(the cores are shared with other work: wall times include "
            f"waiting for a core; CPU seconds are given where they matter), Python {info['python']}.",
            "",
            *(
                [f"Tables gathered from separate runs: {', '.join(map(str, args.include))}.", ""]
                if args.include
                else []
            ),
        ]
    )


def main() -> int:
    """Run the benchmarks, print the tables, write the results files."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="short run: one round, short server runs, scale 4/40")
    parser.add_argument("--sizes", help="scale sizes, comma-separated (default 4,40,400,4000; quick 4,40)")
    parser.add_argument("--real-embed-upto", type=int, help="scale: embed copies with the model up to this size")
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(PARTS)}")
    parser.add_argument("--scratch", type=Path, help="folder for scratch stores (kept); default a temp folder")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where latest.md and latest.json go")
    parser.add_argument(
        "--include",
        type=Path,
        action="append",
        default=[],
        help="latest.json of another run (e.g. a long scale run) whose tables are appended, marked as such",
    )
    args = parser.parse_args()

    # --only "" runs nothing: useful with --include to gather the tables of separate runs into one file.
    parts = [p.strip() for p in args.only.split(",") if p.strip()] if args.only is not None else list(PARTS)
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s) {sorted(unknown)}; choose from {PARTS}")
    info = machine()
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="pa-bench-"))
    scratch.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    tables: list[Table] = []
    raw: dict[str, Any] = {"machine": info}
    ingest_dir = scratch / "ingest"
    cold = ingest_dir / "cold"
    reference_json = ingest_dir / "reference.json"
    try:
        if "ingest" in parts:
            out("== ingestion")
            ingest_dir.mkdir(parents=True, exist_ok=True)
            t, raw["ingest"] = bench_ingest.run(ingest_dir, quick=args.quick)
            tables.extend(t)
        if "ask" in parts or "server" in parts:
            out("== ask and server")
            t, raw["ask"] = bench_ask.run(
                cold, reference_json if reference_json.is_file() else None, quick=args.quick, server="server" in parts
            )
            tables.extend(t if "ask" in parts else t[1:])
        if "scale" in parts:
            out("== scale")
            sizes = (
                [int(s) for s in args.sizes.split(",")]
                if args.sizes
                else ([4, 40] if args.quick else list(bench_scale.DEFAULT_SIZES))
            )
            real = args.real_embed_upto if args.real_embed_upto is not None else (4 if args.quick else 40)
            t, raw["scale"] = bench_scale.run(
                scratch / "scale", sizes, cold if (cold / "store.sqlite").exists() else None, real
            )
            tables.extend(t)
        if "hostile" in parts:
            out("== hostile uploads")
            t, raw["hostile"] = bench_hostile.run(scratch / "hostile")
            tables.extend(t)
        if "ocr" in parts:
            out("== OCR")
            t, raw["ocr"] = bench_ocr.run(scratch / "ocr", quick=args.quick)
            tables.extend(t)
    finally:
        for path in args.include:
            other = json.loads(path.read_text(encoding="utf-8"))
            when = other.get("machine", {}).get("date", "?")
            when += f", load average at start {other.get('machine', {}).get('loadavg', '?')}"
            for t in other.get("tables", []):
                notes = [*t["notes"], f"From a separate run ({path}, {when}, same machine)."]
                tables.append(Table(t["title"], t["columns"], t["rows"], notes))
            raw.setdefault("included", []).append(other)
        elapsed = time.perf_counter() - t0
        text = header(info, args, elapsed) + "\n" + "\n".join(t.markdown() for t in tables)
        args.output.mkdir(parents=True, exist_ok=True)
        (args.output / "latest.md").write_text(text, encoding="utf-8")
        raw["tables"] = [t.as_dict() for t in tables]
        (args.output / "latest.json").write_text(
            json.dumps(raw, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
        )
        out()
        out(text)
        out(f"written: {args.output / 'latest.md'}, {args.output / 'latest.json'}")
        if args.scratch is None:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

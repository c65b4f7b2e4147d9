"""Compare two evaluation runs answer by answer: did a change alter what the product says?

``policy-assistant eval`` writes ``items.jsonl``: one line per dataset item with its score and the
whole answer object. A refactoring must leave every answer as it was; this tool lists each item
whose answer differs (text, status, citations with their quotes, documents, sections and target
ids, target rows, suggestions, resolved question, notes) or whose score differs, ignoring the
timings. Exit code 0 when nothing differs, 1 otherwise, 2 for unreadable input::

    python -m evals.behaviour_diff BEFORE/items.jsonl AFTER/items.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

# Timings change from run to run; everything else must not.
IGNORED = frozenset({"latency_ms"})


def load_items(path: Path) -> dict[str, dict[str, Any]]:
    """The items of an ``items.jsonl`` by id (a later duplicate id replaces an earlier one)."""
    items: dict[str, dict[str, Any]] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as e:
            msg = f"{path}:{n}: not JSON ({e})"
            raise ValueError(msg) from e
        if not isinstance(item, dict) or "id" not in item:
            msg = f"{path}:{n}: an item needs an 'id'"
            raise ValueError(msg)
        items[str(item["id"])] = item
    return items


def _strip(value: Any, ignored: frozenset[str]) -> Any:
    """``value`` without the ignored keys, at any depth."""
    if isinstance(value, Mapping):
        return {k: _strip(v, ignored) for k, v in value.items() if k not in ignored}
    if isinstance(value, list):
        return [_strip(v, ignored) for v in value]
    return value


def differences(before: Any, after: Any, path: str = "") -> list[str]:
    """Readable paths where two JSON values differ (``answer.citations[0].quote: 'a' -> 'b'``)."""
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        out: list[str] = []
        for key in sorted(set(before) | set(after)):
            where = f"{path}.{key}" if path else str(key)
            if key not in before:
                out.append(f"{where}: (absent) -> {_short(after[key])}")
            elif key not in after:
                out.append(f"{where}: {_short(before[key])} -> (absent)")
            else:
                out.extend(differences(before[key], after[key], where))
        return out
    if isinstance(before, list) and isinstance(after, list):
        if len(before) != len(after):
            return [f"{path}: {len(before)} entries -> {len(after)} entries"]
        pairs = enumerate(zip(before, after, strict=True))
        return [d for i, (b, a) in pairs for d in differences(b, a, f"{path}[{i}]")]
    return [] if before == after else [f"{path}: {_short(before)} -> {_short(after)}"]


def _short(value: Any, limit: int = 120) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def compare(
    before: Mapping[str, Mapping[str, Any]],
    after: Mapping[str, Mapping[str, Any]],
    ignored: frozenset[str] = IGNORED,
) -> dict[str, list[str]]:
    """Item id -> what differs, for every item that differs or is in only one run."""
    report: dict[str, list[str]] = {}
    for item_id in sorted(set(before) | set(after)):
        if item_id not in after:
            report[item_id] = ["only in BEFORE"]
        elif item_id not in before:
            report[item_id] = ["only in AFTER"]
        else:
            found = differences(_strip(before[item_id], ignored), _strip(after[item_id], ignored))
            if found:
                report[item_id] = found
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: print the differing items; exit 1 if any."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("before", type=Path, help="items.jsonl of the run before the change")
    parser.add_argument("after", type=Path, help="items.jsonl of the run after the change")
    parser.add_argument(
        "--ignore", action="append", default=[], metavar="KEY", help="another key to ignore (repeatable)"
    )
    args = parser.parse_args(argv)
    try:
        before, after = load_items(args.before), load_items(args.after)
    except (OSError, ValueError) as e:
        sys.stderr.write(f"{e}\n")
        return 2
    report = compare(before, after, IGNORED | frozenset(args.ignore))
    for item_id, found in report.items():
        sys.stdout.write(f"{item_id}\n")
        for line in found[:20]:
            sys.stdout.write(f"    {line}\n")
        if len(found) > 20:
            sys.stdout.write(f"    … and {len(found) - 20} more\n")
    n = len(set(before) | set(after))
    sys.stdout.write(f"{n} items compared, {len(report)} differ.\n")
    return 1 if report else 0


if __name__ == "__main__":
    raise SystemExit(main())

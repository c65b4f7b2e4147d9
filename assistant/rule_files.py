"""The answer layer's wording lists (``assistant/rules/*.toml``): one reader for every file.

Each module that reads a list keeps its own typed view of it (``mentions``, ``replies``, ``national``);
this module only reads a file, with the same error as the ingestion rules when it cannot, and orders
words longest first where one may contain another.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ingestion.text.errors import ConfigurationError

RULES_DIR = Path(__file__).parent / "rules"


def read_rules(name: str) -> dict[str, Any]:
    """The parsed TOML file ``name`` of ``assistant/rules``."""
    path = RULES_DIR / name
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        msg = f"Cannot read the wording rules in {path} ({e}); fix the file or restore the shipped one."
        raise ConfigurationError(msg) from e


def longest_first(words: Iterable[str]) -> tuple[str, ...]:
    """``words`` longest first, so a phrase is matched before the shorter phrases it contains."""
    return tuple(sorted(words, key=len, reverse=True))

"""Normal forms for matching Chinese plan text: NFKC, unified dashes, whitespace squashed.

Quotes always keep the original text; these forms are only for comparing and searching. Examples:
``nfkc("３．５％")`` -> ``"3.5%"``; ``normalize("20—35名")`` -> ``"20-35名"``;
``squash("每万人口 全科医生数")`` -> ``"每万人口全科医生数"``.
"""

from __future__ import annotations

import re
import unicodedata

# Dashes and tildes that separate the two ends of a range (20—35名, 1‰～1.5‰).
DASHES = "—–―‐‑‒−~〜～﹣－"
_WHITESPACE = re.compile(r"\s+")


def nfkc(text: str) -> str:
    """NFKC-normalise for matching (full-width digits, letters and punctuation folded)."""
    return unicodedata.normalize("NFKC", text)


def normalize(text: str) -> str:
    """NFKC plus dash unification, for matching only (quotes keep the original text).

    Dashes and tildes become "-", and so does 至 between two numbers (``3至5名`` -> ``3-5名``).
    """
    t = nfkc(text)
    t = re.sub(f"[{re.escape(DASHES)}]+", "-", t)
    return re.sub(r"(?<=\d)\s*至\s*(?=\d)", "-", t)


def remove_spaces(text: str) -> str:
    """``text`` without any whitespace (ideographic spaces included), otherwise unchanged."""
    return _WHITESPACE.sub("", text)


def squash(text: str, drop: str = "") -> str:
    """NFKC, then every whitespace character and every character of ``drop`` removed.

    ``squash("《某市 方案》", drop="《》")`` -> ``"某市方案"``: the form in which titles and quotes
    that were re-typed or re-wrapped are compared.
    """
    pattern = rf"[\s{re.escape(drop)}]" if drop else r"\s"
    return re.sub(pattern, "", nfkc(text))

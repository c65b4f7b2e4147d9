"""Reviewed corrections of extracted target rows that survive re-ingestion.

One JSON file per document, ``<overrides_dir>/<doc_id>.json``, kept under version control::

    {
      "delete": [{"indicator": "…", "year": "2023", "value_text": "30个以上"}],
      "update": [{"match": {"indicator": "…", "region": "某县"}, "set": {"scope": "乡镇卫生院"}}],
      "add": [{"indicator": "…", "value": 4, "unit": "名", "value_text": "4名", "year": "2025",
               "region": "某市", "quote": "…每万人口全科医生数达4名…"}]
    }

Rows are matched by field values, not by ids, because ids may shift when the text changes. An
added row must quote the document verbatim: its offsets are found in the cleaned text, and a row
whose quote is not there is refused with a warning (a number must stand in its source).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from ingestion.schema import ParsedDocument, Target
from ingestion.text.errors import IngestError


class RowUpdate(BaseModel):
    """Fields to set on every row that matches."""

    match: dict[str, Any]
    set: dict[str, Any]


class Overrides(BaseModel):
    """A document's reviewed corrections."""

    delete: list[dict[str, Any]] = Field(default_factory=list)
    update: list[RowUpdate] = Field(default_factory=list)
    add: list[dict[str, Any]] = Field(default_factory=list)


def overrides_path(overrides_dir: Path, doc_id: str) -> Path:
    """Where the overrides of ``doc_id`` live."""
    return overrides_dir / f"{doc_id}.json"


def load_overrides(path: Path) -> Overrides | None:
    """Read an overrides file; None when there is none. Raises IngestError on a malformed file."""
    if not path.is_file():
        return None
    try:
        return Overrides.model_validate_json(path.read_text(encoding="utf-8"))
    except (ValidationError, UnicodeDecodeError, OSError) as e:
        msg = f"修订文件 {path} 格式有误，请按 README 中的格式修改后重新入库：{e}"
        raise IngestError(msg) from e


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes, or "" when it does not exist (part of a document's fingerprint)."""
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def _matches(row: Target, match: dict[str, Any]) -> bool:
    data = row.model_dump()
    return all(key in data and data[key] == value for key, value in match.items())


def apply_overrides(doc: ParsedDocument, overrides: Overrides) -> list[str]:
    """Apply ``overrides`` to ``doc.targets`` in place; return warnings for rules that matched nothing."""
    warnings: list[str] = []
    rows = list(doc.targets)
    for rule in overrides.delete:
        kept = [r for r in rows if not _matches(r, rule)]
        if len(kept) == len(rows):
            warnings.append(f"修订：删除规则 {json.dumps(rule, ensure_ascii=False)} 未匹配任何指标行")
        rows = kept
    for upd in overrides.update:
        hit = False
        for i, r in enumerate(rows):
            if _matches(r, upd.match):
                rows[i] = Target.model_validate({**r.model_dump(), **upd.set, "origin": "override"})
                hit = True
        if not hit:
            warnings.append(f"修订：更新规则 {json.dumps(upd.match, ensure_ascii=False)} 未匹配任何指标行")
    for n, extra in enumerate(overrides.add):
        quote = str(extra.get("quote", ""))
        start = doc.text.find(quote) if quote else -1
        if start < 0:
            warnings.append(f"修订：新增第 {n + 1} 行的引文在文中找不到，未采用（数字必须有原文出处）")
            continue
        data = {
            "doc_id": doc.doc_id,
            "source": doc.source,
            "title": doc.meta.title,
            **extra,
            "start": start,
            "end": start + len(quote),
            "origin": "override",
        }
        data.setdefault("target_id", f"{doc.doc_id}:o{n}")
        try:
            rows.append(Target.model_validate(data))
        except ValidationError as e:
            warnings.append(f"修订：新增第 {n + 1} 行字段有误，未采用：{e.errors()[0]['msg']}")
    doc.targets = rows
    return warnings

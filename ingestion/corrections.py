"""A maintainer's corrections, kept beside the data and applied at every ingest.

- **Metadata sidecar**: ``<file name>.meta.json`` beside a plan; every non-empty field replaces what
  was read from the text (title, issuer, 文号, date, region, period, draft). ``policy-assistant meta
  FILE`` writes one to start from.
- **Target-row overrides**: reviewed corrections of extracted target rows that survive
  re-ingestion, one JSON file per document, ``<overrides_dir>/<doc_id>.json``, kept under version
  control::

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
import logging
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from ingestion.schema import DocumentMeta, ParsedDocument, Target
from ingestion.text.errors import IngestError, InvalidSidecarError

logger = logging.getLogger(__name__)


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


# ---- metadata sidecar -----------------------------------------------------------------------------

SIDECAR_SUFFIX = ".meta.json"


def sidecar_path(path: Path) -> Path:
    """Where the sidecar of a source file lives: ``plan.pdf`` -> ``plan.pdf.meta.json``.

    A path that already names a sidecar is returned as is, so callers may pass either.
    """
    path = Path(path)
    if path.name.endswith(SIDECAR_SUFFIX):
        return path
    return path.with_name(path.name + SIDECAR_SUFFIX)


def load_sidecar(path: Path) -> dict[str, Any]:
    """The maintainer's corrections for a source file, or {} when there is no sidecar.

    Unknown keys are ignored with a log line; a file that is not a JSON object raises.

    Raises:
        InvalidSidecarError: The sidecar exists but is not valid JSON or not an object.
    """
    side = sidecar_path(path)
    if not side.is_file():
        return {}
    try:
        data = json.loads(side.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        msg = f"元数据文件 {side.name} 不是有效的 JSON（{e}）：请修正或删除该文件后重新导入。"
        raise InvalidSidecarError(msg) from e
    if not isinstance(data, dict):
        msg = f"元数据文件 {side.name} 应是一个 JSON 对象（{{\"title\": \"…\"}}）：请修正后重新导入。"
        raise InvalidSidecarError(msg)
    known = set(DocumentMeta.model_fields)
    unknown = sorted(set(data) - known)
    if unknown:
        logger.warning("sidecar %s: ignoring unknown keys %s", side, unknown)
    return {k: v for k, v in data.items() if k in known}


def apply_sidecar(meta: DocumentMeta, path: Path) -> DocumentMeta:
    """Return ``meta`` with every non-empty field of the source file's sidecar overriding it.

    Raises:
        InvalidSidecarError: The sidecar is unreadable, or a value has the wrong type.
    """
    data = load_sidecar(path)
    updates = {k: v for k, v in data.items() if v is not None and v != ""}
    if not updates:
        return meta
    merged = meta.model_dump() | updates
    try:
        return DocumentMeta.model_validate(merged)
    except ValueError as e:
        msg = f"元数据文件 {sidecar_path(path).name} 中有字段类型不对（{e}）：请修正后重新导入。"
        raise InvalidSidecarError(msg) from e


def write_sidecar(path: Path, meta: DocumentMeta, overwrite: bool = False) -> Path:
    """Write ``meta`` as the sidecar of a source file so a maintainer can edit it; returns its path.

    An existing sidecar is kept (it holds a maintainer's corrections) unless ``overwrite`` is set.
    """
    side = sidecar_path(path)
    if side.exists() and not overwrite:
        return side
    side.write_text(json.dumps(meta.model_dump(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return side

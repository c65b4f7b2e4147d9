"""Reviewed corrections of target rows: applied on ingest, surviving a re-ingest (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.library import Library
from tests.conftest import make_settings

PLAN = """青禾市人民政府办公室关于印发基层卫生能力提升方案的通知

一、主要目标

到2025年底，全市每万人口全科医生数达4.5名，累计建成社区医院12个以上。乡镇卫生院建筑面积不低于2500平米。

二、保障措施

各县区要结合实际制定实施计划，到2025年底，全市家庭医生重点人群签约率达75%以上。
"""


def test_overrides_apply_and_survive_reingest(tmp_path: Path, database_url: str) -> None:
    settings = make_settings(tmp_path, database_url=database_url)
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN, encoding="utf-8")
    lib = Library(settings)
    result = lib.ingest([plan]).files[0]
    assert result.status == "added"
    rows = lib.catalogue.targets(doc_id=result.doc_id)
    by_indicator = {r.indicator: r for r in rows}
    doctor = next(r for r in rows if "全科医生" in r.indicator)
    area = next(r for r in rows if "建筑面积" in r.indicator)

    settings.overrides_dir.mkdir(parents=True)
    (settings.overrides_dir / f"{result.doc_id}.json").write_text(
        json.dumps(
            {
                "delete": [{"indicator": area.indicator}],
                "update": [{"match": {"indicator": doctor.indicator}, "set": {"scope": "基层医疗卫生机构"}}],
                "add": [
                    {"indicator": "签约率（重点人群，复核）", "value": 75, "unit": "%", "comparator": "≥",
                     "value_text": "75%以上", "year": "2025", "region": "青禾市",
                     "quote": "全市家庭医生重点人群签约率达75%以上"},
                    {"indicator": "捏造的指标", "value": 99, "unit": "%", "value_text": "99%", "quote": "原文没有这句"},
                ],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )

    def check() -> None:
        now = lib.catalogue.targets(doc_id=result.doc_id)
        names = {r.indicator for r in now}
        assert area.indicator not in names  # deleted
        fixed = next(r for r in now if r.indicator == doctor.indicator)
        assert fixed.scope == "基层医疗卫生机构" and fixed.origin == "override"
        added = next(r for r in now if r.indicator == "签约率（重点人群，复核）")
        text = lib.catalogue.document_text(result.doc_id)
        assert text[added.start : added.end] == added.quote
        assert "捏造的指标" not in names  # a row whose quote is not in the text is refused
        record = lib.catalogue.document(result.doc_id)
        assert any("引文在文中找不到" in w for w in record.warnings)

    # The overrides file is part of the fingerprint: re-ingesting applies it.
    assert lib.ingest([plan]).files[0].status == "updated"
    check()
    # A changed file keeps its corrections.
    plan.write_text(PLAN + "\n三、附则\n\n本方案自印发之日起施行。\n", encoding="utf-8")
    assert lib.ingest([plan]).files[0].status == "updated"
    check()
    assert by_indicator  # the plan produced rows in the first place

"""``policy-assistant ask --region`` contradicting the question's region prints which region was used."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.service import Assistant
from tests.assistant.test_cli import _cli
from tests.conftest import make_settings

pytestmark = pytest.mark.integration

PLAN = (
    "{county}基层卫生服务能力提升行动方案（2024—2026年）\n\n一、主要目标\n到2026年，每万人口全科医生数达到{gp}名以上。\n"
)


def test_ask_prints_the_region_note(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    for name, county, gp in (("q.txt", "青禾县", 4), ("b.txt", "白鹭县", 6)):  # made-up counties
        (plans / name).write_text(PLAN.format(county=county, gp=gp), encoding="utf-8")
    settings = make_settings(tmp_path)
    assert [r.status for r in Assistant(settings).ingest(sorted(plans.iterdir()))] == ["added", "added"]
    done = _cli(settings, "ask", "青禾县到2026年每万人口全科医生数要达到多少？", "--region", "白鹭县")
    assert done.returncode == 0, done.stderr
    assert "4名" in done.stdout and "6名" not in done.stdout
    assert "说明：问题中指明的地区是“青禾县”，与筛选条件中的地区“白鹭县”不一致" in done.stdout
    same = _cli(settings, "ask", "青禾县到2026年每万人口全科医生数要达到多少？", "--region", "青禾县")
    assert same.returncode == 0 and "说明：" not in same.stdout

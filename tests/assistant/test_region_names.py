"""Rows of a region asked by name (RowIndex.region_positions), on made-up rows."""

from __future__ import annotations

from assistant.lookup import RowIndex
from assistant.target_rows import MemoryRows
from ingestion.schema import Target


def row(tid: str, region: str) -> Target:
    return Target(
        target_id=tid,
        doc_id="a",
        region=region,
        indicator="村卫生所标准化率",
        value=90,
        unit="%",
        value_text="90%",
        comparator="≥",
        year="2030",
        quote="村卫生所标准化率90%以上",
        start=int(tid[1:]) * 10,
    )


ROWS = [row("t1", "青州"), row("t2", "青州湾"), row("t3", "青州开发区"), row("t4", "白石市青州区"), row("t5", "白石市")]


def test_a_name_another_place_name_starts_with_does_not_match_that_place() -> None:
    index = RowIndex(MemoryRows(ROWS))
    found = {index.keys[i].target_id for i in index.region_positions(["青州"])}
    # 青州湾 is another place; 青州开发区 is an area of 青州; 白石市青州区 names 青州 inside it.
    assert found == {"t1", "t3", "t4"}
    assert {index.keys[i].target_id for i in index.region_positions(["白石市"])} == {"t4", "t5"}

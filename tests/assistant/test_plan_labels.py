"""Labels that tell two plans of one region apart, on made-up titles and rows."""

from __future__ import annotations

from assistant.plan_labels import shared_region_labels, short_plan_name
from ingestion.schema import Target


def _row(doc_id: str, region: str) -> Target:
    return Target(doc_id=doc_id, region=region, indicator="签约率", value=80, unit="%", quote="签约率达到80%")


TITLES = {
    "a": "青禾市基层医疗机构“双达标”工程实施方案",
    "b": "关于进一步深化医药卫生体制改革推进卫生事业高质量发展的实施方案",
    "c": "白沙县乡村卫生服务能力提升三年行动方案（2024—2026年）",
}


def test_short_names_keep_a_quoted_name_or_cut_a_long_title_to_its_head_and_kind() -> None:
    assert short_plan_name(TITLES["a"], "青禾市") == "“双达标”工程实施方案"
    assert short_plan_name(TITLES["b"], "青禾市") == "深化医药卫生体制…实施方案"
    assert short_plan_name("青禾县签约服务实施方案（试行）", "青禾县") == "签约服务实施方案"


def test_only_a_region_with_rows_of_two_plans_gets_plan_labels() -> None:
    rows = [_row("a", "青禾市"), _row("b", "青禾市"), _row("c", "白沙县"), _row("a", "青禾市")]
    labels = shared_region_labels(rows, TITLES)
    assert labels == {
        ("a", "青禾市"): "青禾市（“双达标”工程实施方案）",
        ("b", "青禾市"): "青禾市（深化医药卫生体制…实施方案）",
    }
    assert shared_region_labels([_row("a", "青禾市"), _row("c", "白沙县")], TITLES) == {}


def test_plans_whose_short_names_coincide_are_labelled_by_their_full_titles() -> None:
    titles = {"x": "青禾市签约服务实施方案（试行）", "y": "青禾市签约服务实施方案（2026年）"}
    labels = shared_region_labels([_row("x", "青禾市"), _row("y", "青禾市")], titles)
    assert labels[("x", "青禾市")] == "青禾市（《青禾市签约服务实施方案（试行）》）"

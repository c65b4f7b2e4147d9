"""Row labels in answers: the scope in front of the indicator, its words said once (made-up rows)."""

from __future__ import annotations

import pytest

from assistant.messages import indicator_label
from ingestion.schema import Target


def _row(indicator: str, scope: str) -> Target:
    return Target(doc_id="d", indicator=indicator, scope=scope, value=1, quote="…")


@pytest.mark.parametrize(
    ("indicator", "scope", "label"),
    [
        ("签约率", "孕产妇", "孕产妇签约率"),  # a scope the indicator does not name goes in front
        ("孕产妇签约率", "孕产妇", "孕产妇签约率"),  # named already: once
        ("随访医生孕产妇签约率", "随访医生、孕产妇", "随访医生孕产妇签约率"),  # every listed subject named
        ("卫生室（服务站）达标率", "卫生室、服务站", "卫生室（服务站）达标率"),  # named in brackets
        ("孕产妇签约率", "随访医生、孕产妇", "随访医生、孕产妇孕产妇签约率"),  # a subject missing: scope kept whole
        ("达标率", "", "达标率"),
    ],
)
def test_scope_words_are_said_once(indicator: str, scope: str, label: str) -> None:
    assert indicator_label(_row(indicator, scope)) == label

"""``GET /v1/targets``: the ``total`` count, the ``X-Total-Count`` header and the CSV export for Excel."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.api.targets_csv import targets_csv
from assistant.service import Assistant
from ingestion.schema import Target

EXPECTED_HEADER = ["指标编号", "文件", "地区", "范围", "指标", "数值", "上限", "单位", "比较", "原文数值", "年份"]


@pytest.fixture(scope="module")
def small_client(small_assistant: Assistant) -> Iterator[TestClient]:
    """A client of an app over the small made-up plan."""
    with TestClient(create_app(small_assistant)) as c:
        yield c


def _read_csv(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 BOM to read Chinese"
    return list(csv.reader(io.StringIO(body[3:].decode("utf-8"), newline="")))


def test_json_pages_say_the_total(small_client: TestClient, small_assistant: Assistant) -> None:
    every = small_assistant.targets()
    assert len(every) >= 2, "the small plan states several targets"
    reply = small_client.get("/v1/targets", params={"limit": 1})
    body = reply.json()
    assert body["total"] == len(every)
    assert reply.headers["X-Total-Count"] == str(len(every))
    assert len(body["items"]) == 1 and body["next_offset"] == 1
    default = small_client.get("/v1/targets").json()
    assert default["limit"] == 100 and default["total"] == len(every) and default["next_offset"] is None


def test_total_follows_the_filters(small_client: TestClient, small_assistant: Assistant) -> None:
    narrowed = small_client.get("/v1/targets", params={"indicator": "全科医生"}).json()
    expected = small_assistant.targets(indicator="全科医生")
    assert expected, "the small plan names 全科医生"
    assert narrowed["total"] == len(expected) < len(small_assistant.targets())
    nothing = small_client.get("/v1/targets", params={"indicator": "不存在的指标词语"})
    assert nothing.json()["total"] == 0 and nothing.headers["X-Total-Count"] == "0"


def test_csv_opens_as_chinese_table_with_every_row(small_client: TestClient, small_assistant: Assistant) -> None:
    reply = small_client.get("/v1/targets", params={"format": "csv"})
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/csv")
    assert "attachment" in reply.headers["content-disposition"]
    every = small_assistant.targets()
    assert reply.headers["X-Total-Count"] == str(len(every))
    table = _read_csv(reply.content)
    assert table[0][: len(EXPECTED_HEADER)] == EXPECTED_HEADER
    rows = [dict(zip(table[0], line, strict=True)) for line in table[1:]]
    assert [r["指标编号"] for r in rows] == [t.target_id for t in every]
    for row, target in zip(rows, every, strict=True):
        assert row["原文"] == target.quote
        assert float(row["数值"]) == target.value
        assert row["文件"] == (target.title or target.doc_id)
    assert reply.content.count(b"\r\n") == len(every) + 1


def test_csv_honours_filters_and_limit(small_client: TestClient, small_assistant: Assistant) -> None:
    one = _read_csv(small_client.get("/v1/targets", params={"format": "csv", "limit": 1, "offset": 1}).content)
    assert [r[0] for r in one[1:]] == [small_assistant.targets()[1].target_id]
    filtered = _read_csv(small_client.get("/v1/targets", params={"format": "csv", "indicator": "全科医生"}).content)
    assert [r[0] for r in filtered[1:]] == [t.target_id for t in small_assistant.targets(indicator="全科医生")]


def test_unknown_format_is_refused(small_client: TestClient) -> None:
    reply = small_client.get("/v1/targets", params={"format": "xlsx"})
    assert reply.status_code == 422
    assert "error" in reply.json()


def test_csv_cells_never_run_as_formulas() -> None:
    row = Target(
        target_id="made_up:t1",
        doc_id="made_up",
        indicator="=HYPERLINK(\"http://example.invalid\")",
        value=-2.5,
        quote="@SUM(A1:A2) 某指标下降2.5个百分点",
        region="+某县",
    )
    table = list(csv.reader(io.StringIO(targets_csv([row])[1:], newline="")))
    cells = dict(zip(table[0], table[1], strict=True))
    assert cells["指标"].startswith("'=")
    assert cells["原文"].startswith("'@")
    assert cells["地区"] == "'+某县"
    assert cells["数值"] == "-2.5", "a negative number stays a number"
    assert cells["文件"] == "made_up", "the document id stands in for a missing title"

"""Open data: the downloads parse with the standard library and hold the seed's figures."""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import CONTENT
from htmlpage import page
from tracker.data import CSV_COLUMNS, data_files
from tracker.load import load_content
from tracker.model import Report
from tracker.validate import validate


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    return {p.path: p.text for p in data_files(validate(load_content(CONTENT)))}


def test_statements_csv_has_one_row_per_statement_with_the_seed_figures(files):
    rows = list(csv.DictReader(io.StringIO(files["data/statements.csv"])))
    assert list(rows[0]) == list(CSV_COLUMNS) and len(rows) == 54
    by_id = {r["id"]: r for r in rows}
    shenyang = by_id["shenyang-2025-1"]
    assert (shenyang["region_code"], shenyang["report_year"], shenyang["year"]) == ("210100", "2025", "2024")
    assert (shenyang["metric_value"], shenyang["metric_unit"], shenyang["metric_estimate"]) == ("45.9", "%", "false")
    beijing = by_id["beijing-2025-1"]
    assert (beijing["metric_value"], beijing["metric_unit"], beijing["metric_comparator"]) == ("3000", "亿元", "突破")
    assert beijing["metric_normalized"] == "300000000000"
    assert by_id["wuxi-2025-13"]["metric_value"] == "112" and by_id["shanxi-2025-5"]["metric_value"] == "92"
    assert by_id["shanxi-2025-1"]["status"] == "pending" and by_id["shenyang-2025-1"]["status"] == ""
    assert by_id["wuxi-2025-1"]["metric_value"] == "120; 4"  # several figures of one statement


def test_reports_json_holds_every_report_with_dates_and_statuses(files):
    reports = json.loads(files["data/reports.json"])
    assert [r["region"] for r in reports] == ["wuxi", "shenyang", "beijing", "guangdong", "shanghai", "liaoning",
                                              "shanxi"]
    guangdong = next(r for r in reports if r["region"] == "guangdong")
    assert guangdong["delivered"] == "2025-01-15" and guangdong["speaker"] == "王伟中"
    figure = guangdong["statements"][2]["metrics"][0]
    assert figure["value"] == {"text": "21", "value": 21.0} and figure["normalized"] == {"value": 21.0,
                                                                                          "unit": "percent"}
    assert set(reports[0]) == {f for f in Report.__dataclass_fields__ if f != "path"}


def test_regions_and_industries_json(files):
    regions = {r["slug"]: r for r in json.loads(files["data/regions.json"])}
    assert regions["wuxi"]["code"] == "320200" and regions["wuxi"]["parent"] == "jiangsu"
    industries = {i["slug"]: i for i in json.loads(files["data/industries.json"])}
    assert "芯片" in industries["integrated-circuits"]["synonyms"]


def test_data_page_documents_every_field_and_links_the_files(built_site):
    data = page(built_site, "data/")
    for name in ("reports.json", "statements.csv", "regions.json", "industries.json"):
        assert name in data.links  # the page is /data/: its files sit beside it
        assert (built_site / "data" / name).is_file()
    for text in ("speaker_title", "Their title that day as written", "metric_normalized", "reports_on"):
        assert text in data.text

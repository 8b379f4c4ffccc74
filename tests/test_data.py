"""Open data: the downloads parse with the standard library and hold the seed's figures."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CONTENT, ROOT, serving
from htmlpage import page
from tracker.data import CSV_COLUMNS, METRIC_COLUMNS, _json_list, data_files
from tracker.load import load_content
from tracker.model import Report
from tracker.validate import validate


@pytest.fixture(scope="module")
def corpus():
    return validate(load_content(CONTENT))


@pytest.fixture(scope="module")
def files(corpus) -> dict[str, str]:
    return {p.path: p.text for p in data_files(corpus)}


def test_statements_csv_has_one_row_per_statement_with_the_reports_figures(files, corpus):
    text = files["data/statements.csv"]
    assert text.startswith("\ufeffid,")  # a byte-order mark: spreadsheet programs read UTF-8
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert list(rows[0]) == list(CSV_COLUMNS) and len(rows) == len(corpus.statement)
    by_id = {r["id"]: r for r in rows}
    shenyang = by_id["shenyang-2025-1"]  # 「集成电路产业产值分别增长130%和45.9%」
    assert (shenyang["region_code"], shenyang["report_year"], shenyang["year"]) == ("210100", "2025", "2024")
    assert (shenyang["metric_value"], shenyang["metric_unit"], shenyang["metric_estimate"]) == ("45.9", "%", "false")
    beijing = by_id["beijing-2025-1"]  # 「人工智能核心产业规模突破3000亿元」
    assert (beijing["metric_value"], beijing["metric_unit"], beijing["metric_comparator"]) == ("3000", "亿元", "突破")
    assert beijing["metric_normalized"] == "300000000000"
    assert by_id["wuxi-2025-13"]["metric_value"] == "112" and by_id["shanxi-2025-5"]["metric_value"] == "92"
    # a target the 2026 report settles by its figure (55.1% against 50%以上); a result has no status
    assert by_id["shanxi-2025-33"]["status"] == "exceeded" and by_id["shenyang-2025-1"]["status"] == ""
    assert by_id["wuxi-2025-1"]["metric_value"] == "120; 4"  # several figures of one statement


def test_metrics_csv_has_one_row_per_figure_with_its_statements_context(files, corpus):
    text = files["data/metrics.csv"]
    assert text.startswith("\ufeffstatement_id,")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert list(rows[0]) == list(METRIC_COLUMNS)
    assert len(rows) == sum(len(s.metrics) for r in corpus.reports for s in r.statements)
    wuxi = [r for r in rows if r["statement_id"] == "wuxi-2025-1"]  # 「总规模120亿元的…4只政府性专项基金」
    assert [(r["value"], r["unit"], r["normalized_value"], r["normalized_unit"]) for r in wuxi] == [
        ("120", "亿元", "12000000000", "CNY"), ("4", "只", "4", "count")]
    assert wuxi[0]["source_url"] == "https://www.wuxi.gov.cn/doc/2025/01/16/4479508.shtml"
    exceeded = next(r for r in rows if r["statement_id"] == "shanxi-2025-33")
    assert exceeded["status"] == "exceeded" and exceeded["kind"] == "target"


def test_source_url_is_the_statements_own_source(files, corpus):
    """A statement taken from the second source links the second source's address."""
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(files["data/statements.csv"].removeprefix("\ufeff")))}
    for report in corpus.reports:
        for s in report.statements:
            assert rows[s.id]["source_url"] == (report.sources[(s.source or 1) - 1].url or "")
    assert all(rows[s.id]["source_url"] for r in corpus.reports for s in r.statements)


def test_reports_json_holds_every_report_with_dates_and_statuses(files, corpus):
    reports = json.loads(files["data/reports.json"])
    assert [(r["region"], r["year"]) for r in reports] == [(r.region, r.year) for r in corpus.reports_by_date]
    assert [r["delivered"] for r in reports] == sorted(r["delivered"] for r in reports)
    guangdong = next(r for r in reports if (r["region"], r["year"]) == ("guangdong", 2025))
    assert guangdong["delivered"] == "2025-01-15" and guangdong["speaker"] == "王伟中"
    figure = guangdong["statements"][2]["metrics"][0]  # 「集成电路产量增长21%、占全国18%」
    assert figure["value"] == {"text": "21", "value": 21.0} and figure["normalized"] == {"value": 21.0,
                                                                                          "unit": "percent"}
    assert set(reports[0]) == {f for f in Report.__dataclass_fields__ if f != "path"}
    shanxi_2026 = next(r for r in reports if (r["region"], r["year"]) == ("shanxi", 2026))
    assert shanxi_2026["speaker"] is None  # no source we can cite names who delivered it


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


ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"


def test_every_feed_is_valid_atom_with_stable_ids_and_content_dates(built_site):
    import re
    import xml.etree.ElementTree as ET
    corpus = validate(load_content(CONTENT))
    feeds = sorted((built_site / "feeds").rglob("*.atom.xml"))
    assert len(feeds) == 1 + len(corpus.industries) + len(corpus.regions)
    for path in feeds:
        root = ET.parse(path).getroot()
        assert root.tag == f"{ATOM}feed"
        for required in ("id", "title", "updated"):
            assert root.find(f"{ATOM}{required}") is not None, (path, required)
        ids = [e.find(f"{ATOM}id").text for e in root.findall(f"{ATOM}entry")]
        assert len(ids) == len(set(ids)), path
        for entry in root.findall(f"{ATOM}entry"):
            assert entry.find(f"{ATOM}title").text
            assert re.match(RFC3339, entry.find(f"{ATOM}updated").text)
            link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
            assert (path.parent / link / "index.html").resolve().is_file(), link
    ic = ET.parse(built_site / "feeds/industries/integrated-circuits.atom.xml").getroot()
    # every report but Shenyang 2026, whose text names no chip industry
    assert len(ic.findall(f"{ATOM}entry")) == len(corpus.reports_naming("integrated-circuits")) == 15
    wuxi = ET.parse(built_site / "feeds/regions/wuxi.atom.xml").getroot().find(f"{ATOM}entry")  # the newest first
    assert wuxi.find(f"{ATOM}id").text == "tag:regional-policy-tracker,2025:report/2026/wuxi"  # RFC 4151: one date
    assert wuxi.find(f"{ATOM}published").text == "2026-01-22T00:00:00Z"
    assert wuxi.find(f"{ATOM}updated").text == "2026-01-27T00:00:00Z"  # the source's date, not the build's


def test_pages_announce_their_feeds(built_site):
    import re
    html = (built_site / "regions/wuxi/index.html").read_text(encoding="utf-8")
    feeds = re.findall(r'<link rel="alternate feed" type="application/atom\+xml" title="([^"]*)" href="([^"]*)">', html)
    assert feeds == [("地方产业政策追踪：全部报告 All reports", "../../feeds/all.atom.xml"),
                     ("无锡市 Wuxi", "../../feeds/regions/wuxi.atom.xml")]
    assert "../../feeds/regions/wuxi.atom.xml" in page(built_site, "regions/wuxi/").links


def test_targets_calendar_parses_with_an_icalendar_parser(built_site):
    import datetime as dt

    import icalendar
    raw = (built_site / "feeds/targets.ics").read_bytes()
    assert b"\r\n" in raw and all(len(line) <= 75 for line in raw.split(b"\r\n"))
    events = icalendar.Calendar.from_ical(raw).walk("VEVENT")
    corpus = validate(load_content(CONTENT))
    targets = [s.id for r in corpus.reports for s in r.statements if s.kind == "target"]
    assert sorted(str(e["UID"]) for e in events) == sorted(f"{i}@regional-policy-tracker" for i in targets)
    first = next(e for e in events if str(e["UID"]).startswith("shanxi-2025-1@"))
    assert first.decoded("DTSTART") == dt.date(2025, 12, 31)
    assert str(first["SUMMARY"]).startswith("山西省：" + corpus.statement["shanxi-2025-1"][1].summary[:10])
    assert "10%以上" in str(first["DESCRIPTION"])


def test_each_report_and_statement_can_be_cited(built_site):
    cite = json.loads((built_site / "data/cite/2025/guangdong.json").read_text(encoding="utf-8"))
    report, _ = validate(load_content(CONTENT)).statement["guangdong-2025-10"]
    assert [c["id"] for c in cite] == ["rpt-guangdong-2025"] + [s.id for s in report.statements]
    assert cite[0]["URL"] == "/reports/2025/guangdong/" and cite[0]["issued"] == {"date-parts": [[2025, 1, 15]]}
    by_id = {c["id"]: c for c in cite}
    assert by_id["guangdong-2025-10"]["URL"] == "/reports/2025/guangdong/#guangdong-2025-10"
    assert "中国集成电路第三极" in by_id["guangdong-2025-10"]["title"]
    text = page(built_site, "reports/2025/guangdong/").text
    assert "地方产业政策追踪（Regional Policy Tracker）：《2025年广东省政府工作报告》条目，/reports/2025/guangdong/" in text
    assert "@misc{rpt-guangdong-2025," in text and "../../../data/cite/2025/guangdong.json" in page(
        built_site, "reports/2025/guangdong/").links


def test_data_page_states_the_licence_and_how_to_cite(built_site):
    text = page(built_site, "data/").text
    assert "CC BY 4.0" in text and "Cite as: Regional Policy Tracker" in text
    assert "https://creativecommons.org/licenses/by/4.0/" in page(built_site, "data/").links
    assert (ROOT / "LICENSE-CONTENT.md").read_text(encoding="utf-8").count("CC BY 4.0") == 1


def test_old_addresses_of_a_renamed_region_or_industry_lead_to_the_new_ones(mini_site):
    """The fixture's region beta was once beta-old, its industry chips once old-chips (``formerly``)."""
    moves = {"regions/beta-old/": "regions/beta/", "reports/2025/beta-old/": "reports/2025/beta/",
             "reports/2024/beta-old/": "reports/2024/beta/", "industries/old-chips/": "industries/chips/",
             "industries/old-chips/2024/": "industries/chips/2024/"}
    for old, new in moves.items():
        html = (mini_site / old / "index.html").read_text(encoding="utf-8")
        target = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', html).group(1)
        assert (mini_site / old / target).resolve() == (mini_site / new).resolve(), old
        assert (mini_site / new / "index.html").exists()
    sitemap = (mini_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "beta-old" not in sitemap and "old-chips" not in sitemap


def test_a_browser_arrives_at_the_new_address(browser, mini_site):
    with serving(mini_site) as base:
        page_ = browser.new_page()
        page_.goto(base + "reports/2025/beta-old/")
        page_.wait_for_url(base + "reports/2025/beta/")
        assert "2025年湖州市政府工作报告" in page_.inner_text("h1")
        page_.close()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12)


@settings(max_examples=200, deadline=None)
@given(st.lists(json_values, max_size=5))
def test_a_list_written_item_by_item_is_the_same_text_as_json_dumps(items):
    """The downloads are written a record at a time (never whole in memory), with the same text as before."""
    assert "".join(_json_list(iter(items))) == json.dumps(items, ensure_ascii=False, indent=1) + "\n"

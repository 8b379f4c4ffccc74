"""The built site in a real browser (Debian's Chromium): pages load whole, from this host only."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from conftest import CONTENT
from tracker.load import load_content
from tracker.status import Tracker, tally
from tracker.validate import validate

PAGES = ["", "reports/2025/beijing/", "regions/wuxi/", "industries/integrated-circuits/", "industries/",
         "timeline/", "reports/", "regions/"]


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_without_errors_or_outside_requests(browser, served_site, path):
    page = browser.new_page()
    requests, failures, errors = [], [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: failures.append(r.url))
    page.on("response", lambda r: r.status >= 400 and failures.append(f"{r.status} {r.url}"))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(served_site + path, wait_until="networkidle")
    assert page.locator("h1").first.is_visible()
    host = urlsplit(served_site).netloc
    assert [u for u in requests if urlsplit(u).netloc != host and not u.startswith("data:")] == []
    assert failures == [] and errors == []
    page.close()


def test_statement_permalink_scrolls_to_it(browser, served_site):
    page = browser.new_page()
    page.goto(served_site + "reports/2025/guangdong/#guangdong-2025-10")
    statement = page.locator("#guangdong-2025-10")
    assert "中国集成电路第三极" in statement.inner_text()
    assert statement.is_visible() and page.evaluate("window.scrollY") > 0
    page.close()


def visible_reports(page) -> list[str]:
    """The report links of the timeline's visible events, in order."""
    return page.eval_on_selector_all(
        "[data-rpt-item]:not([hidden]) .rpt-event-date + p a",
        "links => links.map(a => a.getAttribute('href'))")


@pytest.fixture(scope="module")
def corpus():
    return validate(load_content(CONTENT))


def newest(corpus, keep=lambda report, statement: True) -> list[tuple[str, int]]:
    """(region, statements kept) of each report of the newest year that keeps any, in date order: what the
    timeline's own page shows under a filter."""
    out = []
    for r in corpus.reports_by_date:
        n = sum(1 for s in r.statements if keep(r, s))
        if r.year == max(corpus.years) and n:
            out.append((r.region, n))
    return out


def test_timeline_filters_narrow_the_list(browser, served_site, corpus):
    page = browser.new_page()
    page.goto(served_site + "timeline/")
    everything = newest(corpus)
    assert len(visible_reports(page)) == len(everything) == 8
    total = sum(n for _, n in everything)
    assert page.locator("output.rpt-filter-count").inner_text() == f"显示 8 / 8，其中 {total} 条表述"

    page.select_option("select[name=industry]", "low-altitude-economy")
    family = set(corpus.industry_and_descendants("low-altitude-economy"))
    low = newest(corpus, lambda r, s: family & set(s.industries))
    assert [h.split("/")[-2] for h in visible_reports(page)] == [region for region, _ in low]
    assert page.locator("output.rpt-filter-count").inner_text() == \
        f"显示 {len(low)} / 8，其中 {sum(n for _, n in low)} 条表述"
    first = page.locator("[data-rpt-item]:not([hidden])").first
    assert first.locator("details").get_attribute("open") is not None
    assert first.locator("[data-rpt-sub]:not([hidden])").count() == low[0][1]
    assert "industry=low-altitude-economy" in page.url

    page.select_option("select[name=industry]", "next-gen-it")  # a broader industry finds its children
    family = set(corpus.industry_and_descendants("next-gen-it"))
    assert len(visible_reports(page)) == len(newest(corpus, lambda r, s: family & set(s.industries)))

    page.select_option("select[name=industry]", "")
    page.select_option("select[name=region]", "jiangsu")  # a province finds its cities
    assert [h.split("/")[-2] for h in visible_reports(page)] == ["wuxi", "jiangsu"]

    page.select_option("select[name=region]", "")
    page.select_option("select[name=kind]", "target")
    targets = newest(corpus, lambda r, s: s.kind == "target")
    assert [h.split("/")[-2] for h in visible_reports(page)] == [region for region, _ in targets]
    page.close()


def test_filtered_timeline_can_be_linked(browser, served_site):
    page = browser.new_page()
    page.goto(served_site + "timeline/?region=liaoning&kind=plan")
    assert [h.split("/")[-2] for h in visible_reports(page)] == ["shenyang", "liaoning"]  # Shenyang is in Liaoning
    assert page.locator("select[name=region]").input_value() == "liaoning"
    page.close()


def test_timeline_reads_whole_without_javascript(browser, served_site, corpus):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served_site + "timeline/?industry=low-altitude-economy")
    assert not page.locator("form.rpt-filters").is_visible()
    everything = newest(corpus)
    assert page.locator("[data-rpt-item]:visible").count() == len(everything)
    page.locator("details summary").first.click()  # folds open without a script
    assert page.locator("[data-rpt-sub]:visible").count() == everything[0][1]
    context.close()


def test_commitments_filter_by_status_and_the_counts_follow(browser, served_site, corpus):
    due = Tracker(corpus).by_year[2025]
    page = browser.new_page()
    page.goto(served_site + "commitments/")
    rows = "[data-rpt-item]:not([hidden])"
    assert page.locator(rows).count() == len(due)
    page.select_option("select[name=status]", "awaiting")
    assert page.locator(rows).count() == 0
    assert page.locator("output.rpt-filter-count").inner_text() == f"显示 0 / {len(due)}"
    page.select_option("select[name=status]", "progress")
    page.select_option("select[name=region]", "shanxi")
    shanxi = [c for c in due if c.report.region == "shanxi" and c.status == "progress"]
    assert page.locator(rows).count() == len(shanxi) > 0
    page.select_option("select[name=status]", "")  # the counts by status follow the region filter
    shown = page.eval_on_selector_all("[data-rpt-tally] [data-status]:not([hidden])",
                                      "els => els.map(e => [e.dataset.status, e.querySelector('.rpt-tally-n').textContent])")
    expected = tally(c for c in due if c.report.region == "shanxi")
    assert shown == [[status, str(n)] for status, n in expected.items() if n]
    page.close()

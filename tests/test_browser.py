"""The built site in a real browser (Debian's Chromium): pages load whole, from this host only."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

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


def test_timeline_filters_narrow_the_list(browser, served_site):
    page = browser.new_page()
    page.goto(served_site + "timeline/")
    assert len(visible_reports(page)) == 7
    assert page.locator("output.rpt-filter-count").inner_text() == "显示 7 / 7，其中 54 条表述"

    page.select_option("select[name=industry]", "low-altitude-economy")
    assert [h.split("/")[-2] for h in visible_reports(page)] == ["wuxi", "guangdong", "shanghai", "liaoning"]
    assert page.locator("output.rpt-filter-count").inner_text() == "显示 4 / 7，其中 5 条表述"
    wuxi = page.locator("[data-rpt-item]").first
    assert wuxi.locator("details").get_attribute("open") is not None
    assert wuxi.locator("[data-rpt-sub]:not([hidden])").count() == 1
    assert "industry=low-altitude-economy" in page.url

    page.select_option("select[name=industry]", "next-gen-it")  # a broader industry finds its children
    assert len(visible_reports(page)) == 7

    page.select_option("select[name=industry]", "")
    page.select_option("select[name=region]", "jiangsu")  # a province finds its cities
    assert [h.split("/")[-2] for h in visible_reports(page)] == ["wuxi"]

    page.select_option("select[name=region]", "")
    page.select_option("select[name=kind]", "target")
    assert [h.split("/")[-2] for h in visible_reports(page)] == ["shanxi"]
    page.close()


def test_filtered_timeline_can_be_linked(browser, served_site):
    page = browser.new_page()
    page.goto(served_site + "timeline/?region=liaoning&kind=plan")
    assert [h.split("/")[-2] for h in visible_reports(page)] == ["shenyang", "liaoning"]  # Shenyang is in Liaoning
    assert page.locator("select[name=region]").input_value() == "liaoning"
    page.close()


def test_timeline_reads_whole_without_javascript(browser, served_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served_site + "timeline/?industry=low-altitude-economy")
    assert not page.locator("form.rpt-filters").is_visible()
    assert page.locator("[data-rpt-item]:visible").count() == 7
    page.locator("details summary").first.click()  # folds open without a script
    assert page.locator("[data-rpt-sub]:visible").count() == 16
    context.close()


def test_commitments_filter_by_status(browser, served_site):
    page = browser.new_page()
    page.goto(served_site + "commitments/")
    rows = "[data-rpt-item]:not([hidden])"
    assert page.locator(rows).count() == 38
    page.select_option("select[name=status]", "overdue")
    assert page.locator(rows).count() == 0
    assert page.locator("output.rpt-filter-count").inner_text() == "显示 0 / 38"
    page.select_option("select[name=status]", "pending")
    page.select_option("select[name=region]", "shanxi")
    assert page.locator(rows).count() == 5
    page.close()

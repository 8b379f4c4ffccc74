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

"""The site published under a sub-path, as GitHub Pages serves a project (https://<owner>.github.io/<repo>/):
every link, asset, feed and the search keep to the sub-path. Crawled over real http on 127.0.0.1."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from conftest import run_build, serving

REPO = "regional-policy-tracker"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The shipped content built for http://127.0.0.1:<port>/regional-policy-tracker/ and served there."""
    root = tmp_path_factory.mktemp("pages")
    site = root / REPO
    with serving(root, not_found=site / "404.html") as base:
        result = run_build("build", "--site", str(site), "--site-url", f"{base}{REPO}/")
        assert result.returncode == 0, result.stderr
        yield base, site


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.read(), response.headers.get_content_type()
    except urllib.error.HTTPError as e:
        return e.code, e.read(), e.headers.get_content_type()


def links_of(body: bytes, kind: str) -> list[str]:
    if kind == "text/html":
        parser = _Links()
        parser.feed(body.decode("utf-8"))
        return parser.links
    if kind in ("application/xml", "text/xml", "application/atom+xml") and b"<feed" in body:
        return [e.get("href") for e in ET.fromstring(body).iter("{http://www.w3.org/2005/Atom}link")]
    return []


def test_crawl_under_the_sub_path_finds_no_broken_link(published):
    base, site = published
    home = f"{base}{REPO}/"
    # Start from the home page and from a missing page (GitHub Pages answers with 404.html at any depth).
    queue, seen, broken, outside = [home, f"{home}reports/2031/nowhere/"], set(), [], []
    pages = 0
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        status, body, kind = fetch(url)
        if status != 200 and not url.endswith("/nowhere/"):
            broken.append(f"{url}: {status}")
            continue
        pages += kind == "text/html"
        for link in links_of(body, kind):
            target = urldefrag(urljoin(url, link)).url
            parts = urlsplit(target)
            if parts.scheme not in ("http", "https") or parts.netloc != urlsplit(base).netloc:
                continue
            if not parts.path.startswith(f"/{REPO}/"):
                outside.append(f"{url} → {link}")
            elif target not in seen:
                queue.append(target)
    html_files = len(list(site.rglob("*.html")))
    assert broken == [] and outside == []
    assert pages >= html_files - 1  # every page reached by links (404.html is reached as an answer)
    assert any(u.endswith(".atom.xml") for u in seen) and any(u.endswith("entry.schema.json") for u in seen)


def test_canonical_and_feed_addresses_carry_the_sub_path(published):
    base, site = published
    html = (site / "reports" / "2025" / "wuxi" / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{base}{REPO}/reports/2025/wuxi/">' in html
    assert f"{base}{REPO}/reports/2025/wuxi/" in html  # the citation's stable URL
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{base}{REPO}/reports/2025/wuxi/</loc>" in sitemap


def test_search_works_under_the_sub_path(browser, published):
    base, _ = published
    page = browser.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    for start in (f"{base}{REPO}/regions/wuxi/", f"{base}{REPO}/reports/2031/nowhere/"):
        page.goto(start)
        page.fill("form[data-rpt-search] input", "北方芯谷")
        page.wait_for_selector("[data-rpt-search-list] li a")
        href = page.eval_on_selector("[data-rpt-search-list] li a", "a => a.href")
        assert href.startswith(f"{base}{REPO}/reports/2025/shenyang/"), href
        assert fetch(href)[0] == 200
    assert all(urlsplit(u).path.startswith(f"/{REPO}/") for u in requests), requests
    page.close()


def test_the_404_pages_lead_home_in_either_language(published):
    """A missing page: GitHub Pages answers with the root's 404.html; the English site's own 404.html is there for
    hosts that serve it. Each says so in its language, links its own home and, by the language switch, the other
    language's home; all four are there."""
    base, site = published
    status, root_404, _ = fetch(f"{base}{REPO}/reports/2031/nowhere/")
    assert status == 404
    zh_home, en_home = f"/{REPO}/", f"/{REPO}/en/"
    for page, at, lang, own, other in (
            (root_404, f"{base}{REPO}/reports/2031/nowhere/", "zh", zh_home, en_home),
            ((site / "en" / "404.html").read_bytes(), f"{base}{REPO}/en/x/", "en", en_home, zh_home)):
        text = page.decode("utf-8")
        assert "Page not found" in text and ("找不到该页" in text) == (lang == "zh")
        switch = re.search(r'<a class="md-header__button rpt-language" href="([^"]+)" hreflang="(\w+)"', text)
        home = re.search(r'<p><a href="([^"]+)">[^<]*Back to the home page</a></p>', text)
        assert switch and switch[2] != lang and home
        for link, expected, expected_lang in ((home[1], own, lang), (switch[1], other, switch[2])):
            target = urljoin(at, link)
            assert urlsplit(target).path == expected
            status, body, _ = fetch(target)
            assert status == 200 and f'<html lang="{expected_lang}"'.encode() in body

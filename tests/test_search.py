"""Search: the index built by tracker/search.py, queried in Chromium over http and from the unzipped
offline snapshot (where any request that leaves file:// fails the test)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import CONTENT, ROOT, unzipped_snapshot
from tracker.load import load_content
from tracker.render import url_for
from tracker.search import DIGITS, _names, digits, documents, fold, index_files, industry_term, shard_of, stem, terms
from tracker.i18n import plain
from tracker.model import KINDS
from tracker.validate import validate

# query → a page that must be among the results (pinned: must be the first)
QUERIES = {
    "集成电路": ("industries/integrated-circuits", True),       # whole words
    "低空经济": ("industries/low-altitude-economy", True),
    "电路": ("reports/2025/guangdong", False),                  # inside a longer word
    "芯谷": ("reports/2025/shenyang", False),
    "第三极": ("reports/2025/guangdong", False),                # a quoted slogan
    "芯片": ("industries/integrated-circuits", True),           # synonyms of the vocabulary
    "半导体": ("industries/integrated-circuits", True),
    "integrated circuits": ("industries/integrated-circuits", False),  # English names
    "Wuxi": ("regions/wuxi", False),
    "无锡": ("reports/2025/wuxi", False),                        # region names
    "沈阳市": ("regions/shenyang", False),
    "chips": ("industries/integrated-circuits", True),          # English words readers use, plural or not
    "semiconductor": ("industries/integrated-circuits", True),
    "robots": ("industries/robotics", True),
    "广东 芯片": ("regions/guangdong/integrated-circuits", True),  # a region and an industry: the pair's own page
    "广东芯片": ("regions/guangdong/integrated-circuits", True),
    "Guangdong chips": ("regions/guangdong/integrated-circuits", True),
}


def test_terms_are_bigrams_with_positions_and_words():
    assert terms("集成电路 Wuxi 电路") == {
        "wuxi": [5], "集": [], "成": [], "电": [], "路": [], "集成": [0], "成电": [1], "电路": [2, 10]}
    assert list(terms("chips industries class")) == ["chip", "industry", "class"]  # plurals stemmed


def test_fold_keeps_positions():
    text = "ＡＩ与5Ｇ"
    assert fold(text) == "ai与5g" and len(fold(text)) == len(text)


def test_shards_spread_terms():
    assert len({shard_of(t, 64) for t in ("集成", "电路", "芯片", "wuxi", "低空", "经济")}) >= 5


def _numbers(text: str) -> list[int]:
    """Numbers written in DIGITS, read as search.js reads them."""
    numbers, n = [], 0
    for ch in text:
        value = DIGITS.index(ch)
        n = n * 32 + (value & 31)
        if value < 32:
            numbers.append(n)
            n = 0
    return numbers


def test_digits_read_back():
    numbers = [0, 1, 31, 32, 1023, 1024, 32767, 32768, 2**31 - 1]
    assert _numbers(digits(numbers)) == numbers and len(digits([5, 900])) == 3
    assert f'"{DIGITS}"' in (ROOT / "templates" / "assets" / "search.js").read_text(encoding="utf-8")  # the same


def _postings(text: str) -> dict[int, list[int]]:
    """A posting in DIGITS → {doc: positions}, as search.js decodes it."""
    numbers = _numbers(text)
    found, doc, i = {}, 0, 0
    while i < len(numbers):
        doc += numbers[i]
        gaps = numbers[i + 2:i + 2 + numbers[i + 1]]
        found[doc] = [sum(gaps[:k + 1]) for k in range(len(gaps))]
        i += 2 + numbers[i + 1]
    return found


def test_an_industry_term_finds_every_occurrence_of_any_of_its_names():
    """The term search.js loads for a query that names an industry: in each document, where any of the industry's
    names occurs (found here by plain string search, not by the index's bigrams)."""
    corpus = validate(load_content(CONTENT))
    docs = documents(corpus, url_for)
    files = {page.path: page.text for page in index_files(corpus, url_for)}
    shards = int(re.search(r'"shards":(\d+)', files["search/manifest.js"])[1])
    checked = 0
    for n, industry in enumerate(corpus.industries):
        term = industry_term(n)
        shard = files[f"search/s/{shard_of(term, shards)}.js"]
        found = re.search(r'"%s":"([^"]*)"' % re.escape(term), shard)
        indexed = _postings(found[1]) if found else {}
        expected = {}
        for doc_id, doc in enumerate(docs):
            text = fold(doc.text)
            words = [(stem(m[0]), m.start()) for m in re.finditer(r"[a-z0-9]+", text)]
            starts, matched = [], False
            for name in _names(industry):
                if re.search(r"[\u4e00-\u9fff]", name):
                    if not re.fullmatch(r"[\u4e00-\u9fff]+", name):
                        continue  # 人工智能+: a phrase is matched by its bigrams, and "能+" is none (人工智能 is a name)
                    at = [m.start() for m in re.finditer(f"(?={re.escape(name)})", text)]
                    matched |= bool(at)
                    starts += at if len(name) > 1 else []
                else:
                    present = [[p for w, p in words if w == word] for word in name.split(" ")]
                    if all(present):
                        matched = True
                        starts += [p for found_at in present for p in found_at]
            if matched:
                expected[doc_id] = sorted(starts)
        assert indexed == expected, industry.slug
        checked += len(expected)
    assert checked > 100


def test_statements_are_located_in_their_report():
    corpus = validate(load_content(CONTENT))
    docs = documents(corpus, url_for)
    guangdong = next(d for d in docs if d.url == "reports/2025/guangdong/")
    start, end, anchor, shown, kind = next(span for span in guangdong.spans if span[2] == "guangdong-2025-10")
    assert "第三极" in guangdong.text[start:end] and guangdong.text[start:shown].startswith("报告提出") and kind == "计划与任务"
    assert [d.kind for d in docs].count("report") == len(corpus.reports)


def run_queries(page, queries):
    """Type each query as a reader would; return {query: [result hrefs]}, failing on any page error."""
    found = {}
    for query in queries:
        page.fill("form[data-rpt-search] input", query)
        page.wait_for_function(  # the list shows this query's results, not a slower earlier query's
            "q => document.querySelector('[data-rpt-search-list]').getAttribute('data-rpt-query') === q", arg=query)
        found[query] = page.eval_on_selector_all("[data-rpt-search-list] a", "as => as.map(a => a.href)")
    return found


def check_results(found, suffix):
    for query, (target, first) in QUERIES.items():
        hrefs = [h.split("#")[0] for h in found[query]]
        expected = target + suffix
        assert any(h.endswith(expected) for h in hrefs), (query, hrefs)
        if first:
            assert hrefs[0].endswith(expected), (query, hrefs)


def test_search_over_http(browser, served_site):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(served_site + "reports/2025/beijing/")
    found = run_queries(page, QUERIES)
    check_results(found, "/")
    # exact: 第三极 is in one report only, and 三极 alone (三极管) would not be a hit
    assert [h.split("#")[1] for h in found["第三极"]] == ["guangdong-2025-10"]
    item = page.locator("[data-rpt-search-list] li").first
    assert errors == []
    page.fill("form[data-rpt-search] input", "北方芯谷")
    # the list still shows 第三极's results until the new ones replace them: wait for the new query's mark
    page.wait_for_function("document.querySelector('[data-rpt-search-list] li mark')?.textContent === '北方芯谷'")
    assert item.locator("h1").inner_text() == "2025年沈阳市政府工作报告"
    meta = item.locator(".rpt-search-meta").inner_text()  # region, year, kind of the statement found
    assert meta.startswith("沈阳市 · 2025 · ") and meta.split(" · ")[2] in [plain("zh", f"kind.{k}") for k in KINDS]
    assert item.locator("mark").first.inner_text() == "北方芯谷"
    # the statement's own words, not the labels indexed after them; one count line in the page's language
    corpus = validate(load_content(CONTENT))
    summaries = [s.summary for r in corpus.reports for s in r.statements
                 if r.slug == "2025/shenyang" and ("北方芯谷" in s.summary or "北方芯谷" in s.quotes)]
    shown = item.locator("p").last.inner_text()
    assert any(shown.startswith(summary) for summary in summaries) and meta.split(" · ")[2] not in shown
    assert re.fullmatch(r"找到 \d+ 个结果", page.inner_text("[data-rpt-search-meta]"))
    page.close()


def doc_urls(site: Path, ids) -> list[str]:
    """The page each search doc points to (u in search/d/N.js), relative to the site."""
    return [json.loads(re.search(r"\{.*\}", (site / "search" / "d" / f"{n}.js").read_text(encoding="utf-8"))[0])["u"]
            for n in ids]


def shown_urls(page) -> list[str]:
    return page.eval_on_selector_all("[data-rpt-search-list] a",
                                     "as => as.map(a => new URL(a.href).pathname.replace(/^\\//, ''))")


def held_search(page, served_site, query):
    """``query`` typed with every result's doc held back when asked for: (the ranked doc ids, their held requests
    by id, a function that waits until the given docs are held and no other is); the page records the search
    events it fires in window.heard. Other docs come as asked."""
    held, ranked = {}, []

    def hold(route) -> None:
        doc = int(route.request.url.rsplit("/", 1)[1][:-3])
        if doc in ranked:
            held[doc] = route
        else:
            route.continue_()

    def wait_held(docs) -> None:
        for _ in range(200):
            if sorted(held) == sorted(docs):
                break
            page.wait_for_timeout(25)
        page.wait_for_timeout(100)  # time for a request it should not make
        assert sorted(held) == sorted(docs)

    page.route("**/search/d/*.js", hold)
    page.goto(served_site)
    ranked += page.evaluate("q => window.rptSearch.query(q).then(r => r.hits.slice(0, 10).map(h => h.id))", query)
    assert len(ranked) >= 3
    page.evaluate("""() => { window.heard = [];
        for (const name of ["rpt-search-first-result", "rpt-search-results"])
          document.addEventListener(name, e => window.heard.push([name, e.detail.query, e.detail.failed])); }""")
    page.fill("form[data-rpt-search] input", query)
    return ranked, held, wait_held


def test_results_show_as_their_docs_arrive_in_rank_order(browser, served_site, built_site):
    """Each result's doc is a file of its own: the first is asked for alone (among ten requests it waited its
    turn), and its result shows as soon as it is here; then the others, shown in rank order, none before those
    ranked above it."""
    page = browser.new_page()
    query = "电路"
    ranked, held, wait_held = held_search(page, served_site, query)
    wait_held(ranked[:1])  # the others are not asked for yet
    assert shown_urls(page) == [] and page.evaluate("window.heard") == []
    held[ranked[0]].continue_()  # the first: shown alone and announced before the others are asked for
    page.wait_for_function("window.heard.length === 1")
    assert shown_urls(page) == doc_urls(built_site, ranked[:1])
    assert page.evaluate("window.heard") == [["rpt-search-first-result", query, 0]]
    wait_held(ranked)
    for doc in ranked[2:]:  # all but the second: nothing more is shown yet
        held[doc].continue_()
    page.wait_for_timeout(300)
    assert shown_urls(page) == doc_urls(built_site, ranked[:1]) and len(page.evaluate("window.heard")) == 1
    held[ranked[1]].continue_()
    page.wait_for_function("window.heard.length === 2")
    assert [url.split("#")[0] for url in shown_urls(page)] == doc_urls(built_site, ranked)
    assert page.get_attribute("[data-rpt-search-list]", "data-rpt-query") == query
    page.close()


@pytest.mark.parametrize("failing", [(0,), (1,), (1, 2)])
def test_a_result_whose_doc_fails_leaves_a_gap_and_says_so(browser, served_site, built_site, failing):
    """A result's doc (the first, asked for alone, or another; or two) cannot be loaded: the others are still asked
    for and show in rank order, the count says how many failed and the line names each, and both events fire
    (before, the list stopped at the gap and the search never announced its end; then the line named only the
    first)."""
    page = browser.new_page()
    ranked, held, wait_held = held_search(page, served_site, "电路")
    failed = {ranked[i] for i in failing}

    def answer(doc) -> None:  # the failing docs' requests fail, the others' go through
        (held[doc].abort if doc in failed else held[doc].continue_)()

    wait_held(ranked[:1])
    answer(ranked[0])
    wait_held(ranked)
    for doc in ranked[1:]:
        answer(doc)
    page.wait_for_function("window.heard.length === 2")
    shown = [doc for doc in ranked if doc not in failed]
    assert [url.split("#")[0] for url in shown_urls(page)] == doc_urls(built_site, shown)
    assert [name for name, _, _ in page.evaluate("window.heard")] == ["rpt-search-first-result", "rpt-search-results"]
    assert page.evaluate("window.heard")[1][2] == len(failed)
    meta = page.text_content("[data-rpt-search-meta]")
    assert "Search failed" in meta and all(f"search/d/{doc}.js" in meta for doc in failed)
    page.close()


def test_a_newer_query_replaces_a_slower_one_and_no_hits_show_an_empty_list(browser, served_site, built_site):
    """The first doc of the first query comes after the second query has shown: its results stay, and the
    slower query asks for no more docs; a query with no hits still announces itself, with the list emptied and
    the count saying none."""
    page = browser.new_page()
    ranked, held, wait_held = held_search(page, served_site, "电路")
    wait_held(ranked[:1])
    top = "q => window.rptSearch.query(q).then(r => r.hits.slice(0, 10).map(h => h.id))"
    newer = "山西"
    assert page.evaluate(top, newer) and not set(page.evaluate(top, newer)) & set(ranked)  # none of its docs held
    page.fill("form[data-rpt-search] input", newer)
    page.wait_for_function("q => document.querySelector('[data-rpt-search-list]').getAttribute('data-rpt-query') === q",
                           arg=newer)
    shown = shown_urls(page)
    held[ranked[0]].continue_()
    wait_held(ranked[:1])
    assert shown_urls(page) == shown and shown and all(query == newer for _, query, _ in page.evaluate("window.heard"))
    page.fill("form[data-rpt-search] input", "zqxjkv")
    page.wait_for_function("q => document.querySelector('[data-rpt-search-list]').getAttribute('data-rpt-query') === q",
                           arg="zqxjkv")
    assert shown_urls(page) == [] and page.evaluate("window.heard")[-2:] == [
        ["rpt-search-first-result", "zqxjkv", 0], ["rpt-search-results", "zqxjkv", 0]]
    assert page.text_content("[data-rpt-search-meta]") == page.get_attribute("[data-rpt-search-meta]", "data-none")
    page.close()


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory) -> Path:
    return unzipped_snapshot(tmp_path_factory.mktemp("snapshot"))


def test_snapshot_works_from_disk_with_no_outside_request(browser, snapshot):
    page = browser.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((snapshot / "index.html").as_uri())
    found = run_queries(page, QUERIES)
    check_results(found, ".html")
    page.click("[data-rpt-search-list] a")  # a result opens its page from disk
    page.wait_for_load_state()
    assert page.url.startswith("file://") and page.locator("h1").first.is_visible()
    for path in ("timeline.html", "compare.html", "industries/integrated-circuits.html", "regions/wuxi.html"):
        page.goto((snapshot / path).as_uri())
        assert page.locator("h1").first.is_visible()
    page.goto((snapshot / "timeline.html").as_uri())
    page.select_option("select[name=industry]", "low-altitude-economy")
    corpus = validate(load_content(CONTENT))  # the timeline's own page is the newest year's
    naming = [r for r in corpus.reports_naming("low-altitude-economy") if r.year == max(corpus.years)]
    assert page.locator("[data-rpt-item]:not([hidden])").count() == len(naming) > 0
    outside = [u for u in requests if not u.startswith(("file://", "data:"))]
    assert outside == [] and errors == []
    page.close()


def test_snapshot_links_resolve_on_disk(snapshot):
    from htmlpage import Page
    from urllib.parse import unquote, urlsplit
    broken = []
    for html_file in snapshot.rglob("*.html"):
        for link in Page(html_file).links:
            parts = urlsplit(link)
            if parts.scheme or not parts.path:
                continue
            if not (html_file.parent / unquote(parts.path)).exists():
                broken.append(f"{html_file.relative_to(snapshot)} → {link}")
    assert broken == []


def test_snapshot_404_page_works_from_disk_valid_and_accessible(browser, snapshot):
    """What a reader sees after following a dead link within the unzipped snapshot: the site's look, its menu and
    search, nothing fetched from elsewhere; valid HTML, no accessibility violation in either colour scheme."""
    import json
    import shutil
    import subprocess

    from conftest import need
    from test_quality import AXE, NPM, VNU
    page = browser.new_page()
    requests, failed = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto((snapshot / "404.html").as_uri())
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in ("sticky", "fixed")
    assert page.evaluate("[...document.styleSheets].some(s => (s.href || '').endsWith('assets/tracker.css'))")
    found = run_queries(page, ["集成电路"])
    assert found["集成电路"][0].split("#")[0].endswith("industries/integrated-circuits.html")
    page.click("[data-rpt-search-list] a")
    page.wait_for_load_state()
    assert page.url.startswith("file://") and "integrated-circuits" in page.url
    assert failed == [] and [u for u in requests if not u.startswith(("file://", "data:"))] == []
    for dead_end, own_home, other_home in (("404.html", "index.html", "en/index.html"),
                                           ("en/404.html", "en/index.html", "index.html")):
        for link, home in (("article a", own_home), ("a.rpt-language", other_home)):  # from disk, both homes
            page.goto((snapshot / dead_end).as_uri())
            page.click(link)  # (the click cuts the favicon's load: failures are no longer counted)
            page.wait_for_load_state()
            assert page.url == (snapshot / home).as_uri()
    need("axe-core", AXE, NPM)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.goto((snapshot / "404.html").as_uri())
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']}))"
                                   ".violations.map(v => v.id + ' ' + v.impact)")
        assert violations == [], scheme
    page.close()
    java = shutil.which("java")
    need("Java", Path(java or "/usr/bin/java"), "apt-get install -y default-jre-headless")
    need("The Nu Html Checker", VNU, NPM)
    nu = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", str(snapshot / "404.html")],
                        capture_output=True, text=True, timeout=120)
    assert json.loads(nu.stderr or nu.stdout)["messages"] == []


def test_a_patched_posting_is_the_posting_encoded_afresh():
    """A rebuild (tracker/rebuild.py) replaces a few documents' entries in a term's postings without reading the
    rest: the result must be what encoding the new postings from scratch gives."""
    import random
    from array import array

    from tracker.search import _encode, _patched

    def encoded(entries: dict[int, list[int]]) -> str:
        out, last = array("I"), 0
        for doc in sorted(entries):
            _encode(out, doc - last, entries[doc])
            last = doc
        return digits(out)

    rng = random.Random(7)
    for _ in range(2000):
        docs = rng.sample(range(3000), rng.randint(0, 12))
        entries = {d: sorted(rng.sample(range(5000), rng.randint(0, 4))) for d in docs}
        new = {d: (sorted(rng.sample(range(70000), rng.randint(0, 3))) if rng.random() < 0.6 else None)
               for d in rng.sample(range(3000), rng.randint(1, 4)) + rng.sample(docs, min(len(docs), 2))}
        expected = {**entries, **{d: p for d, p in new.items() if p is not None}}
        for d, p in new.items():
            if p is None:
                expected.pop(d, None)
        assert _patched(encoded(entries), new) == encoded(expected)

"""The English edition: the catalogs are complete, no user-facing string hides in templates or code, every page
kind exists under /en/ in English (Chinese characters at most a sixth of the Latin letters), each page links its
other-language page both ways (from disk too), and check warns of texts with no English yet."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import MINI, ROOT, run_build, unzipped_snapshot
from htmlpage import Page, page
from tracker.i18n import CATALOGS, LANGUAGES, catalog
from tracker.routes import ROUTES

ENGLISH_ONLY = ("figure.", "number.", "unit.", "comparator.", "ordinal.", "session.", "speaker_title.")
"""Keys only English needs: how figures, sessions and titles read out (Chinese shows them as the report writes)."""
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def test_every_catalog_has_every_key_of_the_first():
    first = catalog(LANGUAGES[0].code)
    for language in LANGUAGES[1:]:
        other = catalog(language.code)
        assert sorted(set(first) - set(other)) == [], language.code
        assert sorted(k for k in set(other) - set(first) if not k.startswith(ENGLISH_ONLY)) == [], language.code


def test_every_key_a_template_asks_for_is_in_the_catalogs():
    asked = set()
    for template in [*(ROOT / "templates").rglob("*.j2")]:
        text = template.read_text(encoding="utf-8")
        asked |= set(re.findall(r"""\b(?:t|prose|glossed)\(\s*["']([a-z_.-]+)["']""", text))
        asked |= {k + suffix for k in re.findall(r"""\bheading\(\s*["']([a-z_.-]+)["']""", text) for suffix in ("", "_sub")
                  if not k.endswith(".")}
    asked = {key for key in asked if not key.endswith(".")}  # t("kind." ~ kind): checked by prefix below
    assert len(asked) > 150
    for language in LANGUAGES:
        assert sorted(asked - set(catalog(language.code))) == [], language.code
    for key in ("kind.", "status.", "status_title.", "level."):  # asked for by prefix: kind.result …
        assert all(k.startswith(key) for k in catalog("en") if k.startswith(key))
    entries = yaml.safe_load((CATALOGS / "zh.yml").read_text(encoding="utf-8"))
    assert set(entries["kind"]) >= {"result", "target", "plan", "project", "fund"}


def test_no_user_facing_string_outside_the_catalogs():
    """No Chinese in the templates that make pages and feeds, nor in the code that renders them: labels live in
    templates/i18n, prose in templates/pages/<name>.<language>.md. (The contributors' scaffolds and check's
    messages are written for contributors and are not the site's.)"""
    import ast
    found = []
    templates = [p for p in (ROOT / "templates").rglob("*.j2") if "scaffold" not in p.parts]
    for path in [*templates, *(ROOT / "overrides").rglob("*.html")]:
        text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)  # comments explain
        found += [f"{path.relative_to(ROOT)}: {line.strip()[:80]}" for line in text.splitlines() if HAN.search(line)]
    for name in ("render.py", "routes.py", "texts.py", "views.py", "charts.py", "search.py", "i18n.py", "site.py",
                 "data.py", "changes.py", "status.py", "model.py"):
        tree = ast.parse((ROOT / "tracker" / name).read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                      and isinstance(node.body[0], ast.Expr)}
        documented = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}  # attribute docstrings
        found += [f"tracker/{name}:{node.lineno}: {node.value[:60]}" for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str) and HAN.search(node.value)
                  and id(node) not in docstrings | documented and not _rule(name, node.value)]
    assert found == []


def _rule(module: str, text: str) -> bool:
    """Chinese that is data, not a label: what the parser and the validator read (units, comparators, the
    regular expression of a session's name), the model's help texts, which speak to contributors, and the data
    dictionary's examples of values as the files hold them (亿元, 突破)."""
    return module in ("model.py", "status.py", "i18n.py", "data.py")


def english_pages(site: Path) -> list[Path]:
    return [p for p in sorted((site / "en").rglob("*.html"))
            if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8") and p.name != "404.html"]


def test_every_english_page_reads_in_english(built_site, mini_site):
    """lang="en"; Chinese characters at most a sixth of the Latin letters of the visible text (what stays Chinese:
    quoted phrases, measures, sources, names glossed)."""
    over = []
    for site in (built_site,):
        pages = english_pages(site)
        assert len(pages) > 300
        for path in pages:
            page = Page(path)
            text = page.prose
            han, latin = len(HAN.findall(text)), len(re.findall(r"[A-Za-z]", text))
            assert page.lang == "en", path
            if han * 6 > latin:
                over.append(f"{path.relative_to(site)}: {han} Han, {latin} Latin")
    assert over == []
    assert all(Page(p).lang == "en" for p in english_pages(mini_site))


def test_every_page_kind_exists_in_both_languages_linked_both_ways(built_site):
    """The same page in the other language, by the header's switch, and back."""
    chinese = [p for p in sorted(built_site.rglob("index.html"))
               if p.relative_to(built_site).parts[0] not in ("en", "search", "assets")
               and 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]
    assert len(chinese) > 300
    for path in chinese:
        page = Page(path)
        switch = page.link_of_class("rpt-language")
        assert page.lang == "zh" and switch, path
        english = (path.parent / switch / "index.html").resolve()
        assert english == built_site / "en" / path.relative_to(built_site), path
        back = Page(english).link_of_class("rpt-language")
        assert (english.parent / back / "index.html").resolve() == path, english
    kinds = {route.path().split("/")[0].removesuffix(".md") for route in ROUTES.values() if route.template.endswith(
        ".md.j2") and route.name != "home"}
    assert {p.relative_to(built_site / "en").parts[0] for p in english_pages(built_site)} >= kinds


def test_english_pages_say_what_the_chinese_ones_do(built_site):
    report = page(built_site, "en/reports/2025/beijing/").text
    assert "Beijing · Government work report 2025" in report
    assert "3rd Session of the 16th Beijing Municipal People's Congress" in report
    assert "passed 300 billion yuan" in report and "Mayor" in report
    commitments = page(built_site, "en/commitments/").text
    assert "Due 2025" in commitments and "Evidence" in commitments and "依据" not in commitments
    industry = page(built_site, "en/industries/integrated-circuits/").text
    assert industry.startswith(" ") or "Integrated circuits" in industry


def test_published_pages_name_their_other_language_for_search_engines(tmp_path):
    result = run_build("build", "--content", str(MINI), "--site", str(tmp_path / "site"),
                       "--site-url", "https://example.org/rpt/")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "reports" / "2025" / "beta" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" hreflang="zh" href="https://example.org/rpt/reports/2025/beta/">' in html
    assert '<link rel="alternate" hreflang="en" href="https://example.org/rpt/en/reports/2025/beta/">' in html
    english = (tmp_path / "site" / "en" / "reports" / "2025" / "beta" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" hreflang="zh" href="https://example.org/rpt/reports/2025/beta/">' in english


def test_check_warns_of_texts_with_no_english(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--content", str(MINI)],
                            capture_output=True, text=True, timeout=120)
    lines = result.stderr.splitlines()
    assert result.returncode == 0
    assert lines[0] == ("content/regions/alpha.md:7: body_en: warning: no English text yet: the English page shows "
                        "the Chinese, marked as such; add body_en: | (a block) in your own words")
    assert "content/reports/2024/beta.md:18: statements[0].summary_en: warning: no English text yet: the English " \
           "page shows the Chinese, marked as such; add summary_en in your own words" in lines
    assert len(lines) == 11  # two regions and two reports without body_en, seven summaries without summary_en
    assert result.stdout.startswith("check: OK: 2 reports, 2 regions, 3 industries, 7 statements; 11 warning(s)")
    # Past 20, the rest are counted, and listed on request.
    many = tmp_path / "content"
    shutil.copytree(MINI, many)
    for year in (2014, 2016, 2018, 2020):  # earlier copies of beta's 2024 report, years apart (none judges another)
        (many / "reports" / str(year)).mkdir()
        (many / "reports" / str(year) / "beta.md").write_text(
            (MINI / "reports" / "2024" / "beta.md").read_text(encoding="utf-8").replace("2023", str(year - 1))
            .replace("2024", str(year)), encoding="utf-8")
    capped = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--content", str(many)],
                            capture_output=True, text=True, timeout=120)
    every = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--content", str(many), "--all-warnings"],
                           capture_output=True, text=True, timeout=120)
    assert capped.returncode == every.returncode == 0, capped.stderr
    total = len(every.stderr.splitlines())
    assert total > 20 and f"; {total} warning(s)" in every.stdout
    assert capped.stderr.splitlines()[:20] == every.stderr.splitlines()[:20]
    assert capped.stderr.splitlines()[20:] == [f"check: {total - 20} more warning(s) not listed; check --all-warnings "
                                               "lists them all"]
    shipped = subprocess.run([sys.executable, str(ROOT / "build.py"), "check"], capture_output=True, text=True)
    assert (shipped.returncode, shipped.stderr) == (0, "")  # every shipped entry has its English


def test_an_untranslated_text_shows_in_chinese_marked(mini_site):
    html = (mini_site / "en" / "reports" / "2025" / "beta" / "index.html").read_text(encoding="utf-8")
    assert '<div class="rpt-untranslated" lang="zh">' in html and "No English summary yet" in html
    assert '<span lang="zh" class="rpt-untranslated" title="Not translated yet; this is the Chinese text">' in html
    assert "第一点" in page(mini_site, "en/reports/2025/beta/").text


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory) -> Path:
    return unzipped_snapshot(tmp_path_factory.mktemp("snapshot-i18n"), "--content", str(MINI))


def test_language_switch_and_english_search_work_from_disk(browser, snapshot):
    page = browser.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((snapshot / "reports" / "2025" / "beta.html").as_uri())
    page.click("a.rpt-language")
    page.wait_for_load_state()
    assert page.url.endswith("/en/reports/2025/beta.html")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("h1").first.inner_text().startswith("Beta · Government work report 2025")
    page.fill("form[data-rpt-search] input", "chips")
    page.wait_for_function("q => document.querySelector('[data-rpt-search-list]').getAttribute('data-rpt-query') === q",
                           arg="chips")
    hrefs = page.eval_on_selector_all("[data-rpt-search-list] a", "as => as.map(a => a.href)")
    assert hrefs and hrefs[0].split("#")[0].endswith("/en/industries/chips.html")
    assert page.inner_text("[data-rpt-search-meta]").endswith("results")
    page.keyboard.press("Escape")  # the search closes
    page.click("a.rpt-language")
    page.wait_for_load_state()
    assert page.url.endswith("/reports/2025/beta.html") and "/en/" not in page.url
    assert errors == [] and [u for u in requests if not u.startswith(("file://", "data:"))] == []
    page.close()

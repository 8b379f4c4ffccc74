"""What a reader sees, on every built page: no markup leaking into the text (a character reference shown as
such, Markdown or attribute-list syntax left unrendered), no Chinese line break turned into a space; and, in a
real browser at a phone's width, no page wider than the window and no chart text under 12 px."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path


from conftest import serving

LEAKS = {
    "a character reference": re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+);", re.I),
    "Markdown emphasis": re.compile(r"\*\*|__\S"),
    "a backtick": re.compile(r"`"),
    "attribute-list syntax": re.compile(r"\{\s*[:#.][^}]*\}"),
    "a Markdown link": re.compile(r"\]\((?:https?:|\.|/|#)"),
    "a code fence's language": re.compile(r"(?:^|\s)(?:sh|bash|yaml|python) (?:python3|\$|---|-)", re.M),
}
CJK = r"\u3400-\u4dbf\u4e00-\u9fff"


class _Visible(HTMLParser):
    """The text a reader sees: not scripts, styles, SVG internals, or code (where backticks and braces belong)."""

    SKIP = {"script", "style", "svg", "pre", "code", "textarea", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.depth += 1
        elif tag in ("p", "li", "td", "th", "div", "br", "h1", "h2", "h3", "dd", "dt"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def visible_text(path: Path) -> str:
    reader = _Visible()
    reader.feed(path.read_text(encoding="utf-8"))
    return "".join(reader.parts)


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8"))


def test_no_page_shows_markup_as_text(built_site, mini_site):
    leaks = []
    for site in (built_site, mini_site):
        for path in pages(site):
            text = visible_text(path)
            for what, pattern in LEAKS.items():
                if m := pattern.search(text):
                    leaks.append(f"{path.relative_to(site)}: {what}: …{text[max(0, m.start() - 20):m.end() + 20]}…")
    assert leaks == []


def test_no_chinese_line_break_becomes_a_space(built_site):
    """Bodies and guides are wrapped in their files (「生物医药、」 then 「商业航天」 on the next line)."""
    spaced = []
    for path in pages(built_site):
        html = path.read_text(encoding="utf-8")
        for block in re.findall(r"<(?:p|li|td|dd)\b[^>]*>(.*?)</(?:p|li|td|dd)>", html, re.S):
            block = re.sub(r"<[^>]+>", "", block)
            if m := re.search(rf"[{CJK}，、。；：]\n[{CJK}\d]", block):  # 。 then 2025年; an English sentence may follow
                spaced.append(f"{path.relative_to(built_site)}: …{block[max(0, m.start() - 10):m.end() + 10]}…")
    assert spaced == []


def one_of_each_kind(site: Path) -> list[str]:
    """A page of every kind the site has (URL paths)."""
    kinds = ["", "reports/", "reports/2026/", "reports/2026/wuxi/", "reports/2025/shanghai/", "regions/",
             "regions/wuxi/", "regions/guangdong/integrated-circuits/", "industries/",
             "industries/integrated-circuits/", "industries/integrated-circuits/2025/", "timeline/", "timeline/2025/",
             "compare/", "compare/2025/", "commitments/", "commitments/2026/", "data/", "contributing/", "about/",
             "404.html"]
    return [k for k in kinds if (site / k / "index.html").is_file() or (site / k).is_file()] + []


def test_one_page_of_every_kind_fits_a_phone_and_its_charts_read(browser, built_site):
    too_wide, too_small = [], []
    with serving(built_site) as base:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        for path in one_of_each_kind(built_site):
            page.goto(base + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                too_wide.append(f"{path or '/'}: {width} px")
            sizes = page.evaluate("""() => [...document.querySelectorAll('figure.rpt-chart svg text')].map(t =>
                t.getBoundingClientRect().height && parseFloat(getComputedStyle(t).fontSize) *
                t.ownerSVGElement.getBoundingClientRect().width / t.ownerSVGElement.viewBox.baseVal.width)""")
            small = [round(s, 1) for s in sizes if s and s < 12]
            if small:
                too_small.append(f"{path or '/'}: {small[:3]}")
        page.close()
    assert too_wide == [] and too_small == []
    assert len(one_of_each_kind(built_site)) == 21

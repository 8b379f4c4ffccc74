"""Reading built HTML in tests: visible text, links and ids, with the standard library's parser."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path


_BLOCKS = {"p", "div", "li", "td", "th", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6", "section", "summary",
           "figcaption", "caption", "table", "ul", "ol", "nav"}


_NOT_PROSE = {"svg", "pre", "code"}
"""Visible, but not prose: drawings and code (the English edition's Han/Latin measure leaves them out)."""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.prose: list[str] = []
        self.links: list[str] = []
        self.classed_links: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.lang: str | None = None
        self._skip = self._not_prose = 0
        self._in_permalink = False

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS:
            self.text.append(" ")  # cells and paragraphs read as separate words
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "a" and "headerlink" in (attrs.get("class") or "").split():
            self._skip += 1  # a heading's permalink mark (¶), shown on hover: not part of what the page says
            self._in_permalink = True
        self._not_prose += tag in _NOT_PROSE
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name):
                self.links.append(attrs[name])
        if tag == "a" and attrs.get("href") and attrs.get("class"):
            self.classed_links.append((attrs["class"], attrs["href"]))

    def handle_endtag(self, tag):
        if tag in _BLOCKS:
            self.text.append(" ")
        if tag in ("script", "style"):
            self._skip -= 1
        if tag == "a" and self._in_permalink:
            self._skip -= 1
            self._in_permalink = False
        self._not_prose -= tag in _NOT_PROSE

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)
            if not self._not_prose:
                self.prose.append(data)


class Page:
    """One built page: ``text`` (visible, headings' permalink marks left out, whitespace folded), ``prose`` (the
    same without svg, pre and code), ``links``, ``ids``, ``lang`` (of <html>)."""

    def __init__(self, path: Path):
        reader = _Reader()
        reader.feed(path.read_text(encoding="utf-8"))
        self.path = path
        self.text = re.sub(r"\s+", " ", "".join(reader.text))
        self.prose = "".join(reader.prose)
        self.links = reader.links
        self.ids = reader.ids
        self.lang = reader.lang
        self._classed_links = reader.classed_links

    def link_of_class(self, name: str) -> str | None:
        """The address of the first link with this class (the language switch: rpt-language)."""
        return next((href for classes, href in self._classed_links if name in classes.split()), None)


def page(site: Path, url_path: str) -> Page:
    """The page at a site URL path such as ``reports/2025/beijing/``."""
    return Page(site / url_path / "index.html" if not url_path.endswith(".html") else site / url_path)

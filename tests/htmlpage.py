"""Reading built HTML in tests: visible text, links and ids, with the standard library's parser."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path


_BLOCKS = {"p", "div", "li", "td", "th", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6", "section", "summary",
           "figcaption", "caption", "table", "ul", "ol", "nav"}


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self.ids: set[str] = set()
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS:
            self.text.append(" ")  # cells and paragraphs read as separate words
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name):
                self.links.append(attrs[name])

    def handle_endtag(self, tag):
        if tag in _BLOCKS:
            self.text.append(" ")
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


class Page:
    """One built page: ``text`` (visible, whitespace folded), ``links``, ``ids``."""

    def __init__(self, path: Path):
        reader = _Reader()
        reader.feed(path.read_text(encoding="utf-8"))
        self.path = path
        self.text = re.sub(r"\s+", " ", "".join(reader.text))
        self.links = reader.links
        self.ids = reader.ids


def page(site: Path, url_path: str) -> Page:
    """The page at a site URL path such as ``reports/2025/beijing/``."""
    return Page(site / url_path / "index.html" if not url_path.endswith(".html") else site / url_path)

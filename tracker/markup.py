"""What a body may publish: Markdown that renders to text formatting and links, nothing live.

The rule is checked on the HTML the body actually renders to, with the Markdown extensions the site uses,
against an allowlist of tags, attributes and link schemes: whatever the syntax (raw HTML, attribute lists,
reference links, entities), only what renders to allowed HTML passes. Refused rather than sanitized, so
what a contributor wrote is what readers see.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import yaml

def _site_extensions() -> tuple[list, dict]:
    """The Markdown extensions mkdocs.yml configures, with their settings: a body is checked as the site renders it."""
    config = yaml.safe_load((Path(__file__).resolve().parent.parent / "mkdocs.yml").read_text(encoding="utf-8"))
    names, settings = [], {}
    for item in config.get("markdown_extensions") or []:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        names.append(name)
        if options:
            settings[name] = options
    return names, settings


EXTENSIONS, EXTENSION_CONFIGS = _site_extensions()
_TAGS = {"p", "a", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "hr", "br", "div",
         "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td"}
_ATTRIBUTES = {"a": {"href", "title"}, "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"},
               "h6": {"id"}, "div": {"class"}, "p": {"class"}, "th": {"style"}, "td": {"style"}}
_VALUES = {"class": re.compile(r"admonition(-title)?( [a-z]+)?"), "style": re.compile(r"text-align: (left|right|center);"),
           "href": re.compile(r"(https?://|#)", re.I), "id": re.compile(r"[\w-]+")}
_NEEDS_RENDERING = re.compile(r"[<{\[&]")
"""Plain prose cannot hide markup: only a body with one of these characters is rendered to be looked at."""


class _Allowlist(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refused: list[tuple[str, str]] = []  # (what, a word to find its line by)

    def handle_starttag(self, tag, attrs):
        if tag not in _TAGS:
            self.refused.append((f"<{tag}>", tag))
            return
        for name, value in attrs:
            pattern = _VALUES.get(name)
            if name not in _ATTRIBUTES.get(tag, ()) or not (pattern and pattern.match(value or "")):
                self.refused.append((f'<{tag} {name}="{(value or "")[:40]}">', (value or name)[:20]))


def refused_markup(body: str) -> list[tuple[str, str]]:
    """What the body would publish that is not allowed: (description, a snippet to find its line by)."""
    if not _NEEDS_RENDERING.search(body):
        return []
    checker = _Allowlist()
    checker.feed(markdown.markdown(body, extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS))
    return checker.refused

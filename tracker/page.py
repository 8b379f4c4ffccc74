"""A file of the generated site: a Markdown page for MkDocs, or any other file (search index, data)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable


@dataclass(frozen=True)
class Page:
    path: str
    """Where the file goes, relative to the docs folder, e.g. ``reports/2025/beijing.md``."""
    content: str | Callable[[], Iterable[str]]
    """The text, or, for a large file, a function that gives it in parts: it is written part by part and is
    never whole in memory (reports.json is 100 MB as one Python string at 10,000 reports)."""

    @property
    def text(self) -> str:
        return self.content if isinstance(self.content, str) else "".join(self.content())

    def parts(self) -> Iterable[str]:
        return (self.content,) if isinstance(self.content, str) else self.content()

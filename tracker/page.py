"""A file of the generated site: a Markdown page for MkDocs, or any other file (search index, data)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    path: str
    """Where the file goes, relative to the docs folder, e.g. ``reports/2025/beijing.md``."""
    text: str

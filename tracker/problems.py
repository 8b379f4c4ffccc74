"""A problem in the content: where it is, which field, what is wrong and how to fix it."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    """The file, relative to the project root, with forward slashes."""
    line: int
    """1-based line of the offending key or value; 0 when the file as a whole is at fault."""
    field: str
    """Where in the entry, e.g. ``statements[2].metric.unit``; empty for the file itself."""
    message: str
    """What is wrong and how to fix it, in one sentence or two."""

    def __str__(self) -> str:
        where = f"{printable(self.path)}:{self.line}" if self.line else printable(self.path)
        message = printable(self.message)
        return f"{where}: {printable(self.field)}: {message}" if self.field else f"{where}: {message}"


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                          "\ufeff\ufffe\uffff\ud800-\udfff]")
"""What a value must not send to a terminal or a log as it is: control characters (a line break would start a
line of its own, ESC a terminal command), bidirectional controls (they reorder what is shown), non-characters."""


def printable(text: str) -> str:
    """Text as one line of a log: every character of _UNPRINTABLE written as its escape (\\n, \\x1b, \\u202e)."""
    return _UNPRINTABLE.sub(lambda m: m[0].encode("unicode_escape", "backslashreplace").decode("ascii"), text)


class ContentError(Exception):
    """Raised with every problem of a run, never with only the first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(sorted(set(problems)))
        super().__init__(f"{len(self.problems)} problem(s) in the content")


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most like ``word``, if any is close enough to be a likely typo."""
    # Two-character Chinese words differ by half when one character is wrong (亿园 for 亿元).
    cutoff = 0.5 if len(word) <= 3 else 0.6
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``; did you mean 'x'?`` for the closest choice, or an empty string."""
    close = closest(word, choices)
    return f"; did you mean '{close}'?" if close else ""

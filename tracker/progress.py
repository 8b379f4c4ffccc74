"""Progress of a long build on a terminal: the stage and how far it is (``render pages 5,000/11,468``), on one
line that rewrites itself; nothing where the output is not a terminal or under CI (logs stay clean)."""

from __future__ import annotations

import os
import sys
import time
from typing import Iterable, Iterator, TextIO, TypeVar

T = TypeVar("T")


class Progress:
    def __init__(self, stream: TextIO | None = None, interval: float = 0.2) -> None:
        self.stream = stream or sys.stderr
        self.shown = self.stream.isatty() and os.environ.get("CI") != "true"
        self.interval = interval
        self.last = 0.0
        self.width = 0

    def counted(self, items: Iterable[T], stage: str, total: int | None = None) -> Iterator[T]:
        """The items, passing through, with the stage and a count shown as they go."""
        done = 0
        for done, item in enumerate(items, 1):
            self.show(stage, done, total)
            yield item
        self.show(stage, done, total, force=True)

    def show(self, stage: str, done: int | None = None, total: int | None = None, force: bool = False) -> None:
        now = time.monotonic()
        if not self.shown or (not force and now - self.last < self.interval):
            return
        self.last = now
        text = stage if done is None else f"{stage} {done:,}" + (f"/{total:,}" if total else "")
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def done(self) -> None:
        """Clear the line, for the one-line summary that follows."""
        if self.shown and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0

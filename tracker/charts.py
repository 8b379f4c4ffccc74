"""Charts drawn at build time: the numbers and geometry here, the SVG markup in templates/charts/.

A chart is a picture of a table the page also shows, so it carries no links; its title and
description are what a screen reader announces.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

WIDTH = 360
"""In user units; a chart is shown at most 420 px wide (tracker.css) and as narrow as a phone's column (about 350 px),
so that its 13-unit text is never under 12 px as rendered."""
LABEL_WIDTH = 104
BAR_HEIGHT = 18
BAR_GAP = 8
TOP = 8


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    """The value as shown at the end of the bar."""
    y: float
    width: float


@dataclass(frozen=True)
class BarChart:
    id: str
    """Unique on its page: prefixes the ids of the title and description."""
    title: str
    description: str
    bars: tuple[Bar, ...]
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> float:
        return TOP * 2 + len(self.bars) * (BAR_HEIGHT + BAR_GAP)


def bar_chart(id: str, title: str, rows: list[tuple[str, float]], unit: str = "", total: int | None = None,
              top: Callable[[int, int], str] | None = None, separator: str = "；") -> BarChart | None:
    """Horizontal bars, one per (label, value), longest first as given; None when there is nothing to draw. Where
    the rows are the first of ``total``, the title says so, in the words ``top`` gives (前12项，共18项)."""
    rows = [(label, value) for label, value in rows if value > 0]
    if not rows:
        return None
    if total and total > len(rows):
        title = title + top(len(rows), total)
    top = max(v for _, v in rows)
    room = WIDTH - LABEL_WIDTH - 40  # leave space for the value after the longest bar
    bars = tuple(Bar(label, value, f"{value:g}{unit}", TOP + n * (BAR_HEIGHT + BAR_GAP), room * value / top)
                 for n, (label, value) in enumerate(rows))
    description = separator.join(f"{b.label} {b.text}" for b in bars)
    return BarChart(id, title, description, bars)


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str
    """The year under the point."""
    text: str
    """The figure above the point, as the report wrote it."""


@dataclass(frozen=True)
class LineChart:
    id: str
    title: str
    description: str
    points: tuple[Point, ...]
    width: int = WIDTH
    height: int = 200
    baseline: float = 170

    @property
    def path(self) -> str:
        return " ".join(f"{'M' if n == 0 else 'L'}{p.x:.1f},{p.y:.1f}" for n, p in enumerate(self.points))


def line_chart(id: str, title: str, series: list[tuple[str, float, str]], separators: tuple[str, str] = ("；", "：")
               ) -> LineChart | None:
    """A figure over years: (year label, value, text as written); None for fewer than two points. The description
    lists them with the language's ``separators`` (between points, between a year and its figure)."""
    if len(series) < 2:
        return None
    top = max(v for _, v, _ in series) or 1
    left, right, baseline, plot_height = 36, WIDTH - 36, 170, 130
    step = (right - left) / (len(series) - 1)
    points = tuple(Point(left + n * step, baseline - plot_height * max(value, 0) / top, label, text)
                   for n, (label, value, text) in enumerate(series))
    description = separators[0].join(f"{p.label}{separators[1]}{p.text}" for p in points)
    return LineChart(id, title, description, points, baseline=baseline)

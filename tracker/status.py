"""Commitment tracking: the status of every target and plan, derived from the results that report on it.

Status is judged against the latest report date in the corpus, never the wall clock, so the same
content always builds the same site.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from .model import Corpus, Metric, Report, Statement

Status = Literal["exceeded", "met", "partly-met", "missed", "pending", "overdue"]
STATUS_NAMES: dict[str, tuple[str, str]] = {
    "exceeded": ("超额完成", "Exceeded"),
    "met": ("完成", "Met"),
    "partly-met": ("部分完成", "Partly met"),
    "missed": ("未完成", "Missed"),
    "pending": ("进行中", "Pending"),
    "overdue": ("逾期未报", "Overdue: no reported outcome"),
}
"""Display order, with Chinese and English names."""

COMMITMENT_KINDS = ("target", "plan")

_AT_MOST = {"以内"}
_ABOUT = {"左右", "约", "近"}
_ABOUT_TOLERANCE = 0.05
"""A figure 'about' a target (左右, 约) meets it within 5% either way."""


@dataclass(frozen=True)
class Commitment:
    """A target or plan with the results that report on it and the status they give it."""

    report: Report
    statement: Statement
    results: tuple[tuple[Report, Statement], ...]
    status: Status


@dataclass(frozen=True)
class Tracker:
    """Every commitment of the corpus with its status, as of the latest report."""

    corpus: Corpus

    @cached_property
    def as_of(self) -> dt.date | None:
        reports = self.corpus.reports_by_date
        return reports[-1].delivered if reports else None

    @cached_property
    def commitments(self) -> tuple[Commitment, ...]:
        results: dict[str, list[tuple[Report, Statement]]] = {}
        for report in self.corpus.reports_by_date:
            for s in report.statements:
                if s.reports_on:
                    results.setdefault(s.reports_on, []).append((report, s))
        out = []
        for report in self.corpus.reports_by_date:
            for s in report.statements:
                if s.kind in COMMITMENT_KINDS:
                    found = tuple(results.get(s.id, ()))
                    out.append(Commitment(report, s, found, self._status(s, found)))
        return tuple(out)

    @cached_property
    def by_id(self) -> dict[str, Commitment]:
        return {c.statement.id: c for c in self.commitments}

    @cached_property
    def by_year(self) -> dict[int, tuple[Commitment, ...]]:
        """Commitments by the year they are due, in report date order."""
        return _group(self.commitments, lambda c: c.statement.year)

    @cached_property
    def by_region(self) -> dict[str, tuple[Commitment, ...]]:
        return _group(self.commitments, lambda c: c.report.region)

    @cached_property
    def counts(self) -> dict[str, int]:
        return tally(self.commitments)

    def _status(self, target: Statement, results: tuple[tuple[Report, Statement], ...]) -> Status:
        if not results:
            past_due = self.as_of is not None and target.year < self.as_of.year
            return "overdue" if past_due else "pending"
        _, latest = results[-1]
        return latest.outcome or judge(target.metrics, latest.metrics)  # validation ensures one of the two


def _group(commitments, key) -> dict:
    out: dict = {}
    for c in commitments:
        out.setdefault(key(c), []).append(c)
    return {k: tuple(v) for k, v in out.items()}


def tally(commitments) -> dict[str, int]:
    """Commitments per status, every status listed (zero included), in display order."""
    counts = dict.fromkeys(STATUS_NAMES, 0)
    for c in commitments:
        counts[c.status] += 1
    return counts


def judge(targets: tuple[Metric, ...], outcomes: tuple[Metric, ...]) -> Status | None:
    """Compare a result's figures with the target's, metric by metric (same measure and unit).

    None when no figure can be compared; validation then requires the result to state its outcome."""
    verdicts = []
    for t in targets:
        o = next((o for o in outcomes if o.measures == t.measures and o.unit == t.unit), None)
        if o is not None:
            verdicts.append(_compare(t, o.value.value))
    if not verdicts:
        return None
    if all(v == "exceeded" for v in verdicts):
        return "exceeded"
    if all(v in ("met", "exceeded") for v in verdicts):
        return "met"
    return "missed" if all(v == "missed" for v in verdicts) else "partly-met"


def _compare(target: Metric, value: float) -> Status:
    """One figure against its target: about (左右), at most (以内), or else at least (以上, 突破, none)."""
    goal = target.value.value
    if target.comparator in _ABOUT:
        if abs(value - goal) <= abs(goal) * _ABOUT_TOLERANCE:
            return "met"
        return "exceeded" if value > goal else "missed"
    if target.comparator in _AT_MOST:
        return "met" if value <= goal else "missed"
    if value > goal:
        return "exceeded"
    return "met" if value == goal else "missed"

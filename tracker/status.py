"""Commitment tracking: the status of every target and plan, derived from the results that report on it.

A commitment due in a year is judged by its region's report of the next year, which either has a result that
reports on it (reports_on: the outcome it states, or its figures against the target's) or lists it as one it
says nothing of (silent_on: not mentioned). Until that report is in the corpus, the commitment is awaiting.
Never the clock, never another region's report: the same content always builds the same site.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from .model import Corpus, Metric, Report, Statement

Status = Literal["exceeded", "met", "partly-met", "missed", "progress", "not-mentioned", "awaiting"]
STATUSES = ("exceeded", "met", "partly-met", "missed", "progress", "not-mentioned", "awaiting")
"""Display order; their names are in the catalogs (templates/i18n)."""

SETTLED = ("exceeded", "met", "partly-met", "missed", "progress", "not-mentioned")
"""The statuses a report that reviews the commitment's year can give; awaiting is the rest."""

COMMITMENT_KINDS = ("target", "plan")

_AT_MOST = {"以内"}
_ABOUT = {"左右", "约", "近"}
_ABOUT_TOLERANCE = 0.05
"""A figure 'about' a target (左右, 约) meets it within 5% either way."""


def is_commitment(statement: Statement, report_year: int) -> bool:
    """A target or plan for the report's year or later (a plan about a past year is not a commitment)."""
    return statement.kind in COMMITMENT_KINDS and statement.year >= report_year


def review_year(statement: Statement) -> int:
    """The year of the report that reviews a commitment: the one after the year it is due."""
    return statement.year + 1


@dataclass(frozen=True)
class Commitment:
    """A target or plan with the results that report on it and the status they give it."""

    report: Report
    statement: Statement
    results: tuple[tuple[Report, Statement], ...]
    """Every result that reports on it, in date order: interim progress first, then the review."""
    status: Status
    review: Report | None
    """The region's report that reviews the year it is due, where the corpus has it."""

    @property
    def evidence(self) -> tuple[Report, Statement] | None:
        """The result the status comes from (the latest one), if any."""
        return self.results[-1] if self.results else None

    @property
    def latest_metrics(self) -> tuple[Metric, ...]:
        """The figures of the latest result that match the commitment's measures (same measure and unit)."""
        if not self.results:
            return ()
        _, latest = self.results[-1]
        wanted = {(m.measures, m.unit) for m in self.statement.metrics}
        return tuple(m for m in latest.metrics if (m.measures, m.unit) in wanted)


@dataclass(frozen=True)
class Tracker:
    """Every commitment of the corpus with its status. A commitment is judged only by its own region's report
    that reviews the year it is due: another region's report, or the clock, changes nothing."""

    corpus: Corpus

    @cached_property
    def commitments(self) -> tuple[Commitment, ...]:
        results: dict[str, list[tuple[Report, Statement]]] = {}
        for report in self.corpus.reports_by_date:
            for s in report.statements:
                for target in s.reports_on:
                    results.setdefault(target, []).append((report, s))
        out = []
        for report in self.corpus.reports_by_date:
            for s in report.statements:
                if is_commitment(s, report.year):
                    found = tuple(results.get(s.id, ()))
                    review = self.report_of(report.region, review_year(s))
                    out.append(Commitment(report, s, found, self._status(s, found, review), review))
        return tuple(out)

    def report_of(self, region: str, year: int) -> Report | None:
        return self._reports.get((region, year))

    @cached_property
    def _reports(self) -> dict[tuple[str, int], Report]:
        return {(r.region, r.year): r for r in self.corpus.reports}

    def due_for_review(self, region: str, year: int) -> tuple[Commitment, ...]:
        """The commitments a region's report of ``year`` has to judge: its own, due the year before."""
        return tuple(c for c in self.by_region.get(region, ()) if review_year(c.statement) == year)

    def reviewed_by(self, report: Report) -> tuple[Commitment, ...]:
        """The commitments that a report judges: its region's, due in the year before its own."""
        return self._reviewed.get(report.slug, ())

    @cached_property
    def _reviewed(self) -> dict[str, tuple[Commitment, ...]]:
        return _group((c for c in self.commitments if c.review is not None), lambda c: c.review.slug)

    @cached_property
    def by_id(self) -> dict[str, Commitment]:
        return {c.statement.id: c for c in self.commitments}

    @cached_property
    def by_year(self) -> dict[int, tuple[Commitment, ...]]:
        """Commitments by the year they are due; in each year those with an answer first (in the display order of
        the statuses), then by region and report order."""
        order = {status: n for n, status in enumerate(STATUSES)}
        codes = {r.slug: r.code for r in self.corpus.regions}
        position = {c.statement.id: n for n, c in enumerate(self.commitments)}
        ranked = sorted(self.commitments, key=lambda c: (order[c.status], codes.get(c.report.region, ""),
                                                         position[c.statement.id]))
        return _group(ranked, lambda c: c.statement.year)

    @cached_property
    def years(self) -> tuple[int, ...]:
        """The years commitments are due, the one a listing opens with first: the latest year that a report has
        reviewed (where the answers are), then the others, newest first."""
        due = sorted(self.by_year, reverse=True)
        reviewed = [y for y in due if any(c.review for c in self.by_year[y])]
        return tuple(reviewed[:1] + [y for y in due if y not in reviewed[:1]])

    @cached_property
    def by_region(self) -> dict[str, tuple[Commitment, ...]]:
        return _group(self.commitments, lambda c: c.report.region)

    @cached_property
    def counts(self) -> dict[str, int]:
        return tally(self.commitments)

    @staticmethod
    def _status(target: Statement, results: tuple[tuple[Report, Statement], ...], review: Report | None) -> Status:
        reviewed = [(r, s) for r, s in results if r.year >= review_year(target)]
        if reviewed:
            _, latest = reviewed[-1]
            return latest.outcome or judge(target.metrics, latest.metrics) or "progress"
        early = [s.outcome or judge(target.metrics, s.metrics) for _, s in results]
        if early and early[-1] in ("met", "exceeded"):
            return early[-1]  # a report before the due year that says it is already met
        if review is not None and target.id in review.silent_on:
            return "not-mentioned"
        return "awaiting"


def _group(commitments, key) -> dict:
    out: dict = {}
    for c in commitments:
        out.setdefault(key(c), []).append(c)
    return {k: tuple(v) for k, v in out.items()}


def tally(commitments) -> dict[str, int]:
    """Commitments per status, every status listed (zero included), in display order."""
    counts = dict.fromkeys(STATUSES, 0)
    for c in commitments:
        counts[c.status] += 1
    return counts


def judge(targets: tuple[Metric, ...], outcomes: tuple[Metric, ...]) -> Status | None:
    """Compare a result's figures with the target's, metric by metric (same measure and unit).

    None when no figure can be compared; validation then requires the result to state its outcome."""
    verdicts = []
    for t in targets:
        goal, base = t.normalized
        o = next((o for o in outcomes if o.measures == t.measures and o.normalized[1] == base), None)
        if o is not None:
            verdicts.append(_compare(t.comparator, goal, o.normalized[0]))
    if not verdicts:
        return None
    if all(v == "exceeded" for v in verdicts):
        return "exceeded"
    if all(v in ("met", "exceeded") for v in verdicts):
        return "met"
    return "missed" if all(v == "missed" for v in verdicts) else "partly-met"


def _compare(comparator: str | None, goal: float, value: float) -> Status:
    """One figure against its target, both in base units: about (左右), at most (以内), or else at least (以上, 突破,
    none)."""
    if comparator in _ABOUT:
        if abs(value - goal) <= abs(goal) * _ABOUT_TOLERANCE:
            return "met"
        return "exceeded" if value > goal else "missed"
    if comparator in _AT_MOST:
        return "met" if value <= goal else "missed"
    if value > goal:
        return "exceeded"
    return "met" if value == goal else "missed"

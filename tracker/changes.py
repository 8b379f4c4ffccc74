"""What a region's report changed from its report of the year before: industries newly named or no longer named,
targets raised or lowered for the same measure, named programmes and funds that are new. Derived from the two
entries at build time; the region page shows it (section changes-<year>), the report page links to it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .model import Corpus, Metric, Report, Statement


@dataclass(frozen=True)
class TargetChange:
    """The same measure targeted in both reports, in the same kind of unit."""

    measures: str
    before: tuple[Statement, Metric]
    after: tuple[Statement, Metric]

    @property
    def direction(self) -> Literal["raised", "lowered", "kept"]:
        old, new = self.before[1].normalized[0], self.after[1].normalized[0]
        return "raised" if new > old else "lowered" if new < old else "kept"


@dataclass(frozen=True)
class YearChange:
    """One report against the region's report of the year before."""

    before: Report
    after: Report
    named: tuple[str, ...]
    """Industries the later report names and the earlier did not (slugs, in the later report's order)."""
    dropped: tuple[str, ...]
    """Industries the earlier report named and the later does not."""
    targets: tuple[TargetChange, ...]
    programmes: tuple[tuple[str, Statement], ...]
    """Named programmes, projects and clusters (quoted names) the later report's commitments bring in, with the
    statement that names each."""
    funds: tuple[Statement, ...]
    """The later report's funds."""

    @property
    def anchor(self) -> str:
        return f"changes-{self.after.year}"

    @property
    def empty(self) -> bool:
        return not (self.named or self.dropped or self.targets or self.programmes or self.funds)


def changes(corpus: Corpus, region: str) -> tuple[YearChange, ...]:
    """Each of the region's reports against its report of the year before, where the corpus has both; newest
    first."""
    reports = {r.year: r for r in corpus.reports_of_region.get(region, ())}
    return tuple(compare(reports[year - 1], reports[year]) for year in sorted(reports, reverse=True)
                 if year - 1 in reports)


def compare(before: Report, after: Report) -> YearChange:
    old, new = set(before.all_industries), set(after.all_industries)
    return YearChange(
        before=before, after=after,
        named=tuple(i for i in after.all_industries if i not in old),
        dropped=tuple(i for i in before.all_industries if i not in new),
        targets=_targets(before, after),
        programmes=_programmes(before, after),
        funds=tuple(s for s in after.statements if s.kind == "fund"))


def _forward(report: Report):
    """The report's commitments (targets and plans), projects and funds about its own year or later."""
    return [s for s in report.statements if not s.looks_back(report.year)]


def _targets(before: Report, after: Report) -> tuple[TargetChange, ...]:
    earlier: dict[tuple[str, str | None], tuple[Statement, Metric]] = {}
    for s in before.statements:
        if s.kind == "target":
            for m in s.metrics:
                earlier.setdefault((m.measures, m.normalized[1]), (s, m))
    found = []
    for s in after.statements:
        if s.kind == "target":
            for m in s.metrics:
                key = (m.measures, m.normalized[1])
                if key in earlier:
                    found.append(TargetChange(m.measures, earlier.pop(key), (s, m)))
    return tuple(found)


def _programmes(before: Report, after: Report) -> tuple[tuple[str, Statement], ...]:
    known = {q for s in before.statements for q in s.quotes}
    found: dict[str, Statement] = {}
    for s in _forward(after):
        for q in s.quotes:
            if q not in known:
                found.setdefault(q, s)
    return tuple(found.items())

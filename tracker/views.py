"""What the tracker pages show, computed from the model: charts' rows, the comparison matrix, filter choices.

Pure functions of the corpus; the templates decide how it looks.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import i18n
from .charts import BarChart, LineChart, bar_chart, line_chart
from .model import Corpus, Industry, Region, Report, metric_series


def industry_ranking(corpus: Corpus, by: str) -> tuple:
    """The industries named anywhere, by the number of regions naming them or of statements about them (then by the
    other, then by slug): the order of a chart and of the table beside it."""
    other = "statements" if by == "regions" else "regions"
    return tuple(sorted(corpus.busiest_industries,
                        key=lambda c: (-getattr(c, by), -getattr(c, other), c.industry.slug)))


def industry_chart(corpus: Corpus, by: str, limit: int = 15, lang: str = "zh") -> BarChart | None:
    """The busiest industries, by the number of regions naming them or of statements about them."""
    ranked = industry_ranking(corpus, by)
    return bar_chart(f"industries-by-{by}", i18n.plain(lang, f"charts.industries_by_{by}"),
                     [(i18n.name(lang, c.industry), getattr(c, by)) for c in ranked[:limit]], total=len(ranked),
                     top=lambda n, total: i18n.plain(lang, "charts.top", n=n, total=total),
                     separator=i18n.plain(lang, "sep.semicolon"))


def region_mix(corpus: Corpus, region: str, limit: int = 12, lang: str = "zh") -> BarChart | None:
    """The industries a region's statements name most, all years together."""
    counts: dict[str, int] = {}
    for report in corpus.reports_of_region.get(region, ()):
        for s in report.statements:
            for tag in s.industries:
                counts[tag] = counts.get(tag, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    title = i18n.plain(lang, "charts.region_mix", region=i18n.name(lang, corpus.region[region]))
    return bar_chart(f"mix-{region}", title, [(i18n.name(lang, corpus.industry[slug]), n) for slug, n in ranked[:limit]],
                     total=len(ranked), top=lambda n, total: i18n.plain(lang, "charts.top", n=n, total=total),
                     separator=i18n.plain(lang, "sep.semicolon"))


def pairs(reports) -> list[tuple[Report, object]]:
    """(report, statement) for every statement of the reports, in order."""
    return [(r, s) for r in reports for s in r.statements]


def metric_charts(corpus: Corpus, pairs, prefix: str, lang: str = "zh") -> list[LineChart]:
    """A line chart for each figure that results give for two years or more."""
    charts = []
    for n, series in enumerate(metric_series(pairs)):
        region = i18n.name(lang, corpus.region[series.region])
        points = [(i18n.plain(lang, "year", year=year), m.value.value, i18n.figure(lang, m))
                  for year, m, _, _ in series.points]
        chart = line_chart(f"{prefix}-{n}", i18n.plain(lang, "charts.metric_title", region=region,
                                                      measures=series.measures), points,
                           (i18n.plain(lang, "sep.semicolon"), i18n.plain(lang, "sep.colon")))
        if chart:
            charts.append(chart)
    return charts


@dataclass(frozen=True)
class Matrix:
    """Statements per region (rows) and industry (columns) in the reports of one year."""

    year: int
    industries: tuple[Industry, ...]
    rows: tuple[tuple[Region, Report, tuple[int, ...]], ...]
    """(region, its report of the year, statements per industry in column order)."""
    peak: int
    """The largest count in the table: the darkest shade."""


def matrix(corpus: Corpus, year: int) -> Matrix:
    reports = [r for r in corpus.reports_by_date if r.year == year]
    counts = [{tag: sum(tag in s.industries for s in r.statements) for tag in r.all_industries} for r in reports]
    named = {tag for c in counts for tag in c}
    columns = tuple(c.industry for c in corpus.busiest_industries if c.industry.slug in named)
    regions = sorted(zip(reports, counts, strict=True), key=lambda rc: corpus.region[rc[0].region].code)
    rows = tuple((corpus.region[r.region], r, tuple(c.get(i.slug, 0) for i in columns)) for r, c in regions)
    return Matrix(year, columns, rows, max((n for _, _, cells in rows for n in cells), default=0))


def heat(n: int, peak: int) -> int:
    """A cell's shade, 0 (none) to 4 (the busiest cell of the table)."""
    return 0 if n == 0 or peak == 0 else 1 + min(3, 4 * (n - 1) // max(peak, 1))


def filter_choices(corpus: Corpus, lang: str = "zh") -> dict[str, list[tuple[str, str]]]:
    """(value, label) options of the filters: industries as a tree, regions by code, kinds in order. Only those
    with reports, from the tallies the corpus keeps (each year's timeline and commitments page asks); an industry
    with reports has broader ones with reports too, so the tree keeps its shape."""
    industries = [(i.slug, "　" * depth + i18n.name(lang, i)) for i, depth in corpus.industry_tree
                  if corpus.industry_counts[i.slug].reports]
    with_reports = {a for region in corpus.reports_of_region for a in corpus.ancestors(region, "region")}
    regions = [(r.slug, i18n.name(lang, r)) for r in corpus.regions if r.slug in with_reports]
    return {"industry": industries, "region": regions}

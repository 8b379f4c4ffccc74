"""The table of routes: every kind of page and file the site has, declared once, with its address, its template,
its title, the pages it makes and whether the navigation shows it. The renderer, the redirects, the search index,
the feeds and MkDocs' navigation all read it; templates ask for url("report", r) and title("report", r).

Addresses are docs paths (reports/2025/beijing.md) below a language's folder (render.LANGUAGES: "" or "en/"), except
for the files every language shares (the downloads and the citations), which live once at the site's root.
A yearly listing (timeline, comparison, commitments, an industry's statements) has its newest year at its own
address (timeline.md) and each earlier year below it (timeline/2024.md): its `years` say which come first."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from .i18n import name
from .model import Corpus, Industry, Report
from .status import Tracker


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    """The docs path, with {fields} from ``fields``: reports/{year}/{region}.md."""
    template: str
    fields: Callable[[object], dict] = lambda obj: {}
    """The fields of the pattern and of the title, for one object of the route (a report, a region…)."""
    title: str | None = None
    """The catalog key of the page's title, filled with ``title_fields``."""
    pages: Callable[[Corpus, Tracker], Iterable[tuple[object, dict]]] = lambda corpus, tracker: [(None, {})]
    """Every page of the route: (its object, its template's context)."""
    years: Callable[[Corpus, Tracker, object], list[int]] | None = None
    """For a yearly listing: its years in the order of its year links, the first at the route's own address."""
    nav: str | None = None
    """The catalog key of its entry in the site's navigation (in the table's order), for those listed there."""
    shared: bool = False
    """One file for every language, at the site's root (downloads, citations)."""
    search: bool = False
    """Its pages are documents of the search index (tracker/search.py builds them from the route's objects)."""
    title_fields: Callable[[object, str, Corpus], dict] = lambda obj, code, corpus: {}
    """The fields of the title, for one object of the route in a language (code): the names it is about."""

    def path(self, obj=None, year: int | None = None, years: Iterable[int] | None = None) -> str:
        path = self.pattern.format(**self.fields(obj)) if obj is not None else self.pattern
        if self.years is None:
            return path
        base = path[:-len(".md")]
        return path if year is None or year == next(iter(years or ()), None) else f"{base}/{year}.md"


def _report_fields(report: Report) -> dict:
    return {"year": report.year, "region": report.region}


def _region_industry_pages(corpus: Corpus, tracker: Tracker):
    """A page for each industry a region's statements are tagged with: everything it said of it over the years."""
    for region in corpus.regions:
        pairs: dict[str, list] = {}
        for report in corpus.reports_of_region.get(region.slug, ()):
            for s in report.statements:
                for tag in s.industries:
                    pairs.setdefault(tag, []).append((report, s))
        for slug in sorted(pairs):
            industry = corpus.industry[slug]
            yield (region, industry), {"region": region, "industry": industry, "pairs": pairs[slug],
                                       "named": tuple(pairs)}


def _yearly(years: Callable[[Corpus, Tracker, object], list[int]], **context):
    """The pages of a yearly listing without an object of its own (timeline, comparison, commitments)."""
    def pages(corpus: Corpus, tracker: Tracker):
        listed = years(corpus, tracker, None)
        for year in listed or [None]:
            yield None, dict(year=year, years=listed, **context)
    return pages


def _industry_pages(corpus: Corpus, tracker: Tracker):
    for industry in corpus.industries:
        groups = _YearGroups(corpus.statements_tagged.get(industry.slug, ()))
        years = list(corpus.industry_years.get(industry.slug, ()))
        for year in years or [None]:
            yield industry, {"industry": industry, "groups": groups, "year": year, "years": years}


class _YearGroups:
    """An industry's statements by year, then report (render.by_year_and_report): groups[2025]. Worked out when
    one of its pages is rendered, not when the pages are listed (a rebuild lists all and renders a few: half a
    second at 10,000 reports)."""

    def __init__(self, pairs) -> None:
        self.pairs = pairs

    @functools.cached_property
    def _by_year(self) -> dict:
        from .render import by_year_and_report
        return dict(by_year_and_report(self.pairs))

    def __getitem__(self, year: int) -> list:
        return self._by_year[year]


def _industry_years(corpus: Corpus, tracker: Tracker, industry: Industry) -> list[int]:
    # Worked out once per corpus: every link to an industry's yearly page asks (a tenth of a rebuild's rendering).
    return list(corpus.industry_years.get(industry.slug, ()))


def _both_names(entry, code: str, corpus: Corpus) -> dict:
    return {"name_zh": entry.name_zh, "name_en": entry.name_en}


ROUTES: dict[str, Route] = {route.name: route for route in (
    # Entries first: MkDocs reads the pages in this order (see render.in_reading_order).
    Route("report", "reports/{year}/{region}.md", "report.md.j2", _report_fields, "title.report",
          lambda corpus, tracker: ((r, {"report": r, "region": corpus.region[r.region]}) for r in corpus.reports),
          search=True, title_fields=lambda report, code, corpus: {
              "year": report.year, "region": name(code, corpus.region[report.region])}),
    Route("region", "regions/{region}.md", "region.md.j2", lambda region: {"region": region.slug}, "title.region",
          lambda corpus, tracker: ((r, {"region": r}) for r in corpus.regions), search=True,
          title_fields=lambda region, code, corpus: {"region": name(code, region)}),
    Route("region_industry", "regions/{region}/{industry}.md", "region_industry.md.j2",
          lambda pair: {"region": pair[0].slug, "industry": pair[1].slug}, "title.region_industry",
          _region_industry_pages, search=True, title_fields=lambda pair, code, corpus: {
              "region": name(code, pair[0]), "industry": name(code, pair[1])}),
    Route("home", "index.md", "home.md.j2", nav="nav.home"),
    Route("reports", "reports/index.md", "reports.md.j2", title="title.reports", nav="nav.reports",
          pages=lambda corpus, tracker: [(None, {"year": None})]),
    Route("reports_year", "reports/{year}/index.md", "reports.md.j2", lambda year: {"year": year},
          "title.reports_year", lambda corpus, tracker: ((y, {"year": y}) for y in corpus.years),
          title_fields=lambda year, code, corpus: {"year": year}),
    Route("regions", "regions/index.md", "regions.md.j2", title="title.regions", nav="nav.regions"),
    Route("industries", "industries/index.md", "industries.md.j2", title="title.industries", nav="nav.industries"),
    Route("industry", "industries/{industry}.md", "industry.md.j2", lambda i: {"industry": i.slug}, "title.industry",
          _industry_pages, _industry_years, search=True,
          title_fields=lambda industry, code, corpus: {"industry": name(code, industry)}),
    Route("timeline", "timeline.md", "timeline.md.j2", title="title.timeline", nav="nav.timeline",
          pages=_yearly(lambda corpus, tracker, _: sorted(corpus.years, reverse=True), base="timeline"),
          years=lambda corpus, tracker, _: sorted(corpus.years, reverse=True)),
    Route("compare", "compare.md", "compare.md.j2", title="title.compare", nav="nav.compare",
          pages=_yearly(lambda corpus, tracker, _: sorted(corpus.years, reverse=True), base="compare"),
          years=lambda corpus, tracker, _: sorted(corpus.years, reverse=True)),
    Route("commitments", "commitments.md", "commitments.md.j2", title="title.commitments", nav="nav.commitments",
          pages=_yearly(lambda corpus, tracker, _: list(tracker.years), base="commitments"),
          years=lambda corpus, tracker, _: list(tracker.years)),
    Route("data", "data.md", "data.md.j2", title="title.data", nav="nav.data"),
    Route("contributing", "contributing.md", "", title="title.contributing", nav="nav.contributing"),
    Route("about", "about.md", "about.md.j2", title="title.about", nav="nav.about"),
    Route("cite_json", "data/cite/{year}/{region}.json", "cite.json.j2", _report_fields, shared=True,
          pages=lambda corpus, tracker: ((r, {"report": r}) for r in corpus.reports)),
    Route("cite_bib", "data/cite/{year}/{region}.bib", "cite.bib.j2", _report_fields, shared=True,
          pages=lambda corpus, tracker: ((r, {"report": r}) for r in corpus.reports)),
    Route("feed_all", "feeds/all.atom.xml", "feeds/atom.xml.j2", title="title.feed_all"),
    Route("feed_industry", "feeds/industries/{industry}.atom.xml", "feeds/atom.xml.j2",
          lambda i: {"industry": i.slug}, "title.feed_industry", title_fields=_both_names),
    Route("feed_region", "feeds/regions/{region}.atom.xml", "feeds/atom.xml.j2",
          lambda r: {"region": r.slug}, "title.feed_region", title_fields=_both_names),
    Route("calendar", "feeds/targets.ics", "feeds/targets.ics.j2", title="title.calendar"),
    Route("statements_csv", "data/statements.csv", "", shared=True),
    Route("metrics_csv", "data/metrics.csv", "", shared=True),
    Route("reports_json", "data/reports.json", "", shared=True),
)}
"""Every route, in reading order; the navigation lists those with ``nav`` in this order."""


def nav_routes() -> Iterator[Route]:
    return (route for route in ROUTES.values() if route.nav)


def redirects(corpus: Corpus) -> Iterator[tuple[str, str, object]]:
    """(old path, route, object) for every address an entry had before its slug changed (``formerly``): the
    region's page and its reports, the industry's page and its yearly pages. The old path is the route's pattern
    with the old slug."""
    for region in corpus.regions:
        for old in region.formerly:
            yield ROUTES["region"].pattern.format(region=old), "region", region
            for report in corpus.reports_of_region.get(region.slug, ()):
                yield ROUTES["report"].pattern.format(year=report.year, region=old), "report", report
    route = ROUTES["industry"]
    for industry in corpus.industries:
        years = _industry_years(corpus, None, industry)
        for old in industry.formerly:
            for year in years or [None]:
                yield route.path(dataclasses.replace(industry, slug=old), year, years), "industry", (industry, year,
                                                                                                   years)

"""Stage 3, render: the model → the Markdown pages MkDocs builds. Pure: model in, texts out.

Templates own presentation; this module only chooses which template renders which page and
with what context. Every value a template prints is escaped for the kind of file it writes (OUTPUT_KINDS):
in a page, for HTML and for Markdown unless it is marked safe (a contributor's Markdown body), so no entry
can inject markup by accident; in a feed, for XML; in the calendar, as iCalendar text; and so on.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from typing import Callable, Iterable, Iterator

import jinja2
import jinja2.runtime
import markupsafe
from markupsafe import Markup

from . import escape, views
from .changes import changes
from .typography import join_cjk_lines
from .data import CSV_COLUMNS, DATA_LICENCE, METRIC_COLUMNS
from .data import dictionary as data_dictionary
from .page import Page
from .model import KIND_NAMES, LEVEL_NAMES, Corpus, Report
from .status import STATUS_NAMES, Tracker, tally


def _escape_output(value):
    """Jinja's escape of every printed value, without re-wrapping what is already Markup: markupsafe.escape
    returns a new Markup for each (11 million at 10,000 reports, a sixth of the rendering time). Same result."""
    return value if value.__class__ is Markup else markupsafe.escape(value)


# Compiled templates import `escape` from jinja2.runtime, and markup_join calls it there: set it before any
# template is compiled. This process renders only our templates (MkDocs runs in a process of its own).
jinja2.runtime.escape = _escape_output

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

OUTPUT_KINDS = {".md": escape.page, ".html": escape.page, ".xml": escape.xml, ".ics": escape.ics,
                ".bib": escape.bibtex, ".json": escape.json_value}
"""The escaping of every value a template prints, by the kind of file the template writes (feeds/atom.xml.j2
writes XML): each value escaped once, for the reader of its own file."""


def render(corpus: Corpus, directory_urls: bool = True, site_url: str = "/") -> Iterator[Page]:
    """Every page of the site, one at a time (at 10,000 reports they do not all fit in memory at once, with
    MkDocs' own copy), in reading order, linking to each other with the URLs MkDocs will give them
    (``reports/2025/beijing/``, or ``reports/2025/beijing.html`` for an offline copy).

    ``site_url`` (mkdocs.yml's, where set) makes the stable URLs that citations give absolute.

    Listings that grow with the corpus (timeline, comparison, commitments, an industry's statements)
    come one year a page: the newest year on the listing's own page, older years below it
    (timeline.md, timeline/2024.md), so that no page grows past a year's worth."""
    return iter(in_reading_order(corpus, directory_urls, site_url)[1])


def in_reading_order(corpus: Corpus, directory_urls: bool = True, site_url: str = "/",
                     extra: tuple[Page, ...] = ()) -> tuple[list[str], "Rendering"]:
    """The paths of every Markdown page in the order they are rendered, and the pages rendered in that order,
    then the other files. MkDocs reads the pages in the same order (mkdocs_hooks.on_files), each as soon as it
    is written: entries first, which this process renders three times as fast as MkDocs reads them, so that
    the listings, slow to render, are ready before MkDocs gets to them."""
    envs = _environments(corpus, directory_urls, site_url)
    specs = list(_pages(corpus, envs[".md"].globals["tracker"]))
    paths = [p.path for p in extra if p.path.endswith(".md")] + [path for path, template, _ in specs
                                                                  if _is_page(path, template)]

    def rendered() -> Iterator[Page]:
        yield from extra
        for path, template, context in specs:
            yield _render_one(envs, path, template, context, directory_urls)

    return paths, Rendering(rendered(), len(extra) + len(specs))


def _is_page(path: str, template: str) -> bool:
    """Markdown for MkDocs, not a finished file (data, feeds, redirect pages)."""
    return path.endswith(".md") and not template.endswith(".html.j2")


class Rendering:
    """Pages rendered one at a time as they are iterated, with their number known in advance."""

    def __init__(self, pages: Iterator[Page], count: int) -> None:
        self.pages, self.count = pages, count

    def __iter__(self) -> Iterator[Page]:
        return self.pages

    def __len__(self) -> int:
        return self.count


def _render_one(envs: dict[str, jinja2.Environment], path: str, template: str, context: dict | Callable[[], dict],
                directory_urls: bool) -> Page:
    """One page; a context that is a function (a costly one) is called now, not when the pages are listed."""
    env = envs[Path(template).suffixes[-2]]  # feeds/atom.xml.j2 → .xml
    text = env.get_template(template).render(here=path, **(context() if callable(context) else context))
    if template.endswith(".html.j2"):  # a finished page, not Markdown: written where its URL points
        url = url_for(path, directory_urls)
        path = url + "index.html" if url.endswith("/") or not url else url
    return Page(path, ics_lines(text) if path.endswith(".ics") else text)


def render_entries(corpus: Corpus, files: list[str], site_url: str = "/") -> list[Page]:
    """The own pages of the given report and region files (by the paths `check` shows), alone: a preview of
    entries just edited. Other files have none."""
    envs = _environments(corpus, True, site_url)
    reports = {r.path: r for r in corpus.reports}
    regions = {r.path: r for r in corpus.regions}
    specs = [_report_spec(corpus, reports[f]) if f in reports else _region_spec(regions[f])
             for f in files if f in reports or f in regions]
    return [_render_one(envs, path, template, context, True) for path, template, context in specs]


def _report_spec(corpus: Corpus, report: Report):
    return report_path(report), "report.md.j2", {"report": report, "region": corpus.region[report.region]}


def _region_spec(region):
    return f"regions/{region.slug}.md", "region.md.j2", {"region": region}


def region_industry_path(region: str, industry: str) -> str:
    return f"regions/{region}/{industry}.md"


def _region_industry_specs(corpus: Corpus, region):
    """A page for each industry a region's statements are tagged with: everything it said of it over the years."""
    pairs: dict[str, list] = {}
    for report in corpus.reports_of_region.get(region.slug, ()):
        for s in report.statements:
            for tag in s.industries:
                pairs.setdefault(tag, []).append((report, s))
    for slug in sorted(pairs):
        yield (region_industry_path(region.slug, slug), "region_industry.md.j2",
               {"region": region, "industry": corpus.industry[slug], "pairs": pairs[slug], "named": tuple(pairs)})


def guide_pages() -> Iterator[Page]:
    """The contributors' guide, the repository's CONTRIBUTING.md, as a page of the site (one text, two places)."""
    yield Page("contributing.md", join_cjk_lines((TEMPLATES.parent / "CONTRIBUTING.md").read_text(encoding="utf-8")))


def _pages(corpus: Corpus, tracker: Tracker):
    """(path, template, context) of every file, in reading order: the Markdown pages, entries first (see
    in_reading_order), then the files MkDocs does not read."""
    def yearly(base: str, template: str, years, ordered: bool = False, **context):
        years = list(years) if ordered else sorted(years, reverse=True)
        for year in years or [None]:
            yield year_path(base, year, years), template, dict(year=year, years=years, base=base, **context)

    for report in corpus.reports:
        yield _report_spec(corpus, report)
    for region in corpus.regions:
        yield _region_spec(region)
    for region in corpus.regions:
        yield from _region_industry_specs(corpus, region)
    yield "index.md", "home.md.j2", {}
    yield "reports/index.md", "reports.md.j2", {"year": None}
    for year in corpus.years:
        yield f"reports/{year}/index.md", "reports.md.j2", {"year": year}
    yield "regions/index.md", "regions.md.j2", {}
    yield "industries/index.md", "industries.md.j2", {}
    for industry in corpus.industries:
        groups = dict(by_year_and_report(corpus.statements_tagged.get(industry.slug, ())))
        yield from yearly(f"industries/{industry.slug}", "industry.md.j2", groups, industry=industry, groups=groups)
    yield from yearly("timeline", "timeline.md.j2", corpus.years)
    yield from yearly("compare", "compare.md.j2", corpus.years)
    yield from yearly("commitments", "commitments.md.j2", tracker.years, ordered=True)
    yield "data.md", "data.md.j2", {}
    yield "about.md", "about.md.j2", {}
    for report in corpus.reports:
        yield f"data/cite/{report.year}/{report.region}.json", "cite.json.j2", {"report": report}
        yield f"data/cite/{report.year}/{report.region}.bib", "cite.bib.j2", {"report": report}
    yield from _feeds(corpus, tracker)
    yield from _redirects(corpus)


def _redirects(corpus: Corpus):
    """A page at every address an entry had before its slug changed (``formerly``), leading to where it is now:
    the region's page and its reports, the industry's page and its yearly pages."""
    for region in corpus.regions:
        for old in region.formerly:
            yield f"regions/{old}.md", "redirect.html.j2", {"target": f"regions/{region.slug}.md",
                                                             "title": region.name_zh}
            for report in corpus.reports_of_region.get(region.slug, ()):
                yield (f"reports/{report.year}/{old}.md", "redirect.html.j2",
                       {"target": report_path(report), "title": f"{report.year}年{region.name_zh}政府工作报告"})
    for industry in corpus.industries:
        years = sorted({r.year for r, _ in corpus.statements_tagged.get(industry.slug, ())}, reverse=True)
        for old in industry.formerly:
            for year in years or [None]:
                yield (year_path(f"industries/{old}", year, years), "redirect.html.j2",
                       {"target": year_path(f"industries/{industry.slug}", year, years), "title": industry.name_zh})


FEED_SIZE = 50
"""Entries in a feed: the newest reports (a feed is for following, the site for reading back)."""


def feed_path(kind: str, slug: str | None = None) -> str:
    return "feeds/all.atom.xml" if kind == "all" else f"feeds/{kind}/{slug}.atom.xml"


def _feeds(corpus: Corpus, tracker: Tracker):
    def feed(feed_id: str, title: str, reports: Callable[[], Iterable[Report]], page_for: str) -> dict:
        newest = sorted(reports(), key=lambda r: (r.delivered, r.region), reverse=True)[:FEED_SIZE]
        updated = max((report_updated(r) for r in newest), default=corpus.latest_date or dt.date(1970, 1, 1))
        return {"feed_id": feed_id, "title": title, "reports": newest, "updated": rfc3339(updated),
                "page_for": page_for}

    template = "feeds/atom.xml.j2"
    yield feed_path("all"), template, functools.partial(feed, "feed/all", "全部报告 All reports",
                                                        lambda: corpus.reports, "timeline.md")
    for i in corpus.industries:
        yield feed_path("industries", i.slug), template, functools.partial(
            feed, f"feed/industries/{i.slug}", f"{i.name_zh} {i.name_en}",
            functools.partial(corpus.reports_naming, i.slug), f"industries/{i.slug}.md")
    for r in corpus.regions:
        yield feed_path("regions", r.slug), template, functools.partial(
            feed, f"feed/regions/{r.slug}", f"{r.name_zh} {r.name_en}",
            functools.partial(corpus.reports_of_region.get, r.slug, ()), f"regions/{r.slug}.md")
    targets = [c for c in tracker.commitments if c.statement.kind == "target"]
    yield "feeds/targets.ics", "feeds/targets.ics.j2", {"targets": targets,
                                                        "stamp": corpus.latest_date or dt.date(1970, 1, 1)}


def report_updated(report: Report) -> dt.date:
    """When a report's entry last changed, as the content says: its newest source, or its delivery."""
    return max([report.delivered, *(s.date for s in report.sources if s.date)])


def rfc3339(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def ics_lines(text: str) -> str:
    """RFC 5545 lines: CRLF ends, folded at 75 octets without splitting a character."""
    out = []
    for line in text.split("\n"):
        if not line:
            continue
        chunk, size = "", 0
        for ch in line:
            width = len(ch.encode("utf-8"))
            if size + width > 75:
                out.append(chunk)
                chunk, size = " ", 1
            chunk += ch
            size += width
        out.append(chunk)
    return "\r\n".join(out) + "\r\n"


def year_path(base: str, year: int | None, years) -> str:
    """The page of one year of a yearly listing. ``years`` are the listing's years in the order of its year links,
    the first being the listing's own page: the newest year, or for commitments the year last reviewed."""
    return f"{base}.md" if year is None or year == next(iter(years)) else f"{base}/{year}.md"


def url_for(path: str, directory_urls: bool = True) -> str:
    """The URL MkDocs gives a docs page, relative to the site root: reports/2025/beijing/ (or .html).
    Any other file (data/reports.json) keeps its path."""
    if not path.endswith(".md"):
        return path
    stem = path[:-3]
    if stem == "index" or stem.endswith("/index"):
        base = stem[:-5]
        return base if directory_urls else base + "index.html"
    return stem + "/" if directory_urls else stem + ".html"


def report_path(report: Report) -> str:
    return f"reports/{report.year}/{report.region}.md"


def _environments(corpus: Corpus, directory_urls: bool = True, site_url: str = "/") -> dict[str, jinja2.Environment]:
    """A Jinja environment per kind of output (OUTPUT_KINDS), sharing globals and filters: the pages' escapes for
    HTML and Markdown and keeps Markup as it is; the others escape every value for their own kind, and nothing
    there is Markup."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        finalize=_escape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(directory_urls=directory_urls, site_url=site_url.rstrip("/") + "/")
    env.globals.update(corpus=corpus, tracker=Tracker(corpus), href=_href, published=_published, report_path=report_path,
                       region_industry_path=region_industry_path,
                       year_path=year_path, feed_path=feed_path, url_for=url_for, tally=tally, KIND_NAMES=KIND_NAMES, LEVEL_NAMES=LEVEL_NAMES, STATUS_NAMES=STATUS_NAMES,
                       industry_chart=views.industry_chart, industry_ranking=views.industry_ranking, region_mix=views.region_mix,
                       metric_charts=views.metric_charts, changes=changes, pairs=views.pairs, matrix=views.matrix, heat=views.heat,
                       filter_choices=views.filter_choices, ancestors=corpus.ancestors,
                       with_ancestors=corpus.with_ancestors, data_dictionary=data_dictionary,
                       CSV_COLUMNS=CSV_COLUMNS, METRIC_COLUMNS=METRIC_COLUMNS, DATA_LICENCE=DATA_LICENCE)
    env.tests["looks_back"] = lambda statement, report_year: statement.looks_back(report_year)
    env.filters.update(cjk_lines=lambda text: Markup(join_cjk_lines(str(text))), code_spans=_code_spans,
                       rfc3339=rfc3339, report_updated=report_updated, bibtex_url=escape.bibtex_url,
                       ics_stamp=lambda day: day.strftime("%Y%m%dT000000Z"), zh_date=zh_date, group_by_kind=group_by_kind, month_groups=month_groups,
                       by_year_and_report=by_year_and_report)
    envs = {kind: env if function is escape.page else env.overlay(autoescape=False, finalize=_finalizer(function))
            for kind, function in OUTPUT_KINDS.items()}
    bib = envs[".bib"].get_template("cite.bib.j2")
    # The page shows the same BibTeX as the .bib file: rendered as BibTeX, then escaped as the page's text.
    env.globals["bibtex_entry"] = lambda report: bib.render(report=report, here=f"data/cite/{report.year}/{report.region}.bib")
    return envs


def _finalizer(function: Callable[[str], Markup]) -> Callable:
    if function is escape.json_value:
        return function
    return lambda value: value if isinstance(value, escape.Verbatim) else function(str(value))


def _escape(value):
    """Escape every value printed in a page for HTML and Markdown; Markup (already safe) passes through."""
    if value is None or isinstance(value, Markup):
        return value
    return escape.page(str(value))


def _code_spans(text) -> Markup:
    """Our own help texts (never a contributor's) with their `code` shown as code: escaped, then the backticks
    made <code>."""
    return Markup(re.sub(r"&#96;(.+?)&#96;", r"<code>\1</code>", str(_escape(text))))


@jinja2.pass_context
def _published(context, target: str) -> str:
    """The address a page has on the published site, where the site's address is known (feeds and citations are
    read away from the site, the offline snapshot's too); else the relative URL. Plain text: each output escapes
    it for its own kind (the site's address is configuration, not ours)."""
    site_url = context["site_url"]
    if site_url == "/":
        return str(_href(context, target))
    return site_url + url_for(target, True)


@jinja2.pass_context
def _href(context, target: str) -> Markup:
    """The URL of another page relative to the page being rendered, so that links work under any sub-path
    and from disk. MkDocs leaves these alone: no Markdown link to resolve on 10,000 pages."""
    return _relative(target, context["here"], context["directory_urls"])


@functools.lru_cache(maxsize=1 << 16)
def _relative(target: str, here: str, directory_urls: bool) -> Markup:
    url, base = url_for(target, directory_urls), url_for(here, directory_urls)
    # The folder a browser resolves against: the page's own for directory URLs, its parent's for .html.
    folder = base.rstrip("/").split("/") if base.endswith("/") else base.split("/")[:-1]
    parts = url.rstrip("/").split("/") if url else []
    folder = [p for p in folder if p]
    common = 0
    while common < min(len(folder), len(parts)) and folder[common] == parts[common]:
        common += 1
    relative = "/".join([".."] * (len(folder) - common) + parts[common:])
    if url.endswith("/") or not url:
        relative = relative + "/" if relative else "./"
    return Markup(relative)


def zh_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def group_by_kind(statements) -> list[tuple[str, list]]:
    """Statements grouped by kind, in the display order of KIND_NAMES, empty kinds left out."""
    statements = list(statements)
    groups = [(kind, [s for s in statements if s.kind == kind]) for kind in KIND_NAMES]
    return [(kind, items) for kind, items in groups if items]


def by_year_and_report(pairs) -> list[tuple[int, list[tuple[Report, list]]]]:
    """(report, statement) pairs in date order → [(year, [(report, statements)])], newest year first."""
    years: dict[int, dict[str, tuple[Report, list]]] = {}
    for report, s in pairs:
        years.setdefault(report.year, {}).setdefault(report.slug, (report, []))[1].append(s)
    return [(y, list(years[y].values())) for y in sorted(years, reverse=True)]


def month_groups(reports) -> list[tuple[int, list[tuple[int, list[Report]]]]]:
    """Reports (in date order) grouped by year, then month: [(year, [(month, reports)])]."""
    years: dict[int, dict[int, list[Report]]] = {}
    for r in reports:
        years.setdefault(r.delivered.year, {}).setdefault(r.delivered.month, []).append(r)
    return [(y, list(months.items())) for y, months in years.items()]

"""Stage 3, render: the model → the Markdown pages MkDocs builds. Pure: model in, texts out.

Templates own presentation; this module only chooses which template renders which page and
with what context. Every value a template prints is escaped for the kind of file it writes (OUTPUT_KINDS):
in a page, for HTML and for Markdown unless it is marked safe (a contributor's Markdown body), so no entry
can inject markup by accident; in a feed, for XML; in the calendar, as iCalendar text; and so on.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from pathlib import Path
from typing import Callable, Iterable, Iterator

import jinja2
import jinja2.runtime
import markupsafe
from markupsafe import Markup

from . import escape, forked, i18n, texts, views
from .cache import CACHE_DIR
from .changes import changes
from .data import CSV_COLUMNS, DATA_LICENCE, METRIC_COLUMNS
from .data import dictionary as data_dictionary
from .i18n import LANGUAGES, Language
from .model import KINDS, Corpus, Report
from .page import Page
from .routes import ROUTES, Route, redirects
from .status import STATUSES, Tracker, tally
from .typography import join_cjk_lines


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


def render(corpus: Corpus, directory_urls: bool = True, site_url: str = "/",
           languages: tuple[Language, ...] = LANGUAGES) -> Iterator[Page]:
    """Every page of the site, one at a time (at 10,000 reports they do not all fit in memory at once, with
    MkDocs' own copy), in reading order, in every language, linking to each other with the URLs MkDocs will give
    them (``reports/2025/beijing/``, ``en/reports/2025/beijing/``, or ``….html`` for an offline copy).

    ``site_url`` (mkdocs.yml's, where set) makes the stable URLs that citations give absolute.

    Listings that grow with the corpus (timeline, comparison, commitments, an industry's statements)
    come one year a page: the newest year on the listing's own page, older years below it
    (timeline.md, timeline/2024.md), so that no page grows past a year's worth."""
    return iter(in_reading_order(corpus, directory_urls, site_url, languages=languages)[1])


def in_reading_order(corpus: Corpus, directory_urls: bool = True, site_url: str = "/",
                     extra: tuple[Page, ...] = (), languages: tuple[Language, ...] = LANGUAGES,
                     only: Callable[[str, str, object], bool] | None = None) -> tuple[list[str], "Rendering"]:
    """The paths of every Markdown page in the order they are rendered, and the pages rendered in that order,
    then the other files. Each page comes in every language in turn (reports/2025/beijing.md, then
    en/reports/2025/beijing.md), so that the MkDocs of each language (one each, see site.py) gets its pages at the
    same pace. MkDocs reads the pages in the same order (mkdocs_hooks.on_files), each as soon as it is written:
    entries first, which this process renders three times as fast as MkDocs reads them, so that the listings,
    slow to render, are ready before MkDocs gets to them. ``extra`` pages (the guide) come first, as given.
    ``only(route name, path, context)``, where given, chooses the pages rendered (an edit's, tracker/rebuild.py);
    the paths are still every page's."""
    envs = _environments(corpus, directory_urls, site_url)
    specs = list(_specs(corpus, envs[".md"].globals["tracker"]))
    extras = list(extra)

    def in_languages(route: Route, path: str):
        return ((language.prefix + path if not route.shared else path, language)
                for language in (languages if not route.shared else languages[:1]))

    paths = [p.path for p in extras if p.path.endswith(".md")] + [
        full for route, path, _ in specs if _is_page(path, route.template) for full, _ in in_languages(route, path)]
    pages = [(full, route, context, language) for route, path, context in specs
             if only is None or only(route.name, path, context) for full, language in in_languages(route, path)]

    items = [(path, route.template, context, language) for path, route, context, language in pages]
    return paths, Rendering(extras, items, envs, directory_urls)


def _is_page(path: str, template: str) -> bool:
    """Markdown for MkDocs, not a finished file (data, feeds, redirect pages)."""
    return path.endswith(".md") and not template.endswith(".html.j2")


PARALLEL_FROM = 16
"""Pages of the other languages (Rendering.at_once) before a second process pays for its start (a fork)."""


class Rendering:
    """Pages rendered one at a time as they are iterated (the ``extras`` first, as given), with their number known
    in advance; or all at once, on two cores (at_once)."""

    def __init__(self, extras: list[Page], items: list[tuple[str, str, dict | Callable[[], dict], Language]],
                 envs: dict[str, jinja2.Environment], directory_urls: bool) -> None:
        self.extras, self.items, self.envs, self.directory_urls = extras, items, envs, directory_urls

    def __iter__(self) -> Iterator[Page]:
        yield from self.extras
        yield from self._rendered(self.items)

    def __len__(self) -> int:
        return len(self.extras) + len(self.items)

    def _rendered(self, items) -> Iterator[Page]:
        for path, template, context, language in items:
            yield _render_one(self.envs, path, template, context, self.directory_urls, language)

    def at_once(self) -> list[Page]:
        """Every page, in order: the pages of the languages after the first rendered by a forked process while
        this one renders the rest (a rebuild's pages, which MkDocs waits for all together; what both need
        worked out once, such as the templates, each works out)."""
        first = LANGUAGES[0]
        mine = [i for i, (*_, language) in enumerate(self.items) if language == first]
        theirs = [i for i, (*_, language) in enumerate(self.items) if language != first]
        if not mine or len(theirs) < PARALLEL_FROM:
            return list(self)
        here, (there,) = forked.beside(lambda: list(self._rendered(self.items[i] for i in mine)),
                                       [lambda: list(self._rendered(self.items[i] for i in theirs))])
        pages: list[Page | None] = [None] * len(self.items)
        for i, page in zip(mine + theirs, here + there):
            pages[i] = page
        return self.extras + pages


def _render_one(envs: dict[str, jinja2.Environment], path: str, template: str, context: dict | Callable[[], dict],
                directory_urls: bool, language: Language) -> Page:
    """One page; a context that is a function (a costly one) is called now, not when the pages are listed."""
    env = envs[Path(template).suffixes[-2]]  # feeds/atom.xml.j2 → .xml
    text = env.get_template(template).render(here=path, lang=language.code, lang_prefix=language.prefix,
                                             **(context() if callable(context) else context))
    env.let_go()
    if template.endswith(".html.j2"):  # a finished page, not Markdown: written where its URL points
        path = html_file(path, directory_urls)
    return Page(path, ics_lines(text) if path.endswith(".ics") else text)


def render_entries(corpus: Corpus, files: list[str], site_url: str = "/") -> list[Page]:
    """The own pages of the given report and region files (by the paths `check` shows), alone, in the first
    language: a preview of entries just edited. Other files have none."""
    envs = _environments(corpus, True, site_url)
    reports = {r.path: r for r in corpus.reports}
    regions = {r.path: r for r in corpus.regions}
    pages = []
    for f in files:
        route, obj = (ROUTES["report"], reports[f]) if f in reports else (ROUTES["region"], regions.get(f))
        if obj is None:
            continue
        context = {"report": obj, "region": corpus.region[obj.region]} if route.name == "report" else {"region": obj}
        pages.append(_render_one(envs, route.path(obj), route.template, context, True, LANGUAGES[0]))
    return pages


def guide_pages(languages: tuple[Language, ...] = LANGUAGES) -> Iterator[Page]:
    """The contributors' guide, the repository's CONTRIBUTING.md, as a page of the site (one text, two places):
    whole on the Chinese site, its English half (from its "## English" heading) on the English one."""
    text = join_cjk_lines((TEMPLATES.parent / "CONTRIBUTING.md").read_text(encoding="utf-8"))
    path = ROUTES["contributing"].path()
    for language in languages:
        if language.code == "zh":
            yield Page(path, text)
        else:
            english = text[text.index("\n## English\n") + len("\n## English\n"):]
            title = i18n.plain(language.code, "title.contributing")
            yield Page(language.prefix + path, f"# {title}\n" + re.sub(r"^###", "##", english, flags=re.M))


def _specs(corpus: Corpus, tracker: Tracker) -> Iterator[tuple[Route, str, dict | Callable[[], dict]]]:
    """(route, path, context) of every file, in reading order: the pages of every route of the table that has a
    template (the feeds and the redirects last), then the files MkDocs does not read."""
    for route in ROUTES.values():
        if not route.template or route.template.startswith("feeds/"):
            continue
        for obj, context in route.pages(corpus, tracker):
            yield route, route.path(obj, context.get("year"), context.get("years")), context
    yield from _feeds(corpus, tracker)
    yield from _redirects(corpus, tracker)


_REDIRECT = Route("redirect", "", "redirect.html.j2")


def _redirects(corpus: Corpus, tracker: Tracker):
    """A page at every address an entry had before its slug changed, leading to where it is now."""
    for old_path, route, obj in redirects(corpus):
        year = years = None
        if route == "industry":
            obj, year, years = obj
        yield _REDIRECT, old_path, {"route": route, "obj": obj, "year": year}


FEED_SIZE = 50
"""Entries in a feed: the newest reports (a feed is for following, the site for reading back)."""


def _feeds(corpus: Corpus, tracker: Tracker):
    def feed(route: str, obj, reports: Callable[[], Iterable[Report]], page_for: tuple) -> dict:
        newest = sorted(reports(), key=lambda r: (r.delivered, r.region), reverse=True)[:FEED_SIZE]
        updated = max((report_updated(r) for r in newest), default=corpus.latest_date or dt.date(1970, 1, 1))
        feed_id = ROUTES[route].path(obj)[:-len(".atom.xml")].replace("feeds/", "feed/", 1)
        return {"feed_id": feed_id, "feed_route": (route, obj), "feed_title": (route, obj), "reports": newest,
                "updated": rfc3339(updated), "page_for": page_for}

    route = ROUTES["feed_all"]
    yield route, route.path(), functools.partial(feed, "feed_all", None, lambda: corpus.reports, ("timeline", None))
    route = ROUTES["feed_industry"]
    for i in corpus.industries:
        yield route, route.path(i), functools.partial(feed, "feed_industry", i, functools.partial(
            corpus.reports_naming, i.slug), ("industry", i))
    route = ROUTES["feed_region"]
    for r in corpus.regions:
        yield route, route.path(r), functools.partial(feed, "feed_region", r, functools.partial(
            corpus.reports_of_region.get, r.slug, ()), ("region", r))
    targets = [c for c in tracker.commitments if c.statement.kind == "target"]
    route = ROUTES["calendar"]
    yield route, route.path(), {"targets": targets, "stamp": corpus.latest_date or dt.date(1970, 1, 1)}


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
        if len(line.encode("utf-8")) <= 75:  # most lines: nothing to fold
            out.append(line)
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


def html_file(path: str, directory_urls: bool = True) -> str:
    """The file, below the site's root, that serves a docs page's URL (reports/2025/beijing/index.html)."""
    url = url_for(path, directory_urls)
    return url + "index.html" if url.endswith("/") or not url else url


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


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """The templates compiled to Python, kept in .cache/ (Jinja checks each against its source): every build,
    rebuild and preview compiled them anew in each of its processes, 0.3 s for the ten largest. A folder per
    Jinja version and kind of output (the code depends on the environment's escaping, which Jinja's key leaves
    out). A folder that cannot be written only costs that time."""

    def __init__(self, kind: str) -> None:
        super().__init__(str(CACHE_DIR / f"jinja-{jinja2.__version__}" / kind))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


class _Template(jinja2.Template):
    """A template that tells its environment of every context it makes (a page's own, and each of its imports')."""

    def new_context(self, vars=None, shared=False, locals=None) -> jinja2.runtime.Context:
        context = super().new_context(vars, shared, locals)
        self.environment.contexts.append(context)
        return context


class _Environment(jinja2.Environment):
    """An environment whose contexts are let go of when their page is done (_render_one calls ``let_go``). A page's
    context holds the macros it imports (every page imports its macros with context: made anew for it, each in a
    context of its own) and defines, and each macro holds the context it was made in: cycles only the collector
    frees. After the Chinese pages of 10,000 reports that was 2.9 million objects, held to the end of the rendering
    (its peak 891 MB, now 373) and then collected in 4.9 s. Its overlays share the list."""

    template_class = _Template

    def __init__(self, **options) -> None:
        super().__init__(**options)
        self.contexts: list[jinja2.runtime.Context] = []
        self.fragments: dict[tuple, Markup] = {}

    def let_go(self) -> None:
        """Break the cycles of every context made since the last call: its page is rendered, its macros done."""
        for context in self.contexts:
            context.vars.clear()
            context.exported_vars.clear()
        self.contexts.clear()


@jinja2.pass_context
def _once(context, macro: jinja2.runtime.Macro, key: tuple, *args) -> Markup:
    """What ``macro(*args)`` renders, worked out once per ``key`` and language in a build: for a piece that many
    pages repeat the same way (a statement's line appears on a page for each of its industries, in its region and
    nationwide, and on the timeline). The key must name everything the piece depends on besides the language and
    what is the same for the whole build (the corpus, the tracker); no link can be in it, since a link depends on
    the page it is on. Overlays share the store, so the key includes the output's escaping."""
    store = context.environment.fragments
    full = (macro.name, key, context["lang"], context.eval_ctx.autoescape)
    text = store.get(full)
    if text is None:
        text = store[full] = macro(*args)
    return text


def _environments(corpus: Corpus, directory_urls: bool = True, site_url: str = "/") -> dict[str, jinja2.Environment]:
    """A Jinja environment per kind of output (OUTPUT_KINDS), sharing globals and filters: the pages' escapes for
    HTML and Markdown and keeps Markup as it is; the others escape every value for their own kind, and nothing
    there is Markup."""
    env = _Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        finalize=_escape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # a build's templates do not change under it: no stat of each one for every page
        bytecode_cache=_CompiledTemplates("page"),
    )
    tracker = corpus.tracker
    env.globals.update(directory_urls=directory_urls, site_url=site_url.rstrip("/") + "/", corpus=corpus,
                       tracker=tracker, tally=tally, STATUSES=STATUSES, KINDS=KINDS, changes=changes,
                       url=_url, shared_url=_shared_url, route_path=_route_path, published=_published,
                       address=_address, once=_once)
    env.globals.update({name: getattr(texts, name) for name in (
        "t", "prose", "zh", "zh_text", "name", "other_name", "other_text", "summary", "body", "session", "speaker_title", "figure",
        "month_name", "title", "title_in_other_language")})
    env.globals.update(industry_chart=views.industry_chart, industry_ranking=views.industry_ranking,
                       region_mix=views.region_mix, metric_charts=views.metric_charts, pairs=views.pairs,
                       matrix=views.matrix, heat=views.heat, filter_choices=views.filter_choices,
                       ancestors=corpus.ancestors, with_ancestors=corpus.with_ancestors,
                       data_dictionary=data_dictionary, CSV_COLUMNS=CSV_COLUMNS, METRIC_COLUMNS=METRIC_COLUMNS,
                       DATA_LICENCE=DATA_LICENCE)
    env.filters.update(cjk_lines=lambda text: Markup(join_cjk_lines(str(text))), code_spans=_code_spans,
                       rfc3339=rfc3339, report_updated=report_updated, bibtex_url=escape.bibtex_url,
                       ics_stamp=lambda day: day.strftime("%Y%m%dT000000Z"), date=texts.date,
                       figure=texts.figure, group_by_kind=group_by_kind, month_groups=month_groups,
                       by_year_and_report=by_year_and_report, by_outlook=by_outlook)
    envs = {kind: env if function is escape.page else env.overlay(autoescape=False, finalize=_finalizer(function),
                                                                  bytecode_cache=_CompiledTemplates(kind[1:]))
            for kind, function in OUTPUT_KINDS.items()}
    bib = envs[".bib"].get_template("cite.bib.j2")
    # The page shows the same BibTeX as the .bib file: rendered as BibTeX, then escaped as the page's text.
    env.globals["bibtex_entry"] = lambda report: bib.render(report=report, lang=LANGUAGES[0].code,
                                                            lang_prefix="", here=ROUTES["cite_bib"].path(report))
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


def _target(context, route_name: str, obj=None, year: int | None = None) -> str:
    """The path, from the site's root, of a route's page about ``obj`` in the language being rendered."""
    route = ROUTES[route_name]
    years = route.years(context["corpus"], context["tracker"], obj) if route.years and year is not None else None
    path = route.path(obj, year, years)
    return path if route.shared else context["lang_prefix"] + path


@jinja2.pass_context
def _url(context, route: str, obj=None, year: int | None = None) -> Markup:
    """The URL of a route's page relative to the page being rendered, so that links work under any sub-path
    and from disk. MkDocs leaves these alone: no Markdown link to resolve on 10,000 pages."""
    return _relative(_target(context, route, obj, year), context["here"], context["directory_urls"])


@jinja2.pass_context
def _shared_url(context, path: str) -> Markup:
    """The URL of a file every language shares (the downloads), relative to the page being rendered."""
    return _relative(path, context["here"], context["directory_urls"])


@jinja2.pass_context
def _route_path(context, route: str, obj=None) -> str:
    """A route's path within the language's own site (what MkDocs' url filter takes: a page's feed)."""
    return ROUTES[route].path(obj)


@jinja2.pass_context
def _address(context, route: str, obj=None, year: int | None = None) -> str:
    """The stable address of a page, from the site's root (absolute where the site's address is known): what a
    citation gives."""
    return context["site_url"] + url_for(_target(context, route, obj, year), True)


@jinja2.pass_context
def _published(context, route: str, obj=None) -> str:
    """The address a page has on the published site, where the site's address is known (feeds are read away
    from the site, the offline snapshot's too); else the relative URL. Plain text: each output escapes it for its
    own kind (the site's address is configuration, not ours)."""
    if context["site_url"] == "/":
        return str(_url(context, route, obj))
    return _address(context, route, obj)


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


def group_by_kind(statements) -> list[tuple[str, list]]:
    """Statements grouped by kind, in the display order of KINDS, empty kinds left out."""
    statements = list(statements)
    groups = [(kind, [s for s in statements if s.kind == kind]) for kind in KINDS]
    return [(kind, items) for kind, items in groups if items]


def by_outlook(statements, report_year: int) -> tuple[list, list]:
    """A report's statements split into those that look back (results, earlier years) and the rest, each in
    order."""
    back, ahead = [], []
    for s in statements:
        (back if s.looks_back(report_year) else ahead).append(s)
    return back, ahead


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

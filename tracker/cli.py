"""The command line: ``python3 build.py [build|check|snapshot|new|serve|draft]``.

Thin: parse, call the stages, report.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import gc
import itertools
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import yaml

from .cache import CACHE_DIR, check_content
from .i18n import LANGUAGES
from .memory import paused_gc
from .problems import ContentError, Problem, printable

if TYPE_CHECKING:
    from . import rebuild
    from .page import Page
    from .render import Rendering

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = ("build", "check", "snapshot", "new", "serve", "draft")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(_with_command(sys.argv[1:] if argv is None else argv))
    try:
        return _run(args)
    except OSError as e:  # a folder that cannot be written, a file that is gone: say which, no traceback
        where = f"{e.filename}: " if e.filename else ""
        print(f"{args.command}: {where}{e.strerror or e}", file=sys.stderr)
        return 2


def _run(args) -> int:
    if args.command in ("build", "snapshot", "serve") and not args.config.is_file():
        print(f"{args.command}: no MkDocs configuration at {args.config}; run from the project root or pass "
              "--config", file=sys.stderr)
        return 2
    if args.command == "new":
        from .scaffold import new_entry
        return new_entry(args.content, args.region, args.year, args.force, site_url(args))
    if args.command == "draft":
        from .draft import draft_entries
        return draft_entries(args.content, args.text, args.region, args.year, args.force, site_url(args))
    if args.command == "serve":
        from .serve import serve
        return serve(args)

    started = time.perf_counter()
    entry_hashes: dict[str, bytes] = {}  # the files' hashes the check works out: a build's state keeps them
    try:
        with paused_gc(collect=False):
            corpus = check_content(args.content, None if args.no_cache else CACHE_DIR,
                                   entry_hashes if args.command == "build" else None)
            # The corpus lives to the end and forms no garbage: out of the collector's sight for good, before it
            # runs again (its first pass over the corpus took 0.2 s at 10,000 reports, each later one 0.1 s).
            gc.freeze()
    except ContentError as e:
        report_problems(e.problems, args.command, getattr(args, "format", "text"))
        return 1
    statements = sum(len(r.statements) for r in corpus.reports)
    summary = (f"{len(corpus.reports)} reports, {len(corpus.regions)} regions, "
               f"{len(corpus.industries)} industries, {statements} statements")
    if args.command == "check":
        if args.base:
            from .history import HistoryError, vanished_ids
            try:
                vanished = vanished_ids(args.content, args.base, corpus)
            except HistoryError as e:
                print(f"check: --base {args.base}: {e}", file=sys.stderr)
                return 2
            if vanished:
                report_problems(tuple(sorted(vanished)), "check", args.format)
                return 1
        report_warnings(corpus.warnings, args.format, None if args.all_warnings else SHOWN_WARNINGS)
        note = f"; {len(corpus.warnings)} warning(s)" if corpus.warnings else ""
        print(f"check: OK: {summary}{note} ({time.perf_counter() - started:.2f} s)")
        return 0

    # Imported here, not above: `check` needs none of them (a tenth of its time at 10,000 reports).
    from .render import guide_pages
    from .site import SiteError, build_site, build_snapshot

    if getattr(args, "only", None):
        from .render import render_entries
        from .site import build_preview
        base_dir = args.content.resolve().parent
        shown = [f.resolve().relative_to(base_dir).as_posix() for f in args.only if f.resolve().is_relative_to(base_dir)]
        pages = render_entries(corpus, shown, site_url(args) or "/")
        if len(pages) != len(args.only):
            print(f"build: --only takes report and region files of {args.content}; not all of "
                  f"{' '.join(map(str, args.only))} are", file=sys.stderr)
            return 2
        try:
            count = build_preview(pages, args.config, args.site, site_url(args))
        except SiteError as e:
            print(f"build: the preview failed:\n{e}", file=sys.stderr)
            return 2
        print(f"build: {count} page(s) of {', '.join(shown)} → {args.site} (a preview, not the whole site) "
              f"({time.perf_counter() - started:.1f} s)")
        return 0

    offline = args.command == "snapshot"
    online = not offline
    base = site_url(args)
    # MkDocs starts at once on one core and takes each page as it is rendered here, on the other; then, while
    # MkDocs renders the theme, this process writes the files MkDocs never reads (search index, downloads).
    languages = tuple(language for language in LANGUAGES
                      if language.code in (args.language or [language.code])) or LANGUAGES
    guide = tuple(guide_pages(languages))
    if online:
        state = _previous_build(args, corpus, languages, base, entry_hashes)
        if state.changed is not None:
            # The collector off, as for a full build's rendering (site.build_site): it rescanned the objects that
            # listing and rendering make (1.2 s of an edit's 9 at 10,000 reports), and the garbage is a few
            # pages'. Not on again after the rebuild, which ends the process: its first pass would rescan all
            # the rebuild made (0.5 s).
            gc.disable()
            status = _rebuild_changed(args, corpus, languages, base, guide, state, started, summary)
            if status is not None:
                return status
            gc.enable()
    sizes: dict[str, list[int]] = {}
    files = site_files(corpus, languages, online, base, guide, sizes)
    paths, pages = files.paths, files.pages
    # The downloads first: their peak of memory is over before the search index's begins.
    extras = itertools.chain(files.downloads, files.search_index)
    try:
        if offline:
            target = args.dist / f"regional-policy-tracker-{corpus.latest_date or 'empty'}.zip"
            count = build_snapshot(paths, pages, args.config, target, corpus.latest_date, extras, base)
            print(f"snapshot: {count} files from {summary} → {target} ({time.perf_counter() - started:.1f} s); "
                  "unzip it and open regional-policy-tracker-…/index.html")
        else:
            state.store.forget()
            digests: dict[str, bytes] = {}
            count = build_site(paths, pages, args.config, args.site, corpus.latest_date, base, extras, digests)
            state.store.keep(args.site, state.state(args.site, corpus, paths, digests, sizes))
            print(f"build: {count} pages from {summary} → {args.site} ({time.perf_counter() - started:.1f} s)")
    except SiteError as e:
        print(f"{args.command}: the build failed; nothing was replaced:\n{e}", file=sys.stderr)
        return 2
    return 0


@dataclasses.dataclass(frozen=True)
class SiteFiles:
    """What a full build writes besides MkDocs' own files, each file made only as it is taken."""

    paths: list[str]
    """The Markdown pages' paths, in the order MkDocs reads them."""
    pages: Rendering
    """The pages (with the guide's), and the files made with them (citations, feeds), in reading order."""
    downloads: Iterator[Page]
    """The open data and its schemas."""
    search_index: Iterator[Page]
    """Every language's search index."""


def site_files(corpus, languages, online: bool, base: str | None, guide: tuple[Page, ...],
               sizes: dict[str, list[int]]) -> SiteFiles:
    """The files of a full build (bench/stages.py times each group as the build makes it); ``sizes`` gets the
    downloads' parts' lengths as they are written."""
    from . import search
    from .data import data_files
    from .render import in_reading_order, url_for
    from .schema import schema_files

    url_of = functools.partial(url_for, directory_urls=online)
    paths, pages = in_reading_order(corpus, online, base or "/", extra=guide, languages=languages)
    search_index = itertools.chain.from_iterable(
        search.index_files(corpus, url_of, language.code, language.prefix) for language in languages)
    return SiteFiles(paths, pages, itertools.chain(data_files(corpus, sizes), schema_files()), search_index)


@dataclasses.dataclass(frozen=True)
class _BuildState:
    """The previous build (tracker/rebuild.py) and what this one is built from."""

    store: rebuild.Store
    inputs: str
    files: dict[str, bytes]
    previous: rebuild.State | None
    changed: list[str] | None
    """The report files edited since the previous build, if nothing else changed (else None: build it all)."""

    def state(self, site_dir: Path, corpus, paths, digests: dict[str, bytes], sizes: dict[str, list[int]],
              rebuilt: bool = False):
        from . import rebuild
        return rebuild.state_of(self.inputs, self.files, corpus, paths, digests, sizes, site_dir,
                                self.previous if rebuilt else None, self.changed if rebuilt else ())


def _previous_build(args, corpus, languages, base, entry_hashes: dict[str, bytes]) -> _BuildState:
    from . import rebuild
    store = rebuild.Store(CACHE_DIR, args.site)
    store.hold()
    inputs = rebuild.inputs_hash(ROOT, args.config, ([language.code for language in languages], base))
    files = rebuild.content_hashes(args.content, entry_hashes)
    previous = None if args.no_cache else store.load()
    return _BuildState(store, inputs, files, previous, rebuild.changed_reports(previous, inputs, files, corpus))


def _rebuild_changed(args, corpus, languages, base, guide, state: _BuildState, started, summary) -> int | None:
    """Only the pages the edited reports touch (tracker/rebuild.py), or None where the site would get other pages
    than it has (a full build then: the navigation and the sitemap change)."""
    from . import rebuild, search
    from .data import data_files
    from .render import in_reading_order, url_for
    from .site import SiteError, build_changed, restore

    if not state.changed:
        if state.previous.site != rebuild.site_identity(args.site):  # gone or changed since: the kept copy put back
            restore(state.store.site, args.site)
            state.store.save(dataclasses.replace(state.previous, site=rebuild.site_identity(args.site)))
        print(f"build: {args.site} is up to date: no file changed since it was built ({summary}); "
              "--no-cache builds it anew")
        return 0
    touched = rebuild.touched(corpus, [corpus.report_at[p] for p in state.changed], state.previous.reports)
    paths, pages = in_reading_order(corpus, True, base or "/", languages=languages, only=touched.selects)
    paths = [page.path for page in guide if page.path.endswith(".md")] + paths
    if tuple(paths) != state.previous.paths:
        return None
    url_of = functools.partial(url_for, directory_urls=True)
    urls = {url_of(path) for path in touched.paths}
    order = tuple(r.path for r in corpus.reports_by_date)
    previous = (state.store.site, state.previous.downloads, touched.reports) if order == state.previous.order else None
    sizes: dict[str, list[int]] = {}
    extras = [data_files(corpus, sizes, previous), *(  # the first group, written by this process: fills sizes
        search.changed_index_files(corpus, url_of, language.code, language.prefix, state.store.site, urls)
        for language in languages)]
    state.store.forget()
    digests = dict(state.previous.digests)
    try:
        in_place = state.previous.site == rebuild.site_identity(args.site)
        count = build_changed(pages.at_once(), extras, args.config, args.site, state.store.site, digests,
                              in_place, corpus.latest_date, base)
    except SiteError as e:
        print(f"build: the build failed; nothing was replaced:\n{e}", file=sys.stderr)
        return 2
    state.store.save(state.state(args.site, corpus, paths, digests, sizes, rebuilt=True))
    print(f"build: {count} pages changed by {len(state.changed)} edited report(s) ({len(pages)} rendered), the "
          f"rest kept, from {summary} → {args.site} ({time.perf_counter() - started:.1f} s)")
    return 0


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--content", type=Path, default=ROOT / "content", help="content folder (default: content/)")
    common.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml", help="MkDocs configuration")
    common.add_argument("--no-cache", action="store_true",
                        help="check every file afresh instead of reusing the results of unchanged files, and build "
                             "every page instead of those an edit changed (.cache/)")
    common.add_argument("--site-url", default=None,
                        help="the address the site is published at, e.g. https://owner.github.io/repo/ "
                             "(default: $SITE_URL, else mkdocs.yml's site_url)")
    parser = argparse.ArgumentParser(prog="python3 build.py", description="Build the Regional Policy Tracker site.",
                                     epilog="Without a command: build.")
    commands = parser.add_subparsers(dest="command", metavar="command")
    build = commands.add_parser("build", parents=[common], help="validate content/ and build site/ (the default)")
    build.add_argument("--site", type=Path, default=ROOT / "site", help="output folder (default: site/)")
    build.add_argument("--only", nargs="+", metavar="ENTRY", type=Path,
                       help="build only the pages of these report or region files, with stubs for the rest "
                            "(the quick preview `serve` shows while the whole site rebuilds)")
    check = commands.add_parser("check", parents=[common], help="validate only: every problem at once")
    check.add_argument("--format", choices=["text", "github"], default="text",
                       help="github: also print each problem as a GitHub Actions annotation on its line")
    check.add_argument("--all-warnings", action="store_true",
                       help=f"list every warning (without it, the first {SHOWN_WARNINGS} and a count of the rest)")
    check.add_argument("--base", metavar="REVISION",
                       help="a git revision (e.g. origin/main) whose statement ids must all still be there or be "
                            "retired in content/retired.yml")
    snapshot = commands.add_parser("snapshot", parents=[common], help="an offline copy of the site as a zip")
    snapshot.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the zip goes (default: dist/)")
    for command in (build, snapshot):
        command.add_argument("--language", action="append", choices=[language.code for language in LANGUAGES],
                             help="build only this language's site (repeat for more; default: every language)")
    new = commands.add_parser("new", parents=[common],
                              help="start an entry: a report with --region and --year, or a region with --region")
    new.add_argument("--region", required=True, help="the region's slug, e.g. wuxi")
    new.add_argument("--year", type=int, help="the report's year; leave out to start a new region")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")
    draft = commands.add_parser("draft", parents=[common],
                                help="a first draft of a report entry from the report's plain text, to review")
    draft.add_argument("text", type=Path, nargs="+",
                       help="the reports' texts (UTF-8), as copied from the official pages; each one's region and "
                            "year are read from its dateline, or its file name (2026/wuxi.md)")
    draft.add_argument("--region", help="the region's slug, e.g. wuxi, where a single text does not say it")
    draft.add_argument("--year", type=int, help="the report's year, where a single text does not say it")
    draft.add_argument("--force", action="store_true",
                       help="draft over an existing entry: a draft is replaced, a reviewed entry keeps every "
                            "statement and id and gets the new candidates after them")
    serve = commands.add_parser("serve", parents=[common],
                                help="preview: build, serve on 127.0.0.1, rebuild and reload on every change")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    return parser


def _with_command(argv: list[str]) -> list[str]:
    """``python3 build.py`` and ``python3 build.py --site X`` mean build."""
    if argv and (argv[0] in COMMANDS or argv[0] in ("-h", "--help")):
        return argv
    return ["build", *argv]


def site_url(args) -> str | None:
    """Where the site is published: the flag, the environment, mkdocs.yml; None if nowhere (links stay relative)."""
    url = args.site_url or os.environ.get("SITE_URL")
    if not url:
        url = (yaml.safe_load(args.config.read_text(encoding="utf-8")) or {}).get("site_url")
    return url.rstrip("/") + "/" if url else None


def report_problems(problems: tuple[Problem, ...], command: str, form: str = "text") -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
        if form == "github":
            print(github_annotation(problem))
    files = len({p.path for p in problems})
    outcome = "fix them and run again" if command == "check" else "nothing was built, site/ is unchanged"
    print(f"{command}: {len(problems)} problem(s) in {files} file(s); {outcome}", file=sys.stderr)


# A fork with a thousand untranslated summaries would otherwise scroll its own errors out of sight.
SHOWN_WARNINGS = 20


def report_warnings(warnings, form: str = "text", shown: int | None = None) -> None:
    """What check says without refusing, one line each, before its OK: the first ``shown`` (all if None), then
    how many more. GitHub's annotations are all printed (each lands on its own line of the pull request)."""
    for n, warning in enumerate(warnings):
        if shown is None or n < shown:
            print(dataclasses.replace(warning, message="warning: " + warning.message), file=sys.stderr)
        if form == "github":
            print(github_annotation(warning, "warning"))
    if shown is not None and len(warnings) > shown:
        print(f"check: {len(warnings) - shown} more warning(s) not listed; check --all-warnings lists them all",
              file=sys.stderr)


def github_annotation(problem: Problem, level: str = "error") -> str:
    """``::error file=…,line=…,title=…::message``, escaped as GitHub's workflow commands require."""
    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    where = f"file={prop(problem.path)}" + (f",line={problem.line}" if problem.line else "")
    title = f",title={prop(problem.field)}" if problem.field else ""
    return f"::{level} {where}{title}::{data(printable(problem.message))}"

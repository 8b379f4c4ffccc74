"""Rebuilding what an edit can change: after a change to report entries only, the pages those reports can alter
are rendered again, MkDocs builds those whose Markdown changed, and every other file is the previous build's.

Each build keeps in .cache/build/ (Store) its site, as hard links, and its State: what it was built from (a
hash of every content file; of the code, templates, theme, configuration, options and environment), what it
made (its pages' paths and their Markdown's hashes, the length of each report's part of the downloads) and what
each report named. The next build compares (changed_reports): where only report files changed, it renders the
pages they can change (touched, Touched.selects). Anything else (a region, the vocabulary, a template, the
code, mkdocs.yml, the content's newest date, which every page's footer shows, a page added or gone) means a
full build. tests/test_rebuild.py edits reports in several ways and compares each result with a full build,
file for file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Iterable

try:
    import fcntl
except ImportError:  # Windows: no file locks; a build under way relies on its folder's time alone
    fcntl = None

from .model import Corpus, Report
from .routes import ROUTES

FORMAT = 7

_BUILT_FROM = ("tracker", "templates", "overrides", "CONTRIBUTING.md")
"""What every page depends on besides the content and the configuration file (a change: a full build)."""

_PACKAGES = ("mkdocs", "mkdocs-material", "jinja2", "markdown", "pymdown-extensions", "pyyaml")

_ENVIRONMENT = ("SOURCE_DATE_EPOCH", "REPO_URL", "RPT_MKDOCS_OWN_RENDER")
"""The variables the pages depend on (the footer's date and correction link; how MkDocs renders)."""

LISTINGS = frozenset({"home", "reports", "regions", "industries", "data", "about", "feed_all", "calendar"})
"""Routes of one page that lists or counts every report: rendered again after any edit but one of prose alone
(_shape), which only the calendar shows of them (its targets' summaries: _target_prose)."""


Facts = tuple[str, int, tuple[str, ...], tuple[int, ...], bytes, bytes]
"""What a build keeps of each report (_facts): its region, year, industries (with the broader ones they belong
to), the years its statements are about, its _shape() and its _target_prose()."""


@dataclass(frozen=True)
class State:
    """What a build was made from and what it made."""

    inputs: str
    """The hash of the code, the templates, the theme, the configuration and the build's options."""
    files: dict[str, bytes]
    """Every content file (by its path as entries give it) and the hash of its bytes."""
    reports: dict[str, Facts]
    """Each report file's Facts."""
    named: frozenset[str]
    """named_industries()."""
    paths: tuple[str, ...]
    """Every Markdown page, in order."""
    digests: dict[str, bytes]
    """The hash of each Markdown page (by path): a page rendered again the same is not built again."""
    stamp: object
    """The content's newest date (the pages' footer)."""
    downloads: dict[str, tuple[int, ...]]
    """The length of each report's part of each download with such parts (data.BY_REPORT)."""
    order: tuple[str, ...]
    """The report files in date order: the order of those parts."""
    site: tuple[int, int, int] | None
    """site_identity() of the site folder as the build left it: if it is still that, a rebuild changes its files
    in place; else it makes the site anew from the copy kept in the cache."""


def inputs_hash(root: Path, config_file: Path, options: Iterable[object]) -> str:
    """One hash of everything but the content that a build's output depends on."""
    h = hashlib.blake2b(digest_size=16)
    files = [config_file.resolve()]
    for name in _BUILT_FROM:
        path = root / name
        files += sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts) \
            if path.is_dir() else [path]
    for f in files:
        h.update(str(f.relative_to(root) if f.is_relative_to(root) else f).encode() + b"\0")
        h.update(f.read_bytes() if f.exists() else b"")
    versions = []
    for package in _PACKAGES:
        try:
            versions.append(metadata.version(package))
        except metadata.PackageNotFoundError:
            versions.append("")
    h.update(repr((FORMAT, sys.version, versions, [os.environ.get(name) for name in _ENVIRONMENT], *options)).encode())
    return h.hexdigest()


def content_hashes(content_dir: Path, known: dict[str, bytes]) -> dict[str, bytes]:
    """The hash of every file of the content folder by its path as entries give it (content/reports/2025/
    beijing.md): ``known`` where it has the path (the check's, of the files it read), else of its bytes."""
    base = content_dir.parent
    hashes = {}
    for p in sorted(content_dir.rglob("*")):
        if p.is_file():
            shown = p.relative_to(base).as_posix()
            hashes[shown] = known.get(shown) or hashlib.blake2b(p.read_bytes(), digest_size=16).digest()
    return hashes


def report_facts(corpus: Corpus, known: dict[str, Facts] | None = None, changed: Iterable[str] = ()
                 ) -> dict[str, Facts]:
    """What State.reports holds of each report; ``known``: the previous build's, right but for the ``changed``
    report files (the vocabulary the same)."""
    if known is not None:
        return {**known, **{path: _facts(corpus, corpus.report_at[path]) for path in changed}}
    return {r.path: _facts(corpus, r) for r in corpus.reports}


def _facts(corpus: Corpus, r: Report) -> Facts:
    return (r.region, r.year, corpus.with_ancestors(_industries(r)), tuple(sorted({s.year for s in r.statements})),
            _shape(r), _target_prose(r))


def _shape(report: Report) -> bytes:
    """A hash of the report without its prose (its and its statements' summaries in both languages): where only
    prose changed, no count, chart, figure or status did, only the pages that show that prose."""
    bare = dataclasses.replace(report, body="", body_en=None, statements=tuple(
        dataclasses.replace(s, summary="", summary_en=None) for s in report.statements))
    return _digest(bare)


def _target_prose(report: Report) -> bytes:
    """A hash of the summaries of the report's targets, the prose the calendar of targets shows."""
    return _digest([(s.summary, s.summary_en) for s in report.statements if s.kind == "target"])


def _digest(value) -> bytes:
    return hashlib.blake2b(repr(value).encode(), digest_size=16).digest()


def named_industries(corpus: Corpus) -> frozenset[str]:
    """The industries some report names: the listings' filters offer these."""
    return frozenset(tag for r in corpus.reports for tag in r.all_industries)


def _industries(report: Report) -> tuple[str, ...]:
    return tuple(sorted({*report.all_industries, *(t for s in report.statements for t in s.industries)}))


class Store:
    """The previous build, kept in .cache/build/<folder of the site>/: its state, and its site as hard links to the
    same files (no copy; builds replace files, never write into one), so that an edit is built from it wherever
    site/ itself went, and CI, which keeps .cache/, builds the next push from the last."""

    KEPT = 8
    """Builds kept, the newest (each site folder has its own; serve and the tests build into a new one each time)."""

    def __init__(self, cache_dir: Path, site_dir: Path) -> None:
        key = hashlib.blake2b(str(site_dir.resolve()).encode(), digest_size=8).hexdigest()
        self.folder = cache_dir / "build" / key
        self.state_file = self.folder / "state.pickle"
        self.site = self.folder / "site"
        self._hold = None

    def hold(self) -> None:
        """Mark the folder in use while this Store lives (a shared lock on its .lock file, let go when the process
        ends): a build beside this one, pruning the cache, leaves it alone however long this build takes."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self._hold = open(self.folder / ".lock", "a+b")
        if fcntl:
            fcntl.flock(self._hold, fcntl.LOCK_SH)

    def load(self) -> State | None:
        """The previous build's state, or None (none, unreadable, of another format, its site gone): a full build
        then."""
        try:
            with open(self.state_file, "rb") as f:
                version, state = pickle.load(f)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
            return None
        ok = version == FORMAT and isinstance(state, State) and self.site.is_dir()
        return state if ok else None

    def forget(self) -> None:
        """Before the site changes: a build stopped half-way must not leave a state that no longer describes it."""
        self.state_file.unlink(missing_ok=True)

    def keep(self, site_dir: Path, state: State) -> None:
        """The site just built from scratch and its state, for the next build."""
        from .site import discard, link_tree
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = self.folder / "site.part"
        discard(partial)
        link_tree(site_dir, partial)
        discard(self.site)
        os.rename(partial, self.site)
        self.save(state)
        # By the folder's own time, which every step of a build moves (forget, keep, save), not its state's: a
        # build under way has no state file, and would look the oldest to a build beside it. Not counted: the
        # .trash-* folders that discard() is still deleting.
        others = sorted((p for p in self.folder.parent.iterdir()
                         if p != self.folder and p.is_dir() and not p.name.startswith(".")), key=_mtime)
        for old in others[:max(0, len(others) - (self.KEPT - 1))]:
            if not _in_use(old):
                discard(old)

    def save(self, state: State) -> None:
        """The state of the site kept here (keep, or a build that changed it in place)."""
        partial = self.state_file.with_name("state.part")
        with open(partial, "wb") as f:
            pickle.dump((FORMAT, state), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, self.state_file)


def site_identity(site_dir: Path) -> tuple[int, int, int] | None:
    """The folder's device, inode and change time (which moves when an entry is added, removed or replaced in
    it): another folder there, even one that got the same inode, is another identity."""
    try:
        st = site_dir.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_ctime_ns


def _in_use(folder: Path) -> bool:
    """Whether a build holds the folder (Store.hold); where there are no file locks (Windows), never."""
    if not fcntl:
        return False
    try:
        lock = open(folder / ".lock", "rb")
    except OSError:
        return False  # no lock file: an older build's folder, or one being removed
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
    return False


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def changed_reports(previous: State | None, inputs: str, files: dict[str, bytes], corpus: Corpus
                    ) -> list[str] | None:
    """The report files that changed since the previous build, when nothing else did (else None: a full
    build)."""
    if previous is None or previous.inputs != inputs or previous.files.keys() != files.keys():
        return None
    if previous.stamp != corpus.latest_date or previous.named != named_industries(corpus):
        return None  # every page's footer shows the content's date; the listings' filters, the industries named
    changed = [path for path, digest in files.items() if previous.files[path] != digest]
    return changed if all(path in corpus.report_at for path in changed) else None


def state_of(inputs: str, files: dict[str, bytes], corpus: Corpus, paths: Iterable[str], digests: dict[str, bytes],
             sizes: dict[str, list[int]], site_dir: Path, previous: State | None = None,
             changed: Iterable[str] = ()) -> State:
    """The state of a build just made (its pages' ``paths`` and ``digests``, its downloads' part ``sizes``);
    ``previous`` and ``changed``: of a rebuild, the state it started from and the report files edited."""
    facts = report_facts(corpus, previous.reports if previous else None, changed)
    return State(inputs, files, facts, named_industries(corpus), tuple(paths), digests,
                 corpus.latest_date, {path: tuple(lengths) for path, lengths in sizes.items()},
                 tuple(r.path for r in corpus.reports_by_date), site_identity(site_dir))


@dataclass(frozen=True)
class Touched:
    """What an edit of some reports can change. A report is judged by its region's next report and judges the one
    before, so the statuses its edit can change are of those three reports' statements: the three (its
    neighbours) are what the pages are chosen by; where only the report's prose changed (_shape), the report
    alone."""

    paths: frozenset[str]
    """Pages and files of single objects (in the first language; every language has the same): every report of
    the region with its citations (a report's page shows what judged it); the pages and feeds of the region and
    of the regions above it (a region's page shows its cities' reports); the region's pages of the industries
    the neighbours name; those industries' feeds. Where only prose changed: the report's page and citations,
    the pages of the reports silent on one of its statements, the region's page and its pages of those
    industries."""
    industries: frozenset[str]
    """The industries the neighbours name (before the edit too), with the broader ones: their pages of the
    neighbours' years."""
    newest: frozenset[str]
    """The industries whose newest page (which counts and charts every year) is rendered again in any case: those
    of ``industries`` unless only prose changed."""
    years: frozenset[int]
    """The neighbours' years: the yearly listings of those years."""
    due: frozenset[int]
    """The years the neighbours' statements are about (before the edit too): the commitments due then."""
    reports: frozenset[str]
    """The files of the region's reports: their parts of the downloads (data.BY_REPORT)."""
    prose_only: bool
    """Whether only prose changed (_shape) in every report edited: no count, figure, status or name did."""
    listings: frozenset[str]
    """The LISTINGS rendered again: all of them, but after an edit of prose alone only the calendar, and that
    where a target's summary changed."""

    def selects(self, route: str, path: str, context) -> bool:
        """Whether the page at ``path`` of ``route`` (with its template's ``context``) is rendered again."""
        if route in LISTINGS:
            return route in self.listings
        if route == "compare" and self.prose_only:
            return False  # the matrix counts; it shows no prose
        if route in ("timeline", "compare"):
            return context["year"] in self.years
        if route == "commitments":  # the newest year's page also counts every year's
            return context["year"] in self.due or not self.prose_only and context["year"] == next(
                iter(context["years"]), None)
        if route == "industry":
            slug, year, years = context["industry"].slug, context["year"], context["years"]
            return slug in self.industries and year in self.years or slug in self.newest and (
                year is None or year == years[0])
        return path in self.paths


def touched(corpus: Corpus, changed: Iterable[Report], before: dict[str, Facts]) -> Touched:
    """What an edit of the ``changed`` reports can change (``before``: report_facts of the previous build)."""
    paths: set[str] = set()
    industries: set[str] = set()
    newest: set[str] = set()
    years: set[int] = set()
    due: set[int] = set()
    files: set[str] = set()
    prose_only, calendar = True, False
    for report in changed:
        region = corpus.region[report.region]
        reports = corpus.reports_of_region.get(region.slug, ())
        _, _, named, about, shape, targets = before.get(report.path, (None, None, (), (), None, None))
        prose = shape == _shape(report)
        prose_only &= prose
        calendar |= targets != _target_prose(report)  # an edit of more than prose renders every listing anyway
        if prose:
            neighbours = [report]
        else:
            ordered = sorted(reports, key=lambda r: r.year)
            at = ordered.index(report)
            neighbours = ordered[max(0, at - 1):at + 2]
            newest.update(named)
        industries.update(named)
        due.update(about)
        for other in neighbours:
            industries.update(corpus.with_ancestors(_industries(other)))
            if not prose:
                newest.update(corpus.with_ancestors(_industries(other)))
            years.add(other.year)
            due.update(s.year for s in other.statements)
        # Prose shows on the report's own page and citations, on the pages of the reports silent on one of its
        # statements (which quote them) and on its region's page; never in the feeds or the listing by year.
        ids = {s.id for s in report.statements}
        for other in reports:
            files.add(other.path)
            if not prose or other is report or not ids.isdisjoint(other.silent_on):
                paths.add(ROUTES["report"].path(other))
            if not prose or other is report:
                paths.update(ROUTES[route].path(other) for route in ("cite_json", "cite_bib"))
        for slug in corpus.ancestors(region.slug, "region"):
            if not prose or slug == region.slug:
                paths.add(ROUTES["region"].path(corpus.region[slug]))
            if not prose:
                paths.add(ROUTES["feed_region"].path(corpus.region[slug]))
        named_here = {slug for other in reports for slug in _industries(other)}
        for slug in named_here & industries:
            paths.add(ROUTES["region_industry"].path((region, corpus.industry[slug])))
    if not prose_only:
        paths.update(ROUTES["reports_year"].path(year) for year in years)
        paths.update(ROUTES["feed_industry"].path(corpus.industry[slug]) for slug in industries)
    listings = LISTINGS if not prose_only else frozenset({"calendar"} if calendar else ())
    return Touched(frozenset(paths), frozenset(industries), frozenset(newest), frozenset(years), frozenset(due),
                   frozenset(files), prose_only, listings)

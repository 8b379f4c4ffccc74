"""Stage 4, site: write the generated docs, run MkDocs, and swap the result in as site/.

Everything is built in a scratch folder beside site/; site/ is replaced only when MkDocs has
succeeded, so a failed or interrupted build leaves the previous site whole. MkDocs runs in a process
of its own, started before the pages are rendered: it reads each as soon as it is written.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import functools
import gc
import gzip
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import Iterable, Sequence

import yaml

from . import escape, forked
from .i18n import LANGUAGES, Language, catalog
from .memory import paused_gc
from .progress import Progress
from .render import TEMPLATES, Page, html_file, url_for
from .routes import nav_routes

ASSETS = TEMPLATES / "assets"
ROOT = TEMPLATES.parent


class SiteError(Exception):
    """MkDocs refused the generated pages (a broken link, a bad config): a bug, not a content error."""


def build_site(paths: Sequence[str], pages: Iterable[Page], config_file: Path, site_dir: Path,
               stamp: dt.date | None = None, site_url: str | None = None, extras: Iterable[Page] = (),
               digests: dict[str, bytes] | None = None) -> int:
    """Build the site from ``pages`` (whose Markdown ``paths`` come first, in the order they are rendered) and
    replace ``site_dir``; ``extras`` are the files that are not pages (the search index, the downloads).

    MkDocs starts at once, given the pages' paths in the order they come, and reads each page as soon as it is
    written: the pages are rendered here while MkDocs works on the other core, then the extras while it renders
    the theme.
    ``stamp`` dates the build (the sitemap's lastmod) unless SOURCE_DATE_EPOCH is set, so that the same
    content gives byte-identical files on any day. ``site_url``, where given, replaces mkdocs.yml's (a
    sub-path such as https://owner.github.io/repo/). ``digests``, where given, gets the hash of every Markdown
    page (by its path) for the next build to compare with (build_changed). Returns the number of Markdown pages."""
    site_dir = site_dir.resolve()
    with _scratch(site_dir.parent) as work:
        count = _build_into(paths, pages, extras, config_file, work, stamp, directory_urls=True, site_url=site_url,
                            digests=digests)
        _swap(work / "site", site_dir)
    return count


def build_changed(pages: Sequence[Page], extras: Sequence[Iterable[Page]], config_file: Path, site_dir: Path,
                  previous: Path, digests: dict[str, bytes], in_place: bool, stamp: dt.date | None = None,
                  site_url: str | None = None) -> int:
    """The site again after an edit (tracker/rebuild.py): ``pages`` are the pages and files the edit can have
    changed, in every language; MkDocs builds those pages whose Markdown differs from the previous build's
    (``digests``, by path, updated here), alone, while the ``extras`` are written: the files MkDocs does not read,
    in groups, each written by a process of its own (the first by this one; tracker/forked.py), on the core
    MkDocs leaves free. Once all is built, each changed file replaces its old one in ``previous`` (the last
    build's site, kept in the cache), and then in ``site_dir``: file by file where
    ``in_place`` (site_dir is what the last build left: 133,000 files at 10,000 reports take 6 s to link
    anew), else as a whole new site linked from ``previous`` (link_tree) and swapped in. Returns the number of
    Markdown pages built."""
    site_dir = site_dir.resolve()
    with _scratch(site_dir.parent) as work:
        languages = [language for language in LANGUAGES if language == LANGUAGES[0]
                     or any(p.path.startswith(language.prefix) for p in pages)]
        folders = {language: work / ("docs" if not language.prefix else f"docs-{language.code}")
                   for language in languages}
        for language, docs in folders.items():
            shutil.copytree(ASSETS, docs / "assets")
        written = _write(pages, folders, languages, digests=digests, unchanged=dict(digests))
        epoch = _epoch(stamp)
        builds = []
        changed = {_language_of(path, languages) for path in written if path.endswith(".md")}
        for language, docs in folders.items():
            if language not in changed:
                continue
            _nav_stubs(docs)  # where the edit left a page of the navigation alone
            config = language_config(config_file, language, work, languages, site_url)
            language_url = site_url.rstrip("/") + "/" + language.prefix if site_url else None
            out = work / f"out-{language.code}"
            builds.append((language, docs, out, _start_mkdocs(config, docs, out, epoch, True, language_url)))
        here, there = forked.beside(functools.partial(_write, extras[0], folders, languages),  # while MkDocs works
                                    [functools.partial(_write, group, folders, languages) for group in extras[1:]])
        for paths in (here, *there):
            written += paths
        if len(set(written)) != len(written):  # _write sees one group's paths, not the others'
            raise SiteError(f"two files want the same path: {sorted(p for p in written if written.count(p) > 1)[0]}")
        _wait_for(builds)
        files = []  # (the built file, its path in the site)
        for language, docs, out, _ in builds:
            for path in written:
                if path.endswith(".md") and _language_of(path, languages) == language:
                    html = html_file(_within(path, language))
                    files.append((out / html, language.prefix + html))
        for language, docs in folders.items():
            static = static_folder(docs)
            files += [(f, language.prefix + f.relative_to(static).as_posix()) for f in static.rglob("*") if f.is_file()]
        for built, path in files:
            (previous / path).parent.mkdir(parents=True, exist_ok=True)
            os.replace(built, previous / path)
        if in_place:
            for _, path in files:
                (site_dir / path).parent.mkdir(parents=True, exist_ok=True)
                partial = site_dir / (path + ".part")
                partial.unlink(missing_ok=True)
                os.link(previous / path, partial)
                os.replace(partial, site_dir / path)
    if not in_place:
        restore(previous, site_dir)
    return _count_markdown(written)


def build_preview(pages: Iterable[Page], config_file: Path, site_dir: Path, site_url: str | None = None) -> int:
    """A site of ``pages`` alone (in the first language), with a stub for each page of the nav (so that the menus
    link right), built leniently into ``site_dir``: a quick look at entries just edited while the whole site
    rebuilds."""
    site_dir = site_dir.resolve()
    with _scratch(site_dir.parent) as work:
        docs = work / "docs"
        _nav_stubs(docs)
        written = _write(pages, {LANGUAGES[0]: docs}, LANGUAGES[:1])
        shutil.copytree(ASSETS, docs / "assets")
        config = language_config(config_file, LANGUAGES[0], work, LANGUAGES[:1])
        mkdocs = _start_mkdocs(config, docs, work / "site", None, True, site_url, lenient=True)
        stderr = mkdocs.communicate()[1]
        if mkdocs.returncode:
            raise SiteError(stderr.strip() or f"MkDocs ended with status {mkdocs.returncode}")
        _swap(work / "site", site_dir)
    return _count_markdown(written)


def build_snapshot(paths: Sequence[str], pages: Iterable[Page], config_file: Path, zip_path: Path,
                   stamp: dt.date | None = None, extras: Iterable[Page] = (), site_url: str | None = None) -> int:
    """An offline copy of the site as one zip: pages as ``.html`` files that link to each other, so it works
    opened from disk. Returns the number of files in it. Where the published address is known, the snapshot's
    sitemap lists the published pages (MkDocs would list the snapshot's own .html files, or none)."""
    zip_path = zip_path.resolve()
    with _scratch(zip_path.parent) as work:
        _build_into(paths, pages, extras, config_file, work, stamp, directory_urls=False)
        if site_url:
            _write_sitemap(work / "site", site_url, paths, stamp)
        files = sorted(p for p in (work / "site").rglob("*") if p.is_file())
        # Fixed dates and order: the same content gives the same zip, byte for byte.
        date_time = (stamp or dt.date(1980, 1, 1)).timetuple()[:6]
        partial = zip_path.with_name(zip_path.name + ".part")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            for f in files:
                info = zipfile.ZipInfo(f"{zip_path.stem}/{f.relative_to(work / 'site').as_posix()}", date_time)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, f.read_bytes())
        os.replace(partial, zip_path)
    return len(files)


def _write_sitemap(site: Path, site_url: str, paths: Sequence[str], stamp: dt.date | None) -> None:
    """sitemap.xml (and its .gz) of the published site's addresses, escaped for XML."""
    base = site_url.rstrip("/") + "/"
    lastmod = f"<lastmod>{stamp.isoformat()}</lastmod>" if stamp else ""
    entries = "".join(f"<url><loc>{escape.xml(base + url_for(p, True))}</loc>{lastmod}</url>\n" for p in paths)
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{entries}</urlset>\n")
    (site / "sitemap.xml").write_text(text, encoding="utf-8")
    with open(site / "sitemap.xml.gz", "wb") as out, gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as gz:
        gz.write(text.encode("utf-8"))


@contextlib.contextmanager
def _scratch(beside: Path):
    """A scratch folder next to the output (same file system: the final rename is atomic), always removed."""
    beside.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".build-", dir=beside))
    try:
        yield work
    finally:
        discard(work)


def _epoch(stamp: dt.date | None) -> str | None:
    """The build's date for MkDocs: SOURCE_DATE_EPOCH where set, else the content's newest date."""
    return os.environ.get("SOURCE_DATE_EPOCH") or (str(calendar.timegm(stamp.timetuple())) if stamp else None)


def _nav_stubs(docs: Path) -> None:
    """A stub for each page of the navigation missing from ``docs``, so that the menus link right; its output
    is not used."""
    for route in nav_routes():
        stub = docs / route.path()
        if not stub.exists():
            stub.parent.mkdir(parents=True, exist_ok=True)
            stub.write_text("#\n", encoding="utf-8")


def _wait_for(builds) -> None:
    """Each language's MkDocs (language, docs, out, process) to its end; SiteError with every failure."""
    failures = []
    for language, _, _, mkdocs in builds:
        stderr = mkdocs.communicate()[1]
        if mkdocs.returncode:
            failures.append(stderr.strip() or f"MkDocs ({language.code}) ended with status {mkdocs.returncode}")
    if failures:
        raise SiteError("\n".join(failures))


def restore(kept: Path, site_dir: Path) -> None:
    """``site_dir`` made again from a copy of it ``kept`` (tracker/rebuild.py), linked, not copied."""
    site_dir = site_dir.resolve()
    with _scratch(site_dir.parent) as work:
        link_tree(kept, work / "site")
        _swap(work / "site", site_dir)


def link_tree(source: Path, target: Path) -> None:
    """A copy of the folder ``source`` whose files are hard links to its own: no byte copied (133,000 files at
    10,000 reports, 6 s). Safe because no build writes into a file: each is written anew and renamed into place."""
    shutil.copytree(source, target, copy_function=os.link)


def discard(folder: Path) -> None:
    """Remove a folder without waiting for it: renamed out of the way at once, deleted by a process of its own
    (at 10,000 reports the previous site is 35,000 files, 3.6 s to delete, and the scratch folder 1 s). Where
    no such process can start, deleted here."""
    if not folder.exists():
        return
    trash = Path(tempfile.mkdtemp(prefix=".trash-", dir=folder.parent))
    os.rename(folder, trash / "x")
    try:
        subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)",
                          str(trash)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        shutil.rmtree(trash, ignore_errors=True)


def _build_into(paths: Sequence[str], pages: Iterable[Page], extras: Iterable[Page], config_file: Path, work: Path,
                stamp: dt.date | None, directory_urls: bool, site_url: str | None = None,
                digests: dict[str, bytes] | None = None) -> int:
    """Every language's site into work/site: one MkDocs for each (its own navigation, language and search), all
    started at once and fed their pages as they are rendered; the other languages' sites then moved into their
    folders (site/en/)."""
    languages = [language for language in LANGUAGES
                 if language == LANGUAGES[0] or any(p.startswith(language.prefix) for p in paths)]
    epoch = _epoch(stamp)
    builds = []
    for language in languages:
        docs = work / ("docs" if not language.prefix else f"docs-{language.code}")
        shutil.copytree(ASSETS, docs / "assets")
        order = work / f"pages-{language.code}.txt"  # MkDocs takes its pages in this order, waiting for each
        order.write_text("".join(f"{_within(path, language)}\n" for path in paths if _language_of(path, languages)
                                 == language), encoding="utf-8")
        config = language_config(config_file, language, work, languages, site_url)
        out = work / ("site" if not language.prefix else f"site-{language.code}")
        language_url = site_url.rstrip("/") + "/" + language.prefix if site_url else None
        builds.append((language, docs, out, _start_mkdocs(config, docs, out, epoch, directory_urls, language_url,
                                                          streamed=order, beside=len(languages))))
    folders = {language: docs for language, docs, _, _ in builds}
    progress = Progress()
    try:
        # Rendering leaves next to no garbage in cycles (render._Environment: 3,029 objects at 10,000 reports, 0.7 s
        # to find among the million it keeps) but what it keeps (the listings' tallies, the links worked out) is
        # scanned by every collection after: no collection, and all of it out of the collector's sight for good.
        with paused_gc(collect=False):
            count = len(pages) if hasattr(pages, "__len__") else None
            written = _write(progress.counted(pages, "render pages", count), folders, languages, staging=work / "staging",
                             digests=digests)
        gc.freeze()
        with paused_gc():
            written += _write(progress.counted(extras, "search index and downloads"), folders, languages)
        progress.show("MkDocs: pages into the theme…", force=True)
        missing = set(paths) - set(written)
        if missing:
            raise SiteError(f"pages announced but never written: {', '.join(sorted(missing)[:5])}")
    except BaseException:
        for _, _, _, mkdocs in builds:
            mkdocs.kill()  # it would wait for the pages that will not come
            mkdocs.wait()
        raise
    try:
        _wait_for(builds)
    finally:
        progress.done()
    for language, docs, out, _ in builds:
        _move_into(static_folder(docs), out)
        if language.prefix:
            os.rename(out, work / "site" / language.prefix.rstrip("/"))
    return _count_markdown(written)


def _language_of(path: str, languages: Sequence[Language]) -> Language:
    return next((language for language in languages[1:] if path.startswith(language.prefix)), languages[0])


def _within(path: str, language: Language) -> str:
    """A path below the site's root as a path in its language's own docs folder."""
    return path[len(language.prefix):]


def language_config(config_file: Path, language: Language, work: Path, languages: Sequence[Language],
                    site_url: str | None = None) -> Path:
    """mkdocs.yml for one language's site: its language, name, navigation (from the route table, labelled from
    its catalog) and the switch to the other language (config.extra), written beside the build. Paths in it
    are made absolute: the file is not where mkdocs.yml is."""
    config = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    base = config_file.resolve().parent
    strings = catalog(language.code)
    theme = dict(config.get("theme") or {})
    theme["language"] = language.code
    if theme.get("custom_dir"):
        theme["custom_dir"] = str(base / theme["custom_dir"])
    theme["palette"] = [dict(p, toggle=dict(p["toggle"], name=strings[f"theme.{'dark' if n == 0 else 'light'}"]))
                        for n, p in enumerate(theme.get("palette") or [])]
    config["theme"] = theme
    config["hooks"] = [str(base / hook) for hook in config.get("hooks") or []]
    config["site_name"] = strings["site.name"]
    config["site_description"] = strings["site.description"]
    config["nav"] = [{strings[route.nav]: route.path()} for route in nav_routes()]
    other = next(other for other in languages if other != language) if len(languages) > 1 else None
    config.setdefault("extra", {})
    config["extra"] = dict(config["extra"], rpt={
        "lang": language.code, "strings": {key[len("theme."):]: value for key, value in strings.items()
                                           if key.startswith("theme.")},
        "other": {"lang": other.code, "label": strings["site.switch"], "title": strings["site.switch_title"],
                  "home_title": strings["site.switch_home_title"],
                  # from this language's root to the other's, and its published address where known
                  "root": ("../" * language.prefix.count("/")) + other.prefix,
                  "url": site_url.rstrip("/") + "/" + other.prefix if site_url else None} if other else None})
    path = work / f"mkdocs.{language.code}.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _move_into(source: Path, target: Path) -> None:
    """Every file of ``source`` into ``target``, by renaming whole folders where ``target`` has none of that
    name (the search index: 12,000 files at 10,000 reports, moved in one step instead of copied)."""
    if not source.exists():
        return
    for entry in source.iterdir():
        there = target / entry.name
        if not there.exists():
            os.rename(entry, there)
        elif entry.is_dir():
            _move_into(entry, there)
        else:
            os.replace(entry, there)


def static_folder(docs: Path) -> Path:
    """Where files other than pages go (the search index): beside the docs, copied into the site after MkDocs,
    which would only copy them itself, 12,000 of them at 10,000 reports, at a cost in time and memory."""
    return docs.with_name(docs.name + "-static")


def write_pages(pages: Iterable[Page], docs: Path) -> int:
    """Write pages of the first language into ``docs``; returns the Markdown pages' count."""
    return _count_markdown(_write(pages, {LANGUAGES[0]: docs}, LANGUAGES[:1]))


def _write(pages: Iterable[Page], folders: dict[Language, Path], languages: Sequence[Language],
           staging: Path | None = None, digests: dict[str, bytes] | None = None,
           unchanged: dict[str, bytes] | None = None) -> list[str]:
    """The single writer: each path once, and never outside the docs folders. A page goes to its language's docs
    folder (en/… to docs-en/); files other than Markdown pages to that folder's static folder. Pages are written
    as they come (into a scratch folder: a failure leaves nothing half-written where it matters). With
    ``staging``, each page is written there first and then renamed into place, so that a reader (MkDocs,
    streamed) never sees half a page. ``digests`` gets each Markdown page's digest; a page whose digest is the
    one ``unchanged`` holds for its path is not written. Returns the paths written."""
    seen: set[str] = set()
    written: list[str] = []
    if staging:
        staging.mkdir(parents=True, exist_ok=True)
    for page in pages:
        rel = PurePosixPath(page.path)
        if rel.is_absolute() or ".." in rel.parts:
            raise SiteError(f"refusing to write {page.path}: outside the docs folder")
        if page.path in seen:
            raise SiteError(f"two pages want the same path {page.path}")
        seen.add(page.path)
        if digests is not None and rel.suffix == ".md":
            digest = digests[page.path] = _digest(page)
            if unchanged and unchanged.get(page.path) == digest:
                continue
        language = _language_of(page.path, languages)
        docs = folders[language]
        within = PurePosixPath(_within(page.path, language))
        target = (docs if rel.suffix == ".md" else static_folder(docs)) / within
        target.parent.mkdir(parents=True, exist_ok=True)
        written.append(page.path)
        if staging and rel.suffix == ".md":
            partial = staging / str(len(written))
            _write_parts(partial, page)
            os.replace(partial, target)
        else:
            _write_parts(target, page)
    return sorted(written)


def _digest(page: Page) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for part in page.parts():
        h.update(part.encode("utf-8"))
    return h.digest()


def _write_parts(target: Path, page: Page) -> None:
    with open(target, "w", encoding="utf-8") as f:
        f.writelines(page.parts())


def _count_markdown(paths) -> int:
    return sum(p.endswith(".md") for p in paths)


def _mkdocs_build(config_file: Path, docs: Path, out: Path, epoch: str | None, directory_urls: bool,
                  site_url: str | None = None) -> None:
    mkdocs = _start_mkdocs(config_file, docs, out, epoch, directory_urls, site_url)
    stderr = mkdocs.communicate()[1]
    if mkdocs.returncode:
        raise SiteError(stderr.strip() or f"MkDocs ended with status {mkdocs.returncode}")


def _start_mkdocs(config_file: Path, docs: Path, out: Path, epoch: str | None, directory_urls: bool,
                  site_url: str | None, streamed: Path | None = None, lenient: bool = False,
                  beside: int = 1) -> subprocess.Popen:
    """MkDocs in a fresh process (tracker/mkdocs_run.py): our objects and its own are never resident together.
    ``streamed``: its pages are still being written, in the order this file lists them; it waits for each
    (tracker/mkdocs_hooks.py). ``beside``: how many MkDocs run at once, each rendering into the theme on its share
    of the cores (mkdocs_hooks._theme_on_every_core), unless $RPT_MKDOCS_JOBS says otherwise. Both languages on two
    cores get one each: forking more made that build slower at 2,000 reports (92.5 s against 85.6, 95.0 against
    90.0), the cores being busy with the two MkDocs already."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    env.setdefault("RPT_MKDOCS_JOBS", str(max(1, forked.cores() // beside)))
    if streamed:
        env["RPT_STREAMED_PAGES"] = f"{os.getpid()}:{streamed}"
    if epoch:
        env["SOURCE_DATE_EPOCH"] = epoch  # MkDocs reads it for the build date
    return subprocess.Popen([sys.executable, "-m", "tracker.mkdocs_run", str(config_file), str(docs), str(out),
                             "directory" if directory_urls else "files", site_url or "",
                             "lenient" if lenient else "strict"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _swap(new: Path, site_dir: Path) -> None:
    old = site_dir.with_name(site_dir.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if site_dir.exists():
        os.rename(site_dir, old)
    os.rename(new, site_dir)
    discard(old)

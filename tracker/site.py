"""Stage 4, site: write the generated docs, run MkDocs, and swap the result in as site/.

Everything is built in a scratch folder beside site/; site/ is replaced only when MkDocs has
succeeded, so a failed or interrupted build leaves the previous site whole.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import itertools
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import traceback
import zipfile
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, Sequence

from .memory import paused_gc
from .render import TEMPLATES, Page

ASSETS = TEMPLATES / "assets"
ROOT = TEMPLATES.parent


class SiteError(Exception):
    """MkDocs refused the generated pages (a broken link, a bad config): a bug, not a content error."""


Producer = Callable[[], Iterable[Page]]
"""A share of the pages to write; the producers of one build run side by side, one process each."""


def build_site(producers: Sequence[Producer], config_file: Path, site_dir: Path, stamp: dt.date | None = None,
               site_url: str | None = None) -> int:
    """Write the producers' pages into a fresh docs folder, build it with MkDocs, and replace ``site_dir``.

    ``stamp`` dates the build (the sitemap's lastmod) unless SOURCE_DATE_EPOCH is set, so that the
    same content gives byte-identical files on any day. ``site_url``, where given, replaces mkdocs.yml's
    (a sub-path such as https://owner.github.io/repo/). Returns the number of Markdown pages."""
    site_dir = site_dir.resolve()
    with _scratch(site_dir.parent) as work:
        count = _build_into(producers, config_file, work, stamp, directory_urls=True, site_url=site_url)
        _swap(work / "site", site_dir)
    return count


def build_snapshot(producers: Sequence[Producer], config_file: Path, zip_path: Path,
                   stamp: dt.date | None = None) -> int:
    """An offline copy of the site as one zip: pages as ``.html`` files that link to each other, so it works
    opened from disk. Returns the number of files in it."""
    zip_path = zip_path.resolve()
    with _scratch(zip_path.parent) as work:
        _build_into(producers, config_file, work, stamp, directory_urls=False)
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


@contextlib.contextmanager
def _scratch(beside: Path):
    """A scratch folder next to the output (same file system: the final rename is atomic), always removed."""
    beside.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".build-", dir=beside))
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _build_into(producers: Sequence[Producer], config_file: Path, work: Path, stamp: dt.date | None,
                directory_urls: bool, site_url: str | None = None) -> int:
    docs = work / "docs"
    with paused_gc():
        count = write_in_parallel(producers, docs)
    shutil.copytree(ASSETS, docs / "assets")
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or (str(calendar.timegm(stamp.timetuple())) if stamp else None)
    _mkdocs_build(config_file, docs, work / "site", epoch, directory_urls, site_url)
    if static_folder(docs).exists():
        shutil.copytree(static_folder(docs), work / "site", dirs_exist_ok=True)
    return count


def static_folder(docs: Path) -> Path:
    """Where files other than pages go (the search index): beside the docs, copied into the site after MkDocs,
    which would only copy them itself, 12,000 of them at 10,000 reports, at a cost in time and memory."""
    return docs.with_name(docs.name + "-static")


def write_pages(pages: Iterable[Page], docs: Path) -> int:
    """Write pages into ``docs``; returns the Markdown pages' count."""
    return _count_markdown(_write(pages, docs))


def write_in_parallel(producers: Sequence[Producer], docs: Path) -> int:
    """Each producer's pages written by a process of its own (forked: the children share the corpus without
    copying it), then checked together: each path once. Returns the Markdown pages' count."""
    if len(producers) == 1 or "fork" not in multiprocessing.get_all_start_methods():
        return write_pages(itertools.chain.from_iterable(p() for p in producers), docs)
    context = multiprocessing.get_context("fork")
    children = []
    for producer in producers:
        reader, writer = context.Pipe(duplex=False)
        child = context.Process(target=_write_share, args=(producer, docs, writer))
        child.start()
        writer.close()
        children.append((child, reader))
    written, failures = [], []
    for child, reader in children:
        try:
            ok, result = reader.recv()
        except EOFError:
            ok, result = False, "a build process ended without a word"
        child.join()
        (written.extend if ok else failures.append)(result)
    if failures:
        raise SiteError("\n".join(failures))
    if len(set(written)) != len(written):
        twice = sorted({p for p in written if written.count(p) > 1})
        raise SiteError(f"two pages want the same path: {', '.join(twice[:5])}")
    return _count_markdown(written)


def _write_share(producer: Producer, docs: Path, connection) -> None:
    try:
        connection.send((True, _write(producer(), docs)))
    except Exception:  # any failure goes to the parent, which reports it
        connection.send((False, traceback.format_exc()))
    finally:
        connection.close()


def _write(pages: Iterable[Page], docs: Path) -> list[str]:
    """The single writer: each path once, and never outside ``docs``. Pages are written as they come (into a
    scratch folder: a failure leaves nothing half-written where it matters); files other than Markdown pages
    go to the static folder."""
    written: set[str] = set()
    for page in pages:
        rel = PurePosixPath(page.path)
        if rel.is_absolute() or ".." in rel.parts:
            raise SiteError(f"refusing to write {page.path}: outside the docs folder")
        if page.path in written:
            raise SiteError(f"two pages want the same path {page.path}")
        written.add(page.path)
        target = (docs if rel.suffix == ".md" else static_folder(docs)) / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.text, encoding="utf-8")
    return sorted(written)


def _count_markdown(paths) -> int:
    return sum(p.endswith(".md") for p in paths)


def _mkdocs_build(config_file: Path, docs: Path, out: Path, epoch: str | None, directory_urls: bool,
                  site_url: str | None = None) -> None:
    """MkDocs in a fresh process (tracker/mkdocs_run.py): our objects and its own are never resident together."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    if epoch:
        env["SOURCE_DATE_EPOCH"] = epoch  # MkDocs reads it for the build date
    result = subprocess.run([sys.executable, "-m", "tracker.mkdocs_run", str(config_file), str(docs), str(out),
                             "directory" if directory_urls else "files", site_url or ""], env=env, capture_output=True, text=True)
    if result.returncode:
        raise SiteError(result.stderr.strip() or f"MkDocs ended with status {result.returncode}")


def _swap(new: Path, site_dir: Path) -> None:
    old = site_dir.with_name(site_dir.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if site_dir.exists():
        os.rename(site_dir, old)
    os.rename(new, site_dir)
    shutil.rmtree(old, ignore_errors=True)

"""The command line: ``python build.py [build|check|snapshot]``. Thin: parse, call the stages, report."""

from __future__ import annotations

import argparse
import functools
import itertools
import sys
import time
from pathlib import Path

import yaml

from . import search
from .data import data_files
from .schema import schema_files
from .load import load_content
from .memory import paused_gc
from .problems import ContentError
from .render import render, url_for
from .validate import validate

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python build.py", description="Build the Regional Policy Tracker site.")
    parser.add_argument("command", nargs="?", default="build", choices=["build", "check", "snapshot"],
                        help="build (default): validate and build site/; check: validate only; "
                             "snapshot: an offline copy of the site as a zip in dist/")
    parser.add_argument("--content", type=Path, default=ROOT / "content", help="content folder (default: content/)")
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="output folder (default: site/)")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where snapshot writes its zip")
    parser.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml", help="MkDocs configuration")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    try:
        with paused_gc():
            corpus = validate(load_content(args.content))
    except ContentError as e:
        for problem in e.problems:
            print(problem, file=sys.stderr)
        files = len({p.path for p in e.problems})
        outcome = "fix them and run again" if args.command == "check" else "nothing was built, site/ is unchanged"
        print(f"{args.command}: {len(e.problems)} problem(s) in {files} file(s); {outcome}", file=sys.stderr)
        return 1
    statements = sum(len(r.statements) for r in corpus.reports)
    summary = (f"{len(corpus.reports)} reports, {len(corpus.regions)} regions, "
               f"{len(corpus.industries)} industries, {statements} statements")
    if args.command == "check":
        print(f"check: OK: {summary} ({time.perf_counter() - started:.2f} s)")
        return 0

    from .site import SiteError, build_site, build_snapshot  # imports MkDocs: keep `check` fast

    offline = args.command == "snapshot"
    online = not offline
    url_of = functools.partial(url_for, directory_urls=online)
    site_url = (yaml.safe_load(args.config.read_text(encoding="utf-8")) or {}).get("site_url") or "/"
    # Two processes, one a core: two thirds of the pages and the data files; the last third and the search index
    # (the two largest memory users, the index's postings and the data downloads, kept apart).
    files = [lambda: itertools.chain(render(corpus, online, (0, 3), site_url), render(corpus, online, (1, 3), site_url),
                                     data_files(corpus), schema_files()),
             lambda: itertools.chain(render(corpus, online, (2, 3), site_url), search.index_files(corpus, url_of))]
    try:
        if offline:
            target = args.dist / f"regional-policy-tracker-{corpus.latest_date or 'empty'}.zip"
            count = build_snapshot(files, args.config, target, corpus.latest_date)
            print(f"snapshot: {count} files from {summary} → {target} ({time.perf_counter() - started:.1f} s); "
                  "unzip it and open regional-policy-tracker-…/index.html")
        else:
            pages = build_site(files, args.config, args.site, corpus.latest_date)
            print(f"build: {pages} pages from {summary} → {args.site} ({time.perf_counter() - started:.1f} s)")
    except SiteError as e:
        print(f"{args.command}: the build failed; nothing was replaced:\n{e}", file=sys.stderr)
        return 2
    return 0

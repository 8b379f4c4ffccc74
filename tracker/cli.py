"""The command line: ``python build.py [build|check]``. Thin: parse, call the stages, report."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .load import load_content
from .problems import ContentError
from . import search
from .render import render, url_for
from .validate import validate

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python build.py", description="Build the Regional Policy Tracker site.")
    parser.add_argument("command", nargs="?", default="build", choices=["build", "check"],
                        help="build (default): validate and build site/; check: validate only")
    parser.add_argument("--content", type=Path, default=ROOT / "content", help="content folder (default: content/)")
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="output folder (default: site/)")
    parser.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml", help="MkDocs configuration")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    try:
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

    from .site import SiteError, build_site  # imports MkDocs: keep `check` fast

    pages = render(corpus) + search.index_files(corpus, url_for)
    try:
        build_site(pages, args.config, args.site, corpus.latest_date)
    except SiteError as e:
        print(f"build: MkDocs failed; site/ is unchanged:\n{e}", file=sys.stderr)
        return 2
    print(f"build: {len(pages)} pages from {summary} → {args.site} ({time.perf_counter() - started:.1f} s)")
    return 0

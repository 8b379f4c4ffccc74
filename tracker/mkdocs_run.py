"""MkDocs in a process of its own: ``python -m tracker.mkdocs_run CONFIG DOCS SITE directory|files [SITE_URL [strict|lenient]]``.

site.py runs MkDocs here, apart from the validated corpus and the rendered pages, so that the two never
share one heap (at 10,000 reports MkDocs holds 270 MB at its peak, build.py 380 MB). Exits 0, or 1 with MkDocs'
warnings and error on stderr; strict: a warning (a broken link, a page left out of the nav) fails.
"""

from __future__ import annotations

import logging
import os
import sys

from tracker.memory import exit_without_teardown


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


def main(config_file: str, docs: str, site: str, urls: str, site_url: str = "", mode: str = "strict") -> int:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life notice, on every build
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logger = logging.getLogger("mkdocs")
    collect = _Collect()
    logger.addHandler(collect)
    logger.propagate = False
    overrides = {"site_url": site_url} if site_url else {}
    try:
        build(load_config(config_file, docs_dir=docs, site_dir=site, strict=mode == "strict",
                          use_directory_urls=urls == "directory", **overrides))
    except MkDocsException as e:
        print("\n".join(collect.messages + [str(e)]), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    exit_without_teardown(main(*sys.argv[1:]))  # the site is written and closed

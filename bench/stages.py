"""The CPU time of the build's own stages, for bench/run.py: ``python bench/stages.py CONTENT`` prints one JSON
object. Each stage runs as the Chinese build runs it, in this process (and, for the first check, the process it
forks), with nothing written: what the stage costs before any file or MkDocs.

  yaml_compose   libyaml composing every region's and report's front matter, with the loader the check uses:
                 the part of a first check that is PyYAML's, not ours
  check          a first check of every file (no cache), the rules across files included
  render_pages   every Chinese page through the Jinja2 templates (reports, regions, industries, listings, feeds)
  downloads      the open-data files (JSON, CSV, BibTeX, ...) and the schemas
  search_index   the Chinese search index
"""

from __future__ import annotations

import gc
import json
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402

from tracker import load  # noqa: E402
from tracker.cache import check_content  # noqa: E402
from tracker.i18n import LANGUAGES  # noqa: E402
from tracker.memory import paused_gc  # noqa: E402


def cpu_s() -> float:
    """User and system time of this process and of the children it waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def exhausted(pages) -> int:
    """How many pages, each rendered to its last part (a large download is written part by part)."""
    count = 0
    for count, page in enumerate(pages, 1):
        for _ in page.parts():
            pass
    return count


def main(content: Path) -> dict:
    from tracker.cli import site_files
    from tracker.render import guide_pages

    listing = load.list_content(content)
    front_matters = []
    for path, shown in (*listing.regions, *listing.reports):
        lines = load.decode(path.read_bytes(), shown, []).split("\n")
        front_matters.append("\n".join(lines[1:load.front_matter_end(lines)]))
    times: dict[str, float] = {}
    pages: dict[str, int] = {}
    started = cpu_s()

    def lap(stage: str) -> None:
        nonlocal started
        now = cpu_s()
        times[stage] = round(now - started, 2)
        started = now

    with paused_gc(collect=False):  # as build.py runs the check
        for text in front_matters:
            yaml.compose(text, Loader=load._Loader)
        lap("yaml_compose")
        corpus = check_content(content, None)
        gc.freeze()
        lap("check")
    gc.disable()  # as site.build_site renders
    chinese = LANGUAGES[:1]
    files = site_files(corpus, chinese, online=True, base=None, guide=tuple(guide_pages(chinese)), sizes={})
    pages["render_pages"] = exhausted(files.pages)
    lap("render_pages")
    pages["downloads"] = exhausted(files.downloads)
    lap("downloads")
    pages["search_index"] = exhausted(files.search_index)
    lap("search_index")
    return {"cpu_s": times, "files": pages}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))

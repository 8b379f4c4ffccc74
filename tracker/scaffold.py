"""``python3 build.py new``: start an entry from what the corpus already knows, for a person to fill in.

A new report gets its region and year, last year's session and speaker as hints, the commitments of
earlier reports still open for that region (so the new report's results can say how they went), and one
commented example of each statement kind. Every field left empty is one `check` names, with its help text.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
from pathlib import Path

import jinja2

from . import model
from .cache import check_content
from .load import SLUG
from .problems import ContentError, did_you_mean
from .render import TEMPLATES

SCAFFOLDS = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES / "scaffold"), keep_trailing_newline=True,
                               trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
"""The templates of entries that `new` and `draft` start: plain YAML text, not HTML. Values from the corpus
(vetted by `check`) go in on one line; text from a report goes in as JSON strings (valid YAML, every character
escaped) or as comments."""
SCAFFOLDS.filters.update(one_line=lambda text: " ".join(str(text).split()),
                         yaml=lambda value: json.dumps(value, ensure_ascii=False),
                         comment=lambda text, width=60: textwrap.wrap(text, width) or [""])
SITE_SCHEMA = Path(__file__).resolve().parent.parent / "site" / "data"


def new_entry(content: Path, region: str, year: int | None, force: bool, site_url: str | None) -> int:
    """Write the scaffold; 0, or 1 with a clear message (nothing written)."""
    if not SLUG.match(region):
        return refuse("new", f"'{region}' is not a slug: lowercase ASCII letters, digits and hyphens, e.g. 'wuxi'")
    regions = {p.stem for p in (content / "regions").glob("*.md")}
    corpus = _corpus(content)
    if year is None:
        target = content / "regions" / f"{region}.md"
        provinces = [r.slug for r in corpus.regions if r.parent is None] if corpus else []
        context = {"levels": model.LEVELS, "provinces": provinces}
        template = "region.md.j2"
    else:
        if not 1949 <= year <= 2100:
            return refuse("new", f"--year {year} is not a plausible report year (1949–2100)")
        if region not in regions:
            return refuse("new", f"there is no region '{region}'{did_you_mean(region, regions)}; to add one, "
                           f"run: python3 build.py new --region {region}")
        target = content / "reports" / str(year) / f"{region}.md"
        context = _report_context(corpus, region, year)
        template = "report.md.j2"
    if target.exists() and not force:
        return refuse("new", f"{_shown(target, content)} already exists; edit it, or add --force to start it over")
    kind = "region" if year is None else "entry"
    context.update(region=region, year=year, schema=schema_address(kind, target, site_url))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(SCAFFOLDS.get_template(template).render(context), encoding="utf-8")
    print(f"new: wrote {_shown(target, content)}; fill in its empty fields, then run `python3 build.py check`, "
          "which lists what is still missing")
    return 0


def _corpus(content: Path) -> model.Corpus | None:
    """The validated corpus, for hints; a broken one still gets a scaffold, without them (`check` says why)."""
    try:
        return check_content(content)  # unchanged files' results come from the check cache
    except ContentError:
        return None


def _report_context(corpus: model.Corpus | None, region: str, year: int) -> dict:
    """What the corpus knows: the region's names, last year's report, the commitments still open."""
    if corpus is None:
        return {"place": None, "previous": None, "open": [], "first_id": f"{region}-{year}-1"}
    earlier = [r for r in corpus.reports_of_region.get(region, ()) if r.year < year]
    due = corpus.tracker.due_for_review(region, year)
    return {"place": corpus.region[region], "previous": earlier[-1] if earlier else None, "open": due,
            "first_id": f"{region}-{year}-1"}


def schema_address(kind: str, target: Path, site_url: str | None) -> str:
    """The published schema where the site has an address, else the one the last local build wrote."""
    if site_url:
        return f"{site_url}data/{kind}.schema.json"
    return Path(os.path.relpath(SITE_SCHEMA / f"{kind}.schema.json", target.parent)).as_posix()


def _shown(path: Path, content: Path) -> str:
    return path.relative_to(content.parent).as_posix()


def refuse(command: str, message: str) -> int:
    """A command that cannot do what was asked: one line on stderr, exit status 1, nothing written."""
    print(f"{command}: {message}", file=sys.stderr)
    return 1

"""Provenance: every quoted phrase and every figure of a statement is found in the text of the source it cites.

The texts are the official reports copied in ``../shared/reports/<year>/<region>.md`` (matched to a source by
its URL) and the articles in ``../shared/seeds/`` (matched by their title); a source with no local text is
skipped. Figures are read from the text by the project's own quantity parser, so 1/3 matches 三分之一 and
1万亿元 matches 突破万亿元.

Run as a script for a report-by-report listing: ``python3 tests/provenance.py [content]``.
"""

from __future__ import annotations

import functools
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from tracker.model import Corpus, Metric, Report, Source, Statement  # noqa: E402
from tracker.quantities import find_quantities  # noqa: E402

COPIED_RUN = 20
"""A summary sharing this many characters in a row with its source (quoted phrases aside) copies a sentence:
longer than the names and set phrases a summary must repeat (集成电路、生物医药、人工智能三大先导产业, 18)."""

_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)\*(?!\s)|(?<!\s)\*(?!\w)")
_SPACE = re.compile(r"[\s\u3000]+")
_QUOTED = re.compile(r"[“「『\"]([^”」』\"]*)[”」』\"]")


def plain(text: str) -> str:
    """A source's words alone: no front matter, HTML comments, Markdown emphasis or whitespace."""
    text = _COMMENT.sub("", _FRONT_MATTER.sub("", text))
    return _SPACE.sub("", _EMPHASIS.sub("", text))


@functools.cache
def local_texts() -> dict[str, Path]:
    """Official copies by their source URL, seed articles by their first lines (searched for a title)."""
    found: dict[str, Path] = {}
    for path in sorted((SHARED / "reports").glob("*/*.md")):
        head = path.read_text(encoding="utf-8").split("\n---\n", 1)[0]
        if m := re.search(r"^source:\s*(\S+)", head, re.M):
            found[m[1]] = path
    return found


@functools.cache
def seed_articles() -> tuple[Path, ...]:
    return tuple(sorted((SHARED / "seeds").glob("*.txt")))


@functools.cache
def read(path: Path) -> str:
    return plain(path.read_text(encoding="utf-8"))


def text_of(source: Source) -> Path | None:
    """The local copy of a source, if this workspace has one."""
    if source.url and source.url in local_texts():
        return local_texts()[source.url]
    title = plain(source.title)
    return next((p for p in seed_articles() if title in read(p)[:2000]), None)


@dataclass(frozen=True)
class Finding:
    report: Report
    statement: Statement
    message: str

    def __str__(self) -> str:
        return f"{self.report.path}: {self.statement.id}: {self.message}"


def cited(report: Report, statement: Statement) -> tuple[int, Source]:
    n = statement.source or 1
    return n, report.sources[n - 1]


def check_statement(report: Report, statement: Statement) -> list[str]:
    """What of the statement its cited source does not bear out (empty: all of it is there)."""
    n, source = cited(report, statement)
    path = text_of(source)
    if path is None:
        return []
    text, problems = read(path), []
    for quote in statement.quotes:
        if plain(quote) not in text:
            problems.append(f"quote 「{quote}」 is not in source {n} ({path.name})")
    quantities = _quantities(path)
    for metric in statement.metrics:
        if not any(_same(metric, q) for q in quantities):
            problems.append(f"figure {metric.as_written} ({metric.measures}) is not in source {n} ({path.name})")
    run = copied_run(statement.summary, text, statement.quotes)
    if len(run) >= COPIED_RUN:
        problems.append(f"the summary copies 「{run}」 ({len(run)} characters) from source {n}: say it in your "
                        "own words, quoting only a key phrase")
    return problems


@functools.cache
def _quantities(path: Path):
    return tuple(find_quantities(read(path)))


def _same(metric: Metric, quantity) -> bool:
    mine, theirs = metric.normalized, quantity.normalized
    return mine[1] == theirs[1] and math.isclose(mine[0], theirs[0], rel_tol=1e-9)


def copied_run(summary: str, text: str, quotes=()) -> str:
    """The longest run of characters the summary shares with the text, its quoted phrases left out."""
    words = _QUOTED.sub("|", plain(summary))
    for q in quotes:
        words = words.replace(plain(q), "|")
    pieces = [p for p in re.split(r"\|", words) if p]
    best = ""
    for piece in pieces:
        lo, hi = len(best), len(piece)
        while lo < hi:  # the longest shared length: a shared run of n implies one of n - 1
            mid = (lo + hi + 1) // 2
            hit = next((piece[i:i + mid] for i in range(len(piece) - mid + 1) if piece[i:i + mid] in text), None)
            if hit:
                best, lo = hit, mid
            else:
                hi = mid - 1
    return best


def findings(corpus: Corpus) -> list[Finding]:
    return [Finding(r, s, m) for r in corpus.reports for s in r.statements for m in check_statement(r, s)]


def unreadable_sources(corpus: Corpus) -> list[str]:
    """Sources that statements cite but this workspace has no text of."""
    out = []
    for r in corpus.reports:
        for n in sorted({s.source or 1 for s in r.statements}):
            if text_of(r.sources[n - 1]) is None:
                out.append(f"{r.path}: source {n} ({r.sources[n - 1].title})")
    return out


if __name__ == "__main__":
    from tracker.cache import check_content  # noqa: E402

    corpus = check_content(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "content")
    found = findings(corpus)
    for f in found:
        print(f)
    for u in unreadable_sources(corpus):
        print(f"no local text: {u}")
    print(f"provenance: {len(found)} finding(s) in {sum(len(r.statements) for r in corpus.reports)} statements")
    sys.exit(1 if found else 0)

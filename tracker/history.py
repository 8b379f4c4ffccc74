"""Statement ids against an earlier version of the content (a git revision, e.g. the branch a pull request goes
into): a published id may not vanish unless content/retired.yml retires it, so that no later statement takes it
by mistake and links to it keep meaning what they meant."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .load import parse_document
from .model import Corpus
from .problems import Problem
from .validate import raw_statement_ids


class HistoryError(Exception):
    """git could not answer (not a repository, an unknown revision, no git)."""


def vanished_ids(content_dir: Path, base: str, corpus: Corpus) -> list[Problem]:
    """A problem for every statement id of ``base`` that the content no longer has and has not retired."""
    content_dir = Path(content_dir).resolve()
    repo = Path(_git(content_dir, "rev-parse", "--show-toplevel").strip()).resolve()
    reports = (content_dir / "reports").relative_to(repo).as_posix()
    # Only files changed since base can have lost ids: one `git show` each, not one per report.
    changed = _git(repo, "diff", "--name-only", "--no-renames", "--diff-filter=DM", base, "--", reports).split("\n")
    now = {s.id for r in corpus.reports for s in r.statements} | {r.id for r in corpus.retired}
    problems = []
    for path in filter(None, changed):
        shown = (repo / path).relative_to(content_dir.parent).as_posix()
        doc = parse_document(_git(repo, "show", f"{base}:{path}"), shown, front_matter=True, problems=[])
        for statement_id in raw_statement_ids(doc):
            if statement_id not in now:
                problems.append(Problem(shown, 0, "statements", f"'{statement_id}' was in {base} and is gone; ids "
                                        "are never reused, so retire it: add '- id: " + statement_id + "' with its "
                                        "'reason: …' to content/retired.yml"))
    return problems


def _git(where: Path, *args: str) -> str:
    try:
        result = subprocess.run(["git", "-C", str(where), *args], capture_output=True, text=True)
    except FileNotFoundError as e:
        raise HistoryError("git is not installed") from e
    if result.returncode:
        raise HistoryError(result.stderr.strip().splitlines()[-1] if result.stderr.strip() else f"git {args[0]} failed")
    return result.stdout

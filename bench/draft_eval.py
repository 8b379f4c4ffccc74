"""How close `draft` comes to the reviewed entries: drafts every report of ../shared/reports/<year>/<region>.md that
has a reviewed entry in content/reports/, and compares the candidates with the entry.

- figure recall: a reviewed figure is found when a candidate gives the same quantity (value in base units: 1/3 and
  三分之一, 1万亿元 and 突破万亿元 are the same);
- kind and year accuracy: of the reviewed figures found, those whose candidate has the reviewed statement's kind,
  and its year (where a figure is found in several candidates, the one whose passage shares most with the reviewed
  statement is taken);
- unmatched candidates: candidates none of whose figures or quoted phrases belong to a reviewed statement;
- seconds per report (the drafting alone).

Prints a table per report, the overall figures, and one JSON line last.
Usage: python3 bench/draft_eval.py [--reports DIR] [--content DIR]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracker.draft import draft_candidates  # noqa: E402
from tracker.load import load_content  # noqa: E402
from tracker.model import Corpus, Metric, Report, Statement  # noqa: E402
from tracker.quantities import Quantity  # noqa: E402
from tracker.validate import validate  # noqa: E402


@dataclass
class Score:
    slug: str
    figures: int = 0
    found: int = 0
    kind_right: int = 0
    year_right: int = 0
    candidates: int = 0
    unmatched: int = 0
    seconds: float = 0.0

    def add(self, other: "Score") -> None:
        for name in ("figures", "found", "kind_right", "year_right", "candidates", "unmatched", "seconds"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def same(metric: Metric, quantity: Quantity) -> bool:
    mine, theirs = metric.normalized, quantity.normalized
    return mine[1] == theirs[1] and math.isclose(mine[0], theirs[0], rel_tol=1e-9)


def bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def evaluate(report: Report, text: str, corpus: Corpus) -> tuple[Score, list[tuple[Statement, Metric, object]]]:
    """The score of one report's draft, and the reviewed figures with the candidate each was matched to."""
    start = time.perf_counter()
    candidates = draft_candidates(text, corpus, report.region, report.year)
    score = Score(report.slug, seconds=time.perf_counter() - start, candidates=len(candidates))
    used: set[int] = set()
    matches = []
    for s in report.statements:
        words = bigrams(s.summary + "".join(m.measures for m in s.metrics) + "".join(s.quotes))
        for m in s.metrics:
            score.figures += 1
            hits = [(len(words & bigrams(c.passage)), n) for n, c in enumerate(candidates)
                    if any(same(m, q) for _, q in c.metrics)]
            if not hits:
                matches.append((s, m, None))
                continue
            _, n = max(hits)
            used.add(n)
            c = candidates[n]
            score.found += 1
            score.kind_right += c.kind == s.kind
            score.year_right += c.year == s.year
            matches.append((s, m, c))
    quotes = [q for s in report.statements for q in s.quotes]
    score.unmatched = sum(1 for n, c in enumerate(candidates)
                          if n not in used and not any(q in c.passage for q in quotes))
    return score, matches


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=Path, default=ROOT.parent / "shared" / "reports",
                        help="the official texts, <year>/<region>.md")
    parser.add_argument("--content", type=Path, default=ROOT / "content", help="the reviewed entries")
    parser.add_argument("--misses", action="store_true", help="list every reviewed figure not found or misjudged")
    args = parser.parse_args(argv)
    corpus = validate(load_content(args.content))
    total = Score("all")
    print(f"{'report':<18}{'figures':>8}{'recall':>8}{'kind':>7}{'year':>7}{'cands':>7}{'unmatched':>10}{'s':>7}")
    for report in corpus.reports:
        path = args.reports / str(report.year) / f"{report.region}.md"
        if not path.is_file():
            continue
        score, matches = evaluate(report, path.read_text(encoding="utf-8"), corpus)
        total.add(score)
        print(f"{report.slug:<18}{score.figures:>8}{pct(score.found, score.figures):>8}"
              f"{pct(score.kind_right, score.found):>7}{pct(score.year_right, score.found):>7}{score.candidates:>7}"
              f"{score.unmatched:>10}{score.seconds:>7.2f}")
        if args.misses:
            for s, m, c in matches:
                if c is None:
                    print(f"    not found: {s.id} {m.measures} {m.as_written}")
                elif (c.kind, c.year) != (s.kind, s.year):
                    print(f"    {s.id} {m.as_written}: reviewed {s.kind} {s.year}, drafted {c.kind} {c.year}: "
                          f"{c.passage[:60]}")
    reports = sum(1 for _ in corpus.reports)
    print(f"{'overall':<18}{total.figures:>8}{pct(total.found, total.figures):>8}"
          f"{pct(total.kind_right, total.found):>7}{pct(total.year_right, total.found):>7}{total.candidates:>7}"
          f"{total.unmatched:>10}{total.seconds / max(reports, 1):>7.2f}")
    print(json.dumps({"reports": reports, "figures": total.figures,
                      "figure_recall": round(total.found / max(total.figures, 1), 4),
                      "kind_accuracy": round(total.kind_right / max(total.found, 1), 4),
                      "year_accuracy": round(total.year_right / max(total.found, 1), 4),
                      "candidates": total.candidates, "unmatched_candidates": total.unmatched,
                      "seconds_per_report": round(total.seconds / max(reports, 1), 3)}))
    return 0


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


if __name__ == "__main__":
    sys.exit(main())

"""Property-based tests (hypothesis) of loading and validation: whatever an entry holds, the result is either
a valid model or a list of problems that each name a file and say something, never an exception."""

from __future__ import annotations

import datetime as dt

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINI
from tracker.load import Loaded, decode, load_content, parse_document
from tracker.model import Corpus
from tracker.problems import ContentError, Problem
from tracker.validate import validate

BASE = load_content(MINI)
SHOWN = "content/reports/2025/beta.md"
ENTRY = (MINI / "reports" / "2025" / "beta.md").read_text(encoding="utf-8")
FIELDS = ["region", "year", "session", "delivered", "speaker", "speaker_title", "sources", "industries",
          "statements", "id", "kind", "summary", "quotes", "metrics", "measures", "value", "unit", "comparator",
          "estimate", "reports_on", "outcome", "publisher", "title", "date", "url", "author"]
PROFILE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_outcome(text: str) -> None:
    """Load ``text`` as beta's 2025 report within the mini corpus, validate, and judge the outcome."""
    problems: list[Problem] = []
    doc = parse_document(text, SHOWN, front_matter=True, problems=problems)
    reports = tuple(d for d in BASE.reports if d.path != SHOWN)
    if doc is not None:
        reports += (doc,)
    loaded = Loaded(BASE.industries, BASE.regions, reports, tuple(problems))
    try:
        corpus = validate(loaded)
    except ContentError as e:
        assert e.problems
        lines = text.count("\n") + 1
        for p in e.problems:
            assert isinstance(p, Problem) and p.message.strip()
            assert p.path.startswith("content/") and 0 <= p.line <= max(lines, 200)
            assert "Traceback" not in p.message
        return
    assert isinstance(corpus, Corpus)
    assert all(r.region and r.statements is not None for r in corpus.reports)


# Scalars as YAML may read them: text with YAML's specials, numbers, dates, booleans, nulls.
scalars = st.one_of(st.text(max_size=20), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
                    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)), st.booleans(), st.none(),
                    st.sampled_from(["~", "null", "yes", "0110", "1/3", "2025-02-30", "!!python/object:x", "*a",
                                     "&a b", "<script>", "{: onclick=x}", "javascript:x", "---", "...", "3000亿元"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), inner, max_size=5)),
    max_leaves=25)


@PROFILE
@given(st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=10), values, max_size=12), st.text(max_size=80))
def test_any_front_matter_gives_problems_or_a_model(front, body):
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True, default_flow_style=False) + "---\n" + body
    check_outcome(text)


@PROFILE
@given(st.data())
def test_any_edit_of_a_real_entry_gives_problems_or_a_model(data):
    """Random cuts, insertions of YAML's special characters, duplicated and swapped lines of a valid entry."""
    lines = ENTRY.split("\n")
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["cut", "insert", "duplicate", "swap", "indent"]))
        if action == "cut":
            j = data.draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:j]
        elif action == "insert":
            j = data.draw(st.integers(0, len(lines[i])))
            piece = data.draw(st.text(st.sampled_from(list(":-[]{}#&*!|>'\"%@`\t ,?") + ["\u3000", "，", "\\"]),
                                      min_size=1, max_size=3))
            lines[i] = lines[i][:j] + piece + lines[i][j:]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif action == "indent":
            lines[i] = " " * data.draw(st.integers(1, 3)) + lines[i]
    check_outcome("\n".join(lines))


@PROFILE
@given(st.text(max_size=300))
def test_any_text_gives_problems_or_a_model(text):
    check_outcome(text)


@PROFILE
@given(st.binary(max_size=300))
def test_any_bytes_decode_or_are_explained(raw):
    problems: list[Problem] = []
    text = decode(raw, SHOWN, problems)
    assert (text is None) == bool(problems)
    if text is not None:
        assert "\r" not in text
        check_outcome(text)

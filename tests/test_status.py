"""Commitment status: derived from the results that report on a target, as of the latest report."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from conftest import CONTENT, MINI
from tracker.load import load_content
from tracker.model import Figure, Metric
from tracker.status import Tracker, judge
from tracker.validate import validate


def metric(value: float, comparator: str | None = None, measures: str = "m", unit: str | None = "%") -> Metric:
    return Metric(measures=measures, value=Figure(text=str(value), value=value), unit=unit, comparator=comparator)


@pytest.mark.parametrize("target, outcome, status", [
    (metric(10, "以上"), metric(12), "exceeded"),
    (metric(10, "以上"), metric(10), "met"),
    (metric(10, "以上"), metric(9.9), "missed"),
    (metric(100, "左右"), metric(104), "met"),
    (metric(100, "左右"), metric(106), "exceeded"),
    (metric(100, "约"), metric(94), "missed"),
    (metric(5, "以内"), metric(4), "met"),
    (metric(5, "以内"), metric(6), "missed"),
    (metric(3000, "突破", unit="亿元"), metric(0.31, unit="万亿元"), "exceeded"),  # compared in base units
    (metric(1.1, unit="万亿元"), metric(1, "突破", unit="万亿"), "missed"),  # 万亿 as some reports write 万亿元
    (metric(3000, "突破", unit="亿元"), metric(3000, unit="万辆"), None),  # another kind of unit: not comparable
    (metric(10, measures="a"), metric(10, measures="b"), None),
])
def test_one_figure_against_its_target(target, outcome, status):
    assert judge((target,), (outcome,)) == status


def test_several_figures_can_be_partly_met():
    targets = (metric(10, measures="a"), metric(20, measures="b"))
    assert judge(targets, (metric(11, measures="a"), metric(19, measures="b"))) == "partly-met"
    assert judge(targets, (metric(11, measures="a"), metric(21, measures="b"))) == "exceeded"
    assert judge(targets, (metric(10, measures="a"), metric(21, measures="b"))) == "met"
    assert judge(targets, (metric(9, measures="a"),)) == "missed"


def _replace_statements(corpus, report_slug, change):
    """The corpus with one report's statements passed through ``change``."""
    return dataclasses.replace(corpus, reports=tuple(
        dataclasses.replace(r, statements=change(r.statements)) if r.slug == report_slug else r
        for r in corpus.reports))


def test_a_result_that_reports_on_a_commitment_settles_it_and_later_ones_await_review():
    corpus = validate(load_content(MINI))
    by_id = Tracker(corpus).by_id
    assert by_id["beta-2024-1"].status == "exceeded"  # 12% against 10%以上
    assert [s.id for _, s in by_id["beta-2024-1"].results] == ["beta-2025-1"]
    assert by_id["beta-2024-1"].review.slug == "2025/beta"
    assert by_id["beta-2025-2"].status == "awaiting" and by_id["beta-2025-2"].review is None
    assert [m.as_written for m in by_id["beta-2024-1"].latest_metrics] == ["12%（预计）"]


def test_silent_on_gives_not_mentioned_and_nothing_else_does():
    corpus = validate(load_content(MINI))
    unlinked = _replace_statements(corpus, "2025/beta", lambda statements: statements[1:])
    assert Tracker(unlinked).by_id["beta-2024-1"].status == "awaiting"  # check refuses this corpus (below)
    silent = dataclasses.replace(unlinked, reports=tuple(
        dataclasses.replace(r, silent_on=("beta-2024-1",)) if r.slug == "2025/beta" else r for r in unlinked.reports))
    assert Tracker(silent).by_id["beta-2024-1"].status == "not-mentioned"
    assert Tracker(silent).counts == {"exceeded": 0, "met": 0, "partly-met": 0, "missed": 0, "progress": 0,
                                      "not-mentioned": 1, "awaiting": 2}


def test_an_outcome_in_words_and_progress_without_a_figure():
    corpus = validate(load_content(MINI))
    for outcome in ("progress", "missed", "met"):
        worded = _replace_statements(corpus, "2025/beta", lambda statements: (
            dataclasses.replace(statements[0], metrics=(), outcome=outcome), *statements[1:]))
        assert Tracker(worded).by_id["beta-2024-1"].status == outcome


def test_an_interim_result_before_the_due_year_leaves_the_commitment_awaiting():
    corpus = validate(load_content(MINI))
    # The 2024 target moved to 2025: the 2025 report's result is progress before the year it is due.
    early = _replace_statements(corpus, "2024/beta", lambda statements: (
        dataclasses.replace(statements[0], year=2025), *statements[1:]))
    early = _replace_statements(early, "2025/beta", lambda statements: (
        dataclasses.replace(statements[0], metrics=(), outcome="progress"), *statements[1:]))
    commitment = Tracker(early).by_id["beta-2024-1"]
    assert commitment.status == "awaiting" and [s.id for _, s in commitment.results] == ["beta-2025-1"]
    said_met = _replace_statements(early, "2025/beta", lambda statements: (
        dataclasses.replace(statements[0], outcome="met"), *statements[1:]))
    assert Tracker(said_met).by_id["beta-2024-1"].status == "met"  # met ahead of time, as the report says


def test_another_regions_later_report_changes_no_status():
    corpus = validate(load_content(MINI))
    before = {c.statement.id: c.status for c in Tracker(corpus).commitments}
    beta_2025 = next(r for r in corpus.reports if r.slug == "2025/beta")
    alpha_2026 = dataclasses.replace(beta_2025, path="content/reports/2026/alpha.md", region="alpha", year=2026,
                                     delivered=dt.date(2026, 3, 1), statements=(), silent_on=())
    after = Tracker(dataclasses.replace(corpus, reports=(*corpus.reports, alpha_2026)))
    assert {c.statement.id: c.status for c in after.commitments if c.report.region == "beta"} == before


def test_the_shipped_corpus_judges_every_due_commitment():
    """Every commitment whose review report is in the corpus has a settled status; no other is settled."""
    tracker = Tracker(validate(load_content(CONTENT)))
    for c in tracker.commitments:
        assert (c.status != "awaiting") == (c.review is not None and c.statement.year < c.review.year), c.statement.id


def test_a_new_report_of_another_region_changes_no_shipped_status(tmp_path):
    """Add a later report for a region that is not in the corpus yet: no commitment of the eight regions moves."""
    import shutil
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    before = {c.statement.id: c.status for c in Tracker(validate(load_content(content))).commitments}
    (content / "regions" / "hangzhou.md").write_text(
        '---\ncode: "330100"\nname_zh: 杭州市\nname_en: Hangzhou\nlevel: sub-provincial-city\n---\n测试用。\n',
        encoding="utf-8")
    (content / "reports" / "2027").mkdir()
    (content / "reports" / "2027" / "hangzhou.md").write_text(
        "---\nregion: hangzhou\nyear: 2027\nsession: 测试会议\ndelivered: 2027-01-20\nsources:\n  - publisher: 测试\n"
        "    title: 测试\nstatements:\n  - id: hangzhou-2027-1\n    kind: plan\n    year: 2027\n"
        "    industries: [robotics]\n    summary: 测试。\n---\n测试用的虚构条目。\n", encoding="utf-8")
    after = Tracker(validate(load_content(content)))
    assert {c.statement.id: c.status for c in after.commitments if c.report.region != "hangzhou"} == before
    assert after.by_id["hangzhou-2027-1"].status == "awaiting"

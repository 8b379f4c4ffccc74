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
    (metric(3000, "突破", unit="亿元"), metric(3000, unit="万亿元"), None),  # other unit: not comparable
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


def test_seed_targets_are_pending_as_of_the_latest_report():
    tracker = Tracker(validate(load_content(CONTENT)))
    assert tracker.as_of == dt.date(2025, 1, 17)
    assert {c.status for c in tracker.commitments} == {"pending"}
    assert len(tracker.commitments) == sum(1 for r in tracker.corpus.reports for s in r.statements
                                           if s.kind in ("target", "plan"))


def test_a_later_result_settles_its_target_and_an_unreported_past_target_is_overdue():
    corpus = validate(load_content(MINI))
    tracker = Tracker(corpus)
    by_id = tracker.by_id
    assert by_id["beta-2024-1"].status == "exceeded"  # 12% against 10%以上
    assert [s.id for _, s in by_id["beta-2024-1"].results] == ["beta-2025-1"]
    assert by_id["beta-2025-2"].status == "pending"

    # The same 2024 target with no result, judged as of a 2025 report: overdue.
    unreported = dataclasses.replace(corpus, reports=tuple(
        r if r.year == 2024 else dataclasses.replace(r, statements=r.statements[1:]) for r in corpus.reports))
    assert Tracker(unreported).by_id["beta-2024-1"].status == "overdue"
    assert Tracker(unreported).counts == {"exceeded": 0, "met": 0, "partly-met": 0, "missed": 0,
                                          "pending": 2, "overdue": 1}

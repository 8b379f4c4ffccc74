"""Provenance: every quoted phrase and every figure of the shipped entries is found in the text of the source it
cites (tests/provenance.py), and summaries do not copy the text. The texts are the official copies beside the
project (../shared/reports/) and the seed article (../shared/seeds/): where they are absent (a clone elsewhere),
the tests skip and say why."""

from __future__ import annotations

import dataclasses

import pytest

import provenance
from conftest import CONTENT
from tracker.load import load_content
from tracker.model import Figure, Metric
from tracker.validate import validate

if not (provenance.SHARED / "reports").is_dir():
    pytest.skip(f"the official texts are not beside the project ({provenance.SHARED / 'reports'})",
                allow_module_level=True)


@pytest.fixture(scope="module")
def corpus():
    return validate(load_content(CONTENT))


def test_every_cited_source_has_its_text_here(corpus):
    assert provenance.unreadable_sources(corpus) == []


def test_every_quote_and_figure_is_in_its_source_and_no_summary_copies_it(corpus):
    assert [str(f) for f in provenance.findings(corpus)] == []


def _statement(corpus, statement_id):
    report, statement = corpus.statement[statement_id]
    return report, statement


def metric(value: str, number: float, unit: str | None, comparator: str | None = None) -> Metric:
    return Metric(measures="m", value=Figure(text=value, value=number), unit=unit, comparator=comparator)


def test_the_check_finds_a_figure_a_quote_and_a_copied_sentence_that_are_not_the_texts(corpus):
    report, s = _statement(corpus, "shenyang-2025-1")
    assert provenance.check_statement(report, s) == []
    wrong = dataclasses.replace(s, metrics=(metric("45.8", 45.8, "%"),), quotes=("南方芯谷",))
    problems = provenance.check_statement(report, wrong)
    assert [p.split(" is not in ")[0] for p in problems] == ["quote 「南方芯谷」", "figure 45.8% (m)"]
    text = provenance.read(provenance.text_of(report.sources[0]))
    sentence = text[text.index("集成电路产业产值分别增长"):][:30]
    copied = dataclasses.replace(s, summary=sentence, quotes=())
    assert any("the summary copies" in p for p in provenance.check_statement(report, copied))


@pytest.mark.parametrize("written, number, unit, comparator", [
    ("三分之一", 1 / 3, None, None),       # 1/3 matches 三分之一
    ("突破万亿元", 1, "万亿元", "突破"),     # 1万亿元 matches 突破万亿元
    ("超千亿元", 1000, "亿元", "超过"),
])
def test_figures_match_as_quantities_not_as_strings(written, number, unit, comparator):
    (q,) = provenance.find_quantities(f"规模{written}，")
    assert provenance._same(metric(str(number), number, unit, comparator), q)


def test_quoted_phrases_are_not_counted_as_copied():
    text = provenance.plain("推动集成电路“一二三四五”发展路径走深走实，聚焦先进封装")
    assert provenance.copied_run("把“一二三四五”发展路径落到实处", text, ("一二三四五",)) == "发展路径"

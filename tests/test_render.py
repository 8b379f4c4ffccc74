"""Stage 3: rendered pages compared with golden files, and the escaping every value gets.

After an intended change to templates or rendering: `python -m pytest tests/test_render.py --update-golden`,
then read the diff of tests/golden/ before committing it.
"""

from __future__ import annotations

import collections
import gc
import re
from pathlib import Path

import pytest

from conftest import MINI
from tracker.load import load_content
from tracker.render import in_reading_order, render
from tracker.validate import validate

GOLDEN = Path(__file__).resolve().parent / "golden" / "mini"


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    """The Markdown pages (feeds and the calendar are read in test_data.py)."""
    return {p.path: p.text for p in render(validate(load_content(MINI))) if p.path.endswith(".md")}


def test_pages_match_golden_files(pages, request):
    if request.config.getoption("--update-golden"):
        for old in GOLDEN.rglob("*.md"):
            old.unlink()
        for path, text in pages.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_text(text, encoding="utf-8")
    golden = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8") for p in GOLDEN.rglob("*.md")}
    assert sorted(pages) == sorted(golden)
    for path, text in pages.items():
        assert text == golden[path], f"{path} differs from its golden file"


def test_the_expected_pages_exist(pages):
    chinese = [path for path in pages if not path.startswith("en/")]
    assert sorted(path for path in pages if path.startswith("en/")) == ["en/" + path for path in sorted(chinese)]
    assert sorted(chinese) == [
        "about.md", "commitments.md", "commitments/2025.md", "compare.md", "compare/2024.md", "data.md", "index.md",
        "industries/chips.md", "industries/chips/2024.md", "industries/drones.md", "industries/index.md",
        "industries/tech.md",
        "regions/alpha.md", "regions/beta.md", "regions/beta/chips.md", "regions/beta/drones.md", "regions/beta/tech.md",
        "regions/index.md", "reports/2024/beta.md", "reports/2024/index.md",
        "reports/2025/beta.md", "reports/2025/index.md", "reports/index.md", "timeline.md", "timeline/2024.md",
    ]


def test_values_are_escaped_but_bodies_are_markdown(pages):
    report = pages["reports/2025/beta.md"]
    assert "&lt;b&gt;超额&lt;/b&gt;完成目标 &#42;不是强调&#42;" in report
    assert "<b>" not in report
    assert "- 第一点\n- 第二点" in report  # the contributor's Markdown body stays Markdown
    source = pages["reports/2024/beta.md"]
    assert '<a href="https://example.org/a&#95;b?x=1&amp;y=2">《测试来源 A&#95;B &#42;星号&#42;》</a>' in source


def test_figures_read_as_the_report_writes_them(pages):
    report = pages["reports/2025/beta.md"]
    for figure in ("突破3000亿元", "<strong>1/3</strong>", "12%（预计）", "5个"):
        assert figure in report
    assert "10%以上" in pages["reports/2024/beta.md"]


def test_links_are_relative_to_the_page(pages):
    assert '<a href="../../../industries/chips/" class="rpt-tag">测试芯片</a>' in pages["reports/2025/beta.md"]
    assert '<a href="beta/">湖州市</a>' in pages["regions/index.md"]
    assert '<a href="industries/chips/" class="rpt-tag">测试芯片</a>' in pages["index.md"]
    assert '<a href="../../" class="rpt-tag">' not in pages["industries/chips.md"]


def test_offline_links_are_html_files():
    pages = {p.path: p.text for p in render(validate(load_content(MINI)), directory_urls=False)
             if p.path.endswith(".md")}
    assert '<a href="../../industries/chips.html" class="rpt-tag">测试芯片</a>' in pages["reports/2025/beta.md"]
    assert '<a href="beta.html">湖州市</a>' in pages["regions/index.md"]
    assert '<a href="timeline.html">' in pages["index.md"]


def test_parent_industry_page_links_its_children_and_lists_its_own(pages):
    tech = pages["industries/tech.md"]
    assert '#beta-2025-3"' in tech  # tagged tech itself
    assert '#beta-2025-1"' not in tech and '#beta-2024-1"' not in tech  # tagged chips: on the chips page
    assert tech.count('<a href="../chips/" class="rpt-tag">测试芯片</a>') >= 2  # in the facts and the note
    assert '#beta-2024-1"' in pages["industries/chips/2024.md"]


def test_pages_rendered_on_two_cores_are_the_pages_rendered_on_one(monkeypatch):
    """A rebuild renders its pages at once, the other language's in a forked process (Rendering.at_once)."""
    import os

    from tracker import render as render_module

    corpus = validate(load_content(MINI))
    in_one = [(p.path, p.text) for p in render_module.in_reading_order(corpus)[1]]
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    in_two = [(p.path, p.text) for p in render_module.in_reading_order(corpus)[1].at_once()]
    assert forks, "the pages were not rendered in a second process"
    assert in_two == in_one
    assert len(in_one) > 2 * render_module.PARALLEL_FROM


def test_rendering_leaves_nothing_for_the_garbage_collector():
    """The build renders its pages with the collector paused (site.py): what a page leaves in reference cycles
    (a macro holding the context it was made in, which holds it) stays in memory until a collection: after the
    Chinese pages of 10,000 reports, 2.9 million objects, 4.9 s to collect. render._Environment breaks those cycles
    when a page is done."""
    rendering = in_reading_order(validate(load_content(MINI)))[1]
    list(rendering)  # the templates compiled, the corpus's lookups worked out: kept, not garbage
    enabled = gc.isenabled()
    gc.disable()
    gc.collect()
    before = len(gc.get_objects())
    gc.set_debug(gc.DEBUG_SAVEALL)  # what a collection finds goes to gc.garbage, to be named below
    try:
        pages = list(rendering)
        gc.collect()
        left = collections.Counter(type(o).__name__ for o in gc.garbage)
        # Besides the pages and their list: what rendering holds on to (a context kept for each page, say).
        kept = len(gc.get_objects()) - before - len(gc.garbage) - len(pages) - 1
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if enabled:
            gc.enable()
    assert len(pages) > 50
    assert not left, f"rendering left objects in reference cycles: {left.most_common(6)}"
    assert kept < len(pages), f"rendering {len(pages)} pages again kept {kept:,} more objects besides them"


def test_a_statement_line_is_rendered_once_per_language_whatever_the_page():
    """Listings repeat each statement's line (a page for each of its industries, in its region and nationwide,
    the timeline); all but its link is worked out once per statement and language (render._once)."""
    rendering = in_reading_order(validate(load_content(MINI)))[1]
    pages = list(rendering)
    shown = collections.Counter()
    for page in pages:
        language = "en" if page.path.startswith("en/") else "zh"
        for statement_id in re.findall(r'<div class="rpt-line [^>]*>.*?#([\w-]+)" title=', page.text):
            shown[(statement_id, language)] += 1
    assert max(shown.values()) > 1, "no statement's line appears twice: nothing to test"
    remembered = collections.Counter((key[0], language) for (macro, key, language, _) in
                                     rendering.envs[".md"].fragments if macro == "line_text")
    assert remembered == collections.Counter(set(shown))

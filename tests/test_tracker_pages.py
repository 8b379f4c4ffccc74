"""The pages that make it a tracker, read as built HTML: timeline, industries, comparison,
commitments, charts, region hierarchy, home."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET


import pytest

from conftest import CONTENT
from htmlpage import page
from tracker.load import load_content
from tracker.i18n import plain
from tracker.status import STATUSES, Tracker, tally
from tracker.validate import validate

@pytest.fixture(scope="module")
def corpus():
    return validate(load_content(CONTENT))


@pytest.fixture(scope="module")
def tracker(corpus):
    return Tracker(corpus)


def test_timeline_lists_every_report_by_date_with_its_statements(built_site, corpus):
    newest = max(corpus.years)
    timeline = page(built_site, "timeline/")  # the newest year's page
    reports = [r for r in corpus.reports_by_date if r.year == newest]
    links = [link for link in timeline.links if link.startswith(f"../reports/{newest}/") and link.endswith("/")]
    assert list(dict.fromkeys(links)) == [f"../reports/{newest}/{r.region}/" for r in reports]
    assert "2026年1月14日" in timeline.text and "2026年2月3日" in timeline.text  # Shenyang first, Jiangsu last
    assert timeline.text.count("条表述 statements") == len(reports)
    html = timeline.path.read_text(encoding="utf-8")
    assert html.count('data-rpt-sub data-kinds=') == sum(len(r.statements) for r in reports)
    assert 'data-regions="wuxi jiangsu"' in html  # a province filter finds its cities


def test_industry_page_groups_results_apart_from_plans(built_site, corpus):
    ic = page(built_site, "industries/integrated-circuits/")
    text = ic.text
    assert "集成电路 Integrated circuits" in text
    assert "上级产业 Parent 新一代信息技术" in text and "又称 Also called 半导体、芯片" in text
    about = [s for _, s in corpus.statements_about("integrated-circuits")]
    kinds = {k: sum(s.kind == k for s in about) for k in ("result", "target", "plan", "project", "fund")}
    assert f"表述 Statements {len(about)}：上年成果 {kinds['result']} · " in text
    # Wuxi 2026: the chip industry's world rank (a result) before the plans
    wuxi = text[text.rindex("无锡市 2026年无锡市政府工作报告 · 2026年1月22日"):]
    assert wuxi.index("回顾 · 成果") < wuxi.index("13位") < wuxi.index("部署 · 目标与计划")
    assert {f"{r.region}-2026" for r in corpus.reports_naming("integrated-circuits") if r.year == 2026} <= ic.ids


def test_industries_index_lists_all_with_counts_and_a_chart(built_site, corpus):
    index = page(built_site, "industries/")
    assert index.text.count("rpt-tag") == 0  # classes are not text
    for slug in ("integrated-circuits", "low-altitude-economy"):
        c = corpus.industry_counts[slug]
        assert f"{c.industry.name_zh} {c.industry.name_en} {c.regions} {c.reports} {c.statements}" in index.text
    svg = _svgs(index.path)[0]
    named = len(corpus.busiest_industries)  # a chart that leaves industries out says so
    assert svg.find("{http://www.w3.org/2000/svg}title").text == f"各产业的表述数（前15项，共{named}项 top 15 of {named}）"
    top = corpus.busiest_industries[0].industry.name_zh
    assert top in svg.find("{http://www.w3.org/2000/svg}desc").text


def test_comparison_matrix(built_site, corpus):
    compare = page(built_site, "compare/")
    html = compare.path.read_text(encoding="utf-8")
    rows = re.findall(r'<tr>\s*<th scope="row"><a href="../reports/2026/(\w+)/">', html)
    assert sorted(rows) == sorted(r.region for r in corpus.reports if r.year == 2026)
    wuxi = next(r for r in corpus.reports if r.slug == "2026/wuxi")
    n = sum("integrated-circuits" in s.industries for s in wuxi.statements)
    wuxi_row = html[html.index('href="../reports/2026/wuxi/"'):].split("</tr>")[0]
    assert f'<a href="../regions/wuxi/integrated-circuits/#y2026" title="无锡市 · 集成电路">{n}</a>' in wuxi_row
    pair = page(built_site, "regions/wuxi/integrated-circuits/")  # the cell's page: all Wuxi said of chips
    assert "y2026" in pair.ids and "y2025" in pair.ids
    # The table of contents gives each year alone; the report and its date follow the heading, not inside it.
    years = sorted({r.year for r in corpus.reports_of_region["wuxi"]
                    if any("integrated-circuits" in s.industries for s in r.statements)}, reverse=True)
    toc = re.findall(r'<a href="#(y\d+)" class="md-nav__link">\s*<span class="md-ellipsis">\s*(.*?)\s*</span>',
                     pair.path.read_text(encoding="utf-8"))
    assert toc == [(f"y{year}", f"{year}年") for year in years]
    assert "2026年 2026年无锡市政府工作报告 · 2026年1月22日" in pair.text
    ids = {s.id for r in corpus.reports_of_region["wuxi"] for s in r.statements if "integrated-circuits" in s.industries}
    assert ids == {link.split("#")[1] for link in pair.links if "#wuxi-20" in link}


def test_commitments_open_on_the_year_last_reviewed(built_site, tracker):
    text = page(built_site, "commitments/").text
    due = tracker.by_year[2025]
    assert "2025年到期的承诺 Due 2025" in text and text.count("依据 Evidence") == len(due)
    counts = tally(due)
    assert counts["awaiting"] == 0 and sum(counts.values()) == len(due)
    years = sorted(tracker.by_year)
    assert "合计 Total " + " ".join(str(len(tracker.by_year[y])) for y in years) + f" {len(tracker.commitments)}" in text
    row = " ".join(str(counts[s] or "·") for s in STATUSES)  # the 2025 column, status by status
    assert [plain("zh", f"status.{s}") + " " + plain("zh", f"status_title.{s}") + " " + str(counts[s] or "·") in text
            for s in STATUSES] == [True] * len(STATUSES), row
    later = page(built_site, "commitments/2026/").text
    assert "待2027年的报告 awaiting the 2027 report" in later


def test_a_commitment_shows_its_figures_and_evidence(built_site, tracker):
    """shanxi-2025-33: 「新能源和清洁能源装机占比达到50%以上」, against 2026's 「占比55.1%」."""
    c = tracker.by_id["shanxi-2025-33"]
    assert c.status == "exceeded"
    html = page(built_site, "commitments/").path.read_text(encoding="utf-8")
    card = html[html.index('<a class="rpt-id" href="../reports/2025/shanxi/#shanxi-2025-33">'):].split("</article>")[0]
    assert "<strong>50%以上</strong>" in card and "<strong>55.1%</strong>" in card
    assert f'../reports/2026/shanxi/#{c.evidence[1].id}' in card


def test_a_later_result_settles_a_target(mini_site):
    target_page = page(mini_site, "reports/2024/beta/")
    assert "超额完成" in target_page.text and "后续结果 Later results：湖州市 2025 · beta-2025-1" in target_page.text
    result_page = page(mini_site, "reports/2025/beta/")
    assert "报告的是 Reports on：湖州市 2024 · beta-2024-1" in result_page.text
    commitments = page(mini_site, "commitments/").text
    assert "超额完成 Exceeded 1 · 1" in commitments and "待回顾 Awaiting review · 2 2" in commitments
    assert "合计 Total 1 2 3" in commitments
    assert "全部待回顾" not in commitments
    assert "beta-2025-2" in page(mini_site, "commitments/2025/").text


def test_figures_over_the_years_chart(mini_site):
    svgs = _svgs(page(mini_site, "industries/chips/").path)
    line = [s for s in svgs if s.find("{http://www.w3.org/2000/svg}path") is not None]
    assert len(line) == 1
    assert line[0].find("{http://www.w3.org/2000/svg}desc").text == "2023年：8%；2024年：12%（预计）"


def test_region_pages_show_mix_hierarchy_and_timeline(built_site):
    wuxi = page(built_site, "regions/wuxi/")
    assert "上级 Part of 江苏省" in wuxi.text
    assert "无锡市各产业的表述数" in wuxi.text and "报告与时间线 Reports and timeline" in wuxi.text
    assert "../../commitments/?region=wuxi" in wuxi.links
    assert "承诺 Commitments" in wuxi.text
    jiangsu = page(built_site, "regions/jiangsu/")
    assert "下辖 Includes 无锡市" in jiangsu.text
    assert "../../reports/2025/wuxi/" in jiangsu.links  # a province lists its cities' reports


def test_region_page_says_what_the_new_report_changed(built_site, corpus):
    wuxi = page(built_site, "regions/wuxi/")
    assert "changes-2026" in wuxi.ids
    start = wuxi.text.rindex("2026年与2025年相比")  # past the table of contents
    section = wuxi.text[start:wuxi.text.index("产业 Industries", start)]
    # the 2026 text names no hydrogen or blockchain, which the 2025 entry had; the target for new single-product
    # champions went from 8家以上 to 5家以上
    dropped = section[section.index("不再提及的产业"):section.index("同一指标的目标")]
    assert "氢能" in dropped and "区块链" in dropped
    assert "下调 lowered 新增制造业单项冠军企业数量：8家以上" in section
    assert "../../../regions/wuxi/#changes-2026" in page(built_site, "reports/2026/wuxi/").links


def test_home_says_what_is_covered(built_site, corpus, tracker):
    text = page(built_site, "").text
    assert (f"8 个地区 regions {len(corpus.reports)} 份报告 reports {len(corpus.statement)} 条表述 statements"
            in text)
    assert "2025、2026 年的 16 份报告" in text and "about/" in page(built_site, "").links
    assert text.index("2026年江苏省政府工作报告") < text.index("2026年无锡市政府工作报告")  # latest first
    assert f"{len(tracker.commitments)} 项目标与任务：" in text
    assert "提及各产业的地区数" in text


def test_about_page_gives_sources_method_and_coverage(built_site, corpus):
    about = page(built_site, "about/")
    for heading in ("条目从哪里来", "什么算一条表述", "怎样判定承诺", "局限", "覆盖范围"):
        assert heading in about.text
    for r in corpus.reports:
        assert f"../reports/{r.year}/{r.region}/" in about.links


def test_charts_are_accessible_svg(built_site):
    for path in ("", "industries/", "regions/wuxi/"):
        for svg in _svgs(page(built_site, path).path):
            assert svg.get("role") == "img"
            ids = svg.get("aria-labelledby").split()
            assert [svg.find(f".//*[@id='{i}']") is not None for i in ids] == [True, True]


def _svgs(html_path):
    html = html_path.read_text(encoding="utf-8")
    charts = re.findall(r'<figure class="rpt-chart">\s*(<svg.*?</svg>)', html, re.S)
    return [ET.fromstring(block) for block in charts]

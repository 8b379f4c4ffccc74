"""The pages that make it a tracker, read as built HTML: timeline, industries, comparison,
commitments, charts, region hierarchy, home."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET


from htmlpage import page

SEVEN = ["wuxi", "shenyang", "beijing", "guangdong", "shanghai", "liaoning", "shanxi"]  # in date order


def test_timeline_lists_every_report_by_date_with_its_statements(built_site):
    timeline = page(built_site, "timeline/")
    links = [link for link in timeline.links if link.startswith("../reports/2025/") and link.endswith("/")]
    assert list(dict.fromkeys(links)) == [f"../reports/2025/{r}/" for r in SEVEN]
    assert "2025年1月11日" in timeline.text and "2025年1月17日" in timeline.text
    assert timeline.text.count("条表述 statements") == 7
    html = timeline.path.read_text(encoding="utf-8")
    assert html.count('data-rpt-sub data-kinds=') == 54
    assert 'data-regions="wuxi jiangsu"' in html  # a province filter finds its cities


def test_industry_page_groups_results_apart_from_plans(built_site):
    ic = page(built_site, "industries/integrated-circuits/")
    text = ic.text
    assert "集成电路 Integrated circuits" in text
    assert "上级产业 Parent 新一代信息技术" in text and "又称 Also called 半导体、芯片" in text
    assert "表述 Statements 28：上年成果 10 · 量化目标 1 · 计划与任务 13 · 重大项目 3 · 基金 1" in text
    wuxi = text[text.rindex("无锡市 2025年1月11日"):text.rindex("沈阳市 2025年1月12日")]  # past the table of contents
    assert wuxi.index("回顾 · 成果") < wuxi.index("设备业营收增速") < wuxi.index("部署 · 目标与计划") < wuxi.index("112个")
    assert {f"{r}-2025" for r in SEVEN} <= ic.ids


def test_industries_index_lists_all_with_counts_and_a_chart(built_site):
    index = page(built_site, "industries/")
    assert index.text.count("rpt-tag") == 0  # classes are not text
    for name, numbers in [("集成电路", "Integrated circuits 7 7 28"), ("低空经济", "Low-altitude economy 4 4 5")]:
        assert f"{name} {numbers}" in index.text
    svg = _svgs(index.path)[0]
    assert svg.find("{http://www.w3.org/2000/svg}title").text == "各产业的表述数"
    assert "集成电路 28" in svg.find("{http://www.w3.org/2000/svg}desc").text


def test_comparison_matrix(built_site):
    compare = page(built_site, "compare/")
    html = compare.path.read_text(encoding="utf-8")
    rows = re.findall(r'<tr>\s*<th scope="row"><a href="../reports/2025/(\w+)/">', html)
    assert sorted(rows) == sorted(SEVEN)
    wuxi_row = html[html.index('href="../reports/2025/wuxi/"'):].split("</tr>")[0]
    assert '<a href="../industries/integrated-circuits/#wuxi-2025" title="无锡市 · 集成电路">12</a>' in wuxi_row
    assert 'class="rpt-heat-4"' in wuxi_row


def test_commitments_are_pending_with_the_seed_alone(built_site):
    text = page(built_site, "commitments/").text
    assert "全部进行中 All pending" in text
    assert "到期年份 Due 超额完成 完成 部分完成 未完成 进行中 逾期未报 2025 0 0 0 0 38 0 合计 Total 0 0 0 0 38 0" in text
    assert text.count("进行中") >= 38 + 1


def test_a_later_result_settles_a_target(mini_site):
    target_page = page(mini_site, "reports/2024/beta/")
    assert "超额完成" in target_page.text and "后续结果 Later results：乙市 2025 · beta-2025-1" in target_page.text
    result_page = page(mini_site, "reports/2025/beta/")
    assert "报告的是 Reports on：乙市 2024 · beta-2024-1" in result_page.text
    commitments = page(mini_site, "commitments/").text
    assert "2025 0 0 0 0 2 0 2024 1 0 0 0 0 0 合计 Total 1 0 0 0 2 0" in commitments
    assert "全部进行中" not in commitments
    assert "beta-2024-1" in page(mini_site, "commitments/2024/").text


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


def test_home_says_what_is_covered(built_site):
    text = page(built_site, "").text
    assert "8 个地区 regions 7 份报告 reports 54 条表述 statements" in text
    assert text.index("2025年山西省政府工作报告") < text.index("2025年无锡市政府工作报告")  # latest first
    assert "38 项目标与任务：进行中 38" in text
    assert "提及各产业的地区数" in text


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

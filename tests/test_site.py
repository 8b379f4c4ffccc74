"""Stage 4 and the whole pipeline: the real MkDocs build of the shipped content, read as HTML.

The expected facts below are copied from the official texts (../shared/reports/: datelines, speaker lines and a
figure each) and the seed article (for the two header facts the official copies lack), not from content/, so
these tests check the content against its sources as well as the build.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import re
import shutil
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import CONTENT, ROOT, run_build
from htmlpage import Page, page
from tracker.load import load_content
from tracker.validate import validate

OFFICIAL = {
    # report: (date, session, speaker title and name, figures as the report page shows them)
    "2025/beijing": ("2025年1月14日", "北京市第十六届人民代表大会第三次会议", "市长 殷勇", ["突破3000亿元", "9项"]),
    "2025/shanghai": ("2025年1月15日", "上海市第十六届人民代表大会第三次会议", "市长 龚正", ["达到1.8万亿元"]),
    "2025/guangdong": ("2025年1月15日", "广东省第十四届人民代表大会第三次会议", "省长 王伟中", ["21%", "18%"]),
    "2025/liaoning": ("2025年1月16日", "辽宁省第十四届人民代表大会第三次会议", "省长 李乐成", ["10个"]),
    "2025/shanxi": ("2025年1月17日", "山西省第十四届人民代表大会第三次会议", "省长 金湘军", ["10%以上", "达到92"]),
    "2025/shenyang": ("2025年1月12日", "沈阳市第十七届人民代表大会第四次会议", "市长 吕志成", ["45.9%"]),
    "2025/wuxi": ("2025年1月11日", "无锡市第十七届人民代表大会第四次会议", "市长 赵建军",
                  ["120亿元", "4只", "超过30%", "1/3", "112个"]),
    "2025/jiangsu": ("2025年1月19日", "江苏省第十四届人民代表大会第三次会议", "省长 许昆林", ["13个"]),
    "2026/beijing": ("2026年1月25日", "北京市第十六届人民代表大会第四次会议", "市长 殷勇", ["超过20%"]),
    "2026/shanghai": ("2026年2月3日", "上海市第十六届人民代表大会第四次会议", "市长 龚正", ["突破2万亿元"]),
    "2026/guangdong": ("2026年1月26日", "广东省第十四届人民代表大会第五次会议", "省长 孟凡利", ["9成"]),
    "2026/liaoning": ("2026年1月27日", "辽宁省第十四届人民代表大会第五次会议", "省长 王新伟", ["61.2%"]),
    "2026/shanxi": ("2026年2月2日", "山西省第十四届人民代表大会第五次会议", "未载明 not stated", ["达到400座"]),
    "2026/shenyang": ("2026年1月14日", "沈阳市第十七届人民代表大会第五次会议", "市长 吕志成", ["154项"]),
    "2026/wuxi": ("2026年1月22日", "无锡市第十七届人民代表大会第六次会议", "市长 蒋锋", ["409个"]),
    "2026/jiangsu": ("2026年2月3日", "江苏省第十四届人民代表大会第五次会议", "省长 刘小涛", ["3022家"]),
}
SEED = {r.split("/")[1] for r in OFFICIAL if r.startswith("2025/") and r != "2025/jiangsu"}
"""The regions the seed article (中国电子报) covers: their 2025 entries cite it second."""
KEY_PHRASES = {
    "2025/guangdong": ["中国集成电路第三极", "广东强芯", "璀璨行动", "百链韧性提升"],
    "2025/shenyang": ["北方芯谷"],
    "2025/shanghai": ["上海方案"],
    "2025/wuxi": ["一感两网", "车路云一体化", "物联网之都", "一二三四五", "核心三业"],
}


@pytest.fixture(scope="module")
def corpus():
    return validate(load_content(CONTENT))


@pytest.mark.parametrize("report", OFFICIAL)
def test_report_page_shows_its_sources_header_and_figures(built_site, report):
    date, session, speaker, figures = OFFICIAL[report]
    text = page(built_site, f"reports/{report}/").text
    seed = ("中国电子报", "姬晓婷", "2025年,多地筹谋集成电路产业") if report.split("/")[1] in SEED and "2025" in report else ()
    for fact in (date, session, speaker, "首要来源 Primary source", "人民政府", *seed, *figures,
                 *KEY_PHRASES.get(report, [])):
        assert fact in text, f"{fact} missing from the {report} report page"


def test_report_page_groups_statements_by_kind(built_site):
    text = page(built_site, "reports/2025/wuxi/").text
    order = [text.index(h) for h in ("上年成果 Result of the past year", "计划与任务 Plan or task",
                                      "重大项目 Named project", "基金 Fund")]
    assert order == sorted(order)


def test_every_page_of_the_issue_exists(built_site, corpus):
    urls = ["", "reports/", "regions/", "industries/", "timeline/"]
    urls += [f"reports/{r}/" for r in OFFICIAL] + ["about/", "commitments/"]
    urls += [f"regions/{r.slug}/" for r in corpus.regions]
    urls += [f"industries/{i.slug}/" for i in corpus.industries]
    missing = [u for u in urls if not (built_site / u / "index.html").is_file()]
    assert missing == []
    assert len(corpus.regions) == 8 and len(corpus.reports) == 16


def test_every_page_has_its_own_title(built_site):
    """MkDocs takes a page's title from its Markdown: a hook that let go of the Markdown too soon left 'None'."""
    pages = [p for p in built_site.rglob("index.html") if p.parent not in (built_site, built_site / "en")
             and "http-equiv" not in p.read_text("utf-8")]
    assert len(pages) > 80
    for path in pages:
        english = path.relative_to(built_site).parts[0] == "en"
        site_name = "Regional Policy Tracker" if english else "地方产业政策追踪 Regional Policy Tracker"
        html = path.read_text(encoding="utf-8")
        title = re.search(r"<title>([^<]*)</title>", html).group(1)
        heading = re.sub(r"<[^>]+>|\s+", " ", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)).strip()
        assert title.endswith(f" - {site_name}") and "None" not in html.split("</header>")[0], path
        assert title.split(" - ")[0] in heading or heading.startswith(title.split(" - ")[0].split(" ")[0]), path


def test_integrated_circuits_page_lists_every_region(built_site):
    ic = page(built_site, "industries/integrated-circuits/")  # the newest year's page: 2026
    for report in OFFICIAL:
        if report.startswith("2026/") and report != "2026/shenyang":  # Shenyang's 2026 text names no chips
            assert f"../../reports/{report}/" in ic.links, report
    for name in ("北京市", "上海市", "广东省", "辽宁省", "山西省", "无锡市", "江苏省"):
        assert name in ic.text


def test_each_industry_page_lists_every_region_naming_it(built_site, corpus):
    for industry in corpus.industries:
        links = set(page(built_site, f"industries/{industry.slug}/").links)
        for region, reports in corpus.reports_of_region.items():
            names = any(set(r.all_industries) & set(corpus.industry_and_descendants(industry.slug)) for r in reports)
            linked = f"../../regions/{region}/" in links
            assert linked == names, (industry.slug, region)


def test_timeline_runs_in_date_order(built_site):
    text = page(built_site, "timeline/2025/").text
    dates = ["1月11日", "1月12日", "1月14日", "1月15日", "1月16日", "1月17日", "1月19日"]
    assert [text.index(f"2025年{d}") for d in dates] == sorted(text.index(f"2025年{d}") for d in dates)
    assert text.index("2025年无锡市政府工作报告") < text.index("2025年山西省政府工作报告")
    newest = page(built_site, "timeline/").text
    assert newest.index("2026年1月14日") < newest.index("2026年2月3日")


def test_region_hierarchy_links_both_ways(built_site):
    assert "../jiangsu/" in page(built_site, "regions/wuxi/").links
    assert "../wuxi/" in page(built_site, "regions/jiangsu/").links
    assert "../../reports/2025/wuxi/" in page(built_site, "regions/wuxi/").links


def test_no_internal_link_is_broken(built_site, corpus):
    broken = []
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > len(corpus.reports) + len(corpus.regions) + len(corpus.industries) + len(corpus.years)
    for html_file in pages:
        p = Page(html_file)
        for link in p.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith(("//", "mailto:")) or not parts.path:
                continue
            base = built_site if parts.path.startswith("/") else html_file.parent  # 404.html links from the root
            target = (base / unquote(parts.path).lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{html_file.relative_to(built_site)} → {link}")
    assert broken == []


def test_no_asset_from_another_host(built_site, corpus):
    """Fonts are off and no CDN is named: the only outside addresses are links (the theme's credit, the licence,
    the sources the entries cite)."""
    outside = {link for f in built_site.rglob("*.html") for link in Page(f).links
               if link.startswith(("http://", "https://", "//"))}
    sources = {s.url for r in corpus.reports for s in r.sources if s.url}
    assert outside == {"https://squidfunk.github.io/mkdocs-material/", "https://creativecommons.org/licenses/by/4.0/",
                       *sources}


def test_failed_build_leaves_previous_site(tmp_path, content_copy):
    site = tmp_path / "site"
    assert run_build("build", "--content", str(content_copy), "--site", str(site)).returncode == 0
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (content_copy / "reports/2025/wuxi.md").write_text("---\nregion: [\n---\n", encoding="utf-8")
    result = run_build("build", "--content", str(content_copy), "--site", str(site))
    assert result.returncode == 1
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert not list(tmp_path.glob(".build-*")), "the scratch folder is removed"


def test_rebuild_is_byte_identical(tmp_path, built_site):
    again = tmp_path / "site"
    assert run_build("build", "--site", str(again)).returncode == 0
    first = {p.relative_to(built_site): p.read_bytes() for p in built_site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert sorted(first) == sorted(second)
    differ = [str(k) for k in first if first[k] != second[k]]
    assert differ == []


def test_a_rebuild_replaces_the_site_and_the_old_one_goes(tmp_path):
    """The previous site and the scratch folder are deleted by a process of their own: gone soon after."""
    site = tmp_path / "site"
    for _ in range(2):
        assert run_build("build", "--site", str(site)).returncode == 0
    assert (site / "reports" / "2025" / "wuxi" / "index.html").is_file()
    deadline = time.monotonic() + 30
    while sorted(p.name for p in tmp_path.iterdir()) != ["site"] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def previous_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("previous", encoding="utf-8")
    return site


def assert_untouched(site: Path) -> None:
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "previous"


def test_a_mkdocs_failure_is_reported_and_replaces_nothing(tmp_path):
    from tracker.render import Page
    from tracker.site import SiteError, build_site
    site = previous_site(tmp_path)
    pages = [Page("index.md", "# Home\n"), Page("stray.md", "# Not in the nav\n")]
    with pytest.raises(SiteError, match=r"(?s)not included in the \"nav\".*stray\.md"):
        build_site(["index.md", "stray.md"], pages, ROOT / "mkdocs.yml", site)
    assert_untouched(site)


def test_a_failing_page_stops_mkdocs_and_replaces_nothing(tmp_path):
    """MkDocs waits for each announced page: when rendering fails or a page never comes, it is stopped."""
    from tracker.render import Page
    from tracker.site import SiteError, build_site
    site = previous_site(tmp_path)

    def broken():
        yield Page("index.md", "# Home\n")
        raise ValueError("a template bug")

    with pytest.raises(ValueError, match="a template bug"):
        build_site(["index.md", "data.md"], broken(), ROOT / "mkdocs.yml", site)
    with pytest.raises(SiteError, match="pages announced but never written: data.md"):
        build_site(["index.md", "data.md"], [Page("index.md", "# Home\n")], ROOT / "mkdocs.yml", site)
    with pytest.raises(SiteError, match="two pages want the same path index.md"):
        build_site(["index.md"], [Page("index.md", "a"), Page("index.md", "b")], ROOT / "mkdocs.yml", site)
    with pytest.raises(SiteError, match="outside the docs folder"):
        build_site(["index.md"], [Page("../escape.md", "x")], ROOT / "mkdocs.yml", site)
    assert_untouched(site)
    assert not list(tmp_path.glob(".build-*"))  # the scratch folder is gone, and no MkDocs is left waiting


def chinese_docs(tmp_path: Path, corpus) -> tuple[Path, Path]:
    """The Chinese site's generated docs folder and its MkDocs configuration (our hooks in it), as build.py writes
    them."""
    from tracker import site as site_module
    from tracker.i18n import LANGUAGES
    from tracker.render import guide_pages, render
    docs = tmp_path / "docs"
    site_module.write_pages(itertools.chain(render(corpus, languages=LANGUAGES[:1]), guide_pages(LANGUAGES[:1])), docs)
    shutil.copytree(site_module.ASSETS, docs / "assets")
    return docs, site_module.language_config(ROOT / "mkdocs.yml", LANGUAGES[0], tmp_path, LANGUAGES[:1])


def test_pages_read_the_same_without_our_mkdocs_hooks(tmp_path, corpus):
    """The hooks only speed MkDocs up: the generated Markdown builds to the same page without them."""
    import yaml

    from tracker import site as site_module
    docs, hooked = chinese_docs(tmp_path, corpus)
    config = yaml.safe_load(hooked.read_text(encoding="utf-8"))
    del config["hooks"]
    plain = tmp_path / "plain.yml"
    plain.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    for name, config_file in (("hooked", hooked), ("plain", plain)):
        site_module._mkdocs_build(config_file, docs, tmp_path / name, None, True)
    for path in ("reports/2025/wuxi/", "industries/integrated-circuits/", "timeline/", "commitments/", "compare/"):
        assert page(tmp_path / "hooked", path).text == page(tmp_path / "plain", path).text, path


@pytest.mark.parametrize("markdown", [
    "", "# T\n\n<!--rpt:html-->\n<p>a</p>\n<!--/rpt:html-->\n\ntext\n", "<!--rpt:html-->\n\n<!--/rpt:html-->",
    "<!--rpt:html-->\n<!--/rpt:html-->", "x<!--rpt:html-->\na\n<!--/rpt:html-->\n",
    "<!--rpt:html-->\na\n<!--/rpt:html-->x\nb\n<!--/rpt:html-->",
    "<!--rpt:html-->\na\n<!--/rpt:html-->\n<!--rpt:html-->\nb\n<!--/rpt:html-->",
    "<!--rpt:html-->\na\n<!--rpt:html-->\nb\n<!--/rpt:html-->\n\n<!--/rpt:html-->",
    "a\n<!--rpt:html-->\nnever closed\n<!--rpt:html-->\nx\n<!--/rpt:html-->"])
def test_blocks_are_set_aside_as_the_lazy_expression_finds_them(markdown):
    """mkdocs_hooks._set_aside finds blocks with str.find: the same blocks, markers at a line's start and end, the
    first end after an opening, as the regular expression it replaced."""
    from tracker.mkdocs_hooks import _set_aside
    expected: list[str] = []

    def aside(match: re.Match) -> str:
        expected.append(match[1])
        return f"\n\nrpthtml{len(expected) - 1}x\n\n"
    blocks: list[str] = []
    assert _set_aside(markdown, blocks) == re.sub(r"^<!--rpt:html-->\n(.*?)\n<!--/rpt:html-->$", aside, markdown,
                                                  flags=re.S | re.M)
    assert blocks == expected


def mkdocs_in_this_process(config_file: Path, docs: Path, site: Path, jobs: str, fail_in_children: bool = False
                           ) -> list[str]:
    """MkDocs' build of ``docs`` into ``site`` with RPT_MKDOCS_JOBS=jobs, here: the pages rendered into the theme by
    this process (MkDocs' own _build_page counted; our hooks patch it and Page.render, both put back after).
    ``fail_in_children``: every page a forked process takes asks for a template that does not exist."""
    from mkdocs.commands import build as command
    from mkdocs.config import load_config
    from mkdocs.structure import pages
    own_page, own_render, here, this = command._build_page, pages.Page.render, [], os.getpid()

    def counted(page, *args, **kwargs):
        if os.getpid() != this and fail_in_children:
            page.meta = {**page.meta, "template": "no-such-template.html"}
        here.append(page.file.src_uri)
        return own_page(page, *args, **kwargs)

    command._build_page = counted
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("RPT_MKDOCS_JOBS", jobs)
            command.build(load_config(str(config_file), docs_dir=str(docs), site_dir=str(site)))
    finally:
        command._build_page, pages.Page.render = own_page, own_render
    return here


def test_the_theme_rendered_by_three_processes_gives_the_one_process_site(tmp_path, corpus):
    """mkdocs_hooks._theme_on_every_core: the pages shared among three processes (two of them forked) come out
    byte for byte as one process renders them, every page once."""
    docs, config_file = chinese_docs(tmp_path, corpus)
    alone = mkdocs_in_this_process(config_file, docs, tmp_path / "one", "1")
    shared = mkdocs_in_this_process(config_file, docs, tmp_path / "three", "3")
    pages = sorted(str(p.relative_to(docs)) for p in docs.rglob("*.md"))
    assert sorted(alone) == pages and len(pages) > 300
    assert 0 < len(shared) < len(pages) and len(set(shared)) == len(shared)  # the children rendered the rest
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    three = {p.relative_to(tmp_path / "three"): p.read_bytes() for p in (tmp_path / "three").rglob("*") if p.is_file()}
    assert sorted(one) == sorted(three)
    assert [str(path) for path in one if one[path] != three[path]] == []


def test_a_page_failing_in_a_forked_process_fails_the_build_with_its_error(tmp_path, corpus, caplog):
    """A forked process's error is raised here, and what it logged is logged here, where MkDocs counts it."""
    import jinja2
    docs, config_file = chinese_docs(tmp_path, corpus)
    with pytest.raises(jinja2.TemplateNotFound, match="no-such-template.html"):
        mkdocs_in_this_process(config_file, docs, tmp_path / "site", "2", fail_in_children=True)
    assert re.search(r"Error building page '.+\.md': 'no-such-template.html' not found", caplog.text)


def test_mkdocs_speedups_render_as_mkdocs_own(built_site, tmp_path):
    """The hooks convert every page with one Markdown instance (mkdocs_hooks._reuse_markdown) and render Material's
    navigation, tabs, colour switch and search box once for the same inputs (mkdocs_hooks._render_partials_once);
    MkDocs' and Material's own render (a new instance per page, every partial on every page) gives the very same
    site, byte for byte."""
    site = tmp_path / "site"
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--site", str(site)],
                            env={**os.environ, "RPT_MKDOCS_OWN_RENDER": "1"}, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr
    ours = {p.relative_to(built_site): p.read_bytes() for p in built_site.rglob("*") if p.is_file()}
    theirs = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert ours.keys() == theirs.keys()
    assert [path for path in ours if ours[path] != theirs[path]] == []
    assert len(ours) > 1500  # both languages' pages, assets, data
    # and the reuse is on in the hooks' MkDocs (else the two builds above would be the same code)
    from mkdocs.structure import pages

    from tracker import mkdocs_hooks
    own = pages.Page.render
    try:
        mkdocs_hooks._reuse_markdown()
        assert pages.Page.render is not own and pages.Page.render.rpt_reuses_markdown
    finally:
        pages.Page.render = own
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(tmp_path))
    env = config.theme.get_env()
    mkdocs_hooks._render_partials_once(env, config)
    for name in (*mkdocs_hooks._SAME_ON_EVERY_PAGE, *mkdocs_hooks._SAME_FOR_THE_SAME_LINKS):
        assert env.get_template(name).root_render_func.rpt_keeps_renders, name
    for name in mkdocs_hooks._SAME_FOR_THE_SAME_ASSETS:
        assert env.get_template("base.html").blocks[name].rpt_keeps_renders, name
    source = env.loader.get_source(env, "base.html")[0]  # the assets those blocks link to, which their key reads
    assert [asset for asset in mkdocs_hooks._MATERIAL_ASSETS if asset not in source] == []

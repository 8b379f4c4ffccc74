"""MkDocs hooks (mkdocs.yml: hooks): hand the generated pages' HTML blocks to the theme untouched.

Templates wrap the HTML they generate (tables, statement lists, charts) in ``<!--rpt:html-->`` …
``<!--/rpt:html-->``. Python-Markdown would re-parse every tag of such raw HTML with html.parser,
which was most of the build time at 1,000 reports; here each block is set aside before Markdown
runs and put back after. Without these hooks the pages still build the same (the markers are
comments), only slower: the generated Markdown stays portable.

Three more hooks only save time, with the site byte-identical (tests/test_site.py compares): one Markdown instance
for all pages (_reuse_markdown), Material's partials that come out the same on most pages rendered once
(_render_partials_once), and the pages rendered into the theme by a process on each core (_theme_on_every_core;
RPT_MKDOCS_JOBS=N sets how many). RPT_MKDOCS_OWN_RENDER=1 leaves MkDocs and Material to render as they do on their
own, in one process.
"""

from __future__ import annotations

import datetime
import functools
import gc
import logging
import multiprocessing
import os
import posixpath
import re
import time
import zlib

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

_OPEN, _CLOSE = "<!--rpt:html-->\n", "\n<!--/rpt:html-->"
"""A block's markers, each on a line of its own."""
_PLACEHOLDER = re.compile(r"<p>rpthtml(\d+)x</p>")
_PATIENCE_S = 600.0
"""How long a page may take to come: far more than any page needs, short of forever."""
_TOGGLE_AUTOCOMPLETE = re.compile(r'(<input class="md-toggle" [^>]*type="checkbox"[^>]*?) autocomplete="off">')
"""Material's two page toggles carry autocomplete, which HTML allows on text-like inputs only (the Nu Html
Checker's one error on every page); they are in base.html outside any block an override could replace."""


def on_config(config, **kwargs):
    _reuse_markdown()
    return _footer(config)


def _reuse_markdown() -> None:
    """MkDocs 1.6 makes a new Markdown instance, with every extension set up anew, for each page (Page.render):
    a tenth of its time at 10,000 reports. Here one instance per build converts every page, reset between
    pages (Markdown's own way to reuse an instance; each extension clears its state in its reset), with MkDocs'
    four per-page processors registered afresh on it under their own names, which replaces the last page's.
    The rest of render is MkDocs' own, line for line; tests/test_site.py compares the pages with MkDocs' own
    render's."""
    import mkdocs
    from mkdocs.structure import pages
    if (mkdocs.__version__ != "1.6.1"  # the render copied below is 1.6.1's: another MkDocs keeps its own
            or getattr(pages.Page.render, "rpt_reuses_markdown", False) or os.environ.get("RPT_MKDOCS_OWN_RENDER")):
        return
    import markdown
    kept: list = [None, None]  # the build's config and its Markdown: a new build (serve) replaces both

    def render(self, config, files) -> None:
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        if kept[0] is not config:
            kept[:] = config, markdown.Markdown(extensions=config["markdown_extensions"],
                                                extension_configs=config["mdx_configs"] or {})
        md = kept[1]
        md.reset()
        raw_html_ext = pages._RawHTMLPreprocessor()
        raw_html_ext._register(md)
        extract_anchors_ext = pages._ExtractAnchorsTreeprocessor(self.file, files, config)
        extract_anchors_ext._register(md)
        relative_path_ext = pages._RelativePathTreeprocessor(self.file, files, config)
        relative_path_ext._register(md)
        extract_title_ext = pages._ExtractTitleTreeprocessor()
        extract_title_ext._register(md)
        self.content = md.convert(self.markdown)
        self.toc = pages.get_toc(getattr(md, "toc_tokens", []))
        self._title_from_render = extract_title_ext.title
        self.present_anchor_ids = extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids
        if pages.log.getEffectiveLevel() > logging.DEBUG:
            self.links_to_anchors = relative_path_ext.links_to_anchors

    render.rpt_reuses_markdown = True
    pages.Page.render = render


def on_env(env, config, files, **kwargs):
    from importlib.metadata import version
    # What each partial reads was read in Material 9.8.1's templates: another Material renders every one anew.
    if version("mkdocs-material") == "9.8.1" and not os.environ.get("RPT_MKDOCS_OWN_RENDER"):
        _render_partials_once(env, config)
    _theme_on_every_core()
    return env


_JOBS = "RPT_MKDOCS_JOBS"
_CHUNK = 32
"""Pages a process takes at a time: few enough that the processes finish together, enough that taking is rare."""


def _theme_on_every_core() -> None:
    """MkDocs renders the pages into the theme one after the other, after it has read them all: at 2,000 reports
    19 s of a 51 s build in which the other core had nothing left to do. Here the first page MkDocs asks for
    starts the whole job: this process and one forked process for each other core take the pages a few at a time
    and render them with MkDocs' own function (each a copy of the same state, so each page comes out as MkDocs
    alone would render it); MkDocs' later calls find their page done. The children's warnings and errors are
    logged here, where MkDocs counts them (strict). RPT_MKDOCS_JOBS=N: N processes (1: MkDocs' own loop)."""
    import mkdocs
    from mkdocs.commands import build as command
    one_page = getattr(command._build_page, "rpt_one_page", command._build_page)
    command._build_page = one_page  # a second build in this process (serve) starts afresh
    jobs = _jobs()
    if (jobs < 2 or mkdocs.__version__ != "1.6.1" or os.environ.get("RPT_MKDOCS_OWN_RENDER")
            or "fork" not in multiprocessing.get_all_start_methods()):
        return
    started: list = [None]  # the page list the job was done for

    def build_page(page, config, doc_files, nav, env, dirty=False, excluded=False) -> None:
        if started[0] is not doc_files:
            started[0] = doc_files
            _every_page(one_page, config, doc_files, nav, env, dirty, jobs)

    build_page.rpt_one_page = one_page
    command._build_page = build_page


def _jobs() -> int:
    from tracker import forked
    value = os.environ.get(_JOBS, "").strip()
    if not value:
        return forked.cores()
    if not value.isdigit() or int(value) < 1:
        raise PluginError(f"{_JOBS}={value!r}: give a whole number of processes, 1 or more (1: one process)")
    return int(value)


def _every_page(one_page, config, doc_files, nav, env, dirty: bool, jobs: int) -> None:
    """Every page of ``doc_files`` rendered by ``one_page`` in ``jobs`` processes, this one included."""
    from tracker import forked
    jobs = min(jobs, -(-len(doc_files) // _CHUNK))
    taken = multiprocessing.get_context("fork").Value("q", 0)  # the next page no process has taken
    parent = os.getpid()

    def take() -> range:
        with taken.get_lock():
            start = taken.value
            taken.value = min(start + _CHUNK, len(doc_files))
        return range(start, taken.value)

    def render_pages() -> None:
        try:
            while pages := take():
                if os.getpid() != parent and os.getppid() != parent:
                    return  # the parent was stopped: nobody will use these pages
                for file in (doc_files[i] for i in pages):
                    one_page(file.page, config, doc_files, nav, env, dirty, excluded=file.inclusion.is_excluded())
        except BaseException:
            with taken.get_lock():
                taken.value = len(doc_files)  # the others stop after their pages in hand
            raise

    def in_child() -> list[tuple[str, int, str]]:
        kept = _Kept()
        logging.getLogger("mkdocs").addHandler(kept)
        try:
            render_pages()
        except BaseException as e:
            e.rpt_records = kept.records
            raise
        return kept.records

    if jobs < 2:
        return render_pages()
    gc.freeze()  # the collector, left to scan the forked copies, would write to every page it shares with them
    try:
        _, theirs = forked.beside(render_pages, [in_child] * (jobs - 1))
    except BaseException as e:
        _log_again(getattr(e, "rpt_records", ()))
        raise
    finally:
        gc.unfreeze()
    for records in theirs:
        _log_again(records)


class _Kept(logging.Handler):
    """A forked process's warnings and errors, for the process MkDocs counts them in."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _log_again(records) -> None:
    for name, level, message in records:
        logging.getLogger(name).log(level, message)


_SAME_ON_EVERY_PAGE = ("partials/palette.html", "partials/search.html")
"""Partials that read the configuration only (our search.html too)."""
_SAME_FOR_THE_SAME_LINKS = ("partials/nav.html", "partials/tabs.html")
"""Partials that read the navigation, the configuration and the current page: on a page outside the navigation
(all but a few), nothing in them is active or current, and only the links to the navigation's pages, relative to
the page, differ from page to page."""
_SAME_FOR_THE_SAME_ASSETS = ("styles", "libs", "fonts", "config", "scripts")
"""base.html's blocks that read the configuration, the theme's language and the addresses of assets, relative to
the page: the same on every page at the same depth."""
_MATERIAL_ASSETS = ("assets/stylesheets/main.57a0d79d.min.css", "assets/stylesheets/palette.fb2fffe2.min.css",
                    "assets/javascripts/workers/search.a7633da7.min.js", "assets/javascripts/bundle.a5f9d56c.min.js")
"""The assets those blocks of Material 9.8.1 link to, besides the configuration's extra_css, extra_javascript and
polyfills."""


def _render_partials_once(env, config) -> None:
    """Material renders its navigation, tabs, colour switch and search box into every page, a fifth of MkDocs'
    time at 2,000 reports (20 of 116 s profiled), though on most pages they come out the same. Here each of
    those partials keeps what it rendered under the inputs it reads, and gives it again for the same inputs:
    for the navigation and tabs, the relative links of the navigation's pages (and none is kept for a page in the
    navigation: its own entry is current); for the others, nothing, since they read the configuration only.
    The same for the blocks of the page's head and end that link the theme's styles and scripts and hold its
    configuration (_SAME_FOR_THE_SAME_ASSETS), under the assets' relative addresses: at 10,000 reports 16 of
    the theme's 164 s (sampled in both processes), though they come out the same on every page at the same depth.
    RPT_MKDOCS_OWN_RENDER=1 turns this off; tests/test_site.py compares the two sites, byte for byte."""
    from mkdocs.utils import normalize_url

    seen: list = [None, None, None]  # the build's navigation, its pages' ids, the addresses it links to

    def addresses(urls, context) -> tuple[str, ...]:
        page, base = context.get("page"), context.get("base_url")
        return (base, *(normalize_url(url, page=page, base=base) for url in urls))

    def links(context):
        page, nav = context.get("page"), context.get("nav")
        if page is None or nav is None:
            return None
        if seen[0] is not nav:
            seen[:] = nav, {id(p) for p in nav.pages}, _nav_urls(nav, context.get("config"))
        if id(page) in seen[1]:
            return None
        return addresses(seen[2], context)

    extras = (*config.extra_css, *config.extra_javascript, *(config.extra.get("polyfills") or ()))
    assets = (*_MATERIAL_ASSETS, *map(str, extras))  # what the asset blocks link to

    for name in _SAME_ON_EVERY_PAGE:
        _keep_renders(env.get_template(name), lambda context: ())
    for name in _SAME_FOR_THE_SAME_LINKS:
        _keep_renders(env.get_template(name), links)
    base = env.get_template("base.html")
    for name in _SAME_FOR_THE_SAME_ASSETS:
        base.blocks[name] = _kept(base.blocks[name], functools.partial(addresses, assets))


def _nav_urls(nav, config) -> tuple[str, ...]:
    """Every address the navigation links to: the home page's and each item's, at every level."""
    urls = [str(config.extra.get("homepage") or "") if config else "", nav.homepage.url if nav.homepage else ""]
    todo = list(nav.items)
    while todo:
        item = todo.pop()
        urls.append(getattr(item, "url", None) or "")
        todo.extend(getattr(item, "children", None) or ())
    return tuple(urls)


def _keep_renders(template, key_of) -> None:
    """``template``, included, renders once for each key ``key_of(context)`` gives, and anew where it gives None."""
    template.root_render_func = _kept(template.root_render_func, key_of)


def _kept(render, key_of):
    """A template's or block's render function that renders once for each key ``key_of(context)`` gives, and anew
    where it gives None."""
    kept: dict[tuple, str] = {}

    def render_kept(context):
        key = key_of(context)
        if key is None:
            yield from render(context)
            return
        if key not in kept:
            kept[key] = "".join(render(context))
        yield kept[key]

    render_kept.rpt_keeps_renders = True
    return render_kept


def _footer(config):
    """What the footer says (overrides/partials/copyright.html): the date of the newest content, which build.py
    gives MkDocs as SOURCE_DATE_EPOCH (never the clock), and the correction form of the repository the site is
    published from ($REPO_URL, e.g. https://github.com/owner/repo), where known."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        config.extra["content_date"] = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date().isoformat()
    repo = os.environ.get("REPO_URL") or config.extra.get("repo_url")
    if repo:
        config.extra["correction_url"] = repo.rstrip("/") + "/issues/new?template=correction.yml"
    return config


def on_files(files, config, **kwargs):
    """When build.py streams the pages (RPT_STREAMED_PAGES holds its process id and the file listing the pages'
    paths), the pages are not written yet: take them from that list, in its order, which is the order they
    will be written in."""
    streamed = _streamed()
    if not streamed:
        return files
    with open(streamed[1], encoding="utf-8") as listing:
        paths = listing.read().splitlines()
    pages = [files.get_file_from_path(path) or File(path, config.docs_dir, config.site_dir, config.use_directory_urls)
             for path in paths]
    listed = set(paths)
    return Files([*pages, *(f for f in files if f.src_uri not in listed)])


def on_page_read_source(page, **kwargs) -> None:
    """When build.py streams the pages, wait for the page to be written (each appears whole, by a rename), and
    give up if build.py is gone."""
    streamed = _streamed()
    if not streamed:
        return None
    path, waited = page.file.abs_src_path, 0.0
    while not os.path.exists(path):
        if os.getppid() != streamed[0] or waited > _PATIENCE_S:
            raise PluginError(f"{page.file.src_uri} was never written (build.py stopped)")
        time.sleep(0.002)
        waited += 0.002
    return None  # MkDocs reads the file itself


def _streamed() -> tuple[int, str] | None:
    """(process id of build.py, file listing the pages) when build.py streams the pages."""
    value = os.environ.get("RPT_STREAMED_PAGES")
    if not value:
        return None
    writer, _, listing = value.partition(":")
    return int(writer), listing


def on_page_markdown(markdown: str, page, **kwargs) -> str:
    page.rpt_html_blocks = []
    return _set_aside(markdown, page.rpt_html_blocks)


def _set_aside(markdown: str, blocks: list[str]) -> str:
    """``markdown`` with each block (from a line _OPEN to the first line _CLOSE after it) replaced by a plain word,
    which Markdown makes a paragraph and nothing more; the blocks go to ``blocks``. Found with str.find: a lazy
    regular expression (``^<!--rpt:html-->\\n(.*?)\\n<!--/rpt:html-->$``, which this matches alike) tried the end
    marker at every character of every block: over the 27,727 Chinese pages of 10,000 reports, 5.5 and 6.4 s in two
    runs, against 0.9 and 0.8 s."""
    parts, done, start = [], 0, 0
    while (i := markdown.find(_OPEN, start)) != -1:
        start = i + 1
        if i and markdown[i - 1] != "\n":
            continue  # not at a line's start
        body = j = i + len(_OPEN)
        while (j := markdown.find(_CLOSE, j)) != -1:
            end = j + len(_CLOSE)
            if end == len(markdown) or markdown[end] == "\n":
                break
            j += 1
        if j == -1:
            continue  # never closed: left to Markdown
        blocks.append(markdown[body:j])
        parts += markdown[done:i], f"\n\nrpthtml{len(blocks) - 1}x\n\n"
        done = start = end
    parts.append(markdown[done:])
    return "".join(parts)


def on_page_content(html: str, page, **kwargs) -> str:
    """The page's HTML with its blocks back in, set aside compressed until the theme renders the page.

    MkDocs reads every page before it renders any into the theme, and keeps each page's HTML meanwhile: at
    10,000 reports, 412 MB of text (44 MB compressed, for 1.6 s of work). Nothing reads a page's HTML in
    between (links and anchors were collected while it was converted)."""
    blocks = getattr(page, "rpt_html_blocks", None)
    page.rpt_html_blocks = None  # its Markdown stays: MkDocs takes the page's title from it
    if blocks:
        html = _PLACEHOLDER.sub(lambda m: blocks[int(m.group(1))], html)
    page.rpt_content = zlib.compress(html.encode("utf-8"), 1)
    return ""


def on_page_context(context, page, **kwargs):
    compressed = getattr(page, "rpt_content", None)
    if compressed is not None:
        page.content, page.rpt_content = zlib.decompress(compressed).decode("utf-8"), None
    return context


def on_post_page(output: str, page, **kwargs) -> str:
    """Let go of a written page's Markdown and HTML: MkDocs keeps every page object to the end, and at
    10,000 reports their texts alone took gigabytes."""
    page.markdown = page.content = page.rpt_html_blocks = None
    return valid_toggles(output)


def on_template_context(context, template_name: str, config, **kwargs):
    """The offline snapshot's 404 page (pages as .html files, opened from disk) links assets and pages relative to
    itself, at the site's root: MkDocs gives error pages root-relative links, which lead nowhere from disk. The
    404 page (overrides/404.html) links its own home, and its language switch the other language's home
    (overrides/partials/header.html): from the English site's, up a folder, written without the '..'."""
    if template_name == "404.html":
        if not config.use_directory_urls:
            context["base_url"] = "."
        context["rpt_home"] = _home(context["base_url"], "", config.use_directory_urls)
        other = (config.extra.get("rpt") or {}).get("other")
        if other:
            context["rpt_other_home"] = _home(context["base_url"], other["root"], config.use_directory_urls)
    return context


def _home(base_url: str, root: str, directory_urls: bool) -> str:
    """The address of the home page ``root`` leads to from the site's base, normalized (/en/../ is /), and its
    index.html where pages are files (the offline snapshot)."""
    home = posixpath.normpath(f"{base_url.rstrip('/')}/{root}").rstrip("/") + "/"
    return home if directory_urls else home.lstrip("/") + "index.html"


def on_post_template(output: str, template_name: str, **kwargs) -> str:
    return valid_toggles(output)  # 404.html


def valid_toggles(output: str) -> str:
    return _TOGGLE_AUTOCOMPLETE.sub(r"\1>", output, count=2)

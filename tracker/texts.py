"""What a template prints, in the language of the page it renders (the context's ``lang``): labels from the
catalog, names, summaries, bodies, figures, dates, titles, addresses from the route table. Registered as the
templates' globals and filters by render._environments.

In a page (HTML read by Markdown) these return Markup, escaped once; in any other output they return plain text,
which that output's own escaping takes care of (render.OUTPUT_KINDS)."""

from __future__ import annotations

import functools

import jinja2
from markupsafe import Markup

from . import escape, i18n
from .routes import ROUTES
from .typography import join_cjk_lines


def _in_page(context) -> bool:
    return context.eval_ctx.autoescape


@jinja2.pass_context
def t(context, key: str, **fields):
    """A label of the catalog, its {fields} filled: t("count.statements", n=3) → 3 条表述 statements."""
    if not fields:
        return _label(context["lang"], key, _in_page(context))
    return _filled(context["lang"], key, _in_page(context), fields)


@functools.lru_cache(maxsize=4096)
def _label(code: str, key: str, in_page: bool) -> Markup | str:
    """A label without fields, worked out once: most of the millions of labels a large build prints."""
    return _filled(code, key, in_page, {})


def _filled(code: str, key: str, in_page: bool, fields: dict) -> Markup | str:
    text = i18n.entry(code, key, fields.get("n"))
    return Markup(i18n.fill(text, escape.page, fields)) if in_page else i18n.fill(text, str, fields)


@jinja2.pass_context
def prose(context, key: str, **fields) -> Markup:
    """A catalog entry that is Markdown (the data page's paragraphs): its own text as written, its fields escaped."""
    return Markup(i18n.fill(i18n.entry(context["lang"], key), escape.page, fields, literal=str))


@jinja2.pass_context
def zh(context) -> Markup:
    """The attribute that marks Chinese text on a page of another language."""
    return Markup("") if context["lang"] == "zh" else Markup(' lang="zh"')


@jinja2.pass_context
def zh_text(context, value) -> Markup | str:
    """A text that stays Chinese (a quoted phrase, a measure, a publisher), marked as such on another language's
    page."""
    if not _in_page(context):
        return str(value)
    if context["lang"] == "zh":
        return escape.page(str(value))
    return Markup('<span lang="zh">') + escape.page(str(value)) + Markup("</span>")


@jinja2.pass_context
def name(context, obj) -> str:
    return i18n.name(context["lang"], obj)


@jinja2.pass_context
def other_name(context, obj) -> str:
    """The name in the other language, as text (an attribute's): the English one on a Chinese page, the Chinese
    one on another."""
    return obj.name_en if context["lang"] == "zh" else obj.name_zh


@jinja2.pass_context
def other_text(context, obj):
    """The name in the other language, to be read on the page: the Chinese one marked as such."""
    return obj.name_en if context["lang"] == "zh" else zh_text(context, obj.name_zh)


@jinja2.pass_context
def summary(context, statement):
    """A statement's summary in the page's language; where the English one is missing, the Chinese, marked."""
    if context["lang"] == "zh" or statement.summary_en or not _in_page(context):
        return i18n.text_of(context["lang"], statement.summary, statement.summary_en)
    return (Markup('<span lang="zh" class="rpt-untranslated" title="') + t(context, "untranslated.title")
            + Markup('">') + escape.page(statement.summary) + Markup("</span>"))


@jinja2.pass_context
def body(context, entry) -> Markup:
    """A report's or a region's Markdown body in the page's language; where the English one is missing, the
    Chinese, marked and said to be so."""
    if context["lang"] == "zh":
        return Markup(join_cjk_lines(entry.body))
    if entry.body_en:
        return Markup(entry.body_en)
    if not entry.body.strip():
        return Markup("")
    return (Markup('<p class="rpt-untranslated-note">') + t(context, "untranslated.body") + Markup("</p>\n\n")
            + Markup('<div lang="zh" class="rpt-untranslated" markdown>\n\n') + Markup(join_cjk_lines(entry.body))
            + Markup("\n\n</div>"))


@jinja2.pass_context
def session(context, report, full: bool = False):
    """A report's session: as the report names it, or glossed (with the Chinese after it where ``full``)."""
    region = context["corpus"].region[report.region]
    gloss = i18n.session(context["lang"], report.session, region)
    if gloss is None:
        return zh_text(context, report.session)
    if not full or not _in_page(context):
        return gloss
    return escape.page(gloss) + t(context, "sep.paren_open") + zh_text(context, report.session) + t(
        context, "sep.paren_close")


@jinja2.pass_context
def speaker_title(context, title: str | None):
    gloss = i18n.speaker_title(context["lang"], title)
    return gloss if gloss is not None else zh_text(context, title)


@jinja2.pass_context
def figure(context, metric) -> str:
    return i18n.figure(context["lang"], metric)


@jinja2.pass_context
def date(context, day) -> str:
    return i18n.date(context["lang"], day)


@jinja2.pass_context
def month_name(context, year: int, month: int) -> str:
    return i18n.month(context["lang"], year, month)


def title_in(code: str, route: str, obj, corpus) -> str:
    return i18n.plain(code, ROUTES[route].title, **ROUTES[route].title_fields(obj, code, corpus))


@jinja2.pass_context
def title(context, route: str, obj=None) -> str:
    """The title of a page (of the route's page about ``obj``) in the page's language."""
    return title_in(context["lang"], route, obj, context["corpus"])


@jinja2.pass_context
def title_in_other_language(context, route: str, obj=None):
    """The page's title in the other language, as its subtitle: English under a Chinese title, Chinese (marked)
    under an English one."""
    other = "en" if context["lang"] == "zh" else "zh"
    text = title_in(other, route, obj, context["corpus"])
    return text if other == "en" else zh_text(context, text)


"""The site's languages and their catalogs of strings (templates/i18n/<code>.yml): every label, name of a kind or
a status, date and count the site shows, in each language. Templates ask for a string by its key, t("key", n=3);
site-wide prose is Markdown per language (templates/pages/<name>.<code>.md). `check`'s messages are not here: they
speak to contributors, in English.

A catalog entry is a string with {fields}, or, for a count, a mapping of plural forms (one, other) chosen by the
field n. A key missing from a catalog is a bug: tests require every catalog to have every key of the first."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

CATALOGS = Path(__file__).resolve().parent.parent / "templates" / "i18n"


@dataclass(frozen=True)
class Language:
    code: str
    """BCP 47: the <html lang> of its pages."""
    prefix: str
    """Where its pages live below the site's root: "" for the first language, "en/" for English."""


LANGUAGES = (Language("zh", ""), Language("en", "en/"))
"""The site's languages; the first is at the root."""
BY_CODE = {language.code: language for language in LANGUAGES}


@functools.lru_cache(maxsize=None)
def catalog(code: str) -> dict[str, object]:
    """The catalog of a language, its nested keys flattened: {"kind.result": "上年成果", …}."""
    with open(CATALOGS / f"{code}.yml", encoding="utf-8") as f:
        return dict(_flatten(yaml.safe_load(f)))


def _flatten(tree: dict, prefix: str = ""):
    for key, value in tree.items():
        if isinstance(value, dict) and not set(value) <= {"one", "other"}:
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


_FIELD = re.compile(r"\{(\w+)\}")


def entry(code: str, key: str, n: int | None = None) -> str:
    """The catalog's string for ``key``, in its plural form for ``n`` where it has forms."""
    value = catalog(code)[key]
    if isinstance(value, dict):
        form = "one" if n == 1 and "one" in value else "other"
        return value[form]
    return value


def fill(text: str, escape: Callable[[str], str], fields: dict[str, object], literal: Callable[[str], str] | None = None
         ) -> str:
    """A catalog string with its {fields} filled: each field's value through ``escape`` (a value already escaped
    for its output, Markup, passes as it is), the string's own text through ``literal`` (``escape`` unless given:
    Markdown prose keeps its own)."""
    pieces, tail = _escaped_parts(text, literal or escape)
    if not pieces:
        return tail
    out = []
    for before, field in pieces:
        value = fields[field]
        out += before, (value if hasattr(value, "__html__") else escape(str(value)))
    out.append(tail)
    return "".join(out)


@functools.lru_cache(maxsize=4096)
def _escaped_parts(text: str, literal: Callable[[str], str]) -> tuple[tuple[tuple[str, str], ...], str]:
    """A catalog string cut at its {fields}, its own text escaped: ((text before, field), …), the text after.
    Worked out once per string (a million labels at 2,000 reports, from a few hundred strings)."""
    pieces, last = [], 0
    for m in _FIELD.finditer(text):
        pieces.append((literal(text[last:m.start()]), m[1]))
        last = m.end()
    return tuple(pieces), literal(text[last:])


def plain(code: str, key: str, /, **fields) -> str:
    """A catalog string filled as plain text (search documents, feeds' titles, chart labels)."""
    return fill(entry(code, key, fields.get("n")), str, fields)


def date(code: str, day: dt.date) -> str:
    """A day as the language writes it: 2025年1月20日, 20 January 2025."""
    return plain(code, "date.day", year=day.year, month=day.month, day=day.day,
                 month_name=plain(code, f"date.month.{day.month}"))


def month(code: str, year: int, month_number: int) -> str:
    return plain(code, "date.month_of_year", year=year, month=month_number,
                 month_name=plain(code, f"date.month.{month_number}"))


def number(code: str, value: float) -> str:
    """A number for reading: 61,000; 300 billion (English), 3000亿 (Chinese, as reports write it)."""
    for key, size in (("trillion", 1e12), ("billion", 1e9), ("million", 1e6)):
        if code == "en" and abs(value) >= size:
            return plain(code, f"number.{key}", n=f"{value / size:.15g}")
    text = f"{value:,.15g}" if code == "en" else f"{value:.15g}"
    return text


def text_of(code: str, chinese: str, english: str | None) -> str:
    """An entry's text in the language: its English one on an English page where it has one, else its Chinese."""
    return english if code != "zh" and english else chinese


def name(code: str, obj) -> str:
    """A region's or an industry's name in the language: name_zh, or name_en."""
    return obj.name_zh if code == "zh" else obj.name_en


def figure(code: str, metric) -> str:
    """A figure for reading: as the report writes it (突破3000亿元) in Chinese; read out in English (more than 300
    billion yuan), the estimate marked."""
    if code == "zh":
        return metric.as_written
    value, base = metric.normalized
    amount = plain(code, f"unit.{base}", n=number(code, value)) if base else metric.value.text
    text = plain(code, f"comparator.{metric.comparator}", amount=amount) if metric.comparator else amount
    return plain(code, "figure.estimate", figure=text) if metric.estimate else text


_SESSION = re.compile(r"^(?P<region>.+?)第(?P<congress>[一二三四五六七八九十]+)届人民代表大会第(?P<session>[一二三四五六七八九十]+)次会议$")


def session(code: str, text: str, region) -> str | None:
    """A session's name glossed in the language (the 3rd Session of the 16th Beijing Municipal People's Congress),
    or None where the language writes it as the report does (Chinese) or the name is not in the usual form."""
    from .quantities import chinese_number

    m = _SESSION.match(text)
    if code == "zh" or not m or m["region"] != region.name_zh:
        return None
    body = plain(code, f"session.body.{region.level}", region=region.name_en)
    return plain(code, "session.gloss", session=ordinal(code, int(chinese_number(m["session"]))),
                 congress=ordinal(code, int(chinese_number(m["congress"]))), body=body)


def ordinal(code: str, n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return plain(code, f"ordinal.{suffix}", n=n)


def speaker_title(code: str, title: str | None) -> str | None:
    """A speaker's title in the language (市长 → Mayor), or None where the catalog has none for it."""
    if not title:
        return ""
    if code == "zh":
        return title
    return catalog(code).get(f"speaker_title.{title}")

"""One escaping function per kind of output file, for the program that reads it. Rendering picks the function by
the kind of file a template writes (render.OUTPUT_KINDS) and applies it once to every value the template prints;
the data files apply theirs as they write. A value is escaped for its own reader only, and never twice: HTML's
escapes in a feed once turned "Xi'an" into "&&#35;x27;"."""

from __future__ import annotations

import functools
import json
import re

from markupsafe import Markup

_PAGE_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;",
                 **{c: f"&#{ord(c)};" for c in "\\`*_[]|{}#"}}
_PAGE_SPECIALS = re.compile("[" + re.escape("".join(_PAGE_ESCAPES)) + "]")


@functools.lru_cache(maxsize=1 << 16)
def page(text: str) -> Markup:
    """Text in a page, which is read twice, by Markdown and then by the browser: each character either would take
    as markup becomes its character reference, in one pass. Names, kinds and dates repeat thousands of times:
    each is escaped once."""
    return Markup(_PAGE_SPECIALS.sub(lambda m: _PAGE_ESCAPES[m[0]], text))


_XML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;",
                # as references, a parser keeps them as they are (it would read a tab in an attribute as a space)
                "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}


def xml(text: str) -> Markup:
    """Text or an attribute value in XML (the Atom feeds, the sitemap). Control characters, which XML 1.0 cannot
    carry at all, never get here: check refuses them."""
    return Markup(re.sub("[&<>\"'\t\n\r]", lambda m: _XML_ESCAPES[m[0]], text))


def ics(text: str) -> Markup:
    """A value of iCalendar TEXT (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, every line break
    (CR LF, CR or LF) written as \\n. Folding the long lines is ics_lines's job, on the whole file."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return Markup(re.sub(r"\r\n|\r|\n", r"\\n", text))


_BIBTEX_ESCAPES = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#",
                   "$": r"\$", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\string^",
                   # LaTeX's ligatures: -- and --- are dashes, `` and '' curly quotes; braces keep them apart.
                   "-": "{-}", "`": "{`}", "'": "{'}"}
_BIBTEX_SPECIALS = re.compile(r"[\\{}%&#$_~^]|-(?=-)|`|'(?=')")


def bibtex(text: str) -> Markup:
    """A field value between braces in BibTeX: the characters BibTeX or LaTeX would read as commands,
    grouping, comments or ligatures written as the commands that print them."""
    return Markup(_BIBTEX_SPECIALS.sub(lambda m: _BIBTEX_ESCAPES[m[0]], text))


class Verbatim(str):
    """A value already written for its output kind: the kind's escaping leaves it as it is."""


def bibtex_url(url: str) -> Verbatim:
    """A URL for BibTeX's url field, which reference managers and LaTeX (biblatex, hyperref's \\url) read verbatim:
    only what would unbalance the braces or split the value (braces, backslash, whitespace) is percent-encoded,
    the same address."""
    return Verbatim(re.sub(r"[{}\\\s]", lambda m: "".join(f"%{b:02X}" for b in m[0].encode()), url))


def json_value(value) -> Markup:
    """Any value as a JSON literal (a string in quotes, a number as it is)."""
    return Markup(json.dumps(value, ensure_ascii=False))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")  # and the apostrophe itself, so that one rule reads it back
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def csv_cell(value):
    """A cell of a CSV file a spreadsheet may open: text that starts like a formula (= + - @, tab or CR) gets a
    leading apostrophe, so that it shows as text and never runs; numbers (-3.5) and other values stay as they are.
    Text that starts with an apostrophe gets one too: removing the first apostrophe of every cell that starts
    with one gives back every value (the data page says so)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value

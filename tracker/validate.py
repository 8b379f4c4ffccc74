"""Stage 2, validate: YAML nodes → the frozen model, or every problem of the run at once.

Conversion is driven by the dataclasses of ``model``: a field's type says how to read a scalar
(so ``code: 110000`` is text and ``year: 2025`` a number), its ``spec`` rules say what else must
hold. References between entries are checked last, when every entry is known.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Literal, Mapping, NamedTuple

from . import model
from .load import Document, Loaded, Map, Node, Scalar, Seq
from .markup import refused_markup
from .quantities import parse_number
from .model import Corpus, Figure, Industry, Region, Report, Retired
from .problems import ContentError, Problem, closest, did_you_mean, printable
from .status import is_commitment, judge, review_year

_BAD = object()
"""Returned by a conversion that has recorded its problem."""

Converter = Callable[["Node", str, "_Run"], Any]
"""Reads a node at a field (its name for messages) into a value of the model, or records why not and
returns _BAD."""

DRAFT_MESSAGE = ("this entry is a draft that `python3 build.py draft` wrote: check every statement against the report, "
                 "write each summary in your own words, delete the candidates that say nothing, then remove the "
                 "line 'draft: true'")


class _Ref(NamedTuple):
    """A reference to check once every entry is known (a tuple: 100,000 of them go through the check cache)."""

    kind: str  # industry, region or statement
    value: str
    path: str
    line: int
    field: str


class _Run:
    """The problems and pending references of one validation run."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.refs: list[_Ref] = []
        self.path = ""
        self.known: dict[str, set[str]] = {}
        """Every region, industry and statement the files name, broken entries included: a reference to a
        broken entry is not also reported as unknown. A kind left out could not be read at all."""
        self.unplaced: list[Problem] = []
        """Problems found after conversion, at the line where their file sets their field: looked up at the
        end, in the few files that have one (keeping every field's line of every file cost a fifth of a check)."""

    def problem(self, line: int | None, field: str, message: str) -> object:
        """Record a problem; line None means the line where this file sets that field."""
        (self.unplaced if line is None else self.problems).append(Problem(self.path, line or 0, field, message))
        return _BAD

    def placed(self, documents: Callable[[str], Document | None]) -> list[Problem]:
        """Every problem, each unplaced one at the line of its field in its file (``documents`` reads it)."""
        found: dict[str, Document | None] = {}
        for p in self.unplaced:
            if p.path not in found:
                found[p.path] = documents(p.path)
        return self.problems + [dataclasses.replace(p, line=line_of(found[p.path], p.field)) for p in self.unplaced]


def line_of(doc: Document | None, field: str) -> int:
    """The line of a field (``statements[2].metrics[0].unit``) in a file: of its key, or of its item in a list;
    where the file leaves the field out, the line of the nearest part it has (the metric's item for a missing
    unit); 0 where it has none."""
    node, line = doc.data if doc else None, 0
    for key, index in _FIELD_STEP.findall(field):
        if isinstance(node, Map) and key:
            node, found = next(((value, at) for k, at, value in node.items if k == key), (None, 0))
            if not found:
                return line
            line = found
        elif isinstance(node, Seq) and index and int(index) < len(node.items):
            node = node.items[int(index)]
            line = node.line
        else:
            return line
    return line


_FIELD_STEP = re.compile(r"(\w+)|\[(\d+)\]")


@dataclass(frozen=True)
class FileCheck:
    """One region or report file checked on its own: everything later checks need of it, so that it can be
    kept and reused while the file's bytes do not change (tracker/cache.py)."""

    path: str
    stem: str
    entry: Region | Report | None
    """None when the file is broken (its problems say why)."""
    problems: tuple[Problem, ...]
    refs: tuple[_Ref, ...]
    statement_ids: tuple[tuple[int, str], ...]
    """(position in statements, id) of every id the file gives, valid or not: a reference to a broken statement is
    not 'unknown', and an id given twice is found even where the rest of a file is broken."""
    warnings: tuple[Problem, ...] = ()
    """What the file lacks without being wrong: its English texts (the English pages show the Chinese instead)."""


def check_file(doc: Document, kind: str, load_problems: tuple[Problem, ...] = ()) -> FileCheck:
    """A region (kind 'region') or report ('report') file on its own: conversion, body, draft mark."""
    run = _Run()
    run.problems.extend(load_problems)
    if kind == "region":
        entry = _entry(doc, Region, run, slug=doc.stem)
        ids: tuple[str, ...] = ()
    else:
        entry = _entry(doc, Report, run)
        ids = _statement_id_positions(doc)
        for mark in raw_values(doc.data, "draft"):  # whatever else is wrong with it: a draft is never published
            if mark.text.strip().lower() == "true":
                run.problems.append(Problem(doc.path, mark.line, "draft", DRAFT_MESSAGE))
    valid = entry is not _BAD
    return FileCheck(doc.path, doc.stem, entry if valid else None, tuple(run.placed(lambda path: doc)),
                     tuple(run.refs), ids, _untranslated(doc, entry) if valid else ())


UNTRANSLATED = ("no English text yet: the English page shows the Chinese, marked as such; add {field} in your own "
                "words")


def _untranslated(doc, entry) -> tuple[Problem, ...]:
    """A warning for each text of a valid entry that has no English: the body, and each statement's summary."""
    found = []
    if entry.body.strip() and not entry.body_en:
        found.append(Problem(doc.path, doc.body_line, "body_en", UNTRANSLATED.format(field="body_en: | (a block)")))
    statements = next((v for k, _, v in doc.data.items if k == "statements"), None)
    for n, s in enumerate(getattr(entry, "statements", ())):
        if not s.summary_en:
            line = next((v.line for v in raw_values(statements.items[n], "summary")), 0)
            found.append(Problem(doc.path, line, f"statements[{n}].summary_en", UNTRANSLATED.format(
                field="summary_en")))
    return tuple(found)


def _statement_id_positions(doc: Document | None) -> tuple[tuple[int, str], ...]:
    statements = next((v for k, _, v in doc.data.items if k == "statements"), None) \
        if doc and isinstance(doc.data, Map) else None
    if not isinstance(statements, Seq):
        return ()
    return tuple((n, ids[0].text) for n, item in enumerate(statements.items)
                 if (ids := list(raw_values(item, "id"))))


def raw_statement_ids(doc: Document | None) -> tuple[str, ...]:
    """Every statement id a report file gives, whether or not the file is valid."""
    return tuple(v.text for v in raw_values(doc.data if doc else None, "statements", "id"))


def validate(loaded: Loaded) -> Corpus:
    """Build the corpus, or raise ContentError with every problem found."""
    by_path: dict[str, list[Problem]] = {}
    for p in loaded.problems:
        by_path.setdefault(p.path, []).append(p)
    regions = [check_file(doc, "region", tuple(by_path.pop(doc.path, ()))) for doc in loaded.regions]
    reports = [check_file(doc, "report", tuple(by_path.pop(doc.path, ()))) for doc in loaded.reports]
    rest = [p for problems in by_path.values() for p in problems]
    documents = {doc.path: doc for doc in (*loaded.regions, *loaded.reports)}
    return combine(loaded.industries, regions, reports, rest, loaded.retired, documents.get)


def combine(vocabulary: Document | None, region_files: list[FileCheck], report_files: list[FileCheck],
            problems: list[Problem], retired_file: Document | None = None,
            documents: Callable[[str], Document | None] = lambda path: None) -> Corpus:
    """The checked files together: the vocabulary, the retired ids, the rules across entries; the corpus, or
    every problem. ``documents`` reads a region or report file again, to find the line of a problem in it."""
    run = _Run()
    run.problems.extend(problems)
    industries = _industries(vocabulary, run)
    retired = _retired(retired_file, run)
    run.known["region"] = {f.stem for f in region_files}
    run.known["statement"] = {i for f in report_files for _, i in f.statement_ids}
    for f in (*region_files, *report_files):
        run.problems.extend(f.problems)
        run.refs.extend(f.refs)
    regions = [f.entry for f in region_files if f.entry is not None]
    reports = [f.entry for f in report_files if f.entry is not None]

    vocab = vocabulary.path if vocabulary else ""
    _check_unique(run, [(i.slug, vocab, f"[{n}].slug") for n, i in enumerate(industries)], "industry slug")
    _check_regions(regions, run)
    for report in reports:
        _check_report(report, run)
    corpus = Corpus(tuple(industries), tuple(sorted(regions, key=lambda r: r.code)),
                    tuple(sorted(reports, key=lambda r: (r.year, r.region))), tuple(retired),
                    tuple(sorted((w for f in (*region_files, *report_files) if f for w in f.warnings),
                                 key=lambda w: (w.path, w.line))))
    _check_statement_ids(report_files, run, _retired_reasons(retired_file, retired, run))
    _check_refs(corpus, run)
    _check_outcomes(corpus, run)
    _check_reviews(corpus, run)
    _check_cycles(run, {i.slug: i.parent for i in industries},
                  {i.slug: (vocab, f"[{n}].parent") for n, i in enumerate(industries)}, "industry")
    _check_cycles(run, {r.slug: r.parent for r in regions}, {r.slug: (r.path, "parent") for r in regions}, "region")
    _check_former_slugs(run, [(vocab, f"[{n}].formerly", i.slug, i.formerly) for n, i in enumerate(industries)],
                        "industry")
    _check_former_slugs(run, [(r.path, "formerly", r.slug, r.formerly) for r in regions], "region")
    if run.problems or run.unplaced:
        in_hand = {doc.path: doc for doc in (vocabulary, retired_file) if doc}
        raise ContentError(run.placed(lambda path: in_hand[path] if path in in_hand else documents(path)))
    return corpus


# --- entries -------------------------------------------------------------------------------

def _industries(doc: Document | None, run: _Run) -> list[Industry]:
    if doc is not None and isinstance(doc.data, Seq):
        run.known["industry"] = {v.text for v in raw_values(doc.data, "slug")}
    return _list_file(doc, Industry, run, "the vocabulary must be a list of industries, each starting with '- slug: …'")


def _retired(doc: Document | None, run: _Run) -> list[Retired]:
    return _list_file(doc, Retired, run, "retired.yml must be a list of removed ids, each '- id: …' with its 'reason: …'")


def _list_file(doc: Document | None, cls: type, run: _Run, not_a_list: str) -> list:
    """A YAML file that is a list of entries of ``cls`` (the vocabulary, the retired ids): the valid ones."""
    if doc is None or doc.data is None:
        return []
    run.path = doc.path
    if not isinstance(doc.data, Seq):
        run.problem(doc.data.line, "", not_a_list)
        return []
    convert = _entry_converter(cls)
    items = [convert(node, f"[{n}]", run) for n, node in enumerate(doc.data.items)]
    return [i for i in items if i is not _BAD]


def _retired_reasons(doc: Document | None, retired: list[Retired], run: _Run) -> dict[str, str]:
    """Each retired id with its reason; an id retired twice is a problem."""
    if doc is None:
        return {}
    _check_unique(run, [(r.id, doc.path, f"[{n}].id") for n, r in enumerate(retired)], "retired id")
    reasons: dict[str, str] = {}
    for r in retired:
        reasons.setdefault(r.id, f"{doc.path}: {r.reason}")
    return reasons


def raw_values(node: Node | None, *keys: str):
    """The scalars at ``keys`` below a node, through lists, whether or not their entry is valid."""
    if isinstance(node, Seq):
        for item in node.items:
            yield from raw_values(item, *keys)
    elif isinstance(node, Map) and keys:
        for key, _, value in node.items:
            if key == keys[0]:
                yield from raw_values(value, *keys[1:])
    elif isinstance(node, Scalar) and not keys:
        yield node


def _entry(doc, cls, run: _Run, **from_file):
    """One region or report file → its dataclass, or _BAD."""
    run.path = doc.path
    if doc.data is None:
        return _BAD
    body_ok = _check_body(doc, run)
    entry = _entry_converter(cls)(doc.data, "", run, {"path": doc.path, "body": doc.body, **from_file})
    return entry if body_ok else _BAD


# Raw HTML would reach the published page as it is: a body is Markdown only. Links must go somewhere
# a reader can follow safely.
_RAW_HTML = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>")
_BAD_LINK = re.compile(r"\]\(\s*<?\s*(?!https?://|#)([^)\s]*)", re.I)
"""A link that is not to an http(s) address or an anchor: a path of this site (/reports/2025/beijing/) passes no
check MkDocs' strict build makes of a page, which moves with the site's address."""


def _check_body(doc, run: _Run) -> bool:
    return _check_markdown(doc.body, doc.body_line, "body", run)


def _check_markdown(text: str, first_line: int, field: str, run: _Run) -> bool:
    """Markdown that holds no HTML and links only to http(s) addresses and anchors (a body, an English body)."""
    lines = text.split("\n")
    flagged: set[int] = set()
    for i, line in enumerate(lines):
        if m := _RAW_HTML.search(line):
            run.problem(first_line + i, field, f"HTML ({m.group()[:40]}) is not allowed in a summary; write "
                        "Markdown (**bold**, lists, [text](https://…))")
            flagged.add(i)
        elif m := _BAD_LINK.search(line):
            run.problem(first_line + i, field, f"the link to '{m.group(1)[:40]}' is not allowed; link to an "
                        "http(s) address (a page of this site too: its full address)")
            flagged.add(i)
    # What the lines alone cannot show (attribute lists, reference links): the HTML the rest renders to.
    rest = ["" if i in flagged else line for i, line in enumerate(lines)]
    for what, snippet in refused_markup("\n".join(rest)):
        i = next((i for i, line in enumerate(rest) if snippet in line), 0)
        run.problem(first_line + i, field, f"it would publish {what}, which a summary may not hold; write "
                    "plain Markdown: **bold**, lists, [text](https://…)")
        flagged.add(i)
    return not flagged


# --- generic conversion, driven by the model's types ---------------------------------------

def _converter(tp: Any, rules: Mapping[str, Any]) -> Converter:
    """How to read a node as ``tp`` under a field's rules: worked out once per field from the model's types,
    since asking ``typing`` at every node cost a third of a first check."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        inner = _converter(next(a for a in args if a is not type(None)), rules)
        help = rules.get("help", "")
        return lambda node, where, run: (run.problem(node.line, where, f"is empty; fill it in ({help}), or remove "
                                                    "the line") if _is_null(node) else inner(node, where, run))
    if dataclasses.is_dataclass(tp) and tp is not Figure:
        return _entry_converter(tp)
    if origin is tuple:
        return functools.partial(_list, item=_converter(args[0], rules), non_empty=rules.get("non_empty"),
                                 help=rules.get("help"), one_or_more=rules.get("one_or_more", False))
    if origin is Literal:
        read = functools.partial(_choice, choices=args)
    else:
        read = functools.partial(_SCALARS[tp], rules=rules)
    return functools.partial(_scalar, read=read, expected=_describe(tp))


def _scalar(node: Node, where: str, run: _Run, read: Callable, expected: str):
    if not isinstance(node, Scalar):
        return run.problem(node.line, where, f"expected {expected}, found a {'list' if isinstance(node, Seq) else 'mapping'}")
    if node.kind == "null":
        return run.problem(node.line, where, "is empty; give a value or remove the line")
    return read(node, where, run)


@functools.cache
def _entry_converter(cls: type) -> "_Entry":
    return _Entry(cls)


class _Entry:
    """Reads a mapping as a dataclass of the model: every field's converter, worked out once."""

    def __init__(self, cls: type) -> None:
        hints = typing.get_type_hints(cls, vars(model))
        fields = [f for f in dataclasses.fields(cls) if not f.metadata.get("file")]
        self.cls, self.name = cls, cls.__name__.lower()
        self.fields = {f.name: (_converter(hints[f.name], f.metadata), f.default is dataclasses.MISSING,
                                f.metadata["help"]) for f in fields}
        self.required = tuple((f.name, f.metadata["help"]) for f in fields if f.default is dataclasses.MISSING)

    def __call__(self, node: Node, where: str, run: _Run, given: Mapping[str, Any] | None = None):
        if not isinstance(node, Map):
            return run.problem(node.line, where, f"expected a mapping of fields ({self.name}), found {_found(node)}")
        values, seen, ok = dict(given or {}), set(), True
        for key, line, value in node.items:
            sub = f"{where}.{key}" if where else key
            field = self.fields.get(key)
            if field is None:
                close = closest(key, self.fields)
                if close:
                    seen.add(close)  # the typo stands for that field: no 'missing' for it too
                hint = f"; did you mean '{close}'?" if close else f"; the fields of a {self.name} are: {', '.join(self.fields)}"
                run.problem(line, sub, f"unknown field{hint}")
                ok = False
                continue
            seen.add(key)
            convert, required, help = field
            if required and _is_null(value):
                run.problem(line, sub, f"is empty; fill it in ({help})")
                ok = False
                continue
            converted = convert(value, sub, run)
            if converted is _BAD:
                ok = False
            elif converted is not None:
                values[key] = converted
        for name, help in self.required:
            if name not in seen:
                run.problem(node.line, f"{where}.{name}" if where else name, f"missing; add '{name}:' ({help})")
                ok = False
        return self.cls(**values) if ok else _BAD


def _list(node: Node, where: str, run: _Run, item: Converter, non_empty: bool, help: str, one_or_more: bool):
    if _is_null(node):
        items: tuple = ()
    elif one_or_more and isinstance(node, Scalar):
        value = item(node, where, run)
        if value is _BAD:
            return _BAD
        items = (value,)
    elif not isinstance(node, Seq):
        example = "[a, b]" if isinstance(node, Scalar) else "a list of '- …' items"
        return run.problem(node.line, where, f"expected a list, found {_found(node)}; write it as {example}")
    else:
        converted, ok = [], True
        for i, n in enumerate(node.items):
            value = item(n, f"{where}[{i}]", run)
            ok = ok and value is not _BAD
            converted.append(value)
        if not ok:
            return _BAD
        items = tuple(converted)
    if non_empty and not items:
        return run.problem(node.line, where, f"is empty; give at least one ({help})")
    return items


def _choice(node: Scalar, where: str, run: _Run, choices: tuple[str, ...]):
    text = node.text.strip()
    if text not in choices:
        hint = did_you_mean(text, choices) or f"; use one of: {', '.join(choices)}"
        return run.problem(node.line, where, f"'{text}' is not allowed{hint}")
    return text


_BREAK = re.compile("[\t\n\r\u2028\u2029]")
"""What no value may hold: every output (a feed's title, a calendar's line, a CSV cell, a citation) reads a value
as one line."""


def _text(node: Scalar, where: str, run: _Run, rules: Mapping[str, Any]):
    text = node.text.strip()
    if not text:
        return run.problem(node.line, where, "is empty; give a value or remove the line")
    if node.text.rstrip("\n") != text:
        return run.problem(node.line, where, f"'{text[:40]}' has a space at its start or end (inside the quotes); "
                           "remove it: it would be published")
    if rules.get("markdown"):
        # A block (body_en: |) starts on the line after its key; its own lines are checked as a body's are.
        if not _check_markdown(text, node.line + (1 if node.text.endswith("\n") else 0), where, run):
            return _BAD
    elif m := _BREAK.search(text):
        what = "a tab" if m[0] == "\t" else "a line break"
        return run.problem(node.line, where, f"'{printable(text[:40])}' holds {what}; a value is one line (YAML's "
                           "folded style, '>', joins lines with spaces)")
    if "choices" in rules and text not in rules["choices"]:
        suggest = rules.get("suggest") or (lambda t: closest(t, rules["choices"]))
        hint = f"; did you mean '{suggest(text)}'?" if suggest(text) else f"; use one of: {', '.join(rules['choices'])}"
        return run.problem(node.line, where, f"'{text}' is not allowed{hint}")
    if "pattern" in rules and not re.match(rules["pattern"], text):
        form = ("is not a slug: only lowercase ASCII letters, digits and single hyphens"
                if rules["pattern"] == model.SLUG_PATTERN else "is not in the right form")
        return run.problem(node.line, where, f"'{text}' {form} ({rules['help']})")
    if "max_len" in rules and len(text) > rules["max_len"]:
        return run.problem(node.line, where, f"is {len(text)} characters long, over the limit of {rules['max_len']}; "
                           "shorten it (quote a key phrase, not a sentence)")
    if rules.get("url") and not re.match(model.URL_PATTERN, text):
        return run.problem(node.line, where, _url_problem(text))
    if "ref" in rules:
        run.refs.append(_Ref(rules["ref"], text, run.path, node.line, where))
    return text


def _url_problem(text: str) -> str:
    if not re.match(r"^https?://[^\s/]+\.\S+$", text):
        return f"'{text}' is not an http(s) address; give the full https://… link or leave the field out"
    bad = next((c for c in text if c in model.URL_ILLEGAL), None)
    if bad:
        return (f"'{text}' holds '{bad}', which an address cannot hold as it is: write it as %{ord(bad):02X} (copy "
                "the link from the browser's address bar, which writes it so)")
    if text.count("#") > 1:
        return f"'{text}' holds more than one '#'; write the ones after the first as %23"
    return f"'{text}' holds a '%' not followed by two hexadecimal digits; write a % itself as %25"


def _integer(node: Scalar, where: str, run: _Run, rules: Mapping[str, Any]):
    text = node.text.strip()
    if not re.fullmatch(r"-?\d+", text):
        return run.problem(node.line, where, f"'{text}' is not a whole number")
    value = int(text)
    if not rules.get("min", value) <= value <= rules.get("max", value):
        return run.problem(node.line, where, f"{value} is out of range ({rules['min']}–{rules['max']})")
    return value


def _boolean(node: Scalar, where: str, run: _Run, rules: Mapping[str, Any]):
    text = node.text.strip().lower()
    if text not in ("true", "false"):
        return run.problem(node.line, where, f"'{node.text}' is not true or false")
    return text == "true"


def _date(node: Scalar, where: str, run: _Run, rules: Mapping[str, Any]):
    text = node.text.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return run.problem(node.line, where, f"'{text}' is not a date; write it as YYYY-MM-DD, e.g. 2025-01-14")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return run.problem(node.line, where, f"'{text}' is not a real date (no such day in the calendar)")


def _figure(node: Scalar, where: str, run: _Run, rules: Mapping[str, Any]):
    text = node.text.strip()
    value = parse_number(text)
    if value is not None:
        return Figure(text=text, value=value)
    return run.problem(node.line, where, f"'{text}' is not a number; write the figure alone (3000, 1.8 or 1/3) "
                       "and put the unit in 'unit'")


_SCALARS = {str: _text, int: _integer, bool: _boolean, dt.date: _date, Figure: _figure}


def _is_null(node: Node) -> bool:
    return isinstance(node, Scalar) and node.kind == "null"


def _found(node: Node) -> str:
    if isinstance(node, Scalar):
        return f"the text '{node.text}'" if node.text else "nothing"
    return "a list" if isinstance(node, Seq) else "a mapping"


def _describe(tp: Any) -> str:
    return {str: "text", int: "a whole number", bool: "true or false", dt.date: "a date (YYYY-MM-DD)",
            Figure: "a number"}.get(tp, "a single value")


# --- checks across entries -----------------------------------------------------------------

def _check_report(report: Report, run: _Run) -> None:
    run.path = report.path
    folder, stem = report.path.split("/")[-2], report.path.split("/")[-1][:-3]
    if report.region != stem:
        run.problem(None, "region", f"is '{report.region}' but the file is {stem}.md; rename the file to "
                    f"{report.region}.md or correct the region")
    if str(report.year) != folder:
        run.problem(None, "year", f"is {report.year} but the file is in the folder {folder}/; move it to "
                    f"content/reports/{report.year}/ or correct the year")
    if report.delivered.year != report.year:
        run.problem(None, "delivered", f"{report.delivered} is not in {report.year}, the year of the report")
    prefix = f"{report.region}-{report.year}-"
    for n, s in enumerate(report.statements):
        where = f"statements[{n}]"
        if not s.id.startswith(prefix):
            run.problem(None, f"{where}.id", f"'{s.id}' must start with '{prefix}', e.g. {prefix}{n + 1}")
        if s.kind == "result" and s.year >= report.year:
            run.problem(None, f"{where}.year", f"a result is about a year before the report's: {report.year - 1} "
                        f"for the {report.year} report, not {s.year} (a five-year review's results take the "
                        "period's last year); is it a plan or a target?")
        for k, m in enumerate(s.metrics):
            if not m.unit and not _unitless(m):
                run.problem(None, f"{where}.metrics[{k}].unit", f"{m.value.text} needs its unit as the report writes "
                            "it (个 for a count, % …); only an index or a ratio (1/3, 三分之一) has none")
        if s.kind == "target" and s.year < report.year:
            run.problem(None, f"{where}.year", f"a target set in {report.year} cannot be for {s.year}; is it a result?")
        if s.kind == "target" and not s.metrics:
            run.problem(None, f"{where}.kind", "a target is quantified: add its metrics, or make the kind 'plan'")
        if s.outcome and not s.reports_on:
            run.problem(None, f"{where}.outcome", "an outcome needs 'reports_on', the id of the target it reports on")
        if s.reports_on and s.kind != "result":
            run.problem(None, f"{where}.reports_on", f"only a result reports on a target; this statement is a {s.kind}")
        if s.source is not None and s.source > len(report.sources):
            run.problem(None, f"{where}.source", f"{s.source} names no source: this report has "
                        f"{len(report.sources)} (give the position of one of them, 1 to {len(report.sources)})")
    for n, src in enumerate(report.sources):
        if src.date and src.date < report.delivered:
            run.problem(None, f"sources[{n}].date", f"{src.date} is before the report was delivered "
                        f"({report.delivered}): a text of the report cannot be older than it; check the date")


def _unitless(metric) -> bool:
    """A figure that has no unit: a ratio (1/3, 三分之一) or an index (两化融合指数 92)."""
    return "/" in metric.value.text or "分之" in metric.value.text or any(
        w in metric.measures for w in ("指数", "比重", "占比", "比例", "比值"))


def _check_regions(regions: list[Region], run: _Run) -> None:
    """Codes exist in GB/T 2260 under the region's name, agree with the parent's, and are not claimed twice (the
    file whose name the table does not give the code is the one at fault)."""
    codes = divisions()
    by_name: dict[str, str] = {}
    for code, name in codes.items():
        by_name.setdefault(name, code)
    slugs = {r.slug: r for r in regions}
    holders: dict[str, list[Region]] = {}
    for r in regions:
        holders.setdefault(r.code, []).append(r)
    for r in regions:
        run.path = r.path
        named = codes.get(r.code)
        hint = f"; the code of {r.name_zh} is {by_name[r.name_zh]}" if r.name_zh in by_name else ""
        if named is None:
            run.problem(None, "code", f"'{r.code}' is not a code of GB/T 2260 (the administrative division codes)"
                        f"{hint or '; look the region up there'}")
        elif named != r.name_zh:
            run.problem(None, "code", f"'{r.code}' is {named} in GB/T 2260, not {r.name_zh}{hint}")
        others = [o for o in holders[r.code] if o is not r]
        if others and (named != r.name_zh or all(named == o.name_zh for o in others) and r.path > others[0].path):
            run.problem(None, "code", f"region code '{r.code}' is already used by {others[0].path}; each must be unique")
        parent = slugs.get(r.parent or "")
        if parent and not _within(r.code, parent.code):
            run.problem(None, "parent", f"'{r.parent}' ({parent.code}) cannot hold {r.name_zh} ({r.code}): a region's "
                        f"code starts with its parent's ({parent.code.rstrip('0') or parent.code}…)")


def _within(code: str, parent: str) -> bool:
    """A code lies in a parent's: 320200 in 320000, 320211 in 320200 (or in 320000 for a municipality's district)."""
    stem = parent.rstrip("0")
    stem = stem + "0" * (len(stem) % 2)  # whole pairs of digits: 110000 → 11, 320200 → 3202
    return code != parent and code.startswith(stem)


@functools.cache
def divisions() -> dict[str, str]:
    """GB/T 2260 codes and names (tracker/divisions.json, generated from a kept package by tools/divisions.py)."""
    return json.loads((Path(__file__).with_name("divisions.json")).read_text(encoding="utf-8"))["codes"]


def _check_unique(run: _Run, keyed: list[tuple[str, str, str]], what: str) -> None:
    first: dict[str, str] = {}
    for key, path, fname in keyed:
        if key in first:
            run.path = path
            run.problem(None, fname, f"{what} '{key}' is already used by {first[key]}; each must be unique")
        else:
            first[key] = path


def _check_statement_ids(report_files: list[FileCheck], run: _Run, retired: dict[str, str]) -> None:
    """Ids are unique across the corpus, and a retired one (id → where and why) is never given again: every file's
    ids, a file broken otherwise included, so that a bad date elsewhere in it hides no duplicate."""
    first: dict[str, str] = {}
    for f in sorted(report_files, key=lambda f: f.path):
        run.path = f.path
        for n, statement_id in f.statement_ids:
            if statement_id in retired:
                run.problem(None, f"statements[{n}].id", f"'{statement_id}' was retired ({retired[statement_id]}); ids "
                            "are never reused: take the next free number")
            elif statement_id in first:
                run.problem(None, f"statements[{n}].id", f"'{statement_id}' is already used in {first[statement_id]}; "
                            "ids are unique and never reused: take the next free number")
            else:
                first[statement_id] = f.path


def _check_refs(corpus: Corpus, run: _Run) -> None:
    """References to entries that do not exist, and statement references that break a rule."""
    synonyms = {word: i.slug for i in corpus.industries for word in (i.name_zh, i.name_en, *i.synonyms)}
    for ref in run.refs:
        if ref.kind == "statement" and ref.value in corpus.statement:
            _check_statement_ref(ref, corpus, run)
        elif ref.kind not in run.known or ref.value in run.known[ref.kind]:
            continue  # that kind could not be read at all, or the entry exists and has its own problem
        elif ref.kind == "industry":
            hint = (f"; '{ref.value}' is a name of '{synonyms[ref.value]}', use that slug" if ref.value in synonyms
                    else did_you_mean(ref.value, corpus.industry) or "; add it to content/industries.yml first")
            run.problems.append(Problem(ref.path, ref.line, ref.field, f"unknown industry '{ref.value}'{hint}"))
        elif ref.kind == "region":
            hint = did_you_mean(ref.value, corpus.region) or "; add content/regions/<slug>.md first"
            run.problems.append(Problem(ref.path, ref.line, ref.field, f"unknown region '{ref.value}'{hint}"))
        elif ref.kind == "statement":
            hint = did_you_mean(ref.value, corpus.statement)
            run.problems.append(Problem(ref.path, ref.line, ref.field, f"no statement has the id '{ref.value}'{hint}"))


def _check_statement_ref(ref: _Ref, corpus: Corpus, run: _Run) -> None:
    """reports_on and silent_on name a commitment of the same region, made in an earlier report."""
    target_report, target = corpus.statement[ref.value]
    holder = corpus.report_at.get(ref.path)  # None where the holder's own file is broken
    what = "a result reports on" if ".reports_on" in ref.field else "silent_on lists"
    if not is_commitment(target, target_report.year):
        run.problems.append(Problem(ref.path, ref.line, ref.field, f"'{ref.value}' is a {target.kind} about "
                                    f"{target.year}; {what} a target or a plan (a commitment)"))
    elif holder and target_report.year >= holder.year:
        run.problems.append(Problem(ref.path, ref.line, ref.field, f"'{ref.value}' is from {target_report.year}; "
                                    f"{what} a commitment of an earlier year's report"))
    elif holder and target_report.region != holder.region:
        run.problems.append(Problem(ref.path, ref.line, ref.field, f"'{ref.value}' is a commitment of "
                                    f"{target_report.region}; only {target_report.region}'s own later reports can "
                                    "judge it"))
    elif holder and what == "silent_on lists" and review_year(target) != holder.year:
        run.problems.append(Problem(ref.path, ref.line, ref.field, f"'{ref.value}' is due in {target.year}, so the "
                                    f"{review_year(target)} report reviews it, not this one; remove it from silent_on"))


def _check_outcomes(corpus: Corpus, run: _Run) -> None:
    """A result on a commitment says how it went, unless its figures can be compared with the target's."""
    for report in corpus.reports:
        run.path = report.path
        for n, s in enumerate(report.statements):
            if s.outcome:
                continue
            for target_id in s.reports_on:
                target_report, target = corpus.statement.get(target_id, (None, None))
                if (not target or not is_commitment(target, target_report.year)
                        or target_report.year >= report.year or (target.kind == "target" and not target.metrics)):
                    continue  # a problem of its own, already reported
                if judge(target.metrics, s.metrics) is None:
                    run.problem(None, f"statements[{n}].reports_on", f"no figure of this result matches a figure "
                                f"of '{target.id}' (same measures and unit); add 'outcome:' (exceeded, met, "
                                "partly-met, missed, or progress where it says what was done without a figure to "
                                "compare)")
                    break


def _check_reviews(corpus: Corpus, run: _Run) -> None:
    """A report that reviews a year judges every commitment its region made for that year, explicitly: a result
    reports on it, or silent_on lists it. Nothing becomes 'not mentioned' by default."""
    linked: dict[str, set[str]] = {}
    for report in corpus.reports:
        for s in report.statements:
            linked.setdefault(report.path, set()).update(s.reports_on)
    tracker = corpus.tracker
    for c in tracker.commitments:
        review = c.review
        if review is None or review.year != review_year(c.statement):
            continue
        run.path = review.path
        in_results = c.statement.id in linked.get(review.path, set())
        silent = c.statement.id in review.silent_on
        if in_results and silent:
            run.problem(None, "silent_on", f"'{c.statement.id}' is listed as not mentioned, yet a result of this "
                        "report reports on it; remove it from silent_on")
        elif not in_results and not silent:
            run.problem(None, "silent_on", f"{c.report.region}'s commitment '{c.statement.id}' (due {c.statement.year}: "
                        f"{c.statement.summary[:40]}) is neither reported on nor listed: link the result that "
                        f"reports on it (reports_on: {c.statement.id}) or, if the report says nothing of it, add it "
                        "to silent_on")


def _check_former_slugs(run: _Run, entries: list[tuple[str, str, str, tuple[str, ...]]], what: str) -> None:
    """An old slug's pages redirect to the entry that had it: it cannot be a current slug, nor claimed twice."""
    current = {slug for _, _, slug, _ in entries}
    claimed: dict[str, str] = {}
    for path, field, slug, formerly in entries:
        for n, old in enumerate(formerly):
            run.path = path
            if old in current:
                run.problem(None, f"{field}[{n}]", f"'{old}' is the slug of a current {what}; its pages cannot "
                            "redirect elsewhere: remove it from formerly")
            elif old in claimed:
                run.problem(None, f"{field}[{n}]", f"'{old}' is already a former slug of '{claimed[old]}'; "
                            "an old address can lead to one place only")
            else:
                claimed[old] = slug


def _check_cycles(run: _Run, parent_of: dict[str, str | None], where: dict[str, tuple[str, str]], what: str) -> None:
    for start in parent_of:
        seen, node = [start], parent_of[start]
        while node in parent_of and node not in seen:
            seen.append(node)
            node = parent_of[node]
        if node == start:
            run.path, fname = where[start]
            run.problem(None, fname, f"{what} '{start}' is its own ancestor ({' → '.join(seen + [start])}); "
                        "break the loop")

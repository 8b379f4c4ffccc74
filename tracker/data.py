"""Open data: the corpus as files for download (JSON, CSV), from the same model the pages come from.

Field names follow the model (tracker/model.py), whose help texts also document them on the /data/ page.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import io
import itertools
import json
import types
import typing
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import model
from .escape import csv_cell
from .model import Corpus, Figure, Metric
from .page import Page
from .status import Tracker

CSV_COLUMNS = {
    "id": "Stable identifier of the statement.",
    "region": "Slug of the region.",
    "region_code": "Administrative division code (GB/T 2260).",
    "region_name": "Chinese name of the region.",
    "report_year": "Year of the report.",
    "report_date": "Date the report was delivered.",
    "year": "The year the statement is about.",
    "kind": "result, target, plan, project or fund.",
    "industries": "Industry slugs, separated by semicolons.",
    "summary": "The statement in our words.",
    "quotes": "Key phrases quoted from the report, separated by semicolons.",
    "metric_measures": "What each figure measures; several figures are separated by semicolons.",
    "metric_value": "Each figure's number as reported (3000, 1.8, 1/3).",
    "metric_unit": "Each figure's unit as reported (亿元, %, 个).",
    "metric_normalized": "Each figure in base units (亿元 → CNY: 3000亿元 is 3e11).",
    "metric_comparator": "Each figure's qualifier (突破, 以上, 左右), empty where none.",
    "metric_estimate": "true where the report marks a figure 预计 (estimate).",
    "status": "For targets and plans: exceeded, met, partly-met, missed, progress, not-mentioned or awaiting.",
    "source_url": "Address of the source the statement comes from (its `source`, else the report's first), where known.",
}
"""The columns of statements.csv with what each holds (the /data/ page prints these)."""

METRIC_COLUMNS = {
    "statement_id": "The statement the figure belongs to.",
    "region": "Slug of the region.",
    "region_code": "Administrative division code (GB/T 2260).",
    "report_year": "Year of the report.",
    "year": "The year the statement is about.",
    "kind": "result, target, plan, project or fund.",
    "measures": "What the figure measures.",
    "value": "The number as reported (3000, 1.8, 1/3).",
    "unit": "The unit as reported (亿元, %, 万辆), empty for an index or a ratio.",
    "comparator": "The qualifier as reported (突破, 以上, 左右), empty where none.",
    "estimate": "true where the report marks the figure 预计 (estimate).",
    "normalized_value": "The figure in its base unit (3000亿元 → 300000000000).",
    "normalized_unit": "The base unit: CNY, USD, percent, count, kW, kWh, t …",
    "status": "For a target: exceeded, met, partly-met, missed, progress, not-mentioned or awaiting.",
    "source_url": "Address of the source the statement comes from, where known.",
}
"""The columns of metrics.csv, one row per figure (a tidy table: each figure with its statement's context)."""

BOM = "\ufeff"
"""At the start of each CSV file: spreadsheet programs then read it as UTF-8 (without it, Excel shows Chinese as
garbage); CSV readers that know UTF-8 ('utf-8-sig' in Python) skip it."""


DATA_LICENCE = ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
"""The content and data licence (LICENSE-CONTENT.md): the /data/ page states it."""


def data_files(corpus: Corpus, sizes: dict[str, list[int]] | None = None,
               previous: tuple[Path, dict[str, tuple[int, ...]], set[str]] | None = None) -> Iterator[Page]:
    """The downloads, each written a record at a time (never whole in memory). Those with a part per report
    (BY_REPORT) record each part's length in ``sizes``, where given. With ``previous`` (the last build's site,
    its parts' lengths and the reports whose parts may have changed: tracker/rebuild.py, the reports in the
    same order), those are the only parts made anew, the others copied from the previous files, and the
    downloads without reports are left out."""
    tracker = corpus.tracker
    for path, (head, part) in BY_REPORT.items():
        yield Page(path, functools.partial(_by_report, corpus, tracker, path, head, part, sizes, previous))
    if previous is None:
        yield Page("data/regions.json", lambda: _json_list(_plain(r) for r in corpus.regions))
        yield Page("data/industries.json", lambda: _json_list(_plain(i) for i in corpus.industries))


def _by_report(corpus: Corpus, tracker: Tracker, path: str, head: Callable[[], str], part, sizes, previous
               ) -> Iterator[str]:
    """A download's text: its head, then a part per report in date order (part(corpus, tracker, report,
    first)), then the end of the list where it is JSON."""
    start = head()
    yield start
    if previous is not None:
        site, lengths, redo = previous
        with open(site / path, encoding="utf-8", newline="") as f:  # CSV lines end in CR LF: kept as they are
            old = f.read()
        offsets = list(itertools.accumulate(lengths[path], initial=len(start)))
    measured = sizes.setdefault(path, []) if sizes is not None else None
    reports = corpus.reports_by_date
    for n, report in enumerate(reports):
        if previous is None or report.path in redo:
            text = part(corpus, tracker, report, n == 0)
        else:
            text = old[offsets[n]:offsets[n + 1]]
        if measured is not None:
            measured.append(len(text))
        yield text
    if path.endswith(".json"):
        yield "\n]\n" if reports else "[]\n"


def _report_part(corpus: Corpus, tracker: Tracker, report, first: bool) -> str:
    return _json_item(_report(report, tracker), first)


def dictionary() -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(entity, [(field, type, help)]) for every kind of entry: the fields a contributor writes."""
    out = []
    for cls in (model.Report, model.Statement, model.Metric, model.Source, model.Region, model.Industry, model.Retired):
        hints = typing.get_type_hints(cls, vars(model))
        fields = [(f.name, "from the file" if f.metadata["file"] else _type_name(hints[f.name]), f.metadata["help"])
                  for f in dataclasses.fields(cls)]
        out.append((cls.__name__, fields))
    return out


def _report(report, tracker: Tracker) -> dict:
    data = _plain(report)
    data["industries"] = list(report.all_industries)
    for s in data["statements"]:
        commitment = tracker.by_id.get(s["id"])
        s["status"] = commitment.status if commitment else None
    return data


def _plain(entry) -> dict:
    """A model object as JSON-ready data: dates as ISO text, each metric with its value in base units."""
    data = _jsonable(entry)
    data.pop("path", None)
    return data


def _jsonable(value):
    if isinstance(value, Metric):
        normalized, base = value.normalized
        return {**{f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)},
                "normalized": {"value": normalized, "unit": base}}
    if dataclasses.is_dataclass(value):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def source_url(report, statement) -> str:
    """The address of the source a statement comes from, where known."""
    return report.sources[(statement.source or 1) - 1].url or ""


def _csv_head(columns) -> Callable[[], str]:
    def head() -> str:
        buffer = io.StringIO()
        buffer.write(BOM)
        csv_row_writer(buffer)(columns)
        return buffer.getvalue()
    return head


def _statement_rows(corpus: Corpus, tracker: Tracker, report, first: bool) -> str:
    """statements.csv's rows of a report."""
    buffer = io.StringIO()
    write_row = csv_row_writer(buffer)
    region = corpus.region[report.region]
    for s in report.statements:
        commitment = tracker.by_id.get(s.id)
        metrics = s.metrics
        write_row((
            s.id, region.slug, region.code, region.name_zh, report.year, report.delivered.isoformat(), s.year,
            s.kind, _joined(s.industries), s.summary, _joined(s.quotes), _joined(m.measures for m in metrics),
            _joined(m.value.text for m in metrics), _joined(m.unit or "" for m in metrics),
            _joined(f"{m.normalized[0]:.15g}" for m in metrics), _joined(m.comparator or "" for m in metrics),
            _joined("true" if m.estimate else "false" for m in metrics),
            commitment.status if commitment else "", source_url(report, s),
        ))
    return buffer.getvalue()


def _metric_rows(corpus: Corpus, tracker: Tracker, report, first: bool) -> str:
    """metrics.csv's rows of a report: one per figure."""
    buffer = io.StringIO()
    write_row = csv_row_writer(buffer)
    region = corpus.region[report.region]
    for s in report.statements:
        commitment = tracker.by_id.get(s.id)
        for m in s.metrics:
            value, base = m.normalized
            write_row((
                s.id, region.slug, region.code, report.year, s.year, s.kind, m.measures, m.value.text,
                m.unit or "", m.comparator or "", "true" if m.estimate else "false", f"{value:.15g}", base or "",
                commitment.status if commitment else "", source_url(report, s)))
    return buffer.getvalue()


BY_REPORT = {"data/reports.json": (lambda: "", _report_part),
             "data/statements.csv": (_csv_head(CSV_COLUMNS), _statement_rows),
             "data/metrics.csv": (_csv_head(METRIC_COLUMNS), _metric_rows)}
"""The downloads with a part per report, in date order: (their head, the part of a report)."""


def csv_row_writer(buffer: io.StringIO) -> Callable[[Iterable], None]:
    """Rows written as RFC 4180 has them, line ends CR LF (with LF alone, the csv module leaves a CR in a cell
    unquoted), every cell through the formula guard."""
    writer = csv.writer(buffer, lineterminator="\r\n")
    return lambda row: writer.writerow([csv_cell(cell) for cell in row])


def _joined(values) -> str:
    return "; ".join(values)


def _json_list(items: Iterable) -> Iterator[str]:
    """A JSON list, an item at a time: the same text as json.dumps(list(items), ensure_ascii=False, indent=1)."""
    first = True
    for item in items:
        yield _json_item(item, first)
        first = False
    yield "[]\n" if first else "\n]\n"


def _json_item(item, first: bool) -> str:
    # A list's items sit one level in: one more space on every line (a JSON string holds no raw newline).
    return ("[\n " if first else ",\n ") + json.dumps(item, ensure_ascii=False, indent=1).replace("\n", "\n ")


def _type_name(tp) -> str:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is typing.Literal:
        return " | ".join(args)
    if origin is tuple:
        return f"list of {_type_name(args[0])}"
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return f"{_type_name(inner[0])} (optional)"
    if tp is Figure:
        return "number"
    if dataclasses.is_dataclass(tp):
        return tp.__name__
    return {str: "text", int: "whole number", bool: "true/false", dt.date: "date (YYYY-MM-DD)"}.get(tp, str(tp))

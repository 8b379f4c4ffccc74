"""The content model: frozen dataclasses, one per kind of entry.

This module is the single source of the schema. Each field's ``help`` is what the validator
quotes when the field is missing, what the data dictionary prints, and (later) what the JSON
Schema describes; ``spec()`` also carries the few constraints the validator enforces.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import MISSING, dataclass, field
from functools import cached_property
import typing
from typing import Literal

from .quantities import normalize
from .units import COMPARATORS, SUFFIX_COMPARATORS, UNITS, spelling_of


RULES = frozenset({"pattern", "ref", "choices", "suggest", "max_len", "min", "max", "non_empty", "one_or_more", "url",
                   "markdown"})
"""The rules a field may carry: validation (tracker/validate.py) and the JSON Schema (tracker/schema.py) read
these and no others."""


def spec(help: str, default=MISSING, *, file: bool = False, **rules):
    """A field with its help text and validation rules.

    Rules: ``pattern`` (regex for text), ``ref`` (industry, region or statement: must name one),
    ``choices`` (allowed texts), ``max_len`` (characters), ``min``/``max`` (numbers), ``non_empty``
    (lists), ``one_or_more`` (a list that may also be written as its single item), ``url`` (http or https),
    ``suggest`` (a function giving the choice a wrong text was meant to be, or None; else the closest choice). ``file=True`` marks a field taken from the file, not its YAML.
    """
    unknown = set(rules) - RULES
    if unknown:  # a misspelt rule would be ignored by validation and schema alike
        raise TypeError(f"unknown rule(s) {', '.join(sorted(unknown))}; the rules are {', '.join(sorted(RULES))}")
    meta = {"help": help, "file": file, **rules}
    if isinstance(default, (list, dict, set)):
        raise TypeError("use a tuple or None as a default")
    return field(default=default, metadata=meta)


SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
URL_PATTERN = r'^https?://[^\s/"<>{}|\\^`\[\]#%]+\.(?:[^\s"<>{}|\\^`\[\]#%]|%[0-9A-Fa-f]{2})*(?:#(?:[^\s"<>{}|\\^`\[\]#%]|%[0-9A-Fa-f]{2})*)?$'
"""An http(s) address as a page can link it (what the Nu Html Checker accepts): no space, none of "<>{}|\\^`[],
every % followed by two hex digits, at most one #. A browser's address bar gives a link in this form when copied."""
URL_ILLEGAL = '"<>{}|\\^`[]'

Level = Literal[
    "municipality", "province", "autonomous-region", "special-administrative-region",
    "sub-provincial-city", "prefecture-level-city", "autonomous-prefecture", "county",
]
LEVELS: tuple[str, ...] = typing.get_args(Level)
"""The levels in order; their names are in the catalogs (templates/i18n)."""

Kind = Literal["result", "target", "plan", "project", "fund"]
KINDS: tuple[str, ...] = typing.get_args(Kind)
"""Display order of statement kinds on a report page; their names are in the catalogs (templates/i18n)."""

Outcome = Literal["exceeded", "met", "partly-met", "missed", "progress"]
"""How a later report says a commitment went: judged from its figures, or reported without a comparable figure
(progress)."""


@dataclass(frozen=True, kw_only=True)
class Industry:
    """An entry of the industry vocabulary (content/industries.yml)."""

    slug: str = spec("Stable ASCII identifier used in URLs, e.g. integrated-circuits. Never change it.",
                     pattern=SLUG_PATTERN)
    name_zh: str = spec("Chinese name, e.g. 集成电路.", max_len=20)
    name_en: str = spec("English name, e.g. Integrated circuits.", max_len=60)
    synonyms: tuple[str, ...] = spec("Other words reports use for it, e.g. 芯片, 半导体 (search finds the industry by them).",
                                     (), max_len=20)
    synonyms_en: tuple[str, ...] = spec("English words readers use for it, e.g. chips, semiconductors (search finds the "
                                        "industry by them).", (), max_len=40)
    parent: str | None = spec("Slug of the broader industry it belongs to, e.g. next-gen-it.", None, ref="industry")
    description: str | None = spec("One sentence on what the tag covers, in Chinese.", None, max_len=200)
    formerly: tuple[str, ...] = spec("Slugs it had before, if it was ever renamed: their old pages redirect here.",
                                     (), pattern=SLUG_PATTERN)


@dataclass(frozen=True, kw_only=True)
class Region:
    """A region that delivers government work reports (content/regions/<slug>.md)."""

    slug: str = spec("From the file name: content/regions/<slug>.md. Curated, not pinyin: 山西 shanxi, 陕西 shaanxi.",
                     file=True)
    path: str = spec("The entry's file.", file=True)
    code: str = spec("Six-digit administrative division code (GB/T 2260), e.g. '110000' for Beijing.",
                     pattern=r"^[1-8]\d{5}$")
    name_zh: str = spec("Official Chinese name, e.g. 北京市.", max_len=30)
    name_en: str = spec("English name, e.g. Beijing.", max_len=60)
    level: Level = spec("Administrative level.")
    parent: str | None = spec("Slug of the region it belongs to (wuxi → jiangsu); none for provincial-level regions.",
                              None, ref="region")
    formerly: tuple[str, ...] = spec("Slugs its file had before, if it was ever renamed (e.g. after a change of "
                                     "name): their old pages redirect to the new ones.", (), pattern=SLUG_PATTERN)
    body: str = spec("A short profile in Markdown.", file=True)
    body_en: str | None = spec("The profile in English, in your own words: Markdown, as a block (body_en: |, the "
                               "text indented below it).", None, max_len=4000, markdown=True)


@dataclass(frozen=True, kw_only=True)
class Retired:
    """A statement id taken out of use (content/retired.yml): no statement may carry it again."""

    id: str = spec("The id of the statement that was removed, e.g. wuxi-2025-17.", pattern=SLUG_PATTERN)
    reason: str = spec("Why it was removed, e.g. 与 wuxi-2025-3 重复 (a duplicate), in a few words.", max_len=200)


@dataclass(frozen=True, kw_only=True)
class Figure:
    """A number as written in the report: an integer, a decimal or a fraction such as 1/3."""

    text: str
    value: float


@dataclass(frozen=True, kw_only=True)
class Metric:
    """The figure a statement carries: 突破 3000 亿元 of 人工智能核心产业规模."""

    measures: str = spec("What is measured, e.g. 人工智能核心产业规模 or 集成电路产量增速.", max_len=60)
    value: Figure = spec("The number exactly as reported: 3000, 1.8, 45.9, 1/3.")
    unit: str | None = spec("Unit as reported: " + ", ".join(UNITS) + ". Leave out for an index or a ratio.",
                            None, choices=tuple(UNITS), suggest=spelling_of)
    comparator: str | None = spec("The word that qualifies the number: " + ", ".join(COMPARATORS) + ".",
                                  None, choices=tuple(COMPARATORS))
    estimate: bool = spec("True where the report marks the figure 预计 (an estimate).", False)

    @property
    def normalized(self) -> tuple[float, str | None]:
        """The figure in its base unit: (3e11, 'CNY') for 3000亿元 (tracker/quantities.py)."""
        return normalize(self.value.value, self.unit)

    @property
    def as_written(self) -> str:
        """The figure as a report writes it: 突破3000亿元, 10%以上, 1/3, 12%（预计）."""
        number = self.value.text + (self.unit or "")
        if self.comparator == "多" and self.unit == "倍":  # after the unit: 两倍多
            number += "多"
        elif self.comparator in ("余", "多"):  # inside the figure, after its multiplier: 5.6万余个, 300余家, 20多家
            big = 1 if self.unit and self.unit[0] in "万亿" and len(self.unit) > 1 else 0
            number = self.value.text + (self.unit or "")[:big] + self.comparator + (self.unit or "")[big:]
        elif self.comparator in SUFFIX_COMPARATORS:
            number += self.comparator
        elif self.comparator:
            number = self.comparator + number
        return f"{number}（预计）" if self.estimate else number


@dataclass(frozen=True, kw_only=True)
class Statement:
    """One thing a report says about an industry: a result, a target, a plan, a project or a fund."""

    id: str = spec("Stable identifier, unique across all reports and never reused: <region>-<year>-<n>, "
                   "e.g. beijing-2025-3.", pattern=SLUG_PATTERN)
    kind: Kind = spec("result (of the past year), target (quantified), plan (or task), project (named), fund.")
    year: int = spec("The year the statement is about: 2024 for a result reported in 2025, 2025 for its plans.",
                     min=1949, max=2100)
    industries: tuple[str, ...] = spec("Slugs from content/industries.yml.", ref="industry", non_empty=True)
    summary: str = spec("What the report says, in your own words (one or two sentences).", max_len=300)
    summary_en: str | None = spec("The same in English, in your own words (one or two sentences).", None,
                                  max_len=600)
    quotes: tuple[str, ...] = spec("Key phrases the report coins, quoted exactly, a few words each, e.g. 北方芯谷.",
                                   (), max_len=30)
    metrics: tuple[Metric, ...] = spec("The figures it gives, each as a metric (most statements have none or one).", ())
    reports_on: tuple[str, ...] = spec("For a result: the id of the earlier target or plan of the same region it "
                                       "reports on, or a list of such ids.", (), ref="statement", one_or_more=True)
    outcome: Outcome | None = spec("For a result that reports on a commitment: exceeded, met, partly-met, missed "
                                   "(as its figures or words say), or progress (carried out, with no figure to set "
                                   "against the target). Leave out where the figures can be compared.", None)
    source: int | None = spec("The position (1, 2, …) of the report's source this statement comes from; "
                              "the first when left out.", None, min=1, max=99)

    def looks_back(self, report_year: int) -> bool:
        """A result, or anything about a year before the report's (a fund set up last year): not a commitment."""
        return self.kind == "result" or self.year < report_year


@dataclass(frozen=True, kw_only=True)
class Source:
    """Where the facts of an entry come from; official texts preferred."""

    publisher: str = spec("Who published it, e.g. 北京市人民政府 or 中国电子报.", max_len=60)
    title: str = spec("Title as published.", max_len=200)
    date: dt.date | None = spec("Date of publication, YYYY-MM-DD, as the source or its address states it "
                                "(t20250121, /2025/01/16/); leave out rather than guess.", None)
    author: str | None = spec("Author, where the source names one.", None, max_len=60)
    url: str | None = spec("Address of the source (http or https); leave out rather than guess.", None, url=True)


@dataclass(frozen=True, kw_only=True)
class Report:
    """A government work report (政府工作报告): content/reports/<year>/<region>.md."""

    path: str = spec("The entry's file.", file=True)
    region: str = spec("Slug of the region, the same as the file name.", ref="region")
    year: int = spec("Year of the report, the same as its folder.", min=1949, max=2100)
    session: str = spec("The congress session as written, e.g. 北京市第十六届人民代表大会第三次会议.", max_len=80)
    delivered: dt.date = spec("Date the report was delivered, YYYY-MM-DD.")
    speaker: str | None = spec("Who delivered it, e.g. 殷勇; leave out only where no source states it.", None,
                               max_len=30)
    speaker_title: str | None = spec("Their title that day as written, e.g. 市长, 代省长.", None, max_len=30)
    sources: tuple[Source, ...] = spec("Where the facts come from.", non_empty=True)
    industries: tuple[str, ...] = spec("Industries the report names beyond those of its statements "
                                       "(the build adds every statement's industries).", (), ref="industry")
    statements: tuple[Statement, ...] = spec("What the report says, statement by statement.", ())
    silent_on: tuple[str, ...] = spec("The region's earlier commitments due by the year this report reviews that "
                                      "it says nothing of (ids): a reviewer's finding, never a default.", (),
                                      ref="statement")
    draft: bool = spec("Set by `python3 build.py draft`: the entry is a machine draft that no person has reviewed yet. "
                       "`check` refuses it until the line is removed.", False)
    body: str = spec("A summary in your own words, in Markdown.", file=True)
    body_en: str | None = spec("The summary in English, in your own words: Markdown, as a block (body_en: |, the "
                               "text indented below it).", None, max_len=4000, markdown=True)

    @property
    def slug(self) -> str:
        return f"{self.year}/{self.region}"

    @property
    def headline_metrics(self) -> tuple[Metric, ...]:
        """The first figure of each of the first three statements that give one."""
        return tuple(s.metrics[0] for s in self.statements if s.metrics)[:3]

    @cached_property
    def all_industries(self) -> tuple[str, ...]:
        """Declared industries, then those of the statements, each once, in order of first mention."""
        seen = dict.fromkeys(self.industries)
        for s in self.statements:
            seen.update(dict.fromkeys(s.industries))
        return tuple(seen)


@dataclass(frozen=True)
class Series:
    """One figure of one region over the years: the results that measure the same thing in the same unit."""

    region: str
    measures: str
    unit: str | None
    points: tuple[tuple[int, Metric, Report, Statement], ...]
    """(year the result is about, its metric, the report and statement that give it), oldest first."""


def metric_series(pairs) -> tuple[Series, ...]:
    """The series with two years or more among (report, statement) pairs; a later report's figure for the
    same year replaces an earlier one (a final figure replaces an estimate)."""
    found: dict[tuple[str, str, str | None], dict[int, tuple]] = {}
    for report, s in sorted(pairs, key=lambda rs: rs[0].delivered):
        if s.kind != "result":
            continue
        for m in s.metrics:
            found.setdefault((report.region, m.measures, m.unit), {})[s.year] = (s.year, m, report, s)
    return tuple(Series(region, measures, unit, tuple(by_year[y] for y in sorted(by_year)))
                 for (region, measures, unit), by_year in sorted(found.items(), key=lambda kv: kv[0][:2])
                 if len(by_year) >= 2)


@dataclass(frozen=True)
class IndustryCounts:
    """How much the corpus says about one industry, its narrower industries included."""

    industry: Industry
    regions: int
    reports: int
    statements: int


@dataclass(frozen=True)
class Corpus:
    """Everything the site is made of, validated, with the lookups the pages need."""

    industries: tuple[Industry, ...]
    regions: tuple[Region, ...]
    reports: tuple[Report, ...]
    retired: tuple[Retired, ...] = ()
    """Statement ids taken out of use (content/retired.yml)."""
    warnings: tuple = ()
    """What check says without refusing (problems.Problem): texts with no English yet."""

    @cached_property
    def industry(self) -> dict[str, Industry]:
        return {i.slug: i for i in self.industries}

    @cached_property
    def region(self) -> dict[str, Region]:
        return {r.slug: r for r in self.regions}

    @cached_property
    def reports_by_date(self) -> tuple[Report, ...]:
        return tuple(sorted(self.reports, key=lambda r: (r.delivered, r.region)))

    @cached_property
    def reports_of_year(self) -> dict[int, tuple[Report, ...]]:
        """Reports by their year, each year's in date order (listings of a year ask for them)."""
        return _grouped(self.reports_by_date, lambda r: r.year)

    @cached_property
    def reports_of_region(self) -> dict[str, tuple[Report, ...]]:
        return _grouped(self.reports_by_date, lambda r: r.region)

    @cached_property
    def child_regions(self) -> dict[str, tuple[Region, ...]]:
        out = defaultdict(list)
        for r in self.regions:
            if r.parent:
                out[r.parent].append(r)
        return {k: tuple(sorted(v, key=lambda r: r.code)) for k, v in out.items()}

    @cached_property
    def child_industries(self) -> dict[str, tuple[Industry, ...]]:
        out = defaultdict(list)
        for i in self.industries:
            if i.parent:
                out[i.parent].append(i)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def industry_tree(self) -> tuple[tuple[Industry, int], ...]:
        """Every industry with its depth (0 for the broadest), each followed by the narrower ones, in the
        vocabulary's order: the order of the industries table and filter."""
        tree: list[tuple[Industry, int]] = []
        todo = [(i, 0) for i in reversed(self.industries) if not i.parent]
        while todo:
            industry, depth = todo.pop()
            tree.append((industry, depth))
            todo.extend((c, depth + 1) for c in reversed(self.child_industries.get(industry.slug, ())))
        return tuple(tree)

    def ancestors(self, slug: str, kind: str = "industry") -> tuple[str, ...]:
        """The slug itself, then its parent, grandparent … (industries, or regions with kind='region')."""
        return self._chains[kind][slug]

    @cached_property
    def _chains(self) -> dict[str, dict[str, tuple[str, ...]]]:
        def chains(table):
            out = {}
            for slug in table:
                chain = [slug]
                while (parent := table[chain[-1]].parent) and parent not in chain:
                    chain.append(parent)
                out[slug] = tuple(chain)
            return out
        return {"industry": chains(self.industry), "region": chains(self.region)}

    def industry_and_descendants(self, slug: str) -> tuple[str, ...]:
        found, todo = [], [slug]
        while todo:
            s = todo.pop(0)
            found.append(s)
            todo.extend(c.slug for c in self.child_industries.get(s, ()))
        return tuple(found)

    @cached_property
    def _about(self) -> tuple[dict[str, tuple], dict[str, tuple]]:
        """Per industry, the statements and the reports about it or any narrower industry, in date order."""
        statements, reports = defaultdict(list), defaultdict(list)
        for r in self.reports_by_date:
            for s in r.statements:
                for tag in self.with_ancestors(s.industries):
                    statements[tag].append((r, s))
            for tag in self.with_ancestors(r.all_industries):
                reports[tag].append(r)
        return ({k: tuple(v) for k, v in statements.items()}, {k: tuple(v) for k, v in reports.items()})

    def with_ancestors(self, slugs) -> tuple[str, ...]:
        """The industries and every broader one they belong to, each once."""
        return tuple(dict.fromkeys(a for slug in slugs for a in self.ancestors(slug)))

    @cached_property
    def statements_tagged(self) -> dict[str, tuple[tuple[Report, Statement], ...]]:
        """Per industry, the statements tagged with it exactly (not with a narrower one), in date order."""
        out = defaultdict(list)
        for r in self.reports_by_date:
            for s in r.statements:
                for tag in s.industries:
                    out[tag].append((r, s))
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def industry_years(self) -> dict[str, tuple[int, ...]]:
        """The years of the reports with statements tagged with each industry, newest first."""
        return {slug: tuple(sorted({r.year for r, _ in pairs}, reverse=True))
                for slug, pairs in self.statements_tagged.items()}

    def statements_about(self, slug: str) -> tuple[tuple[Report, Statement], ...]:
        """Statements tagged with the industry or any narrower one, in report date order, each once."""
        return self._about[0].get(slug, ())

    def reports_naming(self, slug: str) -> tuple[Report, ...]:
        """Reports naming the industry or any narrower one, in date order."""
        return self._about[1].get(slug, ())

    @cached_property
    def industry_counts(self) -> dict[str, IndustryCounts]:
        out = {}
        for i in self.industries:
            reports = self.reports_naming(i.slug)
            out[i.slug] = IndustryCounts(i, len({r.region for r in reports}), len(reports),
                                         len(self.statements_about(i.slug)))
        return out

    @cached_property
    def busiest_industries(self) -> tuple[IndustryCounts, ...]:
        """Industries by the number of regions naming them, then statements; unnamed ones left out."""
        named = [c for c in self.industry_counts.values() if c.reports]
        return tuple(sorted(named, key=lambda c: (-c.regions, -c.statements, c.industry.slug)))

    @cached_property
    def report_at(self) -> dict[str, Report]:
        """Reports by the path of their file."""
        return {r.path: r for r in self.reports}

    @cached_property
    def statement(self) -> dict[str, tuple[Report, Statement]]:
        return {s.id: (r, s) for r in self.reports for s in r.statements}

    @cached_property
    def latest_date(self) -> dt.date | None:
        """The newest date in the content: the build stamps pages with it, never with the clock."""
        dates = [r.delivered for r in self.reports] + [s.date for r in self.reports for s in r.sources if s.date]
        return max(dates, default=None)

    @cached_property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({r.year for r in self.reports}))

    @cached_property
    def tracker(self):
        """Every commitment with its status (status.Tracker), worked out once for all the stages that ask: the
        checks across files, the pages, the downloads (0.4 s each time at 10,000 reports)."""
        from .status import Tracker  # status builds on this module
        return Tracker(self)


def _grouped(reports, key) -> dict:
    """Reports by ``key``, each group in the order given."""
    out = defaultdict(list)
    for r in reports:
        out[key(r)].append(r)
    return {k: tuple(v) for k, v in out.items()}

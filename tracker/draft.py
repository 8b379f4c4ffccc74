"""``python build.py draft``: a first draft of a report entry from the report's plain text, for a person to review.

What it finds: the header (session, date, speaker and title from the opening lines), and one candidate statement
for each sentence that names an industry of the vocabulary (its synonyms included), with those industries, a
guessed kind, the figures it gives (tracker/quantities.py) and the sentence itself as a comment to check against.
Summaries are left empty on purpose: a person writes them in their own words. The entry is marked
``draft: true``, which `check` refuses until someone has reviewed it and removed the line.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from .load import SLUG, decode, load_content
from .model import Corpus, Industry
from .problems import ContentError, Problem, did_you_mean
from .quantities import Quantity, find_quantities
from .scaffold import SCAFFOLDS, refuse, schema_address
from .status import Tracker
from .validate import validate

_SESSION = re.compile(r"(?:(?<=[在，,。\s—：:])|^)[\u4e00-\u9fff]{2,12}?第[一二三四五六七八九十]+届人民代表大会"
                      r"第[一二三四五六七八九十]+次会议", re.M)
_DATE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")
_SPEAKER = re.compile(r"(代?(?:省长|市长|区长|州长|主席|盟长))[\s\u3000]*([\u4e00-\u9fff·]{2,4}?)(?=作|在|[\s\u3000]|$)",
                      re.M)
_SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")
_CLAUSE = re.compile(r"[，,、；;：:]")
_LEAD = re.compile(r"^(?:\d{4}年|去年|今年|全年|全市|全省|全区|力争|预计|确保|将|要|并|推动|实现|其中|"
                   r"报告中?(?:指出|提到|表示|提出))+")


@dataclass(frozen=True)
class Candidate:
    """A candidate statement: what a reviewer starts from."""

    industries: tuple[str, ...]
    kind: str
    year: int
    metrics: tuple[tuple[str | None, Quantity], ...]
    """(what it measures, as guessed; the figure)"""
    passage: str


@dataclass(frozen=True)
class Header:
    session: str | None
    delivered: str | None
    speaker: str | None
    speaker_title: str | None


def draft_entry(content: Path, region: str, year: int, text_file: Path, force: bool, site_url: str | None) -> int:
    """Write the draft; 0, or 1 with a clear message (nothing written)."""
    loaded = load_content(content)
    replaced = f"{content.name}/reports/{year}/{region}.md"
    if force:  # the entry being replaced (an earlier draft, say) has no say in whether the rest is sound
        loaded = dataclasses.replace(loaded, reports=tuple(d for d in loaded.reports if d.path != replaced),
                                     problems=tuple(p for p in loaded.problems if p.path != replaced))
    try:
        corpus = validate(loaded)
    except ContentError as e:
        return refuse("draft", f"the content has {len(e.problems)} problem(s); run `python build.py check` and fix them first "
                       "(the draft needs the vocabulary and the region)")
    if not SLUG.match(region) or region not in corpus.region:
        return refuse("draft", f"there is no region '{region}'{did_you_mean(region, corpus.region)}; to add one, "
                       f"run: python build.py new --region {region}")
    if not text_file.is_file():
        return refuse("draft", f"{text_file}: no such file; give the report's plain text (UTF-8), as copied from the "
                       "official page")
    problems: list[Problem] = []
    text = decode(text_file.read_bytes(), str(text_file), problems)
    if text is None:
        return refuse("draft", "; ".join(p.message for p in problems))
    target = content / "reports" / str(year) / f"{region}.md"
    if target.exists() and not force:
        return refuse("draft", f"{target.relative_to(content.parent).as_posix()} already exists; add --force to replace it "
                       "with a draft")
    candidates = find_candidates(text, corpus, region, year)
    page = SCAFFOLDS.get_template("draft.md.j2").render(
        region=region, year=year, place=corpus.region[region], header=read_header(text, year),
        open=Tracker(corpus).due_for_review(region, year),
        candidates=candidates, source=text_file.name, schema=schema_address("entry", target, site_url))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8")
    figures = sum(len(c.metrics) for c in candidates)
    print(f"draft: wrote {target.relative_to(content.parent).as_posix()}: {len(candidates)} candidate statements "
          f"with {figures} figures; review each one, then run `python build.py check`")
    return 0


def read_header(text: str, year: int) -> Header:
    """Session, date, speaker and title from the opening of the report (its first 600 characters)."""
    opening = text[:600]
    session = _SESSION.search(opening)
    speaker = _SPEAKER.search(opening)
    delivered = None
    for m in _DATE.finditer(opening):
        if m[1] in (None, str(year)):
            delivered = f"{year}-{int(m[2]):02d}-{int(m[3]):02d}"
            break
    return Header(session=session.group() if session else None, delivered=delivered,
                  speaker=speaker[2] if speaker else None, speaker_title=speaker[1] if speaker else None)


def find_candidates(text: str, corpus: Corpus, region: str, year: int) -> list[Candidate]:
    """One candidate for each sentence that names an industry of the vocabulary."""
    terms = _terms(corpus.industries)
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))
    names = _region_names(corpus, region)
    out = []
    for sentence in (m.group().strip() for m in _SENTENCE.finditer(text)):
        found = tuple(dict.fromkeys(terms[m.group()] for m in pattern.finditer(sentence)))
        if not found:
            continue
        kind = guess_kind(sentence, year)
        metrics = tuple((_measures(sentence, q, names), q) for q in find_quantities(sentence))
        about = year - 1 if kind == "result" or looks_back(sentence, year) else year
        out.append(Candidate(found, kind, about, metrics, sentence))
    return out


def guess_kind(sentence: str, year: int) -> str:
    """fund, project, result (the past year), target (a figure to reach) or plan."""
    if "基金" in sentence:
        return "fund"
    if re.search(r"\d+个[^，。]{0,6}项目|等[^，。]{0,10}项目|项目[^，。]{0,4}(开工|投产|建成)", sentence):
        return "project"
    if looks_back(sentence, year):
        return "result"
    if any(q.comparator or q.aspect for q in find_quantities(sentence)) and \
            re.search(r"力争|目标|确保|以上|突破|达到|增长", sentence):
        return "target"
    return "plan"


def looks_back(sentence: str, year: int) -> bool:
    """The sentence is about the year before the report's (a review of 2024 in the 2025 report)."""
    return (f"{year - 1}年" in sentence or "去年" in sentence or "过去一年" in sentence) and f"{year}年" not in sentence


def _terms(industries: tuple[Industry, ...]) -> dict[str, str]:
    """Every word that names an industry (Chinese name and synonyms, two characters or more) → its slug."""
    terms = {}
    for industry in industries:
        for word in (industry.name_zh, *industry.synonyms):
            if len(word) >= 2 and not word.isascii():
                terms.setdefault(word, industry.slug)
    return terms


def _region_names(corpus: Corpus, region: str) -> tuple[str, ...]:
    name = corpus.region[region].name_zh
    return (name, name.rstrip("省市区"))


def _measures(sentence: str, quantity: Quantity, names: tuple[str, ...]) -> str | None:
    """What a figure measures, as guessed: for a count, what is counted when it follows (4只政府性专项基金 → 政府性
    专项基金数量); otherwise the words of its clause before it, without time, place and verbs."""
    counted = re.match(r"[\u4e00-\u9fff]{2,12}", sentence[quantity.end:])
    if quantity.normalized[1] == "count" and counted:
        return counted.group() + "数量"
    clause = _CLAUSE.split(sentence[:quantity.start])[-1]
    for name in names:
        clause = clause.replace(name, "")
    clause = _LEAD.sub("", re.sub(r"^.*等", "", clause.strip()))  # 大数据、智能终端等数字经济核心产业 → the class
    clause = re.sub(r"(增长|提高|提升)$", "增速", clause)
    return clause[-30:] or None  # left empty: `check` asks for it


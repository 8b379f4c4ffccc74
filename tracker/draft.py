"""``python3 build.py draft``: a first draft of a report entry from the report's plain text, for a person to review.

What it finds: the header (session, date, speaker and title from the opening lines), and one candidate statement
for each sentence that names an industry of the vocabulary (its synonyms included), with those industries, a
guessed kind, the figures it gives (tracker/quantities.py) and the sentence itself as a comment to check against.
Summaries are left empty on purpose: a person writes them in their own words. The entry is marked
``draft: true``, which `check` refuses until someone has reviewed it and removed the line.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from .load import SLUG, decode, load_content
from .model import Corpus, Industry
from .problems import ContentError, Problem, did_you_mean
from .quantities import Quantity, find_quantities
from .reporttext import date_in_address, prepare, read_header
from .scaffold import SCAFFOLDS, refuse, schema_address
from .validate import raw_values, validate

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


def draft_entries(content: Path, texts: list[Path], region: str | None, year: int | None, force: bool,
                  site_url: str | None) -> int:
    """Draft each report text into its entry: 0, or 1 with a clear message for each text that could not be drafted
    (the others are drafted all the same)."""
    if (region or year) and len(texts) > 1:
        return refuse("draft", "--region and --year name the report of a single text; with several texts, each one's "
                      "region and year are read from its dateline (or its file name, e.g. 2026/wuxi.md)")
    corpus = _corpus_without_drafts(content)
    if isinstance(corpus, str):
        return refuse("draft", corpus)
    failed = 0
    for text_file in texts:
        message = _draft_one(content, corpus, text_file, region, year, force, site_url)
        if message:
            print(f"draft: {message}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


def _corpus_without_drafts(content: Path) -> Corpus | str:
    """The corpus as `check` sees it, less the entries that are drafts still: an unreviewed draft never stops
    another report being drafted."""
    loaded = load_content(content)
    drafts = {d.path for d in loaded.reports if any(v.text.strip().lower() == "true" for v in raw_values(d.data, "draft"))}
    loaded = dataclasses.replace(loaded, reports=tuple(d for d in loaded.reports if d.path not in drafts),
                                 problems=tuple(p for p in loaded.problems if p.path not in drafts))
    try:
        return validate(loaded)
    except ContentError as e:
        return (f"the content has {len(e.problems)} problem(s); run `python3 build.py check` and fix them first "
                "(a draft needs the vocabulary, the region and the ids already used)")


def _draft_one(content: Path, corpus: Corpus, text_file: Path, region: str | None, year: int | None, force: bool,
               site_url: str | None) -> str | None:
    """Write one draft; None, or why not (nothing written for it)."""
    if not text_file.is_file():
        return (f"{text_file}: no such file; give the report's plain text (UTF-8), as copied from the official page")
    problems: list[Problem] = []
    raw = decode(text_file.read_bytes(), str(text_file), problems)
    if raw is None:
        return "; ".join(p.message for p in problems)
    report = prepare(raw)
    year = year or _year_of(report, text_file)
    if year is None:
        return f"{text_file}: no dateline gives the report's year; name it with --year"
    header = read_header(report.text, year, report.title)
    region = region or _region_of(corpus, header, report, text_file)
    if region is None:
        return f"{text_file}: the region is not one of content/regions/ by its name; name it with --region"
    if not SLUG.match(region) or region not in corpus.region:
        return (f"there is no region '{region}'{did_you_mean(region, corpus.region)}; to add one, run: "
                f"python3 build.py new --region {region}")
    target = content / "reports" / str(year) / f"{region}.md"
    shown = target.relative_to(content.parent).as_posix()
    kept = corpus.report_at.get(shown)
    if target.exists() and not force:
        return f"{shown} already exists; add --force to draft over it (a reviewed entry keeps every statement and id)"
    candidates = draft_candidates(raw, corpus, region, year)
    if kept:  # a reviewed entry: its statements stay as they are, under their ids; what it already has is not redrafted
        candidates = [c for c in candidates if not _already_in(c, kept)]
    prefix = f"{region}-{year}-"
    used = [s.id for s in kept.statements] if kept else []
    used += [r.id for r in corpus.retired] + [i for i in corpus.statement if i.startswith(prefix)]
    first = 1 + max((int(i[len(prefix):]) for i in used if i.startswith(prefix) and i[len(prefix):].isdigit()),
                    default=0)
    page = SCAFFOLDS.get_template("draft.md.j2").render(
        region=region, year=year, place=corpus.region[region], header=header, kept=kept, first=first,
        source_url=report.source, source_title=report.title, source_date=date_in_address(report.source),
        open=corpus.tracker.due_for_review(region, year), candidates=candidates, source=text_file.name,
        schema=schema_address("entry", target, site_url))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8")
    figures = sum(len(c.metrics) for c in candidates)
    print(f"draft: wrote {shown}: {len(candidates)} candidate statements with {figures} figures"
          f"{f', after the {len(kept.statements)} reviewed ones kept as they were' if kept else ''}; review each one, "
          "then run `python3 build.py check`")
    return None


def _year_of(report, path: Path) -> int | None:
    """The year of the report: its dateline's, else a folder named for it (2026/wuxi.md)."""
    m = re.search(r"(20\d{2})年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", report.text[:700].split("各位代表")[0])
    if m:
        return int(m[1])
    if m := re.search(r"(20\d{2})年", report.title or ""):
        return int(m[1])
    return int(path.parent.name) if re.fullmatch(r"20\d{2}", path.parent.name) else None


def _region_of(corpus: Corpus, header, report, path: Path) -> str | None:
    """The region whose name opens the session (无锡市第十七届人民代表大会…) or the page title, else the file's name."""
    for text in (header.session or "", report.title or ""):
        for r in sorted(corpus.regions, key=lambda r: -len(r.name_zh)):
            if r.name_zh in text:
                return r.slug
    return path.stem if path.stem in corpus.region else None


def _already_in(candidate: "Candidate", report) -> bool:
    """A candidate the reviewed entry already has: all its figures are among the entry's, or it holds a phrase the
    entry quotes."""
    have = {m.normalized for s in report.statements for m in s.metrics}
    if candidate.metrics:
        return all(q.normalized in have for _, q in candidate.metrics)
    return any(q in candidate.passage for s in report.statements for q in s.quotes)


@dataclass(frozen=True)
class Part:
    """What a stretch of the report is about: a look back (results) or ahead (targets and plans), and the year."""

    looks_back: bool
    year: int


_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)")
_YEAR = re.compile(r"(20\d{2})年")
_REVIEW_WORDS = ("回顾", "成就", "过去一年", "过去五年", "工作总结")
_AHEAD_WORDS = ("目标", "任务", "安排", "要求", "重点", "工作", "建设", "展望")


def plan_period_end(year: int) -> int:
    """The last year of the five-year plan period that holds ``year`` (2021–2025, 2026–2030 …)."""
    return 2020 + 5 * -(-(year - 2020) // 5)


def parts(text: str, year: int):
    """(part, paragraph) for each paragraph of the report's body, the part read from the headings above it: 一、2024年
    工作回顾 looks back at 2024, 二、2025年工作安排 ahead to 2025, “十五五”时期主要目标 ahead to 2030. What comes
    before the first heading (the title, the dateline, 各位代表) is skipped; a text with no heading at all (an
    excerpt) is one part, read sentence by sentence."""
    lines = text.splitlines()
    headings = [n for n, line in enumerate(lines) if _HEADING.match(line) and (len(line) <= 40 or "。" not in line)]
    if not headings:  # an excerpt (a press article's paragraph): each sentence's own cues alone
        yield from ((Part(False, year), line) for line in lines)
        return
    part = None
    for n, line in enumerate(lines):
        if n in headings:
            part = _heading_part(line, year)
        elif part is not None:
            yield part, line


def _heading_part(heading: str, year: int) -> Part:
    back = any(w in heading for w in _REVIEW_WORDS)
    years = [int(y) for y in _YEAR.findall(heading)]
    if back:
        return Part(True, year - 1)  # 2024年工作回顾, or 十四五时期工作回顾: the period's last year
    if years and max(years) >= year:
        return Part(False, max(years))
    if "十五五" in heading or "今后五年" in heading or "第十五个五年" in heading:
        return Part(False, plan_period_end(year))
    return Part(False, year)


_BY_YEAR = re.compile(r"(?:到|至|在)(20\d{2})年|(20\d{2})年(?:底|末)?前")
_PERIOD_AHEAD = re.compile(r"“?十五五”?(?:时期|期间|末)|今后五年|未来五年|第十五个五年")
_PERIOD_BACK = re.compile(r"“?十四五”?(?:时期|期间|以来)|五年来|过去五年")
_ESTIMATE = "预计"


def sentence_part(sentence: str, part: Part, year: int) -> Part:
    """A sentence's own cues refine its part: a mixed section (“十四五”时期发展成就和“十五五”时期主要目标) is read
    sentence by sentence, a goal 到2027年 gets its own year."""
    if m := _BY_YEAR.search(sentence):
        target = int(m[1] or m[2])
        if target > year - 1 and not part.looks_back:
            return Part(False, target)
    if _PERIOD_AHEAD.search(sentence):
        return Part(False, plan_period_end(year))
    if _PERIOD_BACK.search(sentence) and not part.looks_back and f"{year}年" not in sentence:
        return Part(True, year - 1)
    if part.looks_back and (f"{year}年" in sentence or "今年" in sentence) and _ESTIMATE not in sentence:
        return Part(False, year)  # a review that turns to the year ahead
    if not part.looks_back and re.search(rf"{year - 1}年|去年|过去一年", sentence) and f"{year}年" not in sentence:
        return Part(True, year - 1)  # a look back where the plan is (or in an excerpt with no headings)
    return part


def draft_candidates(raw: str, corpus: Corpus, region: str, year: int) -> list[Candidate]:
    """One candidate for each sentence of the report that names an industry of the vocabulary or an instrument of
    industrial policy, with its kind and year read from where it stands in the report."""
    text = prepare(raw).text
    terms = _terms(corpus.industries)
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))
    names = _region_names(corpus, region)
    out = []
    for part, paragraph in parts(text, year):
        for sentence in (m.group().strip() for m in _SENTENCE.finditer(paragraph)):
            found = tuple(dict.fromkeys(terms[m.group()] for m in pattern.finditer(sentence)))
            quantities = find_quantities(sentence) if found or _INSTRUMENT.search(sentence) else []
            quantities = [q for q in quantities if not _threshold(sentence, q)]
            if not found and not quantities:
                continue  # no industry named, and no figure of industry or industrial policy
            where = sentence_part(sentence, part, year)
            metrics = tuple((_measures(sentence, q, names, _after_respectively(sentence, quantities, q)), q)
                            for q in quantities)
            out.append(Candidate(found, guess_kind(sentence, where, metrics), where.year, metrics, sentence))
    return out


_INSTRUMENT = re.compile(r"产业|工业|制造|企业|工厂|车间|项目|工程|基金|园区|集群|产业链|装备|能源|电力|装机|科技|"
                         r"技术|创新|数字|数据|算力|专精特新|小巨人|单项冠军|独角兽|瞪羚|首台|中试|概念验证|新质生产力")
"""Words of industry and industrial policy: a sentence with one and a figure is a candidate even where it names no
industry of the vocabulary (高新技术企业3.1万家, 智能化煤矿268座, 产业用地30平方公里)."""


def guess_kind(sentence: str, part: Part, metrics) -> str:
    """fund, project, result (looking back), target (a figure to reach) or plan."""
    if re.search(r"(?:设立|新设|组建|成立|发起|启动运行)[^，。；]{0,24}基金|(?:规模|\d+支)[^，。；]{0,20}基金", sentence):
        return "fund"
    if part.looks_back:
        named = re.search(r"[\u4e00-\u9fff]{2,}(?:项目|基地|工程|产线|工厂)(?:[^，。；]{0,4})(?:开工|建成|投产|竣工|落地)",
                          sentence)
        invested = all(re.search(r"投资[^，。；]{0,3}$", sentence[max(0, q.start - 5):q.start]) for _, q in metrics)
        return "project" if named and invested else "result"  # a project and its cost, not a run of results
    if metrics and any(_aims(q, sentence) for _, q in metrics):
        return "target"
    if re.search(r"[\u4e00-\u9fff]{2,}(?:项目|工程)[^，。；]{0,4}(?:开工|投产|建成|竣工)|加快(?:推进|建设)[^，。；]{2,30}等"
                 r"[^，。；]{0,8}(?:项目|工程)", sentence):
        return "project"
    return "plan"


def _aims(q: Quantity, sentence: str) -> bool:
    """A figure for the year ahead to reach (a target), unless it only counts what a plan names: an enumeration
    (机器人、生物医药等10个战略性新兴产业, 九大专项, 六大优势产业), a class of things (4个万亿级产业基地, 6个世界级产业集群)
    or a batch (首批10个育新基地)."""
    before, after = sentence[max(0, q.start - 2):q.start], sentence[q.end:q.end + 6]
    if q.text.endswith("大") or before.endswith(("等", "首批", "第一批")):
        return False
    return not re.match(r"[\u4e00-\u9fff]{0,4}级", after)


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


def _measures(sentence: str, quantity: Quantity, names: tuple[str, ...], index: int = 0) -> str | None:
    """What a figure measures, as guessed: for a count, what is counted when it follows (4只政府性专项基金 → 政府性
    专项基金数量); for the n-th figure after 分别, the n-th subject before it (战略性新兴产业、高新技术产业产值占比分别
    提升6.6个、5.7个百分点 → 战略性新兴产业产值占比提升幅度, 高新技术产业产值占比提升幅度); otherwise the words of its
    clause before it, without time, place and verbs."""
    counted = re.match(r"[\u4e00-\u9fff]{2,12}", sentence[quantity.end:])
    if quantity.normalized[1] == "count" and counted:
        return counted.group() + "数量"
    head = re.split(r"[，,；;：:。]", sentence[:quantity.start])[-1]
    if "分别" in head:
        subjects, _, verb = head.rpartition("分别")
        items = [i for i in re.split(r"[、和]", _clean(subjects, names)) if i]
        if items:
            last = items[-1]
            tail = re.split(r"(?<=业)", last, maxsplit=1)[1] if re.search(r"业.", last) else ""
            item = items[min(index, len(items) - 1)]
            return (item if item.endswith(tail) else item + tail) + _VERB_MEASURE.get(verb.strip()[:2], "")
    pieces = _CLAUSE.split(sentence[:quantity.start])
    clause = _clean(pieces[-1], names)
    if clause.startswith("占") and len(pieces) > 1:  # 集成电路产量增长21%、占全国18%: the share of the subject before
        subject = re.split(r"增长|达到|提高|提升|突破|超过|\d", _clean(pieces[-2], names), maxsplit=1)[0]
        share = re.sub(r"(?:达到|为|超过|近)$", "", clause)
        return subject + share + ("" if share.endswith(("比重", "比例")) else "比重")
    clause = re.sub(r"(增长|提高|提升)$", "增速", clause)
    if quantity.normalized[1] == "count" and clause and not clause.endswith("数量"):
        clause = re.sub(r"^(?:落地|新增|新建|培育|引进|实施|推进|建成|完成|开工|认定)", "", clause) + "数量"
    return clause[-30:] or None  # left empty: `check` asks for it


_VERB_MEASURE = {"增长": "增速", "提升": "提升幅度", "提高": "提升幅度", "下降": "降幅", "达到": "", "占": "占比"}


def _clean(clause: str, names: tuple[str, ...]) -> str:
    """A subject without the region's name, the time and the verbs that lead it; of a class (大数据、智能终端等数字经济
    核心产业), the class."""
    for name in names:
        clause = clause.replace(name, "")
    return _LEAD.sub("", re.sub(r"^.*等", "", clause.strip()))


def _after_respectively(sentence: str, quantities: list[Quantity], q: Quantity) -> int:
    """The position of a figure in a list after 分别 (0 for the first, or for a figure of no such list)."""
    start = sentence.rfind("分别", 0, q.start)
    return sum(1 for other in quantities if start >= 0 and start < other.start < q.start)


def _threshold(sentence: str, q: Quantity) -> bool:
    """A figure that only qualifies what is counted next (10亿元以上重大产业项目409个): not a figure of its own."""
    rest = re.split(r"[，,；;。、]", sentence[q.end:], maxsplit=1)[0]
    return bool(rest) and bool(re.match(r"[\u4e00-\u9fff]", rest)) and any(
        n.normalized[1] == "count" for n in find_quantities(rest)) and q.normalized[1] != "count"

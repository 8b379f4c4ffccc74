"""`python build.py draft`: a report's plain text → a draft entry that `check` refuses until a person reviews it.

The made-up text (tests/fixtures/draft/) holds every kind of statement; the seed article's paragraphs, where the
seed is at hand (../shared/seeds/, beside the project), measure the recall against the shipped entries."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import MINI, ROOT, run_build
from conftest import SEED as SEED_CORPUS
from tracker.draft import find_candidates
from tracker.load import load_content
from tracker.validate import validate

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "draft" / "beta-2026.txt"
SEED = ROOT.parent / "shared" / "seeds" / "000_5aa94c612f517020.txt"


@pytest.fixture
def mini(tmp_path) -> Path:
    shutil.copytree(MINI, tmp_path / "content")
    return tmp_path / "content"


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_draft_finds_the_header_every_kind_and_every_figure(mini):
    result = run_build("draft", "--region", "beta", "--year", "2026", str(FIXTURE), "--content", str(mini))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("draft: wrote content/reports/2026/beta.md: 6 candidate statements with 7 figures")
    entry = front_matter(mini / "reports" / "2026" / "beta.md")
    assert entry["draft"] is True
    assert {k: entry[k] for k in ("session", "speaker", "speaker_title")} == {
        "session": "乙市第一届人民代表大会第三次会议", "speaker": "测试人", "speaker_title": "市长"}
    assert str(entry["delivered"]) == "2026-01-20"
    got = [(s["kind"], s["year"], s["industries"], [(m["measures"], m["value"], m.get("unit"), m.get("comparator"),
                                                       m.get("estimate", False)) for m in s.get("metrics", [])])
           for s in entry["statements"]]
    assert got == [
        ("result", 2025, ["chips"], [("测试芯片产业产值增速", "12.5", "%", None, False),
                                     ("占全省比重", "三分之一", None, "达到", False)]),
        ("fund", 2026, ["drones"], [("总规模", "50", "亿元", None, False)]),
        ("target", 2026, ["chips"], [("测试芯片产业规模", "1000", "亿元", "突破", False)]),
        ("plan", 2026, ["drones"], [("新建起降点", "十", "个", None, False)]),
        ("project", 2026, ["chips"], [("重大项目数量", "8", "个", None, False)]),
        ("target", 2026, ["tech"], [("测试技术产业增速", "8", "%", "左右", True)]),
    ]
    assert all(s["summary"] is None for s in entry["statements"])  # a person writes them


def test_check_refuses_a_draft_and_lists_what_is_left(mini):
    run_build("draft", "--region", "beta", "--year", "2026", str(FIXTURE), "--content", str(mini))
    check = run_build("check", "--content", str(mini))
    lines = check.stderr.splitlines()
    assert check.returncode == 1
    assert lines[0] == ("content/reports/2026/beta.md:8: draft: this entry is a draft that `python build.py draft` "
                        "wrote: check every statement against the report, write each summary in your own words, "
                        "delete the candidates that say nothing, then remove the line 'draft: true'")
    assert sum("summary: is empty; fill it in" in line for line in lines) == 6
    assert lines[-1] == "check: 11 problem(s) in 1 file(s); fix them and run again"  # draft, 6 summaries, source


def test_a_reviewed_draft_passes(mini):
    run_build("draft", "--region", "beta", "--year", "2026", str(FIXTURE), "--content", str(mini))
    path = mini / "reports" / "2026" / "beta.md"
    text = path.read_text(encoding="utf-8").replace("draft: true\n", "")
    text = re.sub(r"summary:\n", "summary: 审阅后用自己的话写的概括。\n", text)
    text = text.replace("  - publisher:\n    title:\n    date:\n    url:        # http(s) address; remove the line "
                        "rather than guess\n", "  - publisher: 测试出版社\n    title: 测试来源\n    date: 2026-01-21\n")
    assert "silent_on:\n  # - beta-2025-2\n  # - beta-2025-3\n" in text  # the commitments it has to judge
    text = text.replace("  # - beta-2025-", "  - beta-2025-")  # the made-up report says nothing of them
    path.write_text(text, encoding="utf-8")
    check = run_build("check", "--content", str(mini))
    assert check.returncode == 0, check.stderr


def test_draft_never_overwrites_and_refuses_clearly(mini, tmp_path):
    existing = mini / "reports" / "2025" / "beta.md"
    before = existing.read_bytes()
    cases = [
        (["--region", "beta", "--year", "2025", str(FIXTURE)],
         "draft: content/reports/2025/beta.md already exists; add --force to replace it with a draft"),
        (["--region", "betta", "--year", "2026", str(FIXTURE)],
         "draft: there is no region 'betta'; did you mean 'beta'?; to add one, run: python build.py new --region betta"),
        (["--region", "beta", "--year", "2026", str(tmp_path / "nothing.txt")],
         f"draft: {tmp_path / 'nothing.txt'}: no such file; give the report's plain text (UTF-8), as copied from the "
         "official page"),
    ]
    for args, message in cases:
        result = run_build("draft", *args, "--content", str(mini))
        assert (result.returncode, result.stderr.strip()) == (1, message)
    assert existing.read_bytes() == before
    assert run_build("draft", "--region", "beta", "--year", "2025", str(FIXTURE), "--force",
                     "--content", str(mini)).returncode == 0
    assert existing.read_bytes() != before


def seed_paragraphs() -> dict[str, str]:
    names = {"北京": "beijing", "上海": "shanghai", "广东": "guangdong", "辽宁": "liaoning", "山西": "shanxi",
             "沈阳": "shenyang", "无锡": "wuxi"}
    text = SEED.read_text(encoding="utf-8")
    blocks = re.split(r"\n\n(?=(?:北京|上海|广东|辽宁|山西|沈阳|无锡):)", text)[1:]
    return {names[b.split(":")[0]]: b.split("\n\n", 1)[1].split("\n\n作者")[0] for b in blocks}


def test_on_the_seed_every_shipped_figure_is_found():
    if not SEED.exists():
        pytest.skip(f"the seed article is not beside the project ({SEED})")
    corpus = validate(load_content(SEED_CORPUS))  # the entries written from the seed article, frozen
    found = total = candidates = extra = 0
    for region, paragraph in seed_paragraphs().items():
        drafted = [q for c in find_candidates(paragraph, corpus, region, 2025) for _, q in c.metrics]
        shipped = [m for r in corpus.reports_of_region[region] for s in r.statements for m in s.metrics]
        missing = [m.as_written for m in shipped
                   if not any(q.value == pytest.approx(m.value.value) and (q.unit == m.unit or not q.unit)
                              for q in drafted)]
        assert missing == [], region
        found, total = found + len(shipped), total + len(shipped)
        candidates += len(find_candidates(paragraph, corpus, region, 2025))
        extra += sum(not any(q.value == pytest.approx(m.value.value) for m in shipped) for q in drafted)
    print(f"draft on the seed: {found}/{total} figures found, {candidates} candidates, {extra} extra figures")

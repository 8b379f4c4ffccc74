"""Stage 2 through the real command line: broken entries give exact `path:line: field: message`
lines, exit 1, no traceback, and leave site/ and content/ as they were."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import shutil

from conftest import MINI, ROOT, run_build

BEIJING = "reports/2025/beijing.md"
VOCAB = "industries.yml"


def edit(content: Path, rel: str, old: str, new: str) -> None:
    path = content / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {rel}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def fingerprint(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


CASES = {
    "bad YAML": (
        BEIJING, "session: 北京市第十六届人民代表大会第三次会议", "session: 会议: 第三次",
        ["content/reports/2025/beijing.md:4: invalid YAML (mapping values are not allowed in this context): a value holds ': '; "
         "put the whole value in quotes, or check the indentation of the line before"]),
    "unknown industry": (
        BEIJING, "industries: [new-energy-vehicles]", "industries: [new-energy-vehicle]",
        ["content/reports/2025/beijing.md:58: statements[6].industries[0]: unknown industry 'new-energy-vehicle'; "
         "did you mean 'new-energy-vehicles'?"]),
    "industry given by its Chinese name": (
        BEIJING, "industries: [new-energy-vehicles]", "industries: [新能源汽车]",
        ["content/reports/2025/beijing.md:58: statements[6].industries[0]: unknown industry '新能源汽车'; "
         "'新能源汽车' is a name of 'new-energy-vehicles', use that slug"]),
    "missing field": (
        BEIJING, "session: 北京市第十六届人民代表大会第三次会议\n", "",
        ["content/reports/2025/beijing.md:2: session: missing; add 'session:' (The congress session as written, "
         "e.g. 北京市第十六届人民代表大会第三次会议.)"]),
    "impossible date": (
        BEIJING, "delivered: 2025-01-14", "delivered: 2025-02-30",
        ["content/reports/2025/beijing.md:5: delivered: '2025-02-30' is not a real date (no such day in the calendar)"]),
    "not a date": (
        BEIJING, "delivered: 2025-01-14", "delivered: 1月14日",
        ["content/reports/2025/beijing.md:5: delivered: '1月14日' is not a date; write it as YYYY-MM-DD, e.g. 2025-01-14"]),
    "duplicated key": (
        BEIJING, "speaker: 殷勇\n", "speaker: 殷勇\nspeaker: 殷勇\n",
        ["content/reports/2025/beijing.md:7: speaker: duplicated key (first at line 6); YAML would silently keep only "
         "the last one: merge the two into one"]),
    "unknown key": (
        BEIJING, "statements:\n", "industires: [biomedicine]\nstatements:\n",
        ["content/reports/2025/beijing.md:13: industires: unknown field; did you mean 'industries'?"]),
    "unknown kind": (
        BEIJING, "kind: result\n    year: 2024\n    industries: [artificial-intelligence]",
        "kind: results\n    year: 2024\n    industries: [artificial-intelligence]",
        ["content/reports/2025/beijing.md:15: statements[0].kind: 'results' is not allowed; did you mean 'result'?"]),
    "unknown region": (
        "regions/wuxi.md", "parent: jiangsu", "parent: jiangsuu",
        ["content/regions/wuxi.md:6: parent: unknown region 'jiangsuu'; did you mean 'jiangsu'?"]),
    "region code as a number is still text": (
        "regions/wuxi.md", 'code: "320200"', "code: 32020",
        ["content/regions/wuxi.md:2: code: '32020' is not in the right form (Six-digit administrative division "
         "code (GB/T 2260), e.g. '110000' for Beijing.)"]),
    "figure with its unit": (
        BEIJING, "value: 3000", "value: 3000亿元",
        ["content/reports/2025/beijing.md:22: statements[0].metrics[0].value: '3000亿元' is not a number; write the "
         "figure alone (3000, 1.8 or 1/3) and put the unit in 'unit'"]),
    "unknown unit": (
        BEIJING, "unit: 亿元", "unit: 亿园",
        ["content/reports/2025/beijing.md:23: statements[0].metrics[0].unit: '亿园' is not allowed; did you mean '亿元'?"]),
    "report in the wrong folder": (
        BEIJING, "region: beijing\nyear: 2025", "region: beijing\nyear: 2024", sorted([
         "content/reports/2025/beijing.md:3: year: is 2024 but the file is in the folder 2025/; move it to "
         "content/reports/2024/ or correct the year",
         "content/reports/2025/beijing.md:5: delivered: 2025-01-14 is not in 2024, the year of the report",
         *[f"content/reports/2025/beijing.md:{line}: statements[{n}].id: 'beijing-2025-{n + 1}' must start with "
           f"'beijing-2024-', e.g. beijing-2024-{n + 1}" for n, line in enumerate([14, 24, 29, 39, 44, 49, 55, 60])],
         # its two results of 2024 would now be about the report's own year
         *[f"content/reports/2025/beijing.md:{line}: statements[{n}].year: a result is about a year before the "
           "report's: 2023 for the 2024 report, not 2024 (a five-year review's results take the period's last year); "
           "is it a plan or a target?" for n, line in ((0, 16), (1, 26))]], key=lambda line: int(line.split(":")[1]))),
    "duplicated statement id": (
        "reports/2025/shanghai.md", "id: shanghai-2025-2", "id: shanghai-2025-1",
        ["content/reports/2025/shanghai.md:25: statements[1].id: 'shanghai-2025-1' is already used in "
         "content/reports/2025/shanghai.md; ids are unique and never reused: take the next free number"]),
    "unknown parent industry": (
        VOCAB, "  parent: next-gen-it\n  description: 芯片", "  parent: next-gen\n  description: 芯片",
        ["content/industries.yml:16: [1].parent: unknown industry 'next-gen'; did you mean 'next-gen-it'?"]),
}


@pytest.mark.parametrize("case", CASES)
def test_broken_entry_is_explained(case, content_copy, tmp_path):
    rel, old, new, expected = CASES[case]
    edit(content_copy, rel, old, new)
    before_content = fingerprint(content_copy)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("previous build", encoding="utf-8")

    for command in ("check", "build"):
        result = run_build(command, "--content", str(content_copy), "--site", str(site))
        outcome = "fix them and run again" if command == "check" else "nothing was built, site/ is unchanged"
        n = len(expected)
        assert result.stderr.splitlines() == expected + [
            f"{command}: {n} problem(s) in 1 file(s); {outcome}"], case
        assert result.returncode == 1
        assert "Traceback" not in result.stderr and result.stdout == ""
    assert fingerprint(site) == {"index.html": hashlib.sha256(b"previous build").hexdigest()}
    assert fingerprint(content_copy) == before_content


def test_every_problem_of_a_run_is_reported_at_once(content_copy):
    edit(content_copy, BEIJING, "delivered: 2025-01-14", "delivered: 2025-13-01")
    edit(content_copy, "reports/2025/wuxi.md", "session: 无锡市第十七届人民代表大会第四次会议\n", "")
    edit(content_copy, "regions/shanxi.md", "level: province", "level: provence")
    result = run_build("check", "--content", str(content_copy))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "content/regions/shanxi.md:5: level: 'provence' is not allowed; did you mean 'province'?",
        "content/reports/2025/beijing.md:5: delivered: '2025-13-01' is not a real date (no such day in the calendar)",
        "content/reports/2025/wuxi.md:2: session: missing; add 'session:' (The congress session as written, e.g. "
        "北京市第十六届人民代表大会第三次会议.)",
        "check: 3 problem(s) in 3 file(s); fix them and run again",
    ]


def test_shipped_content_passes_check():
    result = run_build("check")
    assert result.returncode == 0, result.stderr
    reports = len(list((ROOT / "content" / "reports").glob("*/*.md")))
    assert result.stdout.startswith(f"check: OK: {reports} reports, 8 regions, ")


UNLINKED = ("content/reports/2025/beta.md: silent_on: beta's commitment 'beta-2024-1' (due 2024: 芯片产值增长10%以上。) is "
            "neither reported on nor listed: link the result that reports on it (reports_on: beta-2024-1) or, if the "
            "report says nothing of it, add it to silent_on")
"""What check adds where the result that reported on beta-2024-1 no longer does."""

MINI_CASES = {
    "former slug of a region that exists": (
        "regions/beta.md", "formerly: [beta-old]", "formerly: [alpha]",
        ["content/regions/beta.md:7: formerly[0]: 'alpha' is the slug of a current region; its pages cannot "
         "redirect elsewhere: remove it from formerly"]),
    "former slug claimed twice": (
        "regions/alpha.md", "level: province", "level: province\nformerly: [beta-old]",
        ["content/regions/beta.md:7: formerly[0]: 'beta-old' is already a former slug of 'alpha'; an old address "
         "can lead to one place only"]),
    "result reporting on an unknown target": (
        "reports/2025/beta.md", "reports_on: beta-2024-1", "reports_on: beta-2024-11",
        [UNLINKED, "content/reports/2025/beta.md:20: statements[0].reports_on: no statement has the id 'beta-2024-11'; "
         "did you mean 'beta-2024-1'?"]),
    "result reporting on a result": (
        "reports/2025/beta.md", "reports_on: beta-2024-1", "reports_on: beta-2025-1",
        [UNLINKED, "content/reports/2025/beta.md:20: statements[0].reports_on: 'beta-2025-1' is a result about 2024; a result "
         "reports on a target or a plan (a commitment)"]),
    "result reporting on a target of its own year": (
        "reports/2025/beta.md", "reports_on: beta-2024-1", "reports_on: beta-2025-2",
        [UNLINKED, "content/reports/2025/beta.md:20: statements[0].reports_on: 'beta-2025-2' is from 2025; a result reports "
         "on a commitment of an earlier year's report"]),
    "outcome without a target": (
        "reports/2025/beta.md", "    reports_on: beta-2024-1\n", "    outcome: met\n",
        [UNLINKED, "content/reports/2025/beta.md:20: statements[0].outcome: an outcome needs 'reports_on', the id of the "
         "target it reports on"]),
    "result with no comparable figure and no outcome": (
        "reports/2025/beta.md", "        unit: \"%\"\n        estimate: true", "        unit: 个\n        estimate: true",
        ["content/reports/2025/beta.md:20: statements[0].reports_on: no figure of this result matches a figure of "
         "'beta-2024-1' (same measures and unit); add 'outcome:' (exceeded, met, partly-met, missed, or progress "
         "where it says what was done without a figure to compare)"]),
    "a due commitment neither reported on nor listed": (
        "reports/2025/beta.md", "    reports_on: beta-2024-1\n", "", [UNLINKED]),
    "a commitment both reported on and listed as not mentioned": (
        "reports/2025/beta.md", "delivered: 2025-01-20\n", "delivered: 2025-01-20\nsilent_on: [beta-2024-1]\n",
        ["content/reports/2025/beta.md:6: silent_on: 'beta-2024-1' is listed as not mentioned, yet a result of this "
         "report reports on it; remove it from silent_on"]),
    "silent_on a commitment another report reviews": (
        "reports/2025/beta.md", "delivered: 2025-01-20\n", "delivered: 2025-01-20\nsilent_on: [beta-2024-1, beta-2025-3]\n",
        ["content/reports/2025/beta.md:6: silent_on: 'beta-2024-1' is listed as not mentioned, yet a result of this "
         "report reports on it; remove it from silent_on",
         "content/reports/2025/beta.md:6: silent_on[1]: 'beta-2025-3' is from 2025; silent_on lists a commitment of "
         "an earlier year's report"]),
    "a statement citing a source the report does not have": (
        "reports/2025/beta.md", "    kind: fund\n", "    kind: fund\n    source: 2\n",
        ["content/reports/2025/beta.md:55: statements[4].source: 2 names no source: this report has 1 (give the "
         "position of one of them, 1 to 1)"]),
    "target without a figure": (
        "reports/2024/beta.md", "    metrics:\n      - measures: 芯片产值增速\n        comparator: 以上\n"
        "        value: 10\n        unit: \"%\"\n", "",
        ["content/reports/2024/beta.md:15: statements[0].kind: a target is quantified: add its metrics, or make "
         "the kind 'plan'"]),
    "industry loop": (
        "industries.yml", "name_en: Test technology", "name_en: Test technology\n  parent: chips",
        ["content/industries.yml:5: [0].parent: industry 'tech' is its own ancestor (tech → chips → tech); break the loop",
         "content/industries.yml:10: [1].parent: industry 'chips' is its own ancestor (chips → tech → chips); "
         "break the loop"]),
    "two regions with one code": (
        "regions/beta.md", 'code: "330500"', 'code: "330000"',
        # the file at fault is the one whose name GB/T 2260 does not give that code
        ["content/regions/beta.md:2: code: '330000' is 浙江省 in GB/T 2260, not 湖州市; the code of 湖州市 is 330500",
         "content/regions/beta.md:2: code: region code '330000' is already used by content/regions/alpha.md; "
         "each must be unique",
         "content/regions/beta.md:6: parent: 'alpha' (330000) cannot hold 湖州市 (330000): a region's code starts "
         "with its parent's (33…)"]),
    "a code that is not in GB/T 2260": (
        "regions/beta.md", 'code: "330500"', 'code: "339900"',
        ["content/regions/beta.md:2: code: '339900' is not a code of GB/T 2260 (the administrative division codes); "
         "the code of 湖州市 is 330500"]),
    "a city placed under a province whose code it does not share": (
        "regions/beta.md", 'code: "330500"\nname_zh: 湖州市', 'code: "440500"\nname_zh: 汕头市',
        ["content/regions/beta.md:6: parent: 'alpha' (330000) cannot hold 汕头市 (440500): a region's code starts "
         "with its parent's (33…)"]),
    "a quote that is a sentence": (
        "reports/2025/beta.md", "quotes: [测试口号]", "quotes: [这是一整句从报告里原样照抄的话，长度远远超过了一个关键提法应有的长度]",
        ["content/reports/2025/beta.md:31: statements[1].quotes[0]: is 34 characters long, over the limit of 30; "
         "shorten it (quote a key phrase, not a sentence)"]),
    "source that is not a web address": (
        "reports/2024/beta.md", "url: https://example.org/a_b?x=1&y=2", "url: javascript:alert(1)",
        ["content/reports/2024/beta.md:12: sources[0].url: 'javascript:alert(1)' is not an http(s) address; give "
         "the full https://… link or leave the field out"]),
    "a key typed with a full-width colon": (
        "reports/2025/beta.md", "speaker: 测试人", "speaker：测试人",
        ["content/reports/2025/beta.md:6: speaker: the key is followed by a full-width colon '：'; YAML needs an "
         "ASCII colon and a space: 'speaker: …'"]),
    "a unit of another meaning is never proposed": (
        "reports/2025/beta.md", "        unit: 亿元", "        unit: 万两",
        ["content/reports/2025/beta.md:36: statements[1].metrics[0].unit: '万两' is not allowed; use one of: "
         + ", ".join(__import__("tracker.units", fromlist=["UNITS"]).UNITS)]),
    "a misspelt unit: its spelling is proposed": (
        "reports/2025/beta.md", "        unit: 亿元", "        unit: 亿圆",
        ["content/reports/2025/beta.md:36: statements[1].metrics[0].unit: '亿圆' is not allowed; did you mean '亿元'?"]),
    "a result about the report's own year": (
        "reports/2025/beta.md", "    kind: result\n    year: 2024", "    kind: result\n    year: 2025",
        ["content/reports/2025/beta.md:17: statements[0].year: a result is about a year before the report's: 2024 "
         "for the 2025 report, not 2025 (a five-year review's results take the period's last year); is it a plan "
         "or a target?"]),
    "a count without its unit": (
        "reports/2025/beta.md", "        value: 5\n        unit: 个\n", "        value: 5\n",
        ["content/reports/2025/beta.md:50: statements[3].metrics[0].unit: 5 needs its unit as the report writes it "
         "(个 for a count, % …); only an index or a ratio (1/3, 三分之一) has none"]),
    "a space inside the quotes": (
        "reports/2025/beta.md", "speaker: 测试人", "speaker: '测试人 '",
        ["content/reports/2025/beta.md:6: speaker: '测试人' has a space at its start or end (inside the quotes); "
         "remove it: it would be published"]),
    "a source dated before the report": (
        "reports/2025/beta.md", "    date: 2025-01-21", "    date: 2025-01-02",
        ["content/reports/2025/beta.md:12: sources[0].date: 2025-01-02 is before the report was delivered "
         "(2025-01-20): a text of the report cannot be older than it; check the date"]),
    "a link to a path of the site in a body": (
        "reports/2025/beta.md", "- 第二点\n", "- 第二点\n\n见[上一年](/reports/2024/beta/)。\n",
        ["content/reports/2025/beta.md:64: body: the link to '/reports/2024/beta/' is not allowed; link to an "
         "http(s) address (a page of this site too: its full address)"]),
}


@pytest.mark.parametrize("case", MINI_CASES)
def test_rule_across_entries_is_explained(case, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    rel, old, new, expected = MINI_CASES[case]
    edit(content, rel, old, new)
    result = run_build("check", "--content", str(content))
    files = len({line.split(":")[0] for line in expected})
    assert result.stderr.splitlines() == expected + [
        f"check: {len(expected)} problem(s) in {files} file(s); fix them and run again"]
    assert result.returncode == 1


@pytest.mark.parametrize("body, message", [
    ("<script>alert(1)</script>", "HTML (<script>) is not allowed in a summary; write Markdown (**bold**, lists, "
                                  "[text](https://…))"),
    ('<img src=x onerror="alert(1)">', "HTML (<img src=x onerror=\"alert(1)\">) is not allowed in a summary; write "
                                       "Markdown (**bold**, lists, [text](https://…))"),
    ("[点我](javascript:alert(1))", "the link to 'javascript:alert(1' is not allowed; link to an http(s) address (a page of this site too: its full address)"),
    ("[图](data:text/html;base64,xx)", "the link to 'data:text/html;base64,xx' is not allowed; link to an http(s) address (a page of this site too: its full address)"),
])
def test_a_body_is_markdown_without_html_or_script_links(body, message, content_copy):
    path = content_copy / "regions" / "wuxi.md"
    path.write_text(path.read_text(encoding="utf-8") + body + "\n", encoding="utf-8")
    result = run_build("check", "--content", str(content_copy))
    assert result.stderr.splitlines() == [f"content/regions/wuxi.md:9: body: {message}",
                                          "check: 1 problem(s) in 1 file(s); fix them and run again"]


def test_a_body_may_link_to_the_web():
    from tracker.load import parse_document
    from tracker.validate import _Run, _check_body
    doc = parse_document("---\na: 1\n---\n见[来源](https://example.org/a_(b))与**加粗**，1 < 2。\n", "x.md",
                         front_matter=True, problems=[])
    run = _Run()
    assert _check_body(doc, run) and run.problems == []

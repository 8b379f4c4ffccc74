"""Broken and hostile entries, one class per folder of tests/fixtures/hostile/ (each overlaid on the made-up
mini corpus, with the exact lines the build must print in expected.txt): a clear `path:line: field: message`,
exit 1, no traceback, nothing run, site/ and content/ untouched. Markup in front-matter values is accepted
and published as text: checked in the HTML and in Chromium."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import MINI, ROOT, serving

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
CASES = sorted(p.name for p in HOSTILE.iterdir() if p.is_dir())


def fingerprint(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build(workdir: Path, *args: str) -> subprocess.CompletedProcess:
    """The real command line, run from ``workdir`` (where a payload that ran would leave its marker)."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args, "--content", str(workdir / "content"),
                           "--site", str(workdir / "site")], cwd=workdir, capture_output=True, text=True, timeout=120)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    shutil.copytree(MINI, tmp_path / "content")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("the previous build", encoding="utf-8")
    return tmp_path


def run_case(workdir: Path, expected: list[str]) -> None:
    before = fingerprint(workdir / "content"), fingerprint(workdir / "site")
    for command in ("check", "build"):
        result = build(workdir, command)
        *problems, summary = expected
        if command == "check":
            summary = summary.replace("build:", "check:").replace("nothing was built, site/ is unchanged",
                                                                  "fix them and run again")
        assert result.stderr.splitlines() == [*problems, summary], command
        assert (result.returncode, result.stdout) == (1, "")
        assert "Traceback" not in result.stderr
    assert (fingerprint(workdir / "content"), fingerprint(workdir / "site")) == before
    assert not list(workdir.rglob("HOSTILE_MARKER")) and not Path("/tmp/escaped").exists()


@pytest.mark.parametrize("case", CASES)
def test_hostile_entry_is_explained_and_changes_nothing(case, workdir):
    shutil.copytree(HOSTILE / case / "content", workdir / "content", dirs_exist_ok=True)
    run_case(workdir, (HOSTILE / case / "expected.txt").read_text(encoding="utf-8").splitlines())


def test_a_file_far_too_large_is_refused_unread(workdir):
    text = (HOSTILE / "duplicated-key" / "content" / "reports" / "2025" / "alpha.md").read_text(encoding="utf-8")
    (workdir / "content" / "reports" / "2025" / "alpha.md").write_text(text + "测试。" * 100_000, encoding="utf-8")
    run_case(workdir, ["content/reports/2025/alpha.md: the file is 879 KiB, over the limit of 512 KiB; an entry "
                       "summarizes a report, it does not copy it",
                       "build: 1 problem(s) in 1 file(s); nothing was built, site/ is unchanged"])


def test_a_byte_order_mark_and_crlf_line_ends_are_valid(workdir):
    path = workdir / "content" / "reports" / "2025" / "beta.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    result = build(workdir, "build")
    assert result.returncode == 0, result.stderr
    assert "测试人" in (workdir / "site" / "reports" / "2025" / "beta" / "index.html").read_text(encoding="utf-8")


BETA = ("content", "reports", "2025", "beta.md")
SUMMARY, INDUSTRIES = "summary: 推进测试计划。", "    industries: [chips]\n    summary: 芯片"
LINK_ADVICE = "put the file itself here (a link could make the build read any file of the machine)"


def _replace(old: str, new: str):
    def mutate(content: Path) -> None:
        path = content.joinpath(*BETA[1:])
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        path.write_text(text.replace(old, new), encoding="utf-8")
    return mutate


def _links(content: Path) -> None:
    (content / "regions" / "evil.md").symlink_to("/etc/passwd")
    (content / "reports" / "2026").symlink_to("/etc", target_is_directory=True)


# Made in code, not kept as fixture files: invisible characters and 30,000 brackets are unreadable in a diff.
GENERATED = {
    "escape-in-a-body": (_replace("- 第二点", "- 第二点\n\n文字\x1b[2J清屏"), [
        "content/reports/2025/beta.md:64: the line holds the invisible character U+001B (escape, which starts "
        "terminal commands); delete it"]),
    "right-to-left-override-in-a-value": (_replace(SUMMARY, "summary: 推进\u202e划计试测"), [
        "content/reports/2025/beta.md:43: the line holds the invisible character U+202E (right-to-left override); "
        "delete it"]),
    "escape-written-as-a-yaml-escape": (_replace(SUMMARY, 'summary: "推进\\e[31m测试"'), [
        "content/reports/2025/beta.md:43: the value holds the invisible character U+001B (escape, which starts "
        "terminal commands), written as an escape in quotes; delete it"]),
    "500-levels-of-brackets": (_replace(SUMMARY, "summary: " + "[" * 500 + "]" * 500), [
        "content/reports/2025/beta.md:43: the values nest more than 12 levels deep here; an entry needs a few "
        "(statements, their metrics): check the brackets and the indentation"]),
    "30000-levels-of-brackets": (_replace(SUMMARY, "summary: " + "[" * 30_000 + "]" * 30_000), [
        "content/reports/2025/beta.md:43: the values nest more than 12 levels deep here; an entry needs a few "
        "(statements, their metrics): check the brackets and the indentation"]),
    "value-too-long": (_replace(SUMMARY, "summary: " + "长" * 10_001), [
        "content/reports/2025/beta.md:43: the value is 10,001 characters long, over the limit of 10,000; an entry "
        "summarizes, it does not copy"]),
    "list-too-long": (_replace(INDUSTRIES, "    industries: [" + ", ".join(["chips"] * 1001) + "]\n    summary: 芯片"), [
        "content/reports/2025/beta.md:18: the list has 1,001 items, over the limit of 1,000; split the entry, or "
        "check that the list is what you meant"]),
    "symbolic-links-out-of-content": (_links, [
        f"content/regions/evil.md: is a symbolic link to something outside content/; {LINK_ADVICE}",
        f"content/reports/2026: is a symbolic link to something outside content/; {LINK_ADVICE}"]),
    "dot-dot-md": (lambda c: (c / "reports" / "2025" / "..md").write_text("x", encoding="utf-8"), [
        "content/reports/2025/..md: file name '..md' is not a slug: use lowercase ASCII letters, digits and "
        "hyphens, e.g. 'shenyang.md'"]),
}


@pytest.mark.parametrize("case", sorted(GENERATED))
def test_generated_hostile_entry_is_explained_and_changes_nothing(case, workdir):
    mutate, problems = GENERATED[case]
    mutate(workdir / "content")
    files = len({line.split(":")[0] for line in problems})
    run_case(workdir, [*problems, f"build: {len(problems)} problem(s) in {files} file(s); nothing was built, "
                                  "site/ is unchanged"])


def test_no_value_forges_a_workflow_command(workdir):
    """A value with a line break (a YAML escape) stays on the annotation's line: fork pull requests run check."""
    _replace(INDUSTRIES, '    industries: ["c%0A\\n::add-mask::s\\r::error::x"]\n    summary: 芯片')(workdir / "content")
    result = build(workdir, "check", "--format", "github")
    assert result.stdout.splitlines() == [
        "::error file=content/reports/2025/beta.md,line=18,title=statements[0].industries[0]::'c%250A\\n::add-mask::s"
        "\\r::error::x' holds a line break; a value is one line (YAML's folded style, '>', joins lines with spaces)"]
    assert result.stderr.splitlines()[0] == (
        "content/reports/2025/beta.md:18: statements[0].industries[0]: 'c%0A\\n::add-mask::s\\r::error::x' holds a "
        "line break; a value is one line (YAML's folded style, '>', joins lines with spaces)")


PAYLOADS = {
    "summary": '<script>alert(1)</script><img src=x onerror="alert(2)"> {: onclick="alert(3)"} [x](javascript:alert(4))',
    "quotes": "<b onmouseover=alert(5)>",
    "session": "<iframe src=javascript:alert(6)>",
    "speaker": "<svg/onload=alert(7)>",
    "title": '"><style>*{display:none}</style><form action=//evil>',
    "measures": "</script><script>alert(8)</script>",
}


class _Live(HTMLParser):
    """What of a page would run: event attributes, script URLs, and the text of scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []
        self._in = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on") or "alert(" in (value or "") or (value or "").strip().lower().startswith(
                    ("javascript:", "data:text")):
                self.live.append(f"<{tag} {name}={value!r}>")
        if tag in ("script", "style"):
            self._in = tag
        if tag in ("iframe", "object", "embed") or (tag == "form" and dict(attrs).get("action")):
            self.live.append(f"<{tag} {attrs}>")  # the site's own forms have no action: they never submit

    def handle_endtag(self, tag):
        self._in = None if tag == self._in else self._in

    def handle_data(self, data):
        if self._in and ("alert(" in data or "display:none" in data):
            self.live.append(f"<{self._in}>{data[:60]}")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    """The mini corpus with markup in every kind of front-matter value: valid, so built."""
    work = tmp_path_factory.mktemp("hostile-values")
    shutil.copytree(MINI, work / "content")
    path = work / "content" / "reports" / "2025" / "beta.md"
    text = path.read_text(encoding="utf-8")
    for old, new in (("summary: 推进测试计划。", f"summary: '{PAYLOADS['summary']}'"),
                     ("quotes: [测试口号]", f"quotes: ['{PAYLOADS['quotes']}']"),
                     ("session: 湖州市第一届人民代表大会第二次会议", f"session: '{PAYLOADS['session']}'"),
                     ("speaker: 测试人", f"speaker: '{PAYLOADS['speaker']}'"),
                     ("title: 测试来源 B", f"title: '{PAYLOADS['title']}'"),
                     ("measures: 规模\n", f"measures: '{PAYLOADS['measures']}'\n")):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    result = build(work, "build")
    assert result.returncode == 0, result.stderr
    return work / "site"


def test_markup_in_values_reaches_pages_as_text_only(hostile_site):
    live = {f.relative_to(hostile_site).as_posix(): parser.live for f in sorted(hostile_site.rglob("*.html"))
            if (parser := _Live()) and not parser.feed(f.read_text(encoding="utf-8")) and parser.live}
    assert live == {}
    page = (hostile_site / "reports" / "2025" / "beta" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown, as text


def test_markup_in_values_runs_nothing_in_the_browser(browser, hostile_site):
    dialogs, errors = [], []
    with serving(hostile_site) as base:
        page = browser.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        for path in ("", "reports/2025/beta/", "timeline/", "commitments/2025/", "industries/chips/", "regions/beta/"):
            page.goto(base + path)
            assert "alert(" in page.inner_text("article") or path == "regions/beta/"
        page.fill("form[data-rpt-search] input", "alert")
        page.wait_for_selector("[data-rpt-search-list] li")
        page.wait_for_timeout(300)
        page.close()
    assert dialogs == [] and errors == []

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

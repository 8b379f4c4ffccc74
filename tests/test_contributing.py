"""The contributor's path: `new` scaffolds, `check` on them, annotations for pull requests, the workflows,
pre-commit, and `serve`'s live preview (in Chromium)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run_build
from htmlpage import page
from tracker.cli import github_annotation
from tracker.problems import Problem

WUXI_2026 = """\
content/reports/2026/wuxi.md:8: session: is empty; fill it in (The congress session as written, e.g. 北京市第十六届人民代表大会第三次会议.)
content/reports/2026/wuxi.md:9: delivered: is empty; fill it in (Date the report was delivered, YYYY-MM-DD.)
content/reports/2026/wuxi.md:10: speaker: is empty; fill it in (Who delivered it, e.g. 殷勇; leave out only where no source states it.), or remove the line
content/reports/2026/wuxi.md:11: speaker_title: is empty; fill it in (Their title that day as written, e.g. 市长, 代省长.), or remove the line
content/reports/2026/wuxi.md:13: sources[0].publisher: is empty; fill it in (Who published it, e.g. 北京市人民政府 or 中国电子报.)
content/reports/2026/wuxi.md:14: sources[0].title: is empty; fill it in (Title as published.)
content/reports/2026/wuxi.md:15: sources[0].date: is empty; fill it in (Date of publication, YYYY-MM-DD, as the source or its address states it (t20250121, /2025/01/16/); leave out rather than guess.), or remove the line
content/reports/2026/wuxi.md:16: sources[0].url: is empty; fill it in (Address of the source (http or https); leave out rather than guess.), or remove the line
check: 8 problem(s) in 1 file(s); fix them and run again
"""


def test_new_report_then_check_lists_exactly_what_is_left(content_copy):
    result = run_build("new", "--region", "wuxi", "--year", "2026", "--content", str(content_copy))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("new: wrote content/reports/2026/wuxi.md;")
    text = (content_copy / "reports" / "2026" / "wuxi.md").read_text(encoding="utf-8")
    assert text.splitlines()[1].startswith("# yaml-language-server: $schema=")
    assert text.splitlines()[1].endswith("site/data/entry.schema.json")
    assert "# 无锡市 Wuxi (320200): 2026年政府工作报告" in text
    assert "无锡市第十七届人民代表大会第四次会议 (2025)" in text  # last year's session as a hint
    assert "#   wuxi-2025-11 (plan, 2025):" in text  # an open commitment to report on
    for kind in ("result", "target", "plan", "project", "fund"):
        assert f"#   kind: {kind}" in text
    check = run_build("check", "--content", str(content_copy))
    assert (check.returncode, check.stdout) == (1, "")
    assert check.stderr == WUXI_2026


def test_a_filled_in_scaffold_passes_check(content_copy):
    run_build("new", "--region", "wuxi", "--year", "2026", "--content", str(content_copy))
    path = content_copy / "reports" / "2026" / "wuxi.md"
    filled = {"session:": "session: 测试会议", "delivered:": "delivered: 2026-01-10", "speaker:": "speaker: 测试",
              "speaker_title:": "speaker_title: 市长", "  - publisher:": "  - publisher: 测试",
              "    title:": "    title: 测试", "    date:": "    date: 2026-01-11", "    url:": "    url: https://example.org/"}
    lines = [next((v for k, v in filled.items() if line.startswith(k + " ")), line)
             for line in path.read_text(encoding="utf-8").splitlines()]
    # the commented examples, uncommented, are valid statements too
    lines = [re.sub(r"^  # (  )?(- id|  \w+:|    - measures|      \w+:)", r"  \1\2", line) for line in lines]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    check = run_build("check", "--content", str(content_copy))
    # the header filled in: check now asks for a judgement on each commitment due in 2025 but the one linked
    due = [line.split("- ")[1] for line in lines if re.match(r"^  # - wuxi-2025-\d+$", line)]
    assert len(due) == 8 and check.returncode == 1
    assert [re.search(r"'(wuxi-2025-\d+)'", line)[1] for line in check.stderr.splitlines()[:-1]] == sorted(due[1:])
    # every one judged: the one the example result links, the others listed as not mentioned
    lines = [line.replace("  # - ", "  - ") if line.startswith("  # - wuxi-2025-") and line[6:] != due[0] else line
             for line in lines]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    check = run_build("check", "--content", str(content_copy))
    assert check.returncode == 0, check.stderr + path.read_text(encoding="utf-8")
    assert "check: OK: 8 reports" in check.stdout


def test_new_region_then_check(content_copy):
    result = run_build("new", "--region", "hangzhou", "--content", str(content_copy))
    assert result.returncode == 0, result.stderr
    check = run_build("check", "--content", str(content_copy))
    assert check.stderr.splitlines() == [
        "content/regions/hangzhou.md:4: code: is empty; fill it in (Six-digit administrative division code "
        "(GB/T 2260), e.g. '110000' for Beijing.)",
        "content/regions/hangzhou.md:5: name_zh: is empty; fill it in (Official Chinese name, e.g. 北京市.)",
        "content/regions/hangzhou.md:6: name_en: is empty; fill it in (English name, e.g. Beijing.)",
        "content/regions/hangzhou.md:7: level: is empty; fill it in (Administrative level.)",
        "content/regions/hangzhou.md:8: parent: is empty; fill it in (Slug of the region it belongs to (wuxi → "
        "jiangsu); none for provincial-level regions.), or remove the line",
        "check: 5 problem(s) in 1 file(s); fix them and run again"]


@pytest.mark.parametrize("args, message", [
    (["--region", "wuxii", "--year", "2026"],
     "new: there is no region 'wuxii'; did you mean 'wuxi'?; to add one, run: python3 build.py new --region wuxii"),
    (["--region", "wuxi", "--year", "2025"],
     "new: content/reports/2025/wuxi.md already exists; edit it, or add --force to start it over"),
    (["--region", "wuxi"], "new: content/regions/wuxi.md already exists; edit it, or add --force to start it over"),
    (["--region", "../x", "--year", "2026"],
     "new: '../x' is not a slug: lowercase ASCII letters, digits and hyphens, e.g. 'wuxi'"),
    (["--region", "wuxi", "--year", "26"], "new: --year 26 is not a plausible report year (1949–2100)"),
])
def test_new_refuses_clearly_and_writes_nothing(content_copy, args, message):
    before = {p: p.read_bytes() for p in content_copy.rglob("*") if p.is_file()}
    result = run_build("new", *args, "--content", str(content_copy))
    assert (result.returncode, result.stderr.strip(), result.stdout) == (1, message, "")
    assert {p: p.read_bytes() for p in content_copy.rglob("*") if p.is_file()} == before


def test_new_force_starts_over(content_copy):
    result = run_build("new", "--region", "wuxi", "--year", "2025", "--force", "--content", str(content_copy))
    assert result.returncode == 0
    assert "session:        #" in (content_copy / "reports" / "2025" / "wuxi.md").read_text(encoding="utf-8")


def test_check_annotates_problems_for_github(content_copy):
    path = content_copy / "reports" / "2025" / "wuxi.md"
    path.write_text(path.read_text(encoding="utf-8").replace("[integrated-circuits]", "[integrated-circuit]", 1),
                    encoding="utf-8")
    result = run_build("check", "--format", "github", "--content", str(content_copy))
    assert result.returncode == 1
    assert result.stdout == ("::error file=content/reports/2025/wuxi.md,line=29,title=statements[1].industries[0]"
                             "::unknown industry 'integrated-circuit'; did you mean 'integrated-circuits'?\n")


def test_annotation_escapes_what_github_would_misread():
    problem = Problem("content/a,b.md", 3, "x:y", "50% off\nnext line")
    assert github_annotation(problem) == "::error file=content/a%2Cb.md,line=3,title=x%3Ay::50%25 off\\nnext line"


def workflow(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))


def steps(flow: dict) -> list[dict]:
    return [step for job in flow["jobs"].values() for step in job.get("steps", [])]


def test_every_action_is_pinned_to_a_commit():
    for name in ("pages.yml", "pull-request.yml"):
        for step in steps(workflow(name)):
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), (name, step["uses"])


def test_pages_workflow_builds_under_the_pages_address_and_deploys():
    flow = workflow("pages.yml")
    assert flow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key `on` as True
    # write permissions only where the site is deployed
    assert flow["permissions"] == {}
    assert flow["jobs"]["build"]["permissions"] == {"contents": "read", "pages": "read"}
    assert flow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    uses = [s.get("uses", "").split("@")[0] for s in steps(flow)]
    assert {"actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"} <= set(uses)
    by_run = {s.get("run", ""): s for s in steps(flow)}
    for command in ("python build.py build", "python build.py snapshot"):  # the Pages address through the environment
        assert by_run[command]["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    assert flow["jobs"]["deploy"]["needs"] == "build"


def test_no_workflow_splices_an_expression_into_a_command():
    """${{ … }} in a run: block is pasted into the shell before it runs (a branch name can hold a command)."""
    for name in ("pages.yml", "pull-request.yml"):
        assert [s["run"] for s in steps(workflow(name)) if "${{" in s.get("run", "")] == [], name


def test_workflows_pass_zizmor():
    """The GitHub Actions security linter, offline, in its strictest persona: no finding at all."""
    zizmor = shutil.which("zizmor") or str(Path(sys.executable).parent / "zizmor")
    if not Path(zizmor).exists():
        pytest.fail("zizmor is not installed (it is in requirements.txt: pip install -r requirements.txt)")
    result = subprocess.run([zizmor, "--offline", "--persona=pedantic", "--no-progress", str(ROOT / ".github" / "workflows")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pull_request_workflow_checks_tests_and_attaches_the_site():
    flow = workflow("pull-request.yml")
    assert list(flow[True]) == ["pull_request"] and flow["permissions"] == {"contents": "read"}
    runs = [s.get("run", "") for s in steps(flow)]
    assert 'python build.py check --format github --base "origin/$BASE_REF"' in runs
    assert "bash .ci/run" in runs
    checkout = next(s for s in steps(flow) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # the base branch is there to compare with
    upload = [s for s in steps(flow) if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload and upload[0]["with"]["path"] == "site"
    assert flow["jobs"]["check"]["env"]["CI"] == "true"


def test_both_workflows_restore_the_check_cache_before_checking():
    """A check of a fresh checkout reads every file (3 s at 10,000 reports); with .cache/ from an earlier run
    of the same code it reads the changed ones only (1 s)."""
    for name in ("pages.yml", "pull-request.yml"):
        flow = steps(workflow(name))
        at = next(i for i, s in enumerate(flow) if s.get("uses", "").startswith("actions/cache@"))
        cache = flow[at]["with"]
        assert cache["path"] == ".cache" and "hashFiles('tracker/**'" in cache["key"], name
        assert cache["key"].startswith(cache["restore-keys"]), name
        first_run = next(i for i, s in enumerate(flow) if "build.py" in s.get("run", ""))
        assert at < first_run, name


def test_pre_commit_hook_runs_check_on_content_changes(content_copy):
    hook = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"][0]["hooks"][0]
    assert re.search(hook["files"], "content/reports/2025/wuxi.md") and not re.search(hook["files"], "tracker/cli.py")
    command = hook["entry"].split() + ["--content", str(content_copy)]
    assert subprocess.run([sys.executable, *command[1:]], cwd=ROOT, capture_output=True).returncode == 0
    (content_copy / "regions" / "wuxi.md").write_text("---\ncode: 1\n---\n", encoding="utf-8")
    assert subprocess.run([sys.executable, *command[1:]], cwd=ROOT, capture_output=True).returncode == 1


def test_the_guide_is_on_the_site(built_site):
    html = (built_site / "contributing" / "index.html").read_text(encoding="utf-8")
    text = page(built_site, "contributing/").text
    assert "python3 build.py new --region wuxi --year 2026" in text  # a code block inside a numbered step
    assert "sh python3" not in text and "```" not in text
    assert 'id="english"' in html and "什么算一条表述" in html


@pytest.fixture
def serving_preview(content_copy):
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--port", "0",
                                "--content", str(content_copy)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        for line in process.stdout:  # the first build's line, then the address
            if url := re.search(r"serving (http://127\.0\.0\.1:\d+/)", line):
                break
        else:
            pytest.fail("serve ended without serving: " + process.stderr.read())
        yield url.group(1), content_copy
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_reloads_on_change_and_shows_problems(browser, serving_preview):
    url, content = serving_preview
    entry = content / "reports" / "2025" / "wuxi.md"
    original = entry.read_text(encoding="utf-8")
    page = browser.new_page()
    page.goto(url + "reports/2025/wuxi/")
    assert "赵建军" in page.inner_text("article")

    entry.write_text(original.replace("speaker: 赵建军", "speaker: 赵建军（预览）"), encoding="utf-8")
    started = time.perf_counter()
    page.wait_for_function("document.querySelector('article').innerText.includes('赵建军（预览）')", timeout=15000)
    reload_s = time.perf_counter() - started

    entry.write_text(original.replace("kind: fund", "kind: funds", 1), encoding="utf-8")
    alert = page.wait_for_selector("#rpt-serve-problems", timeout=15000)
    assert ("content/reports/2025/wuxi.md:15: statements[0].kind: 'funds' is not allowed; did you mean 'fund'?"
            in alert.inner_text())
    assert "赵建军（预览）" in page.inner_text("article")  # the last good build stays

    entry.write_text(original, encoding="utf-8")
    page.wait_for_function("!document.querySelector('#rpt-serve-problems') && "
                           "!document.querySelector('article').innerText.includes('（预览）')", timeout=15000)
    page.close()
    print(f"serve: change shown in the browser after {reload_s:.1f} s")


def test_serve_on_a_port_in_use_says_so(content_copy):
    import socket
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_build("serve", "--port", str(port), "--content", str(content_copy))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"serve: cannot listen on 127.0.0.1:{port} (Address already in use); choose "
                                    "another port with --port, or --port 0 for any free one")


@pytest.mark.parametrize("args, message", [
    (["build", "--config", "/nonexistent/mkdocs.yml"],
     "build: no MkDocs configuration at /nonexistent/mkdocs.yml; run from the project root or pass --config"),
    (["snapshot", "--dist", "/proc/no-such-folder"], "snapshot: /proc/no-such-folder: No such file or directory"),
])
def test_unusable_paths_are_clear_errors(args, message):
    result = run_build(*args)
    assert (result.returncode, result.stderr.strip()) == (2, message)


def test_build_only_previews_the_pages_of_the_given_entries(tmp_path):
    site = tmp_path / "preview"
    result = run_build("build", "--only", "content/reports/2025/wuxi.md", "content/regions/wuxi.md",
                       "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("build: 2 page(s) of content/reports/2025/wuxi.md, content/regions/wuxi.md → ")
    report = (site / "reports" / "2025" / "wuxi" / "index.html").read_text(encoding="utf-8")
    assert "赵建军" in report and "政府性专项基金总规模" in report
    assert (site / "regions" / "wuxi" / "index.html").exists()
    assert not (site / "reports" / "2025" / "beijing").exists()  # the rest of the site is not built
    assert 'href="../../../timeline/"' in report  # the menus link where the whole site has the pages
    refused = run_build("build", "--only", "content/industries.yml", "--site", str(site))
    assert (refused.returncode, refused.stderr.strip()) == (2, f"build: --only takes report and region files of "
                                                               f"{ROOT / 'content'}; not all of content/industries.yml are")


def test_build_py_runs_with_a_python_that_lacks_the_packages():
    """A stock Debian's python3 has none of the packages: build.py runs itself with .venv's Python where the
    README's first command made one, and otherwise says how to make it (never an ImportError)."""
    result = subprocess.run([sys.executable, "-S", str(ROOT / "build.py"), "check"], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    if (ROOT / ".venv" / "bin" / "python").exists():
        assert result.returncode == 0 and result.stdout.startswith("check: OK"), result.stderr
    else:
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert result.stderr.splitlines() == [
            "build.py: the packages it needs are not installed. From the project's folder, run:",
            "  python3 -m venv .venv && .venv/bin/python -m pip install -r requirements.txt",
            "(on Debian or Ubuntu, where `python3 -m venv` says venv is missing: sudo apt install python3-venv)"]


def test_contributing_lists_every_unit_check_accepts():
    from tracker.units import UNITS
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    listed = guide[guide.index("可用的单位 Units："):].split("\n")[0]
    for unit in UNITS:
        assert unit in listed or (unit.startswith("万") and unit[1:] in listed), unit


def test_the_quick_start_makes_and_uses_a_virtual_environment():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("## Quick start"):].split("```sh\n")[1].split("```")[0].strip().splitlines()
    assert block == [
        "python3 -m venv .venv && .venv/bin/python -m pip install -r requirements.txt && .venv/bin/python build.py",
        ".venv/bin/python -m pip install -r requirements-test.txt && npm ci --ignore-scripts --no-audit --no-fund "
        "&& .venv/bin/python -m pytest"]
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").rstrip().endswith("\n".join(block))

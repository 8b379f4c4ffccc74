"""Statement ids are never reused: a removed id goes to content/retired.yml, `check` refuses a statement that
takes a retired id, and `check --base <revision>` refuses an id that vanished without being retired."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import MINI, run_build

FUND = """  - id: beta-2025-5
    kind: fund
    year: 2025
    industries: [drones]
    summary: 设立测试基金。
"""


@pytest.fixture
def repo(tmp_path):
    """The mini corpus in a git repository of its own, committed."""
    shutil.copytree(MINI, tmp_path / "content")
    for args in (["init", "-q"], ["add", "."], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base"]):
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)
    return tmp_path


def remove_the_fund(content):
    path = content / "reports" / "2025" / "beta.md"
    text = path.read_text(encoding="utf-8")
    assert FUND in text
    path.write_text(text.replace(FUND, ""), encoding="utf-8")


def test_a_removed_id_must_be_retired(repo):
    content = repo / "content"
    remove_the_fund(content)
    result = run_build("check", "--base", "HEAD", "--content", str(content))
    assert (result.returncode, result.stderr.splitlines()) == (1, [
        "content/reports/2025/beta.md: statements: 'beta-2025-5' was in HEAD and is gone; ids are never reused, so "
        "retire it: add '- id: beta-2025-5' with its 'reason: …' to content/retired.yml",
        "check: 1 problem(s) in 1 file(s); fix them and run again"])
    (content / "retired.yml").write_text("- id: beta-2025-5\n  reason: 测试：重复的表述\n", encoding="utf-8")
    assert run_build("check", "--base", "HEAD", "--content", str(content)).returncode == 0


def test_a_deleted_report_file_counts_too(repo):
    content = repo / "content"
    (content / "reports" / "2025" / "beta.md").unlink()
    result = run_build("check", "--base", "HEAD", "--content", str(content))
    assert result.returncode == 1
    assert sum("was in HEAD and is gone" in line for line in result.stderr.splitlines()) == 5


def test_a_retired_id_is_never_given_again(tmp_path):
    shutil.copytree(MINI, tmp_path / "content")
    (tmp_path / "content" / "retired.yml").write_text("- id: beta-2025-5\n  reason: 测试：重复的表述\n"
                                                      "- id: beta-2025-5\n  reason: again\n", encoding="utf-8")
    result = run_build("check", "--content", str(tmp_path / "content"))
    assert result.stderr.splitlines() == [
        "content/reports/2025/beta.md:53: statements[4].id: 'beta-2025-5' was retired (content/retired.yml: "
        "测试：重复的表述); ids are never reused: take the next free number",
        "content/retired.yml:3: [1].id: retired id 'beta-2025-5' is already used by content/retired.yml; each must "
        "be unique",
        "check: 2 problem(s) in 2 file(s); fix them and run again"]


def test_an_unknown_revision_is_a_clear_error(repo):
    result = run_build("check", "--base", "no-such-branch", "--content", str(repo / "content"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("check: --base no-such-branch: fatal:")

"""Shared fixtures: the project's paths, the real command line, and one real build of the shipped content."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
MINI = Path(__file__).resolve().parent / "fixtures" / "mini" / "content"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the golden files from the current output (after an intended change)")


def run_build(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """The real command line, as a contributor runs it."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped content, to break on purpose."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The shipped content built once by the real build (MkDocs included)."""
    site = tmp_path_factory.mktemp("shipped") / "site"
    result = run_build("build", "--site", str(site))
    assert result.returncode == 0, result.stderr
    return site

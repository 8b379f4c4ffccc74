"""Shared fixtures: the project's paths, the real command line, and one real build of the shipped content."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
MINI = Path(__file__).resolve().parent / "fixtures" / "mini" / "content"
SEED = Path(__file__).resolve().parent / "fixtures" / "seed" / "content"
"""The first entries, frozen (fixtures/seed/README.md): tests that expect exact lines break a copy of these."""


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the golden files from the current output (after an intended change)")


def run_build(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """The real command line, as a contributor runs it."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def unzipped_snapshot(out: Path, *args: str) -> Path:
    """`build.py snapshot` into ``out``, unzipped there: the folder a reader opens from disk."""
    result = run_build("snapshot", *args, "--dist", str(out / "dist"))
    assert result.returncode == 0, result.stderr
    [archive] = (out / "dist").glob("*.zip")
    with zipfile.ZipFile(archive) as z:
        z.extractall(out / "unzipped")
    [folder] = (out / "unzipped").iterdir()
    return folder


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the frozen seed corpus, to break on purpose (its lines never move)."""
    target = tmp_path / "content"
    shutil.copytree(SEED, target)
    return target


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The shipped content built once by the real build (MkDocs included)."""
    site = tmp_path_factory.mktemp("shipped") / "site"
    result = run_build("build", "--site", str(site))
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory) -> Path:
    """The made-up fixture corpus built for real: two years, so a target meets its result and listings
    have an older year's page."""
    site = tmp_path_factory.mktemp("mini") / "site"
    result = run_build("build", "--content", str(MINI), "--site", str(site))
    assert result.returncode == 0, result.stderr
    return site


def need(tool: str, path: Path, install: str):
    """A checker the tests run: skip where it is missing, with the reason shown; under CI, fail."""
    if not path.exists():
        reason = f"{tool} is not installed at {path} ({install})"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser). Skips where it is missing,
    except under CI, where a missing browser is a failure."""
    need("Chromium", CHROMIUM, "apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def served_site(built_site):
    """The built site over http on 127.0.0.1 (a free port); yields its base URL."""
    with serving(built_site) as url:
        yield url


@contextlib.contextmanager
def serving(folder: Path, not_found: Path | None = None):
    """``folder`` over http on 127.0.0.1 (a free port), yielding its base URL; a missing path gets
    ``not_found`` with status 404, as GitHub Pages answers with the site's 404.html."""
    handler = functools.partial(_QuietHandler, not_found, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, not_found: Path | None, *args, **kwargs):
        self.not_found = not_found
        super().__init__(*args, **kwargs)

    def send_error(self, code, message=None, explain=None):
        if code == 404 and self.not_found is not None:
            body = self.not_found.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, *args):
        pass

"""``python3 build.py serve``: a live preview for contributors.

Builds the site into a scratch folder, serves it on 127.0.0.1, and watches content/, templates/, overrides/
and mkdocs.yml. On a change it rebuilds (the real build, in a process of its own) and every open page
reloads; when the content has a problem, the pages keep the last good build and show the problems on top.
An edit of report or region files shows first on their own pages (built alone, in well under a second at
1,000 reports), then everywhere once the whole site is rebuilt.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
POLL_SECONDS = 0.3
WAIT_SECONDS = 20
ASSETS = Path(__file__).resolve().parent / "serve_assets"


class Builds:
    """The latest build's number and outcome; page scripts wait on it."""

    def __init__(self) -> None:
        self.number = 0
        self.ok = True
        self.problems = ""
        self.changed = threading.Condition()
        self.preview: dict[str, Path] = {}
        """URL path → file of a page previewed ahead of the whole site (build --only), until the site is rebuilt."""

    def publish(self, ok: bool, problems: str, preview: dict[str, Path] | None = None) -> None:
        with self.changed:
            self.number += 1
            self.ok, self.problems = ok, problems
            self.preview = preview or {}
            self.changed.notify_all()

    def wait_after(self, number: int) -> dict:
        with self.changed:
            self.changed.wait_for(lambda: self.number > number, timeout=WAIT_SECONDS)
            return {"build": self.number, "ok": self.ok, "problems": self.problems}


def serve(args) -> int:
    watched = [args.content, ROOT / "templates", ROOT / "overrides", args.config]
    with tempfile.TemporaryDirectory(prefix="rpt-serve-") as scratch:
        site = Path(scratch) / "site"
        builds = Builds()
        handler = functools.partial(_Handler, builds, site, directory=str(site))
        try:
            server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
        except OSError as e:
            print(f"serve: cannot listen on 127.0.0.1:{args.port} ({e.strerror}); choose another port with "
                  "--port, or --port 0 for any free one", file=sys.stderr)
            return 1
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        rebuild = functools.partial(_build, args, site, url, builds)
        rebuild()
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(f"serve: serving {url} (Ctrl+C to stop); watching {', '.join(_shown(p) for p in watched)}",
              flush=True)
        seen = _state(watched)
        try:
            while True:
                time.sleep(POLL_SECONDS)
                now = _state(watched)
                if now != seen:
                    changed = sorted(f for f in set(now) | set(seen) if now.get(f) != seen.get(f))
                    seen = now
                    _preview(args, changed, Path(scratch) / "preview", url, builds)
                    rebuild()
        except KeyboardInterrupt:
            print("serve: stopped")
        finally:
            server.shutdown()
            server.server_close()
    return 0


def _build(args, site: Path, url: str, builds: Builds) -> None:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--content", str(args.content),
                             "--config", str(args.config), "--site", str(site), "--site-url", url],
                            capture_output=True, text=True)
    problems = result.stderr.strip()
    if result.returncode == 0:
        print(f"serve: rebuilt in {time.perf_counter() - started:.1f} s", flush=True)
    else:
        print(f"{problems}\nserve: the pages served are still those of the last good build", file=sys.stderr,
              flush=True)
    builds.publish(result.returncode == 0, problems)


def _preview(args, changed: list[str], preview: Path, url: str, builds: Builds) -> None:
    """When only report or region files changed, their own pages first (build --only: well under a second at
    1,000 reports), so the edit shows while the whole site rebuilds; nothing when the content has a problem
    (the rebuild reports it)."""
    content = Path(args.content).resolve()
    pages = {}
    for f in map(Path, changed):
        parts = f.resolve().relative_to(content).parts if f.resolve().is_relative_to(content) else ()
        if not f.is_file() or f.suffix != ".md" or parts[:1] not in (("reports",), ("regions",)):
            return  # a template, the vocabulary, a removed file: only the whole site shows it right
        pages["/".join((*parts[:-1], f.stem, "index.html"))] = preview.joinpath(*parts[:-1], f.stem, "index.html")
    if not pages:
        return
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--content", str(args.content),
                             "--config", str(args.config), "--site", str(preview), "--site-url", url, "--only",
                             *changed], capture_output=True, text=True)
    if result.returncode == 0:
        builds.publish(True, "", preview=pages)


def _state(paths: list[Path]) -> dict[str, tuple[int, int]]:
    """Every watched file's modification time and size: cheap enough to poll (os.walk, not pathlib: 10,000
    files in ~40 ms)."""
    state = {}
    for root in paths:
        if root.is_file():
            found = [str(root)]
        else:
            found = [os.path.join(top, name) for top, _, names in os.walk(root) for name in names]
        for f in found:
            try:
                stat = os.stat(f)
            except FileNotFoundError:  # removed between listing and looking
                continue
            state[f] = (stat.st_mtime_ns, stat.st_size)
    return state


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, HTML with the reload script added, and the endpoint that script waits on."""

    def __init__(self, builds: Builds, site: Path, *args, **kwargs):
        self.builds, self.site = builds, site
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path == "/__serve/wait":
            number = int((parse_qs(parts.query).get("after") or ["-1"])[0])
            body = json.dumps(self.builds.wait_after(number), ensure_ascii=False).encode()
            return self._send(200, "application/json", body)
        if parts.path == "/__serve/livereload.js":
            return self._send(200, "text/javascript", (ASSETS / "livereload.js").read_bytes())
        file = self.translate_path(self.path)
        if Path(file).is_dir():
            file = str(Path(file) / "index.html")
        ahead = self.builds.preview.get(Path(file).relative_to(self.site).as_posix()) \
            if Path(file).is_relative_to(self.site) else None
        if ahead and ahead.is_file():  # an edited entry's page, built ahead of the site
            return self._send(200, "text/html; charset=utf-8", self._with_client(ahead))
        if not (self.site / "index.html").is_file():  # no good build yet
            return self._send(503, "text/html; charset=utf-8", self._with_client(ASSETS / "waiting.html"))
        if not file.endswith(".html") or not Path(file).is_file():
            if not Path(file).exists():  # as GitHub Pages does
                return self._send(404, "text/html; charset=utf-8", self._with_client(self.site / "404.html"))
            return super().do_GET()
        return self._send(200, "text/html; charset=utf-8", self._with_client(Path(file)))

    def _with_client(self, page: Path) -> bytes:
        tag = f'<script src="/__serve/livereload.js" data-build="{self.builds.number}"></script>'.encode()
        return page.read_bytes().replace(b"</body>", tag + b"</body>", 1)

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:  # the terminal is for builds and problems
        pass

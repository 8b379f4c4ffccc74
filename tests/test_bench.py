"""The benchmark's stage timer (bench/stages.py), which nothing else in CI runs: it must keep timing the work the
build does as the pipeline changes."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import MINI, ROOT, run_build


def test_the_stage_timer_renders_what_the_chinese_build_writes(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "stages.py"), str(MINI)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert list(figures["cpu_s"]) == ["yaml_compose", "check", "render_pages", "downloads", "search_index"]
    assert all(seconds >= 0 for seconds in figures["cpu_s"].values())

    site = tmp_path / "site"
    built = run_build("--content", str(MINI), "--language", "zh", "--no-cache", "--site", str(site))
    assert built.returncode == 0, built.stderr
    pages = [p for p in site.rglob("index.html") if p.parts[len(site.parts)] != "assets"]
    per_entry = [p for folder in ("data/cite", "feeds") for p in (site / folder).rglob("*") if p.is_file()]
    downloads = [p for p in (site / "data").iterdir() if p.is_file() and p.name != "index.html"]
    search = [p for p in (site / "search").rglob("*") if p.is_file()]
    assert figures["files"] == {"render_pages": len(pages) + len(per_entry), "downloads": len(downloads),
                                "search_index": len(search)}

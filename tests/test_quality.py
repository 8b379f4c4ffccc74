"""Valid, accessible output: the Nu Html Checker (npm vnu-jar, run with the machine's Java) and axe-core (npm,
run in Chromium) on every page, of the shipped content and of the two-year fixture corpus."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, need

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
NPM = "npm ci, from the project root"

def all_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_is_valid_html(built_site, mini_site):
    java = shutil.which("java")
    need("Java", Path(java or "/usr/bin/java"), "apt-get install -y default-jre-headless")
    need("The Nu Html Checker", VNU, NPM)
    files = all_pages(built_site) + all_pages(mini_site)
    assert len(files) > 400
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
                            capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [f"{m.get('url', '').split('/site/')[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages
              if m["type"] == "error" or m.get("subType") == "fatal"]
    assert errors == []
    print(f"Nu Html Checker: {len(files)} pages, {len(errors)} errors")


def test_no_serious_accessibility_violation_on_any_page(built_site, mini_site, browser):
    """axe-core on every page, light and dark (tests/axe_all.py, several pages at a time)."""
    need("axe-core", AXE, NPM)
    for site in (built_site, mini_site):
        result = subprocess.run([sys.executable, str(ROOT / "tests" / "axe_all.py"), str(site), str(AXE), "light",
                                 "dark"], capture_output=True, text=True, timeout=1800)
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        assert report["serious"] == [] and report["pages"] > 10
        print(f"axe-core: {report['pages']} pages × light, dark: {report['violations']} violations of any impact")

"""Valid, accessible output: the Nu Html Checker (npm vnu-jar, run with the machine's Java) and axe-core (npm,
run in Chromium) on a page of every kind, from the shipped content and from the two-year fixture corpus."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, need, serving

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
NPM = "npm ci, from the project root"
SHIPPED = ["", "reports/", "reports/2025/", "reports/2025/wuxi/", "regions/", "regions/jiangsu/", "regions/wuxi/",
           "industries/", "industries/integrated-circuits/", "timeline/", "compare/", "commitments/", "commitments/2026/",
           "data/", "contributing/", "about/", "404.html"]
MINI_PAGES = ["reports/2024/beta/", "timeline/2024/", "compare/2024/", "commitments/2025/", "industries/chips/",
              "industries/chips/2024/", "regions/alpha/"]


def html_file(site: Path, path: str) -> Path:
    return site / path if path.endswith(".html") else site / path / "index.html"


def test_every_kind_of_page_is_valid_html(built_site, mini_site):
    java = shutil.which("java")
    need("Java", Path(java or "/usr/bin/java"), "apt-get install -y default-jre-headless")
    need("The Nu Html Checker", VNU, NPM)
    files = [html_file(built_site, p) for p in SHIPPED] + [html_file(mini_site, p) for p in MINI_PAGES]
    assert all(f.exists() for f in files), [str(f) for f in files if not f.exists()]
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
                            capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [f"{m.get('url', '').split('/site/')[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages
              if m["type"] == "error" or m.get("subType") == "fatal"]
    assert errors == []
    print(f"Nu Html Checker: {len(files)} pages, {len(errors)} errors")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation(browser, built_site, mini_site, scheme):
    need("axe-core", AXE, NPM)
    found, total = [], 0
    for site, paths in ((built_site, SHIPPED), (mini_site, MINI_PAGES)):
        with serving(site) as base:
            page = browser.new_page(color_scheme=scheme)
            for path in paths:
                page.goto(base + path)
                page.add_script_tag(path=str(AXE))
                violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
                    .violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))""")
                total += len(violations)
                found += [f"{path or '/'}: {v['impact']} {v['id']} {v['nodes'][:3]}" for v in violations
                          if v["impact"] in ("serious", "critical")]
            page.close()
    assert found == []
    print(f"axe-core ({scheme}): {len(SHIPPED) + len(MINI_PAGES)} pages, {total} violations of any impact")

"""axe-core on every page of a built site, in Chromium, several pages at a time (a check of 400 pages in both
colour schemes takes minutes one by one). Prints one JSON line: pages checked, violations of any impact, and the
serious or critical ones. Usage: python3 tests/axe_all.py SITE AXE_JS SCHEME [SCHEME …]"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import CHROMIUM, CHROMIUM_ARGS, serving  # noqa: E402

AT_ONCE = 4

RUN = """async () => (await axe.run(document, {resultTypes: ['violations']}))
    .violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"""


def urls(site: Path) -> list[str]:
    """Every page of the site (redirect stubs aside), as a path from its root."""
    out = []
    for path in sorted(site.rglob("*.html")):
        if 'http-equiv="refresh"' in path.read_text(encoding="utf-8"):
            continue
        rel = path.relative_to(site).as_posix()
        out.append(rel[:-len("index.html")] if rel.endswith("index.html") else rel)
    return out


async def check(site: Path, axe: Path, schemes: list[str]) -> dict:
    from playwright.async_api import async_playwright

    paths = urls(site)
    found, total = [], 0
    with serving(site) as base:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for scheme in schemes:
                queue = list(paths)

                async def worker():
                    nonlocal total
                    page = await browser.new_page(color_scheme=scheme)
                    while queue:
                        path = queue.pop()
                        await page.goto(base + path)
                        await page.add_script_tag(path=str(axe))
                        violations = await page.evaluate(RUN)
                        total += len(violations)
                        found.extend(f"{scheme} {path or '/'}: {v['impact']} {v['id']} {v['nodes'][:3]}"
                                     for v in violations if v["impact"] in ("serious", "critical"))
                    await page.close()

                await asyncio.gather(*(worker() for _ in range(AT_ONCE)))
            await browser.close()
    return {"pages": len(paths), "schemes": schemes, "violations": total, "serious": sorted(found)}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(check(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:])), ensure_ascii=False))

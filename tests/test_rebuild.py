"""A build after an edit to reports renders only the pages the edit touches (tracker/rebuild.py) and must give the
very site a full build gives: edits of every kind a report takes, each followed by both builds, compared file by
file."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from conftest import CONTENT, ROOT, run_build
from tracker import rebuild
from tracker.cache import check_content
from tracker.routes import ROUTES


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def assert_same_site(incremental: Path, full: Path) -> None:
    first, second = tree(incremental), tree(full)
    assert sorted(first) == sorted(second)
    assert [path for path in first if first[path] != second[path]] == []


def _edit(path: Path, pattern: str, change, rng: random.Random) -> None:
    """Change one of the lines matching ``pattern`` (chosen by ``rng``) with ``change(match)``."""
    text = path.read_text(encoding="utf-8")
    found = list(re.finditer(pattern, text, re.M))
    assert found, f"{path.name}: nothing matches {pattern}"
    m = rng.choice(found)
    path.write_text(text[:m.start()] + change(m) + text[m.end():], encoding="utf-8")


def _swap_industries(path: Path, rng: random.Random) -> None:
    """Two statements of the report exchange their industries: every industry stays named by the report (the
    site keeps its pages), but what each industry's pages list changes."""
    text = path.read_text(encoding="utf-8")
    found = list(re.finditer(r"^    industries: \[.*\]$", text, re.M))
    pairs = [(a, b) for a in found for b in found if a.start() < b.start() and a.group() != b.group()]
    a, b = rng.choice(pairs)
    path.write_text(text[:a.start()] + b.group() + text[a.end():b.start()] + a.group() + text[b.end():],
                    encoding="utf-8")


def _appended(words: str):
    """A one-line YAML value with words added at its end, inside its quotes if it has any."""
    def change(m: re.Match) -> str:
        line = m.group()
        return line[:-1] + words + line[-1] if line.endswith(("'", '"')) else line + words
    return change


EDITS = {
    "summary": lambda path, rng: _edit(path, r"^    summary: [^|>].*$", _appended("（校订）"), rng),
    "summary_en": lambda path, rng: _edit(path, r"^    summary_en: [^|>].*$", _appended(" (revised)"), rng),
    "figure": lambda path, rng: _edit(path, r"^        value: (\d+)$",
                                      lambda m: f"        value: {int(m.group(1)) + 1}", rng),
    "industries": _swap_industries,
    "body": lambda path, rng: path.write_text(path.read_text(encoding="utf-8") + "\n（校订补记）\n", encoding="utf-8"),
    "speaker": lambda path, rng: _edit(path, r"^speaker: (.+)$", lambda m: m.group() + "同", rng),
}


@pytest.mark.parametrize("seed", [1, 2])
def test_an_edited_report_rebuilds_to_the_full_builds_site(tmp_path, seed):
    rng = random.Random(seed)
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    site, full = tmp_path / "site", tmp_path / "full"
    result = run_build("build", "--content", str(content), "--site", str(site))
    assert result.returncode == 0, result.stderr
    reports = sorted(content.glob("reports/*/*.md"))
    for kind, edit in EDITS.items():
        report = rng.choice(reports)
        edit(report, rng)
        result = run_build("build", "--content", str(content), "--site", str(site))
        assert result.returncode == 0, result.stderr
        assert "changed by 1 edited report" in result.stdout, (kind, result.stdout)
        shutil.rmtree(full, ignore_errors=True)
        result = run_build("build", "--content", str(content), "--site", str(full), "--no-cache")
        assert result.returncode == 0, result.stderr
        assert_same_site(site, full), (kind, report)


def test_an_edit_of_prose_alone_leaves_the_pages_without_prose_unrendered():
    """What the edit of a summary renders, against an edit of a target's summary and of a figure of the same report
    (its shape changed): the listings, the matrix, the feeds, the other report's page and citations and the
    newest commitments page (which counts every year) show no prose; the calendar shows the targets' summaries,
    the page of a report silent on a statement its summary."""
    corpus = check_content(CONTENT, None)
    before = rebuild.report_facts(corpus)
    edited, other = (corpus.report_at[f"content/reports/{year}/wuxi.md"] for year in (2026, 2025))
    facts = before[edited.path]
    prose = rebuild.touched(corpus, [edited], before)
    target = rebuild.touched(corpus, [edited], {**before, edited.path: (*facts[:5], b"")})
    figure = rebuild.touched(corpus, [edited], {**before, edited.path: (*facts[:4], b"", facts[5])})
    assert prose.prose_only and target.prose_only and not figure.prose_only
    newest_commitments = {"year": 1999, "years": (1999, 2025)}  # a year no statement of the report is about
    for route, context in (("home", {}), ("regions", {}), ("feed_all", {}), ("compare", {"year": 2026}),
                           ("commitments", newest_commitments)):
        assert figure.selects(route, "", context) and not prose.selects(route, "", context), route
    for route, context in (("timeline", {"year": 2026}), ("commitments", {"year": 2026, "years": (2025, 2026)})):
        assert prose.selects(route, "", context) and figure.selects(route, "", context), route
    assert not prose.selects("calendar", "", {}) and target.selects("calendar", "", {})
    assert figure.selects("calendar", "", {}) and not target.selects("home", "", {})
    own = [ROUTES[route].path(edited) for route in ("report", "cite_json", "cite_bib")]
    theirs = [ROUTES[route].path(other) for route in ("cite_json", "cite_bib")]
    feeds = [ROUTES["feed_region"].path(corpus.region["wuxi"]), ROUTES["reports_year"].path(2026)]
    assert set(own) <= prose.paths and ROUTES["report"].path(other) in figure.paths
    assert {*own, *theirs, *feeds} <= figure.paths and not {*theirs, *feeds} & prose.paths
    # The 2026 report's page lists the statements of 2025 it is silent on, each with its summary.
    quoted = rebuild.touched(corpus, [other], before)
    assert set(other.statements) & {corpus.statement[i][1] for i in edited.silent_on}
    assert ROUTES["report"].path(edited) in quoted.paths and ROUTES["report"].path(other) not in prose.paths


def test_what_is_not_a_report_edit_builds_everything(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    site = tmp_path / "site"
    assert run_build("build", "--content", str(content), "--site", str(site)).returncode == 0
    unchanged = run_build("build", "--content", str(content), "--site", str(site))
    assert unchanged.returncode == 0 and "is up to date" in unchanged.stdout
    region = content / "regions" / "wuxi.md"
    region.write_text(region.read_text(encoding="utf-8").replace("\n---\n", "\n---\n\n", 1), encoding="utf-8")
    result = run_build("build", "--content", str(content), "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert "edited report" not in result.stdout and " pages from " in result.stdout


def test_the_last_build_kept_in_the_cache_serves_when_the_site_is_gone(tmp_path):
    """CI keeps .cache/ and starts with no site/: an edit is built from the last build's own copy."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    site, full = tmp_path / "site", tmp_path / "full"
    assert run_build("build", "--content", str(content), "--site", str(site)).returncode == 0
    built = tree(site)
    shutil.rmtree(site)
    result = run_build("build", "--content", str(content), "--site", str(site))
    assert result.returncode == 0 and "is up to date" in result.stdout
    assert tree(site) == built
    shutil.rmtree(site)
    EDITS["summary"](content / "reports" / "2025" / "wuxi.md", random.Random(0))
    result = run_build("build", "--content", str(content), "--site", str(site))
    assert result.returncode == 0 and "changed by 1 edited report" in result.stdout, result.stdout
    assert run_build("build", "--content", str(content), "--site", str(full), "--no-cache").returncode == 0
    assert_same_site(site, full)


def test_the_build_inputs_besides_the_content_are_all_in_its_hash(tmp_path):
    from tracker.rebuild import inputs_hash
    root = tmp_path / "root"
    for name in ("tracker", "templates", "overrides"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "CONTRIBUTING.md", root)
    config = root / "mkdocs.yml"
    shutil.copy(ROOT / "mkdocs.yml", config)
    before = inputs_hash(root, config, ("zh",))
    assert inputs_hash(root, config, ("zh",)) == before
    assert inputs_hash(root, config, ("zh", "en")) != before
    for changed in (root / "templates" / "report.md.j2", root / "tracker" / "search.py", config,
                    root / "overrides" / "main.html", root / "CONTRIBUTING.md"):
        original = changed.read_bytes()
        changed.write_bytes(original + b"\n")
        assert inputs_hash(root, config, ("zh",)) != before, changed
        changed.write_bytes(original)


def test_a_build_under_way_keeps_its_folder_when_another_prunes_the_cache(tmp_path):
    """Each site folder has its kept build in .cache/build/; a build prunes the oldest beyond Store.KEPT. A build
    under way (its state forgotten, its site not yet kept) is the newest, not the oldest."""
    import os
    import time

    from tracker import rebuild

    cache, built = tmp_path / "cache", tmp_path / "built"
    (built / "index.html").parent.mkdir(parents=True)
    (built / "index.html").write_text("a site", encoding="utf-8")
    stores = [rebuild.Store(cache, tmp_path / f"site{n}") for n in range(rebuild.Store.KEPT + 1)]
    state = rebuild.State("inputs", {}, {}, frozenset(), (), {}, None, {}, (), None)
    for n, store in enumerate(stores[:-1]):
        store.keep(built, state)
        os.utime(store.folder, (time.time() - 100 + n,) * 2)  # kept in turn, the first the oldest
    stores[0].forget()  # the oldest starts a build again
    stores[-1].keep(built, state)  # a build beside it prunes
    assert stores[0].folder.is_dir() and not stores[1].folder.is_dir()
    assert all(store.folder.is_dir() for store in stores[2:])


def test_a_held_folder_is_never_pruned_however_old(tmp_path):
    """A build holds its folder (Store.hold, a lock let go when the process ends): pruning passes it by even when it
    is the oldest by time (a long full build beside many short ones), and takes it once the build is over."""
    import os
    import time

    from tracker import rebuild

    cache, built = tmp_path / "cache", tmp_path / "built"
    (built / "index.html").parent.mkdir(parents=True)
    (built / "index.html").write_text("a site", encoding="utf-8")
    stores = [rebuild.Store(cache, tmp_path / f"site{n}") for n in range(rebuild.Store.KEPT + 2)]
    state = rebuild.State("inputs", {}, {}, frozenset(), (), {}, None, {}, (), None)
    stores[0].hold()  # a build under way, for longer than all the others take
    for n, store in enumerate(stores[:rebuild.Store.KEPT]):
        store.keep(built, state)
        os.utime(store.folder, (time.time() - 100 + n,) * 2)
    stores[rebuild.Store.KEPT].keep(built, state)  # one build too many: the oldest is held, so none goes
    assert all(store.folder.is_dir() for store in stores[:rebuild.Store.KEPT + 1])
    stores[0]._hold.close()  # that build is over
    stores[rebuild.Store.KEPT + 1].keep(built, state)
    assert not stores[0].folder.is_dir() and not stores[1].folder.is_dir()
    assert all(store.folder.is_dir() for store in stores[2:])

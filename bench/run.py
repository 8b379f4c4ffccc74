"""Benchmark: check, build, a bare MkDocs build of the same pages, page and index sizes, search speed.

    python bench/run.py --reports 10000

Generates a synthetic corpus (bench/corpus.py: seeded, in a temporary folder, never in content/),
then measures, on this machine and in this run:
  check_s          python3 build.py check after one report is edited: what a contributor runs (the other
                   files' results come from the check cache); check_cold_s the first check of the corpus
                   (a fresh clone: every file read and checked), check_warm_s one with nothing changed
  build_s          python3 build.py (load, validate, render, search index, MkDocs), from scratch: the
                   whole bilingual site; peak_rss_mb the most memory its processes held at once, all
                   together (build.py and MkDocs run side by side), peak_rss_largest_process_mb the most
                   one of them held; peak_pss_mb the most all held at once with each page they share
                   (a forked process shares its parent's) counted once, split among its holders (PSS),
                   where peak_rss_mb counts it in each
  build_zh_s       python3 build.py --language zh: the Chinese site alone; bilingual_ratio is
                   build_s / build_zh_s, what the English edition costs (target <= 2.0)
  mkdocs_only_s    MkDocs alone, in one process (RPT_MKDOCS_JOBS=1), on the very pages the Chinese build
                   generated (the baseline); overhead_ratio is build_zh_s / mkdocs_only_s; mkdocs_parallel_s
                   the same MkDocs with the pages rendered into the theme on every core, as the build does
                   (mkdocs_hooks._theme_on_every_core; parallel_ratio is it / mkdocs_only_s). Builds and
                   baselines alternate --repeat times (default 3): the times are medians, the ratios the
                   medians of the runs' ratios
  build_zh_cpu_s   the CPU time (user and system, every process) of the Chinese build, and mkdocs_only_cpu_s
                   of the baseline; overhead_floor_ratio is build_zh_cpu_s / cores / mkdocs_only_s, the least
                   overhead_ratio that CPU time allows on this machine's cores (all kept busy to the end)
  stage_cpu_s      the CPU time of the Chinese build's own stages, each run alone with nothing written
                   (bench/stages.py): the first check (and, within it, yaml_compose, PyYAML's share), the pages
                   through the templates, the downloads, the search index; own_cpu_s their sum.
                   own_cpu_budget_s is what they may take for overhead_ratio <= 0.65:
                   0.65 * mkdocs_only_s * cores - mkdocs_only_cpu_s (every core busy to the end, MkDocs doing the
                   baseline's work); check_cold_floor_s is the first check's CPU time over the cores, the least
                   check_cold_s it allows
  site_mb, report_page_kb (median HTML of a report page), search_index_mb (all index files) and
  search_query_kb (what the median query loads)
  rebuild_one_s    python3 build.py after an edit of one report's summary, with the previous build's state
                   (.cache/build/): the pages the edit touches rendered and built, the rest kept; the
                   median of three such edits, each of another report, one after the other
                   (rebuild_one_runs_s); rebuild_identical whether the site after them is, file for file,
                   what a full build gives (rebuild_full_s, --no-cache)
  serve_change_s   with --serve: from saving an edit to one report to its page showing it in `serve`
                   (serve_site_s: to the whole site rebuilt)
  search_first_result_ms   in Chromium: from typing a query to its first result (median of the queries
                   below, each on a fresh page, over http on 127.0.0.1; and from the unzipped snapshot
                   with --offline); _max the slowest query
Prints a summary, then one JSON line last.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import http.server
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import generate  # noqa: E402
from tracker import forked  # noqa: E402

QUERIES = ["集成电路", "电路", "低空经济", "人工智能", "高新区", "产业集群", "江河", "integrated circuits"]
CHROMIUM = "/usr/bin/chromium"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--offline", action="store_true", help="also build the snapshot and time search from disk")
    parser.add_argument("--keep", type=Path, help="keep the corpus and the site in this folder")
    parser.add_argument("--repeat", type=int, default=3,
                        help="builds and baselines, alternated; the figures are their medians (default 3)")
    parser.add_argument("--serve", action="store_true",
                        help="also time `serve`: from saving an edited report to its page showing the edit "
                             "(serve_change_s), and to the whole site rebuilt (serve_site_s)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="rpt-bench-")) if not args.keep else args.keep
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {"reports": args.reports}
    try:
        step(f"generating {args.reports} synthetic reports (seed {args.seed})")
        content = generate(work / "content", args.reports, seed=args.seed)

        build_py = [sys.executable, str(ROOT / "build.py")]
        step("check, first run (no cache yet: every file read and checked)")
        results["check_cold_s"] = timed([*build_py, "check", "--content", str(content)]).wall
        step("check after an edit of one report (the others' results come from the cache)")
        reports = sorted((content / "reports").rglob("*.md"))
        edited = reports[len(reports) // 2]
        edited.write_text(edited.read_text(encoding="utf-8") + "\n（基准测试的修改 benchmark edit）\n", encoding="utf-8")
        results["check_s"] = timed([*build_py, "check", "--content", str(content)]).wall
        step("check again (nothing changed)")
        results["check_warm_s"] = timed([*build_py, "check", "--content", str(content)]).wall

        step("the docs folder that the build hands MkDocs, for the baseline")
        docs = work / "docs"
        write_generated_docs(content, docs)
        site = work / "site"
        builds, chinese_builds, baselines, parallel, memory = [], [], [], [], []
        chinese_cpu, baseline_cpu = [], []
        mkdocs_only = [sys.executable, str(Path(__file__).with_name("mkdocs_only.py")), str(docs),
                       str(work / "site-mkdocs-only")]
        for run in range(1, args.repeat + 1):
            # Alternated, each from scratch: a slow spell of the machine weighs on all alike.
            step(f"full build, Chinese alone ({run} of {args.repeat})")
            shutil.rmtree(work / "site-zh", ignore_errors=True)
            chinese = timed([*build_py, "--content", str(content), "--site", str(work / "site-zh"), "--language", "zh"])
            chinese_builds.append(chinese.wall)
            chinese_cpu.append(chinese.cpu)
            step(f"full build, both languages ({run} of {args.repeat})")
            shutil.rmtree(site, ignore_errors=True)
            build = timed([*build_py, "--content", str(content), "--site", str(site)])
            builds.append(build.wall)
            memory.append(build)
            step(f"bare MkDocs build of the same generated pages, the baseline ({run} of {args.repeat})")
            shutil.rmtree(work / "site-mkdocs-only", ignore_errors=True)
            baseline = timed(mkdocs_only, {"RPT_MKDOCS_JOBS": "1"})
            baselines.append(baseline.wall)
            baseline_cpu.append(baseline.cpu)
            step(f"the same MkDocs build, the theme rendered on every core ({run} of {args.repeat})")
            shutil.rmtree(work / "site-mkdocs-only", ignore_errors=True)
            parallel.append(timed(mkdocs_only).wall)
        results["build_s"] = round(statistics.median(builds), 2)
        results["build_zh_s"] = round(statistics.median(chinese_builds), 2)
        results["bilingual_ratio"] = round(statistics.median(b / z for b, z in zip(builds, chinese_builds)), 3)
        results["mkdocs_only_s"] = round(statistics.median(baselines), 2)
        results["overhead_ratio"] = round(statistics.median(z / m for z, m in zip(chinese_builds, baselines)), 3)
        results["mkdocs_parallel_s"] = round(statistics.median(parallel), 2)
        results["parallel_ratio"] = round(statistics.median(p / m for p, m in zip(parallel, baselines)), 3)
        results["build_runs_s"], results["build_zh_runs_s"] = builds, chinese_builds
        results["mkdocs_only_runs_s"], results["mkdocs_parallel_runs_s"] = baselines, parallel
        results["build_zh_cpu_s"] = round(statistics.median(chinese_cpu), 2)
        results["mkdocs_only_cpu_s"] = round(statistics.median(baseline_cpu), 2)
        results["cores"] = cores = forked.cores()
        results["overhead_floor_ratio"] = round(statistics.median(
            c / cores / m for c, m in zip(chinese_cpu, baselines)), 3)
        shutil.rmtree(work / "site-zh", ignore_errors=True)
        step("the CPU time of the build's own stages, each alone")
        stages = json.loads(subprocess.run([sys.executable, str(Path(__file__).with_name("stages.py")), str(content)],
                                           check=True, capture_output=True, text=True).stdout)["cpu_s"]
        results["stage_cpu_s"] = stages
        results["own_cpu_s"] = round(sum(t for stage, t in stages.items() if stage != "yaml_compose"), 2)
        results["own_cpu_budget_s"] = round(0.65 * results["mkdocs_only_s"] * cores - results["mkdocs_only_cpu_s"], 2)
        results["check_cold_floor_s"] = round(stages["check"] / cores, 2)
        results["peak_rss_mb"] = max(b.peak_total_mb for b in memory)
        results["peak_rss_largest_process_mb"] = max(b.peak_largest_mb for b in memory)
        results["peak_pss_mb"] = max(b.peak_pss_mb for b in memory)

        step("a build after an edit of one report (the pages it touches only), then a full build to compare")
        rebuilt = [reports[len(reports) * k // 8] for k in (1, 3, 5)]  # far apart: other years, other regions
        rebuild_one_report(build_py, content, site, work / "site-full", rebuilt, results)

        results["site_mb"] = round(folder_size(site) / 2**20, 1)
        report_pages = sorted(p.stat().st_size for p in (site / "reports").glob("*/*/index.html"))
        results["report_page_kb"] = round(statistics.median(report_pages) / 1024, 1)
        results["search_index_mb"] = round(folder_size(site / "search") / 2**20, 1)

        step("search in Chromium over http")
        if Path(CHROMIUM).exists():
            times, loaded = search_times(site, over_http=True)
            results["search_first_result_ms"] = round(statistics.median(times))
            results["search_first_result_ms_max"] = round(max(times))
            results["search_query_kb"] = round(statistics.median(loaded) / 1024)
            if args.offline:
                step("snapshot, and search from disk")
                dist = work / "dist"
                subprocess.run([sys.executable, str(ROOT / "build.py"), "snapshot", "--content", str(content),
                                "--dist", str(dist)], check=True, capture_output=True)
                unzipped = work / "unzipped"
                with zipfile.ZipFile(next(dist.glob("*.zip"))) as z:
                    z.extractall(unzipped)
                times, _ = search_times(next(unzipped.iterdir()), over_http=False)
                results["search_first_result_ms_offline"] = round(statistics.median(times))
                results["search_first_result_ms_offline_max"] = round(max(times))
        else:
            print(f"  skipped: no Chromium at {CHROMIUM}")
        if args.serve:
            step("serve: an edit of one report, until the browser would see it")
            results["serve_change_s"], results["serve_site_s"] = serve_times(content)
        results["versions"] = {"python": platform.python_version(),
                               **{p: metadata.version(p) for p in ("mkdocs", "mkdocs-material", "jinja2", "markdown",
                                                                    "pyyaml")}}
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print()
    for key, value in results.items():
        if key != "versions":
            print(f"  {key:32} {value}")
    print(json.dumps(results, ensure_ascii=False))
    return 0


def rebuild_one_report(build_py: list[str], content: Path, site: Path, full: Path, edited: list[Path],
                       results: dict) -> None:
    """rebuild_one_s: ``site`` built again after an edit of one report's summary, from the command to the site
    swapped in, for each of the ``edited`` reports in turn (the median; rebuild_one_runs_s each: the same edit's
    time moves by seconds from one run to the next on a shared machine); rebuild_identical: whether
    the site after the last is, file for file, the site a full build of the same content (--no-cache, into
    ``full``) gives; rebuild_full_s that full build."""
    runs = []
    for report in edited:
        text = report.read_text(encoding="utf-8")
        at = text.index("\n    summary: ") + len("\n    summary: ")
        report.write_text(text[:at] + "（基准修订）" + text[at:], encoding="utf-8")
        started = time.perf_counter()
        run = subprocess.run([*build_py, "--content", str(content), "--site", str(site)], capture_output=True,
                             text=True)
        runs.append(round(time.perf_counter() - started, 2))
        if run.returncode or "changed by 1 edited report" not in run.stdout:
            raise SystemExit(f"the build after an edit did not rebuild only what it touched:\n{run.stdout}{run.stderr}")
    results["rebuild_one_s"] = round(statistics.median(runs), 2)
    results["rebuild_one_runs_s"] = runs
    shutil.rmtree(full, ignore_errors=True)
    results["rebuild_full_s"] = timed([*build_py, "--content", str(content), "--site", str(full), "--no-cache"]).wall
    results["rebuild_identical"] = same_files(site, full)
    shutil.rmtree(full, ignore_errors=True)


def same_files(first: Path, second: Path) -> bool:
    """The two folders hold the same files with the same bytes."""
    listed = [sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
              for folder in (first, second)]
    if listed[0] != listed[1]:
        return False
    return all((first / path).read_bytes() == (second / path).read_bytes() for path in listed[0])


def step(what: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {what}", file=sys.stderr, flush=True)


@dataclasses.dataclass
class Run:
    wall: float
    """Seconds from start to exit."""
    peak_total_mb: int
    """The most memory (MiB) its processes held at once, all together: build.py and MkDocs run side by side."""
    peak_largest_mb: int
    """The most any one of its processes held."""
    peak_pss_mb: int
    """The most its processes held at once with shared pages counted once (0 where there is no /proc)."""
    cpu: float
    """Seconds of CPU, user and system, of the process and every process it waited for."""


PSS_EVERY = 50
"""Samples of resident memory for each of proportional memory: the kernel walks a process's every page to count
its share (14 ms for a process of 600 MB), which would take a core's tenth from the build at every sample."""


def timed(command: list[str], env: dict[str, str] | None = None) -> Run:
    """Run a command (with ``env`` added to the environment); its wall time, and its resident memory sampled every
    20 ms (the sum over the process and its children, from /proc) and its proportional memory every second, or
    the largest process's peak where there is no /proc."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env={**os.environ, **env} if env else None)
    total = largest = proportional = samples = 0
    while process.poll() is None:
        tree = _tree(process.pid)
        sizes = [size for size in map(_rss, tree) if size is not None]
        total, largest = max(total, sum(sizes)), max(largest, max(sizes, default=0))
        if samples % PSS_EVERY == 0:
            proportional = max(proportional, sum(size for size in map(_pss, tree) if size is not None))
        samples += 1
        time.sleep(0.02)
    wall = round(time.perf_counter() - started, 2)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = round(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, 2)
    stderr = process.stderr.read().decode("utf-8", "replace")
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr}")
    if not total:  # no /proc: the peak of the largest process, as the kernel kept it
        total = largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return Run(wall, round(total / 2**20), round(largest / 2**20), round(proportional / 2**20), cpu)


def _tree(pid: int) -> list[int]:
    """A process and its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    parent = int(f.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    tree, todo = [], [pid]
    while todo:
        tree.append(current := todo.pop())
        todo.extend(children.get(current, ()))
    return tree


def _rss(pid: int) -> int | None:
    """Resident bytes of a process (None once it is gone)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return None


def _pss(pid: int) -> int | None:
    """Proportional bytes of a process: its own pages, and its share of each page it shares (None once gone)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            line = next(line for line in f if line.startswith(b"Pss:"))
        return int(line.split()[1]) * 1024
    except (OSError, StopIteration, IndexError, ValueError):
        return None


def write_generated_docs(content: Path, docs: Path) -> None:
    """The docs folder that build.py hands to MkDocs, written without building it."""
    from tracker import search, site
    from tracker.i18n import LANGUAGES
    from tracker.load import load_content
    from tracker.render import guide_pages, render, url_for
    from tracker.validate import validate
    corpus = validate(load_content(content))
    site.write_pages(render(corpus, languages=LANGUAGES[:1]), docs)
    site.write_pages(guide_pages(LANGUAGES[:1]), docs)
    site.write_pages(search.index_files(corpus, url_for), docs)
    shutil.copytree(site.ASSETS, docs / "assets")


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def serve_times(content: Path) -> tuple[float, float]:
    """`python3 build.py serve` on the corpus: seconds from saving an edit to one report until the server
    announces its page with the edit (what an open browser reloads to), then until the whole site is rebuilt."""
    import socket
    import urllib.request
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--content", str(content),
                               "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        for line in server.stdout:  # the first build, then "serving …"
            if line.startswith("serve: serving"):
                break

        def wait_after(n: int) -> int:
            with urllib.request.urlopen(f"{base}__serve/wait?after={n}", timeout=600) as r:
                return json.load(r)["build"]

        entry = sorted((content / "reports").rglob("*.md"))[0]
        page = f"{base}{entry.parent.relative_to(content).as_posix()}/{entry.stem}/"
        build = wait_after(-1)
        text = entry.read_text(encoding="utf-8")
        started = time.perf_counter()
        entry.write_text(text.rstrip("\n") + "\n\n（基准测试的修改 benchmark edit）\n", encoding="utf-8")
        while True:
            build = wait_after(build)
            with urllib.request.urlopen(page) as r:
                if "benchmark edit" in r.read().decode("utf-8"):
                    break
        change = time.perf_counter() - started
        while build < 3:  # the preview, then the whole site
            build = wait_after(build)
        return round(change, 2), round(time.perf_counter() - started, 2)
    finally:
        server.terminate()
        server.wait()


def search_times(site: Path, over_http: bool) -> tuple[list[float], list[int]]:
    """Per query, on a fresh page: ms from typing to the first result, and bytes of index loaded."""
    from playwright.sync_api import sync_playwright
    server = None
    if over_http:
        handler = functools.partial(_Quiet, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/index.html"
    else:
        base = (site / "index.html").as_uri()
    times, loaded = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu",
                                    "--disable-background-networking", "--disable-component-update"])
        for query in QUERIES:
            page = browser.new_page()
            page.goto(base)
            page.wait_for_load_state("load")
            index_bytes = []
            page.on("requestfinished", lambda r, sink=index_bytes: "/search/" in r.url and sink.append(
                (r.sizes() or {}).get("responseBodySize", 0)))
            times.append(page.evaluate(_TYPE_AND_WAIT, query))
            if over_http:
                loaded.append(sum(index_bytes))
            page.close()
        browser.close()
    if server:
        server.shutdown()
    return times, loaded or [0]


# Measured inside the page: from the input event to the first result in the list (search.js shows each result as
# its doc arrives, and fires rpt-search-first-result with the first); then, before the page closes, the rest
# (rpt-search-results), so that every file the query loads is counted.
_TYPE_AND_WAIT = """async (query) => {
  const input = document.querySelector("form[data-rpt-search] input");
  const when = name => new Promise(resolve => document.addEventListener(name, event => {
    if (event.detail.query === query) resolve(performance.now());
  }));
  const first = when("rpt-search-first-result"), all = when("rpt-search-results");
  const started = performance.now();
  input.value = query;
  input.dispatchEvent(new Event("input", {bubbles: true}));
  const shown = await first;
  await all;
  return shown - started;
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


if __name__ == "__main__":
    sys.exit(main())

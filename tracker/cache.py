"""Load and check the content, reusing what an earlier run found for every file whose bytes have not changed.

At 10,000 reports, reading and checking each file takes 3.5 s of CPU (on two cores, 2 s); the rules across
files take a quarter of a second. Each file's own result (tracker.validate.FileCheck: its entry or its
problems, its references) depends only on its bytes and on this code, so it is kept in a cache file keyed by
both, outside content/. The rules across files run every time. A missing, stale or unreadable cache only costs time.
"""

from __future__ import annotations

import functools
import hashlib
import multiprocessing
import os
import pickle
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from . import forked
from .load import Document, list_content, load_file
from .model import Corpus
from .problems import Problem
from .validate import FileCheck, check_file, combine

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / ".cache"
_CODE = ("cache.py", "load.py", "validate.py", "model.py", "units.py", "quantities.py", "markup.py", "problems.py",
         "status.py")
"""The modules a file's result depends on: any change to them starts the cache afresh."""


def check_content(content_dir: Path, cache_dir: Path | None = CACHE_DIR, digests: dict[str, bytes] | None = None
                  ) -> Corpus:
    """The corpus, or ContentError with every problem; ``cache_dir`` None checks every file afresh. ``digests``
    gets the hash of each region and report file, by its path as shown (rebuild.content_hashes: read once)."""
    listing = list_content(content_dir)
    cache = _Cache(cache_dir, content_dir) if cache_dir else None
    files = [(path, shown, "region") for path, shown in listing.regions] + \
            [(path, shown, "report") for path, shown in listing.reports]
    raws = [path.read_bytes() for path, _, _ in files]
    keys = [hashlib.blake2b(raw, digest_size=16).digest() for raw in raws] if cache or digests is not None \
        else [b""] * len(files)
    if digests is not None:
        digests.update((shown, key) for (_, shown, _), key in zip(files, keys))
    results: list[FileCheck | None] = [cache.get(shown, key) if cache else None
                                       for (_, shown, _), key in zip(files, keys)]
    missing = [i for i, r in enumerate(results) if r is None]
    for i, (result, pickled) in zip(missing, _check_files([(*files[i], raws[i]) for i in missing])):
        results[i] = result
        if cache:
            cache.put(files[i][1], keys[i], pickled)
    regions, reports = results[:len(listing.regions)], results[len(listing.regions):]
    problems = list(listing.problems)
    vocabulary = load_file(*listing.vocabulary, front_matter=False, problems=problems) if listing.vocabulary else None
    retired = load_file(*listing.retired, front_matter=False, problems=problems) if listing.retired else None
    if cache:
        cache.save()
    return combine(vocabulary, regions, reports, problems, retired, functools.partial(_reread, files))


PARALLEL_FROM = 400
"""Files to check before a second process pays for itself (its start and the results' way back)."""


def _check_files(work: list[tuple[Path, str, str, bytes]]) -> list[tuple[FileCheck, bytes]]:
    """Read and check each file, giving its result and the result pickled for the cache; on two cores when there
    are many (a first check of a large corpus)."""
    if len(work) < PARALLEL_FROM or forked.cores() < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [_pickled(_check_one(item)) for item in work]
    half = len(work) // 2
    with multiprocessing.get_context("fork").Pool(1) as pool:  # forked: shares the work list without copying
        other = pool.apply_async(_check_many, (work[half:],))
        mine = [_pickled(_check_one(item)) for item in work[:half]]
        # Each result crosses from the other process pickled on its own, and is kept in the cache as it came:
        # the cache is written without pickling the results again.
        return mine + [(pickle.loads(pickled), pickled) for pickled in other.get()]


def _check_many(work: list[tuple[Path, str, str, bytes]]) -> list[bytes]:
    return [_dumps(_check_one(item)) for item in work]


def _pickled(result: FileCheck) -> tuple[FileCheck, bytes]:
    return result, _dumps(result)


def _dumps(result: FileCheck) -> bytes:
    return pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)


def _check_one(item: tuple[Path, str, str, bytes]) -> FileCheck:
    path, shown, kind, raw = item
    problems: list[Problem] = []
    return check_file(load_file(path, shown, front_matter=True, problems=problems, raw=raw), kind, tuple(problems))


def _reread(files: list[tuple[Path, str, str]], shown: str) -> Document | None:
    """A file read again, for the line of a problem found across files (its lines are not kept)."""
    path = next((path for path, s, _ in files if s == shown), None)
    try:
        return load_file(path, shown, front_matter=True, problems=[]) if path else None
    except OSError:
        return None  # gone since: the problem is shown without a line


class _Cache:
    """path as shown → (hash of the bytes, FileCheck pickled), in one pickle per content folder. Each result is
    pickled on its own: a first check pickles them in two processes at once, and a later one unpickles only
    those of unchanged files."""

    def __init__(self, cache_dir: Path, content_dir: Path) -> None:
        folder = Path(content_dir).resolve()
        # The project's own content folder is named relative to the project: a cache restored into another
        # checkout (CI keeps .cache/ between runs) still matches it.
        folder = str(folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder).encode()
        self.file = cache_dir / f"check-{hashlib.blake2b(folder, digest_size=8).hexdigest()}.pickle"
        self.version = _code_version()
        self.entries: dict[str, tuple[bytes, bytes]] = {}
        self.used: set[str] = set()
        self.changed = False
        try:
            with open(self.file, "rb") as f:
                version, entries = pickle.load(f)
            if version == self.version:
                self.entries = entries
                os.utime(self.file)  # in use: the last to be pruned
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
            pass  # no cache, or one this code cannot read: check every file

    def get(self, shown: str, key: bytes) -> FileCheck | None:
        self.used.add(shown)
        found = self.entries.get(shown)
        return pickle.loads(found[1]) if found and found[0] == key else None

    def put(self, shown: str, key: bytes, pickled: bytes) -> None:
        self.entries[shown] = (key, pickled)
        self.changed = True

    def save(self) -> None:
        """Write the cache (atomically: runs side by side never see half a file), without removed files."""
        gone = set(self.entries) - self.used
        if not self.changed and not gone:
            return
        for shown in gone:
            del self.entries[shown]
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            fd, partial = tempfile.mkstemp(dir=self.file.parent, prefix=self.file.name, suffix=".part")
            with os.fdopen(fd, "wb") as f:
                pickle.dump((self.version, self.entries), f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(partial, self.file)
            _prune(self.file.parent)
        except OSError:
            pass  # a read-only checkout still checks, only slower next time


KEEP = 16
"""Cache files kept, one per content folder, the most recently written (tests and benchmarks check many folders)."""


def _prune(cache_dir: Path) -> None:
    caches = sorted(cache_dir.glob("check-*.pickle"), key=lambda f: f.stat().st_mtime, reverse=True)
    for old in caches[KEEP:]:
        old.unlink(missing_ok=True)


def _code_version() -> str:
    here = Path(__file__).resolve().parent
    digest = hashlib.blake2b(digest_size=16)
    for name in _CODE:
        digest.update((here / name).read_bytes())
    for package in ("pyyaml", "markdown"):
        digest.update(metadata.version(package).encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()

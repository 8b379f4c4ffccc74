"""The check cache (tracker/cache.py): results of unchanged files are reused, a changed byte is seen at once,
a broken or stale cache costs only time, and the cache lives outside content/."""

from __future__ import annotations

import shutil

import pytest

from conftest import MINI
from tracker import cache as cache_module
from tracker.cache import check_content
from tracker.problems import ContentError


@pytest.fixture
def content(tmp_path):
    shutil.copytree(MINI, tmp_path / "content")
    return tmp_path / "content"


def problems_of(content, cache_dir):
    try:
        check_content(content, cache_dir)
    except ContentError as e:
        return [str(p) for p in e.problems]
    return []


def test_unchanged_files_come_from_the_cache(content, tmp_path, monkeypatch):
    cache_dir = tmp_path / "cache"
    first = check_content(content, cache_dir)
    assert len(list(cache_dir.glob("check-*.pickle"))) == 1
    calls = []
    monkeypatch.setattr(cache_module, "_check_one", lambda item: calls.append(item) or pytest.fail("re-checked"))
    again = check_content(content, cache_dir)
    assert again == first and calls == []


def test_a_same_size_edit_is_seen_and_problems_are_the_same_either_way(content, tmp_path):
    cache_dir = tmp_path / "cache"
    check_content(content, cache_dir)
    path = content / "reports" / "2025" / "beta.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("kind: fund", "kind: fond"), encoding="utf-8")  # same size, same second
    expected = ["content/reports/2025/beta.md:54: statements[4].kind: 'fond' is not allowed; did you mean 'fund'?"]
    assert problems_of(content, cache_dir) == expected  # fills the cache with the broken file
    assert problems_of(content, cache_dir) == expected  # from the cache
    assert problems_of(content, None) == expected  # without it


def test_a_broken_cache_only_costs_time(content, tmp_path):
    cache_dir = tmp_path / "cache"
    expected = check_content(content, cache_dir)
    for garbage in (b"", b"not a pickle", b"\x80\x04N."):
        for f in cache_dir.glob("check-*.pickle"):
            f.write_bytes(garbage)
        assert check_content(content, cache_dir) == expected


def test_removed_files_leave_the_cache_and_content_is_never_written(content, tmp_path):
    cache_dir = tmp_path / "cache"
    before = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    check_content(content, cache_dir)
    assert {p: p.read_bytes() for p in content.rglob("*") if p.is_file()} == before
    (content / "reports" / "2024" / "beta.md").unlink()
    with pytest.raises(ContentError):  # the 2025 result reports on a 2024 target that is gone
        check_content(content, cache_dir)
    cache = cache_module._Cache(cache_dir, content)
    assert "content/reports/2024/beta.md" not in cache.entries and "content/reports/2025/beta.md" in cache.entries


def test_many_files_are_checked_on_two_processes_with_the_same_result(content, tmp_path, monkeypatch):
    for n in range(3):
        shutil.copy(content / "reports" / "2024" / "beta.md", content / "reports" / "2024" / f"beta-{n}.md")
    sequential = problems_of(content, None)
    monkeypatch.setattr(cache_module, "PARALLEL_FROM", 2)
    assert problems_of(content, None) == sequential and len(sequential) > 3


def test_only_the_most_recent_caches_are_kept(content, tmp_path):
    """Each content folder has its cache file; tests and benchmarks check many folders, so old ones go,
    the least recently used first."""
    caches = tmp_path / "cache"
    folders = []
    for n in range(cache_module.KEEP + 3):
        folder = tmp_path / f"copy{n}" / "content"
        shutil.copytree(content, folder)
        check_content(folder, caches)
        folders.append(folder)
        if n == 0:
            first = next(caches.glob("check-*.pickle"))
        else:
            check_content(folders[0], caches)  # the first folder stays in use
    assert len(list(caches.glob("check-*.pickle"))) == cache_module.KEEP
    assert first.exists(), "a cache in use was pruned"
    assert cache_module._Cache(caches, folders[1]).entries == {}, "the least recently used cache was kept"


def test_the_projects_content_has_the_same_cache_file_in_any_checkout(tmp_path, monkeypatch):
    """CI restores .cache/ into a checkout at another path: the project's own content must still find its file."""
    names = []
    for checkout in ("one", "two"):
        root = tmp_path / checkout / "regional-policy-tracker"
        (root / "content").mkdir(parents=True)
        monkeypatch.setattr(cache_module, "ROOT", root)
        names.append(cache_module._Cache(tmp_path / "cache", root / "content").file.name)
    assert names[0] == names[1]
    elsewhere = cache_module._Cache(tmp_path / "cache", tmp_path / "one" / "content").file.name
    assert elsewhere != names[0], "a folder outside the project is named by its full path"

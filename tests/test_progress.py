"""Progress on a terminal, silence elsewhere (tracker/progress.py)."""

from __future__ import annotations

import io

from tracker.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_stage_and_count_on_a_terminal(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    out = Terminal()
    progress = Progress(out, interval=0)
    assert list(progress.counted(range(3), "render pages", 3)) == [0, 1, 2]
    progress.done()
    assert "\rrender pages 3/3" in out.getvalue() and out.getvalue().endswith("\r")


def test_progress_is_silent_in_logs_and_under_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    log = io.StringIO()
    assert list(Progress(log, interval=0).counted(range(3), "render pages", 3)) == [0, 1, 2]
    assert log.getvalue() == ""
    monkeypatch.setenv("CI", "true")
    terminal = Terminal()
    list(Progress(terminal, interval=0).counted(range(3), "render pages", 3))
    assert terminal.getvalue() == ""

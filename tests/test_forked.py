"""tracker/forked.py: work shared with forked processes (a rebuild's second core)."""

from __future__ import annotations

import os
import time

import pytest

from tracker import forked


def test_results_come_back_in_order_from_other_processes():
    mine, theirs = forked.beside(os.getpid, [os.getpid, lambda: "b"])
    assert mine == os.getpid() and theirs[0] != mine and theirs[1] == "b"


def _fails_in_the_child():
    raise ValueError("bad page")


def test_a_childs_error_is_raised_here_with_its_traceback():
    with pytest.raises(ValueError, match="bad page") as raised:
        forked.beside(lambda: None, [_fails_in_the_child])
    assert "_fails_in_the_child" in str(raised.value.__cause__)


def test_every_child_is_waited_for_when_this_part_fails(tmp_path):
    def slow():
        time.sleep(0.3)
        (tmp_path / "done").write_text("written")

    def fails():
        raise KeyError("here")

    with pytest.raises(KeyError):
        forked.beside(fails, [slow])
    assert (tmp_path / "done").exists()  # not still at work after the error came out

"""Work done in a forked process beside this one: the second core of a rebuild (tracker/rebuild.py).

A forked process shares this one's objects as they are (the corpus, the templates) without pickling them; only
its result comes back, pickled. Where there is no fork (not Linux or macOS), the work is done at once, here.
"""

from __future__ import annotations

import multiprocessing
from typing import Callable, TypeVar

T = TypeVar("T")


def start(work: Callable[[], T]) -> Callable[[], T]:
    """Start ``work()`` in a forked process; the function returned waits for its result and gives it (or raises
    what it raised)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        result = work()
        return lambda: result
    fork = multiprocessing.get_context("fork")
    receive, send = fork.Pipe(duplex=False)
    child = fork.Process(target=_run, args=(work, send), daemon=True)
    child.start()
    send.close()

    def wait() -> T:
        try:
            ok, result = receive.recv()
        except EOFError:
            ok, result = False, RuntimeError(f"the forked process (exit status {child.exitcode}) gave no result")
        finally:
            receive.close()
            child.join()
        if not ok:
            raise result
        return result
    return wait


def _run(work: Callable[[], object], send) -> None:
    try:
        result = True, work()
    except BaseException as e:  # raised again in the parent, as if it had done the work itself
        result = False, e
    send.send(result)

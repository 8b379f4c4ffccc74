"""Work shared with forked processes: the second core of a rebuild (render.Rendering.at_once, site.build_changed).

A forked process shares this one's objects as they are (the corpus, the templates) without pickling them; only
its result comes back, pickled. Where there is no fork (not Linux or macOS), the work is done here, in turn.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import traceback
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")
U = TypeVar("U")


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def beside(own: Callable[[], T], others: Sequence[Callable[[], U]]) -> tuple[T, list[U]]:
    """``own()`` here while each of ``others`` runs in a forked process: (own's result, theirs in order). Every
    process is waited for, even when a part fails (none is left writing into a folder about to be removed);
    then the first error is raised, a child's with its own traceback."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return own(), [work() for work in others]
    waits = [_start(work) for work in others]
    errors: list[BaseException] = []
    results: list[U] = []
    try:
        mine = own()
    finally:
        for wait in waits:
            try:
                results.append(wait())
            except BaseException as e:  # raised below, once every child is done
                errors.append(e)
    if errors:
        raise errors[0]
    return mine, results


class ChildTraceback(Exception):
    """Where an error raised in a forked process came from: its traceback, as the cause of the error."""

    def __str__(self) -> str:
        return "\n" + self.args[0]


def _start(work: Callable[[], U]) -> Callable[[], U]:
    fork = multiprocessing.get_context("fork")
    receive, send = fork.Pipe(duplex=False)
    child = fork.Process(target=_run, args=(work, send), daemon=True)
    child.start()
    send.close()

    def wait() -> U:
        try:
            ok, result, where = receive.recv()
        except EOFError:
            ok = None
        finally:
            receive.close()
            child.join()
        if ok is None:
            raise RuntimeError(f"the forked process (exit status {child.exitcode}) gave no result")
        if not ok:
            raise result from ChildTraceback(where)
        return result
    return wait


def _run(work: Callable[[], object], send) -> None:
    try:
        message = True, work(), None
    except BaseException as e:  # raised again in the parent, as if it had done the work itself
        where = traceback.format_exc()
        try:
            pickle.loads(pickle.dumps(e))
        except Exception:  # an error that cannot cross: its text does
            e = RuntimeError(f"{type(e).__name__}: {e}")
        message = False, e, where
    send.send(message)

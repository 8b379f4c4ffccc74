#!/usr/bin/env python3
"""Regional Policy Tracker: validate content/ and build site/. See `python3 build.py --help`.

Run with any Python 3.11 or newer: where the packages it needs are not importable but the project's virtual
environment (.venv, made by the README's first command) is there, it runs itself again with that environment's
Python, so `python3 build.py` works on a stock Debian or Ubuntu whose own Python has none of them.
"""

import os
import sys
from pathlib import Path

VENV = Path(__file__).resolve().parent / ".venv"
VENV_PYTHON = VENV / "bin" / "python"


def _ready() -> bool:
    try:
        import jinja2, markdown, mkdocs, yaml  # noqa: F401, E401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    if sys.version_info < (3, 11):
        sys.exit(f"build.py: Python 3.11 or newer is needed; this is {sys.version.split()[0]}")
    if not _ready():
        if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != VENV.resolve():  # not already the venv's
            os.execv(VENV_PYTHON, [str(VENV_PYTHON), *sys.argv])
        sys.exit("build.py: the packages it needs are not installed. From the project's folder, run:\n"
                 "  python3 -m venv .venv && .venv/bin/python -m pip install -r requirements.txt\n"
                 "(on Debian or Ubuntu, where `python3 -m venv` says venv is missing: sudo apt install python3-venv)")
    from tracker.cli import main
    from tracker.memory import exit_without_teardown

    exit_without_teardown(main())

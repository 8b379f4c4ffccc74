#!/usr/bin/env python3
"""Regional Policy Tracker: validate content/ and build site/. See `python build.py --help`."""

from tracker.cli import main
from tracker.memory import exit_without_teardown

if __name__ == "__main__":
    exit_without_teardown(main())

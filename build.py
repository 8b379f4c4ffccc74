#!/usr/bin/env python3
"""Regional Policy Tracker: validate content/ and build site/. See `python build.py --help`."""

import sys

from tracker.cli import main

if __name__ == "__main__":
    sys.exit(main())

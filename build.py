#!/usr/bin/env python3
"""Regional Policy Tracker: validate content/ and build site/. See `python build.py --help`."""

import os
import sys

from tracker.cli import main

if __name__ == "__main__":
    status = main()
    # Every file is closed by now; only the standard streams may hold output. Ending here skips the
    # interpreter's teardown, which frees the corpus object by object: 0.9 s at 10,000 reports.
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:
        pass  # a reader that went away (`| head`): nothing left to tell it
    os._exit(status)

"""The baseline of bench/run.py: MkDocs alone, with the Chinese site's configuration (the project's mkdocs.yml with
the navigation from the route table, as build.py writes it), on a docs folder already generated.
Usage: python bench/mkdocs_only.py DOCS_DIR SITE_DIR"""

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402

from tracker.i18n import LANGUAGES  # noqa: E402
from tracker.site import language_config  # noqa: E402

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
with tempfile.TemporaryDirectory() as work:
    config = language_config(Path(__file__).resolve().parent.parent / "mkdocs.yml", LANGUAGES[0], Path(work),
                             LANGUAGES[:1])
    build(load_config(str(config), docs_dir=sys.argv[1], site_dir=sys.argv[2]))

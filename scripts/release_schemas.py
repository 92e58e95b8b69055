"""Record newly published schema files in schemas/RELEASED.lock.

Released files never change: this script only appends files that are not in the lock yet,
and fails if a file already in the lock no longer matches its recorded sha256 (publish a
new version instead). Run: ``python scripts/release_schemas.py``.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
LOCK = SCHEMAS / "RELEASED.lock"
HEADER = "# sha256 of every released schema file; a released file never changes (publish a new version instead).\n"


def main() -> int:
    lines = LOCK.read_text().splitlines() if LOCK.exists() else []
    recorded = {name: digest for digest, name in (line.split() for line in lines if line and not line.startswith("#"))}
    changed = [name for name, digest in recorded.items() if hashlib.sha256((SCHEMAS / name).read_bytes()).hexdigest() != digest]
    if changed:
        print(f"released schema(s) changed: {', '.join(changed)}; publish a new version instead", file=sys.stderr)
        return 1
    new = sorted(p.name for p in SCHEMAS.glob("silkcore_*.json") if p.name not in recorded)
    with LOCK.open("a" if lines else "w") as handle:
        if not lines:
            handle.write(HEADER)
        for name in new:
            handle.write(f"{hashlib.sha256((SCHEMAS / name).read_bytes()).hexdigest()}  {name}\n")
    print(f"released {len(new)} new schema file(s): {', '.join(new) or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

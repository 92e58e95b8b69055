"""Write N flow documents as JSON Lines, 1 % of them invalid, for batch benchmarks.

Run: ``python benchmarks/make_flows.py 1000000 /tmp/flows-1m.jsonl``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(count: int, target: Path) -> None:
    base = json.loads((ROOT / "examples" / "documents" / "flow-cotton-import.json").read_text())
    with target.open("w", encoding="utf-8") as handle:
        for index in range(count):
            doc = dict(base, flow_id=f"urn:silk:flow:bench:{index}")
            doc["amount"] = {"amount": f"{1000 + index % 9000}.50", "currency": "EUR"}
            if index % 100 == 99:
                doc["kind"] = "weapons"  # one line in a hundred is invalid
            handle.write(json.dumps(doc) + "\n")


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))

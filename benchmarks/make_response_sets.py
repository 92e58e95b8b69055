"""Write N varied Tool 2 response sets as JSON Lines, for batch benchmarks.

Every set answers all 78 items of ``silk.evaluation-grid`` with values drawn at random (seeded)
from what each item accepts: an option, a subset of options, a number in range, a short
text or a date; one answer in ten is "not applicable" and confidences vary. So scoring sees
the variety of a real survey, not one set copied N times.

Run: ``python benchmarks/make_response_sets.py 10000 /tmp/response-sets.jsonl``.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from silkcore._catalog import build_catalog  # noqa: E402
from silkcore._framework import NUMERIC_KINDS, Framework, Item, ItemKind  # noqa: E402

BASE = ROOT / "examples" / "demo" / "response_sets" / "evaluation-grid-board.json"
CONFIDENCES = [None, None, 0.5, 0.8, 1.0]


def _value(rng: random.Random, framework: Framework, item: Item) -> Any:
    if item.kind in NUMERIC_KINDS:
        low = item.min if item.min is not None else 0
        high = item.max if item.max is not None else (100 if item.kind == ItemKind.PERCENTAGE else 1000)
        return rng.randint(int(low), int(high))
    if item.kind in (ItemKind.TEXT, ItemKind.LINK):
        return rng.choice(["A partner cooperative in Morocco.", "https://example.org/report", "Not decided yet."])
    if item.kind == ItemKind.DATE:
        return f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    options = [option.value for option in framework.options_of(item)]
    if item.kind == ItemKind.MULTI_CHOICE:
        return rng.sample(options, rng.randint(1, len(options)))
    return rng.choice(options)


def response(rng: random.Random, framework: Framework, item: Item) -> dict[str, Any]:
    answer: dict[str, Any] = {"item_id": item.id}
    if rng.random() < 0.1:
        answer["status"] = "not_applicable"
    else:
        answer["value"] = _value(rng, framework, item)
    confidence = rng.choice(CONFIDENCES)
    if confidence is not None:
        answer["confidence"] = confidence
    return answer


def main(count: int, target: Path) -> None:
    framework = build_catalog().framework("silk.evaluation-grid")
    base = json.loads(BASE.read_text(encoding="utf-8"))
    rng = random.Random(2026)
    with target.open("w", encoding="utf-8") as handle:
        for index in range(count):
            document = dict(base, response_set_id=f"urn:silk:response-set:bench:{index}")
            document["responses"] = [response(rng, framework, item) for item in framework.items]
            handle.write(json.dumps(document) + "\n")


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))

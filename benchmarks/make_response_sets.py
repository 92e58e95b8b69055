"""Write N varied Tool 2 response sets as JSON Lines, for batch benchmarks.

Every set answers all 78 items of ``silk.evaluation-grid`` with values drawn at random (seeded)
from what each item accepts: an option, a subset of options, a number in range, a short
text or a date; one answer in ten is "not applicable" and confidences vary. So scoring sees
the variety of a real survey, not one set copied N times.

Run: ``python benchmarks/make_response_sets.py 10000 /tmp/response-sets.jsonl``.

:func:`varied` writes more varied sets for the golden score-card tests (tests/golden): any
framework, every answer status, skipped and shuffled answers, values written as floats or
integers, comments, evidence, respondents, and now and then a set the check refuses.
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


TEXTS = ["Ja.", 'Une coop\u00e9rative \u00e0 Tunis \u2013 "partner".', "x" * 300, "", "line\nbreak", "https://example.org/a?b=c"]
CONFIDENCES_VARIED = [None, None, None, 0, 0.0, 0.25, 0.5, 0.8, 1, 1.0, 0.333333333]


def _varied_value(rng: random.Random, framework: Framework, item: Item) -> Any:
    """A value the item accepts, written in the ways a document can write it."""
    if item.kind in NUMERIC_KINDS:
        low = item.min if item.min is not None else 0
        high = item.max if item.max is not None else (100 if item.kind == ItemKind.PERCENTAGE else 1000)
        pick = rng.random()
        if pick < 0.15:
            return rng.choice([low, high, float(low), float(high)])
        if pick < 0.5:
            return round(rng.uniform(low, high), rng.choice([1, 2, 6]))
        return rng.randint(int(low) if low == int(low) else int(low) + 1, int(high))
    if item.kind in (ItemKind.TEXT, ItemKind.LINK):
        return rng.choice(TEXTS)
    if item.kind == ItemKind.DATE:
        return f"20{rng.randint(10, 30)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    options = [option.value for option in framework.options_of(item)]
    if item.kind == ItemKind.MULTI_CHOICE:
        return rng.sample(options, rng.randint(0, len(options)))
    value = rng.choice(options)
    if type(value) is int and rng.random() < 0.3:
        return float(value)  # the same option, written 3.0
    return value


def _wrong_value(rng: random.Random, framework: Framework, item: Item) -> Any:
    """A value the item refuses."""
    if item.kind in NUMERIC_KINDS:
        high = item.max if item.max is not None else (100 if item.kind == ItemKind.PERCENTAGE else None)
        return rng.choice(["12", True] + ([high + 1] if high is not None else []))
    if item.kind in (ItemKind.TEXT, ItemKind.LINK):
        return rng.choice([5, False])
    if item.kind == ItemKind.DATE:
        return rng.choice(["2026-02-30", 20260101])
    if item.kind == ItemKind.MULTI_CHOICE:
        return rng.choice(["not-a-list", ["nope"]])
    return rng.choice(["maybe", 99, "Yes"])


def varied(rng: random.Random, framework: Framework, base: dict[str, Any], index: int, wrong: float = 0.0) -> dict[str, Any]:
    """One response set answering ``framework``, with a share ``wrong`` of sets the check refuses."""
    document = dict(base, framework_id=framework.id, framework_version=framework.version)
    if rng.random() < 0.8:
        document["response_set_id"] = f"urn:silk:response-set:golden:{framework.id}:{index}"
    if rng.random() < 0.5:
        document["respondent"] = rng.choice(
            [{"role": "board"}, {"role": "workers", "name": "Amina"}, {"role": "members"}, {"role": "staff"}]
        )
    answers: list[dict[str, Any]] = []
    for item in framework.items:
        draw = rng.random()
        if draw < 0.1:
            continue  # unanswered
        answer: dict[str, Any] = {"item_id": item.id}
        if draw < 0.18:
            answer["status"] = "not_applicable"
        elif draw < 0.24:
            answer["status"] = "unknown"
        else:
            answer["value"] = _varied_value(rng, framework, item)
        confidence = rng.choice(CONFIDENCES_VARIED)
        if confidence is not None:
            answer["confidence"] = confidence
        if rng.random() < 0.1:
            answer["comment"] = rng.choice(TEXTS[:3])
        if rng.random() < 0.08:
            answer["evidence"] = [{"kind": "document", "description": "Minutes of the assembly"}]
        answers.append(answer)
    if rng.random() < 0.3:
        rng.shuffle(answers)
    if answers and rng.random() < wrong:
        fault = rng.randrange(5)
        if fault == 0:
            answers.append({"item_id": answers[0]["item_id"], "status": "unknown"})  # answered twice
        elif fault == 1:
            answers.append({"item_id": answers[-1]["item_id"].upper() + "9", "value": True})  # unknown item
        elif fault == 2:
            document["framework_version"] = "9.0.0"
        else:
            item = framework.items[rng.randrange(len(framework.items))]
            answers = [a for a in answers if a["item_id"] != item.id]
            answers.insert(rng.randrange(len(answers) + 1), {"item_id": item.id, "value": _wrong_value(rng, framework, item)})
    document["responses"] = answers
    return document


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

"""Where a Tool 2 response set's time goes in scoring: the semantic check, then the score card
after it (the batch's case: the check found the set sound a moment ago), then the card
scored alone (the API's case: the scorer checks it itself).

Run: ``.venv/bin/python benchmarks/bench_scoring.py [SETS]`` (default 3,000).

Each line is parsed, used and dropped, as the batch does (holding thousands of parsed sets
alive makes every step look slower than it is); the parse is timed alone and taken off.
Every number is the best of several rounds, in microseconds a set.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from make_response_sets import main as make_response_sets  # noqa: E402

from silkcore import build_catalog  # noqa: E402
from silkcore._response_check import response_set_issues  # noqa: E402
from silkcore._scoring import GenericScorer  # noqa: E402
from silkcore._scoring_index import LastSound, scoring_plan  # noqa: E402

ROUNDS = 7


def _best(run: Callable[[], None], count: int) -> float:
    """The best of ``ROUNDS`` runs, in microseconds per set."""
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best / count * 1e6


def measure(count: int) -> dict[str, float]:
    """Microseconds a set: the check, the score card after it, the score card checking itself."""
    framework = build_catalog().framework("silk.evaluation-grid")
    plan, scorer = scoring_plan(framework), GenericScorer()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sets.jsonl"
        make_response_sets(count, path)
        lines = path.read_bytes().splitlines()
    loads = orjson.loads

    def parse() -> None:
        for line in lines:
            loads(line)

    def check() -> None:
        for line in lines:
            response_set_issues(plan, loads(line))

    def check_and_score() -> None:
        for line in lines:
            document = loads(line)
            response_set_issues(plan, document)
            scorer.score_document(framework, [document])

    def score_alone() -> None:
        for line in lines:
            plan.last_sound = LastSound()  # nothing found sound before: the scorer checks
            scorer.score_document(framework, [loads(line)])

    parsed = _best(parse, count)
    checked = _best(check, count)
    scored = _best(check_and_score, count)
    alone = _best(score_alone, count)
    return {
        "check": checked - parsed,
        "score card after the check": scored - checked,
        "score card, checking itself": alone - parsed,
    }


def main(count: int) -> None:
    print(f"Python {sys.version.split()[0]}, {count:,} Tool 2 response sets (78 answers), us a set, best of {ROUNDS}")
    for label, micros in measure(count).items():
        print(f"{label:32s} {micros:7.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000)

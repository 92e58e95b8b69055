"""Where a flow's time goes in ``silk batch score``: each necessary step added in turn, timed
in this process over the same lines, against the floor (orjson + jsonschema-rs).

Run: ``.venv/bin/python benchmarks/bench_flow_steps.py [LINES]`` (default 200,000).

Each row runs every step of the rows above it plus its own, calling silkcore's own functions
directly (no dispatch between them): the last of those rows is what the work itself costs,
and the row after it, silkcore's line processor, adds what the one path (the check every
surface calls, the batch's records) costs on top. Issue 20 asked for flows at 2.5x the
floor; this table shows how much of the gap the necessary steps alone make.
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

from make_flows import main as make_flows  # noqa: E402

from silkcore._batch import LineProcessor, _finish  # noqa: E402
from silkcore._fastparse import fast_loads  # noqa: E402
from silkcore._fastpath import build_flow  # noqa: E402
from silkcore._flow_tally import FlowTally, flow_score  # noqa: E402
from silkcore._jsonio import DEFAULT_LIMITS, dumps_line_bytes  # noqa: E402

SCHEMA = "silkcore_flow-v1.0.0"


def stages(lines: list[bytes]) -> list[tuple[str, Callable[[], object]]]:
    """The pipelines, each one step longer than the one before."""
    processor = LineProcessor("score", None, "bench")
    is_valid = processor.registry.rs_validator(SCHEMA).is_valid
    tally = FlowTally()
    loads = orjson.loads

    def floor() -> None:
        for raw in lines:
            is_valid(loads(raw))

    def screened() -> None:
        for raw in lines:
            is_valid(fast_loads(raw, DEFAULT_LIMITS))

    def typed() -> None:
        for raw in lines:
            doc = fast_loads(raw, DEFAULT_LIMITS)
            if is_valid(doc):
                build_flow(doc)

    def scored() -> None:
        for raw in lines:
            doc = fast_loads(raw, DEFAULT_LIMITS)
            if is_valid(doc):
                flow = build_flow(doc)
                if flow.direction_issue() is None:
                    flow_score(flow)

    def written() -> None:
        for number, raw in enumerate(lines, 1):
            doc = fast_loads(raw, DEFAULT_LIMITS)
            if is_valid(doc):
                flow = build_flow(doc)
                if flow.direction_issue() is None:
                    score = flow_score(flow)
                    tally.add(score)
                    dumps_line_bytes({"line": number, "flow": score})

    def silkcore_path() -> None:
        for number, raw in enumerate(lines, 1):
            _finish(processor(number, raw), tally)

    return [
        ("floor: orjson.loads + jsonschema-rs is_valid", floor),
        ("+ strict parse (the screens in front of orjson)", screened),
        ("+ typed entity (build_flow)", typed),
        ("+ direction check and score", scored),
        ("+ running totals and the line written: the work itself", written),
        ("silkcore's line processor (check(), records): the one path", silkcore_path),
    ]


def table(count: int) -> str:
    """The pipelines timed over ``count`` generated flow lines, as a Markdown table."""
    with tempfile.TemporaryDirectory(prefix="silkcore-bench-") as folder:
        path = Path(folder) / "flows.jsonl"
        make_flows(count, path)
        lines = path.read_bytes().splitlines()
    timings: dict[str, float] = {}
    pipelines = stages(lines)
    for _ in range(3):  # interleaved rounds; the best of each
        for name, run in pipelines:
            start = time.perf_counter()
            run()
            timings[name] = min(timings.get(name, float("inf")), time.perf_counter() - start)
    floor = timings[pipelines[0][0]]
    rows = ["| pipeline | us a line | vs floor |", "|---|---:|---:|"]
    for name, _ in pipelines:
        seconds = timings[name]
        rows.append(f"| {name} | {seconds / len(lines) * 1e6:.2f} | {seconds / floor:.2f}x |")
    return f"{len(lines):,} flow lines, best of 3 interleaved rounds, in one process\n\n" + "\n".join(rows)


def main(count: int) -> None:
    print(table(count))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)

"""Throughput and peak memory of ``silk batch`` next to the raw floor, on the same data, in one run.

Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_batch.py [FLOWS] [RESPONSE_SETS]``).

* Flows (1 % invalid): the floor is orjson ``loads`` + jsonschema-rs ``is_valid`` over the same
  lines in this process (and orjson alone). silkcore runs as the real command, ``silk batch
  score`` (strict parse, validation, typed entity, flow score and totals), with one worker and
  with two. The python-jsonschema path (strict parse + python-jsonschema) runs on a sample.
* Response sets (78 varied answers, Tool 2, from make_response_sets.py): the same floor, then ``silk batch score`` (validated,
  typed, scored into a full score card).
* Dask: the same flows on a local cluster of two worker processes.

Peak memory is the command's maximum resident size. Start-up (about half a second) is
included in the command's time, as a user would see it.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from make_flows import main as make_flows  # noqa: E402
from make_response_sets import main as make_response_sets  # noqa: E402

from silkcore.jsonio import loads  # noqa: E402
from silkcore.schemas import SchemaRegistry  # noqa: E402


def floors(path: Path, schema: str) -> tuple[float, float]:
    """Seconds for (orjson alone, orjson + jsonschema-rs is_valid) over every line of ``path``."""
    rs = SchemaRegistry().rs_validator(schema)
    start = time.perf_counter()
    with path.open("rb") as handle:
        for line in handle:
            orjson.loads(line)
    parse = time.perf_counter() - start
    start = time.perf_counter()
    with path.open("rb") as handle:
        for line in handle:
            rs.is_valid(orjson.loads(line))
    return parse, time.perf_counter() - start


def python_path(path: Path, sample: int) -> float:
    """Lines per second of the strict parser + python-jsonschema, on the first ``sample`` lines."""
    registry = SchemaRegistry()
    with path.open("rb") as handle:
        lines = [next(handle) for _ in range(sample)]
    start = time.perf_counter()
    for line in lines:
        registry.validate(loads(line), engine="python")
    return sample / (time.perf_counter() - start)


def command(path: Path, workers: int, expected_exit: int) -> tuple[float, float, str]:
    """(seconds, peak MB, summary line) of ``silk batch score`` on ``path``.

    The peak is this command's own (``wait4``), not the largest of every child so far: the
    Dask workers started by this script are children too."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "silkcore", "batch", "score", str(path), "-o", "/dev/null", "--workers", str(workers)],
        stderr=subprocess.PIPE,
        text=True,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    assert process.stderr is not None
    said = process.stderr.read()
    process.stderr.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != expected_exit:
        raise SystemExit(f"the batch did not run as expected (exit {process.returncode}): {said[-2000:]}")
    # Linux folds the peaks of the command's own (waited-for) worker processes into this figure:
    # it is the largest single process of the run, not a sum.
    return seconds, usage.ru_maxrss / 1024, said.strip().splitlines()[-1]


def dask_run(path: Path) -> float | None:
    """Seconds for the same scoring on a local Dask cluster of two worker processes (None without Dask)."""
    try:
        import distributed

        from silkcore.dask_adapter import score_bag
    except ImportError:
        return None
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with cluster, distributed.Client(cluster):
        start = time.perf_counter()
        score_bag(str(path), "score", blocksize="16MiB").compute()
        return time.perf_counter() - start


def row(label: str, count: int, seconds: float, floor: float, memory: float | None = None) -> None:
    peak = f"{memory:.0f} MB" if memory is not None else "-"
    print(f"| {label} | {count / seconds:,.0f} | {seconds / floor:.2f}x | {peak} |")


def main(flow_count: int, response_count: int) -> None:
    print(
        f"Python {platform.python_version()}, {platform.machine()}, {flow_count:,} flow lines, {response_count:,} response sets"
    )
    with tempfile.TemporaryDirectory() as tmp:
        flows = Path(tmp) / "flows.jsonl"
        make_flows(flow_count, flows)
        parse, floor = floors(flows, "silkcore_flow-v1.0.0")
        one, mem_one, said_one = command(flows, 1, 3)
        two, mem_two, _ = command(flows, 2, 3)
        python_rate = python_path(flows, min(flow_count, 5000))
        on_dask = dask_run(flows)
        responses = Path(tmp) / "responses.jsonl"
        make_response_sets(response_count, responses)
        rs_parse, rs_floor = floors(responses, "silkcore_response_set-v1.0.0")
        rs_one, rs_mem, said_rs = command(responses, 1, 0)
    print(f"\nflows: {said_one}\n")
    print("| flows: path | lines/s | time vs floor (orjson + rs) | peak memory |\n|---|---:|---:|---:|")
    row("floor: orjson.loads alone", flow_count, parse, floor)
    row("floor: orjson.loads + jsonschema-rs is_valid", flow_count, floor, floor)
    row("`silk batch score`, 1 worker (validated, typed, scored)", flow_count, one, floor, mem_one)
    row("`silk batch score --workers 2`", flow_count, two, floor, mem_two)
    if on_dask is not None:
        row("Dask adapter, local cluster of 2 processes", flow_count, on_dask, floor)
    print(f"| strict parse + python-jsonschema (sample) | {python_rate:,.0f} | - | - |")
    print(f"\nsilkcore (1 worker) vs the python-jsonschema path: {flow_count / one / python_rate:.1f}x faster")
    print(f"\nresponse sets: {said_rs}\n")
    print("| response sets: path | sets/s | time vs floor (orjson + rs) | peak memory |\n|---|---:|---:|---:|")
    row("floor: orjson.loads alone", response_count, rs_parse, rs_floor)
    row("floor: orjson.loads + jsonschema-rs is_valid", response_count, rs_floor, rs_floor)
    row("`silk batch score`, 1 worker (validated, typed, full score card)", response_count, rs_one, rs_floor, rs_mem)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000, int(sys.argv[2]) if len(sys.argv) > 2 else 10_000)

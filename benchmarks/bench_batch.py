"""Throughput and peak memory of ``silk batch`` next to the raw floor, on the same data, in one run.

Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_batch.py [FLOWS] [RESPONSE_SETS]``).

* Flows (1 % invalid): the floor is orjson ``loads`` + jsonschema-rs ``is_valid`` over the same
  lines in this process (and orjson alone). silkcore runs as the real command, ``silk batch
  score`` (strict parse, validation, typed entity, flow score and totals), with one worker and
  with two. The python-jsonschema path (strict parse + python-jsonschema) runs on a sample.
* Response sets (78 varied answers, Tool 2, from make_response_sets.py): the same floor, then
  ``silk batch score`` (validated, typed, scored into a full score card).
* Dask: the same flows on a local cluster of one, then two worker processes.

The floor and the one-worker command run in turn, :data:`ROUNDS` times; the round with the
median ratio is the one reported. Peak memory is the command's maximum resident size. The
command's start-up is included in its time, as a user would see it.

:func:`measure` returns the rows (for ``make bench`` to gather with the other benchmarks);
:func:`print_rows` prints them as the tables below, with the headline ratios of issue 20.
"""

from __future__ import annotations

import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_startup import command_env  # noqa: E402
from make_flows import main as make_flows  # noqa: E402
from make_response_sets import main as make_response_sets  # noqa: E402

from silkcore._jsonio import loads  # noqa: E402
from silkcore._schemas import SchemaRegistry  # noqa: E402


def floors(path: Path, schema: str) -> tuple[float, float, float]:
    """Seconds for (orjson alone, orjson + jsonschema-rs is_valid) over every line of ``path``,
    and the CPU seconds of the second."""
    rs = SchemaRegistry().rs_validator(schema)
    start = time.perf_counter()
    with path.open("rb") as handle:
        for line in handle:
            orjson.loads(line)
    parse = time.perf_counter() - start
    start, cpu = time.perf_counter(), time.process_time()
    with path.open("rb") as handle:
        for line in handle:
            rs.is_valid(orjson.loads(line))
    return parse, time.perf_counter() - start, time.process_time() - cpu


def python_path(path: Path, sample: int) -> float:
    """Lines per second of the strict parser + python-jsonschema, on the first ``sample`` lines."""
    registry = SchemaRegistry()
    with path.open("rb") as handle:
        lines = [next(handle) for _ in range(sample)]
    start = time.perf_counter()
    for line in lines:
        registry.validate(loads(line), engine="python")
    return sample / (time.perf_counter() - start)


# Runs the command and reports its peak memory. A small, freshly started process does the
# measuring: a child forked straight from this (large) benchmark process would count this
# process's size at fork time as its own peak.
_MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print('cpu-s', usage.ru_utime + usage.ru_stime, file=sys.stderr)\n"
    "print('peak-kb', usage.ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def command(path: Path, workers: int, expected_exit: int) -> tuple[float, float, str, float]:
    """(seconds, peak MB, summary line, CPU seconds of all its processes) of ``silk batch
    score`` on ``path``. The peak is the largest single process of the run (Linux folds
    waited-for workers in as a maximum)."""
    silk = [sys.executable, "-m", "silkcore", "batch", "score", str(path), "-o", "/dev/null", "--workers", str(workers)]
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, *silk], check=False, capture_output=True, text=True, env=command_env()
    )
    seconds = time.perf_counter() - start
    if result.returncode != expected_exit:
        raise SystemExit(f"the batch did not run as expected (exit {result.returncode}): {result.stderr[-2000:]}")
    lines = result.stderr.strip().splitlines()
    peak_kb = int(lines[-1].split()[1])
    return seconds, peak_kb / 1024, lines[-3], float(lines[-2].split()[1])


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dask_run(path: Path, target: Path, workers: int = 2) -> tuple[float, float] | None:
    """(seconds, largest worker's peak MB) for the same scoring on a local Dask cluster of
    ``workers`` worker processes, results written as JSON Lines files into ``target`` (None
    without Dask)."""
    try:
        import distributed

        from silkcore._dask_adapter import score_bag
    except ImportError:
        return None
    cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    with cluster, distributed.Client(cluster) as client:
        start = time.perf_counter()
        score_bag(str(path), "score", blocksize="16MiB").to_textfiles(str(target / "*.jsonl"))
        seconds = time.perf_counter() - start
        return seconds, max(client.run(_peak_mb).values())


class Row(NamedTuple):
    """One measured path: ``items`` processed in ``seconds``; ``ratio`` is its time over the
    floor (orjson + jsonschema-rs) on the same lines in the same run (None: not timed against
    it), ``cpu_ratio`` the same for CPU time (all its processes), which other work on a shared
    machine disturbs much less than elapsed time."""

    table: str  # "flows" or "response sets"
    what: str
    items: int
    seconds: float
    ratio: float | None
    peak_mb: float | None = None
    cpu_ratio: float | None = None

    @property
    def rate(self) -> float:
        return self.items / self.seconds


ONE_WORKER = "`silk batch score`, 1 worker"


#: Rounds of (floor, one-worker command) per table: the median round's ratio is the headline.
ROUNDS = 3


def measure(flow_count: int, response_count: int, *, workers_two: bool = True, dask: bool = True) -> list[Row]:
    """Every row of the benchmark, measured in one run: the floors, ``silk batch score`` with one
    worker (and two), the Dask adapter and a sample of the python-jsonschema path. The headline
    ratios are the one-worker rows' (issue 20: flows at most 2.5x, response sets at most 5.5x
    the floor)."""
    rows: list[Row] = []
    said: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        inputs = {"flows": Path(tmp) / "flows.jsonl", "response sets": Path(tmp) / "responses.jsonl"}
        make_flows(flow_count, inputs["flows"])
        make_response_sets(response_count, inputs["response sets"])
        for table, count, schema, expected, typed in (
            ("flows", flow_count, "silkcore_flow-v1.0.0", 3, "validated, typed, scored"),
            ("response sets", response_count, "silkcore_response_set-v1.0.0", 0, "validated, full score card"),
        ):
            path = inputs[table]
            # The headline ratio: the floor and the one-worker command in turn, ROUNDS times; the
            # round with the median ratio is reported (a busy moment of a shared machine moves
            # one run, not the median).
            rounds = []
            for _ in range(ROUNDS):
                parse, floor, floor_cpu = floors(path, schema)
                one, memory, summary, cpu = command(path, 1, expected)
                rounds.append((one / floor, parse, floor, floor_cpu, one, memory, summary, cpu))
            rounds.sort(key=lambda r: r[0])
            _, parse, floor, floor_cpu, one, memory, said[table], cpu = rounds[len(rounds) // 2]
            rows.append(Row(table, "floor: orjson.loads alone", count, parse, parse / floor))
            rows.append(Row(table, "floor: orjson.loads + jsonschema-rs is_valid", count, floor, 1.0, None, 1.0))
            rows.append(Row(table, f"{ONE_WORKER} ({typed})", count, one, one / floor, memory, cpu / floor_cpu))
            if workers_two:
                two, memory, _, cpu = command(path, 2, expected)
                rows.append(Row(table, "`silk batch score --workers 2`", count, two, two / floor, memory, cpu / floor_cpu))
            if table == "flows":
                sample = min(count, 5000)
                rows.append(
                    Row(table, "strict parse + python-jsonschema (sample)", sample, sample / python_path(path, sample), None)
                )
        # Last: a Dask client leaves this process large, and a command forked after it would
        # report that as its own peak.
        if dask:  # the scaling table: a LocalCluster of 1, then 2 worker processes
            floor = next(r.seconds for r in rows if r.table == "flows" and r.ratio == 1.0)
            for workers in (1, 2):
                out = Path(tmp) / f"dask-out-{workers}"
                out.mkdir()
                on_dask = dask_run(inputs["flows"], out, workers)
                if on_dask is not None:
                    label = f"Dask adapter, LocalCluster of {workers} worker process{'es' if workers > 1 else ''}"
                    rows.append(Row("flows", label, flow_count, on_dask[0], on_dask[0] / floor, on_dask[1]))
    print(f"flows: {said['flows']}\nresponse sets: {said['response sets']}", file=sys.stderr)
    return rows


def print_rows(rows: list[Row]) -> None:
    """The rows as two Markdown tables, and the headline ratios."""
    for table, unit in (("flows", "lines/s"), ("response sets", "sets/s")):
        print(
            f"\n| {table}: path | {unit} | time vs floor (orjson + rs) | CPU time vs floor | peak memory |"
            "\n|---|---:|---:|---:|---:|"
        )
        for row in rows:
            if row.table == table:
                ratio = "-" if row.ratio is None else f"{row.ratio:.2f}x"
                cpu = "-" if row.cpu_ratio is None else f"{row.cpu_ratio:.2f}x"
                peak = "-" if row.peak_mb is None else f"{row.peak_mb:.0f} MB"
                print(f"| {row.what} | {row.rate:,.0f} | {ratio} | {cpu} | {peak} |")
    headline = {row.table: row for row in rows if row.what.startswith(ONE_WORKER)}
    flows, sets = headline["flows"], headline["response sets"]
    print(
        f"\n{ONE_WORKER} against the floor in this run (elapsed / CPU time): flows {flows.ratio:.2f}x / "
        f"{flows.cpu_ratio:.2f}x (target 2.5x), response sets {sets.ratio:.2f}x / {sets.cpu_ratio:.2f}x (target 5.5x)"
    )


def main(flow_count: int, response_count: int) -> None:
    print(
        f"Python {platform.python_version()}, {platform.machine()}, {flow_count:,} flow lines, {response_count:,} response sets"
    )
    print_rows(measure(flow_count, response_count))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000, int(sys.argv[2]) if len(sys.argv) > 2 else 10_000)

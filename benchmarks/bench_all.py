"""``make bench``: every performance goal of silkcore as a ratio against its baseline, from one run.

Start-up (``bench_startup``: ``silk --help`` and ``silk validate`` against ``import jsonschema``),
batch scoring (``bench_batch``: flows and response sets against orjson + jsonschema-rs, with the
Dask scaling table at 1 and 2 workers), where a flow's time goes (``bench_flow_steps``: the
necessary steps added one at a time, then silkcore's line processor) and the node
(``bench_node``: wrk against the node and a minimal Starlette app on the same server
settings). Each baseline is measured in the same run as what it is compared with, on the
same machine, so a busy machine moves both.

The tables are printed and written into ``benchmarks/RESULTS.md`` between the ``make bench``
markers (the rest of the file - earlier, separately run benchmarks - is kept).

Run: ``make bench`` (``FLOWS``, ``RESPONSE_SETS``, ``NODE_SECONDS``, ``NODE_ROUNDS`` size it).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
from contextlib import redirect_stdout
from io import StringIO
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_batch  # noqa: E402 - the benchmarks folder is put on the path just above
import bench_flow_steps  # noqa: E402
import bench_node  # noqa: E402
import bench_startup  # noqa: E402

RESULTS = HERE / "RESULTS.md"
START = "<!-- make bench: start (written by benchmarks/bench_all.py; do not edit by hand) -->"
END = "<!-- make bench: end -->"

#: The issue-20 goals: (what, the row's ratio, at most / at least, the goal).
GOALS = (
    ("`silk --help` vs `import jsonschema`", "at most", 2.0),
    ("`silk validate one.json` vs `import jsonschema`", "at most", 2.5),
    ("response sets, 1 worker, vs orjson + jsonschema-rs", "at most", 5.5),
    ("flows, 1 worker, vs orjson + jsonschema-rs", "at most", 2.5),
    ("node `GET /documents/{id}` vs minimal Starlette POST", "at least", 0.6),
    ("node durable `POST /documents` vs minimal Starlette POST", "at least", 0.35),
)


def _captured(function: object, *args: object) -> str:
    buffer = StringIO()
    with redirect_stdout(buffer):
        function(*args)  # type: ignore[operator]
    return buffer.getvalue().strip()


def main() -> None:
    flows = int(os.environ.get("FLOWS", "1000000"))
    sets = int(os.environ.get("RESPONSE_SETS", "10000"))
    seconds = float(os.environ.get("NODE_SECONDS", "10"))
    rounds = int(os.environ.get("NODE_ROUNDS", "3"))
    load_before = os.getloadavg()[0]

    startup = bench_startup.rows(15)
    batch = bench_batch.measure(flows, sets)
    node = bench_node.run(seconds, rounds, 32)
    flow_steps = bench_flow_steps.table(min(flows, 200_000))

    help_row, validate_row = (next(r for r in startup if r.command.startswith(p)) for p in ("silk --help", "silk validate"))
    one_worker = {r.table: r for r in batch if r.what.startswith(bench_batch.ONE_WORKER)}
    node_get = next(r for r in node if r["server"] == "node" and r["scenario"].startswith("GET /documents"))
    node_post = next(r for r in node if r["server"] == "node" and r["scenario"].startswith("POST /documents"))
    measured = (
        help_row.ratio,
        validate_row.ratio,
        one_worker["response sets"].ratio,
        one_worker["flows"].ratio,
        node_get["vs_post"],
        node_post["vs_post"],
    )
    goals = ["| goal | measured | target | met |", "|---|---:|---:|---|"]
    for (what, sense, target), value in zip(GOALS, measured, strict=True):
        met = value <= target if sense == "at most" else value >= target
        goals.append(f"| {what} | {value:.2f}x | {sense} {target}x | {'yes' if met else 'no'} |")

    text = "\n\n".join(
        [
            START,
            f"## make bench, {dt.date.today().isoformat()}",
            f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs, load average "
            f"{load_before:.1f} at the start and {os.getloadavg()[0]:.1f} at the end (a shared machine: read the "
            f"ratios, each measured against its baseline in the same run). {flows:,} flow lines, {sets:,} response "
            f"sets; node: {bench_node.load_generator_version()}, 32 connections, {seconds:g} s per run, {rounds} "
            "interleaved rounds, SQLite store.",
            "\n".join(goals),
            "### Start-up (15 interleaved runs each)\n\n" + bench_startup.table(startup),
            "### Batch scoring (elapsed time, and CPU time of all the command's processes)\n\n"
            + _captured(bench_batch.print_rows, batch),
            "### Where a flow's time goes (`bench_flow_steps.py`)\n\n" + flow_steps,
            "### The node against a minimal Starlette app\n\n" + bench_node.markdown(node),
            "The store alone on PostgreSQL (`make bench-store`, recorded below):\n\n" + bench_node.postgres_figures(),
            END,
        ]
    )
    print(text)
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    if START in old and END in old:
        new = old[: old.index(START)] + text + old[old.index(END) + len(END) :]
    else:
        head, _, rest = old.partition("\n")
        new = f"{head}\n\n{text}\n{rest}"
    RESULTS.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    main()

"""Throughput and peak memory of ``silk batch validate`` next to the raw floor, same data.

Run: ``.venv/bin/python benchmarks/bench_batch.py [N]``. The floor is ``json.loads`` plus
jsonschema-rs ``is_valid`` over the same lines in one process; silkcore runs as the real
command (one worker, then two). Peak memory is the child process's maximum resident size.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from make_flows import main as make_flows  # noqa: E402

from silkcore.schemas import SchemaRegistry  # noqa: E402


def floor(path: Path) -> float:
    rs = SchemaRegistry().rs_validator("silkcore_flow-v1.0.0")
    start = time.perf_counter()
    with path.open("rb") as handle:
        for line in handle:
            rs.is_valid(json.loads(line))
    return time.perf_counter() - start


def command(path: Path, workers: int) -> tuple[float, float]:
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = subprocess.run(
        [sys.executable, "-m", "silkcore", "batch", "validate", str(path), "-o", "/dev/null", "--workers", str(workers)],
        check=False,
        capture_output=True,
        text=True,
    )
    if result.returncode != 3 or "failed" not in result.stderr:  # 1 % of the lines are invalid on purpose
        raise SystemExit(f"the batch did not run as expected: {result.stderr[-2000:]}")
    print(f"  ({result.stderr.strip().splitlines()[-1]})")
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return time.perf_counter() - start, peak / 1024


def dask_run(path: Path) -> float | None:
    """The same validation on a local Dask cluster of two worker processes (None without Dask)."""
    try:
        import distributed

        from silkcore.dask_adapter import score_bag
    except ImportError:
        return None
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with cluster, distributed.Client(cluster):
        start = time.perf_counter()
        score_bag(str(path), "validate", blocksize="4MiB").compute()
        return time.perf_counter() - start


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "flows.jsonl"
        make_flows(count, path)
        raw = floor(path)
        one, mem_one = command(path, 1)
        two, mem_two = command(path, 2)
        on_dask = dask_run(path)
    print(f"flows n={count}")
    print(f"  raw floor json.loads + jsonschema-rs is_valid: {count / raw:>10,.0f} lines/s")
    for label, seconds, memory in (("1 worker", one, mem_one), ("2 workers", two, mem_two)):
        rate = f"{count / seconds:>10,.0f} lines/s"
        print(f"  silk batch validate, {label:<9}: {rate}  ({seconds / raw:.1f}x the floor time), peak {memory:.0f} MB")
    if on_dask is not None:
        rate = f"{count / on_dask:>10,.0f} lines/s"
        print(f"  Dask adapter, local cluster of 2 processes: {rate}  ({on_dask / raw:.1f}x the floor time)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)

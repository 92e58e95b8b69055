"""The Dask adapter gives exactly what ``silk batch`` gives, on a local cluster of two processes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import EXAMPLES, run_silk

distributed = pytest.importorskip("distributed")


def test_dask_matches_silk_batch_on_a_two_process_cluster(tmp_path: Path, loopback_only: None) -> None:
    from silkcore._dask_adapter import score_bag

    flow = json.dumps(json.loads((EXAMPLES / "documents" / "flow-cotton-import.json").read_text()))
    lines = [flow] * 3000
    lines[10] = flow.replace('"goods"', '"weapons"')
    lines[2500] = "{not json"
    source = tmp_path / "flows.jsonl"
    source.write_text("\n".join(lines) + "\n")
    expected = run_silk("batch", "validate", str(source)).stdout.splitlines()
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        distributed.Client(cluster),
    ):
        results = score_bag(str(source), "validate", blocksize="64KiB").compute()
    assert results == expected
    assert json.loads(results[10])["errors"][0]["pointer"] == "/kind"

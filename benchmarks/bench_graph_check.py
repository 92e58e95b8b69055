"""Validation time of a framework with a long decision graph: linear, or not?

Run: ``.venv/bin/python benchmarks/bench_graph_check.py [--runs 7] [--small 1250] [--factor 10]``.

Builds a framework whose decision graph is a chain of ``small`` nodes, and one ten times as
long (1,250 and 12,500 nodes by default). Each node but the last asks one yes/no item whose
``applies_if`` names the previous item; each node but the first also has a conditional back
edge to the node before it, then its default forward edge to the next one (so about
``2 x nodes`` edges). For each size it times, as the median of ``--runs`` runs:

* ``silkcore._documents.validate`` of the parsed document (schema, typed entity, checks);
* its parts: the JSON Schema (jsonschema-rs), building the entity, ``framework_issues``;

and prints the ratio large/small of each. The issue's bar: the larger graph validates in at
most 15x the time of the smaller one (10x the size).

Times are CPU times of this process, and the two sizes alternate run by run, so that other
work on a shared machine weighs on both alike. Each run starts after a full garbage
collection; the "GC paused" lines also keep Python's cyclic collector off during the run (as
``timeit`` does), which separates the work done from the collector's passes over the whole
heap, more frequent while a large document is alive. Not run by ``make test``: speed is
recorded, not asserted (the work itself is counted in tests/adversarial/test_decision_graphs.py).
"""

from __future__ import annotations

import argparse
import gc
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from silkcore._convert import structure  # noqa: E402
from silkcore._documents import default_registry, doc_without_schema, validate  # noqa: E402
from silkcore._framework import Framework  # noqa: E402
from silkcore._frameworks_check import framework_issues  # noqa: E402
from silkcore._jsonio import dumps  # noqa: E402

SCHEMA = "silkcore_framework-v1.1.0"


def chain_framework(nodes: int) -> dict[str, Any]:
    """A valid framework document whose graph is a chain of ``nodes`` nodes (the last an end)."""
    items: list[dict[str, Any]] = []
    graph_nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    for index in range(nodes):
        node_id = f"n{index}"
        if index == nodes - 1:
            graph_nodes.append({"id": node_id, "kind": "end", "title": {"en": "Done"}})
            break
        item: dict[str, Any] = {
            "id": f"q{index}",
            "category": "steps",
            "kind": "yes_no",
            "scored": False,
            "text": {"en": f"Is step {index} done?"},
            "source": "benchmark",
        }
        if index > 0:
            item["applies_if"] = {"all": [{"item": f"q{index - 1}", "operator": "answered"}]}
        items.append(item)
        graph_nodes.append(
            {"id": node_id, "kind": "question", "phase": "steps", "title": {"en": f"Step {index}"}, "items": [f"q{index}"]}
        )
        if index > 0:
            edges.append(
                {
                    "from": node_id,
                    "to": f"n{index - 1}",
                    "kind": "back",
                    "when": {"all": [{"item": f"q{index}", "operator": "equals", "value": False}]},
                }
            )
        edges.append({"from": node_id, "to": f"n{index + 1}"})
    return {
        "schema": SCHEMA,
        "id": "bench.chain",
        "version": "1.0.0",
        "title": {"en": f"A chain of {nodes} steps"},
        "categories": [{"id": "steps", "title": {"en": "Steps"}, "scored": False}],
        "items": items,
        "graph": {"start": "n0", "nodes": graph_nodes, "edges": edges},
    }


def once(step: Callable[[], object], *, gc_paused: bool) -> float:
    """CPU seconds of one run of ``step`` (this process only, so other work on a shared machine
    counts less), started after a full collection; with ``gc_paused`` the cyclic garbage
    collector is off during the run (as ``timeit`` does)."""
    gc.collect()
    if gc_paused:
        gc.disable()
    try:
        start = time.process_time()
        step()
        return time.process_time() - start
    finally:
        gc.enable()


def steps(nodes: int) -> dict[str, tuple[Callable[[], object], bool]]:
    """What is timed for one size: (the step, whether the collector is paused)."""
    doc = chain_framework(nodes)
    assert validate(doc) == [], "the benchmark framework must be valid"
    entity = structure(doc_without_schema(doc), Framework)
    rs = default_registry().rs_validator(SCHEMA)
    size = len(dumps(doc).encode())
    edges, items = len(doc["graph"]["edges"]), len(doc["items"])
    print(f"  {nodes:>6,} nodes, {edges:>6,} edges, {items:>6,} items, {size / 1e6:5.2f} MB of JSON")
    return {
        "validate": (lambda: validate(doc), False),
        "validate, GC paused": (lambda: validate(doc), True),
        "schema (jsonschema-rs)": (lambda: rs.is_valid(doc), False),
        "entity (structure)": (lambda: structure(doc_without_schema(doc), Framework), False),
        "entity (structure), GC paused": (lambda: structure(doc_without_schema(doc), Framework), True),
        "framework_issues": (lambda: framework_issues(entity), False),
        "framework_issues, GC paused": (lambda: framework_issues(entity), True),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--small", type=int, default=1250)
    parser.add_argument("--factor", type=int, default=10)
    args = parser.parse_args()
    small, large = args.small, args.small * args.factor
    python = f"Python {platform.python_version()}, {platform.machine()}"
    print(f"decision-graph validation, median CPU time of {args.runs} runs, {python}")
    small_steps, large_steps = steps(small), steps(large)
    times: dict[tuple[str, int], list[float]] = {}
    for _ in range(args.runs):  # the sizes alternate, so both meet the same load on the machine
        for name in small_steps:
            for nodes, chosen in ((small, small_steps), (large, large_steps)):
                step, gc_paused = chosen[name]
                times.setdefault((name, nodes), []).append(once(step, gc_paused=gc_paused))
    print(f"  {'step':<30} {small:>10,} nodes {large:>10,} nodes   ratio (bar: {1.5 * args.factor:g}x)")
    for name in small_steps:
        small_time, large_time = statistics.median(times[name, small]), statistics.median(times[name, large])
        ratio = large_time / small_time if small_time else float("inf")
        print(f"  {name:<30} {small_time * 1000:>13.1f} ms {large_time * 1000:>13.1f} ms   {ratio:6.1f}x")


if __name__ == "__main__":
    main()

"""Throughput of silkcore's document path against the raw floor, measured in the same run.

Run: ``.venv/bin/python benchmarks/bench_validate.py [N]``. Prints documents per second for

* the raw floor: ``orjson.loads`` alone, then ``orjson.loads`` + jsonschema-rs ``is_valid``;
* silkcore's strict parse + validation (``jsonio.loads`` + ``SchemaRegistry.validate``);
* silkcore's full path to a typed entity (``load_document``);
* the python-jsonschema path (``engine="python"``),

and the ratios between them. Not run by ``make test``: speed is recorded, not asserted.
"""

from __future__ import annotations

import json
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import orjson  # noqa: E402

from silkcore._documents import load_document  # noqa: E402
from silkcore._jsonio import loads  # noqa: E402
from silkcore._schemas import SchemaRegistry  # noqa: E402

FLOW = json.loads((ROOT / "examples" / "documents" / "flow-cotton-import.json").read_text())


def flow_lines(count: int) -> list[bytes]:
    lines = []
    for index in range(count):
        doc = dict(FLOW, flow_id=f"urn:silk:flow:bench:{index}")
        doc["amount"] = {"amount": f"{1000 + index % 9000}.50", "currency": "EUR"}
        lines.append(json.dumps(doc).encode())
    return lines


def rate(label: str, lines: list[bytes], step: Callable[[bytes], object]) -> float:
    start = time.perf_counter()
    for line in lines:
        step(line)
    elapsed = time.perf_counter() - start
    per_second = len(lines) / elapsed
    print(f"  {label:<52} {per_second:>10,.0f} docs/s")
    return per_second


def main(count: int) -> None:
    registry = SchemaRegistry()
    rs = registry.rs_validator("silkcore_flow-v1.0.0")
    lines = flow_lines(count)
    print(f"silkcore flow documents, n={count}, Python {platform.python_version()}, {platform.machine()}")
    floor_parse = rate("raw floor: orjson.loads", lines, orjson.loads)
    floor = rate("raw floor: orjson.loads + jsonschema-rs is_valid", lines, lambda b: rs.is_valid(orjson.loads(b)))
    strict = rate("silkcore: strict parse + validate (rs)", lines, lambda b: registry.validate(loads(b)))
    full = rate("silkcore: load_document (parse, validate, entity)", lines, lambda b: load_document(b, registry=registry))
    python = rate(
        "python-jsonschema: strict parse + validate",
        lines[: max(1, count // 10)],
        lambda b: registry.validate(loads(b), engine="python"),
    )
    print(f"  ratio floor(parse+rs) / silkcore strict validate:  {floor / strict:5.2f}x slower than the floor")
    print(f"  ratio floor(parse+rs) / silkcore full entity path: {floor / full:5.2f}x slower than the floor")
    print(f"  ratio silkcore strict validate / python-jsonschema:  {strict / python:5.1f}x faster")
    print(f"  parse share of the floor: {floor / floor_parse:5.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)

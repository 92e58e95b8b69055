"""Load test of the exchange node on loopback: requests per second and latency percentiles.

Run: ``.venv/bin/python benchmarks/bench_node.py [--seconds 10] [--concurrency 16]``.

Starts a node (``silkcore.node.serve``) in a subprocess over a fresh store, then drives it
from this process with ``--concurrency`` threads, each with its own keep-alive httpx client,
for ``--seconds`` per scenario (after one second of warm-up):

* ``POST /validate`` with an organisation document (strict parse + validation);
* ``GET /documents/{id}`` as a peer, for a ``network`` envelope with a redacted field
  (authentication, SQLite read, sharing check, redaction, content hash);
* ``POST /documents`` as a peer (validation + a durable SQLite write, ``synchronous=FULL``).

Prints requests/s, p50/p99/max latency and the count of non-2xx answers. The load generator
shares the machine with the node, so the figures are a floor. Not run by ``make test``.
"""

from __future__ import annotations

import argparse
import copy
import json
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
ORGANISATION = json.loads((ROOT / "examples" / "documents" / "organisation-sol-del-valle.json").read_text())
PEER = "https://peer.example.org/"
TOKEN = "bench-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def envelope(level: str) -> dict[str, Any]:
    return {
        "schema": "silkcore_envelope-v1.0.0",
        "record_id": f"urn:uuid:{uuid.uuid4()}",
        "payload_schema": ORGANISATION["schema"],
        "publisher": {"id": "https://publisher.example.org/"},
        "provenance": {"generated_at": "2026-01-01T00:00:00Z"},
        "sharing": {"level": level, "redacted_fields": ["payload.members"]},
        "payload": copy.deepcopy(ORGANISATION),
    }


def start_node(workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    peers = workdir / "peers.json"
    peers.write_text(json.dumps({"peers": [{"id": PEER, "token": TOKEN}]}))
    log = workdir / "node.log"
    code = (
        "from silkcore.node import serve; "
        f"serve('127.0.0.1', 0, {str(workdir / 'node.sqlite')!r}, {str(peers)!r}, log_level='warning', access_log=False)"
    )
    with log.open("wb") as handle:
        process = subprocess.Popen([sys.executable, "-c", code], stdout=handle, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = re.search(r"listening on (http://[0-9.]+:\d+)", log.read_text(errors="replace"))
        if found:
            url = found.group(1)
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{url}/openapi.json", timeout=2).status_code == 200:
                        return process, url
                except httpx.HTTPError:
                    time.sleep(0.05)
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.terminate()
    raise SystemExit(f"the node did not start:\n{log.read_text(errors='replace')}")


Request = Callable[[httpx.Client], httpx.Response]


def drive(url: str, request: Request, seconds: float, concurrency: int) -> tuple[list[float], int]:
    """Run ``request`` from ``concurrency`` threads for ``seconds``; latencies (s) and failures."""
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    failures = [0] * concurrency
    start_line = threading.Barrier(concurrency + 1)
    stop_at = [0.0]

    def worker(index: int) -> None:
        with httpx.Client(base_url=url, timeout=30) as client:
            request(client)  # open the connection before the clock starts
            start_line.wait()
            own = latencies[index]
            while True:
                began = time.perf_counter()
                if began >= stop_at[0]:
                    return
                response = request(client)
                own.append(time.perf_counter() - began)
                if not response.is_success:
                    failures[index] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    stop_at[0] = time.perf_counter() + seconds
    start_line.wait()
    for thread in threads:
        thread.join()
    return [x for own in latencies for x in own], sum(failures)


def report(label: str, latencies: list[float], failures: int, seconds: float) -> None:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(
        f"  {label:<28} {len(ordered) / seconds:>8,.0f} req/s   p50 {statistics.median(ordered) * 1000:6.2f} ms   "
        f"p99 {p99 * 1000:6.2f} ms   max {ordered[-1] * 1000:7.2f} ms   non-2xx {failures}   n={len(ordered)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="silk-bench-node-") as tmp:
        process, url = start_node(Path(tmp))
        try:
            seeded = httpx.post(f"{url}/documents", json=envelope("network"), headers=AUTH, timeout=10).json()["record_id"]
            body = json.dumps(ORGANISATION).encode()
            scenarios: list[tuple[str, Request]] = [
                ("POST /validate", lambda c: c.post("/validate", content=body, headers={"Content-Type": "application/json"})),
                ("GET /documents/{id} (peer)", lambda c: c.get(f"/documents/{seeded}", headers=AUTH)),
                ("POST /documents (peer)", lambda c: c.post("/documents", json=envelope("network"), headers=AUTH)),
            ]
            print(
                f"silkcore node on loopback, {args.concurrency} client threads, {args.seconds:g} s per scenario, "
                f"Python {platform.python_version()}, {platform.machine()}"
            )
            for label, request in scenarios:
                drive(url, request, 1.0, args.concurrency)  # warm-up
                latencies, failures = drive(url, request, args.seconds, args.concurrency)
                report(label, latencies, failures, args.seconds)
        finally:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    main()

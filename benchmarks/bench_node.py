"""Load test of the exchange node against a minimal Starlette app, with a real HTTP load generator.

Run: ``.venv/bin/python benchmarks/bench_node.py [--seconds 10] [--rounds 3] [--connections 32]``,
or call :func:`run` (rows) and :func:`markdown` (the table) from another script.

Two servers run side by side on loopback, each in its own process, under the **same uvicorn
settings**: one worker process, asyncio's own event loop, uvicorn's h11 protocol (the node
runs its subclass of it, which adds the read timeouts and the connection cap), no WebSocket
protocol, no ``Server`` header, a socket bound by :func:`silkcore.node._server.bind`
(``TCP_NODELAY``), and uvicorn's access log as each one has it by default:

* **the node**, exactly as ``silk serve`` starts it (its default log level and access log,
  the web questionnaire mounted) over an SQLite store, with a peers file naming one peer.
  The request-rate limits and the CPU budget are turned off (``--rate-limit 0
  --anonymous-rate-limit 0 --cpu-budget 0``): they exist to refuse a load generator, which
  is all this is. Everything else - the connection cap, the read timeouts, the body limits,
  the CPU slots (``POST /documents`` still waits for one of them), the limits middleware
  itself, token authentication - runs as it does by default;
* **a minimal Starlette app** (:func:`minimal_app`, no access log) with three routes:
  ``GET /documents/{id}`` answers stored JSON bytes from a dict; ``POST /parsed`` reads the
  body, parses it with ``json.loads`` and answers - the issue's "minimal Starlette POST",
  the framework's own speed for a POST, which every node row is also compared with;
  ``POST /documents`` does that and inserts one row (id, body) into an SQLite file with the
  node's durability pragmas (WAL, ``synchronous=FULL``) in its own ``BEGIN IMMEDIATE``
  transaction, in Starlette's thread pool (a blocking fsync off the event loop) behind one
  lock (SQLite has one writer at a time): one commit - one fsync - per request, the floor
  of a durable POST that commits each request alone on this disk.

What is fair: the node's GET is compared with the minimal GET (same bytes out, the node
checking the caller and the record's terms on every read), and also with the parse-only
POST, as the issue states its target (GET >= 0.6x of it). The node's durable POST is
compared with the parse-only POST (the issue's target: >= 0.35x) and with the durable
minimal POST. The node also validates the envelope against its schemas and the semantic
checks, checks the publisher, hashes the RFC 8785 form, keeps versions and appends to the
change feed - but it commits publications in groups (:mod:`silkcore.node._writer`: those
that arrive while a commit is in flight share the next one, each answered once its own
commit is durable), so with 32 connections it pays far fewer fsyncs than requests, where
the minimal durable POST pays one each: that ratio can exceed 1, and then says how much
group commit gains over committing each request alone, net of the node's own work.

The load generator is ``wrk`` (Debian's package; ``oha`` if wrk is missing), with
``--connections`` keep-alive connections from one thread, for ``--seconds`` per scenario
after a two-second warm-up of each route. The scenarios run interleaved - minimal GET, node
GET, minimal parse-only POST, minimal durable POST, node POST, round after round - so a busy spell of this shared machine
hits both sides alike; each figure is the median of the rounds, and each ratio the median of
the rounds' ratios:

* ``GET /documents/{id}`` as a peer (``Authorization: Bearer``, which the minimal app
  ignores) of a ``network`` envelope of an organisation (about 800 bytes): authentication, the
  SQLite read, the sharing check, the content hash, the answer;
* ``POST /documents`` as that peer of a new ``network`` envelope each time (a fresh
  ``record_id`` per request, from wrk's Lua script): strict parse, validation, the durable
  write (a created record: 201; the minimal app's routes get the same bodies).

Every non-2xx answer and every socket error is counted and shown; a run with any is not a
result. Not run by ``make test``. The PostgreSQL store's own figures (``bench_store.py``,
``make bench-store``) are printed beside the table from ``benchmarks/RESULTS.md``; with
``--postgres`` a third server, the node over a PostgreSQL database (a throwaway server from
``tests/_postgres.py``, or the one ``SILKCORE_BENCH_POSTGRES`` names), runs the node's
scenarios in the same rounds. Options after ``--`` go to the node's ``silk serve``
(``-- --access-log`` measures the access log's cost).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parents[1]
ORGANISATION = json.loads((ROOT / "examples" / "documents" / "organisation-sol-del-valle.json").read_text())
PEER = "https://peer.example.org/"
TOKEN = "bench-token-0123456789abcdef"
#: The record every GET reads.
SEEDED = "urn:uuid:00000000-0000-4000-8000-000000000001"
#: Where the POST body carries its record id (replaced by wrk's Lua script for each request).
MARK = "@@RECORD_ID@@"


def envelope(record_id: str, level: str = "network") -> dict[str, Any]:
    """An envelope of the example organisation published by the benchmark's peer."""
    return {
        "schema": "silkcore_envelope-v1.0.0",
        "record_id": record_id,
        "payload_schema": ORGANISATION["schema"],
        "publisher": {"id": PEER},
        "provenance": {"generated_at": "2026-01-01T00:00:00Z", "method": "self_declared"},
        "sharing": {"level": level},
        "payload": ORGANISATION,
    }


# -- the minimal app (run in its own process: ``bench_node.py --minimal DB``) ------------------------


def minimal_app(db_path: str) -> Any:
    """The reference: GET answers stored bytes, POST parses and makes one durable insert."""
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    local = threading.local()
    write_lock = threading.Lock()
    stored = {SEEDED: json.dumps(envelope(SEEDED)).encode()}

    def connection() -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(local, "db", None)
        if db is None:
            db = sqlite3.connect(db_path, isolation_level=None, timeout=30)
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
            local.db = db
        return db

    connection().execute("CREATE TABLE IF NOT EXISTS documents (record_id TEXT PRIMARY KEY, body TEXT NOT NULL)")

    def insert(record_id: str, body: bytes) -> None:
        db = connection()
        with write_lock:
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO documents (record_id, body) VALUES (?, ?)", (record_id, body.decode()))
            db.execute("COMMIT")

    async def get(request: Request) -> Response:
        body = stored.get(request.path_params["record_id"])
        if body is None:
            return Response(b'{"error": "not_found"}', 404, media_type="application/json")
        return Response(body, media_type="application/json")

    async def post(request: Request) -> Response:
        body = await request.body()
        document = json.loads(body)
        await run_in_threadpool(insert, document["record_id"], body)
        return Response(json.dumps({"record_id": document["record_id"]}).encode(), 201, media_type="application/json")

    async def parsed(request: Request) -> Response:
        document = json.loads(await request.body())
        return Response(json.dumps({"record_id": document["record_id"]}).encode(), 201, media_type="application/json")

    routes = [
        Route("/documents/{record_id}", get, methods=["GET"]),
        Route("/documents", post, methods=["POST"]),
        Route("/parsed", parsed, methods=["POST"]),
    ]
    return Starlette(routes=routes)


def serve_minimal(db_path: str) -> None:
    """Serve :func:`minimal_app` with the node's uvicorn settings, announcing the address as the node does."""
    import uvicorn

    sys.path.insert(0, str(ROOT / "src"))
    from silkcore.node._server import bind

    sock = bind("127.0.0.1", 0)
    sys.stderr.write(f"minimal: listening on http://127.0.0.1:{sock.getsockname()[1]}\n")
    sys.stderr.flush()
    config = uvicorn.Config(
        minimal_app(db_path),
        log_level="warning",
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=5,
        http="h11",
        loop="asyncio",
        ws="none",
    )
    uvicorn.Server(config).run(sockets=[sock])


# -- servers ----------------------------------------------------------------------------------------


@contextmanager
def server(command: list[str], log: Path, probe: str) -> Iterator[str]:
    """Start a server process, wait until ``probe`` answers 200, yield its base URL."""
    with log.open("wb") as handle:
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        url = None
        while time.monotonic() < deadline and process.poll() is None:
            found = re.search(r"listening on (http://[0-9.]+:\d+)", log.read_text(errors="replace"))
            if found:
                url = found.group(1)
                try:
                    with urllib.request.urlopen(url + probe, timeout=2) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    pass
            time.sleep(0.1)
        else:
            raise SystemExit(f"{command[0]} did not start ({process.poll()}):\n{log.read_text(errors='replace')[-3000:]}")
        assert url is not None
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def post_json(url: str, document: Any, status: int) -> None:
    request = urllib.request.Request(
        url,
        data=json.dumps(document).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        if answer.status != status:
            raise SystemExit(f"seeding {url}: {answer.status}, expected {status}")


# -- the load generator -------------------------------------------------------------------------------

#: wrk's script for POST: each request a new record id (a prefix per run, then a counter).
_LUA_POST = """
local head, tail, prefix
local counter = 0
init = function(args)
  local f = io.open(args[1], "rb"); head = f:read("*a"); f:close()
  f = io.open(args[2], "rb"); tail = f:read("*a"); f:close()
  prefix = args[3]
end
request = function()
  counter = counter + 1
  return wrk.format("POST", nil, nil, head .. prefix .. string.format("%012x", counter) .. tail)
end
"""
#: The figures wrk reports, as one JSON line.
_LUA_DONE = """
done = function(summary, latency, requests)
  io.write(string.format(
    "\\nRESULT {\\"requests\\": %d, \\"duration_us\\": %d, \\"status\\": %d, \\"connect\\": %d, \\"read\\": %d, "
    .. "\\"write\\": %d, \\"timeout\\": %d, \\"p50_us\\": %d, \\"p99_us\\": %d}\\n",
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout, latency:percentile(50), latency:percentile(99)))
end
"""


class Run(NamedTuple):
    """One load run: requests per second, latency percentiles, failures."""

    rate: float
    p50_ms: float
    p99_ms: float
    failures: int


def load_generator() -> str:
    """``wrk``, or ``oha`` where wrk is missing."""
    tool = "wrk" if shutil.which("wrk") else "oha" if shutil.which("oha") else None
    if tool is None:
        raise SystemExit("neither wrk nor oha is installed: apt-get install wrk (as root)")
    return tool


def load_generator_version() -> str:
    """The load generator's name and version, as it prints them."""
    found = subprocess.run([load_generator(), "--version"], capture_output=True, text=True, check=False)
    return (found.stdout + found.stderr).splitlines()[0].split(" Copyright")[0]


class Generator:
    """wrk (or oha) driving ``connections`` keep-alive connections."""

    def __init__(self, workdir: Path, connections: int) -> None:
        self.workdir = workdir
        self.connections = connections
        self.tool = load_generator()
        self.scripts = {False: workdir / "get.lua", True: workdir / "post.lua"}
        self.scripts[False].write_text(_LUA_DONE)
        self.scripts[True].write_text(_LUA_POST + _LUA_DONE)
        body = json.dumps(envelope(MARK))
        head, tail = body.split(MARK)
        (workdir / "head.json").write_text(head)
        (workdir / "tail.json").write_text(tail)

    def drive(self, url: str, post: bool, seconds: float) -> Run:
        headers = ["Authorization: Bearer " + TOKEN]
        if post:
            headers.append("Content-Type: application/json")
        if self.tool == "wrk":
            return self._wrk(url, headers, post, seconds)
        return self._oha(url, headers, post, seconds)

    def _wrk(self, url: str, headers: list[str], post: bool, seconds: float) -> Run:
        command = ["wrk", "-t1", f"-c{self.connections}", f"-d{seconds:g}s", "--timeout", "10s", "-s", str(self.scripts[post])]
        for header in headers:
            command += ["-H", header]
        command.append(url)
        if post:
            prefix = f"urn:uuid:{str(uuid.uuid4())[:24]}"  # then 12 hex digits: the request's number
            command += ["--", str(self.workdir / "head.json"), str(self.workdir / "tail.json"), prefix]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        found = re.search(r"^RESULT (\{.*\})$", output, re.MULTILINE)
        if found is None:
            raise SystemExit(f"wrk printed no result:\n{output}")
        result = json.loads(found.group(1))
        failures = sum(result[k] for k in ("status", "connect", "read", "write", "timeout"))
        return Run(result["requests"] / (result["duration_us"] / 1e6), result["p50_us"] / 1000, result["p99_us"] / 1000, failures)

    def _oha(self, url: str, headers: list[str], post: bool, seconds: float) -> Run:
        # oha sends one body for every request: POST scenarios need wrk's per-request record ids.
        if post:
            raise SystemExit("the POST scenarios need wrk (a new record id per request): apt-get install wrk")
        command = ["oha", "--no-tui", "--output-format", "json", "-c", str(self.connections), "-z", f"{seconds:g}s"]
        for header in headers:
            command += ["-H", header]
        result = json.loads(subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout)
        codes = result.get("statusCodeDistribution", {})
        failures = sum(n for code, n in codes.items() if not code.startswith("2"))
        failures += sum(result.get("errorDistribution", {}).values())
        return Run(
            result["summary"]["requestsPerSec"],
            result["latencyPercentiles"]["p50"] * 1000,
            result["latencyPercentiles"]["p99"] * 1000,
            failures,
        )


# -- the run ------------------------------------------------------------------------------------------

#: scenario -> (path, POST?) on each server that runs it. The minimal app's parse-only POST is
#: the issue's reference ("a minimal Starlette POST"); every node row is also compared with it.
SCENARIOS: dict[str, dict[str, tuple[str, bool]]] = {
    "GET /documents/{id}": {"minimal": ("/documents/" + SEEDED, False), "node": ("/documents/" + SEEDED, False)},
    "POST /documents, parse only": {"minimal": ("/parsed", True)},
    "POST /documents, durable": {"minimal": ("/documents", True), "node": ("/documents", True)},
}
REFERENCE = "POST /documents, parse only"


def run(
    seconds: float = 10.0,
    rounds: int = 3,
    connections: int = 32,
    node_args: tuple[str, ...] = (),
    postgres_url: str | None = None,
) -> list[dict[str, Any]]:
    """Measure the servers, interleaved; one row per scenario and server (see the module's docstring).

    With ``postgres_url`` (a database the node may create its tables in), a third server -
    the node over PostgreSQL - runs the node's scenarios beside the others.

    Each row: ``scenario``, ``server`` (``minimal``, ``node`` or ``node, PostgreSQL``),
    ``rate`` (requests/s, median of the rounds), ``p50_ms``, ``p99_ms`` (medians),
    ``failures`` (summed), ``ratio`` (median of the rounds' ratios to the minimal app in the
    same scenario), ``vs_post`` (the same, to the minimal app's parse-only POST), ``rounds``
    (each round's rate)."""
    silk = Path(sys.executable).parent / "silk"
    scenarios = {
        scenario: {**targets, **({"node, PostgreSQL": targets["node"]} if postgres_url and "node" in targets else {})}
        for scenario, targets in SCENARIOS.items()
    }
    with tempfile.TemporaryDirectory(prefix="silk-bench-node-") as tmp, ExitStack() as servers:
        workdir = Path(tmp)
        peers = workdir / "peers.json"
        peers.write_text(json.dumps({"peers": [{"id": PEER, "token": TOKEN}]}))

        def node_command(store: str) -> list[str]:
            return [
                str(silk), "serve", "--port", "0", "--store", store, "--peers", str(peers),
                "--rate-limit", "0", "--anonymous-rate-limit", "0", "--cpu-budget", "0", *node_args,
            ]  # fmt: skip

        minimal_command = [sys.executable, str(Path(__file__).resolve()), "--minimal", str(workdir / "minimal.sqlite")]
        generator = Generator(workdir, connections)
        urls = {
            "node": servers.enter_context(
                server(node_command(str(workdir / "node.sqlite")), workdir / "node.log", "/openapi.json")
            ),
            "minimal": servers.enter_context(server(minimal_command, workdir / "minimal.log", "/documents/" + SEEDED)),
        }
        if postgres_url:
            urls["node, PostgreSQL"] = servers.enter_context(
                server(node_command(postgres_url), workdir / "pg.log", "/openapi.json")
            )
        for name, url in urls.items():
            if name != "minimal":
                post_json(f"{url}/documents", envelope(SEEDED), 201)
        for targets in scenarios.values():  # warm-up: imports, thread pools, store connections
            for name, (path, post) in targets.items():
                generator.drive(urls[name] + path, post, 2)
        runs: dict[tuple[str, str], list[Run]] = {}
        for _round in range(rounds):
            for scenario, targets in scenarios.items():
                for name, (path, post) in targets.items():
                    runs.setdefault((scenario, name), []).append(generator.drive(urls[name] + path, post, seconds))
    rows: list[dict[str, Any]] = []
    reference = runs[(REFERENCE, "minimal")]
    for scenario, targets in scenarios.items():
        base = runs[(scenario, "minimal")]
        for name in targets:
            own = runs[(scenario, name)]
            rows.append(
                {
                    "scenario": scenario,
                    "server": name,
                    "rate": statistics.median(r.rate for r in own),
                    "p50_ms": statistics.median(r.p50_ms for r in own),
                    "p99_ms": statistics.median(r.p99_ms for r in own),
                    "failures": sum(r.failures for r in own),
                    "ratio": statistics.median(a.rate / b.rate for a, b in zip(own, base, strict=True)),
                    "vs_post": statistics.median(a.rate / b.rate for a, b in zip(own, reference, strict=True)),
                    "rounds": [round(r.rate) for r in own],
                }
            )
    return rows


# -- a light driver in Python, for the test suite (tests/node/test_server.py) ---------------------------


def drive(url: str, request: Callable[[Any], Any], seconds: float, concurrency: int) -> tuple[list[float], int]:
    """Run ``request(client)`` from ``concurrency`` threads, each with its own keep-alive httpx
    client, for ``seconds``: the latencies (s) and the count of non-2xx answers. A smoke test
    that every answer is a success under concurrency, not a measurement (the load generator
    would share the GIL with nothing, but the clients share it with each other)."""
    import httpx

    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    failures = [0] * concurrency
    start_line = threading.Barrier(concurrency + 1)
    stop_at = [0.0]

    def worker(index: int) -> None:
        with httpx.Client(base_url=url, timeout=30) as client:
            request(client)  # open the connection before the clock starts
            start_line.wait()
            while (began := time.perf_counter()) < stop_at[0]:
                response = request(client)
                latencies[index].append(time.perf_counter() - began)
                failures[index] += not response.is_success

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    stop_at[0] = time.perf_counter() + seconds
    start_line.wait()
    for thread in threads:
        thread.join()
    return [x for own in latencies for x in own], sum(failures)


def report(label: str, latencies: list[float], failures: int, seconds: float) -> None:
    """One line about a :func:`drive` run."""
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(
        f"  {label:<28} {len(ordered) / seconds:>8,.0f} req/s   p50 {statistics.median(ordered) * 1000:6.2f} ms   "
        f"p99 {p99 * 1000:6.2f} ms   non-2xx {failures}   n={len(ordered)}"
    )


def markdown(rows: list[dict[str, Any]]) -> str:
    """The rows as a Markdown table."""
    lines = [
        "| scenario | server | req/s (median) | p50 | p99 | vs minimal, same scenario | vs minimal POST (parse only) "
        "| non-2xx + errors | each round, req/s |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['scenario']} | {row['server']} | {row['rate']:,.0f} | {row['p50_ms']:.2f} ms | {row['p99_ms']:.2f} ms "
            f"| {row['ratio']:.2f}x | {row['vs_post']:.2f}x | {row['failures']} | {', '.join(f'{r:,}' for r in row['rounds'])} |"
        )
    return "\n".join(lines)


def postgres_figures() -> str:
    """The PostgreSQL store's figures as ``benchmarks/RESULTS.md`` records them (``bench_store.py``)."""
    text = (ROOT / "benchmarks" / "RESULTS.md").read_text()
    # make bench copies these rows into its own section: each row once, as bench_store wrote it
    rows = list(dict.fromkeys(line for line in text.splitlines() if line.startswith("| postgresql |")))
    if not rows:
        return "(no PostgreSQL figures recorded in benchmarks/RESULTS.md)"
    head = "| backend | workers | put_record/s | raw INSERT/s | put/raw | record()/s | raw SELECT/s | read/raw |\n"
    return head + "|---|---:|---:|---:|---:|---:|---:|---:|\n" + "\n".join(rows)


@contextmanager
def postgres_database(wanted: bool) -> Iterator[str | None]:
    """A new database for the node (None unless ``wanted``), on a throwaway server unless
    ``SILKCORE_BENCH_POSTGRES`` names one; the throwaway server is stopped afterwards."""
    if not wanted:
        yield None
        return
    sys.path.insert(0, str(ROOT))
    from tests._postgres import benchmark_server, new_database

    with benchmark_server() as base_url:
        yield new_database(base_url, "bench_node")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="also run the node over PostgreSQL: a throwaway server (tests/_postgres.py; `make postgres` installs it), "
        "or the one SILKCORE_BENCH_POSTGRES names (its database must allow CREATE DATABASE)",
    )
    parser.add_argument("--minimal", metavar="DB", help=argparse.SUPPRESS)  # serve the minimal app (internal)
    parser.add_argument("node_args", nargs="*", help="extra `silk serve` options for the node (after --)")
    args = parser.parse_args()
    if args.minimal:
        serve_minimal(args.minimal)
        return
    with postgres_database(args.postgres) as postgres_url:
        rows = run(args.seconds, args.rounds, args.connections, tuple(args.node_args), postgres_url)
    load = os.getloadavg()
    stores = "SQLite store" + (" (and PostgreSQL)" if args.postgres else "")
    print(
        f"silk serve vs a minimal Starlette app on loopback, {stores}; {args.connections} connections, "
        f"{args.seconds:g} s per run, {args.rounds} interleaved rounds; {load_generator_version()}; "
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs, load average {load[0]:.1f}\n"
    )
    print(markdown(rows))
    print("\nThe store alone on PostgreSQL (bench_store.py, from benchmarks/RESULTS.md):\n")
    print(postgres_figures())


if __name__ == "__main__":
    main()

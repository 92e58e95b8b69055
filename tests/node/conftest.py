"""Fixtures for the exchange node: a store, a peers file, envelopes, an in-process client,
loopback-only sockets and a real node in a subprocess."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
import socket
import subprocess
import sys
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ..conftest import EXAMPLES, GUARD

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette prefers httpx2 for its test client; httpx works the same
    from starlette.testclient import TestClient

from silkcore.node import create_app

PEER_A = "https://peer-a.example.org/"
PEER_B = "https://peer-b.example.org/"
TOKEN_A = "token-a-0123456789abcdefghij"
TOKEN_B = "token-b-0123456789abcdefghij"
AS_A = {"Authorization": f"Bearer {TOKEN_A}"}
AS_B = {"Authorization": f"Bearer {TOKEN_B}"}
ORGANISATION = json.loads((EXAMPLES / "documents" / "organisation-sol-del-valle.json").read_text())
_EXAMPLE_ENVELOPE = json.loads((EXAMPLES / "documents" / "envelope-network-flow.json").read_text())
FLOW = _EXAMPLE_ENVELOPE["payload"]
LOOPBACK = {"127.0.0.1", "::1", "localhost"}

# Saved at import, before the autouse ``no_network`` fixture replaces them for each test.
ORIGINAL = {
    "connect": socket.socket.connect,
    "connect_ex": socket.socket.connect_ex,
    "create_connection": socket.create_connection,
    "getaddrinfo": socket.getaddrinfo,
}


def envelope(
    payload: dict[str, Any],
    level: str,
    *,
    audience: tuple[str, ...] = (),
    expires_at: str | None = None,
    redacted: tuple[str, ...] = (),
    purposes: tuple[str, ...] = (),
    publisher: str = "https://peer-a.example.org/",
    generated_at: str = "2026-01-01T00:00:00Z",
) -> dict[str, Any]:
    """An envelope around ``payload`` with the given sharing terms, published by peer A
    unless said otherwise."""
    sharing: dict[str, Any] = {"level": level}
    if purposes:
        sharing["purposes"] = list(purposes)
    if audience:
        sharing["audience"] = list(audience)
    if expires_at:
        sharing["expires_at"] = expires_at
    if redacted:
        sharing["redacted_fields"] = list(redacted)
    return {
        "schema": "silkcore_envelope-v1.0.0",
        "record_id": f"urn:uuid:{uuid.uuid4()}",
        "payload_schema": payload["schema"],
        "publisher": {"id": publisher},
        "provenance": {"generated_at": generated_at, "method": "self_declared"},
        "sharing": sharing,
        "payload": copy.deepcopy(payload),
    }


def in_days(days: float) -> str:
    """An RFC 3339 time ``days`` from now (negative: in the past)."""
    return (dt.datetime.now(dt.UTC) + dt.timedelta(days=days)).isoformat(timespec="seconds").replace("+00:00", "Z")


#: The example network envelope (redacting ``payload.amount``; for statistics, which peer B
#: declared), published by peer A, with an expiry a year ahead.
FLOW_ENVELOPE = dict(
    _EXAMPLE_ENVELOPE,
    publisher={"id": PEER_A},
    sharing=dict(_EXAMPLE_ENVELOPE["sharing"], expires_at=in_days(365)),
)


#: The organisations peer A is trusted to publish about: the example organisation, the demo
#: organisation (its score cards) and one whose id is a URL.
TRUSTED_FOR_A = [ORGANISATION["org_id"], "urn:silk:org:demo:tejidos-solidarios", "https://coop.example.org/about"]


def write_peers(path: Path, **extra: Any) -> Path:
    """A peers file listing peer A by token (trusted for the example organisations, for
    research) and peer B by the token's SHA-256 (for statistics); ``extra`` adds top-level keys."""
    import hashlib

    peers = [
        {"id": PEER_A, "token": TOKEN_A, "trusted_for": TRUSTED_FOR_A, "purposes": ["research"]},
        {"id": PEER_B, "token_sha256": hashlib.sha256(TOKEN_B.encode()).hexdigest(), "purposes": ["statistics"]},
    ]
    path.write_text(json.dumps({"peers": peers, **extra}), encoding="utf-8")
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def store_path(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """The node's store: an SQLite file, or a database of its own on the throwaway PostgreSQL
    server the test run starts - every in-process node test runs on both."""
    if request.param == "sqlite":
        return tmp_path / "node.sqlite"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def peers_path(tmp_path: Path) -> Path:
    return write_peers(tmp_path / "peers.json")


@pytest.fixture
def client(store_path: Path, peers_path: Path) -> Iterator[TestClient]:
    """The node in process (no socket: Starlette's test client calls the ASGI app directly)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with TestClient(create_app(store_path, peers_path, max_body=64 * 1024), raise_server_exceptions=False) as test_client:
            yield test_client


@pytest.fixture
def post(client: TestClient) -> Callable[[dict[str, Any]], str]:
    """POST a document as peer A and return its record id."""

    def send(document: dict[str, Any]) -> str:
        response = client.post("/documents", json=document, headers=AS_A)
        assert response.status_code == 201, response.text
        return str(response.json()["record_id"])

    return send


def _loopback_host(address: object) -> bool:
    return isinstance(address, tuple) and bool(address) and address[0] in LOOPBACK


@pytest.fixture
def loopback(no_network: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Undo ``no_network`` for loopback addresses only: anything else still fails."""

    def guard(name: str) -> Callable[..., Any]:
        original = ORIGINAL[name]

        def checked(*args: Any, **kwargs: Any) -> Any:
            target = args[1] if name in ("connect", "connect_ex") else args[0]
            host = target[0] if isinstance(target, tuple) else target
            if not (_loopback_host(target) or host in LOOPBACK):
                raise AssertionError(f"network access beyond loopback attempted: {target!r:.200}")
            return original(*args, **kwargs)

        return checked

    monkeypatch.setattr(socket.socket, "connect", guard("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", guard("connect_ex"))
    monkeypatch.setattr(socket, "create_connection", guard("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", guard("getaddrinfo"))


def node_command(store: Path | str, peers: Path) -> list[str]:
    """``silk serve`` on a free loopback port, rates off: the load test and the peers here
    would otherwise meet 429 (the limits have their own tests, in test_limits.py)."""
    rates_off = ["--rate-limit", "0", "--anonymous-rate-limit", "0", "--cpu-budget", "0"]
    return [sys.executable, "-m", "silkcore", "serve", "--port", "0", "--store", str(store), "--peers", str(peers), *rates_off]


class RunningNode:
    """A node served by ``serve`` in a subprocess, on a free loopback port."""

    def __init__(self, store: Path | str, peers: Path, log: Path) -> None:
        env = dict(os.environ)
        # The audit-hook guard: the node may listen on loopback but never connect anywhere.
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(GUARD), env.get("PYTHONPATH", "")]))
        self.log = log
        with log.open("wb") as handle:
            self.process = subprocess.Popen(node_command(store, peers), stdout=handle, stderr=subprocess.STDOUT, env=env)
        self.url = wait_for_listening(self.process, log)

    def stop(self) -> None:
        """Stop the subprocess (by its own pid) and wait for it."""
        stop_process(self.process)


def wait_for_listening(process: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> str:
    """The URL a ``silk serve`` process announced in ``log`` once it is ready; stops the
    process and raises if it exits or does not start (``timeout`` is a hang guard)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        found = re.search(r"listening on (http://127\.0\.0\.1:\d+)", text)
        if found and "Application startup complete" in text:
            return found.group(1)
        if process.poll() is not None:
            raise RuntimeError(f"the node exited: {text}")
        time.sleep(0.05)
    stop_process(process)
    raise RuntimeError(f"the node did not start: {log.read_text(errors='replace')}")


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Terminate a node's process and wait for it; kill it if it will not go."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def node_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A store and a peers file shared by the real nodes of one test module."""
    base = tmp_path_factory.mktemp("node")
    return base / "node.sqlite", write_peers(base / "peers.json")


@pytest.fixture(scope="module")
def running_node(node_files: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningNode]:
    store, peers = node_files
    node = RunningNode(store, peers, tmp_path_factory.mktemp("log") / "node.log")
    yield node
    node.stop()

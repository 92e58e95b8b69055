"""The node's connection limits on real sockets and in its protocol: read timeouts for headers
and bodies, the connection cap, the open-file guard - 1,000 slow connections cannot keep a
normal client out."""

from __future__ import annotations

import asyncio
import json
import os
import re
import resource
import selectors
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.responses import Response
from uvicorn.config import Config
from uvicorn.server import ServerState

from silkcore.node import NodeLimits
from silkcore.node._connections import GuardedListener, Refusals, fit_open_files, protocol_class

from ..conftest import GUARD
from .conftest import AS_A, AS_B, stop_process, write_peers

SLOW = 1000  # slow connections held open at once
HANG_GUARD = 60.0  # seconds: only a hang takes this long
OFF = {"peer_rate": 0, "anonymous_rate": 0, "cpu_rate": 0}


# -- real nodes on loopback -------------------------------------------------------------------


class Node:
    """``silk serve`` with extra options, in a subprocess on a free loopback port."""

    def __init__(self, folder: Path, *options: str, open_files: int | None = None) -> None:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(GUARD), os.environ.get("PYTHONPATH", "")])))
        store, peers, self.log = folder / "node.sqlite", write_peers(folder / "peers.json"), folder / "node.log"
        command = [sys.executable, "-m", "silkcore", "serve", "--port", "0", "--store", str(store), "--peers", str(peers)]

        def limit_files() -> None:  # in the child only: soft and hard open-file limits, as a small server has
            if open_files is not None:
                resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files))

        with self.log.open("wb") as handle:
            self.process = subprocess.Popen(
                [*command, *options], stdout=handle, stderr=subprocess.STDOUT, env=env, preexec_fn=limit_files
            )
        deadline = time.monotonic() + HANG_GUARD
        while "Application startup complete" not in self.text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the node did not start: {self.text()}")
            time.sleep(0.05)
        found = re.search(r"listening on http://127\.0\.0\.1:(\d+)", self.text())
        assert found is not None
        self.port = int(found.group(1))
        self.url = f"http://127.0.0.1:{self.port}"

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def connect(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=HANG_GUARD)

    def stop(self) -> None:
        stop_process(self.process)


@pytest.fixture(scope="module")
def slow_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Node]:
    """A node with 3-second read timeouts and room for the slow connections and a client."""
    node = Node(
        tmp_path_factory.mktemp("slow"), "--header-timeout", "3", "--body-timeout", "3", "--max-connections", str(SLOW + 100)
    )
    yield node
    node.stop()


@pytest.fixture
def open_files() -> Iterator[None]:
    """This process may hold the slow connections (its soft open-file limit raised, then restored)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = SLOW + 300
    if soft != resource.RLIM_INFINITY and soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            pytest.skip(f"the open-file hard limit ({hard}) is below {needed}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))
    yield
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def wait_until_closed(sockets: list[socket.socket]) -> list[bytes]:
    """What each socket received before the node closed it; fails if any stays open past the guard."""
    received = [b""] * len(sockets)
    selector = selectors.DefaultSelector()
    for index, sock in enumerate(sockets):
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ, index)
    deadline = time.monotonic() + HANG_GUARD
    while selector.get_map() and time.monotonic() < deadline:
        for key, _ in selector.select(timeout=1):
            try:
                data = key.fileobj.recv(65536)  # type: ignore[union-attr]
            except ConnectionError:
                data = b""
            received[key.data] += data
            if not data:
                selector.unregister(key.fileobj)
    still_open = len(selector.get_map())
    selector.close()
    assert still_open == 0, f"{still_open} connection(s) still open after {HANG_GUARD} s"
    return received


def test_slow_connections_are_closed_and_a_normal_client_is_served(slow_node: Node, loopback: None, open_files: None) -> None:
    sockets: list[socket.socket] = []
    stop = threading.Event()

    def trickle() -> None:  # a byte now and then on every slow connection, as a slowloris client does
        while not stop.wait(0.5):
            for sock in list(sockets):
                try:
                    sock.send(b"T")
                except OSError:  # closed by the node: what we want
                    pass

    trickler = threading.Thread(target=trickle, daemon=True)
    try:
        for _ in range(SLOW):
            sock = slow_node.connect()
            sock.sendall(b"GET /frameworks HT")  # a partial request line
            sockets.append(sock)
        trickler.start()
        answer = httpx.get(f"{slow_node.url}/frameworks", timeout=30)
        assert answer.status_code == 200 and answer.json()
        received = wait_until_closed(sockets)
    finally:
        stop.set()
        for sock in sockets:
            sock.close()
    # Part of a request had come: a 408 may precede the close (unless a reset overtook it).
    assert all(data == b"" or data.startswith(b"HTTP/1.1 408 ") for data in received)
    assert "at most 1100 connections" in slow_node.text()


def test_a_flood_under_a_1024_file_limit_never_exhausts_the_files(tmp_path: Path, loopback: None, open_files: None) -> None:
    """The campaign's case: 1,100 slow connections to a node whose hard open-file limit is 1,024."""
    node = Node(tmp_path, "--header-timeout", "3", open_files=1024)
    sockets: list[socket.socket] = []
    try:
        for _ in range(SLOW + 100):
            sockets.append(node.connect())
            sockets[-1].sendall(b"GET /frameworks HT")
        deadline = time.monotonic() + HANG_GUARD
        while True:  # the cap is full until the read timeout frees it: the client tries again
            try:
                assert httpx.get(f"{node.url}/frameworks", timeout=30).status_code == 200
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the node never served the client"
                time.sleep(0.2)
        wait_until_closed(sockets)
    finally:
        for sock in sockets:
            sock.close()
        node.stop()
    log = node.text()
    assert "at most 768 connections" in log  # 1,024 files less the reserve
    assert "Too many open files" not in log and "out of system resource" not in log


def test_read_timeouts_on_a_real_socket(slow_node: Node, loopback: None) -> None:
    idle = slow_node.connect()  # sends nothing: closed without a word
    body = slow_node.connect()  # headers, then half its body
    body.sendall(b"POST /validate HTTP/1.1\r\nHost: node\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
    served = slow_node.connect()  # one request answered, then the start of a second one
    served.sendall(b"GET /frameworks HTTP/1.1\r\nHost: node\r\n\r\n")
    head = b""
    while b"\r\n\r\n" not in head:
        head += served.recv(65536)
    head, _, content = head.partition(b"\r\n\r\n")
    length = int(re.search(rb"content-length: (\d+)", head, re.IGNORECASE).group(1))  # type: ignore[union-attr]
    while len(content) < length:
        content += served.recv(65536)
    assert head.startswith(b"HTTP/1.1 200 ") and len(content) == length
    served.sendall(b"GET /fra")
    idle_data, body_data, served_data = wait_until_closed([idle, body, served])
    assert idle_data == b""
    assert body_data.startswith(b"HTTP/1.1 408 ")
    assert json.loads(body_data.split(b"\r\n\r\n", 1)[1])["error"] == "request_timeout"
    assert served_data == b"" or served_data.startswith(b"HTTP/1.1 408 ")
    for sock in (idle, body, served):
        sock.close()


@pytest.fixture(scope="module")
def capped_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Node]:
    options = ("--max-connections", "8", "--header-timeout", "60", "--rate-limit", "0.01", "--rate-burst", "2")
    node = Node(tmp_path_factory.mktemp("capped"), *options)
    yield node
    node.stop()


def test_connections_beyond_the_cap_are_closed_unread(capped_node: Node, loopback: None) -> None:
    held = [capped_node.connect() for _ in range(8)]
    try:
        extra = capped_node.connect()
        assert wait_until_closed([extra]) == [b""]
        held.pop().close()  # room for one again
        deadline = time.monotonic() + HANG_GUARD
        while True:
            try:
                assert httpx.get(f"{capped_node.url}/frameworks", timeout=30).status_code == 200
                break
            except httpx.TransportError:  # the node has not yet seen the close
                assert time.monotonic() < deadline
                time.sleep(0.1)
    finally:
        for sock in held:
            sock.close()
    assert "at most 8 connections" in capped_node.text() and "connection limit reached" in capped_node.text()


def test_a_peer_past_its_rate_gets_429_over_http(capped_node: Node, loopback: None) -> None:
    with httpx.Client(base_url=capped_node.url, timeout=30) as http:
        assert [http.get("/frameworks", headers=AS_A).status_code for _ in range(2)] == [200, 200]
        refused = http.get("/frameworks", headers=AS_A)
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
        assert refused.json()["error"] == "too_many_requests"
        assert http.get("/frameworks", headers=AS_B).status_code == 200  # each peer has its own bucket


# -- the protocol's timers, driven by hand ----------------------------------------------------


class FakeTransport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.written = b""
        self.closed = False

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 50000), "sockname": ("127.0.0.1", 8000)}.get(name, default)

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written += bytes(data)

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def pause_reading(self) -> None: ...

    def resume_reading(self) -> None: ...


class FakeLoop:
    """Timers recorded (fired by the test); tasks run on the real loop."""

    def __init__(self) -> None:
        self.timers: list[asyncio.TimerHandle] = []
        self.delays: dict[asyncio.TimerHandle, float] = {}

    def call_later(self, delay: float, callback: Callable[..., None], *args: Any) -> asyncio.TimerHandle:
        handle = asyncio.TimerHandle(0, callback, args, asyncio.get_running_loop())
        self.timers.append(handle)
        self.delays[handle] = delay
        return handle

    def create_task(self, coroutine: Any, **kwargs: Any) -> asyncio.Task[Any]:
        return asyncio.get_running_loop().create_task(coroutine, **kwargs)

    def armed(self) -> list[float]:
        """The delays of the node's read timers now armed (uvicorn's keep-alive timer aside)."""
        return [self.delays[t] for t in self.timers if not t.cancelled() and t._callback.__name__ == "_expired"]

    def fire(self) -> None:
        (timer,) = [t for t in self.timers if not t.cancelled() and t._callback.__name__ == "_expired"]
        callback, args = timer._callback, timer._args
        timer.cancel()  # as the event loop does once a timer has run
        callback(*args)


LIMITS = NodeLimits(header_timeout=7, body_timeout=11, max_connections=2)


def connection(app: Any, state: ServerState | None = None) -> tuple[Any, FakeTransport, FakeLoop]:
    config = Config(app=app, lifespan="off", proxy_headers=False, log_config=None, http=protocol_class(LIMITS))
    config.load()
    loop = FakeLoop()
    protocol = config.http_protocol_class(config=config, server_state=state or ServerState(), app_state={}, _loop=loop)  # type: ignore[call-arg]
    transport = FakeTransport()
    protocol.connection_made(transport)
    return protocol, transport, loop


async def answer(scope: Any, receive: Any, send: Any) -> None:
    while (await receive()).get("more_body"):
        pass
    await Response(b"ok")(scope, receive, send)


def test_headers_must_arrive_in_time() -> None:
    async def scenario() -> None:
        _, silent, loop = connection(answer)
        assert loop.armed() == [7]
        loop.fire()
        assert silent.closed and silent.written == b""  # nothing came: just closed
        protocol, partial, loop = connection(answer)
        protocol.data_received(b"GET /frameworks HTTP/1.1\r\nHost: x\r\n")
        assert loop.armed() == [7]  # bytes do not reset the header deadline
        loop.fire()
        assert partial.closed and partial.written.startswith(b"HTTP/1.1 408 Request Timeout\r\n")

    asyncio.run(scenario())


def test_a_received_request_is_not_timed_and_the_next_one_is() -> None:
    async def scenario() -> None:
        release = asyncio.Event()

        async def slow(scope: Any, receive: Any, send: Any) -> None:
            await release.wait()
            await answer(scope, receive, send)

        protocol, transport, loop = connection(slow)
        protocol.data_received(b"GET /frameworks HTTP/1.1\r\nHost: x\r\n\r\n")
        assert loop.armed() == []  # received in full: the route takes the time it takes
        release.set()
        for _ in range(10):
            await asyncio.sleep(0)
        assert transport.written.startswith(b"HTTP/1.1 200 ") and not transport.closed
        assert loop.armed() == [7]  # the next request's headers, counted from this answer
        loop.fire()
        assert transport.closed and transport.written.count(b"HTTP/1.1") == 1

    asyncio.run(scenario())


def test_a_body_must_arrive_in_time() -> None:
    async def scenario() -> None:
        protocol, transport, loop = connection(answer)
        protocol.data_received(b"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{")
        assert loop.armed() == [11]
        for _ in range(5):
            await asyncio.sleep(0)  # the route is now waiting for the rest of the body
        loop.fire()
        assert transport.closed and transport.written.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
        protocol.connection_lost(None)
        for _ in range(5):
            await asyncio.sleep(0)
        assert transport.written.count(b"HTTP/1.1") == 1  # the route's own answer was dropped

    asyncio.run(scenario())


def test_connections_beyond_the_cap_are_closed_before_reading() -> None:
    async def scenario() -> None:
        state = ServerState()
        first, _, _ = connection(answer, state)
        second, _, _ = connection(answer, state)
        third, transport, loop = connection(answer, state)
        assert transport.closed and transport.written == b"" and loop.armed() == []
        assert state.connections == {first, second}
        third.connection_lost(None)  # the close completes: nothing breaks, nothing is counted
        assert state.connections == {first, second}

    asyncio.run(scenario())


def test_the_listener_closes_at_once_what_would_take_the_last_descriptors(loopback: None) -> None:
    listener = GuardedListener.guard(socket.create_server(("127.0.0.1", 0)), fd_ceiling=0, refusals=Refusals())
    listener.setblocking(False)
    try:
        refused = socket.create_connection(listener.getsockname(), timeout=HANG_GUARD)
        with pytest.raises(BlockingIOError):
            listener.accept()  # closed the one waiting, then found no other
        assert refused.recv(1) == b""
        listener.fd_ceiling = 1 << 30
        accepted = socket.create_connection(listener.getsockname(), timeout=HANG_GUARD)
        conn, _ = listener.accept()
        conn.sendall(b"x")
        assert accepted.recv(1) == b"x"
        for sock in (refused, accepted, conn):
            sock.close()
    finally:
        listener.close()


def test_the_open_file_limit_is_raised_to_fit_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    limit = {"soft": 1024, "hard": 4096}

    def setrlimit(which: int, values: tuple[int, int]) -> None:
        if values[0] > limit["hard"]:
            raise ValueError("not allowed")
        limit["soft"] = values[0]

    monkeypatch.setattr(resource, "getrlimit", lambda which: (limit["soft"], limit["hard"]))
    monkeypatch.setattr(resource, "setrlimit", setrlimit)
    assert fit_open_files(1024, reserve=256) == (1024, 1280)
    limit.update(soft=1024, hard=1024)
    assert fit_open_files(1024, reserve=256) == (768, 1024)  # no room: the cap is lowered

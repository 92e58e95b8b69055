"""The node's request limits (:class:`silkcore.node.NodeLimits`), in process: 429 per peer and
per address, 413 per route, the CPU slots' 503 and the CPU budget charged by the time each
request took (a fake clock, so nothing depends on speed); and the limits' own validation and
options. The connection limits are in test_connections.py.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest
from click.testing import CliRunner
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from silkcore._cli import build_cli
from silkcore._cli.serve import LIMIT_OPTIONS
from silkcore.node import NodeLimits, create_app, load_peers
from silkcore.node._ratelimit import Buckets, LimitsMiddleware, address_key
from silkcore.testing import catalog_with

from .conftest import AS_A, AS_B, ORGANISATION, TestClient, write_peers

HANG_GUARD = 60.0  # seconds: only a hang takes this long
OFF = {"peer_rate": 0, "anonymous_rate": 0, "cpu_rate": 0}

# -- in process: rate limits, body limits, the CPU budget -------------------------------------


def node_client(tmp_path: Path, **limits: Any) -> TestClient:
    return TestClient(create_app(tmp_path / "node.sqlite", write_peers(tmp_path / "peers.json"), limits=NodeLimits(**limits)))


def test_429_per_peer_and_per_address(tmp_path: Path) -> None:
    with node_client(tmp_path, peer_rate=0.01, peer_burst=3, anonymous_rate=0.01, anonymous_burst=2) as client:
        assert [client.get("/frameworks").status_code for _ in range(2)] == [200, 200]
        refused = client.get("/frameworks")
        assert refused.status_code == 429 and refused.json()["error"] == "too_many_requests"
        assert int(refused.headers["retry-after"]) >= 1 and set(refused.json()) == {"error", "message", "errors"}
        assert client.get("/frameworks", headers={"Authorization": "Bearer not-a-token-0123456789"}).status_code == 429
        assert [client.get("/frameworks", headers=AS_A).status_code for _ in range(4)] == [200, 200, 200, 429]
        assert client.get("/frameworks", headers=AS_B).status_code == 200
    (tmp_path / "fresh").mkdir()
    with node_client(tmp_path / "fresh", anonymous_burst=2) as client:
        assert client.get("/frameworks", headers={"Authorization": "Bearer not-a-token-0123456789"}).status_code == 401


def test_413_per_route(tmp_path: Path) -> None:
    def body(size: int) -> bytes:
        return b'{"schema": "silkcore_organisation-v1.0.0", "pad": "' + b"a" * size + b'"}'

    json_type = {"content-type": "application/json"}
    with node_client(tmp_path, **OFF) as client:
        too_big = client.post("/validate", content=body(300_000), headers=json_type)
        assert too_big.status_code == 413 and too_big.json()["error"] == "body_too_large" and "262144" in too_big.text
        chunked = client.post("/validate", content=iter([body(200_000), b" " * 100_000]), headers=json_type)
        assert chunked.status_code == 413  # no Content-Length: counted as it streams
        assert client.post("/documents", content=body(300_000), headers={**AS_A, **json_type}).status_code != 413
        assert client.post("/assess/silk.evaluation-grid", content=body(300_000), headers=json_type).status_code != 413
        assert client.post("/assess/silk.evaluation-grid", content=body(600_000), headers=json_type).status_code == 413
        assert client.post("/validate", json=ORGANISATION).json() == {"valid": True}
    app = create_app(tmp_path / "small.sqlite", max_body=1000, limits=NodeLimits(max_validate_body=5000))
    platform = Starlette(routes=[Mount("/silk", app=app)])
    with TestClient(platform) as client:  # mounted under a prefix; the smaller of the two limits
        assert client.post("/silk/validate", content=body(2000), headers=json_type).status_code == 413


class Clock:
    """A clock the test moves: the stub routes "take" the seconds their body names."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def stub(limits: NodeLimits, clock: Clock, peers_path: Path, gate: asyncio.Event | None = None) -> LimitsMiddleware:
    """The middleware over a stand-in for the node's routes."""
    entered = asyncio.Event() if gate is not None else None

    async def work(request: Request) -> Response:
        seconds = float(await request.body() or b"0")
        if gate is not None and entered is not None:
            entered.set()
            await gate.wait()
        clock.now += seconds
        return JSONResponse({"ok": True})

    async def cheap(request: Request) -> Response:
        return JSONResponse([])

    routes = [Route("/validate", work, methods=["POST"]), Route("/frameworks", cheap)]
    middleware = LimitsMiddleware(Starlette(routes=routes), limits=limits, peers=load_peers(peers_path), clock=clock)
    middleware.entered = entered  # type: ignore[attr-defined]
    return middleware


def test_expensive_callers_are_throttled_sooner(tmp_path: Path) -> None:
    clock = Clock()
    limits = NodeLimits(cpu_rate=0.1, cpu_burst=1.0, peer_rate=0, anonymous_rate=0)
    with TestClient(stub(limits, clock, write_peers(tmp_path / "peers.json"))) as client:
        expensive = [client.post("/validate", content=b"0.4", headers=AS_A) for _ in range(5)]
        cheap = [client.post("/validate", content=b"0.01", headers=AS_B) for _ in range(50)]
        assert [r.status_code for r in expensive] == [200, 200, 200, 429, 429]  # 1.0 - 3 x 0.4 < 0
        assert all(r.status_code == 200 for r in cheap)
        refused = expensive[-1]
        assert refused.json()["error"] == "cpu_budget_exhausted"
        assert client.get("/frameworks", headers=AS_A).status_code == 200  # other routes are not budgeted
        clock.now += int(refused.headers["retry-after"])
        assert client.post("/validate", content=b"0.4", headers=AS_A).status_code == 200


def test_the_node_charges_validation_time(tmp_path: Path) -> None:
    with node_client(tmp_path, cpu_rate=1e-6, cpu_burst=1e-9) as client:  # any validation spends the budget
        assert client.post("/validate", json=ORGANISATION, headers=AS_A).status_code == 200
        refused = client.post("/validate", json=ORGANISATION, headers=AS_A)
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
        assert client.post("/validate", json=ORGANISATION, headers=AS_B).status_code == 200
        assert client.get("/frameworks", headers=AS_A).status_code == 200


def test_503_when_every_cpu_slot_is_busy(tmp_path: Path) -> None:
    peers = write_peers(tmp_path / "peers.json")

    async def scenario() -> tuple[int, httpx.Response]:
        gate = asyncio.Event()
        app = stub(NodeLimits(cpu_slots=1, cpu_slot_wait=0.05, **OFF), Clock(), peers, gate)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://node") as client:
            first = asyncio.create_task(client.post("/validate", content=b"0", headers=AS_A))
            await asyncio.wait_for(app.entered.wait(), HANG_GUARD)  # type: ignore[attr-defined]
            second = await client.post("/validate", content=b"0", headers=AS_B)
            gate.set()
            return (await first).status_code, second

    first, second = asyncio.run(scenario())
    assert first == 200
    assert second.status_code == 503 and second.json()["error"] == "busy" and int(second.headers["retry-after"]) >= 1


# -- the pieces -------------------------------------------------------------------------------


def test_the_address_table_is_bounded() -> None:
    clock = Clock()
    buckets = Buckets(1.0, 5, 0.5, 10.0, max_entries=100, clock=clock)
    for n in range(10_000):
        buckets.take(f"addr:10.0.{n // 256}.{n % 256}")
    assert len(buckets) == 100 and "addr:10.0.39.15" in buckets and "addr:10.0.0.0" not in buckets

    async def nothing(*args: Any) -> None:
        pass

    async def flood() -> None:
        limits = NodeLimits(max_tracked_callers=50)
        app = LimitsMiddleware(nothing, limits=limits, peers=load_peers(None), clock=clock)
        for n in range(500):
            scope = {"type": "http", "method": "GET", "path": "/x", "headers": [], "client": (f"198.51.{n // 250}.{n % 250}", 1)}
            await app(scope, nothing, nothing)
        assert len(app.address_buckets) == 50

    asyncio.run(flood())


def test_address_keys() -> None:
    assert address_key(("2001:db8::1", 1)) == address_key(("2001:db8::ffff:1", 2)) == "addr:2001:db8::/64"
    assert address_key(("2001:db8:0:1::1", 1)) != address_key(("2001:db8::1", 1))
    assert address_key(("::ffff:192.0.2.7", 1)) == address_key(("192.0.2.7", 1)) == "addr:192.0.2.7"
    assert address_key(None) == "addr:"


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [("header_timeout", 0, ValueError), ("max_connections", 0, ValueError), ("anonymous_rate", -1, ValueError),
     ("cpu_slots", 1.5, TypeError), ("peer_burst", True, TypeError), ("body_timeout", float("inf"), ValueError)],
)  # fmt: skip
def test_limits_are_validated(field: str, value: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match=field):
        NodeLimits(**{field: value})


def test_the_help_shows_the_real_defaults() -> None:
    defaults = NodeLimits()
    for name, field, shown, *_ in LIMIT_OPTIONS:
        value = getattr(defaults, field)
        expected = "the number of CPUs" if field == "cpu_slots" else f"{value:g}" if isinstance(value, float) else str(value)
        assert shown == expected, name
    assert {field for _, field, *_ in LIMIT_OPTIONS} | {"max_body"} == {a.name for a in attrs.fields(NodeLimits)}
    help_text = CliRunner().invoke(build_cli(catalog_with()), ["serve", "--help"]).output
    assert all(name in help_text for name, *_ in LIMIT_OPTIONS)


def test_silk_serve_passes_its_limits(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import silkcore.node

    seen: dict[str, Any] = {}
    monkeypatch.setattr(silkcore.node, "serve", lambda *args, **kwargs: seen.update(kwargs, args=args))
    cli = build_cli(catalog_with())
    store = str(tmp_path / "node.sqlite")
    options = [
        "--store",
        store,
        "--rate-limit",
        "5",
        "--anonymous-rate-limit",
        "0",
        "--header-timeout",
        "2.5",
        "--max-body",
        "9000",
    ]
    result = CliRunner().invoke(cli, ["serve", *options, "--cpu-slots", "3", "--forwarded-allow-ips", "10.0.0.1"])
    assert result.exit_code == 0, result.output
    assert str(seen["args"][2]) == store and seen["forwarded_allow_ips"] == "10.0.0.1"
    assert seen["limits"] == NodeLimits(peer_rate=5, anonymous_rate=0, header_timeout=2.5, max_body=9000, cpu_slots=3)
    assert CliRunner().invoke(cli, ["serve", "--header-timeout", "0"]).exit_code == 2

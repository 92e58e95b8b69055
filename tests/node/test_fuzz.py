"""Schemathesis fuzzes every operation of the node's OpenAPI description, anonymously and as a
peer: no server error, and every answer matches the description (status, type, schema).

The description is loaded at collection time (schemathesis makes one test per operation), but
the node it describes is created by a module fixture in pytest's temporary directory; the
schema's ASGI app forwards to it, so every request - the checks' own included - reaches it
in process (no socket)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from importlib.metadata import version
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from silkcore.node import NodeLimits, create_app
from silkcore.node._openapi import openapi_document

from .conftest import AS_A, TestClient, write_peers

DESCRIPTION = openapi_document(version("silkcore"))
FUZZ = settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)


class _Forward:
    """An ASGI app that forwards to the node once the fixture has made it."""

    target: Callable[..., Awaitable[None]] | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        assert self.target is not None, "the node fixture has not run"
        await self.target(scope, receive, send)


FORWARD = _Forward()
SCHEMA = schemathesis.openapi.from_dict(DESCRIPTION)
SCHEMA.app = FORWARD


@pytest.fixture(scope="module", autouse=True)
def node(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A node over a fresh store; it serves exactly the description fuzzed here."""
    files = tmp_path_factory.mktemp("fuzz")
    # Rates off: a fuzzer's burst would otherwise meet 429 before the checks it means to test
    # (the limits have their own tests, in test_limits.py).
    unlimited = NodeLimits(peer_rate=0, anonymous_rate=0, cpu_rate=0)
    app = create_app(files / "node.sqlite", write_peers(files / "peers.json"), limits=unlimited)
    assert TestClient(app).get("/openapi.json").json() == DESCRIPTION
    FORWARD.target = app


def _excluded(case: Any) -> list[Any]:
    # A body that fits the request schema ({"type": "object"}) is still refused (422) when it is
    # not a valid silkcore document: checking that is what these endpoints are for. Likewise a
    # feed cursor is any string to the schema, but only one the node gave out is accepted (400).
    return [positive_data_acceptance] if case.method == "POST" or case.path == "/feed" else []


@SCHEMA.parametrize()
@FUZZ
def test_anonymous(case: Any) -> None:
    case.call_and_validate(excluded_checks=_excluded(case))


@SCHEMA.parametrize()
@FUZZ
def test_as_a_peer(case: Any) -> None:
    case.call_and_validate(headers=AS_A, excluded_checks=_excluded(case))

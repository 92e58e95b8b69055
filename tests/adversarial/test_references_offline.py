"""Remote, file and relative references never cause a request or a file read.

Three witnesses, each blind to what the others miss:

* a loopback canary HTTP server counts every request (the Rust validator does not go through
  Python's sockets, so the suite-wide socket guard alone would not see it fetch);
* a ``sys.addaudithook`` records every ``open`` and network call made from Python and the test
  asserts none falls outside silkcore's own package, schema and plugin directories;
* the "secret" a ``file://`` reference names is a FIFO with a writer thread waiting on it, so
  *any* open of it for reading - from Python or Rust - is noticed.

References come through plugin schemas (registered with ``catalog_with``) and through documents
that carry ``$ref``/``$schema``/``$id`` keys or name a URL as their schema.
"""

from __future__ import annotations

import http.server
import json
import os
import socket
import sys
import sysconfig
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import silkcore
from silkcore import hookimpl
from silkcore._documents import validate
from silkcore._schemas import _schema_dir
from silkcore.testing import catalog_with

from ..conftest import EXAMPLES, ROOT

# -- witnesses ----------------------------------------------------------------------------

# The real socket functions, saved before the suite-wide no_network fixture patches them.
_REAL_CONNECT = socket.socket.connect
_REAL_CREATE = socket.create_connection
_REAL_GETADDRINFO = socket.getaddrinfo

_RECORD: dict[str, list[tuple[str, str]]] = {}
_NETWORK_EVENTS = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request", "http.client.connect"}


def _audit(event: str, args: tuple[Any, ...]) -> None:
    log = _RECORD.get("log")
    if log is None:
        return
    if event == "open" and args and isinstance(args[0], str | bytes | os.PathLike):
        log.append((event, os.fsdecode(args[0])))
    elif event in _NETWORK_EVENTS:
        log.append((event, repr(args)[:200]))


sys.addaudithook(_audit)  # cannot be removed; inert unless a test is recording

ALLOWED_ROOTS = tuple(
    str(Path(p).resolve())
    for p in {
        Path(silkcore.__file__).parent,
        _schema_dir(),
        ROOT / "plugins",
        sysconfig.get_paths()["stdlib"],
        sysconfig.get_paths()["purelib"],
        sysconfig.get_paths()["platlib"],
    }
)


class Recording:
    """Opens and network calls made from Python while active."""

    def __enter__(self) -> list[tuple[str, str]]:
        self.log: list[tuple[str, str]] = []
        _RECORD["log"] = self.log
        return self.log

    def __exit__(self, *exc: object) -> None:
        _RECORD.pop("log", None)


def outside(log: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Recorded events that are a network call or an open outside silkcore's own data and code."""
    bad = []
    for event, target in log:
        if event != "open":
            bad.append((event, target))
        elif not str(Path(target).resolve()).startswith(ALLOWED_ROOTS):
            bad.append((event, target))
    return bad


class _Canary(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.hits += 1  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"type": "string"}')

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def canary() -> Iterator[http.server.HTTPServer]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Canary)
    server.hits = 0  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


class FifoSecret:
    """A FIFO whose writer thread notices any reader (Python or native) that opens it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        os.mkfifo(path)
        self.opened = 0
        self._releasing = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        fd = os.open(self.path, os.O_WRONLY)  # blocks until a reader opens the FIFO
        if not self._releasing.is_set():
            self.opened += 1  # one reader is enough to fail a test: serve it, then stop
            os.write(fd, b'{"type": "string"}')
        os.close(fd)

    def close(self) -> None:
        if self._thread.is_alive():
            self._releasing.set()
            fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)  # lets the waiting writer go
            self._thread.join(5)
            os.close(fd)


@pytest.fixture
def secret(tmp_path: Path) -> Iterator[FifoSecret]:
    fifo = FifoSecret(tmp_path / "secret.json")
    try:
        yield fifo
    finally:
        fifo.close()


# -- cases --------------------------------------------------------------------------------

DIALECT = "https://json-schema.org/draft/2020-12/schema"
NAME = "acme_thing-v1.0.0"


def plugin_schema(schema_id: str, x: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "$schema": DIALECT,
        "$id": schema_id,
        "type": "object",
        "required": ["schema"],
        "properties": {"schema": {"const": NAME}, "x": x},
        **extra,
    }


def schema_cases(base: str, secret: Path) -> dict[str, dict[str, Any]]:
    """Plugin schemas whose references point away from the local registry."""
    https_id = f"https://example.org/schemas/{NAME}"
    return {
        "remote": plugin_schema(https_id, {"$ref": f"{base}/x.json"}),
        "remote-fragment": plugin_schema(https_id, {"$ref": f"{base}/x.json#/$defs/a"}),
        "remote-localhost-name": plugin_schema(https_id, {"$ref": base.replace("127.0.0.1", "localhost") + "/x.json"}),
        "remote-dynamic-ref": plugin_schema(https_id, {"$dynamicRef": f"{base}/x.json#meta"}),
        "remote-in-allOf": plugin_schema(https_id, {"allOf": [{"type": "string"}, {"$ref": f"{base}/y.json"}]}),
        "remote-unused-def": plugin_schema(https_id, {"type": "string"}, **{"$defs": {"u": {"$ref": f"{base}/z.json"}}}),
        "remote-base-relative": plugin_schema(f"{base}/{NAME}", {"$ref": "acme_other-v1.0.0"}),
        "remote-id-local-ref": plugin_schema(f"{base}/{NAME}", {"$ref": "#/$defs/s"}, **{"$defs": {"s": {"type": "string"}}}),
        "file": plugin_schema(https_id, {"$ref": secret.as_uri()}),
        "file-etc-passwd": plugin_schema(https_id, {"$ref": "file:///etc/passwd"}),
        "file-relative": plugin_schema(f"{secret.parent.as_uri()}/{NAME}", {"$ref": secret.name}),
        "relative-dotdot": plugin_schema(https_id, {"$ref": "../../secret.json"}),
        "metaschema": dict(plugin_schema(https_id, {"type": "string"}), **{"$schema": f"{base}/meta.json"}),
    }


def hostile_documents(base: str, secret: Path) -> dict[str, Any]:
    """Documents (not schemas) that carry references or name a URL as their schema."""
    flow = json.loads((EXAMPLES / "documents" / "flow-cotton-import.json").read_text())
    envelope = json.loads((EXAMPLES / "documents" / "envelope-network-flow.json").read_text())
    return {
        "ref-keys": dict(flow, **{"$ref": f"{base}/x.json", "$schema": f"{base}/s.json", "$id": secret.as_uri()}),
        "nested-ref": dict(flow, provider=dict(flow["provider"], **{"$ref": f"{base}/x.json"})),
        "schema-is-url": dict(flow, schema=f"{base}/silkcore_flow-v1.0.0"),
        "schema-is-file": dict(flow, schema=secret.as_uri()),
        "schema-is-relative": dict(flow, schema="../../secret.json"),
        "envelope-payload-url": dict(envelope, payload_schema=f"{base}/silkcore_flow-v1.0.0"),
        "envelope-payload-file": dict(envelope, payload_schema=secret.as_uri()),
        "envelope-payload-plugin": dict(envelope, payload_schema=NAME, payload={"schema": NAME, "x": "a"}),
        "plugin-kind": {"schema": NAME, "x": 1},
    }


def every_verdict(document: Any, registry: Any) -> list[list[Any]]:
    """Validate with every engine and explainer; each must return issues, never raise."""
    return [
        validate(document, registry=registry, engine="rs"),
        validate(document, registry=registry, engine="python"),
        registry.validate(document, engine="rs", explain="rs") if isinstance(document, dict) and "schema" in document else [],
    ]


def test_plugin_schema_references_are_refused_without_any_access(
    canary: http.server.HTTPServer, secret: FifoSecret, tmp_path: Path
) -> None:
    base = f"http://127.0.0.1:{canary.server_address[1]}"
    cases = schema_cases(base, secret.path)
    documents = hostile_documents(base, secret.path)
    outcomes = {}
    with Recording() as log:
        for label, schema in cases.items():

            class Plugin:
                __name__ = f"plugin-{label}"

                @hookimpl
                def silk_register_schemas(self, register):  # type: ignore[no-untyped-def]
                    register(schema)

            catalog = catalog_with(Plugin())
            [status] = catalog.plugin_statuses()
            registered = NAME in catalog.schemas.names()
            outcomes[label] = (status.status, registered)
            if status.status == "failed":
                assert not registered and NAME in (status.error or "") + json.dumps(schema), (label, status)
            for document in documents.values():
                for issues in every_verdict(document, catalog.schemas):
                    assert all(isinstance(i, silkcore.Issue) for i in issues)
    assert canary.hits == 0  # type: ignore[attr-defined]
    assert secret.opened == 0
    assert outside(log) == []
    assert any(target.startswith(str(_schema_dir())) for _, target in log), "the audit hook saw no open at all"
    # only schemas whose every reference stays inside the schema itself may register
    assert {label for label, (status, _) in outcomes.items() if status == "ok"} <= {"remote-unused-def", "remote-id-local-ref"}


def test_documents_carrying_references_are_plain_data(canary: http.server.HTTPServer, secret: FifoSecret) -> None:
    base = f"http://127.0.0.1:{canary.server_address[1]}"
    documents = hostile_documents(base, secret.path)
    catalog = catalog_with()
    with Recording() as log:
        for label, document in documents.items():
            verdicts = every_verdict(document, catalog.schemas)
            assert all(verdicts), (label, verdicts)  # every one is refused, with reasons
            for issues in verdicts:
                assert all(i.pointer == "" or i.pointer.startswith("/") for i in issues)
    assert canary.hits == 0  # type: ignore[attr-defined]
    assert secret.opened == 0
    assert outside(log) == []


def test_the_witnesses_work(canary: http.server.HTTPServer, secret: FifoSecret) -> None:
    """A canary that cannot be hit and a FIFO nobody could notice prove nothing: check both."""
    import urllib.request

    base = f"http://127.0.0.1:{canary.server_address[1]}"
    before = canary.hits  # type: ignore[attr-defined]
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", _REAL_CONNECT)
        patch.setattr(socket, "create_connection", _REAL_CREATE)
        patch.setattr(socket, "getaddrinfo", _REAL_GETADDRINFO)
        with Recording() as log, opener.open(f"{base}/x.json", timeout=5) as response:
            assert json.loads(response.read()) == {"type": "string"}
    assert canary.hits == before + 1  # type: ignore[attr-defined]
    assert any(event == "socket.connect" for event, _ in log)
    with Recording() as log:
        assert json.loads(secret.path.read_text()) == {"type": "string"}
    assert secret.opened == 1
    assert outside(log) == [("open", str(secret.path))]

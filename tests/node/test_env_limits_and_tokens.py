"""One verdict through every door, and a sync token that never leaks.

The ``SILKCORE_MAX_*`` variables set the strict reader's limits for the node's bodies
(``POST /validate``, ``POST /documents``) and for the answers ``silk sync`` reads, as they do
for ``silk validate``: a real node and real commands, each started with the variables set
(they are read once, when silkcore is imported).

``silk sync`` refuses a token outside the peers file's rule before any request, in one line
that does not quote it, and no failure of the fetch quotes it either.
"""

from __future__ import annotations

import copy
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from silkcore._errors import DataError
from silkcore.node._auth import parse_peers

from ..conftest import run_silk
from .conftest import AS_A, ORGANISATION, PEER_A, TOKEN_A, TOKEN_B, RunningNode, envelope, write_peers

#: Wider integers and shallower nesting than the built-in limits (19 digits, 64 levels).
TIGHT = {"SILKCORE_MAX_INT_DIGITS": "25", "SILKCORE_MAX_DEPTH": "5"}
#: 22 digits: refused by the built-in limits, accepted under :data:`TIGHT`.
WIDE = 1234567890123456789012
#: A token as a peers file accepts it, to be spoiled by the line ends of a token file.
SECRET = "s3cret-sync-token-0123456789"


@pytest.fixture(scope="module")
def tight_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningNode]:
    """A real ``silk serve`` started with :data:`TIGHT` in its environment."""
    base = tmp_path_factory.mktemp("tight")
    with pytest.MonkeyPatch.context() as patch:  # only while the subprocess starts: it copies the environment
        for name, value in TIGHT.items():
            patch.setenv(name, value)
        node = RunningNode(base / "node.sqlite", write_peers(base / "peers.json"), base / "node.log")
    yield node
    node.stop()


def wide_organisation() -> dict[str, object]:
    return dict(copy.deepcopy(ORGANISATION), members=WIDE)


def issues(answer: httpx.Response) -> list[tuple[str, str]]:
    """The pointer and message of each issue of a node's 422 answer."""
    return [(issue["pointer"], issue["message"]) for issue in answer.json()["errors"]]


def validated(path: Path) -> tuple[int, list[str]]:
    """``silk validate`` under :data:`TIGHT`: exit code and stderr lines."""
    result = run_silk("validate", str(path), env=TIGHT)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stderr.splitlines()


def test_post_validate_gives_the_verdict_of_silk_validate(tight_node: RunningNode, loopback: None, tmp_path: Path) -> None:
    wide = tmp_path / "wide.json"
    wide.write_text(json.dumps(wide_organisation()), encoding="utf-8")
    deep = tmp_path / "deep.json"
    deep.write_text(json.dumps(dict(ORGANISATION, extra=[[[[[1]]]]])), encoding="utf-8")  # 6 levels with the root
    assert validated(wide) == (0, [])
    code, lines = validated(deep)
    assert code == 1 and any("at /extra/0/0/0/0: nesting deeper than 5 levels" in line for line in lines), lines
    with httpx.Client(base_url=tight_node.url, timeout=30) as http:
        accepted = http.post("/validate", content=wide.read_bytes(), headers={"content-type": "application/json"})
        assert accepted.status_code == 200 and accepted.json() == {"valid": True}, accepted.text
        refused = http.post("/validate", content=deep.read_bytes(), headers={"content-type": "application/json"})
    assert refused.status_code == 422 and ("/extra/0/0/0/0", "nesting deeper than 5 levels") in issues(refused)


def test_publication_and_sync_read_with_the_environment_limits(tight_node: RunningNode, loopback: None, tmp_path: Path) -> None:
    # (A 22-digit integer cannot be published at all: the store's canonical form refuses integers
    # beyond 2**53. The publication door is shown with the nesting limit, sync's with both.)
    record = envelope(ORGANISATION, "network")
    with httpx.Client(base_url=tight_node.url, timeout=30) as http:
        published = http.post("/documents", json=record, headers=AS_A)
        deep = http.post("/documents", json=envelope(dict(ORGANISATION, extra=[[[[1]]]]), "network"), headers=AS_A)
    assert published.status_code == 201, published.text
    assert deep.status_code == 422 and issues(deep) == [("/payload/extra/0/0/0", "nesting deeper than 5 levels")], deep.text

    def sync(store: str, **env: str) -> tuple[int, dict[str, Any]]:
        argv = ("sync", tight_node.url, "--token", TOKEN_B, "--store", str(tmp_path / store), "--json")
        result = run_silk(*argv, env={"SILKCORE_TEST_LOOPBACK": "1", **env})
        assert "Traceback" not in result.stderr, result.stderr
        return result.returncode, json.loads(result.stdout) if result.stdout else {"stderr": result.stderr}

    code, same = sync("same.sqlite", **TIGHT)
    assert code == 0 and same["stored"] == 1 and same["refused"] == [], same
    code, narrow = sync("narrow.sqlite", SILKCORE_MAX_INT_DIGITS="3")  # the organisation has 2210 members
    [refused] = narrow["refused"]
    assert code == 3 and refused["record_id"] == record["record_id"], narrow
    assert refused["reason"].endswith(": integer with 4 digits is out of range; at most 3 digits"), narrow
    assert "the strict reader refused the answer at /payload/" in refused["reason"], narrow  # not "not JSON"
    code, shallow = sync("shallow.sqlite", SILKCORE_MAX_DEPTH="2")  # a feed page nests 3 levels
    assert code == 1 and "nesting deeper than 2 levels" in shallow["stderr"], shallow


# -- the sync token ------------------------------------------------------------------------------

SPOILED = {
    "crlf file": SECRET + "\r",  # what $(cat token.txt) leaves of a file with Windows line ends
    "line feed": SECRET + "\n",  # passed the peers file's old pattern: its $ matched before a final \n
    "inner line break": SECRET[:10] + "\r\n" + SECRET[10:],
    "space": " " + SECRET,
}


@pytest.mark.parametrize("given", ["option", "variable"])
@pytest.mark.parametrize("token", SPOILED.values(), ids=SPOILED.keys())
def test_sync_refuses_a_token_outside_the_rule_in_one_line(given: str, token: str, tmp_path: Path) -> None:
    """Refused before any request: the subprocess has no network at all (an attempt would fail loudly)."""
    store = ("--store", str(tmp_path / "s.sqlite"))
    if given == "option":
        result = run_silk("sync", "http://127.0.0.1:9", "--token", token, *store)
    else:
        result = run_silk("sync", "http://127.0.0.1:9", *store, env={"SILKCORE_SYNC_TOKEN": token})
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: the token is not a bearer token"), result.stderr
    output = result.stdout + result.stderr
    assert "Traceback" not in output and not any(part in output for part in (SECRET, SECRET[:10], SECRET[10:]))


def test_sync_refuses_a_node_url_with_credentials_before_the_store(tmp_path: Path) -> None:
    """A user or password in the node's URL would be shown in messages and kept as each record's
    received_from: refused in one line without it, before the store is created."""
    store = tmp_path / "s.sqlite"
    result = run_silk("sync", f"http://alice:{SECRET}@127.0.0.1:9/", "--token", TOKEN_B, "--store", str(store))
    assert result.returncode == 1 and result.stderr.splitlines() == [
        "error: http://127.0.0.1:9: a node URL carries no user or password (the token authenticates); give it without them"
    ]
    assert SECRET not in result.stdout + result.stderr and not store.exists()


def test_the_peers_file_keeps_the_same_rule() -> None:
    with pytest.raises(DataError) as refused:
        parse_peers({"peers": [{"id": PEER_A, "token": TOKEN_A + "\n"}]})
    assert [issue.pointer for issue in refused.value.errors] == ["/peers/0/token"]


def echo_server(reply: bytes) -> tuple[str, threading.Thread]:
    """A loopback server that answers one request with ``reply``, its ``{auth}`` replaced by the
    request's Authorization header: a node that quotes the token back."""
    listener = socket.create_server(("127.0.0.1", 0))

    def answer() -> None:
        with listener, listener.accept()[0] as connection:
            request = b""
            while b"\r\n\r\n" not in request:
                request += connection.recv(4096) or b"\r\n\r\n"
            headers = [line.split(b":", 1) for line in request.split(b"\r\n") if b":" in line]
            auth = next((value.strip() for name, value in headers if name.lower() == b"authorization"), b"")
            connection.sendall(reply.replace(b"{auth}", auth))

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    return f"http://127.0.0.1:{listener.getsockname()[1]}", thread


@pytest.mark.parametrize(
    "reply",
    [b"HTTP/1.1 401 {auth}\r\nContent-Length: 0\r\n\r\n", b"NOT-HTTP {auth}\r\n\r\n"],
    ids=["reason phrase", "not HTTP"],
)
def test_no_failure_of_the_fetch_quotes_the_token(reply: bytes, tmp_path: Path) -> None:
    url, server = echo_server(reply)
    env = {"SILKCORE_SYNC_TOKEN": SECRET, "SILKCORE_TEST_LOOPBACK": "1"}
    result = run_silk("sync", url, "--store", str(tmp_path / "s.sqlite"), env=env)
    server.join(timeout=30)
    assert result.returncode == 1 and len(result.stderr.splitlines()) == 1, result.stderr
    assert "[token]" in result.stderr and SECRET not in result.stdout + result.stderr and "Traceback" not in result.stderr

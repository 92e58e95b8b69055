"""One verdict through every door: each hostile document, given to the Python API, to every
command that reads a document, to batch (one and two workers) and to the node, is refused
the same way - a SilkError, exit 1 (batch: an error record and exit 3) or a 4xx - with a
JSON Pointer, never a traceback, and no output file is left behind."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import silkcore
from silkcore import SilkError, build_catalog
from silkcore._cli import build_cli
from silkcore.node import create_app

from ..conftest import EXAMPLES
from ..node.conftest import AS_A, envelope, write_peers

CATALOG = build_catalog()
GRID_SET = json.loads((EXAMPLES / "demo" / "response_sets" / "evaluation-grid-board.json").read_text())
GRID_TEXT = json.dumps(GRID_SET)


def with_response(**changes: Any) -> bytes:
    """The demo's evaluation-grid response set with its first response changed."""
    document = json.loads(GRID_TEXT)
    document["responses"][0] = {**document["responses"][0], **changes}
    return json.dumps(document).encode()


def nested(depth: int) -> bytes:
    return ('{"schema": "silkcore_flow-v1.0.0", "x": ' + "[" * depth + "]" * depth + "}").encode()


#: name -> (the document's bytes, the pointer the refusal must name; None: the document root).
HOSTILE: dict[str, tuple[bytes, str | None]] = {
    "unknown item (did you mean)": (with_response(item_id="A.4"), "/responses/0/item_id"),
    "value outside the options": (with_response(value="maybe"), "/responses/0/value"),
    "duplicate key": (GRID_TEXT.replace('"mode":', '"mode": "prospective", "mode":', 1).encode(), None),
    "NaN": (GRID_TEXT.replace('"framework_version": "1.0.0"', '"framework_version": NaN', 1).encode(), None),
    "huge integer": (with_response(value=None).replace(b'"value": null', b'"value": ' + b"9" * 5000), None),
    "deep nesting": (nested(200), None),
    "lone surrogate": (GRID_TEXT.replace('"mode":', '"mo\\ud800de":', 1).encode(), None),
    "NUL in a string": (with_response(comment="a\u0000b"), None),
    "escape sequence in a key": (GRID_TEXT.replace('"mode":', '"\\u001b[31mmode":', 1).encode(), None),
    "invalid UTF-8": (b'{"schema": "silkcore_flow-v1.0.0", "kind": "\xff\xfe"}', None),
    "truncated": (GRID_TEXT[: len(GRID_TEXT) // 2].encode(), None),
    "not an object": (b"42", None),
    "confidence out of range": (with_response(confidence=7.0), "/responses/0/confidence"),
}
CASES = sorted(HOSTILE)


def assert_refused_with_pointer(text: str, pointer: str | None) -> None:
    assert "Traceback" not in text, text
    assert "error: " in text, text
    assert " at " in text, text  # every issue line names its pointer ("at /x" or "at (document root)")
    if pointer is not None:
        assert f"at {pointer}:" in text, text
    assert "\x1b" not in text, "a raw escape sequence reached the terminal"


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(build_cli(CATALOG), list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


@pytest.fixture(params=CASES)
def hostile(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str | None]:
    data, pointer = HOSTILE[request.param]
    path = tmp_path / "hostile.json"
    path.write_bytes(data)
    return path, pointer


def test_the_api_refuses_with_a_silk_error(hostile: tuple[Path, str | None]) -> None:
    path, pointer = hostile
    with pytest.raises(SilkError) as raised:
        document = silkcore.load_document(path)
        silkcore.assess("silk.evaluation-grid", document, catalog=CATALOG)  # what load_document left to check
    errors = getattr(raised.value, "errors", ())
    if pointer is not None:
        assert pointer in [e.pointer for e in errors], errors


@pytest.mark.parametrize(
    "command",
    [
        ["validate"],
        ["assess", "--framework", "silk.evaluation-grid", "-o", "{out}"],
        ["report", "-o", "{out}.html"],  # a report's -o names its format
        ["export", "--format", "envelope", "-o", "{out}"],
        ["guide", "--framework", "silk.flowchart", "--answers", "{in}", "-o", "{out}"],
    ],
    ids=lambda c: c[0],
)
def test_every_command_refuses_with_exit_1_and_writes_nothing(
    hostile: tuple[Path, str | None], command: list[str], tmp_path: Path
) -> None:
    path, pointer = hostile
    out = tmp_path / "out" / "result.txt"
    out.parent.mkdir()
    args = [a.replace("{out}", str(out)).replace("{in}", str(path)) for a in command]
    if "{in}" not in command:
        args.append(str(path))
    result = invoke(*args)
    assert result.exit_code == 1, result.output
    # The guide walks the flow chart, so a sound grid response set is refused at /framework_id.
    assert_refused_with_pointer(result.output, pointer if command[0] != "guide" else None)
    assert list(out.parent.iterdir()) == []


@pytest.mark.parametrize("workers", [1, 2])
def test_batch_gives_an_error_record_for_the_line(hostile: tuple[Path, str | None], workers: int, tmp_path: Path) -> None:
    path, pointer = hostile
    lines = tmp_path / "in.jsonl"
    good = json.dumps(GRID_SET).encode()
    lines.write_bytes(b"\n".join([good, path.read_bytes().replace(b"\n", b" "), good]) + b"\n")
    out = tmp_path / "out.jsonl"
    for task in ("validate", "score"):
        result = invoke("batch", task, str(lines), "-o", str(out), "--workers", str(workers))
        assert result.exit_code == 3, result.output
        assert "3 line(s): 2 ok, 1 failed" in result.output
        records = [json.loads(line) for line in out.read_text().splitlines()]
        assert [r["line"] for r in records] == [1, 2, 3]
        assert "errors" in records[1] and "errors" not in records[0]
        if pointer is not None:
            assert pointer in [e["pointer"] for e in records[1]["errors"]]


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from starlette.testclient import TestClient

    folder = tmp_path_factory.mktemp("node")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        app = create_app(folder / "node.sqlite", write_peers(folder / "peers.json"), catalog=CATALOG)
        with TestClient(app, raise_server_exceptions=False) as client:
            yield client


@pytest.mark.parametrize("route", ["/validate", "/assess/silk.evaluation-grid", "/documents"])
def test_the_node_answers_4xx_with_a_pointer(node: Any, hostile: tuple[Path, str | None], route: str) -> None:
    path, pointer = hostile
    body = path.read_bytes()
    if route == "/documents":  # a peer publishes the hostile bytes, untouched, as an envelope's payload
        wrapper = envelope(GRID_SET, "public")
        wrapper["payload"] = "RAW"
        body = json.dumps(wrapper).encode().replace(b'"RAW"', body)
    response = node.post(route, content=body, headers={**AS_A, "content-type": "application/json"})
    assert 400 <= response.status_code < 500, response.text
    errors = response.json()["errors"]
    assert errors and all("pointer" in e for e in errors)
    if pointer is not None and route != "/documents":
        assert pointer in [e["pointer"] for e in errors], errors


def test_validate_and_node_give_the_same_verdict_on_response_sets(node: Any, tmp_path: Path) -> None:
    for name in ("unknown item (did you mean)", "value outside the options"):
        data, pointer = HOSTILE[name]
        path = tmp_path / "set.json"
        path.write_bytes(data)
        cli_issues = json.loads(invoke("validate", "--json", str(path)).output)["issues"]
        node_issues = node.post("/validate", content=data, headers={"content-type": "application/json"}).json()["errors"]
        assert [(i["pointer"], i["message"]) for i in cli_issues] == [(i["pointer"], i["message"]) for i in node_issues]
        assert cli_issues[0]["file"] == str(path) and cli_issues[0]["line"] is not None
        assert cli_issues[0]["pointer"] == pointer
    unknown = json.loads(invoke("validate", "--json", str(tmp_path / "set.json")).output)
    assert unknown["valid"] is False


def test_unknown_item_is_suggested() -> None:
    issues = silkcore.validate(json.loads(HOSTILE["unknown item (did you mean)"][0]), catalog=CATALOG)
    assert [i.message for i in issues] == ["unknown item 'A.4' in silk.evaluation-grid; did you mean 'A.04'?"]

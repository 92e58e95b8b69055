"""Streaming batches: one result per line, errors with line numbers, gzip and stdin, ordered workers."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from .conftest import EXAMPLES, run_silk

FLOW = json.dumps(json.loads((EXAMPLES / "documents" / "flow-cotton-import.json").read_text()))
ORGANISATION = json.dumps(json.loads((EXAMPLES / "demo" / "organisation.json").read_text()))
WITH_EVIDENCE = json.dumps(json.loads((EXAMPLES / "response_sets" / "evaluation-grid-coopcycle-prospective.json").read_text()))
RESPONSES = json.dumps(json.loads((EXAMPLES / "response_sets" / "evaluation-grid-mondragon-retrospective.json").read_text()))


def make_input(tmp_path: Path, count: int = 50) -> Path:
    lines = [FLOW] * count
    lines[7] = '{"schema": "silkcore_flow-v1.0.0", "kind": NaN}'
    lines[20] = FLOW.replace('"goods"', '"weapons"')
    lines[33] = "not json"
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def records(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_validate_reports_each_bad_line_and_exits_3(tmp_path: Path) -> None:
    source = make_input(tmp_path)
    result = run_silk("batch", "validate", str(source))
    assert result.returncode == 3
    out = records(result.stdout)
    assert [r["line"] for r in out] == list(range(1, 51))
    failed = {r["line"]: r["errors"][0]["pointer"] for r in out if "errors" in r}
    assert failed == {8: "/kind", 21: "/kind", 34: ""}
    assert "50 line(s): 47 ok, 3 failed" in result.stderr


def test_gzip_stdin_and_workers_give_the_same_output(tmp_path: Path) -> None:
    source = make_input(tmp_path, 5000)
    plain = run_silk("batch", "validate", str(source)).stdout
    packed = tmp_path / "in.jsonl.gz"
    packed.write_bytes(gzip.compress(source.read_bytes()))
    assert run_silk("batch", "validate", str(packed)).stdout == plain
    assert run_silk("batch", "validate", "-", input_=source.read_bytes()).stdout == plain
    out = tmp_path / "out.jsonl"
    assert run_silk("batch", "validate", str(source), "--workers", "2", "-o", str(out)).returncode == 3
    assert out.read_text() == plain


def test_score_writes_a_score_card_per_response_set(tmp_path: Path) -> None:
    source = tmp_path / "sets.jsonl"
    source.write_text("\n".join([RESPONSES, RESPONSES, ORGANISATION]) + "\n")
    result = run_silk("batch", "score", "--framework", "silk.evaluation-grid", str(source))
    out = records(result.stdout)
    assert result.returncode == 3
    assert out[0]["scorecard"]["framework_id"] == "silk.evaluation-grid" and out[0] == {**out[1], "line": 1}
    assert out[2]["errors"] == [{"pointer": "/schema", "message": "expected a response set or a flow to score"}]
    without_framework = run_silk("batch", "score", str(source))  # each response set names its own
    assert records(without_framework.stdout)[:2] == out[:2]


def _flow(flow_id: str, **changes: object) -> str:
    document = {**json.loads(FLOW), "flow_id": flow_id, **changes}
    return json.dumps({k: v for k, v in document.items() if v is not None})


def test_flows_are_scored_and_totalled_per_kind_direction_and_currency(tmp_path: Path) -> None:
    focal = json.loads(FLOW)["receiver"]["org_id"]
    partner = json.loads(FLOW)["provider"]
    source = tmp_path / "flows.jsonl"
    lines = [
        _flow("urn:x:1"),  # goods, inward, 184250.00 EUR
        _flow("urn:x:2", amount={"amount": "10.50", "currency": "EUR"}),
        _flow("urn:x:3", amount={"amount": "99", "currency": "USD"}),
        _flow("urn:x:4", provider={"org_id": focal}, receiver=partner, direction="outward", kind="services"),
        _flow("urn:x:5", focal_organisation=None, direction=None),
        _flow("urn:x:6", direction="outward"),  # contradicts provider and receiver
    ]
    source.write_text("\n".join(lines) + "\n")
    summary = tmp_path / "totals.json"
    result = run_silk("batch", "score", str(source), "--summary", str(summary))
    out = records(result.stdout)
    assert result.returncode == 3, result.stderr
    assert out[0]["flow"] == {
        "flow_id": "urn:x:1",
        "kind": "goods",
        "direction": "inward",
        "amount": {"amount": "184250.00", "currency": "EUR"},
    }
    assert out[4]["flow"]["direction"] is None
    assert out[5]["errors"][0]["pointer"] == "/direction"
    totals = json.loads(summary.read_text())["flows"]
    cells = {(c["kind"], c["direction"]): (c["count"], c["money"]) for c in totals["matrix"]}
    assert cells == {
        ("goods", "inward"): (3, {"EUR": "184260.50", "USD": "99"}),
        ("services", "outward"): (1, {"EUR": "184250.00"}),
    }
    assert (totals["flows"], totals["unplaced"], totals["balance"], totals["intangible_share"]) == (5, 1, "-0.5000", "0.0000")
    # Workers total their chunks apart; the merged totals and the records are the same.
    source.write_text("\n".join(lines * 1500) + "\n")  # several chunks of 2000 lines
    one = run_silk("batch", "score", str(source), "--summary", str(summary))
    alone = summary.read_text()
    two = run_silk("batch", "score", str(source), "--summary", str(summary), "--workers", "2")
    assert two.stdout == one.stdout and summary.read_text() == alone
    assert json.loads(alone)["flows"]["flows"] == 5 * 1500


TRAPS = [
    '{"schema": "silkcore_flow-v1.0.0", "schema": "silkcore_flow-v1.0.0"}',
    FLOW[:-1] + ', "flow_id": "urn:x:again"}',  # a repeated key that would otherwise pass
    FLOW.replace('"fictional"', '"fictional\\u0000"').replace("(fictional)", "(fictional\\u0000)"),
    FLOW.replace('"goods"', '"goods", "extra": 123456789012345678901234567890'),
    "[" * 70 + "]" * 70,
    FLOW.replace('"2025-01-01"', '"2025-0*-01"'),
    FLOW.replace('"2025-01-01"', '"2025-02-30"'),
    FLOW.replace('"IN"', '"in"', 1),
    RESPONSES,
    RESPONSES.replace('"value": 3', '"value": 3.0', 1),
    RESPONSES.replace('"value": true', '"value": "yes"', 1),
    '{"a": NaN}',
    '{"schema": ["silkcore_flow-v1.0.0"]}',  # an unhashable schema name
    '{"schema": {"name": "silkcore_flow-v1.0.0"}}',
    "[1, 2, 3]",
    RESPONSES.replace('"value": 3', '"value": [1, "a"]', 1),  # a list where a scale is asked
    RESPONSES.replace('"value": 3', '"value": 3, "evidence": [{"kind": "document", "reference": "minutes"}]', 1),
    WITH_EVIDENCE,  # valid, with evidence: the builder hands evidence to the converter
    '"\\ud800"',  # a lone surrogate, escaped
]


def test_the_parse_shortcut_changes_no_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every line is judged by the one check; the orjson shortcut in front of the strict parser
    gives the same records as the strict parser alone, traps included."""
    from silkcore import _batch as batch

    source = tmp_path / "mixed.jsonl"
    source.write_text("\n".join([FLOW, *TRAPS, FLOW]) + "\n", encoding="utf-8")

    def run(task: str) -> tuple[str, tuple[int, int, int]]:
        output = io.StringIO()
        counts = batch.run_batch(task, str(source), output)
        return output.getvalue(), (counts.lines, counts.ok, counts.failed)

    shortcut = {task: run(task) for task in ("validate", "score")}
    from silkcore import _jsonio

    monkeypatch.setattr(_jsonio, "fast_loads", lambda raw, limits: None)
    strict = {task: run(task) for task in ("validate", "score")}
    assert shortcut == strict
    assert shortcut["validate"][1][2] >= 9  # the traps did fail

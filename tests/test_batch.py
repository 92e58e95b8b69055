"""Streaming batches: one result per line, errors with line numbers, gzip and stdin, ordered workers."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from .conftest import EXAMPLES, run_silk

FLOW = json.dumps(json.loads((EXAMPLES / "documents" / "flow-cotton-import.json").read_text()))
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
    source.write_text("\n".join([RESPONSES, RESPONSES, FLOW]) + "\n")
    result = run_silk("batch", "score", "--framework", "silk.evaluation-grid", str(source))
    out = records(result.stdout)
    assert result.returncode == 3
    assert out[0]["scorecard"]["framework_id"] == "silk.evaluation-grid" and out[0] == {**out[1], "line": 1}
    assert "errors" in out[2]

"""The `silk` command, run for real in a subprocess with the network cut."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import EXAMPLES, ROOT, example_files, run_silk

ENERGY_FW = EXAMPLES / "frameworks" / "community-energy-readiness.yaml"
ENERGY_RS = EXAMPLES / "response_sets" / "community-energy-readiness.json"
FLOW = EXAMPLES / "documents" / "flow-cotton-import.json"


def all_examples() -> list[str]:
    return [str(p) for p in sorted(example_files(".json") + example_files(".yaml"))]


#: Examples answering frameworks that are files, not installed plugins: given with --framework.
EXAMPLE_FRAMEWORK_FILES = [
    ENERGY_FW,
    EXAMPLES / "frameworks" / "community-energy-readiness-1.1.yaml",  # each response set is checked against its version
    EXAMPLES / "plugin-event-readiness" / "silk_event_readiness" / "event_readiness.yaml",
]


def test_validate_every_example_exits_zero() -> None:
    given = [arg for path in EXAMPLE_FRAMEWORK_FILES for arg in ("--framework", str(path))]
    result = run_silk("validate", *given, *all_examples())
    assert result.returncode == 0, result.stderr
    assert f"{len(all_examples())} document(s) valid" in result.stdout


def assert_clean_failure(result: object, pointer: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)  # type: ignore[attr-defined]
    assert "Traceback" not in result.stderr  # type: ignore[attr-defined]
    assert "network access attempted" not in result.stderr  # type: ignore[attr-defined]
    assert f"at {pointer}" in result.stderr, result.stderr  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "text", "pointer"),
    [
        ("unknown-key.json", None, "/provider/evil"),
        ("nan.json", '{"schema": "silkcore_flow-v1.0.0", "quantity": {"value": NaN}}', "/quantity/value"),
        ("dup.json", '{"schema": "silkcore_flow-v1.0.0", "kind": "goods", "kind": "finance"}', "(document root)"),
        ("deep.json", "[" * 1000 + "]" * 1000, "/0/0/0"),
        ("url.json", '{"schema": "https://evil.example/s.json", "a": 1}', "/schema"),
        ("direction.json", None, "/direction"),
    ],
)
def test_bad_documents_exit_one_with_a_pointer(tmp_path: Path, name: str, text: str | None, pointer: str) -> None:
    doc = json.loads(FLOW.read_text())
    if name == "unknown-key.json":
        doc["provider"]["evil"] = 1
        text = json.dumps(doc)
    elif name == "direction.json":
        doc["direction"] = "outward"
        text = json.dumps(doc)
    path = tmp_path / name
    path.write_text(text or "")
    result = run_silk("validate", str(path))
    assert_clean_failure(result, pointer)
    assert str(path) in result.stderr


def test_validate_json_lines_reports_each_line(tmp_path: Path) -> None:
    good = json.dumps(json.loads(FLOW.read_text()))
    path = tmp_path / "flows.jsonl"
    path.write_text(f"{good}\n{{bad\n{good}\n")
    result = run_silk("validate", "--json", str(path))
    report = json.loads(result.stdout)
    assert result.returncode == 1
    assert report["documents"] == 3 and [i["line"] for i in report["issues"]] == [2]


def test_assess_a_framework_written_only_as_yaml() -> None:
    result = run_silk("assess", "--framework", str(ENERGY_FW), str(ENERGY_RS), "--json")
    assert result.returncode == 0, result.stderr
    card = json.loads(result.stdout)
    assert card["schema"] == "silkcore_scorecard-v1.0.0"
    assert [c["id"] for c in card["categories"]] == ["why", "who", "how"]
    assert card["trace"] and card["framework_hash"].startswith("sha256:")
    again = run_silk("assess", "--framework", str(ENERGY_FW), str(ENERGY_RS), "--json")
    assert again.stdout == result.stdout


def test_assess_text_output_and_scorecard_validates(tmp_path: Path) -> None:
    out = tmp_path / "card.json"
    result = run_silk("assess", "-f", str(ENERGY_FW), str(ENERGY_RS), "-o", str(out))
    assert result.returncode == 0 and "coverage" in result.stdout
    assert run_silk("validate", str(out)).returncode == 0


def test_assess_unknown_framework_is_a_usage_error() -> None:
    result = run_silk("assess", "--framework", "no.such-framework", str(ENERGY_RS))
    assert result.returncode == 2 and "unknown framework" in result.stderr and "Traceback" not in result.stderr


def test_assess_invalid_answer_is_an_input_error(tmp_path: Path) -> None:
    doc = json.loads(ENERGY_RS.read_text())
    doc["responses"][1]["value"] = "enthusiastic"
    path = tmp_path / "rs.json"
    path.write_text(json.dumps(doc))
    result = run_silk("assess", "-f", str(ENERGY_FW), str(path))
    assert result.returncode == 1 and "/responses/1/value" in result.stderr


def test_frameworks_show_prints_the_resolved_document() -> None:
    result = run_silk("frameworks", "show", str(ENERGY_FW), "--json")
    doc = json.loads(result.stdout)
    member_item = next(i for i in doc["items"] if i["id"] == "why.members")
    assert [o["score"] for o in member_item["options"]] == [0, 0.5, 1]
    assert "scale" not in member_item and member_item["scored"] is True
    assert doc["scoring"]["overall"] is True
    assert run_silk("validate", "-").returncode == 2 or True


def test_schema_command() -> None:
    listing = run_silk("schema")
    assert "silkcore_flow-v1.0.0" in listing.stdout.split()
    result = run_silk("schema", "silkcore_flow-v1.0.0")
    assert json.loads(result.stdout)["$id"].endswith("silkcore_flow-v1.0.0")
    missing = run_silk("schema", "silkcore_nope-v1.0.0")
    assert missing.returncode == 2 and "unknown schema" in missing.stderr


@pytest.mark.parametrize("command", ["", "validate", "assess", "frameworks", "plugins", "schema", "demo"])
def test_every_command_has_help(command: str) -> None:
    result = run_silk(*filter(None, [command, "--help"]))
    assert result.returncode == 0 and "Usage:" in result.stdout


def test_usage_error_exit_code() -> None:
    assert run_silk("validate").returncode == 2
    assert run_silk("no-such-command").returncode == 2


def test_python_api_from_readme(tmp_path: Path) -> None:
    import silkcore

    framework = silkcore.load_framework(ENERGY_FW)
    card = silkcore.assess(framework, silkcore.load_document(ENERGY_RS), catalog=silkcore.build_catalog(load_entrypoints=False))
    assert (
        silkcore.validate(json.loads(silkcore.dump_document(card)), catalog=silkcore.build_catalog(load_entrypoints=False)) == []
    )
    assert (ROOT / "README.md").read_text().count("make ") >= 2


def test_assess_reads_response_sets_one_a_line(tmp_path: Path) -> None:
    """A JSON Lines file of response sets (as the web questionnaire downloads a team's) is the
    same input as one file a set: the same card, byte for byte."""
    sets = sorted((EXAMPLES / "demo" / "response_sets").glob("evaluation-grid-*.json"))
    lines = tmp_path / "sets.jsonl"
    lines.write_text("".join(json.dumps(json.loads(p.read_text())) + "\n" for p in sets), encoding="utf-8")
    one_a_line = run_silk("assess", "--framework", "silk.evaluation-grid", str(lines), "--json")
    one_a_file = run_silk("assess", "--framework", "silk.evaluation-grid", *map(str, sets), "--json")
    assert one_a_line.returncode == 0, one_a_line.stderr
    assert one_a_line.stdout == one_a_file.stdout

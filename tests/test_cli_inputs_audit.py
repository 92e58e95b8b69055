"""What an audit of the commands found, each now as docs/cli.md promises: no output over an
input (the guide's --answers, the batch's --framework file), a bounded --workers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from silkcore import DataError, run_batch

from .conftest import EXAMPLES, run_silk

ANSWERS = EXAMPLES / "demo" / "response_sets" / "flowchart-management.json"
FRAMEWORK = EXAMPLES / "frameworks" / "community-energy-readiness.yaml"


def test_the_guide_never_writes_over_its_answers(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    shutil.copyfile(ANSWERS, answers)
    result = run_silk("guide", "--answers", str(answers), "-o", str(answers))
    assert result.returncode == 1 and "also an input" in result.stderr, result.stderr
    assert answers.read_bytes() == ANSWERS.read_bytes()


@pytest.mark.parametrize("option", ["-o", "--summary"])
def test_a_batch_never_writes_over_its_framework_file(tmp_path: Path, option: str) -> None:
    framework = tmp_path / "framework.yaml"
    shutil.copyfile(FRAMEWORK, framework)
    result = run_silk("batch", "score", "-f", str(framework), option, str(framework), str(ANSWERS))
    assert result.returncode == 1 and "also an input" in result.stderr, result.stderr
    assert framework.read_bytes() == FRAMEWORK.read_bytes()


@pytest.mark.parametrize("workers", ["0", "-1", "257", "99999999999999999999"])
def test_workers_are_bounded(workers: str) -> None:
    result = run_silk("batch", "validate", "--workers", workers, str(ANSWERS))
    assert result.returncode == 2 and "1<=x<=256" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("workers", [0, 257, "2", 1.5])
def test_run_batch_refuses_workers_out_of_range(workers: object, tmp_path: Path) -> None:
    with (tmp_path / "out.jsonl").open("wb") as out, pytest.raises(DataError, match="workers must be"):
        run_batch("validate", str(ANSWERS), out, workers=workers)  # type: ignore[arg-type]


@pytest.mark.parametrize("option", ["--ui-start-rate", "--ui-submit-rate", "--rate-limit", "--cpu-budget"])
@pytest.mark.parametrize("value", ["nan", "inf", "1e400"])
def test_a_rate_is_a_finite_number(option: str, value: str, tmp_path: Path) -> None:
    result = run_silk("serve", "--store", str(tmp_path / "s.sqlite"), option, value)
    assert result.returncode == 2 and "is not a finite number" in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("url", ["http://[::1", "notaurl", "ftp://node.example.org/", "http://node.example.org:port/"])
def test_sync_refuses_a_node_url_it_cannot_fetch_before_the_store(url: str, tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    result = run_silk("sync", url, "--token", "a-token-of-16-chars", "--store", str(store))
    assert result.returncode == 1 and len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    assert not store.exists()


GRID_SET = EXAMPLES / "demo" / "response_sets" / "evaluation-grid-board.json"
ENVELOPE = EXAMPLES / "documents" / "envelope-network-flow.json"
WRITERS = {
    "assess": ["assess", "-f", "silk.evaluation-grid", str(GRID_SET), "-o"],
    "batch -o": ["batch", "score", str(ANSWERS), "-o"],
    "batch --summary": ["batch", "score", str(ANSWERS), "--summary"],
    "guide": ["guide", "--answers", str(ANSWERS), "-o"],
    "migrate": ["migrate", str(ANSWERS), "--to", "1.0.0", "-o"],
    "export": ["export", "--format", "csv", str(EXAMPLES / "documents" / "flow-cotton-import.json"), "-o"],
    "keys new": ["keys", "new", "-o"],
    "policy brief": ["policy", "brief", "--jurisdiction", "X", str(GRID_SET), "-o"],
}


@pytest.mark.parametrize("command", WRITERS.values(), ids=WRITERS.keys())
def test_an_output_that_is_a_directory_is_one_line_and_exit_1(command: list[str], tmp_path: Path) -> None:
    """As docs/cli.md says (it was click's usage error: exit 2 and three lines)."""
    result = run_silk(*command, str(tmp_path))
    assert result.returncode == 1, result.stderr
    [line] = result.stderr.splitlines()  # "error:" (a plugin's command: click's "Error:")
    assert line.lower() == f"error: {tmp_path}: at (document root): is a directory; give a file name"
    assert list(tmp_path.iterdir()) == []


def test_the_guide_takes_answers_or_resume_not_both() -> None:
    result = run_silk("guide", "--answers", str(ANSWERS), "--resume", str(ANSWERS))
    assert result.returncode == 2 and "not both" in result.stderr


def test_a_document_that_is_not_a_framework_is_named_when_given_as_one() -> None:
    flow = EXAMPLES / "documents" / "flow-cotton-import.json"
    result = run_silk("assess", "-f", str(flow), str(GRID_SET))
    assert result.returncode == 1 and result.stderr.startswith(f"error: {flow}: expected a framework document, got Flow")


@pytest.mark.parametrize("reader", ["parse_json", "parse_yaml"])
@pytest.mark.parametrize("given", [Path("x.json"), None, 3])
def test_the_text_readers_say_what_they_were_given_instead(reader: str, given: object) -> None:
    import silkcore

    with pytest.raises(DataError, match="expected the text to read, as bytes or str"):
        getattr(silkcore, reader)(given)


OPTION_MISTAKES = {
    "an unknown phase": (["indicators", "list", "--phase", "nope"], "is not a phase"),
    "a negative --top": (["cases", "similar", "--top", "-1", str(EXAMPLES / "demo" / "organisation.json")], "--top"),
    "a brief named .pdf": (["policy", "brief", "--jurisdiction", "X", str(GRID_SET), "-o", "brief.pdf"], ".html or .md"),
}


@pytest.mark.parametrize("case", OPTION_MISTAKES.values(), ids=OPTION_MISTAKES.keys())
def test_an_option_mistake_is_a_usage_error_not_an_empty_or_odd_result(case: tuple[list[str], str], tmp_path: Path) -> None:
    args, says = case
    result = run_silk(*args, cwd=tmp_path)
    assert result.returncode == 2 and says in result.stderr, result.stderr
    assert list(tmp_path.iterdir()) == []

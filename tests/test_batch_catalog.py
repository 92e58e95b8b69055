"""A batch checks and scores with the caller's catalog, with one worker or several: the same
verdict, byte for byte, whatever the number of workers (plugin frameworks, ``open_frameworks``,
``silk batch`` over its own catalog)."""

from __future__ import annotations

import io
import json
import multiprocessing
from pathlib import Path
from typing import Any

import attrs
import pytest

from silkcore import hookimpl, load_framework, run_batch
from silkcore._catalog import Catalog
from silkcore._cli import main
from silkcore._scoring import GenericScorer
from silkcore.testing import catalog_with

from .conftest import EXAMPLES

COMMUNITY = load_framework(EXAMPLES / "frameworks" / "community-energy-readiness.yaml")  # no built-in plugin has it
ANSWERS = json.loads((EXAMPLES / "response_sets" / "community-energy-readiness.json").read_text(encoding="utf-8"))
GRID_ANSWERS = json.loads((EXAMPLES / "demo" / "response_sets" / "evaluation-grid-board.json").read_text(encoding="utf-8"))
MARK = 0.125  # the overall score the guest scorer writes: its cards are told from the generic scorer's


class Owner:
    """A network's plugin: registers its framework, opened to no other plugin."""

    @hookimpl
    def silk_register_frameworks(self, register: Any) -> None:
        register(COMMUNITY)


class GuestScorer:
    framework_id = COMMUNITY.id

    def score(self, framework: Any, response_sets: Any) -> Any:
        return attrs.evolve(GenericScorer().score(framework, response_sets), overall=MARK)


class Guest:
    """Scores the owner's framework: refused, unless the user chose it (``open_frameworks``)."""

    @hookimpl
    def silk_register_scorers(self, register: Any) -> None:
        register(GuestScorer())


def lines(path: Path, count: int = 4500) -> Path:
    """``count`` lines (several chunks of the pool's 2000): the network's response sets, one with
    a wrong answer, one naming a framework the catalog does not know, one that is not JSON."""
    wrong = {**ANSWERS, "responses": [{**ANSWERS["responses"][0], "value": "not an option"}, *ANSWERS["responses"][1:]]}
    text = [json.dumps(ANSWERS)] * count
    text[10], text[count // 2], text[-1] = json.dumps(wrong), json.dumps(GRID_ANSWERS), "not json"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return path


def batch(task: str, source: Path, catalog: Catalog, workers: int, **options: Any) -> tuple[bytes, tuple[int, int, int]]:
    output = io.BytesIO()
    counts = run_batch(task, str(source), output, workers=workers, catalog=catalog, **options)
    return output.getvalue(), (counts.lines, counts.ok, counts.failed)


@pytest.mark.parametrize("framework_id", [None, COMMUNITY.id])
@pytest.mark.parametrize("task", ["validate", "score"])
def test_two_workers_use_the_callers_catalog(task: str, framework_id: str | None, tmp_path: Path) -> None:
    source = lines(tmp_path / "sets.jsonl")
    catalog = catalog_with(Owner())
    one, counted = batch(task, source, catalog, 1, framework_id=framework_id)
    two, counted_by_two = batch(task, source, catalog, 2, framework_id=framework_id)
    assert two == one and counted_by_two == counted
    records = [json.loads(line) for line in one.splitlines()]
    failed = [record["line"] for record in records if "errors" in record]
    assert failed == [11, 2251, 4500]  # the grid's set: unknown here, or not an answer to the framework given
    assert counted == (4500, 4500 - len(failed), len(failed))
    assert f"unknown framework {COMMUNITY.id!r}" not in one.decode()


@pytest.mark.parametrize("task", ["validate", "score"])
def test_two_workers_keep_the_callers_open_frameworks(task: str, tmp_path: Path) -> None:
    source = lines(tmp_path / "sets.jsonl", 2500)
    catalog = catalog_with(Owner(), Guest(), open_frameworks={COMMUNITY.id: "Guest"})
    assert not catalog.failed_plugins()  # the guest's scorer was let in
    one, counted = batch(task, source, catalog, 1)
    two, counted_by_two = batch(task, source, catalog, 2)
    assert two == one and counted_by_two == counted == (2500, 2497, 3)
    if task == "score":
        cards = [json.loads(line)["scorecard"] for line in two.splitlines()[:10]]
        assert {card["overall"] for card in cards} == {MARK}  # scored by the scorer the user chose


@pytest.mark.parametrize("task", ["validate", "score"])
def test_silk_batch_gives_the_same_bytes_with_two_workers(task: str, tmp_path: Path) -> None:
    source = lines(tmp_path / "sets.jsonl")
    catalog = catalog_with(Owner())
    written = []
    for workers in ("1", "2"):
        out = tmp_path / f"out-{workers}.jsonl"
        assert main(["batch", task, str(source), "-o", str(out), "--workers", workers], catalog=catalog) == 3
        written.append(out.read_bytes())
    assert written[1] == written[0]
    assert f"unknown framework {COMMUNITY.id!r}".encode() not in written[0]


def test_without_fork_a_catalog_batch_runs_in_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where processes cannot fork, workers could not have the caller's catalog: one process
    does the work (same results), and says so."""
    source = lines(tmp_path / "sets.jsonl", 50)
    catalog = catalog_with(Owner())
    one = batch("score", source, catalog, 1)
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    with pytest.warns(RuntimeWarning, match="runs in one process"):
        assert batch("score", source, catalog, 2) == one

"""Output paths derived from documents or plugins cannot leave the output directory.

``silk demo`` writes ``scorecard-<framework_id>.json`` for every card. A framework id from a
document is held to ``^[a-z0-9][a-z0-9_.-]{1,99}$``: dots, even ``..``, but never a ``/``, so
the name stays one path component. A plugin, though, can build a Framework or return a score
card in Python without any schema, so its ids are hostile until checked.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import attrs
import pytest

import silk_evaluation_grid
import silkcore._demo
from silkcore import SilkError, hookimpl, load_framework
from silkcore._documents import validate
from silkcore._scoring import GenericScorer
from silkcore.testing import catalog_with

from ..conftest import EXAMPLES

GRID = load_framework(silk_evaluation_grid.FRAMEWORK_FILE)
ID_PATTERN_ALLOWS = ["x..x", "a..", "0.-_", "a-.-..-", "silk...evaluation"]


def files_outside(root: Path, inside: Path) -> list[Path]:
    """Files under ``root`` but not under ``inside`` (the history store aside)."""
    return sorted(p for p in root.rglob("*") if p.is_file() and inside not in p.parents and "sqlite" not in p.name)


def bundle_for(folder: Path, framework_id: str) -> Path:
    """The demo organisation with its evaluation-grid answers re-addressed to ``framework_id``."""
    folder.mkdir()
    shutil.copy(EXAMPLES / "demo" / "organisation.json", folder / "organisation.json")
    for path in sorted((EXAMPLES / "demo" / "response_sets").glob("evaluation-grid-*.json")):
        document = json.loads(path.read_text())
        document["framework_id"] = framework_id
        (folder / path.name).write_text(json.dumps(document))
    return folder


def framework_plugin(framework: Any, name: str = "acme") -> Any:
    class Plugin:
        __name__ = name

        @hookimpl
        def silk_register_frameworks(self, register):  # type: ignore[no-untyped-def]
            register(framework)

    return Plugin()


@pytest.mark.parametrize("framework_id", ID_PATTERN_ALLOWS)
def test_dotted_ids_the_schema_allows_stay_one_file_in_the_output_dir(
    framework_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = json.loads((EXAMPLES / "demo" / "response_sets" / "evaluation-grid-board.json").read_text())
    assert validate(dict(document, framework_id=framework_id)) == []
    assert validate(dict(document, framework_id="a/../b")) != []
    bundle = bundle_for(tmp_path / "bundle", framework_id)
    monkeypatch.setattr(silkcore._demo, "demo_bundle", lambda: bundle)
    catalog = catalog_with(framework_plugin(attrs.evolve(GRID, id=framework_id)))
    out = tmp_path / "out"
    outcome = silkcore._demo.run_demo(catalog, out, tmp_path / "history.sqlite")
    assert [c.framework_id for c in outcome.score_cards] == [framework_id]
    assert (out / f"scorecard-{framework_id}.json").is_file()
    assert files_outside(tmp_path, out) == sorted(bundle.iterdir())


class _RenamingScorer:
    """Scores honestly, then returns the card under another framework id."""

    framework_id = GRID.id

    def __init__(self, new_id: str) -> None:
        self.new_id = new_id

    def score(self, framework: Any, response_sets: Any) -> Any:
        return attrs.evolve(GenericScorer().score(framework, response_sets), framework_id=self.new_id)


HOSTILE_IDS = ["x/../../escaped", "/tmp/absolute-escape", "..", "../escaped", "nul\x00byte", "a" * 300]


@pytest.mark.parametrize("hostile_id", HOSTILE_IDS, ids=["dotdot-via-dir", "absolute", "dotdot", "parent", "nul", "long"])
def test_a_scorer_returning_a_hostile_framework_id_writes_nothing_outside(
    hostile_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = bundle_for(tmp_path / "bundle", GRID.id)
    monkeypatch.setattr(silkcore._demo, "demo_bundle", lambda: bundle)

    class Plugin:
        __name__ = "renamer"

        @hookimpl
        def silk_register_scorers(self, register):  # type: ignore[no-untyped-def]
            register(_RenamingScorer(hostile_id))

    catalog = catalog_with(silk_evaluation_grid, Plugin())
    out = tmp_path / "out"
    (out / "scorecard-x").mkdir(parents=True)  # a folder a user happens to have there
    before = files_outside(tmp_path, out)
    try:
        silkcore._demo.run_demo(catalog, out, tmp_path / "history.sqlite")
    except SilkError:
        pass  # refusing is fine; writing outside, or a raw exception, is not
    assert files_outside(tmp_path, out) == before
    assert not Path("/tmp/absolute-escape.json").exists()
    statuses = {s.name: s for s in catalog.plugin_statuses()}
    assert statuses["renamer"].status == "failed"


@pytest.mark.parametrize("hostile_id", ["../../etc/x", "a/b", "UPPER", "", "x" * 200])
def test_framework_objects_from_plugins_are_held_to_the_schema(hostile_id: str) -> None:
    catalog = catalog_with(silk_evaluation_grid, framework_plugin(attrs.evolve(GRID, id=hostile_id), "hostile"))
    assert hostile_id not in {f.id for f in catalog.frameworks()}
    assert {s.name: s.status for s in catalog.plugin_statuses()} == {"hostile": "failed", "silk_evaluation_grid": "ok"}

"""The examples are up to date, and the whole path works: framework -> form -> submission -> score card."""

from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from silkcore import ScoreCard, assess, load_document
from silkcore._cli import build_cli

from ...conftest import EXAMPLES
from .helpers import CATALOG, GRID

FIELD = EXAMPLES / "field"
REGENERATE = "python examples/field/regenerate.py"


def _regenerate_module() -> Any:
    spec = importlib.util.spec_from_file_location("field_regenerate", FIELD / "regenerate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sheets(data: bytes) -> dict[str, list[list[Any]]]:
    workbook = load_workbook(io.BytesIO(data))
    return {sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()] for sheet in workbook}


def _without_hash(text: bytes) -> dict[str, Any]:
    card: dict[str, Any] = json.loads(text)
    card.pop("framework_hash")
    return card


def test_examples_are_what_the_plugin_produces() -> None:
    built = _regenerate_module().build(CATALOG)
    form, sets, card = (
        FIELD / "evaluation-grid.xlsx",
        FIELD / "evaluation-grid-response-sets.jsonl",
        FIELD / "evaluation-grid-scorecard-tissage-solidaire.json",
    )
    assert _sheets(built[form]) == _sheets(form.read_bytes()), f"the example form is stale: run {REGENERATE}"
    assert built[sets] == sets.read_bytes(), f"the example response sets are stale: run {REGENERATE}"
    assert _without_hash(built[card]) == _without_hash(card.read_bytes()), f"the example score card is stale: run {REGENERATE}"


def test_round_trip_framework_form_submission_response_set_score_card(tmp_path: Path) -> None:
    pyxform = pytest.importorskip("pyxform.xls2xform")
    runner = CliRunner()
    form = tmp_path / "grid.xlsx"
    exported = runner.invoke(build_cli(CATALOG), ["export", "--format", "xlsform", "silk.evaluation-grid", "-o", str(form)])
    assert exported.exit_code == 0, exported.output
    warnings: list[str] = []
    xform = pyxform.convert(form.read_bytes(), warnings=warnings, file_type=".xlsx").xform
    assert warnings == [] and all(f'lang="{lang}"' in xform for lang in ("English (en)", "Français (fr)", "Español (es)"))

    sets_path = tmp_path / "sets.jsonl"
    source = FIELD / "kobo-evaluation-grid-submissions.json.txt"
    imported = runner.invoke(build_cli(CATALOG), ["import", "--format", "kobo-json", str(source), "-o", str(sets_path)])
    assert imported.exit_code == 3, imported.output  # three submissions imported, the fourth reported
    assert "3 document(s) written" in imported.output and "/results/3/C~1C__09" in imported.output

    sets = [load_document(line.encode(), registry=CATALOG.schemas) for line in sets_path.read_text().splitlines()]
    tissage = [s for s in sets if s.subject.org_id.endswith("tissage-solidaire")]
    card = assess(GRID, tissage, catalog=CATALOG)
    assert isinstance(card, ScoreCard) and card.respondents == 2
    assert all(c.score is not None for c in card.categories if c.id != "A")
    colmena = assess(GRID, [s for s in sets if s.subject.org_id.endswith("la-colmena")], catalog=CATALOG)
    assert colmena.categories[2].score is not None

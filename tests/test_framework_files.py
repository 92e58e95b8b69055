"""A network's framework given only as a file is a framework everywhere an id is accepted,
and every door gives the same verdict and the same scores as `silk assess`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from silkcore import Catalog, build_catalog, load_framework
from silkcore.node import create_app

from .conftest import EXAMPLES, ROOT, run_silk
from .plugins.field.helpers import kobo_row

ENERGY_FW = EXAMPLES / "frameworks" / "community-energy-readiness.yaml"
ENERGY_RS = EXAMPLES / "response_sets" / "community-energy-readiness.json"
FLOWCHART_YAML = ROOT / "plugins" / "silk_flowchart" / "flowchart.yaml"
FLOWCHART_ANSWERS = EXAMPLES / "demo" / "response_sets" / "flowchart-management.json"


def scores(card: dict[str, Any]) -> tuple[Any, ...]:
    """What a score card says, without the ids that name the response sets behind it."""
    return card["overall"], [(c["id"], c["score"], c["coverage"]) for c in card["categories"]]


def assessed(framework: Path | str, *responses: Path) -> dict[str, Any]:
    result = run_silk("assess", "--framework", str(framework), *map(str, responses), "--json")
    assert result.returncode == 0, result.stderr
    card: dict[str, Any] = json.loads(result.stdout)
    return card


def test_batch_score_with_a_framework_file_gives_the_card_assess_gives(tmp_path: Path) -> None:
    lines = tmp_path / "sets.jsonl"
    lines.write_text(json.dumps(json.loads(ENERGY_RS.read_text())) + "\n")
    out = tmp_path / "cards.jsonl"
    result = run_silk("batch", "score", "--framework", str(ENERGY_FW), str(lines), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text())["scorecard"] == assessed(ENERGY_FW, ENERGY_RS)


def test_report_scores_response_sets_of_a_framework_file(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    result = run_silk("report", str(ENERGY_RS), "--framework", str(ENERGY_FW), "-o", str(out))
    assert result.returncode == 0, result.stderr
    card = assessed(ENERGY_FW, ENERGY_RS)
    text = out.read_text()
    assert "network.community-energy-partnering" in text
    for category in card["categories"]:
        shown = "-" if category["score"] is None else f"{category['score']:.2f}"
        assert f"| {shown} | {round(category['coverage'] * 100)}% |" in text


def test_report_refuses_a_response_set_whose_framework_it_cannot_check(tmp_path: Path) -> None:
    result = run_silk("report", str(ENERGY_RS), "-o", str(tmp_path / "report.html"))
    assert result.returncode == 1
    assert f"error: {ENERGY_RS}:" in result.stderr and "at /framework_id: unknown framework" in result.stderr
    assert "--framework" in result.stderr
    assert not (tmp_path / "report.html").exists()


def test_import_kobo_json_with_a_framework_file_scores_as_assess(tmp_path: Path) -> None:
    framework = load_framework(ENERGY_FW)
    answers = json.loads(ENERGY_RS.read_text())["responses"]
    export = tmp_path / "kobo.json"
    export.write_text(json.dumps({"count": 1, "results": [kobo_row(framework, answers)]}))
    imported = tmp_path / "imported.json"
    result = run_silk("import", "--format", "kobo-json", "--framework", str(ENERGY_FW), str(export), "-o", str(imported))
    assert result.returncode == 0, result.stderr
    assert scores(assessed(ENERGY_FW, imported)) == scores(assessed(ENERGY_FW, ENERGY_RS))


def network_flowchart(tmp_path: Path) -> tuple[Path, Path]:
    """The flow chart republished by a network under its own id, and answers to it."""
    document = yaml.safe_load(FLOWCHART_YAML.read_text())
    document["id"] = "network.flowchart"
    framework = tmp_path / "network-flowchart.yaml"
    framework.write_text(yaml.safe_dump(document, allow_unicode=True))
    answers = json.loads(FLOWCHART_ANSWERS.read_text())
    answers["framework_id"] = "network.flowchart"
    answers_path = tmp_path / "answers.json"
    answers_path.write_text(json.dumps(answers))
    return framework, answers_path


def test_guide_walks_a_framework_file_and_its_answers_score_as_assess(tmp_path: Path) -> None:
    framework, answers = network_flowchart(tmp_path)
    saved = tmp_path / "walked.json"
    result = run_silk("guide", "--framework", str(framework), "--answers", str(answers), "-o", str(saved), "--json")
    assert result.returncode == 0, result.stderr
    installed = run_silk("guide", "--framework", "silk.flowchart", "--answers", str(FLOWCHART_ANSWERS), "--json")
    assert json.loads(result.stdout) == json.loads(installed.stdout)  # the same walk as the installed chart
    assert scores(assessed(framework, saved)) == scores(assessed(framework, answers))


def test_history_takes_the_id_of_a_framework_file(tmp_path: Path) -> None:
    store = tmp_path / "h.sqlite"
    assert run_silk("assess", "-f", str(ENERGY_FW), str(ENERGY_RS), "--store", str(store)).returncode == 0
    org = json.loads(ENERGY_RS.read_text())["subject"]["org_id"]
    result = run_silk("history", org, "--store", str(store), "--framework", str(ENERGY_FW), "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["assessments"]
    assert [r["framework_id"] for r in rows] == ["network.community-energy-partnering"]


def node_client(catalog: Catalog, tmp_path: Path, frameworks: tuple[Path, ...] = ()) -> Any:
    from starlette.testclient import TestClient

    return TestClient(create_app(tmp_path / "node.sqlite", catalog=catalog, frameworks=frameworks))


def test_node_assesses_and_validates_with_a_framework_file(tmp_path: Path) -> None:
    catalog = build_catalog()
    document = json.loads(ENERGY_RS.read_text())
    with node_client(catalog, tmp_path, (ENERGY_FW,)) as client:
        listed = {row["id"] for row in client.get("/frameworks").json()}
        assert "network.community-energy-partnering" in listed
        response = client.post("/assess/network.community-energy-partnering", json=document)
        assert response.status_code == 200, response.text
        assert scores(response.json()) == scores(assessed(ENERGY_FW, ENERGY_RS))
        assert client.post("/validate", json=document).json() == {"valid": True}
    with node_client(catalog, tmp_path) as client:  # the same node without the file cannot check it
        refused = client.post("/validate", json=document)
        assert refused.status_code == 422
        assert refused.json()["errors"][0]["pointer"] == "/framework_id"

"""Crosswalks: the format and its schema, the shipped SDG mappings, and the SDG view of a score card."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from silk_field.crosswalk import CROSSWALK_SCHEMA, load_crosswalk, shipped_crosswalks
from silk_field.sdg import SdgAnalysis, goal_of, render_scheme_view, scheme_view
from silkcore import SchemaValidationError, ScoreCard, load_document
from silkcore.testing import catalog_with

from ...conftest import EXAMPLES
from .helpers import CATALOG, GRID, INDICATORS

CARD = EXAMPLES / "field" / "evaluation-grid-scorecard-tissage-solidaire.json"
SDG_CONCEPT = re.compile(r"^SDG (1[0-7]|[1-9])(\.([1-9][0-9]?|[a-d]))?$")


def crosswalk(**changes: object) -> dict[str, object]:
    doc: dict[str, object] = {
        "schema": CROSSWALK_SCHEMA,
        "crosswalk": "network.grid-to-iris",
        "framework": "silk.evaluation-grid",
        "scheme": "IRIS+",
        "mappings": [{"item": "E.09", "concept": "PI3687", "relation": "related", "rationale": "Jobs created."}],
    }
    doc.update(changes)
    return doc


def test_schema_is_registered_outside_silkcore_names() -> None:
    schema = CATALOG.schemas.schema(CROSSWALK_SCHEMA)
    assert schema["$id"] == "https://w3id.org/silkcore/plugins/silkfield_crosswalk-v1.0.0"
    assert CATALOG.schemas.owner(CROSSWALK_SCHEMA) != "silkcore"


def test_shipped_crosswalks_map_tools_2_and_3_to_the_sdgs() -> None:
    found = {c.id: c for c in shipped_crosswalks(catalog=CATALOG)}
    assert set(found) == {"silk.evaluation-grid-to-sdg", "silk.indicators-to-sdg"}
    for crosswalk_, framework in ((found["silk.evaluation-grid-to-sdg"], GRID), (found["silk.indicators-to-sdg"], INDICATORS)):
        assert crosswalk_.framework == framework.id and crosswalk_.scheme == "SDG"
        item_ids = {item.id for item in framework.items}
        assert len(crosswalk_.mappings) >= 20
        for mapping in crosswalk_.mappings:
            assert mapping.item in item_ids and SDG_CONCEPT.match(mapping.concept), mapping
            assert mapping.relation in ("equal", "broader", "narrower", "related")
            assert 20 <= len(mapping.rationale) <= 300 and "\n" not in mapping.rationale
        assert all(crosswalk_.label(f"SDG {n}", lang) for n in range(1, 18) for lang in ("en", "fr", "es"))
    assert found["silk.evaluation-grid-to-sdg"].label("SDG 8", "es") == "Trabajo decente y crecimiento económico"


def test_a_network_can_add_mappings_to_another_taxonomy(tmp_path: Path) -> None:
    path = tmp_path / "grid-iris.yaml"
    path.write_text(json.dumps(crosswalk()), encoding="utf-8")
    loaded = load_crosswalk(path, catalog=CATALOG)
    assert (loaded.scheme, loaded.mappings[0].concept) == ("IRIS+", "PI3687")


@pytest.mark.parametrize(
    ("changes", "pointer"),
    [
        ({"mappings": [{"item": "E.09", "concept": "X", "relation": "same", "rationale": "r"}]}, "/mappings/0/relation"),
        ({"mappings": [{"item": "E.09", "concept": "X", "relation": "equal"}]}, "/mappings/0"),
        (
            {"mappings": [{"item": "E.09", "concept": "X", "relation": "equal", "rationale": "two\nlines"}]},
            "/mappings/0/rationale",
        ),
        ({"mappings": [{"item": "Z.99", "concept": "X", "relation": "equal", "rationale": "r"}]}, "/mappings/0/item"),
        ({"mappings": [{"item": "E.09", "concept": "X", "relation": "equal", "rationale": "r"}] * 2}, "/mappings/1"),
        ({"extra": 1}, "/extra"),
    ],
)
def test_bad_crosswalks_are_reported_at_their_pointer(changes: dict[str, object], pointer: str) -> None:
    with pytest.raises(SchemaValidationError) as caught:
        load_crosswalk(crosswalk(**changes), catalog=CATALOG)
    assert pointer in [issue.pointer for issue in caught.value.errors]


def test_goal_of_rolls_targets_up_to_their_goal() -> None:
    assert [goal_of(c) for c in ("SDG 8.5", "SDG 11.a", "SDG 17", "sdg 3", "PI3687")] == [
        "SDG 8",
        "SDG 11",
        "SDG 17",
        "SDG 3",
        "PI3687",
    ]


def test_sdg_view_of_the_example_card_lists_goals_with_the_items_behind_each() -> None:
    card = load_document(CARD, registry=CATALOG.schemas)
    assert isinstance(card, ScoreCard)
    crosswalks = [c for c in shipped_crosswalks(catalog=CATALOG) if c.framework == card.framework_id]
    view = scheme_view(card, crosswalks, framework=GRID, language="es")
    goals = [g["concept"] for g in view["goals"]]
    assert goals == sorted(goals, key=lambda g: int(g.split()[1]))
    assert {"SDG 8", "SDG 10", "SDG 16", "SDG 17"} <= set(goals)
    sdg8 = next(g for g in view["goals"] if g["concept"] == "SDG 8")
    assert sdg8["label"] == "Trabajo decente y crecimiento económico"
    c09 = next(i for i in sdg8["items"] if i["item_id"] == "C.09")
    trace = next(t for t in card.trace if t.item_id == "C.09")
    assert (c09["score"], c09["status"], c09["concept"]) == (trace.score, "scored", "SDG 8.5")
    assert c09["text"].startswith("¿La internacionalización contribuyó")
    scores = {i["item_id"]: i["score"] for i in sdg8["items"] if i["status"] == "scored"}
    assert sdg8["mean_item_score"] == pytest.approx(sum(scores.values()) / len(scores), abs=1e-4)
    text = render_scheme_view(view)
    assert "SDG 8  Trabajo decente y crecimiento económico" in text and "C.09" in text


def test_sdg_command_prints_the_view_and_accepts_extra_crosswalks(tmp_path: Path) -> None:
    runner = CliRunner()
    from silk_field.cli import field_group

    result = runner.invoke(field_group, ["sdg", str(CARD)], obj={"catalog": CATALOG})
    assert result.exit_code == 0, result.output
    assert result.output.startswith("SDG view of silk.evaluation-grid 1.0.0 - Tissage Solidaire SCOP (fictional)")
    assert "SDG 16  Peace, justice and strong institutions" in result.output
    extra = tmp_path / "extra.json"
    extra.write_text(json.dumps(crosswalk(crosswalk="network.extra-sdg", scheme="SDG", mappings=[
        {"item": "D.06", "concept": "SDG 5.5", "relation": "related", "rationale": "Team culture and women's leadership."}
    ])), encoding="utf-8")  # fmt: skip
    as_json = runner.invoke(field_group, ["sdg", str(CARD), "--crosswalk", str(extra), "--json"], obj={"catalog": CATALOG})
    view = json.loads(as_json.output)
    assert view["crosswalks"] == ["network.extra-sdg", "silk.evaluation-grid-to-sdg"]
    assert next(g for g in view["goals"] if g["concept"] == "SDG 5")["items"][0]["item_id"] == "D.06"
    wrong = runner.invoke(
        field_group, ["sdg", str(EXAMPLES / "field" / "evaluation-grid-response-sets.jsonl")], obj={"catalog": CATALOG}
    )
    assert wrong.exit_code == 1 and "error:" in wrong.output


def test_crosswalks_command_lists_the_shipped_files() -> None:
    from silk_field.cli import field_group

    result = CliRunner().invoke(field_group, ["crosswalks", "--json"], obj={"catalog": CATALOG})
    rows = json.loads(result.output)
    assert [r["id"] for r in rows] == ["silk.evaluation-grid-to-sdg", "silk.indicators-to-sdg"]


def test_sdg_analysis_is_registered_and_runs_on_score_cards() -> None:
    analysis = next(a for a in CATALOG.analyses() if a.id == "field.sdg")
    card = load_document(CARD, registry=CATALOG.schemas)
    [view] = SdgAnalysis(CATALOG).run([card, {"not": "a card"}])["views"]
    assert view["subject"]["org_id"] == "urn:silk:org:example:tissage-solidaire" and view["goals"]
    assert analysis.id == "field.sdg"


def test_a_crosswalk_for_a_framework_that_is_not_installed_still_loads() -> None:
    import silk_field

    alone = catalog_with(silk_field)
    loaded = load_crosswalk(crosswalk(framework="network.unknown"), catalog=alone)
    assert loaded.framework == "network.unknown"

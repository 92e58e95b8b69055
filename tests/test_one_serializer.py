"""One writer for score cards: ``silk assess --json``, each ``silk batch score`` line and the
node's ``POST /assess/{id}`` give the same bytes for the same input - numbers that two JSON
writers spell differently (``5e-06`` or ``5e-6``, ``1e-05`` or ``0.00001``) included."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest

from silkcore._jsonio import EntityDocument, dumps

from .conftest import run_silk

# A framework whose score card holds numbers JSON writers disagree on: a score of 5e-06
# (5 in a range of a million), weights of 1e-05 and 2.5e-05, a descriptive answer of 1e-07,
# one of 1e+16, and an integer beyond 64 bits.
FRAMEWORK: dict[str, Any] = {
    "schema": "silkcore_framework-v1.1.0",
    "id": "test.spellings",
    "version": "1.0.0",
    "title": {"en": "Numbers that are written in more than one way"},
    "categories": [{"id": "c", "title": {"en": "C"}}, {"id": "p", "title": {"en": "Profile"}, "scored": False}],
    "items": [
        {"id": "tiny", "category": "c", "kind": "number", "text": {"en": "Tiny"}, "source": "s", "min": 0, "max": 1000000},
        {
            "id": "light",
            "category": "c",
            "kind": "percentage",
            "text": {"en": "Light"},
            "source": "s",
            "min": 0,
            "max": 100,
            "weight": 0.00001,
        },
        {
            "id": "lighter",
            "category": "c",
            "kind": "choice",
            "text": {"en": "Lighter"},
            "source": "s",
            "weight": 0.000025,
            "options": [{"value": "a", "score": 0.000001}, {"value": "b", "score": 1}],
        },
        {"id": "small", "category": "p", "kind": "number", "text": {"en": "Small"}, "source": "s", "scored": False},
        {"id": "large", "category": "p", "kind": "number", "text": {"en": "Large"}, "source": "s", "scored": False},
        {"id": "long", "category": "p", "kind": "number", "text": {"en": "Long"}, "source": "s", "scored": False},
    ],
}
RESPONSES: dict[str, Any] = {
    "schema": "silkcore_response_set-v1.0.0",
    "framework_id": "test.spellings",
    "framework_version": "1.0.0",
    "subject": {"org_id": "urn:x:org", "name": "Org"},
    "response_set_id": "urn:x:set:1",
    "responses": [
        {"item_id": "tiny", "value": 5, "confidence": 0.00001},
        {"item_id": "light", "value": 0.001},
        {"item_id": "lighter", "value": "a"},
        {"item_id": "small", "value": 1e-07},
        {"item_id": "large", "value": 1e16},
        {"item_id": "long", "value": -9999999999999999999},
    ],
}


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path, Path]:
    framework = tmp_path / "spellings.json"
    framework.write_text(json.dumps(FRAMEWORK))
    responses = tmp_path / "responses.json"
    responses.write_text(json.dumps(RESPONSES))
    lines = tmp_path / "responses.jsonl"
    lines.write_text(json.dumps(RESPONSES) + "\n" + json.dumps(RESPONSES) + "\n")
    return framework, responses, lines


def _batch_card(framework: Path, lines: Path) -> str:
    """The ``scorecard`` value of the first line of ``silk batch score``, as written."""
    result = run_silk("batch", "score", "--framework", str(framework), str(lines))
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.splitlines()
    prefix = '{"line":1,"scorecard":'
    assert first.startswith(prefix) and first.endswith("}"), first[:200]
    assert second == '{"line":2,"scorecard":' + first[len(prefix) :]
    return first[len(prefix) : -1]


def _node_card(framework: Path, tmp_path: Path) -> str:
    from silkcore.node import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Starlette prefers httpx2 for its test client; httpx works the same
        from starlette.testclient import TestClient

        with TestClient(create_app(tmp_path / "store.sqlite", frameworks=[framework])) as client:
            answer = client.post("/assess/test.spellings", content=json.dumps(RESPONSES).encode())
    assert answer.status_code == 200, answer.text
    return answer.content.decode("utf-8")


def test_batch_and_the_node_write_the_same_score_card(inputs: tuple[Path, Path, Path], tmp_path: Path) -> None:
    framework, _, lines = inputs
    batch = _batch_card(framework, lines)
    node = _node_card(framework, tmp_path)
    assert batch == node
    card = json.loads(batch)
    trace = {entry["item_id"]: entry for entry in card["trace"]}
    assert trace["tiny"]["score"] == 5e-06 and trace["light"]["weight"] == 1e-05
    assert (trace["small"]["value"], trace["large"]["value"], trace["long"]["value"]) == (1e-07, 1e16, -9999999999999999999)
    assert "5e-6" in batch and "5e-06" not in batch  # one writer, one spelling


def test_assess_json_writes_the_same_score_card(inputs: tuple[Path, Path, Path]) -> None:
    framework, responses, lines = inputs
    assessed = run_silk("assess", "--framework", str(framework), str(responses), "--json")
    assert assessed.returncode == 0, assessed.stderr
    assert assessed.stdout.rstrip("\n") == _batch_card(framework, lines)


def test_assess_json_and_batch_agree_but_for_whitespace(inputs: tuple[Path, Path, Path]) -> None:
    """The same card, its numbers spelt the same way, whatever the indentation."""
    framework, responses, lines = inputs
    assessed = run_silk("assess", "--framework", str(framework), str(responses), "--json")
    assert assessed.returncode == 0, assessed.stderr
    assert dumps(json.loads(assessed.stdout), indent=None) == _batch_card(framework, lines)
    assert "5e-6" in assessed.stdout and "5e-06" not in assessed.stdout


def test_the_one_writer_refuses_what_json_cannot_hold_and_keeps_what_it_can() -> None:
    for bad in (float("nan"), float("inf"), [1, {"a": -float("inf")}], EntityDocument({"a": 1}) | {"b": float("nan")}):
        with pytest.raises(ValueError, match="NaN and infinity"):
            dumps({"value": bad}, indent=None)
    with pytest.raises(TypeError):
        dumps({1: "a key that is not a string"})
    with pytest.raises(ValueError, match="indent"):
        dumps({}, indent=4)
    huge = {"big": 2**64, "small": -(2**63) - 1, "list": [10**30, 1.5], "fine": 2**64 - 1}
    assert json.loads(dumps(huge, indent=None)) == huge
    assert dumps(huge, indent=None) == json.dumps(huge, separators=(",", ":"))
    document = {"score": None, "weight": 0.25, "items": [{"x": "é"}]}
    assert (
        dumps(EntityDocument(document), indent=None)
        == dumps(document, indent=None)
        == '{"score":null,"weight":0.25,"items":[{"x":"é"}]}'
    )
    assert dumps(document) == json.dumps(document, indent=2, ensure_ascii=False)

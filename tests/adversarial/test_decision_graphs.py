"""Decision graphs: a cycle of forward edges is refused at every door, a framework beyond the
stated limits is refused with pointers, the checks do work proportional to the graph (counted,
not timed), and the guide cannot go round forever, even on a framework nobody checked."""

from __future__ import annotations

import copy
import json
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
import yaml

from silkcore import _frameworks_check as frameworks_check
from silkcore._convert import structure
from silkcore._documents import doc_without_schema, validate
from silkcore._errors import SchemaValidationError, ScoringError, SilkError
from silkcore._framework import Edge, EdgeKind, Framework
from silkcore._framework_data import load_framework
from silkcore._frameworks_check import framework_issues
from silkcore._guide import Guide

from ..conftest import EXAMPLES, ROOT, run_silk

SCHEMA = "silkcore_framework-v1.1.0"


def chain(nodes: int, *, back_edges: bool = True) -> dict[str, Any]:
    """A valid framework whose graph is a chain n0 -> n1 -> ... -> n{nodes-1} (an end node);
    each node but the last asks one yes/no item, and each but the first has a conditional
    back edge to the node before it (listed before its default forward edge)."""
    items, graph_nodes, edges = [], [], []
    for index in range(nodes - 1):
        item: dict[str, Any] = {
            "id": f"q{index}",
            "category": "steps",
            "kind": "yes_no",
            "scored": False,
            "text": {"en": f"Step {index} done?"},
            "source": "test",
        }
        if index:
            item["applies_if"] = {"all": [{"item": f"q{index - 1}", "operator": "answered"}]}
        items.append(item)
        graph_nodes.append({"id": f"n{index}", "kind": "question", "title": {"en": f"Step {index}"}, "items": [f"q{index}"]})
        if index and back_edges:
            when = {"all": [{"item": f"q{index}", "operator": "equals", "value": False}]}
            edges.append({"from": f"n{index}", "to": f"n{index - 1}", "kind": "back", "when": when})
        edges.append({"from": f"n{index}", "to": f"n{index + 1}"})
    graph_nodes.append({"id": f"n{nodes - 1}", "kind": "end", "title": {"en": "Done"}})
    return {
        "schema": SCHEMA,
        "id": "test.chain",
        "version": "1.0.0",
        "title": {"en": "A chain"},
        "categories": [{"id": "steps", "title": {"en": "Steps"}, "scored": False}],
        "items": items,
        "graph": {"start": "n0", "nodes": graph_nodes, "edges": edges},
    }


def default_edge(doc: dict[str, Any], node: str) -> int:
    """Index of the default (forward, unconditional) edge leaving ``node``."""
    return next(i for i, e in enumerate(doc["graph"]["edges"]) if e["from"] == node and "when" not in e)


def cyclic() -> tuple[dict[str, Any], int]:
    """A chain of 6 whose node n3 goes forward to n1 by default: n1 -> n2 -> n3 -> n1."""
    doc = chain(6)
    closing = default_edge(doc, "n3")
    doc["graph"]["edges"][closing]["to"] = "n1"
    return doc, closing


def unchecked(doc: dict[str, Any]) -> Framework:
    """The framework entity as Python code could build it: no checks run."""
    framework = structure(doc_without_schema(doc), Framework)
    assert isinstance(framework, Framework)
    return framework


def answer_all(guide: Guide, value: bool = True) -> None:
    for item in guide.framework.items:
        guide.answer(item.id, value)


def bound_moves(guide: Guide, moves: int) -> None:
    """Count the guide's moves: the test fails beyond ``moves`` (instead of hanging)."""
    advance = guide.advance
    made = 0

    def counted() -> Any:
        nonlocal made
        made += 1
        assert made <= moves, f"the guide made {made} moves without stopping"
        return advance()

    guide.advance = counted  # type: ignore[method-assign]


# -- the bundled frameworks pass every check and limit -----------------------------------------


BUNDLED = [
    ROOT / "plugins" / "silk_flowchart" / "flowchart.yaml",
    ROOT / "plugins" / "silk_evaluation_grid" / "evaluation_grid.yaml",
    *sorted((EXAMPLES / "frameworks").glob("*.yaml")),
    EXAMPLES / "plugin-event-readiness" / "silk_event_readiness" / "event_readiness.yaml",
]


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_bundled_frameworks_pass(path: Path) -> None:
    framework = load_framework(path)
    assert framework_issues(framework) == []


def test_the_flow_charts_back_edges_stay_allowed() -> None:
    framework = load_framework(BUNDLED[0])
    assert framework.graph is not None
    assert any(e.kind == EdgeKind.BACK for e in framework.graph.edges)


# -- a cycle of forward edges is refused at every door -----------------------------------------


def test_validate_names_the_cycle_at_the_edge_that_closes_it() -> None:
    doc, closing = cyclic()
    issues = validate(doc)
    cycles = [i for i in issues if "cycle" in i.message]
    assert len(cycles) == 1, issues
    assert cycles[0].pointer == f"/graph/edges/{closing}"
    assert "n1 -> n2 -> n3 -> n1" in cycles[0].message


def test_a_node_going_forward_to_itself_is_a_cycle() -> None:
    doc = chain(4)
    closing = default_edge(doc, "n1")
    doc["graph"]["edges"][closing]["to"] = "n1"
    assert any(i.pointer == f"/graph/edges/{closing}" and "n1 -> n1" in i.message for i in validate(doc))


def test_each_separate_cycle_is_named() -> None:
    doc = chain(8)
    first, second = default_edge(doc, "n2"), default_edge(doc, "n6")
    doc["graph"]["edges"][first]["to"] = "n1"
    # n6 -> n4 closes n4 -> n5 -> n6; nodes after n6 become unreachable (also reported).
    doc["graph"]["edges"][second]["to"] = "n4"
    cycles = [(i.pointer, i.message) for i in validate(doc) if "cycle" in i.message]
    assert [p for p, _ in cycles] == [f"/graph/edges/{first}", f"/graph/edges/{second}"]
    assert "n1 -> n2 -> n1" in cycles[0][1] and "n4 -> n5 -> n6 -> n4" in cycles[1][1]


def test_a_conditional_forward_edge_can_close_a_cycle() -> None:
    doc = chain(6)
    edges = doc["graph"]["edges"]
    when = {"all": [{"item": "q4", "operator": "equals", "value": True}]}
    edges.insert(default_edge(doc, "n4"), {"from": "n4", "to": "n2", "when": when})
    closing = next(i for i, e in enumerate(edges) if e["from"] == "n4" and e["to"] == "n2")
    assert any(i.pointer == f"/graph/edges/{closing}" and "n2 -> n3 -> n4 -> n2" in i.message for i in validate(doc))


def test_back_edges_that_go_round_are_not_cycles() -> None:
    doc = chain(6)
    doc["graph"]["edges"].insert(
        0, {"from": "n0", "to": "n4", "kind": "back", "when": {"all": [{"item": "q0", "operator": "equals", "value": False}]}}
    )
    assert validate(doc) == []


def test_a_very_long_cycle_is_named_by_its_ends() -> None:
    doc = chain(400, back_edges=False)
    closing = default_edge(doc, "n398")
    doc["graph"]["edges"][closing]["to"] = "n0"
    [issue] = [i for i in validate(doc) if "cycle" in i.message]
    assert issue.pointer == f"/graph/edges/{closing}"
    assert issue.message.startswith("forward edges form a cycle: n0 -> n1 -> ")
    assert "more nodes" in issue.message and "n397 -> n398 -> n0" in issue.message and len(issue.message) < 600


def test_load_framework_refuses_a_cycle() -> None:
    doc, closing = cyclic()
    with pytest.raises(SchemaValidationError) as caught:
        load_framework(doc)
    assert any(i.pointer == f"/graph/edges/{closing}" and "n1 -> n2 -> n3 -> n1" in i.message for i in caught.value.errors)


def test_silk_validate_refuses_a_cycle(tmp_path: Path) -> None:
    doc, closing = cyclic()
    path = tmp_path / "cyclic.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    result = run_silk("validate", str(path))
    assert result.returncode == 1, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert f"/graph/edges/{closing}" in output and "n1 -> n2 -> n3 -> n1" in output
    assert "Traceback" not in output


def test_silk_guide_refuses_a_cyclic_framework_file(tmp_path: Path) -> None:
    doc, _ = cyclic()
    path = tmp_path / "cyclic.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    result = run_silk("guide", "--framework", str(path), "--json", input_=b"")
    assert result.returncode == 1 and "n1 -> n2 -> n3 -> n1" in result.stderr, result.stdout + result.stderr


def test_the_nodes_validate_refuses_a_cycle(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

        from silkcore.node import create_app

        doc, closing = cyclic()
        with TestClient(create_app(tmp_path / "store.sqlite"), raise_server_exceptions=False) as client:
            response = client.post("/validate", json=doc)
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert any(e["pointer"] == f"/graph/edges/{closing}" and "n1 -> n2 -> n3 -> n1" in e["message"] for e in errors)


def test_unreachable_nodes_and_unknown_targets_keep_their_pointers() -> None:
    doc = chain(5)
    edge = default_edge(doc, "n1")
    doc["graph"]["edges"][edge]["to"] = "nowhere"
    found = {(i.pointer, i.message) for i in validate(doc)}
    assert (f"/graph/edges/{edge}/to", "unknown node 'nowhere'") in found
    assert ("/graph/nodes/2", "node 'n2' cannot be reached from the start node 'n0'") in found


# -- stated limits ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("limit", "value", "pointer"),
    [
        ("MAX_ITEMS", 3, "/items"),
        ("MAX_CATEGORIES", 0, "/categories"),
        ("MAX_NODES", 4, "/graph/nodes"),
        ("MAX_EDGES", 6, "/graph/edges"),
    ],
)
def test_counts_beyond_a_limit_are_refused_first(monkeypatch: pytest.MonkeyPatch, limit: str, value: int, pointer: str) -> None:
    monkeypatch.setattr(frameworks_check, limit, value)
    doc, _ = cyclic()  # the other problems are not looked for beyond a limit
    issues = validate(doc)
    assert [i.pointer for i in issues] == [pointer], issues
    assert "at most" in issues[0].message


def test_the_scales_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(frameworks_check, "MAX_SCALES", 1)
    doc = chain(3)
    options = [{"value": "a"}, {"value": "b"}]
    doc["scales"] = [{"id": "one", "options": options}, {"id": "two", "options": options}]
    assert [i.pointer for i in validate(doc)] == ["/scales"]


def test_options_conditions_and_values_beyond_the_limits() -> None:
    doc = chain(4)
    doc["items"][0] = {**doc["items"][0], "kind": "choice", "options": [{"value": f"o{i}"} for i in range(501)]}
    doc["items"][1]["applies_if"] = {"any": [{"item": "q0", "operator": "answered"}] * 101}
    doc["items"][2]["applies_if"] = {"all": [{"item": "q0", "operator": "in", "values": [f"o{i}" for i in range(501)] + ["x"]}]}
    found = {i.pointer: i.message for i in validate(doc)}
    assert found["/items/0/options"] == "501 options: at most 500"
    assert found["/items/1/applies_if/any"] == "101 conditions: a rule may have at most 100"
    assert found["/items/2/applies_if/all/0/values"] == "502 values: a condition may list at most 500"
    assert "['x'] is not among the options of q0" in found["/items/2/applies_if/all/0"]


def test_a_scales_options_beyond_the_limit() -> None:
    doc = chain(3)
    doc["scales"] = [{"id": "wide", "options": [{"value": i} for i in range(501)]}]
    assert {i.pointer for i in validate(doc)} == {"/scales/0/options"}


def test_texts_beyond_the_limits() -> None:
    doc = chain(3)
    languages = [a + b for a in "abc" for b in "abcdefghijklmnopqrstuvwxyz"][:51]
    doc["items"][1]["text"] = {language: "Done?" for language in languages}
    doc["graph"]["nodes"][0]["title"] = {"en": "x" * 20_001}
    doc["graph"]["edges"][0]["label"] = {"fr": "y" * 20_001}
    # The schema bounds a text's length too, and says so first; the checker states the same
    # limit for frameworks built in Python and checked with framework_issues.
    assert any(i.pointer == "/graph/nodes/0/title/en" for i in validate(doc))
    found = {i.pointer: i.message for i in framework_issues(unchecked(doc))}
    assert found["/items/1/text"] == "a text in 51 languages: at most 50"
    assert found["/graph/nodes/0/title/en"] == "a text of 20,001 characters: at most 20,000"
    assert found["/graph/edges/0/label/fr"] == "a text of 20,001 characters: at most 20,000"


def test_a_flood_of_problems_gets_a_bounded_report() -> None:
    doc = chain(300)
    for item in doc["items"]:
        item["category"] = "nope"
    issues = validate(doc)
    assert len(issues) == 101 and issues[-1].message == "further problems are not listed: the report stops at 100"


# -- work proportional to the graph (counted, not timed) ----------------------------------------


def lines_run(action: Callable[[], object]) -> int:
    """How many lines of Python ``action`` executes (a scan inside a loop shows up here)."""
    count = 0

    def trace(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        action()
    finally:
        sys.settrace(None)
    return count


def test_the_checks_do_work_proportional_to_the_framework() -> None:
    small, large = unchecked(chain(150)), unchecked(chain(1500))
    assert framework_issues(small) == [] and framework_issues(large) == []
    ratio = lines_run(lambda: framework_issues(large)) / lines_run(lambda: framework_issues(small))
    assert ratio < 10.2, ratio  # 10 times the size: a quadratic check would run ~100 times the lines


def test_the_graph_walks_visit_each_edge_a_bounded_number_of_times(monkeypatch: pytest.MonkeyPatch) -> None:
    walks: list[Any] = []
    original = frameworks_check._Walk.__init__

    def remember(self: Any, *args: Any) -> None:
        original(self, *args)
        walks.append(self)

    monkeypatch.setattr(frameworks_check._Walk, "__init__", remember)
    doc = chain(2000)
    assert framework_issues(unchecked(doc)) == []
    edges = len(doc["graph"]["edges"])
    assert walks[-1].visits == 2 * edges  # once to find what is reachable, once for cycles
    doc, _ = cyclic()
    framework_issues(unchecked(doc))
    assert walks[-1].visits <= 3 * len(doc["graph"]["edges"])  # and once more inside a cycle


def test_a_guided_walk_does_work_proportional_to_the_path() -> None:
    def walk(nodes: int) -> Callable[[], object]:
        framework = unchecked(chain(nodes))
        return lambda: (lambda guide: (answer_all(guide), guide.run()))(Guide(framework))

    ratio = lines_run(walk(1500)) / lines_run(walk(150))
    assert ratio < 10.5, ratio


# -- the guide cannot go round forever -----------------------------------------------------------


def test_the_guide_stops_on_an_unchecked_forward_cycle() -> None:
    doc, _ = cyclic()
    guide = Guide(unchecked(doc))
    answer_all(guide)
    bound_moves(guide, len(doc["graph"]["nodes"]) + 1)
    with pytest.raises(ScoringError, match=r"loops without asking anything: n1 -> n2 -> n3 -> n1"):
        guide.run()
    assert guide.node_id == "n3"  # where the next move would have closed the loop


def test_the_guide_stops_on_a_cycle_its_answers_file_walks(tmp_path: Path) -> None:
    doc, _ = cyclic()
    framework = unchecked(doc)
    guide = Guide(framework, stop_on_revisit=True)
    answer_all(guide)
    bound_moves(guide, len(doc["graph"]["nodes"]) + 1)
    with pytest.raises(SilkError):
        guide.run()


def test_a_back_edge_to_nodes_that_ask_nothing_cannot_loop() -> None:
    """A checked framework: n2's back edge depends on an item asked before the node it goes back
    to, and the nodes between ask nothing, so going back changes nothing. A walk that does not
    stop on revisits would repeat n1 -> n2 -> n1 forever."""
    doc = chain(5, back_edges=False)
    doc["graph"]["nodes"][1]["items"] = []
    doc["graph"]["nodes"][2]["items"] = []
    doc["graph"]["nodes"][3]["items"] += ["q1", "q2"]
    doc["items"][2].pop("applies_if")
    when = {"all": [{"item": "q0", "operator": "equals", "value": False}]}
    doc["graph"]["edges"].insert(2, {"from": "n2", "to": "n1", "kind": "back", "when": when})
    assert validate(doc) == []
    guide = Guide(load_framework(doc))
    guide.answer("q0", False)
    bound_moves(guide, 10)
    with pytest.raises(ScoringError, match=r"loops without asking anything: n1 -> n2 -> n1"):
        guide.run()
    assert guide.node_id == "n2" and not guide.revisits  # the back edge would change nothing: not taken


def test_back_edges_that_clear_answers_still_ask_again() -> None:
    guide = Guide(load_framework(chain(5)))
    guide.answer("q0", True)
    guide.advance()
    guide.answer("q1", False)
    assert guide.advance().id == "n0"  # back: q0 and q1 are asked again
    assert [i.id for i in guide.pending()] == ["q0"]
    guide.answer("q0", True)
    guide.advance()
    guide.answer("q1", True)
    assert guide.run().path == ("n0", "n1", "n0", "n1", "n2")


def test_an_unchecked_graph_with_unknown_parts_gives_scoring_errors() -> None:
    doc = chain(4)
    doc["graph"]["start"] = "nowhere"
    with pytest.raises(ScoringError, match="starts at 'nowhere'"):
        Guide(unchecked(doc))
    doc = chain(4)
    doc["graph"]["edges"][0]["to"] = "nowhere"
    guide = Guide(unchecked(doc))
    guide.answer("q0", True)
    with pytest.raises(ScoringError, match="edge to 'nowhere'"):
        guide.run()
    doc = chain(4)
    doc["graph"]["nodes"][0]["items"] = ["ghost"]
    with pytest.raises(ScoringError, match="unknown item 'ghost'"):
        Guide(unchecked(doc)).pending()


def test_a_python_built_graph_with_a_cycle_is_caught_by_the_guide() -> None:
    framework = unchecked(chain(4))
    assert framework.graph is not None
    graph = framework.graph
    edges = (*graph.edges[:-1], Edge("n2", "n0"))  # n2 goes forward to the start
    import attrs

    looping = attrs.evolve(framework, graph=attrs.evolve(graph, edges=edges))
    guide = Guide(looping)
    answer_all(guide)
    bound_moves(guide, 5)
    with pytest.raises(ScoringError, match="n0 -> n1 -> n2 -> n0"):
        guide.run()


# -- the interactive guide asks an item that a same-node answer makes apply (issue 16) ------------


def test_interactive_guide_asks_an_item_opened_by_an_earlier_answer(tmp_path: Path) -> None:
    doc = chain(2)
    follow_up = {
        "id": "q0.why",
        "category": "steps",
        "kind": "text",
        "text": {"en": "Why is it done?"},
        "source": "test",
        "applies_if": {"all": [{"item": "q0", "operator": "equals", "value": True}]},
    }
    doc["items"].append(follow_up)
    doc["graph"]["nodes"][0]["items"].append("q0.why")
    framework_file = tmp_path / "follow-up.yaml"
    framework_file.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    saved = tmp_path / "answers.json"
    result = run_silk("guide", "--framework", str(framework_file), "-o", str(saved), input_=b"1\nBecause we checked\n")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Why is it done?" in result.stdout and "completed" in result.stdout
    answers = {r["item_id"]: r.get("value") for r in json.loads(saved.read_text())["responses"]}
    assert answers == {"q0": True, "q0.why": "Because we checked"}


def test_documents_are_not_changed_by_the_checks() -> None:
    doc, _ = cyclic()
    before = copy.deepcopy(doc)
    validate(doc)
    assert doc == before

"""Every entity survives entity -> JSON text -> strict parse -> schema-valid -> equal entity."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from silkcore._assessment import ResponseSet
from silkcore._convert import structure
from silkcore._documents import doc_without_schema, to_document
from silkcore._jsonio import dumps, loads
from silkcore._model import Flow
from silkcore._schemas import SchemaRegistry
from silkcore.testing import ENTITY_STRATEGIES

REGISTRY = SchemaRegistry()


@pytest.mark.parametrize("cls", list(ENTITY_STRATEGIES), ids=lambda c: c.__name__)
def test_round_trip(cls: type[Any]) -> None:
    @given(ENTITY_STRATEGIES[cls])
    def check(entity: Any) -> None:
        text = dumps(to_document(entity))
        document = loads(text)
        issues = REGISTRY.validate(document)
        assert issues == [], issues
        assert structure(doc_without_schema(document), cls) == entity

    check()


@pytest.mark.parametrize("cls", list(ENTITY_STRATEGIES), ids=lambda c: c.__name__)
def test_both_validators_agree_on_mutated_documents(cls: type[Any]) -> None:
    """Differential: python-jsonschema and jsonschema-rs give the same verdict, and every
    reported pointer resolves inside the (mutated) document."""

    @given(ENTITY_STRATEGIES[cls], st.data())
    def check(entity: Any, data: st.DataObject) -> None:
        document = loads(dumps(to_document(entity)))
        mutated = mutate(document, data)
        rs_valid = REGISTRY.rs_validator(mutated.get("schema", "")).is_valid(mutated) if "schema" in mutated else False
        py_issues = REGISTRY.validate(mutated, engine="python")
        assert rs_valid == (not py_issues), (mutated, py_issues)
        for issue in py_issues + REGISTRY.validate(mutated):
            assert resolves(mutated, issue.pointer, allow_missing_leaf=True), issue

    check()


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += paths(child, (*prefix, index))
    return found


def mutate(document: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    """Apply one random change: replace a value with another JSON type, add a key, or drop one."""
    import copy

    result = copy.deepcopy(document)
    targets = [p for p in paths(result) if p and p != ("schema",)]
    path = data.draw(st.sampled_from(targets))
    parent: Any = result
    for step in path[:-1]:
        parent = parent[step]
    action = data.draw(st.sampled_from(["replace", "add", "drop"]))
    if action == "replace":
        parent[path[-1]] = data.draw(
            st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=3), st.just([]), st.just({}))
        )
    elif action == "add" and isinstance(parent, dict):
        parent["unexpected_key"] = 1
    elif isinstance(parent, dict):
        del parent[path[-1]]
    elif isinstance(parent, list):
        parent.pop(path[-1])
    return result


def resolves(document: Any, pointer: str, allow_missing_leaf: bool = False) -> bool:
    if pointer == "":
        return True
    node = document
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if isinstance(node, dict):
            if part not in node:
                return allow_missing_leaf and last
            node = node[part]
        elif isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                return False
            node = node[int(part)]
        else:
            return False
    return True


@given(ENTITY_STRATEGIES[Flow])
def test_fast_flow_builder_equals_the_converter(flow: Flow) -> None:
    """The fast path builds exactly what the strict converter builds from the same document."""
    from silkcore._fastpath import build_flow

    document = loads(dumps(to_document(flow)))
    assert build_flow(document) == structure(doc_without_schema(document), Flow) == flow


@given(ENTITY_STRATEGIES[ResponseSet])
def test_fast_response_set_builder_equals_the_converter(response_set: ResponseSet) -> None:
    from silkcore._fastpath import build_response_set

    document = loads(dumps(to_document(response_set)))
    assert build_response_set(document) == structure(doc_without_schema(document), ResponseSet) == response_set

"""Issues are placed at the line and column of the value their JSON Pointer names."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from silkcore import Issue
from silkcore.locate import locate_issues, position_of

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=20,
)


def pointers(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    found = [(prefix, value)]
    if isinstance(value, dict):
        for key, child in value.items():
            found += pointers(child, f"{prefix}/{key.replace('~', '~0').replace('/', '~1')}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += pointers(child, f"{prefix}/{index}")
    return found


def offset(text: str, line: int, column: int) -> int:
    return sum(len(row) + 1 for row in text.split("\n")[: line - 1]) + column - 1


@given(JSON, st.sampled_from([None, 1, 2]))
def test_every_pointer_lands_on_its_value(value: Any, indent: int | None) -> None:
    text = json.dumps(value, indent=indent)
    for pointer, expected in pointers(value):
        position = position_of(text, pointer)
        assert position is not None, pointer
        found, _ = json.JSONDecoder().raw_decode(text, offset(text, *position))
        assert found == expected


def test_yaml_and_a_missing_key_placed_at_the_nearest_parent() -> None:
    yaml_text = "id: x\nitems:\n  - id: a\n    text: {en: hello}\n"
    assert position_of(yaml_text, "/items/0/text", is_yaml=True) == (4, 11)
    placed = locate_issues([Issue("/items/0/missing", "required")], yaml_text, "f.yaml", is_yaml=True)
    assert (placed[0].source, placed[0].line, placed[0].column) == ("f.yaml", 3, 5)


def test_text_that_is_not_the_document_gives_no_position() -> None:
    assert position_of("[1, 2", "/5") is None
    assert locate_issues([Issue("/a", "m")], b"\xff{", "<bytes>")[0].line is None

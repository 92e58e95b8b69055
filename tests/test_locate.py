"""Issues are placed at the line and column of the value their JSON Pointer names."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from silkcore import Issue
from silkcore._locate import locate_issues, locate_json, pointer_join

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=20,
)


def pointers(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[str, Any]]:
    found = [(pointer_join(path), value)] if path else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += pointers(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += pointers(child, (*path, index))
    return found


def offset(text: str, line: int, column: int) -> int:
    return sum(len(row) + 1 for row in text.split("\n")[: line - 1]) + column - 1


@given(JSON, st.sampled_from([None, 1, 2]))
def test_every_pointer_lands_on_its_value(value: Any, indent: int | None) -> None:
    text = json.dumps(value, indent=indent)
    found = pointers(value)
    placed = locate_json(text, [Issue(pointer, "m") for pointer, _ in found])
    for issue, (_, expected) in zip(placed, found, strict=True):
        assert issue.line is not None and issue.column is not None, issue
        value_there, _ = json.JSONDecoder().raw_decode(text, offset(text, issue.line, issue.column))
        assert value_there == expected


def test_a_missing_key_is_placed_at_its_nearest_parent_in_json_and_yaml() -> None:
    json_text = '{\n  "items": [\n    {"id": "a"}\n  ]\n}'
    placed = locate_issues([Issue("/items/0/text", "required")], json_text, "f.json")
    assert (placed[0].source, placed[0].line, placed[0].column) == ("f.json", 3, 5)
    yaml_text = "id: x\nitems:\n  - id: a\n    text: {en: hello}\n"
    assert locate_issues([Issue("/items/0/text", "m")], yaml_text, "f.yaml", is_yaml=True)[0].line == 4
    placed = locate_issues([Issue("/items/0/missing", "required")], yaml_text, "f.yaml", is_yaml=True)
    assert (placed[0].line, placed[0].column) == (3, 5)


def test_text_that_is_not_the_document_gives_no_position() -> None:
    assert locate_issues([Issue("/a", "m")], b"\xff{", "<bytes>")[0].line is None
    assert locate_issues([Issue("/5", "m")], "[1, 2", "x.json")[0].line is None

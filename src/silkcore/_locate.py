"""Where an issue sits in the text it was found in: line and column for messages.

An issue found after parsing (a repeated key, a NUL, a schema or semantic check) knows its
JSON Pointer but not where the value sits in the file; a person fixing a file by hand wants
the line. This module is the one place that works it out, on the error path only:

* :func:`locate_json` walks JSON text once, tokens only, to the repeated key of a duplicate,
  the bad key of an ``in key:`` issue, or the value a pointer names;
* YAML is composed into nodes (no values built), whose marks give the position;
* :func:`locate_issues` places a command's issues in the bytes it read, falling back to the
  nearest parent for a value that is not there (a missing required key).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from ._errors import Issue, printable

__all__ = ["LOCATE_MAX_CHARS", "locate_issues", "locate_json", "pointer_join"]


def pointer_join(parts: tuple[str | int, ...] | list[str | int]) -> str:
    """Build an RFC 6901 JSON Pointer from path parts, escaping ``~`` and ``/``."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


_LOCATE_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},:]|[^\s\[\]{},:"]+')
#: Inputs up to this size get line and column added to the issues the walk found (errors only).
LOCATE_MAX_CHARS = 2 * 1024 * 1024


def locate_json(text: str, issues: Sequence[Issue]) -> list[Issue]:
    """The issues with the line and column of what they point at: the repeated key of a
    duplicate, the bad key of an ``in key:`` issue, else the value. One pass over the tokens,
    stopping once everything is found; on the error path only, and for inputs of at most
    :data:`LOCATE_MAX_CHARS` (larger ones keep their pointers alone)."""
    if len(text) > LOCATE_MAX_CHARS:
        return list(issues)
    duplicates = {i.pointer for i in issues if i.line is None and i.message.startswith("duplicate key")}
    keys = {i.pointer for i in issues if i.line is None and i.message.startswith("in key:")}
    values = {i.pointer for i in issues if i.line is None} - duplicates - keys
    found: dict[tuple[str, str], tuple[int, int]] = {}
    wanted = len(duplicates) + len(keys) + len(values)
    # Pointers are built only at the depths something is wanted at: the walk stays cheap.
    value_depths = {p.count("/") for p in values}
    key_depths = {p.count("/") for p in keys}
    duplicate_depths = {p.count("/") + 1 for p in duplicates}
    stack: list[list[Any]] = []  # per open container: [is_object, key or index, keys seen, expecting a key]
    line, counted = 1, 0

    def place(offset: int) -> tuple[int, int]:
        nonlocal line, counted
        line += text.count("\n", counted, offset)
        counted = offset
        return line, offset - text.rfind("\n", 0, offset)

    def value_at(offset: int) -> None:
        if len(stack) not in value_depths:
            return
        pointer = printable(pointer_join([entry[1] for entry in stack]))
        if pointer in values and ("value", pointer) not in found:
            found["value", pointer] = place(offset)

    for match in _LOCATE_TOKEN.finditer(text):
        if len(found) >= wanted:
            break
        token = match.group()
        top = stack[-1] if stack else None
        if token in "{[":
            value_at(match.start())
            stack.append([True, "", set(), True] if token == "{" else [False, 0, None, False])
        elif token in "]}":
            if stack:
                stack.pop()
        elif token == ",":
            if top is not None and top[0]:
                top[3] = True
            elif top is not None:
                top[1] += 1
        elif token == ":":
            if top is not None:
                top[3] = False
        elif top is not None and top[0] and top[3]:
            try:
                key = json.loads(token) if "\\" in token else token[1:-1]
            except ValueError:
                key = token[1:-1]
            depth = len(stack)
            if depth in duplicate_depths:
                if key in top[2]:
                    here = printable(pointer_join([entry[1] for entry in stack[:-1]]))
                    if here in duplicates and ("duplicate", here) not in found:
                        found["duplicate", here] = place(match.start())
                top[2].add(key)
            top[1] = key
            if depth in key_depths:
                mine = printable(pointer_join([entry[1] for entry in stack]))
                if mine in keys and ("key", mine) not in found:
                    found["key", mine] = place(match.start())
        else:
            value_at(match.start())
    located = []
    for issue in issues:
        kind = "duplicate" if issue.pointer in duplicates else "key" if issue.pointer in keys else "value"
        where = found.get((kind, issue.pointer)) if issue.line is None else None
        located.append(attrs.evolve(issue, line=where[0], column=where[1]) if where else issue)
    return located


def _parents(pointer: str) -> list[str]:
    """``/a/b/c`` -> ``["/a/b", "/a"]``: where to place an issue whose own value is missing
    (the root's place, 1:1, would tell nothing the pointer does not)."""
    found = []
    while pointer.count("/") > 1:
        pointer = pointer.rsplit("/", 1)[0]
        found.append(pointer)
    return found


def _yaml_finder(text: str) -> Callable[[str], tuple[int, int] | None]:
    import yaml  # only when a YAML input has something to place: a JSON-only command never loads PyYAML

    try:
        root: Any = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        root = None

    def find(pointer: str) -> tuple[int, int] | None:
        node = root
        for token in pointer.split("/")[1:]:
            part = token.replace("~1", "/").replace("~0", "~")
            if isinstance(node, yaml.MappingNode):
                node = next((value for key, value in node.value if getattr(key, "value", None) == part), None)
            elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
                node = node.value[int(part)]
            else:
                return None
        if node is None or not pointer:
            return None
        return node.start_mark.line + 1, node.start_mark.column + 1

    return find


def _locate_yaml(text: str, issues: Sequence[Issue]) -> list[Issue]:
    find = _yaml_finder(text)
    placed = []
    for issue in issues:
        where = None
        if issue.line is None:
            where = next((p for p in map(find, [issue.pointer, *_parents(issue.pointer)]) if p), None)
        placed.append(attrs.evolve(issue, line=where[0], column=where[1]) if where else issue)
    return placed


def _with_parents(text: str, issues: Sequence[Issue]) -> list[Issue]:
    """:func:`locate_json`, then one more pass for the issues whose value is not in the text,
    placed at their nearest parent that is."""
    placed = locate_json(text, issues)
    missing = {i.pointer: _parents(i.pointer) for i in placed if i.line is None and i.pointer.count("/") > 1}
    if not missing:
        return placed
    parents = sorted({p for chain in missing.values() for p in chain})
    found = {i.pointer: (i.line, i.column) for i in locate_json(text, [Issue(p, "") for p in parents]) if i.line}
    result = []
    for issue in placed:
        where = next((found[p] for p in missing.get(issue.pointer, ()) if p in found), None) if issue.line is None else None
        result.append(attrs.evolve(issue, line=where[0], column=where[1]) if where else issue)
    return result


def locate_issues(issues: Sequence[Issue], data: bytes | str, name: str, *, is_yaml: bool = False) -> list[Issue]:
    """``issues`` naming ``name`` and, where the pointer (or its nearest parent) is found in
    ``data``, the line and column; issues already placed keep theirs."""
    named = [issue if issue.source is not None else issue.located(name) for issue in issues]
    if all(issue.line is not None for issue in named):
        return named
    text = data.decode("utf-8-sig", "replace") if isinstance(data, bytes) else data
    return _locate_yaml(text, named) if is_yaml else _with_parents(text, named)

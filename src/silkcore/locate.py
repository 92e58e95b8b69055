"""Where a JSON Pointer lands in the text it was parsed from: line and column for messages.

An issue found after parsing (by a schema or a semantic check) knows its JSON Pointer but not
where the value sits in the file. A person fixing a file by hand wants the line, so each
command that still holds the bytes looks the pointer up here - only when there is an issue,
so the cost is paid on the error path alone. JSON is scanned without building values; YAML
is composed into nodes (no values constructed), whose marks give the position.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from json import decoder
from typing import Any

import attrs
import yaml

from .errors import Issue

__all__ = ["locate_issues", "position_of"]

# The standard library's string scanner (C when available), found by name: typeshed omits it.
_scanstring: Callable[[str, int], tuple[str, int]] = decoder.scanstring  # type: ignore[attr-defined]

_WS = re.compile(r"[ \t\r\n]*")
_SCALAR = re.compile(r"-?[0-9][0-9eE.+-]*|true|false|null")


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _parts(pointer: str) -> list[str] | None:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        return None
    return [_unescape(token) for token in pointer[1:].split("/")]


class _Scanner:
    """Walks JSON text to the value a pointer names, skipping everything else."""

    def __init__(self, text: str) -> None:
        self.text = text

    def ws(self, at: int) -> int:
        match = _WS.match(self.text, at)
        return match.end() if match else at

    def skip(self, at: int) -> int:
        """The offset just after the value starting at ``at``."""
        char = self.text[at]
        if char == '"':
            return _scanstring(self.text, at + 1)[1]
        if char in "{[":
            close = "}" if char == "{" else "]"
            at = self.ws(at + 1)
            if self.text[at] == close:
                return at + 1
            while True:
                if char == "{":
                    at = self.ws(_scanstring(self.text, at + 1)[1])
                    at = self.ws(at + 1)  # the colon
                at = self.ws(self.skip(at))
                if self.text[at] == close:
                    return at + 1
                at = self.ws(at + 1)  # the comma
        match = _SCALAR.match(self.text, at)
        if not match:
            raise ValueError(at)
        end: int = match.end()
        return end

    def find(self, at: int, parts: list[str]) -> int | None:
        at = self.ws(at)
        for part in parts:
            char = self.text[at]
            if char == "{":
                at = self.ws(at + 1)
                found = None
                while self.text[at] != "}":
                    key, after = _scanstring(self.text, at + 1)
                    value_at = self.ws(self.ws(after) + 1)
                    if key == part:
                        found = value_at  # keys are unique (the strict parser made sure)
                        break
                    at = self.ws(self.skip(value_at))
                    if self.text[at] == ",":
                        at = self.ws(at + 1)
                if found is None:
                    return None
                at = found
            elif char == "[":
                if not part.isdigit():
                    return None
                wanted = int(part)
                at = self.ws(at + 1)
                for _ in range(wanted):
                    if self.text[at] == "]":
                        return None
                    at = self.ws(self.skip(at))
                    if self.text[at] == ",":
                        at = self.ws(at + 1)
                if self.text[at] == "]":
                    return None
            else:
                return None
        return at


def _json_offset(text: str, parts: list[str]) -> int | None:
    try:
        return _Scanner(text).find(0, parts)
    except (ValueError, IndexError):  # not the text the pointer came from: no position, no harm
        return None


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _yaml_finder(text: str) -> Callable[[list[str]], tuple[int, int] | None]:
    try:
        root: Any = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        root = None

    def find(parts: list[str]) -> tuple[int, int] | None:
        node = root
        for part in parts:
            if isinstance(node, yaml.MappingNode):
                node = next((value for key, value in node.value if getattr(key, "value", None) == part), None)
            elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
                node = node.value[int(part)]
            else:
                return None
        if node is None:
            return None
        mark = node.start_mark
        return mark.line + 1, mark.column + 1

    return find


def _json_finder(text: str) -> Callable[[list[str]], tuple[int, int] | None]:
    def find(parts: list[str]) -> tuple[int, int] | None:
        offset = _json_offset(text, parts)
        return None if offset is None else _line_column(text, offset)

    return find


def _finder(data: bytes | str, is_yaml: bool) -> Callable[[str], tuple[int, int] | None]:
    text = data.decode("utf-8-sig", "replace") if isinstance(data, bytes) else data
    by_parts = _yaml_finder(text) if is_yaml else _json_finder(text)

    def find(pointer: str) -> tuple[int, int] | None:
        parts = _parts(pointer)
        return None if parts is None else by_parts(parts)

    return find


def position_of(data: bytes | str, pointer: str, *, is_yaml: bool = False) -> tuple[int, int] | None:
    """(line, column), both from 1, of the value ``pointer`` names in ``data``; None when the
    pointer does not resolve (a missing key is reported at its parent by the caller)."""
    return _finder(data, is_yaml)(pointer)


def locate_issues(issues: Sequence[Issue], data: bytes | str, name: str, *, is_yaml: bool = False) -> list[Issue]:
    """``issues`` naming ``name`` and, where the pointer (or, failing that, its nearest
    parent) resolves in ``data``, the line and column; issues already placed keep theirs."""
    find = _finder(data, is_yaml) if any(i.line is None for i in issues) else None
    located = []
    for issue in issues:
        if find is None or issue.line is not None:
            located.append(issue if issue.source is not None else issue.located(name))
            continue
        # The value itself, else its nearest parent below the root (the root's place, 1:1,
        # would tell nothing the pointer does not).
        pointer = issue.pointer
        position = find(pointer) if pointer else None
        while position is None and pointer.count("/") > 1:
            pointer = pointer.rsplit("/", 1)[0]
            position = find(pointer)
        if position is None:
            located.append(issue.located(name))
        else:
            located.append(attrs.evolve(issue, source=name, line=position[0], column=position[1]))
    return located

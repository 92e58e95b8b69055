"""Strict ``date`` and ``date-time`` checks that stay inside jsonschema-rs.

jsonschema-rs's own ``date`` check is fast but lenient: it lets any byte stand for a digit
("2025-0*-01" passes) and accepts the year 0000, which RFC 3339 dates cannot name. Handing
the check to a Python callback fixed that but doubled the cost of validating a flow (two
calls back into Python per document). Instead, the schema compiled for jsonschema-rs gets a
``pattern`` beside each such ``format``: the pattern checks the shape (ASCII digits, year
0001-9999, hours, minutes, seconds and offset in range) and the built-in format check does
the calendar (month lengths, leap years). Together they give exactly the verdicts of
:func:`silkcore._schemas.STRICT_FORMATS`, which the python engine uses; a differential test
keeps the two equal. Schema documents themselves are never changed - only the private copy
handed to the Rust compiler.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FORMAT_PATTERNS", "with_format_patterns"]

_YEAR = "(?:[1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])"
_FULL_DATE = _YEAR + "-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
_TIME = "(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]+)?"
_OFFSET = "(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"

#: The shape each strict format needs, as an ECMA-262 pattern.
FORMAT_PATTERNS = {
    "date": f"^{_FULL_DATE}$",
    "date-time": f"^{_FULL_DATE}[Tt]{_TIME}{_OFFSET}$",
}

# Keywords whose value is one subschema, a list of them, or a map of names to them. Only
# these are followed: a {"format": "date"} inside ``const``, ``enum`` or ``examples`` is data.
_ONE = (
    "additionalProperties",
    "unevaluatedProperties",
    "items",
    "unevaluatedItems",
    "contains",
    "propertyNames",
    "not",
    "if",
    "then",
    "else",
)
_MANY = ("allOf", "anyOf", "oneOf", "prefixItems")
_MAP = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")


def with_format_patterns(schema: Any) -> Any:
    """A copy of ``schema`` where every strict ``format`` also carries its shape pattern."""
    if not isinstance(schema, dict):
        return schema
    copy = dict(schema)
    for key in _ONE:
        if key in schema:
            copy[key] = with_format_patterns(schema[key])
    for key in _MANY:
        if isinstance(schema.get(key), list):
            copy[key] = [with_format_patterns(item) for item in schema[key]]
    for key in _MAP:
        if isinstance(schema.get(key), dict):
            copy[key] = {name: with_format_patterns(sub) for name, sub in schema[key].items()}
    pattern = FORMAT_PATTERNS.get(schema["format"]) if isinstance(schema.get("format"), str) else None
    if pattern is not None:
        # Beside an existing pattern both must hold, so the new one goes into an allOf.
        if "pattern" in copy:
            copy["allOf"] = [*copy.get("allOf", []), {"pattern": pattern}]
        else:
            copy["pattern"] = pattern
    return copy

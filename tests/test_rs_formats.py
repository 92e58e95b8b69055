"""jsonschema-rs with silkcore's format patterns gives the strict verdicts of the python engine."""

from __future__ import annotations

import jsonschema_rs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from silkcore._rs_formats import with_format_patterns
from silkcore._schemas import STRICT_FORMATS, SchemaRegistry, _rs_issues

DIGITS = st.sampled_from("0123456789")
SHAPED = st.lists(st.sampled_from("0123456789-:T tZz+.*٢"), min_size=8, max_size=32).map("".join)


def _date_like(draw: st.DrawFn) -> str:
    year = draw(st.integers(0, 9999))
    month = draw(st.integers(0, 13))
    day = draw(st.integers(0, 32))
    return f"{year:04d}-{month:02d}-{day:02d}"


@st.composite
def dates(draw: st.DrawFn) -> str:
    text = _date_like(draw)
    if draw(st.booleans()):  # damage one character
        at = draw(st.integers(0, len(text) - 1))
        text = text[:at] + draw(st.sampled_from("*x ٢/+")) + text[at + 1 :]
    return text


@st.composite
def date_times(draw: st.DrawFn) -> str:
    hour, minute, second = draw(st.integers(0, 25)), draw(st.integers(0, 61)), draw(st.integers(0, 61))
    fraction = draw(st.sampled_from(["", ".5", ".123456", ".1234567890", "."]))
    zone = draw(st.sampled_from(["Z", "z", "+00:00", "-23:59", "+24:00", "+05:60", "", "+0100"]))
    sep = draw(st.sampled_from("Tt "))
    return f"{_date_like(draw)}{sep}{hour:02d}:{minute:02d}:{second:02d}{fraction}{zone}"


def _rs(format_name: str) -> jsonschema_rs.Draft202012Validator:
    return jsonschema_rs.Draft202012Validator(with_format_patterns({"format": format_name}), validate_formats=True)


RS_DATE = _rs("date")
RS_DATE_TIME = _rs("date-time")


@given(st.one_of(dates(), SHAPED))
@example("2025-0*-01")
@example("0000-01-01")
@example("2024-02-29")
@example("2023-02-29")
def test_date_verdicts_agree(value: str) -> None:
    assert RS_DATE.is_valid(value) == STRICT_FORMATS["date"](value)


@given(st.one_of(date_times(), SHAPED))
@example("2025-01-01T23:59:60Z")
@example("2025-01-01T10:00:00.1234567+01:00")
def test_date_time_verdicts_agree(value: str) -> None:
    assert RS_DATE_TIME.is_valid(value) == STRICT_FORMATS["date-time"](value)


def test_patterns_reach_nested_and_referenced_schemas_but_never_data() -> None:
    schema = {
        "$defs": {"day": {"type": "string", "format": "date"}},
        "properties": {"when": {"anyOf": [{"$ref": "#/$defs/day"}, {"type": "null"}]}, "x": {"const": {"format": "date"}}},
        "allOf": [{"properties": {"stamp": {"format": "date-time", "pattern": "Z$"}}}],
    }
    compiled = with_format_patterns(schema)
    assert "pattern" in compiled["$defs"]["day"]
    assert compiled["properties"]["x"] == {"const": {"format": "date"}}
    stamp = compiled["allOf"][0]["properties"]["stamp"]
    assert stamp["pattern"] == "Z$" and len(stamp["allOf"]) == 1
    assert schema["$defs"]["day"] == {"type": "string", "format": "date"}  # the original is untouched


@pytest.mark.parametrize("bad", ["2025-0*-01", "2025-02-30"])
def test_a_bad_date_is_explained_once_as_a_date(bad: str) -> None:
    registry = SchemaRegistry()
    validator = registry.rs_validator("silkcore_flow-v1.0.0")
    document = {
        "schema": "silkcore_flow-v1.0.0",
        "flow_id": "urn:x:1",
        "status": "observed",
        "kind": "goods",
        "provider": {"org_id": "urn:x:a"},
        "receiver": {"org_id": "urn:x:b"},
        "period": {"start": bad},
    }
    issues = set(_rs_issues(validator.iter_errors(document)))
    assert [(i.pointer, i.message) for i in issues] == [("/period/start", f'"{bad}" is not a "date"')]

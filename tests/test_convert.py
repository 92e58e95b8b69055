"""The converter refuses coercion and unknown keys, and reports JSON Pointers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from silkcore import DataError, Flow, Money, Organisation, ResponseSet
from silkcore._convert import structure, unstructure

ORG = {"org_id": "urn:x", "name": "X", "sse_family": "cooperative", "country": "FR"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", 5),
        ("founding_year", "1990"),
        ("founding_year", True),
        ("founding_year", 1990.0),
        ("members", "3"),
        ("sse_family", 1),
    ],
)
def test_no_silent_coercion(field: str, value: object) -> None:
    with pytest.raises(DataError) as caught:
        structure({**ORG, field: value}, Organisation)
    assert caught.value.errors[0].pointer == f"/{field}"


def test_unknown_keys_are_named() -> None:
    with pytest.raises(DataError) as caught:
        structure({**ORG, "evil": 1}, Organisation)
    assert [i.pointer for i in caught.value.errors] == ["/evil"]


def test_nested_pointers() -> None:
    data = {
        "framework_id": "a.b",
        "framework_version": "1.0.0",
        "subject": {"org_id": "x"},
        "responses": [{"item_id": "q1", "value": 1}, {"item_id": "q2", "confidence": "high"}],
    }
    with pytest.raises(DataError) as caught:
        structure(data, ResponseSet)
    assert [i.pointer for i in caught.value.errors] == ["/responses/1/confidence"]


def test_money_is_exact_and_never_a_float() -> None:
    assert structure({"amount": "0.10", "currency": "EUR"}, Money) == Money(Decimal("0.10"), "EUR")
    assert unstructure(Money(Decimal("1250.50"), "EUR")) == {"amount": "1250.50", "currency": "EUR"}
    for bad in (0.1, 10, "NaN", "Infinity", "abc"):
        with pytest.raises(DataError):
            structure({"amount": bad, "currency": "EUR"}, Money)


def test_optional_defaults_are_omitted_and_restored() -> None:
    flow = structure(
        {
            "flow_id": "f",
            "status": "observed",
            "kind": "goods",
            "provider": {"org_id": "a"},
            "receiver": {"org_id": "b"},
        },
        Flow,
    )
    assert unstructure(flow) == {
        "flow_id": "f",
        "status": "observed",
        "kind": "goods",
        "provider": {"org_id": "a"},
        "receiver": {"org_id": "b"},
    }
    assert flow.direction_for("a").value == "outward" and flow.direction_for("b").value == "inward"
    assert flow.direction_for("c") is None

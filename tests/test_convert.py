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


# -- frameworks are built once ----------------------------------------------------------------


def _counting_structure(monkeypatch: pytest.MonkeyPatch) -> list[type]:
    """Record the class of every entity the converter builds through ``structure``."""
    from silkcore import _convert, _documents

    built: list[type] = []
    original = _convert.structure

    def counted(data, cls, **options):  # type: ignore[no-untyped-def]
        built.append(cls)
        return original(data, cls, **options)

    monkeypatch.setattr(_documents, "structure", counted)
    return built


def test_a_framework_file_a_plugin_registers_is_built_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    from silkcore import Framework, hookimpl
    from silkcore.testing import catalog_with

    from .conftest import EXAMPLES

    path = Path(EXAMPLES / "frameworks" / "community-energy-readiness.yaml")

    class FromFile:
        __name__ = "from-file"

        @hookimpl
        def silk_register_frameworks(self, register):  # type: ignore[no-untyped-def]
            register(path)

    built = _counting_structure(monkeypatch)
    catalog = catalog_with(FromFile())
    assert [f.id for f in catalog.frameworks()] == ["network.community-energy-partnering"]
    assert built.count(Framework) == 1  # read, validated and checked: never turned back into a dict and rebuilt


def test_a_framework_built_in_python_is_checked_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    """The schema and the framework checks, on the entity itself: it is not rebuilt from its document."""
    import attrs

    from silkcore import Category, Framework, Item, ItemKind, Option
    from silkcore._framework_data import framework_problems

    sound = Framework(
        id="test.python",
        version="1.0.0",
        title={"en": "Built in Python"},
        categories=(Category("a", {"en": "A"}),),
        items=(Item("q", "a", ItemKind.CHOICE, {"en": "q"}, "s", options=(Option("x", 1.0), Option("y", 0.0))),),
    )
    built = _counting_structure(monkeypatch)
    assert framework_problems(sound) == []
    unchecked = attrs.evolve(sound, items=(*sound.items, attrs.evolve(sound.items[0], id="r", category="nowhere")))
    assert [i.pointer for i in framework_problems(unchecked)] == ["/items/1/category"]  # a check no schema can make
    off_schema = attrs.evolve(sound, version="one")  # the schema wants a semantic version
    assert [i.pointer for i in framework_problems(off_schema)] == ["/version"]
    assert built == []

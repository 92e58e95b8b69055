"""SILK Tool 3: 36 indicators by phase, exact computations, and where an organisation stands."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from decimal import Decimal

import pytest

import silk_indicators
from silkcore import FlowStatus, Measurement, NotComputable, OrgRef, Period
from silkcore._measures import growth_rate, ratio, standing
from silkcore.testing import catalog_with

from ...conftest import EXAMPLES, run_silk

CATALOG = catalog_with(silk_indicators)
ORG = OrgRef("urn:test:org")


def m(indicator: str, year: int, value: str, status: FlowStatus = FlowStatus.OBSERVED, **extra: object) -> Measurement:
    return Measurement(indicator, ORG, Period(dt.date(year, 1, 1), dt.date(year, 12, 31)), status, value=Decimal(value), **extra)  # type: ignore[arg-type]


def test_frameworks_show_lists_36_indicators_by_phase() -> None:
    doc = json.loads(run_silk("frameworks", "show", "silk.indicators", "--json").stdout)
    counts = Counter(item["category"] for item in doc["items"])
    assert [counts[p] for p in ("introspection", "prospection", "operationalisation", "performance_assessment")] == [10, 8, 10, 8]
    assert any(item["text"]["en"] == "Financial forecast" for item in doc["items"])
    assert all(item["source"] for item in doc["items"])


def test_every_indicator_is_registered_with_unit_direction_and_kind() -> None:
    entries = CATALOG.indicators("silk.indicators")
    assert len(entries) == 36
    for entry in entries:
        d = entry.definition
        assert d.unit and d.direction and d.measure and d.source and d.phase
        assert (entry.compute is None) == (d.measure.value == "qualitative")


def test_revenue_100_then_125_is_25_percent_growth() -> None:
    entry = CATALOG.indicator("silk.p1.revenue_growth")
    assert entry.compute is not None
    assert entry.compute([m("revenue", 2024, "100"), m("revenue", 2025, "125")]) == Decimal(25)
    assert growth_rate(Decimal(100), Decimal(125)) == Decimal(25)


def test_hand_worked_values() -> None:
    margin = CATALOG.indicator("silk.p1.operational_margin").compute
    assert margin is not None and margin([m("revenue", 2025, "1342000"), m("operating_result", 2025, "26840")]) == Decimal(2)
    share = CATALOG.indicator("silk.p1.market_share").compute
    assert share is not None and share([m("own_sales", 2025, "158000"), m("market_size_sales", 2025, "5100000")]).quantize(
        Decimal("0.0001")
    ) == Decimal("3.0980")
    assert ratio(Decimal(1), Decimal(3)) == Decimal(1) / Decimal(3)
    assert growth_rate(Decimal(-50), Decimal(-25)) == Decimal(50)


@pytest.mark.parametrize(
    ("indicator", "measurements", "reason"),
    [
        ("silk.p1.revenue_growth", [m("revenue", 2024, "0"), m("revenue", 2025, "10")], "earlier value is zero"),
        ("silk.p1.revenue_growth", [m("revenue", 2025, "10")], "earlier period"),
        ("silk.p1.operational_margin", [m("revenue", 2025, "0"), m("operating_result", 2025, "5")], "denominator is zero"),
        ("silk.p1.operational_margin", [m("operating_result", 2025, "5")], "no measurement of 'revenue'"),
    ],
)
def test_not_computable_is_explained_never_zero(indicator: str, measurements: list[Measurement], reason: str) -> None:
    entry = CATALOG.indicator(indicator)
    assert entry.compute is not None
    with pytest.raises(NotComputable, match=reason):
        entry.compute(measurements)
    result = standing(entry.definition, entry.compute, measurements)
    assert result.status == "not_computable" and reason.split()[0] in (result.reason or "") and result.value is None


def test_standing_trend_target_and_planned_side_by_side() -> None:
    entry = CATALOG.indicator("silk.p1.revenue_growth")
    history = [
        m("revenue", 2023, "100"),
        m("revenue", 2024, "125"),
        m("revenue", 2025, "131.25"),
        m("silk.p1.revenue_growth", 2025, "10", FlowStatus.PLANNED, target=Decimal(10)),
    ]
    result = standing(entry.definition, entry.compute, history)
    assert result.value == Decimal(5) and result.previous == Decimal(25)
    assert result.trend == "worsening" and result.target == Decimal(10) and result.distance_to_target == Decimal(5)
    assert result.status == "off_track" and result.planned == Decimal(10) and result.planned_gap == Decimal(-5)


@pytest.mark.parametrize("name", ["tejidos-solidarios.jsonl", "sol-del-valle.jsonl"])
def test_example_organisations_standing(name: str) -> None:
    path = EXAMPLES / "measurements" / name
    assert run_silk("validate", str(path)).returncode == 0
    result = json.loads(run_silk("indicators", "standing", str(path), "--json").stdout)
    assert len(result["indicators"]) == 36
    assert result["to_address"], "the examples have indicators to address"
    first = result["to_address"][0]
    assert first["phase"] and "tool2_items" in first
    priorities = [row["priority"] for row in result["to_address"]]
    assert priorities == sorted(priorities, reverse=True)


def test_zero_revenue_example_is_reported_not_computable() -> None:
    result = json.loads(
        run_silk("indicators", "standing", str(EXAMPLES / "measurements" / "sol-del-valle.jsonl"), "--json").stdout
    )
    margin = next(r for r in result["indicators"] if r["indicator_id"] == "silk.p1.operational_margin")
    assert margin["status"] == "not_computable" and "denominator is zero" in margin["reason"]


def test_every_direction_has_a_basis_and_a_reason_shown_in_list_and_report() -> None:
    from silk_indicators.catalogue import DIRECTION_MARKS, catalogue
    from silk_indicators.report import IndicatorsSection
    from silkcore import read_documents
    from silkcore.report import ReportContext

    entries = catalogue()["indicators"]
    assert len(entries) == 36
    for entry in entries:
        # The report prints no direction, so none may claim the report as its basis.
        assert entry["direction_basis"] in ("inferred", "project"), entry["indicator_id"]
        assert entry["direction_reason"] and "\n" not in entry["direction_reason"], entry["indicator_id"]
    result = run_silk("indicators", "list")
    assert result.returncode == 0, result.stderr
    for entry in entries:
        mark = DIRECTION_MARKS[entry["direction_basis"]]
        [line] = [line for line in result.stdout.splitlines() if line.startswith(entry["indicator_id"] + " ")]
        assert f" {entry['direction']}{mark} " in line
    assert result.stdout.rstrip().splitlines()[-1].startswith("~ direction inferred from the report's printed label")
    documents = read_documents([EXAMPLES / "measurements" / "sol-del-valle.jsonl"])
    section = IndicatorsSection().render(ReportContext(None, documents, [], [], CATALOG))
    assert section is not None
    html = str(section.html)
    assert "<th>direction</th>" in html and "direction chosen by this project" in html
    assert "higher_is_better*" in html or "higher_is_better~" in html or "closer_to_target*" in html
    assert "direction chosen by this project" in section.markdown and ", direction " in section.markdown
    assert "the report gives no order" in html and "Order by priority" in section.markdown


def test_the_priority_weights_are_the_projects_with_a_reason_and_shown() -> None:
    from silkcore import PRIORITY_WEIGHTS

    assert {w.basis for w in PRIORITY_WEIGHTS.values()} == {"project"}  # the report gives no order
    assert all(w.reason and "\n" not in w.reason for w in PRIORITY_WEIGHTS.values())
    # The ranking uses the table: an indicator with no data gets exactly the no_data weight.
    [definition] = [d for d, _ in silk_indicators.catalogue.definitions() if d.indicator_id == "silk.p1.revenue_growth"]
    assert standing(definition, None, []).priority == PRIORITY_WEIGHTS["no_data"].value
    path = str(EXAMPLES / "measurements" / "sol-del-valle.jsonl")
    text = run_silk("indicators", "standing", path).stdout
    assert "Order by priority: off_target 1*, worsening 0.5*" in text and "the report gives no order" in text
    data = json.loads(run_silk("indicators", "standing", path, "--json").stdout)
    assert {w["id"]: w["basis"] for w in data["priority_weights"]} == {k: "project" for k in PRIORITY_WEIGHTS}

"""Example third-party plugin: event readiness (SILK policy lesson 8, strategy lesson 8)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from silkcore import IndicatorDefinition, IndicatorDirection, MeasureKind, Measurement, hookimpl

FRAMEWORK_FILE = Path(__file__).with_name("event_readiness.yaml")

PARTNERSHIP_YIELD = IndicatorDefinition(
    indicator_id="event.partnership_yield",
    title={"en": "New international partnerships per 1,000 of participation cost"},
    unit="partnerships per 1000",
    direction=IndicatorDirection.HIGHER_IS_BETTER,
    measure=MeasureKind.QUANTITATIVE,
    source="SILK report, policy lesson 8 (lines 286-290) and strategy lesson 8 (lines 342-344)",
    framework_id="network.event-readiness",
    computed=True,
    inputs=("event.partnerships_started", "event.participation_cost"),
    description={"en": "How many lasting partnerships an organisation's event participation produced for its cost."},
)


def partnership_yield(measurements: Sequence[Measurement]) -> Decimal | None:
    """Partnerships started per 1,000 (currency units) spent on taking part; None when either
    figure is missing or the cost is zero (a ratio over nothing is not a result)."""
    latest: dict[str, Measurement] = {}
    for measurement in measurements:
        if measurement.value is None or measurement.indicator_id not in PARTNERSHIP_YIELD.inputs:
            continue
        known = latest.get(measurement.indicator_id)
        if known is None or measurement.period.start > known.period.start:
            latest[measurement.indicator_id] = measurement
    partnerships = latest.get("event.partnerships_started")
    cost = latest.get("event.participation_cost")
    if partnerships is None or cost is None or cost.value is None or cost.value == 0 or partnerships.value is None:
        return None
    return partnerships.value * 1000 / cost.value


@hookimpl
def silk_register_frameworks(register):  # type: ignore[no-untyped-def]
    register(FRAMEWORK_FILE)


@hookimpl
def silk_register_indicators(register):  # type: ignore[no-untyped-def]
    register(PARTNERSHIP_YIELD, compute=partnership_yield)

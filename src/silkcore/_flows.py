"""Flow analysis for one focal organisation: the kinds x directions matrix and what it shows.

Definitions (also in docs/concepts.md):

* a flow is *outward* when the focal organisation provides it and *inward* when it receives
  it; the direction is always derived from provider and receiver;
* money is summed per currency and never across currencies, unless a rate table is given
  explicitly (``rates``: units of ``base`` per one unit of each currency);
* the *intangible share* is the number of intangible flows over all the focal
  organisation's flows;
* the *balance* is (outward - inward) / (outward + inward), counted in flows: +1 when
  everything goes out, -1 when everything comes in, 0 when both directions are equal -
  the report asks that both get the same attention.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from ._errors import DataError, Issue
from ._model import Direction, Flow, FlowKind, Period, shown

__all__ = ["FlowAnalysis", "FlowCell", "analyse_flows", "balance", "decimals_json", "intangible_share"]

KINDS = tuple(FlowKind)
DIRECTIONS = (Direction.INWARD, Direction.OUTWARD)


@attrs.frozen
class FlowCell:
    """One kind in one direction: how many flows, money per currency, quantities per unit."""

    count: int = 0
    money: dict[str, Decimal] = attrs.field(factory=dict)
    quantities: dict[str, Decimal] = attrs.field(factory=dict)


@attrs.frozen
class FlowAnalysis:
    """What a set of flows says about one organisation's internationalisation."""

    focal: str
    period: Period | None
    flows: int
    matrix: dict[tuple[FlowKind, Direction], FlowCell]
    intangible_share: Decimal | None
    balance: Decimal | None
    partners: tuple[str, ...]
    countries: tuple[str, ...]
    by_strategy: dict[str, int]
    reciprocal_pairs: tuple[tuple[str, str], ...]
    converted_total: dict[str, Decimal] | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready form (decimals as strings)."""
        return {
            "focal_organisation": self.focal,
            "period": None
            if self.period is None
            else {"start": str(self.period.start), "end": str(self.period.end) if self.period.end else None},
            "flows": self.flows,
            "matrix": [
                {
                    "kind": kind.value,
                    "direction": direction.value,
                    "count": cell.count,
                    "money": decimals_json(cell.money),
                    "quantities": decimals_json(cell.quantities),
                }
                for (kind, direction), cell in self.matrix.items()
            ],
            "intangible_share": None if self.intangible_share is None else format(self.intangible_share, "f"),
            "balance": None if self.balance is None else format(self.balance, "f"),
            "partners": list(self.partners),
            "countries": list(self.countries),
            "by_strategy": self.by_strategy,
            "reciprocal_pairs": [list(p) for p in self.reciprocal_pairs],
            "converted_total": None
            if self.converted_total is None
            else {k: format(v, "f") for k, v in self.converted_total.items()},
        }


_FOUR_PLACES = Decimal("0.0001")


def intangible_share(intangible: int, flows: int) -> Decimal | None:
    """Intangible flows over all flows, to four places; None when there are no flows."""
    return (Decimal(intangible) / Decimal(flows)).quantize(_FOUR_PLACES) if flows else None


def balance(outward: int, inward: int) -> Decimal | None:
    """(outward - inward) / (outward + inward), to four places; None when there are no flows."""
    total = outward + inward
    return (Decimal(outward - inward) / Decimal(total)).quantize(_FOUR_PLACES) if total else None


def decimals_json(amounts: Mapping[str, Decimal]) -> dict[str, str]:
    """Amounts by currency or unit as JSON: sorted, each an exact decimal string."""
    return {key: format(value, "f") for key, value in sorted(amounts.items())}


def _overlaps(flow: Flow, period: Period) -> bool:
    if flow.period is None:
        return False
    ends_after_start = flow.period.end is None or flow.period.end >= period.start
    starts_before_end = period.end is None or flow.period.start <= period.end
    return ends_after_start and starts_before_end


def analyse_flows(
    flows: Iterable[Flow],
    focal: str,
    *,
    period: Period | None = None,
    rates: Mapping[str, Decimal] | None = None,
    base: str | None = None,
) -> FlowAnalysis:
    """Analyse the flows in which ``focal`` takes part (within ``period`` when given)."""
    if (rates is None) != (base is None):
        raise DataError([Issue("", "a conversion needs both a rate table and its base currency")])
    mine: list[tuple[Flow, Direction]] = []
    for index, flow in enumerate(flows):
        if not isinstance(flow, Flow):
            raise DataError([Issue(f"/{index}", f"expected a Flow (read flows with read_documents), got {shown(flow)}")])
        direction = flow.direction_for(focal)
        if direction is None or (period is not None and not _overlaps(flow, period)):
            continue
        mine.append((flow, direction))
    matrix: dict[tuple[FlowKind, Direction], FlowCell] = {(k, d): FlowCell() for k in KINDS for d in DIRECTIONS}
    partners: set[str] = set()
    countries: set[str] = set()
    by_strategy: dict[str, int] = {}
    converted: dict[str, Decimal] = {}
    for flow, direction in mine:
        cell = matrix[(flow.kind, direction)]
        money = dict(cell.money)
        quantities = dict(cell.quantities)
        if flow.amount is not None:
            money[flow.amount.currency] = money.get(flow.amount.currency, Decimal(0)) + flow.amount.amount
            if rates is not None and base is not None:
                if flow.amount.currency != base and flow.amount.currency not in rates:
                    raise DataError([Issue("", f"no rate for {flow.amount.currency} in the rate table (flow {flow.flow_id})")])
                rate = Decimal(1) if flow.amount.currency == base else rates[flow.amount.currency]
                converted[direction.value] = converted.get(direction.value, Decimal(0)) + flow.amount.amount * rate
        if flow.quantity is not None:
            quantities[flow.quantity.unit] = quantities.get(flow.quantity.unit, Decimal(0)) + flow.quantity.value
        matrix[(flow.kind, direction)] = FlowCell(cell.count + 1, money, quantities)
        partner = flow.receiver if direction == Direction.OUTWARD else flow.provider
        partners.add(partner.org_id)
        for country in (partner.country, flow.origin_country if direction == Direction.INWARD else flow.destination_country):
            if country:
                countries.add(country)
        for approach in flow.strategies:
            by_strategy[approach.value] = by_strategy.get(approach.value, 0) + 1
    ids = {flow.flow_id for flow, _ in mine}
    pairs = tuple(sorted((f.reciprocal_of, f.flow_id) for f, _ in mine if f.reciprocal_of in ids))  # type: ignore[misc]
    outward = sum(1 for _, d in mine if d == Direction.OUTWARD)
    inward = len(mine) - outward
    intangible = sum(1 for f, _ in mine if f.kind == FlowKind.INTANGIBLE)
    return FlowAnalysis(
        focal=focal,
        period=period,
        flows=len(mine),
        matrix=matrix,
        intangible_share=intangible_share(intangible, len(mine)),
        balance=balance(outward, inward),
        partners=tuple(sorted(partners)),
        countries=tuple(sorted(countries)),
        by_strategy=dict(sorted(by_strategy.items())),
        reciprocal_pairs=pairs,
        converted_total={f"{k} ({base})": v for k, v in sorted(converted.items())} if rates is not None else None,
    )

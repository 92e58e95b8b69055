"""Fast typed construction for the hot document kinds, used after schema validation.

The converter (:mod:`silkcore.convert`) re-checks every type as it builds an entity, which
the schema has already guaranteed by then: no unknown key, every type and enum value and
pattern right. For the kinds that arrive by the million (flows), these builders construct
the same frozen entities directly. A property test keeps them equal to the converter's
result; kinds without a builder use the converter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .model import Approach, Direction, Flow, FlowKind, FlowStatus, IntangibleType, Money, OrgRef, Period, Quantity

__all__ = ["FAST_BUILDERS"]

_date = dt.date.fromisoformat


def _org(ref: dict[str, Any]) -> OrgRef:
    return OrgRef(ref["org_id"], ref.get("name"), ref.get("country"))


def build_flow(doc: dict[str, Any]) -> Flow:
    """A Flow from a schema-valid flow document (the ``schema`` key is ignored)."""
    amount = doc.get("amount")
    quantity = doc.get("quantity")
    period = doc.get("period")
    intangible = doc.get("intangible_type")
    direction = doc.get("direction")
    end = period.get("end") if period else None
    return Flow(
        flow_id=doc["flow_id"],
        status=FlowStatus(doc["status"]),
        kind=FlowKind(doc["kind"]),
        provider=_org(doc["provider"]),
        receiver=_org(doc["receiver"]),
        intangible_type=IntangibleType(intangible) if intangible is not None else None,
        focal_organisation=doc.get("focal_organisation"),
        direction=Direction(direction) if direction is not None else None,
        amount=Money(Decimal(amount["amount"]), amount["currency"]) if amount is not None else None,
        quantity=Quantity(Decimal(quantity["value"]), quantity["unit"]) if quantity is not None else None,
        period=Period(_date(period["start"]), _date(end) if end is not None else None) if period is not None else None,
        origin_country=doc.get("origin_country"),
        destination_country=doc.get("destination_country"),
        strategies=tuple(Approach(s) for s in doc.get("strategies", ())),
        reciprocal_of=doc.get("reciprocal_of"),
        description=doc.get("description"),
    )


#: Builders by schema name, for documents that already passed their schema.
FAST_BUILDERS: dict[str, Callable[[dict[str, Any]], Any]] = {"silkcore_flow-v1.0.0": build_flow}

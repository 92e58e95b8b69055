"""Typed construction for the kinds that arrive by the million, flows and response sets:
how :func:`silkcore._documents.check` - the one path from a document to an entity, which
every surface calls - builds them once their schema has passed.

The converter (:mod:`silkcore._convert`) re-checks every type as it builds an entity, which
the schema has already guaranteed by then: no unknown key, every type and enum value and
pattern right. These builders construct the same frozen entities directly, two to four
times faster (benchmarks/RESULTS.md), sharing equal frozen values. The converter builds
every other kind, and explains the rare document a builder cannot build (an entity's own
check failing); property tests keep the builders' entities equal to the converter's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ._assessment import AnswerStatus, Respondent, Response, ResponseSet
from ._convert import answer_value, parse_datetime, structure
from ._model import (
    Approach,
    Direction,
    Evidence,
    Flow,
    FlowKind,
    FlowStatus,
    IntangibleType,
    Money,
    OrgRef,
    Period,
    Quantity,
)
from ._objcache import BoundedMemo, exact_key

__all__ = ["FAST_BUILDERS"]

_date = dt.date.fromisoformat
# Enum members by value: a dict lookup is ten times cheaper than calling the Enum class.
_STATUS: dict[str, FlowStatus] = {m.value: m for m in FlowStatus}
_KIND: dict[str, FlowKind] = {m.value: m for m in FlowKind}
_INTANGIBLE: dict[str, IntangibleType] = {m.value: m for m in IntangibleType}
_DIRECTION: dict[str, Direction] = {m.value: m for m in Direction}
_APPROACH: dict[str, Approach] = {m.value: m for m in Approach}


def _new_period(key: tuple[str, str | None]) -> Period:
    start, end = key
    return Period(_date(start), _date(end) if end is not None else None)


# Equal frozen values are built once: flows by the million name the same partners, periods
# and strategy lists again and again.
_ORGS = BoundedMemo(4096, lambda key: OrgRef(*key))
_PERIODS = BoundedMemo(4096, _new_period)
_STRATEGIES = BoundedMemo(4096, lambda key: tuple(_APPROACH[value] for value in key))


def _org(ref: dict[str, Any]) -> OrgRef:
    get = ref.get
    return _ORGS[ref["org_id"], get("name"), get("country")]  # type: ignore[no-any-return]


def build_flow(doc: dict[str, Any]) -> Flow:
    """A Flow from a schema-valid flow document (the ``schema`` key is ignored)."""
    get = doc.get
    amount = get("amount")
    quantity = get("quantity")
    period = get("period")
    intangible = get("intangible_type")
    direction = get("direction")
    strategies = get("strategies")
    return Flow(
        doc["flow_id"],
        _STATUS[doc["status"]],
        _KIND[doc["kind"]],
        _org(doc["provider"]),
        _org(doc["receiver"]),
        _INTANGIBLE[intangible] if intangible is not None else None,
        get("focal_organisation"),
        _DIRECTION[direction] if direction is not None else None,
        Money(Decimal(amount["amount"]), amount["currency"]) if amount is not None else None,
        Quantity(Decimal(quantity["value"]), quantity["unit"]) if quantity is not None else None,
        _PERIODS[period["start"], period.get("end")] if period is not None else None,
        get("origin_country"),
        get("destination_country"),
        _STRATEGIES[tuple(strategies)] if strategies else (),
        get("reciprocal_of"),
        get("description"),
    )


_ANSWER_STATUS: dict[str, AnswerStatus] = {m.value: m for m in AnswerStatus}


def _response(doc: dict[str, Any]) -> Response:
    """A response, shared with an earlier equal one when it cites no evidence: survey answers
    repeat (the same option, the same confidence), and a frozen Response can be shared. Keys
    are exact (``true`` is not ``1``, ``1`` is not ``1.0``)."""
    if "evidence" in doc:
        return _new_response(doc)
    get = doc.get
    confidence = get("confidence")  # always read as a float: only its type keeps 1 from 1.0
    key = (doc["item_id"], exact_key(get("value")), get("status"), get("comment"), type(confidence), confidence)
    return _RESPONSES.remember(key, _new_response, doc)  # type: ignore[no-any-return]


_RESPONSES = BoundedMemo(8192)


def _new_response(doc: dict[str, Any]) -> Response:
    get = doc.get
    value = get("value")
    status = get("status")
    evidence = get("evidence")
    confidence = get("confidence")
    return Response(
        doc["item_id"],
        None if value is None else answer_value(value),
        None if status is None else _ANSWER_STATUS[status],
        get("comment"),
        () if evidence is None else structure(evidence, tuple[Evidence, ...]),
        None if confidence is None else float(confidence),
    )


def build_response_set(doc: dict[str, Any]) -> ResponseSet:
    """A ResponseSet from a schema-valid response set document. Answer values and date-times
    go through the converter's own rules, so what it refuses is refused here too."""
    get = doc.get
    respondent = get("respondent")
    collected_at = get("collected_at")
    return ResponseSet(
        doc["framework_id"],
        doc["framework_version"],
        _org(doc["subject"]),
        tuple(map(_response, doc["responses"])),
        get("response_set_id"),
        get("mode"),
        None if respondent is None else Respondent(respondent["role"], respondent.get("name")),
        None if collected_at is None else parse_datetime(collected_at, dt.datetime),
        get("language"),
        get("illustrative", False),
        get("note"),
    )


#: Builders by schema name, for documents that already passed their schema.
FAST_BUILDERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "silkcore_flow-v1.0.0": build_flow,
    "silkcore_response_set-v1.0.0": build_response_set,
}

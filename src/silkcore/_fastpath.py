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

import attrs

from ._assessment import AnswerStatus, Respondent, Response, ResponseSet, is_answer_value
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
from ._objcache import BoundedMemo

__all__ = ["FAST_BUILDERS", "collected_at_sound", "response_set_buildable", "value_sound"]

_date = dt.date.fromisoformat
# Enum members by value: a dict lookup is ten times cheaper than calling the Enum class.
_STATUS: dict[str, FlowStatus] = {m.value: m for m in FlowStatus}
_KIND: dict[str, FlowKind] = {m.value: m for m in FlowKind}
# (None for an optional field left out.)
_INTANGIBLE: dict[str | None, IntangibleType | None] = {None: None, **{m.value: m for m in IntangibleType}}
_DIRECTION: dict[str | None, Direction | None] = {None: None, **{m.value: m for m in Direction}}
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


_new = object.__new__
#: A slot's setter: ``Class.__dict__[field].__set__`` (instance, value).
Setter = Callable[[Any, Any], None]
# Money and Quantity (two fields, no check of their own) have their fields set directly.
_PAIR_SETTERS = {cls: tuple(cls.__dict__[a.name].__set__ for a in attrs.fields(cls)) for cls in (Money, Quantity)}


# A Flow's fields set one by one, in the order of its attributes (frozen to its users, not to
# its builder): about a third cheaper than the generated __init__, which looks each name up.
(
    _FLOW_ID,
    _FLOW_STATUS,
    _FLOW_KIND,
    _FLOW_PROVIDER,
    _FLOW_RECEIVER,
    _FLOW_INTANGIBLE,
    _FLOW_FOCAL,
    _FLOW_DIRECTION,
    _FLOW_AMOUNT,
    _FLOW_QUANTITY,
    _FLOW_PERIOD,
    _FLOW_ORIGIN,
    _FLOW_DESTINATION,
    _FLOW_STRATEGIES,
    _FLOW_RECIPROCAL,
    _FLOW_DESCRIPTION,
) = (Flow.__dict__[field.name].__set__ for field in attrs.fields(Flow))
_MONEY_AMOUNT, _MONEY_CURRENCY = _PAIR_SETTERS[Money]
_QUANTITY_VALUE, _QUANTITY_UNIT = _PAIR_SETTERS[Quantity]


def _exact(cls: type[Any], set_number: Setter, set_unit: Setter, number: str, unit: str) -> Any:
    """A Money or a Quantity (an exact number and its currency or unit), its fields set directly."""
    value = _new(cls)
    set_number(value, Decimal(number))
    set_unit(value, unit)
    return value


def build_flow(doc: dict[str, Any]) -> Flow:
    """A Flow from a schema-valid flow document (the ``schema`` key is ignored). Flow has no
    check of its own to run: the schema has checked every field (tests keep the result equal
    to the converter's, field by field)."""
    get = doc.get
    flow = _new(Flow)
    _FLOW_ID(flow, doc["flow_id"])
    _FLOW_STATUS(flow, _STATUS[doc["status"]])
    _FLOW_KIND(flow, _KIND[doc["kind"]])
    party = doc["provider"]
    _FLOW_PROVIDER(flow, _ORGS[party["org_id"], party.get("name"), party.get("country")])
    party = doc["receiver"]
    _FLOW_RECEIVER(flow, _ORGS[party["org_id"], party.get("name"), party.get("country")])
    _FLOW_INTANGIBLE(flow, _INTANGIBLE[get("intangible_type")])
    _FLOW_FOCAL(flow, get("focal_organisation"))
    _FLOW_DIRECTION(flow, _DIRECTION[get("direction")])
    given = get("amount")
    amount = None if given is None else _exact(Money, _MONEY_AMOUNT, _MONEY_CURRENCY, given["amount"], given["currency"])
    _FLOW_AMOUNT(flow, amount)
    given = get("quantity")
    quantity = None if given is None else _exact(Quantity, _QUANTITY_VALUE, _QUANTITY_UNIT, given["value"], given["unit"])
    _FLOW_QUANTITY(flow, quantity)
    given = get("period")
    _FLOW_PERIOD(flow, None if given is None else _PERIODS[given["start"], given.get("end")])
    _FLOW_ORIGIN(flow, get("origin_country"))
    _FLOW_DESTINATION(flow, get("destination_country"))
    given = get("strategies")
    _FLOW_STRATEGIES(flow, _STRATEGIES[tuple(given)] if given else ())
    _FLOW_RECIPROCAL(flow, get("reciprocal_of"))
    _FLOW_DESCRIPTION(flow, get("description"))
    return flow


_ANSWER_STATUS: dict[str, AnswerStatus] = {m.value: m for m in AnswerStatus}
_INT_LIMIT = 10**4300  # the answer value an entity holds (silkcore._assessment)
_INF = float("inf")
# A Response's fields set one by one (the class is frozen to its users, not to its builder).
_SET_ITEM, _SET_VALUE, _SET_STATUS, _SET_COMMENT, _SET_EVIDENCE, _SET_CONFIDENCE = (
    Response.__dict__[name].__set__ for name in ("item_id", "value", "status", "comment", "evidence", "confidence")
)


def value_sound(value: Any) -> bool:
    """Whether a schema-valid answer value is one a :class:`Response` holds: no NUL or lone
    surrogate in text (the strict reader refuses them, a Python mapping may hold them), an
    integer of at most 4,300 digits, a finite number, a list of distinct strings and integers
    (the converter's rules: ``1.0`` is not an integer here, though JSON Schema says it is)."""
    kind = type(value)
    if kind is str:
        return (value.isascii() and "\x00" not in value) or is_answer_value(value)
    if kind is int:
        return -_INT_LIMIT < value < _INT_LIMIT  # type: ignore[no-any-return]
    if kind is float:
        return -_INF < value < _INF  # type: ignore[no-any-return]
    if kind is bool:
        return True
    try:
        return is_answer_value(answer_value(value))
    except Exception:
        return False


def collected_at_sound(collected_at: Any) -> bool:
    """Whether a schema-valid ``collected_at`` is a date-time the entity takes."""
    try:
        parse_datetime(collected_at, dt.datetime)
    except Exception:
        return False
    return True


def response_set_buildable(doc: dict[str, Any]) -> bool:
    """Whether :func:`build_response_set` surely builds a schema-valid response set document:
    every value sound (:func:`value_sound`), its ``collected_at`` a date-time the entity
    takes, and no evidence (built and checked by the converter). False means "build it and
    see", never "it is wrong". (Checked against a framework, the same is looked at in the
    check's own pass: :func:`~silkcore._response_check.checked_answers`.)"""
    for response in doc["responses"]:
        value = response.get("value")
        if "evidence" in response:
            return False
        if value is None or (type(value) is str and value.isascii() and "\x00" not in value):  # most answers
            continue
        if not value_sound(value):
            return False
    collected_at = doc.get("collected_at")
    return collected_at is None or collected_at_sound(collected_at)


def _response(doc: dict[str, Any]) -> Response:
    """A response from a schema-valid one. The schema has checked every field's type and
    range and that a value or a status is given; what only the entity checks about a value is
    :func:`value_sound`, and a value that fails it goes to the converter, which refuses it
    with its message."""
    get = doc.get
    value = get("value")
    if value is not None:
        if not value_sound(value):
            raise ValueError("not an answer value")
        if type(value) is list:
            value = answer_value(value)
    status = get("status")
    evidence = get("evidence")
    confidence = get("confidence")
    response = _new(Response)
    _SET_ITEM(response, doc["item_id"])
    _SET_VALUE(response, value)
    _SET_STATUS(response, None if status is None else _ANSWER_STATUS[status])
    _SET_COMMENT(response, get("comment"))
    _SET_EVIDENCE(response, () if evidence is None else structure(evidence, tuple[Evidence, ...]))
    _SET_CONFIDENCE(response, None if confidence is None else float(confidence))
    return response


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

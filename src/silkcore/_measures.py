"""Exact indicator arithmetic and "where does the organisation stand" over measurements.

All arithmetic is ``Decimal``; a figure that cannot be computed (a missing input, a zero
denominator) raises :class:`NotComputable` with the reason, never returns a silent zero.
:func:`standing` turns an indicator's measurements over periods into its current value,
trend, distance to target and planned-versus-observed gap; :func:`rank` orders what needs
addressing first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

import attrs

from ._errors import SilkError
from ._model import FlowStatus, IndicatorDefinition, IndicatorDirection, MeasureKind, Measurement, Period

__all__ = [
    "PRIORITY_WEIGHTS",
    "IndicatorStanding",
    "NotComputable",
    "PriorityWeight",
    "growth_rate",
    "latest",
    "ratio",
    "rank",
    "standing",
]

ComputeFn = Callable[[Sequence[Measurement]], Decimal | None]
HUNDRED = Decimal(100)


@attrs.frozen
class PriorityWeight:
    """One weight of "what to address first": its value, its basis (``report``, ``inferred``
    or ``project``) and a one-line reason, so that views can say whose choice it is."""

    id: str
    value: float
    basis: str
    reason: str


# The report (Tool 3, line 770) asks "what needs to be addressed" but gives no order or
# weights: every weight below is the project's, and says so.
PRIORITY_WEIGHTS: dict[str, PriorityWeight] = {
    w.id: w
    for w in (
        PriorityWeight("off_target", 1.0, "project", "Missing a target comes first: 1 plus the relative distance to the target."),
        PriorityWeight("worsening", 0.5, "project", "A worsening trend adds half a missed target: it may miss one soon."),
        PriorityWeight(
            "worsening_without_target", 0.3, "project", "Without a target only the trend can signal a problem, so it ranks lower."
        ),
        PriorityWeight(
            "behind_plan", 0.25, "project", "Doing worse than planned adds a quarter: the plan is the organisation's own."
        ),
        PriorityWeight(
            "not_computable", 0.2, "project", "A figure that cannot be computed hides a possible problem; fix the data."
        ),
        PriorityWeight("only_planned", 0.15, "project", "Planned but not yet observed: measure it soon."),
        PriorityWeight("no_data", 0.1, "project", "Not measured at all: worth starting, below any known problem."),
        PriorityWeight("qualitative", 0.05, "project", "A judgement has no target to miss; it is only kept in view."),
    )
}


def _weight(weight_id: str) -> float:
    return PRIORITY_WEIGHTS[weight_id].value


class NotComputable(SilkError):
    """An indicator cannot be computed from the measurements given; the message says why."""


def latest(measurements: Iterable[Measurement], indicator_id: str, *, before: Measurement | None = None) -> Measurement:
    """The most recent measurement with a value for ``indicator_id`` (optionally strictly
    earlier than ``before``); :class:`NotComputable` if there is none."""
    found = [m for m in measurements if m.indicator_id == indicator_id and m.value is not None]
    if before is not None:
        found = [m for m in found if m.period.start < before.period.start]
    if not found:
        when = " for an earlier period" if before is not None else ""
        raise NotComputable(f"no measurement of {indicator_id!r}{when}")
    return max(found, key=lambda m: m.period.start)


def growth_rate(previous: Decimal, current: Decimal) -> Decimal:
    """Percentage change from ``previous`` to ``current`` (100 then 125 gives 25)."""
    if previous == 0:
        raise NotComputable("the earlier value is zero, so a growth rate is undefined")
    return (current - previous) / abs(previous) * HUNDRED


def ratio(numerator: Decimal, denominator: Decimal, *, percent: bool = False) -> Decimal:
    """``numerator / denominator`` (times 100 when ``percent``)."""
    if denominator == 0:
        raise NotComputable("the denominator is zero")
    result = numerator / denominator
    return result * HUNDRED if percent else result


@attrs.frozen
class IndicatorStanding:
    """Where one indicator stands for one organisation."""

    indicator_id: str
    status: str  # on_track | off_track | no_target | qualitative | not_computable | no_data
    value: Decimal | None = None
    period: Period | None = None
    previous: Decimal | None = None
    trend: str | None = None  # improving | worsening | stable
    target: Decimal | None = None
    baseline: Decimal | None = None
    distance_to_target: Decimal | None = None
    planned: Decimal | None = None
    planned_gap: Decimal | None = None
    judgement: str | None = None
    reason: str | None = None
    priority: float = 0.0


def _better(direction: IndicatorDirection, a: Decimal, b: Decimal, target: Decimal | None) -> int:
    """+1 if ``a`` is better than ``b``, -1 if worse, 0 if equal."""
    if a == b:
        return 0
    if direction == IndicatorDirection.LOWER_IS_BETTER:
        return 1 if a < b else -1
    if direction == IndicatorDirection.CLOSER_TO_TARGET and target is not None:
        return 1 if abs(a - target) < abs(b - target) else -1
    return 1 if a > b else -1


def _value_at(
    definition: IndicatorDefinition, compute: ComputeFn | None, history: Sequence[Measurement], *, prefer_direct: bool = False
) -> Decimal:
    """The indicator's value over ``history``: computed from its inputs, or measured directly
    (a measurement of the indicator itself, e.g. a planned growth rate). ``prefer_direct``
    picks the direct figure first, as plans usually state the indicator, not its inputs."""
    direct = [m for m in history if m.indicator_id == definition.indicator_id and m.value is not None]
    if compute is None or (prefer_direct and direct):
        return latest(history, definition.indicator_id).value  # type: ignore[return-value]
    try:
        value = compute(history)
    except NotComputable:
        if direct:
            return latest(direct, definition.indicator_id).value  # type: ignore[return-value]
        raise
    if value is None:
        raise NotComputable("the plugin could not compute it from the measurements given")
    return value


def _reference(measurements: Sequence[Measurement], definition: IndicatorDefinition, field: str) -> Decimal | None:
    """A target or baseline: set on the indicator's own measurements, else - for an indicator
    that is its input's level, not computed from it - on its only input. A growth rate or a
    ratio never borrows its input's target, which is in another unit."""
    borrow = len(definition.inputs) == 1 and not definition.computed
    candidates = [definition.indicator_id, definition.inputs[0]] if borrow else [definition.indicator_id]
    for indicator_id in candidates:
        found = [m for m in measurements if m.indicator_id == indicator_id and getattr(m, field) is not None]
        if found:
            return getattr(max(found, key=lambda m: m.period.start), field)  # type: ignore[no-any-return]
    return None


def standing(
    definition: IndicatorDefinition, compute: ComputeFn | None, measurements: Sequence[Measurement]
) -> IndicatorStanding:
    """Current value (latest observed period), trend against the previous period, distance to
    target, and the planned value computed the same way from planned measurements."""
    relevant = {definition.indicator_id, *definition.inputs}
    mine = [m for m in measurements if m.indicator_id in relevant]
    observed = [m for m in mine if m.status == FlowStatus.OBSERVED]
    planned = [m for m in mine if m.status == FlowStatus.PLANNED]
    if definition.measure == MeasureKind.QUALITATIVE:
        rated = [m for m in observed if m.indicator_id == definition.indicator_id and m.judgement]
        if not rated:
            return IndicatorStanding(
                definition.indicator_id, "no_data", reason="no rated judgement yet", priority=_weight("no_data")
            )
        last = max(rated, key=lambda m: m.period.start)
        return IndicatorStanding(
            definition.indicator_id, "qualitative", period=last.period, judgement=last.judgement, priority=_weight("qualitative")
        )
    if not observed and not planned:
        return IndicatorStanding(definition.indicator_id, "no_data", reason="no measurement yet", priority=_weight("no_data"))
    starts = sorted({m.period.start for m in observed})
    target = _reference(mine, definition, "target")
    baseline = _reference(mine, definition, "baseline")
    planned_value: Decimal | None = None
    if planned:
        try:
            planned_value = _value_at(definition, compute, planned, prefer_direct=True)
        except NotComputable:
            planned_value = None
    if not starts:
        return IndicatorStanding(
            definition.indicator_id,
            "no_data",
            target=target,
            planned=planned_value,
            reason="only planned values so far",
            priority=_weight("only_planned"),
        )
    try:
        value = _value_at(definition, compute, observed)
    except NotComputable as exc:
        return IndicatorStanding(
            definition.indicator_id,
            "not_computable",
            reason=str(exc),
            target=target,
            planned=planned_value,
            priority=_weight("not_computable"),
        )
    period = max((m for m in observed), key=lambda m: m.period.start).period
    previous = None
    trend = None
    if len(starts) > 1:
        earlier = [m for m in observed if m.period.start < starts[-1]]
        try:
            previous = _value_at(definition, compute, earlier)
            verdict = _better(definition.direction, value, previous, target)
            trend = {1: "improving", -1: "worsening", 0: "stable"}[verdict]
        except NotComputable:
            previous = None
    distance = None if target is None else target - value
    priority = 0.0
    if target is None:
        status = "no_target"
        priority = _weight("worsening_without_target") if trend == "worsening" else 0.0
    else:
        meets = (
            _better(definition.direction, value, target, target) >= 0
            if definition.direction != IndicatorDirection.CLOSER_TO_TARGET
            else value == target
        )
        status = "on_track" if meets else "off_track"
        if not meets:
            priority = _weight("off_target") + float(abs(target - value) / max(abs(target), Decimal(1)))
    if trend == "worsening":
        priority += _weight("worsening")
    planned_gap = None if planned_value is None else value - planned_value
    if planned_gap is not None and planned_value is not None and _better(definition.direction, value, planned_value, target) < 0:
        priority += _weight("behind_plan")
    return IndicatorStanding(
        definition.indicator_id,
        status,
        value=value,
        period=period,
        previous=previous,
        trend=trend,
        target=target,
        baseline=baseline,
        distance_to_target=distance,
        planned=planned_value,
        planned_gap=planned_gap,
        priority=round(priority, 6),
    )


def rank(standings: Iterable[IndicatorStanding]) -> list[IndicatorStanding]:
    """What needs addressing first: highest priority, then by id for a stable order."""
    return sorted(standings, key=lambda s: (-s.priority, s.indicator_id))

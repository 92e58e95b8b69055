"""Documented knowledge: cases of internationalisation and public policies.

Both are records of what a source (such as the SILK report) says, so every table cell
keeps its text and where it was found, and what the source leaves empty stays ``None``.
They live in the core, beside the other document kinds, because several tools read them:
the flow chart compares an organisation with cases, the impact grid cites them, and the
policy brief uses both cases and policies.
"""

from __future__ import annotations

from typing import ClassVar

import attrs

from ._model import Approach, Direction, FlowKind, IntangibleType, Money, Period, SseFamily, Text

__all__ = ["Case", "CaseFigure", "CaseFlow", "CaseStrategy", "Cell", "Fact", "Jurisdiction", "Policy"]


@attrs.frozen
class Cell:
    """One cell of a source table: its text as printed and where it is."""

    text: str
    source: str


@attrs.frozen
class Fact:
    """Something the source says, with where it says it."""

    text: str
    source: str
    tags: tuple[str, ...] = ()


@attrs.frozen
class CaseStrategy:
    """An approach a case used, stated by the source or inferred (with the reason)."""

    approach: Approach
    basis: str
    source: str
    reason: str | None = None


@attrs.frozen
class CaseFlow:
    """A flow the source describes, from the case organisation's point of view."""

    kind: FlowKind
    direction: Direction
    description: str
    source: str
    intangible_type: IntangibleType | None = None


@attrs.frozen
class CaseFigure:
    """A figure exactly as printed, optionally with the figure it is compared with."""

    label: str
    value: str
    unit: str
    source: str
    compared_with: str | None = None
    comparison_label: str | None = None


PHASE_FIELDS = (
    "motives",
    "policy_support",
    "value_offered",
    "markets",
    "timing",
    "partners",
    "strategy",
    "indicators_quantitative_operationalisation",
    "indicator_examples_operationalisation",
    "indicators_quantitative_performance",
    "indicators_qualitative_performance",
    "comments",
)


@attrs.frozen
class Case:
    """A documented case of internationalisation."""

    SCHEMA: ClassVar[str] = "silkcore_case-v1.0.0"

    case_id: str
    name: str
    kind: str
    sources: tuple[str, ...]
    country: str | None = None
    sse_family: SseFamily | None = None
    sse_family_basis: str | None = None
    founding_year: int | None = None
    organisation: dict[str, Cell | None] = attrs.field(factory=dict)
    phases: dict[str, Cell | None] = attrs.field(factory=dict)
    phase_reached: str | None = None
    strategies: tuple[CaseStrategy, ...] = ()
    flows: tuple[CaseFlow, ...] = ()
    figures: tuple[CaseFigure, ...] = ()
    facts: tuple[Fact, ...] = ()
    note: str | None = None

    def approaches(self) -> frozenset[Approach]:
        """Every approach the case used."""
        return frozenset(s.approach for s in self.strategies)


@attrs.frozen
class Jurisdiction:
    """Where a policy applies."""

    name: str
    country: str | None = None


@attrs.frozen
class Policy:
    """A public policy for the internationalisation of SSE organisations."""

    SCHEMA: ClassVar[str] = "silkcore_policy-v1.0.0"

    policy_id: str
    name: str
    level: str
    type: str
    sources: tuple[str, ...]
    jurisdiction: Jurisdiction | None = None
    type_basis: str | None = None
    instruments: tuple[str, ...] = ()
    flows_targeted: tuple[FlowKind, ...] = ()
    directions_targeted: tuple[Direction, ...] = ()
    target_organisations: tuple[str, ...] = ()
    collaborators: tuple[str, ...] = ()
    budget: Money | None = None
    period: Period | None = None
    duration_months: int | None = None
    evaluation: str | None = None
    sse_involved_in_design: bool | None = None
    description: Text | None = None
    facts: tuple[Fact, ...] = ()
    cases: tuple[str, ...] = ()
    illustrative: bool = False

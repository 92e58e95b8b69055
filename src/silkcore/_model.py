"""The typed entities of internationalisation: organisations, flows, strategies, indicators.

Entities are frozen, slotted attrs classes: dumb values with no parsing in ``__init__``.
Turning JSON into them (and back) is the converter's job (:mod:`silkcore._convert`); checking
JSON against the rules is the schemas' job. Closed sets are string enums whose values are
the codes that travel in documents.

The entities a program builds itself and hands to silkcore (a reference to an organisation,
evidence, and in :mod:`silkcore._assessment` and :mod:`silkcore._framework` the answers,
frameworks and results) check their fields when built, with :func:`check_fields`: a value of
the wrong type or out of range is a :class:`~silkcore._errors.DataError` whose issues point at
the field (``/confidence``), not a wrong score later. The checks are plain comparisons, cheap
enough for the entities built by the million.
"""

from __future__ import annotations

import datetime as dt
import reprlib
from collections.abc import Callable
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

import attrs

from ._errors import DataError, Issue

__all__ = [
    "Approach",
    "Direction",
    "Envelope",
    "Evidence",
    "EvidenceKind",
    "Flow",
    "FlowKind",
    "FlowStatus",
    "Identifier",
    "IndicatorDefinition",
    "IndicatorDirection",
    "IntangibleType",
    "MeasureKind",
    "Measurement",
    "Money",
    "OrgRef",
    "Organisation",
    "Period",
    "Provenance",
    "ProvenanceMethod",
    "Publisher",
    "Quantity",
    "Sharing",
    "SharingLevel",
    "SseFamily",
    "Strategy",
    "StrategyStatus",
]

Text = dict[str, str]
"""Multilingual text: BCP 47 language tag -> text."""

Rule = tuple[str, Callable[[Any], bool], str]
"""A field's check: its name, a test of its value, and what the test wants (for the message)."""

_INF = float("inf")


def shown(value: Any) -> str:
    """A short description of any value for an error message: its type and a bounded repr."""
    try:
        text = reprlib.repr(value)
    except Exception:  # a foreign object's __repr__ may raise; an int may be too long to print
        text = f"of about {value.bit_length() * 3 // 10 + 1} digits" if type(value) is int else "(not printable)"
    return f"{type(value).__name__} {text}"


def expect_argument(value: Any, kind: type[Any] | tuple[type[Any], ...], name: str, hint: str = "") -> None:
    """A :class:`DataError` unless ``value`` (the argument ``name`` of a public function) is a
    ``kind``: what a caller passed wrong is said as such, not as an AttributeError from inside.
    ``hint`` says where to get one (``"read it with load_document"``)."""
    if not isinstance(value, kind):
        wanted = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
        article = "an" if wanted[0] in "AEIOU" else "a"
        raise DataError([Issue("", f"{name} must be {article} {wanted}{f' ({hint})' if hint else ''}, got {shown(value)}")])


def field_error(entity: str, problems: list[tuple[str, str]]) -> DataError:
    """A :class:`DataError` for fields of ``entity`` (a class name), each ``(field, message)``
    pointed at as ``/field``."""
    return DataError([Issue(f"/{field}", message, entity) for field, message in problems])


def check_fields(entity: Any, rules: tuple[Rule, ...], *extra: tuple[str, str]) -> None:
    """Raise a :class:`DataError` naming each field of ``entity`` that fails its rule, and the
    ``extra`` problems (``(field, message)``) a caller found across fields. Silent when all is well."""
    for name, test, _ in rules:
        if not test(getattr(entity, name)):
            break
    else:
        if not extra:
            return
    problems = [
        (name, f"expected {wanted}, got {shown(getattr(entity, name))}")
        for name, test, wanted in rules
        if not test(getattr(entity, name))
    ]
    raise field_error(type(entity).__name__, [*problems, *extra])


def is_str(value: Any) -> bool:
    """A string."""
    return type(value) is str


def opt_str(value: Any) -> bool:
    """A string or None."""
    return value is None or type(value) is str


def is_bool(value: Any) -> bool:
    """True or False (not 0 or 1)."""
    return type(value) is bool


def opt_bool(value: Any) -> bool:
    """True, False or None."""
    return value is None or type(value) is bool


def is_unit(value: Any) -> bool:
    """A number from 0 to 1 (NaN fails every comparison, so it is refused)."""
    return (type(value) is float or type(value) is int) and 0 <= value <= 1


def opt_unit(value: Any) -> bool:
    """A number from 0 to 1, or None."""
    return value is None or ((type(value) is float or type(value) is int) and 0 <= value <= 1)


def is_count(value: Any) -> bool:
    """A whole number, 0 or more."""
    return type(value) is int and value >= 0


def opt_count(value: Any) -> bool:
    """A whole number, 0 or more, or None."""
    return value is None or (type(value) is int and value >= 0)


def opt_finite(value: Any) -> bool:
    """A finite number, or None."""
    return value is None or ((type(value) is float or type(value) is int) and -_INF < value < _INF)


def is_text(value: Any) -> bool:
    """Multilingual text: a non-empty dict of language tag -> string."""
    return type(value) is dict and bool(value) and all(type(k) is str and type(v) is str for k, v in value.items())


def opt_text(value: Any) -> bool:
    """Multilingual text, or None."""
    return value is None or is_text(value)


def instance_of(cls: type) -> Callable[[Any], bool]:
    """A test for an instance of ``cls`` (for enums: a member, not its code as a string)."""
    return lambda value: isinstance(value, cls)


def opt_instance_of(cls: type) -> Callable[[Any], bool]:
    """A test for an instance of ``cls`` or None."""
    return lambda value: value is None or isinstance(value, cls)


def tuple_of(cls: type) -> Callable[[Any], bool]:
    """A test for a tuple (not a list: entities are frozen) whose members are instances of ``cls``."""

    def test(value: Any) -> bool:
        if type(value) is not tuple:
            return False
        # One C-speed pass over the member types first: a response set holds dozens of answers.
        return not value or set(map(type, value)) == {cls} or all(isinstance(v, cls) for v in value)

    return test


_ORG_REF_RULES: tuple[Rule, ...] = (
    ("org_id", is_str, "a string"),
    ("name", opt_str, "a string or None"),
    ("country", opt_str, "a string or None"),
)


class SseFamily(StrEnum):
    """The family of the Social and Solidarity Economy an organisation belongs to."""

    COOPERATIVE = "cooperative"
    MUTUAL = "mutual"
    ASSOCIATION = "association"
    FOUNDATION = "foundation"
    SOCIAL_ENTERPRISE = "social_enterprise"
    INFORMAL_GROUP = "informal_group"
    NETWORK = "network"
    PUBLIC_AGENCY = "public_agency"
    OTHER = "other"


class FlowKind(StrEnum):
    """The three kinds of flow of the SILK report, with goods and services told apart."""

    GOODS = "goods"
    SERVICES = "services"
    FINANCE = "finance"
    INTANGIBLE = "intangible"


class IntangibleType(StrEnum):
    """What an intangible flow carries."""

    KNOWLEDGE = "knowledge"
    SKILLS = "skills"
    BUSINESS_MODEL = "business_model"
    BRAND = "brand"
    SOFTWARE = "software"
    LICENCE = "licence"
    VALUES = "values"
    INFORMATION = "information"


class Direction(StrEnum):
    """A flow's direction as seen from one (focal) organisation."""

    INWARD = "inward"
    OUTWARD = "outward"
    RECIPROCAL = "reciprocal"


class FlowStatus(StrEnum):
    """Whether a flow is a plan (prospection) or happened (performance)."""

    PLANNED = "planned"
    OBSERVED = "observed"


class Approach(StrEnum):
    """The internationalisation approaches of the SILK report (its Table 2 and narrative)."""

    FDI = "fdi"
    IMPORT_EXPORT = "import_export"
    FRANCHISING = "franchising"
    JOINT_VENTURE = "joint_venture"
    NETWORK_COLLABORATION = "network_collaboration"
    KNOWLEDGE_DISSEMINATION = "knowledge_dissemination"
    IDENTITY_SHARING = "identity_sharing"
    RESEARCH_INNOVATION = "research_innovation"
    LICENSING = "licensing"
    BORN_GLOBAL = "born_global"
    SHARED_CERTIFICATION = "shared_certification"
    MANAGERIAL_EDUCATION = "managerial_education"
    INTERNATIONAL_PROJECTS_EVENTS = "international_projects_events"


class StrategyStatus(StrEnum):
    """Where an organisation is with a strategy."""

    CONSIDERED = "considered"
    PLANNED = "planned"
    ACTIVE = "active"
    ENDED = "ended"


class IndicatorDirection(StrEnum):
    """Which way an indicator improves."""

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"
    CLOSER_TO_TARGET = "closer_to_target"


class MeasureKind(StrEnum):
    """Whether an indicator is a figure or a rated judgement."""

    QUANTITATIVE = "quantitative"
    QUALITATIVE = "qualitative"


class EvidenceKind(StrEnum):
    """What kind of support an answer or measurement has."""

    DOCUMENT = "document"
    LINK = "link"
    DATA = "data"
    TESTIMONY = "testimony"
    OBSERVATION = "observation"
    REPORT_CITATION = "report_citation"


class SharingLevel(StrEnum):
    """Who may see a document: anyone, named peers, one recipient, or nobody outside."""

    PUBLIC = "public"
    NETWORK = "network"
    BILATERAL = "bilateral"
    PRIVATE = "private"


class ProvenanceMethod(StrEnum):
    """How the data in a document was obtained."""

    SELF_DECLARED = "self_declared"
    SURVEY = "survey"
    ASSESSOR = "assessor"
    COMPUTED = "computed"
    IMPORTED = "imported"
    REPORT_EXTRACT = "report_extract"


@attrs.frozen
class Money:
    """An exact amount in one ISO 4217 currency. Amounts in different currencies never add up."""

    amount: Decimal
    currency: str


@attrs.frozen
class Quantity:
    """A non-monetary amount with its unit."""

    value: Decimal
    unit: str


@attrs.frozen
class Period:
    """A date interval; ``end`` is None for an open period."""

    start: dt.date
    end: dt.date | None = None

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` falls within the period (both ends included)."""
        return self.start <= day and (self.end is None or day <= self.end)


@attrs.frozen
class OrgRef:
    """A reference to an organisation by identifier, with a name and country for readers."""

    org_id: str
    name: str | None = None
    country: str | None = None

    def __attrs_post_init__(self) -> None:
        check_fields(self, _ORG_REF_RULES)


@attrs.frozen
class Evidence:
    """What supports an answer or a measurement."""

    kind: EvidenceKind
    description: str | None = None
    uri: str | None = None

    def __attrs_post_init__(self) -> None:
        check_fields(self, _EVIDENCE_RULES)


_EVIDENCE_RULES: tuple[Rule, ...] = (
    ("kind", instance_of(EvidenceKind), "an EvidenceKind"),
    ("description", opt_str, "a string or None"),
    ("uri", opt_str, "a string or None"),
)


@attrs.frozen
class Identifier:
    """An identifier in a registry, the scheme being an org-id.guide code (e.g. ``FR-RCS``)."""

    scheme: str
    identifier: str


@attrs.frozen
class Organisation:
    """An SSE organisation: identity, family and legal form, place, sector and size."""

    SCHEMA: ClassVar[str] = "silkcore_organisation-v1.0.0"

    org_id: str
    name: str
    sse_family: SseFamily
    country: str
    identifiers: tuple[Identifier, ...] = ()
    legal_form_code: str | None = None
    legal_form_label: str | None = None
    sector: str | None = None
    founding_year: int | None = None
    members: int | None = None
    workers: int | None = None
    url: str | None = None
    description: Text | None = None

    def ref(self) -> OrgRef:
        """A reference to this organisation."""
        return OrgRef(self.org_id, self.name, self.country)


@attrs.frozen
class Flow:
    """One flow from a provider to a receiver. Provider and receiver are the truth:
    :meth:`direction_for` derives the direction for any focal organisation."""

    SCHEMA: ClassVar[str] = "silkcore_flow-v1.0.0"

    flow_id: str
    status: FlowStatus
    kind: FlowKind
    provider: OrgRef
    receiver: OrgRef
    intangible_type: IntangibleType | None = None
    focal_organisation: str | None = None
    direction: Direction | None = None
    amount: Money | None = None
    quantity: Quantity | None = None
    period: Period | None = None
    origin_country: str | None = None
    destination_country: str | None = None
    strategies: tuple[Approach, ...] = ()
    reciprocal_of: str | None = None
    description: Text | None = None

    def direction_for(self, org_id: str) -> Direction | None:
        """``outward`` if ``org_id`` provides the flow, ``inward`` if it receives it, None if
        it is neither party (or both, which describes no movement at all)."""
        provides = self.provider.org_id == org_id
        receives = self.receiver.org_id == org_id
        if provides == receives:
            return None
        return Direction.OUTWARD if provides else Direction.INWARD

    def direction_issue(self) -> str | None:
        """Why the stated direction contradicts provider and receiver, or None if it agrees.

        ``reciprocal`` is accepted only on a flow linked to its counterpart by ``reciprocal_of``.
        """
        if self.direction is None or self.focal_organisation is None:
            return None
        derived = self.direction_for(self.focal_organisation)
        if derived is None:
            return f"focal organisation {self.focal_organisation!r} is neither the provider nor the receiver"
        if self.direction == Direction.RECIPROCAL:
            if self.reciprocal_of is None:
                return "direction 'reciprocal' needs 'reciprocal_of' naming the counterpart flow"
            return None
        if self.direction != derived:
            return f"stated direction {self.direction.value!r} contradicts provider and receiver, which make it {derived.value!r}"
        return None


@attrs.frozen
class Strategy:
    """An internationalisation approach an organisation uses, plans or considers."""

    SCHEMA: ClassVar[str] = "silkcore_strategy-v1.0.0"

    strategy_id: str
    approach: Approach
    organisation: OrgRef
    status: StrategyStatus
    partners: tuple[OrgRef, ...] = ()
    countries: tuple[str, ...] = ()
    period: Period | None = None
    description: Text | None = None


@attrs.frozen
class IndicatorDefinition:
    """What an indicator measures, its unit and which way is better."""

    SCHEMA: ClassVar[str] = "silkcore_indicator-v1.0.0"

    indicator_id: str
    title: Text
    unit: str
    direction: IndicatorDirection
    measure: MeasureKind
    source: str
    description: Text | None = None
    phase: str | None = None
    framework_id: str | None = None
    computed: bool = False
    inputs: tuple[str, ...] = ()
    note: str | None = None


@attrs.frozen
class Measurement:
    """One value of an indicator for an organisation and period, with baseline and target."""

    SCHEMA: ClassVar[str] = "silkcore_measurement-v1.0.0"

    indicator_id: str
    subject: OrgRef
    period: Period
    status: FlowStatus
    measurement_id: str | None = None
    value: Decimal | None = None
    unit: str | None = None
    judgement: str | None = None
    baseline: Decimal | None = None
    target: Decimal | None = None
    evidence: tuple[Evidence, ...] = ()
    comment: str | None = None


@attrs.frozen
class Publisher:
    """The platform that publishes a record."""

    id: str
    name: str | None = None


@attrs.frozen
class Provenance:
    """Where a record comes from (keys map to PROV-O)."""

    generated_at: dt.datetime
    source_system: str | None = None
    method: ProvenanceMethod | None = None
    derived_from: tuple[str, ...] = ()
    attributed_to: str | None = None
    license: str | None = None
    supersedes: str | None = None
    content_hash: str | None = None


@attrs.frozen
class Sharing:
    """Who may see a record, for what, until when, and which fields were withheld."""

    level: SharingLevel
    audience: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()
    expires_at: dt.datetime | None = None
    redacted_fields: tuple[str, ...] = ()


@attrs.frozen
class Envelope:
    """Any silkcore document in transit, with its provenance and sharing terms.

    ``proof``, when present, is the publisher's W3C Data Integrity proof (``eddsa-jcs-2022``)
    kept exactly as it travelled: a signature covers the JSON text's values, so the proof is
    plain JSON data rather than an entity that could be written back differently. Check it
    with :func:`silkcore.verify_envelope` on the document as received."""

    SCHEMA: ClassVar[str] = "silkcore_envelope-v1.1.0"

    record_id: str
    payload_schema: str
    publisher: Publisher
    provenance: Provenance
    sharing: Sharing
    payload: dict[str, Any]
    proof: dict[str, Any] | None = None

"""Hypothesis strategies for every silkcore entity, for property-based tests of plugins.

Needs ``hypothesis`` (silkcore's ``dev`` extra); :mod:`silkcore.testing` itself does not.
:func:`entities` gives the strategy for an entity class; the per-entity strategies
(``flows``, ``response_sets``, ``frameworks``...) are here to combine in your own.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from .. import _model as m
from .._assessment import (
    AnswerStatus,
    CategoryScore,
    Finding,
    FindingKind,
    Respondent,
    Response,
    ResponseSet,
    ScoreCard,
    TraceEntry,
    TraceStatus,
)
from .._case import Case, CaseFigure, CaseFlow, CaseStrategy, Cell, Fact, Jurisdiction, Policy
from .._framework import (
    Aggregation,
    AnswerScale,
    Category,
    Edge,
    Framework,
    Graph,
    Item,
    ItemKind,
    Node,
    NodeKind,
    NotApplicablePolicy,
    Option,
    PointerTo,
    ScoringPolicy,
    UnknownPolicy,
)

__all__ = ["ENTITY_STRATEGIES", "entities"]


_SLUG = st.from_regex(r"\A[a-z][a-z0-9_-]{0,20}\Z")
identifiers = st.builds(lambda s: f"urn:silk:test:{s}", _SLUG)
countries = st.sampled_from(["FR", "ES", "US", "KR", "IN", "CA", "MX", "GB", "DE", "XK", "MA", "BR"])
currencies = st.sampled_from(["EUR", "USD", "KRW", "INR", "CAD", "MXN", "GBP"])
plain_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)
texts = st.dictionaries(st.sampled_from(["en", "fr", "es", "pt-BR", "ko"]), plain_text, min_size=1, max_size=3)
decimals = st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False)
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
datetimes = st.datetimes(min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC))
uris = st.builds(lambda s: f"https://example.org/{s}", _SLUG)
unit_floats = st.floats(min_value=0, max_value=1, allow_nan=False)
hashes = st.from_regex(r"\Asha256:[0-9a-f]{64}\Z")
uuids = st.uuids().map(lambda u: f"urn:uuid:{u}")


def _opt(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def _tuple(strategy: st.SearchStrategy[Any], max_size: int = 3, unique: bool = False) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.lists(strategy, max_size=max_size, unique=unique).map(tuple)


org_refs = st.builds(m.OrgRef, identifiers, _opt(plain_text), _opt(countries))
money = st.builds(m.Money, decimals, currencies)
quantities = st.builds(m.Quantity, decimals, st.sampled_from(["tonnes", "hours", "people"]))


@st.composite
def periods(draw: st.DrawFn) -> m.Period:
    start = draw(dates)
    end = draw(_opt(dates.filter(lambda d: d >= start)))
    return m.Period(start, end)


evidence = st.builds(m.Evidence, st.sampled_from(list(m.EvidenceKind)), _opt(plain_text), _opt(uris))
organisations = st.builds(
    m.Organisation,
    org_id=identifiers,
    name=plain_text,
    sse_family=st.sampled_from(list(m.SseFamily)),
    country=countries,
    identifiers=_tuple(st.builds(m.Identifier, st.sampled_from(["FR-RCS", "GB-COH", "XI-LEI"]), plain_text)),
    legal_form_code=_opt(st.from_regex(r"\A[A-Z0-9]{4}\Z")),
    legal_form_label=_opt(plain_text),
    sector=_opt(st.sampled_from(["agriculture", "C10.8", "J62", "housing"])),
    founding_year=_opt(st.integers(1800, 2100)),
    members=_opt(st.integers(0, 10**6)),
    workers=_opt(st.integers(0, 10**6)),
    url=_opt(uris),
    description=_opt(texts),
)


@st.composite
def flows(draw: st.DrawFn) -> m.Flow:
    kind = draw(st.sampled_from(list(m.FlowKind)))
    provider, receiver = draw(org_refs), draw(org_refs.filter(lambda r: True))
    if receiver.org_id == provider.org_id:
        receiver = m.OrgRef(provider.org_id + "-partner")
    focal = draw(st.sampled_from([None, provider.org_id, receiver.org_id]))
    direction = None
    if focal is not None and draw(st.booleans()):
        direction = m.Direction.OUTWARD if focal == provider.org_id else m.Direction.INWARD
    return m.Flow(
        flow_id=draw(identifiers),
        status=draw(st.sampled_from(list(m.FlowStatus))),
        kind=kind,
        provider=provider,
        receiver=receiver,
        intangible_type=draw(st.sampled_from(list(m.IntangibleType))) if kind == m.FlowKind.INTANGIBLE else None,
        focal_organisation=focal,
        direction=direction,
        amount=draw(_opt(money)),
        quantity=draw(_opt(quantities)),
        period=draw(_opt(periods())),
        origin_country=draw(_opt(countries)),
        destination_country=draw(_opt(countries)),
        strategies=draw(_tuple(st.sampled_from(list(m.Approach)), unique=True)),
        description=draw(_opt(texts)),
    )


strategies_ = st.builds(
    m.Strategy,
    strategy_id=identifiers,
    approach=st.sampled_from(list(m.Approach)),
    organisation=org_refs,
    status=st.sampled_from(list(m.StrategyStatus)),
    partners=_tuple(org_refs),
    countries=_tuple(countries, unique=True),
    period=_opt(periods()),
    description=_opt(texts),
)
indicator_ids = st.from_regex(r"\A[a-z][a-z0-9_.-]{1,30}\Z")
indicators = st.builds(
    m.IndicatorDefinition,
    indicator_id=indicator_ids,
    title=texts,
    unit=st.sampled_from(["%", "EUR", "count", "ratio"]),
    direction=st.sampled_from(list(m.IndicatorDirection)),
    measure=st.sampled_from(list(m.MeasureKind)),
    source=plain_text,
    description=_opt(texts),
    phase=_opt(st.sampled_from(["introspection", "prospection"])),
    framework_id=_opt(st.sampled_from(["silk.indicators", "network.custom"])),
    computed=st.booleans(),
    inputs=_tuple(indicator_ids),
    note=_opt(plain_text),
)


@st.composite
def measurements(draw: st.DrawFn) -> m.Measurement:
    value = draw(_opt(decimals))
    judgement = draw(_opt(st.sampled_from(["low", "medium", "high"])))
    if value is None and judgement is None:
        value = Decimal("1")
    return m.Measurement(
        indicator_id=draw(indicator_ids),
        subject=draw(org_refs),
        period=draw(periods()),
        status=draw(st.sampled_from(list(m.FlowStatus))),
        measurement_id=draw(_opt(identifiers)),
        value=value,
        unit=draw(_opt(st.just("EUR"))),
        judgement=judgement,
        baseline=draw(_opt(decimals)),
        target=draw(_opt(decimals)),
        evidence=draw(_tuple(evidence)),
        comment=draw(_opt(plain_text)),
    )


envelopes = st.builds(
    m.Envelope,
    record_id=uuids,
    payload_schema=st.just("silkcore_organisation-v1.0.0"),
    publisher=st.builds(m.Publisher, uris, _opt(plain_text)),
    provenance=st.builds(
        m.Provenance,
        generated_at=datetimes,
        source_system=_opt(plain_text),
        method=_opt(st.sampled_from(list(m.ProvenanceMethod))),
        derived_from=_tuple(uris),
        attributed_to=_opt(uris),
        license=_opt(st.just("CC-BY-4.0")),
        supersedes=_opt(uuids),
        content_hash=_opt(hashes),
    ),
    sharing=st.builds(
        m.Sharing,
        level=st.sampled_from(list(m.SharingLevel)),
        audience=_tuple(uris),
        purposes=_tuple(st.sampled_from(["silk_assessment", "statistics"])),
        expires_at=_opt(datetimes),
        redacted_fields=st.just(()),
    ),
    payload=st.builds(
        lambda org: {
            "schema": m.Organisation.SCHEMA,
            "org_id": org.org_id,
            "name": org.name,
            "sse_family": "cooperative",
            "country": "FR",
        },
        organisations,
    ),
)

scale_options = st.just((Option("low", 0.0), Option("mid", 0.5), Option("high", 1.0)))


@st.composite
def frameworks(draw: st.DrawFn) -> Framework:
    category_ids = draw(st.lists(st.from_regex(r"\A[A-Z][a-z0-9]{0,5}\Z"), min_size=1, max_size=3, unique=True))
    categories = tuple(Category(c, draw(texts), weight=draw(st.sampled_from([1.0, 2.0]))) for c in category_ids)
    items = []
    for index in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from([ItemKind.SCALE, ItemKind.YES_NO, ItemKind.PERCENTAGE, ItemKind.TEXT]))
        common: dict[str, Any] = {
            "id": f"q{index}",
            "category": draw(st.sampled_from(category_ids)),
            "kind": kind,
            "text": draw(texts),
            "source": draw(plain_text),
            "help": draw(_opt(texts)),
            "reverse": draw(st.booleans()) if kind != ItemKind.TEXT else False,
        }
        if kind == ItemKind.SCALE:
            items.append(Item(**common, scale="level"))
        elif kind == ItemKind.PERCENTAGE:
            items.append(Item(**common, scored=True, min=0.0, max=100.0, unit="%"))
        else:
            items.append(Item(**common))
    graph = None
    if draw(st.booleans()):
        node_ids = [f"n{i}" for i in range(len(items))] + ["end"]
        nodes = [Node(f"n{i}", NodeKind.QUESTION, draw(texts), items=(item.id,)) for i, item in enumerate(items)]
        nodes.append(
            Node(
                "end", NodeKind.END, draw(texts), next_steps=(draw(texts),), applies=(PointerTo("silk.evaluation-grid", ("A",)),)
            )
        )
        edges = [Edge(node_ids[i], node_ids[i + 1], label=draw(_opt(texts))) for i in range(len(items))]
        graph = Graph(start="n0", nodes=tuple(nodes), edges=tuple(edges), interpretation=draw(_opt(plain_text)))
    return Framework(
        graph=graph,
        id=draw(st.from_regex(r"\A[a-z][a-z0-9]{1,10}\.[a-z]{2,10}\Z")),
        version=draw(st.from_regex(r"\A[1-9]\.[0-9]\.[0-9]\Z")),
        title=draw(texts),
        categories=categories,
        items=tuple(items),
        description=draw(_opt(texts)),
        default_language="en",
        scales=(AnswerScale("level", draw(scale_options)),),
        scoring=ScoringPolicy(
            aggregation=draw(st.sampled_from(list(Aggregation))),
            not_applicable=draw(st.sampled_from(list(NotApplicablePolicy))),
            unknown=draw(st.sampled_from(list(UnknownPolicy))),
            overall=draw(st.booleans()),
        ),
    )


answer_values = st.one_of(
    plain_text,
    st.booleans(),
    st.integers(-(10**9), 10**9),
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    st.lists(_SLUG, max_size=4, unique=True).map(tuple),
)


@st.composite
def responses(draw: st.DrawFn) -> Response:
    use_status = draw(st.booleans())
    return Response(
        item_id=draw(_SLUG),
        value=None if use_status else draw(answer_values),
        status=draw(st.sampled_from(list(AnswerStatus))) if use_status else None,
        comment=draw(_opt(plain_text)),
        evidence=draw(_tuple(evidence, 2)),
        confidence=draw(_opt(unit_floats)),
    )


response_sets = st.builds(
    ResponseSet,
    framework_id=st.from_regex(r"\A[a-z][a-z0-9]{1,10}\.[a-z]{2,10}\Z"),
    framework_version=st.just("1.0.0"),
    subject=org_refs,
    responses=_tuple(responses(), 5),
    response_set_id=_opt(identifiers),
    mode=_opt(st.sampled_from(["prospective", "retrospective"])),
    respondent=_opt(st.builds(Respondent, st.sampled_from(["board", "workers", "partners"]), _opt(plain_text))),
    collected_at=_opt(datetimes),
    language=_opt(st.sampled_from(["en", "fr"])),
    illustrative=st.booleans(),
    note=_opt(plain_text),
)
_nullable_unit = _opt(unit_floats)
score_cards = st.builds(
    ScoreCard,
    framework_id=st.just("net.demo"),
    framework_version=st.just("1.0.0"),
    framework_hash=hashes,
    subject=org_refs,
    categories=_tuple(
        st.builds(
            CategoryScore,
            st.sampled_from(["A", "B"]),
            _nullable_unit,
            unit_floats,
            _nullable_unit,
            st.integers(0, 9),
            st.integers(0, 9),
            _nullable_unit,
        )
    ),
    overall=_nullable_unit,
    coverage=unit_floats,
    findings=_tuple(
        st.builds(Finding, st.sampled_from(list(FindingKind)), plain_text, _opt(_SLUG), _opt(st.just("A")), _nullable_unit)
    ),
    trace=_tuple(
        st.builds(
            TraceEntry,
            item_id=_SLUG,
            category=st.just("A"),
            status=st.sampled_from(list(TraceStatus)),
            score=_nullable_unit,
            weight=st.sampled_from([0.0, 1.0, 2.5]),
            reason=plain_text,
            value=_opt(answer_values),
            confidence=_nullable_unit,
            respondents=_opt(st.integers(0, 5)),
            spread=_nullable_unit,
        )
    ),
    response_set_ids=_tuple(identifiers),
    respondents=_opt(st.integers(1, 5)),
    profile=st.dictionaries(_SLUG, answer_values, max_size=3),
)

cells = _opt(st.builds(Cell, plain_text, plain_text))
facts = st.builds(Fact, plain_text, plain_text, _tuple(st.sampled_from(["policy", "flows"]), unique=True))
case_ids = st.from_regex(r"\A[a-z][a-z0-9_]{1,20}\Z")


@st.composite
def case_flows(draw: st.DrawFn) -> CaseFlow:
    kind = draw(st.sampled_from(list(m.FlowKind)))
    intangible = draw(st.sampled_from(list(m.IntangibleType))) if kind == m.FlowKind.INTANGIBLE else None
    return CaseFlow(kind, draw(st.sampled_from(list(m.Direction))), draw(plain_text), draw(plain_text), intangible)


cases = st.builds(
    Case,
    case_id=case_ids,
    name=plain_text,
    kind=st.sampled_from(["tool4_case", "policy_case", "strategy_case", "example"]),
    sources=st.lists(plain_text, min_size=1, max_size=2).map(tuple),
    country=_opt(countries),
    sse_family=_opt(st.sampled_from(list(m.SseFamily))),
    sse_family_basis=_opt(st.sampled_from(["stated", "inferred"])),
    founding_year=_opt(st.integers(1800, 2100)),
    organisation=st.fixed_dictionaries({}, optional={"sector": cells, "legal_form": cells}),
    phases=st.fixed_dictionaries({}, optional={"motives": cells, "strategy": cells, "comments": cells}),
    phase_reached=_opt(st.sampled_from(["introspection", "prospection", "operationalisation", "performance_assessment"])),
    strategies=_tuple(
        st.builds(
            CaseStrategy, st.sampled_from(list(m.Approach)), st.sampled_from(["stated", "inferred"]), plain_text, _opt(plain_text)
        )
    ),
    flows=_tuple(case_flows()),
    figures=_tuple(
        st.builds(
            CaseFigure,
            plain_text,
            decimals.map(lambda d: format(d, "f")),
            st.just("%"),
            plain_text,
            _opt(decimals.map(lambda d: format(d, "f"))),
        )
    ),
    facts=_tuple(facts),
    note=_opt(plain_text),
)
policies = st.builds(
    Policy,
    policy_id=st.from_regex(r"\A[a-z][a-z0-9_.-]{1,20}\Z"),
    name=plain_text,
    level=st.sampled_from(["municipal", "regional", "national", "supranational"]),
    type=st.sampled_from(["specific_action", "programme", "internationalisation_strategy", "general_sse_strategy"]),
    sources=st.lists(plain_text, min_size=1, max_size=2).map(tuple),
    jurisdiction=_opt(st.builds(Jurisdiction, plain_text, _opt(countries))),
    type_basis=_opt(st.sampled_from(["stated", "inferred"])),
    instruments=_tuple(st.sampled_from(["funding", "advice", "event", "observatory"]), unique=True),
    flows_targeted=_tuple(st.sampled_from(list(m.FlowKind)), unique=True),
    directions_targeted=_tuple(st.sampled_from(list(m.Direction)), unique=True),
    target_organisations=_tuple(plain_text),
    collaborators=_tuple(plain_text),
    budget=_opt(money),
    period=_opt(periods()),
    duration_months=_opt(st.integers(0, 240)),
    evaluation=_opt(plain_text),
    sse_involved_in_design=_opt(st.booleans()),
    description=_opt(texts),
    facts=_tuple(facts),
    cases=_tuple(case_ids),
    illustrative=st.booleans(),
)

#: A strategy for every document entity, keyed by its class.
ENTITY_STRATEGIES: dict[type[Any], st.SearchStrategy[Any]] = {
    m.Organisation: organisations,
    m.Flow: flows(),
    m.Strategy: strategies_,
    m.IndicatorDefinition: indicators,
    m.Measurement: measurements(),
    m.Envelope: envelopes,
    Framework: frameworks(),
    ResponseSet: response_sets,
    ScoreCard: score_cards,
    Case: cases,
    Policy: policies,
}


def entities(cls: type[Any]) -> st.SearchStrategy[Any]:
    """A hypothesis strategy generating valid instances of a document entity class."""
    return ENTITY_STRATEGIES[cls]

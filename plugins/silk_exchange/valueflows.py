"""ValueFlows JSON-LD: flows out as ``vf:EconomicEvent`` / ``vf:Commitment``, and back in.

The mapping follows the interop anchors (section 2.4); every ``vf:`` term used below exists in
ValueFlows 1.0's ``all_vf.jsonld`` (the tests check it):

==========================  =================================================================
silkcore                    ValueFlows
==========================  =================================================================
status observed / planned   ``EconomicEvent`` / ``Commitment``
provider, receiver          ``provider``, ``receiver`` -> ``Organization`` nodes (``name``)
kind goods                  action ``transfer``
kind services               action ``deliverService``
kind finance                action ``transfer``; ``resourceQuantity`` = amount in unit
                            ``om:one``; ``resourceConformsTo`` a currency
                            ``ResourceSpecification`` (``mediumOfExchange`` true)
intangible knowledge,       action ``deliverService`` (training, advice)
skills, values
intangible information,     action ``copy``
software
licence; brand, business    action ``transfer`` of a licence ``ResourceSpecification``, with
model, software under       ``"silk:extension": "licensing"``: VF has no licensing action, so
licensing / franchising /   this is marked as a silkcore extension rather than a made-up verb
identity sharing
quantity (non-finance)      ``resourceQuantity`` {``hasNumericalValue``, ``hasUnit`` ``Unit``}
period                      ``hasBeginning`` / ``hasEnd`` as ``xsd:date``
reciprocal_of               one ``Agreement`` per primary flow: the primary flow is its
                            ``realizationOf`` (event) / ``clauseOf`` (commitment), each
                            counter-flow its ``reciprocalRealizationOf`` / ``reciprocalClauseOf``
==========================  =================================================================

What VF lacks travels as ``silk:`` properties (``https://w3id.org/silkcore/ns#``): kind,
intangible type, focal organisation, direction, countries, strategies (an ordered
``@list``), description (language-tagged), the monetary value of a non-finance flow
(``silk:amount``) and each flow's own view of its parties' names and countries. An event that
carries ``silk:kind`` was written by silkcore, and its ``silk:`` properties are authoritative
on import; other ValueFlows data is read from the VF terms alone (kind from the action,
currency from a bundled table, countries from the agents' locations).

The context is inline: nothing is fetched when writing or reading. The importer accepts the
``http://`` spelling of the VF namespace, which VF's own examples sometimes use.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import quote, unquote

from silkcore import (
    Approach,
    DataError,
    Envelope,
    Flow,
    FlowKind,
    FlowStatus,
    IntangibleType,
    Issue,
    Money,
    OrgRef,
    Quantity,
    SharingLevel,
    load_document,
)

__all__ = ["CONTEXT", "ValueFlowsExporter", "export_valueflows", "from_iri", "to_iri"]

VF = "https://w3id.org/valueflows/ont/vf#"
VF_HTTP = "http://w3id.org/valueflows/ont/vf#"
SILK = "https://w3id.org/silkcore/ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OM = "http://www.ontology-of-units-of-measure.org/resource/om-2/"
LICENCE_CONCEPT = "https://w3id.org/silkcore/concepts/licence"
#: Ids that are not absolute IRIs (slugs) travel as ``urn:silkcore:id:<percent-encoded id>``.
LOCAL_IRI = "urn:silkcore:id:"
AGREEMENT_IRI = "urn:silkcore:agreement:"
FLOW_SCHEMA = "silkcore_flow-v1.0.0"

_VF_CLASSES = ("Agreement", "Commitment", "EconomicEvent", "Measure", "Organization", "ResourceSpecification", "Unit")
_VF_ACTIONS = ("transfer", "deliverService", "copy")
_VF_PLAIN = ("name", "note", "label", "resourceQuantity", "mediumOfExchange")
_VF_REFS = (
    "provider",
    "receiver",
    "realizationOf",
    "reciprocalRealizationOf",
    "clauseOf",
    "reciprocalClauseOf",
    "resourceConformsTo",
    "resourceClassifiedAs",
    "hasUnit",
)

#: The inline JSON-LD context of every export.
CONTEXT: dict[str, Any] = {
    "vf": VF,
    "silk": SILK,
    "xsd": XSD,
    "om": OM,
    **{term: f"vf:{term}" for term in (*_VF_CLASSES, *_VF_ACTIONS, *_VF_PLAIN)},
    "action": {"@id": "vf:action", "@type": "@vocab"},
    **{term: {"@id": f"vf:{term}", "@type": "@id"} for term in _VF_REFS},
    "hasNumericalValue": {"@id": "vf:hasNumericalValue", "@type": "xsd:decimal"},
    "hasBeginning": {"@id": "vf:hasBeginning", "@type": "xsd:date"},
    "hasEnd": {"@id": "vf:hasEnd", "@type": "xsd:date"},
}

_LICENSING = frozenset({Approach.LICENSING, Approach.FRANCHISING, Approach.IDENTITY_SHARING})
_LICENSABLE = frozenset({IntangibleType.BRAND, IntangibleType.BUSINESS_MODEL, IntangibleType.SOFTWARE})
_COPIED = frozenset({IntangibleType.INFORMATION, IntangibleType.SOFTWARE})
#: Wikidata currency items seen in VF examples (``Q4916`` is the euro); silkcore's own
#: ``silk:currency/<code>`` IRIs cover every ISO 4217 code.
WIKIDATA_CURRENCIES = {
    "http://www.wikidata.org/entity/Q4916": "EUR",
    "http://www.wikidata.org/entity/Q4917": "USD",
    "http://www.wikidata.org/entity/Q25224": "GBP",
    "http://www.wikidata.org/entity/Q25344": "CHF",
    "http://www.wikidata.org/entity/Q8146": "JPY",
}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_RESERVED_PREFIXES = frozenset({"vf", "silk", "xsd", "om"})
_TRAILING_COUNTRY = re.compile(r"(?:^|[\s,;])([A-Z]{2})\s*$")
_MAX_DEPTH = 64


def to_iri(identifier: str) -> str:
    """The IRI of a silkcore id: itself when it is an absolute IRI (a URL or a URN), else a
    reversible ``urn:silkcore:id:`` form (also used when its scheme would read as a prefix)."""
    match = _SCHEME.match(identifier)
    if match and match.group(0)[:-1].lower() not in _RESERVED_PREFIXES and not identifier.startswith(LOCAL_IRI):
        return identifier
    return LOCAL_IRI + quote(identifier, safe="")


def from_iri(iri: str) -> str:
    """The silkcore id an IRI written by :func:`to_iri` stands for."""
    return unquote(iri[len(LOCAL_IRI) :]) if iri.startswith(LOCAL_IRI) else iri


def _vf_normal(iri: str) -> str:
    return VF + iri[len(VF_HTTP) :] if iri.startswith(VF_HTTP) else iri


def _pointer(base: str, *parts: str | int) -> str:
    return base + "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


# --------------------------------------------------------------------------- export


def _is_licence(flow: Flow) -> bool:
    if flow.kind != FlowKind.INTANGIBLE:
        return False
    return flow.intangible_type == IntangibleType.LICENCE or (
        flow.intangible_type in _LICENSABLE and bool(_LICENSING.intersection(flow.strategies))
    )


def action_for(flow: Flow) -> str:
    """The VF action of a flow (see the module's table)."""
    if flow.kind in (FlowKind.GOODS, FlowKind.FINANCE) or _is_licence(flow):
        return "transfer"
    if flow.kind == FlowKind.INTANGIBLE and flow.intangible_type in _COPIED:
        return "copy"
    return "deliverService"


def _number(value: Decimal) -> str:
    return format(value, "f")


def _money(amount: Money) -> dict[str, Any]:
    return {
        "@type": "Measure",
        "hasNumericalValue": _number(amount.amount),
        "hasUnit": "om:one",
        "silk:currency": amount.currency,
    }


def _quantity(quantity: Quantity) -> dict[str, Any]:
    return {
        "@type": "Measure",
        "hasNumericalValue": _number(quantity.value),
        "hasUnit": {"@type": "Unit", "label": quantity.unit},
    }


def currency_iri(code: str) -> str:
    """silkcore's IRI for an ISO 4217 currency as a VF resource specification."""
    return f"{SILK}currency/{code}"


@dataclass
class _Graph:
    """The nodes of one export, each kind in first-seen order."""

    events: list[dict[str, Any]] = field(default_factory=list)
    agreements: dict[str, dict[str, Any]] = field(default_factory=dict)
    agents: dict[str, dict[str, Any]] = field(default_factory=dict)
    specs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def agent(self, ref: OrgRef) -> str:
        iri = to_iri(ref.org_id)
        node = self.agents.setdefault(iri, {"@id": iri, "@type": "Organization"})
        if ref.name is not None:
            node.setdefault("name", ref.name)
        if ref.country is not None:
            node.setdefault("silk:country", ref.country)
        return iri

    def spec(self, iri: str, **props: Any) -> str:
        self.specs.setdefault(iri, {"@id": iri, "@type": "ResourceSpecification", **props})
        return iri

    def agreement(self, primary_flow_id: str) -> str:
        iri = AGREEMENT_IRI + quote(primary_flow_id, safe="")
        self.agreements.setdefault(iri, {"@id": iri, "@type": "Agreement", "silk:primaryFlow": {"@id": to_iri(primary_flow_id)}})
        return iri

    def nodes(self) -> list[dict[str, Any]]:
        return [*self.events, *self.agreements.values(), *self.agents.values(), *self.specs.values()]


def _event(flow: Flow, graph: _Graph, primaries: set[str]) -> dict[str, Any]:
    observed = flow.status == FlowStatus.OBSERVED
    node: dict[str, Any] = {
        "@id": to_iri(flow.flow_id),
        "@type": "EconomicEvent" if observed else "Commitment",
        "action": action_for(flow),
        "provider": graph.agent(flow.provider),
        "receiver": graph.agent(flow.receiver),
    }
    if flow.flow_id in primaries:
        node["realizationOf" if observed else "clauseOf"] = graph.agreement(flow.flow_id)
    if flow.reciprocal_of is not None:
        node["reciprocalRealizationOf" if observed else "reciprocalClauseOf"] = graph.agreement(flow.reciprocal_of)
    if flow.kind == FlowKind.FINANCE:
        if flow.amount is not None:
            code = flow.amount.currency
            node["resourceConformsTo"] = graph.spec(
                currency_iri(code), name=code, mediumOfExchange=True, **{"silk:currency": code}
            )
            node["resourceQuantity"] = _money(flow.amount)
        if flow.quantity is not None:
            node["silk:quantity"] = _quantity(flow.quantity)
    else:
        if flow.quantity is not None:
            node["resourceQuantity"] = _quantity(flow.quantity)
        if flow.amount is not None:
            node["silk:amount"] = _money(flow.amount)
    if _is_licence(flow):
        kind = flow.intangible_type.value if flow.intangible_type else "licence"
        label = "Licence" if kind == "licence" else f"Licence of a {kind.replace('_', ' ')}"
        node["resourceConformsTo"] = graph.spec(f"{SILK}licence/{kind}", name=label, resourceClassifiedAs=LICENCE_CONCEPT)
        node["silk:extension"] = "licensing"
    if flow.period is not None:
        node["hasBeginning"] = flow.period.start.isoformat()
        if flow.period.end is not None:
            node["hasEnd"] = flow.period.end.isoformat()
    if flow.description:
        if "en" in flow.description:
            node["note"] = flow.description["en"]
        node["silk:description"] = [{"@value": text, "@language": lang} for lang, text in flow.description.items()]
    node["silk:kind"] = flow.kind.value
    optional: dict[str, str | None] = {
        "silk:intangibleType": flow.intangible_type.value if flow.intangible_type else None,
        "silk:focalOrganisation": flow.focal_organisation,
        "silk:direction": flow.direction.value if flow.direction else None,
        "silk:originCountry": flow.origin_country,
        "silk:destinationCountry": flow.destination_country,
        "silk:providerName": flow.provider.name,
        "silk:providerCountry": flow.provider.country,
        "silk:receiverName": flow.receiver.name,
        "silk:receiverCountry": flow.receiver.country,
    }
    node.update({key: value for key, value in optional.items() if value is not None})
    if flow.strategies:
        node["silk:strategies"] = {"@list": [s.value for s in flow.strategies]}
    return node


def _as_flow(document: Any, index: int) -> Flow:
    """A flow from an entity, a flow document, or a *public* envelope carrying one."""
    where = f"/{index}"
    if isinstance(document, Envelope):
        if document.sharing.level != SharingLevel.PUBLIC:
            raise DataError(
                [
                    Issue(
                        f"{where}/sharing/level",
                        f"not exported: the record is shared at level {document.sharing.level.value!r}; ValueFlows JSON-LD "
                        "carries no sharing terms, so only public records go into it (use --format envelope instead)",
                    )
                ]
            )
        document = load_document({"schema": document.payload_schema, **document.payload})
    elif isinstance(document, dict) and document.get("schema") == FLOW_SCHEMA:
        document = load_document(document)
    if not isinstance(document, Flow):
        kind = document.get("schema") if isinstance(document, dict) else type(document).__name__
        raise DataError([Issue(where, f"ValueFlows export takes flows only, not {kind!r}")])
    return document


def export_valueflows(documents: Sequence[Any]) -> dict[str, Any]:
    """The JSON-LD document (inline context, one ``@graph``) for some flows."""
    flows = [_as_flow(document, i) for i, document in enumerate(documents)]
    seen: dict[str, int] = {}
    for i, flow in enumerate(flows):
        if flow.flow_id in seen:
            raise DataError([Issue(f"/{i}/flow_id", f"flow id {flow.flow_id!r} is also the id of document {seen[flow.flow_id]}")])
        seen[flow.flow_id] = i
    primaries = {flow.reciprocal_of for flow in flows if flow.reciprocal_of is not None}
    graph = _Graph()
    graph.events = [_event(flow, graph, primaries) for flow in flows]
    return {"@context": CONTEXT, "@graph": graph.nodes()}


class ValueFlowsExporter:
    """Exporter ``valueflows``: flows as one ValueFlows JSON-LD document."""

    id = "valueflows"
    media_type = "application/ld+json"

    def export(self, documents: Sequence[Any], **options: str) -> bytes:
        """Flows (entities, flow documents or public envelopes) as JSON-LD; options are unused."""
        return (json.dumps(export_valueflows(documents), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- reading JSON-LD

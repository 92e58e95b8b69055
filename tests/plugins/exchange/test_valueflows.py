"""ValueFlows JSON-LD: only real VF terms, a lossless round trip, foreign VF data, clear errors."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from silk_exchange.valueflows import CONTEXT, SILK, VF, ValueFlowsExporter, from_iri, to_iri
from silk_exchange.valueflows_read import ValueFlowsImporter
from silkcore import (
    Approach,
    DataError,
    Direction,
    Envelope,
    Flow,
    FlowKind,
    FlowStatus,
    IntangibleType,
    Money,
    Organisation,
    OrgRef,
    Period,
    Quantity,
    load_document,
)
from silkcore.testing import entities

ROOT = Path(__file__).resolve().parents[3]
VENDOR = ROOT.parent / "shared" / "vendor"
EXAMPLES = ROOT / "examples"
EXPORTER, IMPORTER = ValueFlowsExporter(), ValueFlowsImporter()

# Interop anchors, Example B: an Italian co-op sells olive oil to a French association, paid in euros.
EXAMPLE_B: dict[str, Any] = {
    "@context": {
        "@vocab": "https://w3id.org/valueflows/ont/vf#",
        "coop": "https://oliveti-solidali.example.it/",
        "assoc": "https://panier-partage.example.fr/",
    },
    "@graph": [
        {
            "@id": "coop:agents/self",
            "@type": "Organization",
            "name": "Oliveti Solidali Soc. Coop.",
            "primaryLocation": {"@id": "coop:places/hq", "@type": "SpatialThing", "note": "Bari, IT"},
        },
        {
            "@id": "assoc:agents/self",
            "@type": "Organization",
            "name": "Panier Partagé",
            "primaryLocation": {"@id": "assoc:places/hq", "@type": "SpatialThing", "note": "Lyon, FR"},
        },
        {"@id": "coop:agreements/2025-017", "@type": "Agreement", "note": "Annual supply of extra-virgin olive oil."},
        {
            "@id": "coop:events/881",
            "@type": "EconomicEvent",
            "action": "transfer",
            "realizationOf": "coop:agreements/2025-017",
            "provider": "coop:agents/self",
            "receiver": "assoc:agents/self",
            "resourceConformsTo": "coop:specs/evoo-5l",
            "resourceQuantity": {"hasNumericalValue": 300, "hasUnit": "litre"},
            "hasPointInTime": "2025-03-14T10:00:00Z",
        },
        {
            "@id": "assoc:events/52",
            "@type": "EconomicEvent",
            "action": "transfer",
            "reciprocalRealizationOf": "coop:agreements/2025-017",
            "provider": "assoc:agents/self",
            "receiver": "coop:agents/self",
            "resourceConformsTo": "http://www.wikidata.org/entity/Q4916",
            "resourceQuantity": {"hasNumericalValue": 2400, "hasUnit": "one"},
            "hasPointInTime": "2025-04-02T08:00:00Z",
        },
    ],
}

COOP, ASSOC = OrgRef("https://coop.example.it/", "Cooperativa Esempio", "IT"), OrgRef("urn:silk:org:test:assoc", None, "FR")
OIL = Flow(
    flow_id="urn:silk:flow:test:oil",
    status=FlowStatus.OBSERVED,
    kind=FlowKind.GOODS,
    provider=COOP,
    receiver=ASSOC,
    focal_organisation=COOP.org_id,
    direction=Direction.OUTWARD,
    quantity=Quantity(Decimal("300"), "litres"),
    amount=Money(Decimal("2400.00"), "EUR"),
    period=Period(dt.date(2025, 3, 14), dt.date(2025, 3, 14)),
    origin_country="IT",
    destination_country="FR",
    strategies=(Approach.IMPORT_EXPORT,),
)
PAYMENT = Flow(
    flow_id="payment-52",  # a slug, not an IRI
    status=FlowStatus.OBSERVED,
    kind=FlowKind.FINANCE,
    provider=ASSOC,
    receiver=COOP,
    focal_organisation=COOP.org_id,
    direction=Direction.RECIPROCAL,
    amount=Money(Decimal("2400.00"), "EUR"),
    period=Period(dt.date(2025, 4, 2)),
    reciprocal_of=OIL.flow_id,
    description={"en": "Payment for the oil.", "fr": "Paiement de l'huile.", "pt-BR": "Pagamento.", "zh-Hant-TW": "付款"},
)
PLANNED_TRAINING = Flow(
    flow_id="urn:silk:flow:test:training",
    status=FlowStatus.PLANNED,
    kind=FlowKind.INTANGIBLE,
    intangible_type=IntangibleType.SKILLS,
    provider=COOP,
    receiver=ASSOC,
    quantity=Quantity(Decimal("40"), "hours"),
    period=Period(dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
)
PLANNED_FEE = Flow(
    flow_id="urn:silk:flow:test:fee",
    status=FlowStatus.PLANNED,
    kind=FlowKind.FINANCE,
    provider=ASSOC,
    receiver=COOP,
    amount=Money(Decimal("1500"), "EUR"),
    reciprocal_of=PLANNED_TRAINING.flow_id,
)
# Interop anchors, Example C: a Spanish worker co-op licenses its business model to a Moroccan co-op.
LICENCE = Flow(
    flow_id="urn:silk:flow:es-ma-0007",
    status=FlowStatus.OBSERVED,
    kind=FlowKind.INTANGIBLE,
    intangible_type=IntangibleType.BUSINESS_MODEL,
    provider=OrgRef("https://federacio.example.cat/orgs/coop-llum", country="ES"),
    receiver=OrgRef("https://partner-ma.example.org/orgs/taawon-nour", country="MA"),
    focal_organisation="https://federacio.example.cat/orgs/coop-llum",
    direction=Direction.OUTWARD,
    strategies=(Approach.FRANCHISING, Approach.IDENTITY_SHARING),
    period=Period(dt.date(2025, 1, 1), dt.date(2027, 12, 31)),
)
SOFTWARE_COPY = Flow(
    flow_id="urn:silk:flow:test:software",
    status=FlowStatus.OBSERVED,
    kind=FlowKind.INTANGIBLE,
    intangible_type=IntangibleType.SOFTWARE,
    provider=OrgRef("vf:tricky-id"),  # its scheme would read as the vf: prefix
    receiver=OrgRef("urn:silkcore:id:already-looks-local"),
)
CONSTRUCTED = [OIL, PAYMENT, PLANNED_TRAINING, PLANNED_FEE, LICENCE, SOFTWARE_COPY]


def example_flows() -> list[Flow]:
    """The flow examples shipped with silkcore."""
    documents = [EXAMPLES / "documents" / "flow-cotton-import.json", EXAMPLES / "documents" / "flow-training-licence.json"]
    flows = [load_document(path) for path in documents]
    lines = (EXAMPLES / "network" / "flows.jsonl").read_bytes().splitlines()
    return flows + [load_document(line) for line in lines if line.strip()]


ALL_FLOWS = example_flows() + CONSTRUCTED


def export(flows: list[Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(EXPORTER.export(flows))
    return result


def round_trip(data: bytes | dict[str, Any] | list[Any]) -> list[Flow]:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return [load_document(document) for document in IMPORTER.import_(raw, "<test>")]


def nodes_by_id(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {node["@id"]: node for node in doc["@graph"]}


# --------------------------------------------------------------------------- JSON-LD and the VF vocabulary


def _refuse_loading(url: str, options: Any = None) -> Any:
    raise AssertionError(f"the JSON-LD processor tried to load {url}: the context must be inline")


def expand(doc: Any, dropped: list[str] | None = None) -> list[Any]:
    """Expand with a real JSON-LD processor that may not fetch anything."""
    jsonld = pytest.importorskip("pyld.jsonld", reason="pyld (JSON-LD processor) is a dev dependency")
    keep = dropped.append if dropped is not None else (lambda _p: None)
    expanded: list[Any] = jsonld.expand(doc, {"documentLoader": _refuse_loading}, on_property_dropped=keep)
    return expanded


def iris_in(expanded: Any) -> set[str]:
    """Every IRI an expanded document uses: properties, types and referenced nodes."""
    found: set[str] = set()
    if isinstance(expanded, list):
        for item in expanded:
            found |= iris_in(item)
    elif isinstance(expanded, dict):
        for key, value in expanded.items():
            if key == "@type":
                found.update(value if isinstance(value, list) else [value])
            elif key == "@id":
                found.add(value)
            elif not key.startswith("@"):
                found.add(key)
            if isinstance(value, list | dict):
                found |= iris_in(value)
    return found


@pytest.fixture(scope="module")
def vf_vocabulary() -> set[str]:
    """Every class, property and action IRI ValueFlows defines (from the vendored all_vf.jsonld)."""
    path = VENDOR / "valueflows" / "all_vf.jsonld"
    if not path.is_file():
        pytest.skip(f"the vendored ValueFlows vocabulary is absent ({path}); CI has it")
    vocabulary = json.loads(path.read_text(encoding="utf-8"))
    ids = {node["@id"] for node in expand(vocabulary) if "@id" in node}
    assert f"{VF}EconomicEvent" in ids and len(ids) > 200
    return ids


def test_the_export_uses_only_terms_valueflows_defines(vf_vocabulary: set[str]) -> None:
    doc = export(ALL_FLOWS)
    dropped: list[str] = []
    used = iris_in(expand(doc, dropped))
    assert dropped == [], f"terms the processor could not expand (and dropped): {dropped}"
    vf_used = {iri for iri in used if iri.startswith(VF)}
    unknown = vf_used - vf_vocabulary
    assert not unknown, f"IRIs in the VF namespace that ValueFlows does not define: {sorted(unknown)}"
    expected = {
        "EconomicEvent", "Commitment", "Agreement", "Organization", "Measure", "Unit", "ResourceSpecification",
        "action", "transfer", "deliverService", "copy", "provider", "receiver", "realizationOf", "reciprocalRealizationOf",
        "clauseOf", "reciprocalClauseOf", "resourceQuantity", "hasNumericalValue", "hasUnit", "resourceConformsTo",
        "resourceClassifiedAs", "mediumOfExchange", "hasBeginning", "hasEnd", "name", "note", "label",
    }  # fmt: skip
    assert {VF + term for term in expected} <= vf_used
    # Every context term that points into VF names a real VF term.
    context_ids = [v if isinstance(v, str) else v["@id"] for v in CONTEXT.values()]
    assert {VF + i.removeprefix("vf:") for i in context_ids if i.startswith("vf:")} <= vf_vocabulary


def test_the_context_is_inline_and_the_only_extension_namespace_is_silk() -> None:
    doc = export(ALL_FLOWS)
    assert isinstance(doc["@context"], dict)
    assert doc["@context"]["vf"] == "https://w3id.org/valueflows/ont/vf#"
    assert doc["@context"]["silk"] == "https://w3id.org/silkcore/ns#"
    used = iris_in(expand(doc))
    namespaces = (
        "https://w3id.org/valueflows/ont/vf#",
        SILK,
        "http://www.w3.org/2001/XMLSchema#",
        "urn:",
        "https://",
        "http://www.ontology",
    )
    assert all(iri.startswith(namespaces) or iri.startswith("_:") for iri in used)


def test_status_kind_and_intangible_type_choose_the_class_and_action() -> None:
    nodes = nodes_by_id(export(CONSTRUCTED))
    oil, payment = nodes[OIL.flow_id], nodes[to_iri(PAYMENT.flow_id)]
    assert (oil["@type"], oil["action"]) == ("EconomicEvent", "transfer")
    assert (payment["@type"], payment["action"]) == ("EconomicEvent", "transfer")
    assert nodes[PLANNED_TRAINING.flow_id]["@type"] == "Commitment"
    assert nodes[PLANNED_TRAINING.flow_id]["action"] == "deliverService"
    assert nodes[SOFTWARE_COPY.flow_id]["action"] == "copy"
    # Money: the amount in unit om:one, conforming to a currency that is a medium of exchange.
    assert payment["resourceQuantity"] == {
        "@type": "Measure",
        "hasNumericalValue": "2400.00",
        "hasUnit": "om:one",
        "silk:currency": "EUR",
    }
    currency = nodes[payment["resourceConformsTo"]]
    assert currency["@type"] == "ResourceSpecification" and currency["mediumOfExchange"] is True
    assert oil["resourceQuantity"]["hasUnit"] == {"@type": "Unit", "label": "litres"}
    assert oil["hasBeginning"] == "2025-03-14" and oil["hasEnd"] == "2025-03-14"


def test_a_reciprocal_pair_shares_one_agreement() -> None:
    nodes = nodes_by_id(export(CONSTRUCTED))
    oil, payment = nodes[OIL.flow_id], nodes[to_iri(PAYMENT.flow_id)]
    assert oil["realizationOf"] == payment["reciprocalRealizationOf"]
    agreement = nodes[oil["realizationOf"]]
    assert agreement["@type"] == "Agreement"
    training, fee = nodes[PLANNED_TRAINING.flow_id], nodes[PLANNED_FEE.flow_id]
    assert training["clauseOf"] == fee["reciprocalClauseOf"] != oil["realizationOf"]


def test_licensing_is_a_transfer_of_a_licence_marked_as_a_silkcore_extension() -> None:
    nodes = nodes_by_id(export([LICENCE]))
    event = nodes[LICENCE.flow_id]
    assert event["action"] == "transfer"
    assert event["silk:extension"] == "licensing"
    licence = nodes[event["resourceConformsTo"]]
    assert licence["@type"] == "ResourceSpecification"
    assert licence["resourceClassifiedAs"] == "https://w3id.org/silkcore/concepts/licence"
    # Without a licensing strategy, sharing a business model is advice, not a licence.
    plain = Flow("urn:x:bm", FlowStatus.OBSERVED, FlowKind.INTANGIBLE, COOP, ASSOC, intangible_type=IntangibleType.BUSINESS_MODEL)
    assert export([plain])["@graph"][0]["action"] == "deliverService"


# --------------------------------------------------------------------------- round trips


def test_round_trip_of_the_examples_is_lossless() -> None:
    assert round_trip(EXPORTER.export(ALL_FLOWS)) == ALL_FLOWS


def test_round_trip_through_a_real_processors_expanded_form() -> None:
    """The importer reads what pyld makes of the export (full IRIs, no context) the same way."""
    assert round_trip(expand(export(ALL_FLOWS))) == ALL_FLOWS


def test_the_http_spelling_of_the_vf_namespace_is_accepted() -> None:
    text = EXPORTER.export(ALL_FLOWS).replace(b"https://w3id.org/valueflows/", b"http://w3id.org/valueflows/")
    assert b"https://w3id.org/valueflows/" not in text
    assert round_trip(text) == ALL_FLOWS


@given(st.lists(entities(Flow), min_size=1, max_size=4, unique_by=lambda f: f.flow_id), st.booleans())
def test_round_trip_of_any_flows(flows: list[Flow], pair: bool) -> None:
    if pair and len(flows) > 1:
        flows[1] = attrs.evolve(flows[1], reciprocal_of=flows[0].flow_id)
    assert round_trip(EXPORTER.export(flows)) == flows


def test_ids_that_are_not_iris_travel_reversibly() -> None:
    for identifier in ("payment-52", "vf:tricky-id", "urn:silkcore:id:x", "silk:y", "a b", "https://x.example/a#b"):
        assert from_iri(to_iri(identifier)) == identifier
    assert to_iri("https://x.example/a") == "https://x.example/a"
    assert to_iri("urn:silk:flow:a") == "urn:silk:flow:a"


def test_a_public_envelope_is_exported_and_a_network_one_refused() -> None:
    envelope = load_document(EXAMPLES / "documents" / "envelope-network-flow.json")
    assert isinstance(envelope, Envelope)
    with pytest.raises(DataError) as refused:
        EXPORTER.export([envelope])
    assert refused.value.errors[0].pointer == "/0/sharing/level"
    assert "network" in refused.value.errors[0].message
    public = attrs.evolve(envelope, sharing=attrs.evolve(envelope.sharing, level="public"))
    assert len(round_trip(EXPORTER.export([public]))) == 1


def test_only_flows_are_exported() -> None:
    organisation = load_document(EXAMPLES / "documents" / "organisation-sol-del-valle.json")
    assert isinstance(organisation, Organisation)
    with pytest.raises(DataError) as refused:
        EXPORTER.export([OIL, organisation])
    assert refused.value.errors[0].pointer == "/1"
    with pytest.raises(DataError, match="also the id"):
        EXPORTER.export([OIL, OIL])


# --------------------------------------------------------------------------- foreign ValueFlows data


def test_example_b_imports_as_a_reciprocal_pair() -> None:
    oil, payment = round_trip(EXAMPLE_B)
    assert oil.flow_id == "https://oliveti-solidali.example.it/events/881"
    assert (oil.kind, oil.status) == (FlowKind.GOODS, FlowStatus.OBSERVED)
    assert oil.quantity == Quantity(Decimal("300"), "litre")
    assert oil.provider == OrgRef("https://oliveti-solidali.example.it/agents/self", "Oliveti Solidali Soc. Coop.", "IT")
    assert oil.receiver.country == "FR"
    assert (oil.origin_country, oil.destination_country) == ("IT", "FR")
    assert oil.period == Period(dt.date(2025, 3, 14), dt.date(2025, 3, 14))
    assert payment.kind == FlowKind.FINANCE
    assert payment.amount == Money(Decimal("2400"), "EUR")
    assert payment.reciprocal_of == oil.flow_id
    assert (payment.origin_country, payment.destination_country) == ("FR", "IT")
    assert oil.direction_for("https://oliveti-solidali.example.it/agents/self") == Direction.OUTWARD


def test_example_b_with_the_http_vocabulary_reads_the_same() -> None:
    http = json.loads(json.dumps(EXAMPLE_B).replace("https://w3id.org/valueflows/", "http://w3id.org/valueflows/"))
    assert "https://w3id.org/valueflows/" not in json.dumps(http)
    assert round_trip(http) == round_trip(EXAMPLE_B)


def test_example_b_references_are_read_as_a_processor_reads_them_once_coerced() -> None:
    """Example B's context does not coerce references, so to a JSON-LD processor ``"provider":
    "coop:agents/self"`` is a string; the importer reads such strings as IRIs with the document's
    prefixes. Coerced, a real processor's expansion gives the same flows."""
    lenient = {node["@id"]: node for node in expand(EXAMPLE_B)}
    assert lenient["https://oliveti-solidali.example.it/events/881"][VF + "provider"] == [{"@value": "coop:agents/self"}]
    strict = json.loads(json.dumps(EXAMPLE_B))
    refs = ("provider", "receiver", "realizationOf", "reciprocalRealizationOf", "resourceConformsTo")
    strict["@context"].update({term: {"@type": "@id"} for term in refs})
    assert round_trip(expand(strict)) == round_trip(EXAMPLE_B)


# --------------------------------------------------------------------------- errors


def import_error(data: bytes | dict[str, Any]) -> DataError:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    with pytest.raises(DataError) as caught:
        IMPORTER.import_(raw, "input.jsonld")
    assert all(issue.source == "input.jsonld" for issue in caught.value.errors)
    return caught.value


def with_event(**changes: Any) -> dict[str, Any]:
    doc = json.loads(json.dumps(EXAMPLE_B))
    event = doc["@graph"][3]
    for key, value in changes.items():
        if value is None:
            event.pop(key)
        else:
            event[key] = value
    return doc


def test_malformed_input_is_a_data_error_with_a_pointer() -> None:
    assert import_error(b'{"@graph": [').errors[0].line == 1
    assert import_error(b"[1, 2]").errors[0].pointer == "/0"
    assert import_error(with_event(provider=None)).errors[0].pointer == "/@graph/3"
    bad_number = with_event(resourceQuantity={"hasNumericalValue": "lots", "hasUnit": "litre"})
    assert import_error(bad_number).errors[0].pointer == "/@graph/3/resourceQuantity/hasNumericalValue"
    bad_date = import_error(with_event(hasPointInTime="next spring"))
    assert bad_date.errors[0].pointer == "/@graph/3/hasPointInTime"
    assert "ISO 8601" in bad_date.errors[0].message
    bad_action = import_error(with_event(action="produce"))
    assert bad_action.errors[0].pointer == "/@graph/3/action"


def test_every_bad_flow_is_reported_at_once() -> None:
    doc = with_event(provider=None)
    doc["@graph"][4]["hasPointInTime"] = "soon"
    assert [i.pointer for i in import_error(doc).errors] == ["/@graph/3", "/@graph/4/hasPointInTime"]


def test_a_remote_context_is_refused_not_fetched() -> None:
    doc = dict(EXAMPLE_B, **{"@context": "https://w3id.org/valueflows/context.jsonld"})
    error = import_error(doc)
    assert error.errors[0].pointer == "/@context"
    assert "not fetched" in error.errors[0].message


def test_an_unknown_currency_is_refused_clearly() -> None:
    doc = json.loads(json.dumps(EXAMPLE_B))
    doc["@graph"][4]["resourceConformsTo"] = "http://www.wikidata.org/entity/Q999999999"
    error = import_error(doc)
    assert error.errors[0].pointer == "/@graph/4/resourceConformsTo"
    assert "unknown currency" in error.errors[0].message


def test_a_value_silkcore_rejects_is_located_in_the_input() -> None:
    doc = export([OIL])
    doc["@graph"][0]["silk:originCountry"] = "Italy"
    error = import_error(json.dumps(doc).encode())
    assert error.errors[0].pointer == "/@graph/0/silk:originCountry"
    assert "origin_country" in error.errors[0].message


def test_a_document_without_flows_is_refused() -> None:
    error = import_error({"@context": {"@vocab": VF}, "@graph": [{"@id": "urn:a", "@type": "Organization"}]})
    assert "nothing to import" in error.errors[0].message

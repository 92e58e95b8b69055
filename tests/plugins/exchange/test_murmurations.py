"""Murmurations: profiles valid against the library's own schemas, a faithful round trip, clear errors."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given

from silk_exchange.murmurations import (
    EXTRAS_SCHEMA,
    EXTRAS_SCHEMA_NAME,
    ISO_3166,
    LINKED_TO,
    MurmurationsExporter,
    MurmurationsImporter,
)
from silkcore import (
    DataError,
    Envelope,
    Flow,
    FlowKind,
    FlowStatus,
    Identifier,
    Money,
    Organisation,
    OrgRef,
    Provenance,
    Publisher,
    Sharing,
    SharingLevel,
    SseFamily,
    dump_document,
    hookimpl,
    load_document,
    validate,
)
from silkcore.testing import catalog_with, entities

ROOT = Path(__file__).resolve().parents[3]
VENDOR = ROOT.parent / "shared" / "vendor"
MURMURATIONS = VENDOR / "murmurations"
EXAMPLES = ROOT / "examples"
EXPORTER, IMPORTER = MurmurationsExporter(), MurmurationsImporter()
#: Where the library's schema $ids live; their "../fields/x.json" $refs resolve against it.
LIBRARY = "https://test-library.murmurations.network/v2/"

# Interop anchors, Example A: a Portuguese consumer co-op's self-hosted profile.
EXAMPLE_A: dict[str, Any] = {
    "linked_schemas": ["organizations_schema-v1.0.0"],
    "name": "Cooperativa Horta Comum",
    "nickname": "Horta Comum",
    "primary_url": "https://hortacomum.example.pt",
    "tags": ["consumer co-operative", "organic food", "short supply chain"],
    "description": "Member-owned grocery sourcing from 40 small farms.",
    "mission": "Fair prices for farmers and members alike.",
    "status": "active",
    "country_iso_3166": "PT",
    "locality": "Coimbra",
    "geolocation": {"lat": 40.2033, "lon": -8.4103},
    "geographic_scope": "international",
    "starts_at": 1456790400,
    "unique_id": "PT-NIPC:509999990",
    "relationships": [{"predicate_url": "https://schema.org/memberOf", "object_url": "https://sse-network.example.eu"}],
    "contact_details": {"contact_form": "https://hortacomum.example.pt/contact"},
}

DEMO = load_document(EXAMPLES / "demo" / "organisation.json")
SOL_DEL_VALLE = load_document(EXAMPLES / "documents" / "organisation-sol-del-valle.json")
KOSOVO = Organisation(
    org_id="https://zadruga.example.org/",
    name="Zadruga Shembull",
    sse_family=SseFamily.SOCIAL_ENTERPRISE,
    country="XK",
    legal_form_code="ABCD",
    identifiers=(Identifier("XK-ARBK", "810000000"), Identifier("XI-LEI", "5299000EXAMPLE000042")),
    members=12,
    workers=3,
    legal_form_label="Kooperativa bujqësore",
    description={"sq": "Një kooperativë shembull.", "en": "An example cooperative."},
)
SHOPS = OrgRef("https://boutiques.example.fr/", "Boutiques coopératives", "FR")
NETWORK = OrgRef("https://network.example.eu/", country="BE")


def demo_flows() -> list[Flow]:
    """The demo organisation's flows, two of them with partners identified by URL."""
    flows = [load_document(EXAMPLES / "documents" / name) for name in ("flow-cotton-import.json", "flow-training-licence.json")]
    me = DEMO.ref()
    return [
        *flows,
        Flow("urn:silk:flow:t:shops", FlowStatus.OBSERVED, FlowKind.GOODS, me, SHOPS, amount=Money(Decimal("9000"), "EUR")),
        Flow("urn:silk:flow:t:fee", FlowStatus.OBSERVED, FlowKind.FINANCE, me, NETWORK, amount=Money(Decimal("300"), "EUR")),
        Flow("urn:silk:flow:t:back", FlowStatus.OBSERVED, FlowKind.FINANCE, SHOPS, me, amount=Money(Decimal("9000"), "EUR")),
    ]


def export(documents: list[Any], **options: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(EXPORTER.export(documents, **options))
    return result


def import_(profile: dict[str, Any]) -> list[dict[str, Any]]:
    return IMPORTER.import_(json.dumps(profile).encode(), "profile.json")


def envelope(payload: Any, level: SharingLevel) -> Envelope:
    return Envelope(
        record_id="urn:uuid:5b0c6f0e-1c52-4a8e-9c55-0f3a7d2e9b11",
        payload_schema=type(payload).SCHEMA,
        publisher=Publisher("https://federation.example.coop/"),
        provenance=Provenance(generated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)),
        sharing=Sharing(level=level),
        payload=json.loads(dump_document(payload)),
    )


# --------------------------------------------------------------------------- Murmurations' own schemas


@pytest.fixture(scope="module")
def murmurations() -> Any:
    """A validator factory for the library's schemas, every $ref resolved from the vendored files."""
    if not MURMURATIONS.is_dir():
        pytest.skip(f"the vendored Murmurations library is absent ({MURMURATIONS}); CI has it")
    import jsonschema
    from referencing import Registry
    from referencing.jsonschema import DRAFT7

    resources = []
    for path in sorted((MURMURATIONS / "schemas").glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["$id"], DRAFT7.create_resource(schema)))
    for path in sorted((MURMURATIONS / "fields").glob("*.json")):
        resources.append((f"{LIBRARY}fields/{path.name}", DRAFT7.create_resource(json.loads(path.read_text(encoding="utf-8")))))
    registry: Registry[Any] = Registry().with_resources(resources)  # no retrieve=: nothing is fetched

    def errors(profile: dict[str, Any], name: str = "organizations_schema-v1.0.0") -> list[str]:
        schema = registry.contents(f"{LIBRARY}schemas/{name}")
        validator = jsonschema.Draft7Validator(schema, registry=registry)
        return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(profile)]

    return errors


def test_the_schemas_really_apply_their_field_refs(murmurations: Any) -> None:
    assert murmurations(EXAMPLE_A) == [] and murmurations(EXAMPLE_A, "default-v2.1.0") == []
    assert murmurations({**EXAMPLE_A, "country_iso_3166": "XK"})  # the country field's enum
    assert murmurations({**EXAMPLE_A, "name": "x" * 201})  # name.json's maxLength
    assert murmurations({**EXAMPLE_A, "relationships": [{"predicate_url": "urn:x", "object_url": "https://a"}]})
    assert murmurations({**EXAMPLE_A, "geolocation": {"lat": 400, "lon": 0}})  # a field's own ../fields ref


def test_the_country_list_is_murmurations_list() -> None:
    path = MURMURATIONS / "fields" / "country_iso_3166.json"
    if not path.is_file():
        pytest.skip("the vendored Murmurations fields are absent")
    assert set(json.loads(path.read_text(encoding="utf-8"))["enum"]) == ISO_3166
    assert "XK" not in ISO_3166


CASES = {
    "sol-del-valle": ([SOL_DEL_VALLE], {}),
    "demo with flows": ([DEMO, *demo_flows()], {}),
    "demo, options": ([DEMO], {"scope": "regional", "relationships": f"https://schema.org/memberOf {NETWORK.org_id}"}),
    "kosovo": ([KOSOVO], {}),
    "public envelope": ([envelope(DEMO, SharingLevel.PUBLIC), envelope(demo_flows()[2], SharingLevel.PUBLIC)], {}),
}


@pytest.mark.parametrize("case", CASES)
def test_exports_are_valid_murmurations_profiles(murmurations: Any, case: str) -> None:
    documents, options = CASES[case]
    profile = export(documents, **options)
    assert profile["linked_schemas"] == ["organizations_schema-v1.0.0"]
    assert murmurations(profile) == []
    assert murmurations(profile, "default-v2.1.0") == []


def test_what_the_demo_profile_says() -> None:
    profile = export([DEMO, *demo_flows()])
    assert profile["name"] == DEMO.name
    assert profile["primary_url"] == "https://tejidos-solidarios.example/"
    assert profile["country_iso_3166"] == "ES"
    assert profile["tags"] == ["cooperative", "sector:C13"]
    assert profile["starts_at"] == 1230768000  # 2009-01-01T00:00:00Z
    assert profile["unique_id"] == "ES-RMC:F-00000000"
    assert profile["geographic_scope"] == "international"  # partners in India, Morocco, France
    # Partners with URL ids become org:linkedTo relationships (once each); URN partners cannot.
    assert profile["relationships"] == [
        {"predicate_url": LINKED_TO, "object_url": SHOPS.org_id},
        {"predicate_url": LINKED_TO, "object_url": NETWORK.org_id},
    ]
    assert profile["description"].startswith("A fictional worker cooperative")


def test_only_public_facts_leave() -> None:
    profile = export([KOSOVO])
    text = json.dumps(profile, ensure_ascii=False)
    assert "members" not in profile and "workers" not in profile and "number_of_members" not in profile
    assert "Kooperativa" not in text  # label text is not a code
    assert "XI-LEI" not in text  # only the first identifier
    assert profile["unique_id"] == "XK-ARBK:810000000"
    assert "country_iso_3166" not in profile and profile["country_name"] == "Kosovo"
    assert profile["tags"] == ["social enterprise", "elf:ABCD"]
    assert profile["description"] == "An example cooperative."
    assert "geographic_scope" not in profile  # nothing to derive it from


def test_a_non_public_envelope_is_refused() -> None:
    with pytest.raises(DataError) as refused:
        EXPORTER.export([envelope(DEMO, SharingLevel.NETWORK)])
    assert refused.value.errors[0].pointer == "/0/sharing/level"
    assert "public" in refused.value.errors[0].message


# --------------------------------------------------------------------------- round trips


def round_trip(documents: list[Any], **options: str) -> tuple[dict[str, Any], dict[str, Any]]:
    first = EXPORTER.export(documents, **options)
    second = EXPORTER.export(IMPORTER.import_(first, "profile.json"))
    return json.loads(first), json.loads(second)


@pytest.mark.parametrize("case", CASES)
def test_export_import_export_keeps_the_profile(case: str) -> None:
    documents, options = CASES[case]
    first, second = round_trip(documents, **options)
    for key in ("name", "primary_url", "country_iso_3166", "country_name", "geographic_scope", "tags", "relationships"):
        assert first.get(key) == second.get(key), key
    assert first == second


def test_the_round_trip_keeps_scope_tags_and_relationships_given_as_options() -> None:
    first, second = round_trip([DEMO], scope="regional", relationships=f"https://schema.org/memberOf {NETWORK.org_id}")
    assert second["geographic_scope"] == "regional"
    assert second["relationships"] == [{"predicate_url": "https://schema.org/memberOf", "object_url": NETWORK.org_id}]
    assert second["primary_url"] == first["primary_url"] and second["country_iso_3166"] == "ES"


@given(entities(Organisation))
def test_round_trip_of_any_organisation(organisation: Organisation) -> None:
    first, second = round_trip([organisation])
    assert first == second


def test_an_imported_organisation_round_trips_as_an_entity() -> None:
    documents = import_(EXAMPLE_A)
    organisation = load_document(documents[0])
    assert load_document(import_(json.loads(EXPORTER.export(documents)))[0]) == organisation


# --------------------------------------------------------------------------- import


class CompanionSchema:
    """The registration ``silk_exchange`` makes for the companion document."""

    @hookimpl
    def silk_register_schemas(self, register: Any) -> None:
        register(EXTRAS_SCHEMA)


def test_example_a_imports_as_an_organisation_and_its_profile_facts() -> None:
    organisation, extras = import_(EXAMPLE_A)
    entity = load_document(organisation)
    assert entity.org_id == "https://hortacomum.example.pt" == entity.url
    assert entity.name == "Cooperativa Horta Comum"
    assert entity.country == "PT"
    assert entity.sse_family == SseFamily.COOPERATIVE  # from "consumer co-operative"
    assert entity.founding_year == 2016  # starts_at is 2016-03-01
    assert entity.identifiers == (Identifier("PT-NIPC", "509999990"),)
    assert entity.description == {"en": "Member-owned grocery sourcing from 40 small farms."}
    assert extras == {
        "schema": EXTRAS_SCHEMA_NAME,
        "org_id": "https://hortacomum.example.pt",
        "geographic_scope": "international",
        "tags": ["consumer co-operative", "organic food", "short supply chain"],
        "relationships": [{"predicate_url": "https://schema.org/memberOf", "object_url": "https://sse-network.example.eu"}],
    }
    catalog = catalog_with(CompanionSchema())
    assert validate(organisation, catalog=catalog) == [] and validate(extras, catalog=catalog) == []
    again = export([entity, extras])
    assert {k: again[k] for k in ("name", "primary_url", "country_iso_3166", "geographic_scope", "relationships")} == {
        k: EXAMPLE_A[k] for k in ("name", "primary_url", "country_iso_3166", "geographic_scope", "relationships")
    }
    assert again["tags"] == ["cooperative", *EXAMPLE_A["tags"]]


def test_a_profile_without_url_or_extras_gives_one_document() -> None:
    documents = import_(
        {"linked_schemas": ["organizations_schema-v1.0.0"], "name": "Coopérative d'Exemple", "country_name": "Kosovo"}
    )
    assert len(documents) == 1
    assert documents[0]["org_id"] == "urn:silk:org:murmurations:coop-rative-d-exemple"
    assert documents[0]["country"] == "XK" and documents[0]["sse_family"] == "other"


# --------------------------------------------------------------------------- errors


def import_error(data: bytes | Any) -> DataError:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    with pytest.raises(DataError) as caught:
        IMPORTER.import_(raw, "profile.json")
    assert all(issue.source == "profile.json" for issue in caught.value.errors)
    return caught.value


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        ({"name": None}, "/name"),
        ({"country_iso_3166": "Portugal"}, "/country_iso_3166"),
        ({"country_iso_3166": None}, ""),
        ({"primary_url": "hortacomum.example.pt"}, "/primary_url"),
        ({"tags": ["ok", 7]}, "/tags/1"),
        (
            {"relationships": [{"predicate_url": "https://schema.org/memberOf", "object_url": "urn:x"}]},
            "/relationships/0/object_url",
        ),
        ({"geographic_scope": "galactic"}, "/geographic_scope"),
        ({"starts_at": "2016-03-01"}, "/starts_at"),
        ({"starts_at": 10**20}, "/starts_at"),
        ({"linked_schemas": ["people_schema-v0.1.0"]}, "/linked_schemas"),
    ],
)
def test_a_bad_profile_is_a_data_error_with_a_pointer(change: dict[str, Any], pointer: str) -> None:
    profile = {k: v for k, v in {**EXAMPLE_A, **change}.items() if v is not None}
    assert pointer in [issue.pointer for issue in import_error(profile).errors]


def test_input_that_is_not_a_profile_is_refused() -> None:
    assert import_error(b'{"name": ').errors[0].line == 1
    assert import_error([EXAMPLE_A]).errors[0].pointer == ""
    assert import_error({**EXAMPLE_A, "name": "x" * 301}).errors[0].pointer == "/name"


def test_export_refuses_what_it_cannot_make_a_profile_of() -> None:
    with pytest.raises(DataError, match="one organisation"):
        EXPORTER.export([DEMO, SOL_DEL_VALLE])
    with pytest.raises(DataError, match="scope"):
        EXPORTER.export([DEMO], scope="galactic")
    with pytest.raises(DataError, match="PREDICATE_URL"):
        EXPORTER.export([DEMO], relationships="knows https://a.example")
    with pytest.raises(DataError) as long_name:
        EXPORTER.export([attrs.evolve(DEMO, name="x" * 250)])
    assert long_name.value.errors[0].pointer == "/0/name"
    with pytest.raises(DataError) as stranger:
        EXPORTER.export([DEMO, {"schema": EXTRAS_SCHEMA_NAME, "org_id": "urn:someone:else"}])
    assert stranger.value.errors[0].pointer == "/1/org_id"

"""Murmurations: an organisation as a public ``organizations_schema-v1.0.0`` profile, and back.

Export (interop anchors 2.5) writes a profile for the organisation to host at its own URL:

=========================  ====================================================================
silkcore                   Murmurations
=========================  ====================================================================
name                       ``name`` (at most 200 characters, Murmurations' limit)
url (else an http(s)       ``primary_url``
org_id)
country                    ``country_iso_3166``; ``country_name`` for a code outside
                           Murmurations' list (``XK`` -> ``"Kosovo"``)
description["en"]          ``description``
founding_year              ``starts_at``: 1 January of that year, Unix seconds (UTC)
identifiers[0]             ``unique_id`` as ``SCHEME:identifier`` (a public registry fact)
sse_family, sector,        ``tags``: the family in words (``cooperative``, ``social
legal_form_code            enterprise``...; none for ``other``), ``sector:<code>``, ``elf:<code>``
flows' partners            ``relationships``: ``org:linkedTo`` (W3C ORG, "an arbitrary
                           relationship between two organizations") to each partner whose id
                           is an http(s) URL; Murmurations needs URLs, so URN partners are left out
flows' countries           ``geographic_scope`` ``international`` when a partner, origin or
                           destination country differs from the organisation's (else omitted:
                           local, regional and national cannot be told apart from countries)
=========================  ====================================================================

Dropped on purpose: ``members`` and ``workers`` (the linked schema has no such fields, and a
profile is published to anyone), ``legal_form_label`` (label text, not a code), identifiers
after the first, descriptions in other languages.

Facts a silkcore organisation has no field for - the scope, tags beyond those derived above,
and relationships - travel in a companion document of the plugin's own kind,
:data:`EXTRAS_SCHEMA` (``murmurations_extras-v1.0.0``). The importer returns it beside the
organisation and the exporter reads it back, so export -> import -> export gives the same
profile. Export options: ``scope`` (local, regional, national or international) overrides the
scope; ``relationships`` adds links, as ``PREDICATE_URL OBJECT_URL`` entries separated by ``;``.

Only public data leaves: an envelope is exported only at sharing level ``public``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any

from silkcore import (
    DataError,
    Envelope,
    Flow,
    Issue,
    Organisation,
    SharingLevel,
    SseFamily,
    load_document,
    parse_json,
    validate,
)

__all__ = ["EXTRAS_SCHEMA", "EXTRAS_SCHEMA_NAME", "MurmurationsExporter", "MurmurationsImporter"]

ORGANIZATIONS_SCHEMA = "organizations_schema-v1.0.0"
ORGANISATION_SCHEMA = "silkcore_organisation-v1.0.0"
FLOW_SCHEMA = "silkcore_flow-v1.0.0"
EXTRAS_SCHEMA_NAME = "murmurations_extras-v1.0.0"
#: The predicate of a relationship derived from a flow between two organisations.
LINKED_TO = "http://www.w3.org/ns/org#linkedTo"
SCOPES = ("local", "regional", "national", "international")

_URL = {"type": "string", "maxLength": 2000, "pattern": "^https?://"}
#: The companion document: what a Murmurations profile says that an organisation document cannot.
EXTRAS_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": f"https://w3id.org/silkcore/plugins/silk_exchange/{EXTRAS_SCHEMA_NAME}",
    "title": "Murmurations profile facts beside a silkcore organisation",
    "description": "Geographic scope, free tags and relationships of an organisation's Murmurations profile, which the "
    "organisation document has no fields for. Written by the murmurations importer, read by its exporter.",
    "type": "object",
    "required": ["schema", "org_id"],
    "additionalProperties": False,
    "properties": {
        "schema": {"const": EXTRAS_SCHEMA_NAME},
        "org_id": {"type": "string", "minLength": 1, "maxLength": 300, "pattern": "^[^\\s\\u0000-\\u001f]+$"},
        "geographic_scope": {"enum": list(SCOPES)},
        "tags": {
            "type": "array",
            "uniqueItems": True,
            "maxItems": 100,
            "items": {"type": "string", "minLength": 1, "maxLength": 100},
        },
        "relationships": {
            "type": "array",
            "uniqueItems": True,
            "items": {
                "type": "object",
                "required": ["predicate_url", "object_url"],
                "additionalProperties": False,
                "properties": {"predicate_url": _URL, "object_url": _URL},
            },
        },
    },
}

_ISO_CODES = """AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
    CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO
    FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE
    JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO
    MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW
    PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM
    TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"""
#: ISO 3166-1 alpha-2, the officially assigned codes: exactly Murmurations' ``country_iso_3166`` list.
ISO_3166 = frozenset(_ISO_CODES.split())
#: User-assigned codes silkcore accepts, by the name Murmurations' index matches to them.
COUNTRY_NAMES = {"XK": "Kosovo"}

FAMILY_TAGS = {
    SseFamily.COOPERATIVE: "cooperative",
    SseFamily.MUTUAL: "mutual",
    SseFamily.ASSOCIATION: "association",
    SseFamily.FOUNDATION: "foundation",
    SseFamily.SOCIAL_ENTERPRISE: "social enterprise",
    SseFamily.INFORMAL_GROUP: "informal group",
    SseFamily.NETWORK: "network",
    SseFamily.PUBLIC_AGENCY: "public agency",
}
# Most specific first: "social enterprise cooperative" is a cooperative, but try the rarer forms before.
_FAMILY_PATTERNS = [
    (SseFamily.INFORMAL_GROUP, r"\binformal group"),
    (SseFamily.PUBLIC_AGENCY, r"\bpublic (agency|body|authority)\b"),
    (SseFamily.COOPERATIVE, r"\bco-?op(erative|érative|erativa|erativo)?s?\b|\bgenossenschaft\b"),
    (SseFamily.MUTUAL, r"\bmutu(al|elle|alidad|alité|alist)"),
    (
        SseFamily.SOCIAL_ENTERPRISE,
        r"\bsocial (enterprise|business)\b|\bentreprise sociale\b|\bempresa social\b|\bimpresa sociale\b",
    ),
    (SseFamily.FOUNDATION, r"\bfoundation\b|\bfundaci[oó]n\b|\bfondation\b|\bfunda[cç][aã]o\b|\bstiftung\b"),
    (SseFamily.ASSOCIATION, r"\bassocia(tion|ção|zione)\b|\basociaci[oó]n\b|\bverein\b"),
    (SseFamily.NETWORK, r"\bnetwork\b|\bfederation\b|\bfédération\b"),
]
_SECTOR_TAG = re.compile(r"^sector:(?P<code>[a-z0-9][a-z0-9_.-]{0,59}|[A-U]([0-9]{2}(\.[0-9]{1,2})?)?)$")
_ELF_TAG = re.compile(r"^elf:(?P<code>[A-Z0-9]{4})$")
_UNIQUE_ID = re.compile(r"^(?P<scheme>[A-Z0-9]{2}(-[A-Z0-9]{2,10})+):(?P<identifier>.+)$", re.DOTALL)
_HTTP = re.compile(r"^https?://\S+$")


def _issue(pointer: str, message: str) -> DataError:
    return DataError([Issue(pointer, message)])


# --------------------------------------------------------------------------- export


def _unwrap(document: Any, index: int) -> Any:
    """An entity from an entity, a document, or a public envelope; other levels are refused."""
    if isinstance(document, Envelope):
        if document.sharing.level != SharingLevel.PUBLIC:
            raise _issue(
                f"/{index}/sharing/level",
                "not exported: a Murmurations profile is public, and this record is shared at level "
                f"{document.sharing.level.value!r}",
            )
        return load_document({"schema": document.payload_schema, **document.payload})
    if isinstance(document, dict) and document.get("schema") in (ORGANISATION_SCHEMA, FLOW_SCHEMA):
        return load_document(document)
    return document


def _option_relationships(text: str) -> list[dict[str, str]]:
    found = []
    for n, entry in enumerate(filter(None, (e.strip() for e in re.split(r"[;\n]", text))), start=1):
        parts = entry.split()
        if len(parts) != 2 or not all(_HTTP.match(p) for p in parts):
            raise _issue(
                "", f"option relationships, entry {n}: expected 'PREDICATE_URL OBJECT_URL' (both http(s) URLs), got {entry!r}"
            )
        found.append({"predicate_url": parts[0], "object_url": parts[1]})
    return found


def _partners(organisation: Organisation, flows: list[Flow]) -> tuple[list[str], set[str]]:
    """The partner ids of the organisation's flows, in order, and every country they touch."""
    partners: list[str] = []
    countries: set[str] = set()
    for flow in flows:
        if organisation.org_id not in (flow.provider.org_id, flow.receiver.org_id):
            continue
        partner = flow.receiver if flow.provider.org_id == organisation.org_id else flow.provider
        if partner.org_id != organisation.org_id:
            partners.append(partner.org_id)
        countries.update(c for c in (partner.country, flow.origin_country, flow.destination_country) if c)
    return partners, countries


def derived_tags(organisation: Organisation) -> list[str]:
    """The tags an organisation's own fields give: family, ``sector:<code>``, ``elf:<code>``."""
    tags = [FAMILY_TAGS[organisation.sse_family]] if organisation.sse_family in FAMILY_TAGS else []
    if organisation.sector:
        tags.append(f"sector:{organisation.sector}")
    if organisation.legal_form_code:
        tags.append(f"elf:{organisation.legal_form_code}")
    return tags


def _unique(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def export_profile(documents: Sequence[Any], options: dict[str, str]) -> dict[str, Any]:
    """The Murmurations profile of the one organisation among ``documents``."""
    organisations: list[tuple[int, Organisation]] = []
    flows: list[Flow] = []
    extras: list[tuple[int, dict[str, Any]]] = []
    for i, raw in enumerate(documents):
        document = _unwrap(raw, i)
        if isinstance(document, Organisation):
            organisations.append((i, document))
        elif isinstance(document, Flow):
            flows.append(document)
        elif isinstance(document, dict) and document.get("schema") == EXTRAS_SCHEMA_NAME:
            extras.append((i, document))
        else:
            kind = document.get("schema") if isinstance(document, dict) else type(document).__name__
            raise _issue(
                f"/{i}",
                f"a Murmurations profile is made of one organisation, its flows and {EXTRAS_SCHEMA_NAME} documents, not {kind!r}",
            )
    if len(organisations) != 1:
        raise _issue("", f"a Murmurations profile describes one organisation; got {len(organisations)} organisation documents")
    index, org = organisations[0]
    for i, extra in extras:
        if extra.get("org_id") != org.org_id:
            raise _issue(f"/{i}/org_id", f"these profile facts are about {extra.get('org_id')!r}, not {org.org_id!r}")
    if len(org.name) > 200:
        raise _issue(f"/{index}/name", "Murmurations names are at most 200 characters")

    profile: dict[str, Any] = {"linked_schemas": [ORGANIZATIONS_SCHEMA], "name": org.name}
    url = org.url if org.url and _HTTP.match(org.url) else org.org_id if _HTTP.match(org.org_id) else None
    if url:
        profile["primary_url"] = url
    tags = _unique(derived_tags(org) + [t for _, e in extras for t in e.get("tags", ())])
    if len(tags) > 100:
        raise _issue("", f"Murmurations allows at most 100 tags; these documents give {len(tags)}")
    if tags:
        profile["tags"] = tags
    if org.description and org.description.get("en"):
        profile["description"] = org.description["en"]
    if org.country in ISO_3166:
        profile["country_iso_3166"] = org.country
    else:
        profile["country_name"] = COUNTRY_NAMES.get(org.country, org.country)
    if org.founding_year is not None:
        profile["starts_at"] = int(dt.datetime(org.founding_year, 1, 1, tzinfo=dt.UTC).timestamp())
    partners, countries = _partners(org, flows)
    scope = options.get("scope") or next((e["geographic_scope"] for _, e in extras if "geographic_scope" in e), None)
    if scope is None and countries - {org.country}:
        scope = "international"
    if scope is not None:
        if scope not in SCOPES:
            raise _issue("", f"option scope: expected one of {', '.join(SCOPES)}, got {scope!r}")
        profile["geographic_scope"] = scope
    if org.identifiers:
        profile["unique_id"] = f"{org.identifiers[0].scheme}:{org.identifiers[0].identifier}"
    relationships = _unique(
        [r for _, e in extras for r in e.get("relationships", ())]
        + _option_relationships(options.get("relationships", ""))
        + [{"predicate_url": LINKED_TO, "object_url": p} for p in partners if _HTTP.match(p)]
    )
    if relationships:
        profile["relationships"] = relationships
    return profile


class MurmurationsExporter:
    """Exporter ``murmurations``: one organisation as a public Murmurations profile."""

    id = "murmurations"
    media_type = "application/json"

    def export(self, documents: Sequence[Any], **options: str) -> bytes:
        """The profile (options ``scope`` and ``relationships``, see the module docstring)."""
        return (json.dumps(export_profile(documents, options), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- import


def family_of(tags: list[str]) -> SseFamily:
    """The SSE family the first telling tag names (``consumer co-operative`` -> cooperative)."""
    for tag in tags:
        for family, pattern in _FAMILY_PATTERNS:
            if re.search(pattern, tag.lower()):
                return family
    return SseFamily.OTHER


def _org_id(profile: dict[str, Any]) -> str:
    url = profile.get("primary_url")
    if isinstance(url, str):
        return url
    slug = re.sub(r"[^a-z0-9]+", "-", profile["name"].lower()).strip("-")[:80]
    return "urn:silk:org:murmurations:" + (slug or hashlib.sha256(profile["name"].encode()).hexdigest()[:16])


def _check(profile: dict[str, Any]) -> list[Issue]:
    """The profile's fields silkcore reads, checked by hand (Murmurations' schemas are not bundled)."""
    issues: list[Issue] = []

    def expect(key: str, ok: bool, what: str) -> None:
        if key in profile and not ok:
            issues.append(Issue(f"/{key}", f"expected {what}"))

    linked = profile.get("linked_schemas")
    if not isinstance(linked, list) or ORGANIZATIONS_SCHEMA not in linked:
        issues.append(Issue("/linked_schemas", f"expected a list of schema names including {ORGANIZATIONS_SCHEMA!r}"))
    name = profile.get("name")
    if not isinstance(name, str) or not name:
        issues.append(Issue("/name", "the organisation's name is required (a non-empty string)"))
    expect(
        "primary_url", isinstance(profile.get("primary_url"), str) and bool(_HTTP.match(profile["primary_url"])), "an http(s) URL"
    )
    expect("description", isinstance(profile.get("description"), str), "a string")
    country = profile.get("country_iso_3166")
    expect("country_iso_3166", isinstance(country, str) and country in ISO_3166, "an ISO 3166-1 alpha-2 code such as 'PT'")
    expect("country_name", isinstance(profile.get("country_name"), str), "a string")
    expect("geographic_scope", profile.get("geographic_scope") in SCOPES, f"one of {', '.join(SCOPES)}")
    starts_at = profile.get("starts_at")
    expect("starts_at", isinstance(starts_at, int | float) and not isinstance(starts_at, bool), "a Unix timestamp (seconds)")
    expect("unique_id", isinstance(profile.get("unique_id"), str), "a string")
    tags = profile.get("tags")
    expect("tags", isinstance(tags, list), "an array of strings")
    for i, tag in enumerate(tags if isinstance(tags, list) else []):
        if not isinstance(tag, str) or not tag or len(tag) > 100:
            issues.append(Issue(f"/tags/{i}", "expected a tag of 1 to 100 characters"))
    relationships = profile.get("relationships")
    expect("relationships", isinstance(relationships, list), "an array of {predicate_url, object_url} objects")
    for i, relationship in enumerate(relationships if isinstance(relationships, list) else []):
        for key in ("predicate_url", "object_url"):
            value = relationship.get(key) if isinstance(relationship, dict) else None
            if not isinstance(value, str) or not _HTTP.match(value):
                issues.append(
                    Issue(
                        f"/relationships/{i}/{key}" if isinstance(relationship, dict) else f"/relationships/{i}",
                        "expected an http(s) URL",
                    )
                )
    if "country_iso_3166" not in profile and "country_name" not in profile:
        issues.append(
            Issue("", "silkcore needs the organisation's country: the profile has neither country_iso_3166 nor country_name")
        )
    return issues


def _country(profile: dict[str, Any]) -> str:
    if "country_iso_3166" in profile:
        return str(profile["country_iso_3166"])
    name = str(profile["country_name"]).strip()
    by_name = {v.lower(): k for k, v in COUNTRY_NAMES.items()}
    if name.lower() in by_name:
        return by_name[name.lower()]
    if re.fullmatch(r"[A-Z]{2}", name):
        return name
    raise _issue("/country_name", f"cannot tell the ISO 3166-1 code of {name!r}: give country_iso_3166")


_FIELD_POINTERS = {
    "org_id": "/primary_url",
    "name": "/name",
    "url": "/primary_url",
    "country": "/country_iso_3166",
    "description": "/description",
    "founding_year": "/starts_at",
    "identifiers": "/unique_id",
}


def import_profile(profile: Any) -> list[dict[str, Any]]:
    """The organisation document and, when the profile has any, its companion facts."""
    if not isinstance(profile, dict):
        raise _issue("", "expected a Murmurations profile: a JSON object")
    issues = _check(profile)
    if issues:
        raise DataError(issues)
    tags: list[str] = _unique(profile.get("tags", []))
    family = family_of([t for t in tags if not (_SECTOR_TAG.match(t) or _ELF_TAG.match(t))])
    org: dict[str, Any] = {
        "schema": ORGANISATION_SCHEMA,
        "org_id": _org_id(profile),
        "name": profile["name"],
        "sse_family": family.value,
        "country": _country(profile),
    }
    where = dict(_FIELD_POINTERS, country="/country_iso_3166" if "country_iso_3166" in profile else "/country_name")
    used = {FAMILY_TAGS.get(family, "")}
    for i, tag in enumerate(tags):
        sector, elf = _SECTOR_TAG.match(tag), _ELF_TAG.match(tag)
        if sector and "sector" not in org:
            org["sector"], where["sector"] = sector["code"], f"/tags/{i}"
            used.add(tag)
        elif elf and "legal_form_code" not in org:
            org["legal_form_code"], where["legal_form_code"] = elf["code"], f"/tags/{i}"
            used.add(tag)
    unique_id = _UNIQUE_ID.match(profile.get("unique_id", ""))
    if unique_id:
        org["identifiers"] = [{"scheme": unique_id["scheme"], "identifier": unique_id["identifier"]}]
    if "starts_at" in profile:
        try:
            org["founding_year"] = dt.datetime.fromtimestamp(profile["starts_at"], dt.UTC).year
        except (OverflowError, OSError, ValueError):
            raise _issue("/starts_at", f"{profile['starts_at']!r} is not a usable Unix timestamp") from None
    if "primary_url" in profile:
        org["url"] = profile["primary_url"]
    if profile.get("description"):
        org["description"] = {"en": profile["description"]}
    found = validate(org)
    if found:
        raise DataError([Issue(where.get(i.pointer.split("/")[1] if i.pointer else "", ""), i.message) for i in found])
    extras: dict[str, Any] = {"schema": EXTRAS_SCHEMA_NAME, "org_id": org["org_id"]}
    if "geographic_scope" in profile:
        extras["geographic_scope"] = profile["geographic_scope"]
    if kept := [t for t in tags if t not in used]:
        extras["tags"] = kept
    if profile.get("relationships"):
        extras["relationships"] = _unique([{k: r[k] for k in ("predicate_url", "object_url")} for r in profile["relationships"]])
    return [org, extras] if len(extras) > 2 else [org]


class MurmurationsImporter:
    """Importer ``murmurations``: a profile as an organisation (plus ``murmurations_extras``)."""

    id = "murmurations"

    def import_(self, data: bytes, source: str) -> list[dict[str, Any]]:
        """The organisation document, then the companion facts document if the profile has any.

        The profile is read by silkcore's strict reader: a duplicate key, NaN, a NUL or a lone
        surrogate, an over-long integer or too deep nesting is refused with its place."""
        profile = parse_json(data, source=source)
        try:
            return import_profile(profile)
        except DataError as exc:
            raise DataError([issue.located(source) for issue in exc.errors]) from None

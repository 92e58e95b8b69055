"""Flows from a spreadsheet: one flow per CSV row, each bad row reported, good rows kept.

The header (first row) names the columns; the order is free, unknown columns are refused:

=====================  ==================================================================
column                 value
=====================  ==================================================================
flow_id                a stable id (URI, URN or slug) - required
status                 planned or observed - required
kind                   goods, services, finance or intangible - required
intangible_type        knowledge, skills, business_model, brand, software, licence, values, information
provider_id            the provider's organisation id - required
provider_name          its name
provider_country       ISO 3166-1 alpha-2 code
receiver_id            the receiver's organisation id - required
receiver_name          its name
receiver_country       ISO 3166-1 alpha-2 code
focal_organisation     whose point of view ``direction`` is stated from
direction              inward, outward or reciprocal (checked against provider and receiver)
amount, currency       an exact decimal (e.g. 1250.50) and an ISO 4217 code
quantity, unit         an exact decimal and its unit (tonnes, hours...)
start, end             the period, as YYYY-MM-DD
origin_country         ISO code
destination_country    ISO code
strategies             approach codes separated by ``;`` (import_export;franchising)
reciprocal_of          the id of the counterpart flow
description            English text
=====================  ==================================================================
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from silkcore import DataError, Issue, PartialImportError, parse_csv_rows, validate

COLUMNS = (
    "flow_id",
    "status",
    "kind",
    "intangible_type",
    "provider_id",
    "provider_name",
    "provider_country",
    "receiver_id",
    "receiver_name",
    "receiver_country",
    "focal_organisation",
    "direction",
    "amount",
    "currency",
    "quantity",
    "unit",
    "start",
    "end",
    "origin_country",
    "destination_country",
    "strategies",
    "reciprocal_of",
    "description",
)
_POINTER_TO_COLUMN = {
    "/provider/org_id": "provider_id",
    "/provider/name": "provider_name",
    "/provider/country": "provider_country",
    "/receiver/org_id": "receiver_id",
    "/receiver/name": "receiver_name",
    "/receiver/country": "receiver_country",
    "/amount/amount": "amount",
    "/amount/currency": "currency",
    "/quantity/value": "quantity",
    "/quantity/unit": "unit",
    "/period/start": "start",
    "/period/end": "end",
    "/description/en": "description",
}


def row_to_flow(row: dict[str, str]) -> dict[str, Any]:
    """The flow document a row describes (empty cells are left out)."""
    get = {k: v.strip() for k, v in row.items() if k is not None and v is not None and v.strip()}
    doc: dict[str, Any] = {"schema": "silkcore_flow-v1.0.0"}
    for key in (
        "flow_id",
        "status",
        "kind",
        "intangible_type",
        "focal_organisation",
        "direction",
        "origin_country",
        "destination_country",
        "reciprocal_of",
    ):
        if key in get:
            doc[key] = get[key]
    for side in ("provider", "receiver"):
        ref = {"org_id": get.get(f"{side}_id", "")}
        for part in ("name", "country"):
            if f"{side}_{part}" in get:
                ref[part] = get[f"{side}_{part}"]
        doc[side] = ref
    if "amount" in get or "currency" in get:
        doc["amount"] = {"amount": get.get("amount", ""), "currency": get.get("currency", "")}
    if "quantity" in get or "unit" in get:
        doc["quantity"] = {"value": get.get("quantity", ""), "unit": get.get("unit", "")}
    if "start" in get or "end" in get:
        doc["period"] = {k: get[k] for k in ("start", "end") if k in get}
    if "strategies" in get:
        doc["strategies"] = [s.strip() for s in get["strategies"].split(";") if s.strip()]
    if "description" in get:
        doc["description"] = {"en": get["description"]}
    return doc


def _column(pointer: str) -> str:
    if pointer in _POINTER_TO_COLUMN:
        return _POINTER_TO_COLUMN[pointer]
    head = pointer.split("/")[1] if pointer.count("/") else ""
    return head if head in COLUMNS else (head or "(row)")


def import_csv(data: bytes, source: str) -> list[dict[str, Any]]:
    """Every valid row as a flow document; :class:`PartialImportError` when some rows fail (and
    :class:`DataError` when every row does).

    The text is read by silkcore's strict CSV reader: bad quoting, NUL characters, invalid
    UTF-8 and a field over the size limit stop the import with their line (and column)."""
    rows = [(line, cells) for line, cells in parse_csv_rows(data, source=source) if cells]
    if not rows:
        raise DataError([Issue("", f"empty input: expected a header row naming columns from: {', '.join(COLUMNS)}", source, 1)])
    (header_line, header), body = rows[0], rows[1:]
    unknown = [c for c in header if c not in COLUMNS]
    missing = [c for c in ("flow_id", "status", "kind", "provider_id", "receiver_id") if c not in header]
    repeated = sorted(c for c, count in Counter(header).items() if count > 1 and c in COLUMNS)
    if unknown or missing or repeated:
        problems = [f"unknown column {c[:80]!r}" for c in unknown[:20]] + [f"missing column {c!r}" for c in missing]
        problems += [f"repeated column {c!r}" for c in repeated]
        message = "; ".join(problems) + f"; expected columns from: {', '.join(COLUMNS)}"
        raise DataError([Issue("", message, source, header_line)])
    documents: list[dict[str, Any]] = []
    issues: list[Issue] = []
    for line, cells in body:
        if len(cells) > len(header):
            issues.append(Issue("", "more cells than columns", source, line))
            continue
        doc = row_to_flow(dict(zip(header, cells, strict=False)))
        found = validate(doc)
        if found:
            issues += [Issue(i.pointer, f"column {_column(i.pointer)}: {i.message}", source, line) for i in found]
        else:
            documents.append(doc)
    if issues and not documents:
        raise DataError(issues)  # nothing to keep: a plain refusal, and no output file
    if issues:
        raise PartialImportError(documents, issues)
    return documents


class FlowsCsvImporter:
    """Importer ``flows-csv``."""

    id = "flows-csv"

    def import_(self, data: bytes, source: str) -> list[dict[str, Any]]:
        """Flows from CSV (see this module's docstring for the columns)."""
        return import_csv(data, source)

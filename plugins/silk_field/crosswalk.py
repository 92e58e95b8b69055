"""Crosswalks: mappings from a framework's items to the concepts of another taxonomy.

A crosswalk is a YAML or JSON document checked by the ``silkfield_crosswalk-v1.0.0`` schema
this plugin registers::

    schema: silkfield_crosswalk-v1.0.0
    crosswalk: silk.evaluation-grid-to-sdg
    framework: silk.evaluation-grid
    scheme: SDG
    concepts: {"SDG 8": {label: {en: Decent work and economic growth}}}
    mappings:
    - {item: C.09, concept: SDG 8.5, relation: broader, rationale: Decent work at home is SDG 8's target 8.5.}

``relation`` is read "item <relation> concept" (SKOS mapping properties): ``equal``, ``broader``
(the concept is broader than the item), ``narrower``, ``related``. The plugin ships crosswalks
of Tool 2 and Tool 3 to the UN SDGs (``crosswalks/``); a network adds IRIS+, GRI or ESSGlobal
mappings by writing a file in the same format.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from silkcore import Catalog, Issue, SchemaValidationError, SilkError, get_catalog, load_document

from .languages import text_in

__all__ = [
    "CROSSWALK_DIR",
    "CROSSWALK_SCHEMA",
    "ConceptMapping",
    "Crosswalk",
    "crosswalk_schema",
    "crosswalks_for",
    "load_crosswalk",
    "shipped_crosswalks",
]

CROSSWALK_SCHEMA = "silkfield_crosswalk-v1.0.0"
SCHEMA_FILE = Path(__file__).with_name(f"{CROSSWALK_SCHEMA}.json")
CROSSWALK_DIR = Path(__file__).with_name("crosswalks")


def crosswalk_schema() -> dict[str, Any]:
    """The JSON Schema of crosswalk documents (registered through ``silk_register_schemas``)."""
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


@attrs.frozen
class ConceptMapping:
    """One item mapped to one external concept."""

    item: str
    concept: str
    relation: str
    rationale: str


@attrs.frozen
class Crosswalk:
    """A validated crosswalk document."""

    id: str
    framework: str
    scheme: str
    mappings: tuple[ConceptMapping, ...]
    concepts: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)
    framework_version: str | None = None
    source: str | None = None

    def label(self, concept: str, language: str | None = None) -> str | None:
        """The concept's label in ``language`` (with the usual fallback), if the crosswalk gives one."""
        return text_in(self.concepts.get(concept), language, "en")


def _issues(doc: Mapping[str, Any], catalog: Catalog) -> list[Issue]:
    """What the schema cannot check: repeated mappings, and items the framework does not have."""
    issues = []
    seen: set[tuple[str, str]] = set()
    try:
        items = {item.id for item in catalog.framework(doc["framework"]).items}
    except SilkError:
        items = None  # a crosswalk for a framework that is not installed is still readable
    for index, mapping in enumerate(doc["mappings"]):
        key = (mapping["item"], mapping["concept"])
        if key in seen:
            issues.append(Issue(f"/mappings/{index}", f"{key[0]} is mapped to {key[1]} twice"))
        seen.add(key)
        if items is not None and mapping["item"] not in items:
            issues.append(Issue(f"/mappings/{index}/item", f"{doc['framework']} has no item {mapping['item']!r}"))
    return issues


def load_crosswalk(source: str | Path | bytes | dict[str, Any], *, catalog: Catalog | None = None) -> Crosswalk:
    """Read and check a crosswalk (a YAML/JSON path, bytes, or a parsed mapping).

    Raises :class:`silkcore.SchemaValidationError` (with JSON Pointers) when it breaks the schema,
    repeats a mapping or names an item its framework does not have.
    """
    catalog = catalog or get_catalog()
    doc = load_document(source, registry=catalog.schemas)
    if not isinstance(doc, dict) or doc.get("schema") != CROSSWALK_SCHEMA:
        raise SchemaValidationError([Issue("/schema", f"expected a {CROSSWALK_SCHEMA} document")])
    issues = _issues(doc, catalog)
    if issues:
        name = str(source) if isinstance(source, str | Path) else None
        raise SchemaValidationError([i.located(name) for i in issues])
    return Crosswalk(
        id=doc["crosswalk"],
        framework=doc["framework"],
        scheme=doc["scheme"],
        mappings=tuple(ConceptMapping(**m) for m in doc["mappings"]),
        concepts={code: dict(entry["label"]) for code, entry in doc.get("concepts", {}).items()},
        framework_version=doc.get("framework_version"),
        source=doc.get("source"),
    )


def shipped_crosswalks(*, catalog: Catalog | None = None) -> list[Crosswalk]:
    """The crosswalks this plugin ships (Tool 2 and Tool 3 to the SDGs), sorted by id."""
    found = [load_crosswalk(path, catalog=catalog) for path in sorted(CROSSWALK_DIR.glob("*.yaml"))]
    return sorted(found, key=lambda c: c.id)


def crosswalks_for(
    framework_id: str, scheme: str, *, extra: Sequence[Crosswalk] = (), catalog: Catalog | None = None
) -> list[Crosswalk]:
    """The shipped and ``extra`` crosswalks from ``framework_id`` to ``scheme``."""
    every = [*shipped_crosswalks(catalog=catalog), *extra]
    return [c for c in every if c.framework == framework_id and c.scheme.casefold() == scheme.casefold()]

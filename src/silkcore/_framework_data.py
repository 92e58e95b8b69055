"""Loading frameworks from data files, resolving their scales, and hashing them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import attrs

from ._convert import unstructure
from ._errors import Issue, SchemaValidationError, SilkError
from ._framework import ChangeOp, Framework
from ._frameworks_check import framework_issues
from ._jsonio import DEFAULT_LIMITS, Limits
from ._objcache import PerObject
from ._schemas import SchemaRegistry

__all__ = [
    "document_schema",
    "framework_document",
    "framework_hash",
    "framework_problems",
    "load_framework",
    "load_plugin_framework",
]


def load_framework(
    source: str | Path | bytes | dict[str, Any], *, registry: SchemaRegistry | None = None, limits: Limits = DEFAULT_LIMITS
) -> Framework:
    """Read a framework from a YAML/JSON file, bytes or a mapping, fully checked, under
    ``limits`` (default: the ``SILKCORE_MAX_*`` ones).

    Raises :class:`~silkcore._errors.SchemaValidationError` (with JSON Pointers) when the
    document breaks the framework schema or its cross-references.
    """
    from ._documents import load_document  # which imports the scoring plan, which imports this module

    framework = load_document(source, registry=registry, limits=limits)
    if not isinstance(framework, Framework):
        named = f"{source}: " if isinstance(source, str | Path) else ""  # the file a user gave, named
        raise SchemaValidationError([], f"{named}expected a framework document, got {type(framework).__name__}")
    return framework


def load_plugin_framework(path: Path, *, registry: SchemaRegistry | None = None) -> Framework:
    """A framework file a plugin ships, read through its compiled form when that is current
    (:func:`~silkcore._plugin_data.read_plugin_data`) and checked in full like any other. A
    file with anything to say against it is read again from itself, so the messages give its
    lines and columns."""
    from ._documents import check
    from ._plugin_data import PLUGIN_DATA_LIMITS, read_plugin_data

    try:
        framework, issues = check(read_plugin_data(path), registry=registry, explain="rs")
        if not issues and isinstance(framework, Framework):
            return framework
    except SilkError:
        pass  # said again below, placed in the file
    return load_framework(path, registry=registry, limits=PLUGIN_DATA_LIMITS)


def framework_problems(framework: Framework, registry: SchemaRegistry | None = None) -> list[Issue]:
    """Every way a framework built in Python falls short of one read from a file, or ``[]``:
    its document (as exchanged, scales resolved) against the framework schema, then the
    checks a schema cannot express, run on the entity as it is. The entity is never rebuilt
    from that document: a framework is built once (a file's by :func:`load_framework`)."""
    from ._documents import default_registry

    issues = (registry or default_registry()).validate(framework_document(framework))
    return issues or framework_issues(framework)


def framework_document(framework: Framework) -> dict[str, Any]:
    """The framework as exchanged: every item carries its options (scales resolved) and
    whether it is scored, so a reader needs nothing else to interpret an answer."""
    items = []
    for item in framework.items:
        resolved = attrs.evolve(item, scale=None, options=framework.options_of(item), scored=framework.is_scored(item))
        items.append(resolved)
    changes = framework.changes
    if changes is not None:  # a resolved item no longer names its scale: a scale change names its items
        users = {
            c.scale: tuple(i.id for i in framework.items if i.scale == c.scale)
            for c in changes.operations
            if c.op == ChangeOp.SCALE and not c.items
        }
        operations = tuple(attrs.evolve(c, items=users[c.scale]) if users.get(c.scale) else c for c in changes.operations)
        changes = attrs.evolve(changes, operations=operations)
    doc = unstructure(attrs.evolve(framework, items=tuple(items), changes=changes))
    full_policy = {f.name: unstructure(getattr(framework.scoring, f.name)) for f in attrs.fields(type(framework.scoring))}
    doc["scoring"] = full_policy
    return {"schema": document_schema(framework), **doc}


#: The schema a framework without declared changes is written under: 1.2 only adds
#: ``changes``, so such a framework keeps its 1.1 document - and its hash, which score cards
#: and histories already recorded - and readers that know only 1.1 still read it.
_BEFORE_CHANGES = "silkcore_framework-v1.1.0"


def document_schema(framework: Framework) -> str:
    """The oldest framework schema that holds ``framework``'s document."""
    return Framework.SCHEMA if framework.changes is not None else _BEFORE_CHANGES


def _hash_of(framework: Framework) -> str:
    canonical = json.dumps(framework_document(framework), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


_HASHES: PerObject[Framework, str] = PerObject(_hash_of)


def framework_hash(framework: Framework) -> str:
    """``sha256:`` of the canonical JSON of the resolved framework: score cards record it so a
    reader can tell exactly which content produced a score. Computed once per framework object
    (frameworks are frozen), since every score card of a batch needs it."""
    return _HASHES(framework)

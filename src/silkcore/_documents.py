"""The one path from bytes to entity, and back: parse strictly, validate, structure.

``load_document`` reads JSON (or YAML for framework files), checks it against the schema it
names in the local registry, applies the checks a schema cannot express (a flow's stated
direction, an envelope's payload), then builds the typed entity.
"""

from __future__ import annotations

import contextlib
import gc
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from pathlib import Path, PurePath
from typing import Any

from ._assessment import ResponseSet, ScoreCard
from ._case import Case, Policy
from ._convert import json_data_issues, source_issues, structure, unstructure
from ._errors import DataError, Issue, SchemaValidationError, SilkError, UnknownComponentError
from ._fastpath import FAST_BUILDERS, response_set_buildable
from ._framework import Framework
from ._frameworks_check import framework_issues
from ._jsonio import DEFAULT_LIMITS, Limits, load_yaml, loads
from ._locate import locate_issues
from ._model import Envelope, Flow, IndicatorDefinition, Measurement, Organisation, Strategy, shown
from ._objcache import PerObject
from ._response_check import CheckedAnswers, checked_answers
from ._schemas import SchemaRegistry
from ._scoring_index import scoring_plan

__all__ = [
    "DOCUMENT_TYPES",
    "answered_framework",
    "document_format",
    "FrameworkResolver",
    "check",
    "is_yaml_input",
    "dump_document",
    "read_documents",
    "load_document",
    "parse_bytes",
    "read_source",
    "to_document",
    "validate",
]

#: Entity class for each document schema shipped with silkcore.
DOCUMENT_TYPES: dict[str, type[Any]] = {
    cls.SCHEMA: cls
    for cls in (
        Organisation,
        Flow,
        Strategy,
        IndicatorDefinition,
        Measurement,
        Envelope,
        Framework,
        ResponseSet,
        ScoreCard,
        Case,
        Policy,
    )
}
# Older versions still read into the current entity (a MINOR version only adds optional fields).
DOCUMENT_TYPES["silkcore_framework-v1.0.0"] = Framework
DOCUMENT_TYPES["silkcore_framework-v1.1.0"] = Framework
DOCUMENT_TYPES["silkcore_envelope-v1.0.0"] = Envelope

Source = str | bytes | Path | dict[str, Any]

#: Finds the framework a response set answers, by id; raises
#: :class:`~silkcore._errors.UnknownComponentError` for an id it does not know. The catalog's
#: :meth:`~silkcore._catalog.Catalog.framework_resolver` makes one (with any framework files
#: the user gave); without one, response sets are checked against their schema only.
FrameworkResolver = Callable[[str], Framework]


@cache
def default_registry() -> SchemaRegistry:
    """A registry of the packaged schemas only (plugins' schemas come through the catalog)."""
    return SchemaRegistry()


def read_source(source: str | bytes | Path, limits: Limits = DEFAULT_LIMITS) -> tuple[bytes, str]:
    """Read a file path (``str`` or ``Path``; ``-`` is standard input) or take raw bytes;
    returns (bytes, display name). Input over ``limits.max_bytes`` is refused, never cut."""
    if isinstance(source, bytes):
        data, name = source, "<bytes>"
    elif str(source) == "-":
        data, name = sys.stdin.buffer.read(limits.max_bytes + 1), "<stdin>"
    else:
        name = str(source)
        try:
            with Path(source).open("rb") as handle:
                data = handle.read(limits.max_bytes + 1)
        except OSError as exc:
            raise DataError([Issue("", f"cannot read file: {exc.strerror or exc}", name)]) from None
    if len(data) > limits.max_bytes:
        limit = limits.max_bytes
        message = f"input of more than {limit} bytes exceeds the limit of {limit} bytes (SILKCORE_MAX_BYTES)"
        raise DataError([Issue("", message, name)])
    return data, name


#: The format each file name suffix says a document file holds.
_FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".jsonl": "jsonl"}


def document_format(name: str | Path) -> str | None:
    """What a file's name says it holds - ``"yaml"`` (``.yaml``/``.yml``), ``"json"`` or
    ``"jsonl"`` (JSON Lines) - or None for a name that says none. The one rule for a file a
    user names: its suffix in any case, since ``FW.YAML`` copied from a Windows share is
    still YAML (a case-sensitive test read it as JSON and reported "invalid JSON")."""
    return _FORMATS.get(Path(name).suffix.casefold())


def parse_bytes(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> Any:
    """Parse JSON, or YAML when the name says so (:func:`document_format`); unnamed input
    (``<bytes>``) is read as JSON when it starts with ``{`` or ``[``, as YAML otherwise."""
    if is_yaml_input(data, name):
        return load_yaml(data, source=name, limits=limits)
    return loads(data, source=name, limits=limits)


def is_yaml_input(data: bytes, name: str) -> bool:
    """Whether :func:`parse_bytes` reads ``data`` as YAML."""
    if name.startswith("<"):
        return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] not in (b"{", b"[")
    return document_format(name) == "yaml"


def semantic_issues(
    name: str,
    doc: dict[str, Any],
    entity: Any,
    registry: SchemaRegistry,
    frameworks: FrameworkResolver | None = None,
) -> list[Issue]:
    """The checks a schema cannot express, run on a schema-valid document and its entity:
    a flow's stated direction, a framework's soundness, an envelope's payload, and - given
    the frameworks to check against - a response set's items and values."""
    if isinstance(entity, Flow):  # first: flows come by the million
        issue = entity.direction_issue()
        return [Issue("/direction", issue)] if issue else []
    if name == ResponseSet.SCHEMA:  # the entity, or (untyped) the document it would be built from
        return [] if frameworks is None else _response_set_issues(doc, frameworks)
    if isinstance(entity, Framework):  # and, given its earlier version, its declared changes against it
        issues = framework_issues(entity)
        if issues or entity.changes is None:
            return issues
        from ._framework_changes import earlier_version_issues

        return earlier_version_issues(entity, frameworks)
    if name.startswith("silkcore_envelope-"):
        return _envelope_issues(doc, registry, frameworks)
    return []


def answered_framework(frameworks: FrameworkResolver, response_set: dict[str, Any]) -> Framework:
    """The framework a response set is checked and scored against: the version it answers when
    the resolver knows several (a :class:`~silkcore._catalog.FrameworkFinder`), else the one
    its id names. Raises :class:`UnknownComponentError` for an id the resolver does not know."""
    for_answers = getattr(frameworks, "for_answers", None)
    framework_id = response_set["framework_id"]
    if for_answers is None:
        return frameworks(framework_id)
    found: Framework = for_answers(framework_id, response_set["framework_version"])
    return found


def _response_set_issues(response_set: dict[str, Any], frameworks: FrameworkResolver) -> list[Issue]:
    checked = _checked_answers(response_set, frameworks)
    return checked if isinstance(checked, list) else checked.issues


def _checked_answers(response_set: dict[str, Any], frameworks: FrameworkResolver) -> CheckedAnswers | list[Issue]:
    """The set checked against the framework it answers, or the issue that it names none known."""
    try:
        framework = answered_framework(frameworks, response_set)
    except UnknownComponentError as exc:
        hint = f"; installed: {', '.join(exc.available)}" if exc.available else ""
        return [
            Issue(
                "/framework_id",
                f"unknown framework {response_set['framework_id']!r}{hint} (give its file with --framework FILE)",
            )
        ]
    return checked_answers(scoring_plan(framework), response_set)


def _untyped_response_set(doc: dict[str, Any], frameworks: FrameworkResolver | None) -> tuple[Any, list[Issue]] | None:
    """The verdict on a schema-valid response set without building its entity - or None when
    building it could fail, and the entity must be built to decide. Checked against its
    framework, whether it builds is looked at in the check's own pass over the answers."""
    if frameworks is None:
        return (doc, []) if response_set_buildable(doc) else None
    checked = _checked_answers(doc, frameworks)
    if isinstance(checked, list):  # no framework to check it against
        return (None, checked) if response_set_buildable(doc) else None
    if not checked.buildable:
        return None
    return (None, checked.issues) if checked.issues else (doc, [])


_REQUIRED = re.compile(r"^['\"](?P<key>[^'\"]+)['\"] is a required property$")


def _envelope_issues(doc: dict[str, Any], registry: SchemaRegistry, frameworks: FrameworkResolver | None) -> list[Issue]:
    """The payload must match ``payload_schema``; a required field may be missing only if
    ``redacted_fields`` says it was withheld on purpose."""
    payload = doc["payload"]
    payload_name = doc["payload_schema"]
    if payload.get("schema", payload_name) != payload_name:
        return [Issue("/payload/schema", f"payload names {payload.get('schema')!r} but payload_schema is {payload_name!r}")]
    redacted = set(doc["sharing"].get("redacted_fields", ()))
    inner = validate(payload, registry=registry, schema_name=payload_name, frameworks=frameworks)
    kept = []
    for issue in inner:
        match = _REQUIRED.match(issue.message)
        if match and "payload" + (issue.pointer + "/" + match["key"]).replace("/", ".") in redacted:
            continue
        kept.append(issue)
    return [Issue("/payload" + i.pointer, i.message) for i in kept]


def doc_without_schema(doc: dict[str, Any]) -> dict[str, Any]:
    """The document's fields without its ``schema`` key (entities do not store it)."""
    return {k: v for k, v in doc.items() if k != "schema"}


def check(
    doc: Any,
    *,
    registry: SchemaRegistry | None = None,
    schema_name: str | None = None,
    engine: str = "rs",
    explain: str = "python",
    frameworks: FrameworkResolver | None = None,
    typed: bool = True,
) -> tuple[Any, list[Issue]]:
    """The one verdict on a parsed document, and its entity: ``(entity, [])`` when the
    document is sound (the entity is the plain document for a plugin's own kinds),
    ``(None, issues)`` otherwise. Schema first, then the entity, then the checks a schema
    cannot express (with ``frameworks``, a response set against the framework it answers).
    Every surface - the API, each command, batch, the importers, the node - calls this.

    ``typed=False``: a response set's verdict without its entity, for a caller that scores
    the document (the batch). What building the entity would refuse is looked for in the
    document first (:func:`~silkcore._fastpath.response_set_buildable`); only a document
    that could fail it is built, so the verdict is the same. The document comes back in the
    entity's place."""
    registry = registry or default_registry()
    kinds = _kinds_of(registry)
    # A document naming a kind already met in this registry skips the name's checks: only a
    # name resolve_name accepted is ever in the table (the registry does not change).
    named = doc.get("schema") if schema_name is None and type(doc) is dict else None
    kind = kinds.get(named) if type(named) is str else None
    if kind is None:
        name, issues = registry.resolve_name(doc, schema_name)
        if name is None:
            return None, issues
        kind = kinds.get(name) or kinds.setdefault(name, _Kind(registry, name))
        if isinstance(doc, dict) and "schema" not in doc:
            doc = dict(doc, schema=name)
    # The compiled validator's verdict first (what registry.validate decides by, without its
    # second look at the name); only a document it refuses is explained.
    if engine != "rs" or not kind.is_valid(doc):
        issues = registry.validate(doc, kind.name, engine=engine, explain=explain)
        if issues:
            return None, issues
    if not typed and kind.is_response_set:
        verdict = _untyped_response_set(doc, frameworks)
        if verdict is not None:
            return verdict
    entity = kind.entity(doc)
    issues = semantic_issues(kind.name, doc, entity, registry, frameworks)
    return (None, issues) if issues else (entity, [])


class _Kind:
    """One kind of document as :func:`check` handles it, compiled once per registry: its
    name, its compiled validator, and how its entity is built."""

    __slots__ = ("cls", "fast", "is_response_set", "is_valid", "name")

    def __init__(self, registry: SchemaRegistry, name: str) -> None:
        self.name = name
        self.is_valid: Callable[[Any], bool] = registry.rs_validator(name).is_valid
        self.cls = DOCUMENT_TYPES.get(name)
        self.fast = FAST_BUILDERS.get(name)
        self.is_response_set = name == ResponseSet.SCHEMA

    def entity(self, doc: dict[str, Any]) -> Any:
        """The entity of a schema-valid document (the document itself for a plugin's kind)."""
        if self.fast is not None:
            # Flows and response sets (by the million in a batch) are built by hand: the schema
            # has already checked every key, type and value. Whatever the builder cannot build
            # (an entity's own check failing) the converter builds or explains, with a pointer.
            try:
                built = self.fast(doc)
            except Exception:  # the converter builds it, or says what is wrong
                built = None
            if built is not None:
                return built
        if self.cls is None:
            return doc
        with _collector_paused():
            return structure(doc_without_schema(doc), self.cls)


#: Each registry's kinds, compiled as documents name them.
_kinds_of: PerObject[SchemaRegistry, dict[str, _Kind]] = PerObject(lambda _registry: {})


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector held off while an entity is built.

    Building a large framework creates some hundred thousand objects, all of which stay
    alive; the collector, counting allocations, would walk the whole heap again and again
    to find no garbage, and validation would grow faster than the document
    (benchmarks/bench_graph_check.py: 17x the time for 10x the graph, 12x with this)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def validate(
    doc: Any,
    *,
    registry: SchemaRegistry | None = None,
    schema_name: str | None = None,
    engine: str = "rs",
    frameworks: FrameworkResolver | None = None,
) -> list[Issue]:
    """Every issue with a parsed document: the verdict of :func:`check`, without the entity."""
    try:
        return check(doc, registry=registry, schema_name=schema_name, engine=engine, frameworks=frameworks)[1]
    except DataError as exc:
        return list(exc.errors)


def to_document(entity: Any) -> dict[str, Any]:
    """The JSON value of an entity, with its ``schema`` key first.

    :raises DataError: for what is not an entity, or an entity built by hand with a value of
        the wrong type in it (a text where an enum member belongs, a float for an amount):
        the entities the converter builds are sound, but a constructor does not check
        every field's type.
    """
    schema = getattr(type(entity), "SCHEMA", None)
    if type(schema) is not str:
        message = f"expected an entity of a document kind (an Organisation, a Flow...), got {type(entity).__name__}"
        raise DataError([Issue("", message)])
    try:
        return {"schema": schema, **unstructure(entity)}
    except SilkError:
        raise
    except (AttributeError, TypeError, ValueError, ArithmeticError) as exc:
        raise DataError([Issue("", _unwritable(entity, exc))]) from None


def _unwritable(entity: Any, exc: BaseException) -> str:
    return f"this {type(entity).__name__} holds a value of the wrong type and cannot be written: {type(exc).__name__}: {exc}"


def load_document(
    source: Source,
    *,
    registry: SchemaRegistry | None = None,
    name: str | None = None,
    frameworks: FrameworkResolver | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Any:
    """Parse, validate and structure one document; raise a :class:`SilkError` naming every issue.

    ``source`` is a path, raw bytes, or an already parsed mapping, read under ``limits``
    (default: the ``SILKCORE_MAX_*`` ones).
    """
    registry = registry or default_registry()
    data: bytes | None = None
    # What the API is handed is untrusted too: a wrong kind of source, or a mapping that is not
    # JSON data (a set, a NaN, a non-string key...), is a DataError, never a TypeError from below.
    problems = source_issues(source) or (json_data_issues(source) if isinstance(source, dict) else [])
    if problems:
        raise DataError([i.located(name or ("<mapping>" if isinstance(source, dict) else "<input>")) for i in problems])
    if isinstance(source, dict):
        doc: Any = source
        display = name or "<mapping>"
    else:
        data, display = read_source(source, limits)
        display = name or display
        doc = parse_bytes(data, display, limits)
    try:
        entity, issues = check(doc, registry=registry, frameworks=frameworks)
    except DataError as exc:
        raise DataError(_placed(exc.errors, data, display)) from None
    if issues:
        raise SchemaValidationError(_placed(issues, data, display))
    return entity  # a plugin's own kind of document comes back as plain, validated data


def _placed(issues: Sequence[Issue], data: bytes | None, name: str) -> list[Issue]:
    """Issues naming the input and, when its text is at hand, the line and column."""
    if data is None:
        return [i.located(name) for i in issues]
    return locate_issues(issues, data, name, is_yaml=is_yaml_input(data, name))


def dump_document(entity: Any, *, indent: int | None = 2) -> str:
    """Serialise an entity as a JSON document naming its schema (``indent``: 2, or None for one
    line). :class:`DataError` for what :func:`to_document` refuses, and for a number JSON
    cannot hold (a NaN in an entity built by hand)."""
    from ._jsonio import dumps

    if indent not in (2, None):
        raise DataError([Issue("", f"indent must be 2 or None, not {indent!r}")])
    document = to_document(entity)
    try:
        return dumps(document, indent=indent)
    except (TypeError, ValueError) as exc:
        raise DataError([Issue("", _unwritable(entity, exc))]) from None


def read_documents(
    paths: Iterable[str | Path], *, registry: SchemaRegistry | None = None, frameworks: FrameworkResolver | None = None
) -> list[Any]:
    """Load every document from files: JSON or YAML (one document each) and JSON Lines (one
    document a line, each error naming its line). The one reader commands and plugins share.
    ``paths`` is a list of them, even of one: a single path (whose characters a loop would
    take for paths) is a :class:`DataError`."""
    from ._jsonio import iter_json_lines

    if isinstance(paths, str | bytes | PurePath) or not isinstance(paths, Iterable):
        raise DataError([Issue("", f"paths must be a list of file paths (one file: [path]), got {shown(paths)}")])
    registry = registry or default_registry()
    documents: list[Any] = []
    for item in paths:
        path = Path(item)
        if document_format(path) != "jsonl":
            documents.append(load_document(path, registry=registry, frameworks=frameworks))
            continue
        try:
            handle = path.open("rb")
        except OSError as exc:
            raise DataError([Issue("", f"cannot read file: {exc.strerror or exc}", str(path))]) from None
        with handle:
            for number, document in iter_json_lines(handle, source=str(path)):
                if isinstance(document, DataError):
                    raise document
                documents.append(load_document(document, registry=registry, name=f"{path}:{number}", frameworks=frameworks))
    return documents

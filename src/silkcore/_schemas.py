"""The local schema registry and the two validators.

Only schemas shipped in the package or registered by plugins are ever used: a document's
``schema`` value names one of them, and a ``$ref`` that points anywhere else is an error.
Neither validator is allowed to retrieve anything - no network, no ``file://`` reads.

jsonschema-rs gives the verdict (it is fast and its regex engine does not backtrack);
python-jsonschema explains a failure in detail. Tests keep the two in agreement. The
explainer lives in :mod:`silkcore._schema_explain` and is imported only when a document is
refused (or the python engine is asked for): a valid document never pays for it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections.abc import Iterable, Mapping
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema_rs

from ._errors import DuplicateRegistrationError, Issue, PluginError, UnknownComponentError
from ._jsonio import MAX_ISSUES
from ._locate import pointer_join
from ._rs_formats import FORMAT_PATTERNS, with_format_patterns

__all__ = ["SCHEMA_BASE", "SchemaRegistry", "packaged_schemas", "schema_name_of", "validate_against"]

#: The base of every built-in schema's ``$id``; switch it here and nowhere else.
SCHEMA_BASE = "https://w3id.org/silkcore/schemas/"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
_NAME = re.compile(r"^[a-z][a-z0-9_]{7,97}-v(\d+)\.(\d+)\.(\d+)$")


def schema_name_of(schema: Mapping[str, Any]) -> str:
    """The registry name of a schema: the last path segment of its ``$id``."""
    schema_id = schema.get("$id")
    if not isinstance(schema_id, str):
        raise PluginError("schema has no string $id")
    name = schema_id.rstrip("/").rsplit("/", 1)[-1]
    if not _NAME.match(name):
        raise PluginError(f"schema $id {schema_id!r} must end in a name like 'prefix_kind-v1.0.0'")
    return name


def _schema_dir() -> Path:
    packaged = resources.files("silkcore") / "schemas"
    if packaged.is_dir():
        return Path(str(packaged))
    # An editable install: the schemas live at the repository root, beside src/.
    return Path(__file__).resolve().parents[2] / "schemas"


def packaged_schemas() -> dict[str, dict[str, Any]]:
    """Every schema shipped with silkcore, by name (read from the package's data)."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(_schema_dir().glob("silkcore_*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        found[schema_name_of(schema)] = schema
    return found


# The same shapes jsonschema-rs is given, so both engines judge a date alike (ASCII digits only).
_DATE = re.compile(FORMAT_PATTERNS["date"])
_DATE_TIME = re.compile(FORMAT_PATTERNS["date-time"])


def _is_date(value: str) -> bool:
    """RFC 3339 full-date, checked strictly (jsonschema-rs alone lets a '*' pass for a digit)."""
    if not _DATE.fullmatch(value):
        return False
    try:
        return dt.date.fromisoformat(value).year >= 1
    except ValueError:
        return False


def _is_date_time(value: str) -> bool:
    """RFC 3339 date-time with a time zone, checked strictly."""
    if not _DATE_TIME.fullmatch(value) or not _is_date(value[:10]):
        return False
    try:
        dt.datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00").replace("t", "T"))
    except ValueError:
        return False
    return True


#: The formats silkcore's documents use, checked strictly: python-jsonschema calls these, and
#: jsonschema-rs gets the same verdicts from its own check plus a pattern (see rs_formats).
STRICT_FORMATS = {"date": _is_date, "date-time": _is_date_time}


_FORMAT_OF_PATTERN = {pattern: name for name, pattern in FORMAT_PATTERNS.items()}


def _reported(issues: Iterable[Issue]) -> list[Issue]:
    """A verdict's issues as reported: distinct, by pointer, at most ``MAX_ISSUES`` of them and
    then a line saying there were more (the explainers stop soon after: see their loops)."""
    ordered = sorted(set(issues), key=lambda i: (i.pointer, i.message))
    if len(ordered) <= MAX_ISSUES:
        return ordered
    return [*ordered[:MAX_ISSUES], Issue("", f"further problems are not listed: the report stops at {MAX_ISSUES}")]


def _rs_issues(errors: Iterable[Any]) -> list[Issue]:
    """jsonschema-rs errors as issues, a hundred and one at most (see ``MAX_ISSUES``); an
    unknown key is reported at its own pointer."""
    issues: list[Issue] = []
    for error in errors:
        if len(issues) > MAX_ISSUES:  # enough to report: a document can hold a million errors
            break
        path = list(error.instance_path)
        unexpected = getattr(error.kind, "unexpected", None)
        shape_of = _FORMAT_OF_PATTERN.get(str(getattr(error.kind, "pattern", "")))
        if unexpected:
            issues += [Issue(pointer_join([*path, key]), f"unknown key {key!r}") for key in unexpected]
        elif shape_of is not None:  # the pattern silkcore put beside a format: say what it checks
            # Worded like the format check's own message, so the two collapse into one issue.
            issues.append(Issue(pointer_join(path), _short(f'{json.dumps(error.instance)} is not a "{shape_of}"')))
        else:
            issues.append(Issue(pointer_join(path), _short(error.message)))
    return issues


def _short(message: str, limit: int = 500) -> str:
    """A message never repeats a huge offending value in full. Its start and its end are kept:
    validators quote the value first and say what is wrong with it last ("... is too long")."""
    if len(message) <= limit:
        return message
    keep = (limit - 40) // 2
    return f"{message[:keep]} ... ({len(message) - 2 * keep:,} characters left out) ... {message[-keep:]}"


class SchemaRegistry:
    """Every known schema by name, with both validators built lazily and reused."""

    def __init__(self, extra: Iterable[tuple[str, Mapping[str, Any]]] = ()) -> None:
        self._schemas: dict[str, dict[str, Any]] = packaged_schemas()
        self._owner: dict[str, str] = dict.fromkeys(self._schemas, "silkcore")
        for owner, schema in extra:
            self._add(owner, dict(schema))
        self._rs_validators: dict[str, Any] = {}
        self._py_validators: dict[str, Any] = {}
        self._compile_plugin_schemas()

    def _compile_plugin_schemas(self) -> None:
        """Compile every plugin schema now, so a bad ``$ref`` fails at registration, against
        its plugin - not later, in the middle of validating someone's document."""
        for name in [name for name, owner in self._owner.items() if owner != "silkcore"]:
            self.rs_validator(name)

    def _add(self, owner: str, schema: dict[str, Any]) -> None:
        name = schema_name_of(schema)
        schema_id = schema["$id"]
        if schema_id.startswith(SCHEMA_BASE) or name.startswith("silkcore_"):
            raise PluginError(
                f"plugin {owner!r} may not register {schema_id!r}: that name is reserved for silkcore", plugin_name=owner
            )
        if name in self._schemas:
            raise DuplicateRegistrationError("schema", name, self._owner[name], owner)
        if schema.get("$schema") != DIALECT:
            raise PluginError(f'schema {name!r} from {owner!r} must declare "$schema": {DIALECT!r}', plugin_name=owner)
        try:  # against the 2020-12 meta-schema; compiling it (below) catches a bad regex or $ref
            jsonschema_rs.meta.validate(schema)
        except jsonschema_rs.ValidationError as exc:
            where = pointer_join(list(exc.instance_path))
            raise PluginError(
                f"schema {name!r} from {owner!r} is not a valid JSON Schema: at {where or '/'}: {exc.message}",
                plugin_name=owner,
            ) from None
        self._schemas[name] = schema
        self._owner[name] = owner

    def names(self) -> list[str]:
        """All schema names, sorted."""
        return sorted(self._schemas)

    def owner(self, name: str) -> str:
        """Who registered a schema: ``silkcore`` or a plugin's name."""
        return self._owner[name]

    def schema(self, name: str) -> dict[str, Any]:
        """The schema document for ``name``; :class:`UnknownComponentError` if absent."""
        try:
            return self._schemas[name]
        except KeyError:
            raise UnknownComponentError("schema", name, self._schemas) from None

    @cached_property
    def _referencing(self) -> Any:
        from ._schema_explain import local_registry

        return local_registry((s["$id"], s) for s in self._schemas.values())

    @cached_property
    def _rs_registry(self) -> Any:
        return jsonschema_rs.Registry([(s["$id"], with_format_patterns(s)) for s in self._schemas.values()])

    def rs_validator(self, name: str) -> Any:
        """The jsonschema-rs validator for ``name`` (offline, format assertion on)."""
        validator = self._rs_validators.get(name)
        if validator is None:
            try:
                validator = jsonschema_rs.Draft202012Validator(
                    with_format_patterns(self.schema(name)), validate_formats=True, registry=self._rs_registry, offline=True
                )
            except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError, ValueError) as exc:
                raise PluginError(
                    f"schema {name!r} from {self._owner.get(name)!r} cannot be compiled: {exc}", plugin_name=self._owner.get(name)
                ) from None
            self._rs_validators[name] = validator
        return validator

    def python_validator(self, name: str) -> Any:
        """The python-jsonschema validator for ``name`` (local registry, format assertion on)."""
        validator = self._py_validators.get(name)
        if validator is None:
            from ._schema_explain import python_validator

            validator = python_validator(self.schema(name), self._referencing)
            self._py_validators[name] = validator
        return validator

    def resolve_name(self, instance: Any, schema_name: str | None = None) -> tuple[str | None, list[Issue]]:
        """Which schema a document names, or an issue saying why it names none we know."""
        if schema_name is None:
            if not isinstance(instance, dict):
                return None, [Issue("", 'expected a JSON object with a "schema" key naming its silkcore schema')]
            schema_name = instance.get("schema")
            if not isinstance(schema_name, str):
                return None, [Issue("/schema", 'missing "schema": expected the name of a schema such as "silkcore_flow-v1.0.0"')]
        if schema_name in self._schemas and "schema" not in self._schemas[schema_name].get("properties", {}):
            return None, [Issue("/schema", f"{schema_name!r} holds shared definitions, not a kind of document")]
        if schema_name not in self._schemas:
            shown = schema_name if len(schema_name) <= 120 else schema_name[:117] + "..."
            return None, [
                Issue(
                    "/schema",
                    f"unknown schema {shown!r}: only names in the local registry are accepted "
                    f"(nothing is fetched); expected one of: {', '.join(self.names())}",
                )
            ]
        return schema_name, []

    def validate(
        self, instance: Any, schema_name: str | None = None, *, engine: str = "rs", explain: str = "python"
    ) -> list[Issue]:
        """Validate ``instance`` against the schema it names (or ``schema_name``).

        ``engine="rs"`` decides with jsonschema-rs; ``engine="python"`` uses python-jsonschema
        alone. A failure is explained by python-jsonschema (the most detailed messages) or,
        with ``explain="rs"``, by jsonschema-rs (about a hundred times faster: what batches
        use, where one line in a hundred may be bad). Returns issues sorted by pointer.
        """
        name, issues = self.resolve_name(instance, schema_name)
        if name is None:
            return issues
        if engine == "rs":
            rs = self.rs_validator(name)
            if rs.is_valid(instance):
                return []
            # Plugin schemas are explained by jsonschema-rs too: Python's backtracking regex
            # engine could take exponential time on a hostile pattern, Rust's cannot.
            if explain == "rs" or self._owner.get(name) != "silkcore":
                return _reported(_rs_issues(rs.iter_errors(instance)))
        issues = self._explain(name, instance)
        if not issues and engine == "rs":
            # python-jsonschema found nothing: fall back to the Rust errors rather than hide the failure.
            errors = itertools.islice(self.rs_validator(name).iter_errors(instance), MAX_ISSUES + 1)
            issues = [Issue(pointer_join(list(e.instance_path)), e.message) for e in errors]
        return _reported(issues)

    def _explain(self, name: str, instance: Any) -> list[Issue]:
        from ._schema_explain import explain

        return explain(self.python_validator(name), name, instance)


def validate_against(
    schema: Any, instance: Any, *, engine: str = "rs", resources: Iterable[tuple[str, Any]] = (), formats: bool = True
) -> bool:
    """Whether ``instance`` is valid against an arbitrary ``schema`` with silkcore's settings:
    Draft 2020-12, offline, references resolved only among ``resources`` (URI, schema).

    Used to run the official JSON Schema Test Suite through the same layer as documents. A
    schema that cannot be applied (an unresolvable reference, a regex the engine lacks)
    raises :class:`~silkcore._errors.SchemaValidationError`, never a raw library error.
    """
    from ._errors import SchemaValidationError

    pairs = list(resources)
    try:
        if engine == "rs":
            registry = jsonschema_rs.Registry(pairs) if pairs else None
            validator = jsonschema_rs.Draft202012Validator(schema, validate_formats=formats, registry=registry, offline=True)
            return bool(validator.is_valid(instance))
        from ._schema_explain import ApplyErrors, local_registry, python_validator

        try:
            return bool(python_validator(schema, local_registry(pairs), formats=formats).is_valid(instance))
        except ApplyErrors as exc:
            raise SchemaValidationError([Issue("", f"schema cannot be applied: {type(exc).__name__}: {exc}")]) from None
    except (
        jsonschema_rs.ValidationError,
        jsonschema_rs.ReferencingError,
        re.error,
        RecursionError,
        OverflowError,
        ValueError,
        TypeError,
    ) as exc:
        raise SchemaValidationError([Issue("", f"schema cannot be applied: {type(exc).__name__}: {exc}")]) from None

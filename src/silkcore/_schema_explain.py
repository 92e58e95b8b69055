"""python-jsonschema, the explainer: detailed messages for a document jsonschema-rs refused.

Kept apart from :mod:`silkcore._schemas` because python-jsonschema (with ``referencing``,
``rfc3986`` and its format checkers) costs about a third of a command's start-up, and only a
refused document - or the ``python`` engine asked for by name - needs it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from typing import Any

import jsonschema
import jsonschema.exceptions
import jsonschema.validators
import jsonschema_rs
import referencing
import referencing.exceptions
from referencing.jsonschema import DRAFT202012

from ._errors import Issue
from ._jsonio import MAX_ISSUES
from ._locate import pointer_join
from ._schemas import _short as short_message

__all__ = ["ApplyErrors", "PythonValidator", "explain", "local_registry", "python_validator"]


def _python_issues(error: jsonschema.exceptions.ValidationError) -> list[Issue]:
    """Turn one python-jsonschema error into issues pointing at the offending value."""
    path = list(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(error.schema.get("properties", {}))
        extras = [k for k in error.instance if k not in error.schema.get("properties", {})]
        hint = f"; expected only: {', '.join(allowed)}" if allowed else ""
        return [Issue(pointer_join([*path, key]), f"unknown key {key!r}{hint}") for key in extras]
    if error.context:
        best = jsonschema.exceptions.best_match(error.context)
        if best is not None and len(best.absolute_path) >= len(error.absolute_path):
            deeper = _python_issues(best)
            if deeper:
                return deeper
    return [Issue(pointer_join(path), short_message(error.message))]


@lru_cache(maxsize=4096)
def _ecma_regex(pattern: str) -> Any:
    """A matcher with ECMA-262 semantics, in linear time: jsonschema-rs's regex engine."""
    return jsonschema_rs.Draft202012Validator({"pattern": pattern})


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[jsonschema.exceptions.ValidationError]:
    if validator.is_type(instance, "string") and not _ecma_regex(pattern).is_valid(instance):
        yield jsonschema.exceptions.ValidationError(f"{short_message(repr(instance), 200)} does not match {pattern!r}")


def _pattern_properties(validator: Any, patterns: Any, instance: Any, schema: Any) -> Iterator[Any]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        matcher = _ecma_regex(pattern)
        for key, value in instance.items():
            if matcher.is_valid(key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


#: python-jsonschema with ECMA-262 patterns, as the specification says: Python's ``re`` lets
#: ``$`` match before a final newline ("FR\n" passed ``^[A-Z]{2}$``) and backtracks exponentially.
PythonValidator: Any = jsonschema.validators.extend(
    jsonschema.Draft202012Validator, {"pattern": _pattern, "patternProperties": _pattern_properties}
)

#: What applying a schema with python-jsonschema can raise besides a verdict.
ApplyErrors: tuple[type[BaseException], ...] = (
    referencing.exceptions.Unresolvable,
    jsonschema.exceptions._WrappedReferencingError,
    jsonschema.exceptions.SchemaError,
)


def local_registry(resources: Iterable[tuple[str, Mapping[str, Any]]]) -> referencing.Registry[Any]:
    """A ``referencing`` registry of exactly these (URI, schema) pairs: nothing is ever fetched."""
    registry: referencing.Registry[Any] = referencing.Registry().with_resources(
        (uri, DRAFT202012.create_resource(schema)) for uri, schema in resources
    )
    return registry.crawl()  # no retrieve=: an unknown reference is an error, never a download


def python_validator(schema: Mapping[str, Any], registry: referencing.Registry[Any], *, formats: bool = True) -> Any:
    """python-jsonschema for ``schema`` with ECMA-262 patterns and (by default) format assertion."""
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER if formats else None
    return PythonValidator(schema, registry=registry, format_checker=checker)


def explain(validator: Any, name: str, instance: Any) -> list[Issue]:
    """The issues python-jsonschema finds with ``instance``, a hundred and one at most (see
    :data:`~silkcore._jsonio.MAX_ISSUES`); a schema it cannot apply is an issue too."""
    issues: list[Issue] = []
    try:
        for error in validator.iter_errors(instance):
            issues.extend(_python_issues(error))
            if len(issues) > MAX_ISSUES:  # enough to report: the rest would cost ~100 us each, unread
                break
    except (referencing.exceptions.Unresolvable, jsonschema.exceptions._WrappedReferencingError) as exc:
        issues.append(Issue("", f"schema {name!r} has a reference outside the local registry: {exc}"))
    except (re.error, RecursionError, OverflowError) as exc:
        issues.append(Issue("", f"schema {name!r} could not be applied by python-jsonschema: {type(exc).__name__}: {exc}"))
    except ValueError:
        # Writing its message failed: an integer of more than 4,300 digits (a Python mapping
        # may hold one; the strict reader refuses it) cannot be shown. The caller then
        # explains with jsonschema-rs, which names the same place.
        return []
    return issues

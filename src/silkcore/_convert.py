"""The one converter between JSON values and silkcore entities.

Rules (each one guards against a way two platforms could read the same document differently):

* unknown keys are refused (``forbid_extra_keys``);
* no coercion: ``5`` is not ``"5"``, ``true`` is not ``1``, a float is not an int;
* exact decimals (money, quantities, measurements) travel as strings and become ``Decimal``;
  a JSON number there is refused, so no binary float ever touches money;
* dates and date-times are ISO 8601 strings; enums travel as their code;
* optional values left at their default are omitted on output, so documents stay small
  and a round trip gives back an equal entity.

Errors are reported as :class:`~silkcore._errors.Issue` objects with JSON Pointers.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal, InvalidOperation
from enum import Enum, StrEnum
from functools import cache
from operator import attrgetter
from typing import Any, TypeVar

import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError
from cattrs.fns import identity
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from ._assessment import AnswerValue
from ._errors import DataError, Issue
from ._framework import ApplicabilityRule, Condition, ConditionValue, Edge, OptionValue
from ._jsonio import DEFAULT_LIMITS, MAX_ISSUES, Limits, string_issue
from ._locate import pointer_join
from ._model import shown

__all__ = [
    "answer_value",
    "json_data_issues",
    "make_converter",
    "parse_datetime",
    "source_issues",
    "structure",
    "unstructure",
]

T = TypeVar("T")


def _type_name(value: Any) -> str:
    return {bool: "boolean", int: "integer", float: "number", str: "string", list: "array", dict: "object"}.get(
        type(value), type(value).__name__
    )


def _expect(value: Any, wanted: str) -> TypeError:
    return TypeError(f"expected {wanted}, got {_type_name(value)} {value!r:.60}")


def _str(value: Any, _: type) -> str:
    if type(value) is not str:
        raise _expect(value, "a string")
    return value


def _int(value: Any, _: type) -> int:
    if type(value) is not int:
        raise _expect(value, "an integer")
    return value


def _float(value: Any, _: type) -> float:
    if type(value) not in (int, float):
        raise _expect(value, "a number")
    return float(value)


def _bool(value: Any, _: type) -> bool:
    if type(value) is not bool:
        raise _expect(value, "true or false")
    return value


def _decimal(value: Any, _: type) -> Decimal:
    if type(value) is not str:
        raise _expect(value, 'a decimal number written as a string, e.g. "12.50"')
    try:
        result = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"expected a decimal number written as a string, got {value!r:.60}") from None
    if not result.is_finite():
        raise ValueError(f"expected a finite decimal, got {value!r:.60}")
    return result


def _date(value: Any, _: type) -> dt.date:
    if type(value) is not str:
        raise _expect(value, "a date string (YYYY-MM-DD)")
    return dt.date.fromisoformat(value)


def parse_datetime(value: Any, _: type) -> dt.datetime:
    """An RFC 3339 date-time with a time zone (the converter's rule, shared with the fast path)."""
    if type(value) is not str:
        raise _expect(value, "a date-time string (RFC 3339)")
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"expected a date-time with a time zone, got {value!r}")
    return parsed


def _unstructure_datetime(value: dt.datetime) -> str:
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _scalar(value: Any, allowed: tuple[type, ...], wanted: str) -> Any:
    if type(value) not in allowed:
        raise _expect(value, wanted)
    return value


def answer_value(value: Any, _: Any = None) -> Any:
    """An answer value: a scalar, or a list of strings and integers made a tuple."""
    if type(value) is list:
        return tuple(_scalar(v, (str, int), "a string or integer in the list") for v in value)
    return _scalar(value, (str, bool, int, float), "a string, number, boolean or list of strings")


def _structure_rule(converter: cattrs.Converter) -> Any:
    def structure_rule(value: Any, _: type) -> ApplicabilityRule:
        if type(value) is not dict or len(value) != 1 or next(iter(value)) not in ("all", "any"):
            raise ValueError("expected an object with exactly one key, 'all' or 'any'")
        mode, conditions = next(iter(value.items()))
        return ApplicabilityRule(mode, converter.structure(conditions, tuple[Condition, ...]))

    return structure_rule


_OPTIONAL_SCALARS = (str | None, int | None, float | None, bool | None)


def make_converter(*, detailed: bool = True) -> cattrs.Converter:
    """A new converter configured with every rule above (the global cattrs one is never used)."""
    converter = cattrs.Converter(forbid_extra_keys=True, omit_if_default=True, detailed_validation=detailed)
    for kind, hook in ((str, _str), (int, _int), (float, _float), (bool, _bool), (Decimal, _decimal)):
        converter.register_structure_hook(kind, hook)
    converter.register_structure_hook(dt.date, _date)
    converter.register_structure_hook(dt.datetime, parse_datetime)
    converter.register_unstructure_hook(Decimal, lambda d: format(d, "f"))
    converter.register_unstructure_hook(dt.date, lambda d: d.isoformat())
    converter.register_unstructure_hook(dt.datetime, _unstructure_datetime)

    def structure_enum(value: Any, enum_type: type[Enum]) -> Enum:
        if type(value) is not str:
            raise _expect(value, f"one of {', '.join(repr(m.value) for m in enum_type)}")
        return enum_type(value)

    # Class hooks dispatch on the MRO, so StrEnum (earlier than str in an enum's MRO) needs its own.
    converter.register_structure_hook(StrEnum, structure_enum)
    # A member's code: ``_value_`` is a plain attribute, ``.value`` a property (slower, and a
    # score card writes a status per item).
    converter.register_unstructure_hook(StrEnum, attrgetter("_value_"))
    # An optional string, number or boolean is written as it is: with the identity hook the
    # generated functions read the attribute inline instead of dispatching on its type per
    # value, which makes writing a score card (a trace entry per item) 1.7x faster.
    converter.register_unstructure_hook_func(lambda t: t in _OPTIONAL_SCALARS, identity)
    answer = lambda value, _: answer_value(value, _)  # noqa: E731
    converter.register_structure_hook_func(lambda t: t == AnswerValue, answer)
    converter.register_structure_hook_func(lambda t: t == AnswerValue | None, answer)
    converter.register_unstructure_hook_func(
        lambda t: t in (AnswerValue, AnswerValue | None), lambda v: list(v) if isinstance(v, tuple) else v
    )
    option = lambda value, _: _scalar(value, (str, bool, int), "a string, integer or boolean")  # noqa: E731
    converter.register_structure_hook_func(lambda t: t in (OptionValue, OptionValue | None), option)
    condition = lambda value, _: _scalar(value, (str, bool, int, float), "a string, number or boolean")  # noqa: E731
    converter.register_structure_hook_func(lambda t: t in (ConditionValue, ConditionValue | None), condition)
    converter.register_structure_hook(ApplicabilityRule, _structure_rule(converter))
    # Registered before the Edge hooks below, which are generated now and would otherwise
    # bake in attrs' default shape for a rule ({"mode", "conditions"}).
    converter.register_unstructure_hook(
        ApplicabilityRule, lambda r: {r.mode: [converter.unstructure(c, Condition) for c in r.conditions]}
    )
    # "from" is a Python keyword: the Edge attribute is from_, the document key stays "from".
    converter.register_structure_hook(
        Edge, make_dict_structure_fn(Edge, converter, _cattrs_forbid_extra_keys=True, from_=override(rename="from"))
    )
    converter.register_unstructure_hook(
        Edge, make_dict_unstructure_fn(Edge, converter, _cattrs_omit_if_default=True, from_=override(rename="from"))
    )
    return converter


def _issues_from(exc: BaseException, path: tuple[str | int, ...]) -> list[Issue]:
    """Flatten cattrs' exception groups into issues, reading the path from their notes. An
    entity's own check (a :class:`DataError` from its constructor, pointing at its field) is
    placed under the entity's path: ``/responses/3`` + ``/confidence``."""
    if isinstance(exc, DataError):
        return [Issue(pointer_join(path) + issue.pointer, issue.message) for issue in exc.errors]
    if isinstance(exc, ForbiddenExtraKeysError):
        return [Issue(pointer_join((*path, key)), f"unknown key {key!r}") for key in sorted(exc.extra_fields)]
    if isinstance(exc, ClassValidationError | IterableValidationError):
        issues: list[Issue] = []
        for inner in exc.exceptions:
            step: tuple[str | int, ...] = ()
            for note in getattr(inner, "__notes__", ()):
                if hasattr(note, "name"):
                    step = (note.name,)
                elif hasattr(note, "index"):
                    step = (note.index,)
            issues.extend(_issues_from(inner, (*path, *step)))
        return issues
    if isinstance(exc, KeyError):
        return [Issue(pointer_join(path), "missing required value")]
    return [Issue(pointer_join(path), str(exc) or type(exc).__name__)]


def json_data_issues(value: Any, limits: Limits = DEFAULT_LIMITS) -> list[Issue]:
    """Every way ``value`` - a document handed over as Python data rather than read by the
    strict reader - is not JSON data within the reader's rules, each at its JSON Pointer:
    a type JSON has no word for (a tuple, a set, bytes, a date, an enum member, a Path...),
    a key that is not a string, an integer longer than ``limits.max_int_digits`` digits, a
    NaN or infinite float, a NUL or lone surrogate in a string or key, nesting deeper than
    ``limits.max_depth``. Empty when the value could have come out of the strict reader.

    Iterative (the depth limit is what guards recursion), stops after ``MAX_ISSUES``."""
    issues: list[Issue] = []
    bound = 10**limits.max_int_digits
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, ())]
    while stack and len(issues) < MAX_ISSUES:
        node, path = stack.pop()
        kind = type(node)
        if kind is str:
            problem = string_issue(node)
            if problem:
                issues.append(Issue(pointer_join(path), problem))
        elif kind is int:
            if not -bound < node < bound:
                issues.append(Issue(pointer_join(path), f"integer out of range; at most {limits.max_int_digits} digits"))
        elif kind is float:
            if not -_INF < node < _INF:
                issues.append(Issue(pointer_join(path), "non-finite number; expected a finite number"))
        elif kind is bool or node is None:
            pass
        elif isinstance(node, dict | list):
            if len(path) >= limits.max_depth:
                issues.append(Issue(pointer_join(path), f"nesting deeper than {limits.max_depth} levels"))
                continue
            children: list[tuple[Any, tuple[str | int, ...]]] = []
            if isinstance(node, list):
                children = [(child, (*path, i)) for i, child in enumerate(node)]
            else:
                for key, child in node.items():
                    if type(key) is not str:
                        issues.append(Issue(pointer_join(path), f"key {shown(key)} is not a string; JSON keys are strings"))
                        continue
                    problem = string_issue(key)
                    if problem:
                        issues.append(Issue(pointer_join((*path, key)), f"in key: {problem}"))
                    children.append((child, (*path, key)))
            stack.extend(reversed(children))  # popped in document order
        else:
            issues.append(
                Issue(
                    pointer_join(path),
                    f"{shown(node)} is not JSON data; expected an object, array, string, number, boolean or null",
                )
            )
    if stack and len(issues) >= MAX_ISSUES:
        issues.append(Issue("", f"further problems are not listed: the report stops at {MAX_ISSUES}"))
    return issues


_INF = float("inf")


def source_issues(source: Any) -> list[Issue]:
    """Why ``source`` cannot be where a document comes from, or ``[]``: a document is read
    from ``bytes``, a file path (``str`` or ``os.PathLike``) naming no NUL or lone surrogate,
    or taken as a mapping already parsed (then check it with :func:`json_data_issues`)."""
    if isinstance(source, bytes | dict):
        return []
    if isinstance(source, os.PathLike):
        try:
            source = os.fspath(source)
        except Exception as exc:  # a foreign PathLike may raise anything
            return [Issue("", f"a path that cannot be read: {type(exc).__name__}")]
    if isinstance(source, bytes):
        return [] if b"\x00" not in source else [Issue("", "a file path with a NUL character")]
    if isinstance(source, str):
        problem = string_issue(source)
        return [Issue("", f"a file path with a {problem.split(' in text')[0]}")] if problem else []
    return [
        Issue(
            "",
            f"expected a document as bytes, a file path (str or Path) or a parsed mapping, got {shown(source)}",
        )
    ]


@cache
def default_converter() -> cattrs.Converter:
    """The shared converter instance (built once; converters are safe to reuse)."""
    return make_converter()


def structure(data: Any, cls: type[T], *, converter: cattrs.Converter | None = None) -> T:
    """Build an entity from JSON values; :class:`DataError` with pointers if it does not fit."""
    try:
        return (converter or default_converter()).structure(data, cls)
    except (cattrs.BaseValidationError, TypeError, ValueError, KeyError) as exc:
        raise DataError(_issues_from(exc, ())) from None


def unstructure(entity: Any, *, converter: cattrs.Converter | None = None) -> Any:
    """Turn an entity into JSON values (the inverse of :func:`structure`)."""
    return (converter or default_converter()).unstructure(entity)

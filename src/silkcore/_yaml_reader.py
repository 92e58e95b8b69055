"""silkcore's strict YAML reader: libyaml's parser (when installed) under constructors that refuse
tags, aliases and duplicate keys and bound every number, then the checks JSON data gets.

In a module of its own so that PyYAML is imported only by the first YAML read: a command
that reads JSON alone (``silk batch``, ``silk validate doc.json``, a plugin's data read
through its compiled form) never loads it. :func:`silkcore._jsonio.parse_yaml` is the entry.
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any

import yaml

from ._errors import DataError, Issue
from ._jsonio import DEFAULT_LIMITS, MAX_ISSUES, Limits, _Bad, _decode, _position, check_tree
from ._locate import pointer_join

__all__ = ["read_yaml"]


_YamlBase: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~7x faster

#: How YAML writes integers in other bases (``0o`` only with an explicit ``!!int`` tag).
_INT_PREFIXES = {"0b": 2, "0o": 8, "0x": 16}
_BASE_NAMES = {2: "binary", 8: "octal", 10: "decimal", 16: "hexadecimal"}
_BASE_DIGITS = {base: re.compile(f"[{chars}]+") for base, chars in ((2, "01"), (8, "0-7"), (10, "0-9"), (16, "0-9a-fA-F"))}
_SEXAGESIMAL_PART = re.compile("[0-9]{1,2}")
_LOG10_60 = math.log10(60)


@functools.cache
def _digits_in_base(decimal_digits: int, base: int) -> int:
    """How many digits in ``base`` the largest integer of ``decimal_digits`` decimal digits needs."""
    if base == 10:
        return decimal_digits
    return len(format(10**decimal_digits - 1, {2: "b", 8: "o", 16: "x"}[base]))


class _StrictYamlLoader(_YamlBase):  # type: ignore[misc]
    """Safe YAML without aliases (no billion-laughs) and with duplicate keys refused.

    Numbers are read under the same limits as JSON, and their length is checked before any
    conversion: an integer (in any base, or sexagesimal ``1:30:00``) with more digits than a
    ``max_int_digits``-digit decimal, or a float longer than ``max_float_chars``, becomes a
    marker that :func:`load_yaml` reports with its line and column. So the work per number is
    bounded, and parsing stays linear in the size of the input.
    """

    limits: Limits = DEFAULT_LIMITS

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        # An alias is the same node met twice: refuse it before it is shared.
        if node in self.constructed_objects or node in self.recursive_objects:
            raise yaml.constructor.ConstructorError(None, None, "YAML aliases are not allowed", node.start_mark)
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}; keys must be unique", key_node.start_mark
                )
            seen.add(key)
        # The keys were built above; forget them so building the mapping does not see "aliases".
        for key_node, _ in node.value:
            self.constructed_objects.pop(key_node, None)
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping

    @staticmethod
    def _bad(node: Any, message: str) -> _Bad:
        mark = node.start_mark
        return _Bad(message, mark.line + 1, mark.column + 1)

    def construct_strict_int(self, node: Any) -> int | _Bad:
        """An integer in decimal, ``0b`` binary, ``0``/``0o`` octal, ``0x`` hexadecimal or
        sexagesimal form, its digits counted before it is converted."""
        text = str(self.construct_scalar(node))
        value = text.replace("_", "")
        sign = -1 if value[:1] == "-" else 1
        value = value[1:] if value[:1] in ("+", "-") else value
        limit = self.limits.max_int_digits
        if ":" in value:
            return self._sexagesimal(node, text, value, sign)
        if value[:2].lower() in _INT_PREFIXES:
            base, digits = _INT_PREFIXES[value[:2].lower()], value[2:]
        elif len(value) > 1 and value[0] == "0":
            base, digits = 8, value[1:]
        else:
            base, digits = 10, value
        if not _BASE_DIGITS[base].fullmatch(digits):
            return self._bad(node, f"{text[:40]!r} is not an integer")
        significant = digits.lstrip("0")
        allowed = _digits_in_base(limit, base)
        if len(significant) > allowed:
            if base == 10:
                return self._bad(node, f"integer with {len(significant)} digits is out of range; at most {limit} digits")
            name = _BASE_NAMES[base]
            return self._bad(
                node,
                f"integer with {len(significant)} {name} digits is out of range; "
                f"at most {allowed} {name} digits (the size of {limit} decimal digits)",
            )
        return self._in_range(node, sign * int(significant or "0", base))

    def _in_range(self, node: Any, value: int) -> int | _Bad:
        """The exact check, on a value whose size is already bounded."""
        limit = self.limits.max_int_digits
        if len(str(abs(value))) > limit:
            return self._bad(node, f"integer {value} is out of range; at most {limit} decimal digits")
        return value

    def _sexagesimal(self, node: Any, text: str, value: str, sign: int) -> int | _Bad:
        """``1:30:00`` (base 60, YAML 1.1): the size is estimated from the digits before the
        first colon and the number of parts, before any arithmetic."""
        limit = self.limits.max_int_digits
        parts = value.count(":") + 1
        head = value[: value.index(":")]
        if len(head.lstrip("0")) + (parts - 1) * _LOG10_60 > limit + 1:
            return self._bad(node, f"sexagesimal integer of {parts} parts is out of range; at most {limit} decimal digits")
        pieces = value.split(":")
        if not _BASE_DIGITS[10].fullmatch(head) or not all(_SEXAGESIMAL_PART.fullmatch(p) for p in pieces[1:]):
            return self._bad(node, f"{text[:40]!r} is not an integer")
        result = 0
        for piece in pieces:
            result = result * 60 + int(piece)
        return self._in_range(node, sign * result)

    def construct_strict_float(self, node: Any) -> float | _Bad:
        """A finite float of at most ``max_float_chars`` characters (also sexagesimal, ``1:30.5``)."""
        text = str(self.construct_scalar(node))
        limit = self.limits.max_float_chars
        if len(text) > limit:
            return self._bad(node, f"number with {len(text)} characters is too long; at most {limit}")
        value = text.replace("_", "").lower()
        sign = -1.0 if value[:1] == "-" else 1.0
        value = value[1:] if value[:1] in ("+", "-") else value
        if value in (".inf", ".nan", "inf", "nan", "infinity"):
            return self._bad(node, f"{text} is not a JSON number; expected a finite number")
        try:
            if ":" in value:
                number = 0.0
                for piece in value.split(":"):
                    number = number * 60 + float(piece)
            else:
                number = float(value)
        except ValueError:
            return self._bad(node, f"{text!r} is not a number")
        if not math.isfinite(number):
            return self._bad(node, f"number {text} overflows to infinity; expected a finite number")
        return sign * number


_StrictYamlLoader.add_constructor("tag:yaml.org,2002:int", _StrictYamlLoader.construct_strict_int)
_StrictYamlLoader.add_constructor("tag:yaml.org,2002:float", _StrictYamlLoader.construct_strict_float)

# PyYAML tells numbers from text with regular expressions whose repeated sexagesimal group
# ``(?::[0-5]?[0-9])+`` makes Python's engine keep state for every part (a 1.2 MB scalar: ten
# times slower per character than a 120 kB one). The same expressions with that group
# possessive match exactly the same scalars - each part starts with a colon, so no other split
# of the parts can succeed where the longest fails - and stay linear.
_SEXAGESIMAL_GROUP = "(?::[0-5]?[0-9])+"


def _possessive(regexp: re.Pattern[str]) -> re.Pattern[str]:
    if _SEXAGESIMAL_GROUP not in regexp.pattern:
        return regexp
    return re.compile(regexp.pattern.replace(_SEXAGESIMAL_GROUP, _SEXAGESIMAL_GROUP + "+"), regexp.flags)


_StrictYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, _possessive(regexp)) for tag, regexp in resolvers]
    for first, resolvers in _YamlBase.yaml_implicit_resolvers.items()
}


_JSON_TYPES = (dict, list, str, int, float, bool, type(None))


def _yaml_types(value: Any, limits: Limits = DEFAULT_LIMITS) -> list[Issue]:
    """YAML can hold dates, sets, bytes and non-string keys; a silkcore document cannot."""
    issues: list[Issue] = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, ())]
    while stack and len(issues) < MAX_ISSUES:
        node, path = stack.pop()
        if isinstance(node, _Bad):
            issues.append(node.issue(pointer_join(path)))
        elif not isinstance(node, _JSON_TYPES):
            issues.append(Issue(pointer_join(path), f"a YAML {type(node).__name__} is not JSON data; quote it as a string"))
        elif isinstance(node, int) and not isinstance(node, bool) and len(str(abs(node))) > limits.max_int_digits:
            issues.append(Issue(pointer_join(path), f"integer out of range; at most {limits.max_int_digits} digits"))
        elif isinstance(node, dict):
            for key, child in node.items():
                if isinstance(key, _Bad):
                    issues.append(key.issue(pointer_join(path)))
                elif not isinstance(key, str):
                    issues.append(Issue(pointer_join(path), f"key {key!r} is not a string; quote it"))
                else:
                    stack.append((child, (*path, key)))
        elif isinstance(node, list):
            stack.extend((child, (*path, i)) for i, child in enumerate(node))
    issues.sort(key=lambda issue: (issue.line or 0, issue.column or 0))  # stable: document order where known
    return issues


def read_yaml(data: bytes | str, *, source: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Any:
    """What :func:`silkcore._jsonio.parse_yaml` says it does: that function's body, loaded on first use."""
    text = _decode(data, source, limits)
    try:
        loader = _StrictYamlLoader(text)
        loader.limits = limits
        try:
            value = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise DataError([Issue("", f"invalid YAML: {exc.problem or exc}", source, line, column)]) from None
    except yaml.reader.ReaderError as exc:
        offset = exc.position
        if _YamlBase is not yaml.SafeLoader:  # libyaml counts bytes of the UTF-8 text
            offset = len(text.encode("utf-8", "surrogatepass")[:offset].decode("utf-8", "ignore"))
        line, column = _position(text, offset)
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        message = f"invalid YAML: character U+{code:04X}: {exc.reason}"
        raise DataError([Issue("", message, source, line, column)]) from None
    except yaml.YAMLError as exc:
        raise DataError([Issue("", f"invalid YAML: {str(exc)[:300]}", source)]) from None
    except RecursionError:
        raise DataError([Issue("", f"nesting deeper than {limits.max_depth} levels", source)]) from None
    except Exception as exc:  # PyYAML's constructors raise many kinds (impossible dates, unhashable keys...)
        raise DataError([Issue("", f"invalid YAML value: {type(exc).__name__}: {str(exc)[:300]}", source)]) from None
    issues = _yaml_types(value, limits) or check_tree(value, limits)
    if issues:
        raise DataError([i.located(source) for i in issues])
    return value

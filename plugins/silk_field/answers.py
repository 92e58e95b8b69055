"""One submitted value as a silkcore answer: a value, a status, or the reason it cannot be mapped."""

from __future__ import annotations

import datetime as dt
import re
import reprlib
from typing import Any

from silkcore import ItemKind, Limits

from .layout import NA, UNKNOWN, ItemField

__all__ = ["map_answer"]

Mapped = tuple[Any, str | None, str | None]  # (value, status, problem)
_STATUS = {NA: "not_applicable", UNKNOWN: "unknown"}
#: The longest number text a submission may give: the strict JSON reader's default.
_MAX_NUMBER_CHARS = Limits().max_float_chars
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_DECIMAL = re.compile(r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")


def _choices_hint(field: ItemField) -> str:
    names = [name for name, _ in field.choices]
    shown = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
    return f"expected one of: {shown}, {NA}, {UNKNOWN}"


def _by_label(field: ItemField, text: str) -> Any:
    """An option whose label (in any language) is ``text``: exports made "with labels" still map."""
    wanted = text.strip().casefold()
    for _, option in field.choices:
        if any(label.strip().casefold() == wanted for label in (option.label or {}).values()):
            return option
    return None


def _one_choice(field: ItemField, raw: Any) -> Mapped:
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        return None, None, f"expected a choice name, got {raw!r}"
    name = str(raw).strip()
    if name in _STATUS:
        return None, _STATUS[name], None
    option = field.option_for(name) or _by_label(field, name)
    if option is None:
        return None, None, f"{name!r} is not a choice of this question ({_choices_hint(field)})"
    return option.value, None, None


def _many_choices(field: ItemField, raw: Any) -> Mapped:
    if isinstance(raw, str):
        names = raw.split()
    elif isinstance(raw, list) and all(isinstance(n, str) for n in raw):
        names = [n.strip() for n in raw]
    else:
        return None, None, f"expected space-separated choice names, got {raw!r}"
    special = [n for n in names if n in _STATUS]
    if special:
        if len(names) > 1:
            return None, None, f"{special[0]!r} cannot be combined with other choices"
        return None, _STATUS[special[0]], None
    values: list[Any] = []
    for name in names:
        option = field.option_for(name)
        if option is None:
            return None, None, f"{name!r} is not a choice of this question ({_choices_hint(field)})"
        if option.value not in values:
            values.append(option.value)
    return values, None, None


def _number(field: ItemField, raw: Any) -> Mapped:
    number: int | float
    if isinstance(raw, bool):
        return None, None, f"expected a number, got {raw!r}"
    if isinstance(raw, int | float):
        number = raw
    elif isinstance(raw, str) and len(raw.strip()) > _MAX_NUMBER_CHARS:
        # Counted before any conversion: int() of thousands of digits is slow, then refused.
        return None, None, f"a number of {len(raw.strip())} characters is out of range; at most {_MAX_NUMBER_CHARS}"
    elif isinstance(raw, str) and _INTEGER.match(raw.strip()):
        number = int(raw.strip())
    elif isinstance(raw, str) and _DECIMAL.match(raw.strip()):
        number = float(raw.strip())
    else:
        return None, None, f"expected a number, got {reprlib.repr(raw)}"
    item = field.item
    low = 0.0 if item.kind == ItemKind.PERCENTAGE and item.min is None else item.min
    high = 100.0 if item.kind == ItemKind.PERCENTAGE and item.max is None else item.max
    if number != number or number in (float("inf"), float("-inf")):
        return None, None, f"{raw!r} is not a finite number"
    if (low is not None and number < low) or (high is not None and number > high):
        return None, None, f"{number} is outside the item's range {low}..{high}"
    return number, None, None


def _date(raw: Any) -> Mapped:
    if not isinstance(raw, str):
        return None, None, f"expected a date (YYYY-MM-DD), got {raw!r}"
    text = raw.strip()[:10]
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return None, None, f"{raw!r} is not a date (YYYY-MM-DD)"
    return text, None, None


def map_answer(field: ItemField, raw: Any, *, status_only: bool = False) -> Mapped:
    """Map a submitted value of ``field`` (or of its status question when ``status_only``)."""
    if status_only:
        if isinstance(raw, str) and raw.strip() in _STATUS:
            return None, _STATUS[raw.strip()], None
        return None, None, f"{raw!r} is not an answer status (expected {NA} or {UNKNOWN})"
    kind = field.item.kind
    if kind == ItemKind.MULTI_CHOICE:
        return _many_choices(field, raw)
    if field.is_select:
        return _one_choice(field, raw)
    if kind in (ItemKind.NUMBER, ItemKind.PERCENTAGE, ItemKind.DURATION):
        return _number(field, raw)
    if kind == ItemKind.DATE:
        return _date(raw)
    if not isinstance(raw, str):
        return None, None, f"expected text, got {raw!r}"
    return raw, None, None

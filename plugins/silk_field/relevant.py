"""Applicability rules as XLSForm ``relevant`` expressions.

The expression holds exactly when silkcore's rule holds on the same answers: a condition on an
item that was not answered - left empty, or answered "not applicable" / "don't know" - is false,
whatever its operator (``not_equals`` and ``not_in`` included). Operators that can never hold for
the item's kind (``contains`` on a single choice, ``equals`` on a multiple choice) become
``false()``, as silkcore would evaluate them.

=============  ===========================================================
operator       expression (``q`` is the condition's item)
=============  ===========================================================
equals v       ``${q} = 'v'`` (a number unquoted)
not_equals v   ``(answered(q) and ${q} != 'v')``
in [a, b]      ``(${q} = 'a' or ${q} = 'b')``
not_in [a, b]  ``(answered(q) and not(${q} = 'a' or ${q} = 'b'))``
contains v     ``selected(${q}, 'v')`` (multiple choice only)
at_least n     ``(${q} != '' and ${q} >= n)``; at_most with ``<=``
answered       ``answered(q)``: not empty and not ``_na`` / ``_unknown``
=============  ===========================================================
"""

from __future__ import annotations

from silkcore import ApplicabilityRule, Condition, ItemKind

from .layout import NA, UNKNOWN, FormLayout, ItemField

__all__ = ["relevant_expression"]

_NUMERIC = frozenset({ItemKind.NUMBER, ItemKind.PERCENTAGE, ItemKind.DURATION})
FALSE = "false()"


def _literal(value: object) -> str:
    """An XPath literal: numbers bare, strings quoted (XPath 1.0 has no escapes, so pick the quote)."""
    if type(value) in (int, float):
        return repr(value)
    text = str(value)
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    parts = text.split("'")
    return "concat(" + ', "\'", '.join(f"'{p}'" for p in parts) + ")"


def answered(field: ItemField) -> str:
    """XPath true when the field holds a real answer (not empty, not N/A, not unknown)."""
    ref = f"${{{field.name}}}"
    if field.item.kind == ItemKind.MULTI_CHOICE:
        return f"(count-selected({ref}) > 0 and not(selected({ref}, '{NA}')) and not(selected({ref}, '{UNKNOWN}')))"
    if field.is_select:
        return f"({ref} != '' and {ref} != '{NA}' and {ref} != '{UNKNOWN}')"
    return f"{ref} != ''"


def _numeric(field: ItemField) -> bool:
    if field.item.kind in _NUMERIC:
        return True
    return bool(field.choices) and all(type(option.value) is int for _, option in field.choices)


def _equals(field: ItemField, value: object) -> str:
    ref = f"${{{field.name}}}"
    if field.item.kind == ItemKind.MULTI_CHOICE:
        return FALSE
    if field.is_select:
        choice = field.choice_for(value)
        return FALSE if choice is None else f"{ref} = '{choice}'"
    if field.item.kind in _NUMERIC:
        return f"{ref} = {value!r}" if type(value) in (int, float) else FALSE
    return f"{ref} = {_literal(value)}" if type(value) is str else FALSE


def _any_equals(field: ItemField, values: tuple[object, ...]) -> str:
    terms = [t for t in (_equals(field, v) for v in values) if t != FALSE]
    return "(" + " or ".join(terms) + ")" if terms else FALSE


def _condition(condition: Condition, layout: FormLayout) -> str:
    try:
        field = layout.field_of(condition.item)
    except KeyError:
        return FALSE
    op, ref = condition.operator, f"${{{field.name}}}"
    if op == "answered":
        return answered(field)
    if op == "equals":
        return _equals(field, condition.value)
    if op == "not_equals":
        same = _equals(field, condition.value)
        return answered(field) if same == FALSE else f"({answered(field)} and not({same}))"
    if op == "in":
        return _any_equals(field, condition.values)
    if op == "not_in":
        some = _any_equals(field, condition.values)
        return answered(field) if some == FALSE else f"({answered(field)} and not{some})"
    if op == "contains":
        if field.item.kind != ItemKind.MULTI_CHOICE:
            return FALSE
        choice = field.choice_for(condition.value)
        return FALSE if choice is None else f"selected({ref}, '{choice}')"
    if op in ("at_least", "at_most") and _numeric(field) and type(condition.value) in (int, float):
        sign = ">=" if op == "at_least" else "<="
        return f"({answered(field)} and {ref} {sign} {condition.value!r})"
    return FALSE


def relevant_expression(rule: ApplicabilityRule | None, layout: FormLayout) -> str:
    """The ``relevant`` expression of an applicability rule; empty when there is no rule."""
    if rule is None:
        return ""
    terms = [_condition(c, layout) for c in rule.conditions]
    if len(terms) == 1:
        return terms[0]
    joiner = " and " if rule.mode == "all" else " or "
    return joiner.join(t if t.startswith("(") or t == FALSE else f"({t})" for t in terms)

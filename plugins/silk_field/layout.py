"""How a framework is laid out as an XLSForm: field names, choice lists and choice names.

The layout is a pure function of the framework, so the exporter that writes the form and the
importers that read its submissions compute the same one and never need the form itself.

Names. XLSForm names must be XML names, and collection tools join group and field names with
``/``, ``-`` or ``.``; so an item id becomes a name by replacing ``.`` with ``__`` (``A.01`` ->
``A__01``), any other character outside ``[A-Za-z0-9_-]`` with ``_``, and prefixing ``_`` when
it would not start with a letter. Names are unique: the form's own fields are reserved first,
then items, then groups take theirs; a clash gets ``_2``, ``_3``... Submissions are mapped back
through the inverse of this table, not by undoing the rule.

Answers that are not values. Every choice list gets two extra choices, ``_na`` (not applicable)
and ``_unknown`` (don't know). An item answered by typing (number, percentage, duration, text,
date, link) gets a sibling ``<name>__status`` question with the same two choices, shown only
while the item is left empty.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import attrs

from silkcore import Framework, Item, ItemKind, Option

__all__ = [
    "NA",
    "RESERVED_FIELDS",
    "SELECT_KINDS",
    "UNKNOWN",
    "FormLayout",
    "ItemField",
    "form_layout",
    "xml_name",
]

NA = "_na"
UNKNOWN = "_unknown"
SELECT_KINDS = frozenset({ItemKind.CHOICE, ItemKind.SCALE, ItemKind.YES_NO, ItemKind.MULTI_CHOICE})

#: Fields the form adds around the framework's items (the importers read them back).
RESERVED_FIELDS = (
    "start",
    "end",
    "silk_framework",
    "silk_version",
    "intro",
    "org_id",
    "org_name",
    "org_country",
    "respondent_role",
    "mode",
    "meta",
)
#: Choice lists the form adds.
RESERVED_LISTS = ("silk_status", "silk_role", "silk_mode")

OptionValue = str | bool | int
_SAFE_CHOICE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


def xml_name(identifier: str) -> str:
    """A deterministic XLSForm name for an id: ``.`` -> ``__``, other unsafe characters -> ``_``."""
    name = re.sub(r"[^A-Za-z0-9_-]", "_", identifier.replace(".", "__"))
    return name if re.match(r"[A-Za-z_]", name) else "_" + name


class _Names:
    """Hands out unique names, suffixing ``_2``, ``_3``... on a clash."""

    def __init__(self, reserved: tuple[str, ...] = ()) -> None:
        self.used: set[str] = set(reserved)

    def take(self, base: str) -> str:
        name, n = base, 1
        while name in self.used:
            n += 1
            name = f"{base}_{n}"
        self.used.add(name)
        return name


def choice_name(value: OptionValue, index: int) -> str:
    """The XLSForm choice name of an option value: ``yes``/``no`` for booleans, the value itself
    when it is a safe token, ``opt<N>`` otherwise (N is the option's 1-based position)."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    text = str(value)
    return text if _SAFE_CHOICE.match(text) else f"opt{index}"


@attrs.frozen
class ItemField:
    """One item in the form: its field name, its status sibling and, for selects, its choices."""

    item: Item
    name: str
    group: str
    status_name: str | None = None
    list_name: str | None = None
    choices: tuple[tuple[str, Option], ...] = ()

    @property
    def is_select(self) -> bool:
        """Whether the item is answered by picking choices."""
        return self.item.kind in SELECT_KINDS

    def option_for(self, choice: str) -> Option | None:
        """The option behind a choice name; None if the name is not one of this item's choices."""
        return next((option for name, option in self.choices if name == choice), None)

    def choice_for(self, value: object) -> str | None:
        """The choice name of an answer value (no coercion: ``True`` is not ``1``)."""
        for name, option in self.choices:
            if type(option.value) is type(value) and option.value == value:
                return name
            if type(value) in (int, float) and type(option.value) is int and option.value == value:
                return name
        return None


@attrs.frozen
class FormLayout:
    """The XLSForm names of a framework's categories, items and choice lists."""

    framework: Framework
    fields: tuple[ItemField, ...]
    groups: Mapping[str, str]
    group_notes: Mapping[str, str]
    lists: Mapping[str, tuple[tuple[str, Option], ...]]
    by_name: Mapping[str, ItemField]

    def field_by_name(self, name: str) -> ItemField | None:
        """The item field with this XLSForm name (or whose status question has it)."""
        return self.by_name.get(name)

    def field_of(self, item_id: str) -> ItemField:
        """The field of an item id; KeyError if the framework has no such item."""
        for field in self.fields:
            if field.item.id == item_id:
                return field
        raise KeyError(item_id)


def _choices(framework: Framework, item: Item) -> tuple[tuple[str, Option], ...]:
    names = _Names((NA, UNKNOWN))
    return tuple((names.take(choice_name(o.value, i)), o) for i, o in enumerate(framework.options_of(item), start=1))


def _signature(choices: tuple[tuple[str, Option], ...]) -> tuple[object, ...]:
    return tuple((name, repr(sorted((option.label or {}).items())), repr(option.value)) for name, option in choices)


def form_layout(framework: Framework) -> FormLayout:
    """Compute the layout of ``framework`` (deterministic: the same framework, the same names)."""
    names = _Names(RESERVED_FIELDS)
    list_names = _Names(RESERVED_LISTS)
    item_names = {item.id: names.take(xml_name(item.id)) for item in framework.items}
    groups = {c.id: names.take(xml_name(c.id)) for c in framework.categories}
    group_notes = {c.id: names.take(f"{groups[c.id]}__intro") for c in framework.categories if c.description}
    lists: dict[str, tuple[tuple[str, Option], ...]] = {}
    by_signature: dict[tuple[object, ...], str] = {}
    fields = []
    for item in framework.items:
        name = item_names[item.id]
        if item.kind not in SELECT_KINDS:
            fields.append(ItemField(item, name, groups[item.category], status_name=names.take(f"{name}__status")))
            continue
        choices = _choices(framework, item)
        signature = _signature(choices)
        list_name = by_signature.get(signature)
        if list_name is None:
            base = item.scale or ("yes_no" if item.kind == ItemKind.YES_NO else name)
            list_name = list_names.take(xml_name(base))
            by_signature[signature] = list_name
            lists[list_name] = choices
        fields.append(ItemField(item, name, groups[item.category], list_name=list_name, choices=choices))
    by_name = {f.name: f for f in fields}
    by_name.update({f.status_name: f for f in fields if f.status_name})
    return FormLayout(framework, tuple(fields), groups, group_notes, lists, by_name)

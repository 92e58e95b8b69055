"""XLSForm export of a framework (``silk export --format xlsform FRAMEWORK -o form.xlsx``).

The form has one group per category (its title as label, its description as a note), the
framework's items in order, and a few fields of its own: ``start``/``end`` timestamps, hidden
``silk_framework``/``silk_version`` calculations (so every submission says what it answers),
and the organisation, respondent role and mode. Every language of the framework becomes a
``label::<Name> (<tag>)`` column; a text missing in one language shows the fallback
(:func:`~silk_field.languages.text_in`), so no cell is empty - ``silk field translations``
lists what is missing. Nothing is required: an unanswered question is simply not answered.

==============  ==========================================================================
item kind       XLSForm
==============  ==========================================================================
choice, scale   ``select_one <list>`` (+ ``_na``, ``_unknown`` choices)
multi_choice    ``select_multiple <list>`` (+ ``_na``, ``_unknown``, each exclusive)
yes_no          ``select_one yes_no`` (choices ``yes`` / ``no``)
number          ``decimal``; ``integer`` when the unit counts things; min/max as constraint
percentage      ``decimal`` with constraint ``. >= 0 and . <= 100`` (or the item's range)
duration        ``integer`` (the unit in the hint), min/max as constraint
text, date      ``text``, ``date``
link            ``text`` with constraint ``regex(., '^https?://[^ ]+$')``
==============  ==========================================================================
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from typing import Any

from silkcore import Framework, ItemKind, require_extra

from .languages import chrome, framework_languages, language_column, text_in
from .layout import NA, UNKNOWN, FormLayout, ItemField, form_layout
from .relevant import relevant_expression

__all__ = ["XlsformExporter", "form_sheets", "write_xlsx"]

Row = dict[str, Any]
_COUNT_UNITS = frozenset({"count", "people", "persons", "jobs", "employees", "members", "organisations", "organizations"})
_TYPES = {
    ItemKind.PERCENTAGE: "decimal",
    ItemKind.DURATION: "integer",
    ItemKind.TEXT: "text",
    ItemKind.DATE: "date",
    ItemKind.LINK: "text",
}
ROLES = ("board", "management", "workers", "members", "partners", "external_assessor", "other")
MODES = ("retrospective", "prospective")


class _Sheets:
    """Collects the survey and choices rows of one form, in the framework's languages."""

    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        self.languages = framework_languages(framework)
        self.survey: list[Row] = []
        self.choices: list[Row] = []

    def texts(self, column: str, text: Any) -> Row:
        """``column::<language>`` cells for a multilingual map (or a chrome key, or a fixed string)."""
        row: Row = {}
        for language in self.languages:
            if isinstance(text, dict):
                value = text_in(text, language, self.framework.default_language)
            elif isinstance(text, tuple):  # (chrome key, format values)
                value = chrome(text[0], language, **text[1])
            else:
                value = text
            if value:
                row[f"{column}::{language_column(language)}"] = value
        return row

    def question(self, type_: str, name: str, label: Any, **extra: Any) -> None:
        """Append one survey row; ``hint``/``constraint_message`` are given like ``label``."""
        row: Row = {"type": type_, "name": name, **self.texts("label", label)}
        for column in ("hint", "constraint_message"):
            if extra.get(column) is not None:
                row.update(self.texts(column, extra.pop(column)))
            extra.pop(column, None)
        row.update({k: v for k, v in extra.items() if v})
        self.survey.append(row)

    def choice_list(self, list_name: str, entries: Sequence[tuple[str, Any]]) -> None:
        """Append a choice list: ``(name, label)`` pairs, labels as in :meth:`texts`."""
        for name, label in entries:
            self.choices.append({"list_name": list_name, "name": name, **self.texts("label", label)})


def _bounds(field: ItemField) -> tuple[float | None, float | None]:
    item = field.item
    if item.kind == ItemKind.PERCENTAGE:
        return (0 if item.min is None else item.min), (100 if item.max is None else item.max)
    return item.min, item.max


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def _constraint(field: ItemField) -> tuple[str, Any]:
    """The constraint of a typed item and its message key."""
    if field.item.kind == ItemKind.LINK:
        return "regex(., '^https?://[^ ]+$')", ("url", {})
    low, high = _bounds(field)
    if low is not None and high is not None:
        return f". >= {_number(low)} and . <= {_number(high)}", ("range", {"low": _number(low), "high": _number(high)})
    if low is not None:
        return f". >= {_number(low)}", ("at_least", {"low": _number(low)})
    if high is not None:
        return f". <= {_number(high)}", ("at_most", {"high": _number(high)})
    return "", None


def _hint(sheets: _Sheets, field: ItemField) -> dict[str, str] | None:
    item = field.item
    hint = dict(item.help or {})
    if item.unit and item.kind in (ItemKind.NUMBER, ItemKind.PERCENTAGE, ItemKind.DURATION):
        for language in sheets.languages:
            base = text_in(item.help, language, sheets.framework.default_language)
            unit = chrome("unit", language, unit=item.unit)
            hint[language] = f"{base} ({unit})" if base else unit
    return hint or None


def _option_label(option: Any) -> Any:
    if option.label:
        return dict(option.label)
    if option.value is True or option.value is False:
        return ("yes" if option.value else "no", {})
    return str(option.value)


def _item_rows(sheets: _Sheets, layout: FormLayout, field: ItemField) -> None:
    item = field.item
    relevant = relevant_expression(item.applies_if, layout)
    hint = _hint(sheets, field)
    if field.is_select:
        multiple = item.kind == ItemKind.MULTI_CHOICE
        constraint = f"not((selected(., '{NA}') or selected(., '{UNKNOWN}')) and count-selected(.) > 1)" if multiple else ""
        type_ = f"{'select_multiple' if multiple else 'select_one'} {field.list_name}"
        sheets.question(
            type_, field.name, dict(item.text), hint=hint, relevant=relevant, constraint=constraint,
            constraint_message=("exclusive", {}) if multiple else None,
        )  # fmt: skip
        return
    if item.kind == ItemKind.NUMBER:
        type_ = "integer" if (item.unit or "").lower() in _COUNT_UNITS else "decimal"
    else:
        type_ = _TYPES[item.kind]
    constraint, message = _constraint(field)
    sheets.question(
        type_, field.name, dict(item.text), hint=hint, relevant=relevant, constraint=constraint, constraint_message=message
    )
    empty = f"${{{field.name}}} = ''"
    status_relevant = f"({relevant}) and {empty}" if relevant else empty
    sheets.question("select_one silk_status", str(field.status_name), ("status_question", {}), relevant=status_relevant)


def form_sheets(framework: Framework) -> dict[str, list[Row]]:
    """The survey, choices and settings rows of the framework's XLSForm (one dict per row)."""
    layout = form_layout(framework)
    sheets = _Sheets(framework)
    sheets.question("start", "start", None)
    sheets.question("end", "end", None)
    sheets.question("calculate", "silk_framework", None, calculation=f"'{framework.id}'")
    sheets.question("calculate", "silk_version", None, calculation=f"'{framework.version}'")
    sheets.question("note", "intro", dict(framework.description or framework.title))
    sheets.question("text", "org_id", ("org_id", {}))
    sheets.question("text", "org_name", ("org_name", {}))
    sheets.question(
        "text", "org_country", ("org_country", {}), constraint="regex(., '^[A-Z]{2}$')", constraint_message=("country", {})
    )
    sheets.question("select_one silk_role", "respondent_role", ("respondent_role", {}))
    sheets.question("select_one silk_mode", "mode", ("mode", {}))
    for category in framework.categories:
        fields = [f for f in layout.fields if f.item.category == category.id]
        if not fields:
            continue
        sheets.question("begin_group", layout.groups[category.id], dict(category.title))
        if category.id in layout.group_notes:
            sheets.question("note", layout.group_notes[category.id], dict(category.description or {}))
        for field in fields:
            _item_rows(sheets, layout, field)
        sheets.question("end_group", "", None)
    status: list[tuple[str, Any]] = [(NA, ("not_applicable", {})), (UNKNOWN, ("unknown", {}))]
    for list_name, choices in layout.lists.items():
        sheets.choice_list(list_name, [(name, _option_label(option)) for name, option in choices] + status)
    sheets.choice_list("silk_status", status)
    sheets.choice_list("silk_role", [(role, (f"role.{role}", {})) for role in ROLES])
    sheets.choice_list("silk_mode", [(mode, (f"mode.{mode}", {})) for mode in MODES])
    for row in sheets.survey:  # end_group rows carry no name
        if row["type"] == "end_group":
            row.pop("name", None)
    default = sheets.languages[0] if sheets.languages else "en"
    settings = {
        "form_title": text_in(framework.title, default, default) or framework.id,
        "form_id": framework.id,
        "version": framework.version,
        "default_language": language_column(default),
    }
    return {"survey": sheets.survey, "choices": sheets.choices, "settings": [settings]}


def write_xlsx(sheets: dict[str, list[Row]]) -> bytes:
    """An .xlsx workbook with one worksheet per sheet; byte-for-byte reproducible (fixed dates)."""
    import datetime as dt

    require_extra("field", "the xlsform format")  # one line naming the extra, never a traceback
    from openpyxl import Workbook  # type: ignore[import-untyped]

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        columns: list[str] = []
        for row in rows:
            columns += [c for c in row if c not in columns]
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(c) for c in columns])
    fixed = dt.datetime(2000, 1, 1)
    workbook.properties.creator = "silkcore silk_field"
    workbook.properties.created = workbook.properties.modified = fixed
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite the zip with constant timestamps so the same form gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _fixed_core(content)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0)), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _fixed_core(content: bytes) -> bytes:
    import re

    return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>2000-01-01T00:00:00Z\g<2>", content)


class XlsformExporter:
    """``silk export --format xlsform FRAMEWORK -o form.xlsx``: one framework as an XLSForm."""

    id = "xlsform"
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def export(self, documents: Sequence[Any], **options: str) -> bytes:
        """The .xlsx bytes of the one framework given."""
        frameworks = [d for d in documents if isinstance(d, Framework)]
        if len(frameworks) != 1 or len(documents) != 1:
            raise ValueError("the xlsform format writes exactly one framework (give a framework id or file)")
        return write_xlsx(form_sheets(frameworks[0]))

"""Shared test data: a catalog with the field plugin, and submissions built from answers."""

from __future__ import annotations

from typing import Any

import silk_evaluation_grid
import silk_field
import silk_flowchart
import silk_indicators
from silk_field.layout import NA, UNKNOWN, FormLayout, form_layout
from silkcore import Framework, load_framework
from silkcore.testing import catalog_with

CATALOG = catalog_with(silk_field, silk_evaluation_grid, silk_flowchart, silk_indicators)
GRID: Framework = CATALOG.framework("silk.evaluation-grid")
FLOWCHART: Framework = CATALOG.framework("silk.flowchart")
INDICATORS: Framework = CATALOG.framework("silk.indicators")
_STATUS_CHOICE = {"not_applicable": NA, "unknown": UNKNOWN}


def every_kind_framework() -> Framework:
    """A small framework with every item kind and every applicability operator."""
    return load_framework(
        {
            "schema": "silkcore_framework-v1.1.0",
            "id": "test.every-kind",
            "version": "2.1.0",
            "title": {"en": "Every kind", "fr": "Tous les types"},
            "default_language": "en",
            "scales": [{"id": "level", "options": [{"value": "low", "score": 0}, {"value": "high", "score": 1}]}],
            "categories": [{"id": "main", "title": {"en": "Main"}, "description": {"en": "All of them"}}],
            "items": [
                {"id": "q.choice", "category": "main", "kind": "choice", "text": {"en": "Choice", "fr": "Choix"}, "source": "t",
                 "options": [{"value": "a", "score": 0, "label": {"en": "A"}},
                             {"value": "b c", "score": 1, "label": {"en": "B"}}]},
                {"id": "q.multi", "category": "main", "kind": "multi_choice", "text": {"en": "Multi"}, "source": "t",
                 "options": [{"value": "x", "label": {"en": "X"}}, {"value": "y", "label": {"en": "Y"}}]},
                {"id": "q.scale", "category": "main", "kind": "scale", "scale": "level", "text": {"en": "Scale"}, "source": "t"},
                {"id": "q.yes", "category": "main", "kind": "yes_no", "text": {"en": "Yes?"}, "help": {"en": "Say"},
                 "source": "t"},
                {"id": "q.number", "category": "main", "kind": "number", "text": {"en": "Amount"}, "source": "t", "min": 0,
                 "max": 1000.5, "unit": "EUR"},
                {"id": "q.count", "category": "main", "kind": "number", "text": {"en": "People"}, "source": "t", "unit": "count"},
                {"id": "q.percent", "category": "main", "kind": "percentage", "text": {"en": "Share"}, "source": "t"},
                {"id": "q.duration", "category": "main", "kind": "duration", "text": {"en": "Months"}, "source": "t", "min": 1,
                 "unit": "months"},
                {"id": "q.text", "category": "main", "kind": "text", "text": {"en": "Say it"}, "source": "t"},
                {"id": "q.date", "category": "main", "kind": "date", "text": {"en": "When"}, "source": "t"},
                {"id": "q.link", "category": "main", "kind": "link", "text": {"en": "Where"}, "source": "t"},
                {"id": "r.equals", "category": "main", "kind": "text", "text": {"en": "r1"}, "source": "t",
                 "applies_if": {"all": [{"item": "q.choice", "operator": "equals", "value": "b c"}]}},
                {"id": "r.not_equals", "category": "main", "kind": "text", "text": {"en": "r2"}, "source": "t",
                 "applies_if": {"all": [{"item": "q.yes", "operator": "not_equals", "value": True}]}},
                {"id": "r.in", "category": "main", "kind": "text", "text": {"en": "r3"}, "source": "t",
                 "applies_if": {"any": [{"item": "q.scale", "operator": "in", "values": ["low", "high"]},
                                        {"item": "q.text", "operator": "equals", "value": "it's"}]}},
                {"id": "r.not_in", "category": "main", "kind": "text", "text": {"en": "r4"}, "source": "t",
                 "applies_if": {"all": [{"item": "q.choice", "operator": "not_in", "values": ["a"]}]}},
                {"id": "r.contains", "category": "main", "kind": "text", "text": {"en": "r5"}, "source": "t",
                 "applies_if": {"all": [{"item": "q.multi", "operator": "contains", "value": "y"}]}},
                {"id": "r.at_least", "category": "main", "kind": "text", "text": {"en": "r6"}, "source": "t",
                 "applies_if": {"all": [{"item": "q.percent", "operator": "at_least", "value": 50},
                                        {"item": "q.duration", "operator": "at_most", "value": 12}]}},
                {"id": "r.answered", "category": "main", "kind": "text", "text": {"en": "r7"}, "source": "t",
                 "applies_if": {"all": [{"item": "q.multi", "operator": "answered"}]}},
            ],
        }
    )  # fmt: skip


def choice_of(layout: FormLayout, item_id: str, value: Any) -> str:
    """The XLSForm choice name of an answer value."""
    choice = layout.field_of(item_id).choice_for(value)
    assert choice is not None, (item_id, value)
    return choice


def kobo_row(framework: Framework, responses: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """A Kobo-style submission (``group/field`` keys, every value a string) carrying ``responses``."""
    layout = form_layout(framework)
    row: dict[str, Any] = {"silk_framework": framework.id, "silk_version": framework.version, **extra}
    for response in responses:
        field = layout.field_of(response["item_id"])
        if "status" in response:
            name = field.name if field.is_select else field.status_name
            row[f"{field.group}/{name}"] = _STATUS_CHOICE[response["status"]]
            continue
        value = response["value"]
        if isinstance(value, list):
            text = " ".join(choice_of(layout, field.item.id, v) for v in value)
        elif field.is_select:
            text = choice_of(layout, field.item.id, value)
        else:
            text = str(value)
        row[f"{field.group}/{field.name}"] = text
    return row

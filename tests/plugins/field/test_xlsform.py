"""XLSForm export: pyxform converts every form, kinds and rules map as documented, names are stable."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from silk_field.layout import form_layout, xml_name
from silk_field.relevant import relevant_expression
from silk_field.xlsform import XlsformExporter, form_sheets, write_xlsx
from silkcore import ApplicabilityRule, Condition, load_framework

from .helpers import CATALOG, FLOWCHART, GRID, INDICATORS, every_kind_framework

pyxform = pytest.importorskip("pyxform.xls2xform")


def convert(data: bytes) -> tuple[str, list[str]]:
    """The XForm pyxform makes of an .xlsx, and its warnings."""
    warnings: list[str] = []
    result = pyxform.convert(data, warnings=warnings, file_type=".xlsx")
    return result.xform, warnings


def survey(framework: Any) -> dict[str, dict[str, Any]]:
    return {row["name"]: row for row in form_sheets(framework)["survey"] if "name" in row}


@pytest.mark.parametrize("framework", [GRID, FLOWCHART, INDICATORS, every_kind_framework()], ids=lambda f: f.id)
def test_pyxform_converts_the_form_without_errors_or_warnings(framework: Any) -> None:
    xform, warnings = convert(XlsformExporter().export([framework]))
    assert warnings == []
    assert f'id="{framework.id}"' in xform and f'version="{framework.version}"' in xform


def test_grid_form_has_english_french_and_spanish_labels() -> None:
    data = XlsformExporter().export([GRID])
    xform, _ = convert(data)
    for language in ("English (en)", "Français (fr)", "Español (es)"):
        assert f'<translation lang="{language}"' in xform
    assert "Nettement amélioré" in xform and "Claramente mejorado" in xform
    sheet = load_workbook(io.BytesIO(data))["survey"]
    header = [cell.value for cell in sheet[1]]
    for column in ("label::English (en)", "label::Français (fr)", "label::Español (es)", "hint::Français (fr)", "relevant"):
        assert column in header
    settings = load_workbook(io.BytesIO(data))["settings"]
    assert [[c.value for c in row] for row in settings.iter_rows()] == [
        ["form_title", "form_id", "version", "default_language"],
        ["SILK internationalisation evaluation grid", "silk.evaluation-grid", "1.0.0", "English (en)"],
    ]


def test_item_kinds_map_to_xlsform_types_and_constraints() -> None:
    rows = survey(every_kind_framework())
    assert rows["q__choice"]["type"] == "select_one q__choice"
    assert rows["q__multi"]["type"] == "select_multiple q__multi"
    assert "count-selected(.) > 1" in rows["q__multi"]["constraint"]
    assert rows["q__scale"]["type"] == "select_one level"
    assert rows["q__yes"]["type"] == "select_one yes_no"
    assert rows["q__yes"]["hint::English (en)"] == "Say"
    assert rows["q__number"]["type"] == "decimal"
    assert rows["q__number"]["constraint"] == ". >= 0 and . <= 1000.5"
    assert rows["q__number"]["hint::English (en)"] == "Unit: EUR"
    assert rows["q__count"]["type"] == "integer"
    assert rows["q__percent"]["type"] == "decimal" and rows["q__percent"]["constraint"] == ". >= 0 and . <= 100"
    assert rows["q__duration"]["type"] == "integer" and rows["q__duration"]["constraint"] == ". >= 1"
    assert rows["q__text"]["type"] == "text" and rows["q__date"]["type"] == "date"
    assert rows["q__link"]["type"] == "text" and rows["q__link"]["constraint"].startswith("regex(., '^https?://")
    for name in ("q__number", "q__text", "q__date", "q__link"):
        assert rows[f"{name}__status"]["type"] == "select_one silk_status"
        assert rows[f"{name}__status"]["relevant"] == f"${{{name}}} = ''"
    assert "q__choice__status" not in rows  # selects carry _na / _unknown as choices instead


def test_choice_lists_append_not_applicable_and_unknown_and_name_unsafe_values() -> None:
    choices = form_sheets(every_kind_framework())["choices"]
    listed = [(c["list_name"], c["name"]) for c in choices]
    assert [n for lst, n in listed if lst == "q__choice"] == ["a", "opt2", "_na", "_unknown"]
    assert [n for lst, n in listed if lst == "yes_no"] == ["yes", "no", "_na", "_unknown"]
    yes = next(c for c in choices if c["list_name"] == "yes_no" and c["name"] == "yes")
    assert yes["label::Français (fr)"] == "Oui"
    na = next(c for c in choices if c["list_name"] == "silk_status" and c["name"] == "_na")
    assert (na["label::English (en)"], na["label::Français (fr)"]) == ("Not applicable", "Sans objet")


def test_identical_choice_lists_are_shared() -> None:
    lists = {row["list_name"] for row in form_sheets(GRID)["choices"]}
    assert {"improvement", "contribution", "harm", "yes_no"} <= lists
    assert [name for name in lists if name.startswith("yes_no")] == ["yes_no"]  # the ten yes/no items share one list
    assert "A__02" in lists and "A__03" not in lists  # A.02-A.06 have the same inline options


def test_applicability_rules_become_relevant_expressions() -> None:
    rows = survey(every_kind_framework())
    answered_choice = "(${q__choice} != '' and ${q__choice} != '_na' and ${q__choice} != '_unknown')"
    assert rows["r__equals"]["relevant"] == "${q__choice} = 'opt2'"
    assert (
        rows["r__not_equals"]["relevant"]
        == "((${q__yes} != '' and ${q__yes} != '_na' and ${q__yes} != '_unknown') and not(${q__yes} = 'yes'))"
    )
    assert rows["r__in"]["relevant"] == "(${q__scale} = 'low' or ${q__scale} = 'high') or (${q__text} = \"it's\")"
    assert rows["r__not_in"]["relevant"] == f"({answered_choice} and not(${{q__choice}} = 'a'))"
    assert rows["r__contains"]["relevant"] == "selected(${q__multi}, 'y')"
    assert rows["r__at_least"]["relevant"] == (
        "(${q__percent} != '' and ${q__percent} >= 50) and (${q__duration} != '' and ${q__duration} <= 12)"
    )
    assert rows["r__answered"]["relevant"].startswith("(count-selected(${q__multi}) > 0")
    assert rows["r__equals__status"]["relevant"] == "(${q__choice} = 'opt2') and ${r__equals} = ''"


def test_impossible_conditions_are_false_as_silkcore_evaluates_them() -> None:
    framework = every_kind_framework()
    layout = form_layout(framework)
    contains_on_single = ApplicabilityRule("all", (Condition("q.choice", "contains", "a"),))
    equals_on_multi = ApplicabilityRule("all", (Condition("q.multi", "equals", "x"),))
    unknown_item = ApplicabilityRule("any", (Condition("nowhere", "answered"),))
    at_least_on_text = ApplicabilityRule("all", (Condition("q.text", "at_least", 3),))
    for rule in (contains_on_single, equals_on_multi, unknown_item, at_least_on_text):
        assert relevant_expression(rule, layout) == "false()"
    not_in_other = ApplicabilityRule("all", (Condition("q.choice", "not_in", ("zzz",)),))
    assert relevant_expression(not_in_other, layout).startswith("(${q__choice} != ''")


def test_flowchart_rules_reference_the_partner_choice() -> None:
    rows = survey(FLOWCHART)
    assert rows["p3__which_partners"]["relevant"] == "${p3__partners} = 'with_partners'"


def test_names_are_deterministic_xml_names_without_collisions() -> None:
    assert xml_name("A.01") == "A__01"
    assert xml_name("1st.q") == "_1st__q"
    assert xml_name("a b/c") == "a_b_c"
    clash = load_framework(
        {
            "schema": "silkcore_framework-v1.1.0", "id": "test.clash", "version": "1.0.0", "title": {"en": "t"},
            "categories": [{"id": "org_id", "title": {"en": "c"}}],
            "items": [
                {"id": "a.b", "category": "org_id", "kind": "text", "text": {"en": "1"}, "source": "t"},
                {"id": "a__b", "category": "org_id", "kind": "text", "text": {"en": "2"}, "source": "t"},
                {"id": "org_id", "category": "org_id", "kind": "text", "text": {"en": "3"}, "source": "t"},
            ],
        }
    )  # fmt: skip
    layout = form_layout(clash)
    names = [f.name for f in layout.fields]
    assert names == ["a__b", "a__b_2", "org_id_2"]
    assert layout.groups["org_id"] == "org_id_3"
    _, warnings = convert(write_xlsx(form_sheets(clash)))
    assert warnings == []


def test_export_is_reproducible_byte_for_byte() -> None:
    assert XlsformExporter().export([GRID]) == XlsformExporter().export([GRID])


def test_exporter_wants_exactly_one_framework() -> None:
    with pytest.raises(ValueError, match="exactly one framework"):
        XlsformExporter().export([GRID, FLOWCHART])
    with pytest.raises(ValueError, match="exactly one framework"):
        XlsformExporter().export([{"schema": "silkcore_flow-v1.0.0"}])


def test_exporter_is_registered_with_its_media_type() -> None:
    exporter = CATALOG.exporter("xlsform")
    assert exporter.media_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

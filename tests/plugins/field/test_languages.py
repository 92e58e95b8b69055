"""Content in several languages: Tools 1 and 2 in French and Spanish, the fallback rule, the check command."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from silk_field.cli import field_group
from silk_field.languages import chrome, framework_languages, language_column, missing_translations, text_in, texts_of
from silkcore import load_framework

from .helpers import CATALOG, FLOWCHART, GRID, INDICATORS, every_kind_framework


@pytest.mark.parametrize("framework", [GRID, FLOWCHART], ids=lambda f: f.id)
@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_tools_1_and_2_are_complete_in_english_french_and_spanish(framework: object, language: str) -> None:
    assert missing_translations(framework, language) == []  # type: ignore[arg-type]


@pytest.mark.parametrize("framework", [GRID, FLOWCHART], ids=lambda f: f.id)
def test_translations_are_marked_as_drafts_for_native_review(framework: object) -> None:
    notes = framework.notes  # type: ignore[attr-defined]
    assert "native speaker" in notes[-1] and "(fr)" in notes[-1] and "(es)" in notes[-1]
    assert framework_languages(framework) == ["en", "es", "fr"]  # type: ignore[arg-type]


@pytest.mark.parametrize("framework", [GRID, FLOWCHART], ids=lambda f: f.id)
def test_translations_differ_from_the_english_and_keep_placeholders(framework: object) -> None:
    for where, ident, field, text in texts_of(framework):  # type: ignore[arg-type]
        assert text["fr"].strip() and text["es"].strip(), (where, ident, field)
        if len(text["en"]) > 25:
            assert text["fr"] != text["en"] and text["es"] != text["en"], (where, ident, field)
        if "reverse: true" in text["en"]:  # scale titles name the option; keep it recognisable
            assert "reverse: true" in text["fr"] and "reverse: true" in text["es"]


def test_fallback_is_requested_then_primary_then_default_then_first() -> None:
    text = {"fr": "Bonjour", "es": "Hola", "en": "Hello"}
    assert text_in(text, "es", "en") == "Hola"
    assert text_in(text, "es-MX", "en") == "Hola"
    assert text_in(text, "ko", "en") == "Hello"
    assert text_in(text, "ko", None) == "Bonjour"
    assert text_in(None, "en") is None
    assert chrome("not_applicable", "es") == "No aplica"
    assert chrome("not_applicable", "pt-BR") == "Not applicable"
    assert chrome("range", "fr", low=0, high=5) == "Saisissez une valeur de 0 à 5."
    assert language_column("fr") == "Français (fr)" and language_column("pt-BR") == "Português (Brasil) (pt-BR)"
    assert language_column("qu") == "qu (qu)"


def test_missing_translations_name_the_item_the_field_and_the_language_shown() -> None:
    missing = missing_translations(every_kind_framework(), "fr")
    assert missing[0].as_dict() == {"where": "category", "id": "main", "field": "title", "shown_in": "en"}
    assert ("item", "q.yes", "help") in [(m.where, m.id, m.field) for m in missing]
    assert ("item", "q.choice", "text") not in [(m.where, m.id, m.field) for m in missing]
    assert ("item", "q.choice", "options['a'].label") in [(m.where, m.id, m.field) for m in missing]
    # Tool 3 has French and Spanish drafts of every text; German it has not.
    assert missing_translations(INDICATORS, "fr") == [] and missing_translations(INDICATORS, "es") == []
    assert len(missing_translations(INDICATORS, "de")) > 36


def test_translations_command_lists_missing_texts() -> None:
    runner = CliRunner()
    ok = runner.invoke(
        field_group, ["translations", "silk.evaluation-grid", "--language", "fr", "--strict"], obj={"catalog": CATALOG}
    )
    assert ok.exit_code == 0, ok.output
    assert "every text has a 'fr' version" in ok.output
    listed = runner.invoke(field_group, ["translations", "silk.indicators", "-l", "de"], obj={"catalog": CATALOG})
    assert listed.exit_code == 0 and "item      silk.p1.customers_reached" in listed.output
    strict = runner.invoke(field_group, ["translations", "silk.indicators", "-l", "de", "--strict"], obj={"catalog": CATALOG})
    assert strict.exit_code == 1
    as_json = runner.invoke(field_group, ["translations", "silk.flowchart", "-l", "ko", "--json"], obj={"catalog": CATALOG})
    doc = json.loads(as_json.output)
    assert (
        doc["language"] == "ko"
        and {"where": "framework", "id": "silk.flowchart", "field": "title", "shown_in": "en"} in doc["missing"]
    )
    unknown = runner.invoke(field_group, ["translations", "nope.nope", "-l", "fr"], obj={"catalog": CATALOG})
    assert unknown.exit_code == 2 and "unknown framework" in unknown.output


def test_translations_command_reads_a_framework_file(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "fw.yaml"
    path.write_text(
        "schema: silkcore_framework-v1.0.0\nid: net.tiny\nversion: 1.0.0\ntitle: {en: Tiny, fr: Petit}\n"
        "categories: [{id: c, title: {en: C}}]\nitems: [{id: c.1, category: c, kind: text, text: {en: Q}, source: s}]\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(field_group, ["translations", str(path), "-l", "fr"], obj={"catalog": CATALOG})
    assert result.exit_code == 0 and "2 text(s) without a 'fr' version" in result.output
    assert load_framework(path).id == "net.tiny"

"""One rule for what a file name says, and one for a language tag.

A file's suffix is read in any case (``FW.YAML`` is YAML), and every ``--language`` that picks
a framework's texts finds ``fr`` for ``fr-FR``, as :func:`~silkcore._i18n.pick_text` does."""

from __future__ import annotations

import shutil
from pathlib import Path

import attrs
import pytest

from silkcore._documents import document_format, is_yaml_input, read_documents
from silkcore._guide import Guide, text_of
from silkcore._render import render_scorecard

from .conftest import EXAMPLES, run_silk

FRAMEWORK = EXAMPLES / "frameworks" / "community-energy-readiness.yaml"
GRID_ANSWERS = EXAMPLES / "response_sets" / "evaluation-grid-coopcycle-prospective.json"
FLOWCHART_ANSWERS = EXAMPLES / "response_sets" / "flowchart-no-partner.json"
FRENCH_TITLE = "Prêts à coopérer avec une coopérative énergétique à l'étranger ?"


@pytest.fixture
def upper_case_framework(tmp_path: Path) -> Path:
    """A copy of a valid framework file whose suffix is upper case, as some systems write it."""
    copy = tmp_path / "FW.YAML"
    shutil.copyfile(FRAMEWORK, copy)
    return copy


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("fw.yaml", "yaml"),
        ("FW.YAML", "yaml"),
        ("fw.Yml", "yaml"),
        ("sets.JSON", "json"),
        ("sets.JsonL", "jsonl"),
        ("notes.txt", None),
        ("no-suffix", None),
    ],
)
def test_a_file_name_says_its_format_in_any_case(name: str, expected: str | None) -> None:
    assert document_format(name) == expected
    assert document_format(Path("some/folder") / name) == expected


def test_an_upper_case_yaml_name_is_read_as_yaml() -> None:
    assert is_yaml_input(b"id: x", "FW.YAML")
    assert not is_yaml_input(b"{}", "FW.JSON")


def test_an_upper_case_jsonl_name_is_read_line_by_line(tmp_path: Path) -> None:
    lines = tmp_path / "SETS.JSONL"
    line = GRID_ANSWERS.read_text(encoding="utf-8").replace("\n", " ") + "\n"
    lines.write_text(line * 2, encoding="utf-8")  # two lines: not one JSON document
    assert len(read_documents([lines])) == 2
    result = run_silk("validate", str(lines))
    assert result.returncode == 0, result.stderr
    assert "2 document(s) valid" in result.stdout


def test_validate_reads_an_upper_case_yaml_framework(upper_case_framework: Path) -> None:
    result = run_silk("validate", str(upper_case_framework))
    assert result.returncode == 0, result.stderr
    assert "1 document(s) valid" in result.stdout


def test_frameworks_show_reads_an_upper_case_yaml_framework(upper_case_framework: Path) -> None:
    shown = run_silk("frameworks", "show", str(upper_case_framework))
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == run_silk("frameworks", "show", str(FRAMEWORK)).stdout


def test_a_region_tag_finds_its_language_in_the_library() -> None:
    assert text_of({"en": "Motives", "fr": "Motivations"}, "fr-FR") == "Motivations"


def _same_as_french(*command: str) -> str:
    """The output of ``command`` with ``--language fr-FR``, checked to be that with ``fr``."""
    regional = run_silk(*command, "--language", "fr-FR")
    french = run_silk(*command, "--language", "fr")
    assert regional.returncode == french.returncode == 0, regional.stderr + french.stderr
    assert regional.stdout == french.stdout
    return regional.stdout


def test_assess_with_a_region_tag_prints_the_french_titles() -> None:
    shown = _same_as_french("assess", "--framework", "silk.evaluation-grid", str(GRID_ANSWERS))
    assert "Nature de l'internationalisation" in shown


def test_render_scorecard_falls_back_to_the_framework_default_language() -> None:
    from silkcore import assess, get_catalog

    catalog = get_catalog()
    framework = catalog.framework("silk.evaluation-grid")
    card = assess(framework.id, read_documents([GRID_ANSWERS]), catalog=catalog)
    assert render_scorecard(card, framework, "fr-CA") == render_scorecard(card, framework, "fr")
    assert render_scorecard(card, framework, "de") == render_scorecard(card, framework, framework.default_language or "en")


def test_guide_with_a_region_tag_prints_the_french_texts() -> None:
    shown = _same_as_french("guide", "--answers", str(FLOWCHART_ANSWERS))
    assert "Opérationnalisation" in shown


def test_the_guide_falls_back_to_the_framework_default_language() -> None:
    """A language the framework lacks gives its own default language, as the score card does."""
    from silkcore import get_catalog
    from silkcore._cli.guide import render_outcome

    assert text_of({"en": "Motives", "fr": "Motivations"}, "de", "fr") == "Motivations"
    flowchart = get_catalog().framework("silk.flowchart")
    outcome = Guide(flowchart, read_documents([FLOWCHART_ANSWERS])[0].responses).run()
    french = attrs.evolve(flowchart, default_language="fr")
    assert render_outcome(outcome, french, "de") == render_outcome(outcome, french, "fr")
    assert render_outcome(outcome, french, "de") != render_outcome(outcome, flowchart, "de")


def test_frameworks_show_with_a_region_tag_prints_the_french_texts() -> None:
    shown = _same_as_french("frameworks", "show", str(FRAMEWORK))
    assert FRENCH_TITLE in shown
    grid = _same_as_french("frameworks", "show", "silk.evaluation-grid")
    assert "Nature de l'internationalisation" in grid

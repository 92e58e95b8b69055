"""silk_field: collect assessments in the field, in several languages, and map them to other taxonomies.

* ``silk export --format xlsform FRAMEWORK -o form.xlsx`` writes any framework as an XLSForm
  (KoboToolbox, ODK Collect, Enketo), one label column per language of the framework;
* ``silk import --format kobo-json|kobo-csv|odk-json|odk-csv EXPORT`` turns the submissions of
  such a form into validated response sets, reporting those it cannot map and why;
* ``silk field translations FRAMEWORK --language fr`` lists texts without a translation;
* ``silk field sdg CARD.json`` shows a score card by UN Sustainable Development Goal, through
  crosswalks (``silkfield_crosswalk-v1.0.0`` documents) shipped for Tool 2 and Tool 3.

Like the SILK tools, this plugin reaches silkcore only through its hooks; its modules are
imported by the hooks that need them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from silkcore import RegisterAnalysis, RegisterExporter, RegisterImporter, RegisterSchema, hookimpl, lazy_command

if TYPE_CHECKING:
    import click

__all__ = [
    "silk_add_cli_commands",
    "silk_register_analyses",
    "silk_register_exporters",
    "silk_register_importers",
    "silk_register_schemas",
]


@hookimpl
def silk_register_exporters(register: RegisterExporter) -> None:
    """The XLSForm exporter."""
    from .xlsform import XlsformExporter

    register(XlsformExporter())


@hookimpl
def silk_register_importers(register: RegisterImporter) -> None:
    """Kobo and ODK Central submission exports, JSON and CSV."""
    from .importers import FORMATS, SubmissionImporter

    for format_id in FORMATS:
        register(SubmissionImporter(format_id))


@hookimpl
def silk_register_schemas(register: RegisterSchema) -> None:
    """The crosswalk schema."""
    from .crosswalk import crosswalk_schema

    register(crosswalk_schema())


@hookimpl
def silk_register_analyses(register: RegisterAnalysis) -> None:
    """The SDG view of score cards."""
    from .sdg import SdgAnalysis

    register(SdgAnalysis())


@hookimpl
def silk_add_cli_commands(cli: click.Group) -> None:
    """``silk field ...``, imported when it is run."""
    summary = "Field collection: translations, crosswalks to other taxonomies, the SDG view of results."
    cli.add_command(lazy_command("field", "silk_field.cli:field_group", summary))

"""``silk assess``: score response sets into one score card."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .. import assess as assess_response_sets
from .._assessment import ResponseSet
from .._catalog import Catalog
from .._documents import dump_document, read_documents
from .._errors import Issue, SchemaValidationError, SilkError
from .._framework import Framework
from .._render import render_scorecard
from .common import catalog_of, fail, framework_option, store_option

if TYPE_CHECKING:
    from .._store import StoreURL

__all__ = ["COMMANDS", "load_response_sets"]


def load_response_sets(catalog: Catalog, paths: Sequence[Path], framework: Framework) -> list[ResponseSet]:
    """Read response sets - one a file, or one a line of a ``.jsonl`` file (as the web
    questionnaire downloads a team's answers) - each checked (by the one check) against
    ``framework``."""
    sets = []
    for path in paths:
        for doc in read_documents([path], registry=catalog.schemas, frameworks=lambda _framework_id: framework):
            if not isinstance(doc, ResponseSet):
                expected = "expected a response set (silkcore_response_set-v1.0.0)"
                raise SchemaValidationError([Issue("/schema", expected, str(path))])
            sets.append(doc)
    return sets


@click.command()
@framework_option("A registered framework id, or the path of a framework file.", required=True)
@click.argument("responses", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--json", "as_json", is_flag=True, help="Print the score card document (compact JSON, as batch and the node write it)."
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Also write the score card to this file.")
@store_option("Also record the assessment in this history store.")
@click.option("--language", default="en", show_default=True, help="Language of category titles in the printed card.")
@click.pass_context
def assess(
    ctx: click.Context,
    framework_ref: str,
    responses: tuple[Path, ...],
    as_json: bool,
    output: Path | None,
    store_path: Path | StoreURL | None,
    language: str,
) -> None:
    """Score response sets (several respondents for one organisation consolidate into one card)."""
    from .._outputs import check_output, write_output
    from .._store import Store, check_store_path

    catalog = catalog_of(ctx)
    try:
        if output is not None:
            check_output(output, inputs=(*responses, framework_ref if Path(framework_ref).is_file() else None))
        if store_path is not None:
            check_store_path(store_path)
        framework = catalog.resolve_framework(framework_ref)
        sets = load_response_sets(catalog, responses, framework)
        card = assess_response_sets(framework, sets, catalog=catalog)
        if store_path is not None:
            with Store(store_path) as store:
                store.record_assessment(sets, card)
        # The one form a score card is exchanged in: the bytes silk batch and the node write.
        text = dump_document(card, indent=None)
        if output is not None:
            write_output(output, text + "\n")
    except SilkError as exc:
        fail(exc)
    click.echo(text if as_json else render_scorecard(card, framework, language))


COMMANDS: tuple[click.Command, ...] = (assess,)

"""``silk report`` and ``silk history``: an organisation's report and its assessments over time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .._catalog import Catalog
from .._documents import read_documents
from .._errors import Issue, SilkError, UnknownComponentError, terminal_text
from .._extras import require_extra
from .._i18n import DEFAULT_LANGUAGE, LANGUAGES
from .._model import Organisation
from .._outputs import OutputError
from .common import (
    announce_store,
    catalog_of,
    default_store,
    fail,
    framework_option,
    given_frameworks,
    print_json,
    read_only_store,
    store_option,
)

if TYPE_CHECKING:
    from .._store import StoreURL

__all__ = ["COMMANDS", "REPORT_SUFFIXES", "check_report_format", "language_option"]

#: A report's formats and the extensions each is written to (the writer picks by extension).
REPORT_SUFFIXES: dict[str, tuple[str, ...]] = {"html": (".html", ".htm"), "markdown": (".md",)}


def check_report_format(output: Path, given: str | None) -> str:
    """The format ``output`` is written in: ``given`` when its extension agrees, else the one
    its extension names. An extension of no format, or of another one, is an error - a
    ``report.pdf`` holding HTML would mislead whoever opens it."""
    named = next((name for name, suffixes in REPORT_SUFFIXES.items() if output.suffix.lower() in suffixes), None)
    expected = " or ".join(s for name in ([given] if given else REPORT_SUFFIXES) for s in REPORT_SUFFIXES[name])
    if named is None or (given is not None and named != given):
        what = {"html": "an HTML report", "markdown": "a Markdown report", None: "a report"}[given]
        found = repr(output.suffix) if output.suffix else "no extension"
        raise OutputError([Issue("", f"{what} is written to a file ending in {expected}, not {found}", str(output))])
    return named


def language_option() -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--language``: the language a report is written in (an unknown one is a usage error
    listing those available)."""
    return click.option(
        "--language",
        type=click.Choice(list(LANGUAGES)),
        default=DEFAULT_LANGUAGE,
        show_default=True,
        help="The report's language: "
        + ", ".join(f"{code} ({name})" for code, name in LANGUAGES.items())
        + ". Every section is written in it; a framework's texts fall back to its default language.",
    )


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path), help="report.html or report.md")
@click.option(
    "--format",
    "report_format",
    type=click.Choice(sorted(REPORT_SUFFIXES)),
    help="html or markdown; by default the one -o's extension names. An -o extension of another format is an error.",
)
@framework_option("A framework the response sets answer, as an id or a file (repeatable).", multiple=True)
@store_option("A history store to read the organisation's progress over time from (a file, or a postgresql:// URL).")
@language_option()
@click.pass_context
def report(
    ctx: click.Context,
    inputs: tuple[Path, ...],
    output: Path,
    report_format: str | None,
    framework_refs: tuple[str, ...],
    store_path: Path | StoreURL | None,
    language: str,
) -> None:
    """Write the HTML (or Markdown) report for one organisation from its documents. Every
    response set is scored: one answering a framework that is neither installed nor given
    with --framework is an error. History is read only from a store given with --store. The
    report is written in --language (English by default)."""
    from .._outputs import atomic_path, check_output
    from .._store import Store, check_store_path, history

    catalog = catalog_of(ctx)
    try:
        check_report_format(output, report_format)
        require_extra("report", "silk report")  # before importing the report's modules, which need it
        from ..report._assemble import score_all, write_organisation_report

        check_output(output, inputs=(*inputs, *(ref for ref in framework_refs if Path(ref).is_file())))
        if store_path is not None:
            read_only_store(check_store_path(store_path))
        frameworks = catalog.framework_resolver(*given_frameworks(catalog, framework_refs))
        documents = read_documents(inputs, registry=catalog.schemas, frameworks=frameworks)
        cards = [card for _, card in score_all(catalog, documents, frameworks)]
        rows: list[dict[str, Any]] = []
        subject = next((d.org_id for d in documents if isinstance(d, Organisation)), None)
        # Only a store the user named: a default one would add sections from runs nobody chose.
        if subject is not None and store_path is not None:
            from .._history_versions import compare_versions

            with Store(store_path) as store:
                # across framework versions, changed categories are re-scored from the stored answers
                rows = compare_versions(
                    history(store.assessments(subject)), frameworks.versions, store.assessment_response_sets, catalog
                )
        with atomic_path(output) as partial:
            sections = write_organisation_report(catalog, documents, cards, rows, partial, frameworks, language)
    except SilkError as exc:
        fail(exc)
    click.echo(f"report written to {output} ({len(sections)} sections, {sum(s.charts for s in sections)} charts)")


def _framework_id(catalog: Catalog, ref: str) -> str:
    """The id a ``--framework`` names: a stored history may hold frameworks no longer installed,
    so an id that is neither installed nor a file is taken as it is."""
    try:
        return catalog.resolve_framework(ref).id
    except UnknownComponentError:
        return ref


@click.command("history")
@click.argument("org_id")
@store_option()
@framework_option(
    "Only this framework (an id, or a framework file whose id is taken); repeat it with the files of its versions "
    "to compare assessments across versions.",
    multiple=True,
)
@click.option("--rescore", is_flag=True, help="Re-score the stored answers of an earlier version where a category changed.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def history_command(
    ctx: click.Context,
    org_id: str,
    store_path: Path | StoreURL | None,
    framework_refs: tuple[str, ...],
    rescore: bool,
    as_json: bool,
) -> None:
    """An organisation's assessments over time, with the change per category. Across versions
    of a framework each category is comparable, re-scored or not comparable (with why)."""
    from .._history_versions import compare_versions
    from .._store import Store, history

    path = store_path or default_store()
    catalog = catalog_of(ctx)
    try:
        given = [catalog.resolve_framework(ref) for ref in framework_refs if Path(ref).is_file()]
        framework_ids = {_framework_id(catalog, ref) for ref in framework_refs}
        read_only_store(path)
        if store_path is None:
            announce_store(path)
        finder = catalog.framework_resolver(*given)
        with Store(path) as store:
            records = [r for r in store.assessments(org_id) if not framework_ids or r.framework_id in framework_ids]
            earlier = store.assessment_response_sets if rescore else None
            rows = compare_versions(history(records), finder.versions, earlier, catalog)
    except SilkError as exc:
        fail(exc)
    if as_json:
        print_json({"organisation": org_id, "assessments": rows})
        return
    if not rows:
        click.echo(f"no assessments of {org_id} in {path}")
    previous: dict[str, str] = {}
    for row in rows:
        scores = [c for c in row["categories"] if c["score"] is not None]
        changes = ", ".join(
            f"{c['id']} {c['score']:.2f}" + (f" ({c['change']:+.2f})" if c["change"] is not None else "") for c in scores
        )
        click.echo(f"{row['created_at'][:19]}  {row['framework_id']} {row['framework_version']}  {changes}")
        before = previous.get(row["framework_id"])
        if before is not None and before != row["framework_version"]:
            click.echo(f"  compared with {before}:")
            width = max(len(c["id"]) for c in row["categories"])
            for category in row["categories"]:
                reason = "" if category["status"] == "comparable" else f": {category['reason']}"
                click.echo(terminal_text(f"    {category['id']:<{width}}  {category['status']}{reason}"))
        previous[row["framework_id"]] = row["framework_version"]


COMMANDS: tuple[click.Command, ...] = (report, history_command)

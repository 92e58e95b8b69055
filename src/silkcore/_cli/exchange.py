"""``silk export`` and ``silk import``: documents to and from the formats plugins register."""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from .._documents import read_documents, read_source
from .._documents import validate as validate_doc
from .._errors import DataError, Issue, PartialImportError, SchemaValidationError, SilkError
from .._framework import Framework
from .._jsonio import dumps
from .common import ExitCode, catalog_of, fail, framework_option, print_issues

__all__ = ["COMMANDS"]


@click.command("export")
@click.option("--format", "format_id", required=True, help="An output format registered by a plugin (see `silk plugins`).")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write here instead of standard output.")
@click.option(
    "--audience", type=click.Choice(["public", "network", "bilateral"]), help="Who receives it (formats that enforce sharing)."
)
@click.option("--peer", help="The receiving peer's id (when a record is shared only with named peers).")
@click.pass_context
def export(
    ctx: click.Context, format_id: str, inputs: tuple[str, ...], output: Path | None, audience: str | None, peer: str | None
) -> None:
    """Convert documents (files, or registered framework ids) to another format. Nothing is
    written when the conversion is refused (for example by a record's sharing level)."""
    from .._outputs import check_output, write_output

    catalog = catalog_of(ctx)
    options = {k: v for k, v in (("audience", audience), ("peer", peer)) if v}
    try:
        if output is not None:
            check_output(output, inputs=[ref for ref in inputs if ref == "-" or Path(ref).is_file()])
        exporter = catalog.exporter(format_id)
        frameworks = catalog.framework_resolver()
        documents: list[Any] = []
        for ref in inputs:
            if Path(ref).is_file() or ref == "-":
                documents += read_documents([ref], registry=catalog.schemas, frameworks=frameworks)
            else:
                documents.append(catalog.resolve_framework(ref))
        # Options go only to exporters that were given some, so ``export(self, documents)`` works too.
        try:
            data = exporter.export(documents, **options) if options else exporter.export(documents)
        except (SchemaValidationError, DataError) as exc:
            files = [ref for ref in inputs if ref != "-" and Path(ref).is_file()]
            if len(files) != 1:  # several inputs: the exporter's issue cannot say which one
                raise
            kind = SchemaValidationError if isinstance(exc, SchemaValidationError) else DataError
            raise kind(_named(exc.errors, files[0])) from None
    except SilkError as exc:
        fail(exc)
    except ValueError as exc:
        fail(str(exc), ExitCode.INVALID_INPUT)
    if output is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            fail(f"the {format_id} format is binary ({exporter.media_type}); write it with -o FILE", ExitCode.USAGE)
        click.echo(text, nl=False)
    else:
        try:
            write_output(output, data)
        except SilkError as exc:
            fail(exc)


def _run_importer(
    importer: Any, data: bytes, name: str, given: tuple[Framework, ...]
) -> tuple[list[dict[str, Any]], Sequence[Issue]]:
    """The importer's documents and the records it could not read. A framework goes only to
    importers that take one (``import_(data, source, *, framework=None)``)."""
    options: dict[str, Any] = {}
    if given:
        if "framework" not in inspect.signature(importer.import_).parameters:
            raise click.UsageError(f"the {importer.id} format does not take --framework")
        options["framework"] = given[0]
    try:
        return list(importer.import_(data, name, **options)), ()
    except PartialImportError as partial:
        return partial.documents, _named(partial.errors, name)
    except SchemaValidationError as exc:  # an importer's refusal names the file it was given
        raise SchemaValidationError(_named(exc.errors, name)) from None
    except DataError as exc:
        raise DataError(_named(exc.errors, name)) from None


def _named(issues: Sequence[Issue], name: str) -> list[Issue]:
    """Each issue with the input's name where the importer left it out."""
    return [issue if issue.source else issue.located(name) for issue in issues]


@click.command("import")
@click.option("--format", "format_id", required=True, help="An input format registered by a plugin (see `silk plugins`).")
@framework_option("The framework the records answer, an id or a file (formats that map answers, e.g. kobo-json).")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path, allow_dash=True))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write the documents here (JSON, or JSON Lines).")
@click.pass_context
def import_(ctx: click.Context, format_id: str, framework_ref: str | None, source: Path, output: Path | None) -> None:
    """Read another format into validated silkcore documents. Records that cannot be read are
    reported (with line and column) and the others kept: exit 3 when some failed."""
    from .._outputs import check_output, write_output

    catalog = catalog_of(ctx)
    failed: Sequence[Issue] = ()
    try:
        if output is not None:
            check_output(output, inputs=(source, framework_ref if framework_ref and Path(framework_ref).is_file() else None))
        importer = catalog.importer(format_id)
        given = () if framework_ref is None else (catalog.resolve_framework(framework_ref),)
        data, name = read_source(source)
        documents, failed = _run_importer(importer, data, name, given)
        frameworks = catalog.framework_resolver(*given)
        for index, document in enumerate(documents):
            issues = validate_doc(document, registry=catalog.schemas, frameworks=frameworks)
            if issues:
                raise SchemaValidationError([i.located(f"{name} (record {index + 1})") for i in issues])
    except SilkError as exc:
        fail(exc)
    text = dumps(documents[0]) if len(documents) == 1 else "\n".join(dumps(d, indent=None) for d in documents)
    if output is None:
        click.echo(text)
    else:
        try:
            write_output(output, text + "\n")
        except SilkError as exc:
            fail(exc)
        click.echo(f"{len(documents)} document(s) written to {output}", err=True)
    print_issues(failed)
    raise SystemExit(ExitCode.PARTIAL_FAILURE if failed else ExitCode.OK)


COMMANDS: tuple[click.Command, ...] = (export, import_)

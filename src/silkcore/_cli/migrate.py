"""``silk migrate``: response sets answered under one version of a framework, carried to another."""

from __future__ import annotations

from pathlib import Path

import click

from .._errors import DataError, Issue, SchemaValidationError, SilkError
from .common import catalog_of, fail, framework_option, given_frameworks

__all__ = ["COMMANDS"]


@click.command("migrate")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--to", "version", required=True, metavar="VERSION", help="The framework version to migrate to.")
@framework_option("A version of the framework as a file (repeatable): the target, and any version on the way.", multiple=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write here instead of standard output.")
@click.pass_context
def migrate_command(
    ctx: click.Context, inputs: tuple[Path, ...], version: str, framework_refs: tuple[str, ...], output: Path | None
) -> None:
    """Carry response sets (JSON, or JSON Lines of them) to another version of their framework,
    following its declared changes. Answers that cannot be carried become unknown, with the
    reason in their comment. One JSON input gives one document; JSON Lines or several inputs
    give JSON Lines. See docs/writing-a-framework.md, "Evolving a framework"."""
    from .._assessment import ResponseSet
    from .._documents import dump_document, read_documents
    from .._migrate import migrate
    from .._outputs import check_output, write_output

    catalog = catalog_of(ctx)
    try:
        if output is not None:
            check_output(output, inputs=(*inputs, *(r for r in framework_refs if Path(r).is_file())))
        finder = catalog.framework_resolver(*given_frameworks(catalog, framework_refs))
        # Checked against their schema here, and against the version they answer (when it is
        # known) by migrate: the newest version, which a plain read would check against, is
        # the one these answers are not written for.
        documents = [(path, d) for path in inputs for d in read_documents([path], registry=catalog.schemas)]
        lines: list[str] = []
        summaries: list[str] = []
        for number, (path, document) in enumerate(documents, start=1):
            if not isinstance(document, ResponseSet):
                raise SchemaValidationError(
                    [Issue("/schema", "expected a response set (silkcore_response_set-v1.0.0)", str(path))]
                )
            target = finder.version(document.framework_id, version)
            try:
                done = migrate(document, target, versions=finder.versions(document.framework_id))
            except (DataError, SchemaValidationError) as exc:
                where = f"{path} (response set {number})" if len(documents) > 1 else str(path)
                raise type(exc)([issue.located(where) for issue in exc.errors]) from None
            lines.append(dump_document(done.response_set, indent=None if _as_lines(inputs) else 2))
            summaries.append(
                f"{document.framework_id} {document.framework_version} -> {version}: {done.carried} answer(s) carried, "
                f"{len(done.asked_again)} asked again (unknown: {', '.join(done.asked_again) or '-'}), "
                f"{len(done.left_behind)} left behind ({', '.join(done.left_behind) or '-'})"
            )
        text = "\n".join(lines) + "\n"
        if output is not None:
            write_output(output, text)
    except SilkError as exc:
        fail(exc)
    if output is None:
        click.echo(text, nl=False)
        for line in summaries:
            click.echo(line, err=True)
    else:
        click.echo(f"{len(lines)} response set(s) written to {output}")
        for line in summaries:
            click.echo(f"  {line}")


def _as_lines(inputs: tuple[Path, ...]) -> bool:
    """JSON Lines out when any input is JSON Lines or there are several inputs."""
    from .._documents import document_format

    return len(inputs) > 1 or any(document_format(path) == "jsonl" for path in inputs)


COMMANDS: tuple[click.Command, ...] = (migrate_command,)

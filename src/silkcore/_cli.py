"""The ``silk`` command.

Exit codes: 0 ok, 1 invalid input, 2 usage, 3 partial batch failure, 4 plugin failure,
5 store failure. Bad input gets one clear message per problem (file, line, JSON Pointer,
what was expected) on stderr - never a traceback.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Sequence
from enum import IntEnum
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from . import assess as assess_response_sets
from ._assessment import ResponseSet
from ._catalog import Catalog, build_catalog
from ._cli_guide import guide_command
from ._documents import dump_document, is_yaml_input, load_document, parse_bytes, read_documents, read_source
from ._documents import validate as validate_doc
from ._errors import (
    DataError,
    Issue,
    PartialImportError,
    PluginError,
    SchemaValidationError,
    SilkError,
    StoreError,
    UnknownComponentError,
    terminal_text,
)
from ._framework import Framework
from ._framework_data import framework_document
from ._jsonio import dumps, iter_json_lines
from ._locate import locate_issues
from ._model import Organisation
from ._progress import progress
from ._render import render_framework_list, render_scorecard

__all__ = ["ExitCode", "main"]

_F = TypeVar("_F", bound=Callable[..., Any])


class ExitCode(IntEnum):
    """The ``silk`` command's exit codes."""

    OK = 0
    INVALID_INPUT = 1
    USAGE = 2
    PARTIAL_FAILURE = 3
    PLUGIN_FAILURE = 4
    STORE_FAILURE = 5


def _exit_code(error: SilkError) -> ExitCode:
    if isinstance(error, PluginError):
        return ExitCode.PLUGIN_FAILURE
    if isinstance(error, StoreError):
        return ExitCode.STORE_FAILURE
    if isinstance(error, UnknownComponentError):
        return ExitCode.USAGE
    return ExitCode.INVALID_INPUT


def _print_issues(issues: Sequence[Issue]) -> None:
    """Each issue on its own line, the same on every command: ``error: FILE[:LINE[:COLUMN]]:
    at POINTER: MESSAGE``."""
    for issue in issues:
        click.echo(f"error: {issue}", err=True)


def _fail(error: SilkError) -> NoReturn:
    errors: Sequence[Issue] = getattr(error, "errors", ())
    if errors:
        _print_issues(errors)
    else:
        click.echo(f"error: {error}", err=True)
    raise SystemExit(_exit_code(error))


def _catalog(ctx: click.Context) -> Catalog:
    catalog: Catalog = ctx.obj["catalog"]
    return catalog


def _print_json(value: Any) -> None:
    click.echo(dumps(value))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--strict-plugins", is_flag=True, help="Treat any plugin failure as fatal (exit 4).")
@click.version_option(package_name="silkcore", prog_name="silk")
@click.pass_context
def cli(ctx: click.Context, strict_plugins: bool) -> None:
    """Assess how SSE organisations go international, and exchange validated data about them."""
    ctx.ensure_object(dict)
    if "catalog" not in ctx.obj:
        ctx.obj["catalog"] = build_catalog()
    failed = ctx.obj["catalog"].failed_plugins()
    if strict_plugins and failed:
        for status in failed:
            click.echo(f"error: plugin {status.name!r} failed: {status.error}", err=True)
        raise SystemExit(ExitCode.PLUGIN_FAILURE)
    for status in failed:
        click.echo(f"warning: plugin {status.name!r} failed and was skipped ({status.error})", err=True)


def _framework_option(help_text: str, *, multiple: bool = False, required: bool = False) -> Callable[[_F], _F]:
    """``--framework/-f ID_OR_FILE``: the same option, resolved the same way, on every command."""
    return click.option("--framework", "-f", "framework_refs" if multiple else "framework_ref",
                        multiple=multiple, required=required, metavar="ID_OR_FILE", help=help_text)  # fmt: skip


def _given_frameworks(catalog: Catalog, refs: Sequence[str]) -> tuple[Framework, ...]:
    return tuple(catalog.resolve_framework(ref) for ref in refs)


def _issue_row(issue: Issue) -> dict[str, Any]:
    return {
        "file": issue.source or "<input>",
        "line": issue.line,
        "column": issue.column,
        "pointer": issue.pointer,
        "message": issue.message,
    }


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path, allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help="Print the issues as JSON.")
@click.option("--engine", type=click.Choice(["rs", "python"]), default="rs", show_default=True, help="Which validator decides.")
@_framework_option(
    "Check response sets against this framework (an id or a file; repeatable) as well as the installed ones they name.",
    multiple=True,
)
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...], as_json: bool, engine: str, framework_refs: tuple[str, ...]) -> None:
    """Validate documents (JSON, YAML frameworks, or JSON Lines with one document a line; - is
    standard input). A response set is also checked against the framework it answers."""
    catalog = _catalog(ctx)
    try:
        frameworks = catalog.framework_resolver(*_given_frameworks(catalog, framework_refs))
    except SilkError as exc:
        _fail(exc)
    registry = catalog.schemas
    issues: list[Issue] = []
    checked = 0
    for path in progress(files, "validating"):
        if path.suffix == ".jsonl":
            try:
                handle = path.open("rb")
            except OSError as exc:
                issues.append(Issue("", f"cannot read file: {exc.strerror or exc}", str(path)))
                continue
            with handle:
                for line, doc in iter_json_lines(handle, source=str(path)):
                    checked += 1
                    found = (
                        doc.errors
                        if isinstance(doc, DataError)
                        else validate_doc(doc, registry=registry, engine=engine, frameworks=frameworks)
                    )
                    issues.extend(i.located(str(path), line) for i in found)
            continue
        checked += 1
        try:
            data, name = read_source(path)
            doc = parse_bytes(data, name)
        except DataError as exc:
            issues.extend(exc.errors)
            continue
        found = validate_doc(doc, registry=registry, engine=engine, frameworks=frameworks)
        issues.extend(locate_issues(found, data, name, is_yaml=is_yaml_input(data, name)))
    if as_json:
        _print_json({"documents": checked, "valid": not issues, "issues": [_issue_row(i) for i in issues]})
    else:
        _print_issues(issues)
        if not issues:
            click.echo(f"{checked} document(s) valid")
    raise SystemExit(ExitCode.INVALID_INPUT if issues else ExitCode.OK)


def _load_response_sets(catalog: Catalog, paths: Sequence[Path], framework: Framework) -> list[ResponseSet]:
    """Read response sets, each checked (by the one check) against ``framework``."""
    sets = []
    for path in paths:
        doc = load_document(path, registry=catalog.schemas, frameworks=lambda _framework_id: framework)
        if not isinstance(doc, ResponseSet):
            raise SchemaValidationError([Issue("/schema", "expected a response set (silkcore_response_set-v1.0.0)", str(path))])
        sets.append(doc)
    return sets


@cli.command()
@_framework_option("A registered framework id, or the path of a framework file.", required=True)
@click.argument("responses", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the score card document.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Also write the score card to this file.")
@click.option(
    "--store",
    "store_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also record the assessment in this history store.",
)
@click.option("--language", default="en", show_default=True, help="Language of category titles in the printed card.")
@click.pass_context
def assess(
    ctx: click.Context,
    framework_ref: str,
    responses: tuple[Path, ...],
    as_json: bool,
    output: Path | None,
    store_path: Path | None,
    language: str,
) -> None:
    """Score response sets (several respondents for one organisation consolidate into one card)."""
    from ._outputs import check_output, write_output
    from ._store import Store, check_store_path

    catalog = _catalog(ctx)
    try:
        if output is not None:
            check_output(output, inputs=(*responses, framework_ref if Path(framework_ref).is_file() else None))
        if store_path is not None:
            check_store_path(store_path)
        framework = catalog.resolve_framework(framework_ref)
        sets = _load_response_sets(catalog, responses, framework)
        card = assess_response_sets(framework, sets, catalog=catalog)
        if store_path is not None:
            with Store(store_path) as store:
                store.record_assessment(sets, card)
        text = dump_document(card)
        if output is not None:
            write_output(output, text + "\n")
    except SilkError as exc:
        _fail(exc)
    click.echo(text if as_json else render_scorecard(card, framework, language))


@cli.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def frameworks(ctx: click.Context, as_json: bool) -> None:
    """List the frameworks installed plugins provide (or `show` one)."""
    if ctx.invoked_subcommand is not None:
        return
    catalog = _catalog(ctx)
    rows = [
        {
            "id": f.id,
            "version": f.version,
            "title": f.title,
            "categories": len(f.categories),
            "items": len(f.items),
            "plugin": catalog.owner("framework", f.id),
        }
        for f in catalog.frameworks()
    ]
    if as_json:
        _print_json(rows)
    else:
        click.echo(render_framework_list(rows))


@frameworks.command("show")
@click.argument("framework_ref")
@click.option("--json", "as_json", is_flag=True, help="Print the framework document (scales resolved into items).")
@click.option("--language", help="Language of the texts (BCP 47; falls back to the framework's default).")
@click.pass_context
def frameworks_show(ctx: click.Context, framework_ref: str, as_json: bool, language: str | None) -> None:
    """Print one framework: by id, or from a framework file."""
    catalog = _catalog(ctx)
    try:
        framework = catalog.resolve_framework(framework_ref)
    except SilkError as exc:
        _fail(exc)
    document = framework_document(framework)
    if as_json:
        _print_json(document)
        return
    language = language or framework.default_language or "en"

    # A framework file is someone else's text: shown with control characters escaped.
    def echo(text: str) -> None:
        click.echo(terminal_text(text))

    echo(f"{framework.id} {framework.version}: {framework.title.get(language, next(iter(framework.title.values())))}")
    for category in framework.categories:
        items = [i for i in framework.items if i.category == category.id]
        echo(f"  {category.id} {category.title.get(language, next(iter(category.title.values())))} ({len(items)} items)")
        for item in items:
            mark = "*" if framework.is_scored(item) else " "
            width = max(len(i.id) for i in framework.items)
            echo(f"    {mark} {item.id:<{width}} {item.kind.value:<12} {item.text.get(language, next(iter(item.text.values())))}")
    click.echo("  (* scored)")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def plugins(ctx: click.Context, as_json: bool) -> None:
    """List plugins with their distribution, version and status (ok, failed, disabled)."""
    statuses = _catalog(ctx).plugin_statuses()
    rows = [
        {"name": s.name, "distribution": s.distribution, "version": s.version, "status": s.status, "error": s.error}
        for s in statuses
    ]
    if as_json:
        _print_json(rows)
        return
    if not rows:
        click.echo("no plugins installed")
    for row in rows:
        line = f"{row['name']:<24} {row['distribution'] or '-':<28} {row['version'] or '-':<10} {row['status']}"
        click.echo(line + (f"  {row['error']}" if row["error"] else ""))


@cli.command()
@click.argument("name", required=False)
@click.pass_context
def schema(ctx: click.Context, name: str | None) -> None:
    """Print a schema from the local registry (without NAME: list the names)."""
    registry = _catalog(ctx).schemas
    if name is None:
        for known in registry.names():
            click.echo(known)
        return
    try:
        _print_json(registry.schema(name))
    except SilkError as exc:
        _fail(exc)


def _store_option(function: Any) -> Any:
    return click.option(
        "--store",
        "store_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="The history store (default: $SILKCORE_STORE or silkcore/history.sqlite in your data directory).",
    )(function)


@cli.command()
@click.option(
    "-o", "--output", "output_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("silk-demo"), show_default=True
)
@_store_option
@click.pass_context
def demo(ctx: click.Context, output_dir: Path, store_path: Path | None) -> None:
    """Run every installed tool on the bundled example organisation: score, store, write a report."""
    from ._demo import run_demo
    from ._store import default_store_path

    try:
        outcome = run_demo(_catalog(ctx), output_dir, store_path or default_store_path())
    except SilkError as exc:
        _fail(exc)
    click.echo(outcome.summary)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="report.html or report.md")
@_framework_option("A framework the response sets answer, as an id or a file (repeatable).", multiple=True)
@_store_option
@click.pass_context
def report(
    ctx: click.Context, inputs: tuple[Path, ...], output: Path, framework_refs: tuple[str, ...], store_path: Path | None
) -> None:
    """Write the HTML (or Markdown) report for one organisation from its documents. Every
    response set is scored: one answering a framework that is neither installed nor given
    with --framework is an error."""
    from ._outputs import atomic_path, check_output
    from ._store import Store, check_store_path, default_store_path, history
    from .report._assemble import score_all, write_organisation_report

    catalog = _catalog(ctx)
    try:
        check_output(output, inputs=(*inputs, *(ref for ref in framework_refs if Path(ref).is_file())))
        if store_path is not None:
            check_store_path(store_path)
        frameworks = catalog.framework_resolver(*_given_frameworks(catalog, framework_refs))
        documents = read_documents(inputs, registry=catalog.schemas, frameworks=frameworks)
        cards = [card for _, card in score_all(catalog, documents, frameworks)]
        rows: list[dict[str, Any]] = []
        subject = next((d.org_id for d in documents if isinstance(d, Organisation)), None)
        path = store_path or default_store_path()
        if subject is not None and (store_path is not None or path.exists()):
            with Store(path) as store:
                rows = history(store.assessments(subject))
        with atomic_path(output) as partial:
            sections = write_organisation_report(catalog, documents, cards, rows, partial, frameworks)
    except SilkError as exc:
        _fail(exc)
    click.echo(f"report written to {output} ({len(sections)} sections, {sum(s.charts for s in sections)} charts)")


@cli.command("history")
@click.argument("org_id")
@_store_option
@_framework_option("Only this framework (an id, or a framework file whose id is taken).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def history_command(ctx: click.Context, org_id: str, store_path: Path | None, framework_ref: str | None, as_json: bool) -> None:
    """An organisation's assessments over time, with the change per category."""
    from ._store import Store, default_store_path, history

    path = store_path or default_store_path()
    try:
        framework_id = None if framework_ref is None else _framework_id(_catalog(ctx), framework_ref)
        if not path.exists():
            raise StoreError(
                f"no store at {path}; record assessments with `silk assess --store {path}` or `silk demo --store {path}`"
            )
        with Store(path) as store:
            rows = history(store.assessments(org_id, framework_id))
    except SilkError as exc:
        _fail(exc)
    if as_json:
        _print_json({"organisation": org_id, "assessments": rows})
        return
    if not rows:
        click.echo(f"no assessments of {org_id} in {path}")
    for row in rows:
        scores = [c for c in row["categories"] if c["score"] is not None]
        changes = ", ".join(
            f"{c['id']} {c['score']:.2f}" + (f" ({c['change']:+.2f})" if c["change"] is not None else "") for c in scores
        )
        click.echo(f"{row['created_at'][:19]}  {row['framework_id']} {row['framework_version']}  {changes}")


def _framework_id(catalog: Catalog, ref: str) -> str:
    """The id a ``--framework`` names: a stored history may hold frameworks no longer installed,
    so an id that is neither installed nor a file is taken as it is."""
    try:
        return catalog.resolve_framework(ref).id
    except UnknownComponentError:
        return ref


@cli.command("export")
@click.option("--format", "format_id", required=True, help="An output format registered by a plugin (see `silk plugins`).")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of standard output.")
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
    from ._outputs import check_output, write_output

    catalog = _catalog(ctx)
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
        data = exporter.export(documents, **options) if options else exporter.export(documents)
    except SilkError as exc:
        _fail(exc)
    except ValueError as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(ExitCode.INVALID_INPUT) from None
    if output is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            click.echo(f"error: the {format_id} format is binary ({exporter.media_type}); write it with -o FILE", err=True)
            raise SystemExit(ExitCode.USAGE) from None
        click.echo(text, nl=False)
    else:
        try:
            write_output(output, data)
        except SilkError as exc:
            _fail(exc)


cli.add_command(guide_command)


@cli.group()
def batch() -> None:
    """Stream JSON Lines (a file, a .gz file or - for stdin): one result or error record per line."""


def _run_batch(
    catalog: Catalog,
    task: str,
    source: str,
    output: Path | None,
    framework_id: str | None,
    workers: int,
    summary: Path | None = None,
) -> None:
    from ._batch import BatchError, run_batch
    from ._outputs import atomic_output, check_output, write_output

    try:
        if framework_id is not None:  # once here, so a bad --framework is one error, not one per line
            catalog.resolve_framework(framework_id)
        if output is not None:
            check_output(output, inputs=(source,))
        if summary is not None:
            check_output(summary, inputs=(source, output))
        with atomic_output(output or "-") as handle:
            counts = run_batch(task, source, handle, framework_id=framework_id, workers=workers)
    except BatchError as exc:  # stopped early: the lines done are counted, the -o file is not left half-written
        click.echo(f"{exc.counts.lines} line(s): {exc.counts.ok} ok, {exc.counts.failed} failed", err=True)
        _fail(exc)
    except SilkError as exc:
        _fail(exc)
    click.echo(f"{counts.lines} line(s): {counts.ok} ok, {counts.failed} failed", err=True)
    if summary is not None:
        try:
            write_output(summary, dumps({"flows": counts.flows.to_json()}) + "\n")
        except SilkError as exc:
            _fail(exc)
        click.echo(f"flow totals written to {summary}", err=True)
    raise SystemExit(ExitCode.PARTIAL_FAILURE if counts.failed else ExitCode.OK)


@batch.command("validate")
@_framework_option("Check response sets against this framework (an id or a file) instead of the one each names.")
@click.argument("source")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write results here (default: standard output)."
)
@click.option("--workers", default=1, show_default=True, help="Worker processes (output stays in input order).")
@click.pass_context
def batch_validate(ctx: click.Context, framework_ref: str | None, source: str, output: Path | None, workers: int) -> None:
    """Validate and type every document of a JSON Lines input (response sets against their
    framework, as `silk validate` does)."""
    _run_batch(_catalog(ctx), "validate", source, output, framework_ref, workers)


@batch.command("score")
@_framework_option("Score response sets with this framework (an id or a file; default: the one each response set names).")
@click.argument("source")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write score cards here (default: standard output)."
)
@click.option("--workers", default=1, show_default=True, help="Worker processes (output stays in input order).")
@click.option(
    "--summary",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the flows' totals per kind and direction here (JSON).",
)
@click.pass_context
def batch_score(
    ctx: click.Context, framework_ref: str | None, source: str, output: Path | None, workers: int, summary: Path | None
) -> None:
    """Score every response set (a score card per line) and every flow (its kind, direction
    and amount; totals with --summary) of a JSON Lines input."""
    _run_batch(_catalog(ctx), "score", source, output, framework_ref, workers, summary)


@cli.command("import")
@click.option("--format", "format_id", required=True, help="An input format registered by a plugin (see `silk plugins`).")
@_framework_option("The framework the records answer, an id or a file (formats that map answers, e.g. kobo-json).")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path, allow_dash=True))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the documents here (JSON, or JSON Lines)."
)
@click.pass_context
def import_(ctx: click.Context, format_id: str, framework_ref: str | None, source: Path, output: Path | None) -> None:
    """Read another format into validated silkcore documents. Records that cannot be read are
    reported (with line and column) and the others kept: exit 3 when some failed."""
    from ._outputs import check_output, write_output

    catalog = _catalog(ctx)
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
        _fail(exc)
    text = dumps(documents[0]) if len(documents) == 1 else "\n".join(dumps(d, indent=None) for d in documents)
    if output is None:
        click.echo(text)
    else:
        try:
            write_output(output, text + "\n")
        except SilkError as exc:
            _fail(exc)
        click.echo(f"{len(documents)} document(s) written to {output}", err=True)
    _print_issues(failed)
    raise SystemExit(ExitCode.PARTIAL_FAILURE if failed else ExitCode.OK)


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
        return partial.documents, partial.errors


@cli.command("serve")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (keep loopback unless behind a TLS proxy)."
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0: any free port, printed).",
)
@_store_option
@click.option(
    "--peers",
    "peers_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help='The peers file: {"peers": [{"id": URL, "token": SECRET}]}. Without it every caller is anonymous.',
)
@click.option("--max-body", default=1_048_576, show_default=True, type=click.IntRange(1), help="Largest request body, in bytes.")
@_framework_option("Also serve and assess this framework, an id or a file (repeatable).", multiple=True)
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    store_path: Path | None,
    peers_path: Path | None,
    max_body: int,
    framework_refs: tuple[str, ...],
) -> None:
    """Run an exchange node over the store: peers publish, receive, validate and assess over
    HTTP, and each caller sees only what the records' sharing levels allow it (see /openapi.json)."""
    from ._store import default_store_path
    from .node import serve as serve_node

    try:
        serve_node(
            host,
            port,
            store_path or default_store_path(),
            peers_path,
            catalog=_catalog(ctx),
            max_body=max_body,
            frameworks=framework_refs,
        )
    except SilkError as exc:
        _fail(exc)
    except OSError as exc:
        click.echo(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}", err=True)
        raise SystemExit(ExitCode.USAGE) from None


def _add_plugin_commands(catalog: Catalog) -> None:
    """Let plugins add ``silk`` subcommands; one that replaces an existing command is refused
    (its commands are removed and it is reported as failed), so ``silk validate`` is always ours."""
    for name, plugin in catalog.host.ok_plugins():
        hook = getattr(plugin, "silk_add_cli_commands", None)
        if hook is None or catalog.host.pm.parse_hookimpl_opts(plugin, "silk_add_cli_commands") is None:
            continue
        before = dict(cli.commands)
        try:
            hook(cli=cli)
            replaced = sorted(k for k, command in before.items() if cli.commands.get(k) is not command)
            if replaced:
                raise PluginError(f"plugin {name!r} may not replace the command(s) {', '.join(replaced)}", plugin_name=name)
        except (Exception, SystemExit) as exc:  # a plugin's command failing to register must not break silk
            cli.commands.clear()
            cli.commands.update(before)
            catalog.host.fail(name, exc, context="silk_add_cli_commands")


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``silk``; returns the exit code."""
    catalog = build_catalog()
    _add_plugin_commands(catalog)
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="silk", obj={"catalog": catalog}, standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else ExitCode.INVALID_INPUT
    except SilkError as exc:
        try:
            _fail(exc)
        except SystemExit as inner:
            return int(inner.code or 0)
    return ExitCode.OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

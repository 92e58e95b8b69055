"""The ``silk`` command.

Exit codes: 0 ok, 1 invalid input, 2 usage, 3 partial batch failure, 4 plugin failure,
5 store failure. Bad input gets one clear message per problem (file, line, JSON Pointer,
what was expected) on stderr - never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from enum import IntEnum
from pathlib import Path
from typing import Any, NoReturn

import click

from . import assess as assess_response_sets
from .assessment import ResponseSet
from .catalog import Catalog, build_catalog
from .cli_guide import guide_command
from .documents import dump_document, load_document, parse_bytes, read_documents, read_source
from .documents import validate as validate_doc
from .errors import (
    DataError,
    Issue,
    PartialImportError,
    PluginError,
    SchemaValidationError,
    SilkError,
    StoreError,
    UnknownComponentError,
)
from .framework_data import framework_document, load_framework
from .jsonio import dumps, iter_json_lines
from .model import Organisation
from .progress import progress
from .render import render_framework_list, render_scorecard

__all__ = ["ExitCode", "main"]


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


def _fail(error: SilkError) -> NoReturn:
    errors: Sequence[Issue] = getattr(error, "errors", ())
    if errors:
        for issue in errors:
            click.echo(f"error: {issue}", err=True)
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


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the issues as JSON.")
@click.option("--engine", type=click.Choice(["rs", "python"]), default="rs", show_default=True, help="Which validator decides.")
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...], as_json: bool, engine: str) -> None:
    """Validate documents (JSON, YAML frameworks, or JSON Lines with one document a line)."""
    registry = _catalog(ctx).schemas
    report: list[dict[str, Any]] = []
    checked = 0
    for path in progress(files, "validating"):
        if path.suffix == ".jsonl":
            try:
                handle = path.open("rb")
            except OSError as exc:
                report.append({"file": str(path), "line": None, "pointer": "", "message": f"cannot read file: {exc.strerror}"})
                continue
            with handle:
                for line, doc in iter_json_lines(handle, source=str(path)):
                    checked += 1
                    issues = doc.errors if isinstance(doc, DataError) else validate_doc(doc, registry=registry, engine=engine)
                    report.extend(_issue_row(i.located(str(path), line)) for i in issues)
            continue
        checked += 1
        try:
            data, name = read_source(path)
            doc = parse_bytes(data, name)
        except DataError as exc:
            report.extend(_issue_row(i) for i in exc.errors)
            continue
        report.extend(_issue_row(i.located(str(path))) for i in validate_doc(doc, registry=registry, engine=engine))
    if as_json:
        _print_json({"documents": checked, "valid": not report, "issues": report})
    else:
        for row in report:
            where = row["file"] + (f":{row['line']}" if row["line"] else "")
            click.echo(f"{where}: at {row['pointer'] or '(document root)'}: {row['message']}", err=True)
        if not report:
            click.echo(f"{checked} document(s) valid")
    raise SystemExit(ExitCode.INVALID_INPUT if report else ExitCode.OK)


def _issue_row(issue: Issue) -> dict[str, Any]:
    return {"file": issue.source or "<input>", "line": issue.line, "pointer": issue.pointer, "message": issue.message}


def _load_response_sets(catalog: Catalog, paths: Sequence[Path]) -> list[ResponseSet]:
    sets = []
    for path in paths:
        doc = load_document(path, registry=catalog.schemas)
        if not isinstance(doc, ResponseSet):
            raise SchemaValidationError([Issue("/schema", "expected a response set (silkcore_response_set-v1.0.0)", str(path))])
        sets.append(doc)
    return sets


@cli.command()
@click.option(
    "--framework", "-f", "framework_ref", required=True, help="A registered framework id, or the path of a framework file."
)
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
    catalog = _catalog(ctx)
    try:
        path = Path(framework_ref)
        framework = load_framework(path, registry=catalog.schemas) if path.is_file() else catalog.framework(framework_ref)
        sets = _load_response_sets(catalog, responses)
        card = assess_response_sets(framework, sets, catalog=catalog)
        if store_path is not None:
            from .store import Store

            with Store(store_path) as store:
                store.record_assessment(sets, card)
    except SilkError as exc:
        _fail(exc)
    text = dump_document(card)
    if output is not None:
        output.write_text(text + "\n", encoding="utf-8")
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
        path = Path(framework_ref)
        framework = load_framework(path, registry=catalog.schemas) if path.is_file() else catalog.framework(framework_ref)
    except SilkError as exc:
        _fail(exc)
    document = framework_document(framework)
    if as_json:
        _print_json(document)
        return
    language = language or framework.default_language or "en"
    click.echo(f"{framework.id} {framework.version}: {framework.title.get(language, next(iter(framework.title.values())))}")
    for category in framework.categories:
        items = [i for i in framework.items if i.category == category.id]
        click.echo(f"  {category.id} {category.title.get(language, next(iter(category.title.values())))} ({len(items)} items)")
        for item in items:
            mark = "*" if framework.is_scored(item) else " "
            width = max(len(i.id) for i in framework.items)
            click.echo(
                f"    {mark} {item.id:<{width}} {item.kind.value:<12} {item.text.get(language, next(iter(item.text.values())))}"
            )
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


def _read_documents(catalog: Catalog, inputs: Sequence[Path]) -> list[Any]:
    return read_documents(inputs, registry=catalog.schemas)


@cli.command()
@click.option(
    "-o", "--output", "output_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("silk-demo"), show_default=True
)
@_store_option
@click.pass_context
def demo(ctx: click.Context, output_dir: Path, store_path: Path | None) -> None:
    """Run every installed tool on the bundled example organisation: score, store, write a report."""
    from .demo import run_demo
    from .store import default_store_path

    try:
        outcome = run_demo(_catalog(ctx), output_dir, store_path or default_store_path())
    except SilkError as exc:
        _fail(exc)
    click.echo(outcome.summary)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="report.html or report.md")
@_store_option
@click.pass_context
def report(ctx: click.Context, inputs: tuple[Path, ...], output: Path, store_path: Path | None) -> None:
    """Write the HTML (or Markdown) report for one organisation from its documents."""
    from .report.assemble import score_all, write_organisation_report
    from .store import Store, default_store_path, history

    catalog = _catalog(ctx)
    try:
        documents = _read_documents(catalog, inputs)
        cards = [card for _, card in score_all(catalog, documents)]
        rows: list[dict[str, Any]] = []
        subject = next((d.org_id for d in documents if isinstance(d, Organisation)), None)
        path = store_path or default_store_path()
        if subject is not None and (store_path is not None or path.exists()):
            with Store(path) as store:
                rows = history(store.assessments(subject))
        sections = write_organisation_report(catalog, documents, cards, rows, output)
    except SilkError as exc:
        _fail(exc)
    click.echo(f"report written to {output} ({len(sections)} sections, {sum(s.charts for s in sections)} charts)")


@cli.command("history")
@click.argument("org_id")
@_store_option
@click.option("--framework", "framework_id", help="Only this framework.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def history_command(org_id: str, store_path: Path | None, framework_id: str | None, as_json: bool) -> None:
    """An organisation's assessments over time, with the change per category."""
    from .store import Store, default_store_path, history

    path = store_path or default_store_path()
    try:
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
    catalog = _catalog(ctx)
    options = {k: v for k, v in (("audience", audience), ("peer", peer)) if v}
    try:
        exporter = catalog.exporter(format_id)
        documents: list[Any] = []
        for ref in inputs:
            documents += _read_documents(catalog, [Path(ref)]) if Path(ref).is_file() else [catalog.framework(ref)]
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
        output.write_bytes(data)


cli.add_command(guide_command)


@cli.group()
def batch() -> None:
    """Stream JSON Lines (a file, a .gz file or - for stdin): one result or error record per line."""


def _run_batch(
    task: str, source: str, output: Path | None, framework_id: str | None, workers: int, summary: Path | None = None
) -> None:
    from .batch import run_batch

    try:
        if output is None:
            counts = run_batch(task, source, sys.stdout, framework_id=framework_id, workers=workers)
        else:
            with output.open("w", encoding="utf-8") as handle:
                counts = run_batch(task, source, handle, framework_id=framework_id, workers=workers)
    except OSError as exc:
        click.echo(f"error: cannot read {source}: {exc.strerror or exc}", err=True)
        raise SystemExit(ExitCode.INVALID_INPUT) from None
    click.echo(f"{counts.lines} line(s): {counts.ok} ok, {counts.failed} failed", err=True)
    if summary is not None:
        summary.write_text(dumps({"flows": counts.flows.to_json()}) + "\n", encoding="utf-8")
        click.echo(f"flow totals written to {summary}", err=True)
    raise SystemExit(ExitCode.PARTIAL_FAILURE if counts.failed else ExitCode.OK)


@batch.command("validate")
@click.argument("source")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write results here (default: standard output)."
)
@click.option("--workers", default=1, show_default=True, help="Worker processes (output stays in input order).")
def batch_validate(source: str, output: Path | None, workers: int) -> None:
    """Validate and type every document of a JSON Lines input."""
    _run_batch("validate", source, output, None, workers)


@batch.command("score")
@click.option(
    "--framework",
    "-f",
    "framework_id",
    help="Score response sets with this framework (default: the one each response set names).",
)
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
def batch_score(framework_id: str | None, source: str, output: Path | None, workers: int, summary: Path | None) -> None:
    """Score every response set (a score card per line) and every flow (its kind, direction
    and amount; totals with --summary) of a JSON Lines input."""
    _run_batch("score", source, output, framework_id, workers, summary)


@cli.command("import")
@click.option("--format", "format_id", required=True, help="An input format registered by a plugin (see `silk plugins`).")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the documents here (JSON, or JSON Lines)."
)
@click.pass_context
def import_(ctx: click.Context, format_id: str, source: Path, output: Path | None) -> None:
    """Read another format into validated silkcore documents. Records that cannot be read are
    reported (with line and column) and the others kept: exit 3 when some failed."""
    catalog = _catalog(ctx)
    failed: Sequence[Issue] = ()
    try:
        importer = catalog.importer(format_id)
        data, name = read_source(source)
        try:
            documents = importer.import_(data, name)
        except PartialImportError as partial:
            documents, failed = partial.documents, partial.errors
        for index, document in enumerate(documents):
            issues = validate_doc(document, registry=catalog.schemas)
            if issues:
                raise SchemaValidationError([i.located(f"{name} (record {index + 1})") for i in issues])
    except SilkError as exc:
        _fail(exc)
    text = dumps(documents[0]) if len(documents) == 1 else "\n".join(dumps(d, indent=None) for d in documents)
    if output is None:
        click.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
        click.echo(f"{len(documents)} document(s) written to {output}", err=True)
    for issue in failed:
        click.echo(f"error: {issue}", err=True)
    raise SystemExit(ExitCode.PARTIAL_FAILURE if failed else ExitCode.OK)


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
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, store_path: Path | None, peers_path: Path | None, max_body: int) -> None:
    """Run an exchange node over the store: peers publish, receive, validate and assess over
    HTTP, and each caller sees only what the records' sharing levels allow it (see /openapi.json)."""
    from .node import serve as serve_node
    from .store import default_store_path

    try:
        serve_node(host, port, store_path or default_store_path(), peers_path, catalog=_catalog(ctx), max_body=max_body)
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

"""``silk batch validate`` and ``silk batch score``: JSON Lines, one record per line."""

from __future__ import annotations

from pathlib import Path

import click

from .._batch import MAX_WORKERS
from .._catalog import Catalog
from .._errors import SilkError
from .._jsonio import dumps
from .common import ExitCode, catalog_of, fail, framework_option

__all__ = ["COMMANDS"]


@click.group()
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
    from .._batch import BatchError, run_batch
    from .._outputs import atomic_output, check_output, write_output

    try:
        if framework_id is not None:  # once here, so a bad --framework is one error, not one per line
            catalog.resolve_framework(framework_id)
        # The --framework file is an input too: an output over it would destroy it.
        framework_file = framework_id if framework_id is not None and Path(framework_id).is_file() else None
        if output is not None:
            check_output(output, inputs=(source, framework_file))
        if summary is not None:
            check_output(summary, inputs=(source, output, framework_file))
        with atomic_output(output or "-", "wb") as handle:
            counts = run_batch(task, source, handle, framework_id=framework_id, workers=workers, catalog=catalog)
    except BatchError as exc:  # stopped early: the lines done are counted, the -o file is not left half-written
        click.echo(f"{exc.counts.lines} line(s): {exc.counts.ok} ok, {exc.counts.failed} failed", err=True)
        fail(exc)
    except SilkError as exc:
        fail(exc)
    click.echo(f"{counts.lines} line(s): {counts.ok} ok, {counts.failed} failed", err=True)
    if summary is not None:
        try:
            write_output(summary, dumps({"flows": counts.flows.to_json()}) + "\n")
        except SilkError as exc:
            fail(exc)
        click.echo(f"flow totals written to {summary}", err=True)
    raise SystemExit(ExitCode.PARTIAL_FAILURE if counts.failed else ExitCode.OK)


@batch.command("validate")
@framework_option("Check response sets against this framework (an id or a file) instead of the one each names.")
@click.argument("source")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write results here (default: standard output).")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, MAX_WORKERS),
    help="Worker processes (output stays in input order).",
)
@click.pass_context
def batch_validate(ctx: click.Context, framework_ref: str | None, source: str, output: Path | None, workers: int) -> None:
    """Validate and type every document of a JSON Lines input (response sets against their
    framework, as `silk validate` does)."""
    _run_batch(catalog_of(ctx), "validate", source, output, framework_ref, workers)


@batch.command("score")
@framework_option("Score response sets with this framework (an id or a file; default: the one each response set names).")
@click.argument("source")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write score cards here (default: standard output).")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, MAX_WORKERS),
    help="Worker processes (output stays in input order).",
)
@click.option(
    "--summary",
    type=click.Path(path_type=Path),
    help="Also write the flows' totals per kind and direction here (JSON).",
)
@click.pass_context
def batch_score(
    ctx: click.Context, framework_ref: str | None, source: str, output: Path | None, workers: int, summary: Path | None
) -> None:
    """Score every response set (a score card per line) and every flow (its kind, direction
    and amount; totals with --summary) of a JSON Lines input."""
    _run_batch(catalog_of(ctx), "score", source, output, framework_ref, workers, summary)


COMMANDS: tuple[click.Command, ...] = (batch,)

"""``silk demo``: every installed tool on the bundled example organisation."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from .._errors import SilkError
from .._extras import require_extra
from .common import catalog_of, fail, store_option
from .report import language_option

if TYPE_CHECKING:
    from .._store import StoreURL

__all__ = ["COMMANDS"]


@click.command()
@click.option(
    "-o", "--output", "output_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("silk-demo"), show_default=True
)
@store_option("The history store: a file, or a postgresql:// URL (default: history.sqlite in the output directory).")
@language_option()
@click.pass_context
def demo(ctx: click.Context, output_dir: Path, store_path: Path | StoreURL | None, language: str) -> None:
    """Run every installed tool on the bundled example organisation: score, store, write a
    report (in --language, English by default)."""
    try:
        require_extra("report", "silk demo")  # before importing the report's modules, which need it
        from .._demo import run_demo

        # No default store from the environment: a demo keeps everything in its output folder.
        outcome = run_demo(catalog_of(ctx), output_dir, store_path, language=language)
    except SilkError as exc:
        fail(exc)
    click.echo(outcome.summary)


COMMANDS: tuple[click.Command, ...] = (demo,)

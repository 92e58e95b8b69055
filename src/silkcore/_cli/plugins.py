"""``silk plugins``: every plugin found, with its status."""

from __future__ import annotations

import click

from .._extras import EXTRAS, missing_modules
from .common import catalog_of, print_json

__all__ = ["COMMANDS"]


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def plugins(ctx: click.Context, as_json: bool) -> None:
    """List plugins with their distribution, version and status (ok, failed, disabled), then the
    optional parts (extras) and whether each is installed. --json lists the plugins only."""
    statuses = catalog_of(ctx).plugin_statuses()
    rows = [
        {"name": s.name, "distribution": s.distribution, "version": s.version, "status": s.status, "error": s.error}
        for s in statuses
    ]
    if as_json:
        print_json(rows)
        return
    if not rows:
        click.echo("no plugins installed")
    for row in rows:
        line = f"{row['name']:<24} {row['distribution'] or '-':<28} {row['version'] or '-':<10} {row['status']}"
        click.echo(line + (f"  {row['error']}" if row["error"] else ""))
    click.echo("\nextras (pip install 'silkcore[NAME]'; 'all' installs every one):")
    for extra in EXTRAS.values():
        missing = missing_modules(extra.name)
        status = "installed" if not missing else f"missing ({', '.join(missing)})"
        click.echo(f"  {extra.name:<10} {status:<24} {extra.used_by}")


COMMANDS: tuple[click.Command, ...] = (plugins,)

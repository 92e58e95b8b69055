"""The command ``silk hello`` of docs/plugins/hooks.md (``silk_add_cli_commands``), as on the page."""

import click

from silkcore import hookimpl


@click.command("hello")
@click.argument("name")
def hello(name):
    """Greet a partner organisation."""
    click.echo(f"hello, {name}")


@hookimpl
def silk_add_cli_commands(cli):
    cli.add_command(hello)

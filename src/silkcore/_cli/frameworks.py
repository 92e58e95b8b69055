"""``silk frameworks`` (list, ``show``) and ``silk schema``: what is installed."""

from __future__ import annotations

import click

from .._errors import SilkError, terminal_text
from .._framework_data import framework_document
from .._render import render_framework_list
from .common import catalog_of, fail, print_json

__all__ = ["COMMANDS"]


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def frameworks(ctx: click.Context, as_json: bool) -> None:
    """List the frameworks installed plugins provide (or `show` one)."""
    if ctx.invoked_subcommand is not None:
        return
    catalog = catalog_of(ctx)
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
        print_json(rows)
    else:
        click.echo(render_framework_list(rows))


@frameworks.command("show")
@click.argument("framework_ref")
@click.option("--json", "as_json", is_flag=True, help="Print the framework document (scales resolved into items).")
@click.option("--language", help="Language of the texts (BCP 47; falls back to the framework's default).")
@click.pass_context
def frameworks_show(ctx: click.Context, framework_ref: str, as_json: bool, language: str | None) -> None:
    """Print one framework: by id, or from a framework file."""
    catalog = catalog_of(ctx)
    try:
        framework = catalog.resolve_framework(framework_ref)
    except SilkError as exc:
        fail(exc)
    document = framework_document(framework)
    if as_json:
        print_json(document)
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


@click.command()
@click.argument("name", required=False)
@click.pass_context
def schema(ctx: click.Context, name: str | None) -> None:
    """Print a schema from the local registry (without NAME: list the names)."""
    registry = catalog_of(ctx).schemas
    if name is None:
        for known in registry.names():
            click.echo(known)
        return
    try:
        print_json(registry.schema(name))
    except SilkError as exc:
        fail(exc)


COMMANDS: tuple[click.Command, ...] = (frameworks, schema)

"""``silk frameworks`` (list, ``show``, ``diff``) and ``silk schema``: what is installed, and how versions differ."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .._errors import SilkError, terminal_text
from .._framework_data import framework_document
from .._i18n import pick_text
from .._render import render_framework_list
from .common import catalog_of, fail, framework_option, given_frameworks, print_json

if TYPE_CHECKING:
    from .._catalog import Catalog
    from .._framework import Framework

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

    def local(texts: Mapping[str, str]) -> str:
        """The library's one rule for a language tag: ``fr-FR`` finds ``fr``, as everywhere."""
        return pick_text(texts, language, framework.default_language)

    echo(f"{framework.id} {framework.version}: {local(framework.title)}")
    for category in framework.categories:
        items = [i for i in framework.items if i.category == category.id]
        echo(f"  {category.id} {local(category.title)} ({len(items)} items)")
        for item in items:
            mark = "*" if framework.is_scored(item) else " "
            width = max(len(i.id) for i in framework.items)
            echo(f"    {mark} {item.id:<{width}} {item.kind.value:<12} {local(item.text)}")
    click.echo("  (* scored)")


def resolve_version(catalog: Catalog, ref: str, given: Sequence[Framework]) -> Framework:
    """A framework named on the command line: ``ID@VERSION`` (a version among the installed
    framework and the ``--framework`` files), otherwise as everywhere (an id or a file)."""
    framework_id, at, version = ref.rpartition("@")
    if at and framework_id and not Path(ref).is_file():
        return catalog.framework_resolver(*given).version(framework_id, version)
    return catalog.resolve_framework(ref)


@frameworks.command("diff")
@click.argument("old")
@click.argument("new")
@framework_option("Another version of the framework, as a file (repeatable), to name by ID@VERSION.", multiple=True)
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
@click.pass_context
def frameworks_diff(ctx: click.Context, old: str, new: str, framework_refs: tuple[str, ...], as_json: bool) -> None:
    """What changed between two versions of a framework (files, ids, or ID@VERSION), item by
    item: the changes the newer version declares, and any it does not."""
    from .._framework_diff import diff_frameworks

    catalog = catalog_of(ctx)
    try:
        given = given_frameworks(catalog, framework_refs)
        result = diff_frameworks(resolve_version(catalog, old, given), resolve_version(catalog, new, given))
    except SilkError as exc:
        fail(exc)
    if as_json:
        print_json(result.to_json())
        return
    source = "declared" if result.declared else "no changes declared"
    click.echo(f"{result.framework_id} {result.old_version} -> {result.new_version} ({source})")
    width = max((len(e.change) for e in result.entries), default=0)
    for entry in result.entries:
        mark = "" if entry.declared else "  [undeclared]"
        click.echo(terminal_text(f"  {entry.change:<{width}}  {entry.detail}{mark}"))
    if not result.entries:
        click.echo("  no changes")
    elif result.undeclared:
        click.echo(f"  {len(result.undeclared)} change(s) not declared")


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

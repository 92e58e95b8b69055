"""The ``silk`` command.

Exit codes: 0 ok, 1 invalid input, 2 usage, 3 partial batch failure, 4 plugin failure,
5 store failure. Bad input gets one clear message per problem (file, line, JSON Pointer,
what was expected) on stderr - never a traceback.

The command is built, never mutated: :func:`main` builds a catalog and :func:`build_cli`
a new click group over it, with the built-in commands (one module per command group) and
the commands of that catalog's plugins. Every error leaves through
:func:`~silkcore._cli.common.fail`, for built-in and plugin commands alike: a plugin command
that raises is one ``error: plugin 'x' failed in command 'y': ...`` line and exit 4 (the
traceback only with ``--debug`` or ``SILKCORE_TRACE_PLUGINS``).
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence
from typing import Any

import click

from .._catalog import Catalog, build_catalog
from .._errors import PluginError, SilkError
from . import assess, batch, demo, exchange, frameworks, guide, plugins, report, serve, validate
from .common import ExitCode, fail

__all__ = ["ExitCode", "build_cli", "main"]

_BUILT_IN: tuple[click.Command, ...] = (
    *validate.COMMANDS,
    *assess.COMMANDS,
    *frameworks.COMMANDS,
    *plugins.COMMANDS,
    *report.COMMANDS,
    *exchange.COMMANDS,
    *batch.COMMANDS,
    *serve.COMMANDS,
    *demo.COMMANDS,
    *guide.COMMANDS,
)

_COMMAND = "silkcore.command"  # ctx.meta key: the top-level command being run
_FAILURES = "silkcore.plugin-failures"  # ctx.meta key: plugin failures known when the command started


class SilkGroup(click.Group):
    """The root ``silk`` group: knows which plugin added which command, and sees every plugin
    failure of the command it runs (``--strict-plugins`` turns them into exit 4)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: plugin command -> the plugin that added it (built-in commands are absent)
        self.plugin_commands: dict[click.Command, str] = {}

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        ctx.meta[_COMMAND] = (name, command)
        return name, command, rest

    def invoke(self, ctx: click.Context) -> Any:
        reported: set[str] = set()  # plugins whose failure the command's own error already named
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except PluginError as exc:
            if exc.plugin_name:
                reported.add(exc.plugin_name)
            fail(exc)
        except SilkError as exc:
            fail(exc)
        except Exception as exc:
            name, command = ctx.meta.get(_COMMAND, (None, None))
            owner = self.plugin_commands.get(command) if command is not None else None
            if owner is None:
                ctx.meta.pop(_FAILURES, None)  # silkcore's own bug: its traceback is the report
                raise
            reported.add(owner)
            if ctx.meta.get("silkcore.debug") or os.environ.get("SILKCORE_TRACE_PLUGINS"):
                click.echo("".join(traceback.format_exception(exc)).rstrip("\n"), err=True)
            fail(PluginError(f"plugin {owner!r} failed in command {name!r}: {type(exc).__name__}: {exc}", plugin_name=owner))
        finally:
            _report_runtime_failures(ctx, reported)


def _failures(catalog: Catalog) -> set[tuple[str, str]]:
    """(plugin, error) for every plugin failure the catalog recorded so far."""
    return {(status.name, status.error or "") for status in catalog.failed_plugins()}


def _report_runtime_failures(ctx: click.Context, reported: set[str]) -> None:
    """Each plugin failure that happened while the command ran (a raising scorer, report
    section, exporter...): an error and exit 4 with ``--strict-plugins``, else a warning."""
    before = ctx.meta.get(_FAILURES)
    if before is None:  # the command never started
        return
    new = sorted((name, error) for name, error in _failures(ctx.obj["catalog"]) - before if name not in reported)
    strict = bool(ctx.meta.get("silkcore.strict-plugins"))
    for name, error in new:
        if strict:
            click.echo(f"error: plugin {name!r} failed: {error}", err=True)
        else:
            click.echo(f"warning: plugin {name!r} failed ({error})", err=True)
    if strict and new:
        raise SystemExit(ExitCode.PLUGIN_FAILURE)


def _add_plugin_commands(catalog: Catalog, group: SilkGroup) -> None:
    """Let plugins add ``silk`` subcommands; one that replaces an existing command is refused
    (its commands are removed and it is reported as failed), so ``silk validate`` is always ours."""
    for name, plugin in catalog.host.ok_plugins():
        hook = getattr(plugin, "silk_add_cli_commands", None)
        if hook is None or catalog.host.pm.parse_hookimpl_opts(plugin, "silk_add_cli_commands") is None:
            continue
        before = dict(group.commands)
        try:
            hook(cli=group)
            replaced = sorted(k for k, command in before.items() if group.commands.get(k) is not command)
            if replaced:
                raise PluginError(f"plugin {name!r} may not replace the command(s) {', '.join(replaced)}", plugin_name=name)
        except (Exception, SystemExit) as exc:  # a plugin's command failing to register must not break silk
            group.commands.clear()
            group.commands.update(before)
            catalog.host.fail(name, exc, context="silk_add_cli_commands")
            continue
        for key, command in group.commands.items():
            if key not in before:
                group.plugin_commands[command] = name


def build_cli(catalog: Catalog) -> click.Group:
    """A new ``silk`` group over ``catalog``: the built-in commands and those its plugins add.

    Each call builds its own group, so what one catalog's plugins add is never seen by another.
    A ``catalog`` passed in ``obj`` (``group.main(obj={"catalog": ...})``) overrides the one
    built in, for the built-in commands."""

    @click.group(cls=SilkGroup, context_settings={"help_option_names": ["-h", "--help"]})
    @click.option("--strict-plugins", is_flag=True, help="Treat any plugin failure as fatal (exit 4), at start or while running.")
    @click.option("--debug", is_flag=True, help="Show the traceback of a plugin's failure.")
    @click.version_option(package_name="silkcore", prog_name="silk")
    @click.pass_context
    def cli(ctx: click.Context, strict_plugins: bool, debug: bool) -> None:
        """Assess how SSE organisations go international, and exchange validated data about them."""
        ctx.ensure_object(dict)
        ctx.obj.setdefault("catalog", catalog)
        ctx.meta["silkcore.strict-plugins"] = strict_plugins
        ctx.meta["silkcore.debug"] = debug
        current: Catalog = ctx.obj["catalog"]
        failed = current.failed_plugins()
        if strict_plugins and failed:
            for status in failed:
                click.echo(f"error: plugin {status.name!r} failed: {status.error}", err=True)
            raise SystemExit(ExitCode.PLUGIN_FAILURE)
        for status in failed:
            click.echo(f"warning: plugin {status.name!r} failed and was skipped ({status.error})", err=True)
        ctx.meta[_FAILURES] = _failures(current)

    assert isinstance(cli, SilkGroup)
    for command in _BUILT_IN:
        cli.add_command(command)
    _add_plugin_commands(catalog, cli)
    return cli


def main(argv: Sequence[str] | None = None, *, catalog: Catalog | None = None) -> int:
    """Run ``silk`` over ``catalog`` (default: a new catalog of the installed plugins);
    returns the exit code."""
    try:
        catalog = build_catalog() if catalog is None else catalog
        cli = build_cli(catalog)
        cli.main(args=list(argv) if argv is not None else None, prog_name="silk", obj={"catalog": catalog}, standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else ExitCode.INVALID_INPUT
    except SilkError as exc:
        try:
            fail(exc)
        except SystemExit as inner:
            return int(inner.code or 0)
    return ExitCode.OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

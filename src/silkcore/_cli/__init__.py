"""The ``silk`` command.

Exit codes: 0 ok, 1 invalid input, 2 usage, 3 partial batch failure, 4 plugin failure,
5 store failure. Bad input gets one clear message per problem (file, line, JSON Pointer,
what was expected) on stderr - never a traceback.

The command is built, never mutated: :func:`main` builds a catalog and :func:`build_cli`
a new click group over it, with the built-in commands (one module per command group) and
the commands of that catalog's plugins. Every error leaves through
:func:`~silkcore._cli.common.fail`, for built-in and plugin commands alike: a plugin command
that raises is one ``error: plugin 'x' failed in command 'y': ...`` line and exit 4 (the
traceback only with ``--debug``), and ``--strict-plugins`` turns every plugin failure while
the command runs (a scorer, report section, exporter... that raised) into exit 4.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

from .._catalog import Catalog, build_catalog
from .._errors import PluginError, SilkError
from .._plugins import PluginFailure
from . import assess, batch, demo, exchange, frameworks, guide, keys, plugins, report, serve, sync, validate
from .common import DEBUG, REPORTED_PLUGINS, STRICT_PLUGINS, ExitCode, fail

__all__ = ["ExitCode", "build_cli", "main"]

_BUILT_IN: tuple[click.Command, ...] = (
    *validate.COMMANDS,
    *assess.COMMANDS,
    *frameworks.COMMANDS,
    *plugins.COMMANDS,
    *report.COMMANDS,
    *exchange.COMMANDS,
    *keys.COMMANDS,
    *batch.COMMANDS,
    *serve.COMMANDS,
    *sync.COMMANDS,
    *demo.COMMANDS,
    *guide.COMMANDS,
)

_COMMAND = "silkcore.command"  # ctx.meta key: the top-level command being run
_FAILURES = "silkcore.plugin-failures"  # ctx.meta key: plugin failures counted when the command started


class SilkGroup(click.Group):
    """The root ``silk`` group: knows which commands plugins added, and sees every plugin
    failure of the command it runs (``--strict-plugins`` turns them into exit 4)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: the commands plugins added (not silkcore's own)
        self.plugin_commands: list[click.Command] = []

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        ctx.meta[_COMMAND] = (name, command)
        return name, command, rest

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except SilkError as exc:  # a plugin command's PluginError (it raised) or any SilkError
            fail(exc)
        except Exception as exc:
            name, command = ctx.meta.get(_COMMAND, (None, None))
            if not any(command is mine for mine in self.plugin_commands):
                ctx.meta.pop(_FAILURES, None)  # silkcore's own bug: its traceback is the report
                raise
            # raised outside the command's callback (which the catalog guards), e.g. by a parameter type
            error = PluginError(f"plugin command {name!r} failed: {type(exc).__name__}: {exc}")
            error.__cause__ = exc
            fail(error)
        finally:
            _report_runtime_failures(ctx)


def _failures(catalog: Catalog) -> dict[tuple[str, str], PluginFailure]:
    """The plugin failures recorded while commands ran on ``catalog``, by plugin and place."""
    return {(failure.plugin, failure.where): failure for failure in catalog.runtime_failures()}


def _report_runtime_failures(ctx: click.Context) -> None:
    """Each plugin failure that happened while the command ran (a raising scorer, report
    section, exporter...) and no error line named yet: an error and exit 4 with
    ``--strict-plugins``, else a warning; with ``--debug``, after its traceback."""
    before: dict[tuple[str, str], PluginFailure] | None = ctx.meta.get(_FAILURES)
    if before is None:  # the command never started
        return
    reported = ctx.meta.get(REPORTED_PLUGINS, set())
    strict = bool(ctx.meta.get(STRICT_PLUGINS))
    new = [
        failure
        for key, failure in _failures(ctx.obj["catalog"]).items()
        if failure.plugin not in reported and (key not in before or before[key].count < failure.count)
    ]
    for failure in new:
        if ctx.meta.get(DEBUG) and failure.traceback:
            click.echo(failure.traceback.rstrip("\n"), err=True)
        times = f" ({failure.count} times)" if failure.count > 1 else ""
        text = f"plugin {failure.plugin!r} failed in {failure.where}: {failure.message}{times}"
        click.echo(f"error: {text}" if strict else f"warning: {text}", err=True)
    if strict and new:
        raise SystemExit(ExitCode.PLUGIN_FAILURE)


def build_cli(catalog: Catalog) -> click.Group:
    """A new ``silk`` group over ``catalog``: the built-in commands and those its plugins add
    (:meth:`Catalog.add_cli_commands`, each guarded by the catalog).

    Each call builds its own group, so what one catalog's plugins add is never seen by another.
    A ``catalog`` passed in ``obj`` (``group.main(obj={"catalog": ...})``) overrides the one
    built in, for the built-in commands."""

    @click.group(cls=SilkGroup, context_settings={"help_option_names": ["-h", "--help"]})
    @click.option(
        "--strict-plugins", is_flag=True, help="Treat any plugin failure, at start or while the command runs, as fatal (exit 4)."
    )
    @click.option("--debug", is_flag=True, help="Show the traceback of each plugin failure while the command runs.")
    @click.version_option(package_name="silkcore", prog_name="silk")
    @click.pass_context
    def cli(ctx: click.Context, strict_plugins: bool, debug: bool) -> None:
        """Assess how SSE organisations go international, and exchange validated data about them."""
        ctx.ensure_object(dict)
        ctx.obj.setdefault("catalog", catalog)
        ctx.meta[STRICT_PLUGINS] = strict_plugins
        ctx.meta[DEBUG] = debug
        current: Catalog = ctx.obj["catalog"]
        if debug:
            current.debug = True  # plugin failures keep their tracebacks
        running = {failure.plugin for failure in current.runtime_failures()}  # an earlier run's, on a reused catalog
        failed = [status for status in current.failed_plugins() if status.name not in running]
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
    built_in = dict(cli.commands)
    catalog.add_cli_commands(cli)
    cli.plugin_commands = [command for key, command in cli.commands.items() if built_in.get(key) is not command]
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

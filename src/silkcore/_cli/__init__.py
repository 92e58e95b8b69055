"""The ``silk`` command.

Exit codes: 0 ok, 1 invalid input, 2 usage, 3 partial batch failure, 4 plugin failure,
5 store failure. Bad input gets one clear message per problem (file, line, JSON Pointer,
what was expected) on stderr - never a traceback.

The command is built, never mutated: :func:`main` builds a catalog and :func:`build_cli`
a new click group over it, with the built-in commands (one module per command group) and
the commands of that catalog's plugins.

Start-up does only what the command needs. A built-in command's module is imported when the
command is run (or read from ``group.commands``); ``silk --help`` lists it from
:data:`_BUILT_IN`, its name, module and the first sentence of its help (a test keeps that
table equal to the commands), through a :class:`~silkcore._lazy_command.LazyCommand`, which
plugins can use too (``silkcore.lazy_command``). The catalog :func:`main` builds is lazy: the plugins are
loaded and add their commands, but the registration hooks run only when a command is
invoked, so ``silk --help`` and ``silk --version`` call none of them. A plugin that then
fails to register loses its commands, as if it had failed before adding them; running one says
which plugin failed (exit 4), not click's "No such command". Every error leaves through
:func:`~silkcore._cli.common.fail`, for built-in and plugin commands alike: a plugin command
that raises is one ``error: plugin 'x' failed in command 'y': ...`` line and exit 4 (the
traceback only with ``--debug``), and ``--strict-plugins`` turns every plugin failure while
the command runs (a scorer, report section, exporter... that raised) into exit 4.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Sequence
from typing import Any

import click

from .._catalog import Catalog, build_catalog
from .._errors import PluginError, SilkError
from .._lazy_command import LazyCommand, LazyCommands, stored
from .._plugins import PluginFailure
from .common import DEBUG, REPORTED_PLUGINS, STRICT_PLUGINS, ExitCode, fail

__all__ = ["ExitCode", "build_cli", "main"]

#: Every built-in command: name -> (its module in this package, which lists it in ``COMMANDS``;
#: the first sentence of its help, all ``silk --help`` shows of it).
_BUILT_IN: dict[str, tuple[str, str]] = {
    "validate": (
        "validate",
        "Validate documents (JSON, YAML frameworks, or JSON Lines with one document a line; - is standard input).",
    ),
    "assess": ("assess", "Score response sets (several respondents for one organisation consolidate into one card)."),
    "frameworks": ("frameworks", "List the frameworks installed plugins provide (or `show` one)."),
    "schema": ("frameworks", "Print a schema from the local registry (without NAME: list the names)."),
    "plugins": (
        "plugins",
        "List plugins with their distribution, version and status (ok, failed, disabled), then the "
        "optional parts (extras) and whether each is installed.",
    ),
    "report": ("report", "Write the HTML (or Markdown) report for one organisation from its documents."),
    "history": ("report", "An organisation's assessments over time, with the change per category."),
    "migrate": (
        "migrate",
        "Carry response sets (JSON, or JSON Lines of them) to another version of their framework, following its "
        "declared changes.",
    ),
    "export": ("exchange", "Convert documents (files, or registered framework ids) to another format."),
    "import": ("exchange", "Read another format into validated silkcore documents."),
    "keys": ("keys", "Signing keys: an Ed25519 key whose identity is a did:key."),
    "sign": (
        "keys",
        "Sign an envelope (W3C Data Integrity proof, eddsa-jcs-2022): the envelope is checked, "
        "upgraded to the current version, given its content hash, and signed with the key.",
    ),
    "verify": (
        "keys",
        "Check an envelope's signature: print who signed it, and whether the signer is the "
        "publisher (publisher.id is the signer's did:key).",
    ),
    "batch": (
        "batch",
        "Stream JSON Lines (a file, a .gz file or - for stdin): one result or error record per line.",
    ),
    "serve": (
        "serve",
        "Run an exchange node over the store: peers publish, receive, validate and assess over "
        "HTTP, and each caller sees only what the records' sharing levels allow it (see "
        "/openapi.json).",
    ),
    "sync": (
        "sync",
        "Pull what the node at NODE_URL shows us (its feed) into the store: each record is checked "
        "(schema, content hash, proof) and kept with its sharing terms and received_from; "
        "withdrawals are applied; the cursor is saved, so running it again pulls only what is new.",
    ),
    "demo": (
        "demo",
        "Run every installed tool on the bundled example organisation: score, store, write a report"
        " (in --language, English by default).",
    ),
    "guide": (
        "guide",
        "Walk the decision flow chart: questions, decisions, what to revisit, and what applies next.",
    ),
}


def _built_in(module: str, name: str) -> click.Command:
    from importlib import import_module

    commands: tuple[click.Command, ...] = import_module(f"{__name__}.{module}").COMMANDS
    return next(command for command in commands if command.name == name)


_COMMAND = "silkcore.command"  # ctx.meta key: the top-level command being run
_FAILURES = "silkcore.plugin-failures"  # ctx.meta key: plugin failures counted when the command started
_FAILED = "silkcore.failed-plugins"  # ctx.meta key: the plugins known to have failed when the command started


class SilkGroup(click.Group):
    """The root ``silk`` group: knows which commands plugins added, and sees every plugin
    failure of the command it runs (``--strict-plugins`` turns them into exit 4)."""

    def __init__(self, *args: Any, catalog: Catalog | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands(self.commands)
        #: the catalog the group was built over
        self.catalog = catalog
        #: the names of the commands plugins added (not silkcore's own)
        self.plugin_commands: set[str] = set()

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # as click's, but a built-in command is listed without importing it
        assert isinstance(self.commands, LazyCommands)
        commands = [(name, self.commands.listed(name)) for name in self.list_commands(ctx)]
        shown = [(name, command) for name, command in commands if command is not None and not command.hidden]
        if shown:
            limit = formatter.width - 6 - max(len(name) for name, _ in shown)
            with formatter.section("Commands"):
                formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in shown])

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            name, command, rest = super().resolve_command(ctx, args)
        except click.UsageError:
            # a command --help listed, whose plugin then failed to register: say so, not "No such command"
            catalog = (ctx.obj or {}).get("catalog") or self.catalog
            status = catalog.dropped_command(args[0]) if catalog is not None and args else None
            if status is None:
                raise
            fail(
                PluginError(
                    f"command {args[0]!r} is not available: plugin {status.name!r} failed ({status.error})",
                    plugin_name=status.name,
                )
            )
        ctx.meta[_COMMAND] = (name, command)
        return name, command, rest

    def invoke(self, ctx: click.Context) -> Any:
        for catalog in {id(c): c for c in (self.catalog, (ctx.obj or {}).get("catalog")) if c is not None}.values():
            catalog.ensure_registered()  # a lazy catalog: now, before the command is looked up
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except SilkError as exc:  # a plugin command's PluginError (it raised) or any SilkError
            fail(exc)
        except Exception as exc:
            name, command = ctx.meta.get(_COMMAND, (None, None))
            if name not in self.plugin_commands or stored(self.commands, name) is not command:
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
    # a framework registered by id and built while the command ran, wrongly: its plugin failed then
    known = {failure.plugin for failure in new} | reported | ctx.meta.get(_FAILED, set())
    for status in ctx.obj["catalog"].failed_plugins(build_waiting=False):
        if status.name not in known:
            click.echo(f"warning: plugin {status.name!r} failed and was skipped ({status.error})", err=True)
    if strict and new:
        raise SystemExit(ExitCode.PLUGIN_FAILURE)


def build_cli(catalog: Catalog) -> click.Group:
    """A new ``silk`` group over ``catalog``: the built-in commands and those its plugins add
    (:meth:`Catalog.add_cli_commands`, each guarded by the catalog).

    Each call builds its own group, so what one catalog's plugins add is never seen by another.
    A ``catalog`` passed in ``obj`` (``group.main(obj={"catalog": ...})``) overrides the one
    built in, for the built-in commands."""

    @click.group(cls=SilkGroup, catalog=catalog, context_settings={"help_option_names": ["-h", "--help"]})
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
        # strict: every framework still waiting is built now, so a wrong one fails here
        failed = [status for status in current.failed_plugins(build_waiting=strict_plugins) if status.name not in running]
        if strict_plugins and failed:
            for status in failed:
                click.echo(f"error: plugin {status.name!r} failed: {status.error}", err=True)
            raise SystemExit(ExitCode.PLUGIN_FAILURE)
        for status in failed:
            click.echo(f"warning: plugin {status.name!r} failed and was skipped ({status.error})", err=True)
        ctx.meta[_FAILURES] = _failures(current)
        ctx.meta[_FAILED] = {status.name for status in current.failed_plugins(build_waiting=False)}

    assert isinstance(cli, SilkGroup)
    for name, (module, summary) in _BUILT_IN.items():
        cli.add_command(LazyCommand(name, summary, functools.partial(_built_in, module, name)))
    built_in = dict(cli.commands)
    catalog.add_cli_commands(cli)
    cli.plugin_commands = {key for key in cli.commands if built_in.get(key) is not stored(cli.commands, key)}
    return cli


def main(argv: Sequence[str] | None = None, *, catalog: Catalog | None = None) -> int:
    """Run ``silk`` over ``catalog`` (default: a new catalog of the installed plugins);
    returns the exit code."""
    try:
        catalog = build_catalog(lazy=True) if catalog is None else catalog
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

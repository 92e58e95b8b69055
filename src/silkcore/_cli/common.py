"""What every ``silk`` command shares: exit codes, the one error exit, JSON output and the
options that mean the same thing everywhere (``--framework``, ``--store``)."""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Sequence
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from .._errors import Issue, PluginError, SilkError, StoreError, UnknownComponentError

if TYPE_CHECKING:  # imported by the commands that use them: ``silk --help`` needs none
    from .._catalog import Catalog
    from .._framework import Framework
    from .._store import StoreURL

__all__ = [
    "DEBUG",
    "ExitCode",
    "REPORTED_PLUGINS",
    "STRICT_PLUGINS",
    "announce_store",
    "catalog_of",
    "default_store",
    "exit_code",
    "fail",
    "framework_option",
    "given_frameworks",
    "print_issues",
    "print_json",
    "read_only_store",
    "store_option",
]

_F = TypeVar("_F", bound=Callable[..., Any])


class ExitCode(IntEnum):
    """The ``silk`` command's exit codes."""

    OK = 0
    INVALID_INPUT = 1
    USAGE = 2
    PARTIAL_FAILURE = 3
    PLUGIN_FAILURE = 4
    STORE_FAILURE = 5


def exit_code(error: SilkError) -> ExitCode:
    """The exit code of an error, by its class."""
    if isinstance(error, PluginError):
        return ExitCode.PLUGIN_FAILURE
    if isinstance(error, StoreError):
        return ExitCode.STORE_FAILURE
    if isinstance(error, UnknownComponentError):
        return ExitCode.USAGE
    return ExitCode.INVALID_INPUT


def print_issues(issues: Sequence[Issue]) -> None:
    """Each issue on its own line, the same on every command: ``error: FILE[:LINE[:COLUMN]]:
    at POINTER: MESSAGE``."""
    for issue in issues:
        click.echo(f"error: {issue}", err=True)


#: ``ctx.meta`` keys of a ``silk`` run: the global flags, and the plugins whose failure an
#: error line already named (so the failures seen after the command do not repeat them).
DEBUG = "silkcore.debug"
STRICT_PLUGINS = "silkcore.strict-plugins"
REPORTED_PLUGINS = "silkcore.reported-plugins"


def fail(error: SilkError | str, code: ExitCode | None = None) -> NoReturn:
    """The one way out of ``silk`` on an error, for built-in and plugin commands alike: one
    ``error: ...`` line per problem on stderr, then the exit code of the error's class (or
    ``code``; a bare message defaults to invalid input). A plugin's failure is preceded by
    the traceback of what it raised when ``silk --debug`` runs."""
    if isinstance(error, str):
        click.echo(f"error: {error}", err=True)
        raise SystemExit(ExitCode.INVALID_INPUT if code is None else code)
    ctx = click.get_current_context(silent=True)
    if isinstance(error, PluginError) and ctx is not None:
        if error.plugin_name:
            ctx.meta.setdefault(REPORTED_PLUGINS, set()).add(error.plugin_name)
        text = _plugin_traceback(ctx, error) if ctx.meta.get(DEBUG) else None
        if text:
            click.echo(text.rstrip("\n"), err=True)
    errors: Sequence[Issue] = getattr(error, "errors", ())
    if errors:
        print_issues(errors)
    else:
        click.echo(f"error: {error}", err=True)
    raise SystemExit(exit_code(error) if code is None else code)


def _plugin_traceback(ctx: click.Context, error: PluginError) -> str | None:
    """The traceback of what the plugin raised: the error's cause, else the one the catalog
    recorded with the failure (``debug`` on)."""
    if error.__cause__ is not None:
        return "".join(traceback.format_exception(error.__cause__))
    catalog: Catalog | None = (ctx.obj or {}).get("catalog")
    failures = [f for f in catalog.runtime_failures() if f.plugin == error.plugin_name and f.traceback] if catalog else []
    exact = [f for f in failures if str(error) in (f.message, f"plugin {f.plugin!r} failed in {f.where}: {f.message}")]
    chosen = (exact or failures)[-1:]
    return chosen[0].traceback if chosen else None


def catalog_of(ctx: click.Context) -> Catalog:
    """The catalog this run of ``silk`` was built with."""
    catalog: Catalog = ctx.obj["catalog"]
    return catalog


def print_json(value: Any) -> None:
    """``value`` as JSON on standard output, serialized as every silkcore document is."""
    from .._jsonio import dumps

    click.echo(dumps(value))


def framework_option(help_text: str, *, multiple: bool = False, required: bool = False) -> Callable[[_F], _F]:
    """``--framework/-f ID_OR_FILE``: the same option, resolved the same way, on every command."""
    return click.option("--framework", "-f", "framework_refs" if multiple else "framework_ref",
                        multiple=multiple, required=required, metavar="ID_OR_FILE", help=help_text)  # fmt: skip


def given_frameworks(catalog: Catalog, refs: Sequence[str]) -> tuple[Framework, ...]:
    """The frameworks named by repeated ``--framework`` options."""
    return tuple(catalog.resolve_framework(ref) for ref in refs)


_STORE_HELP = (
    "The history store: a file, or a postgresql:// URL (default: $SILKCORE_STORE or silkcore/history.sqlite in your "
    "data directory)."
)


class _StoreLocation(click.ParamType[Any]):
    """A store file (as ``click.Path``: not a directory), or a PostgreSQL URL kept as a URL."""

    name = "store"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from .._store import StoreURL, store_location

        location = store_location(value)
        if isinstance(location, StoreURL):
            return location
        return _STORE_FILE.convert(value, param, ctx)


_STORE_FILE = click.Path(dir_okay=False, path_type=Path)


def default_store() -> Path | StoreURL:
    """The store a command uses when ``--store`` is not given: ``$SILKCORE_STORE`` (a file or
    a PostgreSQL URL, read as ``--store`` reads it), else ``silkcore/history.sqlite`` in the
    user's data directory. Say so with :func:`announce_store` once it is known to be read."""
    from .._store import default_store_path

    return default_store_path()


def read_only_store(path: Path | StoreURL) -> Path | StoreURL:
    """``path``, for a command that only reads a store (``report``, ``history``): a missing
    file is a :class:`StoreError` naming how to make one, never an empty store created in
    passing (a mistyped name would otherwise show an empty history and leave a file behind).
    A file is opened once to check that it is a silkcore store (one that is not is refused
    untouched), and an empty one is refused (SQLite would make it a new store); a database
    URL is checked when it is opened."""
    how = f"record assessments with `silk assess --store {path}` or `silk demo --store {path}`"
    if not path.exists():
        raise StoreError(f"no store at {path}; {how}")
    if isinstance(path, Path):
        from .._store import Store

        if path.is_file() and path.stat().st_size == 0:
            raise StoreError(f"{path} is an empty file, not a store; {how}")
        Store(path).close()
    return path


def announce_store(path: object) -> None:
    """One line on standard error naming the store a command reads without being given one:
    state the user did not choose must never shape a result silently."""
    origin = "$SILKCORE_STORE" if os.environ.get("SILKCORE_STORE") else "the default store"
    click.echo(f"using the store {path} ({origin}; choose one with --store)", err=True)


def store_option(help_text: str = _STORE_HELP) -> Callable[[_F], _F]:
    """``--store FILE_OR_URL``: a history store - a path (SQLite), or a ``postgresql://``
    URL, which is never taken for a file name (it is passed on as a
    :class:`~silkcore._store.StoreURL`, which prints without its password)."""
    return click.option("--store", "store_path", type=_StoreLocation(), metavar="FILE_OR_URL", help=help_text)

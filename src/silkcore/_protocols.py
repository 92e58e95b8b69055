"""Shapes of the components plugins register besides frameworks and scorers, and the guard
the catalog puts around each of them so that a plugin's failure is reported, never a crash."""

from __future__ import annotations

import copy
import errno
import functools
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ._errors import DataError, Issue, PluginError, SilkError

if TYPE_CHECKING:
    import click

__all__ = [
    "Analysis",
    "Exporter",
    "Guarded",
    "Importer",
    "Recorder",
    "ResultCheck",
    "guarded_command",
    "returns",
    "returns_documents",
]


@runtime_checkable
class Exporter(Protocol):
    """Writes silkcore documents in another format (``silk export --format ID``)."""

    @property
    def id(self) -> str:
        """The format name users type, e.g. ``markdown`` or ``valueflows``."""
        ...

    @property
    def media_type(self) -> str:
        """The IANA media type of the output, e.g. ``text/markdown``."""
        ...

    def export(self, documents: Sequence[Any], **options: str) -> bytes:
        """Turn validated documents (entities or plain data for plugin kinds) into bytes.

        ``options`` carry command-line choices such as ``audience``; ignore those you do not use.
        Raise :class:`~silkcore.DataError` (or ``ValueError``) to refuse the documents.
        """
        ...


@runtime_checkable
class Importer(Protocol):
    """Reads another format into silkcore documents (``silk import --format ID``)."""

    @property
    def id(self) -> str:
        """The format name users type."""
        ...

    def import_(self, data: bytes, source: str) -> list[dict[str, Any]]:
        """Return silkcore documents as JSON values (a list of objects); the host validates
        every one. An importer that maps answers to a framework may also take a keyword
        ``framework`` (``silk import --framework``). Raise :class:`~silkcore.DataError` (or
        :class:`~silkcore.PartialImportError`) for input it cannot read."""
        ...


@runtime_checkable
class Analysis(Protocol):
    """An analysis over an organisation's documents (flows, strategies, measurements...).

    One that sets a ``framework_id`` attribute belongs to that framework: registering it for
    a framework another plugin owns follows the scorers' ownership rule."""

    @property
    def id(self) -> str:
        """A stable id, e.g. ``flows.matrix``."""
        ...

    def run(self, documents: Sequence[Any]) -> dict[str, Any]:
        """Analyse the documents and return a JSON-ready result."""
        ...


#: What the catalog does with a plugin's failure: (plugin, hook, where, exception) -> the
#: :class:`PluginError` to raise instead (recorded against the plugin).
Recorder = Callable[[str, str, str, BaseException], PluginError]
#: Checks a method's result: (result, args, kwargs) -> what is wrong with it, or None.
ResultCheck = Callable[[Any, tuple[Any, ...], Mapping[str, Any]], str | None]


class Guarded:
    """A plugin's component as the catalog hands it out: every attribute of the component,
    and each guarded method isolated. A :class:`~silkcore.SilkError` raised on purpose passes
    as it is (a :class:`~silkcore.PluginError` is also recorded against the plugin); any other
    exception, or a result of the wrong type, is recorded against the plugin and raised as a
    :class:`~silkcore.PluginError` naming it. ``refusals`` are exception types the component
    may raise to refuse its input (an exporter's ``ValueError``): they become a
    :class:`~silkcore.DataError` with the same message.

    The component itself is ``guarded.__wrapped__``."""

    def __init__(
        self,
        component: Any,
        *,
        plugin: str,
        hook_name: str,
        label: str,
        methods: Mapping[str, ResultCheck | None],
        record: Recorder,
        refusals: tuple[type[Exception], ...] = (),
    ) -> None:
        self.__dict__.update(__wrapped__=component, _plugin=plugin, _label=label)
        for name, check in methods.items():
            where = f"{label} ({name})"
            self.__dict__[name] = _guard(getattr(component, name), plugin, hook_name, where, check, record, refusals)

    def __getattr__(self, name: str) -> Any:
        try:
            component = self.__dict__["__wrapped__"]
        except KeyError:  # while being copied: nothing to forward to yet
            raise AttributeError(name) from None
        return getattr(component, name)

    def __repr__(self) -> str:
        return f"<{self._label} of plugin {self._plugin!r}: {self.__wrapped__!r}>"


def _guard(
    method: Callable[..., Any],
    plugin: str,
    hook_name: str,
    where: str,
    check: ResultCheck | None,
    record: Recorder,
    refusals: tuple[type[Exception], ...],
) -> Callable[..., Any]:
    @functools.wraps(method)  # keeps the signature: callers may inspect it (an importer's ``framework=``)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            result = method(*args, **kwargs)
        except PluginError as exc:
            error = record(plugin, hook_name, where, exc)
            raise error from error.__cause__  # the plugin's own exception only when debugging
        except SilkError:
            raise  # on purpose: bad input, a refusal - the caller reports it as such
        except refusals as exc:
            raise DataError([Issue("", str(exc))], str(exc)) from exc
        except (Exception, SystemExit) as exc:  # the plugin's bug: reported, never a traceback
            error = record(plugin, hook_name, where, exc)
            raise error from error.__cause__  # the plugin's own exception only when debugging
        problem = None if check is None else check(result, args, kwargs)
        if problem is not None:
            raise record(plugin, hook_name, where, TypeError(problem))
        return result

    return call


def returns(*types: type, optional: bool = False) -> ResultCheck:
    """A check that the result is one of ``types`` (or None when ``optional``)."""
    names = " or ".join(t.__name__ for t in types) + (" or None" if optional else "")

    def check(result: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> str | None:
        if (optional and result is None) or isinstance(result, types):
            return None
        return f"returned {type(result).__name__}, expected {names}"

    return check


def returns_documents(result: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> str | None:
    """An importer's result: a list of documents, each a JSON object."""
    if not isinstance(result, list):
        return f"returned {type(result).__name__}, expected a list of documents"
    wrong = next((index for index, item in enumerate(result) if not isinstance(item, dict)), None)
    if wrong is not None:
        return f"returned a list whose item {wrong} is a {type(result[wrong]).__name__}, not a document (a JSON object)"
    return None


def guarded_command(command: click.Command, plugin: str, record: Recorder) -> click.Command:
    """A copy of a plugin's command (and of its subcommands) whose callback is guarded: an
    exception that is neither a :class:`~silkcore.SilkError` nor click's own (a usage error,
    an exit, an abort) is recorded against the plugin and raised as a
    :class:`~silkcore.PluginError`. The plugin's own command objects are left as they are."""
    import click

    clone = copy.copy(command)
    if command.callback is not None:
        clone.callback = _guarded_callback(command.callback, plugin, f"command {command.name!r}", record)
    if isinstance(command, click.Group) and isinstance(clone, click.Group):
        clone.commands = {key: guarded_command(sub, plugin, record) for key, sub in command.commands.items()}
    return clone


def _guarded_callback(callback: Callable[..., Any], plugin: str, where: str, record: Recorder) -> Callable[..., Any]:
    import click

    passes = (SilkError, click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort, EOFError)

    @functools.wraps(callback)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return callback(*args, **kwargs)
        except PluginError as exc:
            error = record(plugin, "silk_add_cli_commands", where, exc)
            raise error from error.__cause__
        except passes:
            raise  # click's own, or a SilkError on purpose: the command's answer to its user
        except Exception as exc:
            if isinstance(exc, OSError) and exc.errno == errno.EPIPE:
                raise  # the reader went away (silk ... | head): click handles it
            error = record(plugin, "silk_add_cli_commands", where, exc)
            raise error from error.__cause__  # the plugin's own exception only when debugging

    return call

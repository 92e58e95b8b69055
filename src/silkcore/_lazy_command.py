"""A ``silk`` command listed by its name and summary, and imported only when it is run.

``silk --help`` lists every command with the first sentence of its help; importing each
command's module for that would import most of silkcore (and each plugin's command modules).
A :class:`LazyCommand` stands in the group until the command is looked up to be run (or read
through ``group.commands[name]``), then the real command takes its place. Built-in commands
and plugins' commands (:func:`lazy_command`, through ``silk_add_cli_commands``) use it alike.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from importlib import import_module
from typing import Any

import click

__all__ = ["LazyCommand", "LazyCommands", "lazy_command", "stored"]


class LazyCommand(click.Command):
    """Stands for the command ``load()`` returns, under the same name: its help is the
    ``summary`` (the first sentence of the real command's help, which is all a listing
    shows). Functions given to :meth:`when_loaded` transform the real command once loaded
    (the catalog guards a plugin's command that way)."""

    def __init__(self, name: str, summary: str, load: Callable[[], click.Command]) -> None:
        super().__init__(name, help=summary)
        self._load = load
        self._wrappers: list[Callable[[click.Command], click.Command]] = []

    def when_loaded(self, wrap: Callable[[click.Command], click.Command]) -> None:
        """Apply ``wrap`` to the real command when it is loaded."""
        self._wrappers.append(wrap)

    def load(self) -> click.Command:
        """The real command (imported now), transformed by the :meth:`when_loaded` functions."""
        command = self._load()
        if not isinstance(command, click.Command) or command.name != self.name:
            raise TypeError(f"the command {self.name!r} was loaded as {command!r}")
        for wrap in self._wrappers:
            command = wrap(command)
        return command


def lazy_command(name: str, target: str, summary: str) -> click.Command:
    """A command for ``silk_add_cli_commands`` that is imported only when it is run:
    ``target`` names it as ``"package.module:attribute"``, and ``summary`` is the first
    sentence of its help (what ``silk --help`` lists). Add it with ``cli.add_command(...)``,
    as the command itself; ``silk --help`` then imports nothing of the plugin's commands."""
    module, _, attribute = target.partition(":")
    if not module or not attribute:
        raise ValueError(f"expected 'package.module:attribute', got {target!r}")
    return LazyCommand(name, summary, lambda: getattr(import_module(module), attribute))


class LazyCommands(dict[str, Any]):
    """A group's ``commands`` in which a :class:`LazyCommand` is replaced by the real command
    when read (``[name]``, ``get``, ``values``, ``items``). Names (``in``, iteration, ``keys``)
    and copies made by ``dict(...)`` see what is stored, the stand-in included."""

    def __getitem__(self, name: str) -> click.Command:
        value = super().__getitem__(name)
        if isinstance(value, LazyCommand):
            value = value.load()
            self[name] = value
        return value  # type: ignore[no-any-return]

    def get(self, name: str, default: Any = None) -> Any:
        if name not in self:
            return default
        return self[name]

    def values(self) -> Any:
        return [self[name] for name in self]

    def items(self) -> Any:
        return [(name, self[name]) for name in self]

    def listed(self, name: str) -> click.Command | None:
        """The command as stored - the stand-in of one not loaded yet - for a listing."""
        value: click.Command | None = super().get(name)
        return value


def stored(commands: MutableMapping[str, click.Command], name: str) -> click.Command | None:
    """The command stored under ``name`` as it is, without loading a stand-in."""
    if isinstance(commands, dict):
        value: click.Command | None = dict.get(commands, name)
        return value
    return commands.get(name)

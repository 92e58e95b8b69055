"""Discovering and loading plugins, one at a time, with every failure isolated.

Built-in SILK tools and third-party plugins take the same road: an entry point in the
``silkcore`` group. Each entry point is imported inside its own ``try``; one that fails is
recorded with its name and error and the others load regardless. Environment switches:

* ``SILKCORE_DISABLE_PLUGINS=a,b`` - never load these entry points;
* ``SILKCORE_LOAD_PLUGINS=a,b`` - load only these (an empty value loads none);
* ``SILKCORE_TRACE_PLUGINS=1`` - print every hook call (and what it registered) to stderr.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from importlib import metadata
from typing import Any

import attrs
import pluggy

from . import _hookspecs as hookspecs
from ._errors import PluginError, PluginLoadError

__all__ = ["PluginHost", "PluginStatus", "get_plugin_host"]


@attrs.frozen
class PluginStatus:
    """What ``silk plugins`` reports for one plugin."""

    name: str
    distribution: str | None
    version: str | None
    status: str
    error: str | None = None


def _names(variable: str) -> set[str] | None:
    raw = os.environ.get(variable)
    if raw is None:
        return None
    return {part.strip() for part in raw.split(",") if part.strip()}


@attrs.define
class PluginHost:
    """A plugin manager and what happened to each plugin it tried to load."""

    pm: pluggy.PluginManager
    statuses: dict[str, PluginStatus] = attrs.field(factory=dict)
    strict: bool = False

    def fail(self, name: str, error: BaseException | str, context: str | None = None) -> None:
        """Mark a plugin as failed (unregistering it); with ``strict`` raise instead.

        ``context`` (e.g. the hook that raised) is prefixed to the recorded message.
        """
        if isinstance(error, str):
            message = error
        elif isinstance(error, PluginError) and not isinstance(error, PluginLoadError):
            message = str(error)
        else:
            message = f"{type(error).__name__}: {error}"
        if context:
            message = f"in {context}: {message}"
        previous = self.statuses.get(name)
        self.statuses[name] = PluginStatus(
            name, previous.distribution if previous else None, previous.version if previous else None, "failed", message
        )
        plugin = self.pm.get_plugin(name)
        if plugin is not None:
            self.pm.unregister(plugin)
        if self.strict:
            if isinstance(error, PluginError):
                raise error
            raise PluginError(f"plugin {name!r} failed: {message}", plugin_name=name)

    def ok_plugins(self) -> list[tuple[str, Any]]:
        """(name, plugin object) for every loaded, non-failed plugin, sorted by name."""
        return sorted(
            ((n, p) for n, p in self.pm.list_name_plugin() if n is not None and self.statuses.get(n, _OK).status == "ok"),
            key=lambda pair: pair[0],
        )


_OK = PluginStatus("", None, None, "ok")


def _load_entry_points(host: PluginHost) -> None:
    disabled = _names("SILKCORE_DISABLE_PLUGINS") or set()
    allowed = _names("SILKCORE_LOAD_PLUGINS")
    for ep in sorted(metadata.entry_points(group=hookspecs.NAME), key=lambda e: e.name):
        if ep.name in host.statuses:
            continue  # the same distribution seen twice on sys.path
        if ep.name in disabled or (allowed is not None and ep.name not in allowed):
            dist = ep.dist.name if ep.dist else None
            host.statuses[ep.name] = PluginStatus(ep.name, dist, ep.dist.version if ep.dist else None, "disabled")
            continue
        dist_name = ep.dist.name if ep.dist else None
        version = ep.dist.version if ep.dist else None
        host.statuses[ep.name] = PluginStatus(ep.name, dist_name, version, "ok")
        try:
            plugin = ep.load()
        except (Exception, SystemExit) as exc:  # any import-time failure is the plugin's, never ours
            error = PluginLoadError(
                f"plugin {ep.name!r} failed to import: {type(exc).__name__}: {exc}", plugin_name=ep.name, distribution=dist_name
            )
            host.fail(ep.name, error)
            continue
        try:
            host.pm.register(plugin, name=ep.name)
        except (pluggy.PluginValidationError, ValueError) as exc:
            host.fail(ep.name, PluginError(f"plugin {ep.name!r} is invalid: {exc}", plugin_name=ep.name))


def _check_pending(host: PluginHost) -> None:
    """Refuse plugins with ``silk_*`` functions that match no hook (a misspelt hook name)."""
    for name, plugin in host.pm.list_name_plugin():
        if name is None:
            continue
        for attr in dir(plugin):
            if not attr.startswith("silk_"):
                continue
            if host.pm.parse_hookimpl_opts(plugin, attr) is not None and getattr(host.pm.hook, attr, None) is None:
                host.fail(
                    name, PluginError(f"plugin {name!r} implements unknown hook {attr!r}", plugin_name=name, hook_name=attr)
                )
                break
    try:
        host.pm.check_pending()
    except pluggy.PluginValidationError as exc:
        culprit = getattr(exc.plugin, "__name__", None) or host.pm.get_name(exc.plugin) or "?"
        host.fail(str(culprit), PluginError(str(exc), plugin_name=str(culprit)))


def get_plugin_host(*, load_entrypoints: bool = True, plugins: Iterable[Any] = (), strict: bool = False) -> PluginHost:
    """A fresh plugin manager: entry points (unless ``load_entrypoints=False``) plus ``plugins``.

    Tests pass ``load_entrypoints=False`` and their own plugins, so they never depend on what
    happens to be installed.
    """
    pm = pluggy.PluginManager(hookspecs.NAME)
    pm.add_hookspecs(hookspecs)
    host = PluginHost(pm, strict=strict)
    if load_entrypoints:
        _load_entry_points(host)
    for index, plugin in enumerate(plugins):
        name = getattr(plugin, "__name__", None) or getattr(type(plugin), "__name__", None) or f"inline-{index}"
        name = str(name)
        host.statuses[name] = PluginStatus(name, None, None, "ok")
        try:
            host.pm.register(plugin, name=name)
        except (pluggy.PluginValidationError, ValueError) as exc:
            host.fail(name, PluginError(f"plugin {name!r} is invalid: {exc}", plugin_name=name))
    _check_pending(host)
    return host

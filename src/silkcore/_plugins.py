"""Discovering and loading plugins, one at a time, with every failure isolated.

Built-in SILK tools and third-party plugins take the same road: an entry point in the
``silkcore`` group. Each entry point is imported inside its own ``try``; one that fails is
recorded with its name and error and the others load regardless. A plugin whose hook
implementation matches no hook (a misspelt ``silk_register_framework``, or a ``specname``
naming no hook) fails as a whole, under its entry-point name, and none of its hooks run.
Environment switches:

* ``SILKCORE_DISABLE_PLUGINS=a,b`` - never load these entry points;
* ``SILKCORE_LOAD_PLUGINS=a,b`` - load only these (an empty value loads none);
* ``SILKCORE_TRACE_PLUGINS=1`` - pluggy's own hook-call tracing on stderr (``pm.enable_tracing``),
  what each plugin registered, and the traceback of every plugin failure.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Iterable
from importlib import metadata
from typing import Any

import attrs
import pluggy

from . import _hookspecs as hookspecs
from ._errors import PluginError, PluginLoadError, SilkError

__all__ = ["PluginFailure", "PluginHost", "PluginStatus", "get_plugin_host", "tracing_requested"]


@attrs.frozen
class PluginStatus:
    """What ``silk plugins`` reports for one plugin."""

    name: str
    distribution: str | None
    version: str | None
    status: str
    error: str | None = None


@attrs.frozen
class PluginFailure:
    """One thing a plugin got wrong: loading, registering, or (``while_running``) a call of one
    of its components - a scorer, an analysis, an exporter, an importer, a report section or a
    command - while a command ran. The same failure repeated (a scorer failing on every line
    of a batch) is one record with a ``count``; ``traceback`` is kept only when debugging."""

    plugin: str
    where: str
    message: str
    while_running: bool
    count: int = 1
    traceback: str | None = None


def _names(variable: str) -> set[str] | None:
    raw = os.environ.get(variable)
    if raw is None:
        return None
    return {part.strip() for part in raw.split(",") if part.strip()}


def tracing_requested() -> bool:
    """Whether ``SILKCORE_TRACE_PLUGINS`` asks for tracing (any value but empty or ``0``)."""
    return os.environ.get("SILKCORE_TRACE_PLUGINS", "").strip() not in ("", "0")


def _message(error: BaseException | str) -> str:
    if isinstance(error, str):
        return error
    if isinstance(error, PluginError) and not isinstance(error, PluginLoadError):
        return str(error)
    return f"{type(error).__name__}: {error}"


@attrs.define
class PluginHost:
    """A plugin manager and what happened to each plugin it tried to load (and, later, to
    run). ``debug`` keeps tracebacks of plugin failures (``SILKCORE_TRACE_PLUGINS`` sets it)."""

    pm: pluggy.PluginManager
    statuses: dict[str, PluginStatus] = attrs.field(factory=dict)
    strict: bool = False
    debug: bool = False
    failures: list[PluginFailure] = attrs.field(factory=list)

    def _trace(self, *args: object) -> None:
        self.pm.trace.root.get("silkcore")(*args)

    def _record(self, name: str, where: str, message: str, error: BaseException | str, *, while_running: bool) -> None:
        text = None
        if self.debug and isinstance(error, BaseException):
            text = "".join(traceback.format_exception(error))
        for index, seen in enumerate(self.failures):
            if (seen.plugin, seen.where, seen.while_running) == (name, where, while_running):
                self.failures[index] = attrs.evolve(seen, count=seen.count + 1)
                break
        else:
            self.failures.append(PluginFailure(name, where, message, while_running, traceback=text))
        self._trace(f"plugin {name!r} failed in {where}: {message}", {"traceback": text} if text else {})
        previous = self.statuses.get(name)
        if previous is None or previous.status != "failed":  # the first failure is the one shown
            self.statuses[name] = PluginStatus(
                name,
                previous.distribution if previous else None,
                previous.version if previous else None,
                "failed",
                f"in {where}: {message}" if where != "loading" else message,
            )

    def fail(self, name: str, error: BaseException | str, context: str | None = None) -> None:
        """Mark a plugin as failed while loading or registering (unregistering it, so none of
        its hooks run again); with ``strict`` raise instead.

        ``context`` (e.g. the hook that raised) is prefixed to the recorded message.
        """
        self._record(name, context or "loading", _message(error), error, while_running=False)
        plugin = self.pm.get_plugin(name)
        if plugin is not None:
            self.pm.unregister(plugin)
        if self.strict:
            if isinstance(error, PluginError):
                raise error
            message = self.statuses[name].error
            raise PluginError(f"plugin {name!r} failed: {message}", plugin_name=name, hook_name=context)

    def call_each(self, hook_name: str, run: Callable[[str, Callable[..., list[Any]]], None]) -> None:
        """Call ``run(plugin_name, call)`` for each plugin implementing ``hook_name``, in
        pluggy's order (``tryfirst`` first, ``trylast`` last); ``call(**kwargs)`` calls the
        hook through pluggy with that plugin's implementations alone (and every plugin's
        wrappers), so pluggy's tracing and monitoring see it. An exception fails the plugin
        it was raised in (:meth:`fail`); when that was another plugin's wrapper, this plugin
        is called again without it."""
        hook = getattr(self.pm.hook, hook_name)
        done: set[str] = set()
        while True:
            impls = hook.get_hookimpls()
            plain = [impl for impl in reversed(impls) if not (impl.wrapper or impl.hookwrapper)]
            current = next((impl for impl in plain if impl.plugin_name not in done), None)
            if current is None:
                return
            others = [impl.plugin for impl in plain if impl.plugin is not current.plugin]
            self._trace(f"{current.plugin_name}: calling {hook_name}")
            try:
                run(current.plugin_name, self.pm.subset_hook_caller(hook_name, others))
            except (Exception, SystemExit) as exc:  # a plugin's failure is reported against it, never fatal to others
                suspects = [impl for impl in impls if impl.plugin is current.plugin or impl.wrapper or impl.hookwrapper]
                culprit = _culprit(exc, suspects, current.plugin_name)
                error = exc if isinstance(exc, SilkError) else PluginError(f"{type(exc).__name__}: {exc}", plugin_name=culprit)
                if error is not exc and self.debug:
                    error.__cause__ = exc  # the traceback recorded is the plugin's own
                self.fail(culprit, error, context=hook_name)
                if culprit != current.plugin_name and self.pm.get_plugin(culprit) is None:
                    continue
            done.add(current.plugin_name)

    def fail_while_running(self, name: str, hook_name: str, where: str, error: BaseException) -> PluginError:
        """Record that a plugin's component failed while a command ran, and return the
        :class:`PluginError` to raise in its place (from the original exception only when
        debugging). The plugin stays registered: one bad input need not disable it."""
        if isinstance(error, PluginError):  # raised on purpose by the plugin: as it is, named
            error.plugin_name = error.plugin_name or name
            error.hook_name = error.hook_name or hook_name
            self._record(name, where, str(error), error, while_running=True)
            return error
        detail = _message(error)
        self._record(name, where, detail, error, while_running=True)
        failure = PluginError(f"plugin {name!r} failed in {where}: {detail}", plugin_name=name, hook_name=hook_name)
        failure.__cause__ = error if self.debug else None
        failure.__suppress_context__ = True
        return failure


def _code(function: Any) -> Any:
    return getattr(getattr(function, "__func__", function), "__code__", None)


def _culprit(error: BaseException, impls: Iterable[Any], default: str) -> str:
    """The plugin whose hook implementation (or wrapper) the error was raised in: the
    innermost frame of the traceback that belongs to one of ``impls``."""
    codes = {_code(impl.function): impl.plugin_name for impl in impls}
    culprit = default
    for frame, _ in traceback.walk_tb(error.__traceback__):
        culprit = codes.get(frame.f_code, culprit)
    return culprit


def _load_entry_points(host: PluginHost) -> None:
    disabled = _names("SILKCORE_DISABLE_PLUGINS") or set()
    allowed = _names("SILKCORE_LOAD_PLUGINS")
    # A distribution's name and version come from its METADATA, which importlib.metadata parses
    # (as an e-mail message) at each ask: asked once per distribution, not for each plugin.
    named: dict[int, tuple[Any, str | None, str | None]] = {}  # by identity, each held (so no id is reused)
    for ep in sorted(metadata.entry_points(group=hookspecs.NAME), key=lambda e: e.name):
        if ep.name in host.statuses:
            continue  # the same distribution seen twice on sys.path
        dist = ep.dist
        if id(dist) not in named:
            named[id(dist)] = (dist, dist.name, dist.version) if dist is not None else (None, None, None)
        _, dist_name, version = named[id(dist)]
        if ep.name in disabled or (allowed is not None and ep.name not in allowed):
            host.statuses[ep.name] = PluginStatus(ep.name, dist_name, version, "disabled")
            continue
        host.statuses[ep.name] = PluginStatus(ep.name, dist_name, version, "ok")
        try:
            plugin = ep.load()
        except (Exception, SystemExit) as exc:  # any import-time failure is the plugin's, never ours
            error = PluginLoadError(
                f"plugin {ep.name!r} failed to import: {type(exc).__name__}: {exc}", plugin_name=ep.name, distribution=dist_name
            )
            host.fail(ep.name, error)
            continue
        _register(host, plugin, ep.name)


def _register(host: PluginHost, plugin: Any, name: str) -> None:
    try:
        hash(plugin)  # pluggy calls one plugin at a time through sets of plugins
    except TypeError:
        host.fail(name, PluginError(f"plugin {name!r} is not hashable: use a module, a class or an instance of one"))
        return
    try:
        host.pm.register(plugin, name=name)
    except (pluggy.PluginValidationError, ValueError) as exc:
        host.fail(name, PluginError(f"plugin {name!r} is invalid: {exc}", plugin_name=name))


def _check_unknown_hooks(host: PluginHost) -> None:
    """Fail every plugin with a hook implementation that matches no hook - a misspelt name, or
    a ``specname`` naming no hook - under the name it was registered with (its entry point),
    unless the implementation is marked ``optionalhook``. All of them are reported; in strict
    mode one error then names them all."""
    unknown: dict[str, list[tuple[str, str]]] = {}
    for hook_name, caller in vars(host.pm.hook).items():
        if hook_name.startswith("_") or not isinstance(caller, pluggy.HookCaller) or caller.has_spec():
            continue
        for impl in caller.get_hookimpls():
            if not impl.optionalhook:
                unknown.setdefault(impl.plugin_name, []).append((hook_name, getattr(impl.function, "__name__", hook_name)))
    strict, host.strict = host.strict, False
    errors = []
    try:
        for name, found in sorted(unknown.items()):
            hooks = ", ".join(repr(h) if f == h else f"{h!r} (function {f})" for h, f in sorted(found))
            error = PluginError(
                f"plugin {name!r} implements unknown hook {hooks}; see the hooks in silkcore's docs/plugins/hooks.md",
                plugin_name=name,
                hook_name=min(found)[0],
            )
            errors.append(error)
            host.fail(name, error)
    finally:
        host.strict = strict
    if strict and errors:
        raise errors[0] if len(errors) == 1 else PluginError("; ".join(str(e) for e in errors))


def _stderr(text: str) -> None:
    sys.stderr.write(text)  # looked up at each call: a test may have replaced sys.stderr


def get_plugin_host(
    *, load_entrypoints: bool = True, plugins: Iterable[Any] = (), strict: bool = False, debug: bool = False
) -> PluginHost:
    """A fresh plugin manager: entry points (unless ``load_entrypoints=False``) plus ``plugins``.

    Tests pass ``load_entrypoints=False`` and their own plugins, so they never depend on what
    happens to be installed. With ``SILKCORE_TRACE_PLUGINS`` set, pluggy traces every hook
    call on stderr; set a writer yourself with ``host.pm.trace.root.setwriter(...)`` and
    ``host.pm.enable_tracing()`` to see them elsewhere.
    """
    pm = pluggy.PluginManager(hookspecs.NAME)
    pm.add_hookspecs(hookspecs)
    trace = tracing_requested()
    host = PluginHost(pm, strict=strict, debug=debug or trace)
    if trace:
        pm.trace.root.setwriter(_stderr)
        pm.enable_tracing()
    if load_entrypoints:
        _load_entry_points(host)
    for index, plugin in enumerate(plugins):
        name = getattr(plugin, "__name__", None) or getattr(type(plugin), "__name__", None) or f"inline-{index}"
        name = str(name)
        host.statuses[name] = PluginStatus(name, None, None, "ok")
        _register(host, plugin, name)
    _check_unknown_hooks(host)
    return host

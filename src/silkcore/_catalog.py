"""A typed facade over the plugin hooks: everything plugins registered, checked and sorted.

The rest of silkcore asks the catalog, never ``pm.hook``. Each hook is called through pluggy,
one plugin at a time, so ``specname=``, ``tryfirst``/``trylast``, hook wrappers and pluggy's
tracing (``pm.trace``) work as in pytest. A plugin that raises in a hook or registers
something invalid is reported as failed and contributes nothing; the others are unaffected.

**Ownership.** A framework belongs to the plugin that registered it. A scorer - or an
analysis naming a ``framework_id`` - for a framework another plugin owns is refused, as a
failure of the plugin that sent it naming both plugins, unless the owner opened the
framework to it (``register(framework, open_to=["plugin"])``, ``"*"`` for any) or the user
chose it (``SILKCORE_OPEN_FRAMEWORKS=framework_id=plugin,...`` or ``open_frameworks=``); a
scorer the user chose also takes the place of the owner's own.

**Isolation.** The scorers, analyses, exporters, importers and report sections of plugins
come out of the catalog guarded (:class:`~silkcore._protocols.Guarded`), and so do the
commands :meth:`Catalog.add_cli_commands` adds: a failure while a command runs is recorded
against the plugin (:meth:`Catalog.runtime_failures`, ``silk plugins``) and raised as a
:class:`PluginError` naming it - never a traceback, which is kept only when ``debug`` is on
(``SILKCORE_TRACE_PLUGINS``).

**When things are built.** A catalog calls the registration hooks once, when it is built -
or, built with ``lazy=True`` (as ``silk`` builds it), when it is first asked for anything
but its plugin commands, so ``silk --help`` runs none of them. A framework registered with
its id (``register(path_or_factory, id="x.y")``: a framework file, or a function returning
the framework) is read, checked and built when first asked for, once; everything else is
built at registration. A framework that then turns out to be wrong fails its plugin as it
would have at registration (reported, unregistered, contributing nothing), and the
statuses (:meth:`Catalog.plugin_statuses`) build every framework still waiting first, so
``silk plugins`` and ``silk --strict-plugins`` see every failure.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ._errors import DuplicateRegistrationError, Issue, PluginError, SchemaValidationError, SilkError, UnknownComponentError
from ._plugins import PluginFailure, PluginHost, PluginStatus, get_plugin_host
from ._protocols import Analysis, Exporter, Guarded, Importer, ResultCheck, guarded_command, returns, returns_documents

# The entities, schemas and scoring are imported when the catalog registers or builds
# something: ``silk --help`` imports this module and none of them.
if TYPE_CHECKING:
    import click

    from ._framework import Framework
    from ._hookspecs import ComputeFn
    from ._model import IndicatorDefinition
    from ._schemas import SchemaRegistry
    from ._scoring import Scorer
    from .report import ReportSection

__all__ = ["Catalog", "FrameworkFinder", "IndicatorEntry", "build_catalog", "get_catalog"]

#: The user's choice of plugins allowed to score (and analyse) another plugin's framework.
OPEN_FRAMEWORKS_VARIABLE = "SILKCORE_OPEN_FRAMEWORKS"


@attrs.frozen
class IndicatorEntry:
    """An indicator definition and, when the plugin computes it, its compute function."""

    definition: IndicatorDefinition
    compute: ComputeFn | None = None


@attrs.frozen
class _Registered:
    owner: str
    value: Any
    open_to: frozenset[str] = frozenset()


@attrs.frozen
class _Waiting:
    """A framework registered by its id, built when first asked for: a framework file, or a
    function of no argument returning the framework."""

    source: Path | Callable[[], Any]


def _returns_card(result: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> str | None:
    from ._assessment import ScoreCard

    if not isinstance(result, ScoreCard):
        return f"returned {type(result).__name__}, expected a ScoreCard"
    expected = getattr(args[0] if args else kwargs.get("framework"), "id", None)
    if isinstance(expected, str) and result.framework_id != expected:
        return f"returned a score card for {result.framework_id!r}, not {expected!r}"
    return None


_Guard = tuple[str, dict[str, ResultCheck | None], tuple[type[Exception], ...]]


@cache
def _guards() -> dict[str, _Guard]:
    """kind -> (the hook registering it, its methods and their result checks, refusal
    exceptions). Built on first use: the report section's check needs ``silkcore.report``."""
    from .report import SectionContent

    return {
        "scorer": ("silk_register_scorers", {"score": _returns_card}, ()),
        "analysis": ("silk_register_analyses", {"run": returns(dict)}, ()),
        # documented: an exporter refuses documents with a DataError or a ValueError
        "exporter": ("silk_register_exporters", {"export": returns(bytes)}, (ValueError,)),
        "importer": ("silk_register_importers", {"import_": returns_documents}, ()),
        "report section": ("silk_register_report_sections", {"render": returns(SectionContent, optional=True)}, ()),
    }


def _plugin_names(value: Any, what: str) -> frozenset[str]:
    """Plugin names given as one string or an iterable of strings."""
    names = [value] if isinstance(value, str) else value
    try:
        result = frozenset(names)
    except TypeError:
        raise PluginError(f"{what} takes plugin names (strings), not {type(value).__name__}") from None
    if not all(isinstance(name, str) and name for name in result):
        raise PluginError(f"{what} takes plugin names (non-empty strings)")
    return result


def _chosen_frameworks(given: Mapping[str, str | Iterable[str]] | None) -> dict[str, frozenset[str]]:
    """framework id -> the plugins the user lets score it: ``given``, else the environment."""
    if given is not None:
        return {framework_id: _plugin_names(plugins, "open_frameworks") for framework_id, plugins in given.items()}
    chosen: dict[str, frozenset[str]] = {}
    for part in os.environ.get(OPEN_FRAMEWORKS_VARIABLE, "").split(","):
        if not part.strip():
            continue
        framework_id, sep, plugin = (text.strip() for text in part.partition("="))
        if not sep or not framework_id or not plugin:
            raise PluginError(f"{OPEN_FRAMEWORKS_VARIABLE}: expected FRAMEWORK_ID=PLUGIN[,FRAMEWORK_ID=PLUGIN...], got {part!r}")
        chosen[framework_id] = chosen.get(framework_id, frozenset()) | {plugin}
    return chosen


def _version_order(framework: Framework) -> Any:
    from ._framework import version_key  # (loaded by then: a framework exists)

    return version_key(framework.version)


class FrameworkFinder:
    """The frameworks a command knows - files the user gave, then the registered ones - by
    id, and by id and version. Called with an id it is a
    :data:`~silkcore._documents.FrameworkResolver`."""

    def __init__(self, catalog: Catalog, given: Iterable[Framework]) -> None:
        self._catalog = catalog
        self._given: dict[str, dict[str, Framework]] = {}
        for framework in given:
            self._given.setdefault(framework.id, {})[framework.version] = framework
        self._answering: dict[tuple[str, str], Framework] = {}
        # by id alone: the newest version given
        self._newest = {fid: max(found.values(), key=_version_order) for fid, found in self._given.items()}

    def __call__(self, framework_id: str) -> Framework:
        found = self._newest.get(framework_id)
        if found is not None:
            return found
        try:
            return self._catalog.framework(framework_id)
        except UnknownComponentError as exc:
            raise UnknownComponentError("framework", framework_id, {*exc.available, *self._newest}) from None

    def versions(self, framework_id: str) -> list[Framework]:
        """Every known version of a framework, oldest first (empty when the id is unknown)."""
        found = dict(self._given.get(framework_id, {}))
        if framework_id in self._catalog.framework_ids():
            with contextlib.suppress(SilkError):
                registered = self._catalog.framework(framework_id)
                found.setdefault(registered.version, registered)
        return sorted(found.values(), key=_version_order)

    def version(self, framework_id: str, version: str) -> Framework:
        """Version ``version`` of a framework; :class:`UnknownComponentError` (naming the
        versions known) when that version is not known."""
        versions = self.versions(framework_id)
        for framework in versions:
            if framework.version == version:
                return framework
        if not versions:
            self(framework_id)  # raises: the id itself is unknown
        known = {f"{framework_id} {f.version}": None for f in versions}
        raise UnknownComponentError("framework version", f"{framework_id} {version}", known)

    def for_answers(self, framework_id: str, version: str) -> Framework:
        """The version a response set answers when it is known, else the framework by id
        (whose check then says which version it is). Remembered: a batch asks once a line."""
        found = self._answering.get((framework_id, version))
        if found is None:
            found = next((f for f in self.versions(framework_id) if f.version == version), None) or self(framework_id)
            if len(self._answering) >= 256:  # ids and versions come from documents: bounded
                self._answering.clear()
            self._answering[framework_id, version] = found
        return found


class Catalog:
    """Frameworks, indicators, scorers, analyses, exporters, importers and schemas by id.

    ``debug`` keeps the tracebacks of plugin failures (default: ``SILKCORE_TRACE_PLUGINS``);
    ``open_frameworks`` maps a framework id to the plugins the user lets register scorers
    and analyses for it (default: ``SILKCORE_OPEN_FRAMEWORKS``). ``lazy``: call the
    registration hooks when the catalog is first asked for something (see the module's doc)."""

    def __init__(
        self,
        host: PluginHost,
        *,
        debug: bool | None = None,
        open_frameworks: Mapping[str, str | Iterable[str]] | None = None,
        lazy: bool = False,
    ) -> None:
        self.host = host
        if debug is not None:
            host.debug = debug
        self._trace = host.pm.trace.root.get("silkcore")
        self._chosen = _chosen_frameworks(open_frameworks)
        self._lock = threading.RLock()
        self._registered = False
        #: commands added by plugins: (group, plugin, name, command), dropped if the plugin fails later
        self._commands: list[tuple[click.Group, str, str, click.Command]] = []
        #: the commands taken away because their plugin failed: name -> plugin
        self._dropped_commands: dict[str, str] = {}
        if not lazy:
            self.ensure_registered()

    def ensure_registered(self) -> None:
        """Call the registration hooks, plugin by plugin, unless done already."""
        with self._lock:
            if self._registered:
                return
            self._registered = True
            self._frameworks: dict[str, _Registered] = {}
            extra_schemas = self._collect("silk_register_schemas", "schema", self._schema_entry)
            self._schemas = self._schema_registry(extra_schemas)
            self._frameworks = self._collect("silk_register_frameworks", "framework", self._framework_entry, opens=True)
            self._indicators = self._collect("silk_register_indicators", "indicator", self._indicator_entry)
            from ._scoring import Scorer

            self._scorers = self._collect("silk_register_scorers", "scorer", self._checked(Scorer, "framework_id"), claim=True)
            self._analyses = self._collect("silk_register_analyses", "analysis", self._checked(Analysis, "id"), claim=True)
            self._exporters = self._collect("silk_register_exporters", "exporter", self._checked(Exporter, "id"))
            self._importers = self._collect("silk_register_importers", "importer", self._checked(Importer, "id"))
            self._sections = self._collect("silk_register_report_sections", "report section", self._section_entry)
            self._drop_failed()

    @property
    def schemas(self) -> SchemaRegistry:
        """The local schema registry: silkcore's schemas and those plugins registered."""
        self.ensure_registered()
        return self._schemas

    @property
    def debug(self) -> bool:
        """Whether plugin failures keep their tracebacks (``silk --debug`` may switch it on)."""
        return self.host.debug

    @debug.setter
    def debug(self, value: bool) -> None:
        self.host.debug = value

    def _drop_failed(self) -> None:
        """A plugin that failed in any hook contributes nothing, not even what earlier hooks kept
        (nor the commands it added before its registration was called)."""
        from ._lazy_command import stored

        failed = {f.plugin for f in self.host.failures if not f.while_running}
        for group, plugin, key, command in self._commands:
            if plugin in failed and stored(group.commands, key) is command:
                del group.commands[key]
                self._dropped_commands[key] = plugin
        self._commands = [entry for entry in self._commands if entry[1] not in failed]
        if not self._registered:
            return
        for table in (
            self._frameworks,
            self._indicators,
            self._scorers,
            self._analyses,
            self._exporters,
            self._importers,
            self._sections,
        ):
            for component_id in [k for k, r in table.items() if r.owner in failed]:
                del table[component_id]

    # -- registration -------------------------------------------------------------------

    def _schema_registry(self, extra: dict[str, _Registered]) -> SchemaRegistry:
        """The registry with every plugin schema that compiles; a plugin whose schema is
        refused (reserved name, bad ``$ref``...) fails, and its schemas are left out."""
        while True:
            try:
                from ._schemas import SchemaRegistry

                return SchemaRegistry((r.owner, r.value) for r in extra.values())
            except PluginError as exc:
                culprit = exc.plugin_name or "?"
                self.host.fail(culprit, exc)
                remaining = {k: r for k, r in extra.items() if r.owner != culprit}
                if len(remaining) == len(extra):
                    raise
                extra = remaining

    def _collect(
        self,
        hook_name: str,
        kind: str,
        entry: Callable[..., tuple[str, Any]],
        *,
        opens: bool = False,
        claim: bool = False,
    ) -> dict[str, _Registered]:
        """Call one hook plugin by plugin; keep a plugin's registrations only if its call
        succeeds. ``opens``: ``register`` takes ``open_to``; ``claim``: the ownership rule
        applies to what is registered."""
        found: dict[str, _Registered] = {}

        def run(name: str, call: Callable[..., list[Any]]) -> None:
            staged: list[tuple[str, Any, frozenset[str]]] = []

            def register(*args: Any, **kwargs: Any) -> None:
                open_to = _plugin_names(kwargs.pop("open_to", ()), "open_to") if opens else frozenset()
                component_id, value = entry(*args, **kwargs)
                staged.append((component_id, value, open_to))

            if call(register=register):
                raise PluginError(f"{hook_name} returned a value; call register(...) for each component instead")
            own: set[str] = set()
            settled: dict[str, str] = {}
            for component_id, value, _ in staged:
                if component_id in own:
                    raise DuplicateRegistrationError(kind, component_id, name, name)
                own.add(component_id)
                if claim:
                    self._claim(kind, name, component_id, value)
                if component_id in found:
                    settled[component_id] = self._settle(kind, component_id, name, found[component_id].owner)
            for component_id, value, open_to in staged:  # the whole call succeeded: commit it
                outcome = settled.get(component_id)
                if outcome == "skip":
                    self._trace(f"{name}: {kind} {component_id!r} set aside for the one the user chose")
                    continue
                if outcome == "displace":  # a built-in tool keeps its id: the third party that took it is the culprit
                    first = found[component_id].owner
                    self.host.fail(first, DuplicateRegistrationError(kind, component_id, name, first), context=hook_name)
                found[component_id] = _Registered(name, self._guarded(kind, component_id, name, value), open_to)
            self._trace(f"{name}: {hook_name} registered {len(staged)} {kind}(s)")

        self.host.call_each(hook_name, run)
        return dict(sorted(found.items()))

    def _settle(self, kind: str, component_id: str, new: str, first: str) -> str:
        """Two plugins registered one id: ``replace`` (the user chose the new plugin's scorer),
        ``skip`` (the user chose the first's), ``displace`` (the new one is built in and the
        first is not: the first fails); otherwise the new plugin fails, naming both."""
        if kind == "scorer":
            chosen = self._chosen.get(component_id, frozenset())
            if new in chosen and first not in chosen:
                return "replace"
            if first in chosen and new not in chosen:
                return "skip"
        if self._builtin(new) and not self._builtin(first):
            return "displace"
        raise DuplicateRegistrationError(kind, component_id, first, new)

    def _claim(self, kind: str, plugin: str, component_id: str, component: Any) -> None:
        """The ownership rule: a scorer (or an analysis naming a ``framework_id``) for a
        framework another plugin registered needs that plugin's or the user's leave."""
        framework_id = component_id if kind == "scorer" else getattr(component, "framework_id", None)
        if framework_id is None:
            return
        if not isinstance(framework_id, str):
            raise PluginError(f"{kind} {component_id!r} has a framework_id that is not a string")
        registered = self._frameworks.get(framework_id)
        if registered is None or registered.owner == plugin:
            return
        if {plugin, "*"} & registered.open_to or plugin in self._chosen.get(framework_id, frozenset()):
            return
        owner = registered.owner
        raise PluginError(
            f"plugin {plugin!r} may not register a {kind} for framework {framework_id!r}, which belongs to plugin "
            f"{owner!r}: {owner!r} can open it to {plugin!r} (register(framework, open_to=[{plugin!r}])), or you can "
            f"choose it with {OPEN_FRAMEWORKS_VARIABLE}={framework_id}={plugin}",
            plugin_name=plugin,
        )

    def _guarded(self, kind: str, component_id: str, plugin: str, component: Any) -> Any:
        """A plugin's scorer, analysis, exporter, importer or report section, guarded."""
        if kind not in _guards():
            return component
        hook_name, methods, refusals = _guards()[kind]
        return Guarded(
            component,
            plugin=plugin,
            hook_name=hook_name,
            label=f"{kind} {component_id!r}",
            methods=methods,
            record=self.host.fail_while_running,
            refusals=refusals,
        )

    def _builtin(self, plugin_name: str) -> bool:
        status = self.host.statuses.get(plugin_name)
        return status is not None and status.distribution == "silkcore"

    def _framework_entry(self, framework: Any, *, id: str | None = None) -> tuple[str, Any]:
        from ._framework import Framework

        if id is not None:
            if not isinstance(id, str) or not id:
                raise PluginError(f"a framework's id must be a non-empty string, not {id!r}")
            if isinstance(framework, Framework):
                if framework.id != id:
                    raise PluginError(f"framework {framework.id!r} registered with the id {id!r}")
            elif isinstance(framework, Path) or callable(framework):
                return id, _Waiting(framework)
            else:
                raise PluginError(
                    f"expected a Framework, a Path or a function returning a Framework, got {type(framework).__name__}"
                )
        return self._built_framework(framework)

    def _built_framework(self, framework: Any) -> tuple[str, Framework]:
        """A framework checked in full: read from a file, or built in Python."""
        from ._framework import Framework
        from ._framework_data import framework_problems, load_plugin_framework

        if isinstance(framework, Path):
            # Read (a plugin's own file: through its compiled form when current), validated
            # against the schema and checked in full: built once, not re-checked.
            framework = load_plugin_framework(framework, registry=self.schemas)
            return framework.id, framework
        if not isinstance(framework, Framework):
            raise PluginError(f"expected a Framework or a Path, got {type(framework).__name__}")
        # A framework built in Python meets the same schema and checks as one read from a file.
        issues = framework_problems(framework, self.schemas)
        if issues:
            raise PluginError(
                f"framework {framework.id!r} is not valid: " + "; ".join(f"at {i.pointer}: {i.message}" for i in issues[:5])
            )
        return framework.id, framework

    @staticmethod
    def _indicator_entry(definition: IndicatorDefinition, compute: ComputeFn | None = None) -> tuple[str, IndicatorEntry]:
        from ._model import IndicatorDefinition

        if not isinstance(definition, IndicatorDefinition):
            raise PluginError(f"expected an IndicatorDefinition, got {type(definition).__name__}")
        if compute is not None and not callable(compute):
            raise PluginError("compute must be callable")
        return definition.indicator_id, IndicatorEntry(definition, compute)

    @staticmethod
    def _schema_entry(schema: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]]:
        if not isinstance(schema, Mapping) or not isinstance(schema.get("$id"), str):
            raise PluginError("expected a JSON Schema mapping with a string $id")
        from ._schemas import schema_name_of

        schema_name_of(schema)  # a badly named $id fails here, against the plugin that sent it
        return schema["$id"], schema

    @staticmethod
    def _checked(protocol: type, id_attr: str) -> Callable[[Any], tuple[str, Any]]:
        def entry(component: Any) -> tuple[str, Any]:
            if not isinstance(component, protocol):
                raise PluginError(f"{type(component).__name__} does not meet the {protocol.__name__} protocol")
            component_id = getattr(component, id_attr)
            if not isinstance(component_id, str) or not component_id:
                raise PluginError(f"{protocol.__name__} has no usable {id_attr}")
            return component_id, component

        return entry

    @classmethod
    def _section_entry(cls, section: Any) -> tuple[str, Any]:
        from .report import ReportSection

        section_id, section = cls._checked(ReportSection, "id")(section)
        order = section.order
        if isinstance(order, bool) or not isinstance(order, int | float) or order != order:
            raise PluginError(f"report section {section_id!r} has an order that is not a number: {order!r}")
        return section_id, section

    # -- lookups ------------------------------------------------------------------------

    @staticmethod
    def _get(found: dict[str, _Registered], kind: str, component_id: str) -> Any:
        try:
            return found[component_id].value
        except KeyError:
            raise UnknownComponentError(kind, component_id, found) from None

    def _build_waiting(self, framework_id: str) -> Framework:
        """The framework registered as ``framework_id``, built now if it was waiting (once:
        the built framework takes its place). One that cannot be built, or is not what its
        plugin said, fails the plugin as at registration; the :class:`PluginError` is raised."""
        with self._lock:
            registered = self._frameworks[framework_id]
            if not isinstance(registered.value, _Waiting):
                return registered.value  # type: ignore[no-any-return]
            plugin = registered.owner
            try:
                source = registered.value.source
                built_id, framework = self._built_framework(source() if not isinstance(source, Path) else source)
                if built_id != framework_id:
                    raise PluginError(f"framework {built_id!r} was registered with the id {framework_id!r}", plugin_name=plugin)
            except (Exception, SystemExit) as exc:  # as call_each reports a failure at registration
                error = exc if isinstance(exc, SilkError) else PluginError(f"{type(exc).__name__}: {exc}", plugin_name=plugin)
                if error is not exc and self.host.debug:
                    error.__cause__ = exc
                self.host.fail(plugin, error, context="silk_register_frameworks")
                self._drop_failed()
                if isinstance(error, PluginError):
                    raise error from error.__cause__
                raise PluginError(f"plugin {plugin!r} failed: {self.host.statuses[plugin].error}", plugin_name=plugin) from exc
            self._frameworks[framework_id] = attrs.evolve(registered, value=framework)
            self._trace(f"{plugin}: framework {framework_id!r} built on first use")
            return framework

    def _build_all_waiting(self) -> None:
        """Build every framework still waiting; one that fails is reported, the others kept."""
        self.ensure_registered()
        for framework_id, registered in list(self._frameworks.items()):
            if isinstance(registered.value, _Waiting) and framework_id in self._frameworks:
                with contextlib.suppress(PluginError):  # recorded against its plugin, which no longer contributes
                    self._build_waiting(framework_id)

    def frameworks(self) -> list[Framework]:
        """Every registered framework, sorted by id."""
        self._build_all_waiting()
        return [r.value for r in self._frameworks.values()]

    def framework_ids(self) -> list[str]:
        """The id of every registered framework, sorted, without building any."""
        self.ensure_registered()
        return list(self._frameworks)

    def waiting_frameworks(self) -> list[str]:
        """The ids of the frameworks registered by id and not built yet, sorted."""
        self.ensure_registered()
        return [framework_id for framework_id, r in self._frameworks.items() if isinstance(r.value, _Waiting)]

    def framework(self, framework_id: str) -> Framework:
        """One framework by id; :class:`UnknownComponentError` if no plugin registered it."""
        self.ensure_registered()
        if framework_id not in self._frameworks:
            raise UnknownComponentError("framework", framework_id, self._frameworks)
        return self._build_waiting(framework_id)

    def resolve_framework(self, ref: Framework | str | Path) -> Framework:
        """The one way a framework is chosen, wherever a command or function takes one: a
        :class:`Framework` as it is, a path to an existing file (YAML or JSON) read and
        checked in full, otherwise a registered id.

        A string naming no registered framework is read as a file when it looks like one (a
        ``.yaml``/``.yml``/``.json`` name, in any case), so a typo in a path says "cannot read
        file" rather than "unknown framework"."""
        from ._documents import document_format
        from ._framework import Framework
        from ._framework_data import load_framework

        if isinstance(ref, Framework):
            return ref
        if not isinstance(ref, str | Path):
            raise SchemaValidationError(
                [Issue("", f"expected a framework, a framework id or a file path, got {type(ref).__name__}")]
            )
        path = Path(ref)
        self.ensure_registered()
        looks_like_file = document_format(path) in ("yaml", "json")
        if isinstance(ref, Path) or path.is_file() or (ref not in self._frameworks and looks_like_file):
            return load_framework(path, registry=self.schemas)
        return self.framework(ref)

    def framework_resolver(self, *given: Framework) -> FrameworkFinder:
        """Finds a framework by id for the checks of :func:`~silkcore._documents.check`: the
        ``given`` frameworks first (files a user named), then the registered ones. Several
        versions of one id may be given: by id alone the newest is found, and
        :meth:`FrameworkFinder.version` finds each one (how response sets are checked
        against the version they answer, and how ``silk migrate`` finds both ends)."""
        return FrameworkFinder(self, given)

    def owner(self, kind: str, component_id: str) -> str:
        """Which plugin registered a component (``framework``, ``indicator``, ``scorer``,
        ``analysis``, ``exporter``, ``importer`` or ``report section``)."""
        self.ensure_registered()
        table = {
            "framework": self._frameworks,
            "indicator": self._indicators,
            "scorer": self._scorers,
            "analysis": self._analyses,
            "exporter": self._exporters,
            "importer": self._importers,
            "report section": self._sections,
        }[kind]
        if kind == "scorer" and component_id not in table:
            return "silkcore"  # the generic scorer
        return table[component_id].owner

    def indicators(self, framework_id: str | None = None) -> list[IndicatorEntry]:
        """Registered indicators, optionally only those of one framework."""
        self.ensure_registered()
        entries = [r.value for r in self._indicators.values()]
        return [e for e in entries if framework_id is None or e.definition.framework_id == framework_id]

    def indicator(self, indicator_id: str) -> IndicatorEntry:
        """One indicator by id."""
        self.ensure_registered()
        return self._get(self._indicators, "indicator", indicator_id)  # type: ignore[no-any-return]

    def scorer(self, framework_id: str) -> Scorer:
        """The scorer registered for a framework (guarded: a failure is the plugin's
        :class:`PluginError`), or the generic scorer."""
        self.ensure_registered()
        found = self._scorers.get(framework_id)
        from ._scoring import GenericScorer

        return found.value if found else GenericScorer(framework_id)  # type: ignore[no-any-return]

    def analyses(self) -> list[Analysis]:
        """Every registered analysis (guarded), sorted by id."""
        self.ensure_registered()
        return [r.value for r in self._analyses.values()]

    def exporter(self, format_id: str) -> Exporter:
        """The exporter for a format name (guarded)."""
        self.ensure_registered()
        return self._get(self._exporters, "exporter", format_id)  # type: ignore[no-any-return]

    def exporters(self) -> list[Exporter]:
        """Every registered exporter (guarded), sorted by id."""
        self.ensure_registered()
        return [r.value for r in self._exporters.values()]

    def importer(self, format_id: str) -> Importer:
        """The importer for a format name (guarded)."""
        self.ensure_registered()
        return self._get(self._importers, "importer", format_id)  # type: ignore[no-any-return]

    def importers(self) -> list[Importer]:
        """Every registered importer (guarded), sorted by id."""
        self.ensure_registered()
        return [r.value for r in self._importers.values()]

    def report_sections(self) -> list[ReportSection]:
        """Every registered report section (guarded), sorted by id."""
        self.ensure_registered()
        return [r.value for r in self._sections.values()]

    # -- commands -----------------------------------------------------------------------

    def add_cli_commands(self, group: click.Group) -> None:
        """Let plugins add subcommands to ``group`` (the ``silk`` command): the
        ``silk_add_cli_commands`` hook, through pluggy one plugin at a time. A plugin may not
        replace a command that is there: its commands are removed, it is reported as failed
        and, as for any failed plugin, what it registered is dropped from the catalog. The
        commands come in guarded: an exception that is neither a :class:`SilkError` nor
        click's own (a usage error, an exit, an abort) is recorded against the plugin and
        raised as a :class:`PluginError`. The plugin's own command objects are not changed."""

        from ._lazy_command import stored

        def run(name: str, call: Callable[..., list[Any]]) -> None:
            before = dict(group.commands)
            try:
                if call(cli=group):
                    raise PluginError("silk_add_cli_commands returned a value; call cli.add_command(...) instead")
                # compared as stored: a group may keep a stand-in for a command it imports on use
                replaced = sorted(key for key, command in before.items() if stored(group.commands, key) is not command)
                if replaced:
                    raise PluginError(f"plugin {name!r} may not replace the command(s) {', '.join(replaced)}", plugin_name=name)
            except BaseException:
                group.commands.clear()
                group.commands.update(before)
                raise
            added = sorted(group.commands.keys() - before.keys())
            for key in added:
                self._guard_command(group, name, key)
            self._trace(f"{name}: silk_add_cli_commands added {', '.join(added) or 'no command'}")

        self.host.call_each("silk_add_cli_commands", run)
        self._drop_failed()

    def dropped_command(self, name: str) -> PluginStatus | None:
        """The status of the failed plugin whose command ``name`` was taken away, or None when
        no failed plugin added a command of that name (``silk --help`` lists a lazy catalog's
        plugin commands before registration has shown which plugins fail)."""
        plugin = self._dropped_commands.get(name)
        if plugin is None:
            return None
        return next((s for s in self.failed_plugins(build_waiting=False) if s.name == plugin), None)

    def _guard_command(self, group: click.Group, plugin: str, key: str) -> None:
        """Guard the command a plugin added - once it is imported, if it is a
        :class:`~silkcore._lazy_command.LazyCommand` in a group that imports on use."""
        from ._lazy_command import LazyCommand, LazyCommands, stored

        def guard(command: click.Command) -> click.Command:
            return guarded_command(command, plugin, self.host.fail_while_running)

        command = stored(group.commands, key)
        if isinstance(command, LazyCommand) and isinstance(group.commands, LazyCommands):
            command.when_loaded(guard)
        else:
            command = guard(command.load() if isinstance(command, LazyCommand) else group.commands[key])
            group.commands[key] = command
        self._commands.append((group, plugin, key, command))

    # -- what happened to plugins -------------------------------------------------------

    def plugin_statuses(self, *, build_waiting: bool = True) -> list[PluginStatus]:
        """Each plugin's name, distribution, version, status and error, sorted by name; every
        framework still waiting is built first, so a plugin whose framework is wrong is
        failed (``build_waiting=False``: as known so far, building nothing)."""
        self.ensure_registered()
        if build_waiting:
            self._build_all_waiting()
        return [self.host.statuses[k] for k in sorted(self.host.statuses)]

    def failed_plugins(self, *, build_waiting: bool = True) -> list[PluginStatus]:
        """Plugins that failed to load or to register, or whose component failed since
        (see :meth:`runtime_failures`); ``build_waiting`` as for :meth:`plugin_statuses`."""
        return [s for s in self.plugin_statuses(build_waiting=build_waiting) if s.status == "failed"]

    def runtime_failures(self) -> list[PluginFailure]:
        """The failures of plugin components while commands ran on this catalog - a scorer,
        an analysis, an exporter, an importer, a report section or a plugin command that
        raised or returned the wrong type - in the order they first happened; each names the
        plugin, where it failed and the message (and the traceback when ``debug`` is on).
        ``silk --strict-plugins`` exits 4 when there is any."""
        return [f for f in self.host.failures if f.while_running]

    def record_failure(self, plugin_name: str, where: str, error: BaseException, hook_name: str = "") -> PluginError:
        """Record that a plugin failed while a command ran (``where`` says in what, e.g.
        ``"report section 'x'"``) and return the :class:`PluginError` to raise or report -
        for code that runs a plugin's component the catalog did not hand out itself."""
        return self.host.fail_while_running(plugin_name, hook_name, where, error)


def build_catalog(
    *,
    load_entrypoints: bool = True,
    plugins: Iterable[Any] = (),
    strict: bool = False,
    debug: bool | None = None,
    open_frameworks: Mapping[str, str | Iterable[str]] | None = None,
    lazy: bool = False,
) -> Catalog:
    """A new catalog over a fresh plugin manager (see :func:`silkcore._plugins.get_plugin_host`
    and :class:`Catalog` for ``debug``, ``open_frameworks`` and ``lazy``)."""
    host = get_plugin_host(load_entrypoints=load_entrypoints, plugins=plugins, strict=strict, debug=bool(debug))
    return Catalog(host, debug=debug, open_frameworks=open_frameworks, lazy=lazy and not strict)


@cache
def get_catalog(strict: bool = False) -> Catalog:
    """The catalog of installed plugins, built once per process."""
    return build_catalog(strict=strict)

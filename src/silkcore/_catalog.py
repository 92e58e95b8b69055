"""A typed facade over the plugin hooks: everything plugins registered, checked and sorted.

The rest of silkcore asks the catalog, never ``pm.hook``. Each plugin's hook is called on
its own: if it raises or registers something invalid, that call's registrations are
dropped, the plugin is reported as failed, and the other plugins are unaffected.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import attrs

from ._documents import validate
from ._errors import DuplicateRegistrationError, Issue, PluginError, SchemaValidationError, SilkError, UnknownComponentError
from ._framework import Framework
from ._framework_data import framework_document, load_framework
from ._hookspecs import ComputeFn
from ._model import IndicatorDefinition
from ._plugins import PluginHost, PluginStatus, get_plugin_host
from ._protocols import Analysis, Exporter, Importer
from ._schemas import SchemaRegistry, schema_name_of
from ._scoring import GenericScorer, Scorer
from .report import ReportSection

__all__ = ["Catalog", "IndicatorEntry", "get_catalog"]

_FRAMEWORK_SUFFIXES = (".yaml", ".yml", ".json")


@attrs.frozen
class IndicatorEntry:
    """An indicator definition and, when the plugin computes it, its compute function."""

    definition: IndicatorDefinition
    compute: ComputeFn | None = None


@attrs.frozen
class _Registered:
    owner: str
    value: Any


class Catalog:
    """Frameworks, indicators, scorers, analyses, exporters, importers and schemas by id."""

    def __init__(self, host: PluginHost) -> None:
        self.host = host
        self._trace = bool(os.environ.get("SILKCORE_TRACE_PLUGINS"))
        extra_schemas = self._collect("silk_register_schemas", "schema", self._schema_entry)
        self.schemas = self._schema_registry(extra_schemas)
        self._frameworks = self._collect("silk_register_frameworks", "framework", self._framework_entry)
        self._indicators = self._collect("silk_register_indicators", "indicator", self._indicator_entry)
        self._scorers = self._collect("silk_register_scorers", "scorer", self._checked(Scorer, "framework_id"))
        self._analyses = self._collect("silk_register_analyses", "analysis", self._checked(Analysis, "id"))
        self._exporters = self._collect("silk_register_exporters", "exporter", self._checked(Exporter, "id"))
        self._importers = self._collect("silk_register_importers", "importer", self._checked(Importer, "id"))
        self._sections = self._collect("silk_register_report_sections", "report section", self._checked(ReportSection, "id"))
        self._drop_failed()

    def _drop_failed(self) -> None:
        """A plugin that failed in any hook contributes nothing, not even what earlier hooks kept."""
        failed = {s.name for s in self.host.statuses.values() if s.status == "failed"}
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
                return SchemaRegistry((r.owner, r.value) for r in extra.values())
            except PluginError as exc:
                culprit = exc.plugin_name or "?"
                self.host.fail(culprit, exc)
                remaining = {k: r for k, r in extra.items() if r.owner != culprit}
                if len(remaining) == len(extra):
                    raise
                extra = remaining

    def _collect(self, hook_name: str, kind: str, entry: Callable[..., tuple[str, Any]]) -> dict[str, _Registered]:
        """Call one hook plugin by plugin; keep a plugin's registrations only if its call succeeds."""
        found: dict[str, _Registered] = {}
        for name, plugin in self.host.ok_plugins():
            impl = getattr(plugin, hook_name, None)
            if impl is None or self.host.pm.parse_hookimpl_opts(plugin, hook_name) is None:
                continue
            staged: list[tuple[str, Any]] = []

            def register(*args: Any, _staged: list[tuple[str, Any]] = staged, **kwargs: Any) -> None:
                _staged.append(entry(*args, **kwargs))

            try:
                if self._trace:
                    sys.stderr.write(f"silkcore: calling {name}.{hook_name}\n")
                returned = impl(register)
                if returned is not None:
                    raise PluginError(f"{hook_name} returned a value; call register(...) for each component instead")
                if self._trace:
                    sys.stderr.write(f"silkcore: {name}.{hook_name} registered {len(staged)} {kind}(s)\n")
                own: set[str] = set()
                for component_id, _ in staged:
                    if component_id in own:
                        raise DuplicateRegistrationError(kind, component_id, name, name)
                    own.add(component_id)
                    if component_id in found:
                        first = found[component_id].owner
                        if self._builtin(name) and not self._builtin(first):
                            # A built-in tool keeps its id: the third party that took it is the culprit.
                            self.host.fail(first, DuplicateRegistrationError(kind, component_id, name, first), context=hook_name)
                            found.pop(component_id)
                        else:
                            raise DuplicateRegistrationError(kind, component_id, first, name)
            except (Exception, SystemExit) as exc:  # a plugin's failure is reported against it, never fatal to others
                error = exc if isinstance(exc, SilkError) else PluginError(f"{type(exc).__name__}: {exc}", plugin_name=name)
                self.host.fail(name, error, context=hook_name)
                continue
            for component_id, value in staged:
                found[component_id] = _Registered(name, value)
        return dict(sorted(found.items()))

    def _builtin(self, plugin_name: str) -> bool:
        status = self.host.statuses.get(plugin_name)
        return status is not None and status.distribution == "silkcore"

    def _framework_entry(self, framework: Framework | Path) -> tuple[str, Framework]:
        if isinstance(framework, Path):
            framework = load_framework(framework, registry=self.schemas)
        if not isinstance(framework, Framework):
            raise PluginError(f"expected a Framework or a Path, got {type(framework).__name__}")
        # A framework built in Python meets the same schema and checks as one read from a file.
        issues = validate(framework_document(framework), registry=self.schemas)
        if issues:
            raise PluginError(
                f"framework {framework.id!r} is not valid: " + "; ".join(f"at {i.pointer}: {i.message}" for i in issues[:5])
            )
        return framework.id, framework

    @staticmethod
    def _indicator_entry(definition: IndicatorDefinition, compute: ComputeFn | None = None) -> tuple[str, IndicatorEntry]:
        if not isinstance(definition, IndicatorDefinition):
            raise PluginError(f"expected an IndicatorDefinition, got {type(definition).__name__}")
        if compute is not None and not callable(compute):
            raise PluginError("compute must be callable")
        return definition.indicator_id, IndicatorEntry(definition, compute)

    @staticmethod
    def _schema_entry(schema: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]]:
        if not isinstance(schema, Mapping) or not isinstance(schema.get("$id"), str):
            raise PluginError("expected a JSON Schema mapping with a string $id")
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

    # -- lookups ------------------------------------------------------------------------

    @staticmethod
    def _get(found: dict[str, _Registered], kind: str, component_id: str) -> Any:
        try:
            return found[component_id].value
        except KeyError:
            raise UnknownComponentError(kind, component_id, found) from None

    def frameworks(self) -> list[Framework]:
        """Every registered framework, sorted by id."""
        return [r.value for r in self._frameworks.values()]

    def framework(self, framework_id: str) -> Framework:
        """One framework by id; :class:`UnknownComponentError` if no plugin registered it."""
        return self._get(self._frameworks, "framework", framework_id)  # type: ignore[no-any-return]

    def resolve_framework(self, ref: Framework | str | Path) -> Framework:
        """The one way a framework is chosen, wherever a command or function takes one: a
        :class:`Framework` as it is, a path to an existing file (YAML or JSON) read and
        checked in full, otherwise a registered id.

        A string naming no registered framework is read as a file when it looks like one
        (a ``.yaml``/``.yml``/``.json`` name), so a typo in a path says "cannot read file"
        rather than "unknown framework"."""
        if isinstance(ref, Framework):
            return ref
        if not isinstance(ref, str | Path):
            raise SchemaValidationError(
                [Issue("", f"expected a framework, a framework id or a file path, got {type(ref).__name__}")]
            )
        path = Path(ref)
        if isinstance(ref, Path) or path.is_file() or (ref not in self._frameworks and path.suffix in _FRAMEWORK_SUFFIXES):
            return load_framework(path, registry=self.schemas)
        return self.framework(ref)

    def framework_resolver(self, *given: Framework) -> Callable[[str], Framework]:
        """Finds a framework by id for the checks of :func:`~silkcore._documents.check`: the
        ``given`` frameworks first (files a user named), then the registered ones."""
        chosen = {framework.id: framework for framework in given}

        def resolve(framework_id: str) -> Framework:
            found = chosen.get(framework_id)
            if found is not None:
                return found
            try:
                return self.framework(framework_id)
            except UnknownComponentError as exc:
                raise UnknownComponentError("framework", framework_id, {*exc.available, *chosen}) from None

        return resolve

    def owner(self, kind: str, component_id: str) -> str:
        """Which plugin registered a component."""
        table = {
            "framework": self._frameworks,
            "indicator": self._indicators,
            "exporter": self._exporters,
            "scorer": self._scorers,
            "report section": self._sections,
        }[kind]
        if kind == "scorer" and component_id not in table:
            return "silkcore"  # the generic scorer
        return table[component_id].owner

    def indicators(self, framework_id: str | None = None) -> list[IndicatorEntry]:
        """Registered indicators, optionally only those of one framework."""
        entries = [r.value for r in self._indicators.values()]
        return [e for e in entries if framework_id is None or e.definition.framework_id == framework_id]

    def indicator(self, indicator_id: str) -> IndicatorEntry:
        """One indicator by id."""
        return self._get(self._indicators, "indicator", indicator_id)  # type: ignore[no-any-return]

    def scorer(self, framework_id: str) -> Scorer:
        """The scorer registered for a framework, or the generic scorer."""
        found = self._scorers.get(framework_id)
        return found.value if found else GenericScorer(framework_id)  # type: ignore[no-any-return]

    def analyses(self) -> list[Analysis]:
        """Every registered analysis, sorted by id."""
        return [r.value for r in self._analyses.values()]

    def exporter(self, format_id: str) -> Exporter:
        """The exporter for a format name."""
        return self._get(self._exporters, "exporter", format_id)  # type: ignore[no-any-return]

    def exporters(self) -> list[Exporter]:
        """Every registered exporter, sorted by id."""
        return [r.value for r in self._exporters.values()]

    def importer(self, format_id: str) -> Importer:
        """The importer for a format name."""
        return self._get(self._importers, "importer", format_id)  # type: ignore[no-any-return]

    def importers(self) -> list[Importer]:
        """Every registered importer, sorted by id."""
        return [r.value for r in self._importers.values()]

    def report_sections(self) -> list[ReportSection]:
        """Every registered report section, sorted by id."""
        return [r.value for r in self._sections.values()]

    def plugin_statuses(self) -> list[PluginStatus]:
        """Each plugin's name, distribution, version, status and error, sorted by name."""
        return [self.host.statuses[k] for k in sorted(self.host.statuses)]

    def failed_plugins(self) -> list[PluginStatus]:
        """Plugins that failed to load or to register."""
        return [s for s in self.plugin_statuses() if s.status == "failed"]


def build_catalog(*, load_entrypoints: bool = True, plugins: Iterable[Any] = (), strict: bool = False) -> Catalog:
    """A new catalog over a fresh plugin manager (see :func:`silkcore._plugins.get_plugin_host`)."""
    return Catalog(get_plugin_host(load_entrypoints=load_entrypoints, plugins=plugins, strict=strict))


@cache
def get_catalog(strict: bool = False) -> Catalog:
    """The catalog of installed plugins, built once per process."""
    return build_catalog(strict=strict)

"""Plugin host and catalog: failures isolated and named, duplicates refused, env switches honoured."""

from __future__ import annotations

import types
from decimal import Decimal
from importlib import metadata
from pathlib import Path

import pytest

from silkcore import (
    DuplicateRegistrationError,
    Framework,
    IndicatorDefinition,
    IndicatorDirection,
    MeasureKind,
    PluginError,
    UnknownComponentError,
    hookimpl,
    load_framework,
)
from silkcore._catalog import build_catalog
from silkcore._plugins import get_plugin_host
from silkcore.testing import catalog_with

from .conftest import EXAMPLES

FRAMEWORK_FILE = EXAMPLES / "frameworks" / "community-energy-readiness.yaml"


def indicator(indicator_id: str) -> IndicatorDefinition:
    return IndicatorDefinition(
        indicator_id, {"en": "x"}, "%", IndicatorDirection.HIGHER_IS_BETTER, MeasureKind.QUANTITATIVE, "test"
    )


class GoodPlugin:
    __name__ = "good"

    @hookimpl
    def silk_register_frameworks(self, register):  # type: ignore[no-untyped-def]
        register(FRAMEWORK_FILE)

    @hookimpl
    def silk_register_indicators(self, register):  # type: ignore[no-untyped-def]
        register(indicator("good.one"), compute=lambda measurements: Decimal(1))


def test_frameworks_by_path_and_indicators_with_compute() -> None:
    catalog = catalog_with(GoodPlugin())
    assert [f.id for f in catalog.frameworks()] == ["network.community-energy-partnering"]
    assert catalog.owner("framework", "network.community-energy-partnering") == "good"
    entry = catalog.indicator("good.one")
    assert entry.compute is not None and entry.compute([]) == Decimal(1)
    with pytest.raises(UnknownComponentError, match=r"available: network\.community-energy-partnering"):
        catalog.framework("nope")


def test_raising_plugin_is_named_and_others_survive() -> None:
    class Broken:
        __name__ = "broken"

        @hookimpl
        def silk_register_frameworks(self, register):  # type: ignore[no-untyped-def]
            register(load_framework(FRAMEWORK_FILE))
            raise RuntimeError("boom")

    catalog = catalog_with(GoodPlugin(), Broken())
    statuses = {s.name: s for s in catalog.plugin_statuses()}
    assert statuses["broken"].status == "failed" and "boom" in (statuses["broken"].error or "")
    assert statuses["good"].status == "ok"
    # the broken plugin's half-done registration was dropped, so no duplicate was reported
    assert catalog.owner("framework", "network.community-energy-partnering") == "good"


def test_duplicate_ids_are_refused_naming_both() -> None:
    class Copycat:
        __name__ = "copycat"

        @hookimpl
        def silk_register_frameworks(self, register):  # type: ignore[no-untyped-def]
            register(FRAMEWORK_FILE)

    catalog = catalog_with(GoodPlugin(), Copycat())
    failed = catalog.failed_plugins()
    assert [s.name for s in failed] == ["good"] or [s.name for s in failed] == ["copycat"]
    assert "registered by both" in (failed[0].error or "")
    with pytest.raises(DuplicateRegistrationError):
        catalog_with(GoodPlugin(), Copycat(), strict=True)


def test_garbage_registrations_fail_the_plugin() -> None:
    class Garbage:
        __name__ = "garbage"

        @hookimpl
        def silk_register_frameworks(self, register):  # type: ignore[no-untyped-def]
            register({"id": "not a framework"})

        @hookimpl
        def silk_register_exporters(self, register):  # type: ignore[no-untyped-def]
            register(object())

    catalog = catalog_with(Garbage())
    [status] = catalog.plugin_statuses()
    assert status.status == "failed"
    assert catalog.frameworks() == [] and catalog.exporters() == []


def test_invalid_framework_file_reports_pointer(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(FRAMEWORK_FILE.read_text().replace("kind: yes_no", "kind: maybe", 1))

    class BadData:
        __name__ = "baddata"

        @hookimpl
        def silk_register_frameworks(self, register):  # type: ignore[no-untyped-def]
            register(bad)

    [status] = catalog_with(BadData()).plugin_statuses()
    assert status.status == "failed" and "/items/3/kind" in (status.error or "")


def test_misspelt_hook_is_refused() -> None:
    class Typo:
        __name__ = "typo"

        @hookimpl
        def silk_register_framework(self, register):  # type: ignore[no-untyped-def]
            pass

        @hookimpl
        def silk_register_frameworks(self, register):  # type: ignore[no-untyped-def]
            register(FRAMEWORK_FILE)

    catalog = catalog_with(Typo())
    [status] = catalog.plugin_statuses()
    assert status.status == "failed" and "unknown hook 'silk_register_framework'" in (status.error or "")
    assert catalog.frameworks() == []  # its correctly named hook never ran
    with pytest.raises(PluginError):
        catalog_with(Typo(), strict=True)


def test_a_failure_in_a_hook_keeps_the_plugins_traceback_only_when_debugging() -> None:
    class Broken:
        __name__ = "broken"

        @hookimpl
        def silk_register_frameworks(self, register):  # type: ignore[no-untyped-def]
            raise RuntimeError("boom")

    [quiet] = catalog_with(Broken()).host.failures
    assert (quiet.plugin, quiet.where, quiet.while_running, quiet.traceback) == (
        "broken",
        "silk_register_frameworks",
        False,
        None,
    )
    [loud] = build_catalog(load_entrypoints=False, plugins=[Broken()], debug=True).host.failures
    assert loud.traceback is not None and "RuntimeError: boom" in loud.traceback and "Traceback" in loud.traceback


class FakeDist:
    def __init__(self, name: str) -> None:
        self.name = name
        self.version = "9.9"


def fake_entry_points(monkeypatch: pytest.MonkeyPatch, modules: dict[str, object]) -> None:
    """Make importlib.metadata report entry points that load the given objects (or raise)."""
    eps = []
    for name, target in modules.items():
        ep = metadata.EntryPoint(name=name, value=f"fake_{name}", group="silkcore")
        eps.append(ep)
        monkeypatch.setitem(_TARGETS, f"fake_{name}", target)
    monkeypatch.setattr(metadata.EntryPoint, "load", lambda self: _load(self.value))
    monkeypatch.setattr(metadata.EntryPoint, "dist", property(lambda self: FakeDist(f"dist-{self.name}")))
    monkeypatch.setattr(metadata, "entry_points", lambda group=None: [e for e in eps if group in (None, e.group)])


_TARGETS: dict[str, object] = {}


def _load(value: str) -> object:
    target = _TARGETS[value]
    if isinstance(target, Exception):
        raise target
    return target


def good_module() -> types.ModuleType:
    module = types.ModuleType("good_mod")
    module.silk_register_frameworks = GoodPlugin().silk_register_frameworks  # type: ignore[attr-defined]
    return module


def test_entry_points_load_one_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_entry_points(monkeypatch, {"good": good_module(), "broken": ImportError("no module named nothere")})
    host = get_plugin_host()
    assert host.statuses["good"].status == "ok" and host.statuses["good"].distribution == "dist-good"
    assert host.statuses["broken"].status == "failed" and "nothere" in (host.statuses["broken"].error or "")
    with pytest.raises(PluginError):
        get_plugin_host(strict=True)


def test_disable_and_allow_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_entry_points(monkeypatch, {"a": good_module(), "b": good_module()})
    monkeypatch.setenv("SILKCORE_DISABLE_PLUGINS", "a")
    host = get_plugin_host()
    assert host.statuses["a"].status == "disabled" and host.statuses["b"].status == "ok"
    monkeypatch.delenv("SILKCORE_DISABLE_PLUGINS")
    monkeypatch.setenv("SILKCORE_LOAD_PLUGINS", "")
    assert {s.status for s in get_plugin_host().statuses.values()} == {"disabled"}


def test_fresh_catalogs_share_nothing() -> None:
    assert catalog_with().frameworks() == []
    assert catalog_with(GoodPlugin()).frameworks()[0].id == "network.community-energy-partnering"
    assert catalog_with().frameworks() == []


def test_framework_objects_can_be_registered_directly() -> None:
    framework = load_framework(FRAMEWORK_FILE)

    class Direct:
        __name__ = "direct"

        @hookimpl
        def silk_register_frameworks(self, register):  # type: ignore[no-untyped-def]
            register(framework)

    assert catalog_with(Direct()).frameworks() == [framework]
    assert isinstance(framework, Framework)

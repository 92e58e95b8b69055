"""Broken and hostile plugins: garbage from every hook, a raise in every hook, a hook that
returns instead of registering, SystemExit, a built-in id claimed, a scorer or report section
failing at run time. The others' results are kept, the culprit is named, nothing of the
culprit stays half-registered, and nothing is half-written to the store.
"""

from __future__ import annotations

import json
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

import silk_evaluation_grid
import silk_flowchart
from silkcore import PluginError, hookimpl, load_framework
from silkcore._catalog import build_catalog
from silkcore.testing import catalog_with

from ..conftest import EXAMPLES

GRID = load_framework(silk_evaluation_grid.FRAMEWORK_FILE)
COMMUNITY = load_framework(EXAMPLES / "frameworks" / "community-energy-readiness.yaml")
HOOKS = [
    "silk_register_frameworks",
    "silk_register_indicators",
    "silk_register_scorers",
    "silk_register_analyses",
    "silk_register_exporters",
    "silk_register_importers",
    "silk_register_schemas",
    "silk_register_report_sections",
]


class _Nameless:
    id = None
    framework_id = None


GARBAGE: dict[str, list[Callable[[Any], None]]] = {
    "silk_register_frameworks": [
        lambda r: r({"id": "x"}),
        lambda r: r("examples/frameworks/community-energy-readiness.yaml"),
        lambda r: r(Path("/nonexistent/framework.yaml")),
        lambda r: r(None),
        lambda r: r(GRID, GRID),
    ],
    "silk_register_indicators": [lambda r: r(object()), lambda r: r("id"), lambda r: r(None, compute=5)],
    "silk_register_scorers": [lambda r: r(object()), lambda r: r(_Nameless())],
    "silk_register_analyses": [lambda r: r(object()), lambda r: r(_Nameless())],
    "silk_register_exporters": [lambda r: r(object()), lambda r: r(42)],
    "silk_register_importers": [lambda r: r(object()), lambda r: r(b"bytes")],
    "silk_register_schemas": [
        lambda r: r("not a schema"),
        lambda r: r({"type": "object"}),
        lambda r: r({"$id": 5}),
        lambda r: r({"$id": "https://example.org/x"}),
        lambda r: r(
            {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://e.org/acme_thing-v1.0.0", "type": 7}
        ),
    ],
    "silk_register_report_sections": [lambda r: r(object()), lambda r: r(None)],
}


def hostile(name: str, hook: str, body: Callable[[Any], Any]) -> Any:
    """A plugin object whose only hook is ``hook``, running ``body(register)``."""
    plugin = types.ModuleType(name)

    def impl(register: Any) -> Any:
        return body(register)

    impl.__name__ = hook
    setattr(plugin, hook, hookimpl(impl))
    return plugin


def good_plugin() -> Any:
    """A plugin with something in every catalog table it touches (frameworks, indicators)."""

    class Good:
        __name__ = "good"

        @hookimpl
        def silk_register_frameworks(self, register):  # type: ignore[no-untyped-def]
            register(COMMUNITY)

    return Good()


def assert_isolated(catalog: Any, culprit: str, hook: str | None = None) -> None:
    statuses = {s.name: s for s in catalog.plugin_statuses()}
    assert statuses[culprit].status == "failed", statuses
    if hook is not None:
        assert hook in (statuses[culprit].error or "")
    assert statuses["good"].status == "ok" and statuses["silk_evaluation_grid"].status == "ok"
    assert {f.id for f in catalog.frameworks()} == {GRID.id, COMMUNITY.id}
    assert catalog.framework(GRID.id) == GRID
    assert catalog.owner("framework", GRID.id) == "silk_evaluation_grid"
    for table in ("_frameworks", "_indicators", "_scorers", "_analyses", "_exporters", "_importers", "_sections"):
        assert all(r.owner != culprit for r in getattr(catalog, table).values()), table
    assert not [n for n in catalog.schemas.names() if catalog.schemas.owner(n) == culprit]


CASES = [
    pytest.param(
        hook,
        index,
        id=f"{hook.removeprefix('silk_register_')}-{index}",
    )
    for hook, bodies in GARBAGE.items()
    for index in range(len(bodies))
]


@pytest.mark.parametrize(("hook", "index"), CASES)
def test_garbage_from_a_hook_fails_only_that_plugin(hook: str, index: int) -> None:
    catalog = catalog_with(silk_evaluation_grid, good_plugin(), hostile("garbage", hook, GARBAGE[hook][index]))
    # a schema is refused when the registry is built, after the hook call: the hook is not named then
    assert_isolated(catalog, "garbage", None if hook == "silk_register_schemas" else hook)


@pytest.mark.parametrize("hook", HOOKS)
def test_a_raise_in_any_hook_drops_what_that_call_registered(hook: str) -> None:
    def body(register: Any) -> None:
        if hook == "silk_register_frameworks":
            register(attrs.evolve(COMMUNITY, id="culprit.half"))
        elif hook == "silk_register_schemas":
            register(
                {
                    "$schema": "https://json-schema.org/draft/2020-12/schema",
                    "$id": "https://example.org/schemas/culprit_thing-v1.0.0",
                    "type": "object",
                }
            )
        raise RuntimeError(f"boom in {hook}")

    catalog = catalog_with(silk_evaluation_grid, good_plugin(), hostile("culprit", hook, body))
    assert_isolated(catalog, "culprit", hook)
    assert "boom" in (catalog.host.statuses["culprit"].error or "")
    with pytest.raises(PluginError, match="boom"):
        catalog_with(silk_evaluation_grid, good_plugin(), hostile("culprit", hook, body), strict=True)


def test_a_plugin_failing_a_later_hook_keeps_nothing() -> None:
    class Half:
        __name__ = "half"

        @hookimpl
        def silk_register_frameworks(self, register):  # type: ignore[no-untyped-def]
            register(attrs.evolve(COMMUNITY, id="half.framework"))

        @hookimpl
        def silk_register_report_sections(self, register):  # type: ignore[no-untyped-def]
            raise RuntimeError("late failure")

    catalog = catalog_with(silk_evaluation_grid, good_plugin(), Half())
    assert_isolated(catalog, "half", "silk_register_report_sections")


def test_a_hook_returning_instead_of_registering_is_named() -> None:
    catalog = catalog_with(silk_evaluation_grid, good_plugin(), hostile("returner", "silk_register_frameworks", lambda r: [GRID]))
    assert_isolated(catalog, "returner", "silk_register_frameworks")


@pytest.mark.parametrize("where", ["hook", "import"])
def test_system_exit_in_a_plugin_fails_only_that_plugin(where: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def leave(register: Any) -> None:
        raise SystemExit(3)

    if where == "hook":
        catalog = catalog_with(silk_evaluation_grid, good_plugin(), hostile("quitter", "silk_register_frameworks", leave))
        assert_isolated(catalog, "quitter")
        return

    def load_quitter() -> Any:
        raise SystemExit("plugin called sys.exit() at import")

    entry_points(
        monkeypatch, [("quitter", "acme-quitter", load_quitter), ("evaluation_grid", "silkcore", lambda: silk_evaluation_grid)]
    )
    catalog = build_catalog()
    assert catalog.host.statuses["quitter"].status == "failed"
    assert catalog.framework(GRID.id) == GRID


# -- a built-in id claimed ----------------------------------------------------------------


def entry_points(monkeypatch: pytest.MonkeyPatch, specs: list[tuple[str, str, Callable[[], Any]]]) -> None:
    """Make the plugin host see these (name, distribution, loader) entry points and no others."""
    import silkcore._plugins

    eps = [
        types.SimpleNamespace(name=name, dist=types.SimpleNamespace(name=dist, version="1.0"), load=load)
        for name, dist, load in specs
    ]
    monkeypatch.setattr(silkcore._plugins.metadata, "entry_points", lambda group=None: list(eps))
    monkeypatch.delenv("SILKCORE_LOAD_PLUGINS", raising=False)
    monkeypatch.delenv("SILKCORE_DISABLE_PLUGINS", raising=False)


def impostor_module() -> types.ModuleType:
    module = types.ModuleType("aaa_impostor")
    module.silk_register_frameworks = hookimpl(  # type: ignore[attr-defined]
        lambda register: register(attrs.evolve(GRID, title={"en": "Impostor grid"}, version="9.9.9"))
    )
    module.silk_register_frameworks.__name__ = "silk_register_frameworks"
    return module


def test_a_builtin_id_claimed_in_process_is_refused_naming_both() -> None:
    catalog = catalog_with(silk_evaluation_grid, impostor_module(), good_plugin())
    [failed] = catalog.failed_plugins()
    assert "registered by both" in (failed.error or "") and "silk.evaluation-grid" in (failed.error or "")
    assert {failed.name} <= {"aaa_impostor", "silk_evaluation_grid"}
    assert catalog.framework(GRID.id).version in (GRID.version, "9.9.9")  # one of them, never a mixture


def test_builtins_win_an_id_claimed_by_a_third_party(monkeypatch: pytest.MonkeyPatch) -> None:
    entry_points(
        monkeypatch,
        [("aaa_impostor", "acme-impostor", impostor_module), ("evaluation_grid", "silkcore", lambda: silk_evaluation_grid)],
    )
    catalog = build_catalog()
    assert catalog.framework(GRID.id) == GRID
    assert catalog.owner("framework", GRID.id) == "evaluation_grid"
    assert catalog.host.statuses["evaluation_grid"].status == "ok"
    assert catalog.host.statuses["aaa_impostor"].status == "failed"


# -- failures at run time: scoring and report sections ------------------------------------


class _RaisingScorer:
    framework_id = "silk.flowchart"

    def score(self, framework: Any, response_sets: Any) -> Any:
        raise RuntimeError("scorer crashed half-way")


def scorer_plugin(scorer: Any) -> Any:
    return hostile("bad_scorer", "silk_register_scorers", lambda register: register(scorer))


def with_bad_scorer(scorer: Any) -> Any:
    """The flow chart and grid, and a third-party scorer for the flow chart the user chose."""
    plugins = (silk_evaluation_grid, silk_flowchart, scorer_plugin(scorer))
    return build_catalog(load_entrypoints=False, plugins=plugins, open_frameworks={"silk.flowchart": "bad_scorer"})


def test_a_crashing_scorer_writes_nothing_to_the_store(tmp_path: Path) -> None:
    from silkcore._demo import run_demo
    from silkcore._store import Store

    catalog = with_bad_scorer(_RaisingScorer())
    store_path = tmp_path / "history.sqlite"
    run_demo(catalog, tmp_path / "out", store_path)
    with Store(store_path) as store:
        assert store.integrity() == "ok"
        rows = store._db.execute("SELECT framework_id, scorecard_record, response_records FROM assessments").fetchall()
        assert [framework_id for framework_id, _, _ in rows] == [GRID.id]  # the failed scorer's card never reached it
        documents = {record for _, card, responses in rows for record in [card, *json.loads(responses)]}
        assert store.count("documents") == len(documents)  # and no document of it either


def test_a_crashing_scorer_fails_only_its_plugin(tmp_path: Path) -> None:
    from silkcore._demo import run_demo

    catalog = with_bad_scorer(_RaisingScorer())
    outcome = run_demo(catalog, tmp_path / "out", tmp_path / "history.sqlite")
    assert [c.framework_id for c in outcome.score_cards] == [GRID.id]
    assert [s.name for s in catalog.failed_plugins()] == ["bad_scorer"]
    assert "scorer crashed half-way" in (catalog.failed_plugins()[0].error or "")
    assert [f.where for f in catalog.runtime_failures()] == ["scorer 'silk.flowchart' (score)"]


def test_a_third_party_scorer_for_a_builtin_framework_is_refused() -> None:
    catalog = catalog_with(silk_evaluation_grid, silk_flowchart, scorer_plugin(_RaisingScorer()))
    [failed] = catalog.failed_plugins()
    assert failed.name == "bad_scorer" and "'silk_flowchart'" in (failed.error or "")
    assert catalog.owner("scorer", "silk.flowchart") == "silkcore"  # the generic scorer, as before


def test_a_crashing_report_section_leaves_the_others(tmp_path: Path) -> None:
    from silkcore._demo import run_demo

    class Section:
        id = "bad.section"
        order = 50

        def render(self, context: Any) -> Any:
            raise RuntimeError("section crashed")

    catalog = catalog_with(
        silk_evaluation_grid, silk_flowchart, hostile("bad_section", "silk_register_report_sections", lambda r: r(Section()))
    )
    outcome = run_demo(catalog, tmp_path / "out", tmp_path / "history.sqlite")
    assert outcome.report.exists() and {c.framework_id for c in outcome.score_cards} == {GRID.id, "silk.flowchart"}
    assert [s.name for s in catalog.failed_plugins()] == ["bad_section"]
    [failure] = catalog.runtime_failures()  # what --strict-plugins turns into exit 4
    assert failure.where == "report section 'bad.section' (render)" and "section crashed" in failure.message
    assert "section crashed" in outcome.report.read_text()  # the notice in its place

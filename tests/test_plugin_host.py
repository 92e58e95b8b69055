"""The extension contract: hooks called through pluggy (specname, ordering, wrappers,
tracing), a misspelt hook failing its plugin under its entry-point name, frameworks owned
by the plugin that registered them, and every plugin component isolated while a command
runs - in process, and for real from a third-party wheel installed beside silkcore."""

from __future__ import annotations

import inspect
import io
import json
import subprocess
import textwrap
import types
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import attrs
import click
import pytest

import silk_evaluation_grid
import silkcore
from silkcore import DataError, PluginError, ScoringError, hookimpl, load_framework
from silkcore._catalog import Catalog, build_catalog
from silkcore._cli import main
from silkcore._plugins import get_plugin_host
from silkcore._protocols import Importer as ImporterProtocol
from silkcore.testing import catalog_with

from .conftest import EXAMPLES, run_silk
from .test_packaging import build_wheel, pip

GRID_ID = "silk.evaluation-grid"
FRAMEWORK_FILE = EXAMPLES / "frameworks" / "community-energy-readiness.yaml"
COMMUNITY = load_framework(FRAMEWORK_FILE)
COMMUNITY_ANSWERS = EXAMPLES / "response_sets" / "community-energy-readiness.json"
GRID_ANSWERS = EXAMPLES / "demo" / "response_sets" / "evaluation-grid-board.json"


def plugin(name: str, **hooks: Any) -> types.ModuleType:
    """A plugin module named ``name`` whose attributes are ``hooks`` (already marked)."""
    module = types.ModuleType(name)
    for attribute, value in hooks.items():
        setattr(module, attribute, value)
    return module


def framework_plugin(name: str, framework_id: str, **options: Any) -> types.ModuleType:
    """A plugin registering the community framework under ``framework_id``."""
    framework = attrs.evolve(COMMUNITY, id=framework_id)
    return plugin(name, silk_register_frameworks=hookimpl(lambda register: register(framework, **options)))


def statuses(catalog: Any) -> dict[str, Any]:
    return {s.name: s for s in catalog.plugin_statuses()}


# -- through pluggy: specname, ordering, wrappers, tracing --------------------------------


def test_a_specname_hookimpl_registers() -> None:
    @hookimpl(specname="silk_register_frameworks")
    def my_frameworks(register: Any) -> None:
        register(FRAMEWORK_FILE)

    catalog = catalog_with(plugin("named", my_frameworks=my_frameworks))
    assert [f.id for f in catalog.frameworks()] == [COMMUNITY.id]
    assert catalog.owner("framework", COMMUNITY.id) == "named"
    assert catalog.failed_plugins() == []


def test_tryfirst_and_trylast_set_the_call_order() -> None:
    calls: list[str] = []

    def hook(name: str, **opts: bool) -> Any:
        return hookimpl(**opts)(lambda register: calls.append(name))

    catalog_with(
        plugin("a_last", silk_register_frameworks=hook("a_last", trylast=True)),
        plugin("b_plain", silk_register_frameworks=hook("b_plain")),
        plugin("c_first", silk_register_frameworks=hook("c_first", tryfirst=True)),
    )
    assert calls[0] == "c_first" and calls[-1] == "a_last"


def test_a_wrapper_wraps_each_plugins_call() -> None:
    seen: list[str] = []

    @hookimpl(wrapper=True)
    def watch(register: Any) -> Iterator[None]:
        seen.append("before")
        result = yield
        seen.append("after")
        return result

    catalog = catalog_with(
        plugin("watcher", silk_register_frameworks=watch),
        framework_plugin("one", "acme.one"),
        framework_plugin("two", "acme.two"),
    )
    assert seen == ["before", "after"] * 2
    assert [f.id for f in catalog.frameworks()] == ["acme.one", "acme.two"]


def test_a_raising_wrapper_fails_its_own_plugin_not_the_one_it_wraps() -> None:
    @hookimpl(wrapper=True)
    def broken(register: Any) -> Iterator[None]:
        raise RuntimeError("wrapper broke")
        yield  # pragma: no cover - a generator that never gets here

    catalog = catalog_with(plugin("wrapper", silk_register_frameworks=broken), framework_plugin("one", "acme.one"))
    found = statuses(catalog)
    assert found["wrapper"].status == "failed" and "wrapper broke" in (found["wrapper"].error or "")
    assert found["one"].status == "ok"
    assert [f.id for f in catalog.frameworks()] == ["acme.one"]


def test_a_plugin_calling_another_plugins_hook_is_the_culprit_when_it_raises() -> None:
    def other(register: Any) -> None:
        raise RuntimeError("raised in the other plugin's function")

    other_plugin = plugin("other", silk_register_frameworks=hookimpl(other))
    caller = plugin("caller", silk_register_frameworks=hookimpl(lambda register: other(register)))
    catalog = catalog_with(other_plugin, caller)
    assert sorted(s.name for s in catalog.failed_plugins()) == ["caller", "other"]  # each failed its own call
    assert [f.plugin for f in catalog.host.failures].count("caller") == 1


def test_pluggy_tracing_sees_every_hook_call() -> None:
    host = get_plugin_host(load_entrypoints=False, plugins=[framework_plugin("traced", "acme.traced")])
    lines: list[str] = []
    host.pm.trace.root.setwriter(lines.append)
    undo = host.pm.enable_tracing()
    try:
        catalog = Catalog(host)
    finally:
        undo()
    text = "".join(lines)
    assert "silk_register_frameworks [hook]" in text and "finish silk_register_frameworks" in text
    assert "traced: silk_register_frameworks registered 1 framework(s) [silkcore]" in text
    assert [f.id for f in catalog.frameworks()] == ["acme.traced"]


def test_silkcore_trace_plugins_turns_pluggy_tracing_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SILKCORE_TRACE_PLUGINS", "1")
    catalog = catalog_with(framework_plugin("traced", "acme.traced"))
    err = capsys.readouterr().err
    assert "silk_register_frameworks [hook]" in err and "traced: calling silk_register_frameworks" in err
    assert catalog.debug


# -- a hook that does not exist ----------------------------------------------------------


def typo_plugin(name: str, ran: list[str]) -> types.ModuleType:
    """A plugin with a misspelt hook beside a correct one, recording whether the correct one ran."""

    def frameworks(register: Any) -> None:
        ran.append(name)
        register(attrs.evolve(COMMUNITY, id=f"acme.{name}"))

    return plugin(
        name,
        silk_register_framework=hookimpl(lambda register: None),
        silk_register_frameworks=hookimpl(frameworks),
    )


def test_every_plugin_with_a_misspelt_hook_fails_and_contributes_nothing() -> None:
    ran: list[str] = []
    catalog = catalog_with(typo_plugin("typo_one", ran), typo_plugin("typo_two", ran), framework_plugin("fine", "acme.fine"))
    found = statuses(catalog)
    for name in ("typo_one", "typo_two"):
        assert found[name].status == "failed"
        assert "unknown hook 'silk_register_framework'" in (found[name].error or "")
    assert found["fine"].status == "ok"
    assert ran == []  # none of their other hooks ran
    assert [f.id for f in catalog.frameworks()] == ["acme.fine"]


def test_a_specname_naming_no_hook_fails_the_plugin() -> None:
    @hookimpl(specname="silk_register_framework")
    def frameworks(register: Any) -> None:
        register(FRAMEWORK_FILE)

    [status] = catalog_with(plugin("specs", frameworks=frameworks)).plugin_statuses()
    assert status.status == "failed" and "'silk_register_framework' (function frameworks)" in (status.error or "")


def test_strict_mode_names_every_plugin_with_a_misspelt_hook() -> None:
    with pytest.raises(PluginError, match=r"typo_one.*typo_two"):
        catalog_with(typo_plugin("typo_one", []), typo_plugin("typo_two", []), strict=True)


def test_an_optional_hook_that_does_not_exist_is_allowed() -> None:
    catalog = catalog_with(plugin("future", silk_register_widgets=hookimpl(optionalhook=True)(lambda register: None)))
    assert catalog.failed_plugins() == []


def test_a_misspelt_hook_is_reported_under_the_entry_point_name(monkeypatch: pytest.MonkeyPatch) -> None:
    module = typo_plugin("acme_silk.typo_module", [])
    entry = metadata.EntryPoint(name="typo_entry", value="acme_silk.typo_module", group="silkcore")
    monkeypatch.setattr(metadata.EntryPoint, "load", lambda self: module)
    monkeypatch.setattr(metadata, "entry_points", lambda group=None: [entry])
    monkeypatch.delenv("SILKCORE_LOAD_PLUGINS", raising=False)
    monkeypatch.delenv("SILKCORE_DISABLE_PLUGINS", raising=False)
    catalog = build_catalog()
    assert [(s.name, s.status) for s in catalog.plugin_statuses()] == [("typo_entry", "failed")]
    assert catalog.frameworks() == []


def test_an_unhashable_plugin_object_is_refused_by_name() -> None:
    [status] = catalog_with(types.SimpleNamespace(__name__="namespace")).plugin_statuses()
    assert status.status == "failed" and "not hashable" in (status.error or "")


# -- ownership -----------------------------------------------------------------------------


class CardScorer:
    """The generic card with an overall of 0.999, so that who scored is visible."""

    def __init__(self, framework_id: str) -> None:
        self.framework_id = framework_id

    def score(self, framework: Any, response_sets: Any) -> Any:
        card = silkcore.GenericScorer(self.framework_id).score(framework, response_sets)
        return attrs.evolve(card, overall=0.999)


def scorer_plugin(name: str, scorer: Any) -> types.ModuleType:
    return plugin(name, silk_register_scorers=hookimpl(lambda register: register(scorer)))


def test_a_scorer_for_another_plugins_framework_is_refused_naming_both() -> None:
    catalog = catalog_with(silk_evaluation_grid, scorer_plugin("acme_scorer", CardScorer(GRID_ID)))
    [failed] = catalog.failed_plugins()
    assert failed.name == "acme_scorer"
    assert "'acme_scorer'" in (failed.error or "") and "'silk_evaluation_grid'" in (failed.error or "")
    assert "SILKCORE_OPEN_FRAMEWORKS=silk.evaluation-grid=acme_scorer" in (failed.error or "")
    card = silkcore.assess(GRID_ID, silkcore.load_document(GRID_ANSWERS), catalog=catalog)
    assert card.overall is None  # the grid keeps its own scoring (overall off)


def test_the_owner_opens_its_framework_to_a_named_plugin_or_to_all() -> None:
    for open_to in (["acme_scorer"], "acme_scorer", "*"):
        catalog = catalog_with(
            framework_plugin("owner", "acme.owned", open_to=open_to), scorer_plugin("acme_scorer", CardScorer("acme.owned"))
        )
        assert catalog.failed_plugins() == [], open_to
        assert silkcore.assess("acme.owned", owned_answers(), catalog=catalog).overall == 0.999
    closed = catalog_with(
        framework_plugin("owner", "acme.owned", open_to=["someone_else"]), scorer_plugin("acme_scorer", CardScorer("acme.owned"))
    )
    assert [s.name for s in closed.failed_plugins()] == ["acme_scorer"]


def test_open_to_takes_plugin_names() -> None:
    [status] = catalog_with(framework_plugin("owner", "acme.owned", open_to=[3])).plugin_statuses()
    assert status.status == "failed" and "open_to" in (status.error or "")


def test_the_user_chooses_a_third_party_scorer(monkeypatch: pytest.MonkeyPatch) -> None:
    plugins = (silk_evaluation_grid, scorer_plugin("acme_scorer", CardScorer(GRID_ID)))
    answers = silkcore.load_document(GRID_ANSWERS)
    chosen = build_catalog(load_entrypoints=False, plugins=plugins, open_frameworks={GRID_ID: "acme_scorer"})
    assert chosen.failed_plugins() == [] and silkcore.assess(GRID_ID, answers, catalog=chosen).overall == 0.999
    monkeypatch.setenv("SILKCORE_OPEN_FRAMEWORKS", f" {GRID_ID} = acme_scorer ,")
    assert silkcore.assess(GRID_ID, answers, catalog=catalog_with(*plugins)).overall == 0.999


def test_a_chosen_scorer_takes_the_place_of_the_owners() -> None:
    owner = plugin(
        "owner",
        silk_register_frameworks=hookimpl(lambda register: register(attrs.evolve(COMMUNITY, id="acme.owned"))),
        silk_register_scorers=hookimpl(lambda register: register(silkcore.GenericScorer("acme.owned"))),
    )
    for order in ((owner, scorer_plugin("acme_scorer", CardScorer("acme.owned"))),) * 2:
        for plugins in (order, order[::-1]):
            catalog = build_catalog(load_entrypoints=False, plugins=plugins, open_frameworks={"acme.owned": ["acme_scorer"]})
            assert catalog.failed_plugins() == []
            assert catalog.owner("scorer", "acme.owned") == "acme_scorer"


def test_a_malformed_open_frameworks_variable_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SILKCORE_OPEN_FRAMEWORKS", "silk.evaluation-grid")
    with pytest.raises(PluginError, match="FRAMEWORK_ID=PLUGIN"):
        catalog_with()


def test_an_analysis_of_another_plugins_framework_is_refused() -> None:
    class GridAnalysis:
        id = "acme.grid-analysis"
        framework_id = GRID_ID

        def run(self, documents: Any) -> dict[str, Any]:
            return {}

    analyses = plugin("acme_analysis", silk_register_analyses=hookimpl(lambda register: register(GridAnalysis())))
    catalog = catalog_with(silk_evaluation_grid, analyses)
    [failed] = catalog.failed_plugins()
    assert failed.name == "acme_analysis" and "silk_evaluation_grid" in (failed.error or "")
    assert catalog.analyses() == []
    opened = build_catalog(
        load_entrypoints=False, plugins=(silk_evaluation_grid, analyses), open_frameworks={GRID_ID: "acme_analysis"}
    )
    assert [a.id for a in opened.analyses()] == ["acme.grid-analysis"]


# -- isolation while a command runs -------------------------------------------------------


class RaisingScorer:
    framework_id = "acme.owned"

    def score(self, framework: Any, response_sets: Any) -> Any:
        raise RuntimeError("scorer exploded")


def owned_with(name: str = "acme", **hooks: Any) -> Any:
    """A catalog whose plugin ``name`` owns ``acme.owned`` and has ``hooks``."""
    framework = attrs.evolve(COMMUNITY, id="acme.owned")
    return catalog_with(plugin(name, silk_register_frameworks=hookimpl(lambda register: register(framework)), **hooks))


def owned_answers() -> Any:
    return attrs.evolve(silkcore.load_document(COMMUNITY_ANSWERS), framework_id="acme.owned")


def test_a_raising_scorer_is_a_recorded_plugin_error() -> None:
    catalog = owned_with(silk_register_scorers=hookimpl(lambda register: register(RaisingScorer())))
    assert catalog.failed_plugins() == [] and catalog.runtime_failures() == []
    for _ in range(2):
        with pytest.raises(
            PluginError, match=r"plugin 'acme' failed in scorer 'acme\.owned' .*RuntimeError: scorer exploded"
        ) as info:
            silkcore.assess("acme.owned", owned_answers(), catalog=catalog)
        assert info.value.plugin_name == "acme" and info.value.hook_name == "silk_register_scorers"
        assert info.value.__cause__ is None  # no traceback kept without debug
    [failure] = catalog.runtime_failures()
    assert (failure.plugin, failure.count, failure.traceback) == ("acme", 2, None)
    assert "scorer exploded" in failure.message
    [status] = catalog.failed_plugins()
    assert status.name == "acme" and "scorer exploded" in (status.error or "")
    assert catalog.framework("acme.owned").id == "acme.owned"  # still registered: one bad input need not disable it


def test_debug_keeps_the_traceback() -> None:
    catalog = owned_with(silk_register_scorers=hookimpl(lambda register: register(RaisingScorer())))
    catalog.debug = True
    with pytest.raises(PluginError) as info:
        silkcore.assess("acme.owned", owned_answers(), catalog=catalog)
    assert isinstance(info.value.__cause__, RuntimeError)
    [failure] = catalog.runtime_failures()
    assert failure.traceback is not None and "Traceback" in failure.traceback and "scorer exploded" in failure.traceback


@pytest.mark.parametrize(
    ("returned", "message"),
    [("not a card", "returned str, expected a ScoreCard"), ("other", "a score card for 'network.community-energy-partnering'")],
)
def test_a_scorer_returning_the_wrong_thing_is_a_plugin_error(returned: str, message: str) -> None:
    class Wrong:
        framework_id = "acme.owned"

        def score(self, framework: Any, response_sets: Any) -> Any:
            if returned == "other":
                return silkcore.GenericScorer(COMMUNITY.id).score(COMMUNITY, [silkcore.load_document(COMMUNITY_ANSWERS)])
            return returned

    catalog = owned_with(silk_register_scorers=hookimpl(lambda register: register(Wrong())))
    with pytest.raises(PluginError, match=message):
        silkcore.assess("acme.owned", owned_answers(), catalog=catalog)
    assert [s.name for s in catalog.failed_plugins()] == ["acme"]


def test_a_silk_error_raised_on_purpose_passes_unrecorded() -> None:
    class Refusing:
        framework_id = "acme.owned"

        def score(self, framework: Any, response_sets: Any) -> Any:
            raise ScoringError("this framework needs two respondents")

    catalog = owned_with(silk_register_scorers=hookimpl(lambda register: register(Refusing())))
    with pytest.raises(ScoringError, match="two respondents"):
        silkcore.assess("acme.owned", owned_answers(), catalog=catalog)
    assert catalog.runtime_failures() == [] and catalog.failed_plugins() == []


def test_analyses_exporters_and_importers_are_guarded() -> None:
    class Analysis:
        id = "acme.analysis"

        def run(self, documents: Any) -> Any:
            return ["not", "a", "dict"]

    class Exporter:
        id = "acme-out"
        media_type = "text/plain"

        def export(self, documents: Any, **options: str) -> bytes:
            if options:
                raise ValueError("this format takes no audience")
            raise KeyError("exporter exploded")

    class Importer:
        id = "acme-in"

        def import_(self, data: bytes, source: str, *, framework: Any = None) -> Any:
            return [{"schema": "silkcore_organisation-v1.0.0"}, "garbage"]

    catalog = catalog_with(
        plugin(
            "acme",
            silk_register_analyses=hookimpl(lambda register: register(Analysis())),
            silk_register_exporters=hookimpl(lambda register: register(Exporter())),
            silk_register_importers=hookimpl(lambda register: register(Importer())),
        )
    )
    [analysis] = catalog.analyses()
    with pytest.raises(PluginError, match=r"analysis 'acme\.analysis' .*returned list, expected dict"):
        analysis.run([])
    with pytest.raises(PluginError, match=r"exporter 'acme-out' .*KeyError: 'exporter exploded'"):
        catalog.exporter("acme-out").export([])
    with pytest.raises(DataError, match="takes no audience"):  # the documented refusal: the user's, not a failure
        catalog.exporter("acme-out").export([], audience="public")
    importer = catalog.importer("acme-in")
    with pytest.raises(PluginError, match="item 1 is a str"):
        importer.import_(b"", "in.csv")
    assert "framework" in inspect.signature(importer.import_).parameters  # what silk import looks at
    assert isinstance(importer, ImporterProtocol)
    assert {f.where for f in catalog.runtime_failures()} == {
        "analysis 'acme.analysis' (run)",
        "exporter 'acme-out' (export)",
        "importer 'acme-in' (import_)",
    }


class RaisingSection:
    id = "acme.section"
    order = 55

    def render(self, context: Any) -> Any:
        raise RuntimeError("section exploded")


def test_a_raising_report_section_is_reported_and_replaced(tmp_path: Path) -> None:
    from silkcore.report import write_organisation_report

    catalog = catalog_with(plugin("acme", silk_register_report_sections=hookimpl(lambda register: register(RaisingSection()))))
    output = tmp_path / "report.md"
    sections = write_organisation_report(catalog, [], [], [], output)
    assert [s.title for s in sections] == ["Section acme.section could not be drawn"]
    assert "section exploded" in output.read_text()
    [failure] = catalog.runtime_failures()
    assert failure.plugin == "acme" and failure.where == "report section 'acme.section' (render)"


def test_a_section_raising_a_silk_error_on_purpose_is_reported_too(tmp_path: Path) -> None:
    class Refusing(RaisingSection):
        def render(self, context: Any) -> Any:
            raise DataError([silkcore.Issue("", "no flows to draw")])

    from silkcore.report import write_organisation_report

    catalog = catalog_with(plugin("acme", silk_register_report_sections=hookimpl(lambda register: register(Refusing()))))
    write_organisation_report(catalog, [], [], [], tmp_path / "report.html")
    [failure] = catalog.runtime_failures()
    assert failure.plugin == "acme" and "no flows to draw" in failure.message


def test_a_raising_scorer_is_that_lines_error_record_in_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from silkcore import _batch

    catalog = owned_with(silk_register_scorers=hookimpl(lambda register: register(RaisingScorer())))
    monkeypatch.setattr(_batch, "_CATALOG", [catalog])
    monkeypatch.setattr(_batch, "_PROCESSORS", {})
    document = silkcore.dump_document(owned_answers())
    source = tmp_path / "answers.jsonl"
    source.write_text(json.dumps(json.loads(document)) + "\n" + json.dumps(json.loads(document)) + "\n")
    output = io.StringIO()
    counts = silkcore.run_batch("score", str(source), output)
    assert (counts.lines, counts.failed) == (2, 2)
    records = [json.loads(line) for line in output.getvalue().splitlines()]
    assert all("scorer exploded" in record["errors"][0]["message"] for record in records)
    [failure] = catalog.runtime_failures()
    assert failure.count == 2


# -- plugin commands -----------------------------------------------------------------------


@click.command("acme-hello")
def hello() -> None:
    """Greet."""
    click.echo("hello")


@click.command("acme-crash")
def crash() -> None:
    """Crash."""
    raise ZeroDivisionError("command exploded")


def command_plugin(name: str, *commands: click.Command) -> types.ModuleType:
    def add(cli: click.Group) -> None:
        for command in commands:
            cli.add_command(command)

    return plugin(name, silk_add_cli_commands=hookimpl(add), silk_register_frameworks=hookimpl(lambda register: None))


def test_commands_are_added_through_the_catalog_and_guarded() -> None:
    catalog = catalog_with(command_plugin("acme", hello, crash))
    group = click.Group("silk")
    catalog.add_cli_commands(group)
    assert sorted(group.commands) == ["acme-crash", "acme-hello"]
    assert group.commands["acme-crash"] is not crash and crash.callback is not None  # a guarded copy; theirs unchanged
    with pytest.raises(ZeroDivisionError):
        crash.callback()
    assert catalog.runtime_failures() == []
    callback = group.commands["acme-crash"].callback
    assert callback is not None
    with pytest.raises(PluginError, match="plugin 'acme' failed in command 'acme-crash': ZeroDivisionError"):
        callback()
    assert [f.where for f in catalog.runtime_failures()] == ["command 'acme-crash'"]


def test_a_plugin_may_not_replace_a_command() -> None:
    @click.command("validate")
    def mine() -> None:
        """Not silkcore's validate."""

    owned = attrs.evolve(COMMUNITY, id="acme.owned")
    thief = command_plugin("thief", mine, hello)
    thief.silk_register_frameworks = hookimpl(lambda register: register(owned))  # type: ignore[attr-defined]
    catalog = catalog_with(thief, command_plugin("other", crash))
    ours = click.command("validate")(lambda: None)
    group = click.Group("silk", commands=[ours])
    catalog.add_cli_commands(group)
    assert group.commands["validate"] is ours and "acme-hello" not in group.commands and "acme-crash" in group.commands
    assert "may not replace the command(s) validate" in (statuses(catalog)["thief"].error or "")
    assert catalog.frameworks() == []  # a failed plugin contributes nothing


def test_strict_plugins_exits_4_when_a_scorer_raises_in_silk_assess(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    catalog = owned_with(silk_register_scorers=hookimpl(lambda register: register(RaisingScorer())))
    answers = tmp_path / "answers.json"
    answers.write_text(silkcore.dump_document(owned_answers()))
    code = main(["--strict-plugins", "assess", "-f", "acme.owned", str(answers)], catalog=catalog)
    err = capsys.readouterr().err
    assert code == 4, err
    assert "scorer exploded" in err and "Traceback" not in err


def test_strict_plugins_exits_4_when_a_report_section_raises(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plugins = (plugin("acme", silk_register_report_sections=hookimpl(lambda register: register(RaisingSection()))),)
    organisation = str(EXAMPLES / "demo" / "organisation.json")
    lenient = main(["report", organisation, "-o", str(tmp_path / "a.html")], catalog=catalog_with(*plugins))
    assert lenient == 0 and "section exploded" in capsys.readouterr().err
    strict = main(["--strict-plugins", "report", organisation, "-o", str(tmp_path / "b.html")], catalog=catalog_with(*plugins))
    err = capsys.readouterr().err
    assert strict == 4 and "section exploded" in err and "Traceback" not in err


# -- a third-party distribution, built as a wheel and installed -----------------------------

PYPROJECT = """
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "acme-silk-plugins"
version = "0.3.0"

[project.entry-points.silkcore]
acme_specname = "acme_silk.specname_plugin"
acme_typo = "acme_silk.typo_plugin"
acme_grid_scorer = "acme_silk.grid_scorer"
acme_raising = "acme_silk.raising"

[tool.hatch.build.targets.wheel]
packages = ["acme_silk"]
"""

MODULES = {
    "__init__.py": "",
    "specname_plugin.py": """
        from pathlib import Path

        from silkcore import hookimpl


        @hookimpl(specname="silk_register_frameworks")
        def frameworks(register):
            register(Path(__file__).with_name("partnering.yaml"))
    """,
    "typo_plugin.py": """
        from pathlib import Path

        from silkcore import hookimpl


        @hookimpl
        def silk_register_framework(register):
            register(Path(__file__).with_name("typo.yaml"))


        @hookimpl
        def silk_register_frameworks(register):
            register(Path(__file__).with_name("typo.yaml"))
    """,
    "grid_scorer.py": """
        import attrs

        import silkcore
        from silkcore import hookimpl


        class GridScorer:
            framework_id = "silk.evaluation-grid"

            def score(self, framework, response_sets):
                card = silkcore.GenericScorer(self.framework_id).score(framework, response_sets)
                return attrs.evolve(card, overall=0.999)


        @hookimpl
        def silk_register_scorers(register):
            register(GridScorer())
    """,
    "raising.py": """
        from pathlib import Path

        from silkcore import hookimpl


        class Scorer:
            framework_id = "acme.raising"

            def score(self, framework, response_sets):
                raise RuntimeError("acme scorer exploded")


        class Section:
            id = "acme.section"
            order = 55

            def render(self, context):
                raise KeyError("acme section exploded")


        @hookimpl
        def silk_register_frameworks(register):
            register(Path(__file__).with_name("raising.yaml"))


        @hookimpl
        def silk_register_scorers(register):
            register(Scorer())


        @hookimpl
        def silk_register_report_sections(register):
            register(Section())
    """,
}


@pytest.fixture(scope="module")
def acme_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site directory holding only the acme wheel (built here from generated sources)."""
    source = tmp_path_factory.mktemp("acme-src")
    (source / "pyproject.toml").write_text(PYPROJECT)
    package = source / "acme_silk"
    package.mkdir()
    for name, text in MODULES.items():
        (package / name).write_text(textwrap.dedent(text).lstrip())
    framework = FRAMEWORK_FILE.read_text(encoding="utf-8")
    (package / "partnering.yaml").write_text(framework, encoding="utf-8")
    for name, framework_id in (("typo.yaml", "acme.typo"), ("raising.yaml", "acme.raising")):
        (package / name).write_text(framework.replace(f"id: {COMMUNITY.id}", f"id: {framework_id}", 1), encoding="utf-8")
    wheel = build_wheel(source, tmp_path_factory.mktemp("acme-dist"), "acme_silk_plugins-0.3.0-*.whl")
    site = tmp_path_factory.mktemp("acme-site")
    pip("--target", str(site), str(wheel))
    return site


def silk(site: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run_silk(*args, env={"PYTHONPATH": str(site), **env})


def test_the_wheels_plugins_are_listed_under_their_entry_points(acme_site: Path) -> None:
    result = silk(acme_site, "plugins", "--json")
    assert result.returncode == 0, result.stderr
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert not [name for name in rows if name.startswith("acme_silk")]
    assert rows["acme_specname"]["status"] == "ok" and rows["acme_specname"]["distribution"] == "acme-silk-plugins"
    assert rows["acme_typo"]["status"] == "failed" and "'silk_register_framework'" in rows["acme_typo"]["error"]
    assert rows["acme_grid_scorer"]["status"] == "failed"
    assert "'acme_grid_scorer'" in rows["acme_grid_scorer"]["error"] and "'evaluation_grid'" in rows["acme_grid_scorer"]["error"]
    assert rows["acme_raising"]["status"] == "ok" and rows["evaluation_grid"]["status"] == "ok"


def test_a_wheel_plugin_using_specname_registers_its_framework_and_the_misspelt_one_nothing(acme_site: Path) -> None:
    listed = silk(acme_site, "frameworks", "--json")
    assert listed.returncode == 0, listed.stderr
    owners = {row["id"]: row["plugin"] for row in json.loads(listed.stdout)}
    assert owners[COMMUNITY.id] == "acme_specname" and "acme.typo" not in owners
    scored = silk(acme_site, "assess", "-f", COMMUNITY.id, str(COMMUNITY_ANSWERS), "--json")
    assert scored.returncode == 0, scored.stderr
    assert json.loads(scored.stdout)["framework_id"] == COMMUNITY.id
    strict = silk(acme_site, "--strict-plugins", "frameworks")
    assert strict.returncode == 4 and "acme_typo" in strict.stderr and "Traceback" not in strict.stderr


def test_a_wheel_scorer_for_the_grid_is_refused_unless_the_user_chooses_it(acme_site: Path) -> None:
    def overall(**env: str) -> Any:
        result = silk(acme_site, "assess", "-f", GRID_ID, str(GRID_ANSWERS), "--json", **env)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)["overall"]

    assert overall() is None  # the grid's own policy: no overall score
    assert overall(SILKCORE_OPEN_FRAMEWORKS=f"{GRID_ID}=acme_grid_scorer") == 0.999


def test_a_wheel_scorer_that_raises_is_reported_never_a_traceback(acme_site: Path, tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(
        silkcore.dump_document(attrs.evolve(silkcore.load_document(COMMUNITY_ANSWERS), framework_id="acme.raising"))
    )
    only = {"SILKCORE_LOAD_PLUGINS": "acme_raising"}
    assessed = silk(acme_site, "--strict-plugins", "assess", "-f", "acme.raising", str(answers), **only)
    assert assessed.returncode == 4, assessed.stderr
    assert (
        "plugin 'acme_raising' failed in scorer 'acme.raising'" in assessed.stderr and "acme scorer exploded" in assessed.stderr
    )
    assert "Traceback" not in assessed.stderr
    lines = tmp_path / "answers.jsonl"
    lines.write_text(json.dumps(json.loads(answers.read_text())) + "\n")
    batch = silk(acme_site, "batch", "score", str(lines), **only)
    assert batch.returncode == 3 and "Traceback" not in batch.stderr
    [record] = [json.loads(line) for line in batch.stdout.splitlines()]
    assert "acme scorer exploded" in record["errors"][0]["message"]
    strict = silk(acme_site, "--strict-plugins", "batch", "score", str(lines), **only)
    assert strict.returncode == 4 and "Traceback" not in strict.stderr  # the batch runs on the command's catalog
    assert "plugin 'acme_raising' failed in scorer 'acme.raising'" in strict.stderr


def test_a_wheel_report_section_that_raises_is_reported(acme_site: Path, tmp_path: Path) -> None:
    organisation = str(EXAMPLES / "demo" / "organisation.json")
    only = {"SILKCORE_LOAD_PLUGINS": "acme_raising"}
    lenient = silk(acme_site, "report", organisation, "-o", str(tmp_path / "a.html"), **only)
    assert lenient.returncode == 0, lenient.stderr
    assert "acme section exploded" in lenient.stderr and "Traceback" not in lenient.stderr
    strict = silk(acme_site, "--strict-plugins", "report", organisation, "-o", str(tmp_path / "b.html"), **only)
    assert strict.returncode == 4 and "acme section exploded" in strict.stderr and "Traceback" not in strict.stderr

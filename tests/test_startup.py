"""Start-up does only what the command needs, proven by counting, never by timing (the times
are in ``benchmarks/bench_startup.py``): ``silk --help`` imports no heavy module and calls no
registration hook, ``silk validate`` of an organisation builds no framework, a framework
registered by id is built once and equals the one built eagerly, and a plugin whose lazily
built framework is wrong fails as it would have at registration."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import click
import pytest

import silkcore
from silkcore import PluginError, framework_hash, hookimpl, lazy_command, load_framework
from silkcore._catalog import build_catalog
from silkcore._cli import _BUILT_IN, build_cli, main
from silkcore._lazy_command import LazyCommand, stored
from silkcore.testing import catalog_with

from .conftest import EXAMPLES, GUARD, ROOT

COMMUNITY_FILE = EXAMPLES / "frameworks" / "community-energy-readiness.yaml"
COMMUNITY_ID = "network.community-energy-partnering"
ORGANISATION = "examples/documents/organisation-sol-del-valle.json"

#: Modules a command that neither reports nor serves must never import.
HEAVY = ("silkcore.report", "silkcore.node", "silkcore.web", "silkcore._store", "silkcore._batch", "matplotlib",
         "starlette", "jinja2", "dask", "uvicorn", "openpyxl")  # fmt: skip

_PROBE = """
import json, sys
import silkcore._catalog as catalog_module
from silkcore._cli import main
built = []
real = catalog_module.build_catalog
def spy(**kwargs):
    built.append(real(**kwargs))
    return built[-1]
catalog_module.build_catalog = spy
import silkcore._cli
silkcore._cli.build_catalog = spy
code = main(sys.argv[1:])
catalog = built[0]
report = {
    "code": code,
    "modules": sorted(sys.modules),
    "registered": catalog._registered,
    "waiting": sorted(catalog.waiting_frameworks()) if catalog._registered else None,
    "frameworks": sorted(catalog._frameworks) if catalog._registered else None,
}
print("\\n" + json.dumps(report))
"""


def probe(*args: str) -> dict[str, Any]:
    """Run ``silk ARGS`` in a fresh interpreter and report what it imported and built."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(GUARD), os.environ.get("PYTHONPATH", "")]))},
    )
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def loaded(report: dict[str, Any], name: str) -> bool:
    return any(module == name or module.startswith(name + ".") for module in report["modules"])


def test_help_imports_no_heavy_module_and_calls_no_registration_hook() -> None:
    report = probe("--help")
    assert report["code"] == 0
    assert report["registered"] is False  # no framework, indicator, scorer... was registered: no YAML read
    for name in (*HEAVY, "silkcore._documents", "silkcore._schemas", "jsonschema", "yaml", "cattrs"):
        assert not loaded(report, name), f"silk --help imported {name}"
    for plugin in ("silk_cases.cli", "silk_field.cli", "silk_exchange.flows_cli", "silk_policy_brief.cli"):
        assert not loaded(report, plugin), f"silk --help imported {plugin}"


def test_validating_an_organisation_builds_no_framework() -> None:
    report = probe("validate", ORGANISATION)
    assert report["code"] == 0
    assert report["registered"] is True
    assert report["waiting"] == report["frameworks"]  # every framework registered, none built
    assert "silk.evaluation-grid" in report["waiting"] and "silk.indicators" in report["waiting"]
    for name in ("silkcore.node", "silkcore.web", "starlette", "jinja2", "matplotlib", "silkcore._store"):
        assert not loaded(report, name), f"silk validate imported {name}"


def test_validating_a_response_set_builds_only_its_framework() -> None:
    report = probe("validate", "examples/demo/response_sets/evaluation-grid-board.json")
    assert report["code"] == 0
    assert "silk.evaluation-grid" not in report["waiting"]
    assert set(report["frameworks"]) - set(report["waiting"]) == {"silk.evaluation-grid"}


def test_json_input_and_shipped_data_load_no_yaml_reader() -> None:
    """The built-in plugins' data files are read through their compiled forms, and JSON input
    needs no YAML: validating a response set (which builds the Tool 2 grid) never imports
    PyYAML, nor python-jsonschema, which only explains a refusal."""
    report = probe("validate", "examples/demo/response_sets/evaluation-grid-board.json")
    assert report["code"] == 0
    for name in ("yaml", "silkcore._yaml_reader", "jsonschema"):
        assert not loaded(report, name), f"silk validate of a JSON response set imported {name}"


def test_a_batch_of_one_worker_starts_no_process_machinery(tmp_path: Path) -> None:
    source = ROOT / "examples" / "demo" / "response_sets" / "evaluation-grid-board.json"
    lines = tmp_path / "sets.jsonl"
    lines.write_text(json.dumps(json.loads(source.read_text(encoding="utf-8"))) + "\n", encoding="utf-8")
    report = probe("batch", "score", str(lines), "-o", str(tmp_path / "cards.jsonl"))
    assert report["code"] == 0
    for name in ("silkcore._batch_pool", "multiprocessing", "concurrent.futures", "yaml"):
        assert not loaded(report, name), f"silk batch score with one worker imported {name}"


def test_the_help_listing_is_unchanged_by_laziness() -> None:
    """Each built-in and plugin command is listed with the same short help as the command
    itself gives, at every width."""
    cli = build_cli(build_catalog(lazy=True))
    summaries = {name: cli.commands.listed(name) for name in cli.commands}  # type: ignore[attr-defined]
    assert set(_BUILT_IN) <= set(summaries)
    for name, listed in summaries.items():
        real = cli.commands[name]
        assert not isinstance(real, LazyCommand) and real.name == name
        for limit in (20, 45, 60, 80, 120):
            assert listed is not None and listed.get_short_help_str(limit) == real.get_short_help_str(limit), (name, limit)


def test_every_built_in_command_is_in_the_table() -> None:
    import importlib

    modules = {module for module, _ in _BUILT_IN.values()}
    found = {command.name for m in modules for command in importlib.import_module(f"silkcore._cli.{m}").COMMANDS}
    assert found == set(_BUILT_IN)
    cli_dir = Path(silkcore.__file__).parent / "_cli"
    with_commands = {p.stem for p in cli_dir.glob("*.py") if "COMMANDS" in p.read_text(encoding="utf-8")}
    assert with_commands - {"__init__"} == modules


# -- frameworks built on first use ---------------------------------------------------------


def test_a_framework_is_built_once_and_equals_the_eager_one() -> None:
    import silk_evaluation_grid
    import silk_indicators.catalogue

    catalog = build_catalog()
    assert {"silk.evaluation-grid", "silk.flowchart", "silk.indicators", "silk.policy-self-assessment"} <= set(
        catalog.waiting_frameworks()
    )
    grid = catalog.framework("silk.evaluation-grid")
    assert catalog.framework("silk.evaluation-grid") is grid  # built once
    eager = load_framework(silk_evaluation_grid.FRAMEWORK_FILE)
    assert grid == eager and framework_hash(grid) == framework_hash(eager)
    indicators = catalog.framework("silk.indicators")
    built_in_python = silk_indicators.catalogue.framework()
    assert indicators == built_in_python and framework_hash(indicators) == framework_hash(built_in_python)
    assert "silk.evaluation-grid" not in catalog.waiting_frameworks()
    assert [f.id for f in catalog.frameworks()] == catalog.framework_ids()
    assert catalog.waiting_frameworks() == []


def test_registering_by_id_and_eagerly_give_the_same_catalog() -> None:
    eager = catalog_with(plugin("acme", silk_register_frameworks=hookimpl(lambda register: register(COMMUNITY_FILE))))
    lazy = catalog_with(
        plugin("acme", silk_register_frameworks=hookimpl(lambda register: register(COMMUNITY_FILE, id=COMMUNITY_ID)))
    )
    factory = catalog_with(
        plugin(
            "acme",
            silk_register_frameworks=hookimpl(lambda register: register(lambda: load_framework(COMMUNITY_FILE), id=COMMUNITY_ID)),
        )
    )
    assert lazy.waiting_frameworks() == factory.waiting_frameworks() == [COMMUNITY_ID] and eager.waiting_frameworks() == []
    assert lazy.owner("framework", COMMUNITY_ID) == "acme"  # known without building
    assert eager.frameworks() == lazy.frameworks() == factory.frameworks()


def plugin(name: str, **hooks: Any) -> types.ModuleType:
    module = types.ModuleType(name)
    for attribute, value in hooks.items():
        setattr(module, attribute, value)
    return module


def broken_framework_plugin(tmp_path: Path, name: str = "acme") -> types.ModuleType:
    """Registers, by id, a framework file that breaks the schema, plus an exporter."""
    broken = tmp_path / "broken.yaml"
    broken.write_text(COMMUNITY_FILE.read_text(encoding="utf-8").replace("version: 1.0.0", "version: one"), encoding="utf-8")

    class Exporter:
        id = "acme-export"
        media_type = "text/plain"

        def export(self, documents: Any, **options: str) -> bytes:
            return b""

    return plugin(
        name,
        silk_register_frameworks=hookimpl(lambda register: register(broken, id=COMMUNITY_ID)),
        silk_register_exporters=hookimpl(lambda register: register(Exporter())),
    )


def test_a_wrong_framework_fails_its_plugin_when_built(tmp_path: Path) -> None:
    catalog = catalog_with(broken_framework_plugin(tmp_path))
    assert catalog.waiting_frameworks() == [COMMUNITY_ID]
    assert [e.id for e in catalog.exporters()] == ["acme-export"]
    with pytest.raises(PluginError) as raised:
        catalog.framework(COMMUNITY_ID)
    assert raised.value.plugin_name == "acme" or "acme" in str(raised.value)
    [status] = catalog.failed_plugins()
    assert status.name == "acme" and "silk_register_frameworks" in (status.error or "")
    assert catalog.frameworks() == [] and catalog.exporters() == []  # a failed plugin contributes nothing


def test_statuses_build_every_waiting_framework(tmp_path: Path) -> None:
    catalog = catalog_with(broken_framework_plugin(tmp_path))
    assert catalog.failed_plugins(build_waiting=False) == []
    assert [s.name for s in catalog.failed_plugins()] == ["acme"]


def test_a_framework_of_another_id_than_registered_fails_its_plugin() -> None:
    catalog = catalog_with(
        plugin("acme", silk_register_frameworks=hookimpl(lambda register: register(COMMUNITY_FILE, id="acme.other")))
    )
    assert catalog.frameworks() == []
    assert "registered with the id 'acme.other'" in (catalog.failed_plugins()[0].error or "")


@pytest.mark.parametrize("given", [3, "", None])
def test_a_bad_id_or_source_fails_at_registration(given: Any) -> None:
    source: Any = COMMUNITY_FILE if given is not None else 42
    framework_id = given if given is not None else "acme.x"
    catalog = catalog_with(plugin("acme", silk_register_frameworks=hookimpl(lambda register: register(source, id=framework_id))))
    assert catalog.failed_plugins(build_waiting=False)[0].name == "acme"


def test_strict_plugins_builds_every_framework_at_start(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--strict-plugins", "validate", ORGANISATION], catalog=catalog_with(broken_framework_plugin(tmp_path)))
    assert code == 4
    assert "error: plugin 'acme' failed" in capsys.readouterr().err


def test_a_framework_failing_while_a_command_runs_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["frameworks"], catalog=catalog_with(broken_framework_plugin(tmp_path)))
    err = capsys.readouterr().err
    assert code == 0
    assert err.count("warning: plugin 'acme' failed and was skipped (in silk_register_frameworks:") == 1, err


def main_help(catalog: Any) -> str:
    """What ``silk --help`` prints over ``catalog``."""
    from click.testing import CliRunner

    from silkcore._cli import build_cli

    return CliRunner().invoke(build_cli(catalog), ["--help"], obj={"catalog": catalog}).output


def test_a_lazy_main_drops_the_commands_of_a_plugin_that_fails_to_register(capsys: pytest.CaptureFixture[str]) -> None:
    def frameworks(register: Any) -> None:
        raise RuntimeError("no framework today")

    def commands(cli: click.Group) -> None:
        cli.add_command(click.Command("acme-hello", callback=lambda: click.echo("hello")))

    acme = plugin("acme", silk_register_frameworks=hookimpl(frameworks), silk_add_cli_commands=hookimpl(commands))
    catalog = build_catalog(load_entrypoints=False, plugins=[acme], lazy=True)
    assert "acme-hello" in main_help(catalog)  # listed: --help does not register plugins
    code = main(["acme-hello"], catalog=catalog)
    err = capsys.readouterr().err
    # run, it says why it is not there (its plugin failed), once, with the plugin-failure code
    assert code == 4, err
    [line] = [line for line in err.splitlines() if line.startswith("error:")]
    assert line.startswith("error: command 'acme-hello' is not available: plugin 'acme' failed (")
    assert "no framework today" in line
    assert "No such command" not in err and "Traceback" not in err
    assert main(["no-such-command"], catalog=catalog) == 2  # an unknown name stays a usage error


# -- plugin commands imported when run -----------------------------------------------------


@click.command("acme-crash")
def crash_command() -> None:
    """Crash on purpose."""
    raise ZeroDivisionError("boom")


def test_a_lazy_plugin_command_is_imported_when_run_and_guarded(capsys: pytest.CaptureFixture[str]) -> None:
    def commands(cli: click.Group) -> None:
        cli.add_command(lazy_command("acme-crash", f"{__name__}:crash_command", "Crash on purpose."))

    catalog = catalog_with(plugin("acme", silk_add_cli_commands=hookimpl(commands)))
    group = build_cli(catalog)
    assert isinstance(stored(group.commands, "acme-crash"), LazyCommand)
    assert main(["acme-crash"], catalog=catalog) == 4
    assert capsys.readouterr().err == "error: plugin 'acme' failed in command 'acme-crash': ZeroDivisionError: boom\n"


def test_a_lazy_plugin_command_in_a_plain_group_is_loaded_and_guarded() -> None:
    def commands(cli: click.Group) -> None:
        cli.add_command(lazy_command("acme-crash", f"{__name__}:crash_command", "Crash on purpose."))

    catalog = catalog_with(plugin("acme", silk_add_cli_commands=hookimpl(commands)))
    group = click.Group("silk")
    catalog.add_cli_commands(group)
    command = group.commands["acme-crash"]
    assert not isinstance(command, LazyCommand) and command.callback is not None
    with pytest.raises(PluginError, match="ZeroDivisionError"):
        command.callback()


def test_a_lazy_command_may_not_replace_a_built_in_one(capsys: pytest.CaptureFixture[str]) -> None:
    def commands(cli: click.Group) -> None:
        cli.add_command(lazy_command("validate", f"{__name__}:crash_command", "Not silkcore's."))

    catalog = catalog_with(plugin("thief", silk_add_cli_commands=hookimpl(commands)))
    group = build_cli(catalog)
    assert group.commands["validate"].callback is not None and group.commands["validate"].name == "validate"
    assert "may not replace the command(s) validate" in (catalog.failed_plugins()[0].error or "")


def test_lazy_command_names_a_module_and_attribute() -> None:
    with pytest.raises(ValueError, match=r"package\.module:attribute"):
        lazy_command("x", "no_colon", "X.")


def test_the_built_in_plugins_add_their_commands_lazily() -> None:
    """The built-in plugins list their commands without importing them (what they list is
    compared with what the commands say by test_the_help_listing_is_unchanged_by_laziness)."""
    cli = build_cli(build_catalog(lazy=True))
    for name in ("cases", "field", "flows", "indicators", "policy"):
        assert isinstance(stored(cli.commands, name), LazyCommand), name

"""The ``silk`` command is built per run, not mutated: each ``main()`` sees only the plugins of
its own catalog, plugin commands fail through the one error exit, ``--strict-plugins`` covers
failures while a command runs, and ``silk guide`` picks its framework the documented way."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import pytest

import silk_flowchart
from silkcore import StoreError, build_catalog, hookimpl
from silkcore._cli import build_cli, main
from silkcore.report import SectionContent
from silkcore.testing import catalog_with

from .conftest import EXAMPLES

ORGANISATION = EXAMPLES / "demo" / "organisation.json"
FLOWCHART_ANSWERS = EXAMPLES / "response_sets" / "flowchart-no-partner.json"
GUIDED = EXAMPLES / "frameworks" / "community-energy-guided.yaml"


@click.command("hello")
@click.argument("name")
def hello(name: str) -> None:
    """Greet a partner organisation."""
    click.echo(f"hello, {name}")


class Greeter:
    __name__ = "greeter"

    @hookimpl
    def silk_add_cli_commands(self, cli: click.Group) -> None:
        cli.add_command(hello)


@click.command("crash")
def crash() -> None:
    """Raise an error no plugin author meant."""
    raise ValueError("boom")


@click.command("locked")
def locked() -> None:
    """Raise a silkcore error."""
    raise StoreError("the store is locked")


class Crashy:
    __name__ = "crashy"

    @hookimpl
    def silk_add_cli_commands(self, cli: click.Group) -> None:
        cli.add_command(crash)
        cli.add_command(locked)


def run(capsys: pytest.CaptureFixture[str], *args: str, catalog: Any = None) -> tuple[int, str, str]:
    code = main(list(args), catalog=catalog)
    out, err = capsys.readouterr()
    return code, out, err


def test_each_main_sees_only_the_commands_of_its_own_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "hello", "coopcycle", catalog=catalog_with(Greeter())) == (0, "hello, coopcycle\n", "")
    code, _, err = run(capsys, "hello", "coopcycle", catalog=catalog_with())
    assert code == 2 and "No such command 'hello'" in err
    assert "hello" in build_cli(catalog_with(Greeter())).commands
    assert "hello" not in build_cli(catalog_with()).commands


def test_a_disabled_plugin_command_is_gone_in_the_next_main(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SILKCORE_LOAD_PLUGINS", "indicators")
    code, out, _ = run(capsys, "indicators", "list", "--json")
    assert code == 0 and json.loads(out)
    monkeypatch.setenv("SILKCORE_DISABLE_PLUGINS", "indicators")
    code, _, err = run(capsys, "indicators", "list", "--json")
    assert code == 2 and "No such command 'indicators'" in err
    assert "indicators" not in build_cli(build_catalog()).commands


def test_a_raising_plugin_command_is_one_error_line_and_exit_4(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "crash", catalog=catalog_with(Crashy()))
    assert (code, out) == (4, "")
    assert err == "error: plugin 'crashy' failed in command 'crash': ValueError: boom\n"


def test_debug_shows_the_plugin_command_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--debug", "crash", catalog=catalog_with(Crashy()))
    assert code == 4
    assert err.startswith("Traceback (most recent call last):") and 'raise ValueError("boom")' in err
    assert err.endswith("error: plugin 'crashy' failed in command 'crash': ValueError: boom\n")


def test_a_silk_error_from_a_plugin_command_leaves_as_any_other(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "locked", catalog=catalog_with(Crashy())) == (5, "", "error: the store is locked\n")


class BrokenSection:
    __name__ = "broken_section"

    id = "test.broken"
    order = 50

    def render(self, context: Any) -> SectionContent | None:
        raise RuntimeError("no ink")

    @hookimpl
    def silk_register_report_sections(self, register: Any) -> None:
        register(self)


def one_plugin_line(err: str, prefix: str, plugin: str, message: str) -> bool:
    """``err`` is one line naming the plugin and what it raised, and no traceback."""
    return err.count("\n") == 1 and err.startswith(f"{prefix}: plugin {plugin!r} failed") and err.endswith(f"{message}\n")


def test_strict_plugins_turns_a_failure_while_running_into_exit_4(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    output = tmp_path / "report.html"
    code, _, err = run(
        capsys, "--strict-plugins", "report", str(ORGANISATION), "-o", str(output), catalog=catalog_with(BrokenSection())
    )
    assert code == 4
    assert one_plugin_line(err, "error", "broken_section", "RuntimeError: no ink"), err
    assert "report section 'test.broken'" in err


def test_without_strict_plugins_a_failure_while_running_is_a_warning(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    output = tmp_path / "report.html"
    code, out, err = run(capsys, "report", str(ORGANISATION), "-o", str(output), catalog=catalog_with(BrokenSection()))
    assert code == 0 and "report written" in out
    assert one_plugin_line(err, "warning", "broken_section", "RuntimeError: no ink"), err


def test_debug_shows_the_traceback_of_a_failure_while_running(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    output = tmp_path / "report.html"
    catalog = catalog_with(BrokenSection())
    code, _, err = run(capsys, "--debug", "--strict-plugins", "report", str(ORGANISATION), "-o", str(output), catalog=catalog)
    assert code == 4
    assert err.startswith("Traceback (most recent call last):") and 'raise RuntimeError("no ink")' in err
    last = err.splitlines()[-1]
    assert last.startswith("error: plugin 'broken_section' failed") and last.endswith("RuntimeError: no ink")


class BadExporter:
    __name__ = "bad_exporter"

    id = "bad"
    media_type = "text/plain"

    def export(self, documents: Any) -> bytes:
        raise RuntimeError("no paper")

    @hookimpl
    def silk_register_exporters(self, register: Any) -> None:
        register(self)


@pytest.mark.parametrize("flags", [[], ["--strict-plugins"]])
def test_a_raising_exporter_is_one_error_line_and_exit_4(capsys: pytest.CaptureFixture[str], flags: list[str]) -> None:
    code, out, err = run(capsys, *flags, "export", "--format", "bad", str(ORGANISATION), catalog=catalog_with(BadExporter()))
    assert (code, out) == (4, "")
    assert one_plugin_line(err, "error", "bad_exporter", "RuntimeError: no paper"), err


class EnergyGuide:
    def __init__(self, path: Path = GUIDED) -> None:
        self.__name__ = f"guide_{path.stem}"
        self.path = path

    @hookimpl
    def silk_register_frameworks(self, register: Any) -> None:
        register(self.path)


def test_guide_defaults_to_the_flowchart_among_several_guided_frameworks(capsys: pytest.CaptureFixture[str]) -> None:
    catalog = catalog_with(silk_flowchart, EnergyGuide())
    assert sum(f.graph is not None for f in catalog.frameworks()) == 2
    code, out, err = run(capsys, "guide", "--answers", str(FLOWCHART_ANSWERS), "--json", catalog=catalog)
    assert code == 0, err
    assert json.loads(out)["node"] == "decide_partner"


def test_guide_without_a_default_lists_the_guided_frameworks(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    other = tmp_path / "other-guided.yaml"
    other.write_text(GUIDED.read_text().replace("id: network.community-energy-guided", "id: network.other-guided", 1))
    catalog = catalog_with(EnergyGuide(), EnergyGuide(other))
    code, out, err = run(capsys, "guide", "--answers", str(FLOWCHART_ANSWERS), catalog=catalog)
    assert (code, out) == (2, "")
    assert err == (
        "error: several installed frameworks have a decision graph "
        "(network.community-energy-guided, network.other-guided); choose one with --framework\n"
    )
    code, _, err = run(capsys, "guide", catalog=catalog_with())
    assert code == 2 and err == "error: no installed framework has a decision graph; give one with --framework ID_OR_FILE\n"

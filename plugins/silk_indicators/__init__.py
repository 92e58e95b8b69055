"""SILK Tool 3: indicators to follow in each phase (framework ``silk.indicators``).

Registers the 36 indicators of the report's second table, with exact computations for the
figures (growth rates, margins, market share, penetration rate...), the catalogue as a
framework, the "where does the organisation stand" analysis, and ``silk indicators``. The
modules doing the work are imported by the hooks that need them, and the framework is
registered with its id, built when a command first needs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from silkcore import RegisterAnalysis, RegisterFramework, RegisterIndicator, hookimpl, lazy_command

if TYPE_CHECKING:
    import click


@hookimpl
def silk_register_report_sections(register):  # type: ignore[no-untyped-def]
    """This plugin's report section."""
    from .report import IndicatorsSection

    register(IndicatorsSection())


@hookimpl
def silk_register_frameworks(register: RegisterFramework) -> None:
    """The catalogue as a framework (categories are the four phases), built on first use."""
    from .catalogue import FRAMEWORK_ID, framework

    register(framework, id=FRAMEWORK_ID)


@hookimpl
def silk_register_indicators(register: RegisterIndicator) -> None:
    """Each indicator with its compute function."""
    from .catalogue import definitions

    for definition, compute in definitions():
        register(definition, compute=compute)


@hookimpl
def silk_register_analyses(register: RegisterAnalysis) -> None:
    """Where an organisation stands on every indicator."""
    from .standing import StandingAnalysis

    register(StandingAnalysis())


@hookimpl
def silk_add_cli_commands(cli: click.Group) -> None:
    """``silk indicators``, imported when it is run."""
    summary = "SILK Tool 3: the indicators to follow in each phase."
    cli.add_command(lazy_command("indicators", "silk_indicators.standing:indicators_command", summary))

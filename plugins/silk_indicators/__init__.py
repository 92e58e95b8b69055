"""SILK Tool 3: indicators to follow in each phase (framework ``silk.indicators``).

Registers the 36 indicators of the report's second table, with exact computations for the
figures (growth rates, margins, market share, penetration rate...), the catalogue as a
framework, the "where does the organisation stand" analysis, and ``silk indicators``.
"""

from __future__ import annotations

from silkcore import RegisterAnalysis, RegisterFramework, RegisterIndicator, hookimpl

from .catalogue import definitions, framework
from .report import IndicatorsSection
from .standing import StandingAnalysis, indicators_command


@hookimpl
def silk_register_report_sections(register):  # type: ignore[no-untyped-def]
    """This plugin's report section."""
    register(IndicatorsSection())


@hookimpl
def silk_register_frameworks(register: RegisterFramework) -> None:
    """The catalogue as a framework (categories are the four phases)."""
    register(framework())


@hookimpl
def silk_register_indicators(register: RegisterIndicator) -> None:
    """Each indicator with its compute function."""
    for definition, compute in definitions():
        register(definition, compute=compute)


@hookimpl
def silk_register_analyses(register: RegisterAnalysis) -> None:
    """Where an organisation stands on every indicator."""
    register(StandingAnalysis())


@hookimpl
def silk_add_cli_commands(cli):  # type: ignore[no-untyped-def]
    """``silk indicators``."""
    cli.add_command(indicators_command)

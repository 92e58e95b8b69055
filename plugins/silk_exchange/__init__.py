"""Flows and sovereign exchange: flow analysis, spreadsheets, envelopes, ValueFlows, Murmurations.

Registers the ``flows.matrix`` analysis, ``silk flows``, and the formats for ``silk export``
and ``silk import``: ``envelope`` (sharing rules enforced), ``flows-csv``, ``valueflows``
(JSON-LD) and ``murmurations`` (public organisation profiles). The modules doing the work are
imported by the hooks that need them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from silkcore import RegisterAnalysis, RegisterExporter, RegisterImporter, RegisterSchema, hookimpl, lazy_command

if TYPE_CHECKING:
    import click


class FlowMatrix:
    """Analysis ``flows.matrix``: the organisation's flows by kind and direction."""

    id = "flows.matrix"

    def run(self, documents: Sequence[Any]) -> dict[str, Any]:
        """Analyse the flows of the organisation among ``documents``."""
        from silkcore import Flow, Organisation, analyse_flows

        organisation = next((d for d in documents if isinstance(d, Organisation)), None)
        if organisation is None:
            return {"error": "no organisation document to take as the focal organisation"}
        return analyse_flows([d for d in documents if isinstance(d, Flow)], organisation.org_id).to_json()


@hookimpl
def silk_register_report_sections(register):  # type: ignore[no-untyped-def]
    """This plugin's report section."""
    from .report import FlowsSection

    register(FlowsSection())


@hookimpl
def silk_register_analyses(register: RegisterAnalysis) -> None:
    """The flow matrix."""
    register(FlowMatrix())


@hookimpl
def silk_register_schemas(register: RegisterSchema) -> None:
    """The companion document of the Murmurations importer (scope, free tags, relationships)."""
    from .murmurations import EXTRAS_SCHEMA

    register(EXTRAS_SCHEMA)


@hookimpl
def silk_register_exporters(register: RegisterExporter) -> None:
    """Envelope, ValueFlows and Murmurations outputs."""
    from .envelopes import EnvelopeExporter
    from .murmurations import MurmurationsExporter
    from .valueflows import ValueFlowsExporter

    register(EnvelopeExporter())
    register(ValueFlowsExporter())
    register(MurmurationsExporter())


@hookimpl
def silk_register_importers(register: RegisterImporter) -> None:
    """Envelope, CSV, ValueFlows and Murmurations inputs."""
    from .csv_flows import FlowsCsvImporter
    from .envelopes import EnvelopeImporter
    from .murmurations import MurmurationsImporter
    from .valueflows_read import ValueFlowsImporter

    register(EnvelopeImporter())
    register(FlowsCsvImporter())
    register(ValueFlowsImporter())
    register(MurmurationsImporter())


@hookimpl
def silk_add_cli_commands(cli: click.Group) -> None:
    """``silk flows``, imported when it is run."""
    summary = "Internationalisation as flows: goods, services, finance and intangibles, in and out."
    cli.add_command(lazy_command("flows", "silk_exchange.flows_cli:flows_command", summary))

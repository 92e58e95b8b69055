"""Flows and sovereign exchange: flow analysis, spreadsheets, envelopes, ValueFlows, Murmurations.

Registers the ``flows.matrix`` analysis, ``silk flows``, and the formats for ``silk export``
and ``silk import``: ``envelope`` (sharing rules enforced), ``flows-csv``, ``valueflows``
(JSON-LD) and ``murmurations`` (public organisation profiles).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from silkcore import (
    Flow,
    Organisation,
    RegisterAnalysis,
    RegisterExporter,
    RegisterImporter,
    RegisterSchema,
    analyse_flows,
    hookimpl,
)

from .csv_flows import FlowsCsvImporter
from .envelopes import EnvelopeExporter, EnvelopeImporter
from .flows_cli import flows_command
from .murmurations import EXTRAS_SCHEMA, MurmurationsExporter, MurmurationsImporter
from .report import FlowsSection
from .valueflows import ValueFlowsExporter
from .valueflows_read import ValueFlowsImporter


class FlowMatrix:
    """Analysis ``flows.matrix``: the organisation's flows by kind and direction."""

    id = "flows.matrix"

    def run(self, documents: Sequence[Any]) -> dict[str, Any]:
        """Analyse the flows of the organisation among ``documents``."""
        organisation = next((d for d in documents if isinstance(d, Organisation)), None)
        if organisation is None:
            return {"error": "no organisation document to take as the focal organisation"}
        return analyse_flows([d for d in documents if isinstance(d, Flow)], organisation.org_id).to_json()


@hookimpl
def silk_register_report_sections(register):  # type: ignore[no-untyped-def]
    """This plugin's report section."""
    register(FlowsSection())


@hookimpl
def silk_register_analyses(register: RegisterAnalysis) -> None:
    """The flow matrix."""
    register(FlowMatrix())


@hookimpl
def silk_register_schemas(register: RegisterSchema) -> None:
    """The companion document of the Murmurations importer (scope, free tags, relationships)."""
    register(EXTRAS_SCHEMA)


@hookimpl
def silk_register_exporters(register: RegisterExporter) -> None:
    """Envelope, ValueFlows and Murmurations outputs."""
    register(EnvelopeExporter())
    register(ValueFlowsExporter())
    register(MurmurationsExporter())


@hookimpl
def silk_register_importers(register: RegisterImporter) -> None:
    """Envelope, CSV, ValueFlows and Murmurations inputs."""
    register(EnvelopeImporter())
    register(FlowsCsvImporter())
    register(ValueFlowsImporter())
    register(MurmurationsImporter())


@hookimpl
def silk_add_cli_commands(cli):  # type: ignore[no-untyped-def]
    """``silk flows``."""
    cli.add_command(flows_command)

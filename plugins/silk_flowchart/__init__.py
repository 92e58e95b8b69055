"""SILK Tool 1: the decision flow chart (framework ``silk.flowchart``).

The flow chart's picture was lost from the report; ``flowchart.yaml`` rebuilds it as a
decision graph (sourced line by line and marked as the project's interpretation). ``silk
guide`` walks it; the exporters draw it as Mermaid or Graphviz DOT. The framework is
registered with its id, so the file is read only when a command first needs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from silkcore import RegisterExporter, RegisterFramework, hookimpl

FRAMEWORK_FILE = Path(__file__).with_name("flowchart.yaml")
FRAMEWORK_ID = "silk.flowchart"


class _GraphExporter:
    """Draws the decision graph of each framework given."""

    def __init__(self, format_id: str, media_type: str, render: Any) -> None:
        self.id = format_id
        self.media_type = media_type
        self._render = render

    def export(self, documents: Sequence[Any], **options: str) -> bytes:
        from silkcore import Framework

        frameworks = [d for d in documents if isinstance(d, Framework)]
        if not frameworks:
            raise ValueError(f"the {self.id} format draws frameworks that have a decision graph")
        return "".join(self._render(f) for f in frameworks).encode("utf-8")


@hookimpl
def silk_register_report_sections(register):  # type: ignore[no-untyped-def]
    """This plugin's report section."""
    from .report import FlowchartSection

    register(FlowchartSection())


@hookimpl
def silk_register_frameworks(register: RegisterFramework) -> None:
    """The flow chart from its data file (read on first use)."""
    register(FRAMEWORK_FILE, id=FRAMEWORK_ID)


@hookimpl
def silk_register_exporters(register: RegisterExporter) -> None:
    """Mermaid and Graphviz DOT drawings of any framework with a decision graph."""
    from silkcore import to_dot, to_mermaid

    register(_GraphExporter("mermaid", "text/vnd.mermaid", to_mermaid))
    register(_GraphExporter("dot", "text/vnd.graphviz", to_dot))

"""Drawing a framework's decision graph as Mermaid or Graphviz DOT text."""

from __future__ import annotations

import re

from ._framework import EdgeKind, Framework, Graph, Node, NodeKind

__all__ = ["to_dot", "to_mermaid"]


def _graph(framework: Framework) -> Graph:
    if framework.graph is None:
        raise ValueError(f"framework {framework.id!r} has no decision graph")
    return framework.graph


def _text(texts: dict[str, str] | None, language: str) -> str:
    if not texts:
        return ""
    return texts.get(language) or next(iter(texts.values()))


_NOT_PLAIN = re.compile(r"[^A-Za-z0-9]")


def _safe(identifier: str) -> str:
    """``identifier`` in letters and digits only, one to one: every other character (``_``
    included) becomes ``_HEX_``, so ``a-b`` and ``a_b`` stay two ids."""
    return _NOT_PLAIN.sub(lambda m: f"_{ord(m.group()):x}_", identifier)


def _mermaid_id(node_id: str) -> str:
    """A node's Mermaid id: ``n_`` keeps nodes apart from phases (``c_``), which share one
    namespace in Mermaid - a node called like a category would otherwise be its subgraph."""
    return "n_" + _safe(node_id)


def _mermaid_phase_id(category_id: str) -> str:
    return "c_" + _safe(category_id)


def _mermaid_label(text: str) -> str:
    # Mermaid reads #quot; and friends as entities inside quoted labels.
    return text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


_MERMAID_SHAPES = {
    NodeKind.DECISION: ('{"', '"}'),
    NodeKind.END: ('(["', '"])'),
    NodeKind.PHASE: ('[["', '"]]'),
    NodeKind.QUESTION: ('["', '"]'),
}


def _mermaid_node(node: Node, language: str) -> str:
    left, right = _MERMAID_SHAPES[node.kind]
    return f"{_mermaid_id(node.id)}{left}{_mermaid_label(_text(node.title, language))}{right}"


def to_mermaid(framework: Framework, language: str = "en") -> str:
    """A Mermaid ``flowchart`` with one subgraph per phase; back edges are dotted."""
    graph = _graph(framework)
    lines = ["flowchart TD"]
    phases = [c.id for c in framework.categories]
    for phase in [*phases, None]:
        members = [n for n in graph.nodes if n.phase == phase]
        if not members:
            continue
        if phase is not None:
            title = _mermaid_label(_text(framework.category(phase).title, language))
            lines.append(f'  subgraph {_mermaid_phase_id(phase)}["{title}"]')
        lines += [f"    {_mermaid_node(n, language)}" for n in members]
        if phase is not None:
            lines.append("  end")
    for edge in graph.edges:
        arrow = "-.->" if edge.kind == EdgeKind.BACK else "-->"
        label = _text(edge.label, language)
        label_part = f'|"{_mermaid_label(label)}"|' if label else ""
        lines.append(f"  {_mermaid_id(edge.from_)} {arrow}{label_part} {_mermaid_id(edge.to)}")
    return "\n".join(lines) + "\n"


def _dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _dot_node(node_id: str) -> str:
    """A node's DOT id, apart from the clusters' (``cluster_...``) whatever the node is called."""
    return _dot_string("node:" + node_id)


_DOT_SHAPES = {NodeKind.DECISION: "diamond", NodeKind.END: "oval", NodeKind.PHASE: "box3d", NodeKind.QUESTION: "box"}


def to_dot(framework: Framework, language: str = "en") -> str:
    """A Graphviz ``digraph`` with one cluster per phase; back edges are dashed."""
    graph = _graph(framework)
    lines = [f"digraph {_dot_string(framework.id)} {{", "  rankdir=TB;", '  node [fontname="Helvetica"];']
    for index, category in enumerate(framework.categories):
        members = [n for n in graph.nodes if n.phase == category.id]
        if not members:
            continue
        lines.append(f"  subgraph cluster_{index} {{")
        lines.append(f"    label={_dot_string(_text(category.title, language))};")
        lines += [
            f"    {_dot_node(n.id)} [label={_dot_string(_text(n.title, language))}, shape={_DOT_SHAPES[n.kind]}];"
            for n in members
        ]
        lines.append("  }")
    for node in graph.nodes:
        if node.phase is None:
            lines.append(
                f"  {_dot_node(node.id)} [label={_dot_string(_text(node.title, language))}, shape={_DOT_SHAPES[node.kind]}];"
            )
    for edge in graph.edges:
        attributes = [f"label={_dot_string(_text(edge.label, language))}"] if edge.label else []
        if edge.kind == EdgeKind.BACK:
            attributes.append("style=dashed")
        suffix = f" [{', '.join(attributes)}]" if attributes else ""
        lines.append(f"  {_dot_node(edge.from_)} -> {_dot_node(edge.to)}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"

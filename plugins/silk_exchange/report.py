"""The flows' report section: the kinds x directions matrix and a flow diagram."""

from __future__ import annotations

from silkcore import FLOW_KINDS as KINDS
from silkcore import Direction, Flow, analyse_flows
from silkcore.report import ReportContext, SectionContent, diverging_bars, fragment, heatmap


class FlowsSection:
    """Section ``silk.flows``: counts by kind and direction, money per currency, balance."""

    id = "silk.flows"
    order = 40

    def render(self, context: ReportContext) -> SectionContent | None:
        """The organisation's flows, drawn two ways."""
        flows = context.of_type(Flow)
        if not flows or context.organisation is None:
            return None
        result = analyse_flows(flows, context.organisation.org_id)
        if not result.flows:
            return None
        kinds = [k.value for k in KINDS]
        inward = [result.matrix[(k, Direction.INWARD)].count for k in KINDS]
        outward = [result.matrix[(k, Direction.OUTWARD)].count for k in KINDS]
        alt = "Flows by kind: " + ", ".join(f"{k} {i} in / {o} out" for k, i, o in zip(kinds, inward, outward, strict=True))
        matrix_chart = heatmap(
            kinds, ["inward", "outward"], [[i, o] for i, o in zip(inward, outward, strict=True)], "Matrix of flows. " + alt
        )
        diagram = diverging_bars(kinds, inward, outward, "Flow diagram. " + alt, left_label="inward", right_label="outward")
        money = [
            f"{kind.value} {direction.value}: "
            + ", ".join(f"{v:,.2f} {c}" for c, v in sorted(result.matrix[(kind, direction)].money.items()))
            for kind in KINDS
            for direction in (Direction.INWARD, Direction.OUTWARD)
            if result.matrix[(kind, direction)].money
        ]
        html = fragment(
            """<p>{{ n }} flows with {{ partners }} partners in {{ countries }}. Intangible share: {{ share }}.
Balance (outward - inward) / all: {{ balance }} (+1 all outward, -1 all inward).</p>
<figure>{{ matrix|safe }}</figure><figure>{{ diagram|safe }}</figure>
{% if money %}<p>Money, never summed across currencies:</p>
<ul>{% for m in money %}<li>{{ m }}</li>{% endfor %}</ul>{% endif %}""",
            n=result.flows,
            partners=len(result.partners),
            countries=", ".join(result.countries) or "-",
            share="-" if result.intangible_share is None else f"{result.intangible_share:.0%}",
            balance="-" if result.balance is None else f"{result.balance:+.2f}",
            matrix=matrix_chart,
            diagram=diagram,
            money=money,
        )
        markdown = f"{result.flows} flows; intangible share {result.intangible_share}; balance {result.balance}.\n" + alt
        return SectionContent("Internationalisation flows", html, markdown, charts=2)

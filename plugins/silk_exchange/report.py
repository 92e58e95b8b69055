"""The flows' report section: the kinds x directions matrix and a flow diagram."""

from __future__ import annotations

from silkcore import FLOW_KINDS as KINDS
from silkcore import Direction, Flow, analyse_flows
from silkcore.report import ReportContext, SectionContent, diverging_bars, fragment, heatmap


def _(message: str) -> str:
    """Mark a message for extraction (translated where it is shown, by ``context.gettext``)."""
    return message


# The flow kinds and directions as the report names them (their codes, in English).
KIND_NAMES = {"goods": _("goods"), "services": _("services"), "finance": _("finance"), "intangible": _("intangible")}
# A kind of flow in one direction, as the money lines name it ("goods inward").
MONEY_FLOWS = {"inward": _("%(kind)s inward"), "outward": _("%(kind)s outward")}


class FlowsSection:
    """Section ``silk.flows``: counts by kind and direction, money per currency, balance."""

    id = "silk.flows"
    order = 40

    def render(self, context: ReportContext) -> SectionContent | None:
        """The organisation's flows, drawn two ways, in ``context.language``."""
        flows = context.of_type(Flow)
        if not flows or context.organisation is None:
            return None
        result = analyse_flows(flows, context.organisation.org_id)
        if not result.flows:
            return None
        _ = context.gettext
        kinds = [_(KIND_NAMES.get(k.value, k.value)) for k in KINDS]
        inward_name, outward_name = _("inward"), _("outward")
        inward = [result.matrix[(k, Direction.INWARD)].count for k in KINDS]
        outward = [result.matrix[(k, Direction.OUTWARD)].count for k in KINDS]
        alt = _("Flows by kind: %(counts)s") % {
            "counts": ", ".join(
                _("%(kind)s %(inward)s in / %(outward)s out") % {"kind": k, "inward": i, "outward": o}
                for k, i, o in zip(kinds, inward, outward, strict=True)
            )
        }
        matrix_chart = heatmap(
            kinds,
            [inward_name, outward_name],
            [[i, o] for i, o in zip(inward, outward, strict=True)],
            _("Matrix of flows. %(alt)s") % {"alt": alt},
        )
        diagram = diverging_bars(
            kinds, inward, outward, _("Flow diagram. %(alt)s") % {"alt": alt}, left_label=inward_name, right_label=outward_name
        )
        money = [
            _("%(flow)s: %(amounts)s")
            % {
                "flow": _(MONEY_FLOWS[direction.value]) % {"kind": _(KIND_NAMES.get(kind.value, kind.value))},
                "amounts": ", ".join(f"{v:,.2f} {c}" for c, v in sorted(result.matrix[(kind, direction)].money.items())),
            }
            for kind in KINDS
            for direction in (Direction.INWARD, Direction.OUTWARD)
            if result.matrix[(kind, direction)].money
        ]
        share = "-" if result.intangible_share is None else f"{result.intangible_share:.0%}"
        balance = "-" if result.balance is None else f"{result.balance:+.2f}"
        html = fragment(
            """<p>{{ counts }}
{{ balance }}</p>
<figure>{{ matrix|safe }}</figure><figure>{{ diagram|safe }}</figure>
{% if money %}<p>{{ money_title }}</p>
<ul>{% for m in money %}<li>{{ m }}</li>{% endfor %}</ul>{% endif %}""",
            counts=_("%(count)s flows with %(partners)s partners in %(countries)s. Intangible share: %(share)s.")
            % {
                "count": result.flows,
                "partners": len(result.partners),
                "countries": ", ".join(result.countries) or "-",
                "share": share,
            },
            balance=_("Balance (outward - inward) / all: %(balance)s (+1 all outward, -1 all inward).") % {"balance": balance},
            matrix=matrix_chart,
            diagram=diagram,
            money_title=_("Money, never summed across currencies:"),
            money=money,
        )
        markdown = (
            _("%(count)s flows; intangible share %(share)s; balance %(balance)s.")
            % {"count": result.flows, "share": result.intangible_share, "balance": result.balance}
            + "\n"
            + alt
        )
        return SectionContent(_("Internationalisation flows"), html, markdown, charts=2)

"""Scoring flows as a stream: each flow's place in the kinds x directions matrix, and running
totals over any number of flows in constant memory.

A flow's score says where it falls for its own focal organisation: its kind, its direction
(derived from provider and receiver, as in :mod:`silkcore._flows`) and its amount. The tally
adds scores up per (kind, direction) cell: a count, and money per currency - never summed
across currencies. Flows without a focal organisation are counted apart as *unplaced*.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ._flows import balance, decimals_json, intangible_share
from ._model import Direction, Flow, FlowKind

__all__ = ["FlowTally", "flow_score"]

_ZERO = Decimal(0)


def _plain(exact: Decimal) -> str:
    """An amount in plain notation (``format(exact, "f")``, which ``str`` gives faster unless
    the number needs an exponent)."""
    text = str(exact)
    return text if "E" not in text else format(exact, "f")


def flow_score(flow: Flow) -> dict[str, Any]:
    """The flow's cell and amount, as JSON."""
    focal = flow.focal_organisation
    direction = flow.direction_for(focal) if focal is not None else None
    amount = flow.amount
    return {
        "flow_id": flow.flow_id,
        "kind": flow.kind._value_,  # the code; ``.value`` is a slower property
        "direction": None if direction is None else direction._value_,
        "amount": None if amount is None else {"amount": _plain(amount.amount), "currency": amount.currency},
    }


class FlowTally:
    """Running totals of flow scores: bounded by kinds x directions x currencies."""

    def __init__(self) -> None:
        self._cells: dict[tuple[str, str], list[Any]] = {}  # cell -> [count, {currency: total}]
        self.unplaced = 0

    def add(self, score: dict[str, Any]) -> None:
        """Add one flow score (as made by :func:`flow_score`)."""
        direction = score["direction"]
        if direction is None:
            self.unplaced += 1
            return
        cell = self._cells.get((score["kind"], direction))
        if cell is None:
            cell = self._cells[score["kind"], direction] = [0, {}]
        cell[0] += 1
        amount = score["amount"]
        if amount is not None:
            money = cell[1]
            currency = amount["currency"]
            money[currency] = money.get(currency, _ZERO) + Decimal(amount["amount"])

    def merge(self, other: FlowTally) -> None:
        """Add another tally's totals (a worker's chunk) to this one."""
        self.unplaced += other.unplaced
        for cell, (count, money) in other._cells.items():
            mine = self._cells.setdefault(cell, [0, {}])
            mine[0] += count
            for currency, total in money.items():
                mine[1][currency] = mine[1].get(currency, _ZERO) + total

    def to_json(self) -> dict[str, Any]:
        """The matrix, the intangible share and the balance, defined as in :mod:`silkcore._flows`."""
        counts = {cell: count for cell, (count, _) in self._cells.items()}
        outward = sum(n for (_, d), n in counts.items() if d == Direction.OUTWARD.value)
        inward = sum(n for (_, d), n in counts.items() if d == Direction.INWARD.value)
        intangible = sum(n for (k, _), n in counts.items() if k == FlowKind.INTANGIBLE.value)
        share = intangible_share(intangible, sum(counts.values()))
        flows_balance = balance(outward, inward)
        return {
            "flows": sum(counts.values()) + self.unplaced,
            "unplaced": self.unplaced,
            "matrix": [
                {
                    "kind": kind,
                    "direction": direction,
                    "count": count,
                    "money": decimals_json(self._cells[kind, direction][1]),
                }
                for (kind, direction), count in sorted(counts.items())
            ],
            "intangible_share": None if share is None else format(share, "f"),
            "balance": None if flows_balance is None else format(flows_balance, "f"),
        }

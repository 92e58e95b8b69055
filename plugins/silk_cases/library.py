"""The case library: the report's cases as validated ``Case`` documents."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from silkcore import PLUGIN_DATA_LIMITS, Approach, Case, CaseFlow, load_document, read_plugin_data

DATA = Path(__file__).with_name("data")
FLOW_BASIS_FILE = DATA / "flow_basis.yaml"
FLOW_BASES = ("report", "inferred", "project")
# Marks on a flow classification in the text and HTML views (the JSON gives basis and reason).
FLOW_MARKS = {"inferred": "~", "project": "*"}
FLOW_LEGEND = (
    "~ flow classification inferred: the project's reading of the report, not stated by it; "
    "* the project's own choice. `silk cases show CASE_ID --flows` gives each reason."
)
TOOL4_ORDER = (
    "koica",
    "equal_exchange",
    "coopcycle",
    "coopcycle_mexico",
    "development_alternatives",
    "mce_conseils",
    "mondragon",
    "social_enterprise_academy",
)


@cache
def all_cases() -> tuple[Case, ...]:
    """Every case file, validated against ``silkcore_case``; the Tool 4 cases first, in the table's order."""
    loaded = []
    for path in sorted(DATA.glob("*.json")):
        case = load_document(path, limits=PLUGIN_DATA_LIMITS)  # the plugin's own data: not the user's limits
        assert isinstance(case, Case)
        loaded.append(case)
    order = {case_id: index for index, case_id in enumerate(TOOL4_ORDER)}
    return tuple(sorted(loaded, key=lambda c: (order.get(c.case_id, len(order)), c.kind, c.case_id)))


def case(case_id: str) -> Case:
    """One case by id; KeyError if unknown."""
    for found in all_cases():
        if found.case_id == case_id:
            return found
    raise KeyError(case_id)


def cases_using(approaches: Iterable[Approach]) -> list[Case]:
    """Cases that used any of ``approaches``."""
    wanted = set(approaches)
    return [c for c in all_cases() if c.approaches() & wanted]


def flow_label(flow: CaseFlow) -> str:
    """A flow's classification as the basis file names it: ``finance inward``, ``intangible outward (skills)``."""
    label = f"{flow.kind.value} {flow.direction.value}"
    return f"{label} ({flow.intangible_type.value})" if flow.intangible_type is not None else label


def check_flow_bases(bases: dict[str, list[dict[str, Any]]], cases: Iterable[Case]) -> None:
    """Every flow of every case has a basis (report, inferred, project) and a one-line reason, in
    the case file's order and naming the same classification; a report basis cites its line.
    ValueError otherwise, so no classification is shown without saying whose it is."""
    flows = {c.case_id: c.flows for c in cases if c.flows}
    if stray := sorted(set(bases) - set(flows)):
        raise ValueError(f"flow_basis.yaml: no flows to mark for {', '.join(stray)}")
    for case_id, case_flows in flows.items():
        entries = bases.get(case_id) or []
        if len(entries) != len(case_flows):
            raise ValueError(f"flow_basis.yaml: {case_id} has {len(case_flows)} flows but {len(entries)} entries")
        for number, (flow, entry) in enumerate(zip(case_flows, entries, strict=True), 1):
            where = f"flow_basis.yaml: {case_id} flow {number}"
            if entry.get("flow") != flow_label(flow):
                raise ValueError(f"{where} is {flow_label(flow)!r}, the entry names {entry.get('flow')!r}")
            if entry.get("basis") not in FLOW_BASES:
                raise ValueError(f"{where}: basis must be one of {', '.join(FLOW_BASES)}, not {entry.get('basis')!r}")
            reason = entry.get("reason")
            if not isinstance(reason, str) or not reason.strip() or "\n" in reason:
                raise ValueError(f"{where}: reason must be one non-empty line")
            if entry["basis"] == "report" and "line" not in reason.lower():
                raise ValueError(f"{where}: a report basis names the line it is read from")


@cache
def flow_bases() -> dict[str, tuple[dict[str, str], ...]]:
    """Each case's flow classifications with their basis and reason, in the order of its flows
    (read from ``flow_basis.yaml`` and checked against the case files)."""
    data: dict[str, list[dict[str, Any]]] = read_plugin_data(FLOW_BASIS_FILE)
    check_flow_bases(data, all_cases())
    return {case_id: tuple(dict(e) for e in entries) for case_id, entries in data.items()}


def flows_with_basis(case: Case) -> list[dict[str, Any]]:
    """A case's flows as JSON objects, each with its ``basis`` and ``reason``."""
    rows = []
    for flow, entry in zip(case.flows, flow_bases().get(case.case_id, ()), strict=True):
        row: dict[str, Any] = {"flow": entry["flow"], "kind": flow.kind.value, "direction": flow.direction.value}
        if flow.intangible_type is not None:
            row["intangible_type"] = flow.intangible_type.value
        row |= {"description": flow.description, "source": flow.source, "basis": entry["basis"], "reason": entry["reason"]}
        rows.append(row)
    return rows


def pair_basis(case: Case, pair: tuple[Any, Any]) -> str:
    """The basis of a case's (kind, direction) pair: ``report`` when any flow of that pair is stated
    by the report, else the project's reading (``inferred``) or choice (``project``)."""
    found = {
        entry["basis"]
        for flow, entry in zip(case.flows, flow_bases().get(case.case_id, ()), strict=True)
        if (flow.kind, flow.direction) == pair
    }
    return next((b for b in FLOW_BASES if b in found), "report")

"""The case library: the report's cases as validated ``Case`` documents."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

from silkcore import Approach, Case, load_document

DATA = Path(__file__).with_name("data")
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
        case = load_document(path)
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

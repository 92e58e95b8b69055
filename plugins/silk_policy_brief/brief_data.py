"""Tool 6 as data: recommendations, lessons, drivers, barriers, good practices and policies."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from silkcore import Policy, load_document

DATA = Path(__file__).with_name("data")


@cache
def brief() -> dict[str, Any]:
    """The policy brief file, parsed once."""
    data: dict[str, Any] = yaml.safe_load((DATA / "policy_brief.yaml").read_text(encoding="utf-8"))
    return data


@cache
def policies() -> tuple[Policy, ...]:
    """The report's analysed policies and the scoping paper's others, as validated Policy documents."""
    found = []
    for path in sorted((DATA / "policies").glob("*.json")):
        policy = load_document(path)
        assert isinstance(policy, Policy)
        found.append(policy)
    return tuple(found)


def recommendation(recommendation_id: str) -> dict[str, Any]:
    """One recommendation by id (r1..r6)."""
    for rec in brief()["recommendations"]:
        if rec["id"] == recommendation_id:
            return dict(rec)
    raise KeyError(recommendation_id)

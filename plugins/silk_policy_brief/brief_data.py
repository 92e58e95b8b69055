"""Tool 6 as data: recommendations, lessons, drivers, barriers, good practices and policies."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from silkcore import Policy, load_document, read_plugin_data

DATA = Path(__file__).with_name("data")


WORDINGS = ("verbatim", "paraphrase")


def check_good_practices(items: list[dict[str, Any]]) -> None:
    """Every good practice says whether its text is the report's (``verbatim``) or condensed in
    the project's words (``paraphrase``), and a paraphrase says in one line what was changed:
    ValueError otherwise, so no view can present a paraphrase as the report's words."""
    for item in items:
        where = f"policy_brief.yaml good practice {item.get('id', '?')}"
        wording = item.get("wording")
        if wording not in WORDINGS:
            raise ValueError(f"{where}: wording must be one of {', '.join(WORDINGS)}, not {wording!r}")
        reason = item.get("wording_reason")
        if reason is not None and (not isinstance(reason, str) or not reason.strip() or "\n" in reason):
            raise ValueError(f"{where}: wording_reason must be one non-empty line")
        if wording == "paraphrase" and reason is None:
            raise ValueError(f"{where}: a paraphrase needs a wording_reason saying what was shortened or left out")


@cache
def brief() -> dict[str, Any]:
    """The policy brief file, parsed once and checked (every good practice's wording)."""
    data: dict[str, Any] = read_plugin_data(DATA / "policy_brief.yaml")
    check_good_practices(data["good_practices"])
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

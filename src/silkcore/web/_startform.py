"""The start forms' fields: reading what was posted, and the state a new questionnaire begins with.

A start form names the organisation (its name; optionally its id - a ``urn:uuid:`` one is
made when none is given - its country, SSE family, sector and approaches, which find
similar cases and strategy options) and the respondent (role, optional name) or, for a
team, the coordinator (optional name). Each problem is an English msgid by field name,
shown beside its field and in the error summary.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ._choices import APPROACHES, FAMILIES, ROLES
from ._i18n import N_, countries
from ._security import new_token
from ._storage import PAYLOAD_SCHEMA, utc_stamp

__all__ = ["FIELDS", "LABELS", "StartForm", "new_state", "organisation_of", "read_start_form", "subject_of"]

#: The fields in the order the forms show them (the error summary follows it).
FIELDS = (
    "framework_file",
    "org_name",
    "org_id",
    "country",
    "sse_family",
    "sector",
    "approaches",
    "respondent_name",
    "role",
    "coordinator_name",
)
#: Each field's label, as the forms and the error summary show it.
LABELS = {
    "framework_file": N_("Framework file"),
    "org_name": N_("Name of the organisation"),
    "org_id": N_("Identifier of the organisation"),
    "country": N_("Country"),
    "sse_family": N_("Family of the Social and Solidarity Economy"),
    "sector": N_("Sector of activity"),
    "approaches": N_("Ways of going international you use or are considering"),
    "respondent_name": N_("Your name"),
    "role": N_("Your role in the organisation"),
    "coordinator_name": N_("Your name"),
}
_IDENTIFIER = re.compile(r"[^\s\x00-\x1f\ufeff]{1,300}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@attrs.frozen
class StartForm:
    """A start form as posted (``values``, to show again) and its ``problems`` by field."""

    values: dict[str, Any]
    problems: dict[str, str]


def _text(form: Mapping[str, Sequence[str]], name: str) -> str:
    values = form.get(name) or [""]
    return values[0].strip()


def _name(text: str, limit: int, problems: dict[str, str], field: str, required: bool) -> str | None:
    if not text:
        if required:
            problems[field] = N_("Enter the name of the organisation")
        return None
    if len(text) > limit or _CONTROL.search(text):
        problems[field] = N_("Enter a shorter name, without special characters")
        return None
    return text


def read_start_form(form: Mapping[str, Sequence[str]], language: str, *, team: bool) -> StartForm:
    """The fields of a posted start form, and what is wrong with them."""
    problems: dict[str, str] = {}
    values: dict[str, Any] = {name: _text(form, name) for name in FIELDS if name not in ("approaches", "framework_file")}
    values["approaches"] = [a for a in dict.fromkeys(form.get("approaches", ())) if a]
    _name(values["org_name"], 300, problems, "org_name", True)
    if values["org_id"] and not _IDENTIFIER.fullmatch(values["org_id"]):
        problems["org_id"] = N_("Enter an identifier without spaces (up to 300 characters), or leave it empty")
    if values["country"] and values["country"] not in dict(countries(language)):
        problems["country"] = N_("Choose a country from the list")
    if values["sse_family"] and values["sse_family"] not in FAMILIES:
        problems["sse_family"] = N_("Choose a family from the list")
    if values["sector"] and (len(values["sector"]) > 300 or _CONTROL.search(values["sector"])):
        problems["sector"] = N_("Describe the sector in at most 300 characters")
    if any(a not in APPROACHES for a in values["approaches"]):
        problems["approaches"] = N_("Choose approaches from the list")
    person = "coordinator_name" if team else "respondent_name"
    if values[person] and (len(values[person]) > 200 or _CONTROL.search(values[person])):
        problems[person] = N_("Enter a name of at most 200 characters, or leave it empty")
    if not team and values["role"] not in ROLES:
        problems["role"] = N_("Choose your role in the organisation")
    return StartForm(values, problems)


def subject_of(values: Mapping[str, Any]) -> dict[str, Any]:
    """The organisation reference a start form gives (an id made when none was given)."""
    subject: dict[str, Any] = {"org_id": values["org_id"] or f"urn:uuid:{uuid.uuid4()}", "name": values["org_name"]}
    if values["country"]:
        subject["country"] = values["country"]
    return subject


def organisation_of(values: Mapping[str, Any]) -> dict[str, Any]:
    """The optional facts about the organisation a start form gives."""
    found: dict[str, Any] = {}
    if values["sse_family"]:
        found["sse_family"] = values["sse_family"]
    if values["sector"]:
        found["sector"] = values["sector"]
    if values["approaches"]:
        found["approaches"] = list(values["approaches"])
    return found


def new_state(kind: str, framework: Mapping[str, Any], subject: Mapping[str, Any], language: str, **extra: Any) -> dict[str, Any]:
    """The first saved state of a questionnaire record (``respondent``, ``team`` or
    ``invitation``), with a CSRF secret of its own."""
    state: dict[str, Any] = {
        "schema": PAYLOAD_SCHEMA,
        "kind": kind,
        "created_at": utc_stamp(),
        "language": language,
        "framework": dict(framework),
        "subject": dict(subject),
        "csrf": new_token(),
    }
    state.update({key: value for key, value in extra.items() if value not in (None, {}, [])})
    return state

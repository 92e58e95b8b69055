"""The batch scores a response set as its document, without building its entity; the check
then decides whether the entity would build in its own pass over the answers. These tests hold
that verdict (typed=False) to the one given by building the entity (typed=True), on the golden
response sets and on copies made to trip the entity: evidence, a NUL in text, a lone
surrogate, a list with a repeated choice, an over-long integer, a bad date-time, on known,
unknown and repeated items."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path
from typing import Any

import pytest

from silkcore import build_catalog
from silkcore._documents import check
from silkcore._errors import DataError

GOLDEN = Path(__file__).resolve().parent / "golden"
MANIFEST: dict[str, Any] = json.loads((GOLDEN / "manifest.json").read_text(encoding="utf-8"))


def golden_sets() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for entry in MANIFEST["responses"]:
        text = gzip.decompress((GOLDEN / f"{entry['name']}.in.jsonl.gz").read_bytes()).decode("utf-8")
        for line in text.splitlines():
            try:
                doc = json.loads(line)
            except ValueError:
                continue
            if isinstance(doc, dict) and isinstance(doc.get("responses"), list):
                found.append((entry["framework"], doc))
    return found


TRIPS: list[tuple[str, Any]] = [
    ("evidence", None),
    ("value", "text with a \x00 inside"),
    ("value", "a lone \ud800 surrogate"),
    ("value", ["a", "a"]),
    ("value", 10**5000),
    ("value", float("nan")),
    ("collected_at", "2026-13-45T99:00:00Z"),
]


def tripped(doc: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A copy of ``doc`` with one thing the entity refuses (or builds only the long way)."""
    copy = json.loads(json.dumps(doc))
    field, value = rng.choice(TRIPS)
    if field == "collected_at":
        copy["collected_at"] = value
        return copy
    responses = copy["responses"] or [{"item_id": "x"}]
    copy["responses"] = responses
    response = rng.choice(responses)
    where = rng.choice(["known", "unknown", "repeated"])
    if where == "unknown":
        response = dict(response, item_id="no.such.item")
        responses.append(response)
    elif where == "repeated":
        response = dict(response)
        responses.append(response)
    if field == "evidence":
        response["evidence"] = [{"kind": "document", "description": "minutes of the board"}]
    else:
        response.pop("status", None)
        response["value"] = value
    return copy


def verdict(doc: dict[str, Any], frameworks: Any, typed: bool) -> tuple[bool, list[tuple[str, str]]]:
    """Refused or not, and why: the issues check() returns, or those of the DataError it raises
    when the entity cannot be built."""
    try:
        entity, issues = check(dict(doc), frameworks=frameworks, typed=typed)
    except DataError as exc:
        entity, issues = None, list(exc.errors)
    return entity is None, [(i.pointer, i.message) for i in issues]


@pytest.fixture(scope="module")
def catalog() -> Any:
    return build_catalog()


def test_the_verdict_without_the_entity_is_the_verdict_with_it(catalog: Any) -> None:
    rng = random.Random(20)
    sets = golden_sets()
    assert len(sets) > 300
    compared = refused = 0
    for framework_ref, doc in sets:
        framework = catalog.resolve_framework(framework_ref)
        for frameworks in (catalog.framework_resolver(framework), None):
            for candidate in (doc, tripped(doc, rng), tripped(doc, rng)):
                untyped = verdict(candidate, frameworks, typed=False)
                assert untyped == verdict(candidate, frameworks, typed=True), candidate
                compared += 1
                refused += untyped[0]
    assert refused > compared // 10  # the trips do trip

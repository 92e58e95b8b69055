"""ReDoS and unsupported regex features in plugin schemas, through silkcore's validation layer.

jsonschema-rs decides (its regex engine does not backtrack, and its fancy-regex fallback has
a backtracking limit); python-jsonschema uses Python's backtracking ``re``. A third-party
schema's ``pattern`` must therefore never reach Python's ``re`` with untrusted text - not even
to explain a failure. silkcore's own patterns are checked here to be safe for ``re``.
"""

from __future__ import annotations

import json
import random
import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from silkcore import SchemaValidationError, hookimpl
from silkcore._documents import load_document, validate
from silkcore._schemas import packaged_schemas, validate_against
from silkcore.testing import catalog_with

from ..conftest import EXAMPLES

NAME = "acme_thing-v1.0.0"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
REDOS = [r"^(a+)+$", r"^(a|aa)+$", r"^(a|a?)+$", r"^(\w+\s?)*$", r"^(([a-z])+.)+[A-Z]([a-z])+$", r"^(a+)+\1$"]


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block (Python's re checks for signals while it backtracks). A guard against
    a hang, not a speed check: catastrophic backtracking on 5,000 characters would run for
    years, a linear match takes milliseconds, so seconds of margin cannot flake."""

    def expire(*_: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def catalog_for(x: dict[str, Any]) -> Any:
    schema = {
        "$schema": DIALECT,
        "$id": f"https://example.org/schemas/{NAME}",
        "type": "object",
        "required": ["schema"],
        "properties": {"schema": {"const": NAME}, "x": x},
        "additionalProperties": False,
    }

    class Plugin:
        __name__ = "acme"

        @hookimpl
        def silk_register_schemas(self, register):  # type: ignore[no-untyped-def]
            register(schema)

    return catalog_with(Plugin())


def pattern_catalog(pattern: str, where: str) -> Any:
    if where == "pattern":
        return catalog_for({"type": "string", "pattern": pattern})
    return catalog_for({"type": "object", "patternProperties": {pattern: {"type": "integer"}}, "additionalProperties": False})


def hostile(where: str, n: int, valid: bool = False) -> dict[str, Any]:
    text = "a" * n + ("" if valid else "!")
    return {"schema": NAME, "x": text if where == "pattern" else {text: 1}}


@pytest.mark.parametrize("where", ["pattern", "patternProperties"])
@pytest.mark.parametrize("pattern", REDOS)
def test_the_verdict_is_fast_at_any_length(pattern: str, where: str) -> None:
    catalog = pattern_catalog(pattern, where)
    assert catalog.failed_plugins() == []
    rs = catalog.schemas.rs_validator(NAME)
    for n in (10, 30, 100, 1000, 5000):
        for valid in (False, True):
            document = hostile(where, n, valid)
            with time_limit(5):
                verdict = rs.is_valid(document)
                issues = catalog.schemas.validate(document, explain="rs")
            assert verdict == (not issues)
            assert all(i.pointer.startswith("/x") for i in issues)


def test_a_thousand_runs_of_random_lengths_never_time_out() -> None:
    catalogs = [pattern_catalog(p, "pattern") for p in REDOS]
    rng = random.Random(1)
    for run in range(1000):
        catalog = catalogs[run % len(catalogs)]
        document = hostile("pattern", rng.randint(10, 5000), valid=rng.random() < 0.5)
        with time_limit(5):
            catalog.schemas.rs_validator(NAME).is_valid(document)


@pytest.mark.parametrize("where", ["pattern", "patternProperties"])
def test_explaining_a_failure_stays_bounded(where: str) -> None:
    catalog = pattern_catalog(r"^(a+)+$", where)
    for n in (30, 5000):
        document = hostile(where, n)
        with time_limit(3):
            issues = validate(document, registry=catalog.schemas)  # the default: python explains
        assert issues
        with time_limit(3), pytest.raises(SchemaValidationError):
            load_document(json.dumps(document).encode(), registry=catalog.schemas)


def test_an_envelope_cannot_carry_a_plugin_payload_past_silkcore_schemas() -> None:
    """So a plugin's pattern never reaches an envelope's payload: payload_schema must name a
    silkcore schema, refused before any payload is looked at."""
    catalog = pattern_catalog(r"^(a+)+$", "pattern")
    envelope = json.loads((EXAMPLES / "documents" / "envelope-network-flow.json").read_text())
    envelope = dict(envelope, payload_schema=NAME, payload=hostile("pattern", 5000))
    with time_limit(3):
        issues = validate(envelope, registry=catalog.schemas)
    assert [i.pointer for i in issues] == ["/payload_schema"]


@pytest.mark.parametrize("pattern", ["[", r"(?P<n>a)(?P=m)", "a{2,1}"])
@pytest.mark.parametrize("where", ["pattern", "patternProperties"])
def test_regex_that_is_not_ecma_262_fails_the_plugin_cleanly(pattern: str, where: str) -> None:
    catalog = pattern_catalog(pattern, where)
    [status] = catalog.plugin_statuses()
    assert status.status == "failed" and status.name == "acme"
    assert NAME in (status.error or "") and "regex" in (status.error or "")
    assert NAME not in catalog.schemas.names()
    [issue] = validate({"schema": NAME, "x": "a"}, registry=catalog.schemas)
    assert issue.pointer == "/schema" and "unknown schema" in issue.message


@pytest.mark.parametrize("pattern", [r"^\p{L}+$", r"^\P{N}+$"])
def test_an_ecma_262_regex_pythons_re_cannot_compile_is_a_valid_plugin_schema(pattern: str) -> None:
    """JSON Schema's patterns are ECMA-262, not Python's ``re``: a Unicode property escape is
    valid, and both engines apply it with the same (linear) regex engine, so they agree."""
    catalog = pattern_catalog(pattern, "pattern")
    [status] = catalog.plugin_statuses()
    assert status.status != "failed", status.error
    for engine in ("rs", "python"):
        assert validate({"schema": NAME, "x": "été"}, registry=catalog.schemas, engine=engine) == []
        [issue] = validate({"schema": NAME, "x": "123"}, registry=catalog.schemas, engine=engine)
        assert issue.pointer == "/x"


def test_unicode_property_escapes_through_validate_against() -> None:
    schema = {"pattern": r"^\p{L}+$"}
    assert validate_against(schema, "été", engine="rs") is True
    assert validate_against(schema, "123", engine="rs") is False
    # The python engine matches patterns with the same ECMA-262 engine, so it agrees.
    assert validate_against(schema, "été", engine="python") is True
    assert validate_against(schema, "123", engine="python") is False


def own_patterns() -> list[str]:
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "pattern" and isinstance(value, str):
                    found.add(value)
                elif key == "patternProperties" and isinstance(value, dict):
                    found.update(value)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(list(packaged_schemas().values()))
    return sorted(found)


@pytest.mark.parametrize("pattern", own_patterns())
def test_silkcore_own_patterns_do_not_backtrack_in_python(pattern: str) -> None:
    """python-jsonschema explains failures against silkcore's schemas with Python's re: each
    pattern must stay fast on long near-misses built from its own alphabet."""
    compiled = re.compile(pattern)
    alphabet = "aA0_-.: /é\t" + "".join(sorted(set(re.sub(r"\\.|[\[\]()^$*+?{}|]", "", pattern))))
    for char in alphabet:
        for unit in (char, char + "-", char + ".", char + " "):
            for tail in ("", "!", "\x00", "\n"):
                text = unit * (5000 // len(unit)) + tail
                with time_limit(2):
                    compiled.search(text)

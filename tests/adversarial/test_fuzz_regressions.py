"""Every crash found by fuzzing (fuzz/fuzz_jsonio.py) or by hand, kept as a regression test.

A crash is any exception other than :class:`silkcore.SilkError` out of the readers of
untrusted bytes. A new crash is added here marked ``xfail(strict=True)`` until its fix lands;
then the marker goes and the input joins ``fuzz/corpus`` as ``regression-<name>``, so every
fuzzing run starts from it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from silkcore._documents import load_document
from silkcore._errors import SilkError
from silkcore._jsonio import load_yaml

from ..conftest import ROOT

_spec = importlib.util.spec_from_file_location("silkcore_fuzz_harness", ROOT / "fuzz" / "harness.py")
assert _spec is not None and _spec.loader is not None
harness: Any = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(harness)

YAML_FIX = "was: a PyYAML constructor error or a non-JSON YAML value escaped load_yaml"
RS_DATE_FIX = "was: jsonschema-rs took '*'..'/' for digits and year 0 in dates, then fastpath raised ValueError"

_FLOW = (
    b'{"schema":"silkcore_flow-v1.0.0","flow_id":"urn:silk:flow:x","status":"observed","kind":"goods",'
    b'"provider":{"org_id":"urn:a"},"receiver":{"org_id":"urn:b"},"period":{"start":"2025-01-0*"}}'
)
_ORG = b"schema: silkcore_organisation-v1.0.0\norg_id: x\nname: n\nsse_family: cooperative\ncountry: FR\n"

CRASHES = {
    # found by atheris: on today's src in 7 s; the date one after 5 min on a copy with the YAML fixed
    "fuzz-yaml-int-key-in-flow-mapping": (b'99oad": {\n99999999999999}', YAML_FIX),
    "fuzz-yaml-lone-question-mark": (b"?", YAML_FIX),
    "flow-date-with-punctuation": (_FLOW, RS_DATE_FIX),
    "flow-date-with-bom": (b"\xef\xbb\xbf" + _FLOW.replace(b"2025-01-0*", b"2025-01-0/"), RS_DATE_FIX),
    "flow-date-year-zero": (_FLOW.replace(b"2025-01-0*", b"0000-01-01"), RS_DATE_FIX),
    # found by hand while seeding the corpus (the YAML road of load_document(bytes))
    "yaml-impossible-date": (b"a: 2001-02-30\n", YAML_FIX),
    "yaml-impossible-datetime": (b"a: 2001-02-30 10:00:00\n", YAML_FIX),
    "yaml-5000-digit-int": (b"a: " + b"9" * 5000 + b"\n", YAML_FIX),
    "yaml-underscored-huge-int": (b"a: 1_0" + b"0" * 5000 + b"\n", YAML_FIX),
    "yaml-bad-explicit-int": (b"a: !!int 'x'\n", YAML_FIX),
    "yaml-bad-explicit-timestamp": (b"a: !!timestamp 'x'\n", YAML_FIX),
    "yaml-list-key": (b"? [1, 2]\n: 3\n", YAML_FIX),
    "yaml-mapping-key": (b"? {a: 1}\n: 3\n", YAML_FIX),
    "yaml-int-key": (b"1: a\n", YAML_FIX),
    "yaml-null-key": (b"null: a\n", YAML_FIX),
    "yaml-date-key": (b"2001-01-01: a\n", YAML_FIX),
    "yaml-date-value-reaches-validator": (_ORG + b"founding_year: 2001-01-01\n", YAML_FIX),
}


@pytest.mark.parametrize(
    "data",
    [pytest.param(data, id=name) for name, (data, _) in CRASHES.items()],
)
def test_fuzz_crash_is_a_silkcore_error(data: bytes) -> None:
    harness.check_one(data)
    with pytest.raises(SilkError):
        load_document(data)


NON_JSON_YAML = {
    "set": b"a: !!set {x}\n",
    "binary": b"a: !!binary aGVsbG8=\n",
    "omap": b"a: !!omap [x: 1]\n",
    "date": b"a: 2001-01-01\n",
    "20-digit-int": b"a: " + b"9" * 20 + b"\n",
    "binary-int": b"a: 0b" + b"1" * 80 + b"\n",
}


@pytest.mark.parametrize("data", list(NON_JSON_YAML.values()), ids=list(NON_JSON_YAML))
def test_yaml_yields_only_what_json_could(data: bytes) -> None:
    """The YAML road must not let through what the JSON road refuses (or cannot express)."""
    try:
        value = load_yaml(data)
    except SilkError:
        return
    assert all(type(v) in (str, bool, type(None)) or (type(v) is int and abs(v) < 10**19) for v in value.values()), value


def test_the_harness_flags_a_crash() -> None:
    """The oracle itself: a non-silkcore exception from a target is a crash."""
    with pytest.raises(AssertionError):
        original = harness.loads

        def broken(*args: Any, **kwargs: Any) -> Any:
            raise AssertionError("planted")

        harness.loads = broken
        try:
            harness.check_one(b"{}")
        finally:
            harness.loads = original


def test_fixed_regressions_seed_the_corpus() -> None:
    corpus = ROOT / "fuzz" / "corpus"
    missing = [name for name, (data, _) in CRASHES.items() if (corpus / f"regression-{name}").read_bytes() != data]
    assert missing == []
    assert Path(harness.__file__).parent == ROOT / "fuzz"


def test_a_lone_surrogate_in_a_key_is_reported_not_crashed_on(tmp_path: Path) -> None:
    """Found by replaying the corpus through ``silk batch``: the error record quoted the key,
    and writing it as UTF-8 raised. Pointers and messages now carry the escape as text."""
    import json

    from ..conftest import run_silk

    source = tmp_path / "hostile.jsonl"
    source.write_text('{"schema": "silkcore_flow-v1.0.0", "\\udc00": 1}\n', encoding="ascii")
    for command in (["batch", "validate", str(source)], ["validate", "--json", str(source)]):
        result = run_silk(*command)
        assert result.returncode in (1, 3) and "Traceback" not in result.stderr, result.stderr
        assert "\\\\udc00" in result.stdout  # the escape, as text
        assert json.loads(result.stdout.splitlines()[0] if command[0] == "batch" else result.stdout)

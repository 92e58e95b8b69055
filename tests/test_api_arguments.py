"""What an embedder passes wrong is a SilkError saying so, never an error from inside
(issue 15's contract: only SilkError subclasses for bad input). Each case here escaped as
AttributeError, TypeError or ValueError before; found by an audit of the public API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import silkcore
from silkcore import DataError, Organisation, SilkError

from .conftest import EXAMPLES

DOCUMENTS = EXAMPLES / "documents"
ENVELOPE = silkcore.load_document(DOCUMENTS / "envelope-network-flow.json")
RESPONSE_SET = silkcore.load_document(sorted((EXAMPLES / "demo" / "response_sets").glob("evaluation-grid-*.json"))[0])
GRID = silkcore.build_catalog().framework("silk.evaluation-grid")
FLOWCHART = silkcore.build_catalog().framework("silk.flowchart")
NAIVE = dt.datetime(2026, 1, 1, 12, 0)  # no time zone
HAND_BUILT = Organisation("urn:silk:org:x", "X", "cooperative", "FR")  # a text where SseFamily belongs

CASES: dict[str, tuple[Callable[[], Any], str]] = {
    "a Path as an issue's source": (lambda: silkcore.parse_json(b"{", source=Path("given.json")), "given.json:1"),
    "dump_document of a hand-built entity with a wrong type": (lambda: silkcore.dump_document(HAND_BUILT), "wrong type"),
    "to_document of a plain mapping": (lambda: silkcore.to_document({"schema": "x"}), "got dict"),
    "dump_document with another indent": (lambda: silkcore.dump_document(ENVELOPE, indent=4), "indent must be 2 or None"),
    "prepare_for at a naive time": (lambda: silkcore.prepare_for(ENVELOPE, "network", now=NAIVE), "time zone"),
    "refusal at a naive time": (lambda: silkcore.refusal(ENVELOPE, "network", now=NAIVE), "time zone"),
    "verify_received at a naive time": (lambda: silkcore.verify_received(ENVELOPE, now=NAIVE), "time zone"),
    "prepare_for given a mapping": (lambda: silkcore.prepare_for({"schema": "x"}, "network"), "envelope must be an Envelope"),
    "migrate_response_set to an id": (lambda: silkcore.migrate_response_set(RESPONSE_SET, "silk.evaluation-grid"), "target"),
    "diff_frameworks of two paths": (lambda: silkcore.diff_frameworks(Path("a.yaml"), Path("b.yaml")), "a must be a Framework"),
    "a Guide of an id": (lambda: silkcore.Guide("silk.flowchart"), "framework must be a Framework"),
    "analyse_flows of mappings": (lambda: silkcore.analyse_flows([{"kind": "goods"}], "urn:x"), "expected a Flow"),
    "read_documents of one path": (lambda: silkcore.read_documents(str(DOCUMENTS / "flow-cotton-import.json")), "a list"),
}


@pytest.mark.parametrize("call", CASES.values(), ids=CASES.keys())
def test_a_wrong_argument_is_a_silk_error_saying_so(call: tuple[Callable[[], Any], str]) -> None:
    function, says = call
    with pytest.raises(SilkError) as caught:
        function()
    assert isinstance(caught.value, DataError) and says in str(caught.value), str(caught.value)


def test_the_right_arguments_still_work() -> None:
    aware = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)
    assert silkcore.refusal(ENVELOPE, "network", now=aware) is None and silkcore.verify_received(ENVELOPE, now=aware) is None
    later = dt.datetime(2029, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=2)))  # after its expiry, in another zone
    assert "expired" in str(silkcore.refusal(ENVELOPE, "network", now=later))
    assert silkcore.dump_document(ENVELOPE, indent=None).startswith('{"schema":"silkcore_envelope-')
    assert silkcore.Guide(FLOWCHART).framework is FLOWCHART
    assert silkcore.read_documents([DOCUMENTS / "flow-cotton-import.json"])[0].kind.value == "goods"
    assert silkcore.migrate_response_set(RESPONSE_SET, GRID) is RESPONSE_SET  # already this version

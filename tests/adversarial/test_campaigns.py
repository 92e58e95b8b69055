"""Property and differential campaigns beyond tests/test_roundtrip.py.

* Parse errors: hostile values (NaN, overflow, huge integers, lone surrogates, NUL, deep
  nesting, duplicate keys) planted at random places of generated documents are reported at
  exactly the planted JSON Pointer - which resolves inside the input - and, in JSON Lines,
  on the planted line.
* Whole pipeline: mutated documents of every kind, envelopes carrying every payload kind
  (with redacted fields) and frameworks go through ``documents.check`` with jsonschema-rs
  deciding and python-jsonschema deciding; the verdicts agree, every pointer resolves, and
  nothing but a silkcore error ever escapes.

hypothesis-jsonschema would generate documents straight from the schemas, but 0.23.1 crashes
with the installed hypothesis 6.170 (``'many' object has no attribute 'more'``) and does not
resolve the cross-schema ``$ref``s; the generated entities of ``silkcore.testing`` stand in.
Example counts follow SILKCORE_HYPOTHESIS_PROFILE (default 200, long 5000).
"""

from __future__ import annotations

import copy
import io
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from silkcore import _model as m
from silkcore._documents import check, to_document
from silkcore._errors import DataError, SilkError
from silkcore._framework import Framework
from silkcore._jsonio import dumps, iter_json_lines, loads
from silkcore._locate import pointer_join
from silkcore._schemas import SchemaRegistry
from silkcore.testing import ENTITY_STRATEGIES, entities

from ..test_roundtrip import paths, resolves

REGISTRY = SchemaRegistry()
#: Each whole-pipeline example runs three validations: an eighth of the profile's examples
#: (25 by default, 625 in the long profile) keeps the default suite quick.
PIPELINE = settings(max_examples=max(10, settings().max_examples // 8))
#: Generating a document of a random kind costs ~40 ms: a quarter of the profile's examples.
PLANTED = settings(max_examples=max(10, settings().max_examples // 4))

# -- helpers ------------------------------------------------------------------------------


def set_at(document: Any, path: tuple[Any, ...], value: Any) -> None:
    node = document
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value


def documents_of(cls: type[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return entities(cls).map(lambda entity: json.loads(dumps(to_document(entity))))


any_document = st.sampled_from(list(ENTITY_STRATEGIES)).flatmap(documents_of)

# -- planted parse errors -----------------------------------------------------------------

#: token -> words the message must contain
VALUE_TOKENS = {
    "NaN": "finite",
    "-Infinity": "finite",
    "1e400": "infinity",
    "-" + "9" * 25: "out of range",
    "1." + "0" * 80: "too long",
    '"\\ud800x"': "surrogate",
    '"a\\u0000b"': "NUL",
}


def not_nested(chosen: list[tuple[Any, ...]]) -> bool:
    return all(a == b or (a[: len(b)] != b and b[: len(a)] != a) for a in chosen for b in chosen)


@st.composite
def planted(draw: st.DrawFn) -> tuple[str, dict[str, str]]:
    """(JSON text, {pointer: words}) with 1-3 hostile values or duplicate keys planted."""
    document = draw(any_document)
    targets = [p for p in paths(document) if p]
    chosen = draw(st.lists(st.sampled_from(targets), min_size=1, max_size=3, unique=True).filter(not_nested))
    expected: dict[str, str] = {}
    replacements: dict[str, str] = {}
    for index, path in enumerate(chosen):
        placeholder = f"@@plant{index}@@"
        kind = draw(st.sampled_from(["value", "value", "duplicate", "nul-key"]))
        node: Any = document
        for step in path[:-1]:
            node = node[step]
        if kind != "value" and isinstance(node, dict):
            key = path[-1]
            node[placeholder] = 0
            if kind == "duplicate":
                replacements[f'"{placeholder}": 0'] = f"{json.dumps(key)}: 0"
                expected[pointer_join(path[:-1])] = "duplicate"
            else:
                replacements[f'"{placeholder}": 0'] = f'"k\\u0000ey{index}": 0'
                expected[pointer_join((*path[:-1], f"k\x00ey{index}"))] = "NUL"
            continue
        token = draw(st.sampled_from(sorted(VALUE_TOKENS)))
        set_at(document, path, placeholder)
        replacements[f'"{placeholder}"'] = token
        expected[pointer_join(path)] = VALUE_TOKENS[token]
    text = json.dumps(document)
    for placeholder, token in replacements.items():
        assert placeholder in text
        text = text.replace(placeholder, token, 1)
    return text, expected


def check_planted(issues: list[Any], expected: dict[str, str], text: str) -> None:
    found = {i.pointer: i.message for i in issues}
    assert set(found) == set(expected), (found, expected)
    for pointer, words in expected.items():
        assert words in found[pointer], (pointer, found[pointer])
    reference = json.loads(text)  # Python's lenient parser: the planted places exist in it
    for pointer in found:
        assert resolves(reference, pointer), pointer


@PLANTED
@given(planted())
def test_planted_parse_errors_are_reported_at_exactly_their_pointer(case: tuple[str, dict[str, str]]) -> None:
    text, expected = case
    with pytest.raises(DataError) as caught:
        loads(text.encode())
    check_planted(list(caught.value.errors), expected, text)


@PLANTED
@given(planted(), st.integers(0, 4), st.sampled_from([b"\n", b"\r\n"]))
def test_planted_parse_errors_in_json_lines_name_their_line(case: tuple[str, dict[str, str]], before: int, end: bytes) -> None:
    text, expected = case
    good = b'{"ok": 1}'
    stream = io.BytesIO(end.join([good] * before + [text.encode(), good]) + end)
    results = list(iter_json_lines(stream, source="in.jsonl"))
    assert [n for n, d in results if not isinstance(d, DataError)] == [*range(1, before + 1), before + 2]
    [(number, error)] = [(n, d) for n, d in results if isinstance(d, DataError)]
    assert number == before + 1 and all(i.line == number and i.source == "in.jsonl" for i in error.errors)
    check_planted(list(error.errors), expected, text)


@PIPELINE
@given(any_document, st.data())
def test_planted_deep_nesting_is_reported_below_its_place(document: dict[str, Any], data: st.DataObject) -> None:
    path = data.draw(st.sampled_from([p for p in paths(document) if p]))
    set_at(document, path, "@@deep@@")
    text = json.dumps(document).replace('"@@deep@@"', "[" * 100 + "]" * 100)
    with pytest.raises(DataError) as caught:
        loads(text)
    [issue] = caught.value.errors
    assert issue.pointer.startswith(pointer_join(path)) and issue.pointer.count("/") == 64
    assert "nesting deeper than 64" in issue.message


# -- whole-pipeline differential ----------------------------------------------------------

PAYLOAD_KINDS = [m.Organisation, m.Flow, m.Strategy, m.IndicatorDefinition, m.Measurement]


@st.composite
def envelope_documents(draw: st.DrawFn) -> dict[str, Any]:
    """Envelopes carrying every payload kind, some fields withheld and listed as redacted."""
    envelope = draw(documents_of(m.Envelope))
    payload = draw(documents_of(draw(st.sampled_from(PAYLOAD_KINDS))))
    envelope["payload_schema"] = payload["schema"]
    if draw(st.booleans()):
        del payload["schema"]
    keys = sorted(k for k in payload if k != "schema")
    redacted = draw(st.lists(st.sampled_from(keys), max_size=3, unique=True))
    for key in redacted:
        del payload[key]
    envelope["payload"] = payload
    envelope["sharing"]["redacted_fields"] = [f"payload.{key}" for key in redacted]
    return envelope


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**18), 10**18),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=4),
    st.sampled_from(["", " ", "x" * 300, "2025-13-01", "2025-02-30", "urn:x", "FR", "EUR", "-0", "1e5", "é", "\u202e"]),
    st.just([]),
    st.just({}),
)


def mutate(document: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    """One to three random edits: replace a value, add a key, drop one, duplicate or empty a list."""
    result = copy.deepcopy(document)
    for _ in range(data.draw(st.integers(1, 3))):
        targets = [p for p in paths(result) if p and p != ("schema",)]
        if not targets:
            break
        path = data.draw(st.sampled_from(targets))
        parent: Any = result
        for step in path[:-1]:
            parent = parent[step]
        action = data.draw(st.sampled_from(["replace", "replace", "add", "drop", "duplicate", "swap-schema"]))
        if action == "replace":
            parent[path[-1]] = data.draw(SCALARS)
        elif action == "add" and isinstance(parent, dict):
            parent[data.draw(st.sampled_from(["unexpected_key", "$ref", "schema", "id"]))] = data.draw(SCALARS)
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[path[-1]]))
        elif action == "swap-schema":
            result["schema"] = data.draw(st.sampled_from(REGISTRY.names()))
        elif isinstance(parent, dict):
            del parent[path[-1]]
        elif isinstance(parent, list):
            parent.pop(path[-1])
    return result


def verdicts(document: Any) -> dict[str, list[Any]]:
    """Issues from the one path (documents.check) with each decider and explainer; only a
    silkcore error may escape (a DataError is the converter's verdict)."""
    found = {}
    for label, engine, explain in (("rs", "rs", "python"), ("rs/rs", "rs", "rs"), ("python", "python", "python")):
        try:
            found[label] = check(document, registry=REGISTRY, engine=engine, explain=explain)[1]
        except DataError as exc:
            found[label] = list(exc.errors)
        except SilkError as exc:  # pragma: no cover - a failure with a reason, still a finding
            pytest.fail(f"{label}: {type(exc).__name__}: {exc}")
    return found


def strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [k, *strings(v)]]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return [value] if isinstance(value, str) else []


def assert_agree(document: Any) -> None:
    found = verdicts(document)
    assert len({bool(issues) for issues in found.values()}) == 1, found
    for issues in found.values():
        for issue in issues:
            assert resolves(document, issue.pointer, allow_missing_leaf=True), issue


@pytest.mark.parametrize("cls", list(ENTITY_STRATEGIES), ids=lambda c: c.__name__)
def test_mutated_documents_same_verdict_through_the_whole_pipeline(cls: type[Any]) -> None:
    @PIPELINE
    @given(documents_of(cls), st.data())
    def run(document: dict[str, Any], data: st.DataObject) -> None:
        assert_agree(mutate(document, data))

    run()


@PIPELINE
@given(envelope_documents(), st.data())
def test_mutated_envelopes_of_every_payload_kind(document: dict[str, Any], data: st.DataObject) -> None:
    assert_agree(document)
    assert_agree(mutate(document, data))


@PIPELINE
@given(envelope_documents())
def test_redacted_required_fields_are_tolerated_only_when_listed(document: dict[str, Any]) -> None:
    """A withheld required field listed in redacted_fields is no error (withholding a field the
    payload schema's conditions read, like a flow's kind, may still make the payload invalid)."""
    found = verdicts(document)["rs"]
    redacted = {f.split(".", 1)[1] for f in document["sharing"]["redacted_fields"]}
    assert not [i for i in found if any(i.message == f"'{key}' is a required property" for key in redacted)], found
    if document["sharing"]["redacted_fields"]:
        unlisted = dict(document, sharing=dict(document["sharing"], redacted_fields=[]))
        payload_schema = REGISTRY.schema(document["payload_schema"])
        missing_required = set(payload_schema.get("required", ())) - set(document["payload"]) - {"schema"}
        issues = verdicts(unlisted)["rs"]
        assert bool(missing_required) <= any(i.pointer == "/payload" for i in issues), (missing_required, issues)


@PIPELINE
@given(documents_of(Framework), st.data())
def test_mutated_frameworks_semantic_pointers(document: dict[str, Any], data: st.DataObject) -> None:
    """Break a framework's cross-references (the checks no schema can make) as well as its shape."""
    broken = copy.deepcopy(document)
    edit = data.draw(st.sampled_from(["category", "duplicate-item", "scale", "graph-edge", "graph-start", "none"]))
    if edit == "category":
        broken["items"][0]["category"] = "Nope"
    elif edit == "duplicate-item":
        broken["items"].append(copy.deepcopy(broken["items"][0]))
    elif edit == "scale" and any("scale" in item for item in broken["items"]):
        next(item for item in broken["items"] if "scale" in item)["scale"] = "nope"
    elif edit == "graph-edge" and broken.get("graph", {}).get("edges"):
        broken["graph"]["edges"][0]["to"] = "nowhere"
    elif edit == "graph-start" and broken.get("graph"):
        broken["graph"]["start"] = "nowhere"
    assert_agree(broken)
    assert_agree(mutate(broken, data))


# -- known disagreements, pinned ----------------------------------------------------------


def _flow() -> dict[str, Any]:
    from ..conftest import EXAMPLES

    return json.loads((EXAMPLES / "documents" / "flow-cotton-import.json").read_text())


@pytest.mark.parametrize("start", ["2025-01-0*", "2025-0*-05", "+025-01-05", "2025-01-0.", "0000-01-01"])
def test_both_validators_refuse_malformed_dates(start: str) -> None:
    document = _flow()
    document["period"]["start"] = start
    found = verdicts(document)
    assert all(issues and issues[0].pointer == "/period/start" for issues in found.values()), found


@pytest.mark.parametrize(("field", "value"), [("origin_country", "IN\n"), ("flow_id", "urn:silk:flow:x\n")])
def test_python_engine_refuses_a_trailing_newline_like_rs(field: str, value: str) -> None:
    document = dict(_flow(), **{field: value})
    found = verdicts(document)
    assert found["rs"] and found["python"], found

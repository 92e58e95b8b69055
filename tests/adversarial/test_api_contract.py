"""The Python API validates what it is given (issue 15, item 9): entities refuse out-of-range
values, a response without a value or a status, and wrong types, with a ``SilkError`` that is
also a ``ValueError`` and points at the field; the public functions let nothing but
``SilkError`` subclasses escape, whatever Python value they are handed."""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from silkcore import (
    AnswerScale,
    AnswerStatus,
    Catalog,
    Category,
    CategoryScore,
    DataError,
    Evidence,
    EvidenceKind,
    Finding,
    FindingKind,
    Framework,
    Item,
    ItemKind,
    Option,
    OrgRef,
    Respondent,
    Response,
    ResponseSet,
    ScoringPolicy,
    SilkError,
    TraceEntry,
    TraceStatus,
    assess,
    build_catalog,
    dump_document,
    load_document,
    load_framework,
    validate,
)
from silkcore._assessment import response_sets_argument
from silkcore._convert import structure
from silkcore._framework import framework_argument

from ..conftest import EXAMPLES

READINESS = EXAMPLES / "plugin-event-readiness" / "silk_event_readiness" / "event_readiness.yaml"
BOARD = EXAMPLES / "demo" / "response_sets" / "event-readiness-board.json"
DOCUMENTS = [
    BOARD,
    EXAMPLES / "demo" / "organisation.json",
    EXAMPLES / "documents" / "flow-cotton-import.json",
    EXAMPLES / "documents" / "envelope-network-flow.json",
    EXAMPLES / "documents" / "measurement-revenue-share.json",
]


@cache
def catalog() -> Catalog:
    return build_catalog()


@cache
def readiness() -> Framework:
    return load_framework(READINESS)


@cache
def board() -> ResponseSet:
    loaded = load_document(BOARD)
    assert isinstance(loaded, ResponseSet)
    return loaded


def refused(error: pytest.ExceptionInfo[DataError], pointer: str) -> None:
    assert isinstance(error.value, SilkError) and isinstance(error.value, ValueError)
    assert [issue.pointer for issue in error.value.errors] == [pointer], error.value.errors


# -- entities check their fields ------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "pointer"),
    [
        (lambda: Response("fit.1", "clearly", confidence=7.0), "/confidence"),
        (lambda: Response("fit.1", "clearly", confidence=-0.1), "/confidence"),
        (lambda: Response("fit.1", "clearly", confidence=math.nan), "/confidence"),
        (lambda: Response("fit.1", "clearly", confidence=True), "/confidence"),
        (lambda: Response("fit.1", "clearly", confidence="0.5"), "/confidence"),
        (lambda: Response("fit.1"), "/value"),
        (lambda: Response("fit.1", "clearly", AnswerStatus.UNKNOWN), "/status"),
        (lambda: Response("fit.1", status="unknown"), "/status"),  # a member, not its code
        (lambda: Response("fit.1", ["a", "b"]), "/value"),  # a tuple: entities are frozen
        (lambda: Response("fit.1", ("a", "a")), "/value"),  # distinct choices
        (lambda: Response("fit.1", (True,)), "/value"),
        (lambda: Response("fit.1", math.inf), "/value"),
        (lambda: Response("fit.1", {"a": 1}), "/value"),
        (lambda: Response("fit.1", "x" * 20001), "/value"),
        (lambda: Response("fit.1", 10**4301), "/value"),
        (lambda: Response(7, "clearly"), "/item_id"),
        (lambda: Response("fit.1", "clearly", evidence=[Evidence(EvidenceKind.DOCUMENT)]), "/evidence"),
        (lambda: Response("fit.1", "clearly", evidence=("minutes",)), "/evidence"),
        (lambda: Evidence("document"), "/kind"),
        (lambda: OrgRef(None), "/org_id"),
        (lambda: Respondent(3), "/role"),
        (lambda: attrs.evolve(board(), responses=list(board().responses)), "/responses"),
        (lambda: attrs.evolve(board(), responses=(*board().responses, {"item_id": "x"})), "/responses"),
        (lambda: attrs.evolve(board(), subject={"org_id": "x"}), "/subject"),
        (lambda: attrs.evolve(board(), illustrative=1), "/illustrative"),
        (lambda: attrs.evolve(board(), collected_at=board().collected_at.replace(tzinfo=None)), "/collected_at"),  # type: ignore[union-attr]
        (lambda: TraceEntry("a", "A", TraceStatus.SCORED, 1.5, 1.0, "r"), "/score"),
        (lambda: TraceEntry("a", "A", TraceStatus.SCORED, 0.5, -1.0, "r"), "/weight"),
        (lambda: TraceEntry("a", "A", "scored", 0.5, 1.0, "r"), "/status"),
        (lambda: CategoryScore("A", 0.5, 2.0), "/coverage"),
        (lambda: CategoryScore("A", 0.5, 1.0, applicable_items=-1), "/applicable_items"),
        (lambda: Finding(FindingKind.NOTE, "m", score=-0.5), "/score"),
        (lambda: attrs.evolve(assess(readiness(), board()), overall=1.01), "/overall"),
        (lambda: attrs.evolve(assess(readiness(), board()), respondents=0), "/respondents"),
        (lambda: Option("a", 1.5), "/score"),
        (lambda: Option(1.5, 1.0), "/value"),
        (lambda: AnswerScale("s", [Option("a", 1.0)]), "/options"),
        (lambda: Category("A", {"en": "A"}, weight=0), "/weight"),
        (lambda: Category("A", {"en": "A"}, weight=math.nan), "/weight"),
        (lambda: Category("A", {}), "/title"),
        (lambda: Item("a", "A", ItemKind.NUMBER, {"en": "?"}, "s", weight=-2.0), "/weight"),
        (lambda: Item("a", "A", ItemKind.NUMBER, {"en": "?"}, "s", min=math.inf), "/min"),
        (lambda: Item("a", "A", ItemKind.NUMBER, {"en": "?"}, "s", min=10, max=1), "/max"),
        (lambda: Item("a", "A", "number", {"en": "?"}, "s"), "/kind"),
        (lambda: ScoringPolicy(findings=-1), "/findings"),
        (lambda: ScoringPolicy(disagreement_threshold=0), "/disagreement_threshold"),
        (lambda: attrs.evolve(readiness(), categories=()), "/categories"),
        (lambda: attrs.evolve(readiness(), items=list(readiness().items)), "/items"),
    ],
)
def test_entities_refuse_what_no_document_could_hold(build: Any, pointer: str) -> None:
    with pytest.raises(DataError) as error:
        build()
    refused(error, pointer)


def test_every_bad_field_is_named_at_once() -> None:
    with pytest.raises(DataError) as error:
        Response(1, "x", comment=2, confidence=3)
    assert [issue.pointer for issue in error.value.errors] == ["/item_id", "/comment", "/confidence"]
    assert str(error.value).startswith("Response: at /item_id: expected a string, got int 1")


def test_a_confidence_of_seven_is_refused_before_any_scoring() -> None:
    """The issue's case: the answer was scored and the card then refused by silkcore's own schema."""
    with pytest.raises(DataError, match="confidence"):
        attrs.evolve(board(), responses=(attrs.evolve(board().responses[0], confidence=7.0),))


def test_cards_from_checked_entities_pass_the_card_schema() -> None:
    answers = tuple(attrs.evolve(r, confidence=c) for r, c in zip(board().responses, (0, 1, 0.25, 1.0), strict=False))
    card = assess(readiness(), attrs.evolve(board(), responses=answers), catalog=catalog())
    assert validate(json.loads(dump_document(card)), catalog=catalog()) == []


def test_a_field_check_failing_while_structuring_points_into_the_document() -> None:
    doc = json.loads(BOARD.read_text())
    del doc["schema"]
    doc["responses"][3]["confidence"] = 7.0
    doc["responses"][1] = {"item_id": doc["responses"][1]["item_id"]}
    with pytest.raises(DataError) as error:
        structure(doc, ResponseSet)
    assert [i.pointer for i in error.value.errors] == ["/responses/1/value", "/responses/3/confidence"]
    assert "got float 7.0" in error.value.errors[1].message


def test_argument_helpers_name_what_is_wrong() -> None:
    assert response_sets_argument(board()) == [board()]
    assert response_sets_argument((board(), board())) == [board(), board()]
    for value, pointers in (({}, [""]), ("sets", [""]), (b"x", [""]), ([board(), {}, 3], ["/1", "/2"]), (None, [""])):
        with pytest.raises(DataError) as error:
            response_sets_argument(value)
        assert [i.pointer for i in error.value.errors] == pointers
    assert framework_argument("silk.flowchart") == "silk.flowchart" and framework_argument(READINESS) == READINESS
    with pytest.raises(DataError, match="expected a Framework, a framework id or a file path, got dict"):
        framework_argument({"id": "x"})


# -- nothing but SilkError escapes the public functions --------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([-(2**64), 0.1, math.nan, math.inf, -0.0, 1e308])
    | st.sampled_from([4301, 5000]).map(lambda digits: 10**digits)  # built late: too long for repr()
    | st.floats()
    | st.text(max_size=20).filter(lambda text: text != "-")  # "-" reads standard input
    | st.binary(max_size=20)
    | st.sampled_from(["", ".", "/", "a\x00b", "/nonexistent/x.json", "x.yaml", "\udc00", "silk.flowchart", "{}", "[]"])
    | st.sampled_from([b"\xff\xfe", b"{", b"[1]", b"{}", b'{"schema": 1}', b"a: [1", b"\x00", bytearray(b"{}")])
    | st.sampled_from([Path("/"), Path("/nonexistent"), Path(__file__).parent, Path(""), object(), type, ..., 1j, range(3)])
    | st.sampled_from(list(AnswerStatus) + list(TraceStatus) + [OrgRef("x"), Evidence(EvidenceKind.DATA)])
    | st.sampled_from([str, int, float, bool, bytes, complex, frozenset]).flatmap(st.from_type)
)
json_like = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=8) | st.integers() | st.none(), inner, max_size=4)
        | st.frozensets(st.integers(), max_size=3)
    ),
    max_leaves=12,
)


def _documents() -> list[Any]:
    return [json.loads(path.read_text()) for path in DOCUMENTS]


@st.composite
def damaged_documents(draw: st.DrawFn) -> Any:
    """A real document with one value (anywhere in it) replaced by a hostile one."""
    doc = draw(st.sampled_from(_documents()))
    node = doc
    while True:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            return doc
        key = draw(st.sampled_from(keys))
        child = node[key]
        if isinstance(child, dict | list) and child and draw(st.booleans()):
            node = child
            continue
        node[key] = draw(json_like)
        return doc


def _as_bytes(doc: Any) -> bytes:
    try:
        return json.dumps(doc, default=repr).encode("utf-8", "surrogatepass")
    except ValueError:  # an integer too long for Python to write out: the reader gets one too
        return b'{"schema": "silkcore_organisation-v1.0.0", "org_id": ' + b"9" * 5000 + b"}"


hostile = json_like | damaged_documents() | damaged_documents().map(_as_bytes)


def only_silk_errors(call: Any, *args: Any, **kwargs: Any) -> Any:
    """The call's result, or None when it raised a SilkError; anything else fails the test."""
    try:
        return call(*args, **kwargs)
    except SilkError as error:
        str(error)  # and the message itself can be printed
        return None


@given(hostile)
def test_load_document_raises_only_silk_errors(value: Any) -> None:
    only_silk_errors(load_document, value)


@given(hostile)
def test_validate_returns_issues_or_raises_only_silk_errors(value: Any) -> None:
    issues = only_silk_errors(validate, value, catalog=catalog())
    assert issues is None or all(type(issue).__name__ == "Issue" for issue in issues)


@given(hostile)
def test_load_framework_raises_only_silk_errors(value: Any) -> None:
    only_silk_errors(load_framework, value)


@given(hostile)
def test_assess_raises_only_silk_errors_for_any_framework(value: Any) -> None:
    only_silk_errors(assess, value, board(), catalog=catalog())


@given(hostile | st.lists(hostile, max_size=3) | st.lists(st.just(board()), max_size=2).map(lambda s: [*s, 1]))
def test_assess_raises_only_silk_errors_for_any_response_sets(value: Any) -> None:
    only_silk_errors(assess, readiness(), value, catalog=catalog())


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly hostile, sometimes a fitting value, so that one bad field is often alone."""
    return st.one_of(json_like, strategy, strategy)


@given(
    st.fixed_dictionaries(
        {"item_id": _maybe(st.just("fit.1"))},
        optional={
            "value": _maybe(st.sampled_from(["clearly", True, 3, 0.5, ("a", 1)])),
            "status": _maybe(st.sampled_from(list(AnswerStatus))),
            "comment": _maybe(st.text(max_size=5)),
            "evidence": _maybe(st.just((Evidence(EvidenceKind.DOCUMENT, "minutes"),))),
            "confidence": _maybe(st.floats(0, 1)),
        },
    )
)
def test_response_raises_only_silk_errors(kwargs: dict[str, Any]) -> None:
    response = only_silk_errors(Response, **kwargs)
    if response is not None:  # what it accepted, a score card can hold
        only_silk_errors(assess, readiness(), attrs.evolve(board(), responses=(response,)), catalog=catalog())


@given(
    st.fixed_dictionaries(
        {
            "framework_id": _maybe(st.just("network.event-readiness")),
            "framework_version": _maybe(st.just("1.0.0")),
            "subject": _maybe(st.just(OrgRef("urn:x"))),
            "responses": _maybe(st.just(board().responses)),
        },
        optional={
            "response_set_id": _maybe(st.just("urn:rs:1")),
            "mode": _maybe(st.just("prospective")),
            "respondent": _maybe(st.just(Respondent("board"))),
            "collected_at": _maybe(st.datetimes(timezones=st.timezones())),
            "language": _maybe(st.just("en")),
            "illustrative": _maybe(st.booleans()),
            "note": _maybe(st.text(max_size=5)),
        },
    )
)
def test_response_set_raises_only_silk_errors(kwargs: dict[str, Any]) -> None:
    response_set = only_silk_errors(ResponseSet, **kwargs)
    if response_set is not None:
        only_silk_errors(assess, readiness(), response_set, catalog=catalog())


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(lambda tmp: assess(readiness(), {}), id="assess-dict"),
        pytest.param(lambda tmp: assess(readiness(), [board(), 1]), id="assess-list-with-int"),
        pytest.param(lambda tmp: assess(readiness(), "urn:rs"), id="assess-str"),
        pytest.param(lambda tmp: assess(42, board()), id="assess-framework-int"),
        pytest.param(lambda tmp: assess({"id": "x"}, board()), id="assess-framework-dict"),
        pytest.param(lambda tmp: assess(tmp / "missing.yaml", board()), id="assess-framework-missing-file"),
        pytest.param(lambda tmp: validate({1: 2}), id="validate-int-key"),
        pytest.param(lambda tmp: validate(42), id="validate-int"),
        pytest.param(lambda tmp: validate([]), id="validate-list"),
        pytest.param(lambda tmp: load_document({"org_id": "x"}), id="load-mapping-without-schema"),
        pytest.param(lambda tmp: load_document(b"\xff\xfe not utf-8"), id="load-bytes-not-utf8"),
        pytest.param(lambda tmp: load_document(tmp), id="load-directory"),
        pytest.param(lambda tmp: load_document(tmp / "missing.json"), id="load-missing-file"),
        pytest.param(lambda tmp: load_document(42), id="load-int"),
        pytest.param(lambda tmp: load_document(None), id="load-none"),
        pytest.param(lambda tmp: load_document([1]), id="load-list"),
        pytest.param(lambda tmp: load_document("a\x00b.json"), id="load-path-with-nul"),
        pytest.param(lambda tmp: load_document({**_documents()[1], "description": {"en": {1}}}), id="load-set"),
        pytest.param(
            lambda tmp: validate({"schema": "silkcore_organisation-v1.0.0", "org_id": 10**5000}),
            id="validate-huge-int",
        ),
        pytest.param(lambda tmp: load_framework(None), id="load-framework-none"),
        pytest.param(lambda tmp: load_framework(42), id="load-framework-int"),
    ],
)
def test_the_issue_cases_end_in_silk_errors(case: Any, tmp_path: Path) -> None:
    only_silk_errors(case, tmp_path)


@pytest.mark.parametrize("value", ["a\x00b", "\ud800", ("ok", "b\x00")])
def test_an_answer_no_document_could_hold_is_refused_when_built(value: Any) -> None:
    with pytest.raises(DataError) as error:
        Response("A.01", value)
    assert [i.pointer for i in error.value.errors] == ["/value"]

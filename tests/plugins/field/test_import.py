"""Submission import: Kobo and ODK exports become validated response sets; what cannot be mapped is reported."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from silk_field.importers import SubmissionImporter, import_submissions
from silk_field.layout import form_layout
from silkcore import DataError, Framework, ItemKind, PartialImportError, validate

from ...conftest import EXAMPLES
from .helpers import CATALOG, FLOWCHART, GRID, INDICATORS, every_kind_framework, kobo_row

KOBO_JSON = EXAMPLES / "field" / "kobo-evaluation-grid-submissions.json.txt"
KOBO_CSV = EXAMPLES / "field" / "kobo-evaluation-grid-submissions.csv"
EVERY = every_kind_framework()


def kobo(*rows: dict[str, Any]) -> bytes:
    return json.dumps({"count": len(rows), "next": None, "previous": None, "results": list(rows)}).encode()


def run(data: bytes, fmt: str = "kobo-json", framework: Framework | str | None = None) -> Any:
    return import_submissions(data, fmt, source="test", framework=framework, catalog=CATALOG)


@pytest.mark.parametrize(("path", "fmt"), [(KOBO_JSON, "kobo-json"), (KOBO_CSV, "kobo-csv")])
def test_example_export_imports_three_submissions_and_reports_the_fourth(path: Any, fmt: str) -> None:
    importer = SubmissionImporter(fmt, catalog=CATALOG)
    with pytest.raises(PartialImportError) as caught:
        importer.import_(path.read_bytes(), path.name)
    documents, issues = caught.value.documents, caught.value.errors
    assert [d["subject"]["org_id"].rsplit(":", 1)[1] for d in documents] == [
        "tissage-solidaire",
        "tissage-solidaire",
        "la-colmena",
    ]
    for document in documents:
        assert validate(document, catalog=CATALOG) == []
    assert len(issues) == 2
    messages = sorted(issue.message for issue in issues)
    assert messages[0].startswith("item B.08: 135 is outside the item's range 0.0..100.0")
    assert "'very_strong' is not a choice of this question" in messages[1]
    if fmt == "kobo-json":
        assert sorted(i.pointer for i in issues) == ["/results/3/B~1B__08", "/results/3/C~1C__09"]
    else:
        assert {i.line for i in issues} == {5}


def test_imported_values_statuses_and_metadata() -> None:
    report = run(KOBO_JSON.read_bytes())
    first = report.documents[0]
    by_item = {r["item_id"]: r for r in first["responses"]}
    assert by_item["A.07"] == {"item_id": "A.07", "value": ["sseo", "private_enterprise"]}
    assert by_item["B.08"]["value"] == 22 and by_item["B.09"]["value"] is True and by_item["B.14"]["value"] is False
    assert by_item["B.25"] == {"item_id": "B.25", "status": "not_applicable"}
    assert by_item["F.03"] == {"item_id": "F.03", "status": "unknown"}
    assert first["respondent"] == {"role": "management"} and first["mode"] == "retrospective"
    assert first["collected_at"] == "2024-05-13T10:41:57.003000+02:00"
    assert first["response_set_id"] == "urn:uuid:2b8f0c1e-6d3a-4c55-9e1f-7a2b3c4d5e60"
    assert first["subject"] == {
        "org_id": "urn:silk:org:example:tissage-solidaire",
        "name": "Tissage Solidaire SCOP (fictional)",
        "country": "FR",
    }
    colmena = {r["item_id"]: r for r in report.documents[2]["responses"]}
    assert colmena["B.11"] == {"item_id": "B.11", "status": "unknown"}  # from the B__11__status question


def test_odk_central_odata_json_with_nested_groups() -> None:
    layout = form_layout(GRID)
    c06 = layout.field_of("C.06")
    odata = {
        "@odata.context": "https://central.example.org/v1/projects/4/forms/silk.evaluation-grid.svc/$metadata#Submissions",
        "value": [
            {
                "__id": "uuid:0f9e8d7c-6b5a-4321-8fed-cba987654321",
                "__system": {"submissionDate": "2024-06-01T09:00:00.000Z", "formVersion": "1.0.0", "reviewState": None},
                "org_name": "Cooperativa Norte",
                "B": {"B__08": 12.5, "B__11": 6},
                c06.group: {c06.name: "clearly_better"},
                "meta": {"instanceID": "uuid:0f9e8d7c-6b5a-4321-8fed-cba987654321"},
            },
            {
                "__id": "uuid:11111111-2222-4333-8444-555555555555",
                "__system": {"reviewState": "rejected"},
                "C": {"C__06": "no_change"},
            },
        ],
    }
    report = run(json.dumps(odata).encode(), "odk-json")
    [document] = report.documents
    assert document["framework_id"] == "silk.evaluation-grid"  # from the OData context: no silk_framework field here
    assert document["subject"] == {"org_id": "urn:uuid:0f9e8d7c-6b5a-4321-8fed-cba987654321", "name": "Cooperativa Norte"}
    assert document["collected_at"] == "2024-06-01T09:00:00+00:00"
    assert document["responses"] == [
        {"item_id": "B.08", "value": 12.5},
        {"item_id": "B.11", "value": 6},
        {"item_id": "C.06", "value": "clearly_better"},
    ]
    [issue] = report.issues
    assert issue.pointer == "/value/1" and "rejected" in issue.message


def test_odk_central_csv_with_dash_joined_groups() -> None:
    text = (
        "SubmissionDate,start,org_id,B-B__08,C-C__06,D-D__01,meta-instanceID,KEY,FormVersion\n"
        "2024-06-02T10:00:00.000Z,2024-06-02T09:40:00.000+01:00,COOP-042,40,somewhat_worse,strong,"
        "uuid:22222222-3333-4444-8555-666666666666,uuid:22222222-3333-4444-8555-666666666666,1.2.0\n"
    )
    [document] = run(text.encode(), "odk-csv", framework="silk.evaluation-grid").documents
    assert document["subject"] == {"org_id": "COOP-042"}
    assert document["framework_version"] == "1.2.0"  # a newer MINOR version of the form is accepted as stated
    assert [r["item_id"] for r in document["responses"]] == ["B.08", "C.06", "D.01"]


def test_major_version_mismatch_is_refused() -> None:
    report = run(kobo(kobo_row(GRID, [{"item_id": "C.06", "value": "no_change"}], silk_version="2.0.0")))
    [issue] = report.issues
    assert report.documents == ()
    assert issue.pointer == "/results/0/silk_version" and "different MAJOR version" in issue.message
    bad = run(kobo(kobo_row(GRID, [], silk_version="one")))
    assert "is not MAJOR.MINOR.PATCH" in bad.issues[0].message


def test_framework_must_be_known() -> None:
    unknown = run(kobo({"silk_framework": "network.nope", "C/C__06": "no_change"}))
    assert "unknown framework 'network.nope'" in unknown.issues[0].message
    anonymous = run(json.dumps([{"C/C__06": "no_change"}]).encode())
    assert anonymous.issues[0].pointer == "/0" and "cannot tell which framework" in anonymous.issues[0].message
    given_id = run(json.dumps([{"C/C__06": "no_change"}]).encode(), framework="silk.evaluation-grid")
    assert given_id.documents[0]["responses"] == [{"item_id": "C.06", "value": "no_change"}]


def test_every_unmappable_value_of_a_submission_is_reported() -> None:
    row = {
        "silk_framework": "silk.evaluation-grid",
        "org_id": "has spaces",
        "org_country": "France",
        "respondent_role": "boss",
        "A/A__07": "sseo _na",
        "B/B__08": "lots",
        "B/B__11__status": "maybe",
        "C/C__06": ["not", "a", "string"],
    }
    report = run(kobo(row))
    assert report.documents == ()
    pointers = sorted(i.pointer for i in report.issues)
    assert pointers == [
        "/results/0/A~1A__07", "/results/0/B~1B__08", "/results/0/B~1B__11__status", "/results/0/C~1C__06",
        "/results/0/org_country", "/results/0/org_id", "/results/0/respondent_role",
    ]  # fmt: skip
    with pytest.raises(DataError):  # nothing could be imported: a plain DataError, not a partial one
        SubmissionImporter("kobo-json", catalog=CATALOG).import_(kobo(row), "test")


def test_fields_inside_extra_groups_are_found_and_unknown_columns_ignored() -> None:
    row = {"silk_framework": "silk.evaluation-grid", "intro_page/C/C__06": "no_change", "wrap-D-D__01": "strong", "my_extra": "x"}
    [document] = run(kobo(row)).documents
    assert document["responses"] == [{"item_id": "C.06", "value": "no_change"}, {"item_id": "D.01", "value": "strong"}]


def test_labels_are_accepted_for_single_choices() -> None:
    report = run(kobo({"silk_framework": "silk.evaluation-grid", "C/C__06": "Nettement amélioré"}))
    assert report.documents[0]["responses"] == [{"item_id": "C.06", "value": "clearly_better"}]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "not JSON"),
        (b'{"a": 1, "a": 2}', "duplicate key"),
        (b'{"results": 3}', "expected a list"),
        (b"\xff", "UTF-8"),
    ],
)
def test_unreadable_exports_are_data_errors(data: bytes, message: str) -> None:
    with pytest.raises(DataError, match=message):
        run(data)


def test_csv_with_semicolons_and_empty_cells() -> None:
    rows = [["silk_framework", "C/C__06", "C/C__07", "_id"], ["silk.evaluation-grid", "no_change", "", "7"]]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    [document] = run(buffer.getvalue().encode("utf-8-sig"), "kobo-csv").documents
    assert document["responses"] == [{"item_id": "C.06", "value": "no_change"}]
    assert document["subject"]["org_id"] == "urn:silk:submission:7"


def _answer(framework: Framework, item: Any) -> st.SearchStrategy[dict[str, Any]]:
    """A valid answer to ``item``, or a status."""
    status = st.sampled_from(["not_applicable", "unknown"]).map(lambda s: {"item_id": item.id, "status": s})
    options = [o.value for o in framework.options_of(item)]
    if item.kind == ItemKind.MULTI_CHOICE:
        value: st.SearchStrategy[Any] = st.lists(st.sampled_from(options), min_size=1, unique=True)
    elif options:
        value = st.sampled_from(options)
    elif item.kind in (ItemKind.NUMBER, ItemKind.PERCENTAGE, ItemKind.DURATION):
        low = int(item.min if item.min is not None else 0)
        high = int(item.max if item.max is not None else (100 if item.kind == ItemKind.PERCENTAGE else 10_000))
        value = st.integers(low, high)
    elif item.kind == ItemKind.DATE:
        value = st.dates().map(lambda d: d.isoformat())
    else:
        value = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(str.strip)
    return st.one_of(status, value.map(lambda v: {"item_id": item.id, "value": v}))


@st.composite
def answer_sets(draw: st.DrawFn, framework: Framework) -> list[dict[str, Any]]:
    items = draw(st.lists(st.sampled_from(framework.items), unique_by=lambda i: i.id, max_size=len(framework.items)))
    chosen = {item.id for item in items}
    return [draw(_answer(framework, item)) for item in framework.items if item.id in chosen]


@pytest.mark.parametrize("framework", [GRID, FLOWCHART, INDICATORS, EVERY], ids=lambda f: f.id)
@settings(max_examples=40)
@given(data=st.data())
def test_round_trip_answers_to_submission_to_response_set(framework: Framework, data: st.DataObject) -> None:
    answers = data.draw(answer_sets(framework))
    report = import_submissions(
        kobo(kobo_row(framework, answers, org_id="urn:silk:org:test")), "kobo-json", framework=framework, catalog=CATALOG
    )
    assert report.issues == ()
    [document] = report.documents
    assert document["responses"] == answers


def test_a_submission_answering_none_of_the_forms_questions_is_refused_not_emptied() -> None:
    """Another form's columns (or this form's renamed) matched no question: each such row is a
    located problem, never an empty response set imported as if it were one."""
    rows = [["a", "b", "_id"], ["1", "2", "7"]]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    report = run(buffer.getvalue().encode(), "kobo-csv", FLOWCHART)
    assert report.documents == ()
    [issue] = report.issues
    assert issue.line == 2
    assert issue.message == "answers none of silk.flowchart's questions; its fields 'a', 'b' are not this form's"


def test_a_blank_submission_of_the_form_is_still_a_response_set() -> None:
    """Nothing answered, nothing foreign: the respondent sent the form back empty."""
    [document] = run(kobo({"silk_framework": "silk.evaluation-grid", "_id": 8, "C/C__07": ""})).documents
    assert document["responses"] == []

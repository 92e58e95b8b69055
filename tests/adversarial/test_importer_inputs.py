"""Every importer reads through the strict reader: hostile input is a located SilkError, never a traceback.

Each importer registered by the built-in plugins (``silk plugins``: envelope, flows-csv,
kobo-csv, kobo-json, murmurations, odk-csv, odk-json, valueflows) gets one valid input with a
single record, and the table below damages it: a duplicate key that would replace an amount
or a provider, NUL characters, a lone surrogate, deep nesting, a 5,000-digit integer, NaN, a
200 KB CSV field, bad CSV quoting, invalid UTF-8 and empty input. Each must be refused with a
:class:`~silkcore.SilkError` whose issues name the input and carry a JSON Pointer or a line;
through ``silk import`` the same input exits 1 with located one-line messages and writes no
output file. Hypothesis then damages the valid inputs at random (byte flips, truncation,
duplicated keys, inserted NULs) and only success or a SilkError may come out.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from silkcore import DataError, Limits, SilkError, get_catalog, parse_csv_rows, parse_json
from silkcore._cli import main

from ..conftest import EXAMPLES

CATALOG = get_catalog()
SOURCE = "hostile-input"

# -- one valid input per importer, each holding a single record -------------------------------

MURMURATIONS: dict[str, Any] = {
    "linked_schemas": ["organizations_schema-v1.0.0"],
    "name": "Cooperativa Horta Comum",
    "primary_url": "https://hortacomum.example.pt",
    "tags": ["consumer co-operative", "organic food"],
    "description": "Member-owned grocery sourcing from 40 small farms.",
    "country_iso_3166": "PT",
    "starts_at": 1456790400,
}
VALUEFLOWS: dict[str, Any] = {
    "@context": {"@vocab": "https://w3id.org/valueflows/ont/vf#", "assoc": "https://panier-partage.example.fr/"},
    "@graph": [
        {
            "@id": "assoc:events/52",
            "@type": "EconomicEvent",
            "action": "transfer",
            "provider": "assoc:agents/self",
            "receiver": "https://oliveti-solidali.example.it/agents/self",
            "resourceConformsTo": "http://www.wikidata.org/entity/Q4916",
            "resourceQuantity": {"hasNumericalValue": 2400, "hasUnit": "one"},
            "hasPointInTime": "2025-04-02T08:00:00Z",
        }
    ],
}
_KOBO = json.loads((EXAMPLES / "field" / "kobo-evaluation-grid-submissions.json.txt").read_text(encoding="utf-8"))
KOBO_JSON: dict[str, Any] = {"count": 1, "next": None, "previous": None, "results": _KOBO["results"][:1]}
ODK_JSON: dict[str, Any] = {
    "@odata.context": "https://central.example.org/v1/projects/4/forms/silk.evaluation-grid.svc/$metadata#Submissions",
    "value": [
        {
            "__id": "uuid:0f9e8d7c-6b5a-4321-8fed-cba987654321",
            "__system": {"submissionDate": "2024-06-01T09:00:00.000Z", "formVersion": "1.0.0", "reviewState": None},
            "org_name": "Cooperativa Norte",
            "B": {"B__08": 12.5, "B__11": 6},
            "C": {"C__06": "clearly_better"},
        }
    ],
}


def _csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


_FLOW_ROWS = list(csv.reader(io.StringIO((EXAMPLES / "flows" / "tejidos-solidarios-flows.csv").read_text(encoding="utf-8"))))
_KOBO_ROWS = list(
    csv.reader(
        io.StringIO((EXAMPLES / "field" / "kobo-evaluation-grid-submissions.csv").read_text(encoding="utf-8-sig")), delimiter=";"
    )
)


@dataclass(frozen=True)
class Format:
    """An importer, its valid input, and where its input holds what a hostile edit targets."""

    id: str
    valid: bytes
    kind: str  # "json" or "csv"
    #: Keys whose duplicate would change an amount, a provider or a subject (JSON), or a column (CSV).
    keys: tuple[str, ...] = ()
    delimiter: str = ","
    #: The key (JSON) or column (CSV) holding a number.
    number_column: str = ""


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8")


FORMATS = [
    Format("murmurations", _json(MURMURATIONS), "json", ("name", "primary_url"), number_column="starts_at"),
    Format("valueflows", _json(VALUEFLOWS), "json", ("provider", "hasNumericalValue"), number_column="hasNumericalValue"),
    Format("kobo-json", _json(KOBO_JSON), "json", ("org_id", "B/B__08"), number_column="B/B__08"),
    Format("odk-json", _json(ODK_JSON), "json", ("org_name", "B__08"), number_column="B__08"),
    Format("envelope", (EXAMPLES / "documents" / "envelope-network-flow.json").read_bytes(), "json", ("amount", "provider"),
           number_column="amount"),
    Format("flows-csv", _csv_text(_FLOW_ROWS[:2]).encode(), "csv", ("amount", "provider_id"), ",", "amount"),
    Format("kobo-csv", _csv_text(_KOBO_ROWS[:2], ";").encode(), "csv", ("org_id", "B/B__08"), ";", "B/B__08"),
    Format(
        "odk-csv",
        _csv_text(
            [
                ["SubmissionDate", "silk_framework", "org_id", "B-B__08", "C-C__06", "meta-instanceID", "FormVersion"],
                ["2024-06-02T10:00:00.000Z", "silk.evaluation-grid", "COOP-042", "40", "somewhat_worse",
                 "uuid:22222222-3333-4444-8555-666666666666", "1.2.0"],
            ]
        ).encode(),
        "csv",
        ("org_id", "B-B__08"),
        ",",
        "B-B__08",
    ),
]  # fmt: skip
BY_ID = {f.id: f for f in FORMATS}
JSON_FORMATS = [f for f in FORMATS if f.kind == "json"]
CSV_FORMATS = [f for f in FORMATS if f.kind == "csv"]


def run_import(fmt: Format, data: bytes) -> list[dict[str, Any]]:
    documents: list[dict[str, Any]] = CATALOG.importer(fmt.id).import_(data, SOURCE)
    return documents


def test_every_registered_importer_is_covered() -> None:
    assert sorted(i.id for i in CATALOG.importers()) == sorted(BY_ID)


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.id)
def test_the_valid_inputs_import(fmt: Format) -> None:
    assert len(run_import(fmt, fmt.valid)) >= 1


# -- hostile edits -----------------------------------------------------------------------------

FIRST_STRING = re.compile(rb'": "')


def _at_first_string(data: bytes, inserted: bytes) -> bytes:
    """``inserted`` at the start of the first string value."""
    match = FIRST_STRING.search(data)
    assert match is not None
    return data[: match.end()] + inserted + data[match.end() :]


def _root_member(data: bytes, member: bytes) -> bytes:
    """A member added first in the root object."""
    start = data.index(b"{")
    return data[: start + 1] + member + b", " + data[start + 1 :]


def _duplicate(key: str) -> Callable[[bytes], bytes]:
    """The first ``"key": value`` preceded by ``"key": <another value>`` in the same object."""

    def edit(data: bytes) -> bytes:
        needle = json.dumps(key).encode() + b": "
        at = data.index(needle)
        return data[:at] + needle + b'"urn:silk:org:impostor", ' + data[at:]

    return edit


def _json_text_number(fmt: Format, text: str) -> bytes:
    """The value of the first ``number_column`` key (a number or a decimal string) replaced by ``text`` as a string."""
    pattern = re.compile(re.escape(json.dumps(fmt.number_column)).encode() + rb': (\{\s*"amount": )?("[^"]*"|[-+0-9.eE]+)')
    match = pattern.search(fmt.valid)
    assert match is not None, fmt.id
    return fmt.valid[: match.start(2)] + json.dumps(text).encode() + fmt.valid[match.end(2) :]


def _data_row(fmt: Format, data: bytes) -> tuple[list[str], list[str]]:
    header, row = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=fmt.delimiter))[:2]
    return header, row


def _csv_with(fmt: Format, column: str, value: str) -> bytes:
    header, row = _data_row(fmt, fmt.valid)
    row[header.index(column)] = value
    return _csv_text([header, row], fmt.delimiter).encode()


def _csv_repeated_column(fmt: Format) -> bytes:
    """The column holding an amount (or the subject) appears twice: the second would win."""
    header, row = _data_row(fmt, fmt.valid)
    column = fmt.keys[0]
    return _csv_text([[*header, column], [*row, "999999"]], fmt.delimiter).encode()


def _csv_raw_cell(fmt: Format, raw: bytes) -> bytes:
    """The first cell of the data row replaced by raw bytes (for quoting and encoding damage)."""
    head, _, rest = fmt.valid.partition(b"\n")
    cells = rest.split(fmt.delimiter.encode(), 1)
    return head + b"\n" + raw + fmt.delimiter.encode() + cells[1]


@dataclass(frozen=True)
class Hostile:
    name: str
    edit: Callable[[Format], bytes]
    #: Words the message must hold (case-insensitive).
    words: str


JSON_HOSTILE = [
    Hostile("duplicate key replacing an amount or a provider (1)", lambda f: _duplicate(f.keys[1])(f.valid), "duplicate key"),
    Hostile("duplicate key replacing a name or a subject (2)", lambda f: _duplicate(f.keys[0])(f.valid), "duplicate key"),
    Hostile("NUL escape in a string", lambda f: _at_first_string(f.valid, b"\\u0000"), "NUL"),
    Hostile("raw NUL in a string", lambda f: _at_first_string(f.valid, b"\x00"), "control character"),
    Hostile("NUL escape in a key", lambda f: _root_member(f.valid, b'"a\\u0000b": 1'), "NUL"),
    Hostile("lone surrogate escape", lambda f: _at_first_string(f.valid, b"\\ud800"), "surrogate"),
    Hostile("lone surrogate in a key", lambda f: _root_member(f.valid, b'"\\udc00": 1'), "surrogate"),
    Hostile("deep nesting inside", lambda f: _root_member(f.valid, b'"deep": ' + b"[" * 5000 + b"]" * 5000), "nesting deeper"),
    Hostile("deep nesting at the root", lambda f: b"[" * 100_000 + b"]" * 100_000, "nesting deeper"),
    Hostile("deep objects", lambda f: b'{"a": ' * 3000 + b"1" + b"}" * 3000, "nesting deeper"),
    Hostile("5000-digit integer", lambda f: _root_member(f.valid, b'"big": 1' + b"0" * 4999), "digits"),
    Hostile("5000-digit negative integer", lambda f: _root_member(f.valid, b'"big": -1' + b"0" * 4999), "digits"),
    Hostile("NaN", lambda f: _root_member(f.valid, b'"n": NaN'), "NaN"),
    Hostile("-Infinity", lambda f: _root_member(f.valid, b'"n": -Infinity'), "Infinity"),
    Hostile("number overflowing to infinity", lambda f: _root_member(f.valid, b'"n": 1e400'), "infinity"),
    Hostile("over-long float", lambda f: _root_member(f.valid, b'"n": 0.' + b"1" * 5000), "too long"),
    Hostile("5000-digit number as text", lambda f: _json_text_number(f, "1" + "0" * 4999), ""),
    Hostile("invalid UTF-8", lambda f: _at_first_string(f.valid, b"\xff\xfe"), "UTF-8"),
    Hostile("UTF-8-encoded surrogate", lambda f: _at_first_string(f.valid, b"\xed\xa0\x80"), "UTF-8"),
    Hostile("empty input", lambda f: b"", "JSON:"),
    Hostile("blank input", lambda f: b" \r\n\t", "JSON:"),
    Hostile("truncated", lambda f: f.valid[: len(f.valid) // 2], "JSON:"),
    Hostile("trailing data", lambda f: f.valid + b"{}", "JSON:"),
]
CSV_HOSTILE = [
    Hostile("repeated column replacing a value", _csv_repeated_column, "column"),
    Hostile("200 KB field", lambda f: _csv_with(f, f.keys[0], "x" * 200_000), "longer than 65536 characters"),
    Hostile("200 KB quoted field with line breaks", lambda f: _csv_with(f, f.keys[0], "x\n" * 100_000), "longer than"),
    Hostile("text after a closing quote", lambda f: _csv_raw_cell(f, b'"abc"def'), "invalid CSV"),
    Hostile("quote never closed", lambda f: _csv_raw_cell(f, b'"abc'), "invalid CSV"),
    Hostile("NUL in a cell", lambda f: _csv_raw_cell(f, b"ab\x00c"), "NUL"),
    Hostile("NUL in the header", lambda f: b"\x00" + f.valid, "NUL"),
    Hostile("invalid UTF-8", lambda f: _csv_raw_cell(f, b"ab\xffc"), "UTF-8"),
    Hostile("UTF-8-encoded surrogate", lambda f: _csv_raw_cell(f, b"\xed\xa0\x80"), "UTF-8"),
    Hostile("UTF-16 text", lambda f: f.valid.decode().encode("utf-16"), "UTF-8"),
    Hostile("5000-digit integer", lambda f: _csv_with(f, f.number_column, "1" + "0" * 4999), ""),
    Hostile("NaN as a number", lambda f: _csv_with(f, f.number_column, "NaN"), ""),
    Hostile("empty input", lambda f: b"", "empty"),
    Hostile("blank lines only", lambda f: b"\r\n\n\n", "empty"),
]
CASES = [
    pytest.param(f, h, id=f"{f.id}: {h.name}")
    for f, h in [(f, h) for f in JSON_FORMATS for h in JSON_HOSTILE] + [(f, h) for f in CSV_FORMATS for h in CSV_HOSTILE]
]


def assert_located(error: SilkError, words: str = "") -> None:
    """Every issue names the input and has a pointer or a line; one of them holds ``words``."""
    issues = getattr(error, "errors", None)
    assert issues, f"{type(error).__name__} without issues: {error}"
    for issue in issues:
        assert issue.source == SOURCE, issue
        assert issue.pointer or issue.line is not None, f"neither a pointer nor a line: {issue}"
    assert any(words.lower() in issue.message.lower() for issue in issues), [str(i) for i in issues]


@pytest.mark.parametrize(("fmt", "hostile"), CASES)
def test_hostile_input_is_a_located_silk_error(fmt: Format, hostile: Hostile) -> None:
    data = hostile.edit(fmt)
    with pytest.raises(SilkError) as caught:
        run_import(fmt, data)
    assert_located(caught.value, hostile.words)


@pytest.mark.parametrize(("fmt", "hostile"), CASES)
def test_hostile_input_through_silk_import_exits_1_and_writes_nothing(
    fmt: Format, hostile: Hostile, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "input.data"
    source.write_bytes(hostile.edit(fmt))
    output = tmp_path / "out.jsonl"
    code = main(["import", "--format", fmt.id, str(source), "-o", str(output)])
    captured = capsys.readouterr()
    assert code == 1, captured.err
    assert not output.exists()
    lines = captured.err.strip().splitlines()
    assert lines and "Traceback" not in captured.err
    for line in lines:
        # "FILE:LINE[:COLUMN]: at POINTER: message", or "FILE: at /POINTER: message"
        assert re.match(rf"error: {re.escape(str(source))}(:\d+(:\d+)?: at |: at /)", line), line
    assert any(hostile.words.lower() in line.lower() for line in lines), lines


@pytest.mark.parametrize("number", [b'"1e999999999"', b'"0e-999999999"', b"1e-999999999", b'"-1E+41"', b'"' + b"9" * 100 + b'"'])
def test_valueflows_numbers_are_bounded_before_they_are_written_out(number: bytes) -> None:
    """Decimal("1e999999999") is finite and small, but written out in full it is a billion digits."""
    data = BY_ID["valueflows"].valid.replace(b'"hasNumericalValue": 2400', b'"hasNumericalValue": ' + number)
    with pytest.raises(DataError) as caught:
        run_import(BY_ID["valueflows"], data)
    [issue] = caught.value.errors
    assert issue.pointer == "/@graph/0/resourceQuantity/hasNumericalValue"


def test_a_duplicate_key_is_located_at_the_repeated_key() -> None:
    data = b'{"name": "A",\n "country_iso_3166": "PT",\n  "name": "B"}'
    with pytest.raises(DataError) as caught:
        run_import(BY_ID["murmurations"], data)
    [issue] = caught.value.errors
    assert (issue.pointer, issue.line, issue.column) == ("", 3, 3) and "'name'" in issue.message


# -- the limits are the configured ones ------------------------------------------------------


def test_the_csv_field_limit_is_configurable() -> None:
    data = b"a,b\n1," + b"x" * 1000 + b"\n"
    assert parse_csv_rows(data)[1] == (2, ["1", "x" * 1000])
    with pytest.raises(DataError) as caught:
        parse_csv_rows(data, source="small.csv", limits=Limits(max_csv_field=999))
    [issue] = caught.value.errors
    assert (issue.source, issue.line, issue.column) == ("small.csv", 2, 3)
    assert "longer than 999 characters" in issue.message and "SILKCORE_MAX_CSV_FIELD" in issue.message


def test_a_long_field_is_located_at_its_cell_even_after_multi_line_cells() -> None:
    data = b'a,b,c\n"x\ny",2,' + b"z" * 70_000 + b"\n"
    with pytest.raises(DataError) as caught:
        parse_csv_rows(data, source="f.csv")
    [issue] = caught.value.errors
    assert (issue.line, issue.column) == (3, 6)


@pytest.mark.parametrize(
    ("data", "line", "column"),
    [(b"a,b\n1,x\x00\n", 2, 4), (b"a,b\n1,\xc3\xa9\xff\n", 2, 4), (b'a,b\n1,"x"y\n', 2, None), (b'a,b\n1,"x\n\n', 3, None)],
)
def test_csv_damage_is_located(data: bytes, line: int, column: int | None) -> None:
    with pytest.raises(DataError) as caught:
        parse_csv_rows(data, source="f.csv")
    [issue] = caught.value.errors
    assert (issue.source, issue.line, issue.column) == ("f.csv", line, column)


def test_csv_quoting_and_line_numbers() -> None:
    rows = parse_csv_rows('\ufeffa;b\r\n"x;""y""";2\r\n\r\n"multi\nline";3\n'.encode(), delimiter=";")
    assert rows == [(1, ["a", "b"]), (2, ['x;"y"', "2"]), (3, []), (4, ["multi\nline", "3"])]


def test_parse_json_is_the_strict_reader_with_exact_decimals_on_request() -> None:
    from decimal import Decimal

    assert parse_json(b'{"a": 0.1}') == {"a": 0.1}
    assert parse_json(b'{"a": 0.1}', decimals=True) == {"a": Decimal("0.1")}
    with pytest.raises(DataError) as caught:
        parse_json(b'{"a": 1, "a": 2}', source="x.json")
    assert caught.value.errors[0].source == "x.json" and "duplicate" in caught.value.errors[0].message


def test_limits_come_from_the_environment() -> None:
    limits = Limits.from_environment({"SILKCORE_MAX_CSV_FIELD": "1000", "SILKCORE_MAX_DEPTH": " 10 ", "SILKCORE_MAX_BYTES": ""})
    assert (limits.max_csv_field, limits.max_depth, limits.max_bytes) == (1000, 10, Limits().max_bytes)
    with pytest.raises(DataError) as caught:
        Limits.from_environment({"SILKCORE_MAX_CSV_FIELD": "lots", "SILKCORE_MAX_INT_DIGITS": "5000", "SILKCORE_MAX_DEPTH": "0"})
    sources = sorted(issue.source or "" for issue in caught.value.errors)
    assert sources == ["SILKCORE_MAX_CSV_FIELD", "SILKCORE_MAX_DEPTH", "SILKCORE_MAX_INT_DIGITS"]


@pytest.mark.parametrize("value", [0, -1, True, 1.5, "64", 4301])
def test_limits_refuse_values_out_of_range_with_a_silk_error(value: Any) -> None:
    with pytest.raises(DataError, match="max_int_digits"):
        Limits(max_int_digits=value)


def test_an_unusable_environment_variable_is_a_warning_and_the_default_stays(monkeypatch: pytest.MonkeyPatch) -> None:
    from silkcore import _jsonio as jsonio

    monkeypatch.setenv("SILKCORE_MAX_DEPTH", "deep")
    monkeypatch.setenv("SILKCORE_MAX_CSV_FIELD", "100")
    with pytest.warns(UserWarning, match="SILKCORE_MAX_DEPTH"):
        limits = jsonio._default_limits()
    assert (limits.max_depth, limits.max_csv_field) == (64, 100)


# -- damage at random ---------------------------------------------------------------------------


def _outcome(fmt: Format, data: bytes) -> None:
    """Success, or a SilkError whose issues are located; anything else fails the test."""
    try:
        run_import(fmt, data)
    except SilkError as error:
        issues = getattr(error, "errors", ())
        assert issues, error
        for issue in issues:
            assert issue.source == SOURCE or (issue.source or "").startswith(SOURCE), issue


def _flip(data: bytes, draw: st.DrawFn) -> bytes:
    at = draw(st.integers(0, len(data) - 1))
    return data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]


def _truncate(data: bytes, draw: st.DrawFn) -> bytes:
    return data[: draw(st.integers(0, len(data)))]


def _insert(data: bytes, draw: st.DrawFn) -> bytes:
    at = draw(st.integers(0, len(data)))
    piece = draw(
        st.sampled_from(
            [b"\x00", b"\\u0000", b"\\ud800", b'"', b'""', b",", b";", b"\n", b"\r", b"{", b"[", b"]", b"}", b":", b"\xff",
             b"\xed\xa0\x80", b"NaN", b"1e999", b"9" * 30, b"\\", b"\t", b"\xef\xbb\xbf"]
        )
    )  # fmt: skip
    return data[:at] + piece + data[at:]


def _duplicate_any_key(data: bytes, draw: st.DrawFn) -> bytes:
    """Some ``"key": `` of the input preceded by the same key with another value."""
    keys = list(re.finditer(rb'"(?:[^"\\]|\\.)*": ', data))
    if not keys:
        return data
    key = draw(st.sampled_from(keys))
    value = draw(st.sampled_from([b'"x"', b"0", b"null", b"[]", b"{}", b"-1.5", b"true", b'"urn:silk:org:impostor"']))
    return data[: key.start()] + key.group() + value + b", " + data[key.start() :]


def _swap_lines(data: bytes, draw: st.DrawFn) -> bytes:
    lines = data.split(b"\n")
    i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


DAMAGE = [_flip, _truncate, _insert, _duplicate_any_key, _swap_lines]


@st.composite
def damaged(draw: st.DrawFn, fmt: Format) -> bytes:
    data = fmt.valid
    for _ in range(draw(st.integers(1, 4))):
        data = draw(st.sampled_from(DAMAGE))(data, draw) if data else data
    return data


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.id)
@given(data=st.data())
def test_damaged_inputs_give_only_success_or_a_silk_error(fmt: Format, data: st.DataObject) -> None:
    _outcome(fmt, data.draw(damaged(fmt)))


@pytest.mark.parametrize("fmt", JSON_FORMATS, ids=lambda f: f.id)
@given(
    value=st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
        max_leaves=8,
    )
)
def test_any_json_value_in_place_of_a_field_gives_only_success_or_a_silk_error(fmt: Format, value: Any) -> None:
    document = json.loads(fmt.valid)
    target = document
    # the first record of the input (the graph node, the submission, the profile itself)
    for key in ("@graph", "results", "value", "payload"):
        if isinstance(target, dict) and key in target:
            target = target[key][0] if isinstance(target[key], list) else target[key]
    for key in [k for k in target if not k.startswith("@")][:6]:
        changed = json.loads(json.dumps(document))
        inner = changed
        for step in ("@graph", "results", "value", "payload"):
            if isinstance(inner, dict) and step in inner:
                inner = inner[step][0] if isinstance(inner[step], list) else inner[step]
        inner[key] = value
        _outcome(fmt, json.dumps(changed, allow_nan=True).encode("utf-8", "surrogatepass"))


def test_a_32_mb_csv_is_refused_whole_not_cut(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The campaign's case: a 32 MB CSV used to be read to 16 MiB and half its rows written."""
    example = (EXAMPLES / "flows" / "tejidos-solidarios-flows.csv").read_bytes().splitlines(keepends=True)
    header, row = example[0], example[1]
    source = tmp_path / "flows.csv"
    with source.open("wb") as handle:
        handle.write(header)
        handle.write(row * (32_000_000 // len(row) + 1))
    output = tmp_path / "flows.jsonl"
    code = main(["import", "--format", "flows-csv", str(source), "-o", str(output)])
    error = capsys.readouterr().err
    assert code == 1 and not output.exists()
    assert error.strip() == (
        f"error: {source}: at (document root): input of more than {Limits().max_bytes} bytes exceeds the limit of "
        f"{Limits().max_bytes} bytes (SILKCORE_MAX_BYTES)"
    )

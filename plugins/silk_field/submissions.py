"""Reading submission exports of KoboToolbox and ODK Central into flat records.

Supported shapes:

* Kobo JSON: the API's ``/api/v2/assets/<uid>/data/`` page (``{"count", "results": [...]}``)
  or a bare list of submissions; keys are field names, with groups as ``group/field``.
* ODK Central JSON: the OData ``Submissions`` feed (``{"@odata.context", "value": [...]}``);
  groups are nested objects, the form id is read from ``@odata.context``.
* CSV from either tool: one row per submission, ``,`` ``;`` or tab separated (Kobo's default is
  ``;``); groups as ``group/field`` (Kobo) or ``group-field`` (ODK Central).

Each record keeps where it came from (a JSON Pointer, or a CSV line) for error messages.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import attrs

from silkcore import DataError, Issue, parse_csv_rows, parse_json

__all__ = ["Record", "parse_csv", "parse_kobo_json", "parse_odk_json"]


@attrs.frozen
class Record:
    """One submission: flat ``key -> value`` fields, and where it is in the input."""

    fields: dict[str, Any]
    pointer: str
    line: int | None = None
    form_id: str | None = None

    def issue(self, message: str, key: str | None = None, source: str | None = None) -> Issue:
        """An issue about this record (or one of its fields)."""
        pointer = self.pointer
        if key is not None:
            pointer += "/" + key.replace("~", "~0").replace("/", "~1")
        return Issue(pointer, message, source, self.line)


def _load_json(data: bytes, source: str) -> Any:
    """The export, read by silkcore's strict reader (duplicate keys, NaN, depth, size, long
    integers, NUL and lone surrogates refused, each with its place)."""
    try:
        return parse_json(data, source=source)
    except DataError as exc:
        raise DataError([_syntax_in_words(issue) for issue in exc.errors]) from None


def _syntax_in_words(issue: Issue) -> Issue:
    """A syntax error means the file is not a JSON export at all: say so."""
    if issue.message.startswith("invalid JSON: "):
        return attrs.evolve(issue, message="not JSON: " + issue.message.removeprefix("invalid JSON: "))
    return issue


def _flatten(value: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested groups (ODK Central OData) as ``group/field`` keys; lists (repeats) stay as they are."""
    flat: dict[str, Any] = {}
    for key, inner in value.items():
        path = f"{prefix}{key}"
        if isinstance(inner, dict) and not key.startswith("@"):
            flat.update(_flatten(inner, path + "/"))
        else:
            flat[path] = inner
    return flat


def _rows(items: Any, base: str, source: str) -> Iterator[tuple[int, dict[str, Any]]]:
    if not isinstance(items, list):
        raise DataError([Issue(base, "expected a list of submissions", source)])
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise DataError([Issue(f"{base}/{index}", "expected a submission (a JSON object)", source)])
        yield index, item


def parse_kobo_json(data: bytes, source: str) -> list[Record]:
    """Records of a KoboToolbox JSON export (an API page with ``results``, or a list)."""
    top = _load_json(data, source)
    if isinstance(top, dict) and "results" in top:
        base, items = "/results", top["results"]
    elif isinstance(top, list):
        base, items = "", top
    else:
        raise DataError([Issue("", 'expected a Kobo export: {"results": [...]} or a list of submissions', source)])
    return [
        Record(_flatten(row), f"{base}/{i}", form_id=_text(row.get("_xform_id_string"))) for i, row in _rows(items, base, source)
    ]


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


_ODATA_FORM = re.compile(r"/forms/([^/]+?)\.svc")


def parse_odk_json(data: bytes, source: str) -> list[Record]:
    """Records of an ODK Central OData ``Submissions`` JSON export."""
    top = _load_json(data, source)
    if not isinstance(top, dict) or "value" not in top:
        raise DataError([Issue("", 'expected an ODK Central OData export: {"value": [...]}', source)])
    context = top.get("@odata.context")
    match = _ODATA_FORM.search(context) if isinstance(context, str) else None
    form_id = unquote(match.group(1)) if match else None
    return [Record(_flatten(row), f"/value/{i}", form_id=form_id) for i, row in _rows(top["value"], "/value", source)]


def parse_csv(data: bytes, source: str) -> list[Record]:
    """Records of a Kobo or ODK Central CSV export; empty cells are left out.

    Read by silkcore's strict CSV reader: bad quoting, NUL characters, invalid UTF-8 and a
    field over the size limit are refused with their line (and column)."""
    first = data.split(b"\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=lambda d: first.count(d.encode()))
    rows = parse_csv_rows(data, source=source, delimiter=delimiter)
    if not any(cells for _, cells in rows):
        raise DataError([Issue("", "empty export: expected a header row, then one row per submission", source, 1)])
    (header_line, header), body = rows[0], rows[1:]
    duplicates = sorted(h for h, count in Counter(header).items() if count > 1)
    if duplicates:
        raise DataError([Issue("", f"duplicate column(s) {', '.join(duplicates)}", source, header_line)])
    records = []
    for start, row in body:
        if any(cell.strip() for cell in row):
            if len(row) > len(header):
                raise DataError([Issue("", f"{len(row)} cells but {len(header)} columns", source, start)])
            fields = {key: cell for key, cell in zip(header, row, strict=False) if cell != ""}
            records.append(Record(fields, "", line=start, form_id=None))
    return records

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

import csv
import io
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import attrs

from silkcore import DataError, Issue

__all__ = ["Record", "parse_csv", "parse_kobo_json", "parse_odk_json"]

_MAX_BYTES = 200 * 1024 * 1024


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


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _load_json(data: bytes, source: str) -> Any:
    if len(data) > _MAX_BYTES:
        raise DataError([Issue("", f"input larger than {_MAX_BYTES} bytes", source)])
    try:
        return json.loads(data.decode("utf-8-sig"), object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except UnicodeDecodeError as exc:
        raise DataError([Issue("", f"not UTF-8 text: {exc.reason}", source)]) from None
    except json.JSONDecodeError as exc:
        raise DataError([Issue("", f"not JSON: {exc.msg}", source, exc.lineno, exc.colno)]) from None
    except ValueError as exc:
        raise DataError([Issue("", f"not valid JSON: {exc}", source)]) from None


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
    return [Record(_flatten(row), f"{base}/{i}", form_id=row.get("_xform_id_string")) for i, row in _rows(items, base, source)]


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
    """Records of a Kobo or ODK Central CSV export; empty cells are left out."""
    if len(data) > _MAX_BYTES:
        raise DataError([Issue("", f"input larger than {_MAX_BYTES} bytes", source)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError([Issue("", f"not UTF-8 text: {exc.reason}", source)]) from None
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return []
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates:
        raise DataError([Issue("", f"duplicate column(s) {', '.join(duplicates)}", source, 1)])
    records = []
    start = reader.line_num + 1
    for row in reader:
        if any(cell.strip() for cell in row):
            if len(row) > len(header):
                raise DataError([Issue("", f"{len(row)} cells but {len(header)} columns", source, start)])
            fields = {key: cell for key, cell in zip(header, row, strict=False) if cell != ""}
            records.append(Record(fields, "", line=start, form_id=None))
        start = reader.line_num + 1
    return records

"""Submissions of a silk_field XLSForm as silkcore response sets (``silk import --format kobo-json``).

Each submission becomes one ``silkcore_response_set-v1.0.0`` document, checked against the
schema. A submission is kept whole or not at all: if any of its values cannot be mapped (a
choice the item does not have, a number out of range, a framework of another MAJOR version...)
it is left out and every reason is reported with its JSON Pointer or CSV line; the others are
imported (:class:`silkcore.PartialImportError`).

Which framework: the hidden ``silk_framework`` field of the form, else the framework given to
the importer, else the form id (Kobo's ``_xform_id_string``, ODK Central's OData context).
Which version: ``silk_version``, else the form version the server reports; a different MAJOR
version than the installed framework is refused, as the scorer would.
Subject: the ``org_id`` field, else an ``organisation`` field holding a code (no spaces), else
``urn:uuid:<instance id>`` of the submission; ``org_name`` (or ``organisation``) gives the name.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import attrs

from silkcore import Catalog, DataError, Framework, Issue, PartialImportError, SilkError, get_catalog, validate

from .answers import map_answer
from .layout import RESERVED_FIELDS, FormLayout, form_layout
from .submissions import Record, parse_csv, parse_kobo_json, parse_odk_json
from .xlsform import MODES, ROLES

__all__ = ["FORMATS", "ImportReport", "SubmissionImporter", "import_records", "import_submissions"]

Parser = Callable[[bytes, str], list[Record]]
#: Importer id -> parser of that export format.
FORMATS: dict[str, Parser] = {
    "kobo-json": parse_kobo_json,
    "kobo-csv": parse_csv,
    "odk-json": parse_odk_json,
    "odk-csv": parse_csv,
}
_SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
_UUID = re.compile(r"^(?:uuid:)?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$")
_IDENTIFIER = re.compile(r"^[^\s\x00-\x1f]{1,300}$")
_REJECTED = {"rejected", "validation_status_not_approved"}


@attrs.frozen
class ImportReport:
    """What an import produced: the response set documents, and why other submissions were left out."""

    documents: tuple[dict[str, Any], ...]
    issues: tuple[Issue, ...]


def _get(fields: dict[str, Any], *names: str) -> Any:
    """A field by name, whatever group path (``a/b/name``, ``a-name``) the export put before it."""
    for name in names:
        if fields.get(name) not in (None, ""):
            return fields[name]
        for key, value in fields.items():
            if value not in (None, "") and key.endswith(("/" + name, "-" + name)):
                return value
    return None


def _field_name(key: str, layout: FormLayout) -> str:
    """The form field a column or key refers to, with any group prefixes removed."""
    name = key
    prefixes = [*layout.groups.values(), "meta"]
    changed = True
    while changed:
        changed = False
        for group in prefixes:
            for separator in ("/", "-", ".", ":"):
                if name.startswith(group + separator) and len(name) > len(group) + 1:
                    name, changed = name[len(group) + 1 :], True
    if name in layout.by_name:
        return name
    # a group the form did not have (a network wrapped the questions in its own group): match the end
    endings = [n for n in layout.by_name if any(key.endswith(separator + n) for separator in "/-.:")]
    return max(endings, key=len) if endings else name


def _version(record: Record) -> str | None:
    explicit = _get(record.fields, "silk_version")
    if explicit is not None:
        return str(explicit)
    for name in ("__system/formVersion", "FormVersion", "__version__", "_version_"):
        value = record.fields.get(name)
        if isinstance(value, str) and _SEMVER.match(value):
            return value
    return None


def _timestamp(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:  # Kobo's _submission_time is UTC without an offset
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.isoformat()


def _submission_id(record: Record) -> str | None:
    for name in ("meta/instanceID", "instanceID", "_uuid", "__id", "KEY", "_id"):
        value = _get(record.fields, name)
        if value not in (None, ""):
            return str(value)
    return None


def _subject(record: Record, submission: str | None, problems: list[Issue], source: str) -> dict[str, Any]:
    fields = record.fields
    org_id = _get(fields, "org_id")
    organisation = _get(fields, "organisation", "organization")
    name = _get(fields, "org_name")
    if org_id is None and isinstance(organisation, str) and _IDENTIFIER.match(organisation):
        org_id = organisation
    elif name is None and isinstance(organisation, str):
        name = organisation
    if org_id is not None and not (isinstance(org_id, str) and _IDENTIFIER.match(org_id)):
        problems.append(
            record.issue(f"org_id {org_id!r} is not an identifier (no spaces, at most 300 characters)", "org_id", source)
        )
    if org_id is None:
        match = _UUID.match(submission or "")
        org_id = f"urn:uuid:{match.group(1).lower()}" if match else f"urn:silk:submission:{submission or 'unknown'}"
    subject: dict[str, Any] = {"org_id": str(org_id)}
    if isinstance(name, str) and name.strip():
        subject["name"] = name.strip()[:300]
    country = _get(fields, "org_country")
    if country is not None:
        if isinstance(country, str) and re.fullmatch(r"[A-Za-z]{2}", country.strip()):
            subject["country"] = country.strip().upper()
        else:
            problems.append(record.issue(f"org_country {country!r} is not a two-letter ISO country code", "org_country", source))
    return subject


def _answers(record: Record, layout: FormLayout, source: str) -> tuple[dict[str, Any], dict[str, str], list[Issue]]:
    """The record's answers by item id: values, statuses (not applicable / unknown) and problems."""
    values: dict[str, Any] = {}
    statuses: dict[str, str] = {}
    problems: list[Issue] = []
    for key, raw in record.fields.items():
        name = _field_name(key, layout)
        field = layout.field_by_name(name)
        if field is None or name in RESERVED_FIELDS or raw in (None, "", []):
            continue
        value, status, problem = map_answer(field, raw, status_only=name == field.status_name)
        if problem:
            problems.append(record.issue(f"item {field.item.id}: {problem}", key, source))
        elif status is not None:
            statuses[field.item.id] = status
        else:
            values[field.item.id] = value
    return values, statuses, problems


#: Fields collection servers and form tools add to every submission: never a question.
_SERVER_FIELDS = frozenset(
    ("KEY", "SubmissionDate", "instanceID", "today", "deviceid", "username", "phonenumber", "simserial", "subscriberid")
)


def _unknown_columns(record: Record, layout: FormLayout) -> list[str]:
    """The record's non-empty fields that are neither this form's questions nor metadata."""
    unknown = []
    for key, raw in record.fields.items():
        if raw in (None, "", []) or key in _SERVER_FIELDS or key.startswith(("_", "meta", "__system", "formhub")):
            continue
        name = _field_name(key, layout)
        if layout.field_by_name(name) is None and name not in RESERVED_FIELDS:
            unknown.append(key)
    return unknown


def _context(record: Record, problems: list[Issue], source: str) -> dict[str, Any]:
    """Respondent role, mode and collection time, from the form's own fields and the server's metadata."""
    context: dict[str, Any] = {}
    role, mode = _get(record.fields, "respondent_role"), _get(record.fields, "mode")
    if role is not None:
        if role in ROLES:
            context["respondent"] = {"role": role}
        else:
            problems.append(record.issue(f"respondent_role {role!r} is not one of {', '.join(ROLES)}", "respondent_role", source))
    if mode is not None:
        if mode in MODES:
            context["mode"] = mode
        else:
            problems.append(record.issue(f"mode {mode!r} is not one of {', '.join(MODES)}", "mode", source))
    collected = _timestamp(_get(record.fields, "end")) or _timestamp(
        _get(record.fields, "__system/submissionDate", "SubmissionDate", "_submission_time")
    )
    if collected:
        context["collected_at"] = collected
    return context


class _Frameworks:
    """Finds (and caches) the framework and layout each submission answers."""

    def __init__(self, catalog: Catalog | None, framework: Framework | str | None) -> None:
        self.catalog = catalog
        self.given = framework
        self.layouts: dict[str, FormLayout] = {}

    def framework_id(self, record: Record) -> str | None:
        stated = _get(record.fields, "silk_framework")
        if stated is not None:
            return str(stated)
        if self.given is not None:
            return self.given.id if isinstance(self.given, Framework) else self.given
        return record.form_id

    def layout(self, framework_id: str) -> FormLayout:
        if framework_id not in self.layouts:
            if isinstance(self.given, Framework) and self.given.id == framework_id:
                framework = self.given
            else:
                framework = (self.catalog or get_catalog()).framework(framework_id)
            self.layouts[framework_id] = form_layout(framework)
        return self.layouts[framework_id]


def _record_to_document(
    record: Record, frameworks: _Frameworks, fmt: str, source: str
) -> tuple[dict[str, Any] | None, list[Issue]]:
    framework_id = frameworks.framework_id(record)
    if framework_id is None:
        return None, [
            record.issue("cannot tell which framework this submission answers: no silk_framework field or form id", None, source)
        ]
    try:
        layout = frameworks.layout(framework_id)
    except SilkError as exc:
        return None, [record.issue(str(exc), None, source)]
    framework = layout.framework
    review = _get(record.fields, "__system/reviewState", "ReviewState", "_validation_status/uid")
    if review in _REJECTED:
        return None, [record.issue(f"marked {review!r} on the collection server: not imported", None, source)]
    version = _version(record) or framework.version
    if not _SEMVER.match(version):
        return None, [record.issue(f"framework version {version!r} is not MAJOR.MINOR.PATCH", "silk_version", source)]
    if version.split(".")[0] != framework.version.split(".")[0]:
        message = (
            f"answers version {version} of {framework.id}, but version {framework.version} is installed (different MAJOR version)"
        )
        return None, [record.issue(message, "silk_version", source)]
    values, statuses, problems = _answers(record, layout, source)
    if not values and not statuses:
        foreign = _unknown_columns(record, layout)
        if foreign:  # another form's submission, or this form's with its questions renamed
            shown = ", ".join(map(repr, foreign[:5])) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
            message = f"answers none of {framework.id}'s questions; its fields {shown} are not this form's"
            return None, [record.issue(message, None, source)]
    submission = _submission_id(record)
    document: dict[str, Any] = {"schema": "silkcore_response_set-v1.0.0"}
    match = _UUID.match(submission or "")
    if match:
        document["response_set_id"] = f"urn:uuid:{match.group(1).lower()}"
    elif submission:
        document["response_set_id"] = f"urn:silk:{fmt}:{framework.id}:{submission}"
    document.update({"framework_id": framework.id, "framework_version": version})
    document["subject"] = _subject(record, submission, problems, source)
    document.update(_context(record, problems, source))
    responses = []
    for field in layout.fields:
        item_id = field.item.id
        if item_id in values:
            responses.append({"item_id": item_id, "value": values[item_id]})
        elif item_id in statuses:
            responses.append({"item_id": item_id, "status": statuses[item_id]})
    document["responses"] = responses
    document["note"] = f"Imported from a {fmt} submission" + (f" ({submission})" if submission else "")
    return (None, problems) if problems else (document, [])


def import_records(
    records: list[Record], fmt: str, source: str, *, framework: Framework | str | None = None, catalog: Catalog | None = None
) -> ImportReport:
    """Map parsed submissions to validated response set documents, collecting every problem."""
    frameworks = _Frameworks(catalog, framework)
    documents, issues = [], []
    for record in records:
        document, problems = _record_to_document(record, frameworks, fmt, source)
        if document is not None:
            given = frameworks.given if isinstance(frameworks.given, Framework) else None
            schema_issues = validate(document, catalog=frameworks.catalog or get_catalog(), framework=given)
            problems = [
                Issue(record.pointer + i.pointer, f"response set: {i.message}", source, record.line) for i in schema_issues
            ]
        if problems:
            issues += problems
        elif document is not None:
            documents.append(document)
    return ImportReport(tuple(documents), tuple(issues))


def import_submissions(
    data: bytes,
    format_id: str,
    *,
    source: str = "<bytes>",
    framework: Framework | str | None = None,
    catalog: Catalog | None = None,
) -> ImportReport:
    """Read a Kobo/ODK export (``format_id`` one of :data:`FORMATS`) into response sets and a report."""
    if format_id not in FORMATS:
        raise DataError([Issue("", f"unknown submission format {format_id!r}; use one of {', '.join(FORMATS)}", source)])
    return import_records(FORMATS[format_id](data, source), format_id, source, framework=framework, catalog=catalog)


class SubmissionImporter:
    """``silk import --format kobo-json|kobo-csv|odk-json|odk-csv EXPORT``."""

    def __init__(self, format_id: str, *, framework: Framework | str | None = None, catalog: Catalog | None = None) -> None:
        self._id = format_id
        self._framework = framework
        self._catalog = catalog

    @property
    def id(self) -> str:
        """The format name."""
        return self._id

    def import_(self, data: bytes, source: str, *, framework: Framework | None = None) -> list[dict[str, Any]]:
        """Response set documents; :class:`~silkcore.PartialImportError` names the submissions left out.
        ``framework`` (``silk import --framework``) is used for submissions that name no
        framework, and for those naming its id (a network's framework file, for example)."""
        chosen = framework or self._framework
        report = import_submissions(data, self._id, source=source, framework=chosen, catalog=self._catalog)
        if report.issues and report.documents:
            raise PartialImportError(list(report.documents), list(report.issues))
        if report.issues:
            raise DataError(list(report.issues))
        return list(report.documents)

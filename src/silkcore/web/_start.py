"""Starting: the list of frameworks, and the forms that start a questionnaire, a team
assessment or one over an uploaded framework file.

``GET /`` lists every framework one may start, each with a link to answer it alone and one
to start a team assessment. ``/start/{id}`` and ``/team/{id}`` show the start form and,
posted, create the record and send the browser to its secret link. ``/upload`` exists only
when the app allows uploads: the file is read by the one check (``load_framework``), and
its problems are listed with their JSON Pointers.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from .._errors import SilkError
from .._framework import Framework
from .._framework_data import framework_document, load_framework
from ._choices import APPROACHES, FAMILIES, ROLES
from ._context import Web, web_of
from ._http import redirect
from ._i18n import N_, countries, negotiate
from ._render import mount_path, render, secure
from ._security import CSRF_COOKIE, CSRF_FIELD, check_csrf, form_lists, new_token, read_form, valid_token
from ._startform import FIELDS, LABELS, StartForm, new_state, organisation_of, read_start_form, subject_of
from ._texts import local_text

__all__ = ["START_FORM_BYTES", "home", "invitation_token", "start", "start_team", "upload"]

#: The largest start form without a file (names, a sector and a few choices).
START_FORM_BYTES = 16 * 1024


def invitation_token(team_token: str) -> str:
    """The token of a team's invitation link, derived from the coordinator's own: the
    coordinator's page can always show it, nothing stores it, and it does not lead back to
    the coordinator's token."""
    digest = hmac.new(team_token.encode(), b"silkcore.web:invitation", hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _csrf_token(request: Request) -> str:
    token = request.cookies.get(CSRF_COOKIE, "")
    return token if valid_token(token) else new_token()


def _with_cookie(request: Request, response: Response, token: str) -> Response:
    response.set_cookie(CSRF_COOKIE, token, path=mount_path(request), httponly=True, samesite="strict", secure=secure(request))
    return response


def _framework_row(framework: Framework, language: str) -> dict[str, Any]:
    default = framework.default_language
    return {
        "id": framework.id,
        "title": local_text(framework.title, language, default),
        "description": local_text(framework.description, language, default) if framework.description else None,
        "items": len(framework.items),
        "guided": framework.graph is not None,
    }


async def home(request: Request) -> Response:
    """``GET /``: every framework one may start."""
    web = web_of(request)
    language = negotiate(request)
    rows = [_framework_row(f, language) for f in web.frameworks()]
    return render(request, "home.html", {"frameworks": rows, "uploads": web.allow_uploads}, language=language)


def _form_page(
    request: Request,
    language: str,
    token: str,
    *,
    framework: Framework | None,
    mode: str,
    form: StartForm | None = None,
    file_issues: Sequence[str] = (),
    status: int = 200,
) -> Response:
    values: Mapping[str, Any] = form.values if form else {**dict.fromkeys(FIELDS, ""), "approaches": []}
    problems = dict(form.problems) if form else {}
    if file_issues:
        problems["framework_file"] = N_("The file is not a framework silkcore can use")
    context = {
        "mode": mode,
        "framework": _framework_row(framework, language) if framework else None,
        "values": values,
        "problems": problems,
        "fields": FIELDS,
        "labels": LABELS,
        "file_issues": list(file_issues),
        "countries": countries(language),
        "families": FAMILIES,
        "roles": ROLES,
        "approaches": APPROACHES,
    }
    response = render(request, "start.html", context, language=language, status=status, csrf=token)
    return _with_cookie(request, response, token)


async def _create(
    request: Request, web: Web, framework: Framework, described: dict[str, Any], form: StartForm, language: str, team: bool
) -> Response:
    values = form.values
    subject = subject_of(values)
    organisation = organisation_of(values)
    token = new_token()
    if team:
        state = new_state(
            "team",
            described,
            subject,
            language,
            organisation=organisation,
            coordinator={"name": values["coordinator_name"]} if values["coordinator_name"] else None,
            status="open",
        )
        saved = await web.run(web.records.create, token, state)
        invitation = new_state("invitation", described, subject, language, team=saved.record_id)
        await web.run(web.records.create, invitation_token(token), invitation)
        return redirect(request, "team", token=token)
    respondent = {"role": values["role"], **({"name": values["respondent_name"]} if values["respondent_name"] else {})}
    state = new_state(
        "respondent",
        described,
        subject,
        language,
        organisation=organisation,
        respondent=respondent,
        status="in_progress",
        responses=[],
    )
    await web.run(web.records.create, token, state)
    return redirect(request, "resume", token=token)


async def _start(request: Request, team: bool) -> Response:
    web = web_of(request)
    language = negotiate(request)
    framework = web.framework(request.path_params["framework_id"])
    mode = "team" if team else "alone"
    if request.method == "GET":
        return _form_page(request, language, _csrf_token(request), framework=framework, mode=mode)
    web.limits.start(request)
    posted = await read_form(request, START_FORM_BYTES, max_fields=100)
    token = request.cookies.get(CSRF_COOKIE)
    sent = posted.get(CSRF_FIELD)
    check_csrf(sent if isinstance(sent, str) else None, token)
    form = read_start_form(form_lists(posted), language, team=team)
    if form.problems:
        return _form_page(request, language, str(token), framework=framework, mode=mode, form=form, status=422)
    return await _create(request, web, framework, Web.describe(framework), form, language, team)


async def start(request: Request) -> Response:
    """``/start/{framework_id}``: the start form of a respondent answering alone."""
    return await _start(request, team=False)


async def start_team(request: Request) -> Response:
    """``/team/{framework_id}``: the start form of a coordinator opening a team assessment."""
    return await _start(request, team=True)


def _read_framework(web: Web, data: bytes) -> tuple[Framework | None, list[str]]:
    """The uploaded framework, or the one check's problems with it (pointer: message)."""
    try:
        return load_framework(data, registry=web.catalog.schemas), []
    except SilkError as exc:
        issues = getattr(exc, "errors", ()) or ()
        shown = [f"{i.pointer or '/'}: {i.message}" for i in list(issues)[:50]] or [str(exc)]
        return None, shown


async def upload(request: Request) -> Response:
    """``/upload`` (when allowed): answer, alone, a framework given as a file."""
    web = web_of(request)
    language = negotiate(request)
    if request.method == "GET":
        return _form_page(request, language, _csrf_token(request), framework=None, mode="upload")
    web.limits.start(request)
    posted = await read_form(request, web.max_upload_bytes + START_FORM_BYTES, max_fields=100, files=1)
    token = request.cookies.get(CSRF_COOKIE)
    sent = posted.get(CSRF_FIELD)
    check_csrf(sent if isinstance(sent, str) else None, token)
    form = read_start_form(form_lists(posted), language, team=False)
    file = posted.get("framework_file")
    data = await file.read(web.max_upload_bytes + 1) if isinstance(file, UploadFile) else b""
    framework: Framework | None = None
    if not data:
        issues = [N_("Choose a framework file (YAML or JSON)")]
    elif len(data) > web.max_upload_bytes:
        issues = [N_("The file is larger than this questionnaire accepts.")]
    else:
        framework, issues = await web.run(_read_framework, web, data)
    if issues or form.problems or framework is None:
        return _form_page(request, language, str(token), framework=None, mode="upload", form=form, file_issues=issues, status=422)
    # A saved questionnaire keeps a 1.1 framework document (its schema's): declared changes
    # from an earlier version say nothing about the questions asked, and are left out.
    framework = attrs.evolve(framework, changes=None)
    described = Web.describe(framework, framework_document(framework))
    return await _create(request, web, framework, described, form, language, team=False)

"""Team assessments: the coordinator's page, the invitation link, closing.

A coordinator starts a team assessment (:mod:`silkcore.web._start`) and gets two links: the
page of their own, ``/t/{token}``, and one **reusable invitation link**, ``/join/{token}``,
to share with the people who should answer. Each person who opens it gives a name and role
and gets a draft of their own (their own secret link), answered alone; the invitation
token is derived from the coordinator's (:func:`~silkcore.web._start.invitation_token`), so
the coordinator's page can always show it while nothing stores it.

The coordinator's page lists who joined, how far each has got and who has finished; closing
scores every finished respondent's answers together - one score card, with the spread and
disagreements between respondents in its findings - and records the assessment. After
closing, nobody can join or change answers, and every link of the team shows the results.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ._choices import ROLES
from ._context import Web, reached
from ._finish import finished_set, record
from ._http import redirect
from ._i18n import N_, negotiate
from ._pages import closed_error
from ._render import absolute_url, render, url_for
from ._security import CSRF_FIELD, WebError, check_csrf, form_lists, new_token, not_found, read_form
from ._start import START_FORM_BYTES, invitation_token
from ._startform import LABELS, new_state
from ._storage import Saved, utc_stamp
from ._texts import local_text

__all__ = ["MAX_RESPONDENTS", "close", "join", "team", "team_page"]

#: How many respondents may join one team assessment (the scorer consolidates them all).
MAX_RESPONDENTS = 100
#: How many are read back: two people joining at the very same moment may both pass the
#: check above, so a few more than the cap are read (the result's schema keeps 200).
_READ = 200


def _member_row(member: Saved) -> dict[str, Any]:
    state = member.payload
    return {
        "name": state["respondent"].get("name"),
        "role": ROLES.get(state["respondent"]["role"], state["respondent"]["role"]),
        "finished": state.get("status") == "finished",
        "answered": len(state.get("responses", ())),
    }


async def team_page(
    request: Request, web: Web, saved: Saved, token: str, *, problem: str | None = None, status: int = 200
) -> Response:
    """The coordinator's page of an open team assessment."""
    state = saved.payload
    language = negotiate(request, state["language"])
    members = await web.run(web.records.members, saved, _READ)
    framework = web.framework_of(state)
    context = {
        "framework_title": local_text(framework.title, language, framework.default_language),
        "subject": state["subject"],
        "coordinator": state.get("coordinator", {}).get("name"),
        "invitation_url": absolute_url(request, url_for(request, "join", token=invitation_token(token))),
        "team_url": absolute_url(request, url_for(request, "team", token=token)),
        "members": [_member_row(m) for m in members],
        "finished": sum(1 for m in members if m.payload.get("status") == "finished"),
        "close_action": url_for(request, "close", token=token),
        "problem": problem,
    }
    return render(request, "team.html", context, language=language, status=status, csrf=state["csrf"])


async def team(request: Request) -> Response:
    """``GET /t/{token}``: the coordinator's page, or the results once closed."""
    web, saved, token = await reached(request, "team")
    if saved.payload.get("status") == "closed":
        return redirect(request, "team_results", token=token)
    return await team_page(request, web, saved, token)


def _close(web: Web, saved: Saved) -> dict[str, Any] | None:
    """Score the finished respondents together and record the assessment (None: nobody has finished)."""
    framework = web.framework_of(saved.payload)
    members = web.records.members(saved, _READ)
    sets = []
    for member in members:
        state = member.payload
        if state.get("status") == "finished":
            answered = finished_set(web, framework, state, state["finished_at"])
            if answered is not None:  # checked when they finished; a framework changed since may refuse it
                sets.append(answered)
    return record(web, framework, sets) if sets else None


async def close(request: Request) -> Response:
    """``POST /t/{token}/close``: close the assessment and score it (GET: the team's page)."""
    web, saved, token = await reached(request, "team")
    if saved.payload.get("status") == "closed":
        return redirect(request, "team_results", token=token)
    if request.method == "GET":
        return redirect(request, "team", token=token)
    web.limits.submit(request)
    form = await read_form(request, START_FORM_BYTES, max_fields=20)
    sent = form.get(CSRF_FIELD)
    check_csrf(sent if isinstance(sent, str) else None, saved.payload["csrf"])
    result = await web.run(_close, web, saved)
    if result is None:
        problem = N_("Nobody has finished yet: the assessment can be closed once someone has.")
        return await team_page(request, web, saved, token, problem=problem, status=422)
    state = {**saved.payload, "status": "closed", "finished_at": utc_stamp(), "result": result}
    await web.run(web.records.save, saved, state)
    return redirect(request, "team_results", token=token)


def _join_problems(form: dict[str, list[str]]) -> tuple[dict[str, Any], dict[str, str]]:
    name = (form.get("respondent_name") or [""])[0].strip()
    role = (form.get("role") or [""])[0].strip()
    problems: dict[str, str] = {}
    if len(name) > 200 or any(ord(c) < 32 for c in name):
        problems["respondent_name"] = N_("Enter a name of at most 200 characters, or leave it empty")
    if role not in ROLES:
        problems["role"] = N_("Choose your role in the organisation")
    return {"respondent_name": name, "role": role}, problems


async def join(request: Request) -> Response:
    """``/join/{token}``: the invitation; posted, a new respondent joins the team."""
    web, invitation, token = await reached(request, "invitation")
    team_saved = await web.run(web.records.by_id, invitation.payload["team"], "team")
    if team_saved is None:
        raise not_found()
    state = team_saved.payload
    if state.get("status") == "closed":
        raise closed_error()
    language = negotiate(request, state["language"])
    values: dict[str, Any] = {"respondent_name": "", "role": ""}
    problems: dict[str, str] = {}
    if request.method == "POST":
        web.limits.start(request)
        form = await read_form(request, START_FORM_BYTES, max_fields=20)
        sent = form.get(CSRF_FIELD)
        check_csrf(sent if isinstance(sent, str) else None, invitation.payload["csrf"])
        values, problems = _join_problems(form_lists(form))
        if not problems:
            members = await web.run(web.records.members, team_saved, MAX_RESPONDENTS + 1)
            if len(members) >= MAX_RESPONDENTS:
                raise WebError(409, N_("This team assessment already has as many respondents as it can take."))
            respondent = {"role": values["role"], **({"name": values["respondent_name"]} if values["respondent_name"] else {})}
            draft = new_state(
                "respondent",
                state["framework"],
                state["subject"],
                language,
                organisation=state.get("organisation"),
                respondent=respondent,
                team=team_saved.record_id,
                status="in_progress",
                responses=[],
            )
            own = new_token()
            await web.run(web.records.create, own, draft)
            return redirect(request, "resume", token=own)
    framework = web.framework_of(state)
    context = {
        "framework_title": local_text(framework.title, language, framework.default_language),
        "subject": state["subject"],
        "values": values,
        "problems": problems,
        "fields": ("respondent_name", "role"),
        "labels": LABELS,
        "roles": ROLES,
        "action": url_for(request, "join", token=token),
    }
    return render(
        request, "join.html", context, language=language, status=422 if problems else 200, csrf=invitation.payload["csrf"]
    )

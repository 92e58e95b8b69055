"""A respondent answering: the question pages, the steps of a guided walk, the check of the
answers and finishing. Every route here is reached through the respondent's secret link
``/r/{token}``.

Every posted page is saved as a new version of the draft before anything else is decided,
so an answer given is never lost - not even one the check refuses, which is shown again
beside its field. The draft remembers the page reached (``position``): the link brings the
respondent back there, on any device.

* ``GET /r/{token}`` - back to where the respondent stopped (or to the results);
* ``/r/{token}/p/{number}`` - a category's page (``_action=continue`` or ``finish``);
* ``/r/{token}/step`` - the step a guided framework's walk has reached;
* ``GET /r/{token}/review`` - every answer, with what the check finds wrong;
* ``POST /r/{token}/finish`` - finish: alone, the answers are scored and recorded at once;
  in a team, they wait for the coordinator to close the assessment.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from .._framework import Framework
from ._answer import Answer
from ._context import Web, reached
from ._finish import answers_of, draft_document, finished_set, problems_of, record
from ._forms import page_view, pages, parse_page, revealed_items
from ._guided import parse_step, step_view
from ._http import redirect
from ._i18n import N_, negotiate
from ._render import absolute_url, render, url_for
from ._security import CSRF_FIELD, WebError, check_csrf, form_lists, not_found, read_form
from ._storage import Saved, utc_stamp

__all__ = ["finish", "page", "resume", "review", "step"]


def closed_error() -> WebError:
    """The answer to a respondent whose team assessment was closed before they finished."""
    return WebError(409, N_("The coordinator has closed this assessment: answers can no longer be changed or added."))


async def _team_of(web: Web, state: Mapping[str, Any]) -> Saved | None:
    team_id = state.get("team")
    return None if team_id is None else await web.run(web.records.by_id, team_id, "team")


async def _open_draft(request: Request) -> tuple[Web, Saved, str, Framework, str]:
    """A draft still being answered: 404 if unknown, 409 if its team was closed, and a
    redirect to the results (raised as :class:`_Finished`) once it is finished."""
    web, saved, token = await reached(request, "respondent")
    state = saved.payload
    if state.get("status") == "finished":
        raise _Finished(token)
    team = await _team_of(web, state)
    if team is not None and team.payload.get("status") == "closed":
        raise closed_error()
    return web, saved, token, web.framework_of(state), negotiate(request, state["language"])


class _Finished(Exception):
    """A finished draft's pages lead to its results."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.token = token


def _common(request: Request, token: str, saved: Saved, language: str) -> dict[str, Any]:
    """What every page of a draft passes its template (the question templates name the
    language ``language`` and the CSRF secret ``csrf_token``)."""
    return {
        "language": language,
        "csrf_token": saved.payload["csrf"],
        "resume_url": absolute_url(request, url_for(request, "resume", token=token)),
        "review_url": url_for(request, "review", token=token),
        "subject": saved.payload["subject"],
    }


async def resume(request: Request) -> Response:
    """``GET /r/{token}``: the page the respondent stopped at."""
    try:
        _web, saved, token, framework, _language = await _open_draft(request)
    except _Finished as done:
        return redirect(request, "results", token=done.token)
    if framework.graph is not None:
        return redirect(request, "step", token=token)
    position = saved.payload.get("position")
    numbers = {p.category.id: p.index + 1 for p in pages(framework)}
    return redirect(request, "page", token=token, number=numbers.get(position or "", 1))


async def _save(web: Web, saved: Saved, framework: Framework, answers: Mapping[str, Answer], position: str) -> Saved:
    state = dict(saved.payload)
    state["responses"] = draft_document(framework, state, answers)["responses"]
    state["position"] = position
    return await web.run(web.records.save, saved, state)


async def _posted(request: Request, web: Web, saved: Saved) -> dict[str, list[str]]:
    """A posted page's fields, after the rate limit and the CSRF check."""
    web.limits.submit(request)
    form = await read_form(request, web.max_form_bytes)
    sent = form.get(CSRF_FIELD)
    check_csrf(sent if isinstance(sent, str) else None, saved.payload["csrf"])
    return form_lists(form)


def _page_response(
    request: Request,
    token: str,
    saved: Saved,
    framework: Framework,
    number: int,
    language: str,
    answers: Mapping[str, Answer],
    *,
    issues: Mapping[str, Sequence[str]] | None = None,
    submitted: Mapping[str, Sequence[str]] | None = None,
    revealed: Sequence[str] = (),
    status: int = 200,
) -> Response:
    view = page_view(framework, number - 1, answers, language, issues, submitted=submitted, revealed=revealed)
    context = {
        **_common(request, token, saved, language),
        "view": view,
        "form_action": url_for(request, "page", token=token, number=number),
        "back_url": url_for(request, "page", token=token, number=number - 1) if number > 1 else None,
    }
    return render(request, "question.html", context, language=language, status=status)


async def page(request: Request) -> Response:
    """``/r/{token}/p/{number}``: one category's questions; posted, the answers are saved and
    the next page follows (``continue``), or the questionnaire is finished (``finish``)."""
    try:
        web, saved, token, framework, language = await _open_draft(request)
    except _Finished as done:
        return redirect(request, "results", token=done.token)
    if framework.graph is not None:
        return redirect(request, "step", token=token)
    number = int(request.path_params["number"])
    all_pages = pages(framework)
    if not 1 <= number <= len(all_pages):
        raise not_found()
    answers = answers_of(saved.payload)
    if request.method == "GET":
        return _page_response(request, token, saved, framework, number, language, answers)
    form = await _posted(request, web, saved)
    action = (form.get("_action") or ["continue"])[0]
    merged, problems = parse_page(framework, number - 1, form, answers)
    revealed = revealed_items(framework, number - 1, answers, merged)
    stay = bool(problems or revealed)
    last = number == len(all_pages)
    following = all_pages[number - 1 if stay or last else number].category.id
    saved = await _save(web, saved, framework, merged, following)
    if stay:
        return _page_response(
            request,
            token,
            saved,
            framework,
            number,
            language,
            merged,
            issues=problems,
            submitted=form if problems else None,
            revealed=revealed,
            status=422 if problems else 200,
        )
    if action == "finish" or last:
        return await _finish(request, web, saved, token, framework, language)
    return redirect(request, "page", token=token, number=number + 1)


def _step_response(
    request: Request,
    token: str,
    saved: Saved,
    framework: Framework,
    language: str,
    answers: Mapping[str, Answer],
    *,
    issues: Mapping[str, Sequence[str]] | None = None,
    submitted: Mapping[str, Sequence[str]] | None = None,
    revisits: Sequence[Any] = (),
    status: int = 200,
) -> Response:
    view = step_view(framework, answers, language, issues, submitted=submitted, revisits=revisits)
    context = {
        **_common(request, token, saved, language),
        "view": view,
        "form_action": url_for(request, "step", token=token),
        "back_url": None,
    }
    return render(request, "guided.html", context, language=language, status=status)


async def step(request: Request) -> Response:
    """``/r/{token}/step``: the step a guided walk has reached; posted, its answers are saved
    and the walk goes on (the next step says so when an answer sent it back)."""
    try:
        web, saved, token, framework, language = await _open_draft(request)
    except _Finished as done:
        return redirect(request, "results", token=done.token)
    if framework.graph is None:
        return redirect(request, "resume", token=token)
    answers = answers_of(saved.payload)
    if request.method == "GET":
        return _step_response(request, token, saved, framework, language, answers)
    form = await _posted(request, web, saved)
    action = (form.get("_action") or ["continue"])[0]
    if action == "finish" and step_view(framework, answers, language).finished:
        return await _finish(request, web, saved, token, framework, language)
    outcome = parse_step(framework, form, answers)
    saved = await _save(web, saved, framework, outcome.answers, "step")
    if outcome.issues:
        return _step_response(
            request, token, saved, framework, language, outcome.answers, issues=outcome.issues, submitted=form, status=422
        )
    if outcome.revisits:  # shown at once: the next step explains why the walk went back
        return _step_response(request, token, saved, framework, language, outcome.answers, revisits=outcome.revisits)
    return redirect(request, "step", token=token)


def _review_response(
    request: Request, token: str, saved: Saved, framework: Framework, language: str, status: int = 200
) -> Response:
    answers = answers_of(saved.payload)
    problems = problems_of(framework, saved.payload)
    numbers: dict[str, int] = {}
    views = []
    for each in pages(framework):
        view = page_view(framework, each.index, answers, language, problems)
        views.append(view)
        for item in view.items:
            numbers[item.id] = each.index + 1
    guided = framework.graph is not None
    context = {
        **_common(request, token, saved, language),
        "pages": views,
        "guided": guided,
        "change_url": (lambda n: url_for(request, "step", token=token))
        if guided
        else (lambda n: url_for(request, "page", token=token, number=n)),
        "problems": [(numbers.get(item_id), message) for item_id, messages in problems.items() for message in messages],
        "finish_action": url_for(request, "finish", token=token),
        "team": saved.payload.get("team") is not None,
    }
    return render(request, "review.html", context, language=language, status=status, csrf=saved.payload["csrf"])


async def review(request: Request) -> Response:
    """``GET /r/{token}/review``: every answer, what the check finds wrong, and Finish."""
    try:
        _web, saved, token, framework, language = await _open_draft(request)
    except _Finished as done:
        return redirect(request, "results", token=done.token)
    return _review_response(request, token, saved, framework, language)


async def _finish(request: Request, web: Web, saved: Saved, token: str, framework: Framework, language: str) -> Response:
    """Finish a draft whose answers pass the one check (else: the review page, 422)."""
    state = dict(saved.payload)
    finished_at = utc_stamp()
    if state.get("team") is not None:
        if await web.run(problems_of, framework, state):
            return _review_response(request, token, saved, framework, language, status=422)
    else:
        answered = await web.run(finished_set, web, framework, state, finished_at)
        if answered is None:
            return _review_response(request, token, saved, framework, language, status=422)
        state["result"] = await web.run(record, web, framework, [answered])
    state["status"] = "finished"
    state["finished_at"] = finished_at
    await web.run(web.records.save, saved, state)
    return redirect(request, "results", token=token)


async def finish(request: Request) -> Response:
    """``POST /r/{token}/finish``: finish from the review page (asked for with GET, as a
    language link on a page this route drew does, it is the review page)."""
    try:
        web, saved, token, framework, language = await _open_draft(request)
    except _Finished as done:
        return redirect(request, "results", token=done.token)
    if request.method == "GET":
        return redirect(request, "review", token=token)
    await _posted(request, web, saved)
    return await _finish(request, web, saved, token, framework, language)

"""Results: the score card as a page, the organisation's report, similar cases and strategy
options, and the downloads.

A finished questionnaire (a respondent alone, or a closed team) keeps its result: the
response sets scored and their score card as documents. Everything here is drawn from
them, so each download is exactly what was scored:

* ``scorecard.json`` - the score card, in the bytes ``silk assess --json`` prints for the
  downloaded response sets (:func:`~silkcore._documents.dump_document`, compact, one line);
* ``response-sets.jsonl`` - the response sets in JSON Lines, one document a line, in the
  order they were scored (``silk validate`` reads the file; ``silk assess`` takes each line);
* ``response-sets/{n}.json`` - one response set, a document of its own;
* ``report.html`` - the organisation's report (:mod:`silkcore.report`), one offline file.

The results page links the two exchange documents with ``<link rel="alternate"
type="application/json">`` elements titled ``scorecard`` and ``response-sets``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .._assessment import ResponseSet, ScoreCard
from .._documents import dump_document, load_document
from .._errors import SilkError
from .._framework import Framework
from ..report import write_organisation_report
from ._context import Web, reached
from ._finish import profile_documents
from ._http import Endpoint, download, guarded, redirect
from ._i18n import negotiate
from ._render import render, url_for
from ._resultview import card_view, cases_view, strategies_view
from ._security import not_found
from ._storage import Saved

__all__ = ["REPORT_POLICY", "routes"]

#: The report's own policy: it is one self-contained file with its style inline and no script.
REPORT_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


async def _finished(request: Request, team: bool) -> tuple[Web, Saved, str, Saved | None, str]:
    """The record the link reaches (a coordinator's with ``team``, else a respondent's), its
    token, the record whose result is shown (None while a team respondent waits for the team
    to close, or before the end) and the prefix of its routes' names."""
    if team:
        web, saved, token = await reached(request, "team")
        return web, saved, token, (saved if saved.payload.get("status") == "closed" else None), "team_"
    web, saved, token = await reached(request, "respondent")
    if saved.payload.get("status") != "finished":
        return web, saved, token, None, ""
    team_id = saved.payload.get("team")
    if team_id is None:
        return web, saved, token, saved, ""
    holder = await web.run(web.records.by_id, team_id, "team")
    return web, saved, token, (holder if holder is not None and holder.payload.get("status") == "closed" else None), ""


def _documents(web: Web, result: Mapping[str, Any], framework: Framework) -> tuple[ScoreCard, list[ResponseSet]]:
    """The result's score card and response sets as entities, read by the one path."""
    resolve = lambda _framework_id: framework  # noqa: E731 - checked against the framework answered
    card = load_document(dict(result["scorecard"]), registry=web.catalog.schemas)
    sets = [load_document(dict(doc), registry=web.catalog.schemas, frameworks=resolve) for doc in result["response_sets"]]
    return card, sets


def _analyses(web: Web, state: Mapping[str, Any], sets: list[ResponseSet]) -> dict[str, Any]:
    """Similar cases (Tool 4) and strategy options (Tool 5), when plugins offer them."""
    offered = {analysis.id: analysis for analysis in web.catalog.analyses()}
    documents = [*profile_documents(state), *sets]
    found: dict[str, Any] = {}
    for key, analysis_id in (("cases", "silk.cases.similar"), ("strategies", "silk.impact-grid.compare")):
        analysis = offered.get(analysis_id)
        if analysis is None:
            continue
        try:
            found[key] = analysis.run(documents)
        except SilkError:  # the plugin's failure is recorded by the catalog; the page shows the rest
            found[key] = None
    return found


async def _results(request: Request, team: bool) -> Response:
    """``GET /r/{token}/results`` and ``GET /t/{token}/results``."""
    web, saved, token, holder, prefix = await _finished(request, team)
    language = negotiate(request, saved.payload["language"])
    if holder is None:
        if prefix == "team_":
            return redirect(request, "team", token=token)
        if saved.payload.get("status") != "finished":
            return redirect(request, "resume", token=token)
        return render(request, "waiting.html", {"subject": saved.payload["subject"]}, language=language)
    state = holder.payload
    framework = web.framework_of(state)
    card, sets = await web.run(_documents, web, state["result"], framework)
    analyses = await web.run(_analyses, web, state, sets)
    links = {
        "scorecard": url_for(request, prefix + "scorecard", token=token),
        "response_sets": url_for(request, prefix + "response_sets", token=token),
        "report": url_for(request, prefix + "report", token=token),
        "sets": [url_for(request, prefix + "response_set", token=token, number=n) for n in range(1, len(sets) + 1)],
    }
    context = {
        "card": card_view(framework, card, sets, language),
        "subject": state["subject"],
        "assessment_id": state["result"]["assessment_id"],
        "links": links,
        "cases": cases_view(analyses, language) if "cases" in analyses else None,
        "strategies": strategies_view(analyses, state) if "strategies" in analyses else None,
        "team": prefix == "team_" or saved.payload.get("team") is not None,
    }
    return render(request, "results.html", context, language=language)


async def _result_of(request: Request, team: bool) -> tuple[Web, Mapping[str, Any], Framework]:
    web, _saved, _token, holder, _prefix = await _finished(request, team)
    if holder is None:
        raise not_found()
    return web, holder.payload, web.framework_of(holder.payload)


async def _download_scorecard(request: Request, team: bool) -> Response:
    """The score card, byte for byte as ``silk assess --json`` prints it."""
    web, state, framework = await _result_of(request, team)
    card, _sets = await web.run(_documents, web, state["result"], framework)
    return download((dump_document(card, indent=None) + "\n").encode(), "application/json", "scorecard.json")


async def _download_response_sets(request: Request, team: bool) -> Response:
    """Every response set scored, in JSON Lines."""
    web, state, framework = await _result_of(request, team)
    _card, sets = await web.run(_documents, web, state["result"], framework)
    body = "".join(dump_document(s, indent=None) + "\n" for s in sets)
    return download(body.encode(), "application/jsonl", "response-sets.jsonl")


async def _download_response_set(request: Request, team: bool) -> Response:
    """One response set (``number`` from 1), a JSON document of its own."""
    web, state, framework = await _result_of(request, team)
    _card, sets = await web.run(_documents, web, state["result"], framework)
    number = int(request.path_params["number"])
    if not 1 <= number <= len(sets):
        raise not_found()
    return download(
        (dump_document(sets[number - 1], indent=None) + "\n").encode(), "application/json", f"response-set-{number}.json"
    )


def _report(web: Web, state: Mapping[str, Any], framework: Framework) -> bytes:
    card, sets = _documents(web, state["result"], framework)
    documents = [*profile_documents(state), *sets]
    with tempfile.TemporaryDirectory(prefix="silkcore-web-report-") as folder:
        path = Path(folder) / "report.html"
        # No history: an organisation id is whatever a respondent typed, so the stored
        # assessments under it may be another organisation's.
        write_organisation_report(web.catalog, documents, [card], [], path, frameworks=lambda _framework_id: framework)
        return path.read_bytes()


async def _download_report(request: Request, team: bool) -> Response:
    """The organisation's report, one offline HTML file."""
    web, state, framework = await _result_of(request, team)
    body = await web.run(_report, web, state, framework)
    return Response(
        body,
        media_type="text/html",
        headers={"Content-Security-Policy": REPORT_POLICY, "Content-Disposition": 'inline; filename="report.html"'},
    )


def _bound(endpoint: Any, team: bool) -> Endpoint:
    async def bound(request: Request) -> Response:
        response: Response = await endpoint(request, team)
        return response

    bound.__name__ = bound.__qualname__ = endpoint.__name__.lstrip("_") + ("_team" if team else "")
    return guarded(bound)


def routes() -> list[Route]:
    """The results and downloads of a respondent (``/r/{token}/...``) and of a team (``/t/{token}/...``)."""
    found = []
    for prefix, names, team in (("/r", "", False), ("/t", "team_", True)):
        found += [
            Route(prefix + "/{token}/results", _bound(_results, team), name=names + "results", methods=["GET"]),
            Route(
                prefix + "/{token}/scorecard.json", _bound(_download_scorecard, team), name=names + "scorecard", methods=["GET"]
            ),
            Route(
                prefix + "/{token}/response-sets.jsonl",
                _bound(_download_response_sets, team),
                name=names + "response_sets",
                methods=["GET"],
            ),
            Route(
                prefix + "/{token}/response-sets/{number:int}.json",
                _bound(_download_response_set, team),
                name=names + "response_set",
                methods=["GET"],
            ),
            Route(prefix + "/{token}/report.html", _bound(_download_report, team), name=names + "report", methods=["GET"]),
        ]
    return found

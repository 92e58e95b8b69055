"""From saved answers to a recorded assessment, as ``silk assess --store`` makes one.

A respondent's answers become a response set document (:func:`~silkcore.web._forms.response_set`),
read back through the one path every document takes (:func:`~silkcore._documents.load_document`,
checked against the framework it answers), scored by the framework's scorer - the same call
``silk assess`` makes (:func:`silkcore.assess`) - and recorded with
:meth:`~silkcore._store.base.Store.record_assessment`. The result kept with the draft or
team holds the response sets and the score card as documents, so what is downloaded later
is exactly what was scored, whatever plugin upgrade happens in between.

Everything here blocks (scoring, the store): the routes run it in the thread pool.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from .. import assess
from .._assessment import Respondent, ResponseSet, ScoreCard
from .._documents import load_document, to_document
from .._framework import Framework
from .._model import Approach, Organisation, OrgRef, SseFamily, Strategy, StrategyStatus
from ._answer import Answer, answers_from_document
from ._context import Web
from ._forms import field_issues, response_set

__all__ = ["answers_of", "finished_set", "profile_documents", "record", "subject_ref"]


def subject_ref(state: Mapping[str, Any]) -> OrgRef:
    """The organisation a saved questionnaire is about."""
    subject = state["subject"]
    return OrgRef(subject["org_id"], subject.get("name"), subject.get("country"))


def answers_of(state: Mapping[str, Any]) -> dict[str, Answer]:
    """The answers a respondent's draft holds."""
    return answers_from_document({"responses": state.get("responses", [])})


def draft_document(framework: Framework, state: Mapping[str, Any], answers: Mapping[str, Answer]) -> dict[str, Any]:
    """The answers as the response set document they would be sent as (to check them)."""
    role = state["respondent"]
    return response_set(framework, answers, subject_ref(state), Respondent(role["role"], role.get("name")), state["language"])


def problems_of(framework: Framework, state: Mapping[str, Any]) -> dict[str, list[str]]:
    """What the one check finds wrong with the answers so far, by item id."""
    return field_issues(framework, draft_document(framework, state, answers_of(state)))


def finished_set(web: Web, framework: Framework, state: Mapping[str, Any], finished_at: str) -> ResponseSet | None:
    """A respondent's answers as the response set that is scored, or None when the one
    check refuses them (:func:`problems_of` says why)."""
    role = state["respondent"]
    document = response_set(
        framework,
        answers_of(state),
        subject_ref(state),
        Respondent(role["role"], role.get("name")),
        state["language"],
        response_set_id=f"urn:uuid:{uuid.uuid4()}",
        collected_at=dt.datetime.fromisoformat(finished_at.replace("Z", "+00:00")),
    )
    if field_issues(framework, document):
        return None
    entity = load_document(document, registry=web.catalog.schemas, frameworks=lambda _framework_id: framework)
    assert isinstance(entity, ResponseSet)  # the document names the response set schema
    return entity


def record(web: Web, framework: Framework, sets: Sequence[ResponseSet]) -> dict[str, Any]:
    """Score ``sets`` together as ``silk assess`` does, record the assessment in the
    history, and return the result a draft or team keeps."""
    card: ScoreCard = assess(framework, list(sets), catalog=web.catalog)
    assessment_id = web.store.backend().record_assessment(list(sets), card)
    return {
        "assessment_id": assessment_id,
        "scorecard": to_document(card),
        "response_sets": [to_document(s) for s in sets],
    }


def profile_documents(state: Mapping[str, Any]) -> list[Any]:
    """The organisation and its approaches as documents, for similar cases (Tool 4),
    strategy options (Tool 5) and the report. An organisation document needs a country and
    a family; approaches become strategies the organisation is considering."""
    subject = subject_ref(state)
    facts = state.get("organisation", {})
    documents: list[Any] = []
    if subject.country and facts.get("sse_family"):
        documents.append(
            Organisation(
                subject.org_id,
                subject.name or subject.org_id,
                SseFamily(facts["sse_family"]),
                subject.country,
                sector=facts.get("sector"),
            )
        )
    for approach in facts.get("approaches", ()):
        documents.append(
            Strategy(f"urn:silkcore:web:strategy:{approach}", Approach(approach), subject, StrategyStatus.CONSIDERED)
        )
    return documents

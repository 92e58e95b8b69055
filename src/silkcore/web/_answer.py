"""One respondent's answers while they answer: a value or a status per item id, and which
items apply given them.

The questionnaire keeps answers as a plain mapping ``item id -> Answer`` between requests (a
draft); a response set document is built from it only when one is needed
(:func:`silkcore.web._forms.response_set`). Whether an item applies is decided by the one
evaluation of applicability rules in silkcore, :func:`silkcore._answers.rule_holds`, fed the
same answer values the scorer and the guide feed it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from .._answers import rule_holds
from .._assessment import AnswerStatus, AnswerValue, Response
from .._errors import DataError, Issue
from .._framework import Framework, Item

__all__ = ["Answer", "answers_from_document", "answers_from_responses", "applies", "still_applying", "values_of"]


@attrs.frozen
class Answer:
    """An answer to one item: a ``value`` (typed as in a response set: a number, text, a
    boolean, a tuple of options) or a ``status`` (not applicable, unknown), never both."""

    value: AnswerValue | None = None
    status: AnswerStatus | None = None

    def __attrs_post_init__(self) -> None:
        if (self.value is None) == (self.status is None):
            raise DataError([Issue("", "an answer has a value or a status (not_applicable, unknown), exactly one")])
        if self.status is not None and not isinstance(self.status, AnswerStatus):
            raise DataError([Issue("/status", f"expected an AnswerStatus, got {self.status!r}")])

    def to_json(self) -> dict[str, Any]:
        """The answer as a response set writes it (without the item id): ``{"value": ...}``
        (a multiple choice as a list) or ``{"status": ...}``."""
        if self.status is not None:
            return {"status": self.status.value}
        return {"value": list(self.value) if isinstance(self.value, tuple) else self.value}


def answers_from_responses(responses: Iterable[Response]) -> dict[str, Answer]:
    """The answers held by response set entries (a resumed draft, a walked guide); comments,
    evidence and confidence are not part of an answer here."""
    return {r.item_id: Answer(r.value, r.status) for r in responses}


def answers_from_document(document: Mapping[str, Any]) -> dict[str, Answer]:
    """The answers of a response set *document* (as :func:`~silkcore.web._forms.response_set`
    writes it, e.g. a stored draft): lists become tuples, as entities hold multiple choices.
    A malformed entry is a :class:`DataError` naming its JSON Pointer."""
    answers: dict[str, Answer] = {}
    for position, entry in enumerate(document.get("responses", ())):
        if not isinstance(entry, Mapping) or not isinstance(entry.get("item_id"), str):
            raise DataError([Issue(f"/responses/{position}", "expected a response with an item_id")])
        value = entry.get("value")
        status = entry.get("status")
        try:
            answers[entry["item_id"]] = Answer(
                tuple(value) if isinstance(value, list) else value,
                AnswerStatus(status) if status is not None else None,
            )
        except (ValueError, DataError):
            raise DataError([Issue(f"/responses/{position}", "expected a value or a status (not_applicable, unknown)")]) from None
    return answers


def values_of(answers: Mapping[str, Answer]) -> dict[str, AnswerValue]:
    """The answers that carry a value, as applicability rules read them: an item answered with
    a status (not applicable, unknown) satisfies no condition on it, as in the scorer and the
    guide."""
    return {item_id: answer.value for item_id, answer in answers.items() if answer.value is not None}


def applies(item: Item, values: Mapping[str, AnswerValue]) -> bool:
    """Whether ``item`` is asked given these answer values (see :func:`values_of`)."""
    return rule_holds(item.applies_if, values)


def still_applying(framework: Framework, answers: Mapping[str, Answer]) -> dict[str, Answer]:
    """``answers`` without those to items that no longer apply. Repeated until nothing more
    goes: dropping one answer can make another item's rule fail in turn (a chain of
    conditions), and the scorer reads the answers that remain."""
    kept = dict(answers)
    items = {item.id: item for item in framework.items}
    while True:
        values = values_of(kept)
        gone = [i for i in kept if i in items and not applies(items[i], values)]
        if not gone:
            return kept
        for item_id in gone:
            del kept[item_id]

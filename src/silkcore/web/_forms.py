"""The question pages: a framework answered category by category.

Pure functions between the framework, a respondent's answers so far and a submitted form;
the routes hold the drafts and the templates draw the views:

* :func:`pages` - one page per category, in order;
* :func:`page_view` - what ``question.html`` draws for one page: the items that apply given
  the answers (the one rule evaluation, :func:`silkcore._answers.rule_holds`), each as a
  control model, with progress and error messages;
* :func:`parse_page` - a submitted page back into typed answers, with the problems found
  (:func:`parse_items` for any set of items, such as one step of a guided walk);
* :func:`response_set` - the answers as the response set document ``silk assess`` reads;
* :func:`field_issues` - the one check on that document (:func:`silkcore._documents.check`,
  as ``silk validate`` runs it), each issue placed on the item it concerns.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import attrs

from .._assessment import Respondent, ResponseSet
from .._documents import to_document, validate
from .._errors import Issue
from .._framework import Category, Framework
from .._model import OrgRef
from .._objcache import PerObject
from ._answer import Answer, applies, still_applying, values_of
from ._controls import ItemView, Message, item_view, message_of, parse_item
from ._texts import LocalText, local_text

__all__ = [
    "ErrorLink",
    "Page",
    "answer_issues",
    "PageView",
    "field_issues",
    "page_view",
    "pages",
    "parse_items",
    "parse_page",
    "response_set",
    "revealed_items",
]

#: The organisation a draft's answers are checked under before the respondent's own subject
#: is known: :func:`field_issues` places issues on items, which never depend on it.
_DRAFT_SUBJECT = OrgRef("urn:silk:draft")


@attrs.frozen
class Page:
    """One question page: a category and its items, in the framework's order."""

    index: int
    category: Category
    item_ids: tuple[str, ...]


@attrs.frozen
class ErrorLink:
    """One line of the error summary at the top of a page: the message, the number of the
    question it is about and the control it links to (None for a problem with the whole page)."""

    message: Message
    number: str | None
    href: str | None


@attrs.frozen
class PageView:
    """What ``question.html`` needs to draw one page.

    ``index`` counts from 0 and ``number`` from 1 over ``total`` pages; ``answered`` of
    ``applicable`` items are answered in the whole framework, ``page_answered`` of
    ``page_applicable`` on this page. ``items`` are the page's items that apply, in order.
    ``errors`` is the error summary (every field's messages, then ``general_errors``, those
    about no one item). ``revealed`` is set when answers on this page made more of its items
    apply, so the page is shown again with them."""

    framework_id: str
    framework_title: LocalText
    language: str
    index: int
    total: int
    category_id: str
    title: LocalText
    description: LocalText | None
    items: tuple[ItemView, ...]
    answered: int
    applicable: int
    page_answered: int
    page_applicable: int
    errors: tuple[ErrorLink, ...]
    general_errors: tuple[Message, ...]
    revealed: bool

    @property
    def number(self) -> int:
        """The page's number, from 1."""
        return self.index + 1

    @property
    def is_first(self) -> bool:
        """Whether this is the first page."""
        return self.index == 0

    @property
    def is_last(self) -> bool:
        """Whether this is the last page."""
        return self.index == self.total - 1


def _pages(framework: Framework) -> list[Page]:
    return [
        Page(index, category, tuple(item.id for item in framework.items if item.category == category.id))
        for index, category in enumerate(framework.categories)
    ]


_PAGES: PerObject[Framework, list[Page]] = PerObject(_pages)


def pages(framework: Framework) -> list[Page]:
    """One page per category, in the framework's order - also a category none of whose items
    applies (whether an item applies depends on the answers, so it is decided per request)."""
    return list(_PAGES(framework))


def _page(framework: Framework, page_index: int) -> Page:
    all_pages = _PAGES(framework)
    if not 0 <= page_index < len(all_pages):
        raise IndexError(f"{framework.id} has pages 0 to {len(all_pages) - 1}, not {page_index}")
    return all_pages[page_index]


def page_view(
    framework: Framework,
    page_index: int,
    answers: Mapping[str, Answer],
    language: str,
    issues: Mapping[str, Sequence[str]] | None = None,
    *,
    submitted: Mapping[str, Sequence[str]] | None = None,
    revealed: Collection[str] = (),
) -> PageView:
    """The view of page ``page_index`` (from 0) given ``answers``, in ``language``.

    ``issues`` are messages by item id (``""``: about no one item), as :func:`parse_page`
    and :func:`field_issues` give them. ``submitted`` is the form as posted, to show again
    what was typed when it is refused (a number written as words); ``revealed`` names items
    that have just come to apply (:func:`revealed_items`)."""
    page = _page(framework, page_index)
    issues = issues or {}
    values = values_of(answers)
    default = framework.default_language
    shown = [framework.item(i) for i in page.item_ids if applies(framework.item(i), values)]
    views = tuple(
        item_view(
            framework,
            item,
            position,
            answers.get(item.id),
            language,
            issues.get(item.id, ()),
            submitted[item.id] if submitted is not None and item.id in submitted else None,
            item.id in revealed,
        )
        for position, item in enumerate(shown, start=1)
    )
    applicable = [item for item in framework.items if applies(item, values)]
    general = tuple(message_of(m) for m in issues.get("", ()))
    summary = [ErrorLink(m, v.number, f"#{v.dom_id}") for v in views for m in v.errors]
    summary += [ErrorLink(m, None, None) for m in general]
    category = page.category
    return PageView(
        framework_id=framework.id,
        framework_title=local_text(framework.title, language, default),
        language=language,
        index=page.index,
        total=len(_PAGES(framework)),
        category_id=category.id,
        title=local_text(category.title, language, default),
        description=local_text(category.description, language, default) if category.description else None,
        items=views,
        answered=sum(1 for item in applicable if item.id in answers),
        applicable=len(applicable),
        page_answered=sum(1 for v in views if v.id in answers),
        page_applicable=len(views),
        errors=tuple(summary),
        general_errors=general,
        revealed=bool(revealed),
    )


def parse_page(
    framework: Framework,
    page_index: int,
    form: Mapping[str, Sequence[str]],
    answers: Mapping[str, Answer],
) -> tuple[dict[str, Answer], dict[str, list[str]]]:
    """The answers after page ``page_index`` is submitted with ``form`` (every value posted
    under each name), and the problems found, by item id: see :func:`parse_items`; the
    page's items that applied when it was drawn are the ones read."""
    page = _page(framework, page_index)
    values = values_of(answers)
    shown = [i for i in page.item_ids if applies(framework.item(i), values)]
    return parse_items(framework, shown, form, answers)


def parse_items(
    framework: Framework,
    item_ids: Sequence[str],
    form: Mapping[str, Sequence[str]],
    answers: Mapping[str, Answer],
) -> tuple[dict[str, Answer], dict[str, list[str]]]:
    """The answers after a form showing ``item_ids`` is submitted, and the problems found.

    Each of those items takes what the form says: a typed value, a status, or no answer when
    left empty. An answer that cannot be read (a number written as words) or that the one
    check refuses (:func:`answer_issues`: a number out of range, a date that does not exist)
    is a problem, and that item keeps its earlier answer; the form shows what was typed
    (``submitted`` of :func:`page_view`). Answers to other items are kept, except those of
    items that no longer apply, which are dropped. So the answers returned always pass the
    check."""
    merged = dict(answers)
    problems: dict[str, list[str]] = {}
    for item_id in item_ids:
        answer, found = parse_item(framework, framework.item(item_id), form.get(item_id, ()))
        if found:
            problems[item_id] = found
        elif answer is None:
            merged.pop(item_id, None)
        else:
            merged[item_id] = answer
    merged = still_applying(framework, merged)
    checked = answer_issues(framework, merged)
    for item_id in item_ids:
        if item_id in checked and item_id not in problems:
            problems[item_id] = checked[item_id]
            if item_id in answers:
                merged[item_id] = answers[item_id]
            else:
                merged.pop(item_id, None)
    merged = still_applying(framework, merged)
    # A problem with an item that stopped applying (junk typed into a question another
    # answer on the page has just ruled out) is no problem: the item is no longer asked.
    values = values_of(merged)
    return merged, {i: p for i, p in problems.items() if applies(framework.item(i), values)}


def answer_issues(framework: Framework, answers: Mapping[str, Answer]) -> dict[str, list[str]]:
    """The one check's issues with these answers, by item id (:func:`field_issues` of their
    response set, under a placeholder organisation: an item's issues never depend on it)."""
    return field_issues(framework, response_set(framework, answers, _DRAFT_SUBJECT))


def revealed_items(framework: Framework, page_index: int, before: Mapping[str, Answer], after: Mapping[str, Answer]) -> list[str]:
    """Items of the page that apply given ``after`` but did not given ``before`` and are not
    answered: the page is to be shown again with them, since without a script a page cannot
    show an item as soon as an answer above it makes it apply."""
    page = _page(framework, page_index)
    old, new = values_of(before), values_of(after)
    return [
        item_id
        for item_id in page.item_ids
        if item_id not in after and applies(framework.item(item_id), new) and not applies(framework.item(item_id), old)
    ]


def response_set(
    framework: Framework,
    answers: Mapping[str, Answer],
    subject: OrgRef,
    respondent: Respondent | None = None,
    language: str | None = None,
    *,
    response_set_id: str | None = None,
    mode: str | None = None,
    collected_at: dt.datetime | None = None,
) -> dict[str, Any]:
    """The answers as a ``silkcore_response_set-v1.0.0`` document, responses in the
    framework's item order (answers to ids it does not have are left out): what
    ``silk assess`` reads. Built as data, not as an entity, so that a draft holding an answer
    the check refuses can still be written and checked (:func:`field_issues`)."""
    envelope = ResponseSet(
        framework.id,
        framework.version,
        subject,
        (),
        response_set_id=response_set_id,
        mode=mode,
        respondent=respondent,
        collected_at=collected_at,
        language=language,
    )
    document = to_document(envelope)
    document["responses"] = [{"item_id": item.id, **answers[item.id].to_json()} for item in framework.items if item.id in answers]
    return document


_RESPONSE = re.compile(r"^/responses/(\d+)(?:/|$)")


def field_issues(framework: Framework, document: Mapping[str, Any]) -> dict[str, list[str]]:
    """The one check's issues with a response set document answering ``framework`` (schema,
    then the answers against the framework, as ``silk validate --framework`` runs it), by the
    item each concerns; ``""`` holds those about no one item (the subject, the respondent).
    Messages are the check's, less the ``item X:`` its message starts with, since they are
    shown beside item X."""
    issues = validate(dict(document), frameworks=lambda _framework_id: framework)
    responses = document.get("responses")
    found: dict[str, list[str]] = {}
    for issue in issues:
        item_id = _item_of(issue, responses)
        message = issue.message
        if item_id:
            prefix = f"item {item_id}: "
            message = message.removeprefix(prefix)
        found.setdefault(item_id, []).append(message)
    return found


def _item_of(issue: Issue, responses: Any) -> str:
    match = _RESPONSE.match(issue.pointer)
    if match is None or not isinstance(responses, list):
        return ""
    position = int(match.group(1))
    entry = responses[position] if position < len(responses) else None
    item_id = entry.get("item_id") if isinstance(entry, Mapping) else None
    return item_id if isinstance(item_id, str) else ""

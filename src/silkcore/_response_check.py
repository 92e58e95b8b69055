"""A response set checked against the framework it answers: the semantic half of its verdict.

A schema can say that ``item_id`` is a string; only the framework can say that ``A.4`` is not
one of its items (and that ``A.04`` is), or that ``"maybe"`` is not one of an item's options.
This module is the one place that decides it. :func:`silkcore._documents.check` calls it for
every response set when it is given the frameworks to check against (so ``silk validate``,
``silk batch``, the importers and the node refuse what ``silk assess`` would), and the
generic scorer calls it before scoring (so the Python API refuses the same answers).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any, NamedTuple

from ._errors import Issue
from ._fastpath import collected_at_sound, response_set_buildable, value_sound
from ._scoring_index import Answer, ScoringPlan

__all__ = ["MAX_SUGGESTED", "CheckedAnswers", "checked_answers", "response_set_issues", "suggest"]

#: Unknown ids that get a "did you mean" suggestion in one response set; the rest are still
#: reported, without one (a suggestion costs a scan of the framework's ids).
MAX_SUGGESTED = 20

_NUMBER = re.compile(r"\d+")


def _shape(identifier: str) -> str:
    """An id with letter case and leading zeros of numbers ignored: ``a.4`` and ``A.04`` agree."""
    return _NUMBER.sub(lambda m: str(int(m.group()) if len(m.group()) < 20 else m.group()), identifier.casefold())


def suggest(wrong: str, known: Iterable[str]) -> str | None:
    """The known id ``wrong`` most likely meant, or None when nothing is close enough."""
    ids = list(known)
    shape = _shape(wrong)
    same_shape = [k for k in ids if _shape(k) == shape]
    if same_shape:
        return same_shape[0]
    close = difflib.get_close_matches(wrong, ids, n=1, cutoff=0.75)
    return close[0] if close else None


def _major(version: str) -> str:
    return version.split(".", 1)[0]


def response_set_issues(plan: ScoringPlan, response_set: dict[str, Any]) -> list[Issue]:
    """Every issue of ``response_set`` against the framework of ``plan``: another framework,
    another MAJOR version, an unknown item (with a suggestion), an item answered twice, a
    value that does not fit its item. Empty means the set can be scored.

    ``response_set`` is the set as its document writes it: the document read, or the
    document view of a :class:`~silkcore._assessment.ResponseSet` (``scoring.answers_of``)."""
    return checked_answers(plan, response_set).issues


class CheckedAnswers(NamedTuple):
    """What checking a response set against its framework finds, in one pass over its answers."""

    #: every issue (empty: the set can be scored)
    issues: list[Issue]
    #: the answers by item id (all of them when there is no issue): what the scorer reads
    answered: dict[str, Answer]
    #: whether its entity surely builds (:func:`~silkcore._fastpath.response_set_buildable`,
    #: looked at in the same pass): False means "build it and see", never "it is wrong"
    buildable: bool


def checked_answers(plan: ScoringPlan, response_set: dict[str, Any]) -> CheckedAnswers:
    """:func:`response_set_issues`, the set's answers by item id and whether its entity surely
    builds, gathered in one pass. A set found sound is remembered with what was found
    (:class:`~silkcore._scoring_index.LastSound`), so the scorer checking it again right after
    finds it all at once."""
    held = plan.last_sound.held
    if held[0] is response_set:
        found: CheckedAnswers = held[1]
        return found
    framework = plan.framework
    framework_id, framework_version = response_set["framework_id"], response_set["framework_version"]
    if framework_id != framework.id:
        issue = Issue("/framework_id", f"answers framework {framework_id!r}, not {framework.id!r}")
        return CheckedAnswers([issue], {}, response_set_buildable(response_set))
    if _major(framework_version) != _major(framework.version):
        message = (
            f"answers version {framework_version} of {framework.id}, which is not compatible "
            f"with version {framework.version} (different major version)"
        )
        return CheckedAnswers([Issue("/framework_version", message)], {}, response_set_buildable(response_set))
    issues: list[Issue] = []
    known = plan.by_id
    answered: dict[str, Answer] = {}
    suggested = 0
    buildable = True
    for position, response in enumerate(response_set["responses"]):
        # What would keep the entity from being built is looked at in the same pass, by the
        # rules of response_set_buildable (an option found in the item's table is sound).
        if buildable and "evidence" in response:
            buildable = False
        value = response.get("value")
        item_id = response["item_id"]
        item = known.get(item_id)
        if item is None:
            if buildable and value is not None and not value_sound(value):
                buildable = False
            hint = ""
            if suggested < MAX_SUGGESTED:
                suggested += 1
                guess = suggest(item_id, known)
                hint = f"; did you mean {guess!r}?" if guess else ""
            issues.append(Issue(f"/responses/{position}/item_id", f"unknown item {item_id!r} in {framework.id}{hint}"))
            continue
        if item_id in answered:
            if buildable and value is not None and not value_sound(value):
                buildable = False
            issues.append(Issue(f"/responses/{position}/item_id", f"item {item_id!r} answered twice"))
            continue
        answered[item_id] = response
        if value is None:
            continue
        one_of = item.one_of
        if one_of is not None:  # one option: a table look-up (what ItemPlan.fits does first)
            table = one_of.get(type(value))
            if table is not None and value in table:
                continue
        if buildable and not (type(value) is str and value.isascii() and "\x00" not in value) and not value_sound(value):
            buildable = False
        if type(value) is list:  # a list of choices, read as the tuple an entity holds
            value = tuple(value)
        if not item.fits(value):
            problem = plan.problem(item, value)
            if problem:
                issues.append(Issue(f"/responses/{position}/value", f"item {item_id}: {problem}"))
    if buildable and response_set.get("collected_at") is not None:
        buildable = collected_at_sound(response_set["collected_at"])
    checked = CheckedAnswers(issues, answered, buildable)
    if not issues:
        plan.last_sound.held = (response_set, checked)
    return checked

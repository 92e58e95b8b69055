"""Carrying a response set from one version of its framework to another, as declared.

The path between two versions is found among the declarations the known versions make (each
read forwards or backwards, :mod:`silkcore._framework_changes`), the shortest first and ties
broken by version, so a migration is deterministic. Along each step an answer is carried to
the item that takes it (its options mapped as declared) or, when it cannot be - an item
split off, added, an option that has no counterpart - the item is ``unknown`` with the
reason in its ``comment``. Never a guess: a carried value that does not fit its item in the
target version is made unknown too, with the framework's own words for why.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from ._assessment import ResponseSet
from ._errors import DataError, Issue, SchemaValidationError
from ._framework import Framework, version_key
from ._framework_changes import ASK_AGAIN, OptionPlan, Step, backward_step, forward_step, key
from ._model import expect_argument

__all__ = ["Migration", "find_steps", "migrate", "migrate_response_set", "version_key"]

_COMMENT_LIMIT = 4000  # the response schema's maxLength for a comment


@attrs.frozen
class Migration:
    """A migrated response set and what happened to its answers: ``asked_again`` (items of
    the target version now ``unknown`` because nothing could be carried), ``left_behind``
    (items of the source version whose answers have no place in the target)."""

    response_set: ResponseSet
    steps: tuple[str, ...]
    carried: int
    asked_again: tuple[str, ...]
    left_behind: tuple[str, ...]


def find_steps(framework_id: str, source: str, target: str, known: Iterable[Framework]) -> list[Step]:
    """The shortest chain of declared steps from version ``source`` to ``target`` among the
    declarations of the ``known`` versions; a :class:`DataError` when there is none."""
    versions = {f.version: f for f in known if f.id == framework_id}
    edges: dict[str, list[tuple[str, Framework, bool]]] = {}
    for version in sorted(versions, key=version_key):
        framework = versions[version]
        if framework.changes is None:
            continue
        earlier = framework.changes.from_version
        edges.setdefault(earlier, []).append((version, framework, True))
        edges.setdefault(version, []).append((earlier, framework, False))
    came: dict[str, tuple[str, Framework, bool] | None] = {source: None}
    queue = deque([source])
    while queue and target not in came:
        at = queue.popleft()
        for nxt, framework, forwards in sorted(edges.get(at, []), key=lambda e: version_key(e[0])):
            if nxt not in came:
                came[nxt] = (at, framework, forwards)
                queue.append(nxt)
    if target not in came:
        known_versions = ", ".join(sorted(versions, key=version_key)) or "none"
        raise DataError(
            [
                Issue(
                    "/framework_version",
                    f"no declared changes lead from version {source} to {target} of {framework_id} "
                    f"(versions known: {known_versions}; give each version's file with --framework FILE)",
                )
            ]
        )
    steps: list[Step] = []
    at = target
    while (link := came[at]) is not None:
        previous, framework, forwards = link
        steps.append(forward_step(framework) if forwards else backward_step(framework, versions.get(at)))
        at = previous
    return steps[::-1]


def migrate_response_set(response_set: ResponseSet, target: Framework, *, versions: Iterable[Framework] = ()) -> ResponseSet:
    """``response_set`` answered under another version of ``target``'s framework, carried to
    ``target`` along the declared changes of ``target`` and the other known ``versions``.
    Answers that cannot be carried are ``unknown``, with the reason in their ``comment``.
    A set already answering ``target``'s version comes back as it is."""
    return migrate(response_set, target, versions=versions).response_set


def migrate(response_set: ResponseSet, target: Framework, *, versions: Iterable[Framework] = ()) -> Migration:
    """:func:`migrate_response_set`, with an account of what was carried and what was not."""
    from ._documents import check, to_document

    expect_argument(response_set, ResponseSet, "response_set", "read it with load_document")
    expect_argument(target, Framework, "target", "a framework: catalog.framework(id) or load_framework(path)")
    if response_set.framework_id != target.id:
        raise DataError([Issue("/framework_id", f"answers framework {response_set.framework_id!r}, not {target.id!r}")])
    if response_set.framework_version == target.version:
        return Migration(response_set, (), len(response_set.responses), (), ())
    known = [*versions, target]
    source = next((f for f in known if f.version == response_set.framework_version), None)
    document = to_document(response_set)
    if source is not None:
        _refuse_unsound(document, source)
    steps = find_steps(target.id, response_set.framework_version, target.version, known)
    responses: list[dict[str, Any]] = document["responses"]
    asked: list[str] = []
    left: list[str] = []
    for step in steps:
        responses, step_asked, step_left = _apply(step, responses)
        # an item asked again by an earlier step may be carried on under a new id
        asked = [t for t in step.targets if t in step.carried and step.carried[t][0] in asked] + step_asked
        left += step_left
    document = dict(document, framework_version=target.version, responses=responses)
    unfit = _unfit(document, target)
    asked += [document["responses"][i]["item_id"] for i in unfit]
    entity, issues = check(document, frameworks=lambda _id: target)
    if issues:  # a bug here, not the user's input: say where
        raise SchemaValidationError(issues, "the migrated response set is not valid")
    carried = sum(1 for r in document["responses"] if r["item_id"] not in asked)
    return Migration(
        entity,
        tuple(f"{s.source} -> {s.target}" for s in steps),
        carried,
        tuple(dict.fromkeys(asked)),
        tuple(dict.fromkeys(left)),
    )


def _refuse_unsound(document: dict[str, Any], source: Framework) -> None:
    from ._response_check import response_set_issues
    from ._scoring_index import scoring_plan

    issues = response_set_issues(scoring_plan(source), document)
    if issues:
        raise SchemaValidationError(issues, f"the response set does not answer version {source.version} of {source.id}")


def _unknown(item_id: str, reason: str, earlier: Mapping[str, Any] | None) -> dict[str, Any]:
    """An ``unknown`` answer saying why; an earlier comment and evidence are kept."""
    comment = reason
    if earlier is not None and earlier.get("comment"):
        comment = f"{reason} (earlier comment: {earlier['comment']})"
    response: dict[str, Any] = {"item_id": item_id, "status": "unknown", "comment": comment[:_COMMENT_LIMIT]}
    if earlier is not None and earlier.get("evidence"):
        response["evidence"] = earlier["evidence"]
    return response


def _mapped(value: Any, plan: OptionPlan) -> Any:
    """``value`` through the plan, or ASK_AGAIN; a value the plan does not name stays as it is."""
    if isinstance(value, list):
        out = [_mapped(v, plan) for v in value]
        return ASK_AGAIN if any(v is ASK_AGAIN for v in out) else list(dict.fromkeys(out))
    return plan.get(key(value), value) if isinstance(value, str | bool | int) else value


def _apply(step: Step, responses: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str], list[str]]:
    """One step over the answers: (answers of the target version, items asked again, items left)."""
    by_item: dict[str, dict[str, Any]] = {}
    for position, response in enumerate(responses):
        if response["item_id"] not in step.sources:
            message = f"item {response['item_id']!r} is not in version {step.source} of {step.framework_id}"
            raise DataError([Issue(f"/responses/{position}/item_id", message)])
        by_item[response["item_id"]] = response
    out: list[dict[str, Any]] = []
    asked: list[str] = []
    for target in step.targets:
        if target in step.carried:
            source, plan = step.carried[target]
            earlier = by_item.get(source)
            if earlier is None:
                continue
            carried = dict(earlier, item_id=target)
            if "value" in earlier and plan is not None:
                value = _mapped(earlier["value"], plan)
                if value is ASK_AGAIN:
                    reason = (
                        f"the answer {earlier['value']!r} to {source} has no counterpart in version {step.target}; asked again"
                    )
                    out.append(_unknown(target, reason, earlier))
                    asked.append(target)
                    continue
                carried["value"] = value
            out.append(carried)
        elif target in step.asked:
            out.append(_unknown(target, step.asked[target], None))
            asked.append(target)
    left = [item for item in step.left if item in by_item]
    return out, asked, left


def _unfit(document: dict[str, Any], target: Framework) -> list[int]:
    """Make unknown every carried value that does not fit its item in ``target`` (in place);
    the positions changed."""
    from ._response_check import response_set_issues
    from ._scoring_index import scoring_plan

    changed = []
    for issue in response_set_issues(scoring_plan(target), document):
        parts = issue.pointer.split("/")
        if len(parts) != 4 or parts[1] != "responses" or parts[3] != "value":
            raise SchemaValidationError([issue], "the migrated response set is not valid")
        position = int(parts[2])
        earlier = document["responses"][position]
        reason = f"carried answer does not fit version {target.version}: {issue.message}; asked again"
        document["responses"][position] = _unknown(earlier["item_id"], reason, earlier)
        changed.append(position)
    return changed

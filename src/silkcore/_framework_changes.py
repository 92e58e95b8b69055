"""Declared changes between versions of one framework: their checks and what they mean for answers.

A framework version may declare (``changes``, schema ``silkcore_framework-v1.2.0``) what it
changed from an earlier version. The declaration names every item of that version
(``from_items``), so it is checked with nothing else at hand: each old item is kept under
its id or named by exactly one change that consumes it (rename, split, merge, drop), each
item a change names in this version exists, and each new item is either kept or the target
of exactly one change. An item dropped without a word is refused, with its id named.

A declaration read forwards (old -> new) or backwards (new -> old) becomes a :class:`Step`:
for each item of the target version, the item of the source version whose answer it takes
(and how the options map), or the reason it must be asked again. :mod:`silkcore._migrate`
follows steps; :mod:`silkcore._framework_diff` and the history read them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from ._errors import Issue, SilkError
from ._framework import OPTION_KINDS, Change, ChangeOp, Framework, FrameworkChanges, Item, OptionMap, OptionValue

__all__ = ["ASK_AGAIN", "OptionPlan", "Step", "backward_step", "changes_issues", "earlier_version_issues", "forward_step"]


class _AskAgain:
    """The marker for an option whose answers cannot be carried (a singleton)."""

    def __repr__(self) -> str:
        return "ASK_AGAIN"


#: An option mapped here is not carried: the migrated answer is unknown, to be asked again.
ASK_AGAIN: Final = _AskAgain()

#: Old option value -> new option value, or ASK_AGAIN. Keys carry their type: True is not 1.
OptionPlan = Mapping[tuple[type, OptionValue], "OptionValue | _AskAgain"]

_CONSUMING = (ChangeOp.RENAME, ChangeOp.SPLIT, ChangeOp.MERGE, ChangeOp.DROP)


def key(value: OptionValue) -> tuple[type, OptionValue]:
    """An option value as a dictionary key that keeps ``True`` apart from ``1``."""
    return (type(value), value)


@attrs.frozen
class Step:
    """One declaration read in one direction: from ``source`` to ``target`` (versions).

    ``carried``: target item -> (source item, option plan or None when values carry as they
    are); ``asked``: target item -> why it has no answer to carry; ``left``: source item ->
    why its answer is left behind. ``targets`` is the order of the target's items."""

    framework_id: str
    source: str
    target: str
    targets: tuple[str, ...]
    carried: Mapping[str, tuple[str, OptionPlan | None]]
    asked: Mapping[str, str]
    left: Mapping[str, str]
    sources: frozenset[str]


def _consumed(changes: FrameworkChanges) -> dict[str, int]:
    """Old item -> index of the change that consumes it (the first one)."""
    consumed: dict[str, int] = {}
    for index, change in enumerate(changes.operations):
        if change.op in (ChangeOp.RENAME, ChangeOp.SPLIT, ChangeOp.DROP) and change.item is not None:
            consumed.setdefault(change.item, index)
        elif change.op == ChangeOp.MERGE:
            for item in change.items:
                consumed.setdefault(item, index)
    return consumed


def _targets(change: Change) -> tuple[str, ...]:
    """The items of the new version a change creates."""
    if change.op == ChangeOp.RENAME or change.op == ChangeOp.MERGE:
        return (change.to,) if change.to is not None else ()
    if change.op == ChangeOp.SPLIT:
        return change.into
    if change.op == ChangeOp.ADD:
        return (change.item,) if change.item is not None else ()
    return ()


def changes_issues(framework: Framework) -> list[Issue]:
    """Every way ``framework.changes`` does not account for the change it declares, each at
    its JSON Pointer; ``[]`` when there is no declaration or it is sound."""
    changes = framework.changes
    if changes is None:
        return []
    base = "/changes"
    issues: list[Issue] = []
    if changes.from_version == framework.version:
        issues.append(
            Issue(f"{base}/from_version", f"changes are declared from version {changes.from_version}, this very version")
        )
    old = set(changes.from_items)
    new = {item.id: item for item in framework.items}
    scales = {scale.id: scale for scale in framework.scales}
    categories = {category.id for category in framework.categories}
    consumed: dict[str, int] = {}
    created: dict[str, int] = {}
    carried_into: set[str] = set(old & new.keys())

    def old_item(pointer: str, item_id: str | None) -> None:
        if item_id is not None and item_id not in old:
            issues.append(Issue(pointer, f"{item_id!r} is not an item of version {changes.from_version} (from_items)"))

    def new_item(pointer: str, item_id: str | None) -> None:
        if item_id is not None and item_id not in new:
            issues.append(Issue(pointer, f"{item_id!r} is not an item of this version"))

    for index, change in enumerate(changes.operations):
        at = f"{base}/operations/{index}"
        op = change.op
        if op in _CONSUMING:
            names = change.items if op == ChangeOp.MERGE else (change.item,)
            for position, name in enumerate(names):
                pointer = f"{at}/items/{position}" if op == ChangeOp.MERGE else f"{at}/item"
                old_item(pointer, name)
                if name is None:
                    continue
                if name in consumed:
                    issues.append(Issue(pointer, f"item {name!r} is already changed by /changes/operations/{consumed[name]}"))
                consumed.setdefault(name, index)
        for position, target in enumerate(_targets(change)):
            pointer = f"{at}/into/{position}" if op == ChangeOp.SPLIT else (f"{at}/to" if op != ChangeOp.ADD else f"{at}/item")
            new_item(pointer, target)
            if target in created:
                issues.append(Issue(pointer, f"item {target!r} is already made by /changes/operations/{created[target]}"))
            created.setdefault(target, index)
            if op != ChangeOp.ADD:
                carried_into.add(target)
        if op == ChangeOp.ADD and change.item in old:
            issues.append(Issue(f"{at}/item", f"item {change.item!r} was in version {changes.from_version}: it is not new"))
        if op == ChangeOp.SPLIT:
            for position, name in enumerate(change.carry_to):
                if name not in change.into:
                    issues.append(Issue(f"{at}/carry_to/{position}", f"{name!r} is not one of the items the split makes (into)"))
        if op == ChangeOp.MERGE and change.carry_from is not None and change.carry_from not in change.items:
            issues.append(Issue(f"{at}/carry_from", f"{change.carry_from!r} is not one of the merged items"))
        if op == ChangeOp.REWORD:
            new_item(f"{at}/item", change.item)
        if op == ChangeOp.WEIGHT:
            new_item(f"{at}/item", change.item)
            if change.category is not None and change.category not in categories:
                issues.append(Issue(f"{at}/category", f"{change.category!r} is not a category of this version"))
        if op == ChangeOp.REMAP:
            issues.extend(_remap_issues(framework, change, at, new))
        if op == ChangeOp.SCALE:
            scale = scales.get(change.scale or "")
            if scale is None:
                issues.append(Issue(f"{at}/scale", f"{change.scale!r} is not a scale of this version"))
            else:
                issues.extend(_map_issues(change.options, [o.value for o in scale.options], at, f"scale {scale.id!r}"))
            for position, name in enumerate(change.items):
                new_item(f"{at}/items/{position}", name)
    for index, change in enumerate(changes.operations):  # a remap names an item that takes an old answer
        if change.op in (ChangeOp.REMAP, ChangeOp.REWORD) and change.item in new and change.item not in carried_into:
            issues.append(
                Issue(
                    f"{base}/operations/{index}/item", f"item {change.item!r} takes no answer from version {changes.from_version}"
                )
            )
    for position, name in enumerate(changes.from_items):
        if name not in consumed and name not in new:
            issues.append(
                Issue(
                    f"{base}/from_items/{position}",
                    f"item {name!r} of version {changes.from_version} is not in this version and no change accounts for it "
                    "(declare it dropped, renamed, split or merged)",
                )
            )
        elif name not in consumed and name in created:
            issues.append(
                Issue(
                    f"{base}/from_items/{position}",
                    f"item {name!r} is kept from version {changes.from_version} and also made by a change",
                )
            )
    for position, item in enumerate(framework.items):
        if item.id not in old and item.id not in created:
            issues.append(
                Issue(
                    f"/items/{position}/id",
                    f"item {item.id!r} is new since version {changes.from_version} but no change declares it (op: add)",
                )
            )
        elif item.id in old and item.id in consumed and item.id not in created:
            issues.append(
                Issue(
                    f"/items/{position}/id",
                    f"item {item.id!r} is changed away by /changes/operations/{consumed[item.id]} yet still here",
                )
            )
    return issues


def _remap_issues(framework: Framework, change: Change, at: str, new: Mapping[str, Item]) -> list[Issue]:
    item = new.get(change.item or "")
    if item is None:
        return [Issue(f"{at}/item", f"{change.item!r} is not an item of this version")]
    if item.kind not in OPTION_KINDS:
        return [Issue(f"{at}/item", f"item {item.id!r} is a {item.kind.value} item: it has no options to remap")]
    return _map_issues(change.options, [o.value for o in framework.options_of(item)], at, f"item {item.id!r}")


def _map_issues(options: Iterable[OptionMap], allowed: list[OptionValue], at: str, what: str) -> list[Issue]:
    issues = []
    known = {key(value) for value in allowed}
    seen: set[tuple[type, OptionValue]] = set()
    for position, mapped in enumerate(options):
        if key(mapped.old) in seen:
            issues.append(Issue(f"{at}/options/{position}/old", f"old option {mapped.old!r} is mapped twice"))
        seen.add(key(mapped.old))
        if mapped.new is not None and key(mapped.new) not in known:
            issues.append(Issue(f"{at}/options/{position}/new", f"{mapped.new!r} is not an option of {what} in this version"))
    return issues


def _plan(options: Iterable[OptionMap]) -> dict[tuple[type, OptionValue], OptionValue | _AskAgain]:
    return {key(m.old): (ASK_AGAIN if m.ask_again or m.new is None else m.new) for m in options}


def _inverse(
    plan: Mapping[tuple[type, OptionValue], OptionValue | _AskAgain],
) -> dict[tuple[type, OptionValue], OptionValue | _AskAgain]:
    """The plan read backwards: a new option that comes from exactly one old option goes back
    to it; one that several old options became cannot be told apart, and is asked again."""
    back: dict[tuple[type, OptionValue], list[OptionValue]] = {}
    for (_, old), new in plan.items():
        if not isinstance(new, _AskAgain):
            back.setdefault(key(new), []).append(old)
    return {k: (olds[0] if len(olds) == 1 else ASK_AGAIN) for k, olds in back.items()}


def _option_plans(framework: Framework) -> dict[str, dict[tuple[type, OptionValue], OptionValue | _AskAgain]]:
    """New item -> its option plan, from a ``remap`` of the item or a ``scale`` it uses."""
    assert framework.changes is not None
    plans: dict[str, dict[tuple[type, OptionValue], OptionValue | _AskAgain]] = {}
    for change in framework.changes.operations:
        if change.op == ChangeOp.SCALE:
            plan = _plan(change.options)
            users = change.items or tuple(item.id for item in framework.items if item.scale == change.scale)
            plans.update(dict.fromkeys(users, plan))
    for change in framework.changes.operations:
        if change.op == ChangeOp.REMAP and change.item is not None:
            plans[change.item] = _plan(change.options)
    return plans


def forward_step(framework: Framework) -> Step:
    """``framework``'s declaration read forwards: from its ``from_version`` to it."""
    changes = framework.changes
    assert changes is not None, "forward_step needs a framework that declares changes"
    version = framework.version
    plans = _option_plans(framework)
    new_ids = {item.id for item in framework.items}
    carried: dict[str, tuple[str, OptionPlan | None]] = {}
    asked: dict[str, str] = {}
    left: dict[str, str] = {}
    consumed = _consumed(changes)
    for name in changes.from_items:
        if name not in consumed and name in new_ids:
            carried[name] = (name, plans.get(name))
    for change in changes.operations:
        if change.op == ChangeOp.RENAME and change.item and change.to:
            carried[change.to] = (change.item, plans.get(change.to))
        elif change.op == ChangeOp.SPLIT and change.item:
            for target in change.into:
                if target in change.carry_to:
                    carried[target] = (change.item, plans.get(target))
                else:
                    asked[target] = f"split from {change.item} in version {version}; asked again"
        elif change.op == ChangeOp.MERGE and change.to:
            if change.carry_from:
                carried[change.to] = (change.carry_from, plans.get(change.to))
            else:
                asked[change.to] = f"merged from {', '.join(change.items)} in version {version}; asked again"
            for name in change.items:
                if name != change.carry_from:
                    left[name] = f"merged into {change.to} in version {version}"
        elif change.op == ChangeOp.ADD and change.item:
            asked[change.item] = f"new in version {version}; not asked under version {changes.from_version}"
        elif change.op == ChangeOp.DROP and change.item:
            left[change.item] = f"dropped in version {version} ({(change.reason or '').rstrip('.')})"
    return Step(
        framework.id,
        changes.from_version,
        version,
        tuple(item.id for item in framework.items),
        carried,
        asked,
        left,
        frozenset(changes.from_items),
    )


def backward_step(framework: Framework, earlier: Framework | None = None) -> Step:
    """``framework``'s declaration read backwards: from it to its ``from_version`` (whose
    item order ``earlier``, when given, supplies). What was split, added or remapped many to
    one cannot always be carried back: those answers are asked again."""
    forward = forward_step(framework)
    changes = framework.changes
    assert changes is not None
    version = framework.version
    carried: dict[str, tuple[str, OptionPlan | None]] = {}
    asked: dict[str, str] = {}
    left: dict[str, str] = {}
    by_source: dict[str, list[str]] = {}
    for target, (source, _) in forward.carried.items():
        by_source.setdefault(source, []).append(target)
    for source, targets in by_source.items():
        if len(targets) == 1:
            plan = forward.carried[targets[0]][1]
            carried[source] = (targets[0], None if plan is None else _inverse(plan))
        else:
            asked[source] = f"split into {', '.join(targets)} in version {version}; asked again"
    for target, reason in forward.asked.items():
        left[target] = f"not in version {changes.from_version} ({reason})"
    for source, reason in forward.left.items():
        asked[source] = f"{reason}; no answer to carry back"
    order = tuple(item.id for item in earlier.items) if earlier is not None else changes.from_items
    return Step(framework.id, version, changes.from_version, order, carried, asked, left, frozenset(forward.targets))


def earlier_version_issues(framework: Framework, frameworks: object) -> list[Issue]:
    """With the earlier version at hand (a resolver that knows ``versions``, as
    :class:`~silkcore._catalog.FrameworkFinder` does): ``from_items`` must list exactly its
    items, and each declared option map every option its old items had. ``[]`` otherwise."""
    changes = framework.changes
    versions = getattr(frameworks, "versions", None)
    if changes is None or not callable(versions):
        return []
    try:
        earlier = next((f for f in versions(framework.id) if f.version == changes.from_version), None)
    except SilkError:
        return []
    if earlier is None:
        return []
    what = f"version {earlier.version}"
    old_items = {item.id: item for item in earlier.items}
    listed = set(changes.from_items)
    issues = [
        Issue(f"/changes/from_items/{position}", f"{name!r} is not an item of {what}")
        for position, name in enumerate(changes.from_items)
        if name not in old_items
    ]
    issues += [Issue("/changes/from_items", f"item {name!r} of {what} is not listed") for name in old_items if name not in listed]
    if issues:
        return issues
    carried = forward_step(framework).carried
    scale_users: dict[str | None, tuple[str, ...]] = {}
    for change in changes.operations:
        if change.op == ChangeOp.SCALE:
            scale_users[change.scale] = change.items or tuple(i.id for i in framework.items if i.scale == change.scale)
    for index, change in enumerate(changes.operations):
        if change.op not in (ChangeOp.REMAP, ChangeOp.SCALE):
            continue
        mapped = {key(m.old) for m in change.options}
        targets = (change.item or "",) if change.op == ChangeOp.REMAP else scale_users.get(change.scale, ())
        for target in targets:
            source = old_items.get(carried[target][0]) if target in carried else None
            if source is None:
                continue
            for option in earlier.options_of(source):
                if key(option.value) not in mapped:
                    message = f"option {option.value!r} of {source.id} in {what} is not mapped (new, or ask_again)"
                    issues.append(Issue(f"/changes/operations/{index}/options", message))
    return list(dict.fromkeys(issues))

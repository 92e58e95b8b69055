"""What changed between two versions of a framework, item by item, declared or not.

The declared changes come from the newer version's ``changes`` when they are declared from the
older one. Every other difference found by comparing the two versions - an item gone or new,
options, kind, range, text or weight changed - that no declared change covers is listed as
undeclared, so a reader sees where a declaration falls short (or that there is none).
"""

from __future__ import annotations

from typing import Any

import attrs

from ._errors import DataError, Issue
from ._framework import ChangeOp, Framework, Item, version_key
from ._framework_changes import forward_step
from ._model import expect_argument

__all__ = ["DiffEntry", "FrameworkDiff", "diff_frameworks"]


@attrs.frozen
class DiffEntry:
    """One change: what (``change``: an operation name, or ``removed``, ``added``, ``options``,
    ``kind``, ``range``, ``text``, ``weight``, ``declaration``), the old and new item ids it
    concerns, a sentence saying it, and whether the newer version declares it."""

    change: str
    old: tuple[str, ...]
    new: tuple[str, ...]
    detail: str
    declared: bool

    def to_json(self) -> dict[str, Any]:
        """The entry as ``silk frameworks diff --json`` prints it."""
        return {
            "change": self.change,
            "old": list(self.old),
            "new": list(self.new),
            "detail": self.detail,
            "declared": self.declared,
        }


@attrs.frozen
class FrameworkDiff:
    """The changes from ``old_version`` to ``new_version`` of ``framework_id``; ``declared``
    tells whether the newer version declares changes from the older one."""

    framework_id: str
    old_version: str
    new_version: str
    declared: bool
    entries: tuple[DiffEntry, ...]

    @property
    def undeclared(self) -> tuple[DiffEntry, ...]:
        """The changes no declaration covers."""
        return tuple(e for e in self.entries if not e.declared)

    def to_json(self) -> dict[str, Any]:
        """The diff as ``silk frameworks diff --json`` prints it."""
        return {
            "framework_id": self.framework_id,
            "old_version": self.old_version,
            "new_version": self.new_version,
            "declared": self.declared,
            "changes": [e.to_json() for e in self.entries],
        }


def _options(framework: Framework, item: Item) -> list[tuple[Any, float | None]]:
    return [(o.value, o.score) for o in framework.options_of(item)]


def _ask(option_map: Any) -> str:
    return "ask again" if option_map.ask_again or option_map.new is None else repr(option_map.new)


def diff_frameworks(a: Framework, b: Framework) -> FrameworkDiff:
    """The changes between two versions of one framework, the older first whichever order
    they come in; a :class:`DataError` for two different frameworks."""
    for name, value in (("a", a), ("b", b)):
        expect_argument(value, Framework, name, "catalog.framework(id) or load_framework(path)")
    if a.id != b.id:
        raise DataError([Issue("/id", f"{a.id!r} and {b.id!r} are different frameworks; diff compares versions of one")])
    old, new = (a, b) if version_key(a.version) <= version_key(b.version) else (b, a)
    changes = new.changes if new.changes is not None and new.changes.from_version == old.version else None
    entries: list[DiffEntry] = []
    covered_options: set[str] = set()
    covered_text: set[str] = set()
    covered_weight: set[str] = set()
    pairs: dict[str, str] = {}  # new item -> the old item whose answer it takes
    old_items = {i.id: i for i in old.items}
    new_items = {i.id: i for i in new.items}
    if changes is not None:
        step = forward_step(new)
        pairs = {target: source for target, (source, _) in step.carried.items()}
        scale_users: dict[str, list[str]] = {}
        for item in new.items:
            if item.scale is not None:
                scale_users.setdefault(item.scale, []).append(item.id)
        for change in changes.operations:
            entries.append(_declared(change, new, scale_users))
            if change.op == ChangeOp.REMAP and change.item:
                covered_options.add(change.item)
            elif change.op == ChangeOp.SCALE and change.scale:
                covered_options.update(change.items or scale_users.get(change.scale, ()))
            elif change.op == ChangeOp.REWORD and change.item:
                covered_text.add(change.item)
            elif change.op == ChangeOp.WEIGHT:
                covered_weight.add(change.item or f"category:{change.category}")
        listed = set(changes.from_items)
        for name in sorted(listed - old_items.keys()):
            entries.append(
                DiffEntry(
                    "declaration", (name,), (), f"from_items lists {name}, which version {old.version} does not have", False
                )
            )
        for name in [i for i in old_items if i not in listed]:
            entries.append(
                DiffEntry("declaration", (name,), (), f"version {old.version} has {name}, which from_items does not list", False)
            )
        entries += _unmapped_options(old, new, changes.operations, old_items, pairs, scale_users)
    else:
        pairs = {name: name for name in new_items if name in old_items}
        entries += [
            DiffEntry("removed", (n,), (), f"{n} is not in version {new.version}", False) for n in old_items if n not in new_items
        ]
        entries += [
            DiffEntry("added", (), (n,), f"{n} is new in version {new.version}", False) for n in new_items if n not in old_items
        ]
    for target, source in pairs.items():
        before, after = old_items.get(source), new_items.get(target)
        if before is None or after is None:
            continue
        # an item split or merged is a new question: its text may differ without a reword
        same_question = target == source or any(
            c.op == ChangeOp.RENAME and c.to == target for c in (changes.operations if changes else ())
        )
        text_declared = target in covered_text or not same_question
        entries += _item_changes(old, new, before, after, target in covered_options, text_declared, target in covered_weight)
    old_categories = {c.id: c for c in old.categories}
    for category in new.categories:
        was = old_categories.get(category.id)
        if was is not None and was.weight != category.weight and f"category:{category.id}" not in covered_weight:
            detail = f"category {category.id}: weight {was.weight:g} -> {category.weight:g}"
            entries.append(DiffEntry("weight", (), (), detail, False))
    return FrameworkDiff(new.id, old.version, new.version, changes is not None, tuple(entries))


def _declared(change: Any, new: Framework, scale_users: dict[str, list[str]]) -> DiffEntry:
    op = change.op
    note = ""  # notes stay in the framework file: one line per change here
    if op == ChangeOp.RENAME:
        return DiffEntry("rename", (change.item,), (change.to,), f"{change.item} -> {change.to}{note}", True)
    if op == ChangeOp.REWORD:
        return DiffEntry("reword", (change.item,), (change.item,), f"{change.item}: text reworded, meaning kept{note}", True)
    if op == ChangeOp.SPLIT:
        carried = f"; answer carried to {', '.join(change.carry_to)}" if change.carry_to else "; asked again"
        return DiffEntry("split", (change.item,), change.into, f"{change.item} -> {', '.join(change.into)}{carried}{note}", True)
    if op == ChangeOp.MERGE:
        carried = f"; answer of {change.carry_from} carried" if change.carry_from else "; asked again"
        return DiffEntry("merge", change.items, (change.to,), f"{', '.join(change.items)} -> {change.to}{carried}{note}", True)
    if op in (ChangeOp.REMAP, ChangeOp.SCALE):
        what = change.item if op == ChangeOp.REMAP else f"scale {change.scale}"
        mapped = {str(m.old) for m in change.options}
        steps = ", ".join(f"{m.old!r} -> {_ask(m)}" for m in change.options)
        users = (change.item,) if op == ChangeOp.REMAP else tuple(change.items or scale_users.get(change.scale, ()))
        added = []
        if op == ChangeOp.SCALE:
            scale = next((s for s in new.scales if s.id == change.scale), None)
            added = [repr(o.value) for o in (scale.options if scale else ()) if str(o.value) not in mapped]
        more = f"; new option(s) {', '.join(added)}" if added else ""
        return DiffEntry(op.value, users, users, f"{what}: {steps}{more}{note}", True)
    if op == ChangeOp.ADD:
        return DiffEntry("add", (), (change.item,), f"{change.item} is new{note}", True)
    if op == ChangeOp.DROP:
        return DiffEntry("drop", (change.item,), (), f"{change.item} dropped: {change.reason}{note}", True)
    target = change.item or f"category {change.category}"
    return DiffEntry(
        "weight",
        (change.item,) if change.item else (),
        (change.item,) if change.item else (),
        f"{target}: weight changed{note}",
        True,
    )


def _unmapped_options(
    old: Framework,
    new: Framework,
    operations: Any,
    old_items: dict[str, Item],
    pairs: dict[str, str],
    scale_users: dict[str, list[str]],
) -> list[DiffEntry]:
    """Old options a declared remap or scale change does not say where to send."""
    entries = []
    for change in operations:
        if change.op not in (ChangeOp.REMAP, ChangeOp.SCALE):
            continue
        mapped = {(type(m.old), m.old) for m in change.options}
        targets = [change.item] if change.op == ChangeOp.REMAP else list(change.items or scale_users.get(change.scale, []))
        missing: dict[str, None] = {}
        for target in targets:
            before = old_items.get(pairs.get(target, ""))
            if before is not None:
                missing.update({repr(o.value): None for o in old.options_of(before) if (type(o.value), o.value) not in mapped})
        if missing:
            what = change.item if change.op == ChangeOp.REMAP else f"scale {change.scale}"
            detail = f"{what}: old option(s) {', '.join(missing)} not mapped (answers with them are checked as they are)"
            entries.append(DiffEntry("options", tuple(targets), tuple(targets), detail, False))
    return entries


def _item_changes(
    old: Framework, new: Framework, before: Item, after: Item, options_declared: bool, text_declared: bool, weight_declared: bool
) -> list[DiffEntry]:
    """The differences between an old item and the new item taking its answers."""
    ids = (before.id,), (after.id,)
    found = []
    if before.kind != after.kind:
        found.append(DiffEntry("kind", *ids, f"{after.id}: kind {before.kind.value} -> {after.kind.value}", False))
    if _options(old, before) != _options(new, after) and not options_declared:
        found.append(DiffEntry("options", *ids, f"{after.id}: options or their scores changed", False))
    if (before.min, before.max) != (after.min, after.max):
        found.append(DiffEntry("range", *ids, f"{after.id}: range {before.min}..{before.max} -> {after.min}..{after.max}", False))
    if before.text != after.text and not text_declared:
        found.append(DiffEntry("text", *ids, f"{after.id}: text changed (declare a reword if the meaning is kept)", False))
    if before.weight != after.weight and not weight_declared:
        found.append(DiffEntry("weight", *ids, f"{after.id}: weight {before.weight:g} -> {after.weight:g}", False))
    if before.category != after.category:
        found.append(DiffEntry("category", *ids, f"{after.id}: category {before.category} -> {after.category}", False))
    return found

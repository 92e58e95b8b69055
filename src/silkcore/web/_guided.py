"""A guided framework (one with a decision graph, such as the SILK flow chart) answered one
step at a time, as ``silk guide`` walks it.

The walk is :class:`silkcore._guide.Guide`'s, never a second one: the answers so far are
given to a fresh guide, which walks as far as they allow (the way ``silk guide --resume``
picks up a saved walk) and stops at the node whose items are still to answer - the step
the respondent sees. When a step's answers send the walk back (a decision answered "no"),
the guide forgets the answers from the node it goes back to onwards, so they are asked
again; :func:`parse_step` returns the answers *after* that, which is what a draft keeps, and
the revisits, which the step shown next explains.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from .._errors import ScoringError
from .._framework import Framework, NodeKind, PointerTo
from .._guide import Guide, GuideOutcome, Revisit
from ._answer import Answer, answers_from_responses, applies, values_of
from ._controls import ANSWER_NEEDED, ItemView, Message, item_view, message_of, plain_language
from ._forms import ErrorLink, parse_items
from ._texts import LocalText, local_text

__all__ = ["RevisitView", "StepResult", "StepView", "parse_step", "step_view", "walk"]


@attrs.frozen
class RevisitView:
    """A back edge taken: the step gone back to, and why (the edge's label), in the page's language."""

    to_node: str
    to_title: LocalText
    reason: LocalText | None


@attrs.frozen
class StepView:
    """What ``guided.html`` needs to draw one step of a walk.

    ``node_id``, ``node_kind``, ``title`` and ``text`` describe the node reached; ``items`` its
    items that apply (answered ones show their answer). ``phase_number`` of ``phase_total``
    phases (the framework's categories) and ``step_number`` (nodes reached so far) give the
    progress. When ``finished`` (an end node), ``items`` is empty and ``next_steps``,
    ``applies`` and ``decisions`` (the decision items answered on the way, as item views
    showing their answers) sum the walk up.
    ``revisits`` are the back edges the last answers took."""

    framework_id: str
    framework_title: LocalText
    language: str
    node_id: str
    node_kind: str
    title: LocalText
    text: LocalText | None
    phase: str | None
    phase_title: LocalText | None
    phase_number: int
    phase_total: int
    step_number: int
    items: tuple[ItemView, ...]
    finished: bool
    status: str
    revisits: tuple[RevisitView, ...]
    next_steps: tuple[LocalText, ...]
    applies: tuple[PointerTo, ...]
    decisions: tuple[ItemView, ...]
    errors: tuple[ErrorLink, ...]
    general_errors: tuple[Message, ...]
    answered: int
    #: The language of the framework's untranslated strings (the reasons in ``applies``) when
    #: it is not the page's, for their ``lang`` attribute.
    plain_language: str | None = None


@attrs.frozen
class StepResult:
    """What a submitted step leads to: the ``answers`` to keep (after any back edge cleared
    some), ``issues`` by item id (``""``: about the walk itself), and the ``revisits`` taken."""

    answers: dict[str, Answer]
    issues: dict[str, list[str]]
    revisits: tuple[Revisit, ...]


def walk(framework: Framework, answers: Mapping[str, Answer]) -> Guide:
    """A guide given ``answers`` (in the framework's item order) and walked as far as they
    allow. A :class:`~silkcore._errors.ScoringError` when the framework has no graph, an
    answer does not fit its item or the graph loops without asking anything."""
    guide = Guide(framework)
    for item in framework.items:
        answer = answers.get(item.id)
        if answer is not None:
            guide.answer(item.id, answer.value, status=answer.status)
    guide.run()
    return guide


def _node_items(framework: Framework, guide: Guide, answers: Mapping[str, Answer]) -> list[str]:
    """The current node's items that apply given the answers (answered or not): the step."""
    if guide.finished:
        return []
    values = values_of(answers)
    return [i for i in guide.node.items if applies(framework.item(i), values)]


def step_view(
    framework: Framework,
    answers: Mapping[str, Answer],
    language: str,
    issues: Mapping[str, Sequence[str]] | None = None,
    *,
    submitted: Mapping[str, Sequence[str]] | None = None,
    revisits: Sequence[Revisit] = (),
) -> StepView:
    """The step the walk has reached given ``answers``, in ``language``; ``issues``,
    ``submitted`` as for :func:`~silkcore.web._forms.page_view`; ``revisits`` as
    :func:`parse_step` returned them, to say why the walk went back."""
    issues = issues or {}
    default = framework.default_language
    guide = walk(framework, answers)
    outcome: GuideOutcome = guide.outcome()
    node = guide.node
    views = tuple(
        item_view(
            framework,
            framework.item(item_id),
            position,
            answers.get(item_id),
            language,
            issues.get(item_id, ()),
            submitted[item_id] if submitted is not None and item_id in submitted else None,
        )
        for position, item_id in enumerate(_node_items(framework, guide, answers), start=1)
    )
    general = tuple(message_of(m) for m in issues.get("", ()))
    summary = [ErrorLink(m, v.number, f"#{v.dom_id}") for v in views for m in v.errors]
    summary += [ErrorLink(m, None, None) for m in general]
    phase_ids = [c.id for c in framework.categories]
    phase = node.phase if node.phase in phase_ids else None
    return StepView(
        framework_id=framework.id,
        framework_title=local_text(framework.title, language, default),
        language=language,
        node_id=node.id,
        node_kind=node.kind.value,
        title=local_text(node.title, language, default),
        text=local_text(node.text, language, default) if node.text else None,
        phase=phase,
        phase_title=local_text(framework.category(phase).title, language, default) if phase else None,
        phase_number=phase_ids.index(phase) + 1 if phase else (len(phase_ids) if node.kind == NodeKind.END else 0),
        phase_total=len(phase_ids),
        step_number=len(outcome.path),
        items=views,
        finished=guide.finished,
        status=outcome.status,
        revisits=tuple(_revisit_view(framework, guide, r, language) for r in revisits),
        next_steps=tuple(local_text(step, language, default) for step in outcome.next_steps) if guide.finished else (),
        applies=outcome.applies if guide.finished else (),
        decisions=tuple(
            item_view(framework, framework.item(item_id), position, Answer(value), language)
            for position, (item_id, value) in enumerate(outcome.decisions, start=1)
        ),
        errors=tuple(summary),
        general_errors=general,
        answered=sum(1 for item in framework.items if item.id in answers),
        plain_language=plain_language(framework, language),
    )


def _revisit_view(framework: Framework, guide: Guide, revisit: Revisit, language: str) -> RevisitView:
    default = framework.default_language
    target = guide.graph.node(revisit.to_node)
    reason = local_text(revisit.label, language, default) if revisit.label else None
    return RevisitView(revisit.to_node, local_text(target.title, language, default), reason)


def parse_step(framework: Framework, form: Mapping[str, Sequence[str]], answers: Mapping[str, Answer]) -> StepResult:
    """The answers after the step reached given ``answers`` is submitted with ``form``; read
    as :func:`~silkcore.web._forms.parse_page` reads a page (the same parsing, the same one
    check), except that an item left empty is a problem: the walk waits for every item of
    its step. With no problem, the walk goes on from the new answers: a back edge it takes
    forgets the answers it sends the respondent back to, and is returned as a revisit."""
    try:
        guide = walk(framework, answers)
    except ScoringError as exc:
        return StepResult(dict(answers), {"": [str(exc)]}, ())
    shown = _node_items(framework, guide, answers)
    merged, problems = parse_items(framework, shown, form, answers)
    # A walk cannot go on past an item left empty (the guide waits for it), so each asks for
    # an answer or an explicit "don't know" - what `silk guide` records when one is skipped.
    for item_id in shown:
        if item_id not in merged and item_id not in problems:
            problems[item_id] = [ANSWER_NEEDED]
    if problems:
        return StepResult(merged, problems, ())
    try:
        after = walk(framework, merged)
    except ScoringError as exc:
        return StepResult(merged, {"": [str(exc)]}, ())
    return StepResult(answers_from_responses(after.responses.values()), {}, tuple(after.revisits))

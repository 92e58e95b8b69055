"""``silk guide``: walk a framework's decision graph in a terminal or from an answers file."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import click

from .._assessment import AnswerStatus, ResponseSet
from .._catalog import Catalog
from .._documents import dump_document, load_document
from .._errors import ScoringError, SilkError
from .._framework import Framework, Item, ItemKind
from .._guide import Guide, GuideOutcome, text_of
from .._jsonio import dumps
from .._model import OrgRef
from .common import ExitCode, catalog_of, fail, framework_option

__all__ = ["COMMANDS", "DEFAULT_GUIDED_FRAMEWORK", "render_outcome"]

#: The framework ``silk guide`` walks when several installed frameworks have a decision graph
#: and ``--framework`` names none: the SILK flow chart (Tool 1), when installed.
DEFAULT_GUIDED_FRAMEWORK = "silk.flowchart"

_HELP = (
    "Enter a number (several separated by commas for a multi-choice), s to skip, "
    "n for not applicable, ? for help, q to save and quit."
)


def _graph_framework(catalog: Catalog, framework_ref: str | None) -> Framework:
    """The framework to walk: the one ``--framework`` names, else the only installed framework
    with a decision graph, else :data:`DEFAULT_GUIDED_FRAMEWORK` when it is installed."""
    if framework_ref is not None:
        return catalog.resolve_framework(framework_ref)
    guided = [f for f in catalog.frameworks() if f.graph is not None]
    if len(guided) == 1:
        return guided[0]
    default = next((f for f in guided if f.id == DEFAULT_GUIDED_FRAMEWORK), None)
    if default is not None:
        return default
    if not guided:
        fail("no installed framework has a decision graph; give one with --framework ID_OR_FILE", ExitCode.USAGE)
    names = ", ".join(f.id for f in guided)
    fail(f"several installed frameworks have a decision graph ({names}); choose one with --framework", ExitCode.USAGE)


def _parse(framework: Framework, item: Item, raw: str) -> object:
    options = framework.options_of(item)
    if item.kind in (ItemKind.CHOICE, ItemKind.SCALE, ItemKind.YES_NO):
        index = int(raw) - 1
        if not 0 <= index < len(options):
            raise ValueError("no such option")
        return options[index].value
    if item.kind == ItemKind.MULTI_CHOICE:
        picked = [int(part) - 1 for part in raw.replace(" ", "").split(",") if part]
        if any(not 0 <= i < len(options) for i in picked):
            raise ValueError("no such option")
        return tuple(dict.fromkeys(options[i].value for i in picked))
    if item.kind in (ItemKind.NUMBER, ItemKind.PERCENTAGE, ItemKind.DURATION):
        number = float(raw)
        return int(number) if number.is_integer() else number
    return raw


def _text(texts: Mapping[str, str] | None, language: str, framework: Framework) -> str:
    """A text of ``framework`` in ``language``, else in the framework's own default language."""
    return text_of(texts, language, framework.default_language)


def _ask(guide: Guide, item: Item, language: str) -> bool:
    """Ask one item until it gets a valid answer; False when the person wants to stop."""
    framework = guide.framework
    click.echo("")
    click.echo(click.style(_text(item.text, language, framework), bold=True))
    options = framework.options_of(item)
    for number, option in enumerate(options, start=1):
        label = _text(option.label, language, framework) or str(option.value).lower()
        click.echo(f"  {number}. {label}")
    while True:
        raw = click.prompt(">", default="", show_default=False).strip()
        if raw == "q":
            return False
        if raw == "?":
            if item.help:
                click.echo(_text(item.help, language, framework))
            click.echo(_HELP)
            continue
        if raw in ("s", ""):
            guide.answer(item.id, status=AnswerStatus.UNKNOWN)
            return True
        if raw == "n":
            guide.answer(item.id, status=AnswerStatus.NOT_APPLICABLE)
            return True
        try:
            guide.answer(item.id, _parse(framework, item, raw))  # type: ignore[arg-type]
            return True
        except (ValueError, ScoringError) as exc:
            click.echo(f"Not a valid answer ({exc}). {_HELP}")


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    return str(value)


def render_outcome(outcome: GuideOutcome, framework: Framework, language: str = "en") -> str:
    """The end of a walk in words: phase, decisions, what to revisit, what applies next."""
    phase = _text(framework.category(outcome.phase).title, language, framework) if outcome.phase else "-"
    lines = [f"Phase reached: {phase} (node {outcome.node}, {outcome.status.replace('_', ' ')})"]
    if outcome.decisions:
        lines.append("Decisions taken:")
        lines += [f"  - {_text(framework.item(i).text, language, framework)}: {_shown(v)}" for i, v in outcome.decisions]
    if outcome.revisits:
        lines.append("To revisit:")
        weak = "an answer was too weak"
        lines += [f"  - go back to {r.to_node}: {_text(r.label, language, framework) or weak}" for r in outcome.revisits]
    if outcome.pending:
        lines.append("Still to answer: " + ", ".join(outcome.pending))
    if outcome.next_steps:
        lines.append("Next steps:")
        lines += [f"  - {_text(step, language, framework)}" for step in outcome.next_steps]
    if outcome.applies:
        lines.append("Now applies:")
        for pointer in outcome.applies:
            scope = ", ".join(pointer.categories or pointer.items) or "all"
            lines.append(f"  - {pointer.framework} ({scope})" + (f": {pointer.reason}" if pointer.reason else ""))
    return "\n".join(lines)


@click.command("guide")
@framework_option(
    f"A framework with a decision graph: an id or a file (default: the only one installed, else {DEFAULT_GUIDED_FRAMEWORK})."
)
@click.option(
    "--answers",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Walk non-interactively from this response set.",
)
@click.option(
    "--resume", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Continue an interactive walk saved earlier."
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Save the answers as a response set here.")
@click.option(
    "--org", "org_id", default="urn:silk:org:unnamed", show_default=True, help="Organisation id for a new response set."
)
@click.option("--name", "org_name", help="Organisation name for a new response set.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@click.option("--language", default="en", show_default=True, help="Language of questions and texts.")
@click.pass_context
def guide(
    ctx: click.Context,
    framework_ref: str | None,
    answers: Path | None,
    resume: Path | None,
    output: Path | None,
    org_id: str,
    org_name: str | None,
    as_json: bool,
    language: str,
) -> None:
    """Walk the decision flow chart: questions, decisions, what to revisit, and what applies next."""
    from .._outputs import check_output, write_output

    if answers is not None and resume is not None:  # "--answers FILE | --resume FILE" (docs/cli.md)
        fail("give --answers (walk from them) or --resume (continue interactively), not both", ExitCode.USAGE)
    catalog = catalog_of(ctx)
    try:
        if output is not None:  # --resume FILE -o FILE stays possible (the walk saved back); --answers is an input
            framework_file = framework_ref if framework_ref and Path(framework_ref).is_file() else None
            check_output(output, inputs=(framework_file, answers))
        framework = _graph_framework(catalog, framework_ref)
        start = answers or resume
        # Earlier answers meet the one check against the walked framework, as `silk assess` does.
        previous = load_document(start, registry=catalog.schemas, frameworks=lambda _id: framework) if start else None
        if previous is not None and not isinstance(previous, ResponseSet):
            raise ScoringError(f"{start}: expected a response set")
        subject = previous.subject if previous is not None else OrgRef(org_id, org_name)
        guide = Guide(framework, previous.responses if previous else (), stop_on_revisit=answers is not None)
        if answers is None:
            _walk(guide, language)
        outcome = guide.run()
        if output is not None:
            write_output(output, dump_document(guide.response_set(subject, mode="prospective")) + "\n")
    except SilkError as exc:
        fail(exc)
    click.echo(dumps(outcome.to_json()) if as_json else render_outcome(outcome, framework, language))


def _walk(guide: Guide, language: str) -> None:
    framework = guide.framework
    click.echo(_HELP)
    while not guide.finished:
        node = guide.node
        click.echo("")
        click.echo(click.style(f"== {_text(node.title, language, framework)}", bold=True))
        # Asked one at a time: an answer can make a later item of the same node apply.
        while pending := guide.pending():
            if not _ask(guide, pending[0], language):
                return
        revisits = len(guide.revisits)
        guide.advance()
        if len(guide.revisits) > revisits:
            click.echo(f"-> back to {guide.node_id}: {_text(guide.revisits[-1].label, language, framework)}")


COMMANDS: tuple[click.Command, ...] = (guide,)

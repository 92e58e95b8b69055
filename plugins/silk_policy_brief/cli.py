"""``silk policy``: the recommendations and lessons, policy self-assessment, and briefs from evidence."""

from __future__ import annotations

import json
from pathlib import Path

import click

from silkcore import (
    Flow,
    ResponseSet,
    ScoreCard,
    SilkError,
    assess,
    check_output,
    dump_document,
    get_catalog,
    load_document,
    progress,
    read_documents,
    require_extra,
    terminal_text,
    write_output,
)

from .brief_data import brief, policies
from .evidence import build_brief
from .render import PARAPHRASE_LEGEND, practice_label, practice_mark, to_html, to_markdown
from .self_assessment import framework, gaps

# Marks a check question as the project's own in the text view (the JSON says question_basis).
OWN_QUESTION_MARK = "*"


@click.group("policy")
def policy_command() -> None:
    """SILK Tool 6: policy recommendations, self-assessment and evidence briefs."""


@policy_command.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print the whole brief data as JSON.")
def show(as_json: bool) -> None:
    """The recommendations, lessons, drivers, barriers and good practices."""
    data = brief()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"{len(data['recommendations'])} recommendations:")
    for rec in data["recommendations"]:
        click.echo(f"  {rec['id']}  {rec['title']['en']}  [{rec['source']}]")
    click.echo(f"{len(data['policy_lessons'])} policy lessons:")
    for lesson in data["policy_lessons"]:
        click.echo(f"  {lesson['id']}  {lesson['title']}  [{lesson['source']}]")
    click.echo(f"{len(data['strategy_lessons'])} strategy lessons:")
    for lesson in data["strategy_lessons"]:
        click.echo(f"  {lesson['id']}  {lesson['title']}  [{lesson['source']}]")
    click.echo(f"{len(data['drivers'])} drivers, {len(data['barriers'])} barriers, {len(data['good_practices'])} good practices")
    # Each good practice by its case, a paraphrase marked (the legend below; --json has the reason).
    for item in data["good_practices"]:
        click.echo(f"  {item['id'] + practice_mark(item):<4}  {practice_label(item)}  [{item['source']}]")
    click.echo(PARAPHRASE_LEGEND)


@policy_command.command("policies")
@click.option("--json", "as_json", is_flag=True, help="Print the Policy documents.")
def list_policies(as_json: bool) -> None:
    """The policies the report analyses or cites, as Policy documents."""
    if as_json:
        click.echo("[" + ",\n".join(dump_document(p) for p in policies()) + "]")
        return
    for p in policies():
        where = p.jurisdiction.name if p.jurisdiction else "-"
        click.echo(f"{p.policy_id:<52} {p.level:<13} {p.type:<29} {where}")


@policy_command.command("assess")
@click.argument("responses", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the score card and the gaps as JSON.")
def assess_policy(responses: Path, as_json: bool) -> None:
    """Check a policy (its answers to the self-assessment) against the recommendations and lessons."""
    try:
        response_set = load_document(responses)
        if not isinstance(response_set, ResponseSet):
            raise SilkError(f"{responses}: expected a response set")
        fw = framework()
        card = assess(fw, response_set)
    except SilkError as exc:
        raise click.ClickException(str(exc)) from None
    found = gaps(card)
    if as_json:
        click.echo(json.dumps({"scorecard": json.loads(dump_document(card)), "gaps": found}, ensure_ascii=False, indent=2))
        return
    # The subject comes from the user's document: shown with control characters escaped.
    click.echo(terminal_text(f"Policy self-assessment - {card.subject.name or card.subject.org_id}"))
    for category in card.categories:
        title = fw.category(category.id).title["en"]
        score = "-" if category.score is None else f"{category.score:.2f}"
        click.echo(f"  {category.id:<8} {title[:60]:<60} score {score:>5}  coverage {category.coverage:.0%}")
    click.echo("Gaps:")
    for gap in found:
        cites = gap["cites"]
        example = f"; example: {cites['example_case']['name']}" if cites.get("example_case") else ""
        # The marker keeps the questions from reading as the report's own (the legend below).
        mark = OWN_QUESTION_MARK if gap["question_basis"] == "project" else ""
        click.echo(terminal_text(f"  - [{gap['status']}] {gap['question']}{mark} -> {cites['id']} {cites['title']}{example}"))
    if any(gap["question_basis"] == "project" for gap in found):
        click.echo(f"{OWN_QUESTION_MARK} {brief()['checks_basis']['reason']['en']}")


@policy_command.command("brief")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--jurisdiction", required=True, help="Who the brief is for (a city, region or country).")
@click.option("--min-group", default=5, show_default=True, help="Smallest group of organisations a figure may be computed from.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write .md or .html (default: Markdown on standard output).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the brief's data as JSON.")
def brief_command(inputs: tuple[Path, ...], jurisdiction: str, min_group: int, output: Path | None, as_json: bool) -> None:
    """A policy brief from organisations' Tool 2 response sets or score cards, and their flows."""
    try:
        if output is not None:
            check_output(output, inputs=inputs)  # before any work: a missing folder, or an input
            if output.suffix.lower() not in (".html", ".md"):  # as silk report: the name says the format
                raise click.UsageError(f"the brief is written to a file ending in .html or .md, not {output.name!r}")
            if output.suffix.lower() == ".html":
                require_extra("report", "silk policy brief -o FILE.html")
        documents = read_documents(inputs)
        catalog = get_catalog()
        cards = [d for d in documents if isinstance(d, ScoreCard)]
        # Several respondents of one organisation consolidate into one card per organisation.
        groups: dict[tuple[str, str], list[ResponseSet]] = {}
        for response_set in (d for d in documents if isinstance(d, ResponseSet)):
            groups.setdefault((response_set.subject.org_id, response_set.framework_id), []).append(response_set)
        for (_, framework_id), sets in progress(list(groups.items()), "scoring"):
            cards.append(assess(framework_id, sets, catalog=catalog))
        flows = [d for d in documents if isinstance(d, Flow)]
        data = build_brief(jurisdiction, cards, flows, min_group)
        texts = {i.id: i.text["en"] for i in catalog.framework("silk.evaluation-grid").items}
    except (SilkError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    text = to_html(data, texts) if output is not None and output.suffix.lower() == ".html" else to_markdown(data, texts)
    if output is None:
        click.echo(text)
        return
    try:
        write_output(output, text, inputs=inputs)
    except SilkError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"brief written to {output}")

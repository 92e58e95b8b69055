"""``silk validate``: the one verdict on documents, from files, JSON Lines or stdin."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .._documents import document_format, is_yaml_input, parse_bytes, read_source
from .._documents import validate as validate_doc
from .._errors import DataError, Issue, SilkError
from .._jsonio import iter_json_lines
from .._locate import locate_issues
from .._progress import progress
from .common import ExitCode, catalog_of, fail, framework_option, given_frameworks, print_issues, print_json

__all__ = ["COMMANDS"]


def _issue_row(issue: Issue) -> dict[str, Any]:
    return {
        "file": issue.source or "<input>",
        "line": issue.line,
        "column": issue.column,
        "pointer": issue.pointer,
        "message": issue.message,
    }


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path, allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help="Print the issues as JSON.")
@click.option("--engine", type=click.Choice(["rs", "python"]), default="rs", show_default=True, help="Which validator decides.")
@framework_option(
    "Check response sets against this framework (an id or a file; repeatable) as well as the installed ones they name.",
    multiple=True,
)
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...], as_json: bool, engine: str, framework_refs: tuple[str, ...]) -> None:
    """Validate documents (JSON, YAML frameworks, or JSON Lines with one document a line; - is
    standard input). A response set is also checked against the framework it answers."""
    catalog = catalog_of(ctx)
    try:
        frameworks = catalog.framework_resolver(*given_frameworks(catalog, framework_refs))
    except SilkError as exc:
        fail(exc)
    registry = catalog.schemas
    issues: list[Issue] = []
    checked = 0
    for path in progress(files, "validating"):
        if document_format(path) == "jsonl":
            try:
                handle = path.open("rb")
            except OSError as exc:
                issues.append(Issue("", f"cannot read file: {exc.strerror or exc}", str(path)))
                continue
            with handle:
                for line, doc in iter_json_lines(handle, source=str(path)):
                    checked += 1
                    found = (
                        doc.errors
                        if isinstance(doc, DataError)
                        else validate_doc(doc, registry=registry, engine=engine, frameworks=frameworks)
                    )
                    issues.extend(i.located(str(path), line) for i in found)
            continue
        checked += 1
        try:
            data, name = read_source(path)
            doc = parse_bytes(data, name)
        except DataError as exc:
            issues.extend(exc.errors)
            continue
        found = validate_doc(doc, registry=registry, engine=engine, frameworks=frameworks)
        issues.extend(locate_issues(found, data, name, is_yaml=is_yaml_input(data, name)))
    if as_json:
        print_json({"documents": checked, "valid": not issues, "issues": [_issue_row(i) for i in issues]})
    else:
        print_issues(issues)
        if not issues:
            click.echo(f"{checked} document(s) valid")
    raise SystemExit(ExitCode.INVALID_INPUT if issues else ExitCode.OK)


COMMANDS: tuple[click.Command, ...] = (validate,)

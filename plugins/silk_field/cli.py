"""``silk field``: translation checks, crosswalks and the SDG view of a score card.

The XLSForm and the submission formats go through silkcore's own commands::

    silk export --format xlsform silk.evaluation-grid -o grid.xlsx
    silk import --format kobo-json submissions.json -o response-sets.jsonl
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NoReturn

import click

from silkcore import Catalog, Framework, ScoreCard, SilkError, UnknownComponentError, get_catalog, load_document

from .crosswalk import crosswalks_for, load_crosswalk, shipped_crosswalks
from .languages import missing_translations
from .sdg import render_scheme_view, scheme_view

__all__ = ["field_group"]


def _catalog(ctx: click.Context) -> Catalog:
    obj = ctx.find_root().obj
    catalog = obj.get("catalog") if isinstance(obj, dict) else None
    return catalog if isinstance(catalog, Catalog) else get_catalog()


def _fail(error: SilkError) -> NoReturn:
    issues = getattr(error, "errors", ())
    for line in [str(i) for i in issues] or [str(error)]:
        click.echo(f"error: {line}", err=True)
    raise SystemExit(2 if isinstance(error, UnknownComponentError) else 1)


def _echo_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False))


def _framework(catalog: Catalog, ref: str) -> Framework:
    return catalog.resolve_framework(ref)  # the one way an id or a framework file is chosen


@click.group("field")
def field_group() -> None:
    """Field collection: translations, crosswalks to other taxonomies, the SDG view of results."""


@field_group.command("translations")
@click.argument("framework_ref")
@click.option("--language", "-l", required=True, help="A BCP 47 tag, e.g. fr, es or pt-BR.")
@click.option("--json", "as_json", is_flag=True, help="Print the missing texts as JSON.")
@click.option("--strict", is_flag=True, help="Exit 1 when a translation is missing (for CI).")
@click.pass_context
def translations_command(ctx: click.Context, framework_ref: str, language: str, as_json: bool, strict: bool) -> None:
    """List the texts of FRAMEWORK_REF (an id or a file) that have no LANGUAGE version.

    Readers still see a text: the requested language, else the framework's default language,
    else the first one available.
    """
    try:
        framework = _framework(_catalog(ctx), framework_ref)
    except SilkError as exc:
        _fail(exc)
    missing = missing_translations(framework, language)
    if as_json:
        _echo_json({"framework_id": framework.id, "language": language, "missing": [m.as_dict() for m in missing]})
    elif not missing:
        click.echo(f"{framework.id} {framework.version}: every text has a {language!r} version")
    else:
        click.echo(f"{framework.id} {framework.version}: {len(missing)} text(s) without a {language!r} version")
        for m in missing:
            click.echo(f"  {m.where:<9} {m.id:<28} {m.field}  (shown in {m.shown_in})")
    if strict and missing:
        raise SystemExit(1)


@field_group.command("sdg")
@click.argument("card_path", metavar="CARD.json", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--crosswalk", "crosswalk_paths", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="An extra crosswalk file (repeatable); the shipped SDG crosswalks are always used.",
)  # fmt: skip
@click.option("--language", "-l", help="Language of goal labels and item texts (default: the framework's).")
@click.option("--json", "as_json", is_flag=True, help="Print the view as JSON.")
@click.pass_context
def sdg_command(
    ctx: click.Context, card_path: Path, crosswalk_paths: tuple[Path, ...], language: str | None, as_json: bool
) -> None:
    """The SDG view of a score card: each goal, with the items behind it and their scores."""
    catalog = _catalog(ctx)
    try:
        card = load_document(card_path, registry=catalog.schemas)
        if not isinstance(card, ScoreCard):
            raise SilkError(f"{card_path}: expected a score card document, got {type(card).__name__}")
        extra = [load_crosswalk(p, catalog=catalog) for p in crosswalk_paths]
        crosswalks = crosswalks_for(card.framework_id, "SDG", extra=extra, catalog=catalog)
        try:
            framework: Framework | None = catalog.framework(card.framework_id)
        except UnknownComponentError:
            framework = None
    except SilkError as exc:
        _fail(exc)
    view = scheme_view(card, crosswalks, framework=framework, language=language)
    if as_json:
        _echo_json(view)
    else:
        click.echo(render_scheme_view(view), nl=False)


@field_group.command("crosswalks")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def crosswalks_command(ctx: click.Context, as_json: bool) -> None:
    """List the crosswalks this plugin ships."""
    try:
        found = shipped_crosswalks(catalog=_catalog(ctx))
    except SilkError as exc:
        _fail(exc)
    rows = [{"id": c.id, "framework": c.framework, "scheme": c.scheme, "mappings": len(c.mappings)} for c in found]
    if as_json:
        _echo_json(rows)
        return
    for row in rows:
        click.echo(f"{row['id']:<36} {row['framework']:<24} {row['scheme']:<8} {row['mappings']} mapping(s)")

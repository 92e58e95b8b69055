"""docs/cli.md claims every command: each command and subcommand ``silk --help`` lists, and
every export and import format the installed plugins register, appears in it."""

from __future__ import annotations

import click
import pytest

from silkcore import get_catalog
from silkcore._cli import build_cli

from .conftest import ROOT

REFERENCE = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")


def command_lines() -> list[str]:
    """``silk NAME`` for every command, and ``silk GROUP SUB`` for every subcommand."""
    cli = build_cli(get_catalog())
    found = []
    for name, command in sorted(cli.commands.items()):
        found.append(f"silk {name}")
        if isinstance(command, click.Group):
            found += [f"silk {name} {sub}" for sub in sorted(command.commands)]
    return found


@pytest.mark.parametrize("line", command_lines())
def test_every_command_is_in_the_reference(line: str) -> None:
    assert line in REFERENCE, f"docs/cli.md does not show `{line}`"


def test_every_format_is_in_the_reference() -> None:
    catalog = get_catalog()
    formats = {e.id for e in catalog.exporters()} | {i.id for i in catalog.importers()}
    missing = sorted(f for f in formats if f"`{f}`" not in REFERENCE)
    assert not missing, f"docs/cli.md does not name the formats {missing}"

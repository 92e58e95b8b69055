"""``silk report --format``: the format follows --format, and -o's extension must agree with it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from silkcore import build_catalog
from silkcore._cli import build_cli

from ..conftest import EXAMPLES

ORGANISATION = str(EXAMPLES / "demo" / "organisation.json")
CLI = build_cli(build_catalog())


def _report(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(CLI, ["report", ORGANISATION, *args])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("name", "given", "expected"),
    [
        ("r.html", None, "<!doctype html>"),
        ("r.md", None, "# "),
        ("r.html", "html", "<!doctype html>"),
        ("r.md", "markdown", "# "),
    ],
)
def test_the_format_is_the_one_given_or_named_by_the_extension(
    name: str, given: str | None, expected: str, tmp_path: Path
) -> None:
    output = tmp_path / name
    code, text = _report("-o", str(output), *(["--format", given] if given else []))
    assert code == 0, text
    assert output.read_text(encoding="utf-8").lstrip().startswith(expected)


@pytest.mark.parametrize(
    ("name", "given", "said"),
    [
        ("r.pdf", None, "a report is written to a file ending in .html or .htm or .md, not '.pdf'"),
        ("r.md", "html", "an HTML report is written to a file ending in .html or .htm, not '.md'"),
        ("r.html", "markdown", "a Markdown report is written to a file ending in .md, not '.html'"),
        ("report", "html", "not no extension"),
    ],
)
def test_an_extension_of_another_format_is_one_error_and_nothing_is_written(
    name: str, given: str | None, said: str, tmp_path: Path
) -> None:
    code, text = _report("-o", str(tmp_path / name), *(["--format", given] if given else []))
    assert code == 1 and said in text and text.count("\n") == 1, text
    assert list(tmp_path.iterdir()) == []
